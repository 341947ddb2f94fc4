"""--min-confidence (CLI) and min_confidence (API): events below the cut are left out."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tidings.cli import app
from tidings.confidence import DEFAULT_MIN_CONFIDENCE, filter_confidence
from tidings.model import Event

runner = CliRunner()
STORY = ("KYIV, June 2 (Wire) - Russian forces shelled the city of Kharkiv on Sunday. "
         "Ukraine condemned the attack and urged its allies to send more air defence.")


def test_filter_keeps_events_at_or_above_the_cut():
    events = [Event(id="a", event_type="ASSAULT", cameo="190", confidence=0.2),
              Event(id="b", event_type="ACCUSE", cameo="111", confidence=0.6)]
    assert [e.id for e in filter_confidence(events, 0.5)] == ["b"]
    assert [e.id for e in filter_confidence(events, 0.0)] == ["a", "b"]
    assert filter_confidence([{"confidence": None}, {"confidence": 0.9}], 0.5) == [
        {"confidence": 0.9}]
    with pytest.raises(ValueError):
        filter_confidence(events, 1.5)


def test_the_default_cut_comes_from_the_shipped_model():
    from tidings.nlp.eventmodel import get_event_model

    assert DEFAULT_MIN_CONFIDENCE == get_event_model().meta["min_confidence"]
    assert 0.0 <= DEFAULT_MIN_CONFIDENCE < 1.0


@pytest.mark.slow
def test_code_drops_events_below_the_cut(model_coder, tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    kept = runner.invoke(app, ["code", str(story), "--published", "2025-06-02",
                               "--min-confidence", "0"])
    assert kept.exit_code == 0, kept.output
    events = json.loads(kept.stdout.splitlines()[0])["events"]
    assert events and all(0.0 < e["confidence"] <= 1.0 for e in events)
    cut = max(e["confidence"] for e in events) - 0.0005  # printed values are rounded
    fewer = runner.invoke(app, ["code", str(story), "--published", "2025-06-02",
                                "--min-confidence", str(cut)])
    left = json.loads(fewer.stdout.splitlines()[0])["events"]
    assert left, "the most confident event is at the cut and stays"
    assert all(e["confidence"] >= cut for e in left)
    assert len(left) == sum(e["confidence"] >= cut for e in events)
    bad = runner.invoke(app, ["code", str(story), "--min-confidence", "2"])
    assert bad.exit_code == 2


def test_api_filter_rejects_a_cut_outside_zero_to_one():
    from tidings.store.queries import EventFilter
    from tidings.web.params import event_filter

    f = event_filter(min_confidence=0.4)
    assert isinstance(f, EventFilter) and f.min_confidence == 0.4
    assert any("confidence" in str(c) for c in f.clauses())
