"""Alembic migrations: the initial revision is the original schema, head equals schema.py,
old stores are adopted, concurrent openers do not trip over each other."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Table, create_engine, func, insert, inspect, select, text
from typer.testing import CliRunner

from tidings.cli import app
from tidings.store import Store, migrate
from tidings.store import schema as db
from tidings.store.store import engine_url

ORIGINAL_TABLES = {"documents", "events", "entities", "errors", "quotes", "quantities"}
# tables later revisions create
LATER_TABLES = {"times", "places", "feed_entries", *(t.name for t in db.CORPUS_TABLES)}
# every table: schema.py defines them all (corpus and feed tables included)
STORE_TABLES = {t.name for t in vars(db).values() if isinstance(t, Table)}


def upgrade_to(url: str, revision: str) -> None:
    engine = create_engine(engine_url(url))
    with migrate.locked(engine) as conn:
        command.upgrade(migrate.alembic_config(conn), revision)
    engine.dispose()


def schema_diff(url: str) -> list:
    engine = create_engine(engine_url(url))
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, db.metadata)
    engine.dispose()

    return [d for d in diff if _table_of(d) in STORE_TABLES]


def _table_of(diff) -> str:
    kind, *rest = diff[0] if isinstance(diff, list) else diff  # modify_* come grouped
    if kind in ("add_table", "remove_table"):
        return rest[0].name
    if kind in ("add_column", "remove_column") or kind.startswith("modify"):
        return rest[1]
    return rest[0].table.name  # an index or a constraint


def test_head_matches_schema_py(store_url: str) -> None:
    with Store(store_url) as store, store.engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head_revision()
        assert ORIGINAL_TABLES <= set(inspect(conn).get_table_names())
    assert schema_diff(store_url) == []


def test_initial_revision_is_the_original_schema(store_url: str) -> None:
    upgrade_to(store_url, "0001")
    engine = create_engine(engine_url(store_url))
    with engine.connect() as conn:
        insp = inspect(conn)
        assert set(insp.get_table_names()) == ORIGINAL_TABLES | {"alembic_version"}
        assert "resolved_at" not in {c["name"] for c in insp.get_columns("errors")}
        assert insp.get_unique_constraints("documents")[0]["column_names"] == ["content_hash"]
        fks = insp.get_foreign_keys("events")
        assert fks[0]["referred_table"] == "documents"
        assert fks[0]["options"].get("ondelete") == "CASCADE"
    engine.dispose()
    # the only difference from schema.py is what later revisions add
    diff = [d for d in schema_diff(store_url) if _table_of(d) not in LATER_TABLES]
    assert [(d[0], d[2], d[3].name) for d in diff] == [("add_column", "errors", "resolved_at")]
    assert ("add_table", "places") in {(d[0], _table_of(d)) for d in schema_diff(store_url)}


def test_a_store_from_before_migrations_is_adopted(store_url: str) -> None:
    upgrade_to(store_url, "0001")
    engine = create_engine(engine_url(store_url))
    with engine.begin() as conn:  # what create_all() used to leave: tables, no version
        conn.execute(text("DROP TABLE alembic_version"))
        conn.execute(insert(db.errors).values(origin="old.txt", reason="empty",
                                              created_at=datetime.now(UTC)))
    engine.dispose()
    with Store(store_url) as store:
        [row] = store.errors()
        assert (row["origin"], row["resolved_at"]) == ("old.txt", None)
        with store.engine.connect() as conn:
            assert migrate.current_revision(conn) == migrate.head_revision()
    assert schema_diff(store_url) == []


def test_opening_an_up_to_date_store_runs_no_migration(store_url: str, monkeypatch) -> None:
    Store(store_url).close()

    def boom(*a, **k):
        raise AssertionError("migration ran on an up-to-date database")

    monkeypatch.setattr(migrate.command, "upgrade", boom)
    monkeypatch.setattr(migrate, "locked", boom)
    with Store(store_url) as store:
        assert store.summary()["documents"] == 0


def test_concurrent_openers_migrate_once(store_url: str) -> None:
    failures: list[BaseException] = []
    start = threading.Barrier(6)

    def open_store() -> None:
        try:
            start.wait()
            Store(store_url).close()
        except BaseException as exc:  # collected: a thread's exception is otherwise lost
            failures.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    engine = create_engine(engine_url(store_url))
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(text("alembic_version"))) == 1
    engine.dispose()


def test_downgrade_and_upgrade_again(store_url: str) -> None:
    Store(store_url).close()
    engine = create_engine(engine_url(store_url))
    with migrate.locked(engine) as conn:
        command.downgrade(migrate.alembic_config(conn), "0001")
    with engine.connect() as conn:
        assert migrate.current_revision(conn) == "0001"
        assert "resolved_at" not in {c["name"] for c in inspect(conn).get_columns("errors")}
    engine.dispose()
    assert migrate.upgrade(create_engine(engine_url(store_url))) == ("0001",
                                                                     migrate.head_revision())


def test_db_commands(store_url: str) -> None:
    runner = CliRunner()
    upgrade_to(store_url, "0001")
    behind = runner.invoke(app, ["db", "current", "--db", store_url])
    assert behind.exit_code == 0, behind.output
    assert behind.stdout.startswith("0001 (behind")
    done = runner.invoke(app, ["db", "upgrade", "--db", store_url])
    assert done.exit_code == 0, done.output
    assert f"0001 -> {migrate.head_revision()}" in done.stdout
    again = runner.invoke(app, ["db", "upgrade", "--db", store_url])
    assert "already at revision" in again.stdout
    assert "up to date" in runner.invoke(app, ["db", "current", "--db", store_url]).stdout


def test_a_database_from_a_newer_tidings_is_refused(store_url: str) -> None:
    Store(store_url).close()
    engine = create_engine(engine_url(store_url))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(RuntimeError, match="upgrade tidings"):
        Store(store_url)


def test_postgres_scheme_means_psycopg3() -> None:
    assert engine_url("postgresql://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert engine_url("postgres://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert engine_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert engine_url("sqlite:///x.db") == "sqlite:///x.db"


@pytest.mark.parametrize("url", ["sqlite://"])
def test_in_memory_sqlite_store_works(url: str) -> None:
    with Store(url) as store:
        assert store.status()["revision"] == migrate.head_revision()
