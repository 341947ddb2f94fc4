"""Read-only queries: the one read path of events for the CLI, the web API, the dashboard
and ``Store.events``.

Everything goes through the ``tidings.store.schema`` Table objects, so the same code runs on
SQLite and PostgreSQL. ``EventFilter`` is the one filter vocabulary; aggregations happen in
SQL and lists are paged by keyset on (date, id): a page costs the same at the start and the
end of 100,000 events.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    Connection,
    and_,
    case,
    cast,
    func,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy import Integer as SAInteger
from sqlalchemy.engine import Engine, RowMapping

from tidings.store import geo
from tidings.store import schema as db
from tidings.store.rows import event_dict, iso, time_dict

E = db.events.c
D = db.documents.c
SORTS = ("date", "-date")
CURSOR_PATTERN = "[A-Za-z0-9_-]+"  # unpadded URL-safe base64
CURSOR_RE = re.compile(CURSOR_PATTERN)


_INDEXES = {
    "ix_web_events_dyad": "events (source_country, target_country, date)",
    "ix_web_events_geo": "events (place_lat, place_lon, place_name)",  # covers the map
    "ix_web_events_timeline": "events (date, quad_class, goldstein)",  # covers timelines
    "ix_web_events_type_date": "events (event_type, date)",
    "ix_web_events_cameo": "events (cameo)",
    "ix_web_quotes_actor": "quotes (speaker_actor_country)",
}


def ensure_indexes(engine: Engine) -> None:
    """Indexes the web views need; idempotent, run at app start (schema.py stays untouched)."""
    key = "(coalesce(date, ''))" if engine.dialect.name == "postgresql" else "coalesce(date, '')"
    stmts = [f"CREATE INDEX IF NOT EXISTS ix_web_events_datekey ON events ({key}, id)"]
    stmts += [f"CREATE INDEX IF NOT EXISTS {name} ON {cols}" for name, cols in _INDEXES.items()]
    with engine.begin() as conn:
        for stmt in stmts:
            conn.execute(text(stmt))


@dataclass
class EventFilter:
    """The filters of every event query: ``tidings events``, ``/api/events`` (and the other
    event views) and ``Store.events``. Country codes are ISO3 (or IGO/NGO); codes and types
    are upper-cased and dates written YYYY-MM-DD here, so every caller may pass either."""

    actor: str | None = None  # either side
    source: str | None = None
    target: str | None = None
    dyad: tuple[str, str] | None = None  # source A and target B ...
    undirected: bool = False  # ... or either direction
    types: tuple[str, ...] = ()
    mode: str | None = None
    modality: str | None = None
    cameo: str | None = None  # prefix
    country: str | None = None  # where it happened
    since: str | None = None
    until: str | None = None
    q: str | None = None  # every word must occur in the evidence sentence
    near: tuple[float, float] | None = None
    radius_km: float = 50.0
    document_id: str | None = None
    min_confidence: float | None = None  # the event model's calibrated confidence

    def __post_init__(self) -> None:
        for name in ("actor", "source", "target", "country"):
            if getattr(self, name):
                setattr(self, name, getattr(self, name).upper())
        if isinstance(self.types, str):
            self.types = (self.types,)
        self.types = tuple(t.upper() for t in self.types)
        if self.dyad:
            self.dyad = (self.dyad[0].upper(), self.dyad[1].upper())
        self.since = _date_key(self.since)
        self.until = _date_key(self.until)

    def clauses(self, table: Any = db.events) -> list[Any]:
        """The filter as SQL conditions on ``table``: events, or canonical events (whose
        columns carry the same names); a filter the table has no column for is an error."""
        c = table.c

        def col(name: str) -> Any:
            if name not in c:
                raise ValueError(f"{table.name} cannot be filtered by {name}")
            return c[name]

        out: list[Any] = []
        if self.actor:
            out.append(or_(c.source_country == self.actor, c.target_country == self.actor))
        if self.source:
            out.append(c.source_country == self.source)
        if self.target:
            out.append(c.target_country == self.target)
        if self.dyad:
            a, b = self.dyad
            directed = and_(c.source_country == a, c.target_country == b)
            if self.undirected:
                directed = or_(directed, and_(c.source_country == b, c.target_country == a))
            out.append(directed)
        if self.types:
            out.append(c.event_type.in_(self.types))
        if self.mode:
            out.append(col("mode") == self.mode)
        if self.modality:
            out.append(col("modality") == self.modality)
        if self.cameo:
            out.append(col("cameo").like(_like_escape(self.cameo) + "%", escape="\\"))
        if self.country:
            out.append(col("place_country") == self.country)
        if self.since:
            out.append(c.date >= self.since)
        if self.until:
            out.append(c.date <= self.until)
        for word in search_words(self.q):
            out.append(col("sentence").ilike("%" + _like_escape(word) + "%", escape="\\"))
        if self.near:
            out.append(geo.within_km(c.place_lat, c.place_lon, *self.near, self.radius_km))
        if self.document_id:
            out.append(col("document_id") == self.document_id)
        if self.min_confidence:
            out.append(col("confidence") >= self.min_confidence)
        return out


def search_words(q: str | None) -> list[str]:
    """The words of a text search, split on ASCII whitespace (as the API's limit counts)."""
    return [w for w in re.split(r"[ \t\n\r\f\v]+", q or "") if w]


def _like_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _date_key(value: str | date | None) -> str | None:
    return iso(value) if value else None


def with_distance(f: EventFilter, rows: Iterable[Any]) -> Iterator[Any]:
    """Rows (mappings with place_lat/place_lon) with ``distance_km`` from ``f.near``."""
    if not f.near:
        yield from rows
        return
    for r in rows:
        r = dict(r)
        r["distance_km"] = round(geo.haversine_km(*f.near, r["place_lat"], r["place_lon"]), 1)
        yield r


# -- cursors -----------------------------------------------------------------------------


def encode_cursor(sort: str, key: str, last_id: str) -> str:
    raw = json.dumps([sort, key, last_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[str, str]:
    """(date key, id) from a cursor; ValueError if it is not one of ours or for another sort."""
    if not CURSOR_RE.fullmatch(cursor):  # b64decode would skip stray characters
        raise ValueError("malformed cursor")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        got_sort, key, last_id = json.loads(raw)
    except Exception as exc:
        raise ValueError("malformed cursor") from exc
    if got_sort != sort or not isinstance(key, str) or not isinstance(last_id, str):
        raise ValueError("cursor belongs to another sort order or is malformed")
    return key, last_id


# -- events ------------------------------------------------------------------------------


def by_date(q: Any, table: Any, sort: str, after: tuple[str, str] | None) -> Any:
    """``q`` over ``table`` (events or canonical events) in (date, id) order, undated
    first (``-date``: reversed), starting after the keyset ``after`` = (date key, id).

    NULL dates sort as '' (before every date) on both backends; an expression index on the
    same expression keeps keyset pages cheap. The literal must not be a bound parameter, or
    SQLite will not match the expression to the index."""
    key, ids = func.coalesce(table.c.date, literal_column("''")), table.c.id
    desc = sort == "-date"
    if after is not None:
        last_key, last_id = after
        # the leading range term lets SQLite seek the index even with bound parameters
        if desc:
            q = q.where(key <= last_key, or_(key < last_key, ids < last_id))
        else:
            q = q.where(key >= last_key, or_(key > last_key, ids > last_id))
    return q.order_by(*((key.desc(), ids.desc()) if desc else (key.asc(), ids.asc())))


def _event_select(f: EventFilter, sort: str, after: tuple[str, str] | None):
    q = (
        select(db.events, D.title.label("document_title"))
        .join(db.documents, D.id == E.document_id)
        .where(*f.clauses())
    )
    return by_date(q, db.events, sort, after)


def list_events(conn: Connection, f: EventFilter, *, limit: int = 50, cursor: str | None = None,
                sort: str = "date", with_total: bool = False) -> dict[str, Any]:
    """One page of events and the cursor of the next (None on the last page)."""
    after = decode_cursor(cursor, sort) if cursor else None
    rows = conn.execute(_event_select(f, sort, after).limit(limit + 1)).mappings().all()
    page = rows[:limit]
    nxt = None
    if len(rows) > limit:
        last = page[-1]
        nxt = encode_cursor(sort, last["date"] or "", last["id"])
    out: dict[str, Any] = {"events": [event_dict(r) for r in with_distance(f, page)],
                           "next_cursor": nxt,
                           "limit": limit, "sort": sort}
    if with_total:
        out["total"] = count_events(conn, f)
    return out


def count_events(conn: Connection, f: EventFilter) -> int:
    return conn.scalar(select(func.count()).select_from(db.events).where(*f.clauses())) or 0


def iter_event_rows(engine: Engine, f: EventFilter, sort: str = "date", chunk: int = 2000,
                    extend: Callable[[Any], Any] | None = None) -> Iterator[RowMapping]:
    """Every matching event, fetched a keyset page at a time (streamed output), with
    ``distance_km`` when the filter has ``near``. ``extend`` may add columns of other
    tables to the query (the export records)."""
    after: tuple[str, str] | None = None
    while True:
        q = _event_select(f, sort, after)
        if extend is not None:
            q = extend(q)
        with engine.connect() as conn:
            rows = conn.execute(q.limit(chunk)).mappings().all()
        yield from with_distance(f, rows)
        if len(rows) < chunk:
            return
        after = (rows[-1]["date"] or "", rows[-1]["id"])


def iter_events(engine: Engine, f: EventFilter, sort: str = "date",
                limit: int | None = None) -> Iterator[dict[str, Any]]:
    """Every matching event as ``event_dict`` JSON, in keyset order, streamed."""
    chunk = 2000 if limit is None else max(1, min(limit, 2000))
    rows = iter_event_rows(engine, f, sort, chunk)
    for i, r in enumerate(rows):
        if limit is not None and i >= limit:
            return
        yield event_dict(r)


def get_event(conn: Connection, event_id: str) -> dict[str, Any] | None:
    if "\x00" in event_id:  # no stored id holds NUL, and PostgreSQL refuses it in a query
        return None
    row = conn.execute(select(db.events).where(E.id == event_id)).mappings().first()
    if row is None:
        return None
    doc = conn.execute(select(db.documents).where(D.id == row["document_id"])).mappings().first()
    text_ = doc["text"] if doc else ""
    s, e = row["span_start"], row["span_end"]
    evidence = {
        "sentence": row["sentence"],
        "span": [s, e],
        "text": text_[s:e] if s is not None and e is not None else None,
        "trigger": row["trigger"],
        "trigger_span": [row["trigger_start"], row["trigger_end"]],
    }
    return {"event": event_dict(row), "evidence": evidence,
            "document": _doc_meta(doc) if doc else None}


# -- documents ---------------------------------------------------------------------------


def _doc_meta(m: RowMapping) -> dict[str, Any]:
    return {k: m[k] for k in ("id", "title", "published", "source", "url", "n_events")}


def get_document(conn: Connection, doc_id: str) -> dict[str, Any] | None:
    """A document's text with every annotation stored for it."""
    if "\x00" in doc_id:  # as in get_event
        return None
    doc = conn.execute(select(db.documents).where(D.id == doc_id)).mappings().first()
    if doc is None:
        return None

    def rows(table: Any, *order: Any) -> list[dict[str, Any]]:
        q = select(table).where(table.c.document_id == doc_id).order_by(*order)
        return [dict(r) for r in conn.execute(q).mappings()]

    events = [event_dict(r) for r in conn.execute(
        select(db.events).where(E.document_id == doc_id).order_by(E.span_start, E.id)
    ).mappings()]
    strip = ("document_id",)
    ents, quotes_, qty, places_ = (
        [{k: v for k, v in r.items() if k not in strip} for r in rows(t, t.c.span_start, t.c.id)]
        for t in (db.entities, db.quotes, db.quantities, db.places)
    )
    times = [time_dict(r) for r in rows(db.times, db.times.c.span_start, db.times.c.id)]
    return {"document": {**_doc_meta(doc), "text": doc["text"]}, "events": events,
            "entities": ents, "quotes": quotes_, "quantities": qty, "times": times,
            "places": places_}


def latest_documents(conn: Connection, limit: int = 10) -> list[dict[str, Any]]:
    q = select(db.documents).order_by(D.published.desc(), D.id).limit(limit)
    return [_doc_meta(r) for r in conn.execute(q).mappings()]


# -- aggregates --------------------------------------------------------------------------


def actors(conn: Connection, f: EventFilter, limit: int = 50) -> dict[str, Any]:
    """Events per actor country, as source and as target."""
    # two index-ordered GROUP BYs merged here beat one GROUP BY over a UNION ALL
    counts: dict[str, list[int]] = {}
    for i, col in enumerate((E.source_country, E.target_country)):
        q = select(col, func.count()).where(col.is_not(None), *f.clauses()).group_by(col)
        for country, n in conn.execute(q):
            counts.setdefault(country, [0, 0])[i] = n
    ranked = sorted(counts.items(), key=lambda kv: (-sum(kv[1]), kv[0]))[:limit]
    return {"actors": [{"country": c, "as_source": s, "as_target": t, "events": s + t}
                       for c, (s, t) in ranked]}


def _period(conn: Connection, day: Any, interval: str) -> Any:
    if interval == "day":
        return day
    if interval == "month":
        return func.substr(day, 1, 7).op("||")(literal_column("'-01'"))
    if conn.dialect.name == "postgresql":  # ISO weeks start on Monday
        as_date = func.to_date(day, "YYYY-MM-DD")
        return func.to_char(func.date_trunc("week", as_date), "YYYY-MM-DD")
    return func.date(day, "weekday 0", "-6 days")  # the Monday of its week


def timeline(conn: Connection, f: EventFilter, interval: str = "day") -> dict[str, Any]:
    """Events per PLOVER quad class and the mean Goldstein score, per interval."""
    # Sum per day first (an index-ordered scan), then roll the few hundred days up into
    # weeks or months: far cheaper than grouping 100,000 rows by a computed key.
    def quad(n: int) -> Any:
        return func.sum(case((E.quad_class == n, 1), else_=0)).label(f"q{n}")

    day = E.date.label("day")  # stored as YYYY-MM-DD, so grouping follows the index
    daily = (select(day, func.count().label("n"), quad(1), quad(2), quad(3), quad(4),
                    func.sum(E.goldstein).label("gsum"), func.count(E.goldstein).label("gn"))
             .where(E.date.like("____-__-__"), *f.clauses()).group_by(E.date).subquery())
    period = _period(conn, daily.c.day, interval).label("period")
    d = daily.c
    q = (select(period, func.sum(d.n), func.sum(d.q1), func.sum(d.q2), func.sum(d.q3),
                func.sum(d.q4), func.sum(d.gsum), func.sum(d.gn))
         .group_by(period).order_by(period))
    buckets = []
    for p, n, q1, q2, q3, q4, gsum, gn in conn.execute(q):
        buckets.append({"period": p, "events": n, "quad1": q1, "quad2": q2, "quad3": q3,
                        "quad4": q4, "cooperation": q1 + q2, "conflict": q3 + q4,
                        "goldstein_mean": round(float(gsum) / gn, 3) if gn else None})
    return {"interval": interval, "buckets": buckets}


def map_clusters(conn: Connection, f: EventFilter, cell_deg: float = 2.0) -> dict[str, Any]:
    """Geolocated events binned on a lat/lon grid: one marker per non-empty cell."""
    if conn.dialect.name == "postgresql":
        gy, gx = (func.floor((E.place_lat + 90) / cell_deg),
                  func.floor((E.place_lon + 180) / cell_deg))
    else:  # both operands are >= 0, so truncation is floor
        gy = cast((E.place_lat + 90) / cell_deg, SAInteger)
        gx = cast((E.place_lon + 180) / cell_deg, SAInteger)
    n = func.count().label("n")
    q = (select(gy.label("gy"), gx.label("gx"), n, func.avg(E.place_lat), func.avg(E.place_lon),
                func.min(E.place_name))
         .where(E.place_lat.is_not(None), E.place_lon.is_not(None), *f.clauses())
         .group_by(gy, gx).order_by(n.desc()))
    cells = [{"lat": round(lat, 4), "lon": round(lon, 4), "events": k, "label": name}
             for _, _, k, lat, lon, name in conn.execute(q)]
    return {"cell_deg": cell_deg, "clusters": cells,
            "events": sum(c["events"] for c in cells)}


def overview(conn: Connection, days: int = 365) -> dict[str, Any]:
    def count(table: Any, *where: Any) -> int:
        return conn.scalar(select(func.count()).select_from(table).where(*where)) or 0

    n = func.count().label("n")
    dyads = conn.execute(
        select(E.source_country, E.target_country, n)
        .where(E.source_country.is_not(None), E.target_country.is_not(None),
               E.source_country != E.target_country)
        .group_by(E.source_country, E.target_country)
        .order_by(n.desc(), E.source_country, E.target_country).limit(10)).all()
    per_day = conn.execute(
        select(E.date, n).where(E.date.is_not(None)).group_by(E.date)
        .order_by(E.date.desc()).limit(days)).all()
    by_type = conn.execute(select(E.event_type, n).group_by(E.event_type)
                           .order_by(n.desc(), E.event_type)).all()
    return {
        "documents": count(db.documents),
        "events": count(db.events),
        "geolocated": count(db.events, E.place_lat.is_not(None)),
        "quotes": count(db.quotes),
        "errors": count(db.errors),
        "top_dyads": [{"source": s, "target": t, "events": k} for s, t, k in dyads],
        "events_per_day": [{"date": d, "events": k} for d, k in reversed(per_day)],
        "events_by_type": [{"type": t, "events": k} for t, k in by_type],
    }


# -- quotes ------------------------------------------------------------------------------


def list_quotes(conn: Connection, *, speaker: str | None = None, country: str | None = None,
                document_id: str | None = None, q: str | None = None, limit: int = 50,
                after_id: int | None = None) -> dict[str, Any]:
    Q = db.quotes.c
    sel = (select(db.quotes, D.title.label("document_title"), D.published)
           .join(db.documents, D.id == Q.document_id))
    if speaker:
        sel = sel.where(Q.speaker.ilike("%" + _like_escape(speaker) + "%", escape="\\"))
    if country:
        sel = sel.where(Q.speaker_actor_country == country)
    if document_id:
        sel = sel.where(Q.document_id == document_id)
    for word in search_words(q):
        sel = sel.where(Q.text.ilike("%" + _like_escape(word) + "%", escape="\\"))
    if after_id is not None:
        sel = sel.where(Q.id > after_id)
    rows = conn.execute(sel.order_by(Q.id).limit(limit + 1)).mappings().all()
    page = [dict(r) for r in rows[:limit]]
    nxt = str(page[-1]["id"]) if len(rows) > limit else None
    return {"quotes": page, "next_cursor": nxt, "limit": limit}
