"""Score tidings against a document-level gold set (the Wikinews real-news gold).

The gold file holds one JSON line per sentence (``training/GUIDELINE.md``): its document,
its index, whether it bears an event, and its events with type, acceptable alternative
types, source and target actors, date, place and modality. ``articles.jsonl`` beside it
holds each document's text, publication date, sentence offsets and split (dev or test).

tidings codes each whole document; each predicted event belongs to the gold sentence that
holds the start of its evidence span. Within a sentence, predicted and gold events are
paired one to one: exact type matches first, then a gold event's alternative types.
Measured:

- event precision, recall and F1 on type (and on sentence-level event-bearing);
- per-field accuracy on matched events (source/target country and sector, date, place
  country), counting a missing value where gold has one as wrong, with coverage, values
  invented where gold has none, and source/target swaps;
- whole-record F1: type plus source country plus target country all right;
- a reliability table: predicted events binned by confidence, each bin's mean confidence
  against the share of its events that are right.

On the dev split only, ``errors`` lists the actor mistakes of matched events (a wrong or
missing source or target country, or one invented where gold has none) and the gold events
left unmatched with what was predicted in their sentence, to be read when working on the
coder; the test split is scored once, never inspected.

Only asserted and future events are scored on both sides (the guideline codes no negated
or hypothetical events, and a demand's content is not an event of its own).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from tidings.gold_files import articles_beside, coded_documents, dev_errors_only, read_jsonl

SCORED_MODALITIES = {"asserted", "future"}
BINS = 10


@dataclass(kw_only=True)
class ScoredFields:
    """What is scored on a matched pair of events, beside the type (one field each)."""

    source_country: str | None
    target_country: str | None
    source_sector: str | None
    target_sector: str | None
    date: str | None
    place_country: str | None


FIELDS = tuple(f.name for f in fields(ScoredFields))


@dataclass(kw_only=True)
class GoldEvent(ScoredFields):
    doc: str
    sent: int
    type: str
    alt_types: list[str]
    evidence: str = ""
    source_text: str | None = None
    target_text: str | None = None


@dataclass(kw_only=True)
class PredictedEvent(ScoredFields):
    doc: str
    sent: int | None
    type: str
    confidence: float
    sentence: str = ""
    matched: bool = False
    trigger: str = ""
    source_text: str | None = None
    target_text: str | None = None


@dataclass
class GoldDocument:
    id: str
    text: str
    published: str | None
    split: str
    sentences: list[tuple[int, int, int]]  # (index, start, end)
    bearing: set[int] = field(default_factory=set)
    events: list[GoldEvent] = field(default_factory=list)


def _actor_field(actor: Any, key: str) -> str | None:
    return actor.get(key) or None if isinstance(actor, dict) else None


def load(path: str | Path, split: str | None = None) -> list[GoldDocument]:
    """The gold documents of ``path`` (a gold.jsonl), optionally of one split only."""
    path = Path(path)
    docs = {a["id"]: GoldDocument(
                id=a["id"], text=a["text"], published=a.get("published"),
                split=a.get("split", ""),
                sentences=[(s["i"], s["start"], s["end"]) for s in a["sentences"]])
            for a in articles_beside(path, split)}
    for _, r in read_jsonl(path):
        doc = docs.get(r["doc"])
        if doc is None:
            continue
        for e in r.get("events") or []:
            if e.get("modality", "asserted") not in SCORED_MODALITIES:
                continue
            src, tgt, place = e.get("source"), e.get("target"), e.get("place")
            doc.events.append(GoldEvent(
                doc=doc.id, sent=r["sent"], type=e["type"], alt_types=e.get("alt_types") or [],
                source_country=_actor_field(src, "country"),
                target_country=_actor_field(tgt, "country"),
                source_sector=_actor_field(src, "sector"),
                target_sector=_actor_field(tgt, "sector"),
                date=e.get("date") or None, place_country=_actor_field(place, "country"),
                evidence=e.get("evidence", ""), source_text=_actor_field(src, "text"),
                target_text=_actor_field(tgt, "text")))
            doc.bearing.add(r["sent"])
    return list(docs.values())


def _sentence_of(doc: GoldDocument, start: int) -> int | None:
    for index, s, e in doc.sentences:
        if s <= start < e:
            return index
    return None


def predictions(docs: list[GoldDocument], coder=None) -> list[PredictedEvent]:
    """Code every gold document with ``coder`` (the default pipeline if None)."""
    out = []
    for doc, coded in coded_documents(docs, coder):
        for ev in coded.events:
            if ev.modality not in SCORED_MODALITIES:
                continue
            src, tgt = ev.source, ev.target
            out.append(PredictedEvent(
                doc=doc.id, sent=_sentence_of(doc, ev.span[0]), type=ev.event_type,
                confidence=float(ev.confidence or 0.0),
                source_country=src.country if src else None,
                target_country=tgt.country if tgt else None,
                source_sector=src.sector if src else None,
                target_sector=tgt.sector if tgt else None,
                date=ev.date, place_country=ev.location.country if ev.location else None,
                sentence=ev.sentence, trigger=ev.trigger,
                source_text=src.text if src else None, target_text=tgt.text if tgt else None))
    return out


def match(gold: list[GoldEvent], predicted: list[PredictedEvent]
          ) -> list[tuple[GoldEvent, PredictedEvent]]:
    """Pair gold and predicted events of the same sentence: exact type, then alternatives."""
    by_sentence: dict[tuple[str, int | None], list[PredictedEvent]] = {}
    for p in predicted:
        by_sentence.setdefault((p.doc, p.sent), []).append(p)
    pairs: list[tuple[GoldEvent, PredictedEvent]] = []
    used_gold: set[int] = set()
    for alternatives in (False, True):
        for gi, g in enumerate(gold):
            if gi in used_gold:
                continue
            wanted = set(g.alt_types) if alternatives else {g.type}
            # Among candidates of the right type, prefer the one whose actors agree most.
            candidates = [p for p in by_sentence.get((g.doc, g.sent), [])
                          if not p.matched and p.type in wanted]
            if not candidates:
                continue
            best = max(candidates, key=lambda p: (p.source_country == g.source_country)
                       + (p.target_country == g.target_country))
            best.matched = True
            used_gold.add(gi)
            pairs.append((g, best))
    return pairs


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "tp": tp, "predicted": n_pred, "gold": n_gold}


def _field_scores(pairs: list[tuple[GoldEvent, PredictedEvent]]) -> dict[str, dict]:
    scores = {}
    for name in FIELDS:
        with_gold = [(g, p) for g, p in pairs if getattr(g, name)]
        without_gold = [(g, p) for g, p in pairs if not getattr(g, name)]
        right = sum(getattr(g, name) == getattr(p, name) for g, p in with_gold)
        covered = sum(bool(getattr(p, name)) for _, p in with_gold)
        scores[name] = {
            "accuracy": right / len(with_gold) if with_gold else None,
            "coverage": covered / len(with_gold) if with_gold else None,
            "n": len(with_gold),
            # a value where the gold set says the text gives none: worse than unknown
            "invented": sum(bool(getattr(p, name)) for _, p in without_gold),
        }
    return scores


def _swaps(pairs: list[tuple[GoldEvent, PredictedEvent]]) -> dict[str, float]:
    both = [(g, p) for g, p in pairs if g.source_country and g.target_country
            and g.source_country != g.target_country]
    swapped = sum(p.source_country == g.target_country and p.target_country == g.source_country
                  for g, p in both)
    return {"swapped": swapped, "n": len(both), "rate": swapped / len(both) if both else 0.0}


def reliability(predicted: list[PredictedEvent], bins: int = BINS) -> list[dict[str, Any]]:
    rows = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [p for p in predicted
                  if lo <= p.confidence < hi or (b == bins - 1 and p.confidence == 1.0)]
        if not inside:
            continue
        mean = sum(p.confidence for p in inside) / len(inside)
        acc = sum(p.matched for p in inside) / len(inside)
        rows.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": len(inside), "mean_confidence": mean,
                     "accuracy": acc, "gap": abs(acc - mean)})
    return rows


def score(docs: list[GoldDocument], predicted: list[PredictedEvent],
          min_confidence: float = 0.0) -> dict[str, Any]:
    predicted = [p for p in predicted if p.confidence >= min_confidence]
    for p in predicted:
        p.matched = False
    gold = [e for d in docs for e in d.events]
    pairs = match(gold, predicted)
    record_right = sum(g.source_country == p.source_country
                       and g.target_country == p.target_country for g, p in pairs)
    gold_bearing = {(d.id, s) for d in docs for s in d.bearing}
    pred_bearing = {(p.doc, p.sent) for p in predicted}
    per_type = {}
    for t in sorted({g.type for g in gold} | {p.type for p in predicted}):
        n_pred = sum(p.type == t for p in predicted)
        n_gold = sum(g.type == t for g in gold)
        right_pred = sum(p.type == t for _, p in pairs)  # its predictions that were matched
        right_gold = sum(g.type == t for g, _ in pairs)  # its gold events that were found
        prec = right_pred / n_pred if n_pred else 0.0
        rec = right_gold / n_gold if n_gold else 0.0
        per_type[t] = {"precision": prec, "recall": rec, "gold": n_gold, "predicted": n_pred,
                       "f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0}
    confusion = Counter((g.type, p.type) for g, p in pairs if g.type != p.type)
    return {
        "documents": len(docs),
        "sentences": sum(len(d.sentences) for d in docs),
        "min_confidence": min_confidence,
        "events": _prf(len(pairs), len(predicted), len(gold)),
        "records": _prf(record_right, len(predicted), len(gold)),
        "sentences_event_bearing": _prf(len(gold_bearing & pred_bearing), len(pred_bearing),
                                        len(gold_bearing)),
        "fields": _field_scores(pairs),
        "swaps": _swaps(pairs),
        "per_type": per_type,
        # pairs matched through a gold alternative type: gold type -> predicted type
        "matched_by_alternative": {f"{g}->{p}": n for (g, p), n in confusion.most_common()},
        "reliability": reliability(predicted),
        "errors": errors(docs, gold, predicted, pairs),
    }


def evaluate(path: str | Path, *, split: str | None = None, coder=None,
             min_confidence: float = 0.0) -> dict[str, Any]:
    docs = load(path, split)
    return dev_errors_only(score(docs, predictions(docs, coder), min_confidence), split)


def _actor(text: str | None, country: str | None, sector: str | None) -> str:
    return f"{text or '-'} [{country or '?'} {sector or '?'}]"


def errors(docs: list[GoldDocument], gold: list[GoldEvent], predicted: list[PredictedEvent],
           pairs: list[tuple[GoldEvent, PredictedEvent]]) -> list[dict[str, Any]]:
    """Actor mistakes of matched events (a country wrong, missing or invented), then gold
    events left unmatched, each with what was predicted in its sentence."""
    sentences = {(d.id, i): d.text[s:e] for d in docs for i, s, e in d.sentences}
    out: list[dict[str, Any]] = []
    for g, p in pairs:
        wrong = [role for role in ("source", "target")
                 if getattr(g, f"{role}_country") != getattr(p, f"{role}_country")]
        if wrong:
            out.append({
                "doc": g.doc, "sent": g.sent, "kind": "actor", "wrong": wrong,
                "type": g.type if g.type == p.type else f"{g.type}/{p.type}",
                "evidence": g.evidence, "trigger": p.trigger,
                "gold": [_actor(g.source_text, g.source_country, g.source_sector),
                         _actor(g.target_text, g.target_country, g.target_sector)],
                "predicted": [_actor(p.source_text, p.source_country, p.source_sector),
                              _actor(p.target_text, p.target_country, p.target_sector)],
                "sentence": sentences.get((g.doc, g.sent), "")})
    found = {id(g) for g, _ in pairs}
    for g in gold:
        if id(g) in found:
            continue
        out.append({
            "doc": g.doc, "sent": g.sent, "kind": "missed", "type": g.type,
            "evidence": g.evidence,
            "gold": [_actor(g.source_text, g.source_country, g.source_sector),
                     _actor(g.target_text, g.target_country, g.target_sector)],
            "predicted_in_sentence": [
                f"{p.type} {p.trigger!r}: "
                f"{_actor(p.source_text, p.source_country, p.source_sector)} -> "
                f"{_actor(p.target_text, p.target_country, p.target_sector)}"
                for p in predicted if p.doc == g.doc and p.sent == g.sent],
            "sentence": sentences.get((g.doc, g.sent), "")})
    return out


def _f(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def render_markdown(report: dict[str, Any], title: str) -> str:
    ev, rec, sb = report["events"], report["records"], report["sentences_event_bearing"]
    lines = [
        f"## {title}", "",
        f"Split: {report['split']}; {report['documents']} documents, {report['sentences']} "
        f"sentences; {ev['gold']} gold events, {ev['predicted']} predicted "
        f"(confidence >= {report['min_confidence']}).", "",
        "| measure | precision | recall | F1 |", "|---|---|---|---|",
        f"| event type | {_f(ev['precision'])} | {_f(ev['recall'])} | {_f(ev['f1'])} |",
        f"| whole record (type + source and target country) | {_f(rec['precision'])} | "
        f"{_f(rec['recall'])} | {_f(rec['f1'])} |",
        f"| event-bearing sentence | {_f(sb['precision'])} | {_f(sb['recall'])} | "
        f"{_f(sb['f1'])} |",
        "", "Fields of matched events (accuracy counts a missing value as wrong):", "",
        "| field | accuracy | coverage | n | invented where gold has none |",
        "|---|---|---|---|---|",
    ]
    for name, m in report["fields"].items():
        lines.append(f"| {name} | {_f(m['accuracy'])} | {_f(m['coverage'])} | {m['n']} | "
                     f"{m['invented']} |")
    sw = report["swaps"]
    lines += ["", f"Source/target swaps: {sw['swapped']} of {sw['n']} ({sw['rate']:.1%}).", "",
              "| type | precision | recall | F1 | gold |", "|---|---|---|---|---|"]
    for t, m in report["per_type"].items():
        lines.append(f"| {t} | {m['precision']:.2f} | {m['recall']:.2f} | {m['f1']:.2f} | "
                     f"{m['gold']} |")
    lines += ["", "Reliability (predicted events by confidence):", "",
              "| confidence | events | mean confidence | share right | gap |",
              "|---|---|---|---|---|"]
    for r in report["reliability"]:
        lines.append(f"| {r['bin']} | {r['n']} | {r['mean_confidence']:.3f} | "
                     f"{r['accuracy']:.3f} | {r['gap']:.3f} |")
    return "\n".join(lines) + "\n"
