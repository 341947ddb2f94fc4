"""What the detail stages cost: dates, places, quotes, quantities, casualties and ACLED.

Codes the same synthetic corpus with the core coder only (events and actors, the work the
core pipeline issue measured) and with every detail stage on, interleaved in one process,
and reports the throughput ratio (target: the detailed run within 15% of the core run).

    .venv/bin/python bench/details_cost.py --n 300
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from synth import generate  # noqa: E402
from throughput import ROOT, machine  # noqa: E402


def run(coder, articles) -> float:
    start = time.perf_counter()
    for _ in coder.code_many(articles):
        pass
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)

    from tidings.evaluate import write_section
    from tidings.pipeline import Coder

    corpus = list(generate(args.n, seed=4))
    core, full = Coder(details=False), Coder(details=True)
    run(core, corpus[:10])
    run(full, corpus[:10])
    times: dict[str, list[float]] = {"core": [], "full": []}
    for r in range(args.rounds):
        for name in (("core", "full") if r % 2 == 0 else ("full", "core")):
            times[name].append(run(core if name == "core" else full, corpus))
    core_t, full_t = statistics.median(times["core"]), statistics.median(times["full"])
    body = "\n".join([
        "## Cost of the detail stages (dates, places, quotes, quantities, ACLED)", "",
        f"Measured {time.strftime('%Y-%m-%d')} on {machine()}; {args.n} synthetic articles, "
        f"{args.rounds} interleaved rounds, median.", "",
        "| run | seconds | articles/s |", "|---|---|---|",
        f"| core coder (events and actors) | {core_t:.1f} | {args.n / core_t:.2f} |",
        f"| with every detail stage | {full_t:.1f} | {args.n / full_t:.2f} |", "",
        f"**Detailed throughput = {core_t / full_t:.2f} of the core run** "
        f"(target: at least 0.85).", ""])
    print(body)
    if not args.no_write:
        write_section(ROOT / "docs/performance.md", "details-cost", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
