"""Streamed exports of an event query: CSV, JSON Lines, Parquet.

Rows are pulled a keyset page at a time and written as they come, so exporting 100,000
events never holds them all in memory.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy.engine import RowMapping

from tidings.csv_cells import SafeDictWriter
from tidings.store.queries import event_dict

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson",
    "parquet": "application/vnd.apache.parquet",
}

# flat columns for tabular formats; nested actors become role_field columns
COLUMNS = (
    "id", "document_id", "date", "date_precision", "event_type", "mode", "context", "cameo",
    "quad_class", "goldstein", "modality", "source_country", "source_sector", "source_name",
    "source_text", "target_country", "target_sector", "target_name", "target_text",
    "reporter_country", "reporter_text", "trigger", "sentence", "place_name", "place_country",
    "place_lat", "place_lon", "acled_event_type", "acled_sub_event_type", "killed", "injured",
    "confidence",
)  # fmt: skip


def flat_row(m: RowMapping) -> dict[str, Any]:
    return {c: m.get(c) for c in COLUMNS}


def stream(fmt: str, rows: Iterable[RowMapping]) -> Iterator[bytes]:
    if fmt == "csv":
        return _csv(rows)
    if fmt == "jsonl":
        return (json.dumps(event_dict(r), ensure_ascii=False).encode() + b"\n" for r in rows)
    return _parquet(rows)


def _csv(rows: Iterable[RowMapping]) -> Iterator[bytes]:
    buf = io.StringIO()
    writer = SafeDictWriter(buf, fieldnames=COLUMNS)  # formula-looking cells neutralised
    writer.writeheader()
    for i, row in enumerate(rows, 1):
        writer.writerow(flat_row(row))
        if i % 500 == 0:
            yield buf.getvalue().encode()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue().encode()


def _schema():
    import pyarrow as pa

    ints = {"quad_class", "killed", "injured"}
    floats = {"goldstein", "place_lat", "place_lon", "confidence"}
    return pa.schema([(c, pa.int64() if c in ints else pa.float64() if c in floats
                       else pa.string()) for c in COLUMNS])


class _Sink(io.RawIOBase):
    """A write-only file that hands over what was written since the last drain."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.pos = 0

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        data = bytes(b)
        self.chunks.append(data)
        self.pos += len(data)
        return len(data)

    def tell(self) -> int:
        return self.pos

    def drain(self) -> bytes:
        out, self.chunks = b"".join(self.chunks), []
        return out


def _parquet(rows: Iterable[RowMapping], group: int = 5000) -> Iterator[bytes]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema, sink = _schema(), _Sink()
    writer = pq.ParquetWriter(sink, schema)
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(flat_row(row))
        if len(batch) >= group:  # one row group per batch, flushed to the client
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            batch = []
            yield sink.drain()
    if batch:
        writer.write_table(pa.Table.from_pylist(batch, schema=schema))
    writer.close()
    yield sink.drain()
