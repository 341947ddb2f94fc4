"""Model objects to table rows and back, and rows to JSON and flat rows: the only place
that knows the column layout (event <-> row <-> dict).

Text bound for the database goes through ``clean``: PostgreSQL rejects NUL characters in
text, and replacing each by a space (not deleting it) keeps every stored span valid.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from tidings.model import Actor, CodedArticle, Entity, Event, Place, Rejected


def clean(value: Any) -> Any:
    if isinstance(value, str) and "\x00" in value:
        return value.replace("\x00", " ")
    return value


def cleaned(row: dict[str, Any]) -> dict[str, Any]:
    # rows are built per event: copy only the rare row that holds a NUL (a plain loop:
    # this runs for every value of every row stored)
    for v in row.values():
        if isinstance(v, str) and "\x00" in v:
            return {k: clean(v) for k, v in row.items()}
    return row


def document_row(coded: CodedArticle, doc_id: str, pipeline_version: str) -> dict[str, Any]:
    a = coded.article
    return cleaned({
        "id": doc_id, "content_hash": a.content_hash, "title": a.title, "text": a.text,
        "published": a.published, "source": a.source, "url": a.url, "origin": a.origin,
        "n_events": len(coded.events), "coded_at": datetime.now(UTC),
        "pipeline_version": pipeline_version or None,
    })  # fmt: skip


def actor_cols(role: str, actor: Actor | None, with_span: bool = True) -> dict[str, Any]:
    row: dict[str, Any] = {
        f"{role}_text": actor.text if actor else None,
        f"{role}_name": actor.name if actor else None,
        f"{role}_country": actor.country if actor else None,
        f"{role}_sector": actor.sector if actor else None,
    }
    if with_span:
        span = actor.span if actor and actor.span else (None, None)
        row[f"{role}_start"], row[f"{role}_end"] = span
    return row


_PLACE_KEYS = ("name", "country", "admin1", "lat", "lon", "geonameid", "feature", "text",
               "start", "end")


def place_cols(place: Place | None) -> dict[str, Any]:
    # every row needs every key: an executemany takes its columns from the first row
    if place is None:
        return {f"place_{k}": None for k in _PLACE_KEYS}
    span = place.span or (None, None)
    return {"place_name": place.name, "place_country": place.country,
            "place_admin1": place.admin1, "place_lat": place.lat, "place_lon": place.lon,
            "place_geonameid": place.geonameid, "place_feature": place.feature,
            "place_text": place.text, "place_start": span[0], "place_end": span[1]}


def event_row(ev: Event, doc_id: str, published: str | None) -> dict[str, Any]:
    # the typed fields after `location` (intended type, casualties, ACLED, main) are kept
    # in `extra` as well, as Event.to_dict writes them
    extras = ev.extras()
    return cleaned({
        **place_cols(ev.location),
        "date_precision": ev.date_precision,
        "date_text": ev.date_text,
        "acled_event_type": ev.acled.event_type if ev.acled else None,
        "acled_sub_event_type": ev.acled.sub_event_type if ev.acled else None,
        "killed": ev.killed,
        "injured": ev.injured,
        "id": ev.id,
        "document_id": doc_id,
        "event_type": ev.event_type,
        "mode": ev.mode,
        "context": ev.context,
        "cameo": ev.cameo,
        "quad_class": ev.quad_class,
        "goldstein": ev.goldstein,
        **actor_cols("source", ev.source),
        **actor_cols("target", ev.target),
        "modality": ev.modality,
        **actor_cols("reporter", ev.reporter, with_span=False),
        "sentence": ev.sentence,
        "span_start": ev.span[0],
        "span_end": ev.span[1],
        "trigger": ev.trigger,
        "trigger_start": ev.trigger_span[0],
        "trigger_end": ev.trigger_span[1],
        "confidence": ev.confidence,
        "date": iso(ev.date) if ev.date else published,
        "extra": json.dumps(extras, ensure_ascii=False, default=str) if extras else None,
    })


def entity_row(en: Entity, doc_id: str) -> dict[str, Any]:
    return cleaned({"document_id": doc_id, "text": en.text, "label": en.label,
                    "span_start": en.span[0], "span_end": en.span[1], "country": en.country,
                    "sector": en.sector, "name": en.name})


def quote_rows(coded: CodedArticle, doc_id: str) -> list[dict[str, Any]]:
    return [cleaned({"document_id": doc_id, "text": q.text, "span_start": q.span[0],
                     "span_end": q.span[1], "speaker": q.speaker, "kind": q.kind,
                     **actor_cols("speaker_actor", q.speaker_actor, with_span=False)})
            for q in coded.quotes]  # fmt: skip


def quantity_rows(coded: CodedArticle, doc_id: str) -> list[dict[str, Any]]:
    return [cleaned({"document_id": doc_id, "text": q.text, "value": q.value, "unit": q.unit,
                     "counts": q.counts, "span_start": q.span[0], "span_end": q.span[1]})
            for q in coded.quantities]  # fmt: skip


def time_rows(coded: CodedArticle, doc_id: str) -> list[dict[str, Any]]:
    return [cleaned({"document_id": doc_id, "text": t.text, "span_start": t.span[0],
                     "span_end": t.span[1], "type": t.type, "value": t.value, "mod": t.mod,
                     "anchor": t.anchor, "age": 1 if t.age else None,
                     "range_end": t.range_end})
            for t in coded.times]  # fmt: skip


def time_dict(m: Mapping[str, Any]) -> dict[str, Any]:
    """A stored time row as CodedArticle.to_dict writes it."""
    d = {"text": m["text"], "span": [m["span_start"], m["span_end"]], "type": m["type"],
         "value": m["value"], "mod": m["mod"], "anchor": m["anchor"]}
    if m["age"]:
        d["age"] = True
    if m["range_end"] is not None:
        d["range_end"] = m["range_end"]
    return d


def place_rows(coded: CodedArticle, doc_id: str) -> list[dict[str, Any]]:
    return [cleaned({"document_id": doc_id, "text": p.text, "span_start": p.span[0],
                     "span_end": p.span[1], "name": p.name, "feature": p.feature,
                     "geonameid": p.geonameid, "country": p.country, "admin1": p.admin1,
                     "lat": p.lat, "lon": p.lon, "confidence": p.confidence, "use": p.use,
                     "kind": p.kind})
            for p in coded.places]  # fmt: skip


def error_row(rej: Rejected) -> dict[str, Any]:
    return cleaned({"origin": rej.origin, "reason": rej.reason, "detail": rej.detail,
                    "article_id": rej.article_id, "created_at": datetime.now(UTC)})


def iso(value: str | date) -> str:
    """Dates as YYYY-MM-DD so string comparison is date comparison; odd strings kept as is."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    s = str(value).strip()
    try:
        return datetime.fromisoformat(s).date().isoformat()
    except ValueError:
        return s


def utc_iso(ts: datetime | None) -> str | None:
    """SQLite hands back naive datetimes; they were written as UTC."""
    if ts is None:
        return None
    return (ts if ts.tzinfo else ts.replace(tzinfo=UTC)).isoformat()


def actor_dict(m: Mapping[str, Any], role: str) -> dict[str, Any] | None:
    keys = ("text", "name", "country", "sector")
    if all(m.get(f"{role}_{k}") is None for k in keys):
        return None
    d: dict[str, Any] = {k: m.get(f"{role}_{k}") for k in keys}
    if m.get(f"{role}_start") is not None:
        d["span"] = [m[f"{role}_start"], m[f"{role}_end"]]
    return d


def place_dict(m: Mapping[str, Any]) -> dict[str, Any] | None:
    if m.get("place_name") is None and m.get("place_lat") is None:
        return None
    d = {k: m.get(f"place_{k}") for k in
         ("name", "country", "admin1", "lat", "lon", "geonameid", "feature", "text")}
    d["span"] = [m["place_start"], m["place_end"]] if m.get("place_start") is not None else None
    return d


def event_dict(m: Mapping[str, Any]) -> dict[str, Any]:
    """A stored event as JSON: the one shape of the CLI (``--format jsonl``), the API and
    ``Store.events``. ``Event.to_dict()``'s fields, with the keys of ``Event.extra`` that
    have columns (ACLED type, casualties) as fields and the rest under ``extra``; plus its
    document's id (and title, and ``distance_km`` from a ``near`` point, when queried)."""
    conf = m.get("confidence")
    d: dict[str, Any] = {
        "id": m["id"], "document_id": m["document_id"], "date": m["date"],
        "date_precision": m.get("date_precision"), "date_text": m.get("date_text"),
        "event_type": m["event_type"], "mode": m.get("mode"), "context": m.get("context"),
        "cameo": m.get("cameo"), "quad_class": m.get("quad_class"),
        "goldstein": m.get("goldstein"), "source": actor_dict(m, "source"),
        "target": actor_dict(m, "target"), "modality": m.get("modality"),
        "reporter": actor_dict(m, "reporter"), "sentence": m.get("sentence"),
        "span": [m.get("span_start"), m.get("span_end")], "trigger": m.get("trigger"),
        "trigger_span": [m.get("trigger_start"), m.get("trigger_end")],
        "confidence": round(conf, 3) if conf is not None else None,
        "location": place_dict(m), "acled_event_type": m.get("acled_event_type"),
        "acled_sub_event_type": m.get("acled_sub_event_type"),
        "killed": m.get("killed"), "injured": m.get("injured"),
    }
    if m.get("extra"):
        try:
            d["extra"] = json.loads(m["extra"])
        except ValueError:
            d["extra"] = None
    for key in ("document_title", "distance_km"):
        if key in m:
            d[key] = m[key]
    return d


def _span(m: Mapping[str, Any], prefix: str) -> tuple[int, int] | None:
    start = m.get(f"{prefix}_start")
    return None if start is None else (start, m[f"{prefix}_end"])


def actor_of(m: Mapping[str, Any], role: str) -> Actor | None:
    text, name, country, sector = (m[f"{role}_{k}"] for k in ("text", "name", "country",
                                                               "sector"))
    if text is None and name is None and country is None and sector is None:
        return None
    return Actor(text=text or "", name=name, country=country, sector=sector,
                 span=_span(m, role))


def event_of(m: Mapping[str, Any]) -> Event:
    """A stored event row back as the ``Event`` that ``event_row`` wrote."""
    place = None
    if m["place_name"] is not None:
        place = Place(name=m["place_name"], country=m["place_country"],
                      admin1=m["place_admin1"], lat=m["place_lat"], lon=m["place_lon"],
                      geonameid=m["place_geonameid"], feature=m["place_feature"],
                      text=m["place_text"], span=_span(m, "place"))
    return Event(
        id=m["id"], event_type=m["event_type"], cameo=m["cameo"], mode=m["mode"],
        context=m["context"], quad_class=m["quad_class"], goldstein=m["goldstein"],
        source=actor_of(m, "source"), target=actor_of(m, "target"),
        modality=m["modality"], reporter=actor_of(m, "reporter"),
        sentence=m["sentence"], span=(m["span_start"], m["span_end"]),
        trigger=m["trigger"], trigger_span=(m["trigger_start"], m["trigger_end"]),
        confidence=m["confidence"], date=m["date"], date_precision=m["date_precision"],
        date_text=m["date_text"], location=place,
        **Event.fields_of_extras(json.loads(m["extra"]) if m["extra"] else {}),
    )


# The flat row of a stored event: tidings' own CSV and Parquet columns (CLI, API, exports)
# and the columns of ``tidings events``' table. (name, int | float | str)
FLAT_COLUMNS: tuple[tuple[str, str], ...] = tuple(
    (name, "int" if name in ("quad_class", "killed", "injured")
     else "float" if name in ("goldstein", "place_lat", "place_lon", "confidence") else "str")
    for name in (
        "id", "document_id", "date", "date_precision", "event_type", "mode", "context",
        "cameo", "quad_class", "goldstein", "modality", "source_country", "source_sector",
        "source_name", "source_text", "target_country", "target_sector", "target_name",
        "target_text", "reporter_country", "reporter_text", "trigger", "sentence",
        "place_name", "place_country", "place_lat", "place_lon", "acled_event_type",
        "acled_sub_event_type", "killed", "injured", "confidence",
    ))  # fmt: skip
FLAT_FIELDS = tuple(name for name, _ in FLAT_COLUMNS)


def flat_event(m: Mapping[str, Any]) -> list[Any]:
    """A stored event row (or a record holding its columns) as the values of FLAT_FIELDS."""
    return [m.get(name) for name in FLAT_FIELDS]


def quote_dict(m: Mapping[str, Any]) -> dict[str, Any]:
    return {"document_id": m["document_id"], "text": m["text"],
            "span": [m["span_start"], m["span_end"]], "speaker": m["speaker"],
            "speaker_actor": actor_dict(m, "speaker_actor"), "kind": m["kind"],
            "title": m["title"], "published": m["published"]}
