"""JSON API. Each route builds one dict from ``tidings.store.queries`` and returns it."""

from __future__ import annotations

import secrets
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field
from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from tidings.confidence import DEFAULT_MIN_CONFIDENCE, filter_confidence
from tidings.store import canonical_queries, queries
from tidings.store.canonical_queries import CanonicalFilter
from tidings.store.queries import EventFilter
from tidings.web import export
from tidings.web.app import connection
from tidings.web.params import (
    bad,
    canonical_filter,
    country_code,
    event_filter,
    iso_date,
    parse_sort,
)

router = APIRouter(prefix="/api")
Conn = Annotated[Connection, Depends(connection)]
Filter = Annotated[EventFilter, Depends(event_filter)]
CFilter = Annotated[CanonicalFilter, Depends(canonical_filter)]
Limit = Annotated[int, Query(ge=1, le=1000, description="Page size.")]
Cursor = Annotated[str | None, Query(description="next_cursor of the previous page.")]
Sort = Annotated[str | None, Query(description="date (oldest first, undated first) or -date.")]
Format = Literal["json", "csv", "jsonl", "parquet"]


def _stream(request: Request, f: EventFilter, sort: str, fmt: str) -> StreamingResponse:
    rows = queries.iter_event_rows(request.app.state.engine, f, sort)
    return StreamingResponse(
        export.stream(fmt, rows), media_type=export.FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="events.{fmt}"'})


@router.get("/events", summary="List event mentions (filtered, paged, or exported)")
def events(request: Request, conn: Conn, f: Filter, limit: Limit = 50, cursor: Cursor = None,
           sort: Sort = None, total: bool = False, format: Format = "json") -> Any:
    """Event **mentions** in (date, id) order: one row per event per article, so a real-world
    event reported by five outlets appears five times. For the deduplicated view (one row
    per real-world event, with `num_articles`, `num_sources`, `num_mentions`) use
    `GET /api/canonical`. With `format=csv|jsonl|parquet` the whole result (all pages) is
    streamed as a file and `limit`/`cursor` are ignored."""
    sort_ = parse_sort(sort)
    if format != "json":
        return _stream(request, f, sort_, format)
    try:
        return queries.list_events(conn, f, limit=limit, cursor=cursor, sort=sort_,
                                   with_total=total)
    except ValueError as exc:
        raise bad("cursor", str(exc)) from None


@router.get("/canonical", summary="List canonical events: one per real-world event")
def canonical(conn: Conn, f: CFilter, limit: Limit = 50, cursor: Cursor = None,
              sort: Sort = None, total: bool = False) -> dict[str, Any]:
    """The deduplicated view: mentions of the same real-world event in different articles
    merged into one canonical event, with `num_articles`, `num_sources`, `num_mentions`,
    `num_copies`, `first_seen`/`last_seen`, the outlets (`sources`) and a representative
    `evidence` sentence. Ordered and paged like `/api/events`. Filters apply to the canonical
    event's own type, actors and date. `pending_documents` counts documents stored since
    the last clustering (`tidings cluster` or `tidings events` brings them in)."""
    sort_ = parse_sort(sort)
    try:
        return canonical_queries.list_canonical(conn, f, limit=limit, cursor=cursor,
                                                sort=sort_, with_total=total)
    except ValueError as exc:
        raise bad("cursor", str(exc)) from None


@router.get("/canonical/{canonical_id}",
            summary="One canonical event with every mention, its evidence and why it merged")
def canonical_event(conn: Conn, canonical_id: str) -> dict[str, Any]:
    """`canonical_event` as in the list; `mentions`: each mention's event, article, evidence
    (`sentence`, `span`, `trigger`), the wire copies of its article, the mention it was
    linked `via`, the field-by-field `agreement`, and an `explanation` summarising which
    fields agreed."""
    found = canonical_queries.get_canonical(conn, canonical_id)
    if found is None:
        raise HTTPException(404, f"no canonical event {canonical_id!r}")
    return found


@router.get("/events/export", summary="Export events as CSV, JSON Lines or Parquet")
def export_events(request: Request, f: Filter, sort: Sort = None,
                  format: Literal["csv", "jsonl", "parquet"] = "csv") -> StreamingResponse:
    return _stream(request, f, parse_sort(sort), format)


@router.get("/events/{event_id}", summary="One event with its document and evidence")
def event(conn: Conn, event_id: str) -> dict[str, Any]:
    found = queries.get_event(conn, event_id)
    if found is None:
        raise HTTPException(404, f"no event {event_id!r}")
    return found


@router.get("/documents/{document_id}", summary="A document's text with all annotations")
def document(conn: Conn, document_id: str) -> dict[str, Any]:
    found = queries.get_document(conn, document_id)
    if found is None:
        raise HTTPException(404, f"no document {document_id!r}")
    return found


@router.get("/actors", summary="Event counts per actor country")
def actors(conn: Conn, f: Filter,
           limit: Annotated[int, Query(ge=1, le=1000)] = 50) -> dict[str, Any]:
    return queries.actors(conn, f, limit)


@router.get("/timeline", summary="Counts per quad class and mean Goldstein per interval")
def timeline(conn: Conn, f: Filter,
             interval: Literal["day", "week", "month"] = "day") -> dict[str, Any]:
    """Quad classes: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict,
    4 material conflict. Only events with a full date are counted."""
    return queries.timeline(conn, f, interval)


@router.get("/map", summary="Geolocated events binned on a lat/lon grid")
def map_(conn: Conn, f: Filter,
         cell: Annotated[float, Query(ge=0.1, le=30)] = 2.0) -> dict[str, Any]:
    return queries.map_clusters(conn, f, cell)


@router.get("/overview", summary="Counts, top dyads and events per day")
def overview(conn: Conn) -> dict[str, Any]:
    """`events` counts mentions (one per event per article); `canonical_events` counts
    real-world events (see `/api/canonical`)."""
    return {**queries.overview(conn), **canonical_queries.overview_counts(conn)}


@router.get("/quotes", summary="Quotations with their speakers")
def quotes(conn: Conn, speaker: str | None = None,
           country: Annotated[str | None, Query(description="Speaker's country.")] = None,
           document_id: str | None = None,
           q: Annotated[str | None, Query(description="Words in the quote.")] = None,
           limit: Limit = 50, cursor: Cursor = None) -> dict[str, Any]:
    after = None
    if cursor:
        if not cursor.isdigit():
            raise bad("cursor", "malformed cursor")
        after = int(cursor)
    return queries.list_quotes(conn, speaker=speaker or None,
                               country=country_code(country, "country"),
                               document_id=document_id or None, q=q or None, limit=limit,
                               after_id=after)


class DocumentIn(BaseModel):
    text: str = Field(min_length=1, max_length=2_000_000)
    title: str | None = None
    published: str | None = Field(None, description="YYYY-MM-DD; anchors relative dates.")
    source: str | None = None
    url: str | None = None
    id: str | None = None
    min_confidence: float = Field(
        DEFAULT_MIN_CONFIDENCE, ge=0.0, le=1.0,
        description="Store only events whose calibrated confidence is at least this.")


def _check_token(request: Request, authorization: str | None) -> None:
    token = request.app.state.ingest_token
    if not token:
        raise HTTPException(403, "ingest over HTTP is off: start the server with --token")
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(given.encode(), token.encode()):
        raise HTTPException(401, "a valid 'Authorization: Bearer <token>' header is required",
                            headers={"WWW-Authenticate": "Bearer"})


@router.post("/documents", status_code=201, summary="Code and store one document",
             responses={200: {"description": "Already stored (same text)"},
                        401: {"description": "Missing or wrong token"},
                        409: {"description": "The id is taken by another text"},
                        403: {"description": "Server started without a token"}})
def ingest(request: Request, body: DocumentIn,
           authorization: Annotated[str | None, Header()] = None) -> Any:
    """Runs the full pipeline on the text and stores the result. Needs the server's token."""
    from tidings.model import Article
    from tidings.pipeline import get_coder

    _check_token(request, authorization)
    published = iso_date(body.published, "published")
    coder = get_coder()
    coded = coder.code(Article(text=body.text, id=body.id, title=body.title,
                               published=published, source=body.source, url=body.url))
    coded.events = filter_confidence(coded.events, body.min_confidence)
    try:
        saved = request.app.state.store.save(coded, pipeline_version=coder.version)
    except IntegrityError:  # same id, different text
        raise HTTPException(409, f"a different document has the id {coded.article.id!r}") from None
    result = {"id": coded.article.id, "saved": saved, "events": len(coded.events)}
    return result if saved else JSONResponse(result, status_code=200)
