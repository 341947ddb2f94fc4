"""Throughput of two checkouts of tidings on the same corpus, side by side in one run.

    .venv/bin/python bench/compare_checkouts.py --before ../before/src --after src \
        --corpus bench/out/news_mix.jsonl --rounds 3

Each round codes the corpus once with each checkout, in a fresh process per run (so the
two never share imported modules), alternating which goes first, and also times spaCy's
full parse of the same texts in the same process as a yardstick. The ratio reported is
spaCy time / tidings time for each checkout, the median over rounds; comparing the two
ratios from one run keeps the machine's load out of the comparison as far as it can be.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

# Runs in the child process: time spaCy's full parse, then tidings, on the same texts.
CHILD = r"""
import json, sys
import spacy
sys.path.insert(0, sys.argv[2])  # bench/: the timing functions of throughput.py
from throughput import time_spacy, time_tidings
from tidings.pipeline import MODEL, as_article, get_coder
rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
texts = [r["text"] for r in rows]
spacy_seconds = time_spacy(spacy.load(MODEL), texts, 32)
coder = get_coder()
coder.code(texts[0])  # load everything lazy before timing
tidings_seconds, events = time_tidings(coder, [as_article(r) for r in rows], 32)
print(json.dumps({"spacy": spacy_seconds, "tidings": tidings_seconds,
                  "events": sum(map(len, events))}))
"""


def run_once(src: Path, corpus: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(src.resolve())}
    out = subprocess.run([sys.executable, "-c", CHILD, str(corpus), str(Path(__file__).parent)],
                         env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", type=Path, required=True, help="src/ folder of one checkout")
    ap.add_argument("--after", type=Path, required=True, help="src/ folder of the other")
    ap.add_argument("--corpus", type=Path, required=True, help="JSON Lines of articles")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    results: dict[str, list[dict]] = {"before": [], "after": []}
    for r in range(args.rounds):
        order = ["before", "after"] if r % 2 == 0 else ["after", "before"]
        for name in order:
            results[name].append(run_once(getattr(args, name), args.corpus))
            print(f"round {r + 1} {name}: {results[name][-1]}", file=sys.stderr)
    print("| checkout | rounds: spaCy s / tidings s | ratio per round | median ratio | events |")
    print("|---|---|---|---|---|")
    for name, runs in results.items():
        ratios = [x["spacy"] / x["tidings"] for x in runs]
        seconds = ", ".join(f"{x['spacy']:.1f} / {x['tidings']:.1f}" for x in runs)
        print(f"| {name} (`{getattr(args, name)}`) | {seconds} | "
              f"{', '.join(f'{q:.2f}' for q in ratios)} | {statistics.median(ratios):.2f}x | "
              f"{runs[0]['events']} |")


if __name__ == "__main__":
    main()
