"""`tidings batch` and `tidings load` on a 2-worker LocalCluster."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections import Counter, defaultdict

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from tidings.batch import plan
from tidings.batch.dask_engine import run
from tidings.batch.tables import add_coded, empty_rows
from tidings.cli import app

pytestmark = pytest.mark.slow


def _dataset(out, name):
    return pq.read_table(out / name).to_pylist()  # the folder, read as one dataset


def _by_doc(rows, key):
    grouped = defaultdict(list)
    for r in rows:
        grouped[r["document_id"]].append(key(r))
    return dict(grouped)


def _event_key(r):
    return (r["event_type"], r["cameo"], r["source_country"], r["target_country"],
            r["span_start"], r["span_end"])


def test_batch_equals_the_single_process_run(batch_out, corpus_file, model_coder):
    from tidings.ingest import iter_articles
    from tidings.runs import code

    coder = model_coder  # the batch workers run the default pipeline, with the event model
    expected = empty_rows()
    # what the run service's coding half gives in this process: the same default cut
    for coded in code(iter_articles([corpus_file]), coder):
        add_coded(expected, coded, coder.version, now=None)
    got = {d: _dataset(batch_out, d) for d in ("documents", "events", "entities", "quotes")}

    assert [d["id"] for d in got["documents"]] == [d["id"] for d in expected["documents"]]
    assert _by_doc(got["events"], _event_key) == _by_doc(expected["events"], _event_key)
    assert sum(len(v) for v in _by_doc(got["events"], _event_key).values()) > 24
    for name in ("events", "entities", "quotes"):  # every column, not just the key fields
        assert got[name] == expected[name], name
    assert len(list((batch_out / "documents").glob("part-*.parquet"))) == 5  # 24 docs / 5


def test_rerun_resumes_and_a_different_plan_is_refused(batch_out, corpus_file, client):
    args = ["batch", str(corpus_file), "--out", str(batch_out), "--scheduler",
            client.scheduler.address, "--quiet"]
    before = {p: p.stat().st_mtime_ns for p in batch_out.rglob("*.parquet")}

    same = CliRunner().invoke(app, [*args, "--partition-size", "5"])
    other = CliRunner().invoke(app, [*args, "--partition-size", "4"])

    assert same.exit_code == 0 and "5 already done" in same.output
    assert {p: p.stat().st_mtime_ns for p in batch_out.rglob("*.parquet")} == before
    assert other.exit_code == 2 and "different run" in other.output


def test_a_killed_worker_loses_and_doubles_nothing(client, write_jsonl, short_corpus, tmp_path):
    records = short_corpus(16, seed=9)
    src = write_jsonl(tmp_path / "in.jsonl", records)
    parts = plan([src], partition_size=2)
    out = tmp_path / "out"
    summaries, failure = [], []

    def job():
        try:
            summaries.extend(run(client, parts, out))
        except Exception as exc:  # pragma: no cover - reported by the assertion below
            failure.append(exc)

    thread = threading.Thread(target=job)
    thread.start()
    victim = _busy_worker(client)
    victim_pid = client.run(os.getpid, workers=[victim])[victim]
    try:
        client.run(os._exit, 1, workers=[victim])
    except Exception:  # the worker dies before it can answer
        pass
    thread.join(timeout=240)

    assert not thread.is_alive() and not failure, failure
    assert victim_pid not in client.run(os.getpid).values(), "the worker was not killed"
    assert sorted(s["partition"] for s in summaries) == [p.name for p in parts]
    ids = Counter(d["id"] for d in _dataset(out, "documents"))
    assert ids == Counter(r["id"] for r in records)  # each exactly once
    assert not _dataset(out, "errors")
    client.wait_for_workers(2, timeout=120)


def _busy_worker(client, timeout=120.0):
    """Address of a worker that is running a partition task right now."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        busy = client.run(lambda dask_worker: len(dask_worker.state.executing))
        running = [addr for addr, n in busy.items() if n]
        if running:
            return running[0]
        time.sleep(0.05)
    raise AssertionError("no worker started a task")


def test_broken_records_land_in_errors(client, write_jsonl, short_corpus, tmp_path):
    good = short_corpus(4, seed=3)
    lines = [json.dumps(good[0]), "{broken", json.dumps({"id": "empty", "text": "  "}),
             json.dumps(good[1]), "[1, 2]", json.dumps(good[2]), json.dumps(good[3])]
    src = write_jsonl(tmp_path / "in.jsonl", lines)
    out = tmp_path / "out"

    result = CliRunner().invoke(app, ["batch", str(src), "--out", str(out), "--scheduler",
                                      client.scheduler.address, "--partition-size", "4",
                                      "--quiet"])

    assert result.exit_code == 0, result.output
    errors = sorted((e["origin"].rsplit(":", 1)[1], e["reason"]) for e in _dataset(out, "errors"))
    assert errors == [("2", "malformed_json"), ("3", "missing_text"), ("5", "malformed_json")]
    assert [d["id"] for d in _dataset(out, "documents")] == [g["id"] for g in good]


def _table(db, name, drop=("coded_at", "created_at")):
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        rows = [dict(r) for r in con.execute(f"select * from {name}")]
    finally:
        con.close()
    if name in ("quotes", "quantities", "entities", "places", "errors"):
        drop = (*drop, "id")
    return [{k: v for k, v in r.items() if k not in drop} for r in rows]


def test_load_gives_what_ingest_gives(batch_out, corpus_file, tmp_path):
    loaded, ingested = tmp_path / "loaded.db", tmp_path / "ingested.db"
    runner = CliRunner()

    first = runner.invoke(app, ["load", str(batch_out), "--db", f"sqlite:///{loaded}"])
    again = runner.invoke(app, ["load", str(batch_out), "--db", f"sqlite:///{loaded}"])
    # `tidings batch` keeps the events `tidings ingest` keeps: the same default cut
    ingest = runner.invoke(app, ["ingest", str(corpus_file), "--db", f"sqlite:///{ingested}",
                                 "--quiet"])

    assert first.exit_code == again.exit_code == ingest.exit_code == 0
    assert "stored 24 documents" in first.output and "stored 0 documents" in again.output
    for name in ("documents", "events", "entities", "quotes", "quantities", "places", "errors"):
        assert _table(loaded, name) == _table(ingested, name), name
    assert len(_table(loaded, "events")) > 24
