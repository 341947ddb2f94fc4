"""Assign each gold article to dev or test, stratified by how many events it holds.

    python training/gold/split.py

The first split alternated articles by date, which left dev with a third of the events
(most political stories fell on one side). Done once, after adjudication and before any
system was scored or tuned on the set: articles are ordered by their number of gold
events, taken in pairs, and a seeded coin sends one of each pair to dev and the other to
test. Rewrites the ``split`` field of ``articles.jsonl`` and ``gold.jsonl``.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

HERE = Path(__file__).parent / "wikinews"
SEED = 2019


def main() -> None:
    articles = [json.loads(line) for line in (HERE / "articles.jsonl").open(encoding="utf-8")]
    gold = [json.loads(line) for line in (HERE / "gold.jsonl").open(encoding="utf-8")]
    events = Counter()
    for r in gold:
        events[r["doc"]] += len(r["events"])
    order = sorted(articles, key=lambda a: (events[a["id"]], a["id"]))
    rng = random.Random(SEED)
    split = {}
    for i in range(0, len(order), 2):
        pair = order[i:i + 2]
        rng.shuffle(pair)
        for a, name in zip(pair, ("dev", "test"), strict=False):
            split[a["id"]] = name
    for a in articles:
        a["split"] = split[a["id"]]
    for r in gold:
        r["split"] = split[r["doc"]]
    for path, rows in ((HERE / "articles.jsonl", articles), (HERE / "gold.jsonl", gold)):
        with path.open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    for name in ("dev", "test"):
        docs = [a for a in articles if a["split"] == name]
        n_events = sum(events[a["id"]] for a in docs)
        n_sent = sum(len(a["sentences"]) for a in docs)
        print(f"{name}: {len(docs)} articles, {n_sent} sentences, {n_events} events")


if __name__ == "__main__":
    main()
