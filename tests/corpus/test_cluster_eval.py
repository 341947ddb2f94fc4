"""The acceptance check: canonical events on the invented corpus, coded by the real pipeline."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest
from corpus_helpers import clusters

from tidings.corpus import rebuild_canonical, update_canonical
from tidings.ingest import iter_articles
from tidings.runs import store_coded
from tidings.store import Store

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("cluster_eval", ROOT / "bench" /
                                                  "cluster_eval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def coded(coder, bench):
    return list(coder.code_many(iter_articles([bench.DATA / "articles.jsonl"])))


def test_corpus_meets_the_acceptance_floors(coded, bench, tmp_path: Path):
    gold = bench.load_gold()
    assert len(coded) >= 60 and len({c.article.source for c in coded}) >= 8
    assert len({e for g in gold.values() for e in g["events"]}) >= 12
    with Store(f"sqlite:///{tmp_path / 'e.db'}") as store:
        store_coded(coded, store)
        update_canonical(store)
        r = bench.evaluate_store(store, gold)
    assert r["precision"] >= 0.9, r["errors"]
    assert r["recall"] >= 0.8, r["errors"]
    assert r["copies"]["found"] == r["copies"]["expected"] and r["copies"]["spurious"] == 0


def test_corpus_clusters_do_not_depend_on_arrival_order(coded, tmp_path: Path):
    with Store(f"sqlite:///{tmp_path / 'all.db'}") as store:
        store_coded(coded, store)
        rebuild_canonical(store)
        want = clusters(store)
    shuffled = coded[:]
    random.Random(7).shuffle(shuffled)
    with Store(f"sqlite:///{tmp_path / 'inc.db'}") as store:
        for i in range(0, len(shuffled), 17):
            store_coded(shuffled[i:i + 17], store)
            update_canonical(store)
        assert clusters(store) == want
    assert any(len(c) > 2 for c in want)
