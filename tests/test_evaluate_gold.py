"""The document-level gold scorer (`tidings eval gold`), on a small hand-made gold set."""

from __future__ import annotations

import json

import pytest

from tidings import evaluate_gold
from tidings.model import Actor, Article, CodedArticle, Event

TEXT = ("Police arrested two men in Lyon on Monday. The mayor criticised the government. "
        "It rained all day.")
S0, S1, S2 = (0, 42), (43, 80), (81, 98)


def write_gold(tmp_path, events_by_sentence, split="dev"):
    article = {"id": "d1", "published": "2019-05-08", "title": "t", "text": TEXT, "split": split,
               "sentences": [{"i": i, "start": s, "end": e, "text": TEXT[s:e]}
                             for i, (s, e) in enumerate((S0, S1, S2))]}
    (tmp_path / "articles.jsonl").write_text(json.dumps(article) + "\n")
    lines = []
    for i in range(3):
        evs = events_by_sentence.get(i, [])
        lines.append(json.dumps({"doc": "d1", "sent": i, "event_bearing": bool(evs),
                                 "events": evs, "non_events": []}))
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def gold_event(etype, src=None, tgt=None, alt=(), modality="asserted", date=None):
    return {"type": etype, "alt_types": list(alt), "modality": modality, "date": date,
            "source": {"text": "x", "country": src, "sector": "GOV"} if src else None,
            "target": {"text": "y", "country": tgt, "sector": "CVL"} if tgt else None,
            "place": None, "evidence": "x"}


class FakeCoder:
    """Returns fixed events, so the scorer is tested apart from the pipeline."""

    def __init__(self, events):
        self.events = events

    def code_many(self, items):
        for item in items:
            yield CodedArticle(article=Article(text=item["text"], id=item["id"]),
                               events=self.events)


def event(etype, start, src=None, tgt=None, conf=0.9, modality="asserted", date=None):
    return Event(id=f"e{start}{etype}", event_type=etype, cameo="", span=(start, start + 5),
                 source=Actor(text="x", country=src) if src else None,
                 target=Actor(text="y", country=tgt) if tgt else None,
                 confidence=conf, modality=modality, date=date)


def test_precision_recall_and_whole_record(tmp_path):
    path = write_gold(tmp_path, {0: [gold_event("COERCE", "FRA", "FRA")],
                                 1: [gold_event("ACCUSE", "FRA", "FRA")]})
    coder = FakeCoder([event("COERCE", 1, "FRA", "FRA"),      # right, record right
                       event("ACCUSE", 50, "FRA", None),      # right type, target missing
                       event("ASSAULT", 85)])                 # false event (weather sentence)
    r = evaluate_gold.evaluate(path, coder=coder)
    assert r["events"]["tp"] == 2 and r["events"]["predicted"] == 3 and r["events"]["gold"] == 2
    assert r["events"]["precision"] == pytest.approx(2 / 3)
    assert r["events"]["recall"] == 1.0
    assert r["records"]["tp"] == 1
    # a missing target country where gold has one counts as wrong, and as not covered
    assert r["fields"]["target_country"]["accuracy"] == 0.5
    assert r["fields"]["target_country"]["coverage"] == 0.5
    assert r["sentences_event_bearing"]["precision"] == pytest.approx(2 / 3)


def test_alternative_types_match_after_exact_ones(tmp_path):
    path = write_gold(tmp_path, {1: [gold_event("ACCUSE", alt=["REJECT"]),
                                     gold_event("REJECT")]})
    # The REJECT prediction must pair with the REJECT gold event, not use up the ACCUSE's
    # alternative; the ACCUSE gold event then stays unmatched.
    r = evaluate_gold.evaluate(path, coder=FakeCoder([event("REJECT", 50)]))
    assert r["events"]["tp"] == 1 and r["matched_by_alternative"] == {}
    r = evaluate_gold.evaluate(path, coder=FakeCoder([event("REJECT", 50),
                                                      event("REJECT", 60)]))
    assert r["events"]["tp"] == 2 and r["matched_by_alternative"] == {"ACCUSE->REJECT": 1}


def test_swaps_split_and_unscored_modalities(tmp_path):
    path = write_gold(tmp_path, {0: [gold_event("COERCE", "FRA", "DZA"),
                                     gold_event("ASSAULT", modality="demanded")]})
    coder = FakeCoder([event("COERCE", 1, "DZA", "FRA"), event("ASSAULT", 2, modality="negated")])
    r = evaluate_gold.evaluate(path, coder=coder)
    assert r["swaps"] == {"swapped": 1, "n": 1, "rate": 1.0}
    assert r["events"]["gold"] == 1 and r["events"]["predicted"] == 1
    assert evaluate_gold.evaluate(path, split="test", coder=coder)["documents"] == 0


def test_reliability_and_min_confidence(tmp_path):
    path = write_gold(tmp_path, {0: [gold_event("COERCE")]})
    coder = FakeCoder([event("COERCE", 1, conf=0.95), event("ASSAULT", 2, conf=0.15),
                       event("PROTEST", 85, conf=0.12)])
    r = evaluate_gold.evaluate(path, coder=coder)
    bins = {row["bin"]: row for row in r["reliability"]}
    assert bins["0.9-1.0"]["accuracy"] == 1.0 and bins["0.9-1.0"]["n"] == 1
    assert bins["0.1-0.2"]["n"] == 2 and bins["0.1-0.2"]["accuracy"] == 0.0
    assert bins["0.1-0.2"]["gap"] == pytest.approx(0.135)
    high = evaluate_gold.evaluate(path, coder=coder, min_confidence=0.5)
    assert high["events"]["precision"] == 1.0 and high["events"]["predicted"] == 1


def test_markdown_names_every_measure(tmp_path):
    path = write_gold(tmp_path, {0: [gold_event("COERCE", "FRA", "FRA")]})
    r = evaluate_gold.evaluate(path, coder=FakeCoder([event("COERCE", 1, "FRA", "FRA")]))
    md = evaluate_gold.render_markdown(r, "Gold")
    for words in ("event type", "whole record", "source_country", "Reliability", "swaps"):
        assert words in md


def test_missing_articles_file_is_a_clear_error(tmp_path):
    (tmp_path / "gold.jsonl").write_text("")
    with pytest.raises(FileNotFoundError, match="articles.jsonl"):
        evaluate_gold.load(tmp_path / "gold.jsonl")


def test_errors_only_for_the_dev_split(tmp_path):
    path = write_gold(tmp_path, {0: [gold_event("COERCE", "FRA", "DZA")],
                                 1: [gold_event("ACCUSE", "FRA", "FRA")]})
    coder = FakeCoder([event("COERCE", 1, "FRA", None)])
    errors = evaluate_gold.evaluate(path, split="dev", coder=coder)["errors"]
    actor = next(e for e in errors if e["kind"] == "actor")
    assert actor["wrong"] == ["target"] and actor["gold"][1] == "y [DZA CVL]"
    missed = next(e for e in errors if e["kind"] == "missed")
    assert missed["type"] == "ACCUSE" and missed["sent"] == 1
    assert "errors" not in evaluate_gold.evaluate(path, coder=coder)
    test_path = write_gold(tmp_path, {0: [gold_event("COERCE", "FRA", "DZA")]}, split="test")
    assert "errors" not in evaluate_gold.evaluate(test_path, split="test", coder=coder)


def test_cli_refuses_errors_for_the_test_split(tmp_path):
    from typer.testing import CliRunner

    from tidings.cli import app

    path = write_gold(tmp_path, {0: [gold_event("COERCE", "FRA", "DZA")]}, split="test")
    result = CliRunner().invoke(app, ["eval", "gold", str(path), "--split", "test",
                                      "--show-errors", "--no-write"])
    assert result.exit_code != 0
