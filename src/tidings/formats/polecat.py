"""PLOVER/POLECAT-style JSON (``polecat``): one event object per line, with the PLOVER
event type, mode and contexts, the actor and recipient (country, sector, names), the dates
and the location with its GeoNames id. Fields that are tidings' own (CAMEO code, modality,
evidence) sit under ``tidings``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from tidings.formats import ExportReport, Record, register_renderer

LANGUAGE = "en"  # the pipeline codes English text only
_SPLIT = re.compile(r"[;,|]\s*")


def _actor(r: Record, role: str) -> dict[str, Any] | None:
    keys = ("name", "country", "sector", "text")
    if all(r.get(f"{role}_{k}") is None for k in keys):
        return None
    return {"name": r.get(f"{role}_name"), "country": r.get(f"{role}_country"),
            "sector": r.get(f"{role}_sector"), "name_raw": r.get(f"{role}_text")}


def _location(r: Record) -> dict[str, Any] | None:
    if r.get("place_name") is None and r.get("place_lat") is None:
        return None
    return {"placename": r.get("place_name"), "country": r.get("place_country"),
            "admin1": r.get("place_admin1"), "latitude": r.get("place_lat"),
            "longitude": r.get("place_lon"), "geonames_id": r.get("place_geonameid"),
            "feature_type": r.get("place_feature"), "placename_raw": r.get("place_text")}


def event(r: Record) -> dict[str, Any]:
    conf = r.get("confidence")
    return {
        "event_id": r["id"],
        "event_date": r.get("date"),
        "story_date": r.get("document_published"),
        "event_type": r["event_type"],
        "event_mode": r.get("mode") or None,
        "contexts": [c for c in _SPLIT.split(r.get("context") or "") if c],
        "quad_class": r.get("quad_class"),
        "actor": _actor(r, "source"),
        "recipient": _actor(r, "target"),
        "location": _location(r),
        "source": r.get("document_source"),
        "url": r.get("document_url"),
        "language": LANGUAGE,
        "tidings": {
            "document_id": r.get("document_id"), "cameo": r.get("cameo") or None,
            "modality": r.get("modality"), "goldstein": r.get("goldstein"),
            "confidence": round(conf, 3) if conf is not None else None,
            "sentence": r.get("sentence"), "date_precision": r.get("date_precision"),
            "num_mentions": r.get("num_mentions"), "num_sources": r.get("num_sources"),
            "num_articles": r.get("num_articles"),
        },
    }


def render(records: Iterable[Record], report: ExportReport) -> Iterator[bytes]:
    for r in records:
        yield json.dumps(event(r), ensure_ascii=False).encode() + b"\n"


register_renderer("polecat", render, media_type="application/x-ndjson", extension="jsonl",
                  description="PLOVER/POLECAT-style JSON, one event per line")
