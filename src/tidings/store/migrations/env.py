"""Alembic environment: tidings hands in an open connection (see ``tidings.store.migrate``).

Run on its own (an ``alembic.ini`` whose ``sqlalchemy.url`` names the database) it opens
the connection itself.
"""

from alembic import context
from sqlalchemy import Connection, create_engine

from tidings.store.schema import metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things in place; batch mode copies the table instead
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    # a no-op when tidings already opened the transaction (and holds the migration lock)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
elif (conn := config.attributes.get("connection")) is not None:
    _run(conn)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as own:
        _run(own)
    engine.dispose()
