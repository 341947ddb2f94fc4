"""One partition of a batch job, start to finish, as plain functions.

Nothing here knows about Dask: ``run_partition`` is what a Dask task calls, and it is just
as happy in a plain loop. It reads the partition's records, codes them with the process's
one cached model (``get_coder``), and writes one Parquet file per dataset. A document
that cannot be read or coded becomes an ``errors`` row; it never fails the partition.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from tidings.batch.plan import Item, Partition, read_partition
from tidings.batch.tables import (
    DATASETS,
    Rows,
    add_coded,
    add_error,
    count_rows,
    empty_rows,
    is_done,
    part_path,
    utcnow,
    write_rows,
)
from tidings.model import Rejected
from tidings.runs import code, partly_coded


def code_partition(items: Iterable[Item], coder: Any, *, batch_size: int = 32,
                   now: datetime | None = None, min_confidence: float | None = None) -> Rows:
    """Code a partition's records into table rows (see ``tables.DATASETS``), through the
    run service's coding half (``tidings.runs.code``, with its confidence cut: None is the
    default every entry point applies): a record that cannot be read or coded becomes an
    error row, a document coded only in part also gets its ``partly_coded`` row, as
    `tidings ingest` records them."""
    if batch_size < 1:  # islice(.., 0) would code nothing and the partition count as done
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    now = now or utcnow()
    rows = empty_rows()
    for result in code(items, coder, batch_size=batch_size, min_confidence=min_confidence):
        if isinstance(result, Rejected):
            add_error(rows, result, now)
            continue
        add_coded(rows, result, coder.version, now)
        if (note := partly_coded(result)) is not None:
            add_error(rows, note, now)
    return rows


def run_partition(part: Partition, out: str | Path, *, published: str | None = None,
                  source: str | None = None, batch_size: int = 32,
                  coder: Any = None, min_confidence: float | None = None) -> dict[str, Any]:
    """Code ``part`` into ``out`` unless its files are already there; return its counts."""
    skipped = is_done(out, part.name)
    if not skipped:
        if coder is None:
            from tidings.pipeline import get_coder  # once per process, cached

            coder = get_coder()
        items = read_partition(part, published=published, source=source)
        write_rows(out, part.name, code_partition(items, coder, batch_size=batch_size,
                                                  min_confidence=min_confidence))
    counts = {d: count_rows([part_path(out, d, part.name)]) for d in DATASETS}
    return {"partition": part.name, "skipped": skipped, **counts}
