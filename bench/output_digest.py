"""Code a corpus and write every coded field of every article, with a digest, to compare
the output of two versions of the code (a speed change must leave it unchanged).

    PYTHONPATH=src .venv/bin/python bench/output_digest.py bench/out/news_mix.jsonl \
        --out /tmp/before.jsonl
    ... --out /tmp/after.jsonl --compare /tmp/before.jsonl

Each output line is one article's ``to_dict()``; the digest is over all of them in order.
``--compare`` counts, per field (events, entities, quotes, quantities, times, places), the
articles that differ from an earlier output, and prints the first few differences.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

FIELDS = ("events", "entities", "quotes", "quantities", "times", "places", "notes")


def code(corpus: Path, batch_size: int) -> tuple[list[dict], float, dict]:
    from tidings.pipeline import Coder

    rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    coder = Coder()
    start = time.process_time()
    out = [c.to_dict() for c in coder.code_many(rows, batch_size=batch_size)]
    return out, time.process_time() - start, dict(coder.stats)


def digest(rows: list[dict]) -> str:
    h = hashlib.sha256()
    for row in rows:
        h.update(json.dumps(row, sort_keys=True, default=str).encode())
    return h.hexdigest()[:16]


def compare(new: list[dict], old: list[dict], show: int) -> int:
    differing = 0
    counts = dict.fromkeys(FIELDS, 0)
    shown = 0
    for a, b in zip(new, old, strict=True):
        if a == b:
            continue
        differing += 1
        for field in FIELDS:
            if a.get(field) != b.get(field):
                counts[field] += 1
                if shown < show:
                    shown += 1
                    print(f"--- {a['id']} {field}\n  old: {json.dumps(b.get(field))[:600]}\n"
                          f"  new: {json.dumps(a.get(field))[:600]}")
    print(f"{differing} of {len(new)} articles differ; per field: "
          + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return differing


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path, help="a JSON Lines file of articles")
    ap.add_argument("--out", type=Path, required=True, help="where to write the coded output")
    ap.add_argument("--compare", type=Path, default=None, help="an earlier --out to compare")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--show", type=int, default=10, help="differences to print")
    args = ap.parse_args(argv)
    rows, cpu, stats = code(args.corpus, args.batch_size)
    with open(args.out, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, sort_keys=True, default=str) + "\n")
    print(f"{len(rows)} articles, {sum(len(r['events']) for r in rows)} events, "
          f"digest {digest(rows)}, {cpu:.1f} CPU s, stats {stats}")
    if args.compare is not None:
        old = [json.loads(line) for line in args.compare.read_text().splitlines() if line]
        return 1 if compare(rows, old, args.show) else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
