"""`code_many(n_process=N)` (the `--jobs N` option of `tidings code` and `tidings ingest`):
1 against 2 worker processes on one machine, and their output against each other.

The same synthetic corpus (`bench/synth.py`, seed 1) is coded with one process and with
two forked workers, interleaved over the rounds (1, 2, 2, 1, ...) in one run; the model is
loaded once before timing. Results go to docs/performance.md.

    .venv/bin/python bench/jobs_bench.py --n 400 --rounds 2
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from synth import generate  # noqa: E402
from throughput import ROOT, machine  # noqa: E402


def run(coder, articles, jobs: int) -> tuple[float, str, int]:
    """Seconds, a digest of every coded article in output order, and the event count."""
    digest, events = hashlib.sha256(), 0
    start = time.perf_counter()
    for coded in coder.code_many(articles, n_process=jobs):
        digest.update(json.dumps(coded.to_dict(), sort_keys=True, default=str).encode())
        events += len(coded.events)
    return time.perf_counter() - start, digest.hexdigest()[:16], events


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--docs", type=Path, default=ROOT / "docs/performance.md")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)

    from tidings.evaluate import write_section
    from tidings.pipeline import get_coder

    corpus = list(generate(args.n, seed=1))
    coder = get_coder()
    run(coder, corpus[:10], 1)
    times: dict[int, list[float]] = {1: [], 2: []}
    outputs: set[tuple[str, int]] = set()
    for r in range(args.rounds):
        for jobs in ((1, 2) if r % 2 == 0 else (2, 1)):
            elapsed, digest, events = run(coder, corpus, jobs)
            times[jobs].append(elapsed)
            outputs.add((digest, events))
            print(f"round {r + 1}, {jobs} process(es): {elapsed:.1f}s", file=sys.stderr)
    t1, t2 = statistics.median(times[1]), statistics.median(times[2])
    digest, events = next(iter(outputs)) if len(outputs) == 1 else (None, None)
    same = (f"identical in every run ({events:,} events, digest `{digest}`)" if digest
            else "**different between runs**")
    body = "\n".join([
        "## Several processes on one machine: `--jobs 2`", "",
        f"Measured {time.strftime('%Y-%m-%d')} on {machine()}; {args.n} synthetic articles "
        f"(`bench/synth.py`, seed 1), {args.rounds} interleaved rounds, median. Workers are "
        "forked from the process that loaded the model (no second load) and code whole "
        "batches of 32 articles; the parent keeps the input order.", "",
        "| run | seconds | articles/s |", "|---|---|---|",
        f"| 1 process | {t1:.1f} | {args.n / t1:.2f} |",
        f"| 2 worker processes | {t2:.1f} | {args.n / t2:.2f} |", "",
        f"**Speedup with 2 processes: {t1 / t2:.2f}x.** Raw seconds — 1: "
        f"{', '.join(f'{t:.1f}' for t in times[1])}; 2: "
        f"{', '.join(f'{t:.1f}' for t in times[2])}. Output {same}.", ""])
    print(body)
    if not args.no_write:
        write_section(args.docs, "jobs", body)
    return 0 if len(outputs) == 1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
