"""tidings' own columns: csv, jsonl and parquet. Mentions keep the shape ``/api/events``
has always exported (``tidings.web.export``); canonical events the shape of
``/api/canonical`` (JSON) and its flat row (CSV, Parquet)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from tidings.formats import ExportReport, Record, register_renderer, tabular
from tidings.store import canonical_queries as cq

_CANONICAL_INTS = {"num_articles", "num_sources", "num_mentions", "num_copies"}
CANONICAL_COLUMNS = [(c, "int" if c in _CANONICAL_INTS else "str") for c in cq.FLAT_FIELDS]


def _mentions(fmt: str, records: Iterable[Record]) -> Iterator[bytes]:
    from tidings.web import export

    return export.stream(fmt, records)


def _flat_canonical(records: Iterable[Record]) -> Iterator[list]:
    for r in records:
        flat = cq.flat(r["canonical"])
        yield [flat[c] for c in cq.FLAT_FIELDS]


def render_csv(records: Iterable[Record], report: ExportReport) -> Iterator[bytes]:
    if report.kind == "mentions":
        return _mentions("csv", records)
    return tabular.delimited(_flat_canonical(records), CANONICAL_COLUMNS)


def render_jsonl(records: Iterable[Record], report: ExportReport) -> Iterator[bytes]:
    if report.kind == "mentions":
        return _mentions("jsonl", records)
    return (json.dumps(r["canonical"], ensure_ascii=False).encode() + b"\n" for r in records)


def render_parquet(records: Iterable[Record], report: ExportReport) -> Iterator[bytes]:
    if report.kind == "mentions":
        return _mentions("parquet", records)
    return tabular.parquet(_flat_canonical(records), CANONICAL_COLUMNS)


register_renderer("csv", render_csv, media_type="text/csv; charset=utf-8", extension="csv",
                  description="tidings' own flat columns, comma-separated")
register_renderer("jsonl", render_jsonl, media_type="application/x-ndjson",
                  extension="jsonl", description="tidings' own JSON, one event per line")
register_renderer("parquet", render_parquet, media_type="application/vnd.apache.parquet",
                  extension="parquet", binary=True,
                  description="tidings' own flat columns as Parquet")
