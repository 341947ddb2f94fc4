"""Asserted events per paragraph on the non-political evaluation set (acceptance 4).

    python training/eval_nonpolitical.py [FILE] [--json]

FILE defaults to training/eval/nonpolitical.jsonl (written apart from the training data and
never trained on). Counted: events with modality "asserted", for the rules alone and for
the pipeline with the event model, at confidence 0 and at the CLI default.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from tidings.confidence import DEFAULT_MIN_CONFIDENCE, filter_confidence
from tidings.pipeline import Coder

HERE = Path(__file__).resolve().parent


def count(coder: Coder, rows: list[dict], min_confidence: float) -> dict:
    per_domain: Counter[str] = Counter()
    paragraphs: Counter[str] = Counter()
    items = [{"id": r["id"], "text": r["text"], "published": r.get("published")} for r in rows]
    for row, coded in zip(rows, coder.code_many(items), strict=True):
        events = [e for e in filter_confidence(coded.events, min_confidence)
                  if e.modality == "asserted"]
        per_domain[row["domain"]] += len(events)
        paragraphs[row["domain"]] += 1
    total = sum(per_domain.values())
    return {"paragraphs": len(rows), "asserted_events": total,
            "per_paragraph": round(total / max(len(rows), 1), 3),
            "per_domain": {d: round(per_domain[d] / paragraphs[d], 3) for d in sorted(paragraphs)}}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file", nargs="?", type=Path, default=HERE / "eval" / "nonpolitical.jsonl")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--docs", type=Path, default=None,
                    help="also write the table to this docs file (section nonpolitical)")
    args = ap.parse_args()
    rows = [json.loads(line) for line in args.file.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    report = {
        "rules only": count(Coder(event_model=False), rows, 0.0),
        "model, min_confidence 0": count(Coder(), rows, 0.0),
        f"model, min_confidence {DEFAULT_MIN_CONFIDENCE} (default)":
            count(Coder(), rows, DEFAULT_MIN_CONFIDENCE),
    }
    if args.json:
        print(json.dumps(report, indent=1))
        return
    lines = ["## Non-political paragraphs (acceptance: <= 0.3 asserted events each)", "",
             f"`python training/eval_nonpolitical.py` on {args.file.name} (written apart from "
             "the training data, never trained on).", "",
             "| coder | paragraphs | asserted events | per paragraph |", "|---|---|---|---|"]
    lines += [f"| {name} | {r['paragraphs']} | {r['asserted_events']} | {r['per_paragraph']} |"
              for name, r in report.items()]
    domains = sorted(next(iter(report.values()))["per_domain"])
    lines += ["", "Per domain, events per paragraph: "
              + "; ".join(f"{name}: " + ", ".join(f"{d} {r['per_domain'][d]}" for d in domains)
                          for name, r in report.items()), ""]
    print("\n".join(lines))
    if args.docs is not None:
        from tidings.evaluate import write_section

        write_section(args.docs, "nonpolitical", "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
