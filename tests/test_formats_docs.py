"""docs/formats.md documents every field of every export format, with where it comes from
and when it is empty (the column lists are the formats' own, from their data files)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tidings.formats import codes, renderer_names

DOC = Path(__file__).resolve().parents[1] / "docs" / "formats.md"
CODEBOOKS = Path(__file__).parent / "data" / "codebooks"


def section_rows(name: str) -> list[list[str]]:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(name)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, f"no section '## {name}' in docs/formats.md"
    rows = [[c.strip() for c in line.strip().strip("|").split("|")]
            for line in match.group(1).splitlines() if line.startswith("|")]
    return [r for r in rows[2:]]  # past the header and the |---| line


@pytest.mark.parametrize("fmt", ["acled", "gdelt", "phoenix"])
def test_every_column_is_documented_in_order(fmt):
    rows = section_rows(fmt)
    assert [r[0] for r in rows] == [name for name, _ in codes.columns(fmt)]
    for column, kind, source, empty in rows:
        assert kind == dict(codes.columns(fmt))[column], column
        assert source and empty, f"{fmt}.{column}: 'from' and 'empty when' must be filled"


def test_every_polecat_field_is_documented():
    book = json.loads((CODEBOOKS / "polecat.json").read_text())
    fields = list(book["event"])
    fields += [f"{obj}.{k}" for obj in ("actor", "location", "tidings") for k in book[obj]]
    documented = set()
    for row in section_rows("polecat"):
        assert row[2] and row[3], row[0]
        for name in row[0].split(","):
            documented.add(name.strip().replace("recipient.", "actor."))
    assert set(fields) <= documented


def test_every_registered_format_is_named_in_the_docs():
    text = DOC.read_text(encoding="utf-8")
    for name in renderer_names():
        assert f"`{name}`" in text, name
