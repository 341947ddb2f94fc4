"""docs/architecture.md names files and folders; each one it names must exist, so the map
does not drift from the tree. A passage marked "after merge: ..." speaks of work on another
branch and is checked once its marker is dropped."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"
PACKAGE = ROOT / "src" / "tidings"


def named_paths(text: str) -> list[str]:
    """Backticked names that look like paths (``ingest/files.py``, ``evaluate*.py``),
    outside the blocks (paragraphs, table rows) that carry an "after merge" marker."""
    blocks = re.split(r"\n\s*\n|\n(?=\|)", text)
    names = []
    for block in blocks:
        if "after merge" in block:
            continue
        for name in re.findall(r"`([^`\s]+)`", block):
            if name.startswith(("/", "-", "http")) or "(" in name:
                continue
            if "/" in name or name.endswith(".py"):
                names.append(name)
    return names


def exists(name: str) -> bool:
    """A path from the package, the repository or docs/; a bare file name (``api.py`` in the
    row of ``web/``) anywhere in the package."""
    pattern = name.rstrip("/")
    if "/" not in pattern and any(PACKAGE.rglob(pattern)):
        return True
    return any(list(base.glob(pattern)) for base in (PACKAGE, ROOT, ROOT / "docs"))


def test_every_path_the_architecture_doc_names_exists():
    names = named_paths(DOC.read_text(encoding="utf-8"))
    assert "formats/polecat.py" in names and "cli_common.py" in names  # the parse finds them
    missing = [n for n in names if not exists(n)]
    assert not missing, f"docs/architecture.md names files that do not exist: {missing}"


def test_a_missing_path_is_caught():
    names = named_paths("The run loop is in `nowhere/loop.py`.\n\n| x | `cli.py` |\n")
    assert names == ["nowhere/loop.py", "cli.py"]
    assert not exists("nowhere/loop.py") and not exists("loop.py")
    assert exists("cli.py") and exists("watcher.py") and exists("formats/") and exists("cli.md")
    assert named_paths("Soon `runs.py` <!-- after merge: runs --> holds it.") == []
