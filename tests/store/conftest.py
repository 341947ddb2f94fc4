"""Storage tests run on SQLite and on a real PostgreSQL server.

The PostgreSQL cases need ``TIDINGS_TEST_POSTGRES_URL`` (``.ci/run`` installs and starts a
server and exports it); without it they skip. Each test gets a schema of its own, dropped
afterwards, so every test starts from an empty database.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tidings.store import Store
from tidings.store.store import engine_url

POSTGRES_ENV = "TIDINGS_TEST_POSTGRES_URL"


def postgres_schema_url(base: str) -> Iterator[str]:
    """A URL whose search_path is a fresh schema; the schema is dropped on exit."""
    from sqlalchemy.engine import make_url

    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(engine_url(base))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(engine_url(base)).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 't.db'}"
        return
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set, so there is no PostgreSQL server to test "
                    "against (.ci/run starts one and sets it)")
    yield from postgres_schema_url(base)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store(store_url) as s:
        yield s
