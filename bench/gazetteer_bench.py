"""The GeoNames gazetteer's cost: file size, open time, lookup time, memory, and the time to
the first coded document in a fresh process. Writes the "gazetteer" section of
docs/performance.md.

    .venv/bin/python bench/gazetteer_bench.py

Each figure comes from a fresh subprocess, so nothing is already cached: the open time is
``GeoNames()`` plus its first query; memory is the growth of the process's resident set
(VmRSS) from before the gazetteer's import to after looking up every capitalised word of a
long news story.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from throughput import machine  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"

PROBE = r"""
import json, sys, time

def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

import tidings.data  # the package (and what it imports) before the gazetteer
rss_before = rss_mb()
t0 = time.perf_counter()
from tidings.nlp.gazetteer import GeoNames, name_key
t1 = time.perf_counter()
gn = GeoNames()
gn.candidates("moscow")
t2 = time.perf_counter()
rss_open = rss_mb()
words = open(sys.argv[1], encoding="utf-8").read().split()
keys = [name_key(w) for w in words if w[:1].isupper()]
t3 = time.perf_counter()
for k in keys:
    gn.has_prefix(k)
    gn.candidates(k)
t4 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "open_s": t2 - t1, "lookups": len(keys),
                  "lookup_us": (t4 - t3) / max(1, len(keys)) * 1e6,
                  "rss_open_mb": rss_open - rss_before,
                  "rss_after_mb": rss_mb() - rss_before}))
"""

FIRST_DOC = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from tidings.pipeline import Coder
coder = Coder()
t1 = time.perf_counter()
coded = coder.code({"text": open(sys.argv[1], encoding="utf-8").read(),
                    "published": "2025-06-02"})
t2 = time.perf_counter()
print(json.dumps({"load_s": t1 - t0, "first_doc_s": t2 - t1, "places": len(coded.places),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(script: str, story: Path) -> dict:
    env = {"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"}
    out = subprocess.run([sys.executable, "-c", script, str(story)], env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--story", type=Path, default=ROOT / "tests/data/seed_article.txt")
    ap.add_argument("--docs", type=Path, default=ROOT / "docs/performance.md")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    from tidings.data import data_path
    from tidings.nlp.gazetteer import DB_PATH

    size_mb = data_path(DB_PATH).stat().st_size / 1e6
    probe = run(PROBE, args.story)
    first = run(FIRST_DOC, args.story)
    from tidings.nlp.gazetteer import GeoNames

    gn = GeoNames()
    count = dict(gn.conn.execute("SELECT feature, COUNT(*) FROM places GROUP BY feature"))
    names = gn.conn.execute("SELECT COUNT(*) FROM names").fetchone()[0]
    kinds = ", ".join(f"{v:,} {k}" for k, v in sorted(count.items()))
    body = "\n".join([
        "## Gazetteer (GeoNames, `src/tidings/data/places/gazetteer.sqlite`)", "",
        f"Measured {time.strftime('%Y-%m-%d')} on {machine()} (a shared machine: the model "
        "load moves with the load on it; the gazetteer figures barely do).", "",
        f"{sum(count.values()):,} places ({kinds}), {names:,} names; {size_mb:.1f} MB on "
        "disk, read in place (SQLite, read-only).", "",
        "| measure | value |", "|---|---|",
        f"| open (first query included) | {probe['open_s'] * 1000:.1f} ms |",
        f"| one name lookup (prefix test + readings, cold cache) | "
        f"{probe['lookup_us']:.0f} µs ({probe['lookups']} capitalised words of the seed story) |",
        f"| memory it adds to a process (RSS after those lookups, minus before the import) | "
        f"{probe['rss_after_mb']:.1f} MB (just opened: {probe['rss_open_mb']:.1f} MB) |",
        f"| fresh process: load the coder (spaCy model, lexicons, gazetteer) | "
        f"{first['load_s']:.1f} s |",
        f"| then the first coded document (seed story, {first['places']} toponyms) | "
        f"{first['first_doc_s']:.2f} s |",
        f"| peak RSS of that process | {first['rss_mb']:.0f} MB |", "",
        "The gazetteer is not loaded into memory: each name is one indexed query, cached per "
        "process (LRU), so it adds only the SQLite page cache to a worker's memory.", "",
    ])
    print(body)
    if not args.no_write:
        from tidings.evaluate import write_section

        write_section(args.docs, "gazetteer", body)


if __name__ == "__main__":
    main()
