"""Command line: parse options, call the Python API, print. Progress bars live here only."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tidings.cli_common import (
    ALLOW_PRIVATE_OPTION,
    DB_OPTION,
    DEFAULT_DB,
    DEFAULT_MIN_CONFIDENCE,
    EXIT_FAILED,
    JOBS_OPTION,
    MIN_CONFIDENCE_OPTION,
    SQL_INT_MAX,
    QuietFormatter,
    app,
    err,
    first_line,
    out,
)

# the command bodies below call these by their old private names
from tidings.cli_common import check_date as _check_date
from tidings.cli_common import check_jobs as _check_jobs
from tidings.model import Article, CodedArticle, Rejected


def _articles(paths: list[Path], published: str | None, source: str | None,
              rejected: list[Rejected], allow_private: bool = False) -> Iterator[Article]:
    from tidings.ingest import iter_articles

    for item in iter_articles(paths, published=published, source=source,
                              allow_private=allow_private):
        if isinstance(item, Rejected):
            rejected.append(item)
            _print_skipped(item.origin, item)
        else:
            yield item


@app.command()
def code(
    files: Annotated[list[Path], typer.Argument(help="Text, HTML, JSONL or CSV files, or dirs.")],
    published: Annotated[str | None, typer.Option(help="Publication date YYYY-MM-DD.")] = None,
    source: Annotated[str | None, typer.Option(help="Outlet name for these documents.")] = None,
    format: Annotated[str, typer.Option("--format", help="jsonl or table.")] = "jsonl",
    jobs: Annotated[int, JOBS_OPTION] = 1,
    allow_private: Annotated[bool, ALLOW_PRIVATE_OPTION] = False,
    min_confidence: Annotated[float, MIN_CONFIDENCE_OPTION] = DEFAULT_MIN_CONFIDENCE,
    explain: Annotated[bool, typer.Option(
        "--explain", help="Print each actor's mention chain and the rule that resolved it "
        "(plain text, instead of --format).")] = False,
) -> None:
    """Code documents and print the events (nothing is stored)."""
    from tidings.pipeline import get_coder
    from tidings.runs import code as run_code

    published = _check_date(published, "--published")
    jobs = _check_jobs(jobs)
    if format not in ("jsonl", "table"):
        raise typer.BadParameter("choose jsonl or table", param_hint="--format")
    rejected: list[Rejected] = []
    coder = get_coder()
    # the run service's coding half (nothing is stored): the same failure isolation
    for coded in run_code(_articles(files, published, source, rejected, allow_private),
                          coder, jobs=jobs, min_confidence=min_confidence):
        if isinstance(coded, Rejected):
            _print_not_coded(coded.origin or coded.article_id, coded)
            rejected.append(coded)
            continue
        if coded.notes:
            _print_notes(coded)
        if explain:
            from tidings.explain import explain as explain_actors

            sys.stdout.write(explain_actors(coded))
        elif format == "jsonl":
            sys.stdout.write(json.dumps(coded.to_dict(), ensure_ascii=False) + "\n")
        else:
            _print_event_table(_flat(coded),
                               title=coded.article.title or coded.article.id)
    if rejected:
        err.print(f"{len(rejected)} document(s) could not be read or coded (see above)")
        raise typer.Exit(code=EXIT_FAILED)


def _print_skipped(origin: str | None, rej: Rejected) -> None:
    """A document the reader could not read (it was recorded or counted elsewhere)."""
    err.print(f"[yellow]skipped[/] {escape(origin or '')}: {rej.reason} "
              f"{escape(first_line(rej.detail))}".rstrip(), soft_wrap=True)


def _print_not_coded(origin: str | None, rej: Rejected) -> None:
    """A document the coder failed on."""
    err.print(f"[red]could not code[/] {escape(origin or '')}: "
              f"{escape(first_line(rej.detail))}", soft_wrap=True)


def _print_notes(coded: CodedArticle) -> None:
    a = coded.article
    err.print(f"[yellow]note[/] {a.origin or a.id}: {'; '.join(coded.notes)}")


def _flat(coded: CodedArticle) -> list[dict]:
    """The coded events as the store's flat rows (the columns of the events table)."""
    from tidings.store import rows

    doc_id = coded.article.id
    return [dict(zip(rows.FLAT_FIELDS, rows.flat_event(rows.event_row(e, doc_id, None)),
                     strict=True)) for e in coded.events]


def _actor_cell(country, sector, text) -> str:
    code = "-".join(x for x in (country, sector) if x) or "?"
    return f"{code} ({' '.join(text.split())})" if text else code  # one line


def _print_event_table(rows: list[dict], title: str | None = None) -> None:
    table = Table(title=title, show_lines=False)
    for col in ("date", "type", "cameo", "modality", "source", "target", "trigger"):
        table.add_column(col)
    for r in rows:
        table.add_row(r.get("date") or "", r["event_type"], r["cameo"], r["modality"],
                      _actor_cell(r["source_country"], r["source_sector"], r["source_text"]),
                      _actor_cell(r["target_country"], r["target_sector"], r["target_text"]),
                      r["trigger"])
    out.print(table)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Text, HTML, JSONL or CSV files, or dirs.")],
    db: Annotated[str, DB_OPTION] = DEFAULT_DB,
    published: Annotated[str | None, typer.Option(help="Default publication date.")] = None,
    source: Annotated[str | None, typer.Option(help="Default outlet name.")] = None,
    batch_size: Annotated[int, typer.Option(
        min=1, help="Documents per batch, for the parser and per database transaction.")] = 32,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
    jobs: Annotated[int, JOBS_OPTION] = 1,
    allow_private: Annotated[bool, ALLOW_PRIVATE_OPTION] = False,
    min_confidence: Annotated[float, MIN_CONFIDENCE_OPTION] = DEFAULT_MIN_CONFIDENCE,
) -> None:
    """Code documents and store them with their events (re-ingesting adds nothing).

    Documents are committed in batches (``--batch-size``), each document all-or-nothing:
    if a run is interrupted, running the same command again codes only what is not stored
    yet.
    """
    from tidings.ingest import iter_articles
    from tidings.pipeline import get_coder
    from tidings.runs import ingest as run_ingest
    from tidings.store import Store

    published = _check_date(published, "--published")
    jobs = _check_jobs(jobs)
    items = iter_articles(paths, published=published, source=source,
                          allow_private=allow_private)
    with Store(db) as store:
        coder = get_coder()
        columns = (TextColumn("[bold]ingesting"), BarColumn(), TextColumn(
            "{task.fields[docs]} docs · {task.fields[events]} events · "
            "{task.fields[errors]} errors"), TimeElapsedColumn())
        with Progress(*columns, console=err, disable=quiet, transient=False) as progress:
            task = progress.add_task("ingest", total=None, docs=0, events=0, errors=0)

            def show(done, report) -> None:
                _print_done(done)
                progress.update(task, advance=1, docs=report.stored, events=report.events,
                                errors=report.failed)

            report = run_ingest(items, store, coder, batch_size=batch_size, jobs=jobs,
                                min_confidence=min_confidence, on_progress=show)
    err.print(f"stored {report.stored} documents ({report.events} events); "
              f"{report.duplicates} already stored; {report.failed} errors")
    if report.failed:  # as `code` does: a script can tell a clean run from a lossy one
        err.print("some documents were not stored: `tidings status` lists why, "
                  "`tidings retry-failed` retries them", soft_wrap=True)
        raise typer.Exit(code=EXIT_FAILED)


def _print_done(done) -> None:
    """One line for a document that failed, or was stored but coded only in part."""
    if done.outcome == "stored" and done.coded.notes:
        _print_notes(done.coded)
    if done.failure is None:
        return
    rej, origin = done.failure, escape(done.origin)
    if done.stage == "read":
        _print_skipped(done.origin, rej)
    elif done.stage == "code":
        _print_not_coded(done.origin, rej)
    else:
        err.print(f"[red]could not store[/] {origin}: {rej.reason}: "
                  f"{escape(first_line(rej.detail))}", soft_wrap=True)


def _geocode(place: str) -> tuple[float, float]:
    """A place name from the gazetteer, or "LAT,LON"."""
    try:
        lat, lon = (float(x) for x in place.split(","))
    except ValueError:
        from tidings.nlp.places import get_gazetteer

        hit = get_gazetteer().lookup(place)
        if hit is None or hit.lat is None or hit.lon is None:
            raise typer.BadParameter(f"{place!r} is not in the gazetteer; try LAT,LON",
                                     param_hint="--near") from None
        # say which place was taken: a name can be a town the user did not mean
        err.print(f"near {hit.name}, {hit.country or '?'} ({hit.lat:.4f},{hit.lon:.4f})",
                  markup=False, soft_wrap=True)
        return hit.lat, hit.lon
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise typer.BadParameter(f"{place!r} is not a latitude,longitude", param_hint="--near")
    return lat, lon


@app.command()
def events(
    db: Annotated[str, DB_OPTION] = DEFAULT_DB,
    actor: Annotated[str | None, typer.Option(help="ISO3 code of source or target.")] = None,
    type: Annotated[str | None, typer.Option("--type", help="PLOVER event type.")] = None,
    since: Annotated[str | None, typer.Option(help="First date YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Last date YYYY-MM-DD.")] = None,
    near: Annotated[str | None, typer.Option(
        help="Place name (or LAT,LON) to search around: the place of each mention, or with "
             "canonical events the canonical event's (representative) place.")] = None,
    radius_km: Annotated[float, typer.Option(help="Radius around --near, in km.")] = 50.0,
    limit: Annotated[int | None, typer.Option(
        min=0, max=SQL_INT_MAX, help="At most this many events.")] = None,
    format: Annotated[str, typer.Option("--format", help=(
        "table, or a registered format: csv, jsonl, parquet, acled, acled-parquet, gdelt, "
        "gdelt-parquet, phoenix, phoenix-parquet, polecat (docs/formats.md). With "
        "--mentions every format writes what /api/events?format= writes for the same "
        "query; without, export formats write what /api/canonical?format= writes."))
    ] = "table",
    mentions: Annotated[bool, typer.Option(
        "--mentions", help="One row per event per article (every mention), not one per "
                           "real-world event.")] = False,
    update: Annotated[bool, typer.Option(
        help="Cluster documents stored since the last clustering before answering "
             "(canonical events only).")] = True,
    min_confidence: Annotated[float | None, typer.Option(
        min=0.0, max=1.0, help="Only event mentions whose calibrated confidence is at least "
                               "this (implies --mentions).")] = None,
) -> None:
    """Query stored events: one row per real-world event (canonical event), or with
    --mentions one row per event per article.

    Canonical events are brought up to date first: documents stored since the last
    clustering are clustered (`update_canonical`, incremental), as `tidings cluster` does.
    They merge asserted events of original articles only; negated, future and other
    non-asserted events, and wire copies, are listed by --mentions.
    """
    from tidings.model import PLOVER_TYPES
    from tidings.store import Store
    from tidings.store.queries import EventFilter

    since, until = _check_date(since, "--since"), _check_date(until, "--until")
    if type is not None and type.upper() not in PLOVER_TYPES:
        raise typer.BadParameter(f"{type!r} is not a PLOVER type ({', '.join(PLOVER_TYPES)})",
                                 param_hint="--type")
    if format != "table":
        from tidings.formats import renderer_names

        if format not in renderer_names():
            raise typer.BadParameter(f"choose table or one of {', '.join(renderer_names())}",
                                     param_hint="--format")
    if not 0 < radius_km <= 20_000:  # also refuses nan and inf
        raise typer.BadParameter("must be above 0 and at most 20000 km",
                                 param_hint="--radius-km")
    point = _geocode(near) if near else None
    # the filter /api/events reads from its query parameters
    where = EventFilter(actor=actor, types=(type,) if type else (), since=since, until=until,
                        near=point, radius_km=radius_km, min_confidence=min_confidence or None)
    with Store(db, must_exist=True) as store:
        # a confidence cut applies to event mentions (canonical events have none)
        if mentions or min_confidence is not None:
            return _mention_events(store, where, format, limit)
        filters = {k: getattr(where, k) for k in ("actor", "types", "since", "until", "near",
                                                   "radius_km")}
        if format != "table":
            return _export(store, format, update, limit, **filters)
        return _canonical_table(store, update, limit, **filters)


def _mention_events(store, where, format: str, limit: int | None) -> None:
    """Event mentions, streamed: the table as lines, any other format as the API writes it
    (``/api/events?format=`` for the same filter)."""
    from tidings import formats
    from tidings.formats import records
    from tidings.store import queries, rows

    if format != "table":
        report = formats.write(format, islice(records.mention_records(store.engine, where),
                                              limit), "mentions", sys.stdout.buffer)
        sys.stdout.flush()
        if formats.get_renderer(format).keeps is not None:
            err.print(f"{format}: left out {report.left_out} event(s) with {report.reason}")
        return
    n = 0
    sys.stdout.write(f"{'date':10}  {'type':9} {'cameo':5} {'modality':12} {'source':22} "
                     f"{'target':22} trigger\n")
    chunk = max(1, min(limit or 2000, 2000))
    for row in islice(queries.iter_event_rows(store.engine, where, chunk=chunk), limit):
        r = dict(zip(rows.FLAT_FIELDS, rows.flat_event(row), strict=True))
        source, target = (_actor_cell(r[f"{role}_country"], r[f"{role}_sector"],
                                      r[f"{role}_text"]) for role in ("source", "target"))
        sys.stdout.write(f"{r['date'] or '-':10}  {r['event_type']:9} {r['cameo'] or '-':5} "
                         f"{r['modality'] or '-':12} {source:22} {target:22} "
                         f"{r['trigger'] or ''}\n")
        n += 1
    sys.stdout.write(f"{n} events (one row per event per article)\n")


def _refresh_canonical(store, update: bool) -> None:
    from tidings.corpus import update_canonical
    from tidings.store import canonical_queries as cq

    with store.engine.connect() as conn:
        pending = cq.pending_documents(conn)
    if pending and update:
        err.print(f"clustering {pending} document(s) stored since the last clustering ...")
        update_canonical(store)
    elif pending:
        err.print(f"[yellow]{pending} document(s) are not clustered yet[/]: run "
                  "`tidings cluster` (or drop --no-update)")


def _export(store, format: str, update: bool, limit: int | None, **filters) -> None:
    """A registered format of canonical events, streamed to stdout from the records
    ``/api/canonical?format=`` exports."""
    from tidings import formats
    from tidings.formats import records
    from tidings.store.canonical_queries import CanonicalFilter

    _refresh_canonical(store, update)
    rows = records.canonical_records(store.engine, CanonicalFilter(**filters))
    report = formats.write(format, islice(rows, limit), "canonical", sys.stdout.buffer)
    sys.stdout.flush()
    if formats.get_renderer(format).keeps is not None:
        err.print(f"{format}: left out {report.left_out} event(s) with {report.reason}")


def _canonical_table(store, update: bool, limit: int | None, **filters) -> None:
    """Canonical events as plain lines, not a rich table: the ids must stay whole and
    copyable at any width. Streamed, in the order of ``/api/canonical``."""
    from tidings.formats import records
    from tidings.store import canonical_queries as cq

    _refresh_canonical(store, update)
    found = records.canonical_records(store.engine, cq.CanonicalFilter(**filters))
    out.print(f"{'id':19}  {'date':10}  {'type':9} {'cameo':5} {'source':6} {'target':6} "
              "articles sources mentions")
    n = 0
    for record in islice(found, limit):
        ce = record["canonical"]
        r, outlet = cq.flat(ce), (ce["evidence"] or {}).get("outlet")
        out.print(f"{r['id']:19}  {r['date'] or '-':10}  {r['event_type']:9} "
                  f"{r['cameo'] or '-':5} {r['source_country'] or '?':6} "
                  f"{r['target_country'] or '?':6} {r['num_articles']:>8} "
                  f"{r['num_sources']:>7} {r['num_mentions']:>8}", markup=False)
        out.print(f"    first reported {r['first_seen'] or '?'}; "
                  f"{outlet or 'evidence'}: {r['evidence_sentence'] or ''}", markup=False)
        n += 1
    out.print(f"{n} real-world events (--mentions: one row per event per article)")


@app.command()
def summary(db: Annotated[str, DB_OPTION] = DEFAULT_DB) -> None:
    """What the store holds: documents, events by type, top dyads, errors."""
    from tidings.store import Store

    with Store(db, must_exist=True) as store:
        s = store.summary()
    out.print(f"[bold]{s['documents']}[/] documents, [bold]{s['events']}[/] events, "
              f"{s['errors']} errors")
    by_type = Table(title="Events by type")
    by_type.add_column("type")
    by_type.add_column("events", justify="right")
    for t, n in sorted(s["events_by_type"].items(), key=lambda x: -x[1]):
        by_type.add_row(t, str(n))
    out.print(by_type)
    dyads = Table(title="Top dyads")
    for col in ("source", "target", "events"):
        dyads.add_column(col)
    for src, tgt, n in s["top_dyads"]:
        dyads.add_row(src, tgt, str(n))
    out.print(dyads)
    if s.get("errors_by_reason"):
        out.print("errors: " + ", ".join(f"{k} {v}" for k, v in s["errors_by_reason"].items()))


@app.command()
def classify(
    file: Annotated[Path, typer.Argument(help="TSV file of id<TAB>text lines.")],
    scheme: Annotated[str, typer.Option(help="Label scheme: plover, cameo or acled.")] = "plover",
    min_confidence: Annotated[float, MIN_CONFIDENCE_OPTION] = DEFAULT_MIN_CONFIDENCE,
) -> None:
    """Print id<TAB>label for the main event of each text (NONE when there is none)."""
    from tidings.pipeline import get_coder
    from tidings.runs import code as run_code
    from tidings.schemes.acled import acled_label
    from tidings.schemes.cameo import cameo_label
    from tidings.schemes.main import main_event

    if scheme not in ("plover", "cameo", "acled"):
        raise typer.BadParameter("choose plover, cameo or acled", param_hint="--scheme")
    if not file.exists():
        raise typer.BadParameter(f"{file} does not exist", param_hint="FILE")

    def rows() -> Iterator[Article]:
        with open(file, encoding="utf-8", errors="replace") as fh:
            for lineno, line in enumerate(fh, 1):
                line = line.rstrip("\n")
                if not line.strip():
                    continue
                ident, sep, text = line.partition("\t")
                if not sep:
                    err.print(f"[yellow]line {lineno}: no tab, taking the whole line as text")
                    ident, text = str(lineno), line
                yield Article(text=text, id=ident, origin=f"{file}:{lineno}")

    failed = 0
    # the run service's coding half: the events (and the cut) `tidings code` gives
    for coded in run_code(rows(), get_coder(), min_confidence=min_confidence):
        if isinstance(coded, Rejected):  # no label: the others are still coded
            _print_not_coded(coded.origin or coded.article_id, coded)
            failed += 1
            continue
        event = main_event(coded)  # None when the main event is under the cut
        if scheme == "acled":
            label = acled_label(event)
        elif scheme == "cameo":
            label = cameo_label(event)
        else:
            label = event.event_type if event is not None else "NONE"
        sys.stdout.write(f"{coded.article.id}\t{label}\n")
    if failed:
        err.print(f"{failed} text(s) could not be coded (see above)")
        raise typer.Exit(code=EXIT_FAILED)


@app.command("eval")
def eval_cmd(
    dataset: Annotated[str, typer.Argument(
        help="plover-gsr (the PLOVER gold records), gold (a document-level gold file) or "
             "times (a TimeML-style gold file of temporal expressions) or places (a toponym "
             "gold file).")
    ] = "plover-gsr",
    gold_file: Annotated[Path | None, typer.Argument(
        help="For `gold`, `times` and `places`: the gold file (articles.jsonl beside it).")
    ] = None,
    data: Annotated[Path | None, typer.Option(help="Folder holding the gold file.")] = None,
    split: Annotated[str | None, typer.Option(
        help="For `gold`, `times` and `places`: score one split only (dev or test).")] = None,
    min_confidence: Annotated[float, typer.Option(
        help="For `gold`: score only events with at least this confidence.")] = 0.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    docs: Annotated[Path, typer.Option(help="Markdown file to write the figures to.")] = Path(
        "docs/accuracy.md"),
    write: Annotated[bool, typer.Option(help="Write the figures to --docs.")] = True,
    show_errors: Annotated[bool, typer.Option(
        help="For `gold`, `times` or `places` with `--split dev`: list the mistakes "
             "(events: actor errors and missed events; times: missed, spurious or mismatched "
             "expressions; places: missed, spurious, far or other-id toponyms); never for "
             "the test split.")] = False,
) -> None:
    """Score tidings against gold-standard records."""
    if show_errors and split != "dev":
        raise typer.BadParameter("--show-errors is for --split dev only")
    if dataset == "gold":
        if not 0.0 <= min_confidence <= 1.0:
            raise typer.BadParameter("--min-confidence must be between 0 and 1")
        _eval_file("gold", gold_file, split, as_json, docs, write, show_errors=show_errors,
                   min_confidence=min_confidence)
        return
    if dataset == "times":
        _eval_file("times", gold_file, split, as_json, docs, write, show_errors=show_errors)
        return
    if dataset == "places":
        _eval_file("places", gold_file, split, as_json, docs, write, show_errors=show_errors)
        return
    from tidings import evaluate

    if dataset != "plover-gsr":
        raise typer.BadParameter(f"unknown dataset {dataset!r}; try plover-gsr, gold, times or "
                                 f"places")
    folder = evaluate.find_gold_dir(data)
    if folder is None:
        err.print("[red]gold data not found[/]: give --data DIR (the folder holding "
                  "plover_gsr_dev.json, normally ../shared/eval/plover-gsr)")
        raise typer.Exit(code=2)
    report = evaluate.evaluate(evaluate.load_gold(folder))
    if as_json:
        sys.stdout.write(json.dumps(report.to_dict(), indent=2) + "\n")
    else:
        out.print(evaluate.render_markdown(report))
    if write:
        evaluate.write_section(docs, "plover-gsr", evaluate.render_markdown(report))
        err.print(f"figures written to {docs}")


# dataset -> (example gold file, report title, docs section prefix, scoring module)
GOLD_FILES = {
    "gold": ("gold.jsonl", "Real-news gold", "gold", "evaluate_gold"),
    "times": ("times.jsonl", "Temporal expressions", "times", "evaluate_times"),
    "places": ("toponyms.jsonl", "Toponyms", "places", "evaluate_places"),
}


def _eval_file(dataset: str, gold_file: Path | None, split: str | None, as_json: bool,
               docs: Path, write: bool, *, show_errors: bool = False, **options) -> None:
    """Score one document-level gold file (events, times or toponyms) and report it."""
    import importlib

    from tidings import evaluate

    example, title, prefix, module = GOLD_FILES[dataset]
    scorer = importlib.import_module(f"tidings.{module}")
    if gold_file is None or not gold_file.is_file():
        err.print(f"[red]gold file not found[/]: give the {example} file, e.g. "
                  f"training/gold/wikinews/{example}")
        raise typer.Exit(code=2)
    if split not in (None, "dev", "test"):
        raise typer.BadParameter("--split must be dev or test")
    try:
        report = scorer.evaluate(gold_file, split=split, **options)
    except (FileNotFoundError, KeyError, ValueError) as exc:
        err.print(f"[red]cannot read the gold set[/]: {exc}")
        raise typer.Exit(code=2) from None
    errors = report.pop("errors", [])  # the dev split's mistakes: shown only on request
    markdown = scorer.render_markdown(
        report, f"{title} ({gold_file.parent.name}, {report['split']})")
    if as_json:
        sys.stdout.write(json.dumps(report | ({"errors": errors} if show_errors else {}),
                                    indent=2) + "\n")
    else:
        out.print(markdown)
        for e in errors if show_errors else []:
            out.print(json.dumps(e, ensure_ascii=False), markup=False, highlight=False)
    if write:
        marker = f"{prefix}-{gold_file.parent.name}-{report['split']}"
        evaluate.write_section(docs, marker, markdown)
        err.print(f"figures written to {docs}")


# Feature commands register themselves on the shared `app` when imported (after the core
# commands above, so `tidings --help` lists those first).
import tidings.commands  # noqa: E402,F401


def main() -> None:  # pragma: no cover
    handler = logging.StreamHandler()
    handler.setFormatter(QuietFormatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler])
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
