"""When do two event mentions describe the same real-world event? Rules and their evidence.

A mention is an asserted event coded from one original article (near-copies add no
mentions). Two mentions may link when nothing about them conflicts and enough agrees:

* **type** — the same PLOVER type (``FAMILY`` can widen this; it is empty on purpose:
  ACCUSE about an ASSAULT is a second event, not another view of the first);
* **actors** — each side's country must not differ (IGO/NGO sides also compare names); an
  unknown side is compatible but proves nothing. Types marked ``either_way`` in types.tsv
  (talks, cooperation, agreements) also match with the sides swapped, since "A met B" and
  "B met A" are one event;
* **date** — each mention covers an interval: day [d, d], week [d, d+6], month the whole
  month, publication fallback [p-2, p] (a story with no date usually reports the last day or
  two). Intervals must overlap or be at most ``SLACK_DAYS`` apart, which absorbs time zones
  and "overnight" attacks. Year precision is too coarse to tell events apart: never linked;
* **place** — different countries conflict unless both points are within ``NEAR_KM``; two
  towns more than ``FAR_KM`` apart are two events; the same town (within ``NEAR_KM``) is
  strong agreement, the same country weak. A place taken from the dateline only says where
  the story was filed: it can add weak agreement but never a conflict.

A link needs ``MIN_SCORE``: with ``WEIGHTS`` that is two agreeing facts among source, target
and town, or one of them plus something finer or weaker that also agrees — the same sector
on an agreeing side ("Kenyan police" / "police officers in Kenya"), both dates exact to the
day, or the same country of occurrence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from tidings.event_types import types_with

FAMILY: dict[str, str] = {}  # event type -> merge family; a type not listed is its own family
SLACK_DAYS = 1
NEAR_KM = 50.0
FAR_KM = 150.0
MIN_SCORE = 1.5
WEIGHTS = {"source": 1.0, "target": 1.0, "sector": 0.5, "place_near": 1.0, "place_country": 0.5,
           "day": 0.5}
SPECIFIC_FEATURES = frozenset({"city", "facility"})
INTERNATIONAL = frozenset({"IGO", "NGO"})


def family(event_type: str) -> str:
    return FAMILY.get(event_type, event_type)


@dataclass(frozen=True)
class Side:
    country: str | None = None
    sector: str | None = None
    name: str | None = None

    def label(self) -> str | None:
        if self.country in INTERNATIONAL and self.name:
            return f"{self.country}:{self.name}"
        return self.country


@dataclass(frozen=True)
class Where:
    name: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    feature: str | None = None
    in_sentence: bool = False  # False for a dateline place: where the story was filed

    @property
    def specific(self) -> bool:
        return (self.in_sentence and self.feature in SPECIFIC_FEATURES
                and self.lat is not None and self.lon is not None)


@dataclass(frozen=True)
class Mention:
    event_id: str
    document_id: str
    event_type: str
    cameo: str | None = None
    source: Side = field(default_factory=Side)
    target: Side = field(default_factory=Side)
    date: str | None = None
    precision: str | None = None
    place: Where = field(default_factory=Where)
    published: str | None = None
    outlet: str | None = None

    @property
    def interval(self) -> tuple[date, date] | None:
        return interval(self.date, self.precision)


def interval(day: str | None, precision: str | None) -> tuple[date, date] | None:
    """The days a dated mention may refer to; None when it cannot be placed in time."""
    if not day:
        return None
    try:
        d = date.fromisoformat(day[:10])
    except ValueError:
        return None
    p = precision or "publication"
    if p == "day":
        return d, d
    if p == "week":
        return d, d + timedelta(days=6)
    if p == "month":
        first = d.replace(day=1)
        nxt = (first + timedelta(days=32)).replace(day=1)
        return first, nxt - timedelta(days=1)
    if p == "publication":
        return d - timedelta(days=2), d
    return None  # year or unknown: too coarse


def km(a: Where, b: Where) -> float:
    """Great-circle distance (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, h)))


@dataclass
class Comparison:
    """How two mentions relate: a veto reason, or a score and per-field evidence."""

    score: float = 0.0
    veto: str | None = None
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    swapped: bool = False

    @property
    def linked(self) -> bool:
        return self.veto is None and self.score >= MIN_SCORE

    @property
    def gap_days(self) -> int | None:
        return self.fields.get("date", {}).get("gap_days")

    def to_dict(self) -> dict[str, Any]:
        return {"score": self.score, "veto": self.veto, "swapped": self.swapped,
                "fields": self.fields}


def _side(a: Side, b: Side) -> dict[str, Any]:
    out: dict[str, Any] = {"values": [a.label(), b.label()]}
    if a.country is None or b.country is None:
        out["status"] = "unknown"
    elif a.country != b.country:
        out["status"] = "conflict"
    elif a.country in INTERNATIONAL and a.name and b.name and a.name != b.name:
        out["status"] = "conflict"
    else:
        out["status"] = "agree"
        if a.sector and b.sector:
            out["sector"] = "agree" if a.sector == b.sector else "differ"
    return out


def _date(a: Mention, b: Mention) -> dict[str, Any]:
    out: dict[str, Any] = {"values": [a.date, b.date], "precision": [a.precision, b.precision]}
    ia, ib = a.interval, b.interval
    if ia is None or ib is None:
        out["status"] = "too_coarse"
        return out
    gap = max(0, (ib[0] - ia[1]).days, (ia[0] - ib[1]).days)
    out["gap_days"] = gap
    if gap > SLACK_DAYS:
        out["status"] = "conflict"
    elif a.precision == b.precision == "day":
        out["status"] = "agree"
    else:
        out["status"] = "compatible"
    return out


def _place(a: Where, b: Where) -> dict[str, Any]:
    out: dict[str, Any] = {"values": [a.name, b.name],
                           "from_text": [a.in_sentence, b.in_sentence]}
    if a.country is None or b.country is None:
        out["status"] = "unknown"
        return out
    dist = round(km(a, b), 1) if a.specific and b.specific else None
    if dist is not None:
        out["km"] = dist
    if not (a.in_sentence and b.in_sentence):
        # a dateline is where the story was filed: it may support, never contradict
        same = a.country == b.country or (
            a.lat is not None and b.lat is not None and km(a, b) <= NEAR_KM)
        out["status"] = "dateline_agree" if same else "unknown"
    elif dist is not None and dist <= NEAR_KM:
        out["status"] = "near"
    elif a.country != b.country:
        out["status"] = "conflict"
    elif dist is not None and dist > FAR_KM:
        out["status"] = "far"
    else:
        out["status"] = "same_country"
    return out


def _score(fields: dict[str, dict[str, Any]]) -> tuple[float, str | None]:
    for name, status in (("date", "conflict"), ("date", "too_coarse"), ("source", "conflict"),
                         ("target", "conflict"), ("place", "conflict"), ("place", "far")):
        if fields[name]["status"] == status:
            return 0.0, f"{name} {status}"
    score = sum(WEIGHTS[s] for s in ("source", "target") if fields[s]["status"] == "agree")
    score += sum(WEIGHTS["sector"] for s in ("source", "target")
                 if fields[s].get("sector") == "agree")
    score += {"near": WEIGHTS["place_near"], "same_country": WEIGHTS["place_country"],
              "dateline_agree": WEIGHTS["place_country"]}.get(fields["place"]["status"], 0.0)
    score += WEIGHTS["day"] if fields["date"]["status"] == "agree" else 0.0
    return score, None


def compare(a: Mention, b: Mention) -> Comparison:
    """Compare two mentions field by field; symmetric types also try the sides swapped."""
    if family(a.event_type) != family(b.event_type):
        return Comparison(veto="type conflict",
                          fields={"type": {"status": "conflict",
                                           "values": [a.event_type, b.event_type]}})
    common = {"type": {"status": "agree" if a.event_type == b.event_type else "family",
                       "values": [a.event_type, b.event_type]},
              "date": _date(a, b), "place": _place(a.place, b.place)}
    best: Comparison | None = None
    either_way = types_with("either_way")
    orientations = [False, True] if a.event_type in either_way and b.event_type in either_way \
        else [False]
    for swap in orientations:
        bs, bt = (b.target, b.source) if swap else (b.source, b.target)
        fields = {**common, "source": _side(a.source, bs), "target": _side(a.target, bt)}
        score, veto = _score(fields)
        cand = Comparison(score=score, veto=veto, fields=fields, swapped=swap)
        if best is None or (best.veto is not None and veto is None) or (
                (best.veto is None) == (veto is None) and score > best.score):
            best = cand
    assert best is not None
    return best
