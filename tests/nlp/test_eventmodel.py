"""The event model: embedder, heads, files, the spaCy component, bad input, offline use."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from tidings.nlp.eventmodel import (
    MAX_TOKENS,
    TYPES,
    Candidate,
    EventModel,
    StaticEmbedder,
    build_features,
    get_event_model,
)

VOCAB = ["[PAD]", "[UNK]", ".", ",", "the", "army", "attack", "##ed", "town", "beat", "match",
         "москва", "中", "国"]


def tiny_embedder(dim: int = 8) -> StaticEmbedder:
    rng = np.random.default_rng(0)
    return StaticEmbedder(VOCAB, rng.normal(size=(len(VOCAB), dim)).astype(np.float16))


def tiny_model(dim: int = 8) -> EventModel:
    emb = tiny_embedder(dim)
    n = build_features([Candidate(sentence="the army")], emb.encode).shape[1]
    rng = np.random.default_rng(1)
    event_layers = [(rng.normal(size=(n, 4)).astype(np.float32), np.zeros(4, np.float32)),
                    (rng.normal(size=(4, 1)).astype(np.float32), np.zeros(1, np.float32))]
    type_layers = [(rng.normal(size=(n, len(TYPES))).astype(np.float32),
                    np.zeros(len(TYPES), np.float32))]
    return EventModel(emb, event_layers, type_layers, mean=np.zeros(n, np.float32),
                      scale=np.ones(n, np.float32),
                      calibration=(np.array([0.0, 0.5, 1.0]), np.array([0.1, 0.4, 0.9])),
                      meta={"rule_weight": 1.0, "event_threshold": 0.5})


def test_wordpiece_splits_words_into_known_pieces_and_drops_unknown_ones():
    emb = tiny_embedder()
    assert emb.tokenize("The army attacked the town.") == [4, 5, 6, 7, 4, 8, 2]
    assert emb.tokenize("zzz army") == [5]  # an unknown word is dropped, not [UNK]
    assert emb.tokenize("Москва") == [11]  # lower-cased Cyrillic
    assert emb.tokenize("中国") == [12, 13]  # CJK characters one by one


def test_encoding_is_normalised_and_empty_text_is_a_zero_vector():
    vecs = tiny_embedder().encode(["the army", "", "xyz qqq"])
    assert np.isclose(np.linalg.norm(vecs[0]), 1.0, atol=1e-3)
    assert not vecs[1].any() and not vecs[2].any()


def test_a_run_on_sentence_is_cut_at_the_token_limit():
    emb = tiny_embedder()
    ids = emb.tokenize(" ".join(["army"] * 5000))
    assert len(ids) == MAX_TOKENS


def test_files_round_trip_gives_the_same_decisions(tmp_path):
    model = tiny_model()
    cands = [Candidate(sentence="the army attacked the town", frame="army attacked town",
                       rule_type="ASSAULT", cameo="190", modality="asserted",
                       flags=(True, False, True, False, False)),
             Candidate(sentence="beat the match", rule_type="NONE")]
    before = model.decide(cands)
    model.to_dir(tmp_path / "m")
    loaded = EventModel.from_dir(tmp_path / "m")
    after = loaded.decide(cands)
    assert [(d.event, d.event_type) for d in before] == [(d.event, d.event_type) for d in after]
    assert np.allclose([d.confidence for d in before], [d.confidence for d in after])
    assert all(0.1 <= d.confidence <= 0.9 for d in after)  # inside the calibration's range


def topic_model(score: float, threshold: float = 0.7, full_words: int = 30) -> EventModel:
    """The tiny model with a topic head that gives every text the same score."""
    model = tiny_model()
    logit = float(np.log(score / (1 - score)))
    model.topic_layers = [(np.zeros((model.embedder.dim, 1), np.float32),
                           np.array([logit], np.float32))]
    model.topic_threshold, model.topic_full_words = threshold, full_words
    return model


def test_the_topic_gate_asks_less_of_short_texts():
    model = topic_model(0.5)  # below the 0.7 threshold
    long_text = " ".join(["the army attacked the town"] * 8)  # 40 words
    short_text = "the army attacked the town ."  # 6 words: needs 0.7 * 6 / 30 = 0.14
    assert model.on_topic([long_text, short_text, ""]) == [False, True, True]
    model.topic_full_words = 0  # no scaling: one threshold for every length
    assert model.on_topic([long_text, short_text]) == [False, False]
    assert model.on_topic([]) == []
    model.topic_layers = []  # no topic head: nothing is gated
    assert model.on_topic([long_text]) == [True]


def test_decide_gates_every_candidate_of_an_off_topic_document():
    model = topic_model(0.5)
    model.event_threshold = 0.0  # the clause head would keep everything
    cands = [Candidate(sentence="the army attacked the town", rule_type="ASSAULT")]
    long_text = " ".join(["the army attacked the town"] * 8)
    assert [d.event for d in model.decide(cands, text=long_text)] == [False]
    assert [d.event for d in model.decide(cands, text="the army attacked the town")] == [True]
    assert [d.event for d in model.decide(cands, topic=0.9)] == [True]  # a score given


def test_the_topic_settings_survive_the_files(tmp_path):
    model = topic_model(0.5, threshold=0.6, full_words=40)
    model.to_dir(tmp_path / "m")
    loaded = EventModel.from_dir(tmp_path / "m")
    assert (loaded.topic_threshold, loaded.topic_full_words) == (0.6, 40)
    texts = ["the army", " ".join(["the town"] * 30)]
    assert loaded.on_topic(texts) == model.on_topic(texts) == [True, False]


def test_a_folder_that_is_not_a_model_is_refused(tmp_path):
    (tmp_path / "meta.json").write_text(json.dumps({"format": "something-else"}))
    with pytest.raises(ValueError, match="not a tidings-event-model"):
        EventModel.from_dir(tmp_path)


def test_rule_weight_moves_the_type_towards_the_lexicon():
    model = tiny_model()
    p = np.full((1, len(TYPES)), 0.01)
    p[0, TYPES.index("ACCUSE")] = 0.5
    p[0, TYPES.index("ASSAULT")] = 0.2
    assert TYPES[model.combine(p, ["ASSAULT"], 0.0)[0]] == "ACCUSE"
    assert TYPES[model.combine(p, ["ASSAULT"], 3.0)[0]] == "ASSAULT"


def test_spacy_component_round_trips_with_the_pipeline(tmp_path):
    import spacy

    import tidings.nlp.eventscoring  # noqa: F401 - registers the factory

    tiny_model().to_dir(tmp_path / "weights")
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("tidings_event_model_v1", config={"model_path": str(tmp_path / "weights")})
    doc = nlp("The army attacked the town. Москва 中国.")
    scores = doc._.event_scores
    assert len(scores) == 2 and set(scores[0]["types"]) == set(TYPES)
    nlp.to_disk(tmp_path / "pipeline")
    again = spacy.load(tmp_path / "pipeline")
    doc2 = again("The army attacked the town. Москва 中国.")
    assert [round(s["p_event"], 5) for s in doc2._.event_scores] == \
        [round(s["p_event"], 5) for s in scores]


def test_shipped_model_loads_and_scores():
    model = get_event_model()
    assert model is not None, "no model in tidings/data/model/event: run `tidings train`"
    decisions = model.decide([
        Candidate(sentence="Russian forces shelled Kharkiv, killing three civilians.",
                  frame="Russian forces shelled Kharkiv", rule_type="ASSAULT", cameo="190",
                  modality="asserted", flags=(True, True, True, False, False)),
        Candidate(sentence="", rule_type="ASSAULT"),
        Candidate(sentence=" ".join(["word"] * 5000), rule_type="ASSAULT"),
        Candidate(sentence="Москва обвинила Киев в обстреле.", rule_type="ACCUSE"),
    ])
    assert len(decisions) == 4
    assert all(0.0 <= d.confidence <= 1.0 and d.event_type in TYPES for d in decisions)


def test_shipped_model_runs_with_the_network_off(tmp_path):
    """In a fresh process where opening any socket fails and the hub is offline."""
    script = (
        "import socket\n"
        "def refuse(*a, **k):\n"
        "    raise OSError('network used')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "from tidings.nlp.eventmodel import get_event_model, Candidate\n"
        "m = get_event_model()\n"
        "d = m.decide([Candidate(sentence='Police arrested 20 protesters.', "
        "rule_type='COERCE')])\n"
        "print(d[0].event_type)\n")
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() in TYPES
    assert "torch" not in done.stderr


@pytest.mark.slow
@pytest.mark.parametrize("text", ["", "   ", " ".join(["protest"] * 5000),
                                  "Москва обвинила Киев в обстреле. 北京拒绝了这一要求。"])
def test_pipeline_with_the_model_survives_bad_input(model_coder, text):
    coded = model_coder.code(text, published="2025-06-02")
    for event in coded.events:
        assert 0.0 <= event.confidence <= 1.0
        assert event.extra.get("typed_by") in ("model", "model+rules")


@pytest.mark.slow
def test_pipeline_drops_sport_and_keeps_a_shelling(model_coder):
    sport = model_coder.code("Arsenal beat Chelsea 3-1 at the Emirates on Saturday.",
                             published="2025-06-02")
    war = model_coder.code("Russian forces shelled Kharkiv on Monday, killing three civilians.",
                           published="2025-06-02")
    assert not sport.events
    assert [e.event_type for e in war.events][:1] == ["ASSAULT"]
    assert all(e.extra["typed_by"] in ("model", "model+rules") for e in war.events)
    assert 0.0 < war.events[0].confidence <= 1.0


@pytest.mark.slow
def test_rules_alone_still_code_what_the_model_would_drop(coder):
    """The rule coder is the model's candidate generator: it still proposes the false
    ASSAULT that the model rejects (see the test above)."""
    sport = coder.code("Arsenal beat Chelsea 3-1 at the Emirates on Saturday.",
                       published="2025-06-02")
    assert [e.event_type for e in sport.events] == ["ASSAULT"]


def _basic_words(text: str) -> list[str]:
    """BERT's basic tokenizer written out character by character: the reference for the
    embedder's one-pass version."""
    import unicodedata

    out, word = [], []
    for ch in unicodedata.normalize("NFD", text.lower()):
        cat = unicodedata.category(ch)
        if cat == "Mn":
            continue
        if ch.isspace() or cat.startswith("C"):
            out, word = out + ["".join(word)] * bool(word), []
        elif cat.startswith("P") or (ch.isascii() and not ch.isalnum()) or \
                0x4E00 <= ord(ch) <= 0x9FFF:
            out, word = out + ["".join(word)] * bool(word) + [ch], []
        else:
            word.append(ch)
    return out + ["".join(word)] * bool(word)


def test_words_split_as_the_basic_tokenizer_does_for_every_character():
    emb = tiny_embedder()
    rng = np.random.default_rng(3)
    points = [c for c in range(0x30000) if not 0xD800 <= c <= 0xDFFF]
    for c in points[::7]:
        assert emb._words(f"ab{chr(c)}cd é") == _basic_words(f"ab{chr(c)}cd é"), hex(c)
    for _ in range(200):
        text = "".join(chr(points[i]) for i in rng.integers(0, len(points), 40))
        assert emb._words(text + " Café, “quoted” 中国\t\x00x") == \
            _basic_words(text + " Café, “quoted” 中国\t\x00x")


def test_the_proposal_settings_survive_the_files(tmp_path):
    model = tiny_model()
    assert model.propose_threshold == 0.0 and model.propose_types == ()  # old files: none
    model.propose_threshold, model.propose_types = 0.25, ("ACCUSE", "REQUEST")
    model.to_dir(tmp_path / "m")
    loaded = EventModel.from_dir(tmp_path / "m")
    assert (loaded.propose_threshold, loaded.propose_types, loaded.propose_where) == \
        (0.25, ("ACCUSE", "REQUEST"), "unframed")


class _Proposer:
    """A stand-in model whose scores for every sentence are fixed."""

    def __init__(self, p_event: float, p_type: dict[str, float], threshold: float,
                 types=()):
        self.types = TYPES
        self.event_threshold = 0.1
        self.propose_threshold = threshold
        self.propose_types = tuple(types)
        self.p_event = p_event
        self.p_type = np.array([p_type.get(t, 0.0) for t in TYPES])

    def predict(self, candidates):
        assert all(c.rule_type == "NONE" and not c.frame for c in candidates)
        return (np.full(len(candidates), self.p_event),
                np.tile(self.p_type, (len(candidates), 1)))

    def calibrate(self, raw):
        return raw / 2

    def on_topic(self, texts):
        return [True] * len(texts)


def _proposals(coder, model, text: str, found=()):
    from tidings.nlp.events import Memory
    from tidings.nlp.eventscoring import proposal_root, propose, snapshot

    stage = coder.doc_coder.events
    doc = coder.nlp(text)
    memory = Memory()
    pending = []
    for i, sent in enumerate(doc.sents):
        stage.finder.frames(sent, memory)
        root = proposal_root(sent)
        if root is not None:
            pending.append((i, sent, root, snapshot(memory)))
    return propose(model, stage.finder, pending,
                   lambda frames, sent: stage._events(frames, sent, "d", 0), text,
                   list(found))


@pytest.mark.slow
def test_the_model_proposes_an_event_with_the_rules_roles(coder):
    model = _Proposer(0.9, {"ACCUSE": 0.8, "SUPPORT": 0.2}, threshold=0.5)
    out = _proposals(coder, model, "Germany scolded France on Monday.")
    assert len(out) == 1
    event = out[0][3]
    assert event.event_type == "ACCUSE"
    assert (event.source.text, event.target.text) == ("Germany", "France")
    assert event.extra["typed_by"] == "model" and event.extra["proposed"] is True
    assert event.confidence == pytest.approx(0.9 * 0.8 / 2)


@pytest.mark.slow
def test_the_model_proposes_nothing_below_its_threshold_or_outside_its_types(coder):
    text = "Germany scolded France on Monday."
    scores = {"ACCUSE": 0.8, "SUPPORT": 0.2}
    assert not _proposals(coder, _Proposer(0.9, scores, threshold=0.0), text)  # off
    assert not _proposals(coder, _Proposer(0.9, scores, threshold=0.8), text)
    assert not _proposals(coder, _Proposer(0.05, scores, threshold=0.01), text)
    assert not _proposals(coder, _Proposer(0.9, scores, threshold=0.5, types=["SUPPORT"]),
                          text)
    assert _proposals(coder, _Proposer(0.9, scores, threshold=0.5, types=["ACCUSE"]), text)
