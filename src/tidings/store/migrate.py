"""Bring a database to the latest schema revision with Alembic, safe under concurrency.

Every process that opens a store may find the database behind; the first one to take the
migration lock upgrades it, the others wait for that lock, see the new revision and go on.
PostgreSQL: a transaction-scoped advisory lock, and the whole upgrade in that transaction
(PostgreSQL DDL is transactional). SQLite: ``BEGIN IMMEDIATE`` takes the write lock first.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).with_name("migrations")
BASELINE = "0001"  # the schema tidings created with create_all() before it had migrations
_LOCK_KEY = 7_469_646_967  # any fixed bigint; names "the tidings schema lock" for the server
WRITE_OPTION = "tidings_write"  # execution option: SQLite begins with BEGIN IMMEDIATE


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


@functools.cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = _scripts().get_current_head()
    assert head is not None, "no migration scripts found"
    return head


def _check_known(revision: str | None) -> None:
    if revision is None:
        return
    try:
        _scripts().get_revision(revision)
    except Exception:  # alembic raises several kinds for an unknown id
        raise RuntimeError(
            f"the database is at schema revision {revision!r}, which this version of tidings "
            f"does not know (its latest is {head_revision()!r}): upgrade tidings") from None


def current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


@contextmanager
def locked(engine: Engine) -> Iterator[Connection]:
    """A transaction holding the migration lock: one migrator at a time per database."""
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.execution_options(**{WRITE_OPTION: True})
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
            yield conn


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str | None]:
    """Upgrade the database to ``revision``; returns (revision before, revision after).

    Opening an up-to-date database costs one query and takes no lock.
    """
    target = head_revision() if revision == "head" else revision
    with engine.connect() as conn:
        before = current_revision(conn)
    if before == target:
        return before, before
    _check_known(before)
    with locked(engine) as conn:
        before = current_revision(conn)  # again, under the lock: someone may have just done it
        if before != target:
            cfg = alembic_config(conn)
            tables = set(inspect(conn).get_table_names())
            if before is None and "documents" in tables:
                # a store made by create_all() before migrations: its schema is the baseline
                command.stamp(cfg, BASELINE)
            command.upgrade(cfg, revision)
        after = current_revision(conn)
    return before, after
