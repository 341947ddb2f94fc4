"""Long and pathological texts (tidings.nlp.chunks): coded chunk by chunk, over-long tokens
blanked, an event cap per document; each reported in the document's notes. Sizes are kept
small by shrinking the limits (and spaCy's max_length) rather than by feeding megabytes."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tidings.model import Actor, Event
from tidings.nlp.chunks import Limits, blank_long_tokens, chunk_bounds, shift_offsets

ROOT = Path(__file__).resolve().parents[2]


def test_blanking_keeps_length_and_counts():
    text = "short words " + "y" * 30 + " and " + "z" * 31
    out, n = blank_long_tokens(text, 30)
    assert len(out) == len(text) and n == 1
    assert "y" * 30 in out and "z" not in out


def test_chunks_cover_the_text_at_the_best_breaks():
    para = "The minister spoke. " * 20  # 400 characters
    text = "\n\n".join([para] * 10)
    bounds, mid = chunk_bounds(text, 1000)
    assert "".join(text[a:b] for a, b in bounds) == text
    assert all(b - a <= 1000 for a, b in bounds) and mid == 0
    assert all(text[b - 1:b + 1] == "\n\n" or b == len(text) for a, b in bounds[:-1]) or all(
        text[b:b + 2] == "\n\n" for a, b in bounds[:-1])
    # no paragraph breaks: cut after a full stop
    flat = "The minister spoke. " * 200
    bounds, mid = chunk_bounds(flat, 1000)
    assert mid == 0 and all(flat[b - 1] in ". " for a, b in bounds[:-1])
    # one endless sentence: cut at spaces, and counted
    endless = "and then " * 500
    bounds, mid = chunk_bounds(endless, 1000)
    assert mid == len(bounds) - 1 > 0
    assert "".join(endless[a:b] for a, b in bounds) == endless


def test_shift_moves_shared_actors_once():
    actor = Actor(text="police", span=(0, 6))
    events = [Event(id="a", event_type="ARREST", cameo="173", mode="", context="",
                    quad_class=None, goldstein=None, source=actor, span=(0, 20),
                    trigger_span=(7, 15)) for _ in range(2)]
    shift_offsets(events, 100)
    assert actor.span == (100, 106)
    assert [e.span for e in events] == [(100, 120)] * 2
    assert [e.trigger_span for e in events] == [(107, 115)] * 2


@pytest.fixture
def small_limits(coder, monkeypatch):
    def use(**kw):
        monkeypatch.setattr(coder, "limits", dataclasses.replace(Limits(), **kw))
    return use


def test_a_sentence_over_spacy_max_length_is_split_not_a_traceback(coder, monkeypatch):
    monkeypatch.setattr(coder.nlp, "max_length", 60_000)
    text = "Police arrested the man and " + "the protesters and the police " * 4_000
    assert len(text) > coder.nlp.max_length
    coded = coder.code(text)
    assert any("split at chunk boundaries" in n for n in coded.notes)
    assert any("chunks" in n for n in coded.notes)


def _stories(n: int) -> list[str]:
    sys.path.insert(0, str(ROOT / "bench"))
    from synth import generate

    return [rec["text"] for rec in generate(n, 11)]


def _key(e):
    # Actor countries are left out: they are resolved over the whole document (its entities
    # and its main country), which a chunk does not see. What happened, where in the text
    # and with what modality must not depend on the chunking.
    return (e.event_type, e.cameo, e.trigger, e.trigger_span, e.span, e.sentence, e.modality)


def test_chunked_coding_gives_the_same_events_at_the_same_offsets(coder, small_limits):
    # one paragraph per story, so every chunk break falls between stories: a chunk loses
    # no sentence context the whole text had (the first dateline dates nothing here)
    stories = [" ".join(s.split()) for s in _stories(4)]
    text = "\n\n".join(stories)
    whole = coder.code(text, published="2025-06-02", id="d")
    assert not whole.notes
    small_limits(chunk_chars=max(len(s) for s in stories) + 10)
    chunked = coder.code(text, published="2025-06-02", id="d")
    assert any("chunks" in n for n in chunked.notes)
    assert [_key(e) for e in chunked.events] == [_key(e) for e in whole.events]
    assert len(whole.events) > 10
    assert [e.id for e in chunked.events] == [f"d:{i}" for i in range(len(chunked.events))]
    assert sum(e.main for e in chunked.events) == 1
    for e in chunked.events:  # offsets point into the whole text
        assert text[e.span[0]:e.span[1]].strip()
        if " " not in e.trigger:
            assert text[e.trigger_span[0]:e.trigger_span[1]] == e.trigger
    mentions = sorted(m.span for x in whole.entities for m in x.mentions)
    assert sorted(m.span for x in chunked.entities for m in x.mentions) == mentions
    assert [(q.span, q.text) for q in chunked.quotes] == [(q.span, q.text) for q in whole.quotes]


def test_the_event_cap_stops_coding_and_says_so(coder, small_limits):
    small_limits(max_events=40, chunk_chars=2_000)
    text = "Police arrested the man. " * 400  # an event per sentence, 10,000 characters
    coded = coder.code(text, id="capped")
    assert len(coded.events) == 40
    assert any("event cap of 40" in n for n in coded.notes)
    assert any("were not coded" in n for n in coded.notes)
    assert coded.to_dict()["notes"] == coded.notes


def test_the_event_cap_applies_to_short_documents_too(coder, small_limits):
    small_limits(max_events=3)
    coded = coder.code("Police arrested the man. " * 10)
    assert len(coded.events) == 3 and "event cap of 3" in coded.notes[0]


def test_an_over_long_token_is_blanked_and_the_rest_coded(coder):
    text = "Police arrested the man in Paris. " + "x" * 5_000 + " Troops shelled the town."
    coded = coder.code(text)
    assert any("blanked" in n for n in coded.notes)
    assert {e.event_type for e in coded.events} >= {"COERCE", "ASSAULT"}
    assert coded.article.text == text  # the stored text is the original


def test_ordinary_documents_have_no_notes(coder):
    coded = coder.code(_stories(1)[0])
    assert coded.notes == [] and "notes" not in coded.to_dict()


def test_cli_code_and_ingest_report_the_limits_without_a_traceback(coder, monkeypatch,
                                                                   tmp_path):
    from tidings.cli import app
    from tidings.store import Store

    monkeypatch.setattr(coder.nlp, "max_length", 60_000)
    doc = tmp_path / "long.txt"
    doc.write_text("Police arrested the man and " + "the protesters and the police " * 4_000,
                   encoding="utf-8")
    result = CliRunner().invoke(app, ["code", str(doc)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and "split at chunk boundaries" in result.output
    db = f"sqlite:///{tmp_path / 'i.db'}"
    result = CliRunner().invoke(app, ["ingest", str(doc), "--db", db, "--quiet"])
    assert "Traceback" not in result.output and "note" in result.output
    with Store(db) as store:
        assert store.summary()["documents"] == 1
        assert [e["reason"] for e in store.errors()] == ["partly_coded"]
