"""Issue 14: one run service codes and stores for every entry point.

The coder is made to fail on chosen documents (those holding a trigger word), and each of
`tidings ingest`, `tidings watch`, `tidings retry-failed`, ``POST /api/documents`` and
`tidings batch` + `tidings load` must store the other documents and record the failure.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tidings.cli import app
from tidings.model import Article, CodedArticle, Rejected
from tidings.runs import Report, code, ingest, partly_coded, store_coded
from tidings.store import Store

runner = CliRunner()

GOOD = [
    {"id": "g1", "text": "Russian forces shelled Kharkiv on Sunday, officials said.",
     "published": "2025-06-02"},
    {"id": "g2", "text": "Israel and Egypt held talks in Cairo on Monday.",
     "published": "2025-06-03"},
    {"id": "g3", "text": "Iran rejected the proposal from the European Union on Tuesday.",
     "published": "2025-06-04"},
]
BAD = {"id": "bad", "text": "BOOM: protesters rallied in Tbilisi against the government.",
       "published": "2025-06-05"}


@pytest.fixture
def failing(model_coder, monkeypatch):
    """The default coder (the one every entry point gets from ``get_coder``), failing on
    any document holding one of the words in the returned set; ``attempts`` counts the
    tries on each such word."""
    real = model_coder.doc_coder
    words: set[str] = {"BOOM"}
    attempts: dict[str, int] = {}

    def doc_coder(doc, article):
        for word in words:
            if word in article.text:
                attempts[word] = attempts.get(word, 0) + 1
                raise RuntimeError(f"parser crashed on {word}")
        return real(doc, article)

    monkeypatch.setattr(model_coder, "doc_coder", doc_coder)
    model_coder.attempts = attempts
    yield words
    del model_coder.attempts


def rss_feed(path: Path, rows: list[dict]) -> Path:
    items = "".join(
        f"<item><title>{r['id']}</title><link>http://127.0.0.1/n/{r['id']}</link>"
        f"<guid>{r['id']}</guid><pubDate>Fri, 06 Jun 2025 10:00:00 GMT</pubDate>"
        f"<description>{r['text']}</description></item>" for r in rows)
    path.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
                    f"{items}</channel></rss>", encoding="utf-8")
    return path


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def stored(db: str) -> tuple[list[str], list[tuple[str | None, str]]]:
    """Stored document ids and open (article id, reason) failures."""
    with Store(db) as store:
        with store.engine.connect() as conn:
            ids = sorted(conn.exec_driver_sql("SELECT id FROM documents").scalars())
        errors = sorted((e["article_id"], e["reason"]) for e in store.errors(open_only=True))
    return ids, errors


# -- the five entry points ------------------------------------------------------------------


def test_cli_ingest_stores_the_rest_and_records_the_failure(failing, tmp_path):
    path = write_jsonl(tmp_path / "in.jsonl", [GOOD[0], BAD, *GOOD[1:]])
    db = f"sqlite:///{tmp_path / 'i.db'}"
    first = runner.invoke(app, ["ingest", str(path), "--db", db, "--quiet", "--batch-size", "2"])
    assert first.exit_code == 1, first.output  # some documents failed: recorded
    assert "could not code" in first.output and "parser crashed on BOOM" in first.output
    assert "stored 3 documents" in first.output and "; 1 errors" in first.output
    assert stored(db) == (["g1", "g2", "g3"], [("bad", "coding_failed")])
    again = runner.invoke(app, ["ingest", str(path), "--db", db, "--quiet"])
    assert again.exit_code == 1 and "3 already stored; 1 errors" in again.output
    assert stored(db) == (["g1", "g2", "g3"], [("bad", "coding_failed")])  # one row still


def test_watch_stores_the_rest_and_does_not_fail_again_next_round(failing, model_coder,
                                                                  tmp_path):
    feed = rss_feed(tmp_path / "feed.xml", [GOOD[0], BAD, GOOD[1]])
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"feeds:\n  - name: Wire\n    url: {feed}\n    fetch_pages: false\n",
                       encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'w.db'}"
    first = runner.invoke(app, ["watch", str(sources), "--db", db, "--once"])
    assert first.exit_code == 0, first.output  # the feed was read: failures are counted
    assert "Wire: 3 entries, 3 new, 2 stored" in first.output, first.output
    assert "coding_failed" in first.output and "1 errors; 0 feed(s) unreadable" in first.output
    ids, errors = stored(db)
    assert len(ids) == 2 and [reason for _, reason in errors] == ["coding_failed"]
    tried = dict(model_coder.attempts)
    assert tried.get("BOOM")
    # the entries were marked as seen: the next round codes nothing, fails on nothing
    second = runner.invoke(app, ["watch", str(sources), "--db", db, "--once"])
    assert second.exit_code == 0, second.output
    assert "Wire: 3 entries, 0 new, 0 stored" in second.output, second.output
    assert model_coder.attempts == tried
    assert stored(db) == (ids, errors)


def test_a_failing_document_does_not_raise_out_of_the_watchers_poll(failing, model_coder,
                                                                    tmp_path):
    from tidings.ingest.sources import Source
    from tidings.ingest.watcher import Watcher

    feed = rss_feed(tmp_path / "feed.xml", [BAD, GOOD[2]])
    with Store(f"sqlite:///{tmp_path / 'p.db'}") as store:
        watcher = Watcher([Source(str(feed), fetch_pages=False)], store, fetcher=_NoFetch(),
                          every=60, coder=lambda: model_coder)
        report = watcher.poll(watcher.sources[0])
        assert (report.failed, report.new, report.stored) == (False, 2, 1)
        assert [r.reason for r in report.errors] == ["coding_failed"]
        tried = dict(model_coder.attempts)
        later = watcher.poll(watcher.sources[0])  # the seen-marker was written
        assert (later.failed, later.new, later.errors) == (False, 0, [])
        assert model_coder.attempts == tried


class _NoFetch:
    """A fetcher for a feed read from a file with fetch_pages off: never asked for a URL."""

    def scoped(self, allow_private):
        return self

    def get(self, *args, **kwargs):  # pragma: no cover - a test failure if reached
        raise AssertionError("no URL should be fetched")


def test_retry_failed_stores_what_now_codes_and_records_what_still_fails(failing, tmp_path):
    late = {"id": "late", "text": "The army deployed troops to the border with Chad on Friday.",
            "published": "2025-06-06"}
    path = write_jsonl(tmp_path / "in.jsonl", [GOOD[0], BAD, late, GOOD[1]])
    db = f"sqlite:///{tmp_path / 'r.db'}"
    failing.add("Chad")  # the first run fails on two documents
    first = runner.invoke(app, ["ingest", str(path), "--db", db, "--quiet"])
    assert first.exit_code == 1, first.output
    assert stored(db) == (["g1", "g2"], [("bad", "coding_failed"), ("late", "coding_failed")])
    failing.discard("Chad")  # ... the retry on one of them
    retry = runner.invoke(app, ["retry-failed", "--db", db])
    assert retry.exit_code == 1, retry.output  # one failure is still open
    assert "resolved 1 failures; stored 1 documents" in retry.output, retry.output
    assert "parser crashed on BOOM" in retry.output
    assert stored(db) == (["g1", "g2", "late"], [("bad", "coding_failed")])
    failing.clear()
    fixed = runner.invoke(app, ["retry-failed", "--db", db])
    assert fixed.exit_code == 0, fixed.output
    assert stored(db) == (["bad", "g1", "g2", "late"], [])


def test_http_endpoint_records_the_failure_and_stores_the_others(failing, tmp_path):
    from tidings.web import create_app

    db = f"sqlite:///{tmp_path / 'h.db'}"
    auth = {"Authorization": "Bearer t0ken"}
    with TestClient(create_app(db, ingest_token="t0ken")) as client:
        first = client.post("/api/documents", json=GOOD[0], headers=auth)
        broken = client.post("/api/documents", json=BAD, headers=auth)
        other = client.post("/api/documents", json={"text": "BOOM, said the other."},
                            headers=auth)
        last = client.post("/api/documents", json={**GOOD[1], "min_confidence": 0},
                           headers=auth)
        again = client.post("/api/documents", json=GOOD[1], headers=auth)
    assert (first.status_code, last.status_code) == (201, 201), (first.text, last.text)
    assert last.json()["saved"] is True and last.json()["events"] >= 1
    assert broken.status_code == 422, broken.text
    [problem] = broken.json()["detail"]
    assert problem["type"] == "coding_failed" and "parser crashed on BOOM" in problem["msg"]
    assert again.status_code == 200 and again.json() == {"id": "g2", "saved": False,
                                                         "events": 0}
    assert other.status_code == 422, other.text
    other_id = Article("BOOM, said the other.").content_hash[:16]
    assert stored(db) == (["g1", "g2"], sorted([("bad", "coding_failed"),
                                                (other_id, "coding_failed")]))
    with Store(db) as store:
        assert {e["origin"] for e in store.errors()} == {
            "api://documents/bad", f"api://documents/{other_id}"}
    retry = runner.invoke(app, ["retry-failed", "--db", db])  # a POST cannot be re-read
    assert "2 not from local files, skipped" in " ".join(retry.output.split()), retry.output


def test_classify_labels_the_rest_and_says_which_text_failed(failing, tmp_path):
    tsv = tmp_path / "in.tsv"
    tsv.write_text("".join(f"{r['id']}\t{r['text']}\n" for r in [GOOD[0], BAD, GOOD[1]]),
                   encoding="utf-8")
    result = runner.invoke(app, ["classify", str(tsv)])
    assert result.exit_code == 1, result.output  # as `code` does when a document failed
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == ["g1", "g2"]
    assert "could not code" in result.output and "parser crashed on BOOM" in result.output


def test_batch_and_load_store_the_rest_and_record_the_failure(failing, model_coder, tmp_path):
    from tidings.batch import plan, run_partition

    path = write_jsonl(tmp_path / "in.jsonl", [GOOD[0], BAD, *GOOD[1:]])
    [part] = plan([path], partition_size=10)
    out = tmp_path / "out"
    counts = run_partition(part, out, coder=model_coder, batch_size=2)
    assert (counts["documents"], counts["errors"]) == (3, 1)
    db = f"sqlite:///{tmp_path / 'l.db'}"
    loaded = runner.invoke(app, ["load", str(out), "--db", db])
    assert loaded.exit_code == 0, loaded.output
    assert "stored 3 documents; 0 already stored; 1 errors recorded" in loaded.output
    assert stored(db) == (["g1", "g2", "g3"], [("bad", "coding_failed")])
    twice = runner.invoke(app, ["load", str(out), "--db", db])
    assert "stored 0 documents; 3 already stored; 0 errors recorded" in twice.output
    assert stored(db) == (["g1", "g2", "g3"], [("bad", "coding_failed")])


# -- the service's own rules, with a stand-in coder (fast) ----------------------------------


class StandInCoder:
    """Codes every text into a document without events; fails (as ``Coder.code_each``
    reports a failure: a ``Rejected`` in its place) on texts holding ``fail_on``."""

    version = "stand-in-1"

    def __init__(self, fail_on: str = "BOOM", notes_on: str = "LONG") -> None:
        self.fail_on, self.notes_on = fail_on, notes_on
        self.coded: list[str] = []

    def code_each(self, articles, *, batch_size=32, n_process=1):
        for a in articles:
            a.ensure_id()
            self.coded.append(a.id)
            if self.fail_on in a.text:
                yield Rejected(a.origin or "", "coding_failed", "RuntimeError: no",
                               article_id=a.id)
                continue
            notes = ["coded in 3 chunks"] if self.notes_on in a.text else []
            yield CodedArticle(a, notes=notes)


def test_the_report_counts_each_document_once(tmp_path):
    coder = StandInCoder()
    items = [Article("one text", id="a", origin="f:1"),
             Rejected("f:2", "malformed_json", "line 2"),
             Article("BOOM text", id="b", origin="f:3"),
             Article("ONE   Text", id="c", origin="f:4"),  # the same text as "a"
             Article("a LONG text", id="d", origin="f:5"),
             Article("another text", id="a", origin="f:6")]  # a's id, another text
    seen = []
    with Store(f"sqlite:///{tmp_path / 's.db'}") as store:
        report = ingest(items, store, coder, batch_size=2,
                        on_progress=lambda done, _: seen.append((done.outcome, done.origin,
                                                                 done.stage)))
        assert (report.stored, report.duplicates, report.failed) == (2, 1, 3)
        assert report.documents == len(items)
        assert [r.reason for r in report.failures] == [
            "malformed_json", "coding_failed", "id_conflict"]
        assert [r.reason for r in report.partly_coded] == ["partly_coded"]
        assert sorted(seen) == sorted([
            ("stored", "f:1", None), ("failed", "f:2", "read"), ("failed", "f:3", "code"),
            ("duplicate", "f:4", None), ("stored", "f:5", None), ("failed", "f:6", "store")])
        assert sorted(e["reason"] for e in store.errors()) == [
            "coding_failed", "id_conflict", "malformed_json", "partly_coded"]
        # run again: what is stored is not coded again, and no failure is recorded twice
        coder.coded.clear()
        again = ingest(items, store, coder, batch_size=2)
        assert (again.stored, again.duplicates, again.failed) == (0, 3, 3)
        assert sorted(coder.coded) == ["a", "b"]  # the failed ones only
        assert len(store.errors()) == 4


def test_nothing_to_code_never_touches_the_coder(tmp_path):
    class Untouchable:
        def __getattr__(self, name):
            raise AssertionError(f"the coder was used ({name})")

    with Store(f"sqlite:///{tmp_path / 'n.db'}") as store:
        report = ingest([Rejected("x", "empty")], store, Untouchable())
        assert (report.failed, report.stored) == (1, 0)
        assert list(code([], Untouchable())) == []


def test_store_coded_counts_notes_apart_from_failures(tmp_path):
    # a batch job's documents come back without their notes: the note is an errors row
    note = partly_coded(CodedArticle(Article("a long text", id="d"), notes=["capped"]))
    rows = [CodedArticle(Article("a long text", id="d", origin="f:1")), note,
            Rejected("f:2", "coding_failed", "boom")]
    with Store(f"sqlite:///{tmp_path / 'c.db'}") as store:
        report = store_coded(rows, store, pipeline_version="v1", report=Report(events=5))
    assert (report.stored, report.events, report.failed, len(report.partly_coded)) == (
        1, 5, 1, 1)


def test_one_content_hash_and_it_matches_what_is_stored(tmp_path):
    with_nul = Article("Troops\x00 shelled  the town.", id="n1")
    assert with_nul.content_hash == Article("troops shelled the town.").content_hash
    with Store(f"sqlite:///{tmp_path / 'h.db'}") as store:
        ingest([with_nul], store, StandInCoder())
        with store.engine.connect() as conn:
            [hashed] = conn.exec_driver_sql("SELECT content_hash FROM documents").scalars()
        assert hashed == with_nul.content_hash
        again = ingest([Article("TROOPS shelled the town.", id="n2")], store, StandInCoder())
        assert again.duplicates == 1
    import tidings.store.rows as rows

    assert not hasattr(rows, "content_hash"), "one content hash: Article.content_hash"


SRC = Path(__file__).resolve().parents[1] / "src" / "tidings"


def test_one_place_codes_and_stores():
    """`grep` finds one place that codes with failure isolation and writes documents:
    tidings.runs, through the store's one writer of documents, ``Store.add_many``."""
    calls = re.compile(r"(\.code_each|\.add_many|\.save_many|store\.save|store\.add)\(")
    found = set()
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC).as_posix()
        for line in path.read_text(encoding="utf-8").splitlines():
            if (m := calls.search(line)) and not line.lstrip().startswith(("def ", "#")):
                found.add((rel, m.group(1)))
    callers = {(p, call) for p, call in found if p != "store/store.py"}
    assert callers == {("runs.py", ".code_each"), ("runs.py", ".add_many")}, callers
    # and the store has no other way in: no single-document or loop-of-batches writers
    assert [m for m in ("save", "add", "save_many") if hasattr(Store, m)] == []


# -- one confidence cut, whichever way an article comes in ----------------------------------

NEWS = [
    {"id": "n1", "text": "Russian forces shelled Kharkiv on Sunday, and Ukrainian officials "
                         "condemned the attack.", "published": "2025-06-06"},
    {"id": "n2", "text": "Israel and Egypt held talks in Cairo on Monday. Egypt urged Israel "
                         "to allow aid into Gaza.", "published": "2025-06-06"},
    {"id": "n3", "text": "Police arrested dozens of protesters in Tbilisi after they rallied "
                         "against the government.", "published": "2025-06-06"},
]
TEXT_OF = {r["id"]: r["text"] for r in NEWS}


@pytest.fixture
def graded(model_coder, monkeypatch):
    """The default coder, its events given known confidences around the default cut: the
    first event of a document (and every other one after it) below, the rest above."""
    from tidings.confidence import DEFAULT_MIN_CONFIDENCE as cut

    assert 0 < cut < 1, "the documented default favours precision: it cuts something"
    low, high = round(cut / 2, 3), round((1 + cut) / 2, 3)
    real = model_coder.doc_coder

    def doc_coder(doc, article):
        coded = real(doc, article)
        for i, event in enumerate(coded.events):
            event.confidence = low if i % 2 == 0 else high
        return coded

    monkeypatch.setattr(model_coder, "doc_coder", doc_coder)
    return cut


def events_in(db: str) -> list[tuple[str, str, str, float]]:
    """(document text, type, trigger, confidence) of every stored event."""
    with Store(db) as store, store.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT d.text, e.event_type, e.trigger, e.confidence FROM events e "
            "JOIN documents d ON d.id = e.document_id").all()
    return sorted((text, t, trigger, round(c, 3)) for text, t, trigger, c in rows)


def events_printed(output: str) -> list[tuple[str, str, str, float]]:
    """The same, from `tidings code --format jsonl`."""
    return sorted((TEXT_OF[doc["id"]], e["event_type"], e["trigger"], e["confidence"])
                  for doc in map(json.loads, output.splitlines()) for e in doc["events"])


def test_every_entry_point_keeps_the_same_events(graded, failing, model_coder, tmp_path):
    """`code`, `classify`, `ingest`, `watch`, `retry-failed`, POST /api/documents and batch +
    load give the same events for the same articles: the one default cut, in tidings.runs."""
    from tidings.batch import plan, run_partition
    from tidings.web import create_app

    path = write_jsonl(tmp_path / "in.jsonl", NEWS)
    got: dict[str, list] = {}

    printed = runner.invoke(app, ["code", str(path)])
    assert printed.exit_code == 0, printed.output
    got["code"] = events_printed(printed.stdout)
    # classify labels the main event among those same events (NONE when it was cut)
    tsv = tmp_path / "in.tsv"
    tsv.write_text("".join(f"{r['id']}\t{r['text']}\n" for r in NEWS), encoding="utf-8")
    labels = runner.invoke(app, ["classify", str(tsv)])
    assert labels.exit_code == 0, labels.output
    main = {doc["id"]: next((e["event_type"] for e in doc["events"] if e.get("main")), "NONE")
            for doc in map(json.loads, printed.stdout.splitlines())}
    assert dict(line.split("\t") for line in labels.stdout.splitlines()) == main

    db = f"sqlite:///{tmp_path / 'ingest.db'}"
    assert runner.invoke(app, ["ingest", str(path), "--db", db, "--quiet"]).exit_code == 0
    got["ingest"] = events_in(db)

    feed = rss_feed(tmp_path / "feed.xml", NEWS)
    (tmp_path / "sources.yaml").write_text(
        f"feeds:\n  - name: Wire\n    url: {feed}\n    fetch_pages: false\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'watch.db'}"
    watched = runner.invoke(app, ["watch", str(tmp_path / "sources.yaml"), "--db", db, "--once"])
    assert watched.exit_code == 0, watched.output
    got["watch"] = events_in(db)

    db = f"sqlite:///{tmp_path / 'retry.db'}"
    failing.add(" ")  # every document fails the first time ...
    assert runner.invoke(app, ["ingest", str(path), "--db", db, "--quiet"]).exit_code == 1
    assert events_in(db) == []
    failing.clear()  # ... and is stored by the retry
    retried = runner.invoke(app, ["retry-failed", "--db", db])
    assert retried.exit_code == 0, retried.output
    got["retry-failed"] = events_in(db)

    db = f"sqlite:///{tmp_path / 'api.db'}"
    with TestClient(create_app(db, ingest_token="t0ken")) as client:
        for doc in NEWS:
            posted = client.post("/api/documents", json=doc,
                                 headers={"Authorization": "Bearer t0ken"})
            assert posted.status_code == 201, posted.text
    got["POST /api/documents"] = events_in(db)

    [part] = plan([path], partition_size=10)
    run_partition(part, tmp_path / "out", coder=model_coder)
    db = f"sqlite:///{tmp_path / 'load.db'}"
    assert runner.invoke(app, ["load", str(tmp_path / "out"), "--db", db]).exit_code == 0
    got["batch + load"] = events_in(db)

    kept = got["ingest"]
    assert kept and all(c >= graded for *_, c in kept)
    assert {way: events for way, events in got.items() if events != kept} == {}

    # the cut is an option, and 0 keeps everything: the default really dropped events
    db = f"sqlite:///{tmp_path / 'all.db'}"
    everything = runner.invoke(app, ["ingest", str(path), "--db", db, "--quiet",
                                     "--min-confidence", "0"])
    assert everything.exit_code == 0, everything.output
    assert set(kept) < set(events_in(db))


COMMANDS_THAT_CODE = ("code", "classify", "ingest", "watch", "retry-failed", "batch")


def test_every_command_that_codes_has_the_same_cut_and_default():
    import typer

    from tidings.confidence import DEFAULT_MIN_CONFIDENCE
    from tidings.web.schemas import DocumentIn

    group = typer.main.get_command(app)
    defaults = {}
    for name in COMMANDS_THAT_CODE:
        [option] = [p for p in group.commands[name].params if p.name == "min_confidence"]
        defaults[name] = (tuple(option.opts), option.default)
    assert set(defaults.values()) == {(("--min-confidence",), DEFAULT_MIN_CONFIDENCE)}, defaults
    assert DocumentIn.model_fields["min_confidence"].default == DEFAULT_MIN_CONFIDENCE
    # and what codes without the option: the service's own default is the same cut
    coder = StandInCoder()
    assert list(code([], coder, min_confidence=None)) == []
    with pytest.raises(ValueError):
        list(code([Article("x")], coder, min_confidence=1.5))
