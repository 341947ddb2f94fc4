"""`tidings batch` (code a corpus on Dask into Parquet) and `tidings load` (Parquet -> store)."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tidings.cli_common import (
    DB_OPTION,
    DEFAULT_DB,
    DEFAULT_MIN_CONFIDENCE,
    MAX_PROCESSES,
    MIN_CONFIDENCE_OPTION,
    app,
    check_date,
    err,
)

PLAN_FILE = "_plan.json"


@app.command()
def batch(
    inputs: Annotated[list[Path], typer.Argument(
        help="JSONL, Parquet, text, HTML or CSV files, or folders.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the Parquet datasets.")],
    scheduler: Annotated[str | None, typer.Option(
        help="Address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786.")] = None,
    workers: Annotated[int | None, typer.Option(
        min=1, max=MAX_PROCESSES, help="Local worker processes (default: one per core).")] = None,
    partition_size: Annotated[int, typer.Option(min=1, help="Records per partition.")] = 200,
    published: Annotated[str | None, typer.Option(help="Default publication date.")] = None,
    source: Annotated[str | None, typer.Option(help="Default outlet name.")] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Documents per spaCy batch.")] = 32,
    min_confidence: Annotated[float, MIN_CONFIDENCE_OPTION] = DEFAULT_MIN_CONFIDENCE,
    overwrite: Annotated[bool, typer.Option(
        "--overwrite", help="Replace the output of a different earlier run in --out.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
    dashboard: Annotated[str, typer.Option(
        help="Address for the local cluster's dashboard (host:port). Loopback by default; "
        "0.0.0.0:8787 shows it to the network, without a password.")] = "127.0.0.1:8787",
) -> None:
    """Code documents on a Dask cluster into Parquet datasets (rerun to resume)."""
    from tidings.batch import DATASETS, fingerprint, plan

    published = check_date(published, "--published")
    if scheduler and workers:
        raise typer.BadParameter("give --scheduler or --workers, not both", param_hint="--workers")
    if partition_size < 1 or (workers is not None and workers < 1):
        raise typer.BadParameter("must be at least 1", param_hint="--partition-size/--workers")
    parts = plan(inputs, partition_size)
    if not parts:
        err.print("[red]nothing to code[/]: no input files found")
        raise typer.Exit(code=2)
    # a resumed run keeps the cut it started with: another cut is another run
    record = {"partition_size": partition_size, "published": published, "source": source,
              "min_confidence": min_confidence, "plan": fingerprint(parts)}
    _claim(out, record, overwrite, DATASETS)

    from tidings.batch.dask_engine import WorkersFailed, connect, dashboard_links, prepare, run

    logging.getLogger("distributed").setLevel(logging.WARNING)  # its INFO chatter hides the bar

    totals = dict.fromkeys(DATASETS, 0)
    skipped = 0
    with connect(scheduler, workers, dashboard) as client:
        err.print(f"Dask dashboard: {', '.join(dashboard_links(client)) or 'none'}")
        try:
            with err.status("loading the model on the workers", spinner="dots"):
                prepare(client)
        except WorkersFailed as exc:
            err.print(f"[red]{exc}[/] (nothing was coded; run the same command again)")
            raise typer.Exit(code=1) from exc
        columns = (TextColumn("[bold]batch"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("partitions · {task.fields[docs]} docs · {task.fields[events]} "
                              "events · {task.fields[errors]} errors"), TimeElapsedColumn())
        with Progress(*columns, console=err, disable=quiet) as progress:
            task = progress.add_task("batch", total=len(parts), docs=0, events=0, errors=0)
            for summary in run(client, parts, out, published=published, source=source,
                               batch_size=batch_size, min_confidence=min_confidence):
                skipped += summary["skipped"]
                for d in DATASETS:
                    totals[d] += summary[d]
                progress.update(task, advance=1, docs=totals["documents"],
                                events=totals["events"], errors=totals["errors"])
    err.print(f"{len(parts)} partitions ({skipped} already done): {totals['documents']} "
              f"documents, {totals['events']} events, {totals['errors']} errors -> {out}/")


def _claim(out: Path, record: dict, overwrite: bool, datasets: tuple[str, ...]) -> None:
    """Make ``out`` this run's folder: same plan resumes, a different one needs --overwrite."""
    marker = out / PLAN_FILE
    if marker.exists():
        try:
            same = json.loads(marker.read_text(encoding="utf-8")) == record
        except (OSError, ValueError):
            same = False
        if not same:
            if not overwrite:
                err.print(f"[red]{out} holds the output of a different run[/] (other inputs or "
                          "options); use a new --out or add --overwrite")
                raise typer.Exit(code=2)
            for d in datasets:
                shutil.rmtree(out / d, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")


@app.command("load")
def load_cmd(
    folder: Annotated[Path, typer.Argument(help="Output folder of `tidings batch`.")],
    db: Annotated[str, DB_OPTION] = DEFAULT_DB,
) -> None:
    """Load `tidings batch` datasets into the store (documents already stored are skipped).

    The events are stored as the batch job kept them (its --min-confidence cut)."""
    from tidings.batch import load
    from tidings.store import Store

    if not (folder / "documents").is_dir():
        raise typer.BadParameter(f"{folder} has no documents/ dataset", param_hint="FOLDER")
    with Store(db) as store, err.status("loading", spinner="dots"):
        stats = load(folder, store)
    err.print(f"loaded {stats['partitions']} partitions: stored {stats['saved']} documents; "
              f"{stats['skipped']} already stored; {stats['errors']} errors recorded")
