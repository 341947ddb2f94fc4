"""The times scorer: TempEval-3 measures worked out by hand on a small gold file."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tidings import evaluate_times
from tidings.model import Article, CodedArticle, Timex

TEXT_A = "Talks began on Monday and lasted two days. Now they resume."
TEXT_B = "The 2019 season ended in late May."


def _gold(tmp_path):
    articles = [{"id": "a", "text": TEXT_A, "published": "2025-06-04", "split": "dev",
                 "sentences": []},
                {"id": "b", "text": TEXT_B, "published": "2025-06-04", "split": "test",
                 "sentences": []}]  # fmt: skip
    (tmp_path / "articles.jsonl").write_text("\n".join(json.dumps(a) for a in articles))

    def rec(doc, text, body, type_, value, mod=None):
        start = body.index(text)
        return {"doc": doc, "split": "dev" if doc == "a" else "test", "sent": 0, "text": text,
                "start": start, "end": start + len(text), "type": type_, "value": value,
                "mod": mod, "anchor": None, "age": False}

    gold = [rec("a", "Monday", TEXT_A, "DATE", "2025-06-02"),
            rec("a", "two days", TEXT_A, "DURATION", "P2D"),
            rec("a", "Now", TEXT_A, "DATE", "PRESENT_REF"),
            rec("b", "2019", TEXT_B, "DATE", "2019"),
            rec("b", "late May", TEXT_B, "DATE", "2025-05", "END")]
    path = tmp_path / "times.jsonl"
    path.write_text("\n".join(json.dumps(g) for g in gold))
    return path


def _timex(body: str, text: str, type_: str, value: str, mod: str | None = None) -> Timex:
    start = body.index(text)
    return Timex(text, (start, start + len(text)), type_, value, mod)


class FakeCoder:
    """Predicts for doc a: 'on Monday' (relaxed match, right value), 'two days' with a wrong
    value, and a spurious 'began'; misses 'Now'."""

    def code_many(self, items):
        for item in items:
            art = Article(text=item["text"], id=item["id"], published=item["published"])
            if item["id"] == "a":
                times = [_timex(TEXT_A, "on Monday", "DATE", "2025-06-02"),
                         _timex(TEXT_A, "two days", "DURATION", "P3D"),
                         _timex(TEXT_A, "began", "DATE", "2025-06-04")]
            else:
                times = [_timex(TEXT_B, "2019", "DATE", "2019"),
                         _timex(TEXT_B, "late May", "DATE", "2025-05", "END")]
            yield CodedArticle(article=art, times=times)


def test_scores_by_hand(tmp_path) -> None:
    path = _gold(tmp_path)
    report = evaluate_times.evaluate(path, split="dev", coder=FakeCoder())
    assert (report["gold"], report["predicted"]) == (3, 3)
    assert report["strict"] == {"precision": 0.333, "recall": 0.333, "f1": 0.333}
    assert report["relaxed"] == {"precision": 0.667, "recall": 0.667, "f1": 0.667}
    assert report["value_accuracy"] == 0.5
    assert report["value"] == {"precision": 0.333, "recall": 0.333, "f1": 0.333}
    assert report["by_type"]["DURATION"]["recall"] == 1.0
    assert report["by_type"]["DATE"]["recall"] == 0.5
    kinds = sorted(e["kind"] for e in report["errors"])
    assert kinds == ["mismatch", "mismatch", "missed", "spurious"]


def test_all_right_and_test_split_hides_its_mistakes(tmp_path) -> None:
    report = evaluate_times.evaluate(_gold(tmp_path), split="test", coder=FakeCoder())
    assert report["value"]["f1"] == 1.0 and report["mod_accuracy"] == 1.0
    assert "errors" not in report


def test_offsets_must_hold_the_text(tmp_path) -> None:
    path = _gold(tmp_path)
    lines = path.read_text().splitlines()
    bad = json.loads(lines[0]) | {"start": 0}
    path.write_text("\n".join([json.dumps(bad), *lines[1:]]))
    with pytest.raises(ValueError, match="offsets"):
        evaluate_times.load(path)


def test_cli_refuses_errors_for_the_test_split(tmp_path) -> None:
    from tidings.cli import app

    result = CliRunner().invoke(app, ["eval", "times", str(_gold(tmp_path)), "--split", "test",
                                      "--show-errors", "--no-write"])
    assert result.exit_code != 0
