"""Event storage behind one small interface, on SQLAlchemy Core (SQLite or PostgreSQL)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import (
    Connection,
    create_engine,
    event,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, NoSuchModuleError

from tidings.errors import StoreError
from tidings.model import Article, CodedArticle, Rejected
from tidings.store import geo, migrate, queries, rows
from tidings.store import schema as db
from tidings.store.queries import EventFilter

log = logging.getLogger("tidings.store")

DEFAULT_URL = "sqlite:///tidings.db"
_IN_CHUNK = 500  # keeps IN (...) lists under SQLite's bound-parameter limit
Outcome = Literal["saved", "duplicate", "failed"]


def engine_url(url: str) -> str:
    """``postgresql://`` means psycopg 3 here (SQLAlchemy's default driver is psycopg2).

    Raises ``StoreError`` for something that is not a database URL (e.g. a bare path)."""
    if url.startswith("postgres://"):  # the spelling Heroku and libpq tools use
        url = "postgresql://" + url.removeprefix("postgres://")
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(_not_a_url(url)) from None
    if parsed.drivername == "postgresql":
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return url


class Store:
    """Documents, their events and entities, and the errors met on the way.

    A document is written all-or-nothing, and a text already stored (same content hash,
    whatever its id) is skipped, so re-ingesting a corpus adds nothing. Opening a store
    brings its schema to the latest migration unless ``upgrade=False``.
    """

    def __init__(self, url: str = DEFAULT_URL, *, upgrade: bool = True,
                 must_exist: bool = False) -> None:
        """``must_exist`` (for commands that only read) refuses to create a SQLite file
        that is not there: a typo in the path is an error, not a new empty store.
        Raises ``StoreError`` when the URL is not one, or the database cannot be opened."""
        self.url = engine_url(url)
        if must_exist:
            _check_exists(self.url)
        try:
            self.engine: Engine = create_engine(self.url, **_engine_options(self.url))
        except (ArgumentError, NoSuchModuleError, ImportError) as exc:
            raise StoreError(f"cannot use the database URL {_safe(self.url)}: {exc}") from None
        if self.engine.dialect.name == "sqlite":
            _configure_sqlite(self.engine)
        try:
            if upgrade:
                migrate.upgrade(self.engine)
            else:
                with self.engine.connect():
                    pass
        except DBAPIError as exc:
            self.engine.dispose()
            raise StoreError(f"cannot open the database {_safe(self.url)}: "
                             f"{_first_line(exc.orig)}") from None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A write transaction; on SQLite it takes the write lock up front (no upgrade race,
        and a transaction that reads before it writes cannot lose its lock to another
        writer). Every write to the store goes through here, corpus clustering included."""
        with self.engine.connect() as conn:
            conn.execution_options(**{migrate.WRITE_OPTION: True})
            with conn.begin():
                yield conn

    # -- writing ---------------------------------------------------------------------

    def add_many(self, batch: Sequence[CodedArticle], *, pipeline_version: str = "",
                 failures: list[Rejected] | None = None) -> list[Outcome]:
        """Store a batch of articles in one transaction, each in a savepoint of its own:
        a document that fails to write is rolled back alone and recorded in ``errors``,
        and the rest of the batch is stored. One outcome per article, in order; the
        ``Rejected`` of each failed one, in order, goes to ``failures`` when given (a
        caller's own list, so that threads sharing this store keep theirs apart).

        The one way documents are written: callers go through the run service
        (``tidings.runs.ingest``, or ``store_coded`` for documents coded elsewhere), which
        batches, counts and reports."""
        failures = [] if failures is None else failures
        outcomes: list[Outcome] = []
        if not batch:
            return outcomes
        with self.writing() as conn:
            hashes = [c.article.content_hash for c in batch]
            seen = _known(conn, hashes)
            # First the whole batch at once: one INSERT per table. Only if a document
            # fails is the batch written again document by document, to find which.
            first = {h: i for i, h in reversed(list(enumerate(hashes)))}
            fresh = [c for i, (c, h) in enumerate(zip(batch, hashes, strict=True))
                     if h not in seen and first[h] == i]
            try:
                with conn.begin_nested():
                    _write_many(conn, fresh, pipeline_version)
            except Exception:
                pass  # rolled back: find the culprit below
            else:
                stored = {id(c) for c in fresh}
                return ["saved" if id(c) in stored else "duplicate" for c in batch]
            for coded in batch:
                content_hash = coded.article.content_hash
                if content_hash in seen:
                    outcomes.append("duplicate")
                    continue
                try:
                    with conn.begin_nested():
                        _write(conn, coded, pipeline_version)
                except IntegrityError:
                    # another writer stored the same text since the check (PostgreSQL)
                    if _known(conn, [content_hash]):
                        outcomes.append("duplicate")
                        continue
                    outcomes.append(self._failed(conn, coded, content_hash, failures))
                    continue
                except Exception:  # one bad document must not sink the batch
                    outcomes.append(self._failed(conn, coded, content_hash, failures))
                    continue
                seen.add(content_hash)
                outcomes.append("saved")
        return outcomes

    def _failed(self, conn: Connection, coded: CodedArticle, content_hash: str,
                failures: list[Rejected]) -> Outcome:
        exc = sys.exc_info()[1]
        rej = _store_failed(conn, coded, exc)
        log.info("could not store %s: %s", rej.origin or content_hash, rej.detail)
        log.debug("store failure", exc_info=True)
        _insert_error(conn, rej)
        failures.append(rej)
        return "failed"

    def record_error(self, rej: Rejected) -> bool:
        """Record a failure; False when the same origin already has that open failure."""
        with self.writing() as conn:
            return _insert_error(conn, rej)

    def resolve_errors(self, ids: Iterable[int]) -> int:
        """Mark failures as fixed; the rows stay, so the history of a corpus is kept."""
        wanted, done = list(ids), 0
        now = datetime.now(UTC)
        with self.writing() as conn:
            for i in range(0, len(wanted), _IN_CHUNK):
                q = (update(db.errors)
                     .where(db.errors.c.id.in_(wanted[i : i + _IN_CHUNK]),
                            db.errors.c.resolved_at.is_(None))
                     .values(resolved_at=now))  # fmt: skip
                done += conn.execute(q).rowcount
        return done

    # -- reading ---------------------------------------------------------------------

    def has_hash(self, content_hash: str) -> bool:
        return bool(self.known_hashes([content_hash]))

    def has_article(self, article: Article) -> bool:
        return self.has_hash(article.content_hash)

    def known_hashes(self, hashes: Iterable[str]) -> set[str]:
        with self.engine.connect() as conn:
            return _known(conn, hashes)

    def events(self, where: EventFilter | None = None, *, event_type: str | None = None,
               limit: int | None = None, sort: str = "date",
               **filters: Any) -> list[dict[str, Any]]:
        """Stored events as JSON (``rows.event_dict``: the shape of ``tidings events
        --format jsonl`` and ``/api/events``), filtered by an ``EventFilter`` or by its
        fields as keywords: ``actor`` (either side's country), ``source``, ``target``,
        ``since``/``until`` (inclusive dates), ``near=(lat, lon)`` with ``radius_km``
        (great-circle; adds ``distance_km``), ``q``, ``min_confidence`` ...; ``event_type``
        is one type. Ordered by date (undated first), then id, as the API orders them."""
        if event_type:
            filters["types"] = (event_type,)
        f = replace(where, **filters) if where is not None else EventFilter(**filters)
        return list(queries.iter_events(self.engine, f, sort, limit))

    def quotes(self, *, speaker: str | None = None, limit: int | None = None) -> list[dict]:
        """Stored quotes, with their document's title and date; ``speaker`` matches the
        words naming the speaker or the resolved actor's name, case-insensitively."""
        qc, dc = db.quotes.c, db.documents.c
        q = select(db.quotes, dc.title, dc.published).join(
            db.documents, qc.document_id == dc.id)
        if speaker:
            q = q.where(or_(qc.speaker.icontains(speaker, autoescape=True),
                            qc.speaker_actor_name.icontains(speaker, autoescape=True)))
        q = q.order_by(dc.published.asc().nulls_last(), qc.document_id, qc.span_start, qc.id)
        if limit is not None:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            return [rows.quote_dict(m) for m in conn.execute(q).mappings()]

    def summary(self) -> dict[str, Any]:
        """Counts; ``errors`` are the failures not yet resolved."""
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
            by_type = conn.execute(
                select(c.event_type, n).group_by(c.event_type).order_by(n.desc(), c.event_type)
            ).all()
            by_reason = _errors_by_reason(conn)
            return {
                "documents": _count(conn, db.documents),
                "events": _count(conn, db.events),
                "errors": sum(by_reason.values()),
                "events_by_type": {t: k for t, k in by_type},
                "top_dyads": [(s, t, k) for s, t, k in conn.execute(dyads).all()],
                "errors_by_reason": by_reason,
            }

    def status(self) -> dict[str, Any]:
        """What a run left behind: what is stored, what failed (open) and what was fixed."""
        dc, ec = db.documents.c, db.errors.c
        with self.engine.connect() as conn:
            versions = conn.execute(
                select(dc.pipeline_version, func.count()).group_by(dc.pipeline_version)
            ).all()
            return {
                "url": make_url(self.url).render_as_string(hide_password=True),
                "revision": migrate.current_revision(conn),
                "documents": _count(conn, db.documents),
                "events": _count(conn, db.events),
                "entities": _count(conn, db.entities),
                "quotes": _count(conn, db.quotes),
                "quantities": _count(conn, db.quantities),
                "times": _count(conn, db.times),
                "places": _count(conn, db.places),
                "last_coded_at": rows.utc_iso(conn.scalar(select(func.max(dc.coded_at)))),
                "pipeline_versions": {v or "": k for v, k in versions},
                "open_errors": _errors_by_reason(conn),
                "resolved_errors": _count(conn, db.errors, ec.resolved_at.is_not(None)),
            }

    def errors(self, *, open_only: bool = False) -> list[dict[str, Any]]:
        q = select(db.errors).order_by(db.errors.c.id)
        if open_only:
            q = q.where(db.errors.c.resolved_at.is_(None))
        with self.engine.connect() as conn:
            found = conn.execute(q).mappings().all()
        return [{**m, "created_at": rows.utc_iso(m["created_at"]),
                 "resolved_at": rows.utc_iso(m["resolved_at"])} for m in found]


# -- helpers -----------------------------------------------------------------------------


def _not_a_url(url: str) -> str:
    path = Path(url).expanduser()
    hint = f"sqlite:///{path}" if path.is_absolute() else f"sqlite:///{url}"
    return (f"{url!r} is not a database URL; for a SQLite file give {hint} "
            "(three slashes, then the path; an absolute path adds a fourth)")


def _safe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _first_line(exc: BaseException | None) -> str:
    lines = str(exc or "").strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _engine_options(url: str) -> dict[str, Any]:
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
        # an unreachable server is reported in seconds, not after the OS gives up
        return {"connect_args": {"connect_timeout": 10}}
    return {}


def _check_exists(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return  # a server database either answers or not; it is never created by connecting
    database = parsed.database or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    if not Path(database).is_file():
        raise StoreError(f"no such database: {database} (`tidings ingest` creates one; "
                         "check the path in --db)")


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
        geo.add_sqlite_math(dbapi_conn)  # the distance filter needs sin and cos

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # a writer that starts as a reader can fail to upgrade its lock in WAL mode
        # (SQLITE_BUSY_SNAPSHOT, not retried); writers take the lock when they begin
        write = conn.get_execution_options().get(migrate.WRITE_OPTION)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _count(conn: Connection, table: Any, *where: Any) -> int:
    return conn.scalar(select(func.count()).select_from(table).where(*where)) or 0


def _errors_by_reason(conn: Connection) -> dict[str, int]:
    ec, n = db.errors.c, func.count().label("n")
    q = (select(ec.reason, n).where(ec.resolved_at.is_(None)).group_by(ec.reason)
         .order_by(n.desc(), ec.reason))  # fmt: skip
    return {r: k for r, k in conn.execute(q).all()}


def _known(conn: Connection, hashes: Iterable[str]) -> set[str]:
    wanted = list(dict.fromkeys(hashes))
    found: set[str] = set()
    for i in range(0, len(wanted), _IN_CHUNK):
        chunk = wanted[i : i + _IN_CHUNK]
        q = select(db.documents.c.content_hash).where(db.documents.c.content_hash.in_(chunk))
        found.update(conn.scalars(q))
    return found


def _write_many(conn: Connection, batch: list[CodedArticle], pipeline_version: str) -> None:
    """What _write does for each article, as one INSERT per table for the whole batch."""
    tables: dict[Any, list[dict[str, Any]]] = {db.documents: [], db.events: [],
                                               db.entities: [], db.quotes: [],
                                               db.quantities: [], db.times: [],
                                               db.places: []}
    for coded in batch:
        a = coded.article
        doc_id = a.ensure_id()
        tables[db.documents].append(rows.document_row(coded, doc_id, pipeline_version))
        tables[db.events] += [rows.event_row(ev, doc_id, a.published) for ev in coded.events]
        tables[db.entities] += [rows.entity_row(en, doc_id) for en in coded.entities]
        tables[db.quotes] += rows.quote_rows(coded, doc_id)
        tables[db.quantities] += rows.quantity_rows(coded, doc_id)
        tables[db.times] += rows.time_rows(coded, doc_id)
        tables[db.places] += rows.place_rows(coded, doc_id)
    for table, table_rows in tables.items():  # documents first: the others refer to them
        if table_rows:
            conn.execute(insert(table), table_rows)


def _write(conn: Connection, coded: CodedArticle, pipeline_version: str) -> None:
    _write_many(conn, [coded], pipeline_version)


def _insert_error(conn: Connection, rej: Rejected) -> bool:
    # re-running a command meets the same broken file again: keep one open row for it
    row = rows.error_row(rej)
    ec = db.errors.c
    again = select(ec.id).where(ec.origin == row["origin"], ec.reason == row["reason"],
                                ec.resolved_at.is_(None)).limit(1)
    if conn.scalar(again) is not None:
        return False
    conn.execute(insert(db.errors).values(row))
    return True


def _store_failed(conn: Connection, coded: CodedArticle, exc: BaseException | None) -> Rejected:
    """Why a document could not be written, in words: never the SQL or the text."""
    a = coded.article
    if isinstance(exc, IntegrityError) and a.id is not None:
        try:
            taken = conn.scalar(select(db.documents.c.content_hash)
                                .where(db.documents.c.id == a.id))
        except Exception:  # the transaction is broken: fall back to the generic reason
            taken = None
        if taken is not None and taken != a.content_hash:
            return Rejected(origin=a.origin or "", reason="id_conflict",
                            detail=f"the id {a.id!r} is already used by a different text; "
                                   "give this document another id", article_id=a.id)
    # a database error's own message (exc.orig) leaves out the statement and its values
    cause = getattr(exc, "orig", None) or exc
    detail = f"{type(cause).__name__}: {_first_line(cause)}"[:500]
    return Rejected(origin=a.origin or "", reason="store_failed", detail=detail,
                    article_id=a.id)
