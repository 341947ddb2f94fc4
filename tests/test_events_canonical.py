"""`tidings events`: canonical events (one row per real-world event) by default, every
mention with --mentions; canonical events are brought up to date before answering."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from tidings.cli import app
from tidings.store import Store
from tidings.store.canonical_queries import FLAT_FIELDS

pytestmark = pytest.mark.slow
runner = CliRunner()

# Two outlets report the same shelling of Kharkiv in different words; a third reports talks.
ARTICLES = [
    {"id": "wire-1", "title": "Kharkiv shelled", "source": "Wire", "published": "2025-06-02",
     "text": "Russian forces shelled the Ukrainian city of Kharkiv on Sunday, local officials "
             "said."},
    {"id": "ledger-1", "title": "Strikes on Kharkiv", "source": "Ledger",
     "published": "2025-06-02",
     "text": "Kharkiv came under heavy fire on Sunday as Russian troops bombarded the city in "
             "eastern Ukraine."},
    {"id": "courier-1", "title": "Cairo talks", "source": "Courier", "published": "2025-06-03",
     "text": "Israeli and Egyptian officials held talks in Cairo on Tuesday."},
]


def _write(path, articles) -> str:
    path.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    return str(path)


def run(*args: str):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


def jsonl(result) -> list[dict]:
    return [json.loads(x) for x in result.stdout.splitlines() if x.strip()]


@pytest.fixture(scope="module")
def db(tmp_path_factory, coder) -> str:
    folder = tmp_path_factory.mktemp("events")
    url = f"sqlite:///{folder / 'e.db'}"
    # every event stored, whatever the model's default confidence cut keeps
    run("ingest", _write(folder / "a.jsonl", ARTICLES), "--db", url, "--quiet",
        "--min-confidence", "0")
    return url


def test_default_is_one_row_per_real_world_event(db):
    rows = jsonl(run("events", "--db", db, "--format", "jsonl"))
    assert len(rows) == 2
    by_type = {r["event_type"]: r for r in rows}
    assault, talks = by_type["ASSAULT"], by_type["CONSULT"]
    assert (assault["num_articles"], talks["num_articles"]) == (2, 1)
    assert (assault["num_sources"], assault["num_mentions"]) == (2, 2)
    assert assault["sources"] == ["Ledger", "Wire"]
    assert assault["source"]["country"] == "RUS" and assault["target"]["country"] == "UKR"
    assert assault["first_seen"] == "2025-06-02"
    assert assault["evidence"]["document_id"] in {"wire-1", "ledger-1"}
    assert "Kharkiv" in assault["evidence"]["sentence"]
    assert talks["evidence"]["sentence"].startswith("Israeli and Egyptian officials")
    assert all(r["id"].startswith("ce-") for r in rows)


def test_mentions_gives_the_per_article_rows_as_before(db):
    rows = jsonl(run("events", "--db", db, "--mentions", "--format", "jsonl"))
    assert sorted(r["document_id"] for r in rows) == ["courier-1", "ledger-1", "wire-1"]
    with Store(db) as store:
        assert rows == json.loads(json.dumps(store.events()))  # exactly Store.events()
    csv_rows = list(csv.DictReader(io.StringIO(
        run("events", "--db", db, "--mentions", "--format", "csv").stdout)))
    assert [r["id"] for r in csv_rows] == [r["id"] for r in rows]
    assert "sentence" in csv_rows[0] and "num_articles" not in csv_rows[0]
    table = run("events", "--db", db, "--mentions").stdout
    assert "3 events" in table and "bombarded" in table


def test_csv_and_table_formats(db):
    rows = list(csv.DictReader(io.StringIO(run("events", "--db", db, "--format", "csv").stdout)))
    assert tuple(rows[0]) == FLAT_FIELDS
    assert sorted(r["num_articles"] for r in rows) == ["1", "2"]
    assault = next(r for r in rows if r["event_type"] == "ASSAULT")
    assert assault["sources"] == "Ledger;Wire" and assault["num_mentions"] == "2"
    assert "Kharkiv" in assault["evidence_sentence"]
    table = run("events", "--db", db).stdout
    assert "2 real-world events" in table
    for r in rows:  # ids are printed whole, so they can be looked up in the API
        assert r["id"] in table
    assert "Israeli and Egyptian officials held talks" in table


@pytest.mark.parametrize(("args", "types"), [
    (["--type", "consult"], ["CONSULT"]),
    (["--actor", "ukr"], ["ASSAULT"]),
    (["--actor", "EGY", "--type", "ASSAULT"], []),
    (["--since", "2025-06-02"], ["CONSULT"]),
    (["--until", "2025-06-02"], ["ASSAULT"]),
    (["--near", "Cairo", "--radius-km", "30"], ["CONSULT"]),
    (["--near", "49.99,36.23"], ["ASSAULT"]),
    (["--limit", "1"], ["ASSAULT"]),  # date order: the shelling came first
])
def test_filters_apply_to_canonical_events(db, args, types):
    rows = jsonl(run("events", "--db", db, "--format", "jsonl", *args))
    assert [r["event_type"] for r in rows] == types


def test_bad_options_are_refused(db):
    for args in (["--type", "BOMB"], ["--since", "June"], ["--format", "xml"]):
        result = runner.invoke(app, ["events", "--db", db, *args])
        assert result.exit_code != 0, args


def test_new_documents_are_clustered_before_answering(tmp_path, coder):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    run("ingest", _write(tmp_path / "one.jsonl", [ARTICLES[0], ARTICLES[2]]), "--db", url,
        "--quiet", "--min-confidence", "0")
    first = run("events", "--db", url, "--format", "jsonl")
    assert "clustering 2 document(s)" in first.stderr
    assert sorted(r["num_articles"] for r in jsonl(first)) == [1, 1]
    again = run("events", "--db", url, "--format", "jsonl")
    assert "clustering" not in again.stderr  # nothing new: no work

    run("ingest", _write(tmp_path / "two.jsonl", [ARTICLES[1]]), "--db", url, "--quiet",
        "--min-confidence", "0")
    stale = run("events", "--db", url, "--format", "jsonl", "--no-update")
    assert "1 document(s) are not clustered yet" in stale.stderr
    assert sorted(r["num_articles"] for r in jsonl(stale)) == [1, 1]
    fresh = run("events", "--db", url, "--format", "jsonl")
    assert "clustering 1 document(s)" in fresh.stderr
    assert sorted(r["num_articles"] for r in jsonl(fresh)) == [1, 2]
    # `tidings cluster` (what `make demo` runs) still works and finds nothing left to do
    summary = run("cluster", "--db", url).stdout
    assert "0 document(s) processed" in summary and "2 canonical events" in summary
