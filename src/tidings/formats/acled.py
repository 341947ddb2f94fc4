"""ACLED's export columns (``acled`` CSV, ``acled-parquet``). Only events that have an ACLED
event type are written; the rest are counted in the report (``ExportReport.left_out``).
Conversions come from ``data/formats/acled.yaml``, ``countries.tsv`` and ``sectors.tsv``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from tidings.formats import ExportReport, Record, codes, register_table_format

NAME = "acled"
REASON = "no ACLED event type"


def keeps(r: Record) -> bool:
    return bool(r.get("acled_event_type"))


def _actor(r: Record, role: str, event_type: str, cfg: dict[str, Any]) -> tuple[Any, Any]:
    """(ACLED actor name, inter code) of the source or target; (None, None) when absent."""
    iso3, sector_code = r.get(f"{role}_country"), r.get(f"{role}_sector")
    name, text = r.get(f"{role}_name"), r.get(f"{role}_text")
    if not (iso3 or sector_code or name or text):
        return None, None
    country = codes.country(iso3)
    cname = country.name if country else None
    sector = codes.sector(sector_code)
    inter = sector.acled_inter if sector else None
    label = None
    if sector and sector.acled_actor and cname:
        label = sector.acled_actor.format(country=cname)
    elif not sector and cname and name == cname:  # the country itself acts: its state
        state = cfg["state_actor"]
        violent = cfg["disorder_type"]["by_event_type"].get(event_type) == "Political violence"
        label = (state["violent"] if violent else state["other"]).format(country=cname)
        inter = state["inter"]
    if label is None:
        label = name or text
    if role == "source":
        inter = cfg["source_inter_by_event_type"].get(event_type, inter)
    return label, inter


def _interaction(inter1: int | None, inter2: int | None) -> int | None:
    # ACLED: the two actor codes, smaller first (17 = state forces vs civilians); one
    # actor alone is its code then 0 (10 = sole state forces action)
    if inter1 is None:
        return None
    if inter2 is None:
        return inter1 * 10
    lo, hi = sorted((inter1, inter2))
    return lo * 10 + hi


def _timestamp(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:  # stored as UTC
        value = value.replace(tzinfo=UTC)
    return int(value.timestamp())


def row(r: Record) -> list[Any]:
    cfg = codes.settings(NAME)
    etype, sub = r["acled_event_type"], r.get("acled_sub_event_type")
    disorder = (cfg["disorder_type"]["by_sub_event_type"].get(sub)
                or cfg["disorder_type"]["by_event_type"].get(etype))
    actor1, inter1 = _actor(r, "source", etype, cfg)
    actor2, inter2 = _actor(r, "target", etype, cfg)
    targeting = cfg["civilian_targeting"]
    civilian = (targeting["label"] if inter2 == targeting["target_inter"]
                and etype in targeting["event_types"] else None)
    place = codes.country(r.get("place_country"))
    day = r.get("date")
    killed = r.get("killed")
    values = {
        "event_id_cnty": f"{r.get('place_country') or ''}{r['id']}",
        "event_date": day, "year": int(day[:4]) if day else None,
        "time_precision": cfg["time_precision"].get(r.get("date_precision")) if day else None,
        "disorder_type": disorder, "event_type": etype, "sub_event_type": sub,
        "actor1": actor1, "assoc_actor_1": None, "inter1": inter1,
        "actor2": actor2, "assoc_actor_2": None, "inter2": inter2,
        "interaction": _interaction(inter1, inter2), "civilian_targeting": civilian,
        "iso": place.iso_numeric if place else None,
        "region": place.acled_region if place else None,
        "country": place.name if place else None,
        "admin1": None, "admin2": None, "admin3": None,
        "location": r.get("place_name"), "latitude": r.get("place_lat"),
        "longitude": r.get("place_lon"),
        "geo_precision": cfg["geo_precision"].get(r.get("place_feature")),
        "source": r.get("document_source"), "source_scale": None, "notes": r.get("sentence"),
        # ACLED codes an event with no reported deaths as 0 fatalities
        "fatalities": killed if killed is not None else 0,
        "tags": None, "timestamp": _timestamp(r.get("document_coded_at")),
    }
    return [values[name] for name, _ in codes.columns(NAME)]


def _rows(records: Iterable[Record], report: ExportReport) -> Iterator[list[Any]]:
    report.reason = REASON
    for r in records:
        if keeps(r):
            yield row(r)
        else:
            report.left_out += 1


register_table_format(NAME, _rows, delimiter=",", description="ACLED export columns",
                      keeps=keeps)
