"""The records every export format renders (tidings.formats.records), on SQLite and
PostgreSQL: every mention and canonical event once, in order across page boundaries, with
its document's fields, lead-paragraph flag and canonical counts; every registered format
renders both kinds."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import select

from tidings.corpus import update_canonical
from tidings.formats import ExportReport, get_renderer, records, renderer_names
from tidings.model import AcledType, Actor, Article, CodedArticle, Event, Place
from tidings.runs import store_coded
from tidings.store import schema as t
from tidings.store.canonical_queries import CanonicalFilter
from tidings.store.queries import EventFilter

KHARKIV = Place(name="Kharkiv", country="UKR", admin1="07", lat=49.98, lon=36.25,
                geonameid=706483, feature="city")
STORIES = [
    ("wire-1", "Wire", "https://wire.example/1", "2025-06-02",
     "Russian forces shelled Kharkiv on Sunday.\n\nLater, officials of both sides met in "
     "Istanbul for talks."),
    ("ledger-1", "Ledger", None, "2025-06-02",
     "Kharkiv came under Russian shelling on Sunday, officials said.\n\nNo talks are planned."),
    ("courier-1", "Courier", None, None, "Protesters marched in an unnamed town."),
]


def _event(doc_id: str, k: int, text: str, phrase: str, **kw) -> Event:
    start = text.index(phrase)
    return Event(id=f"{doc_id}:{k}", sentence=phrase, span=(start, start + len(phrase)),
                 trigger=phrase.split()[0], trigger_span=(start, start + 3), confidence=0.8,
                 **kw)


def _shelling(doc_id: str, text: str, phrase: str) -> Event:
    return _event(doc_id, 0, text, phrase, event_type="ASSAULT", cameo="195",
                  quad_class=4, goldstein=-9.5, mode="heavy-weapons",
                  source=Actor(text="Russian forces", country="RUS", sector="MIL"),
                  target=Actor(text="Kharkiv", country="UKR"), date="2025-06-01",
                  date_precision="day", location=KHARKIV,
                  acled=AcledType("Explosions/Remote violence",
                                  "Shelling/artillery/missile attack"),
                  killed=3)


@pytest.fixture
def filled(store):
    coded = []
    for doc_id, outlet, url, published, text in STORIES:
        events = []
        if doc_id != "courier-1":
            events.append(_shelling(doc_id, text, text.split("\n\n")[0]))
        if doc_id == "wire-1":
            events.append(_event(doc_id, 1, text, "officials of both sides met in Istanbul",
                                 event_type="CONSULT", cameo="040", quad_class=1,
                                 goldstein=1.0, source=Actor(text="officials",
                                                             country="RUS", sector="GOV")))
        if doc_id == "courier-1":
            events.append(_event(doc_id, 0, text, "Protesters marched", event_type="PROTEST",
                                 cameo="141", quad_class=3, goldstein=-6.5))
        coded.append(CodedArticle(article=Article(text=text, id=doc_id, source=outlet,
                                                  url=url, published=published),
                                  events=events))
    for c in coded:
        assert store_coded([c], store).stored == 1
    update_canonical(store)
    return store


def test_mention_records_carry_document_lead_and_canonical_counts(filled):
    got = list(records.mention_records(filled.engine, EventFilter()))
    assert sorted(r["id"] for r in got) == ["courier-1:0", "ledger-1:0", "wire-1:0",
                                           "wire-1:1"]
    by_id = {r["id"]: r for r in got}
    assert by_id["wire-1:0"]["in_lead_paragraph"] == 1
    assert by_id["wire-1:1"]["in_lead_paragraph"] == 0  # after the first blank line
    assert by_id["wire-1:0"]["document_url"] == "https://wire.example/1"
    assert by_id["ledger-1:0"]["document_source"] == "Ledger"
    assert by_id["wire-1:0"]["document_coded_at"] is not None
    with filled.engine.connect() as conn:
        links = dict(conn.execute(select(t.canonical_links.c.event_id,
                                         t.canonical_links.c.canonical_id)).all())
        counts = {r.id: r for r in conn.execute(select(t.canonical_events))}
    for r in got:
        ce = counts.get(links.get(r["id"]))
        assert r["num_mentions"] == (ce.num_mentions if ce else None)
    # keyset pages of one row give the same rows in the same order
    assert [r["id"] for r in records.mention_records(filled.engine, EventFilter(),
                                                     chunk=1)] == [r["id"] for r in got]
    assert [r["id"] for r in records.mention_records(
        filled.engine, EventFilter(types=("PROTEST",)))] == ["courier-1:0"]


def test_canonical_records_one_per_canonical_event(filled):
    with filled.engine.connect() as conn:
        ids = sorted(conn.execute(select(t.canonical_events.c.id)).scalars())
        links = {}
        for event_id, cid in conn.execute(select(t.canonical_links.c.event_id,
                                                 t.canonical_links.c.canonical_id)):
            links.setdefault(cid, set()).add(event_id)
    got = list(records.canonical_records(filled.engine, CanonicalFilter()))
    assert sorted(r["id"] for r in got) == ids
    paged = list(records.canonical_records(filled.engine, CanonicalFilter(), chunk=1))
    assert [r["id"] for r in paged] == [r["id"] for r in got]
    for r in got:
        assert r["evidence_event_id"] in links[r["id"]]  # its representative mention
        assert r["canonical"]["evidence"]["event_id"] == r["evidence_event_id"]
        assert r["num_mentions"] == len(links[r["id"]])
    shelling = next(r for r in got if r["event_type"] == "ASSAULT")
    assert shelling["acled_event_type"] == "Explosions/Remote violence"
    assert shelling["goldstein"] == -9.5 and shelling["quad_class"] == 4


@pytest.mark.parametrize("kind", ["mentions", "canonical"])
def test_every_format_renders_both_kinds(filled, kind):
    rows = (list(records.mention_records(filled.engine, EventFilter())) if kind == "mentions"
            else list(records.canonical_records(filled.engine, CanonicalFilter())))
    assert rows
    for name in renderer_names():
        renderer = get_renderer(name)
        report = ExportReport(kind=kind)
        body = b"".join(renderer.render(iter(rows), report))
        assert body, name
        kept = sum(1 for r in rows if renderer.keeps is None or renderer.keeps(r))
        assert report.left_out == len(rows) - kept, name
        if renderer.binary:
            import pyarrow.parquet as pq

            assert pq.read_table(io.BytesIO(body)).num_rows == (
                kept if name != "parquet" else len(rows)), name
        elif name in ("jsonl", "polecat"):
            assert len([json.loads(x) for x in body.decode().splitlines()]) == len(rows)
        else:  # a header line, then one line per row
            assert len(body.decode().splitlines()) == kept + 1, name
