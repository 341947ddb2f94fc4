"""The PLOVER event types and what tidings knows about each, from ``data/lexicon/types.tsv``.

Every part of tidings that treats types differently asks this table (or a property declared
in it) instead of naming types in code: the coder (intents, demands, refusals, casualties,
implied actors, mutual events), the event model's retyping, corpus clustering, the schemes
(quad class, CAMEO), the store filters, the CLI and the web pages. Adding a type is a row
in the table plus its lexicon entries (data/lexicon/README.md, "Adding an event type").
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from tidings.data import read_tsv

TYPES_FILE = "lexicon/types.tsv"
QUAD_CLASSES = (1, 2, 3, 4)
# the yes/no columns; an empty cell is no
FLAGS = ("symmetric", "either_way", "casualties", "hits_places")


class TypeTableError(ValueError):
    """types.tsv is malformed; the message names the row and column."""


@dataclass(frozen=True)
class EventType:
    type: str  # the PLOVER name: ASSAULT
    quad_class: int
    quad_name: str
    title: str
    cameo: str  # the type's generic CAMEO code
    cameo_quad: int | None = None  # class in coarse CAMEO training labels (tidings.train)
    symmetric: bool = False
    either_way: bool = False
    intent_type: str | None = None
    intent_cameo: str | None = None
    demand_cameo: str | None = None
    reject_cameo: str | None = None
    casualties: bool = False
    hits_places: bool = False
    implied_source: str | None = None
    implied_target: str | None = None
    aliases: tuple[str, ...] = ()
    # ACLED event_type and sub_event_type when no rule of acled.yaml matches (checked there)
    acled_default: tuple[str, str] | None = None


def _flag(value: str, where: str) -> bool:
    if value.lower() not in ("", "yes"):
        raise TypeTableError(f"{where}: write yes or leave the cell empty, not {value!r}")
    return value.lower() == "yes"


def _pair(value: str, where: str) -> tuple[str, str] | None:
    if not value:
        return None
    parts = [p.strip() for p in value.split("|")]
    if len(parts) != 2 or not all(parts):
        raise TypeTableError(f"{where}: write event_type|sub_event_type, not {value!r}")
    return parts[0], parts[1]


def parse(rows: list[dict[str, str]]) -> dict[str, EventType]:
    """Check and read the table's rows; raise TypeTableError naming a bad row."""
    table: dict[str, EventType] = {}
    for n, row in enumerate(rows, 1):
        name = row.get("type", "").upper()
        where = f"{TYPES_FILE} row {n} ({name or '?'})"
        if not name.isidentifier() or name == "NONE":
            raise TypeTableError(f"{where}: a type is one upper-case word other than NONE")
        if name in table:
            raise TypeTableError(f"{where}: {name} is listed twice")
        try:
            quad = int(row.get("quad_class") or "")
        except ValueError:
            quad = 0
        if quad not in QUAD_CLASSES:
            raise TypeTableError(f"{where}: quad_class must be 1, 2, 3 or 4")
        if not row.get("cameo", "").isdigit():
            raise TypeTableError(f"{where}: cameo must be the type's generic CAMEO code")
        flags = {f: _flag(row.get(f, ""), f"{where} {f}") for f in FLAGS}
        cameo_quad = row.get("cameo_quad", "")
        if cameo_quad and cameo_quad not in ("1", "2", "3", "4"):
            raise TypeTableError(f"{where}: cameo_quad must be 1, 2, 3 or 4 (or empty)")
        table[name] = EventType(
            type=name, quad_class=quad, quad_name=row.get("quad_name", ""),
            title=row.get("title") or name.title(), cameo=row["cameo"],
            cameo_quad=int(cameo_quad) if cameo_quad else None, **flags,
            intent_type=row.get("intent_type", "").upper() or None,
            intent_cameo=row.get("intent_cameo") or None,
            demand_cameo=row.get("demand_cameo") or None,
            reject_cameo=row.get("reject_cameo") or None,
            implied_source=row.get("implied_source", "").upper() or None,
            implied_target=row.get("implied_target", "").upper() or None,
            aliases=tuple(a.strip().upper() for a in row.get("aliases", "").split("|")
                          if a.strip()),
            acled_default=_pair(row.get("acled_default", ""), f"{where} acled_default"))
    for t in table.values():
        if t.intent_type is not None and t.intent_type not in table:
            raise TypeTableError(f"{TYPES_FILE} ({t.type}): intent_type {t.intent_type} is "
                                 "not a type of the table")
        if t.intent_type is not None and not t.intent_cameo:
            raise TypeTableError(f"{TYPES_FILE} ({t.type}): intent_type needs intent_cameo")
    return table


@functools.cache
def event_types() -> dict[str, EventType]:
    """Every type, in the table's order (read once per process)."""
    return parse(read_tsv(TYPES_FILE))


def type_names() -> tuple[str, ...]:
    return tuple(event_types())


def event_type(name: str) -> EventType | None:
    return event_types().get(name)


@functools.cache
def types_with(flag: str) -> frozenset[str]:
    """The types whose yes/no column ``flag`` says yes."""
    if flag not in FLAGS:
        raise ValueError(f"{flag!r} is not a yes/no column of {TYPES_FILE} ({', '.join(FLAGS)})")
    return frozenset(t.type for t in event_types().values() if getattr(t, flag))


def quad_class(name: str) -> int | None:
    t = event_types().get(name)
    return t.quad_class if t is not None else None


def quad_names() -> dict[int, str]:
    """Quad class -> its name, as the table gives them."""
    return {t.quad_class: t.quad_name for t in event_types().values()}


def aliases() -> dict[str, str]:
    """An older name of a type (PLOVER 0.5's DEMAND, FIGHT ...) -> the type."""
    return {a: t.type for t in event_types().values() for a in t.aliases}
