"""The toponym scorer: counts worked out by hand, and its mistakes listed for dev only."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tidings import evaluate_places
from tidings.model import Article, CodedArticle, Toponym

TEXT_A = "Talks in Geneva ended, and delegates flew to Paris."
TEXT_B = "Floods hit Lagos on Monday."
GENEVA = {"geonameid": 2660646, "lat": 46.20, "lon": 6.14, "country": "CHE"}
PARIS = {"geonameid": 2988507, "lat": 48.85, "lon": 2.35, "country": "FRA"}
LAGOS = {"geonameid": 2332459, "lat": 6.45, "lon": 3.39, "country": "NGA"}


def _gold(tmp_path):
    articles = [{"id": "a", "text": TEXT_A, "published": "2025-06-04", "split": "dev"},
                {"id": "b", "text": TEXT_B, "published": "2025-06-04", "split": "test"}]
    (tmp_path / "articles.jsonl").write_text("\n".join(json.dumps(a) for a in articles))

    def rec(doc, body, text, place):
        start = body.index(text)
        return {"doc": doc, "start": start, "end": start + len(text), "text": text,
                "name": text, **place}

    gold = [rec("a", TEXT_A, "Geneva", GENEVA), rec("a", TEXT_A, "Paris", PARIS),
            rec("b", TEXT_B, "Lagos", LAGOS)]
    path = tmp_path / "toponyms.jsonl"
    path.write_text("\n".join(json.dumps(g) for g in gold))
    return path


def _toponym(body: str, text: str, place: dict) -> Toponym:
    start = body.index(text)
    return Toponym(text, (start, start + len(text)), text, "city", **place)


class FakeCoder:
    """Finds Geneva in doc a but misses Paris and puts Lagos in Portugal (the other Lagos,
    far off)."""

    def code_many(self, items):
        for item in items:
            art = Article(text=item["text"], id=item["id"], published=item["published"])
            coded = CodedArticle(art)
            if item["id"] == "a":
                coded.places = [_toponym(TEXT_A, "Geneva", GENEVA)]
            else:
                coded.places = [_toponym(TEXT_B, "Lagos", {"geonameid": 2267254, "lat": 37.10,
                                                           "lon": -8.67, "country": "PRT"})]
            yield coded


def test_dev_split_scores_and_lists_its_mistakes(tmp_path):
    report = evaluate_places.evaluate(_gold(tmp_path), split="dev", coder=FakeCoder())
    assert report["split"] == "dev"
    assert (report["gold_toponyms"], report["predicted"], report["recognised"]) == (2, 1, 1)
    assert (report["precision"], report["recall"], report["within_161km"]) == (1.0, 0.5, 1.0)
    assert report["errors"] == [{"doc": "a", "kind": "missed", "text": "Paris",
                                 "span": [45, 50], "name": "Paris"}]


@pytest.mark.parametrize("split", ["test", None])
def test_other_splits_are_scored_but_their_mistakes_never_shown(tmp_path, split):
    report = evaluate_places.evaluate(_gold(tmp_path), split=split, coder=FakeCoder())
    assert report["split"] == (split or "all")
    assert report["within_161km"] == (0.0 if split else 0.5)
    assert "errors" not in report
    # no per-document listing under any other name either
    assert not [k for k, v in report.items() if isinstance(v, list)], report


def test_cli_lists_places_mistakes_on_dev_only(tmp_path, monkeypatch):
    import tidings.pipeline
    from tidings.cli import app

    monkeypatch.setattr(tidings.pipeline, "get_coder", lambda **_: FakeCoder())
    path, runner = _gold(tmp_path), CliRunner()
    test = runner.invoke(app, ["eval", "places", str(path), "--split", "test", "--json",
                               "--no-write"])
    assert test.exit_code == 0, test.output
    shown = json.loads(test.stdout)
    assert shown["split"] == "test" and "errors" not in shown
    assert "Lagos" not in test.stdout  # nothing of the test split's documents
    refused = runner.invoke(app, ["eval", "places", str(path), "--split", "test",
                                  "--show-errors", "--no-write"])
    assert refused.exit_code != 0
    dev = runner.invoke(app, ["eval", "places", str(path), "--split", "dev", "--json",
                              "--show-errors", "--no-write"])
    assert dev.exit_code == 0, dev.output
    assert [e["text"] for e in json.loads(dev.stdout)["errors"]] == ["Paris"]
