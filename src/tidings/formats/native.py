"""tidings' own columns: csv, jsonl and parquet. A mention is written as ``event_dict``
(JSON, the shape of ``/api/events`` and ``Store.events``) or as the flat row
``tidings.store.rows.FLAT_COLUMNS`` (CSV, Parquet); a canonical event as ``/api/canonical``
shows it (JSON) or its flat row (CSV, Parquet)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from tidings.formats import ExportReport, Record, register_renderer, tabular
from tidings.store import canonical_queries as cq
from tidings.store import rows

_CANONICAL_INTS = {"num_articles", "num_sources", "num_mentions", "num_copies"}
CANONICAL_COLUMNS = [(c, "int" if c in _CANONICAL_INTS else "str") for c in cq.FLAT_FIELDS]
CSV_LINE_END = "\r\n"  # mention CSV has always ended its lines so (csv.DictWriter's default)


def _flat_canonical(records: Iterable[Record]) -> Iterator[list]:
    for r in records:
        flat = cq.flat(r["canonical"])
        yield [flat[c] for c in cq.FLAT_FIELDS]


def _flat_mentions(records: Iterable[Record]) -> Iterator[list]:
    return (rows.flat_event(r) for r in records)


def render_csv(records: Iterable[Record], report: ExportReport) -> Iterator[bytes]:
    if report.kind == "mentions":
        return tabular.delimited(_flat_mentions(records), rows.FLAT_COLUMNS,
                                 lineterminator=CSV_LINE_END)
    return tabular.delimited(_flat_canonical(records), CANONICAL_COLUMNS)


def render_jsonl(records: Iterable[Record], report: ExportReport) -> Iterator[bytes]:
    if report.kind == "mentions":
        return (json.dumps(rows.event_dict(r), ensure_ascii=False).encode() + b"\n"
                for r in records)
    return (json.dumps(r["canonical"], ensure_ascii=False).encode() + b"\n" for r in records)


def render_parquet(records: Iterable[Record], report: ExportReport) -> Iterator[bytes]:
    if report.kind == "mentions":
        return tabular.parquet(_flat_mentions(records), rows.FLAT_COLUMNS)
    return tabular.parquet(_flat_canonical(records), CANONICAL_COLUMNS)


register_renderer("csv", render_csv, media_type="text/csv; charset=utf-8", extension="csv",
                  description="tidings' own flat columns, comma-separated")
register_renderer("jsonl", render_jsonl, media_type="application/x-ndjson",
                  extension="jsonl", description="tidings' own JSON, one event per line")
register_renderer("parquet", render_parquet, media_type="application/vnd.apache.parquet",
                  extension="parquet", binary=True,
                  description="tidings' own flat columns as Parquet")
