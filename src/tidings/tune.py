"""Tune the event model's combination and calibration on the real-news gold **dev** split.

The rule coder (no model) codes every dev document; every candidate event it finds is
scored once by the model. Then, for each setting of (rule weight, event threshold), the
events the pipeline would emit are scored against the gold with ``tidings eval gold``'s
own scorer, and the setting with the best event F1 on type is kept (ties: see
``tune``). A Platt calibration of P(event) x P(type) (two parameters: the dev set is
small, and isotonic regression overfits it) is then fitted on the dev events of that
setting, matched or not, and a reliability table is reported with each half of the
documents calibrated on the other. The test split is never read.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from tidings.nlp.eventmodel import TYPES, EventModel


def articles_as_gold(paths, keep) -> list:
    """Our written articles (one labelled sentence a line, every event coded) as gold
    documents for ``tidings eval gold``'s scorer: the headline, a blank line, then the
    sentences. ``keep(doc id)`` picks the articles (those of the training dev split)."""
    import json

    from tidings import evaluate_gold

    by_doc: dict[str, list[dict]] = {}
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if keep(row["doc"]):
                    by_doc.setdefault(row["doc"], []).append(row)
    docs = []
    for doc_id, rows in sorted(by_doc.items()):
        rows.sort(key=lambda r: r["sent"])
        text, sentences = "", []
        for k, row in enumerate(rows):
            if k:
                text += "\n\n" if k == 1 else " "
            sentences.append((row["sent"], len(text), len(text) + len(row["text"])))
            text += row["text"]
        doc = evaluate_gold.GoldDocument(id=f"written:{doc_id}", text=text,
                                         published=rows[0].get("published"), split="dev",
                                         sentences=sentences)
        for row in rows:
            for e in row.get("events") or []:
                if e.get("modality", "asserted") not in evaluate_gold.SCORED_MODALITIES:
                    continue
                doc.events.append(evaluate_gold.GoldEvent(
                    doc=doc.id, sent=row["sent"], type=e["type"],
                    alt_types=e.get("alt_types") or [],
                    source_country=e.get("source_country") or None,
                    target_country=e.get("target_country") or None,
                    source_sector=e.get("source_sector") or None,
                    target_sector=e.get("target_sector") or None, date=None,
                    place_country=None))
                doc.bearing.add(row["sent"])
        docs.append(doc)
    return docs


def dev_candidates(gold_path: Path, model: EventModel, docs=None):
    """The dev documents (of ``gold_path``, or ``docs``), and every candidate event with
    its model scores."""
    from tidings import evaluate_gold
    from tidings.gold_files import coded_documents
    from tidings.nlp.eventscoring import candidate_for, has_political_actor
    from tidings.pipeline import Coder

    if docs is None:
        docs = evaluate_gold.load(gold_path, split="dev")
    if any(d.split != "dev" for d in docs):
        raise ValueError("tuning reads the dev split only")
    coder = Coder(event_model=False)
    found = []
    for doc, coded in coded_documents(docs, coder):
        for ev in coded.events:
            if ev.modality not in evaluate_gold.SCORED_MODALITIES:
                continue
            if not has_political_actor(ev):
                continue
            src, tgt = ev.source, ev.target
            pred = evaluate_gold.PredictedEvent(
                doc=doc.id, sent=evaluate_gold._sentence_of(doc, ev.span[0]),
                type=ev.event_type, confidence=0.0,
                source_country=src.country if src else None,
                target_country=tgt.country if tgt else None,
                source_sector=src.sector if src else None,
                target_sector=tgt.sector if tgt else None,
                date=ev.date, place_country=ev.location.country if ev.location else None,
                sentence=ev.sentence)
            found.append((pred, candidate_for(ev), bool(ev.intended_type)))
    cands = [c for _, c, _ in found]
    p_event, p_types = model.predict(cands)
    topic = dict(zip([d.id for d in docs], model.topic([d.text for d in docs]), strict=True))
    return docs, found, p_event, p_types, topic


def emitted(model, found, p_event, p_types, rule_weight, threshold, topic=None,
            topic_threshold=0.0):
    """The events the pipeline would emit with these settings, and their raw scores. The
    topic threshold is not scaled for short texts here (``EventModel.on_topic``): the
    scaling is chosen after this tuning, and only reaches texts shorter than the gold
    documents."""
    rules = [c.rule_type for _, c, _ in found]
    final = model.combine(p_types, rules, rule_weight) if len(found) else np.zeros(0, int)
    preds, raw = [], []
    for i, (pred, cand, intended) in enumerate(found):
        if p_event[i] < threshold or (topic and topic[pred.doc] < topic_threshold):
            continue
        etype = cand.rule_type if intended else TYPES[final[i]]
        preds.append(replace(pred, type=etype))
        raw.append(p_event[i] * p_types[i, TYPES.index(etype)])
    return preds, np.array(raw)


def tune(model: EventModel, gold_path: Path, rule_weights, thresholds, seed: int = 0,
         tolerance: float = 0.005, topic_thresholds=(0.0,), extra_docs=None) -> dict:
    """``extra_docs``: more held-out gold documents (our written articles of the training
    dev split) that may join the calibration set; the settings are chosen on the gold dev
    split alone."""
    from tidings import evaluate_gold
    from tidings.train import expected_calibration_error, fit_platt, reliability

    docs, found, p_event, p_types, topic = dev_candidates(gold_path, model)
    grid = []
    for w in rule_weights:
        for t, tt in ((t, tt) for t in thresholds for tt in topic_thresholds):
            preds, _ = emitted(model, found, p_event, p_types, w, t, topic, tt)
            s = evaluate_gold.score(docs, preds)
            grid.append({"rule_weight": w, "event_threshold": t, "topic_threshold": tt,
                         "f1": round(s["events"]["f1"], 4),
                         "precision": round(s["events"]["precision"], 4),
                         "recall": round(s["events"]["recall"], 4),
                         "record_f1": round(s["records"]["f1"], 4)})
    # Settings within `tolerance` of the best F1 are a tie on a dev set this small (one
    # event is worth about 0.005). Among them: keep the lexicon's type as much as possible
    # (the highest rule weight); reject whole documents that are off topic (the highest
    # topic threshold: a document-level call the topic head makes well, training dev
    # accuracy ~0.98); and drop single clauses only as far as dev shows a gain (the lowest
    # event threshold: the event head has few real-news negatives to learn from).
    top = max(g["f1"] for g in grid)
    near = [g for g in grid if g["f1"] >= top - tolerance]
    best = max(near, key=lambda g: (g["rule_weight"], g["topic_threshold"],
                                    -g["event_threshold"]))
    preds, raw = emitted(model, found, p_event, p_types, best["rule_weight"],
                         best["event_threshold"], topic, best["topic_threshold"])
    evaluate_gold.score(docs, preds)  # marks .matched
    ok = np.array([p.matched for p in preds], dtype=bool)
    order = sorted({p.doc for p in preds})
    rng = np.random.default_rng(seed)
    half = {d: int(rng.integers(0, 2)) for d in order}
    fold = np.array([half[p.doc] for p in preds])
    crossfit = np.zeros(len(raw))
    for k in (0, 1):
        if (fold != k).sum() >= 2 and (fold == k).any():
            xk, yk = fit_platt(raw[fold != k], ok[fold != k])
            crossfit[fold == k] = np.interp(raw[fold == k], xk, yk)
    calibration = fit_platt(raw, ok) if len(raw) >= 2 else (np.zeros(0), np.zeros(0))
    calibrated_on, pooled = "gold dev", {}
    if extra_docs:
        # Calibrate on the gold dev events plus the written articles' events? Judged on the
        # gold dev events, each half calibrated on the other half (+ all extra events).
        e_docs, e_found, e_event, e_types, e_topic = dev_candidates(None, model, extra_docs)
        e_preds, e_raw = emitted(model, e_found, e_event, e_types, best["rule_weight"],
                                 best["event_threshold"], e_topic, best["topic_threshold"])
        evaluate_gold.score(e_docs, e_preds)
        e_ok = np.array([p.matched for p in e_preds], dtype=bool)
        pooled_fit = np.zeros(len(raw))
        for k in (0, 1):
            if (fold == k).any():
                xk, yk = fit_platt(np.concatenate([raw[fold != k], e_raw]),
                                   np.concatenate([ok[fold != k], e_ok]))
                pooled_fit[fold == k] = np.interp(raw[fold == k], xk, yk)
        pooled = {"extra_events": int(len(e_ok)),
                  "extra_accuracy": round(float(e_ok.mean()), 4) if len(e_ok) else None,
                  "ece_gold_dev_crossfit_gold_only": expected_calibration_error(crossfit, ok),
                  "ece_gold_dev_crossfit_pooled": expected_calibration_error(pooled_fit, ok),
                  "reliability_gold_dev_crossfit_pooled": reliability(pooled_fit, ok)}
        if pooled["ece_gold_dev_crossfit_pooled"] < pooled["ece_gold_dev_crossfit_gold_only"]:
            calibrated_on = "gold dev + written articles (dev split)"
            crossfit = pooled_fit
            calibration = fit_platt(np.concatenate([raw, e_raw]), np.concatenate([ok, e_ok]))
    # The default --min-confidence: the cut (on cross-fitted confidences) with the best
    # F0.5 on dev events, which weighs precision twice as much as recall.
    n_gold = sum(len(d.events) for d in docs)
    cuts = []
    for cut in (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7):
        keep = crossfit >= cut
        tp, n_pred = int(ok[keep].sum()), int(keep.sum())
        p, r = (tp / n_pred if n_pred else 0.0), tp / max(n_gold, 1)
        f05 = 1.25 * p * r / (0.25 * p + r) if p + r else 0.0
        cuts.append({"min_confidence": cut, "precision": round(p, 4), "recall": round(r, 4),
                     "f0.5": round(f05, 4)})
    default_cut = max(cuts, key=lambda c: (c["f0.5"], -c["min_confidence"]))
    rules_only = evaluate_gold.score(docs, [p for p, _, _ in found])
    return {
        "rule_weight": best["rule_weight"], "event_threshold": best["event_threshold"],
        "topic_threshold": best["topic_threshold"],
        "min_confidence": default_cut["min_confidence"], "min_confidence_cuts": cuts,
        "near_best": near,
        "calibration": calibration, "best": best, "grid": grid,
        "rules_only_candidates": {k: round(rules_only["events"][k], 4)
                                  for k in ("precision", "recall", "f1")},
        "reliability_gold_dev_crossfit": reliability(crossfit, ok),
        "ece_gold_dev_crossfit": expected_calibration_error(crossfit, ok),
        "gold_dev_events": int(len(ok)),
        "calibrated_on": calibrated_on, "calibration_sets": pooled,
    }


def coder_with(model: EventModel):
    """The full pipeline with ``model`` as its event model (and topic gate)."""
    from tidings.pipeline import Coder

    coder = Coder(event_model=True)
    coder.event_model = coder.doc_coder.model = coder.doc_coder.events.model = model
    return coder


def tune_proposals(model: EventModel, gold_path: Path, thresholds, tolerance: float = 0.005,
                   propose_types=()) -> dict:
    """The threshold for the events the model proposes where the rules found no frame
    (``tidings.nlp.eventscoring.propose``), chosen on the gold dev split with the model's
    other settings fixed: the whole pipeline codes the dev documents once with the lowest
    threshold, and each threshold keeps the proposals whose score reaches it. 0 proposes
    nothing. Ties (within ``tolerance`` of the best event F1): the highest threshold, and
    none at all before any (an event the rules cannot explain must earn its place)."""
    from tidings import evaluate_gold
    from tidings.gold_files import coded_documents

    docs = evaluate_gold.load(gold_path, split="dev")
    if any(d.split != "dev" for d in docs):
        raise ValueError("tuning reads the dev split only")
    positive = sorted(t for t in thresholds if t > 0)
    saved = model.propose_threshold, model.propose_types
    model.propose_threshold = positive[0] if positive else 0.0
    model.propose_types = tuple(propose_types)
    base, proposed = [], []
    try:
        for doc, coded in coded_documents(docs, coder_with(model)):
            for ev in coded.events:
                if ev.modality not in evaluate_gold.SCORED_MODALITIES:
                    continue
                src, tgt = ev.source, ev.target
                pred = evaluate_gold.PredictedEvent(
                    doc=doc.id, sent=evaluate_gold._sentence_of(doc, ev.span[0]),
                    type=ev.event_type, confidence=float(ev.confidence or 0.0),
                    source_country=src.country if src else None,
                    target_country=tgt.country if tgt else None,
                    source_sector=src.sector if src else None,
                    target_sector=tgt.sector if tgt else None,
                    date=ev.date, place_country=ev.location.country if ev.location else None,
                    sentence=ev.sentence)
                if ev.extra.get("proposed"):
                    proposed.append((pred, float(ev.extra["proposal_score"])))
                else:
                    base.append(pred)
    finally:
        model.propose_threshold, model.propose_types = saved
    grid = []
    for t in [0.0, *positive]:
        preds = base + ([p for p, s in proposed if s >= t] if t > 0 else [])
        s = evaluate_gold.score(docs, preds)
        grid.append({"propose_threshold": t, "proposed": len(preds) - len(base),
                     "f1": round(s["events"]["f1"], 4),
                     "precision": round(s["events"]["precision"], 4),
                     "recall": round(s["events"]["recall"], 4),
                     "record_f1": round(s["records"]["f1"], 4)})
    top = max(g["f1"] for g in grid)
    best = max((g for g in grid if g["f1"] >= top - tolerance),
               key=lambda g: g["propose_threshold"] or float("inf"))
    return {"propose_threshold": best["propose_threshold"], "best": best, "grid": grid,
            "propose_types": list(propose_types)}
