"""The code tables the export formats convert with (``tidings/data/formats/``), read once."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from tidings.data import read_tsv, read_yaml


@dataclass(frozen=True)
class Country:
    iso3: str
    iso_numeric: int | None
    fips: str | None
    cameo: str | None
    name: str
    acled_region: str | None


@dataclass(frozen=True)
class Sector:
    code: str
    cameo_type: str | None
    acled_inter: int | None
    acled_actor: str | None  # a template with {country}, or None: use the actor's name


@functools.cache
def countries() -> dict[str, Country]:
    out = {}
    for r in read_tsv("formats/countries.tsv"):
        out[r["iso3"]] = Country(
            iso3=r["iso3"], iso_numeric=int(r["iso_numeric"]) if r["iso_numeric"] else None,
            fips=r["fips"] or None, cameo=r["cameo"] or None, name=r["name"],
            acled_region=r["acled_region"] or None)
    return out


@functools.cache
def sectors() -> dict[str, Sector]:
    return {r["sector"]: Sector(code=r["sector"], cameo_type=r["cameo_type"] or None,
                                acled_inter=int(r["acled_inter"]) if r["acled_inter"] else None,
                                acled_actor=r["acled_actor"] or None)
            for r in read_tsv("formats/sectors.tsv")}


def country(iso3: str | None) -> Country | None:
    return countries().get(iso3) if iso3 else None


def sector(code: str | None) -> Sector | None:
    return sectors().get(code) if code else None


def settings(fmt: str) -> dict[str, Any]:
    """The YAML file of one format (acled, gdelt, phoenix)."""
    return read_yaml(f"formats/{fmt}.yaml")


def columns(fmt: str) -> list[tuple[str, str]]:
    return [(name, kind) for name, kind in settings(fmt)["columns"]]
