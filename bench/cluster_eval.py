"""Score canonical-event clustering against the gold clusters in tests/data/clusters.

The corpus is coded with the real pipeline (``tidings.pipeline.get_coder``, every event
kept) and stored through the run service (``tidings.runs.store_coded``) in a temporary
SQLite store, then ``update_canonical`` links near-copies
and builds canonical events. Scoring is over *pairs of articles*:

* an article's **predicted events** are the canonical events holding at least one of its
  mentions; a near-copy (which contributes no mentions) takes those of the article it copies;
* a pair is **predicted together** when the two articles share a predicted event;
* a pair is **gold together** when the articles share a main event in gold.json ("events");
* a pair that is not gold together but shares any gold event once background reports
  ("mentions") are counted is **neutral**: linking it is right (both report that event) but
  not required, so it counts in neither precision nor recall;
* precision = gold-together pairs predicted together / all non-neutral pairs predicted
  together; recall = gold-together pairs predicted together / all gold-together pairs.

Run ``python bench/cluster_eval.py`` to print the scores and write them into
docs/accuracy.md (section "canonical-events"); ``--no-write`` only prints.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "clusters"
DOC = ROOT / "docs" / "accuracy.md"


def predicted_events(engine: Any) -> dict[str, set[str]]:
    """article id -> canonical event ids, copies inheriting their original's."""
    from tidings.store import schema as t

    out: dict[str, set[str]] = defaultdict(set)
    with engine.connect() as conn:
        lk = t.canonical_links.c
        for doc_id, cid in conn.execute(select(lk.document_id, lk.canonical_id)):
            out[doc_id].add(cid)
        dup = t.article_duplicates.c
        for copy, original in conn.execute(select(dup.document_id, dup.original_id)):
            out[copy] |= out.get(original, set())
    return dict(out)


def score(pred: dict[str, set[str]], gold: dict[str, dict]) -> dict[str, Any]:
    ids = sorted(gold)
    tp = fp = fn = neutral = 0
    errors: list[tuple[str, str, str]] = []
    for a, b in combinations(ids, 2):
        main = set(gold[a].get("events", [])) & set(gold[b].get("events", []))
        every = (set(gold[a].get("events", [])) | set(gold[a].get("mentions", []))) & (
            set(gold[b].get("events", [])) | set(gold[b].get("mentions", [])))
        together = bool(pred.get(a, set()) & pred.get(b, set()))
        if main:
            tp += together
            fn += not together
            if not together:
                errors.append(("missed", a, b))
        elif together and every:
            neutral += 1
        elif together:
            fp += 1
            errors.append(("wrong", a, b))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "true_pairs": tp,
            "false_pairs": fp, "missed_pairs": fn, "neutral_pairs": neutral, "errors": errors}


def copies_found(engine: Any, gold: dict[str, dict]) -> dict[str, int]:
    from tidings.store import schema as t

    with engine.connect() as conn:
        dup = t.article_duplicates.c
        found = dict(conn.execute(select(dup.document_id, dup.original_id)).all())
    expected = {a: g["copy_of"] for a, g in gold.items() if g.get("copy_of")}
    return {"expected": len(expected),
            "found": sum(found.get(a) == o for a, o in expected.items()),
            "spurious": sum(1 for a in found if a not in expected)}


def load_gold(data: Path = DATA) -> dict[str, dict]:
    return json.loads((data / "gold.json").read_text(encoding="utf-8"))["articles"]


def evaluate_store(store: Any, gold: dict[str, dict]) -> dict[str, Any]:
    """Scores for a store already holding the coded corpus and its canonical events."""
    from tidings.corpus import canonical_events

    result = score(predicted_events(store.engine), gold)
    result["copies"] = copies_found(store.engine, gold)
    events = canonical_events(store)
    result.update(gold_events=len({e for g in gold.values() for e in g.get("events", [])}),
                  canonical_events=len(events),
                  multi_article_events=sum(1 for e in events if e["num_articles"] > 1))
    return result


def run(data: Path = DATA) -> dict[str, Any]:
    from tidings.corpus import update_canonical
    from tidings.ingest import iter_articles
    from tidings.model import Rejected
    from tidings.pipeline import get_coder
    from tidings.runs import store_coded
    from tidings.store import Store

    gold = load_gold(data)
    with tempfile.TemporaryDirectory() as tmp, Store(f"sqlite:///{tmp}/eval.db") as store:
        articles = [a for a in iter_articles([data / "articles.jsonl"])
                    if not isinstance(a, Rejected)]
        saved = store_coded(get_coder().code_many(articles), store).stored
        update_canonical(store)
        result = evaluate_store(store, gold)
    result.update(articles=saved, outlets=len({a.source for a in articles}))
    return result


def markdown(r: dict[str, Any]) -> str:
    c = r["copies"]
    return (
        "## Canonical events (duplicate articles and event clustering)\n\n"
        f"Invented test corpus `tests/data/clusters`: {r['articles']} articles from "
        f"{r['outlets']} outlets about {r['gold_events']} real-world events (including "
        "distractors: the same dyad a week later, the same type in another country), coded "
        "by the real pipeline. Scored over article pairs by `bench/cluster_eval.py` (see its "
        "docstring for the pairing).\n\n"
        "| measure | value |\n|---|---|\n"
        f"| pairwise precision | {r['precision']:.3f} |\n"
        f"| pairwise recall | {r['recall']:.3f} |\n"
        f"| pairs right / wrong / missed / neutral | {r['true_pairs']} / {r['false_pairs']} / "
        f"{r['missed_pairs']} / {r['neutral_pairs']} |\n"
        f"| wire copies found / expected (spurious) | {c['found']} / {c['expected']} "
        f"({c['spurious']}) |\n"
        f"| canonical events (with 2+ articles) | {r['canonical_events']} "
        f"({r['multi_article_events']}) |\n\n")


def main(argv: list[str] | None = None) -> int:
    from tidings.evaluate import write_section

    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", type=Path, default=DATA)
    p.add_argument("--no-write", action="store_true", help="print only")
    p.add_argument("--errors", action="store_true", help="list wrong and missed pairs")
    args = p.parse_args(argv)
    r = run(args.data)
    print(markdown(r))
    if args.errors:
        for kind, a, b in r["errors"]:
            print(kind, a, b)
    if not args.no_write:
        write_section(DOC, "canonical-events", markdown(r))
        print(f"written to {DOC}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
