"""The GeoNames gazetteer: a read-only SQLite file built by ``scripts/build_gazetteer.py``.

Tables: ``places`` (one row per GeoNames entry: countries, first- and second-level divisions,
populated places of 1,000+ people, and named regions) and ``names`` (normalised name key ->
place, with the kind of name: 0 its own name, 1 an alternate name, 2 a demonym, 3 an
abbreviation). Opening it costs milliseconds; each lookup is one indexed query, cached.
Data: GeoNames (geonames.org), CC BY 4.0.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import unicodedata
from dataclasses import dataclass

from tidings.data import data_path

DB_PATH = "places/gazetteer.sqlite"
NAME, ALTERNATE, DEMONYM, ABBREVIATION = 0, 1, 2, 3
_DROP = str.maketrans("", "", "'’‘`ʼʻ.")


@functools.lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """Lower-case, accent-free, apostrophe- and dot-free, hyphens as spaces: one key per
    spelling ("Gdańsk" and "Gdansk", "U.S." and "US", "Ivano-Frankivsk"). Cached: the
    scans look up the same words in every document."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.translate(_DROP).lower().replace("-", " ").split())


@dataclass(frozen=True)
class Entry:
    """One gazetteer place."""

    geonameid: int
    name: str
    feature: str  # country, admin1, admin2, city, other
    country: str | None  # ISO3
    admin1: str | None  # the first-level division's name
    lat: float
    lon: float
    population: int
    admin1_code: str | None = None
    capital: int = 0  # 1 for a country's capital


@dataclass(frozen=True)
class Candidate:
    entry: Entry
    kind: int  # NAME, ALTERNATE, DEMONYM or ABBREVIATION


class GeoNames:
    """Read-only access to the built gazetteer; one connection per process (forks reopen)."""

    def __init__(self, path: str | None = None):
        self.path = str(path or data_path(DB_PATH))
        if not os.path.exists(self.path):
            raise FileNotFoundError(f"gazetteer not built: {self.path} (run "
                                    "scripts/build_gazetteer.py)")
        self._pid = -1
        self._conn: sqlite3.Connection | None = None
        self.candidates = functools.lru_cache(maxsize=65536)(self._candidates)
        self.has_prefix = functools.lru_cache(maxsize=65536)(self._has_prefix)
        self.entry = functools.lru_cache(maxsize=16384)(self._entry)

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None or self._pid != os.getpid():
            uri = f"file:{self.path}?mode=ro&immutable=1"
            self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self._pid = os.getpid()
        return self._conn

    # a place's first-level division is named once, on the division's own row
    _COLUMNS = "p.geonameid, p.name, p.feature, p.country, " \
               "COALESCE(p.admin1, (SELECT a.name FROM places a WHERE a.feature = 'admin1' " \
               "AND a.country = p.country AND a.admin1_code = p.admin1_code)), " \
               "p.lat, p.lon, p.population, p.admin1_code, p.capital"

    def _candidates(self, key: str) -> tuple[Candidate, ...]:
        """Every place a name key can mean, most populous first."""
        rows = self.conn.execute(
            f"SELECT {self._COLUMNS}, n.kind FROM names n JOIN places p USING (geonameid) "
            "WHERE n.key = ? ORDER BY p.population DESC", (key,)).fetchall()
        return tuple(Candidate(Entry(*r[:10]), r[10]) for r in rows)

    def _has_prefix(self, key: str) -> bool:
        """Whether some name key starts with ``key``: a scan stops lengthening a name when
        none does."""
        row = self.conn.execute("SELECT 1 FROM names WHERE key >= ? AND key < ? LIMIT 1",
                                (key, key + "\uffff")).fetchone()
        return row is not None

    def _entry(self, geonameid: int) -> Entry | None:
        row = self.conn.execute(f"SELECT {self._COLUMNS} FROM places p WHERE geonameid = ?",
                                (geonameid,)).fetchone()
        return Entry(*row) if row else None

    def country(self, iso3: str) -> Entry | None:
        row = self.conn.execute(f"SELECT {self._COLUMNS} FROM places p WHERE feature = "
                                "'country' AND country = ?", (iso3,)).fetchone()
        return Entry(*row) if row else None

    def admin1(self, iso3: str, code: str) -> Entry | None:
        row = self.conn.execute(f"SELECT {self._COLUMNS} FROM places p WHERE feature = "
                                "'admin1' AND country = ? AND admin1_code = ?",
                                (iso3, code)).fetchone()
        return Entry(*row) if row else None


@functools.cache
def get_geonames() -> GeoNames:
    return GeoNames()
