"""CAMEO codes of events: Goldstein score, root, quad class, the label of a scheme.

Goldstein scores come from ``data/lexicon/cameo.tsv`` (the code's own row, else its
3-digit parent's); quad classes and generic codes from the type table (types.tsv).
"""

from __future__ import annotations

import functools

from tidings.data import read_tsv
from tidings.event_types import event_type
from tidings.model import Event

CAMEO_FILE = "lexicon/cameo.tsv"


@functools.cache
def cameo_table() -> dict[str, dict[str, str]]:
    """Every CAMEO code of cameo.tsv -> its row (name, goldstein, plover, mode, context)."""
    return {r["code"]: r for r in read_tsv(CAMEO_FILE)}


def goldstein(cameo: str | None) -> float | None:
    if not cameo:
        return None
    table = cameo_table()
    row = table.get(cameo) or table.get(cameo[:3])
    try:
        return float(row["goldstein"]) if row else None
    except (KeyError, ValueError):
        return None


def root(cameo: str | None) -> str | None:
    """The CAMEO root category (the first two digits): 19 for 195."""
    return cameo[:2] if cameo and len(cameo) >= 2 else None


def quad_class(type_name: str | None) -> int | None:
    t = event_type(type_name) if type_name else None
    return t.quad_class if t is not None else None


def generic_code(type_name: str) -> str:
    """The code an event of this type takes when only its type is known (types.tsv)."""
    t = event_type(type_name)
    if t is None:
        raise KeyError(f"{type_name!r} is not an event type of types.tsv")
    return t.cameo


def cameo_label(event: Event | None) -> str:
    """The label `tidings classify --scheme cameo` prints: the code, or NONE."""
    return event.cameo if event is not None and event.cameo else "NONE"
