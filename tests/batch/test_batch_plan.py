"""Planning and reading partitions: the same records, origins and reasons as ingest."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq

from tidings.batch import plan, read_partition
from tidings.ingest import iter_articles
from tidings.model import Rejected


def _key(item):
    if isinstance(item, Rejected):
        return ("rejected", item.origin, item.reason)
    return ("article", item.origin, item.id, item.title, item.text, item.published, item.source)


def _records(n):
    return [{"id": f"r{i}", "title": f"Story {i}", "text": f"Protesters marched in Paris {i}.",
             "published": "2025-03-0" + str(1 + i % 9), "source": "Wire"} for i in range(n)]


def _read_all(parts):
    return [item for part in parts for item in read_partition(part)]


def test_jsonl_is_cut_by_lines_and_reads_like_ingest(tmp_path, write_jsonl):
    lines = [json.dumps(r) for r in _records(25)]
    lines[7:7] = ["", "{not json", json.dumps({"id": "no-text"})]  # blank, broken, textless
    path = write_jsonl(tmp_path / "big.jsonl", lines)

    parts = plan([path], partition_size=10)

    assert [len(p.slices) for p in parts] == [1, 1, 1]
    assert all(p.slices[0].kind == "jsonl" for p in parts)
    got = _read_all(parts)
    assert [_key(i) for i in got] == [_key(i) for i in iter_articles([path])]
    reasons = {i.reason for i in got if isinstance(i, Rejected)}
    assert reasons == {"malformed_json", "missing_text"}
    assert got[-1].origin == f"{path}:28"


def test_small_files_are_packed_and_keep_their_origins(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(5):
        (folder / f"{i}.txt").write_text(f"Story {i}\n\nTroops shelled Kharkiv {i}.\n")
    (folder / "empty.txt").write_text("")

    parts = plan([folder], partition_size=2)

    assert [len(p.slices) for p in parts] == [2, 2, 2]
    assert [_key(i) for i in _read_all(parts)] == [_key(i) for i in iter_articles([folder])]


def test_parquet_rows_are_read_in_ranges(tmp_path):
    records = _records(9)
    path = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist(records), path, row_group_size=4)

    parts = plan([path], partition_size=4)
    got = _read_all(parts)

    assert [len(p.slices) for p in parts] == [1, 1, 1]
    assert [(a.id, a.text, a.published) for a in got] == [
        (r["id"], r["text"], r["published"]) for r in records]
    assert [a.origin for a in got] == [f"{path}:{k}" for k in range(1, 10)]


def test_a_damaged_parquet_file_is_an_error_not_a_crash(tmp_path):
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1 this is not really parquet")

    got = _read_all(plan([path], partition_size=10))

    assert len(got) == 1
    assert isinstance(got[0], Rejected) and got[0].reason == "unreadable"
