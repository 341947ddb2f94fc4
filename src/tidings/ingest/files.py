"""Stream articles out of files, directories, feeds and URLs.

Bad input never raises: every file, line or row that cannot become an Article comes out as a
``Rejected`` with a short ``reason`` code and a human ``detail``, so callers can record it.
Reason codes: not_found, unreadable, empty, binary, bad_encoding, oversized, no_text,
malformed_json, malformed_csv, bad_header, missing_text; feeds and URLs add theirs
(see ``tidings.ingest.feeds`` and ``tidings.ingest.urls``).
"""

from __future__ import annotations

import codecs
import csv
import json
import logging
import os
import stat
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tidings.ingest.dates import normalise_date
from tidings.ingest.feeds import FEED_EXT
from tidings.ingest.html import extract_html
from tidings.ingest.remote import Net, as_url, read_capped
from tidings.ingest.urls import Fetcher
from tidings.model import Article, Rejected

log = logging.getLogger("tidings.ingest")

HTML_EXT = frozenset({".html", ".htm", ".xhtml"})
JSONL_EXT = frozenset({".jsonl", ".ndjson"})
JSON_EXT = frozenset({".json"})
CSV_EXT = frozenset({".csv"})
# configuration (e.g. sources.yaml) lives next to corpora; a folder walk must not code it
SKIP_IN_WALK = frozenset({".yaml", ".yml"})

SNIFF_BYTES = 8192
TITLE_MAX = 200
_BOM = codecs.BOM_UTF8
# bytes that occur in text; whatever is left after deleting them is a sign of binary data
_TEXT_BYTES = bytes({7, 8, 9, 10, 12, 13, 27} | set(range(0x20, 0x100)) - {0x7F})

Item = Article | Rejected


@dataclass(frozen=True)
class _Defaults:
    published: str | None
    source: str | None
    net: Net


def iter_articles(
    paths: Iterable[str | Path] | str | Path,
    *,
    max_bytes: int = 5_000_000,
    published: str | None = None,
    source: str | None = None,
    fetch_pages: bool = True,
    fetcher: Fetcher | None = None,
    allow_private: bool = False,
) -> Iterator[Item]:
    """Yield an Article or a Rejected for every document found under ``paths``.

    ``published`` and ``source`` fill in what a file does not say itself. Files are read
    one at a time and JSONL/CSV one record at a time, so memory stays bounded by
    ``max_bytes`` (the cap applies per record for JSONL/CSV, per file otherwise).
    An http(s) URL is fetched and read as a feed or an article page; feed entries with only
    a summary get their linked page fetched when ``fetch_pages`` is true. ``fetcher`` is
    the HTTP client to share (one is opened, and closed at the end, if not given).
    ``allow_private`` lets that client fetch from loopback, private and link-local
    addresses, which the fetch policy refuses by default (``tidings.ingest.policy``).
    """
    default_date = None
    if published is not None:
        default_date = normalise_date(published)
        if default_date is None:
            raise ValueError(f"published={published!r} is not a recognisable date")
    net = Net(fetcher, max_bytes=max_bytes, fetch_pages=fetch_pages,
              allow_private=allow_private)
    defaults = _Defaults(published=default_date, source=source, net=net)
    if isinstance(paths, str | Path):  # a lone path, not an iterable of characters
        paths = [paths]
    try:
        for p in paths:
            url = as_url(p)
            path = Path(p)
            if url is not None:
                yield from net.read_url(url, default_date, source)
            elif path.is_dir():
                for f in _walk(path):
                    yield from _read_file(f, max_bytes, defaults)
            else:
                yield from _read_file(path, max_bytes, defaults)
    finally:
        net.close()


def _walk(root: Path) -> Iterator[Path]:
    """Files under ``root`` in a stable order, hidden files and folders skipped."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith(".") and Path(name).suffix.lower() not in SKIP_IN_WALK:
                yield Path(dirpath) / name


def _read_file(path: Path, max_bytes: int, defaults: _Defaults) -> Iterator[Item]:
    origin = str(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        yield Rejected(origin, "not_found", "no such file or directory")
        return
    except OSError as exc:
        yield Rejected(origin, "unreadable", str(exc))
        return
    if not stat.S_ISREG(st.st_mode):
        yield Rejected(origin, "unreadable", "not a regular file")
        return
    if st.st_size == 0:
        yield Rejected(origin, "empty", "file is empty")
        return
    ext = path.suffix.lower()
    try:
        if ext in JSONL_EXT:
            yield from _read_jsonl(path, max_bytes, defaults)
        elif ext in CSV_EXT:
            yield from _read_csv(path, max_bytes, defaults)
        elif ext in FEED_EXT and defaults.net.is_feed_file(path, ext):
            yield from defaults.net.read_feed_file(path, st.st_size, defaults.published,
                                                   defaults.source)
        else:
            yield from _read_whole(path, ext, st.st_size, max_bytes, defaults)
    except OSError as exc:  # e.g. permission denied, file vanished mid-read
        yield Rejected(origin, "unreadable", str(exc))


# -- whole-file formats: text, HTML, JSON ------------------------------------------------


def _read_whole(
    path: Path, ext: str, size: int, max_bytes: int, defaults: _Defaults
) -> Iterator[Item]:
    origin = str(path)
    text = read_capped(path, size, max_bytes, _decode)
    if isinstance(text, Rejected):
        yield text
        return
    if ext in HTML_EXT:
        yield _from_html(text, origin, defaults)
    elif ext in JSON_EXT:
        yield from _from_json(text, origin, defaults)
    else:
        yield Article(
            text=text,
            title=_first_line_title(text),
            published=defaults.published,
            source=defaults.source,
            origin=origin,
        )


def _decode(data: bytes, origin: str, base: int = 0) -> str | Rejected:
    """Strict UTF-8 (optional BOM): guessing a legacy codepage would corrupt text silently."""
    if not data.strip():
        return Rejected(origin, "empty", "only whitespace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Rejected(origin, "bad_encoding", "UTF-16 text; convert it to UTF-8")
    if _looks_binary(data[:SNIFF_BYTES]):
        return Rejected(origin, "binary", "NUL or control bytes in the first 8 KB")
    skip = len(_BOM) if data.startswith(_BOM) else 0
    try:
        text = data[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        at = base + skip + exc.start
        return Rejected(origin, "bad_encoding", f"invalid UTF-8 at byte {at}: {exc.reason}")
    if not text.strip():
        return Rejected(origin, "empty", "only whitespace")
    return text


def _looks_binary(sample: bytes) -> bool:
    if b"\x00" in sample:
        return True
    odd = len(sample.translate(None, _TEXT_BYTES))
    return odd > 0.1 * len(sample)


def _first_line_title(text: str) -> str | None:
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= TITLE_MAX else None
    return None


def _from_html(html: str, origin: str, defaults: _Defaults) -> Item:
    page = extract_html(html)
    if page is None:
        return Rejected(origin, "no_text", "no main text found in the HTML")
    return Article(
        text=page.text,
        title=page.title,
        published=_pick_date(page.published, defaults.published, origin),
        source=page.source or defaults.source,
        url=page.url,
        origin=origin,
    )


def _from_json(text: str, origin: str, defaults: _Defaults) -> Iterator[Item]:
    """A .json file holds one article object or a list of them."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Rejected(origin, "malformed_json", f"{exc.msg} at line {exc.lineno} col {exc.colno}")
        return
    if isinstance(data, dict):
        yield _from_record(data, origin, defaults)
        return
    if not isinstance(data, list):
        yield Rejected(origin, "malformed_json", f"expected an object or a list, got {_kind(data)}")
        return
    for i, rec in enumerate(data, 1):
        where = f"{origin}:{i}"
        if isinstance(rec, dict):
            yield _from_record(rec, where, defaults)
        else:
            yield Rejected(where, "malformed_json", f"expected an object, got {_kind(rec)}")


# -- record formats: JSON Lines and CSV -------------------------------------------------


def _read_jsonl(path: Path, max_bytes: int, defaults: _Defaults) -> Iterator[Item]:
    origin = str(path)
    with path.open("rb") as f:
        if _looks_binary(f.read(SNIFF_BYTES)):
            yield Rejected(origin, "binary", "NUL or control bytes in the first 8 KB")
            return
        f.seek(0)
        offset, lineno, seen = 0, 0, False
        while raw := f.readline(max_bytes + 1):  # bounded read: one huge line cannot blow up
            lineno += 1
            start, offset = offset, offset + len(raw)
            where = f"{origin}:{lineno}"
            if len(raw) > max_bytes and not raw.endswith(b"\n"):
                while (more := f.readline(1 << 16)) and not more.endswith(b"\n"):
                    offset += len(more)
                offset += len(more)
                seen = True
                yield Rejected(where, "oversized", f"line longer than max_bytes={max_bytes}")
                continue
            if not raw.strip():
                continue
            seen = True
            line = _decode(raw, where, base=start)
            if isinstance(line, Rejected):
                yield line
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Rejected(where, "malformed_json", f"{exc.msg} at column {exc.colno}")
                continue
            if not isinstance(rec, dict):
                yield Rejected(where, "malformed_json", f"expected an object, got {_kind(rec)}")
                continue
            yield _from_record(rec, where, defaults)
    if not seen:
        yield Rejected(origin, "empty", "only blank lines")


def _read_csv(path: Path, max_bytes: int, defaults: _Defaults) -> Iterator[Item]:
    origin = str(path)
    bad = _check_utf8(path)
    if bad is not None:
        yield bad
        return
    # csv's default 128 KB field cap is below a long article; the limit is process-wide,
    # so only ever raise it
    csv.field_size_limit(max(csv.field_size_limit(), max_bytes + 1))
    with path.open(encoding="utf-8-sig", newline="") as f:
        lines = _Lines(f)
        # strict: a quote that does not close where a field ends is an error, not text
        reader = csv.reader(lines, strict=True)
        header: list[str] = []
        try:
            for row in reader:
                if any(cell.strip() for cell in row):
                    header = [h.strip().lower() for h in row]
                    break
        except csv.Error as exc:
            yield Rejected(f"{origin}:{lines.first_line}", "malformed_csv",
                           f"header: {exc}; file skipped")
            return
        if not header:
            yield Rejected(origin, "empty", "only whitespace")
            return
        if "text" not in header:
            found = ", ".join(header)
            yield Rejected(origin, "bad_header", f"no 'text' column (found: {found})")
            return
        seen = False
        while True:
            lines.start_record()
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                # One broken row is recorded and the rows after it are kept: an unclosed
                # quote would otherwise swallow the next rows (and their dates) into its text.
                seen = True
                where = f"{origin}:{lines.first_line}"
                if "field larger" in str(exc):
                    yield Rejected(where, "oversized", f"a field over {max_bytes} bytes")
                    lines.skip_open_quote()
                else:
                    yield Rejected(where, "malformed_csv", f"{exc} (an unclosed quote?); "
                                   "this row skipped, the rows after it read")
                    lines.reread_after_first()
                reader = csv.reader(lines, strict=True)
                continue
            where = f"{origin}:{lines.first_line}"
            if not any(cell.strip() for cell in row):
                continue
            seen = True
            size = sum(len(cell.encode("utf-8")) for cell in row)
            if size > max_bytes:
                yield Rejected(where, "oversized", f"row of {size} bytes > {max_bytes}")
                continue
            yield _from_record(dict(zip(header, row, strict=False)), where, defaults)
    if not seen:
        yield Rejected(origin, "empty", "header but no rows")


class _Lines:
    """The physical lines of a CSV file, numbered, for a ``csv.reader``: remembers the lines
    of the record being read, so that after a broken record the lines after its first can
    be read again as records of their own."""

    def __init__(self, f: Iterable[str]) -> None:
        self._f = iter(f)
        self._again: deque[tuple[int, str]] = deque()
        self._taken: list[tuple[int, str]] = []
        self._number = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self._again:
            item = self._again.popleft()
        else:
            self._number += 1
            item = (self._number, next(self._f))
        self._taken.append(item)
        return item[1]

    @property
    def first_line(self) -> int:
        """The line number where the current record starts."""
        return self._taken[0][0] if self._taken else self._number + 1

    def start_record(self) -> None:
        self._taken = []

    def reread_after_first(self) -> None:
        self._again.extendleft(reversed(self._taken[1:]))
        self._taken = []

    def skip_open_quote(self) -> None:
        """Skip to the end of a record whose quoted field is too long to keep: the record
        ends at the first line end where its double quotes are balanced."""
        quotes = sum(line.count('"') for _, line in self._taken)
        self._taken = []
        while quotes % 2:
            try:
                line = next(self)
            except StopIteration:
                return
            quotes += line.count('"')
            self._taken = []


def _check_utf8(path: Path) -> Rejected | None:
    """Validate a whole file as UTF-8 in chunks, so the error can name its byte offset."""
    origin = str(path)
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    pos = 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 16):
            if pos == 0:
                if chunk.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                    return Rejected(origin, "bad_encoding", "UTF-16 text; convert it to UTF-8")
                if _looks_binary(chunk[:SNIFF_BYTES]):
                    return Rejected(origin, "binary", "NUL or control bytes in the first 8 KB")
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                at = pos - pending + exc.start
                return Rejected(origin, "bad_encoding", f"invalid UTF-8 at byte {at}: {exc.reason}")
            pos += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return Rejected(origin, "bad_encoding", f"truncated UTF-8 sequence at end (byte {pos})")
    return None


# -- records to articles ----------------------------------------------------------------


def _from_record(rec: dict[str, Any], origin: str, defaults: _Defaults) -> Item:
    rid = _field(rec.get("id"))
    text = rec.get("text")
    if not isinstance(text, str) or not text.strip():
        if text is None:
            detail = "no 'text' field"
        elif isinstance(text, str):
            detail = "'text' is blank"
        else:
            detail = f"'text' is {_kind(text)}, not a string"
        return Rejected(origin, "missing_text", detail, article_id=rid)
    return Article(
        text=text,
        id=rid,
        title=_field(rec.get("title")),
        published=_pick_date(rec.get("published"), defaults.published, origin),
        source=_field(rec.get("source")) or defaults.source,
        url=_field(rec.get("url")),
        origin=origin,
    )


def _pick_date(value: Any, default: str | None, origin: str) -> str | None:
    """The file's own date wins; a date it gives but we cannot read becomes None, not a loss."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    norm = normalise_date(value)
    if norm is None:
        log.warning("%s: cannot read published date %r; leaving it empty", origin, value)
    return norm


def _field(value: Any) -> str | None:
    """Scalar metadata as a stripped string; blanks and containers become None."""
    if value is None or isinstance(value, bool | dict | list):
        return None
    s = str(value).strip()
    return s or None


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string"}
    return names.get(type(value), type(value).__name__)
