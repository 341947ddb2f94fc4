"""metadata.yml (Datasette) describes the store as it is: every table and column it names
exists in a freshly created store, and every column of a described table is described."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import yaml
from sqlalchemy import inspect

from tidings.store import Store

METADATA = Path(__file__).resolve().parents[2] / "metadata.yml"


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> tuple[Path, dict[str, list[str]]]:
    path = tmp_path_factory.mktemp("datasette") / "tidings.db"
    with Store(f"sqlite:///{path}") as store:
        insp = inspect(store.engine)
        tables = {t: [c["name"] for c in insp.get_columns(t)] for t in insp.get_table_names()}
    return path, tables


@pytest.fixture(scope="module")
def meta() -> dict:
    return yaml.safe_load(METADATA.read_text(encoding="utf-8"))


def test_metadata_tables_and_columns_exist_in_a_fresh_store(fresh, meta):
    _, tables = fresh
    described = meta["databases"]["tidings"]["tables"]
    assert set(described) == set(tables)  # every table described, none that does not exist
    for name, spec in described.items():
        columns = set(tables[name])
        assert spec.get("description"), name
        if "columns" in spec:
            assert set(spec["columns"]) == columns, name
        named = set(spec.get("facets", [])) | set(spec.get("units", {}))
        named |= {spec[k] for k in ("sort", "sort_desc", "label_column") if k in spec}
        assert named <= columns, (name, named - columns)


def test_datasette_serves_the_store_with_the_metadata(fresh, meta):
    datasette = pytest.importorskip("datasette.app")
    path, _ = fresh
    ds = datasette.Datasette(files=[str(path)], metadata=meta)

    async def fetch():
        await ds.invoke_startup()
        table = await ds.client.get("/tidings/events.json")
        home = await ds.client.get("/tidings")
        return table, home

    table, home = asyncio.run(fetch())
    assert table.status_code == 200
    body = table.json()
    assert set(body["facet_results"]) == set(
        meta["databases"]["tidings"]["tables"]["events"]["facets"])
    assert body["units"]["place_lat"] == "degree"
    assert home.status_code == 200 and "minhash_signatures" not in home.text  # hidden
