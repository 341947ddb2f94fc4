"""`tidings train` on a tiny data set: a fixed seed gives the same model twice."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]


def tiny_manifest(tmp_path: Path, seed: int = 5) -> dict:
    from tidings.train import load_manifest

    rows = []
    for name in ("written_positives.jsonl", "written_negatives.jsonl"):
        lines = (ROOT / "training" / "data" / name).read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines[::3]):
            r = json.loads(line)
            rows.append({"text": r["text"], "event": bool(r["types"]), "types": r["types"],
                         "coarse": None, "source": "written", "group": f"{name}:{i}",
                         "weight": 1.0})
    (tmp_path / "examples.jsonl").write_text(
        "\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    spec = {"seed": seed, "dev_percent": 30, "examples": ["examples.jsonl"],
            "rule_weights": [0.0, 2.0], "event_threshold": 0.5,
            "model": {"encoder": "static", "head": "linear", "C": 0.5}}
    (tmp_path / "manifest.yaml").write_text(json.dumps(spec), encoding="utf-8")
    return load_manifest(tmp_path / "manifest.yaml")


@pytest.mark.slow
def test_training_twice_with_the_same_seed_gives_the_same_model(tmp_path):
    pytest.importorskip("sklearn")
    from tidings.nlp.eventmodel import EventModel
    from tidings.train import prepare, same_metrics, train

    manifest = tiny_manifest(tmp_path)
    data = prepare(manifest)
    first, m1 = train(manifest, data=data, out_dir=tmp_path / "a")
    second, m2 = train(manifest, data=data, out_dir=tmp_path / "b")
    assert same_metrics(m1, m2, tolerance=0.0) == []
    assert m1["type_accuracy"] == m2["type_accuracy"] and m1["n_dev"] == m2["n_dev"] > 0
    for (w1, b1), (w2, b2) in zip(first.type_layers, second.type_layers, strict=True):
        assert np.array_equal(w1, w2) and np.array_equal(b1, b2)
    loaded = EventModel.from_dir(tmp_path / "a")
    assert loaded.meta["dev_metrics"]["type_accuracy"] == m1["type_accuracy"]
    # another seed draws another dev split: the check above could fail
    other = prepare(tiny_manifest(tmp_path, seed=6))
    assert not np.array_equal(other[2], data[2])


def test_same_metrics_flags_a_difference_beyond_the_tolerance():
    from tidings.train import same_metrics

    assert same_metrics({"type_accuracy": 0.70}, {"type_accuracy": 0.705}) == []
    assert same_metrics({"type_accuracy": 0.70}, {"type_accuracy": 0.72}) == ["type_accuracy"]


def test_topic_scaling_is_the_largest_that_still_rejects_off_topic_texts():
    from tidings.nlp.eventmodel import EventModel, StaticEmbedder
    from tidings.train import choose_topic_full_words, topic_texts

    embedder = StaticEmbedder(["the", "army", "match"], np.eye(3, dtype=np.float32))
    model = EventModel(embedder, [], [], mean=np.zeros(3), scale=np.ones(3),
                       calibration=(np.zeros(0), np.zeros(0)),
                       meta={"topic_threshold": 0.7},  # every text scores 0.5 below
                       topic_layers=[(np.zeros((3, 1), np.float32), np.zeros(1, np.float32))])
    political = [{"text": "the army attacked the town .", "topic": True, "event": True,
                  "group": f"p{i}"} for i in range(5)]  # 6 words each
    off_topic = [{"text": " ".join(["the match"] * 25), "topic": False, "event": False,
                  "group": f"n{i}"} for i in range(5)]  # 50 words each
    chosen, table = choose_topic_full_words(model, political + off_topic, [0, 20, 60, 80])
    # 0 loses every short political text; 80 lets the 50-word off-topic texts through
    # (0.7 * 50 / 80 < 0.5); 60 keeps the political ones and still rejects the others
    assert chosen == 60
    assert [r["political_kept"] for r in table] == [0.0, 1.0, 1.0, 1.0]
    assert [r["non_political_rejected"] for r in table] == [1.0, 1.0, 1.0, 0.0]
    assert model.topic_full_words == 0  # the model is left as it was
    # a document with a whole-document topic row also gives its openings
    article = [{"text": f"Sentence {k} of the story.", "event": False, "topic": None,
                "group": "a"} for k in range(3)]
    article.append({"text": "the whole story", "event": None, "topic": False, "group": "a"})
    openings = [t for t, y in topic_texts(article) if not y]
    assert openings == ["the whole story", "Sentence 0 of the story.",
                        "Sentence 0 of the story. Sentence 1 of the story."]


def test_written_articles_keep_each_article_together(tmp_path):
    import runpy

    convert = runpy.run_path(str(ROOT / "training" / "convert.py"))
    rows = [{"doc": "wa-x", "sent": 1, "text": "The minister resigned on Monday.",
             "kind": "politics", "types": ["RETREAT"]},
            {"doc": "wa-x", "sent": 0, "text": "Minister quits over budget row",
             "kind": "politics", "types": []},
            {"doc": "wa-y", "sent": 0, "text": "United beat City 2-0 in the derby.",
             "kind": "sport", "types": []},
            {"doc": "wa-z", "sent": 0, "text": "Flood waters rise along the river.",
             "kind": "disaster", "types": []}]
    (tmp_path / "written_articles_t.jsonl").write_text(
        "\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    out = list(convert["written_articles"](tmp_path))
    sentences = [r for r in out if r["event"] is not None]
    assert [r["text"] for r in sentences][:2] == ["Minister quits over budget row",
                                                  "The minister resigned on Monday."]
    assert {r["group"] for r in out if "inister" in r["text"]} == {"written_articles:wa-x"}
    assert [r["event"] for r in sentences] == [False, True, False, False]  # real negatives
    assert all(r["topic"] is None for r in sentences)  # the topic is the article's
    whole = {r["group"]: r["topic"] for r in out if r["event"] is None}
    # politics is on topic, sport is not, a disaster story gives no topic label
    assert whole == {"written_articles:wa-x": True, "written_articles:wa-y": False}
