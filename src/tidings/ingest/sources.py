"""sources.yaml: the feeds ``tidings watch`` follows (format documented in docs/sources.md).

Mistakes in the file raise ``SourcesError`` naming the feed and the field, before any
network traffic: a typo such as ``fetch_page`` should stop the watcher, not be ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tidings.ingest.feeds import FeedOptions
from tidings.ingest.urls import FetchSettings

_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.I)
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
_FEED_KEYS = {"name", "url", "every", "fetch_pages", "max_items", "allow_private"}
_TOP_KEYS = {"feeds", "defaults", "fetch"}


class SourcesError(ValueError):
    """sources.yaml cannot be used as written."""


@dataclass
class Source:
    """One feed to follow."""

    url: str  # http(s) URL, or a path to a local feed file
    name: str | None = None
    every: float | None = None  # seconds between polls; None = the watcher's default
    fetch_pages: bool = True
    max_items: int | None = None
    allow_private: bool = False  # may reach loopback/private/link-local addresses (intranet)

    @property
    def label(self) -> str:
        return self.name or self.url

    def options(self) -> FeedOptions:
        return FeedOptions(name=self.name, fetch_pages=self.fetch_pages,
                           max_items=self.max_items)


@dataclass
class SourcesFile:
    sources: list[Source]
    fetch: FetchSettings


def parse_interval(value: str | float | int) -> float:
    """Seconds in "30s", "15m", "1h", "1d" or a bare number of seconds; must be positive."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not an interval")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        m = _INTERVAL.match(str(value))
        if not m:
            raise ValueError(f"{value!r} is not an interval (try 30s, 15m, 1h)")
        seconds = float(m.group(1)) * _UNIT[m.group(2).lower()]
    if seconds <= 0:
        raise ValueError(f"{value!r}: an interval must be more than zero")
    return seconds


def load_sources(path: str | Path) -> SourcesFile:
    """Read and check a sources file; relative feed file paths are taken from its folder."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SourcesError(f"{path}: {exc.strerror or exc}") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise SourcesError(f"{path}: not valid YAML: {exc}") from exc
    defaults: dict[str, Any] = {}
    fetch: dict[str, Any] = {}
    if isinstance(data, dict):
        unknown = set(data) - _TOP_KEYS
        if unknown:
            raise SourcesError(f"{path}: unknown key(s) {', '.join(sorted(map(str, unknown)))}"
                               f" (expected {', '.join(sorted(_TOP_KEYS))})")
        defaults = _mapping(data.get("defaults"), f"{path}: defaults")
        fetch = _mapping(data.get("fetch"), f"{path}: fetch")
        data = data.get("feeds")
    if not isinstance(data, list) or not data:
        raise SourcesError(f"{path}: expected a list of feeds (or a 'feeds:' list)")
    sources = [_source(entry, i, defaults, path) for i, entry in enumerate(data, 1)]
    seen: set[str] = set()
    for s in sources:
        if s.url in seen:
            raise SourcesError(f"{path}: {s.url} is listed twice")
        seen.add(s.url)
    try:
        settings = FetchSettings.from_dict(fetch)
    except (TypeError, ValueError) as exc:
        raise SourcesError(f"{path}: fetch: {exc}") from exc
    return SourcesFile(sources, settings)


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise SourcesError(f"{where} must be a mapping")
    return value


def _source(entry: Any, n: int, defaults: dict[str, Any], path: Path) -> Source:
    where = f"{path}: feed {n}"
    if isinstance(entry, str):  # a bare URL is enough
        entry = {"url": entry}
    if not isinstance(entry, dict):
        raise SourcesError(f"{where}: expected a mapping with at least 'url'")
    fields = {**defaults, **entry}
    unknown = set(fields) - _FEED_KEYS
    if unknown:
        raise SourcesError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}"
                           f" (expected {', '.join(sorted(_FEED_KEYS))})")
    url = fields.get("url")
    if not isinstance(url, str) or not url.strip():
        raise SourcesError(f"{where}: 'url' is missing")
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        local = Path(url).expanduser()
        url = str(local if local.is_absolute() else path.parent / local)
    name = fields.get("name")
    if name is not None and not isinstance(name, str):
        raise SourcesError(f"{where}: 'name' must be text")
    every = fields.get("every")
    if every is not None:
        try:
            every = parse_interval(every)
        except ValueError as exc:
            raise SourcesError(f"{where}: every: {exc}") from exc
    fetch_pages = fields.get("fetch_pages", True)
    if not isinstance(fetch_pages, bool):
        raise SourcesError(f"{where}: 'fetch_pages' must be true or false")
    max_items = fields.get("max_items")
    if max_items is not None and (isinstance(max_items, bool) or not isinstance(max_items, int)
                                  or max_items < 1):
        raise SourcesError(f"{where}: 'max_items' must be a positive whole number")
    allow_private = fields.get("allow_private", False)
    if not isinstance(allow_private, bool):
        raise SourcesError(f"{where}: 'allow_private' must be true or false")
    return Source(url=url, name=(name or "").strip() or None, every=every,
                  fetch_pages=fetch_pages, max_items=max_items, allow_private=allow_private)
