"""Packaged data files (lexicons, actor dictionaries, code tables) and their loaders.

Everything here is plain TSV or YAML so users can read and extend it; see the README in
each folder. Loaders are cached: the files are read once per process.
"""

from __future__ import annotations

import csv
import functools
import os
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

# A folder that stands in for the packaged lexicon/ folder (event types, verb and noun
# patterns, CAMEO codes, ACLED rules): a complete copy of it, edited. Read once per process.
LEXICON_ENV = "TIDINGS_LEXICON"


def data_path(relative: str) -> Path:
    head, _, rest = relative.partition("/")
    own = os.environ.get(LEXICON_ENV) if head == "lexicon" else None
    if own:
        if not Path(own).is_dir():
            raise FileNotFoundError(f"{LEXICON_ENV}={own}: no such folder (it must hold a "
                                    "complete lexicon folder, see data/lexicon/README.md)")
        return Path(own) / rest if rest else Path(own)
    return Path(str(resources.files("tidings.data").joinpath(relative)))


def read_tsv(relative: str | Path) -> list[dict[str, str]]:
    """Rows of a TSV file whose '#' lines are comments and whose first row names the columns."""
    path = relative if isinstance(relative, Path) else data_path(relative)
    with open(path, encoding="utf-8", newline="") as fh:
        lines = (line for line in fh if line.strip() and not line.startswith("#"))
        reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in reader]


# libyaml's loader when present: the lexicon is large and pure-Python YAML is slow.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.cache
def read_yaml(relative: str) -> Any:
    with open(data_path(relative), encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_Loader)  # noqa: S506 - a safe loader either way


def split_multi(value: str) -> list[str]:
    """Split a '|'-separated multi-valued cell."""
    return [v.strip() for v in value.split("|") if v.strip()]
