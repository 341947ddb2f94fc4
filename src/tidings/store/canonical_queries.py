"""Read-only queries over canonical events: one row per real-world event, for the CLI and API.

A canonical event (written by ``tidings.corpus.canonical``) merges the mentions of one
real-world event across articles. Lists are paged by keyset on (date, id) like the event lists in
``queries.py``; each row carries a representative evidence sentence taken from its mentions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func, select

from tidings.store import geo
from tidings.store import schema as db
from tidings.store.queries import EventFilter, by_date, decode_cursor, encode_cursor

if TYPE_CHECKING:
    from tidings.store import Store

C = db.canonical_events.c
L = db.canonical_links.c
E = db.events.c
D = db.documents.c
# statuses in a link's agreement that count as the two mentions agreeing on that field
AGREEING = frozenset({"agree", "compatible", "family", "near", "dateline_agree",
                      "same_country"})
_CHUNK = 500


@dataclass
class CanonicalFilter(EventFilter):
    """``EventFilter`` on a canonical event's own (representative) fields: its type, actors,
    date and place (``near``), plus how many articles reported it."""

    min_articles: int | None = None

    def clauses(self, table: Any = db.canonical_events) -> list[Any]:
        out = super().clauses(table)
        if self.min_articles:
            out.append(C.num_articles >= self.min_articles)
        return out

    def note_distance(self, row: dict[str, Any]) -> dict[str, Any]:
        """The canonical event with its ``distance_km`` from ``near`` (when given)."""
        loc = row["location"] or {}
        if self.near and loc.get("lat") is not None and loc.get("lon") is not None:
            row["distance_km"] = round(geo.haversine_km(*self.near, loc["lat"], loc["lon"]), 1)
        return row


def pending_documents(conn: Connection) -> int:
    """Documents stored since the last clustering (``update_canonical`` has not seen them)."""
    signed = select(db.minhash_signatures.c.document_id)
    q = select(func.count()).select_from(db.documents).where(D.id.not_in(signed))
    return conn.scalar(q) or 0


def count_canonical(conn: Connection, f: CanonicalFilter | None = None) -> int:
    where = f.clauses() if f else []
    return conn.scalar(select(func.count()).select_from(db.canonical_events).where(*where)) or 0


def _chunks(ids: list[str]) -> Iterable[list[str]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def evidence(conn: Connection, rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """One representative mention per canonical event: one that agrees with the canonical
    event's type and both countries if any does, else the closest; earliest report first."""
    by_id = {r["id"]: r for r in rows}
    best: dict[str, tuple[tuple, dict[str, Any]]] = {}
    for chunk in _chunks(sorted(by_id)):
        q = (select(L.canonical_id, E.id, E.document_id, E.event_type, E.source_country,
                    E.target_country, E.sentence, E.trigger, D.source.label("outlet"),
                    D.published, D.title)
             .join(db.events, E.id == L.event_id)
             .join(db.documents, D.id == E.document_id)
             .where(L.canonical_id.in_(chunk)))
        for m in conn.execute(q).mappings():
            ce = by_id[m["canonical_id"]]
            src, tgt = ce["source"] or {}, ce["target"] or {}
            misses = ((m["event_type"] != ce["event_type"])
                      + (m["source_country"] != src.get("country"))
                      + (m["target_country"] != tgt.get("country")))
            key = (misses, m["published"] or "9999", m["id"])
            if m["canonical_id"] not in best or key < best[m["canonical_id"]][0]:
                best[m["canonical_id"]] = (key, {
                    "event_id": m["id"], "document_id": m["document_id"],
                    "outlet": m["outlet"], "published": m["published"], "title": m["title"],
                    "sentence": m["sentence"], "trigger": m["trigger"]})
    return {k: v for k, (_, v) in best.items()}


def _with_evidence(conn: Connection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ev = evidence(conn, rows)
    for r in rows:
        r["evidence"] = ev.get(r["id"])
    return rows


def list_canonical(conn: Connection, f: CanonicalFilter, *, limit: int = 50,
                   cursor: str | None = None, sort: str = "date",
                   with_total: bool = False) -> dict[str, Any]:
    """One page of canonical events and the cursor of the next (None on the last page).
    Undated events sort before every date, as in ``/api/events``."""
    tag = f"canonical:{sort}"
    q = by_date(select(db.canonical_events).where(*f.clauses()), db.canonical_events, sort,
                decode_cursor(cursor, tag) if cursor else None)
    rows = [canonical_dict(r) for r in conn.execute(q.limit(limit + 1))]
    page = rows[:limit]
    nxt = encode_cursor(tag, page[-1]["date"] or "", page[-1]["id"]) if len(rows) > limit \
        else None
    out: dict[str, Any] = {"canonical_events": _with_evidence(conn, page), "next_cursor": nxt,
                           "limit": limit, "sort": sort,
                           "pending_documents": pending_documents(conn)}
    if with_total:
        out["total"] = count_canonical(conn, f)
    return out


def explain(agreement: dict[str, Any] | None) -> dict[str, Any] | None:
    """Which fields agreed with the mention it was linked through, and which did not."""
    if not agreement:
        return None
    fields = agreement.get("fields") or {}
    return {"agreed": sorted(k for k, v in fields.items() if v.get("status") in AGREEING),
            "not_agreed": {k: v.get("status") for k, v in sorted(fields.items())
                           if v.get("status") not in AGREEING},
            "score": agreement.get("score"), "swapped": agreement.get("swapped")}


def get_canonical(conn: Connection, canonical_id: str) -> dict[str, Any] | None:
    """A canonical event, its representative evidence, and every mention with its evidence
    and the explanation of its link."""
    if "\x00" in canonical_id:  # no stored id holds NUL, and PostgreSQL refuses it
        return None
    row = conn.execute(select(db.canonical_events).where(C.id == canonical_id)).first()
    if row is None:
        return None
    ce = _with_evidence(conn, [canonical_dict(row)])[0]
    ms = _mentions(conn, canonical_id)
    for m in ms:
        m["explanation"] = explain(m["agreement"])
    return {"canonical_event": ce, "mentions": ms}


def overview_counts(conn: Connection) -> dict[str, int]:
    """Real-world events next to the overview's mention count."""
    return {"canonical_events": count_canonical(conn),
            "pending_documents": pending_documents(conn)}


FLAT_FIELDS = ("id", "date", "date_precision", "first_seen", "last_seen", "event_type",
               "cameo", "source_country", "source_sector", "target_country", "target_sector",
               "place_name", "num_articles", "num_sources", "num_mentions", "num_copies",
               "sources", "evidence_event_id", "evidence_document_id", "evidence_sentence")


def flat(ce: dict[str, Any]) -> dict[str, Any]:
    """A canonical event as one flat row (CSV)."""
    src, tgt, ev = ce["source"] or {}, ce["target"] or {}, ce.get("evidence") or {}
    return {**{k: ce.get(k) for k in FLAT_FIELDS},
            "source_country": src.get("country"), "source_sector": src.get("sector"),
            "target_country": tgt.get("country"), "target_sector": tgt.get("sector"),
            "place_name": (ce["location"] or {}).get("name"),
            "sources": ";".join(ce["sources"]), "evidence_event_id": ev.get("event_id"),
            "evidence_document_id": ev.get("document_id"),
            "evidence_sentence": ev.get("sentence")}


# -- canonical events and their mentions as dicts ---------------------------------------


def canonical_dict(r: Any) -> dict[str, Any]:
    def side(role: str) -> dict[str, Any] | None:
        d = {k: getattr(r, f"{role}_{k}") for k in ("country", "sector", "name")}
        return d if any(d.values()) else None

    place = None
    if r.place_name:
        place = {"name": r.place_name, "country": r.place_country, "lat": r.place_lat,
                 "lon": r.place_lon}
    return {"id": r.id, "event_type": r.event_type, "cameo": r.cameo,
            "source": side("source"), "target": side("target"), "date": r.date,
            "date_precision": r.date_precision, "location": place,
            "num_articles": r.num_articles, "num_sources": r.num_sources,
            "num_mentions": r.num_mentions, "num_copies": r.num_copies,
            "first_seen": r.first_seen, "last_seen": r.last_seen,
            "sources": json.loads(r.sources or "[]")}


def place_in_sentence(r: Any) -> bool:
    """Whether an event row's place is named in its evidence sentence."""
    place_text = r.place_text or r.place_name
    return bool(place_text) and place_text in (r.sentence or "")


def canonical_events(store: Store, actor: str | None = None, event_type: str | None = None,
                     since: str | date | None = None, until: str | date | None = None,
                     limit: int | None = None) -> list[dict[str, Any]]:
    """Canonical events, ordered by date (undated last) then id; filters work as in
    ``Store.events``."""
    f = CanonicalFilter(actor=actor, types=(event_type,) if event_type else (), since=since,
                        until=until)
    q = (select(db.canonical_events).where(*f.clauses())
         .order_by(C.date.asc().nulls_last(), C.id))
    if limit is not None:
        q = q.limit(limit)
    with store.engine.connect() as conn:
        return [canonical_dict(r) for r in conn.execute(q)]


def mentions(store: Store, canonical_id: str) -> list[dict[str, Any]]:
    """Every mention of a canonical event: the event, its article, its copies and why it
    was linked (``via`` the member it agrees with best, field by field)."""
    with store.engine.connect() as conn:
        return _mentions(conn, canonical_id)


def _mentions(conn: Connection, canonical_id: str) -> list[dict[str, Any]]:
    dup = db.article_duplicates.c
    q = (select(db.events, L.via_event_id, L.score, L.agreement, D.title,
                D.source.label("outlet"), D.published, D.url)
         .join(db.canonical_links, L.event_id == E.id)
         .join(db.documents, D.id == E.document_id)
         .where(L.canonical_id == canonical_id)
         .order_by(D.published, E.id))
    rows = conn.execute(q).all()
    copies: dict[str, list[dict[str, Any]]] = {}
    for chunk in _chunks(sorted({r.document_id for r in rows})):
        cq = (select(dup.original_id, dup.similarity, D.id, D.source, D.published)
              .join(db.documents, D.id == dup.document_id)
              .where(dup.original_id.in_(chunk)).order_by(D.published, D.id))
        for original, sim, doc_id, outlet, published in conn.execute(cq):
            copies.setdefault(original, []).append(
                {"document_id": doc_id, "outlet": outlet, "published": published,
                 "similarity": sim})
    return [{
        "event_id": r.id, "document_id": r.document_id, "title": r.title,
        "outlet": r.outlet, "published": r.published, "url": r.url,
        "event_type": r.event_type, "cameo": r.cameo,
        "source": {"text": r.source_text, "country": r.source_country,
                   "sector": r.source_sector},
        "target": {"text": r.target_text, "country": r.target_country,
                   "sector": r.target_sector},
        "date": r.date, "date_precision": r.date_precision,
        "place": r.place_name if place_in_sentence(r) else None,
        "sentence": r.sentence, "span": [r.span_start, r.span_end], "trigger": r.trigger,
        "via": r.via_event_id, "score": r.score,
        "agreement": json.loads(r.agreement) if r.agreement else None,
        "copies": copies.get(r.document_id, []),
    } for r in rows]
