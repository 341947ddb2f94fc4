"""`tidings db ...`: schema migrations for teams that migrate explicitly.

Opening a store upgrades it anyway; these commands let a deployment do it as its own step
(with a privileged account, before the app starts) and let developers write revisions.
"""

from __future__ import annotations

import importlib
from typing import Annotated

import typer

from tidings.cli_common import DB_OPTION, DEFAULT_DB, app, err, out

db_app = typer.Typer(no_args_is_help=True, help="Database schema migrations (Alembic).")
app.add_typer(db_app, name="db")

# the module that puts every table on the shared MetaData, so autogenerate sees all of them
TABLE_MODULES = ("tidings.store.schema",)


@db_app.command("upgrade")
def upgrade(
    db: Annotated[str, DB_OPTION] = DEFAULT_DB,
    revision: Annotated[str, typer.Option(help="Target revision.")] = "head",
) -> None:
    """Bring the database schema to REVISION (default: the latest)."""
    from tidings.store import Store, migrate

    with Store(db, upgrade=False) as store:
        before, after = migrate.upgrade(store.engine, revision)
    if before == after:
        out.print(f"already at revision {after}")
    else:
        out.print(f"upgraded {before or 'empty database'} -> {after}")


@db_app.command("current")
def current(db: Annotated[str, DB_OPTION] = DEFAULT_DB) -> None:
    """Print the database's schema revision and the latest one this version knows."""
    from tidings.store import Store, migrate

    with Store(db, upgrade=False, must_exist=True) as store, store.engine.connect() as conn:
        rev = migrate.current_revision(conn)
    head = migrate.head_revision()
    note = "up to date" if rev == head else f"behind: run `tidings db upgrade` (latest {head})"
    out.print(f"{rev or 'none'} ({note})")


@db_app.command("revision")
def revision(
    message: Annotated[str, typer.Argument(help="What the revision changes.")],
    db: Annotated[str, DB_OPTION] = "sqlite://",
    autogenerate: Annotated[bool, typer.Option(help="Diff schema.py against the DB.")] = True,
) -> None:
    """Write a new migration script (developers; needs a source checkout)."""
    from alembic import command

    from tidings.store import Store, migrate

    for name in TABLE_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:  # a feature that is not installed has no tables to migrate
            continue
    rev_id = f"{int(migrate.head_revision()) + 1:04d}"
    with Store(db) as store, store.engine.begin() as conn:  # a database at the latest revision
        script = command.revision(migrate.alembic_config(conn), message=message,
                                  autogenerate=autogenerate, rev_id=rev_id)
    path = getattr(script, "path", None)
    err.print(f"wrote {path}: review it before committing (autogenerate is a first draft)")
