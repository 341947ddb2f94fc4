"""Canonical events in the store: incremental update and rebuild, written through the store
(reading them back is ``tidings.store.canonical_queries``).

Counting rules (what a number on a canonical event means):

* a **mention** is an asserted event coded from an *original* article; an article that is a
  near-copy of another (``article_duplicates``) adds no mentions — its text is the wire
  story already counted;
* ``num_mentions`` counts mentions; ``num_articles`` counts distinct original articles
  among them; ``num_copies`` counts the near-copies of those articles;
* ``num_sources`` counts distinct outlets over the originals *and* their copies, so an
  outlet that republished the wire story is credited; ``first_seen``/``last_seen`` are the
  earliest and latest report dates (publication date, else the day it was coded), copies
  included.
"""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, and_, delete, insert, select

from tidings.corpus import clustering as cl
from tidings.corpus import dedupe
from tidings.corpus.rules import FAMILY, Mention, Side, Where, family
from tidings.store import schema as db
from tidings.store.canonical_queries import place_in_sentence

if TYPE_CHECKING:
    from tidings.store import Store

_IN_CHUNK = 500


def _chunks(items: Iterable[str]) -> Iterable[list[str]]:
    items = sorted(set(items))
    for i in range(0, len(items), _IN_CHUNK):
        yield items[i : i + _IN_CHUNK]


# -- loading mentions -------------------------------------------------------------------

_E, _D = db.events.c, db.documents.c


def _mention_query():
    copies = select(db.article_duplicates.c.document_id)
    return (select(db.events, _D.published, _D.source.label("outlet"))
            .join(db.documents, _D.id == _E.document_id)
            .where(_E.modality == "asserted", _E.document_id.not_in(copies)))


def _mention(r: Any) -> Mention:
    return Mention(
        event_id=r.id, document_id=r.document_id, event_type=r.event_type, cameo=r.cameo,
        source=Side(r.source_country, r.source_sector, r.source_name),
        target=Side(r.target_country, r.target_sector, r.target_name),
        date=r.date, precision=r.date_precision or ("publication" if r.date else None),
        place=Where(r.place_name, r.place_country, r.place_lat, r.place_lon, r.place_feature,
                    in_sentence=place_in_sentence(r)),
        published=r.published, outlet=r.outlet)


def _load(conn: Connection, where: Any) -> list[Mention]:
    return [_mention(r) for r in conn.execute(_mention_query().where(where))]


def _neighbours(conn: Connection, frontier: list[Mention]) -> list[Mention]:
    """Stored mentions that could link to the frontier: same family, dates within reach."""
    windows: dict[str, list[list[date]]] = {}
    for m in frontier:
        iv = m.interval
        if iv is None:
            continue
        span = [iv[0] - timedelta(days=cl.WINDOW_DAYS + 3), iv[1] + timedelta(days=3)]
        windows.setdefault(family(m.event_type), []).append(span)
    found = []
    for fam, spans in windows.items():
        types = [k for k, v in FAMILY.items() if v == fam] + [fam]
        spans.sort()
        merged = [spans[0]]
        for lo, hi in spans[1:]:
            if lo <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        for lo, hi in merged:
            found += _load(conn, and_(_E.event_type.in_(types),
                                      _E.date >= lo.isoformat(), _E.date <= hi.isoformat()))
    return found


# -- writing ----------------------------------------------------------------------------


def _doc_info(conn: Connection, doc_ids: set[str]) -> tuple[dict, dict]:
    """Per original: (outlet, report date) of itself and of its copies."""
    info: dict[str, tuple[str, str | None]] = {}
    copies: dict[str, list[str]] = {}
    for chunk in _chunks(doc_ids):
        q = select(db.article_duplicates.c.document_id, db.article_duplicates.c.original_id
                   ).where(db.article_duplicates.c.original_id.in_(chunk))
        for copy, original in conn.execute(q):
            copies.setdefault(original, []).append(copy)
    wanted = set(doc_ids) | {c for cs in copies.values() for c in cs}
    for chunk in _chunks(wanted):
        q = select(_D.id, _D.source, _D.published, _D.coded_at).where(_D.id.in_(chunk))
        for doc_id, outlet, published, coded_at in conn.execute(q):
            seen = published or (coded_at.date().isoformat() if coded_at else None)
            info[doc_id] = (outlet or f"doc:{doc_id}", seen)
    return info, copies


def _write(conn: Connection, clusters: list[cl.Cluster]) -> None:
    if not clusters:
        return
    info, copies = _doc_info(conn, {m.document_id for c in clusters for m in c.members})
    now = datetime.now(UTC)
    rows, links = [], []
    for c in clusters:
        rep = cl.representative(c.members)
        originals = sorted({m.document_id for m in c.members})
        docs = originals + sorted(x for o in originals for x in copies.get(o, []))
        outlets = sorted({info[d][0] for d in docs if d in info})
        seen = sorted(s for d in docs if d in info and (s := info[d][1]))
        place = rep["place"]
        rows.append({
            "id": c.id, "component": c.component, "event_type": rep["event_type"],
            "cameo": rep["cameo"],
            **{f"{role}_{k}": rep[role][k] for role in ("source", "target")
               for k in ("country", "sector", "name")},
            "date": rep["date"], "date_precision": rep["date_precision"],
            "place_name": place.name if place else None,
            "place_country": place.country if place else None,
            "place_lat": place.lat if place else None, "place_lon": place.lon if place else None,
            "num_articles": len(originals), "num_sources": len(outlets),
            "num_mentions": len(c.members), "num_copies": len(docs) - len(originals),
            "first_seen": seen[0] if seen else None, "last_seen": seen[-1] if seen else None,
            "sources": json.dumps([o for o in outlets if not o.startswith("doc:")]),
            "updated_at": now,
        })
        for m in c.members:
            via, cmp = c.evidence.get(m.event_id, (None, None))
            links.append({"event_id": m.event_id, "canonical_id": c.id,
                          "document_id": m.document_id, "via_event_id": via,
                          "score": cmp.score if cmp else None,
                          "agreement": json.dumps(cmp.to_dict()) if cmp else None})
    conn.execute(insert(db.canonical_events), rows)
    conn.execute(insert(db.canonical_links), links)


def _delete_components(conn: Connection, comps: set[str]) -> None:
    ce, lk = db.canonical_events.c, db.canonical_links.c
    for chunk in _chunks(comps):
        ids = select(ce.id).where(ce.component.in_(chunk))
        conn.execute(delete(db.canonical_links).where(lk.canonical_id.in_(ids)))
        conn.execute(delete(db.canonical_events).where(ce.component.in_(chunk)))


# -- update / rebuild -------------------------------------------------------------------


def _components_of(conn: Connection, *, events: Iterable[str] = (),
                   docs: Iterable[str] = ()) -> set[str]:
    ce, lk = db.canonical_events.c, db.canonical_links.c
    base = select(ce.component).join(db.canonical_links, lk.canonical_id == ce.id)
    out: set[str] = set()
    for col, values in ((lk.event_id, events), (lk.document_id, docs)):
        for chunk in _chunks(values):
            out.update(conn.scalars(base.where(col.in_(chunk))))
    return out


def _members_of(conn: Connection, comps: set[str]) -> list[Mention]:
    ce, lk = db.canonical_events.c, db.canonical_links.c
    out = []
    for chunk in _chunks(comps):
        ids = select(lk.event_id).join(db.canonical_events, lk.canonical_id == ce.id
                                       ).where(ce.component.in_(chunk))
        out += _load(conn, _E.id.in_(ids))
    return out


def update_canonical(store: Store, document_ids: Iterable[str] | None = None) -> dict[str, int]:
    """Bring duplicates and canonical events up to date with documents not yet processed.

    A document is processed once it has a MinHash signature; ``document_ids`` restricts the
    run to those documents. Every candidate-link component the new mentions touch is
    recomputed whole, so the result equals ``rebuild_canonical`` on the same store.
    """
    with store.writing() as conn:
        new = dedupe.sign_documents(conn, document_ids)
        affected = set(new) | dedupe.update_duplicates(conn, new)
        seeds: dict[str, Mention] = {}
        for chunk in _chunks(affected):
            seeds.update((m.event_id, m) for m in _load(conn, _E.document_id.in_(chunk)))
        comps = _components_of(conn, docs=affected)
        closure, linker = _closure(conn, seeds, comps)
        _delete_components(conn, comps)
        clusters = []
        links = cl.candidate_links(closure.values(), linker)
        for comp in cl.components(closure.values(), links):
            clusters += cl.cluster_component(comp, links, linker)
        _write(conn, clusters)
    return {"documents": len(new), "duplicates_touched": len(affected) - len(new),
            "components": len(comps), "canonical_events": len(clusters)}


class _TimeIndex:
    """Mentions by family, sorted by interval start, to find those near another in time."""

    def __init__(self, mentions: list[Mention]) -> None:
        self._by: dict[str, list[tuple[date, str, Mention]]] = {}
        for m in mentions:
            if m.interval is not None:
                self._by.setdefault(family(m.event_type), []).append(
                    (m.interval[0], m.event_id, m))
        for items in self._by.values():
            items.sort(key=lambda x: x[:2])

    def near(self, m: Mention) -> list[Mention]:
        items, iv = self._by.get(family(m.event_type), []), m.interval
        if iv is None or not items:
            return []
        w = timedelta(days=cl.WINDOW_DAYS)
        lo = bisect_left(items, (iv[0] - w, ""), key=lambda x: x[:2])
        hi = bisect_right(items, (iv[0] + w, "\uffff"), key=lambda x: x[:2])
        return [x[2] for x in items[lo:hi]]


def _closure(conn: Connection, seeds: dict[str, Mention], comps: set[str]
             ) -> tuple[dict[str, Mention], cl.Linker]:
    """Grow the seeds to whole components: follow links, and pull in every stored component
    a member belongs to (its old members may link onward). ``comps`` is extended in place."""
    linker = cl.Linker()
    closure = dict(seeds)
    for m in _members_of(conn, comps):
        closure.setdefault(m.event_id, m)
    frontier = list(closure.values())
    while frontier:
        index = _TimeIndex(frontier)
        reached: dict[str, Mention] = {}
        for n in _neighbours(conn, frontier):
            if n.event_id not in closure and any(linker(f, n).linked for f in index.near(n)):
                reached[n.event_id] = n
        more = _components_of(conn, events=reached) - comps
        comps |= more
        for m in _members_of(conn, more):
            reached.setdefault(m.event_id, m)
        reached = {k: v for k, v in reached.items() if k not in closure}
        closure.update(reached)
        frontier = list(reached.values())
    return closure, linker


def rebuild_canonical(store: Store) -> dict[str, int]:
    """Recompute duplicate groups and every canonical event from the stored documents."""
    with store.writing() as conn:
        for table in (db.canonical_links, db.canonical_events, db.article_duplicates):
            conn.execute(delete(table))
        dedupe.sign_documents(conn)
        signed = list(conn.scalars(select(db.minhash_signatures.c.document_id)))
        dedupe.update_duplicates(conn, signed)
        clusters = cl.cluster(_load(conn, _E.id.is_not(None)))
        _write(conn, clusters)
    return {"documents": len(signed), "canonical_events": len(clusters)}
