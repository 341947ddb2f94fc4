"""The event model's topic gate before parsing: a document the gate rules off topic has only
its quotes and counts parsed (its event sentences cannot become events); an on-topic
document, and every document when the rules code alone, is parsed as before."""

from __future__ import annotations

import numpy as np

from tidings.nlp.eventmodel import TYPES, Candidate, EventModel, StaticEmbedder, build_features

SPORT = ('"We played with courage tonight," coach Carlo Ancelotti said after the match. '
         'A crowd of 78,000 fans watched the game, and tickets cost 120 euros. '
         'Real Madrid beat Lyon at the Bernabeu on Wednesday to reach the semi-final.')
WAR = ('Russian forces shelled Kharkiv on Monday, killing three civilians, regional officials '
       'said. "The city will not be broken," the mayor said. Ukraine said 40 drones were shot '
       'down overnight.')


def _plan(coder, text: str, events: bool) -> list[tuple[str, bool]]:
    return coder.filter.split(coder.nlp.tokenizer(text), events)


def _parsed_characters(coder, text: str) -> int:
    before = coder.stats["characters_parsed"]
    coder.code(text, published="2025-06-02")
    return coder.stats["characters_parsed"] - before


def gate_off(model_coder, monkeypatch):
    """The default pipeline parsing every document as if it were on topic (the gate in
    ``decide`` still applies)."""
    split = model_coder.filter.split
    monkeypatch.setattr(model_coder.filter, "split", lambda doc, events=True: split(doc))
    return model_coder


def test_off_topic_sentences_keep_only_quotes_and_counts(model_coder):
    plan = _plan(model_coder, SPORT, events=False)
    assert [keep for _, keep in plan] == [True, True, False]  # "beat" is left unparsed
    assert [keep for _, keep in _plan(model_coder, SPORT, events=True)] == [True, True, True]


def test_an_off_topic_document_keeps_its_quotes_and_quantities(model_coder, monkeypatch):
    assert model_coder.doc_coder.model.on_topic([SPORT]) == [False]
    gated_chars = _parsed_characters(model_coder, SPORT)
    gated = model_coder.code(SPORT, published="2025-06-02")
    gate_off(model_coder, monkeypatch)
    full_chars = _parsed_characters(model_coder, SPORT)
    full = model_coder.code(SPORT, published="2025-06-02")
    assert gated_chars < full_chars
    assert gated.events == [] and full.events == []  # off topic: no events either way
    assert [q.to_dict() for q in gated.quotes] == [q.to_dict() for q in full.quotes]
    assert gated.quotes and gated.quotes[0].speaker
    assert [q.to_dict() for q in gated.quantities] == [q.to_dict() for q in full.quantities]
    assert {q.text for q in gated.quantities} >= {"78,000 fans", "120 euros"}
    assert [t.to_dict() for t in gated.times] == [t.to_dict() for t in full.times]


def test_an_on_topic_document_is_coded_as_before(model_coder, monkeypatch):
    assert model_coder.doc_coder.model.on_topic([WAR]) == [True]
    gated = model_coder.code(WAR, published="2025-06-02")
    gate_off(model_coder, monkeypatch)
    full = model_coder.code(WAR, published="2025-06-02")
    assert gated.events and gated.to_dict() == full.to_dict()


def test_the_rules_alone_parse_every_event_sentence(coder):
    assert coder.doc_coder.model is None
    kept = sum(len(text) for text, keep in _plan(coder, SPORT, events=True) if keep)
    assert kept > sum(len(text) for text, keep in _plan(coder, SPORT, events=False) if keep)
    assert _parsed_characters(coder, SPORT) == kept


# -- the gate itself ------------------------------------------------------------------------

def _gated_model(threshold: float, bias: float) -> EventModel:
    """A tiny model whose topic head gives every text the score sigmoid(bias)."""
    emb = StaticEmbedder(["[UNK]", "the", "army", "match"],
                         np.eye(4, dtype=np.float16))
    n = build_features([Candidate(sentence="the army")], emb.encode).shape[1]
    zero = np.zeros((n, 1), np.float32)
    return EventModel(emb, [(zero, np.full(1, 5.0, np.float32))],
                      [(np.zeros((n, len(TYPES)), np.float32), np.zeros(len(TYPES), np.float32))],
                      mean=np.zeros(n, np.float32), scale=np.ones(n, np.float32),
                      calibration=(np.zeros(0), np.zeros(0)),
                      meta={"topic_threshold": threshold, "event_threshold": 0.5},
                      topic_layers=[(np.zeros((4, 1), np.float32),
                                     np.full(1, bias, np.float32))])


def test_on_topic_compares_the_topic_score_with_the_threshold():
    assert _gated_model(0.7, 2.0).on_topic(["the army", "the match"]) == [True, True]
    assert _gated_model(0.7, -2.0).on_topic(["the army", "the match"]) == [False, False]
    assert _gated_model(0.0, -2.0).on_topic(["the match"]) == [True]  # gate off


def test_decide_applies_the_gate_to_every_candidate():
    cands = [Candidate(sentence="the army", rule_type="ASSAULT")] * 2
    text = "the army " * 100
    assert [d.event for d in _gated_model(0.7, 2.0).decide(cands, text=text)] == [True, True]
    assert [d.event for d in _gated_model(0.7, -2.0).decide(cands, text=text)] == \
        [False, False]


def test_topic_scores_are_remembered_but_not_mixed_up():
    model = _gated_model(0.7, 2.0)
    first = model.topic(["the army", "the match"])
    assert np.array_equal(model.topic(["the match", "the army"]), first[::-1])
    model.topic_layers = [(np.zeros((4, 1), np.float32), np.full(1, -2.0, np.float32))]
    assert (model.topic(["the army"]) < 0.5).all()  # new heads: scored again
