"""Cut the inputs of a batch job into partitions, and read one partition back.

A partition is a list of slices: a byte range of a JSON Lines file, a row range of a
Parquet file, or a whole file of any other kind `tidings ingest` reads. The plan depends
only on the inputs and the partition size, so a rerun finds the same partitions under the
same names, which is what makes reruns idempotent and partial runs resumable.

Records come out as `tidings ingest` would produce them (same origins "path:line", same
Rejected reasons), so a batch run and a single-process run agree.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tidings.ingest import iter_articles
from tidings.model import Article, Rejected

JSONL_EXT = frozenset({".jsonl", ".ndjson"})
PARQUET_EXT = frozenset({".parquet", ".pq"})
MAX_BYTES = 5_000_000
_BLOCK = 1 << 20
Item = Article | Rejected


@dataclass(frozen=True)
class Slice:
    path: str  # absolute path the worker reads
    origin: str  # the path as the user wrote it: origins match `tidings ingest`
    kind: str  # "jsonl" (byte range), "parquet" (row range) or "file" (whole file)
    start: int = 0
    stop: int = 0
    first: int = 1  # 1-based line (jsonl) or row (parquet) number of the first record


@dataclass(frozen=True)
class Partition:
    index: int
    slices: tuple[Slice, ...]

    @property
    def name(self) -> str:
        return f"part-{self.index:05d}"


def plan(inputs: Iterable[str | Path], partition_size: int = 200) -> list[Partition]:
    """Partitions of about ``partition_size`` records each, in input order."""
    if partition_size < 1:
        raise ValueError("partition_size must be at least 1")
    parts: list[Partition] = []
    current: list[Slice] = []
    weight = 0
    for path, origin in _files(inputs):
        for piece, w in _slices(path, origin, partition_size):
            if current and weight + w > partition_size:
                parts.append(Partition(len(parts), tuple(current)))
                current, weight = [], 0
            current.append(piece)
            weight += w
    if current:
        parts.append(Partition(len(parts), tuple(current)))
    return parts


def fingerprint(parts: list[Partition]) -> list[dict]:
    """What a plan covers, with file sizes and times, to tell one run's output from another's."""
    seen: dict[str, list] = {}
    for part in parts:
        for s in part.slices:
            if s.path not in seen:
                try:
                    st = os.stat(s.path)
                    seen[s.path] = [st.st_size, st.st_mtime_ns]
                except OSError:
                    seen[s.path] = [None, None]
    return [{"index": p.index,
             "slices": [[s.origin, s.kind, s.start, s.stop, *seen[s.path]] for s in p.slices]}
            for p in parts]


def _files(inputs: Iterable[str | Path]) -> Iterator[tuple[str, str]]:
    """(absolute path, path as written) for every file, folders walked like ingest does."""
    if isinstance(inputs, str | Path):
        inputs = [inputs]
    for p in inputs:
        if "://" in str(p):  # a URL: ingest's reader fetches it
            yield str(p), str(p)
            continue
        path = Path(p)
        if path.is_dir():
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    if not name.startswith("."):
                        f = Path(dirpath) / name
                        yield str(f.absolute()), str(f)
        else:
            yield str(path.absolute()), str(path)


def _slices(path: str, origin: str, size: int) -> Iterator[tuple[Slice, int]]:
    ext = Path(path).suffix.lower()
    if ext in PARQUET_EXT:
        yield from _parquet_slices(path, origin, size)
    elif ext in JSONL_EXT and os.path.isfile(path):
        yield from _jsonl_slices(path, origin, size)
    else:
        yield Slice(path, origin, "file"), 1


def _jsonl_slices(path: str, origin: str, size: int) -> Iterator[tuple[Slice, int]]:
    cuts = _line_cuts(path, size)  # [(byte offset, line number, lines in the piece)]
    if len(cuts) <= 1:  # small file: ingest's own reader, with its whole-file checks
        yield Slice(path, origin, "file"), max(1, cuts[0][2] if cuts else 1)
        return
    end = os.path.getsize(path)
    for i, (offset, line, n) in enumerate(cuts):
        stop = cuts[i + 1][0] if i + 1 < len(cuts) else end
        yield Slice(path, origin, "jsonl", offset, stop, line), n


def _line_cuts(path: str, size: int) -> list[tuple[int, int, int]]:
    """Every ``size``-th line start, scanned in blocks: no line is ever held whole."""
    cuts: list[tuple[int, int, int]] = []
    lines, pos, at_start = 0, 0, True
    with open(path, "rb") as f:
        while block := f.read(_BLOCK):
            i = 0
            while True:
                if at_start:
                    if lines % size == 0:
                        cuts.append((pos + i, lines + 1, 0))
                    lines += 1
                    at_start = False
                nl = block.find(b"\n", i)
                if nl == -1:
                    break
                i, at_start = nl + 1, True
                if i == len(block):
                    break
            pos += len(block)
    return [(off, line, min(size, lines - line + 1)) for off, line, _ in cuts]


def _parquet_slices(path: str, origin: str, size: int) -> Iterator[tuple[Slice, int]]:
    import pyarrow.parquet as pq

    try:
        rows = pq.ParquetFile(path).metadata.num_rows
    except Exception:  # unreadable: one slice, and reading it records why
        yield Slice(path, origin, "parquet", 0, 1), 1
        return
    for start in range(0, rows, size):
        stop = min(rows, start + size)
        yield Slice(path, origin, "parquet", start, stop, start + 1), stop - start


# -- reading ------------------------------------------------------------------------------


def read_partition(part: Partition, *, published: str | None = None,
                   source: str | None = None, max_bytes: int = MAX_BYTES) -> Iterator[Item]:
    """Every Article or Rejected in the partition, in order."""
    for s in part.slices:
        if s.kind == "jsonl":
            items = _read_piece(s, _jsonl_range(s), published, source, max_bytes)
        elif s.kind == "parquet":
            items = _read_piece(s, _parquet_rows(s), published, source, max_bytes)
        else:
            items = iter_articles([s.path], published=published, source=source,
                                  max_bytes=max_bytes)
        for item in items:
            if item.origin.startswith(s.path):
                item.origin = s.origin + item.origin[len(s.path):]
            yield item


def _read_piece(s: Slice, chunks: Iterator[bytes], published: str | None,
                source: str | None, max_bytes: int) -> Iterator[Item]:
    """A range of records, copied to a private JSONL file and read by ingest's own reader,
    so that every rule (fields, dates, reasons) is the one `tidings ingest` applies."""
    fd, tmp = tempfile.mkstemp(prefix="tidings-batch-", suffix=".jsonl")
    failure = None
    try:
        with os.fdopen(fd, "wb") as fh:
            try:
                for chunk in chunks:
                    fh.write(chunk)
            except Exception as exc:  # damaged input: keep what was read, report the rest
                failure = Rejected(s.origin, "unreadable", f"{type(exc).__name__}: {exc}"[:2000])
        for item in iter_articles([tmp], published=published, source=source,
                                  max_bytes=max_bytes):
            where, _, line = item.origin.rpartition(":")
            if where == tmp and line.isdigit():  # "tmp:3" -> "corpus.jsonl:1203"
                item.origin = f"{s.origin}:{s.first + int(line) - 1}"
            elif item.origin == tmp:
                if isinstance(item, Rejected) and item.reason == "empty":
                    continue  # a blank stretch of a bigger file; ingest would not report it
                item.origin = s.origin
            yield item
        if failure is not None:
            yield failure
    finally:
        os.unlink(tmp)


def _jsonl_range(s: Slice) -> Iterator[bytes]:
    with open(s.path, "rb") as f:
        f.seek(s.start)
        left = s.stop - s.start
        while left > 0 and (block := f.read(min(_BLOCK, left))):
            left -= len(block)
            yield block


def _parquet_rows(s: Slice) -> Iterator[bytes]:
    """The slice's rows as JSON Lines (only the row groups that overlap it are read)."""
    import pyarrow.parquet as pq

    wanted = ("id", "title", "text", "published", "source", "url")
    pf = pq.ParquetFile(s.path)
    columns = [c for c in wanted if c in pf.schema_arrow.names]
    first = 0
    for g in range(pf.metadata.num_row_groups):
        n = pf.metadata.row_group(g).num_rows
        lo, hi = max(s.start, first), min(s.stop, first + n)
        if lo < hi:
            rows = pf.read_row_group(g, columns=columns).slice(lo - first, hi - lo)
            for rec in rows.to_pylist():
                yield (json.dumps(rec, ensure_ascii=False, default=str) + "\n").encode()
        first += n
