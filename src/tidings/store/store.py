"""Event storage behind one small interface, on SQLAlchemy Core (SQLite or PostgreSQL)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from itertools import islice
from typing import Any

from sqlalchemy import Connection, create_engine, event, func, insert, or_, select
from sqlalchemy.engine import Engine, RowMapping
from sqlalchemy.exc import IntegrityError

from tidings.model import Actor, CodedArticle, Entity, Event, Place, Rejected
from tidings.store import schema as db

log = logging.getLogger("tidings.store")

DEFAULT_URL = "sqlite:///tidings.db"
_IN_CHUNK = 500  # keeps IN (...) lists under SQLite's bound-parameter limit


class Store:
    """Documents, their events and entities, and the errors met on the way.

    A document is written all-or-nothing, and a text already stored (same content hash,
    whatever its id) is skipped, so re-ingesting a corpus adds nothing.
    """

    def __init__(self, url: str = DEFAULT_URL) -> None:
        self.url = url
        self.engine: Engine = create_engine(url)
        if self.engine.dialect.name == "sqlite":
            _configure_sqlite(self.engine)
        db.metadata.create_all(self.engine)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    # -- writing ---------------------------------------------------------------------

    def save(self, coded: CodedArticle, *, pipeline_version: str = "") -> bool:
        """Store one coded article; False (and nothing written) if its text is already in."""
        content_hash = coded.article.content_hash
        try:
            with self.engine.begin() as conn:
                if _known(conn, [content_hash]):
                    return False
                _write(conn, coded, pipeline_version)
        except IntegrityError:
            # another writer may have stored the same text between our check and insert
            if self.has_hash(content_hash):
                return False
            raise
        return True

    def save_many(
        self,
        coded_iterable: Iterable[CodedArticle],
        batch_size: int = 50,
        *,
        pipeline_version: str = "",
    ) -> tuple[int, int]:
        """Store many articles, one transaction per batch and a savepoint per document.

        Returns (saved, skipped). Skipped counts duplicates and documents that failed to
        write; a failure rolls back only that document and is recorded in ``errors``.
        """
        saved = skipped = 0
        for batch in _batches(coded_iterable, batch_size):
            with self.engine.begin() as conn:
                seen = _known(conn, [c.article.content_hash for c in batch])
                for coded in batch:
                    content_hash = coded.article.content_hash
                    if content_hash in seen:
                        skipped += 1
                        continue
                    try:
                        with conn.begin_nested():
                            _write(conn, coded, pipeline_version)
                    except Exception as exc:  # one bad document must not sink the batch
                        log.exception("could not store %s", coded.article.origin or content_hash)
                        skipped += 1
                        rej = Rejected(
                            origin=coded.article.origin or "",
                            reason="store_failed",
                            detail=f"{type(exc).__name__}: {exc}"[:2000],
                            article_id=coded.article.id,
                        )
                        conn.execute(insert(db.errors).values(_error_row(rej)))
                        continue
                    seen.add(content_hash)
                    saved += 1
        return saved, skipped

    def record_error(self, rej: Rejected) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(db.errors).values(_error_row(rej)))

    # -- reading ---------------------------------------------------------------------

    def has_hash(self, content_hash: str) -> bool:
        return bool(self.known_hashes([content_hash]))

    def known_hashes(self, hashes: Iterable[str]) -> set[str]:
        with self.engine.connect() as conn:
            return _known(conn, hashes)

    def events(
        self,
        *,
        actor: str | None = None,
        event_type: str | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
        source: str | None = None,
        target: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Events as ``Event.to_dict()`` dicts plus ``document_id`` and ``date``.

        ``actor`` matches either side's country code; ``since``/``until`` are inclusive
        bounds on the event date. Ordered by date (undated last), then id.
        """
        c = db.events.c
        q = select(db.events)
        if actor:
            code = actor.upper()
            q = q.where(or_(c.source_country == code, c.target_country == code))
        if source:
            q = q.where(c.source_country == source.upper())
        if target:
            q = q.where(c.target_country == target.upper())
        if event_type:
            q = q.where(c.event_type == event_type.upper())
        if since:
            q = q.where(c.date >= _iso(since))
        if until:
            q = q.where(c.date <= _iso(until))
        q = q.order_by(c.date.asc().nulls_last(), c.id)
        if limit is not None:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            return [_event_dict(row) for row in conn.execute(q).mappings()]

    def summary(self) -> dict[str, Any]:
        c = db.events.c
        n = func.count().label("n")
        dyads = (
            select(c.source_country, c.target_country, n)
            .where(c.source_country.is_not(None), c.target_country.is_not(None))
            .group_by(c.source_country, c.target_country)
            .order_by(n.desc(), c.source_country, c.target_country)
            .limit(10)
        )
        with self.engine.connect() as conn:

            def count(table: Any) -> int:
                return conn.scalar(select(func.count()).select_from(table)) or 0

            by_type = conn.execute(
                select(c.event_type, n).group_by(c.event_type).order_by(n.desc(), c.event_type)
            ).all()
            by_reason = conn.execute(
                select(db.errors.c.reason, n)
                .group_by(db.errors.c.reason)
                .order_by(n.desc(), db.errors.c.reason)
            ).all()
            return {
                "documents": count(db.documents),
                "events": count(db.events),
                "errors": count(db.errors),
                "events_by_type": {t: k for t, k in by_type},
                "top_dyads": [(s, t, k) for s, t, k in conn.execute(dyads).all()],
                "errors_by_reason": {r: k for r, k in by_reason},
            }

    def errors(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(db.errors).order_by(db.errors.c.id)).mappings().all()
        out = []
        for row in rows:
            d = dict(row)
            ts = d["created_at"]
            if isinstance(ts, datetime):  # SQLite hands back naive datetimes; they are UTC
                d["created_at"] = (ts if ts.tzinfo else ts.replace(tzinfo=UTC)).isoformat()
            out.append(d)
        return out


# -- helpers -----------------------------------------------------------------------------


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # sqlite3's legacy mode delays BEGIN and lets SAVEPOINTs escape the transaction;
        # take over BEGIN ourselves (recipe from the SQLAlchemy SQLite docs)
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")  # readers don't block the writer
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")  # safe with WAL, much faster commits
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")


def _batches(items: Iterable[CodedArticle], size: int) -> Iterator[list[CodedArticle]]:
    it = iter(items)
    while batch := list(islice(it, max(1, size))):
        yield batch


def _known(conn: Connection, hashes: Iterable[str]) -> set[str]:
    wanted = list(dict.fromkeys(hashes))
    found: set[str] = set()
    for i in range(0, len(wanted), _IN_CHUNK):
        chunk = wanted[i : i + _IN_CHUNK]
        q = select(db.documents.c.content_hash).where(db.documents.c.content_hash.in_(chunk))
        found.update(conn.scalars(q))
    return found


def _write(conn: Connection, coded: CodedArticle, pipeline_version: str) -> None:
    a = coded.article
    doc_id = a.ensure_id()
    conn.execute(
        insert(db.documents).values(
            id=doc_id,
            content_hash=a.content_hash,
            title=a.title,
            text=a.text,
            published=a.published,
            source=a.source,
            url=a.url,
            origin=a.origin,
            n_events=len(coded.events),
            coded_at=datetime.now(UTC),
            pipeline_version=pipeline_version or None,
        )
    )
    if coded.events:
        rows = [_event_row(ev, doc_id, a.published) for ev in coded.events]
        conn.execute(insert(db.events), rows)
    if coded.entities:
        conn.execute(insert(db.entities), [_entity_row(en, doc_id) for en in coded.entities])
    if coded.quotes:
        conn.execute(insert(db.quotes), [
            {"document_id": doc_id, "text": q.text, "span_start": q.span[0],
             "span_end": q.span[1], "speaker": q.speaker, "kind": q.kind,
             **_actor_cols("speaker_actor", q.speaker_actor, with_span=False)}
            for q in coded.quotes])
    if coded.quantities:
        conn.execute(insert(db.quantities), [
            {"document_id": doc_id, "text": q.text, "value": q.value, "unit": q.unit,
             "counts": q.counts, "span_start": q.span[0], "span_end": q.span[1]}
            for q in coded.quantities])


def _actor_cols(role: str, actor: Actor | None, with_span: bool = True) -> dict[str, Any]:
    row: dict[str, Any] = {
        f"{role}_text": actor.text if actor else None,
        f"{role}_name": actor.name if actor else None,
        f"{role}_country": actor.country if actor else None,
        f"{role}_sector": actor.sector if actor else None,
    }
    if with_span:
        span = actor.span if actor and actor.span else (None, None)
        row[f"{role}_start"], row[f"{role}_end"] = span
    return row


def _place_cols(place: Place | None) -> dict[str, Any]:
    if place is None:
        return {}
    span = place.span or (None, None)
    return {"place_name": place.name, "place_country": place.country,
            "place_admin1": place.admin1, "place_lat": place.lat, "place_lon": place.lon,
            "place_geonameid": place.geonameid, "place_feature": place.feature,
            "place_text": place.text, "place_start": span[0], "place_end": span[1]}


def _place_dict(m: RowMapping) -> dict[str, Any] | None:
    if m["place_name"] is None:
        return None
    span = [m["place_start"], m["place_end"]] if m["place_start"] is not None else None
    return {"name": m["place_name"], "country": m["place_country"],
            "admin1": m["place_admin1"], "lat": m["place_lat"], "lon": m["place_lon"],
            "geonameid": m["place_geonameid"], "feature": m["place_feature"],
            "text": m["place_text"], "span": span}


def _event_row(ev: Event, doc_id: str, published: str | None) -> dict[str, Any]:
    extra_date = ev.date or ev.extra.get("date")
    acled = ev.extra.get("acled") or {}
    return {
        **_place_cols(ev.location),
        "date_precision": ev.date_precision,
        "date_text": ev.date_text,
        "acled_event_type": acled.get("event_type"),
        "acled_sub_event_type": acled.get("sub_event_type"),
        "killed": ev.extra.get("killed"),
        "injured": ev.extra.get("injured"),
        "id": ev.id,
        "document_id": doc_id,
        "event_type": ev.event_type,
        "mode": ev.mode,
        "context": ev.context,
        "cameo": ev.cameo,
        "quad_class": ev.quad_class,
        "goldstein": ev.goldstein,
        **_actor_cols("source", ev.source),
        **_actor_cols("target", ev.target),
        "modality": ev.modality,
        **_actor_cols("reporter", ev.reporter, with_span=False),
        "sentence": ev.sentence,
        "span_start": ev.span[0],
        "span_end": ev.span[1],
        "trigger": ev.trigger,
        "trigger_start": ev.trigger_span[0],
        "trigger_end": ev.trigger_span[1],
        "confidence": ev.confidence,
        "date": _iso(extra_date) if extra_date else published,
        "extra": json.dumps(ev.extra, ensure_ascii=False, default=str) if ev.extra else None,
    }


def _entity_row(en: Entity, doc_id: str) -> dict[str, Any]:
    return {
        "document_id": doc_id,
        "text": en.text,
        "label": en.label,
        "span_start": en.span[0],
        "span_end": en.span[1],
        "country": en.country,
        "sector": en.sector,
        "name": en.name,
    }


def _error_row(rej: Rejected) -> dict[str, Any]:
    return {
        "origin": rej.origin,
        "reason": rej.reason,
        "detail": rej.detail,
        "article_id": rej.article_id,
        "created_at": datetime.now(UTC),
    }


def _iso(value: str | date) -> str:
    """Dates as YYYY-MM-DD so string comparison is date comparison; odd strings kept as is."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    s = str(value).strip()
    try:
        return datetime.fromisoformat(s).date().isoformat()
    except ValueError:
        return s


def _actor_dict(m: RowMapping, role: str) -> dict[str, Any] | None:
    keys = ("text", "name", "country", "sector")
    if all(m[f"{role}_{k}"] is None for k in keys):
        return None
    d: dict[str, Any] = {k: m[f"{role}_{k}"] for k in keys}
    start = m.get(f"{role}_start")
    if start is not None:
        d["span"] = [start, m[f"{role}_end"]]
    return d


def _event_dict(m: RowMapping) -> dict[str, Any]:
    conf = m["confidence"]
    d: dict[str, Any] = {
        "id": m["id"],
        "event_type": m["event_type"],
        "mode": m["mode"],
        "context": m["context"],
        "cameo": m["cameo"],
        "quad_class": m["quad_class"],
        "goldstein": m["goldstein"],
        "source": _actor_dict(m, "source"),
        "target": _actor_dict(m, "target"),
        "modality": m["modality"],
        "reporter": _actor_dict(m, "reporter"),
        "sentence": m["sentence"],
        "span": [m["span_start"], m["span_end"]],
        "trigger": m["trigger"],
        "trigger_span": [m["trigger_start"], m["trigger_end"]],
        "confidence": round(conf, 3) if conf is not None else None,
        "date_precision": m["date_precision"],
        "date_text": m["date_text"],
        "location": _place_dict(m),
    }
    if m["extra"]:
        d.update(json.loads(m["extra"]))
    d["document_id"] = m["document_id"]
    d["date"] = m["date"]
    return d
