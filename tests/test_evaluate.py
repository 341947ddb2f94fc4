"""Scoring arithmetic, on hand-made predictions (no model needed)."""

from tidings.evaluate import Prediction, render_markdown, score, write_section


def _p(gold, pred, src=None, gsrc=()):
    return Prediction(id="x", gold=gold, predicted=pred, source=src, target=None,
                      gold_sources=list(gsrc), gold_targets=[])


def test_accuracy_macro_f1_and_confusion():
    preds = [_p("ASSAULT", "ASSAULT", "RUS", ["RUS"]), _p("ASSAULT", "COERCE", "UKR", ["RUS"]),
             _p("AGREE", "AGREE"), _p("AGREE", "NONE")]
    report = score(preds)
    assert report.accuracy == 0.5
    assert report.per_type["ASSAULT"]["precision"] == 1.0
    assert report.per_type["ASSAULT"]["recall"] == 0.5
    assert abs(report.macro_f1 - (2 / 3 + 2 / 3) / 2) < 1e-9
    assert report.source_accuracy == 0.5 and report.source_n == 2
    assert report.confusion["ASSAULT"] == {"ASSAULT": 1, "COERCE": 1}
    md = render_markdown(report)
    assert "| event-type accuracy | 0.500 |" in md


def test_write_section_replaces_only_its_block(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("# Title\n\nintro\n", encoding="utf-8")
    write_section(path, "x", "first\n")
    write_section(path, "y", "other\n")
    write_section(path, "x", "second\n")
    text = path.read_text()
    assert "first" not in text and "second" in text and "other" in text
    assert text.startswith("# Title")
