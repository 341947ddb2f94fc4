"""Peak memory of exporting stored events in every format: does it grow with the store?

Builds two SQLite stores of synthetic events (inserted directly, no coding: 10,000 and
100,000 events by default, ten per document, three mentions per canonical event), then
exports each store in every registered format, once as mentions and once as canonical
events, each export in a fresh subprocess with its output thrown away. Every format is
exported by the CLI (`tidings events --format F [--mentions]`), which streams what the API
streams. Peak RSS is the kernel's ru_maxrss of that process. Results go to
docs/performance.md.

    .venv/bin/python bench/export_bench.py --sizes 10000 100000
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from memory_bench import measure  # noqa: E402
from throughput import machine  # noqa: E402

from tidings.schemes.cameo import goldstein, quad_class  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PER_DOC, PER_CANONICAL = 10, 3
COUNTRIES = ["UKR", "RUS", "USA", "CHN", "ISR", "PSE", "SDN", "MLI", "FRA", "TUR", "IRN"]
SECTORS = [None, "GOV", "MIL", "REB", "CVL", "COP", "IGO"]
PLACES = [("Kharkiv", "UKR", "07", 49.98, 36.25, 706483, "city"),
          ("Gaza", "PSE", None, 31.5, 34.47, 281133, "city"),
          ("Russia", "RUS", None, 55.45, 42.41, 2017370, "country"),
          ("El Fasher", "SDN", "02", 13.63, 25.35, 370366, "city"),
          ("Istanbul", "TUR", "34", 41.01, 28.95, 745044, "city"), None]
# (type, CAMEO code, ACLED): quad class and Goldstein score come from the data tables
TYPES = [("ASSAULT", "190", ("Explosions/Remote violence", "Air/drone strike")),
         ("ASSAULT", "195", ("Battles", "Armed clash")),
         ("CONSULT", "040", None), ("ACCUSE", "112", None),
         ("PROTEST", "141", ("Protests", "Peaceful protest")),
         ("AID", "070", None)]


def build(path: Path, n_events: int, seed: int = 1) -> None:
    """A store holding n_events synthetic events, their documents and canonical events."""
    from sqlalchemy import insert

    from tidings.store import Store
    from tidings.store import schema as db
    from tidings.store import schema as t

    rng = random.Random(seed)
    day0 = date(2024, 1, 1)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with Store(f"sqlite:///{path}") as store, store.engine.begin() as conn:
        docs, events, links, canon = [], [], [], []
        for i in range(n_events):
            d = i // PER_DOC
            if i % PER_DOC == 0:
                text = " ".join(f"Sentence {k} of report {d} about the fighting." for k in
                                range(12)).replace(". S", ".\n\nS", 1)
                docs.append({"id": f"doc-{d}", "content_hash": f"{d:064x}", "title": f"R{d}",
                             "text": text, "published": str(day0 + timedelta(days=d % 365)),
                             "source": f"Outlet {d % 7}", "url": f"https://example.org/{d}",
                             "origin": "bench", "n_events": PER_DOC, "coded_at": now,
                             "pipeline_version": "bench"})
            etype, cameo, acled = rng.choice(TYPES)
            quad, gold = quad_class(etype), goldstein(cameo)
            place = rng.choice(PLACES)
            src, tgt = rng.sample(COUNTRIES, 2)
            killed = rng.choice([None, None, 0, 3, 12])
            events.append({
                "id": f"doc-{d}:{i % PER_DOC}", "document_id": f"doc-{d}",
                "event_type": etype, "mode": "", "context": "military", "cameo": cameo,
                "quad_class": quad, "goldstein": gold, "source_text": f"{src} forces",
                "source_name": None, "source_country": src,
                "source_sector": rng.choice(SECTORS), "source_start": 5, "source_end": 15,
                "target_text": f"{tgt} people", "target_name": None, "target_country": tgt,
                "target_sector": rng.choice(SECTORS), "target_start": 20, "target_end": 30,
                "modality": "asserted", "sentence": f"Sentence {i % 12} of report {d} about "
                "the fighting, in which forces attacked a town and officials said so.",
                "span_start": (i % PER_DOC) * 50, "span_end": (i % PER_DOC) * 50 + 48,
                "trigger": "attacked", "trigger_start": 10, "trigger_end": 18,
                "confidence": 0.8, "date": str(day0 + timedelta(days=d % 365)),
                "date_precision": "day",
                **{f"place_{k}": (place[j] if place else None) for j, k in enumerate(
                    ("name", "country", "admin1", "lat", "lon", "geonameid", "feature"))},
                "acled_event_type": acled[0] if acled else None,
                "acled_sub_event_type": acled[1] if acled else None,
                "killed": killed, "injured": None})
            c = i // PER_CANONICAL
            links.append({"event_id": events[-1]["id"], "canonical_id": f"ce-{c:08d}",
                          "document_id": f"doc-{d}", "via_event_id": None, "score": 1.0,
                          "agreement": None})
            if i % PER_CANONICAL == 0:
                canon.append({"id": f"ce-{c:08d}", "component": f"ce-{c:08d}",
                              "event_type": etype, "cameo": cameo, "source_country": src,
                              "source_sector": events[-1]["source_sector"],
                              "target_country": tgt, "target_sector": events[-1][
                                  "target_sector"], "date": events[-1]["date"],
                              "date_precision": "day",
                              "place_name": place[0] if place else None,
                              "place_country": place[1] if place else None,
                              "place_lat": place[3] if place else None,
                              "place_lon": place[4] if place else None,
                              "num_articles": PER_CANONICAL, "num_sources": 2,
                              "num_mentions": PER_CANONICAL, "num_copies": 0,
                              "first_seen": events[-1]["date"], "last_seen": events[-1][
                                  "date"], "sources": "[\"Outlet 1\", \"Outlet 2\"]",
                              "updated_at": now})
            if len(events) >= 5000 or i == n_events - 1:
                if docs:
                    conn.execute(insert(db.documents), docs)
                conn.execute(insert(db.events), events)
                conn.execute(insert(t.canonical_links), links)
                if canon:
                    conn.execute(insert(t.canonical_events), canon)
                docs, events, links, canon = [], [], [], []
        # documents count as clustered, so `tidings events` answers without clustering
        conn.execute(insert(t.minhash_signatures), [
            {"document_id": f"doc-{d}", "scheme": "bench", "signature": ""}
            for d in range((n_events + PER_DOC - 1) // PER_DOC)])


def export_cmd(url: str, fmt: str, kind: str) -> list[str]:
    cmd = [sys.executable, "-m", "tidings.cli", "events", "--db", url, "--format", fmt,
           "--no-update"]
    return cmd + (["--mentions"] if kind == "mentions" else [])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[10_000, 100_000])
    parser.add_argument("--formats", nargs="*", help="default: every registered format")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs/performance.md")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)

    from tidings.evaluate import write_section
    from tidings.formats import renderer_names

    fmts = args.formats or renderer_names()
    small, large = args.sizes
    # the fixed cost: importing the CLI and the export code (today that imports spaCy)
    bare = measure([sys.executable, "-c", "import tidings.cli, tidings.formats.records"])
    print(f"imports alone: peak {bare['peak_mb']:.0f} MB, {bare['wall']:.1f}s", file=sys.stderr)
    results: dict[tuple[str, str], dict[int, dict]] = {}
    with tempfile.TemporaryDirectory(prefix="tidings-export-") as tmp:
        urls = {}
        for n in (small, large):
            start = time.perf_counter()
            build(Path(tmp) / f"s{n}.db", n)
            urls[n] = f"sqlite:///{Path(tmp) / f's{n}.db'}"
            print(f"built {n:,} events in {time.perf_counter() - start:.0f}s", file=sys.stderr)
        for fmt in fmts:
            for kind in ("mentions", "canonical"):
                for n in (small, large):
                    res = measure(export_cmd(urls[n], fmt, kind), poll=0.5)
                    if res["rc"] != 0:
                        raise SystemExit(f"{fmt} {kind} export of {n} events failed")
                    results.setdefault((fmt, kind), {})[n] = res
                r0, r1 = (results[(fmt, kind)][n] for n in (small, large))
                print(f"{fmt:16} {kind:9} peak {r0['peak_mb']:.0f} / {r1['peak_mb']:.0f} MB "
                      f"ratio {r1['peak_mb'] / r0['peak_mb']:.3f}; {r1['wall']:.0f}s",
                      file=sys.stderr)

    n_canon = {n: (n + PER_CANONICAL - 1) // PER_CANONICAL for n in (small, large)}
    lines = [
        "## Memory: exports in every format", "",
        f"Measured {time.strftime('%Y-%m-%d')} on {machine()}.",
        f"Synthetic stores (`bench/export_bench.py`) of {small:,} and {large:,} events "
        f"({PER_DOC} per document; {PER_CANONICAL} mentions per canonical event, so "
        f"{n_canon[small]:,} and {n_canon[large]:,} canonical events), inserted directly. "
        "Each export runs in a fresh process with its output discarded: registered formats "
        "through `tidings events --format F [--mentions]`, `csv` and `jsonl` through the "
        "renderers `/api/events/export` and `/api/canonical` stream. Peak RSS is the "
        "kernel's `ru_maxrss` for that process.", "",
        f"Importing the CLI and the export code alone peaks at {bare['peak_mb']:.0f} MB "
        f"({bare['wall']:.1f} s): `import tidings` still imports spaCy (issue 14), and that "
        "fixed cost is in every figure below. *Growth* is the peak at the larger store "
        "minus the peak at the smaller; *rows/s* is the rate between the two sizes "
        "(start-up excluded). The machine was shared with other jobs while this ran: the "
        "times give the order of magnitude; the memory figures are the point.", "",
        f"| format | rows | peak RSS at {small:,} (MB) | peak RSS at {large:,} (MB) | "
        f"ratio | growth (MB) | seconds at {small:,} / {large:,} | rows/s |",
        "|---|---|---|---|---|---|---|---|"]
    worst = 0.0
    for (fmt, kind), by_n in results.items():
        r0, r1 = by_n[small], by_n[large]
        ratio = r1["peak_mb"] / r0["peak_mb"]
        worst = max(worst, ratio)
        rows = (large - small) if kind == "mentions" else n_canon[large] - n_canon[small]
        rate = rows / max(r1["wall"] - r0["wall"], 1e-9)
        lines.append(f"| `{fmt}` | {kind} | {r0['peak_mb']:.0f} | {r1['peak_mb']:.0f} | "
                     f"{ratio:.3f} | {r1['peak_mb'] - r0['peak_mb']:+.0f} | "
                     f"{r0['wall']:.0f} / {r1['wall']:.0f} | {rate:,.0f} |")
    verdict = "within" if worst <= 1.1 else "**outside**"
    lines += ["", f"**Largest peak RSS ratio, {large:,} vs {small:,} events: {worst:.3f}** "
              f"({verdict} the 1.1 target)."]
    body = "\n".join(lines) + "\n"
    print(body)
    if not args.no_write:
        write_section(args.docs, "export-memory", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
