"""`tidings serve`: the HTTP API and dashboard over an event store."""

from __future__ import annotations

from typing import Annotated

import typer

from tidings.cli_common import DB_OPTION, DEFAULT_DB, app, err


@app.command()
def serve(
    db: Annotated[str, DB_OPTION] = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="TCP port.")] = 8000,
    token: Annotated[str | None, typer.Option(
        help="Enable POST /api/documents, guarded by this bearer token.",
        envvar="TIDINGS_INGEST_TOKEN")] = None,
) -> None:
    """Serve the dashboard and the JSON API (OpenAPI docs at /docs)."""
    import uvicorn

    from tidings.web import create_app

    # without a token the server only reads: a mistyped --db must not become a new store
    web = create_app(db, ingest_token=token, must_exist=token is None)
    err.print(f"tidings: serving {db} at http://{host}:{port}/ (API docs at /docs)")
    uvicorn.run(web, host=host, port=port, log_level="info")
