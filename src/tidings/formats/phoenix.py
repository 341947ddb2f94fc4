"""The Phoenix event data format (``phoenix``: tab-separated with a header line;
``phoenix-parquet``): one CAMEO-coded dyadic event per line."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from tidings.formats import ExportReport, Record, register_table_format
from tidings.formats.gdelt import actor_code

NAME = "phoenix"


def _actor(r: Record, role: str) -> list[Any]:
    entity, role_code = actor_code(r.get(f"{role}_country"), r.get(f"{role}_sector"))
    full = (entity or "") + (role_code or "") or None
    return [full, entity, role_code, None]


def row(r: Record) -> list[Any]:
    day = r.get("date")
    y, m, d = (int(day[:4]), int(day[5:7]), int(day[8:10])) if day and len(day) >= 10 \
        else (None, None, None)
    cameo = r.get("cameo") or None
    sentence = (f"{r['document_id']}_{r['span_start']}"
                if r.get("document_id") and r.get("span_start") is not None else None)
    return [r["id"], y * 10000 + m * 100 + d if y else None, y, m, d,
            *_actor(r, "source"), *_actor(r, "target"),
            cameo, cameo[:2] if cameo else None, r.get("quad_class"), r.get("goldstein"),
            None, r.get("place_lat"), r.get("place_lon"), r.get("place_name"), None,
            r.get("place_country"), sentence, r.get("document_url"), r.get("document_source")]


def _rows(records: Iterable[Record], report: ExportReport) -> Iterator[list[Any]]:
    return (row(r) for r in records)


register_table_format(NAME, _rows, delimiter="\t", description="Phoenix event data")
