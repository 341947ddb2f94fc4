"""API latency on a synthetic 100,000-event store, measured with wrk against `tidings serve`.

    python bench/api_latency.py [--events 100000] [--duration 10] [--connections 4]

Builds the database with bulk inserts straight into the tables (no NLP), starts the server
on a free loopback port, runs wrk against a few filter mixes (a Lua hook reports the median
and p95), and writes the "api-latency" section of docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert

from tidings.evaluate import write_section
from tidings.schemes.cameo import goldstein, quad_class

sys.path.insert(0, str(Path(__file__).parent))
from throughput import cpu_name  # noqa: E402

from tidings.store import Store
from tidings.store import schema as db
from tidings.store.queries import encode_cursor

ROOT = Path(__file__).resolve().parents[1]
COUNTRIES = {"RUS": (55.75, 37.62), "UKR": (50.45, 30.52), "USA": (38.90, -77.04),
             "CHN": (39.91, 116.40), "ISR": (31.77, 35.21), "PSE": (31.50, 34.47),
             "IRN": (35.69, 51.39), "TUR": (39.93, 32.86), "FRA": (48.86, 2.35),
             "SDN": (15.50, 32.56), "IND": (28.61, 77.21), "PAK": (33.69, 73.05)}
# (type, CAMEO code): quad class and Goldstein score come from the type and CAMEO tables
TYPES = [("CONSULT", "040"), ("AGREE", "030"), ("AID", "070"), ("COOPERATE", "060"),
         ("ACCUSE", "112"), ("THREATEN", "138"), ("SANCTION", "163"), ("ASSAULT", "190"),
         ("PROTEST", "141")]
WORDS = "officials forces said talks drone strike border envoy ministry aid village".split()
WRK_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {"p50": %d, "p95": %d, "p99": %d, "requests": %d, '
    .. '"errors": %d, "non2xx": %d, "duration_us": %d}\\n', latency:percentile(50),
    latency:percentile(95), latency:percentile(99), summary.requests,
    e.connect + e.read + e.write + e.timeout, e.status, summary.duration))
end
"""


def build(path: Path, n_events: int, per_doc: int = 5, seed: int = 7) -> None:
    rng = random.Random(seed)
    url = f"sqlite:///{path}"
    start = date(2024, 1, 1)
    codes = list(COUNTRIES)
    docs, events = [], []
    for d in range(n_events // per_doc):
        day = start + timedelta(days=rng.randrange(730))
        doc_id = f"syn-{d:06d}"
        docs.append({"id": doc_id, "content_hash": f"{d:064d}", "title": f"Synthetic {d}",
                     "text": "synthetic " * 40, "published": day.isoformat(),
                     "source": "Synth", "n_events": per_doc})
        for k in range(per_doc):
            src, tgt = rng.sample(codes, 2)
            etype, cameo = rng.choice(TYPES)
            quad, gold = quad_class(etype), goldstein(cameo)
            where = rng.choice((src, tgt)) if rng.random() < 0.6 else None
            lat, lon = COUNTRIES[where] if where else (None, None)
            sentence = " ".join(rng.choices(WORDS, k=12))
            events.append({
                "id": f"{doc_id}:{k}", "document_id": doc_id, "event_type": etype,
                "mode": "", "context": "", "cameo": cameo, "quad_class": quad,
                "goldstein": gold, "source_country": src, "source_sector": "GOV",
                "source_text": src, "target_country": tgt, "target_sector": "GOV",
                "target_text": tgt, "modality": "asserted", "sentence": sentence,
                "span_start": 0, "span_end": len(sentence), "trigger": "said",
                "confidence": 0.8, "date": day.isoformat(), "date_precision": "day",
                "place_name": where, "place_country": where,
                "place_lat": lat + rng.uniform(-1, 1) if lat is not None else None,
                "place_lon": lon + rng.uniform(-1, 1) if lon is not None else None,
            })
    store = Store(url)  # creates the schema
    with store.engine.begin() as conn:
        for i in range(0, len(docs), 5000):
            conn.execute(insert(db.documents), docs[i:i + 5000])
        for i in range(0, len(events), 5000):
            conn.execute(insert(db.events), events[i:i + 5000])
    store.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/api/overview", timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("server did not come up")


def wrk(url: str, lua: Path, duration: int, connections: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s",
         str(lua), url], capture_output=True, text=True, check=True, timeout=duration + 60)
    line = next(x for x in out.stdout.splitlines() if x.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def machine() -> str:
    cpu = cpu_name(platform.processor() or platform.machine())
    version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()
    return (f"{cpu}, {os.cpu_count()} logical CPUs, {platform.system()} "
            f"{platform.release()}; Python {platform.python_version()}, SQLite "
            f"{sqlite3.sqlite_version}; {' '.join(version[:2])}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--duration", type=int, default=10, help="seconds per scenario")
    ap.add_argument("--connections", type=int, default=4)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk not found: apt-get install wrk")
    work = Path(tempfile.mkdtemp(prefix="tidings-api-bench-"))
    t0 = time.perf_counter()
    build(work / "bench.db", args.events)
    build_s = time.perf_counter() - t0
    lua = work / "report.lua"
    lua.write_text(WRK_LUA)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    tidings = Path(sys.executable).with_name("tidings")
    server = subprocess.Popen([str(tidings), "serve", "--db", f"sqlite:///{work / 'bench.db'}",
                               "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deep = encode_cursor("date", "2025-01-01", "")  # a page half way through the dates
    scenarios = [
        ("/api/events?limit=50", "first page, no filter"),
        (f"/api/events?limit=50&cursor={deep}", "page from the middle (keyset cursor)"),
        ("/api/events?limit=50&dyad=RUS-UKR&sort=-date", "dyad, newest first"),
        ("/api/events?limit=50&type=ASSAULT&since=2024-06-01&until=2024-09-30",
         "type + date range"),
        ("/api/events?limit=50&near=50.45,30.52&radius_km=100", "near a point"),
        ("/api/events?limit=50&q=drone+envoy", "words in the sentence (LIKE)"),
        ("/api/events?limit=50&actor=IRN&total=true", "actor, with total count"),
        ("/api/timeline?dyad=RUS-UKR&interval=week", "timeline, one dyad, weekly"),
        ("/api/timeline?interval=month", "timeline, all events, monthly"),
    ]
    results = []
    load_before = os.getloadavg()[0]
    try:
        wait_ready(base)
        for path, label in scenarios:
            urllib.request.urlopen(base + path, timeout=30).read()  # warm the page cache
            r = wrk(base + path, lua, args.duration, args.connections)
            results.append((path, label, r))
            print(f"{label:40s} p50 {r['p50'] / 1000:7.1f} ms  p95 {r['p95'] / 1000:7.1f} ms"
                  f"  {r['requests'] / (r['duration_us'] / 1e6):7.1f} req/s", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(work, ignore_errors=True)
    load = (load_before, os.getloadavg()[0])
    write_section(args.out, "api-latency", report(args, results, build_s, load))


def report(args: argparse.Namespace, results: list, build_s: float,
           load: tuple[float, float]) -> str:
    lines = [
        "## API latency\n",
        f"`python bench/api_latency.py` on a synthetic store of {args.events:,} events "
        f"({args.events // 5:,} documents, two years of dates, 12 countries, 60% geolocated; "
        f"built by bulk insert in {build_s:.0f} s). One `tidings serve` process (uvicorn, "
        f"SQLite in WAL mode) on 127.0.0.1; load from wrk with 2 threads and "
        f"{args.connections} connections for {args.duration} s per row; latencies from "
        "wrk's own histogram via a Lua `done` hook.\n",
        f"Machine: {machine()}. One-minute load average {load[0]:.1f} before and "
        f"{load[1]:.1f} after the run (the server and wrk share the machine's cores with "
        "whatever else runs, so compare rows within one run).\n",
        "| request | what | median ms | p95 ms | req/s | errors |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for path, label, r in results:
        shown = path if "cursor=" not in path else path.split("cursor=")[0] + "cursor=…"
        rps = r["requests"] / (r["duration_us"] / 1e6)
        lines.append(f"| `{shown}` | {label} | {r['p50'] / 1000:.1f} | {r['p95'] / 1000:.1f}"
                     f" | {rps:.0f} | {r['errors'] + r['non2xx']} |")
    return "\n".join(lines) + "\n\n"


if __name__ == "__main__":
    main()
