"""Score tidings' temporal expressions (``CodedArticle.times``) against a TimeML-style gold set.

The gold file holds one JSON line per expression: its document, split, sentence, text,
character offsets into the article text (``articles.jsonl`` beside it), TIMEX3 type, value
and mod. tidings codes each whole document with the article's publication date. The
measures are TempEval-3's:

- extent precision, recall and F1, **strict** (same start and end) and **relaxed** (the
  spans overlap); predicted and gold expressions are paired one to one, largest overlap
  first;
- on relaxed matches: **value accuracy**, type accuracy and mod accuracy;
- **value-F1**: F1 counting a relaxed match only when its value is also right (a wrong
  value counts against both precision and recall);
- recall per TIMEX3 type (DATE, TIME, DURATION, SET), relaxed.

Only the split asked for is scored; its per-expression mistakes can be listed for the dev
split only (``errors``): the test split is scored once, never inspected.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tidings.gold_files import articles_beside, coded_documents, dev_errors_only, read_jsonl

TYPES = ("DATE", "TIME", "DURATION", "SET")


@dataclass
class Expr:
    doc: str
    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str | None = None


@dataclass
class TimeDoc:
    id: str
    text: str
    published: str | None
    split: str
    gold: list[Expr] = field(default_factory=list)


def load(path: str | Path, split: str | None = None) -> list[TimeDoc]:
    """The gold documents of ``path`` (a times.jsonl), optionally of one split only. The
    split is the article's, read from ``articles.jsonl`` beside the gold file."""
    path = Path(path)
    docs = {a["id"]: TimeDoc(a["id"], a["text"], a.get("published"), a.get("split", ""))
            for a in articles_beside(path, split)}
    for n, r in read_jsonl(path):
        doc = docs.get(r["doc"])
        if doc is None:
            continue
        start, end = int(r["start"]), int(r["end"])
        if doc.text[start:end] != r["text"]:
            raise ValueError(f"line {n}: offsets {start}-{end} do not hold {r['text']!r}")
        doc.gold.append(Expr(doc.id, start, end, r["text"], r["type"].upper(),
                             str(r["value"]), r.get("mod") or None))
    return list(docs.values())


def predictions(docs: list[TimeDoc], coder=None) -> dict[str, list[Expr]]:
    """Code every document with ``coder`` (the default pipeline if None): its times."""
    out: dict[str, list[Expr]] = {}
    for doc, coded in coded_documents(docs, coder):
        out[doc.id] = [Expr(doc.id, t.span[0], t.span[1], t.text, t.type, t.value, t.mod)
                       for t in coded.times]
    return out


def _pairs(gold: list[Expr], pred: list[Expr]) -> list[tuple[Expr, Expr]]:
    """One-to-one pairs of overlapping expressions, largest overlap first."""
    overlaps = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            size = min(g.end, p.end) - max(g.start, p.start)
            if size > 0:
                overlaps.append((-size, i, j))
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, i, j in sorted(overlaps):
        if i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        pairs.append((gold[i], pred[j]))
    return pairs


def _prf(tp_p: int, n_pred: int, tp_g: int, n_gold: int) -> dict[str, float]:
    p = tp_p / n_pred if n_pred else 0.0
    r = tp_g / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}


def same_value(gold: str, pred: str) -> bool:
    return gold.strip().upper() == pred.strip().upper()


def score(docs: list[TimeDoc], predicted: dict[str, list[Expr]]) -> dict[str, Any]:
    n_gold = n_pred = strict = relaxed = value_ok = type_ok = mod_ok = 0
    gold_by_type: Counter[str] = Counter()
    found_by_type: Counter[str] = Counter()
    value_by_type: Counter[str] = Counter()
    errors: list[dict[str, Any]] = []
    for doc in docs:
        pred = predicted.get(doc.id, [])
        n_gold += len(doc.gold)
        n_pred += len(pred)
        gold_by_type.update(g.type for g in doc.gold)
        pairs = _pairs(doc.gold, pred)
        matched_g = {id(g) for g, _ in pairs}
        matched_p = {id(p) for _, p in pairs}
        for g, p in pairs:
            relaxed += 1
            strict += (g.start, g.end) == (p.start, p.end)
            ok = same_value(g.value, p.value)
            value_ok += ok
            type_ok += g.type == p.type
            mod_ok += (g.mod or None) == (p.mod or None)
            found_by_type[g.type] += 1
            value_by_type[g.type] += ok
            if not ok or g.type != p.type or (g.start, g.end) != (p.start, p.end):
                errors.append({"doc": doc.id, "kind": "mismatch", "gold": _show(g),
                               "predicted": _show(p)})
        errors += [{"doc": doc.id, "kind": "missed", "gold": _show(g)}
                   for g in doc.gold if id(g) not in matched_g]
        errors += [{"doc": doc.id, "kind": "spurious", "predicted": _show(p)}
                   for p in pred if id(p) not in matched_p]
    report: dict[str, Any] = {
        "documents": len(docs), "gold": n_gold, "predicted": n_pred,
        "strict": _prf(strict, n_pred, strict, n_gold),
        "relaxed": _prf(relaxed, n_pred, relaxed, n_gold),
        "value_accuracy": round(value_ok / relaxed, 3) if relaxed else 0.0,
        "type_accuracy": round(type_ok / relaxed, 3) if relaxed else 0.0,
        "mod_accuracy": round(mod_ok / relaxed, 3) if relaxed else 0.0,
        "value": _prf(value_ok, n_pred, value_ok, n_gold),
        "by_type": {t: {"gold": gold_by_type[t],
                        "recall": round(found_by_type[t] / gold_by_type[t], 3)
                        if gold_by_type[t] else None,
                        "value_recall": round(value_by_type[t] / gold_by_type[t], 3)
                        if gold_by_type[t] else None}
                    for t in TYPES},
    }  # fmt: skip
    report["errors"] = errors
    return report


def _show(e: Expr) -> dict[str, Any]:
    return {"text": e.text, "span": [e.start, e.end], "type": e.type, "value": e.value,
            "mod": e.mod}


def evaluate(path: str | Path, *, split: str | None = None, coder=None) -> dict[str, Any]:
    docs = load(path, split)
    return dev_errors_only(score(docs, predictions(docs, coder)), split)


def render_markdown(report: dict[str, Any], title: str) -> str:
    s, r, v = report["strict"], report["relaxed"], report["value"]
    lines = [
        f"### {title}", "",
        f"{report['documents']} documents, {report['gold']} gold expressions, "
        f"{report['predicted']} predicted (TempEval-3 measures).", "",
        "| measure | precision | recall | F1 |", "|---|---|---|---|",
        f"| extent, strict | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} |",
        f"| extent, relaxed | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} |",
        f"| value (relaxed match, right value) | {v['precision']:.3f} | {v['recall']:.3f} "
        f"| {v['f1']:.3f} |", "",
        f"On relaxed matches: value accuracy {report['value_accuracy']:.3f}, type accuracy "
        f"{report['type_accuracy']:.3f}, mod accuracy {report['mod_accuracy']:.3f}.", "",
        "| type | gold | recall (relaxed) | recall with the right value |", "|---|---|---|---|",
    ]  # fmt: skip
    for t, row in report["by_type"].items():
        if row["gold"]:
            lines.append(f"| {t} | {row['gold']} | {row['recall']:.3f} | "
                         f"{row['value_recall']:.3f} |")
    return "\n".join(lines) + "\n"
