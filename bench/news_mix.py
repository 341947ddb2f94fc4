"""A general-news mix for the throughput benchmark: political and non-political texts.

    .venv/bin/python bench/news_mix.py --n 400 --out bench/out/news_mix.jsonl
    .venv/bin/python bench/throughput.py --corpus bench/out/news_mix.jsonl --section throughput-mix

Half the articles are synthetic political stories (``bench/synth.py``, seed 1), half are
the non-political paragraphs of ``training/eval/nonpolitical.jsonl`` (sport, entertainment,
technology, business, weather, science, lifestyle), cycled when more are needed, in
alternation. Used for speed only.
"""

from __future__ import annotations

import argparse
import json
import sys
from itertools import cycle, islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from synth import generate  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def mix(n: int, nonpolitical: Path) -> list[dict]:
    political = list(generate(n - n // 2, seed=1))
    rows = [json.loads(line) for line in nonpolitical.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    other = [{"id": f"{r['id']}-{i}", "text": r["text"], "published": r.get("published")}
             for i, r in enumerate(islice(cycle(rows), n // 2))]
    out = []
    for i in range(max(len(political), len(other))):
        out += political[i:i + 1] + other[i:i + 1]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--nonpolitical", type=Path,
                    default=ROOT / "training" / "eval" / "nonpolitical.jsonl")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "news_mix.jsonl")
    args = ap.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        for row in mix(args.n, args.nonpolitical):
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{args.n} articles -> {args.out}")


if __name__ == "__main__":
    main()
