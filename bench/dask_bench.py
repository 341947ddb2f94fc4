"""`tidings batch` on Dask with 1 and 2 workers, and its output against a single process.

One run, one synthetic corpus (`bench/synth.py`, seed 1, as JSON Lines): two LocalClusters
(1 worker and 2 workers, one thread each) are started and their workers load the model
before any timing starts; then the batch job runs on each, interleaved over the rounds
(1, 2, 2, 1, ...), into fresh output folders. The single-process run (`code_many` in this
process) gives the reference events; every Dask run must reproduce them exactly (count and
SHA-256 digest of the event rows). The headline is the 2-worker / 1-worker speedup.
Results go to docs/performance.md.

    .venv/bin/python bench/dask_bench.py --n 2000 --rounds 1
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from memory_bench import corpus  # noqa: E402
from throughput import machine  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def digest(rows: list[dict]) -> str:
    """Order-sensitive digest of event rows (the timestamp-free columns only)."""
    h = hashlib.sha256()
    for row in rows:
        h.update(json.dumps(row, sort_keys=True, default=str).encode())
    return h.hexdigest()


def source_digest() -> str:
    """Digest of the installed tidings code and data: shows if it changed mid-benchmark."""
    import tidings

    h = hashlib.sha256()
    for f in sorted(Path(tidings.__file__).parent.rglob("*")):
        if f.is_file() and f.suffix != ".pyc":
            h.update(f.read_bytes())
    return h.hexdigest()[:12]


def warm_up() -> None:
    """Code a few articles so lazy initialisation is paid before any timing."""
    from synth import generate

    from tidings.pipeline import get_coder

    list(get_coder().code_many(list(generate(8, seed=99))))


def single_process(path: Path) -> tuple[float, list[dict]]:
    from tidings.batch.tables import add_coded, empty_rows
    from tidings.ingest import iter_articles
    from tidings.model import Article
    from tidings.pipeline import get_coder

    coder = get_coder()
    warm_up()
    rows = empty_rows()
    start = time.perf_counter()
    articles = (a for a in iter_articles([path]) if isinstance(a, Article))
    for coded in coder.code_many(articles):
        add_coded(rows, coded, coder.version, now=None)
    return time.perf_counter() - start, rows["events"]


def dask_run(client, parts, out: Path) -> tuple[float, list[dict]]:
    import pyarrow.parquet as pq

    from tidings.batch.dask_engine import run

    start = time.perf_counter()
    for _ in run(client, parts, out):
        pass
    elapsed = time.perf_counter() - start
    files = sorted((out / "events").glob("part-*.parquet"))  # plan order = document order
    return elapsed, [row for f in files for row in pq.read_table(f).to_pylist()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10000, help="articles in the corpus")
    parser.add_argument("--rounds", type=int, default=1, help="interleaved runs per cluster")
    parser.add_argument("--partition-size", type=int, default=100)
    parser.add_argument("--docs", type=Path, default=ROOT / "docs/performance.md")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)

    from distributed import Client, LocalCluster

    from tidings.batch import plan
    from tidings.batch.dask_engine import prepare
    from tidings.evaluate import write_section

    path = corpus(args.n, seed=1)
    parts = plan([path], args.partition_size)
    code_at_start = source_digest()
    clusters = {n: LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                dashboard_address=":0") for n in (1, 2)}
    clients = {n: Client(c) for n, c in clusters.items()}
    for c in clients.values():
        prepare(c)  # model loading and warm-up stay out of the timings
        c.run(warm_up)
    times: dict[int, list[float]] = {1: [], 2: []}
    digests: dict[str, tuple[int, str]] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="tidings-dask-") as tmp:
            for r in range(args.rounds):
                for n in (1, 2) if r % 2 == 0 else (2, 1):
                    elapsed, events = dask_run(clients[n], parts, Path(tmp) / f"w{n}r{r}")
                    times[n].append(elapsed)
                    digests[f"Dask, {n} worker{'s' * (n > 1)}, round {r + 1}"] = (
                        len(events), digest(events))
                    print(f"round {r + 1}, {n} worker(s): {elapsed:.1f}s", file=sys.stderr)
    finally:
        for c in clients.values():
            c.close()
        for c in clusters.values():
            c.close()
    code_at_reference = source_digest()
    single_t, events = single_process(path)
    reference = (len(events), digest(events))
    print(f"single process: {single_t:.1f}s", file=sys.stderr)

    t1, t2 = statistics.median(times[1]), statistics.median(times[2])
    speedup = t1 / t2
    same = all(d == reference for d in digests.values())
    verdict = "meets" if speedup >= 1.6 else "**misses**"
    lines = [
        "## Dask: `tidings batch` on 1 and 2 workers", "",
        f"Measured {time.strftime('%Y-%m-%d')} on {machine()}.",
        f"Corpus: {args.n:,} synthetic articles (`bench/synth.py`, seed 1) in one JSONL file, "
        f"{len(parts)} partitions of {args.partition_size}; LocalCluster with one thread per "
        f"worker process; model loading excluded; {args.rounds} interleaved round(s), "
        "median shown. The single-process run codes the same file with `code_many`.",
        "", "| run | seconds | articles/s |", "|---|---|---|",
        f"| single process (`code_many`) | {single_t:.1f} | {args.n / single_t:.2f} |",
        f"| Dask, 1 worker | {t1:.1f} | {args.n / t1:.2f} |",
        f"| Dask, 2 workers | {t2:.1f} | {args.n / t2:.2f} |",
        "", f"**Speedup 2 workers / 1 worker: {speedup:.2f}x** ({verdict} the 1.6x target). "
        f"Raw seconds — 1 worker: {', '.join(f'{t:.1f}' for t in times[1])}; "
        f"2 workers: {', '.join(f'{t:.1f}' for t in times[2])}.", "",
        f"Output identity: the single process coded {reference[0]:,} events, digest "
        f"`{reference[1][:16]}`; every Dask run gave "
        + ("the same count and digest." if same else "**different output**:"),
    ]
    if not same:
        lines += [f"- {k}: {n:,} events, `{d[:16]}`" for k, (n, d) in digests.items()]
    if code_at_start != code_at_reference:
        lines.append("\nThe tidings source changed between the Dask runs and the single-process "
                     f"run (`{code_at_start}` -> `{code_at_reference}`), so these outputs come "
                     "from different code; rerun on a quiet checkout.")
    body = "\n".join(lines) + "\n"
    print(body)
    if not args.no_write:
        write_section(args.docs, "dask", body)
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
