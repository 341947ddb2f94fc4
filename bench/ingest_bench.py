"""Throughput of `tidings ingest` into SQLite against coding alone, on the same articles.

Both run in one process with one loaded model, interleaved (code, ingest, ingest, code,
...) so that noise from this shared machine hits both alike. "Code only" reads the JSONL
file with `iter_articles` and drains `code_many`; "ingest" is the real `tidings ingest`
command (invoked in-process through Typer) into a fresh SQLite file, so it pays for
reading, duplicate checks, coding and the batched writes. The headline is the ratio
ingest / code-only articles per second (target >= 0.9). Both paths are warmed up on 20
articles first, so one-time imports and lazy initialisation count in neither. Results go
to docs/performance.md.

    .venv/bin/python bench/ingest_bench.py --n 1000 --rounds 2
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from memory_bench import corpus  # noqa: E402
from throughput import machine  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def time_code_only(coder, path: Path, batch_size: int) -> tuple[float, int]:
    from tidings.ingest import iter_articles
    from tidings.model import Article

    start = time.perf_counter()
    articles = (a for a in iter_articles([path]) if isinstance(a, Article))
    events = sum(len(c.events) for c in coder.code_many(articles, batch_size=batch_size))
    return time.perf_counter() - start, events


def time_ingest(path: Path, db: Path, batch_size: int) -> tuple[float, int, int]:
    from typer.testing import CliRunner

    from tidings.cli import app

    args = ["ingest", str(path), "--db", f"sqlite:///{db}", "--quiet",
            "--batch-size", str(batch_size)]
    start = time.perf_counter()
    result = CliRunner().invoke(app, args)
    elapsed = time.perf_counter() - start
    if result.exit_code != 0:
        raise SystemExit(f"tidings ingest failed: {result.output}\n{result.exception!r}")
    con = sqlite3.connect(db)
    try:
        docs = con.execute("select count(*) from documents").fetchone()[0]
        events = con.execute("select count(*) from events").fetchone()[0]
    finally:
        con.close()
    return elapsed, docs, events


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="articles in the corpus")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds per mode")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--docs", type=Path, default=ROOT / "docs/performance.md")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)

    from tidings.evaluate import write_section
    from tidings.pipeline import get_coder

    path = corpus(args.n, seed=1)
    coder = get_coder()
    # warm-up: the first batches pay for lazy initialisation, of the coder and of the
    # ingest command (its imports: the CLI, SQLAlchemy's dialect, Alembic), both excluded
    with path.open(encoding="utf-8") as fh:
        sample = [json.loads(next(fh)) for _ in range(20)]
    list(coder.code_many(sample))
    code_times, ingest_times, n_events, stored = [], [], 0, (0, 0)
    with tempfile.TemporaryDirectory(prefix="tidings-ingest-") as tmp:
        warm = Path(tmp) / "warm-up.jsonl"
        warm.write_text("".join(json.dumps(a) + "\n" for a in sample), encoding="utf-8")
        time_ingest(warm, Path(tmp) / "warm-up.db", args.batch_size)
        for r in range(args.rounds):
            order = ("code", "ingest") if r % 2 == 0 else ("ingest", "code")
            for mode in order:
                if mode == "code":
                    elapsed, n_events = time_code_only(coder, path, args.batch_size)
                    code_times.append(elapsed)
                else:
                    db = Path(tmp) / f"round{r}.db"
                    elapsed, *stored = time_ingest(path, db, args.batch_size)
                    ingest_times.append(elapsed)
                print(f"round {r + 1} {mode}: {elapsed:.1f}s", file=sys.stderr)

    code_t, ingest_t = statistics.median(code_times), statistics.median(ingest_times)
    ratio = code_t / ingest_t  # = ingest articles/s over code-only articles/s
    pairs = [c / i for c, i in zip(code_times, ingest_times, strict=True)]
    verdict = "meets" if ratio >= 0.9 else "**misses**"
    body = "\n".join([
        "## Ingest into SQLite vs code only", "",
        f"Measured {time.strftime('%Y-%m-%d')} on {machine()}.",
        f"Corpus: {args.n} synthetic articles (`bench/synth.py`, seed 1) in one JSONL file; "
        f"batch size {args.batch_size}; {args.rounds} interleaved rounds each in one process, "
        "median shown. Ingest is the real `tidings ingest` command into a fresh SQLite file "
        "(WAL, one transaction per batch); both warmed up on 20 articles first.",
        "", "| mode | seconds | articles/s |", "|---|---|---|",
        f"| code only (`iter_articles` + `code_many`) | {code_t:.1f} | {args.n / code_t:.2f} |",
        f"| `tidings ingest` into SQLite | {ingest_t:.1f} | {args.n / ingest_t:.2f} |",
        "", f"**Ratio ingest / code-only: {ratio:.3f}** ({verdict} the 0.9 target); "
        f"per round: {', '.join(f'{p:.3f}' for p in pairs)}. "
        f"Stored {stored[0]:,} documents and {stored[1]:,} events ({n_events:,} coded).",
        f"Raw seconds — code only: {', '.join(f'{t:.1f}' for t in code_times)}; "
        f"ingest: {', '.join(f'{t:.1f}' for t in ingest_times)}.", "",
    ])
    print(body)
    if not args.no_write:
        write_section(args.docs, "ingest", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
