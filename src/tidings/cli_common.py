"""What every CLI command shares: the Typer app, the consoles, exit statuses, common options
and checks.

``tidings.cli`` (the core commands) and the feature modules in ``tidings.commands`` all
import from here, and this module imports neither, so the command modules do not import
each other in a circle.
"""

from __future__ import annotations

import logging
import sys
import traceback
from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

from tidings.confidence import DEFAULT_MIN_CONFIDENCE  # noqa: F401 (MIN_CONFIDENCE_OPTION's default)
from tidings.errors import TidingsError

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)

# Exit statuses, the same for every command (docs/security.md lists them):
EXIT_OK = 0  # everything read was coded (and stored)
EXIT_FAILED = 1  # some documents failed (recorded with their reason), or the run failed
EXIT_USAGE = 2  # a usage error: a bad option, a missing file or database; nothing was done
_debug = {"on": False}


class _Commands(TyperGroup):
    """Turns whatever escapes a command into one line on stderr and an exit status; the
    traceback is shown only with ``tidings --debug``."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (typer.exceptions.TyperException, typer.Exit, typer.Abort):
            raise  # usage errors and exits: Typer prints and exits as usual
        except TidingsError as exc:
            _traceback()
            err.print(f"[red]error:[/] {escape(str(exc))}", soft_wrap=True)
            raise typer.Exit(code=EXIT_USAGE) from None
        except KeyboardInterrupt:
            _traceback()
            err.print("interrupted")
            raise typer.Exit(code=130) from None
        except Exception as exc:
            _traceback()
            hint = "" if _debug["on"] else " (run `tidings --debug ...` for the traceback)"
            err.print(f"[red]error:[/] {escape(_one_line(exc))}{hint}", soft_wrap=True)
            raise typer.Exit(code=EXIT_FAILED) from None


def _traceback() -> None:
    if _debug["on"]:
        traceback.print_exc(file=sys.stderr)


def first_line(text: str | None, width: int = 300) -> str:
    """The first line of a message, cut to ``width``: one line per problem on screen."""
    line = ((text or "").strip().splitlines() or [""])[0]
    return line if len(line) <= width else line[: width - 1] + "…"


def _one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__


EXIT_HELP = ("Exit status: 0 when everything was coded and stored; 1 when some documents "
             "failed (each is recorded with its reason) or the run stopped on an error; 2 for "
             "a usage error (bad option, missing file or database), when nothing was done.")
app = typer.Typer(add_completion=False, no_args_is_help=True, cls=_Commands,
                  pretty_exceptions_enable=False, epilog=EXIT_HELP,
                  help="tidings: code news text into PLOVER/CAMEO event data.")


@app.callback()
def _main_options(
    debug: Annotated[bool, typer.Option(
        "--debug", envvar="TIDINGS_DEBUG",
        help="Show tracebacks (and debug logging) instead of one-line errors.")] = False,
) -> None:
    """Options for every command."""
    _debug["on"] = debug
    if debug:
        logging.getLogger("tidings").setLevel(logging.DEBUG)


class QuietFormatter(logging.Formatter):
    """Log lines without tracebacks unless --debug: a user sees the one-line reason."""

    def formatException(self, ei) -> str:  # noqa: N802 (logging's name)
        return super().formatException(ei) if _debug["on"] else ""

    def formatStack(self, stack_info: str) -> str:  # noqa: N802
        return super().formatStack(stack_info) if _debug["on"] else ""

    def format(self, record: logging.LogRecord) -> str:
        if not _debug["on"]:
            record.exc_text = None  # a cached traceback from another handler
        return super().format(record).rstrip()


DB_OPTION = typer.Option("--db", help="SQLAlchemy URL of the event store.")
DEFAULT_DB = "sqlite:///tidings.db"
ALLOW_PRIVATE_OPTION = typer.Option(
    "--allow-private", help="Let URLs and feeds reach loopback, private and link-local "
    "addresses (refused by default; see docs/security.md).")


def check_date(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)",
                                 param_hint=option) from None


MIN_CONFIDENCE_HELP = ("Keep only events whose calibrated confidence is at least this "
                       "(0-1; 0 keeps every event the model asserts). Every command that "
                       "codes has the same default, the tuned cut that favours precision.")
# the cut of every command that codes (tidings.runs applies it; POST /api/documents has the
# same default in its min_confidence field)
MIN_CONFIDENCE_OPTION = typer.Option("--min-confidence", min=0.0, max=1.0,
                                     help=MIN_CONFIDENCE_HELP)
JOBS_OPTION = typer.Option(
    "--jobs", "-j", help="Coding processes on this machine (-1: one per core). The model is "
    "loaded once and shared; results keep the input order. For several machines, see "
    "`tidings batch`.")


MAX_PROCESSES = 256  # more than this is a typo, not a machine: each one is a forked coder
SQL_INT_MAX = 2**63 - 1  # the database's integer range, for limits that reach SQL


def check_jobs(jobs: int) -> int:
    if jobs == 0 or jobs < -1 or jobs > MAX_PROCESSES:
        raise typer.BadParameter(f"give a number of processes (1 to {MAX_PROCESSES}), or -1 "
                                 "for one per core", param_hint="--jobs")
    return jobs
