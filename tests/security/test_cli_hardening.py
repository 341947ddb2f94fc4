"""Issue 15 (hardening), command-line side: every user mistake is one clear line and a
documented exit status (0 all stored, 1 some documents failed, 2 usage error), never a
traceback (those need ``tidings --debug``); nothing is lost or created silently."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tidings.cli import app
from tidings.store import Store

runner = CliRunner()
STORY = "Russian forces shelled the city of Kharkiv on Sunday, regional officials said."
OTHER = "Israel and Egypt held talks in Cairo on Thursday and agreed to meet again."


def run(*args: str, code: int):
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output, result.output
    assert result.exit_code == code, result.output
    return result


def jsonl(path: Path, *records: dict) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


# -- defect 2: batch sizes ------------------------------------------------------------------


@pytest.mark.parametrize("size", ["0", "-1"])
def test_ingest_refuses_batch_size_below_one(tmp_path, size):
    docs = jsonl(tmp_path / "d.jsonl", {"id": "a", "text": STORY})
    db = tmp_path / "t.db"
    result = run("ingest", str(docs), "--db", f"sqlite:///{db}", "--batch-size", size, code=2)
    assert "--batch-size" in result.output
    assert not db.exists()  # refused before anything was opened


@pytest.mark.parametrize("option", [["--batch-size", "0"], ["--partition-size", "0"],
                                    ["--workers", "0"]])
def test_batch_refuses_sizes_below_one(tmp_path, option):
    docs = jsonl(tmp_path / "d.jsonl", {"id": "a", "text": STORY})
    out = tmp_path / "out"
    result = run("batch", str(docs), "--out", str(out), *option, code=2)
    assert option[0] in result.output
    assert not out.exists()  # no partition marked done


def test_a_partition_is_never_coded_with_batch_size_zero(coder):
    from tidings.batch.partition import code_partition
    from tidings.model import Article

    with pytest.raises(ValueError, match="batch_size"):
        code_partition([Article(text=STORY, id="a")], coder, batch_size=0)


@pytest.mark.parametrize("args", [["events", "--limit", "-5"], ["quotes", "--limit", "-1"],
                                  ["status", "--show", "-1"], ["serve", "--port", "70000"]])
def test_negative_or_out_of_range_numbers_are_usage_errors(tmp_path, args):
    db = f"sqlite:///{tmp_path / 'none.db'}"
    run(*args, "--db", db, code=2)


def test_cli_refuses_absurd_process_counts(tmp_path):
    db = tmp_path / "t.db"
    result = run("ingest", str(tmp_path), "--db", f"sqlite:///{db}", "--jobs", "100000",
                 code=2)
    assert "--jobs" in result.output
    assert not db.exists()


# -- defect 3: retry-failed on coding failures ------------------------------------------------


def test_retry_failed_survives_documents_the_coder_still_fails_on(fragile_coder, tmp_path,
                                                                  monkeypatch):
    docs = jsonl(tmp_path / "d.jsonl", {"id": "ok", "text": STORY},
                 {"id": "boom", "text": "BOOM " + OTHER})
    db = f"sqlite:///{tmp_path / 't.db'}"
    first = run("ingest", str(docs), "--db", db, "--quiet", code=1)
    assert "parser crashed" in first.output
    still = run("retry-failed", "--db", db, code=1)  # still broken: said, kept open
    assert "1 still failing" in still.output and "parser crashed" in still.output
    with Store(db) as store:
        assert [e["reason"] for e in store.errors(open_only=True)] == ["coding_failed"]
    monkeypatch.undo()  # the coder works again
    fixed = run("retry-failed", "--db", db, code=0)
    assert "resolved 1 failures" in fixed.output
    with Store(db) as store:
        assert store.errors(open_only=True) == []
        assert store.summary()["documents"] == 2


# -- defect 7b/7c: ids and databases ---------------------------------------------------------


def test_same_id_with_another_text_is_one_clear_recorded_reason(coder, tmp_path):
    db = f"sqlite:///{tmp_path / 't.db'}"
    run("ingest", str(jsonl(tmp_path / "a.jsonl", {"id": "x1", "text": STORY})), "--db", db,
        "--quiet", code=0)
    clash = run("ingest", str(jsonl(tmp_path / "b.jsonl", {"id": "x1", "text": OTHER})),
                "--db", db, "--quiet", code=1)
    assert "id_conflict" in clash.output and "'x1'" in clash.output
    with Store(db) as store:
        (error,) = store.errors(open_only=True)
    assert error["reason"] == "id_conflict"
    assert "INSERT" not in error["detail"] and OTHER not in error["detail"]


@pytest.mark.parametrize("url", ["{tmp}/plain.db", "postgresql://tidings:secret@127.0.0.1:1/x"])
def test_a_database_that_cannot_be_opened_is_one_line(tmp_path, url):
    result = run("summary", "--db", url.format(tmp=tmp_path), code=2)
    lines = [x for x in result.output.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), result.output
    assert "secret" not in result.output


def test_read_commands_do_not_create_a_database(tmp_path):
    typo = tmp_path / "typo.db"
    for command in (["summary"], ["events"], ["quotes"], ["status"], ["cluster"]):
        result = run(*command, "--db", f"sqlite:///{typo}", code=2)
        assert "no such database" in result.output
    assert not typo.exists()


def test_unknown_place_is_a_usage_error_and_a_known_one_is_named(tmp_path, coder):
    db = f"sqlite:///{tmp_path / 't.db'}"
    run("ingest", str(jsonl(tmp_path / "a.jsonl", {"id": "x1", "text": STORY})), "--db", db,
        "--quiet", code=0)
    unknown = run("events", "--db", db, "--mentions", "--near", "Xqzzyville", code=2)
    assert "not in the gazetteer" in unknown.output
    known = run("events", "--db", db, "--mentions", "--near", "Kharkiv", code=0)
    assert "near Kharkiv, UKR" in known.output


# -- defect 8: ingest exit status, CSV rows --------------------------------------------------


def test_ingest_exits_1_after_recording_errors(coder, tmp_path):
    docs = jsonl(tmp_path / "a.jsonl", {"id": "x1", "text": STORY})
    with docs.open("a", encoding="utf-8") as f:
        f.write("{broken json\n")
    db = f"sqlite:///{tmp_path / 't.db'}"
    result = run("ingest", str(docs), "--db", db, "--quiet", code=1)
    assert "stored 1 documents" in result.output and "1 errors" in result.output


def test_unclosed_csv_quote_loses_one_row_not_the_next(coder, tmp_path):
    path = tmp_path / "d.csv"
    path.write_text(
        "id,text,published\n"
        f'a,"{STORY},2025-01-01\n'
        f'b,"{OTHER}",2025-01-02\n'
        'c,"Two lines,\nproperly quoted.",2025-01-03\n', encoding="utf-8")
    db = f"sqlite:///{tmp_path / 't.db'}"
    result = run("ingest", str(path), "--db", db, "--quiet", code=1)
    assert f"{path}:2" in result.output
    with Store(db) as store:
        assert store.summary()["documents"] == 2
        (error,) = store.errors()
    assert (error["origin"], error["reason"]) == (f"{path}:2", "malformed_csv")
    from tidings.ingest import iter_articles

    b = next(a for a in iter_articles([path]) if getattr(a, "id", None) == "b")
    assert b.text == OTHER and b.published == "2025-01-02"


# -- defect 6: formula injection in CSV --------------------------------------------------------


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_cli_csv_exports_neutralise_formulas(coder, tmp_path):
    text = "=1+1 Russian forces shelled the city of Kharkiv on Sunday, killing two civilians."
    db = f"sqlite:///{tmp_path / 't.db'}"
    # every event kept (--min-confidence 0): the test is about the cells, not the model
    run("ingest", str(jsonl(tmp_path / "a.jsonl", {"id": "f1", "text": text,
                                                    "published": "2025-06-01"})), "--db", db,
        "--quiet", "--min-confidence", "0", code=0)
    import csv
    import io

    for extra in (["--mentions"], []):
        out = run("events", "--db", db, "--format", "csv", *extra, code=0).stdout
        rows = list(csv.DictReader(io.StringIO(out)))
        assert rows, out
        cells = [v for r in rows for v in r.values() if v]
        # numbers stay numbers (a negative Goldstein score); any other text a spreadsheet
        # would read as a formula must carry the leading quote
        assert not [c for c in cells if c[0] in "=+-@\t\r" and not _is_number(c)], cells
        sentence = rows[0].get("sentence") or rows[0].get("evidence_sentence")
        assert sentence.startswith("'=1+1")


# -- the real entry point: logging and tracebacks --------------------------------------------


def test_entry_point_prints_one_line_and_debug_adds_the_traceback(tmp_path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    cmd = [sys.executable, "-m", "tidings.cli", "summary", "--db", str(tmp_path / "x.db")]
    quiet = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert quiet.returncode == 2
    assert "Traceback" not in quiet.stderr + quiet.stdout
    assert "not a database URL" in quiet.stderr
    loud = subprocess.run(cmd[:3] + ["--debug"] + cmd[3:], capture_output=True, text=True,
                          env=env, timeout=120)
    assert loud.returncode == 2 and "Traceback" in loud.stderr
