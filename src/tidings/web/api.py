"""JSON API. Each route builds one dict from ``tidings.store.queries`` and returns it."""

from __future__ import annotations

import logging
import secrets
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse

from tidings import formats
from tidings.formats import records as export_records
from tidings.store import canonical_queries, queries
from tidings.store.canonical_queries import CanonicalFilter
from tidings.store.queries import EventFilter
from tidings.web.deps import Conn, found_or_404
from tidings.web.params import (
    NAME_MAX_CHARS,
    SortParam,
    bad,
    canonical_filter,
    capped,
    country_code,
    event_filter,
    iso_date,
    parse_quote_cursor,
    parse_search,
    parse_sort,
    schema_pattern,
    text_query,
)
from tidings.web.schemas import (
    ERRORS,
    EVENTS_CONTENT,
    EXPORT_CONTENT,
    DocumentIn,
    IngestResult,
    Problem,
    ValidationProblem,
)

log = logging.getLogger("tidings.web")
router = APIRouter(prefix="/api", responses=ERRORS)
Filter = Annotated[EventFilter, Depends(event_filter)]
CFilter = Annotated[CanonicalFilter, Depends(canonical_filter)]
Limit = Annotated[int, Query(ge=1, le=1000, description="Page size.")]
Cursor = Annotated[str | None, Query(
    description="next_cursor of the previous page (opaque: only values this API gave "
                "are valid).", json_schema_extra={"pattern": f"^(?:{queries.CURSOR_PATTERN})?$"})]
Sort = SortParam
NOT_FOUND = {404: {"model": Problem, "description": "No such item"}}


def _enum(*first: str):
    """A format parameter's schema lists the formats registered when the schema is built (a
    renderer registered later by a plugin is served too, and listed from then on)."""
    def extra(schema: dict[str, Any]) -> None:
        schema["enum"] = [*first, *formats.renderer_names()]
    return extra


Format = Annotated[str, Query(
    description="json (a page), or an export format streamed as a file (docs/formats.md)",
    json_schema_extra=_enum("json"))]
ExportFormat = Annotated[str, Query(description="An export format (docs/formats.md)",
                                    json_schema_extra=_enum())]
LEFT_OUT = "X-Tidings-Left-Out"  # rows the format cannot express, e.g. ACLED without a type


def _renderer(name: str) -> formats.Renderer:
    try:
        return formats.get_renderer(name)
    except KeyError as exc:  # the shape of FastAPI's own validation errors
        raise HTTPException(422, detail=[{"loc": ["query", "format"], "msg": exc.args[0],
                                          "type": "enum"}]) from None


def _export(renderer: formats.Renderer, records: Any, kind: str) -> StreamingResponse:
    """Stream one registered format. A format that leaves rows out counts them first (a
    pass over the same query) so the count can travel in a header ahead of the body."""
    headers = {"Content-Disposition":
               f'attachment; filename="{"events" if kind == "mentions" else kind}.'
               f'{renderer.extension}"'}
    if renderer.keeps is not None:
        headers[LEFT_OUT] = str(formats.count_left_out(renderer.name, records()))
    body = renderer.render(records(), formats.ExportReport(kind=kind))
    return StreamingResponse(body, media_type=renderer.media_type, headers=headers)


def _stream(request: Request, f: EventFilter, sort: str, fmt: str) -> StreamingResponse:
    engine = request.app.state.engine
    return _export(_renderer(fmt), lambda: export_records.mention_records(engine, f, sort),
                   "mentions")


@router.get("/events", summary="List event mentions (filtered, paged, or exported)",
            responses={200: {"description": "A page of events (JSON), or with `format` the "
                             "whole result as a file", "content": EVENTS_CONTENT}})
def events(request: Request, conn: Conn, f: Filter, limit: Limit = 50, cursor: Cursor = None,
           sort: Sort = None, total: bool = False, format: Format = "json") -> Any:
    """Event **mentions** in (date, id) order: one row per event per article, so a real-world
    event reported by five outlets appears five times. For the deduplicated view (one row
    per real-world event, with `num_articles`, `num_sources`, `num_mentions`) use
    `GET /api/canonical`. With an export `format` (csv, jsonl, parquet, acled, gdelt,
    phoenix, polecat, ...: docs/formats.md) the whole result (all pages) is streamed as a
    file and `limit`/`cursor` are ignored."""
    sort_ = parse_sort(sort)
    if format != "json":
        return _stream(request, f, sort_, format)
    try:
        return queries.list_events(conn, f, limit=limit, cursor=cursor, sort=sort_,
                                   with_total=total)
    except ValueError as exc:
        raise bad("cursor", str(exc)) from None


@router.get("/canonical", summary="List canonical events: one per real-world event",
            responses={200: {"description": "A page of canonical events (JSON), or with "
                             "`format` the whole result as a file", "content": EVENTS_CONTENT,
                             "headers": {LEFT_OUT: {
                                 "description": "Formats that cannot express every event "
                                                "(acled): how many the file leaves out",
                                 "schema": {"type": "integer"}}}}})
def canonical(request: Request, conn: Conn, f: CFilter, limit: Limit = 50,
              cursor: Cursor = None, sort: Sort = None, total: bool = False,
              format: Format = "json") -> Any:
    """The deduplicated view: mentions of the same real-world event in different articles
    merged into one canonical event, with `num_articles`, `num_sources`, `num_mentions`,
    `num_copies`, `first_seen`/`last_seen`, the outlets (`sources`) and a representative
    `evidence` sentence. Ordered and paged like `/api/events`. Filters apply to the canonical
    event's own type, actors and date. `pending_documents` counts documents stored since
    the last clustering (`tidings cluster` or `tidings events` brings them in).
    With an export `format` (as for `/api/events`) every matching canonical event is
    streamed as a file, its evidence fields taken from its representative mention."""
    sort_ = parse_sort(sort)
    if format != "json":
        engine = request.app.state.engine
        return _export(_renderer(format),
                       lambda: export_records.canonical_records(engine, f, sort_), "canonical")
    try:
        return canonical_queries.list_canonical(conn, f, limit=limit, cursor=cursor,
                                                sort=sort_, with_total=total)
    except ValueError as exc:
        raise bad("cursor", str(exc)) from None


@router.get("/canonical/{canonical_id}", responses=NOT_FOUND,
            summary="One canonical event with every mention, its evidence and why it merged")
def canonical_event(conn: Conn, canonical_id: str) -> dict[str, Any]:
    """`canonical_event` as in the list; `mentions`: each mention's event, article, evidence
    (`sentence`, `span`, `trigger`), the wire copies of its article, the mention it was
    linked `via`, the field-by-field `agreement`, and an `explanation` summarising which
    fields agreed."""
    return found_or_404(canonical_queries.get_canonical(conn, canonical_id),
                        f"canonical event {canonical_id!r}")


@router.get("/events/export",
            summary="Export events in any registered format (CSV, JSON Lines, Parquet, ACLED, "
                    "GDELT, Phoenix, POLECAT)",
            response_class=StreamingResponse,
            responses={200: {"description": "Every matching event, as a file",
                             "content": EXPORT_CONTENT,
                             "headers": {LEFT_OUT: {
                                 "description": "Formats that cannot express every event "
                                                "(acled): how many matching events the file "
                                                "leaves out",
                                 "schema": {"type": "integer"}}}}})
def export_events(request: Request, f: Filter, sort: Sort = None,
                  format: ExportFormat = "csv") -> StreamingResponse:
    """The whole result streamed as a file. `acled` writes only events with an ACLED event
    type and says how many it left out in the `X-Tidings-Left-Out` header."""
    return _stream(request, f, parse_sort(sort), format)


# "export" is the export route above, never an event id: the schema says so, so that a
# client reading it (or a fuzzer) does not expect JSON from /api/events/export. The regex
# engine behind path patterns has no look-ahead, hence the spelled-out "anything else".
NOT_EXPORT = (r"^(?:[^e][\s\S]*|e(?:[^x][\s\S]*)?|ex(?:[^p][\s\S]*)?|exp(?:[^o][\s\S]*)?"
              r"|expo(?:[^r][\s\S]*)?|expor(?:[^t][\s\S]*)?|export[\s\S]+)$")
EventId = Annotated[str, Path(pattern=NOT_EXPORT, description="an event id (`document:n`)")]


@router.get("/events/{event_id}", summary="One event with its document and evidence",
            responses=NOT_FOUND)
def event(conn: Conn, event_id: EventId) -> dict[str, Any]:
    return found_or_404(queries.get_event(conn, event_id), f"event {event_id!r}")


@router.get("/documents/{document_id}", summary="A document's text with all annotations",
            responses=NOT_FOUND)
def document(conn: Conn, document_id: str) -> dict[str, Any]:
    return found_or_404(queries.get_document(conn, document_id), f"document {document_id!r}")


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
def quotes(conn: Conn,
           speaker: Annotated[str | None, text_query(
               "Part of the speaker's name.", "name", max_length=NAME_MAX_CHARS)] = None,
           country: Annotated[str | None, text_query("Speaker's country.", "code")] = None,
           document_id: Annotated[str | None, text_query(
               "Quotes of one document.", "name", max_length=NAME_MAX_CHARS)] = None,
           q: Annotated[str | None, text_query(
               "Words in the quote (same limits as in /api/events).", "q",
               max_length=500)] = None,
           limit: Limit = 50,
           cursor: Annotated[str | None, Query(
               description="next_cursor of the previous page.",
               json_schema_extra={"pattern": schema_pattern("quote_cursor")})] = None,
           ) -> dict[str, Any]:
    return queries.list_quotes(conn, speaker=capped(speaker, "speaker"),
                               country=country_code(country, "country"),
                               document_id=capped(document_id, "document_id"),
                               q=parse_search(q), limit=limit,
                               after_id=parse_quote_cursor(cursor))


def _check_token(request: Request, authorization: str | None) -> None:
    token = request.app.state.ingest_token
    if not token:
        raise HTTPException(403, "ingest over HTTP is off: start the server with --token")
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(given.encode(), token.encode()):
        raise HTTPException(401, "a valid 'Authorization: Bearer <token>' header is required",
                            headers={"WWW-Authenticate": "Bearer"})


@router.post("/documents", status_code=201, summary="Code and store one document",
             response_model=IngestResult,
             responses={200: {"model": IngestResult,
                              "description": "Already stored (same text)"},
                        401: {"model": Problem, "description": "Missing or wrong token"},
                        409: {"model": Problem, "description": "The id is taken by another text"},
                        403: {"model": Problem, "description": "Server started without a token"},
                        422: {"model": ValidationProblem,
                              "description": "The body is malformed, or the text cannot be "
                                             "coded (the message says why)"}})
def ingest(request: Request, body: DocumentIn,
           authorization: Annotated[str | None, Header()] = None) -> Any:
    """Runs the full pipeline on the text and stores the result. Needs the server's token.

    The text must hold something besides whitespace; no field may hold a NUL character;
    an `id` may not hold `/`, `\\`, `?`, `#`, `%`, spaces or control characters (it
    becomes part of the document's address)."""
    from tidings.model import Article
    from tidings.pipeline import get_coder
    from tidings.runs import CODING_FAILED
    from tidings.runs import ingest as run_ingest

    _check_token(request, authorization)
    published = iso_date(body.published, "published")
    article = Article(text=body.text, id=body.id, title=body.title, published=published,
                      source=body.source, url=body.url)
    # where it came from, for the errors table: one failure row per document (an origin is
    # one open row per reason), and `retry-failed` knows it cannot re-read a POST
    article.origin = f"api://documents/{article.ensure_id()}"
    # the run service codes and stores it as every other entry point does: a failure is
    # recorded in the errors table (`tidings status`) and answered here
    report = run_ingest([article], request.app.state.store, get_coder(),
                        min_confidence=body.min_confidence)
    for rej in report.failures:
        if rej.reason == "id_conflict":  # same id, different text
            raise HTTPException(409, f"a different document has the id {article.id!r}")
        log.warning("could not store a POSTed document: %s: %s", rej.reason, rej.detail)
        if rej.reason == CODING_FAILED:  # the coder's limits (e.g. an over-long sentence)
            first = (rej.detail.strip().splitlines() or [rej.reason])[0][:300]
            raise RequestValidationError([{
                "loc": ("body", "text"), "type": "coding_failed",
                "msg": f"the text could not be coded: {first}"}])
        raise HTTPException(500, f"the document could not be stored ({rej.reason})")
    saved = report.stored == 1
    # a text already stored is not coded again: it adds no events
    result = {"id": article.ensure_id(), "saved": saved, "events": report.events}
    return result if saved else JSONResponse(result, status_code=200)
