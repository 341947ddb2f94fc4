"""Agreement between the two independent annotation passes of the Wikinews gold set.

    python training/gold/agreement.py [--json] [--disagreements FILE]

Reads ``wikinews/pass_a`` and ``wikinews/pass_b`` (articles both passes finished) and
reports Cohen's kappa on:

- sentence level: event-bearing or not;
- event type: within each sentence the two passes' events are paired (same type first,
  then by overlapping evidence words); an event one pass has and the other lacks is paired
  with NONE. Kappa is taken over these pairs with NONE as a category;
- each field (source/target country and sector, modality, date, place country) over the
  events both passes coded with the same type.

``--disagreements`` writes every sentence where the passes differ, side by side, for the
adjudicator.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

HERE = Path(__file__).parent / "wikinews"
FIELDS = {
    "source_country": lambda e: (e.get("source") or {}).get("country"),
    "target_country": lambda e: (e.get("target") or {}).get("country"),
    "source_sector": lambda e: (e.get("source") or {}).get("sector"),
    "target_sector": lambda e: (e.get("target") or {}).get("sector"),
    "modality": lambda e: e.get("modality") or "asserted",
    "date": lambda e: e.get("date"),
    "place_country": lambda e: (e.get("place") or {}).get("country"),
}


def kappa(pairs: list[tuple[object, object]]) -> float | None:
    """Cohen's kappa of two raters' labels on the same items (None for no items)."""
    n = len(pairs)
    if not n:
        return None
    observed = sum(a == b for a, b in pairs) / n
    ca, cb = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(ca[k] * cb.get(k, 0) for k in ca) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def pair_events(a: list[dict], b: list[dict]) -> list[tuple[dict | None, dict | None]]:
    """Pair two passes' events of one sentence: same type, then overlapping evidence."""
    left, right, pairs = list(a), list(b), []
    for ea in list(left):
        same = [eb for eb in right if eb["type"] == ea["type"]]
        if same:
            eb = max(same, key=lambda e: len(words(e.get("evidence", ""))
                                             & words(ea.get("evidence", ""))))
            pairs.append((ea, eb))
            left.remove(ea)
            right.remove(eb)
    for ea in list(left):
        overlap = [(len(words(eb.get("evidence", "")) & words(ea.get("evidence", ""))), eb)
                   for eb in right]
        overlap = [(k, eb) for k, eb in overlap if k]
        if overlap:
            eb = max(overlap, key=lambda x: x[0])[1]
            pairs.append((ea, eb))
            left.remove(ea)
            right.remove(eb)
    pairs += [(ea, None) for ea in left] + [(None, eb) for eb in right]
    return pairs


def load_pass(folder: Path) -> dict[str, dict[int, dict]]:
    out = {}
    for path in sorted(folder.glob("*.jsonl")):
        out[path.stem] = {r["sent"]: r for r in map(json.loads, path.open(encoding="utf-8"))}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--disagreements", type=Path)
    args = ap.parse_args()

    articles = {a["id"]: a for a in map(json.loads, (HERE / "articles.jsonl").open())}
    pa, pb = load_pass(HERE / "pass_a"), load_pass(HERE / "pass_b")
    docs = sorted(set(pa) & set(pb))
    bearing, types, fields = [], [], {k: [] for k in FIELDS}
    disagreements = []
    for doc in docs:
        for s in articles[doc]["sentences"]:
            ra, rb = pa[doc].get(s["i"], {}), pb[doc].get(s["i"], {})
            ea = [e for e in ra.get("events") or []]
            eb = [e for e in rb.get("events") or []]
            bearing.append((bool(ea), bool(eb)))
            differ = bool(ea) != bool(eb)
            for x, y in pair_events(ea, eb):
                types.append((x["type"] if x else "NONE", y["type"] if y else "NONE"))
                if x is None or y is None or x["type"] != y["type"]:
                    differ = True
                    continue
                for name, get in FIELDS.items():
                    fields[name].append((get(x), get(y)))
                    differ |= get(x) != get(y)
            if differ:
                disagreements.append({"doc": doc, "sent": s["i"], "text": s["text"],
                                      "a": ea, "b": eb})
    report = {
        "articles": len(docs),
        "sentences": len(bearing),
        "events_a": sum(len(r.get("events") or []) for d in docs for r in pa[d].values()),
        "events_b": sum(len(r.get("events") or []) for d in docs for r in pb[d].values()),
        "kappa_event_bearing": kappa(bearing),
        "kappa_type": kappa(types),
        "type_pairs": len(types),
        "fields": {name: {"kappa": kappa(v), "agreement": (sum(a == b for a, b in v) / len(v)
                                                           if v else None), "n": len(v)}
                   for name, v in fields.items()},
        "sentences_with_disagreement": len(disagreements),
    }
    if args.disagreements:
        with args.disagreements.open("w", encoding="utf-8") as fh:
            for d in disagreements:
                fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"articles {report['articles']}, sentences {report['sentences']}, events A "
          f"{report['events_a']} / B {report['events_b']}")
    print(f"kappa event-bearing sentence: {report['kappa_event_bearing']:.3f}")
    print(f"kappa event type (over {len(types)} paired events, NONE for unpaired): "
          f"{report['kappa_type']:.3f}")
    for name, m in report["fields"].items():
        k = "n/a" if m["kappa"] is None else f"{m['kappa']:.3f}"
        agr = "n/a" if m["agreement"] is None else f"{m['agreement']:.3f}"
        print(f"  {name}: kappa {k}, agreement {agr} (n={m['n']})")
    print(f"sentences with any disagreement: {len(disagreements)}")


if __name__ == "__main__":
    main()
