"""Coded articles as flat table rows, and back, with Parquet schemas.

The columns are the store's own (`tidings.store.schema`), minus the autoincrement ids, so
a batch dataset reads like the database: actors and places flattened into
``source_country``, ``place_lat`` ..., and ``extra`` kept as JSON text. DuckDB, pandas,
Polars and Spark read the files as they are. The reverse direction rebuilds the model
objects so that `tidings load` stores them through the run service (``tidings.runs``).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import DateTime, Float, Integer

from tidings.model import (
    Article,
    CodedArticle,
    Entity,
    Quantity,
    Quote,
    Rejected,
    Timex,
    Toponym,
)
from tidings.store import schema as db
from tidings.store.rows import (
    actor_of,
    document_row,
    entity_row,
    error_row,
    event_of,
    event_row,
    place_rows,
    quantity_rows,
    quote_rows,
    time_rows,
)

# documents last: a partition counts as done only when all of them exist
DATASETS = ("errors", "events", "quotes", "quantities", "times", "entities", "places",
            "documents")
# datasets an output written before they existed may lack: its partitions still load
LATER_DATASETS = ("times", "places")
Rows = dict[str, list[dict[str, Any]]]


def _arrow_type(column: Any) -> pa.DataType:
    if isinstance(column.type, Integer):
        return pa.int64()
    if isinstance(column.type, Float):
        return pa.float64()
    if isinstance(column.type, DateTime):
        return pa.timestamp("us", tz="UTC")
    return pa.string()


def _schema(table: Any) -> pa.Schema:
    keep = [c for c in table.columns if not (c.primary_key and isinstance(c.type, Integer))]
    return pa.schema([pa.field(c.name, _arrow_type(c)) for c in keep])


SCHEMAS: dict[str, pa.Schema] = {name: _schema(getattr(db, name)) for name in DATASETS}


def empty_rows() -> Rows:
    return {name: [] for name in DATASETS}


# -- model -> rows ------------------------------------------------------------------------


def add_coded(rows: Rows, coded: CodedArticle, version: str, now: datetime) -> None:
    a = coded.article
    doc_id = a.ensure_id()
    # the store's own row builders, so `tidings load` stores exactly these rows
    rows["documents"].append({**document_row(coded, doc_id, version), "coded_at": now})
    rows["events"].extend(event_row(ev, doc_id, a.published) for ev in coded.events)
    rows["entities"].extend(entity_row(en, doc_id) for en in coded.entities)
    rows["quotes"].extend(quote_rows(coded, doc_id))
    rows["quantities"].extend(quantity_rows(coded, doc_id))
    rows["times"].extend(time_rows(coded, doc_id))
    rows["places"].extend(place_rows(coded, doc_id))


def add_error(rows: Rows, rej: Rejected, now: datetime) -> None:
    rows["errors"].append({**error_row(rej), "created_at": now})


# -- rows -> model ------------------------------------------------------------------------


def coded_of(doc: dict[str, Any], children: dict[str, list[dict[str, Any]]]) -> CodedArticle:
    """Rebuild one CodedArticle from its document row and its child rows."""
    article = Article(text=doc["text"], id=doc["id"], title=doc["title"],
                      published=doc["published"], source=doc["source"], url=doc["url"],
                      origin=doc["origin"])
    return CodedArticle(
        article=article,
        events=[event_of(r) for r in children.get("events", [])],
        entities=[Entity(text=r["text"], label=r["label"], span=(r["span_start"], r["span_end"]),
                         country=r["country"], sector=r["sector"], name=r["name"])
                  for r in children.get("entities", [])],
        quotes=[Quote(text=r["text"], span=(r["span_start"], r["span_end"]),
                      speaker=r["speaker"], speaker_actor=actor_of(r, "speaker_actor"),
                      kind=r["kind"]) for r in children.get("quotes", [])],
        quantities=[Quantity(text=r["text"], value=r["value"], unit=r["unit"],
                             counts=r["counts"], span=(r["span_start"], r["span_end"]))
                    for r in children.get("quantities", [])],
        times=[Timex(text=r["text"], span=(r["span_start"], r["span_end"]), type=r["type"],
                     value=r["value"], mod=r["mod"], anchor=r["anchor"], age=bool(r["age"]),
                     range_end=r["range_end"]) for r in children.get("times", [])],
        places=[Toponym(text=r["text"], span=(r["span_start"], r["span_end"]), name=r["name"],
                        feature=r["feature"], geonameid=r["geonameid"], country=r["country"],
                        admin1=r["admin1"], lat=r["lat"], lon=r["lon"],
                        confidence=r["confidence"], use=r["use"], kind=r["kind"])
                for r in children.get("places", [])],
    )


def rejected_of(row: dict[str, Any]) -> Rejected:
    return Rejected(origin=row["origin"], reason=row["reason"], detail=row["detail"] or "",
                    article_id=row["article_id"])


# -- files ----------------------------------------------------------------------------------


def part_path(out: str | Path, dataset: str, name: str) -> Path:
    return Path(out) / dataset / f"{name}.parquet"


def write_rows(out: str | Path, name: str, rows: Rows) -> None:
    """One file per dataset, each written under a private name and renamed into place, so a
    reader (or a retry after a lost worker) never sees half a file."""
    for dataset in DATASETS:
        final = part_path(out, dataset, name)
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = final.with_name(f".{name}.{uuid.uuid4().hex}.tmp")
        try:
            table = pa.Table.from_pylist(rows[dataset], schema=SCHEMAS[dataset])
            pq.write_table(table, tmp)
            os.replace(tmp, final)
        finally:
            tmp.unlink(missing_ok=True)


def is_done(out: str | Path, name: str) -> bool:
    return all(part_path(out, d, name).exists() for d in DATASETS)


def read_rows(path: Path) -> list[dict[str, Any]]:
    return pq.read_table(path).to_pylist()


def count_rows(paths: Iterable[Path]) -> int:
    return sum(pq.ParquetFile(p).metadata.num_rows for p in paths)


def utcnow() -> datetime:
    return datetime.now(UTC)
