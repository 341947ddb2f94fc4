"""``tidings watch sources.yaml``: follow feeds and store what is new."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import Annotated

import typer

from tidings.cli_common import (
    ALLOW_PRIVATE_OPTION,
    DB_OPTION,
    DEFAULT_DB,
    DEFAULT_MIN_CONFIDENCE,
    MIN_CONFIDENCE_OPTION,
    app,
    err,
)


@app.command()
def watch(
    sources: Annotated[Path, typer.Argument(help="sources.yaml listing the feeds to follow.")],
    every: Annotated[str, typer.Option(
        help="Default poll interval (30s, 15m, 1h); a feed's own 'every' wins.")] = "15m",
    db: Annotated[str, DB_OPTION] = DEFAULT_DB,
    once: Annotated[bool, typer.Option(
        "--once", help="Poll every feed once and exit (for cron and tests).")] = False,
    allow_private: Annotated[bool, ALLOW_PRIVATE_OPTION] = False,
    min_confidence: Annotated[float, MIN_CONFIDENCE_OPTION] = DEFAULT_MIN_CONFIDENCE,
) -> None:
    """Poll RSS/Atom feeds, code and store new articles; failures go to the errors table."""
    from tidings.ingest.policy import FetchPolicy
    from tidings.ingest.sources import SourcesError, load_sources, parse_interval
    from tidings.ingest.urls import Fetcher
    from tidings.ingest.watcher import FeedReport, Watcher
    from tidings.pipeline import get_coder
    from tidings.store import Store

    try:
        interval = parse_interval(every)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--every") from exc
    try:
        config = load_sources(sources)
    except SourcesError as exc:
        err.print(f"[red]{exc}[/]")
        raise typer.Exit(code=2) from exc

    totals = {"stored": 0, "events": 0, "errors": 0, "failed": 0}

    def show(r: FeedReport) -> None:
        totals["stored"] += r.stored
        totals["events"] += r.events
        totals["errors"] += len(r.errors)
        totals["failed"] += r.failed
        if r.failed:
            rej = r.errors[-1]
            err.print(f"[red]failed[/] {r.source.label}: {rej.reason} {rej.detail}".rstrip())
            return
        err.print(f"{r.source.label}: {r.entries} entries, {r.new} new, {r.stored} stored "
                  f"({r.events} events), {r.duplicates} already stored, "
                  f"{len(r.errors)} errors")
        for rej in r.errors:
            err.print(f"  [yellow]skipped[/] {rej.origin}: {rej.reason} {rej.detail}".rstrip())
        for rej in r.notes:  # stored, but coded only in part (a very long text)
            err.print(f"  [yellow]note[/] {rej.origin}: {rej.detail}".rstrip())

    stop = threading.Event()
    previous = _on_sigterm(stop)
    try:
        with Store(db) as store, Fetcher(
                config.fetch, policy=FetchPolicy(allow_private=allow_private)) as fetcher:
            watcher = Watcher(config.sources, store, fetcher, every=interval, coder=get_coder,
                              min_confidence=min_confidence)
            if not once:
                err.print(f"watching {len(config.sources)} feed(s); Ctrl-C to stop")
            watcher.run(once=once, stop=stop, on_report=show)
    except KeyboardInterrupt:
        err.print("stopped")
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    err.print(f"stored {totals['stored']} documents ({totals['events']} events); "
              f"{totals['errors']} errors; {totals['failed']} feed(s) unreadable")


def _on_sigterm(stop: threading.Event):
    """``kill`` (SIGTERM, as sent by systemd and docker) stops after the current feed."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, lambda *_: stop.set())
