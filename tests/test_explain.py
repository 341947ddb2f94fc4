"""`tidings code --explain`: each actor's mention chain and the rule that resolved it, and
the documented output in docs/actors.md is what the command prints."""

from __future__ import annotations

from pathlib import Path

import yaml
from typer.testing import CliRunner

from tidings.cli import app

ROOT = Path(__file__).parents[1]
runner = CliRunner()


def _howard(tmp_path: Path) -> Path:
    story = next(s for s in yaml.safe_load((ROOT / "tests/data/namesakes.yaml").read_text())
                 if s["id"] == "ns-uk-howard-2005")
    path = tmp_path / "howard-2005.txt"
    path.write_text(story["text"], encoding="utf-8")
    return path


def test_explain_prints_chains_and_rules(tmp_path, coder):
    result = runner.invoke(app, ["code", "--published", "2005-02-08", "--explain",
                                 str(_howard(tmp_path))])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "#0 Michael Howard [PERSON] GBR" in out
    assert 'mentions: "Michael Howard" 0:14 -> "Howard"' in out
    assert "how: dictionary full name" in out  # Tony Blair
    assert "John Howard" not in out and "AUS" not in out
    assert 'ACCUSE (asserted) "accused": "Michael Howard" GBR (entity #0)' in out


def test_documented_explain_output_is_real(tmp_path, coder):
    result = runner.invoke(app, ["code", "--published", "2005-02-08", "--explain",
                                 str(_howard(tmp_path))])
    documented = (ROOT / "docs/actors.md").read_text(encoding="utf-8")
    block = documented.split("$ tidings code --published 2005-02-08 --explain howard-2005.txt\n",
                             1)[1].split("```", 1)[0]
    # the document id is a hash of the text, so the whole output must match
    assert block == result.output
