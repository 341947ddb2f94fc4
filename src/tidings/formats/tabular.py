"""Streamed writers for tabular formats: delimited text (CSV, TSV) and Parquet, from one
column list, so the text and Parquet variants of a format have the same columns."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from tidings.csv_cells import safe_cell

Columns = Sequence[tuple[str, str]]  # (name, int | float | str)
FLUSH_ROWS = 500
ROW_GROUP = 5000


def delimited(rows: Iterable[Sequence[Any]], columns: Columns, delimiter: str = ",",
              header: bool = True, lineterminator: str = "\n") -> Iterator[bytes]:
    """Rows as CSV (or TSV), a few hundred rows per chunk. None is an empty field. In a
    tab-separated file, tabs and line breaks inside text become spaces: readers of
    GDELT-style files split lines on tabs without quoting."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=lineterminator)
    clean = delimiter == "\t"
    if header:
        writer.writerow([name for name, _ in columns])
    for i, row in enumerate(rows, 1):
        if clean:
            row = [_one_line(v) for v in row]
        # text that a spreadsheet would run as a formula is neutralised (tidings.csv_cells)
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
        if i % FLUSH_ROWS == 0:
            yield buf.getvalue().encode()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue().encode()


def _one_line(value: Any) -> Any:
    if isinstance(value, str) and any(c in value for c in "\t\r\n"):
        return " ".join(value.replace("\t", " ").split())
    return value


def arrow_schema(columns: Columns):
    import pyarrow as pa

    types = {"int": pa.int64(), "float": pa.float64(), "str": pa.string()}
    return pa.schema([(name, types[kind]) for name, kind in columns])


class Sink(io.RawIOBase):
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


def parquet(rows: Iterable[Sequence[Any]], columns: Columns,
            group: int = ROW_GROUP) -> Iterator[bytes]:
    """Rows as one Parquet file, one row group per ``group`` rows, flushed as written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema, sink = arrow_schema(columns), Sink()
    writer = pq.ParquetWriter(sink, schema)
    batch: list[list[Any]] = [[] for _ in columns]

    def flush() -> None:
        writer.write_table(pa.Table.from_arrays(
            [pa.array(values, type=schema.field(i).type) for i, values in enumerate(batch)],
            schema=schema))
        for values in batch:
            values.clear()

    for row in rows:
        for values, v in zip(batch, row, strict=True):
            values.append(v)
        if len(batch[0]) >= group:
            flush()
            yield sink.drain()
    if batch[0]:
        flush()
    writer.close()
    yield sink.drain()
