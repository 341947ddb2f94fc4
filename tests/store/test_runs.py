"""The run commands end to end: ingest bookkeeping, status, retry-failed, quotes, --near."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from tidings.cli import app
from tidings.store import Store
from tidings.store import schema as db

runner = CliRunner()

GOOD = [
    {"id": "g1", "text": "Russian forces shelled Kharkiv on Sunday.", "published": "2025-06-02"},
    {"id": "g2", "text": "Israel and Egypt held talks in Cairo on Monday.",
     "published": "2025-06-03"},
]
FIXED = {"id": "f1", "text": "Protesters rallied in Tbilisi against the government.",
         "published": "2025-06-04"}


def write_jsonl(path: Path, records: list) -> None:
    path.write_text("".join(r if isinstance(r, str) else json.dumps(r) + "\n" for r in records),
                    encoding="utf-8")


def ingest(*args: str, failures: bool = False):
    """Run `tidings ingest`; it exits 1 when some documents failed (and were recorded)."""
    result = runner.invoke(app, ["ingest", *args, "--quiet"])
    assert result.exit_code == (1 if failures else 0), result.output
    return result


def test_retry_failed_resolves_what_now_reads(coder, store_url: str, tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    write_jsonl(feed, [GOOD[0], "{not json\n", GOOD[1]])
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"\x00\x01binary\x00" * 30)
    hopeless = tmp_path / "hopeless.txt"
    hopeless.write_bytes(b"junk\x00\x02" * 30)
    ingest(str(feed), str(broken), str(hopeless), "--db", store_url, failures=True)
    ingest(str(feed), str(broken), str(hopeless), "--db", store_url,
           failures=True)  # nothing doubles
    with Store(store_url) as store:
        assert store.summary()["documents"] == 2
        assert sorted((e["origin"], e["reason"]) for e in store.errors()) == [
            (str(broken), "binary"), (f"{feed}:2", "malformed_json"), (str(hopeless), "binary")]

    status = runner.invoke(app, ["status", "--db", store_url, "--json"])
    assert status.exit_code == 0, status.output
    s = json.loads(status.stdout)
    assert (s["documents"], s["open_errors"], s["resolved_errors"]) == (
        2, {"binary": 2, "malformed_json": 1}, 0)
    assert "malformed_json" in runner.invoke(app, ["status", "--db", store_url]).stdout

    # the user fixes the bad line and the first file; the third stays broken
    write_jsonl(feed, [GOOD[0], FIXED, GOOD[1]])
    broken.write_text("Iran rejected the proposal on Tuesday.", encoding="utf-8")
    result = runner.invoke(app, ["retry-failed", "--db", store_url])
    assert result.exit_code == 1, result.output  # one failure is left
    assert "resolved 2 failures" in result.output and "stored 2 documents" in result.output
    with Store(store_url) as store:
        assert store.summary()["documents"] == 4
        errors = {e["origin"]: e for e in store.errors()}
        assert len(errors) == 3  # resolved rows are kept, not deleted
        assert errors[f"{feed}:2"]["resolved_at"] and errors[str(broken)]["resolved_at"]
        assert errors[str(hopeless)]["resolved_at"] is None
        with store.engine.connect() as conn:
            texts = set(conn.scalars(select(db.documents.c.text)))
    assert {"Iran rejected the proposal on Tuesday.", FIXED["text"]} < texts

    hopeless.unlink()  # gone for good: still open, now as not found
    again = runner.invoke(app, ["retry-failed", "--db", store_url])
    assert again.exit_code == 1 and "not_found" in again.output
    hopeless.write_text("Chinese and Russian envoys met in Beijing.", encoding="utf-8")
    last = runner.invoke(app, ["retry-failed", "--db", store_url])
    assert last.exit_code == 0, last.output
    with Store(store_url) as store:
        assert store.status()["open_errors"] == {} and store.summary()["documents"] == 5


def test_ingest_summary_counts(coder, store_url: str, tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    write_jsonl(feed, [*GOOD, {"id": "dup", "text": GOOD[0]["text"]}, {"id": "no-text"}])
    first = ingest(str(feed), "--db", store_url, failures=True)
    assert "stored 2 documents" in first.output and "1 already stored; 1 errors" in first.output
    second = ingest(str(feed), "--db", store_url, failures=True)  # no-text still fails
    assert "stored 0 documents (0 events); 3 already stored" in second.output


def test_quotes_and_near_commands(coder, store_url: str, tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text(
        "KYIV, June 2 (Wire) - Russian forces shelled Kyiv on Sunday. \"We will not give in,\" "
        "Zelensky said. Ukraine condemned the attack.", encoding="utf-8")
    far = tmp_path / "far.txt"
    far.write_text("Police arrested twelve protesters in Tbilisi on Friday.", encoding="utf-8")
    # every event, whatever its confidence: this test is about --near, not the cut
    ingest(str(story), str(far), "--db", store_url, "--published", "2025-06-02",
           "--min-confidence", "0")

    quotes = runner.invoke(app, ["quotes", "--speaker", "zelensky", "--db", store_url,
                                 "--format", "jsonl"])
    assert quotes.exit_code == 0, quotes.output
    [q] = [json.loads(line) for line in quotes.stdout.splitlines()]
    assert (q["text"], q["speaker"]) == ("We will not give in", "Zelensky")
    assert q["speaker_actor"]["name"] == "Volodymyr Zelensky"
    by_name = runner.invoke(app, ["quotes", "--speaker", "Volodymyr", "--db", store_url])
    assert "We will not give in" in by_name.stdout
    table = runner.invoke(app, ["quotes", "--speaker", "nobody", "--db", store_url])
    assert "0 quotes" in table.stdout

    near = runner.invoke(app, ["events", "--mentions", "--near", "Kyiv", "--radius-km", "100",
                               "--db", store_url, "--format", "jsonl"])
    assert near.exit_code == 0, near.output
    rows = [json.loads(line) for line in near.stdout.splitlines()]
    assert len(rows) == 3 and all(r["distance_km"] <= 100 for r in rows)
    assert all(r["location"]["country"] == "UKR" for r in rows)
    tbilisi = runner.invoke(app, ["events", "--near", "41.69,44.80", "--radius-km", "30",
                                  "--db", store_url, "--format", "jsonl"])
    assert {json.loads(x)["location"]["name"] for x in tbilisi.stdout.splitlines()} == {"Tbilisi"}
    bad = runner.invoke(app, ["events", "--near", "Atlantis Xyzzy", "--db", store_url])
    assert bad.exit_code != 0 and "gazetteer" in bad.output
