"""Output formats: each one a registered renderer, used alike by ``tidings events --format``,
``/api/events/export?format=`` and ``/api/canonical?format=``.

A renderer turns a stream of event records into a stream of bytes; it never holds the
whole export. Records are flat mappings (``tidings.formats.records``): the stored event's
columns plus its document's and canonical event's fields. Add a format with::

    from tidings.formats import register_renderer

    def render(records, report):
        for r in records:
            yield (r["id"] + "\\n").encode()

    register_renderer("ids", render, media_type="text/plain", extension="txt",
                      description="one event id per line")

Built-in formats: csv, jsonl, parquet (tidings' own columns), acled, acled-parquet, gdelt,
gdelt-parquet, phoenix, phoenix-parquet, polecat. See docs/formats.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Record = Mapping[str, Any]
KINDS = ("mentions", "canonical")


@dataclass
class ExportReport:
    """What a renderer tells its caller besides the bytes: the kind of rows it was given
    and how many it left out (and why), e.g. ACLED leaves out events with no ACLED type."""

    kind: str = "mentions"  # "mentions" (one row per event per article) or "canonical"
    left_out: int = 0
    reason: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Renderer:
    name: str
    render: Callable[[Iterable[Record], ExportReport], Iterator[bytes]]
    media_type: str
    extension: str
    description: str = ""
    # which records the format writes (None: all of them); the API counts the others
    # ahead of the body, to send the count in a header
    keeps: Callable[[Record], bool] | None = None
    binary: bool = False


_REGISTRY: dict[str, Renderer] = {}


def register_renderer(name: str, render: Callable[[Iterable[Record], ExportReport],
                                                   Iterator[bytes]], *,
                      media_type: str, extension: str, description: str = "",
                      keeps: Callable[[Record], bool] | None = None,
                      binary: bool = False, replace: bool = False) -> Renderer:
    """Make ``name`` an output format of the CLI and the API."""
    if not name or not name.replace("-", "").isalnum() or name != name.lower():
        raise ValueError(f"format name {name!r}: lower-case letters, digits and '-' only")
    if name in _REGISTRY and not replace:
        raise ValueError(f"format {name!r} is already registered")
    renderer = Renderer(name, render, media_type, extension, description, keeps, binary)
    _REGISTRY[name] = renderer
    return renderer


TEXT_TABLES = {",": ("csv", "text/csv; charset=utf-8", "comma-separated"),
               "\t": ("tsv", "text/tab-separated-values; charset=utf-8", "tab-separated")}


def register_table_format(name: str, rows: Callable[[Iterable[Record], ExportReport],
                                                    Iterable[Sequence[Any]]], *,
                          delimiter: str, description: str,
                          keeps: Callable[[Record], bool] | None = None) -> None:
    """Register a table format twice: ``name`` as delimited text (with a header line) and
    ``name-parquet``, both with the columns of ``data/formats/<name>.yaml``.

    ``rows`` turns records into one list of values per row, in those columns' order (and
    counts on the report what it leaves out)."""
    from tidings.formats import codes, tabular

    extension, media_type, separated = TEXT_TABLES[delimiter]

    def render_text(records: Iterable[Record], report: ExportReport) -> Iterator[bytes]:
        return tabular.delimited(rows(records, report), codes.columns(name),
                                 delimiter=delimiter)

    def render_parquet(records: Iterable[Record], report: ExportReport) -> Iterator[bytes]:
        return tabular.parquet(rows(records, report), codes.columns(name))

    register_renderer(name, render_text, media_type=media_type, extension=extension,
                      keeps=keeps, description=f"{description}, {separated}")
    register_renderer(f"{name}-parquet", render_parquet,
                      media_type="application/vnd.apache.parquet", extension="parquet",
                      keeps=keeps, binary=True, description=f"{description} as Parquet")


def unregister_renderer(name: str) -> None:
    _REGISTRY.pop(name, None)


def _load_builtins() -> None:
    # importing the modules registers their formats (tidings' own first)
    import tidings.formats.native  # noqa: F401
    from tidings.formats import acled, gdelt, phoenix, polecat  # noqa: F401


def get_renderer(name: str) -> Renderer:
    _load_builtins()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown format {name!r}; choose one of "
                       f"{', '.join(renderer_names())}") from None


def renderer_names() -> list[str]:
    _load_builtins()
    return list(_REGISTRY)


def count_left_out(name: str, records: Iterable[Record]) -> int:
    """How many of the records the format leaves out (0 for formats that keep all)."""
    keeps = get_renderer(name).keeps
    return 0 if keeps is None else sum(1 for r in records if not keeps(r))


def write(name: str, records: Iterable[Record], kind: str, out: Any) -> ExportReport:
    """Render ``records`` as format ``name`` into the binary file ``out``, chunk by chunk."""
    report = ExportReport(kind=kind)
    for chunk in get_renderer(name).render(records, report):
        if chunk:
            out.write(chunk)
    return report
