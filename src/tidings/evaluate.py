"""Score tidings against gold-standard event records (PLOVER GSR).

The gold file is measurement data only: nothing here learns from it. Each record is one
news sentence with its event type and actors; tidings codes the sentence and its main
event is compared with the gold one. PLOVER 0.5 labels are mapped to today's types.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tidings.event_types import aliases, type_names

DEFAULT_DIRS = ("../shared/eval/plover-gsr", "../../shared/eval/plover-gsr")


@dataclass
class GoldRecord:
    id: str
    text: str
    label: str
    published: str | None
    sources: list[str]
    targets: list[str]


@dataclass
class Prediction:
    id: str
    gold: str
    predicted: str
    source: str | None
    target: str | None
    gold_sources: list[str]
    gold_targets: list[str]


@dataclass
class Report:
    n: int
    accuracy: float
    macro_f1: float
    per_type: dict[str, dict[str, float]]
    source_accuracy: float | None
    source_n: int
    target_accuracy: float | None
    target_n: int
    confusion: dict[str, dict[str, int]]
    predictions: list[Prediction] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in self.__dict__.items() if k != "predictions"}
        return d


def find_gold_dir(explicit: str | Path | None = None) -> Path | None:
    candidates = [Path(explicit)] if explicit else []
    here = Path(__file__).resolve()
    candidates += [Path.cwd() / d for d in DEFAULT_DIRS]
    candidates += [here.parents[i] / "shared/eval/plover-gsr" for i in range(2, 5)]
    for c in candidates:
        if (c / "plover_gsr_dev.json").exists():
            return c
    return None


def _codes(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [a["code"] for a in value if isinstance(a, dict) and a.get("code")]


def load_gold(directory: str | Path) -> list[GoldRecord]:
    path = Path(directory) / "plover_gsr_dev.json"
    records = []
    for r in json.loads(path.read_text(encoding="utf-8")):
        label = r.get("event", "")
        if label == "DOCUMENT" or not r.get("text"):
            continue
        label = aliases().get(label, label)  # PLOVER 0.5 names (types.tsv `aliases`)
        records.append(GoldRecord(id=r["id"], text=r["text"], label=label,
                                  published=r.get("date") or None, sources=_codes(r.get("source")),
                                  targets=_codes(r.get("target"))))
    return records


def score(predictions: list[Prediction]) -> Report:
    n = len(predictions)
    correct = sum(p.gold == p.predicted for p in predictions)
    labels = sorted({p.gold for p in predictions} | (set(type_names()) & {
        p.predicted for p in predictions}))
    per_type: dict[str, dict[str, float]] = {}
    for label in labels:
        tp = sum(p.gold == label and p.predicted == label for p in predictions)
        fp = sum(p.gold != label and p.predicted == label for p in predictions)
        fn = sum(p.gold == label and p.predicted != label for p in predictions)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per_type[label] = {"precision": prec, "recall": rec, "f1": f1, "support": tp + fn}
    gold_labels = {p.gold for p in predictions}
    macro = sum(per_type[g]["f1"] for g in gold_labels) / len(gold_labels) if gold_labels else 0
    with_src = [p for p in predictions if p.gold_sources]
    with_tgt = [p for p in predictions if p.gold_targets]
    src_acc = (sum(p.source in p.gold_sources for p in with_src) / len(with_src)
               if with_src else None)
    tgt_acc = (sum(p.target in p.gold_targets for p in with_tgt) / len(with_tgt)
               if with_tgt else None)
    confusion: dict[str, dict[str, int]] = {}
    for (g, pr), count in Counter((p.gold, p.predicted) for p in predictions).items():
        confusion.setdefault(g, {})[pr] = count
    return Report(n=n, accuracy=correct / n if n else 0.0, macro_f1=macro, per_type=per_type,
                  source_accuracy=src_acc, source_n=len(with_src), target_accuracy=tgt_acc,
                  target_n=len(with_tgt), confusion=confusion, predictions=predictions)


def evaluate(records: list[GoldRecord], coder=None) -> Report:
    from tidings.pipeline import get_coder
    from tidings.schemes.main import main_event

    coder = coder or get_coder()
    items = [{"id": r.id, "text": r.text, "published": r.published} for r in records]
    predictions = []
    for record, coded in zip(records, coder.code_many(items), strict=True):
        event = main_event(coded)
        predictions.append(Prediction(
            id=record.id, gold=record.label, predicted=event.event_type if event else "NONE",
            source=event.source.country if event and event.source else None,
            target=event.target.country if event and event.target else None,
            gold_sources=record.sources, gold_targets=record.targets))
    return score(predictions)


def _fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def render_markdown(report: Report, title: str = "PLOVER gold-standard records") -> str:
    lines = [
        f"## {title}", "",
        f"Records: {report.n}", "",
        "| metric | value |", "|---|---|",
        f"| event-type accuracy | {_fmt(report.accuracy)} |",
        f"| event-type macro-F1 | {_fmt(report.macro_f1)} |",
        f"| source-actor country accuracy (n={report.source_n}) | "
        f"{_fmt(report.source_accuracy)} |",
        f"| target-actor country accuracy (n={report.target_n}) | "
        f"{_fmt(report.target_accuracy)} |",
        "", "| type | precision | recall | F1 | support |", "|---|---|---|---|---|",
    ]
    for label, m in sorted(report.per_type.items()):
        lines.append(f"| {label} | {m['precision']:.2f} | {m['recall']:.2f} | {m['f1']:.2f} | "
                     f"{int(m['support'])} |")
    predicted = sorted({p for row in report.confusion.values() for p in row})
    lines += ["", "Confusion (rows: gold, columns: predicted):", "",
              "| gold \\ predicted | " + " | ".join(predicted) + " |",
              "|---" * (len(predicted) + 1) + "|"]
    for gold in sorted(report.confusion):
        row = report.confusion[gold]
        lines.append(f"| {gold} | " + " | ".join(str(row.get(p, "")) for p in predicted) + " |")
    return "\n".join(lines) + "\n"


def write_section(path: Path, marker: str, body: str) -> None:
    """Replace (or append) one generated section of a docs file, keeping the rest."""
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    block = f"{start}\n{body}{end}"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        _, after = rest.split(end, 1)
        text = before + block + after
    else:
        text = (text.rstrip() + "\n\n" if text.strip() else "") + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
