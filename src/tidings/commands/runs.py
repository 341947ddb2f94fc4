"""`tidings status` and `tidings retry-failed`: what a run stored, what failed, and a retry.

Failures are rows in the ``errors`` table whose ``origin`` is a file (``path``) or a record
in one (``path:N``, the line or item number). A retry re-reads those files with the same
reader as ``ingest``; a failure whose origin now reads and stores cleanly is marked
resolved (kept, with ``resolved_at``), one that still fails stays open.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from tidings.cli_common import (
    DB_OPTION,
    DEFAULT_DB,
    DEFAULT_MIN_CONFIDENCE,
    MIN_CONFIDENCE_OPTION,
    app,
    check_date,
    err,
    first_line,
    out,
)
from tidings.model import Article, Rejected

_RECORD = re.compile(r"^(?P<path>.+):(?P<n>\d+)$")


@app.command()
def status(
    db: Annotated[str, DB_OPTION] = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="Print the status as JSON.")] = False,
    show: Annotated[int, typer.Option(
        min=0, help="List at most this many open failures.")] = 20,
) -> None:
    """What is stored, and which failures are still open (by reason)."""
    from tidings.store import Store

    with Store(db, must_exist=True) as store:
        s = store.status()
        open_errors = store.errors(open_only=True)
    if as_json:
        s["failures"] = open_errors[:show]
        sys.stdout.write(json.dumps(s, indent=2, ensure_ascii=False, default=str) + "\n")
        return
    out.print(f"[bold]{s['url']}[/] (schema revision {s['revision']})")
    out.print(f"{s['documents']} documents, {s['events']} events, {s['entities']} entities, "
              f"{s['quotes']} quotes, {s['quantities']} quantities; "
              f"last coded {s['last_coded_at'] or 'never'}")
    n_open = sum(s["open_errors"].values())
    out.print(f"{n_open} open failures, {s['resolved_errors']} resolved")
    if not n_open:
        return
    by_reason = Table(title="Open failures by reason")
    by_reason.add_column("reason")
    by_reason.add_column("count", justify="right")
    for reason, n in s["open_errors"].items():
        by_reason.add_row(reason, str(n))
    out.print(by_reason)
    listed = Table(title=f"Open failures (first {min(show, n_open)})")
    for col in ("origin", "reason", "detail", "retry"):
        listed.add_column(col)
    for e in open_errors[:show]:
        listed.add_row(e["origin"], e["reason"], (e["detail"] or "")[:80],
                       "yes" if _origin_file(e["origin"]) else "no")
    out.print(listed)
    out.print("`tidings retry-failed` re-reads the retryable ones")


def _origin_file(origin: str) -> Path | None:
    """The local file a failure came from; None for URLs and feeds, which a retry skips."""
    if not origin or "://" in origin:
        return None
    if (m := _RECORD.match(origin)) and not Path(origin).exists():
        return Path(m["path"])
    return Path(origin)


@dataclass
class _Plan:
    articles: list[Article] = field(default_factory=list)
    waiting: dict[int, set[str]] = field(default_factory=dict)  # error id -> article origins
    still: list[tuple[dict, str]] = field(default_factory=list)  # (error, why) left open
    skipped: list[dict] = field(default_factory=list)  # not retryable from here (URLs)
    found: list[Rejected] = field(default_factory=list)  # new failures met on the way


def _plan(errors: list[dict], published: str | None, source: str | None) -> _Plan:
    from tidings.ingest import iter_articles

    plan, by_file = _Plan(), defaultdict(list)
    for e in errors:
        path = _origin_file(e["origin"])
        if path is None:
            plan.skipped.append(e)
        else:
            by_file[path].append(e)
    for path, errs in by_file.items():
        items = list(iter_articles([path], published=published, source=source))
        whole = {i.origin: i for i in items if isinstance(i, Rejected) and i.origin == str(path)}
        by_origin: dict[str, Article | Rejected] = {i.origin: i for i in items}
        wanted: set[str] = set()
        for e in errs:
            origin = e["origin"]
            if origin == str(path):  # the whole file had failed
                if origin in whole:
                    plan.still.append((e, f"{whole[origin].reason}: {whole[origin].detail}"))
                    continue
                names = {i.origin for i in items if isinstance(i, Article)}
                plan.found += [i for i in items if isinstance(i, Rejected)]
            else:
                item = by_origin.get(origin)
                if item is None:
                    plan.still.append((e, "record no longer in the file"))
                    continue
                if isinstance(item, Rejected):
                    plan.still.append((e, f"{item.reason}: {item.detail}"))
                    continue
                names = {origin}
            plan.waiting[e["id"]] = names
            wanted |= names
        plan.articles += [i for i in items if isinstance(i, Article) and i.origin in wanted]
    return plan


@app.command("retry-failed")
def retry_failed(
    db: Annotated[str, DB_OPTION] = DEFAULT_DB,
    published: Annotated[str | None, typer.Option(help="Default publication date.")] = None,
    source: Annotated[str | None, typer.Option(help="Default outlet name.")] = None,
    min_confidence: Annotated[float, MIN_CONFIDENCE_OPTION] = DEFAULT_MIN_CONFIDENCE,
) -> None:
    """Re-read the files behind open failures; store what now reads, mark those resolved."""
    from tidings.pipeline import get_coder
    from tidings.runs import Done, OnFirstUse, Report, ingest
    from tidings.store import Store

    published = check_date(published, "--published")
    ok: set[str] = set()  # origins of the documents now stored (or found already stored)
    failed: dict[str, str] = {}  # origin -> why it failed again (left open)

    def track(done: Done, report: Report) -> None:
        if done.failure is None:
            ok.add(done.document.origin or "")
        elif done.stage != "read":  # a new failure met while re-reading is not a document
            failed[done.failure.origin or ""] = f"{done.failure.reason}: {done.failure.detail}"

    with Store(db, must_exist=True) as store:
        plan = _plan(store.errors(open_only=True), published, source)
        # the new failures met on the way are recorded by the run, the documents re-coded
        report = ingest([*plan.found, *plan.articles], store, OnFirstUse(get_coder),
                        min_confidence=min_confidence, on_progress=track)
        fixed = [i for i, names in plan.waiting.items()
                 if names <= ok and not names & failed.keys()]
        resolved = store.resolve_errors(fixed)
        by_id = {e["id"]: e for e in store.errors(open_only=True)}
        for i, names in plan.waiting.items():
            if i not in fixed and i in by_id:
                why = "; ".join(failed[n] for n in sorted(names & failed.keys()))
                plan.still.append((by_id[i], why or "not stored"))
    left = len(plan.still)
    err.print(f"resolved {resolved} failures; stored {report.stored} documents "
              f"({report.duplicates} already stored); {left} still failing"
              + (f"; {len(plan.skipped)} not from local files, skipped" if plan.skipped else ""))
    for e, why in plan.still[:20]:
        err.print(f"  [yellow]{escape(e['origin'])}[/]: {escape(first_line(why))}",
                  soft_wrap=True)
    if left:  # scripts can tell "all fixed" from "some still broken"
        raise typer.Exit(code=1)

