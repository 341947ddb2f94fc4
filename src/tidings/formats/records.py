"""Event records for the renderers, streamed from the store a page at a time.

A record is one flat mapping: every column of the stored event, its document's outlet,
URL, publication date and coding time, whether the event sits in the document's lead
paragraph, and the counts of the canonical event it belongs to. Mentions (one row per event
per article) and canonical events (one row per real-world event) give records of the same
shape, so every format renders both.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.engine import Engine

from tidings.schemes import cameo
from tidings.store import canonical_queries as cq
from tidings.store import queries
from tidings.store import schema as db
from tidings.store.canonical_queries import CanonicalFilter
from tidings.store.queries import EventFilter

E, D = db.events.c, db.documents.c
L, C = db.canonical_links.c, db.canonical_events.c
CHUNK = 1000


def _document_columns() -> list[Any]:
    # the lead paragraph ends at the document's first blank line: an event whose evidence
    # starts before it is a "root" event in GDELT's sense
    lead = case((E.span_start.is_(None), None),
                (func.substr(D.text, 1, E.span_start).contains("\n\n"), 0), else_=1)
    return [D.source.label("document_source"), D.url.label("document_url"),
            D.published.label("document_published"), D.coded_at.label("document_coded_at"),
            D.pipeline_version.label("document_pipeline_version"),
            lead.label("in_lead_paragraph")]


def _with_counts(q: Any) -> Any:
    return (q.add_columns(*_document_columns(), L.canonical_id.label("canonical_id"),
                          C.num_mentions, C.num_sources, C.num_articles)
            .outerjoin(db.canonical_links, L.event_id == E.id)
            .outerjoin(db.canonical_events, C.id == L.canonical_id))


def mention_records(engine: Engine, f: EventFilter, sort: str = "date",
                    chunk: int = CHUNK) -> Iterator[dict[str, Any]]:
    """Every matching event mention, in the order of ``/api/events`` (keyset pages)."""
    for r in queries.iter_event_rows(engine, f, sort, chunk, extend=_with_counts):
        yield dict(r)


def _canonical_page(f: CanonicalFilter, sort: str, after: tuple[str, str] | None) -> Any:
    return queries.by_date(select(db.canonical_events).where(*f.clauses()),
                           db.canonical_events, sort, after)


def canonical_records(engine: Engine, f: CanonicalFilter, sort: str = "date",
                      chunk: int = CHUNK // 2) -> Iterator[dict[str, Any]]:
    """Every matching canonical event, in the order of ``/api/canonical``, as a record built
    from its representative mention with the canonical event's own fields on top."""
    after: tuple[str, str] | None = None
    while True:
        with engine.connect() as conn:
            raw = conn.execute(_canonical_page(f, sort, after).limit(chunk)).all()
            events = [cq.canonical_dict(r) for r in raw]
            kept = [f.note_distance(ce) for ce in events]
            evidence = cq.evidence(conn, kept)
            for ce in kept:
                ce["evidence"] = evidence.get(ce["id"])
            ids = [ev["event_id"] for ev in evidence.values()]
            q = (select(db.events, D.title.label("document_title"), *_document_columns())
                 .join(db.documents, D.id == E.document_id).where(E.id.in_(ids)))
            mentions = {r["id"]: dict(r) for r in conn.execute(q).mappings()} if ids else {}
        for ce in kept:
            ev = ce["evidence"] or {}
            yield canonical_record(ce, mentions.get(ev.get("event_id")))
        if len(raw) < chunk:
            return
        after = (raw[-1].date or "", raw[-1].id)


_EVENT_KEYS = [c.name for c in db.events.columns]


def canonical_record(ce: dict[str, Any], mention: dict[str, Any] | None) -> dict[str, Any]:
    """The representative mention's record under the canonical event's id, type, actors,
    date, place and counts. ``canonical`` keeps the canonical event itself (with evidence)."""
    r: dict[str, Any] = dict(mention) if mention else {k: None for k in _EVENT_KEYS}
    src, tgt, loc = ce["source"] or {}, ce["target"] or {}, ce["location"] or {}
    same_place = mention is not None and loc.get("name") == mention.get("place_name")
    r.update({
        "id": ce["id"], "event_type": ce["event_type"], "cameo": ce["cameo"],
        "quad_class": cameo.quad_class(ce["event_type"]),
        "goldstein": cameo.goldstein(ce["cameo"]),
        "date": ce["date"], "date_precision": ce["date_precision"],
        "num_mentions": ce["num_mentions"], "num_sources": ce["num_sources"],
        "num_articles": ce["num_articles"], "canonical_id": ce["id"], "canonical": ce,
        "evidence_event_id": (ce.get("evidence") or {}).get("event_id"),
    })
    for role, side in (("source", src), ("target", tgt)):
        for key in ("country", "sector", "name"):
            r[f"{role}_{key}"] = side.get(key)
        if mention is not None and mention.get(f"{role}_country") != side.get("country"):
            r[f"{role}_text"] = None  # the mention's words name another actor
    r.update({"place_name": loc.get("name"), "place_country": loc.get("country"),
              "place_lat": loc.get("lat"), "place_lon": loc.get("lon")})
    if not same_place:
        for key in ("admin1", "geonameid", "feature", "text", "start", "end"):
            r[f"place_{key}"] = None
    return r
