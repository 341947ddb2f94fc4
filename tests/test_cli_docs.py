"""docs/cli.md is generated from the CLI's --help (scripts/gen_cli_docs.py) and must not drift."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import typer

from tidings.cli import app

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "gen_cli_docs.py"


def _generator():
    spec = importlib.util.spec_from_file_location("gen_cli_docs", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_cli_md_is_what_the_cli_says():
    text = _generator().render()
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == text, (
        "docs/cli.md is out of date: run `python scripts/gen_cli_docs.py` and commit it")


def test_every_command_and_option_is_in_the_reference():
    text = _generator().render()
    group = typer.main.get_command(app)
    ctx = typer.Context(group, info_name="tidings")
    names = group.list_commands(ctx)
    assert {"code", "ingest", "events", "serve", "db"} <= set(names)
    for name in names:
        command = group.get_command(ctx, name)
        assert f"## `tidings {name}`" in text
        for param in command.params:
            for flag in getattr(param, "opts", []):
                if flag.startswith("--"):
                    assert f"{flag}" in text.split(f"## `tidings {name}`", 1)[1]


def test_the_check_mode_fails_on_a_stale_file(tmp_path, monkeypatch):
    generator = _generator()
    stale = tmp_path / "cli.md"
    stale.write_text("# Command reference\n\nold text\n", encoding="utf-8")
    monkeypatch.setattr(generator, "DOCS", stale)
    monkeypatch.setattr(generator, "ROOT", tmp_path)
    monkeypatch.setattr(sys, "argv", ["gen_cli_docs.py", "--check"])
    assert generator.main() == 1
    monkeypatch.setattr(sys, "argv", ["gen_cli_docs.py"])
    assert generator.main() == 0  # writes it
    monkeypatch.setattr(sys, "argv", ["gen_cli_docs.py", "--check"])
    assert generator.main() == 0


def test_the_script_runs_on_its_own():
    result = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
