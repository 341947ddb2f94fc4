"""`tidings quotes`: who said what, from the stored quotes."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.table import Table

from tidings.cli_common import DB_OPTION, DEFAULT_DB, SQL_INT_MAX, app, out


@app.command()
def quotes(
    speaker: Annotated[str | None, typer.Option(help="Part of the speaker's name.")] = None,
    db: Annotated[str, DB_OPTION] = DEFAULT_DB,
    limit: Annotated[int | None, typer.Option(
        min=0, max=SQL_INT_MAX, help="At most this many quotes.")] = None,
    format: Annotated[str, typer.Option("--format", help="table or jsonl.")] = "table",
) -> None:
    """Query stored quotes, optionally by speaker (case-insensitive, part of a name)."""
    from tidings.store import Store

    if format not in ("table", "jsonl"):
        raise typer.BadParameter("choose table or jsonl", param_hint="--format")
    with Store(db, must_exist=True) as store:
        found = store.quotes(speaker=speaker, limit=limit)
    if format == "jsonl":
        for q in found:
            sys.stdout.write(json.dumps(q, ensure_ascii=False) + "\n")
        return
    table = Table(title=f"{len(found)} quotes")
    for col in ("published", "speaker", "quote", "document"):
        table.add_column(col)
    for q in found:
        who = q["speaker"] or (q["speaker_actor"] or {}).get("name") or "?"
        table.add_row(q["published"] or "", who, q["text"], q["document_id"])
    out.print(table)
