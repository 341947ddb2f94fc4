"""GDELT 2.0's event table (``gdelt``: tab-separated with a header line; ``gdelt-parquet``).
Actor codes are CAMEO country plus CAMEO type codes; the mention counts come from the
canonical event (``tidings cluster``). Conversions: ``data/formats/gdelt.yaml``,
``countries.tsv``, ``sectors.tsv``."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from tidings.formats import ExportReport, Record, codes, register_table_format

NAME = "gdelt"


def global_event_id(event_id: str) -> int:
    """A stable integer for a tidings id (GDELT ids are integers): the first 60 bits of its
    SHA-256, so the same event has the same id in every export."""
    return int(hashlib.sha256(event_id.encode()).hexdigest()[:15], 16)


def actor_code(iso3: str | None, sector_code: str | None) -> tuple[str | None, str | None]:
    """(CAMEO country code, CAMEO type code); IGO and NGO are CAMEO codes of their own."""
    sector = codes.sector(sector_code)
    type_code = sector.cameo_type if sector else None
    if iso3 in ("IGO", "NGO"):
        return iso3, (type_code if type_code != iso3 else None)
    country = codes.country(iso3)
    return (country.cameo if country else None), type_code


def _actor(r: Record, role: str) -> list[Any]:
    iso3 = r.get(f"{role}_country")
    cameo_country, type_code = actor_code(iso3, r.get(f"{role}_sector"))
    code = (cameo_country or "") + (type_code or "") or None
    country = codes.country(iso3)
    name = r.get(f"{role}_name") or (country.name if country else None)
    country_code = cameo_country if cameo_country not in ("IGO", "NGO") else None
    return [code, name.upper() if name else None, country_code, None, None, None, None,
            type_code, None, None]


def _day(iso: str | None) -> tuple[Any, Any, Any, Any]:
    if not iso or len(iso) < 10:
        return None, None, None, None
    y, m, d = int(iso[:4]), int(iso[5:7]), int(iso[8:10])
    # GDELT's FractionDate: the year plus (month * 30 + day) / 365, to four places
    return y * 10000 + m * 100 + d, y * 100 + m, y, round(y + (m * 30 + d) / 365, 4)


def _action_geo(r: Record) -> list[Any]:
    feature = r.get("place_feature")
    if not r.get("place_name") and r.get("place_lat") is None:
        return [None] * 8
    iso3 = r.get("place_country")
    country = codes.country(iso3)
    types = codes.settings(NAME)["geo_type"].get(feature or "")
    geo_type = types["us" if iso3 == "USA" else "world"] if types else None
    fips = country.fips if country else None
    if feature == "country":
        full = country.name if country else r.get("place_name")
        adm1, feature_id = fips, fips
    else:
        full = ", ".join(x for x in (r.get("place_name"), country.name if country else None)
                         if x)
        admin1 = r.get("place_admin1")
        adm1 = (fips + admin1) if fips and admin1 else fips
        geonameid = r.get("place_geonameid")
        feature_id = str(geonameid) if geonameid is not None else None
    return [geo_type, full, fips, adm1, None, r.get("place_lat"), r.get("place_lon"),
            feature_id]


def _added(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return int(value.strftime("%Y%m%d%H%M%S"))


def row(r: Record) -> list[Any]:
    cameo = r.get("cameo") or None
    day = _day(r.get("date"))
    out: list[Any] = [global_event_id(r["id"]), *day]
    out += _actor(r, "source") + _actor(r, "target")
    out += [r.get("in_lead_paragraph"), cameo, cameo[:3] if cameo else None,
            cameo[:2] if cameo else None, r.get("quad_class"), r.get("goldstein"),
            r.get("num_mentions"), r.get("num_sources"), r.get("num_articles"), None]
    out += [None] * 16  # Actor1Geo_*, Actor2Geo_*: tidings places the event, not the actors
    out += _action_geo(r)
    out += [_added(r.get("document_coded_at")),
            r.get("document_url") or r.get("document_source")]
    return out


def _rows(records: Iterable[Record], report: ExportReport) -> Iterator[list[Any]]:
    return (row(r) for r in records)


register_table_format(NAME, _rows, delimiter="\t", description="GDELT 2.0 event table")
