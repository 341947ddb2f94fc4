"""Store: round trips, content-hash dedup, batching, filters, summary, errors, rollback.

Every test taking ``store`` runs on SQLite and on PostgreSQL (see conftest.py).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

import tidings.store.rows as rows_mod
from tidings.model import Actor, Article, CodedArticle, Entity, Event, Rejected, Timex
from tidings.runs import store_coded
from tidings.store import Store
from tidings.store import schema as db
from tidings.store.queries import EventFilter


def coded(
    doc_id: str,
    text: str,
    events: list[Event] | tuple[Event, ...] = (),
    published: str | None = "2025-06-02",
) -> CodedArticle:
    art = Article(
        text=text,
        id=doc_id,
        title=f"Title {doc_id}",
        published=published,
        source="Wire",
        url=f"https://example.org/{doc_id}",
        origin=f"{doc_id}.txt",
    )
    ents = [Entity("Russia", "GPE", (0, 6), country="RUS", name="Russia")]
    return CodedArticle(article=art, events=list(events), entities=ents)


def ev(eid: str, etype: str, src: str | None, tgt: str | None, date: str | None = None) -> Event:
    return Event(
        id=eid,
        event_type=etype,
        cameo="190",
        source=Actor(text=f"{src} forces", country=src, sector="MIL") if src else None,
        target=Actor(text=f"{tgt} city", country=tgt) if tgt else None,
        date=date,
    )


def count(store: Store, table) -> int:
    with store.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(table))


def test_round_trip_of_nested_actors(store: Store) -> None:
    e = Event(
        id="d1-e1",
        event_type="ASSAULT",
        cameo="190",
        mode="air",
        context="military",
        quad_class=4,
        goldstein=-10.0,
        source=Actor("Russian forces", name="Russia", country="RUS", sector="MIL", span=(0, 14)),
        target=Actor("Kharkiv", name="Kharkiv", country="UKR"),
        modality="asserted",
        reporter=Actor("officials", sector="GOV"),
        sentence="Russian forces shelled Kharkiv on Monday.",
        span=(0, 41),
        trigger="shelled",
        trigger_span=(15, 22),
        confidence=0.87654,
        date="2025-06-01",
        extra={"typed_by": "model", "modality_cue": "shelled"},
    )
    c = coded("d1", "Russian forces shelled Kharkiv on Monday.", [e])
    assert store_coded([c], store, pipeline_version="0.1.0").stored == 1

    [got] = store.events()
    # Event.to_dict() puts the notes of extra beside its own keys; the stored JSON keeps
    # them apart, under extra
    expected = {k: v for k, v in e.to_dict().items() if k not in e.extra}
    expected.update(document_id="d1", document_title="Title d1",
                    location=None, extra=e.extra, acled_event_type=None,
                    acled_sub_event_type=None, killed=None, injured=None)
    assert got == expected
    assert got["source"] == {"text": "Russian forces", "name": "Russia", "country": "RUS",
                             "sector": "MIL", "span": [0, 14]}  # fmt: skip
    assert "span" not in got["target"]
    assert got["reporter"] == {"text": "officials", "name": None, "country": None, "sector": "GOV"}
    with store.engine.connect() as conn:
        doc = conn.execute(select(db.documents)).mappings().one()
        ent = conn.execute(select(db.entities)).mappings().one()
    assert (doc["id"], doc["n_events"], doc["pipeline_version"]) == ("d1", 1, "0.1.0")
    assert doc["content_hash"] == c.article.content_hash and doc["coded_at"] is not None
    assert (ent["document_id"], ent["text"], ent["country"]) == ("d1", "Russia", "RUS")


def test_times_round_trip(store: Store) -> None:
    from tidings.store import queries

    text = "Talks began on Monday and lasted two days; the 65-year-old envoy left."
    c = coded("d1", text)
    c.times = [Timex("Monday", (15, 21), "DATE", "2025-06-02", anchor="2025-06-02"),
               Timex("two days", (33, 41), "DURATION", "P2D", mod="APPROX"),
               Timex("65-year-old", (47, 58), "DURATION", "P65Y", age=True),
               Timex("May 24", (0, 6), "DATE", "2025-05-24", range_end="2025-05-26")]
    store_coded([c], store)
    with store.engine.connect() as conn:
        got = queries.get_document(conn, "d1")
    assert got["times"] == sorted((t.to_dict() for t in c.times), key=lambda t: t["span"])
    assert count(store, db.times) == 4


def test_event_date_falls_back_to_published_and_missing_actor_is_none(store: Store) -> None:
    store_coded([coded("d1", "text one", [ev("e1", "PROTEST", None, None)],
                       published="2025-03-04")], store)
    [got] = store.events()
    assert got["date"] == "2025-03-04"
    assert got["source"] is None and got["target"] is None and got["reporter"] is None
    with store.engine.connect() as conn:
        assert conn.scalar(select(db.events.c.extra)) is None  # nothing extra to keep


def test_article_without_id_gets_one_from_its_hash(store: Store) -> None:
    c = CodedArticle(Article(text="Some story about talks."))
    assert store_coded([c], store).stored == 1
    assert c.article.id == c.article.content_hash[:16]
    assert store.has_hash(c.article.content_hash)


def test_dedup_by_content_hash_even_with_another_id(store: Store) -> None:
    first = coded("a", "Russia and Ukraine hold talks.", [ev("a-1", "CONSULT", "RUS", "UKR")])
    again = coded("b", "  russia AND ukraine\nhold talks. ", [ev("b-1", "CONSULT", "RUS", "UKR")])
    assert store_coded([first], store).stored == 1
    assert store_coded([again], store).duplicates == 1
    assert count(store, db.documents) == 1
    assert count(store, db.events) == 1
    assert count(store, db.entities) == 1
    assert store.known_hashes([first.article.content_hash, "nope"]) == {first.article.content_hash}
    assert not store.has_hash("nope")


def test_storing_counts_and_skips_duplicates(store: Store) -> None:
    store_coded([coded("old", "already stored")], store)
    items = [coded(f"n{i}", f"story number {i}", [ev(f"n{i}-e", "AID", "USA", "UKR")])
             for i in range(7)]  # fmt: skip
    items.insert(3, coded("dup-old", "Already   STORED"))
    items.append(coded("dup-in-batch", "story number 2"))  # duplicate inside the same run
    report = store_coded(iter(items), store, batch_size=3)
    assert (report.stored, report.duplicates, report.failed) == (7, 2, 0)
    assert count(store, db.documents) == 8
    assert count(store, db.events) == 7
    again = store_coded(items, store, batch_size=50)  # re-ingesting adds nothing
    assert (again.stored, again.duplicates, again.failed) == (0, 9, 0)


@pytest.fixture
def bad_rows_fail(monkeypatch) -> None:
    """Writing the entities of the document with id "bad" raises, mid-document."""
    real = rows_mod.entity_row

    def flaky(en, doc_id):
        if doc_id == "bad":
            raise RuntimeError("disk on fire")
        return real(en, doc_id)

    monkeypatch.setattr(rows_mod, "entity_row", flaky)


def test_add_many_gives_one_outcome_per_document_in_order(store: Store,
                                                          bad_rows_fail) -> None:
    store_coded([coded("old", "already stored")], store)
    batch = [coded("a", "story a", [ev("a-e", "AID", "USA", "UKR")]),
             coded("old-again", "already stored"),
             coded("bad", "broken story", [ev("bad-e", "AID", "USA", "UKR")]),
             coded("b", "story b"),
             coded("a-again", "story a")]  # fmt: skip
    assert store.add_many(batch) == ["saved", "duplicate", "failed", "saved", "duplicate"]
    assert store.add_many([]) == []
    with store.engine.connect() as conn:
        assert set(conn.scalars(select(db.documents.c.id))) == {"old", "a", "b"}
    assert [e["article_id"] for e in store.errors()] == ["bad"]


def test_failure_mid_document_rolls_back_only_that_document(store: Store,
                                                             bad_rows_fail) -> None:
    items = [
        coded("ok1", "first fine story", [ev("ok1-e", "AID", "USA", "UKR")]),
        coded("bad", "the broken story", [ev("bad-e", "ASSAULT", "RUS", "UKR")]),
        coded("ok2", "second fine story", [ev("ok2-e", "AID", "DEU", "UKR")]),
    ]
    report = store_coded(items, store)
    assert (report.stored, report.failed) == (2, 1)
    with store.engine.connect() as conn:
        doc_ids = set(conn.scalars(select(db.documents.c.id)))
        ev_docs = set(conn.scalars(select(db.events.c.document_id)))
        ent_docs = set(conn.scalars(select(db.entities.c.document_id)))
    assert doc_ids == ev_docs == ent_docs == {"ok1", "ok2"}
    [err] = store.errors()
    assert (err["reason"], err["article_id"], err["origin"]) == ("store_failed", "bad", "bad.txt")
    assert "disk on fire" in err["detail"]

    # a batch of one document is all-or-nothing too: rolled back, recorded, not raised
    alone = store_coded([coded("bad", "another broken story",
                               [ev("bad-e2", "AID", "FRA", "UKR")])], store)
    assert (alone.stored, alone.failed) == (0, 1)
    assert "disk on fire" in alone.failures[0].detail
    assert count(store, db.documents) == 2 and count(store, db.events) == 2


@pytest.fixture
def filled(store: Store) -> Store:
    store_coded([
        coded("d1", "doc one", [ev("e1", "ASSAULT", "RUS", "UKR", "2025-06-01"),
                                ev("e2", "CONSULT", "UKR", "RUS", "2025-06-02")]),
        coded("d2", "doc two", [ev("e3", "ASSAULT", "RUS", "UKR", "2025-06-03"),
                                ev("e4", "AID", "USA", "UKR", "2025-05-20")]),
        coded("d3", "doc three", [ev("e5", "PROTEST", "FRA", None, "2025-06-05"),
                                  ev("e6", "ASSAULT", "RUS", "UKR", None)], published=None),
    ], store)  # fmt: skip
    return store


def ids(rows: list[dict]) -> list[str]:
    return [r["id"] for r in rows]


def test_filters(filled: Store) -> None:
    # by date, undated first, as /api/events orders them
    assert ids(filled.events()) == ["e6", "e4", "e1", "e2", "e3", "e5"]
    assert ids(filled.events(actor="RUS")) == ["e6", "e1", "e2", "e3"]
    assert ids(filled.events(actor="usa")) == ["e4"]
    assert ids(filled.events(event_type="ASSAULT")) == ["e6", "e1", "e3"]
    assert ids(filled.events(since="2025-06-02")) == ["e2", "e3", "e5"]
    assert ids(filled.events(until="2025-06-02")) == ["e4", "e1", "e2"]
    assert ids(filled.events(since="2025-06-01", until="2025-06-03", event_type="ASSAULT")) == [
        "e1",
        "e3",
    ]
    assert ids(filled.events(source="UKR", target="RUS")) == ["e2"]
    assert ids(filled.events(target="UKR", limit=2)) == ["e6", "e4"]
    assert filled.events(actor="CHN") == []
    assert {r["document_id"] for r in filled.events(actor="USA")} == {"d2"}
    # the filter of the API, as an object or by its fields; codes and dates normalised
    where = EventFilter(types=("assault", "aid"), since=date(2025, 5, 1), dyad=("rus", "ukr"))
    assert ids(filled.events(where)) == ["e1", "e3"]
    assert ids(filled.events(where, until="2025-06-01")) == ["e1"]
    assert ids(filled.events(types=("AID",), limit=5, sort="-date")) == ["e4"]
    assert ids(filled.events(sort="-date")) == ["e5", "e3", "e2", "e1", "e4", "e6"]


def test_summary_counts_and_top_dyads(filled: Store) -> None:
    filled.record_error(Rejected("x.txt", "empty", "only whitespace"))
    filled.record_error(Rejected("y.txt", "empty", "only whitespace"))
    filled.record_error(Rejected("z.bin", "binary", "NUL bytes"))
    s = filled.summary()
    assert (s["documents"], s["events"], s["errors"]) == (3, 6, 3)
    assert s["events_by_type"] == {"ASSAULT": 3, "AID": 1, "CONSULT": 1, "PROTEST": 1}
    assert s["top_dyads"] == [("RUS", "UKR", 3), ("UKR", "RUS", 1), ("USA", "UKR", 1)]
    assert s["errors_by_reason"] == {"empty": 2, "binary": 1}


def test_errors_table(store: Store) -> None:
    store.record_error(Rejected("feed.jsonl:3", "malformed_json", "Expecting ','", "a7"))
    store.record_error(Rejected("b.txt", "binary"))
    first, second = store.errors()
    assert first["id"] < second["id"]
    assert (first["origin"], first["reason"], first["detail"], first["article_id"]) == (
        "feed.jsonl:3",
        "malformed_json",
        "Expecting ','",
        "a7",
    )
    assert first["created_at"].endswith("+00:00")
    assert store.summary()["documents"] == 0


def test_sqlite_file_db_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "wal.db"
    with Store(f"sqlite:///{path}") as s:
        store_coded([coded("d1", "text")], s)
        with s.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert path.exists()
    with Store(f"sqlite:///{path}") as s:  # reopening keeps the data
        assert s.summary()["documents"] == 1
