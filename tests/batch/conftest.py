"""Fixtures for the batch tests: one LocalCluster for the session, small corpora.

The cluster has 2 worker processes with 1 thread each, like a 2-core production run; the
model is loaded once per worker by the engine's plugin.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

pytest.importorskip("distributed")
pytest.importorskip("pyarrow")


def make_short_corpus(n: int, seed: int) -> list[dict]:
    """Synthetic wire stories cut to their first two paragraphs: quick to parse."""
    from synth import generate

    out = []
    for rec in generate(n, seed):
        rec["text"] = "\n\n".join(rec["text"].split("\n\n")[:2])
        out.append(rec)
    return out


@pytest.fixture(name="short_corpus", scope="session")
def short_corpus_fixture():
    """The corpus maker, as a fixture: test modules must not import this conftest by name
    (another folder's conftest may be the one Python finds)."""
    return make_short_corpus


def write_jsonl(path: Path, records: list) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write((rec if isinstance(rec, str) else json.dumps(rec)) + "\n")
    return path


@pytest.fixture(name="write_jsonl", scope="session")
def write_jsonl_fixture():
    return write_jsonl


@pytest.fixture(scope="session")
def client():
    from distributed import Client, LocalCluster

    from tidings.batch.dask_engine import prepare

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                      dashboard_address="127.0.0.1:0") as cluster, Client(cluster) as c:
        prepare(c)
        yield c


@pytest.fixture(scope="session")
def corpus_file(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    return write_jsonl(folder / "corpus.jsonl", make_short_corpus(24, seed=5))


@pytest.fixture(scope="session")
def batch_out(client, corpus_file, tmp_path_factory) -> Path:
    """`tidings batch` over the corpus on the session cluster, run once."""
    from typer.testing import CliRunner

    from tidings.cli import app

    out = tmp_path_factory.mktemp("batch") / "out"
    result = CliRunner().invoke(app, ["batch", str(corpus_file), "--out", str(out),
                                      "--scheduler", client.scheduler.address,
                                      "--partition-size", "5", "--quiet"])
    assert result.exit_code == 0, result.output
    return out
