"""Peak memory of `tidings ingest` at two corpus sizes: does it grow with the corpus?

Each size runs `tidings ingest` in a fresh subprocess on a synthetic JSONL corpus
(`bench/synth.py`, seed 1) into a fresh SQLite file. The peak RSS is the kernel's own
figure for that child (``os.wait4`` rusage, ru_maxrss), so nothing is missed between
polls; /proc is polled only to show how RSS moves during the run. A bare model load
is measured too, to separate the fixed cost from anything that grows. Results go to
docs/performance.md.

    .venv/bin/python bench/memory_bench.py --sizes 1000 10000
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from synth import generate  # noqa: E402
from throughput import machine  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench/out"


def corpus(n: int, seed: int = 1) -> Path:
    """The synthetic corpus as JSONL, written once and reused (same n, seed -> same file)."""
    path = OUT / f"synth_{n}_s{seed}.jsonl"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as fh:
            for art in generate(n, seed):
                fh.write(json.dumps(art, ensure_ascii=False) + "\n")
        tmp.replace(path)
    return path


def _rss_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def measure(cmd: list[str], poll: float = 1.0) -> dict:
    """Run ``cmd``; return its wall time, exit code, peak RSS (MB) and RSS samples."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    samples: list[tuple[float, int]] = []
    while True:
        # wait4 with WNOHANG reaps the child only once it has ended, and then hands back
        # that one child's rusage, whose ru_maxrss is the exact peak
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        kb = _rss_kb(proc.pid)
        if kb:
            samples.append((time.perf_counter() - start, kb))
        time.sleep(poll)
    proc.returncode = os.waitstatus_to_exitcode(status)  # tell Popen it is reaped
    return {"wall": time.perf_counter() - start, "rc": proc.returncode,
            "peak_mb": usage.ru_maxrss / 1024, "samples": samples}


def ingest_cmd(path: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "tidings.cli", "ingest", str(path), "--db",
            f"sqlite:///{db}", "--quiet"]


def stored(db: Path) -> tuple[int, int]:
    con = sqlite3.connect(db)
    try:
        return (con.execute("select count(*) from documents").fetchone()[0],
                con.execute("select count(*) from events").fetchone()[0])
    finally:
        con.close()


def profile(samples: list[tuple[float, int]]) -> str:
    """RSS at 10%, 25%, 50%, 75% and 100% of the run, in MB: flat means bounded memory."""
    if not samples:
        return "n/a"
    end = samples[-1][0]
    picks = []
    for frac in (0.1, 0.25, 0.5, 0.75, 1.0):
        kb = next((kb for t, kb in samples if t >= frac * end), samples[-1][1])
        picks.append(f"{kb / 1024:.0f}")
    return " / ".join(picks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--docs", type=Path, default=ROOT / "docs/performance.md")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)

    from tidings.evaluate import write_section

    model_only = measure([sys.executable, "-c",
                          "from tidings.pipeline import get_coder; get_coder()"])
    print(f"model load only: peak {model_only['peak_mb']:.0f} MB", file=sys.stderr)
    rows = []
    with tempfile.TemporaryDirectory(prefix="tidings-mem-") as tmp:
        for n in args.sizes:
            path = corpus(n, args.seed)
            db = Path(tmp) / f"ingest_{n}.db"
            res = measure(ingest_cmd(path, db))
            if res["rc"] != 0:
                raise SystemExit(f"ingest of {n} articles failed (exit {res['rc']})")
            docs, events = stored(db)
            rows.append((n, res, docs, events))
            print(f"{n}: peak {res['peak_mb']:.0f} MB, {res['wall']:.0f}s, {docs} docs, "
                  f"{events} events; RSS profile {profile(res['samples'])}", file=sys.stderr)

    lines = [
        "## Memory: peak RSS of `tidings ingest`", "",
        f"Measured {time.strftime('%Y-%m-%d')} on {machine()}.",
        f"Synthetic corpora (`bench/synth.py`, seed {args.seed}) as JSON Lines, each ingested by "
        "`tidings ingest FILE --db sqlite:///... --quiet` in a fresh subprocess into a fresh "
        "SQLite file. Peak RSS is the kernel's `ru_maxrss` for that process.",
        "", "| articles | stored docs | events | seconds | articles/s | peak RSS (MB) | "
        "RSS at 10/25/50/75/100% of run (MB) |", "|---|---|---|---|---|---|---|",
    ]
    for n, res, docs, events in rows:
        lines.append(f"| {n:,} | {docs:,} | {events:,} | {res['wall']:.0f} | "
                     f"{n / res['wall']:.1f} | {res['peak_mb']:.0f} | {profile(res['samples'])} |")
    lines += ["", f"Loading the model alone peaks at {model_only['peak_mb']:.0f} MB."]
    if len(rows) >= 2:
        (n0, r0, *_), (n1, r1, *_) = rows[0], rows[-1]
        ratio = r1["peak_mb"] / r0["peak_mb"]
        verdict = "within" if ratio <= 1.15 else "**outside**"
        lines.append(f"**Peak RSS at {n1:,} / at {n0:,} articles: {ratio:.3f}** "
                     f"({verdict} the 1.15 target).")
    body = "\n".join(lines) + "\n"
    print(body)
    if not args.no_write:
        write_section(args.docs, "memory", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
