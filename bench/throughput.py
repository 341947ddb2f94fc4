"""Throughput of `tidings code` against spaCy's own full parse of the same texts.

All systems run in one process, on the same synthetic corpus, with the same model,
interleaved (spaCy, tidings, ..., then the reverse order) so that noise from this shared
machine hits them alike. The headline is the ratio tidings / spaCy articles per second;
more rows show what each speed-up is worth: spaCy's full parse with the same matrix
library as tidings (numpy's OpenBLAS instead of thinc's default BLIS; the fair baseline for
the work tidings avoids), and tidings with BLIS, with spaCy's own attribute ruler and
lemmatizer, and with every sentence parsed.
Model loading and a short warm-up are excluded. Results go to docs/performance.md.

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


def time_tidings(coder, articles, batch_size: int) -> tuple[float, list]:
    """Seconds to code the articles, and their events as comparable tuples."""
    start = time.perf_counter()
    events = [[(e.event_type, e.source.country if e.source else None,
                e.target.country if e.target else None, e.date)
               for e in coded.events] for coded in coder.code_many(articles,
                                                                    batch_size=batch_size)]
    return time.perf_counter() - start, events


def agreement(a: list[list], b: list[list]) -> tuple[float, float]:
    """Share of events the two runs have in common (per article, as multisets), and share
    of articles whose events are identical."""
    from collections import Counter

    common = sum(sum((Counter(x) & Counter(y)).values()) for x, y in zip(a, b, strict=True))
    total = max(sum(map(len, a)), sum(map(len, b))) or 1
    same = sum(Counter(x) == Counter(y) for x, y in zip(a, b, strict=True))
    return common / total, same / len(a)


def accuracy_both_ways(coder, parse_all, blis) -> str:
    """PLOVER gold accuracy with the sentence prefilter, with every sentence parsed, and
    with thinc's BLIS matrix products."""
    from tidings import evaluate

    folder = evaluate.find_gold_dir()
    if folder is None:
        return "\n(PLOVER gold records not found: accuracy comparison skipped.)\n"
    records = evaluate.load_gold(folder)
    with_filter = evaluate.evaluate(records, coder)
    everything = evaluate.evaluate(records, parse_all)
    on_blis = evaluate.evaluate(records, blis)
    return "\n".join([
        "", "Same coder, PLOVER gold records, prefilter on and off:", "",
        "| run | event-type accuracy | source country | target country |", "|---|---|---|---|",
        f"| prefilter (default) | {with_filter.accuracy:.3f} | "
        f"{with_filter.source_accuracy:.3f} | {with_filter.target_accuracy:.3f} |",
        f"| parse every sentence | {everything.accuracy:.3f} | "
        f"{everything.source_accuracy:.3f} | {everything.target_accuracy:.3f} |",
        f"| prefilter, BLIS matrix products | {on_blis.accuracy:.3f} | "
        f"{on_blis.source_accuracy:.3f} | {on_blis.target_accuracy:.3f} |", ""])


def _without_places(coder):
    """The coder as it was before every toponym was resolved: only event locations."""
    coder.doc_coder.places = None
    return coder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="articles in the corpus")
    parser.add_argument("--corpus", type=Path, default=None,
                        help="a JSON Lines file of articles to use instead of synthetic ones")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds per system")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--docs", type=Path, default=ROOT / "docs/performance.md")
    parser.add_argument("--section", default="throughput", help="docs section to write")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)

    from tidings.evaluate import write_section
    from tidings.pipeline import MODEL, get_coder

    if args.corpus is not None:
        import json

        corpus = [json.loads(line) for line in args.corpus.read_text().splitlines() if line]
        args.n = len(corpus)
        described = f"{args.n} articles from `{args.corpus.name}`"
    else:
        corpus = list(generate(args.n, seed=1))
        described = f"{args.n} synthetic articles (`bench/synth.py`, seed 1)"
    texts = [a["text"] for a in corpus]
    words = sum(len(t.split()) for t in texts)
    import spacy

    from tidings.pipeline import Coder, load_model

    # spaCy's own pipeline, loaded separately and untouched: the baseline.
    nlp = spacy.load(MODEL)
    # The same full pipeline multiplying matrices with OpenBLAS, as tidings does.
    nlp_openblas = load_model(MODEL)
    coder = get_coder()
    systems = {
        "spacy": nlp,
        "spacy_openblas": nlp_openblas,
        "tidings": coder,
        # what each speed-up is worth: the matrix library, spaCy's own rule components,
        # then no prefilter
        "blis": Coder(openblas=False),
        "spacy_components": Coder(table_components=False),
        "parse_all": Coder(prefilter=False),
        "no_places": _without_places(Coder()),
    }
    # Warm-up: first batches pay for lazy initialisation in every system.
    for system in systems.values():
        if isinstance(system, Coder):
            time_tidings(system, corpus[:20], args.batch_size)
        else:
            time_spacy(system, texts[:20], args.batch_size)
    coder.stats.clear()

    times: dict[str, list[float]] = {name: [] for name in systems}
    events: dict[str, list] = {}
    for r in range(args.rounds):
        order = list(systems) if r % 2 == 0 else list(reversed(systems))
        for name in order:
            if not isinstance(systems[name], Coder):
                times[name].append(time_spacy(systems[name], texts, args.batch_size))
            else:
                elapsed, events[name] = time_tidings(systems[name], corpus, args.batch_size)
                times[name].append(elapsed)
            print(f"round {r + 1} {name}: done", file=sys.stderr)

    median = {name: statistics.median(t) for name, t in times.items()}
    spacy_t, tidings_t = median["spacy"], median["tidings"]
    # Each round times spaCy and tidings minutes apart: the median of these paired ratios
    # is steadier on a shared machine than a ratio of medians.
    paired = [s / t for s, t in zip(times["spacy"], times["tidings"], strict=True)]
    ratio = statistics.median(paired)
    # Like for like: both on the same matrix library, BLIS (as spaCy ships) or OpenBLAS.
    paired_blis = [s / t for s, t in zip(times["spacy"], times["blis"], strict=True)]
    paired_fair = [s / t for s, t in zip(times["spacy_openblas"], times["tidings"],
                                         strict=True)]
    ratio_blis, ratio_fair = statistics.median(paired_blis), statistics.median(paired_fair)
    stats = coder.stats
    parsed = stats["characters_parsed"] / max(stats["characters"], 1)
    named = stats["characters_named"] / max(stats["characters"], 1)
    shared, same = agreement(events["tidings"], events["parse_all"])
    n_events = sum(map(len, events["tidings"]))
    labels = {
        "spacy": f"spaCy `nlp.pipe`, full `{nlp.meta['name']}` pipeline (baseline)",
        "spacy_openblas": "the same spaCy pipeline, matrix products on OpenBLAS (as tidings)",
        "tidings": "**`tidings code`** (prefilter, table rules, OpenBLAS; parse + all "
                   "coding stages)",
        "blis": "`tidings code` with thinc's default BLIS matrix products",
        "spacy_components": "`tidings code` with spaCy's own attribute ruler and lemmatizer",
        "parse_all": "`tidings code` parsing every sentence (no prefilter)",
        "no_places": "`tidings code` without the document toponyms (`places`, before issue 13)",
    }
    rows = [f"| {labels[name]} | {median[name]:.1f} | {args.n / median[name]:.1f} | "
            f"{words / median[name]:,.0f} | {spacy_t / median[name]:.2f}x |"
            for name in systems]
    body = "\n".join([
        "## Throughput: `tidings code` vs spaCy's full parse"
        + (f" ({args.corpus.name})" if args.corpus else ""), "",
        f"Measured {time.strftime('%Y-%m-%d')} on {machine()}.",
        f"Corpus: {described}, {words:,} words; "
        f"batch size {args.batch_size}; {args.rounds} interleaved rounds of every system in "
        "one process, single process each, median shown.",
        "", "| system | seconds | articles/s | words/s | vs spaCy |", "|---|---|---|---|---|",
        *rows,
        "", f"**Ratio tidings / spaCy: {ratio:.2f}x**, the median of the per-round ratios "
        f"({', '.join(f'{r:.2f}' for r in paired)}); ratio of the median times "
        f"{spacy_t / tidings_t:.2f}x. {n_events:,} events coded.",
        "", "Like for like, both on the same matrix library (the prefilter, the table "
        "components and the coder's own cost, with the matrix library taken out of the "
        f"comparison): on BLIS, as spaCy ships, **{ratio_blis:.2f}x** (rounds "
        f"{', '.join(f'{r:.2f}' for r in paired_blis)}); on OpenBLAS, "
        f"**{ratio_fair:.2f}x** (rounds {', '.join(f'{r:.2f}' for r in paired_fair)}).",
        "Raw seconds — " + "; ".join(f"{name}: {', '.join(f'{t:.1f}' for t in ts)}"
                                    for name, ts in times.items()) + ".",
        "", f"The prefilter sent {parsed:.0%} of the text through the tagger and parser and "
        f"{named:.0%} through the entity recogniser. Events (type, source and target country, "
        f"date) shared with the parse-everything run: {shared:.1%}; articles with identical "
        f"events: {same:.0%}.", "",
    ])
    body += accuracy_both_ways(coder, systems["parse_all"], systems["blis"])
    print(body)
    if not args.no_write:
        write_section(args.docs, args.section, body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
