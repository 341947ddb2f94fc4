"""Compare model families on the same data and dev split; writes training/results/families.json.

    python training/compare.py [--families static-linear,static-mlp,minilm-linear,spacy]

(a) ``spacy``: spaCy's textcat_multilabel (its default ensemble: a small tok2vec of its own
    plus bag-of-words) on the sentence text, labels EVENT + the 16 types;
(b) ``static-*``: the model2vec table distilled from all-MiniLM-L6-v2 (numpy at run time),
    sentence + frame vectors + rule features, linear or MLP heads;
(c) ``minilm-linear``: all-MiniLM-L6-v2 itself (sentence-transformers, CPU torch) in place of
    the static table, same features and heads.
Every family is scored by ``tidings.train.evaluate`` on the same dev rows; speed is
sentences per second for encoding + heads on the dev sentences, one process.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from tidings.train import QUAD, load_manifest, prepare, train

HERE = Path(__file__).resolve().parent


def _site_size(*packages: str) -> int:
    import importlib.util

    total = 0
    for name in packages:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            continue
        for folder in spec.submodule_search_locations:
            total += sum(f.stat().st_size for f in Path(folder).rglob("*") if f.is_file())
    return total


def embedding_family(manifest, data, head: str, encoder_kind: str) -> dict:
    spec = dict(manifest)
    spec["model"] = dict(manifest["model"], head=head, encoder=encoder_kind)
    from tidings.train import get_encoder

    encoder = get_encoder(spec["model"])
    model, metrics = train(spec, encoder=encoder, data=data)
    rows, cands, dev = data
    dev_cands = [c for c, d in zip(cands, dev, strict=True) if d][:1000]
    if hasattr(encoder, "_seen"):
        encoder._seen.clear()  # time real encoding, not the training run's cache
    t0 = time.perf_counter()
    model.predict(dev_cands)
    speed = len(dev_cands) / (time.perf_counter() - t0)
    gold = metrics.get("gold_dev", {}).get("best", {})
    return metrics | {"sentences_per_second": round(speed), "gold_dev_f1": gold.get("f1"),
                      "gold_dev_setting": f"w={gold.get('rule_weight')} "
                                          f"t={gold.get('event_threshold')}" if gold else None}


def spacy_family(manifest, data, epochs: int = 4) -> dict:
    import random

    import spacy
    from spacy.training import Example

    from tidings.model import PLOVER_TYPES

    rows, cands, dev = data
    seed = int(manifest.get("seed", 0))
    random.seed(seed)
    spacy.util.fix_random_seed(seed)
    nlp = spacy.blank("en")
    textcat = nlp.add_pipe("textcat_multilabel")
    labels = ["EVENT", *PLOVER_TYPES]
    for label in labels:
        textcat.add_label(label)

    def cats(r):
        c = {label: 0.0 for label in labels}
        c["EVENT"] = float(bool(r["event"]))
        for t in r["types"]:
            c[t] = 1.0
        return c

    train_rows = [r for r, d in zip(rows, dev, strict=True) if not d
                  and (r["event"] is not None)]
    examples = [Example.from_dict(nlp.make_doc(r["text"]), {"cats": cats(r)})
                for r in train_rows]
    optimizer = nlp.initialize(lambda: examples)
    t0 = time.perf_counter()
    for _ in range(epochs):
        random.shuffle(examples)
        for batch in spacy.util.minibatch(examples, size=64):
            nlp.update(batch, sgd=optimizer, drop=0.1)
    train_seconds = time.perf_counter() - t0
    dev_rows = [r for r, d in zip(rows, dev, strict=True) if d]
    t0 = time.perf_counter()
    docs = list(nlp.pipe([r["text"] for r in dev_rows], batch_size=256))
    speed = len(docs) / (time.perf_counter() - t0)
    labelled = [(d, r) for d, r in zip(docs, dev_rows, strict=True) if r["event"] is not None]
    pred = np.array([d.cats["EVENT"] >= 0.5 for d, _ in labelled])
    gold = np.array([bool(r["event"]) for _, r in labelled])
    tp, fp, fn = (pred & gold).sum(), (pred & ~gold).sum(), (~pred & gold).sum()
    typed = [(d, r) for d, r in zip(docs, dev_rows, strict=True) if r["types"]]
    best = [max(PLOVER_TYPES, key=lambda t, d=d: d.cats[t]) for d, _ in typed]
    coarse = [(d, r) for d, r in zip(docs, dev_rows, strict=True)
              if not r["types"] and r.get("coarse") is not None]
    cbest = [max(PLOVER_TYPES, key=lambda t, d=d: d.cats[t]) for d, _ in coarse]
    return {
        "event_accuracy": round(float((pred == gold).mean()), 4),
        "event_f1": round(float(2 * tp / max(2 * tp + fp + fn, 1)), 4),
        "type_accuracy": round(float(np.mean([b in r["types"]
                                              for b, (_, r) in zip(best, typed, strict=True)])), 4),
        "coarse_accuracy": round(float(np.mean([QUAD[b] == r["coarse"] for b, (_, r)
                                                in zip(cbest, coarse, strict=True)])), 4)
    if coarse else None,
        "sentences_per_second": round(speed), "train_seconds": round(train_seconds, 1),
    }


def subsample(data, n_train: int | None, n_dev: int | None):
    """The same every-k-th sentences of train and of dev for every family."""
    rows, cands, dev = data
    train_idx = [i for i, d in enumerate(dev) if not d]
    dev_idx = [i for i, d in enumerate(dev) if d]
    if n_train:
        train_idx = train_idx[::max(1, len(train_idx) // n_train)][:n_train]
    if n_dev:
        dev_idx = dev_idx[::max(1, len(dev_idx) // n_dev)][:n_dev]
    keep = sorted(train_idx + dev_idx)
    return ([rows[i] for i in keep], [cands[i] for i in keep],
            np.array([bool(dev[i]) for i in keep]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--manifest", type=Path, default=HERE / "manifest.yaml")
    ap.add_argument("--families", default="static-linear,static-mlp,minilm-linear,spacy")
    ap.add_argument("--train-sample", type=int, default=None,
                    help="train every family on the same N training sentences (every k-th)")
    ap.add_argument("--dev-sample", type=int, default=None,
                    help="score every family on the same M dev sentences (every k-th)")
    args = ap.parse_args()
    manifest = load_manifest(args.manifest)
    data = prepare(manifest)
    if args.train_sample or args.dev_sample:
        data = subsample(data, args.train_sample, args.dev_sample)
        manifest.pop("gold_dev", None)  # a like-for-like run on the sample: no gold tuning
    out_path = HERE / "results" / "families.json"
    results = json.loads(out_path.read_text()) if out_path.exists() else []
    done = {r["family"]: r for r in results}
    table_mb = _site_size("tidings.data") / 1e6
    torch_mb = _site_size("torch", "transformers", "sentence_transformers") / 1e6
    info = {
        "static-linear": ("(b) model2vec static + logistic regression",
                          f"~15 MB table in the package (tidings.data {table_mb:.0f} MB)",
                          "numpy"),
        "static-mlp": ("(b) model2vec static + MLP (128)", "same table", "numpy"),
        "minilm-linear": ("(c) MiniLM (sentence-transformers, CPU) + logistic regression",
                          f"torch + transformers + sentence-transformers {torch_mb:.0f} MB, "
                          "model 90 MB", "torch"),
        "spacy": ("(a) spaCy textcat_multilabel", "spaCy only (model ~5 MB)", "spacy"),
    }
    for key in args.families.split(","):
        t0 = time.perf_counter()
        if key == "spacy":
            metrics = spacy_family(manifest, data)
        else:
            encoder, head = key.split("-")
            metrics = embedding_family(manifest, data, head, encoder)
        name, install, deps = info[key]
        done[key] = {"family": name, "key": key, "install": install, "runtime_deps": deps,
                     "sample": f"train {args.train_sample or 'all'}, dev "
                               f"{args.dev_sample or 'all'}",
                     "wall_seconds": round(time.perf_counter() - t0, 1),
                     **{k: v for k, v in metrics.items() if not k.startswith("reliab")
                        and k not in ("sources", "gold_dev", "gold_dev_grid")}}
        print(json.dumps(done[key]))
        out_path.parent.mkdir(exist_ok=True)
        out_path.write_text(json.dumps(list(done.values()), indent=1) + "\n")


if __name__ == "__main__":
    main()
