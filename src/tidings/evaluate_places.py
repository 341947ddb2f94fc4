"""Score ``places`` against a toponym gold set (``tidings eval places FILE --split dev``).

The gold file has one JSON line per toponym ({"doc", "start", "end", "text", "geonameid",
"lat", "lon", ...}; offsets into the article text of ``articles.jsonl`` beside it, whose
``split`` decides the split). A ``toponyms_excluded.jsonl`` beside it lists place names
inside other names (organisations, streets, events): a system's toponym overlapping one of
those is neither right nor wrong and is not counted.

Measures, as geoparsing benchmarks report them:
- recognition precision and recall, a system toponym and a gold one matching when their
  spans overlap (each used once);
- accuracy within 161 km (100 miles) over the recognised gold toponyms that have
  coordinates;
- the same GeoNames id, over recognised gold toponyms that have an id.

On the dev split only, ``errors`` lists the mistakes (false positives, missed toponyms,
places more than 161 km off, other GeoNames ids), as the event and time scorers do: the
test split is scored once, never inspected.
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path
from typing import Any

from tidings.gold_files import articles_beside, dev_errors_only, read_jsonl

KM = 161.0


def haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def load(path: str | Path, split: str | None = None):
    """(articles, gold toponyms by doc, excluded spans by doc) for one split."""
    path = Path(path)
    articles = articles_beside(path, split)
    wanted = {a["id"] for a in articles}
    gold: dict[str, list[dict]] = {doc: [] for doc in wanted}
    for _, row in read_jsonl(path):
        if row["doc"] in wanted:
            gold[row["doc"]].append(row)
    excluded: dict[str, list[tuple[int, int]]] = {doc: [] for doc in wanted}
    excl_path = path.parent / "toponyms_excluded.jsonl"
    if excl_path.exists():
        for _, row in read_jsonl(excl_path):
            if row["doc"] in wanted:
                excluded[row["doc"]].append((row["start"], row["end"]))
    return articles, gold, excluded


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_document(predicted: list[dict], gold: list[dict],
                   excluded: list[tuple[int, int]]) -> dict[str, Any]:
    """Counts for one document; ``predicted`` are ``Toponym.to_dict()`` rows."""
    c: Counter[str] = Counter()
    pairs, misses = [], []
    used: set[int] = set()
    gold_sorted = sorted(gold, key=lambda g: g["start"])
    for p in sorted(predicted, key=lambda p: p["span"][0]):
        span = tuple(p["span"])
        match = next((i for i, g in enumerate(gold_sorted)
                      if i not in used and _overlap(span, (g["start"], g["end"]))), None)
        if match is None:
            if any(_overlap(span, e) for e in excluded):
                continue  # a place name inside another name: not counted
            c["false_positive"] += 1
            misses.append({"kind": "false_positive", "text": p["text"], "span": list(span),
                           "name": p.get("name"), "country": p.get("country")})
            continue
        used.add(match)
        pairs.append((p, gold_sorted[match]))
    c["predicted"] = len(pairs) + c["false_positive"]
    c["gold"] = len(gold_sorted)
    c["recognised"] = len(pairs)
    for i, g in enumerate(gold_sorted):
        if i not in used:
            misses.append({"kind": "missed", "text": g["text"], "span": [g["start"], g["end"]],
                           "name": g.get("name")})
    for p, g in pairs:
        if g.get("lat") is not None and p.get("lat") is not None:
            c["with_coords"] += 1
            km = haversine(p["lat"], p["lon"], g["lat"], g["lon"])
            if km <= KM:
                c["within_161"] += 1
            else:
                misses.append({"kind": "far", "text": g["text"], "km": round(km),
                               "predicted": p.get("name"), "gold": g.get("name"),
                               "predicted_country": p.get("country"),
                               "gold_country": g.get("country")})
        elif g.get("lat") is not None:
            c["with_coords"] += 1
        if g.get("geonameid"):
            c["with_id"] += 1
            if p.get("geonameid") == g["geonameid"]:
                c["same_id"] += 1
            else:
                misses.append({"kind": "other_id", "text": g["text"], "gold": g.get("name"),
                               "gold_id": g["geonameid"], "predicted": p.get("name"),
                               "predicted_id": p.get("geonameid"),
                               "predicted_feature": p.get("feature")})
        if g.get("use"):
            c["with_use"] += 1
            c["same_use"] += int(p.get("use") == g["use"])
    return {"counts": c, "errors": misses}


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def evaluate(path: str | Path, *, split: str | None = None, coder=None) -> dict[str, Any]:
    articles, gold, excluded = load(path, split)
    if coder is None:
        from tidings.pipeline import get_coder

        coder = get_coder()
    total: Counter[str] = Counter()
    errors: list[dict[str, Any]] = []
    items = [{"id": a["id"], "text": a["text"], "published": (a.get("published") or "")[:10]
              or None, "title": a.get("title")} for a in articles]
    for article, coded in zip(articles, coder.code_many(items), strict=True):
        predicted = [p.to_dict() for p in coded.places]
        result = score_document(predicted, gold[article["id"]], excluded[article["id"]])
        total.update(result["counts"])
        errors += [{"doc": article["id"], **e} for e in result["errors"]]
    precision = _ratio(total["recognised"], total["predicted"])
    recall = _ratio(total["recognised"], total["gold"])
    f1 = (round(2 * precision * recall / (precision + recall), 3)
          if precision and recall else None)
    return dev_errors_only({
        "documents": len(articles),
        "gold_toponyms": total["gold"],
        "predicted": total["predicted"],
        "recognised": total["recognised"],
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "within_161km": _ratio(total["within_161"], total["with_coords"]),
        "same_geonameid": _ratio(total["same_id"], total["with_id"]),
        "use_accuracy": _ratio(total["same_use"], total["with_use"]),
        "counts": dict(total),
        "errors": errors,
    }, split)


def render_markdown(report: dict[str, Any], title: str) -> str:
    def fmt(v: float | None) -> str:
        return "–" if v is None else f"{v:.3f}"

    c = report["counts"]
    return "\n".join([
        f"## {title}", "",
        f"{report['documents']} documents, {report['gold_toponyms']} gold toponyms, "
        f"{report['predicted']} predicted (span overlap; names inside excluded names not "
        "counted).", "",
        "| measure | value | over |", "|---|---|---|",
        f"| recognition precision | {fmt(report['precision'])} | {report['predicted']} "
        "predicted |",
        f"| recognition recall | {fmt(report['recall'])} | {report['gold_toponyms']} gold |",
        f"| recognition F1 | {fmt(report['f1'])} | |",
        f"| within 161 km | {fmt(report['within_161km'])} | {c.get('with_coords', 0)} "
        "recognised with coordinates |",
        f"| same GeoNames id | {fmt(report['same_geonameid'])} | {c.get('with_id', 0)} "
        "recognised with an id |",
        f"| place/actor use | {fmt(report['use_accuracy'])} | {c.get('with_use', 0)} "
        "recognised |",
        "",
    ])
