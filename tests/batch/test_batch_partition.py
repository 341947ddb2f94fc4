"""One partition without Dask: coding, failure isolation, row round trip, idempotent files."""

from __future__ import annotations

import pytest

from tidings.batch import code_partition, plan, run_partition
from tidings.batch.tables import DATASETS, add_coded, coded_of, empty_rows, part_path
from tidings.model import Article

pytestmark = pytest.mark.slow

TEXTS = [
    "KYIV, June 2 (Wire) - Russian forces shelled Kharkiv on Monday, the governor said.",
    "Iran and Oman held talks in Muscat on Sunday. \"We made progress,\" Araghchi said.",
    "The EU imposed sanctions on 20 Russian banks and froze 3 billion euros in assets.",
]


def test_a_failing_document_becomes_an_error_row(fragile_coder):
    items = [Article(text=t, id=f"d{i}", origin=f"x.jsonl:{i}") for i, t in enumerate(TEXTS)]
    items.insert(1, Article(text="BOOM goes the parser.", id="bad", origin="x.jsonl:9"))

    rows = code_partition(items, fragile_coder, batch_size=8)

    assert [d["id"] for d in rows["documents"]] == ["d0", "d1", "d2"]
    assert [(e["article_id"], e["reason"]) for e in rows["errors"]] == [("bad", "coding_failed")]
    assert "parser crashed" in rows["errors"][0]["detail"]
    assert rows["events"], "the good documents were still coded"


def test_rows_rebuild_the_same_coded_article(coder):
    for text in TEXTS:
        coded = coder.code(text, published="2025-06-02")
        first, again = empty_rows(), empty_rows()
        add_coded(first, coded, "v", now=None)
        children = {d: first[d] for d in ("events", "entities", "quotes", "quantities",
                                          "times", "places")}
        add_coded(again, coded_of(first["documents"][0], children), "v", now=None)
        assert again == first


def test_run_partition_writes_once_and_skips_when_done(tmp_path, write_jsonl, coder):
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": f"a{i}", "text": t}
                                              for i, t in enumerate(TEXTS)])
    [part] = plan([src], partition_size=10)
    out = tmp_path / "out"

    first = run_partition(part, out, coder=coder)
    stamp = {d: part_path(out, d, part.name).stat().st_mtime_ns for d in DATASETS}
    second = run_partition(part, out, coder=coder)

    assert first["skipped"] is False and second["skipped"] is True
    assert first["documents"] == second["documents"] == 3
    assert {d: part_path(out, d, part.name).stat().st_mtime_ns for d in DATASETS} == stamp
    assert not list(out.rglob("*.tmp"))


def test_load_reads_a_job_written_before_the_times_dataset(tmp_path, coder):
    from tidings.batch import load
    from tidings.batch.tables import write_rows
    from tidings.store import Store

    items = [Article(text=t, id=f"d{i}", published="2025-06-02") for i, t in enumerate(TEXTS)]
    rows = code_partition(items, coder, batch_size=8)
    assert rows["times"], "the partition has times"
    write_rows(tmp_path / "out", "part-00000", rows)
    part_path(tmp_path / "out", "times", "part-00000").unlink()  # as an older job wrote it
    with Store(f"sqlite:///{tmp_path / 'x.db'}") as store:
        stats = load(tmp_path / "out", store)
    assert (stats["partitions"], stats["saved"]) == (1, 3)
