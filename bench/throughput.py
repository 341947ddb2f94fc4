"""Throughput of `tidings code` against spaCy's own full parse of the same texts.

Both run in one process, on the same synthetic corpus, with the same model, interleaved
(spaCy, tidings, tidings, spaCy, ...) so that noise from this shared machine hits both
alike. The headline is the ratio tidings / spaCy articles per second. Model loading and a
short warm-up are excluded. Results go to docs/performance.md.

    .venv/bin/python bench/throughput.py --n 1000 --rounds 2
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from synth import generate  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def cpu_name(default: str = "unknown CPU") -> str:
    """The processor's model name from /proc/cpuinfo (Linux), else ``default``."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return default


def machine() -> str:
    import spacy

    cpu = cpu_name()
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), "
            f"Python {platform.python_version()}, spaCy {spacy.__version__}")


def time_spacy(nlp, texts, batch_size: int) -> float:
    start = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=batch_size):
        pass
    return time.perf_counter() - start


def time_tidings(coder, articles, batch_size: int) -> tuple[float, int]:
    start = time.perf_counter()
    events = 0
    for coded in coder.code_many(articles, batch_size=batch_size):
        events += len(coded.events)
    return time.perf_counter() - start, events


def accuracy_both_ways(coder) -> str:
    """PLOVER gold accuracy with the sentence prefilter and with every sentence parsed."""
    from tidings import evaluate
    from tidings.pipeline import Coder

    folder = evaluate.find_gold_dir()
    if folder is None:
        return "\n(PLOVER gold records not found: accuracy comparison skipped.)\n"
    records = evaluate.load_gold(folder)
    with_filter = evaluate.evaluate(records, coder)
    everything = evaluate.evaluate(records, Coder(prefilter=False))
    return "\n".join([
        "", "Same coder, PLOVER gold records, prefilter on and off:", "",
        "| run | event-type accuracy | source country | target country |", "|---|---|---|---|",
        f"| prefilter (default) | {with_filter.accuracy:.3f} | "
        f"{with_filter.source_accuracy:.3f} | {with_filter.target_accuracy:.3f} |",
        f"| parse every sentence | {everything.accuracy:.3f} | "
        f"{everything.source_accuracy:.3f} | {everything.target_accuracy:.3f} |", ""])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="articles in the corpus")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds per system")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--docs", type=Path, default=ROOT / "docs/performance.md")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)

    from tidings.evaluate import write_section
    from tidings.pipeline import MODEL, get_coder

    corpus = list(generate(args.n, seed=1))
    texts = [a["text"] for a in corpus]
    words = sum(len(t.split()) for t in texts)
    import spacy

    coder = get_coder()
    # spaCy's own pipeline, loaded separately and untouched: the baseline.
    nlp = spacy.load(MODEL)
    # Warm-up: first batches pay for lazy initialisation in both systems.
    time_spacy(nlp, texts[:20], args.batch_size)
    time_tidings(coder, corpus[:20], args.batch_size)

    spacy_times, tidings_times, n_events = [], [], 0
    for r in range(args.rounds):
        order = ("spacy", "tidings") if r % 2 == 0 else ("tidings", "spacy")
        for system in order:
            if system == "spacy":
                spacy_times.append(time_spacy(nlp, texts, args.batch_size))
            else:
                elapsed, n_events = time_tidings(coder, corpus, args.batch_size)
                tidings_times.append(elapsed)
            print(f"round {r + 1} {system}: done", file=sys.stderr)

    spacy_t, tidings_t = statistics.median(spacy_times), statistics.median(tidings_times)
    spacy_rate, tidings_rate = args.n / spacy_t, args.n / tidings_t
    ratio = tidings_rate / spacy_rate
    body = "\n".join([
        "## Throughput: `tidings code` vs spaCy's full parse", "",
        f"Measured {time.strftime('%Y-%m-%d')} on {machine()}.",
        f"Corpus: {args.n} synthetic articles (`bench/synth.py`, seed 1), {words:,} words; "
        f"batch size {args.batch_size}; {args.rounds} interleaved rounds each, median shown.",
        "", "| system | seconds | articles/s | words/s |", "|---|---|---|---|",
        f"| spaCy `nlp.pipe` (full `{nlp.meta['name']}` pipeline) | {spacy_t:.1f} | "
        f"{spacy_rate:.1f} | {words / spacy_t:,.0f} |",
        f"| `tidings code` (parse + actors + events) | {tidings_t:.1f} | {tidings_rate:.1f} | "
        f"{words / tidings_t:,.0f} |",
        "", f"**Ratio tidings / spaCy: {ratio:.2f}x** ({n_events:,} events coded).",
        f"Raw seconds — spaCy: {', '.join(f'{t:.1f}' for t in spacy_times)}; "
        f"tidings: {', '.join(f'{t:.1f}' for t in tidings_times)}.", "",
    ])
    body += accuracy_both_ways(coder)
    print(body)
    if not args.no_write:
        write_section(args.docs, "throughput", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
