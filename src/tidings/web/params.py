"""Query parameters shared by the API and the pages, parsed once into an ``EventFilter``.

Dashboard forms submit empty fields as empty strings, so "" always means "not set".
Anything malformed becomes a 400 with a message that names the parameter.

Each string parameter's accepted form is one regular expression (``PATTERNS``), used
both to check the value here and as the ``pattern`` in the OpenAPI schema, so the schema
accepts exactly what the server does. The expressions use ASCII classes only, so that
Python and JavaScript (ECMA) regular expressions read them alike.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from fastapi import HTTPException, Query

from tidings.model import MODALITIES, PLOVER_TYPES
from tidings.store.canonical_queries import CanonicalFilter
from tidings.store.queries import SORTS, EventFilter

# -- limits on free text (docs/security.md lists them) --------------------------------
Q_MAX_CHARS = 500  # a text search longer than this is refused (400)
Q_MAX_TERMS = 20  # so is one with more words: each word is a LIKE test on every row
NAME_MAX_CHARS = 200  # speaker names, document ids and modes in filters
SQL_INT_MAX = 2**63 - 1  # SQLite's and PostgreSQL's BIGINT range


def _either_case(word: str) -> str:
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else re.escape(c) for c in word)


_SPACE = r"[ \t\n\r\f\v]"  # the word separators of a text search
_YEAR = "(?:[0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})"  # 0001-9999
_LEAP = ("(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])"
         "|(?:0[48]|[2468][048]|[13579][26])00)")
_DATE = (f"(?:{_YEAR}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
         "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))"
         f"|{_LEAP}-02-29)")
_FRACTION = r"(?:\.[0-9]{1,6})?"
_LAT = rf"-?(?:90(?:\.0{{1,6}})?|[1-8]?[0-9]{_FRACTION})"
_LON = rf"-?(?:180(?:\.0{{1,6}})?|(?:1[0-7][0-9]|[1-9]?[0-9]){_FRACTION})"
_KM = (r"(?:5000(?:\.0{1,6})?|[1-4][0-9]{3}" + _FRACTION + r"|[1-9][0-9]{0,2}" + _FRACTION
       + r"|0\.0{0,5}[1-9][0-9]{0,5})")  # above 0, at most 5000
_TYPE = "(?:" + "|".join(_either_case(t) for t in PLOVER_TYPES) + ")"
_TYPES = f"(?: *{_TYPE}? *)(?:, *{_TYPE}? *)*"  # comma-separated, blanks between allowed

PATTERNS = {
    "code": "[A-Za-z]{3}",  # a country code: RUS, IGO, NGO ...
    "dyad": "[A-Za-z]{3}-[A-Za-z]{3}",
    "date": _DATE,
    "types": _TYPES,
    "modality": "|".join(MODALITIES),
    "cameo": "[0-9]{1,4}",
    "near": f"{_LAT},{_LON}",
    "radius_km": _KM,
    "sort": "|".join(SORTS),  # plain words: no escapes, which some regex dialects refuse
    "q": f"{_SPACE}*(?:[^ \\t\\n\\r\\f\\v\\x00]+(?:{_SPACE}+|$)){{0,{Q_MAX_TERMS}}}",
    # free text compared for equality or as a substring: anything but NUL, which no
    # stored text holds and PostgreSQL refuses in a query
    "name": "[^\\x00]+",
    "quote_cursor": "[0-9]{1,18}",  # a quote id: always within SQL_INT_MAX
}
_COMPILED = {name: re.compile(p) for name, p in PATTERNS.items()}


def schema_pattern(kind: str) -> str:
    """The OpenAPI pattern of a parameter that may also be empty (= not set)."""
    return f"^(?:{PATTERNS[kind]})?$"


def text_query(description: str, kind: str | None = None, max_length: int | None = None,
               **extra: Any) -> Any:
    """A string query parameter whose schema states the form it must have. The check
    itself is ours (``check``), so that a malformed value is a 400 naming the parameter."""
    schema: dict[str, Any] = {}
    if kind:
        schema["pattern"] = schema_pattern(kind)
    if max_length is not None:
        schema["maxLength"] = max_length
    return Query(description=description, json_schema_extra=schema or None, **extra)


def bad(param: str, message: str) -> HTTPException:
    return HTTPException(status_code=400, detail=f"{param}: {message}")


def check(value: str, kind: str, param: str, message: str) -> str:
    if not _COMPILED[kind].fullmatch(value):
        raise bad(param, message)
    return value


def capped(value: str | None, param: str, max_length: int = NAME_MAX_CHARS) -> str | None:
    if not value:
        return None
    if len(value) > max_length:
        raise bad(param, f"at most {max_length} characters")
    return check(value, "name", param, "no NUL characters")


def iso_date(value: str | None, param: str) -> str | None:
    if not value:
        return None
    check(value, "date", param, f"{value[:40]!r} is not a date (YYYY-MM-DD)")
    return date.fromisoformat(value).isoformat()


def country_code(value: str | None, param: str) -> str | None:
    if not value:
        return None
    check(value, "code", param,
          f"{value[:40]!r} is not a three-letter code such as RUS, IGO or NGO")
    return value.upper()


def parse_dyad(value: str | None) -> tuple[str, str] | None:
    if not value:
        return None
    check(value, "dyad", "dyad", f"{value[:40]!r} is not of the form RUS-UKR")
    a, b = value.upper().split("-")
    return a, b


def parse_types(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    types = tuple(t.strip(" ").upper() for t in value.split(",") if t.strip(" "))
    unknown = [t for t in types if t not in PLOVER_TYPES]
    if unknown:
        raise bad("type", f"unknown PLOVER type(s) {', '.join(u[:40] for u in unknown[:5])}")
    return types


def parse_near(value: str | None) -> tuple[float, float] | None:
    if not value:
        return None
    check(value, "near", "near", f"{value[:40]!r} is not lat,lon (latitude within ±90, "
          "longitude within ±180, at most 6 decimals)")
    lat, lon = (float(x) for x in value.split(","))
    return lat, lon


def parse_radius(value: str | None) -> float:
    if not value:
        return 50.0
    check(value, "radius_km", "radius_km",
          "must be a number above 0 and at most 5000 (at most 6 decimals)")
    return float(value)


def parse_sort(value: str | None) -> str:
    if not value:
        return "date"
    check(value, "sort", "sort", f"choose one of {', '.join(SORTS)}")
    return value


def parse_search(value: str | None, param: str = "q") -> str | None:
    """Words that must all occur: bounded in length and in number of words."""
    if not value:
        return None
    if len(value) > Q_MAX_CHARS:
        raise bad(param, f"at most {Q_MAX_CHARS} characters")
    check(value, "q", param, f"at most {Q_MAX_TERMS} words, and no NUL characters")
    return value


def parse_cameo(value: str | None) -> str | None:
    if not value:
        return None
    check(value, "cameo", "cameo", f"{value[:40]!r} is not a CAMEO code prefix (1-4 digits)")
    return value


def parse_modality(value: str | None) -> str | None:
    if not value:
        return None
    check(value, "modality", "modality", f"choose one of {', '.join(MODALITIES)}")
    return value


def parse_quote_cursor(value: str | None) -> int | None:
    if not value:
        return None
    check(value, "quote_cursor", "cursor", "malformed cursor")
    return int(value)


SortParam = Annotated[str | None, text_query(
    "date (oldest first, undated first) or -date.", "sort")]


# the parameters /api/events and /api/canonical share, declared once
Actor = Annotated[str | None, text_query("Country code on either side.", "code")]
Source = Annotated[str | None, text_query("Source actor country code.", "code")]
Target = Annotated[str | None, text_query("Target actor country code.", "code")]
Dyad = Annotated[str | None, text_query(
    "A-B: source A and target B (with undirected=true, either way round).", "dyad",
    examples=["RUS-UKR"])]
Undirected = Annotated[bool, Query(description="Match a dyad in both directions.")]
Types = Annotated[str | None, text_query("PLOVER event type(s), comma-separated.", "types")]
Since = Annotated[str | None, text_query("First date, YYYY-MM-DD.", "date")]
Until = Annotated[str | None, text_query("Last date, YYYY-MM-DD.", "date")]


def _shared(actor: str | None, source: str | None, target: str | None, dyad: str | None,
            undirected: bool, type: str | None, since: str | None,
            until: str | None) -> dict[str, Any]:
    return dict(actor=country_code(actor, "actor"), source=country_code(source, "source"),
                target=country_code(target, "target"), dyad=parse_dyad(dyad),
                undirected=undirected, types=parse_types(type),
                since=iso_date(since, "since"), until=iso_date(until, "until"))


def event_filter(
    actor: Actor = None, source: Source = None, target: Target = None, dyad: Dyad = None,
    undirected: Undirected = False, type: Types = None,
    mode: Annotated[str | None, text_query(
        "PLOVER mode, e.g. aerial.", "name", max_length=NAME_MAX_CHARS)] = None,
    modality: Annotated[str | None, text_query(
        "asserted, negated, future ...", "modality")] = None,
    cameo: Annotated[str | None, text_query("CAMEO code prefix, e.g. 19.", "cameo")] = None,
    country: Annotated[str | None, text_query("Country where it happened.", "code")] = None,
    since: Since = None, until: Until = None,
    q: Annotated[str | None, text_query(
        f"Words that must all occur in the evidence sentence (case-insensitive substring "
        f"match); at most {Q_MAX_TERMS} words and {Q_MAX_CHARS} characters.", "q",
        max_length=Q_MAX_CHARS)] = None,
    near: Annotated[str | None, text_query("lat,lon of a centre point.", "near")] = None,
    radius_km: Annotated[str | None, text_query(
        "Radius around near, in km (default 50, at most 5000).", "radius_km")] = None,
    document_id: Annotated[str | None, text_query(
        "Events of one document.", "name", max_length=NAME_MAX_CHARS)] = None,
    min_confidence: Annotated[float | None, Query(
        ge=0.0, le=1.0, description="Only events whose calibrated confidence is at least "
                                    "this (0-1; none by default).")] = None,
) -> EventFilter:
    """An empty date range (since after until) simply matches nothing."""
    return EventFilter(
        **_shared(actor, source, target, dyad, undirected, type, since, until),
        mode=capped(mode, "mode"), modality=parse_modality(modality),
        cameo=parse_cameo(cameo), country=country_code(country, "country"), q=parse_search(q),
        near=parse_near(near), radius_km=parse_radius(radius_km),
        document_id=capped(document_id, "document_id"), min_confidence=min_confidence,
    )


def canonical_filter(
    actor: Actor = None, source: Source = None, target: Target = None, dyad: Dyad = None,
    undirected: Undirected = False, type: Types = None, since: Since = None,
    until: Until = None,
    min_articles: Annotated[int | None, Query(
        ge=1, le=SQL_INT_MAX,
        description="Only events reported by at least this many articles.")] = None,
) -> CanonicalFilter:
    """The filters of ``/api/canonical``: they apply to the canonical event's own
    (representative) type, actors and date."""
    return CanonicalFilter(**_shared(actor, source, target, dyad, undirected, type, since,
                                     until), min_articles=min_articles)


def _num(x: float) -> str:
    """A coordinate or radius as the parameter patterns accept it (no exponent)."""
    return f"{x:.6f}".rstrip("0").rstrip(".")


def filter_params(f: EventFilter) -> dict[str, str]:
    """The filter back as query parameters (for next-page and export links)."""
    out = {"actor": f.actor, "source": f.source, "target": f.target,
           "dyad": "-".join(f.dyad) if f.dyad else None,
           "undirected": "true" if f.undirected else None,
           "type": ",".join(f.types) or None, "mode": f.mode, "modality": f.modality,
           "cameo": f.cameo, "country": f.country, "since": f.since, "until": f.until,
           "q": f.q, "near": f"{_num(f.near[0])},{_num(f.near[1])}" if f.near else None,
           "radius_km": _num(f.radius_km) if f.near else None, "document_id": f.document_id}
    return {k: v for k, v in out.items() if v}
