"""The FastAPI application: JSON API under /api, server-rendered dashboard pages elsewhere."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from starlette.exceptions import HTTPException as StarletteHTTPException

from tidings.store import Store
from tidings.store.queries import ensure_indexes
from tidings.web import api, pages

log = logging.getLogger("tidings.web")

HERE = Path(__file__).parent
# Pages load nothing but our own files: even if escaping ever failed, an injected inline
# script would not run. /docs is exempt because Swagger UI boots from an inline script.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")

DESCRIPTION = """Events coded from news text (PLOVER with CAMEO codes), each pointing back to
the sentence it came from. List endpoints page with an opaque `cursor`: pass the
`next_cursor` of one page to get the next; it is `null` on the last page.

`/api/events` lists event *mentions* (one per event per article); `/api/canonical` is the
deduplicated view, one canonical event per real-world event with the articles, outlets and
mentions that report it."""


def _templates() -> Jinja2Templates:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    return Jinja2Templates(env=env)


def _swagger_dir() -> Path | None:
    try:  # the swagger-ui-bundle-v2 package ships Swagger UI's files; optional
        from swagger_ui_bundle import swagger_ui_path
    except ImportError:
        return None
    path = Path(str(swagger_ui_path))
    return path if (path / "swagger-ui-bundle.js").exists() else None


def create_app(db_url: str, ingest_token: str | None = None, *,
               must_exist: bool = False) -> FastAPI:
    """The tidings web app over the store at ``db_url``.

    ``POST /api/documents`` works only when ``ingest_token`` is given, and then needs it as
    a bearer token. ``must_exist`` refuses to create a missing SQLite database.
    """
    store = Store(db_url, must_exist=must_exist)
    ensure_indexes(store.engine)
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(title="tidings", version="0.1.0", description=DESCRIPTION,
                  docs_url=None, redoc_url=None, lifespan=lifespan)
    app.state.store = store
    app.state.engine = store.engine
    app.state.ingest_token = ingest_token or None
    app.state.templates = _templates()
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    swagger = _swagger_dir()
    if swagger:
        app.mount("/swagger-ui", StaticFiles(directory=swagger), name="swagger")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        if swagger:
            return get_swagger_ui_html(
                openapi_url="/openapi.json", title="tidings API",
                swagger_js_url="/swagger-ui/swagger-ui-bundle.js",
                swagger_css_url="/swagger-ui/swagger-ui.css",
                swagger_favicon_url="/swagger-ui/favicon-32x32.png")
        # no bundled Swagger UI: a plain page is still better than one that needs a CDN
        page = app.state.templates.env.get_template("docs.html")
        return HTMLResponse(page.render(paths=sorted(app.openapi()["paths"])))

    app.add_middleware(SecurityHeaders)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _error(request, exc.status_code, exc.detail, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        # the shape the schema documents (ValidationProblem); the input itself is not echoed
        problems = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")),
                     "type": str(e.get("type", "invalid"))} for e in exc.errors()]
        return _error(request, 422, problems)

    app.include_router(api.router)
    app.include_router(pages.router)
    return app


class SecurityHeaders:
    """Adds CSP and nosniff headers; plain ASGI, cheaper than BaseHTTPMiddleware."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        extra = [(b"x-content-type-options", b"nosniff")]
        if scope["path"] != "/docs":
            extra.append((b"content-security-policy", CSP.encode()))

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _error(request: Request, status: int, detail: Any, headers: Any = None) -> Response:
    if request.url.path.startswith("/api") or request.url.path.endswith(".json"):
        return JSONResponse({"detail": detail}, status_code=status, headers=headers)
    templates = request.app.state.templates
    return templates.TemplateResponse(request, "error.html",
                                      {"status": status, "detail": detail},
                                      status_code=status, headers=headers)
