"""Dashboard pages: each route builds one dict (the same queries as the API) and renders it.

Every page also answers as JSON when the path ends in ``.json``, Datasette-style, so what a
page shows can always be checked against the data behind it.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy import Connection

from tidings.event_types import quad_names, type_names
from tidings.model import MODALITIES
from tidings.store import canonical_queries, geo, queries
from tidings.store.queries import EventFilter
from tidings.web.deps import Conn, found_or_404
from tidings.web.highlight import marks_for, segments
from tidings.web.params import bad, event_filter, filter_params, parse_dyad, parse_sort

router = APIRouter(include_in_schema=False)
Filter = Annotated[EventFilter, Depends(event_filter)]


def render(request: Request, template: str, data: dict[str, Any], as_json: bool = False):
    if as_json or request.url.path.endswith(".json"):
        return JSONResponse(data)
    ctx = {**data, "plover_types": type_names(), "modalities": MODALITIES,
           "quads": quad_names()}
    return request.app.state.templates.TemplateResponse(request, template, ctx)


def _page(conn: Connection, f: EventFilter, cursor: str | None, sort: str,
          limit: int) -> dict[str, Any]:
    try:
        page = queries.list_events(conn, f, limit=limit, cursor=cursor, sort=sort,
                                   with_total=True)
    except ValueError as exc:
        raise bad("cursor", str(exc)) from None
    params = filter_params(f)
    if sort != "date":
        params["sort"] = sort
    page["query"] = urlencode(params)
    if page["next_cursor"]:
        page["next_query"] = urlencode({**params, "cursor": page["next_cursor"]})
    page["filters"] = params
    return page


@router.get("/")
@router.get("/index.json")
def overview_page(request: Request, conn: Conn):
    data = {**queries.overview(conn), **canonical_queries.overview_counts(conn)}
    data["latest_documents"] = queries.latest_documents(conn)
    return render(request, "overview.html", data)


@router.get("/events")
@router.get("/events.json")
def events_page(request: Request, conn: Conn, f: Filter, cursor: str | None = None,
                sort: str | None = "-date",
                limit: Annotated[int, Query(ge=1, le=500)] = 50):
    page = _page(conn, f, cursor, parse_sort(sort), limit)
    page["export"] = {fmt: "/api/events/export?" + urlencode(
        {**page["filters"], "format": fmt}) for fmt in ("csv", "jsonl", "parquet")}
    return render(request, "events.html", page)


@router.get("/events/{event_id}")
def event_page(request: Request, conn: Conn, event_id: str):
    found = found_or_404(queries.get_event(conn, event_id.removesuffix(".json")),
                         f"event {event_id!r}")
    return render(request, "event.html", found)


@router.get("/documents/{document_id}")
def document_page(request: Request, conn: Conn, document_id: str, event: str | None = None):
    found = found_or_404(queries.get_document(conn, document_id.removesuffix(".json")),
                         f"document {document_id!r}")
    if document_id.endswith(".json"):
        return JSONResponse(found)
    found["segments"] = segments(found["document"]["text"], marks_for(found))
    found["focus"] = event
    places: dict[tuple, dict[str, Any]] = {}  # one line per place, linked to its first event
    for e in found["events"]:
        loc = e.get("location")
        if loc:
            places.setdefault((loc["name"], loc["lat"], loc["lon"]), e)
    found["places"] = list(places.values())
    return render(request, "document.html", found)


@router.get("/dyad/{pair}")
def dyad_page(request: Request, conn: Conn, f: Filter, pair: str,
              interval: Literal["day", "week", "month"] = "week",
              cursor: str | None = None, limit: Annotated[int, Query(ge=1, le=500)] = 50):
    as_json = pair.endswith(".json")
    f.dyad = parse_dyad(pair.removesuffix(".json"))
    data = _page(conn, f, cursor, "date", limit)
    data["timeline"] = queries.timeline(conn, f, interval)
    data["dyad"] = list(f.dyad or ())
    data["undirected"] = f.undirected
    data["interval"] = interval
    return render(request, "dyad.html", data, as_json)


@router.get("/map")
@router.get("/map.json")
def map_page(request: Request, conn: Conn, f: Filter,
             cell: Annotated[float, Query(ge=0.1, le=30)] = 2.0):
    data = queries.map_clusters(conn, f, cell)
    data["filters"] = filter_params(f)
    data["radius_km"] = round(cell * geo.KM_PER_DEGREE * 0.75)
    return render(request, "map.html", data)
