"""Build the adjudicated gold file from the two passes and the adjudicator's decisions.

    python training/gold/build_gold.py

Where the passes agree on a sentence (same events with the same type, actors' country and
sector, modality, date and place country), pass A's record is kept. Every other sentence
must have a decision in ``wikinews/adjudicated.jsonl`` (same record format, written by the
adjudicator after reading both passes). Writes ``wikinews/gold.jsonl`` with each
sentence's split, and fails if a disagreement has no decision.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from agreement import FIELDS, load_pass, pair_events  # noqa: E402

HERE = Path(__file__).parent / "wikinews"


def agree(a: list[dict], b: list[dict]) -> bool:
    if len(a) != len(b):
        return False
    for x, y in pair_events(a, b):
        if x is None or y is None or x["type"] != y["type"]:
            return False
        if any(get(x) != get(y) for get in FIELDS.values()):
            return False
    return True


def main() -> int:
    articles = [json.loads(line) for line in (HERE / "articles.jsonl").open(encoding="utf-8")]
    pa, pb = load_pass(HERE / "pass_a"), load_pass(HERE / "pass_b")
    decided = {}
    path = HERE / "adjudicated.jsonl"
    if path.exists():
        for line in path.open(encoding="utf-8"):
            if line.strip():
                r = json.loads(line)
                decided[(r["doc"], r["sent"])] = r
    out, missing, from_decisions = [], [], 0
    for a in articles:
        for s in a["sentences"]:
            key = (a["id"], s["i"])
            ra, rb = pa[a["id"]][s["i"]], pb[a["id"]][s["i"]]
            if key in decided:
                record = decided[key]
                from_decisions += 1
            elif agree(ra.get("events") or [], rb.get("events") or []):
                record = ra
            else:
                missing.append(key)
                continue
            events = record.get("events") or []
            out.append({"doc": a["id"], "sent": s["i"], "split": a["split"],
                        "event_bearing": bool(events), "events": events,
                        "non_events": record.get("non_events") or []})
    if missing:
        for doc, sent in missing:
            print(f"no decision for {doc}#{sent}")
        return 1
    with (HERE / "gold.jsonl").open("w", encoding="utf-8") as fh:
        for r in out:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    n_events = sum(len(r["events"]) for r in out)
    print(f"{len(out)} sentences ({from_decisions} adjudicated), {n_events} events -> "
          f"{HERE / 'gold.jsonl'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
