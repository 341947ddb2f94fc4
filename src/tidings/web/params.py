"""Query parameters shared by the API and the pages, parsed once into an ``EventFilter``.

Dashboard forms submit empty fields as empty strings, so "" always means "not set".
Anything malformed becomes a 400 with a message that names the parameter.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from fastapi import HTTPException, Query

from tidings.model import MODALITIES, PLOVER_TYPES
from tidings.store.canonical_queries import CanonicalFilter
from tidings.store.queries import SORTS, EventFilter

_CODE = re.compile(r"^[A-Za-z]{3}$")


def bad(param: str, message: str) -> HTTPException:
    return HTTPException(status_code=400, detail=f"{param}: {message}")


def iso_date(value: str | None, param: str) -> str | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise bad(param, f"{value!r} is not a date (YYYY-MM-DD)") from None


def country_code(value: str | None, param: str) -> str | None:
    if not value:
        return None
    if not _CODE.match(value):
        raise bad(param, f"{value!r} is not a three-letter code such as RUS, IGO or NGO")
    return value.upper()


def parse_dyad(value: str | None) -> tuple[str, str] | None:
    if not value:
        return None
    parts = value.split("-")
    if len(parts) != 2:
        raise bad("dyad", f"{value!r} is not of the form RUS-UKR")
    return country_code(parts[0], "dyad"), country_code(parts[1], "dyad")  # type: ignore


def parse_types(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    types = tuple(t.strip().upper() for t in value.split(",") if t.strip())
    unknown = [t for t in types if t not in PLOVER_TYPES]
    if unknown:
        raise bad("type", f"unknown PLOVER type(s) {', '.join(unknown)}")
    return types


def parse_near(value: str | None) -> tuple[float, float] | None:
    if not value:
        return None
    try:
        lat, lon = (float(x) for x in value.split(","))
    except ValueError:
        raise bad("near", f"{value!r} is not lat,lon") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise bad("near", "latitude must be within ±90 and longitude within ±180")
    return lat, lon


def parse_radius(value: str | None) -> float:
    if not value:
        return 50.0
    try:
        km = float(value)
    except ValueError:
        raise bad("radius_km", f"{value!r} is not a number") from None
    if not 0 < km <= 5000:
        raise bad("radius_km", "must be above 0 and at most 5000")
    return km


def parse_sort(value: str | None) -> str:
    if not value:
        return "date"
    if value not in SORTS:
        raise bad("sort", f"choose one of {', '.join(SORTS)}")
    return value


def event_filter(
    actor: Annotated[str | None, Query(description="Country code on either side.")] = None,
    source: Annotated[str | None, Query(description="Source actor country code.")] = None,
    target: Annotated[str | None, Query(description="Target actor country code.")] = None,
    dyad: Annotated[str | None, Query(
        description="A-B: source A and target B (with undirected=true, either way round).",
        examples=["RUS-UKR"])] = None,
    undirected: Annotated[bool, Query(description="Match a dyad in both directions.")] = False,
    type: Annotated[str | None, Query(
        description="PLOVER event type(s), comma-separated.")] = None,
    mode: Annotated[str | None, Query(description="PLOVER mode, e.g. aerial.")] = None,
    modality: Annotated[str | None, Query(description="asserted, negated, future ...")] = None,
    cameo: Annotated[str | None, Query(description="CAMEO code prefix, e.g. 19.")] = None,
    country: Annotated[str | None, Query(description="Country where it happened.")] = None,
    since: Annotated[str | None, Query(description="First date, YYYY-MM-DD.")] = None,
    until: Annotated[str | None, Query(description="Last date, YYYY-MM-DD.")] = None,
    q: Annotated[str | None, Query(
        description="Words that must all occur in the evidence sentence "
                    "(case-insensitive substring match).")] = None,
    near: Annotated[str | None, Query(description="lat,lon of a centre point.")] = None,
    radius_km: Annotated[str | None, Query(
        description="Radius around near, in km (default 50, at most 5000).")] = None,
    document_id: Annotated[str | None, Query(description="Events of one document.")] = None,
    min_confidence: Annotated[float | None, Query(
        ge=0.0, le=1.0, description="Only events whose calibrated confidence is at least "
                                    "this (0-1; none by default).")] = None,
) -> EventFilter:
    if cameo and not cameo.isdigit():
        raise bad("cameo", f"{cameo!r} is not a CAMEO code prefix (digits)")
    if modality and modality not in MODALITIES:
        raise bad("modality", f"choose one of {', '.join(MODALITIES)}")
    f = EventFilter(
        actor=country_code(actor, "actor"), source=country_code(source, "source"),
        target=country_code(target, "target"), dyad=parse_dyad(dyad), undirected=undirected,
        types=parse_types(type), mode=mode or None, modality=modality or None,
        cameo=cameo or None, country=country_code(country, "country"),
        since=iso_date(since, "since"), until=iso_date(until, "until"), q=q or None,
        near=parse_near(near), radius_km=parse_radius(radius_km),
        document_id=document_id or None, min_confidence=min_confidence,
    )
    if f.since and f.until and f.since > f.until:
        raise bad("since", "since is after until")
    return f


def canonical_filter(
    actor: Annotated[str | None, Query(description="Country code on either side.")] = None,
    source: Annotated[str | None, Query(description="Source actor country code.")] = None,
    target: Annotated[str | None, Query(description="Target actor country code.")] = None,
    dyad: Annotated[str | None, Query(
        description="A-B: source A and target B (with undirected=true, either way round).",
        examples=["RUS-UKR"])] = None,
    undirected: Annotated[bool, Query(description="Match a dyad in both directions.")] = False,
    type: Annotated[str | None, Query(
        description="PLOVER event type(s), comma-separated.")] = None,
    since: Annotated[str | None, Query(description="First event date, YYYY-MM-DD.")] = None,
    until: Annotated[str | None, Query(description="Last event date, YYYY-MM-DD.")] = None,
    min_articles: Annotated[int | None, Query(
        ge=1, description="Only events reported by at least this many articles.")] = None,
) -> CanonicalFilter:
    """The filters of ``/api/canonical``: they apply to the canonical event's own
    (representative) type, actors and date."""
    f = CanonicalFilter(
        actor=country_code(actor, "actor"), source=country_code(source, "source"),
        target=country_code(target, "target"), dyad=parse_dyad(dyad), undirected=undirected,
        types=parse_types(type), since=iso_date(since, "since"), until=iso_date(until, "until"),
        min_articles=min_articles)
    if f.since and f.until and f.since > f.until:
        raise bad("since", "since is after until")
    return f


def filter_params(f: EventFilter) -> dict[str, str]:
    """The filter back as query parameters (for next-page and export links)."""
    out = {"actor": f.actor, "source": f.source, "target": f.target,
           "dyad": "-".join(f.dyad) if f.dyad else None,
           "undirected": "true" if f.undirected else None,
           "type": ",".join(f.types) or None, "mode": f.mode, "modality": f.modality,
           "cameo": f.cameo, "country": f.country, "since": f.since, "until": f.until,
           "q": f.q, "near": f"{f.near[0]},{f.near[1]}" if f.near else None,
           "radius_km": str(f.radius_km) if f.near else None, "document_id": f.document_id}
    return {k: v for k, v in out.items() if v}
