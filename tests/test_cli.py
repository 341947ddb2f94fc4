"""The command line, end to end on small inputs (the model is loaded once per session)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tidings.cli import app

runner = CliRunner()

STORY = ("KYIV, June 2 (Wire) - Russian forces shelled the city of Kharkiv on Sunday. "
         "Ukraine condemned the attack and urged its allies to send more air defence.")


@pytest.fixture
def story(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


def test_code_prints_one_json_object_per_document(coder, story, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("Police arrested twelve protesters in Tbilisi on Friday.", encoding="utf-8")
    result = runner.invoke(app, ["code", str(story), str(other), "--published", "2025-06-02"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in result.stdout.splitlines() if x.strip()]
    assert len(lines) == 2
    assert lines[0]["published"] == "2025-06-02"
    types = {e["event_type"] for e in lines[0]["events"]}
    assert "ASSAULT" in types
    assert {"id", "event_type", "cameo", "source", "target", "span", "sentence"} <= set(
        lines[0]["events"][0])


def test_code_table_format(coder, story):
    result = runner.invoke(app, ["code", str(story), "--format", "table"])
    assert result.exit_code == 0, result.output
    assert "ASSAULT" in result.stdout


def test_code_rejects_bad_date(story):
    result = runner.invoke(app, ["code", str(story), "--published", "June 2"])
    assert result.exit_code != 0
    assert "YYYY-MM-DD" in result.output


def test_ingest_stores_and_deduplicates_and_records_errors(coder, story, tmp_path):
    db = f"sqlite:///{tmp_path / 't.db'}"
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02binary\x00junk\x00" * 20)
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    lines = tmp_path / "batch.jsonl"
    lines.write_text(
        json.dumps({"id": "a1", "text": "Israel and Egypt held talks in Cairo on Monday.",
                    "published": "2025-03-03", "source": "Harbor Times"}) + "\n"
        + "{not json\n"
        + json.dumps({"id": "a2", "text": "Iran rejected the proposal.",
                      "published": "2025-03-04"}) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(story), str(bad), str(empty), str(lines),
                                 "--db", db, "--quiet"])
    assert result.exit_code == 1, result.output  # stored what reads; says some failed
    assert "Traceback" not in result.output
    from tidings.store import Store

    with Store(db) as store:
        summary = store.summary()
        assert summary["documents"] == 3
        reasons = {e["reason"] for e in store.errors()}
    assert {"binary", "empty", "malformed_json"} <= reasons
    again = runner.invoke(app, ["ingest", str(story), str(lines), "--db", db, "--quiet"])
    assert again.exit_code == 1  # the malformed line still fails
    clean = runner.invoke(app, ["ingest", str(story), "--db", db, "--quiet"])
    assert clean.exit_code == 0, clean.output  # already stored counts as success
    with Store(db) as store:
        assert store.summary()["documents"] == 3

    listed = runner.invoke(app, ["events", "--db", db, "--format", "jsonl", "--type", "CONSULT"])
    assert listed.exit_code == 0, listed.output
    rows = [json.loads(x) for x in listed.stdout.splitlines() if x.strip()]
    assert rows and all(r["event_type"] == "CONSULT" for r in rows)
    csv_out = runner.invoke(app, ["events", "--db", db, "--format", "csv", "--actor", "RUS"])
    assert csv_out.exit_code == 0
    assert csv_out.stdout.splitlines()[0].startswith("id,")
    summary_out = runner.invoke(app, ["summary", "--db", db])
    assert "documents" in summary_out.stdout


def test_events_rejects_unknown_type(tmp_path):
    result = runner.invoke(app, ["events", "--db", f"sqlite:///{tmp_path / 'x.db'}",
                                 "--type", "PARTY"])
    assert result.exit_code != 0
    assert "PLOVER" in result.output


def test_classify_prints_one_label_per_line(coder, tmp_path):
    tsv = tmp_path / "in.tsv"
    tsv.write_text("s1\tRussian troops attacked the village.\n"
                   "s2\tThe weather was mild in Paris.\n"
                   "s3\tThe two leaders met in Geneva.\n", encoding="utf-8")
    result = runner.invoke(app, ["classify", "--scheme", "plover", str(tsv)])
    assert result.exit_code == 0, result.output
    labels = dict(line.split("\t") for line in result.stdout.splitlines())
    assert labels == {"s1": "ASSAULT", "s2": "NONE", "s3": "CONSULT"}
    cameo = runner.invoke(app, ["classify", "--scheme", "cameo", str(tsv)])
    assert dict(x.split("\t") for x in cameo.stdout.splitlines())["s1"].startswith("1")
    acled = runner.invoke(app, ["classify", "--scheme", "acled", str(tsv)])
    acled_labels = dict(x.split("\t") for x in acled.stdout.splitlines())
    assert acled_labels["s2"] == "NONE" and acled_labels["s3"] == "NONE"
    assert acled_labels["s1"] in ("Armed clash", "Attack")


def test_eval_reports_and_writes(coder, tmp_path):
    from tidings.evaluate import find_gold_dir

    gold = find_gold_dir()
    if gold is None:
        pytest.skip("PLOVER gold records not found (../shared/eval/plover-gsr is absent)")
    docs = tmp_path / "accuracy.md"
    result = runner.invoke(app, ["eval", "plover-gsr", "--json", "--docs", str(docs)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["n"] > 100
    assert 0 <= report["accuracy"] <= 1
    assert "event-type accuracy" in docs.read_text()
