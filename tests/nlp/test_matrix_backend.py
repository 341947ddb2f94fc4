"""The model's matrix products on numpy's OpenBLAS give the same annotations as thinc's
default BLIS (tidings.pipeline.load_model)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "articles.jsonl"


def test_openblas_annotations_equal_blis(nlp):
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, POS, TAG

    from tidings.pipeline import load_model

    fast = load_model()
    assert fast.get_pipe("tok2vec").model.ops.use_blis is False
    assert nlp.get_pipe("tok2vec").model.ops.use_blis is True  # loading did not leak
    texts = [json.loads(line)["text"] for line in SAMPLES.read_text().splitlines()[:12]]
    attrs = [TAG, POS, HEAD, DEP, LEMMA, ENT_IOB, ENT_TYPE]
    tokens = 0
    for a, b in zip(nlp.pipe(texts), fast.pipe(texts), strict=True):
        assert [t.text for t in a] == [t.text for t in b]
        assert (a.to_array(attrs) == b.to_array(attrs)).all()
        tokens += len(a)
    assert tokens > 2500


def test_blas_capped_at_one_thread():
    from threadpoolctl import threadpool_info

    from tidings.pipeline import load_model

    load_model(blas_threads=1)
    blas = [lib for lib in threadpool_info() if lib["user_api"] == "blas"]
    assert blas and all(lib["num_threads"] == 1 for lib in blas)
