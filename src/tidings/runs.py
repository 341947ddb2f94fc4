"""Code documents and store them: the one run loop behind every command that stores.

`tidings ingest`, `tidings watch`, `tidings retry-failed`, ``POST /api/documents`` and
`tidings batch` + `tidings load` all go through this module, and `tidings code` and
`tidings classify` through its coding half, so they follow one set of rules:

* Input is a stream of ``Article`` and ``Rejected`` (a document the reader could not
  read). A text already stored (same ``Article.content_hash``, whatever its id) is not
  coded again: the store is asked about a batch of texts at a time, before coding.
* A document that cannot be read, coded or written is recorded in the ``errors`` table
  with its reason, and the rest of the run goes on.
* Coded documents are written ``batch_size`` at a time: one transaction per batch and a
  savepoint per document (``Store.add_many``). A crash loses at most one batch, and the
  same run again codes only what is not stored yet.
* A document coded only in part (a very long text, ``tidings.nlp.chunks``) is stored and
  gets a ``partly_coded`` row, so the limit is never silent.
* One confidence cut: a coded document keeps the events whose calibrated confidence is at
  least ``min_confidence``, and every entry point has the same default,
  ``tidings.confidence.DEFAULT_MIN_CONFIDENCE`` (the tuned cut that favours precision;
  ``None`` here means that default, 0 keeps every event). The same article gives the same
  events whichever way it came in; `tidings load` stores what `tidings batch` kept.
* One ``Report`` counts what happened, the same way for every caller; ``on_progress``
  hears about each document as it is done (the CLI's progress bar, the watcher's log).

``code`` is the coding half alone, for `tidings batch`, which writes Parquet files instead
of a database; ``store_coded`` is the storing half alone, for `tidings load`, which stores
what a batch job coded.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Any, Literal

from tidings.confidence import DEFAULT_MIN_CONFIDENCE, check_min_confidence, filter_confidence
from tidings.model import Article, CodedArticle, Rejected

log = logging.getLogger("tidings.runs")

Outcome = Literal["stored", "duplicate", "failed"]
Stage = Literal["read", "code", "store"]
PARTLY_CODED = "partly_coded"  # the reason of a stored document's limits (nlp.chunks)
CODING_FAILED = "coding_failed"  # the reason of a document the coder failed on


@dataclass(frozen=True)
class Done:
    """What happened to one document, told to ``on_progress`` as it happens."""

    outcome: Outcome
    coded: CodedArticle | None = None  # stored, or found to be a duplicate after coding
    failure: Rejected | None = None  # why it failed (recorded in ``errors``)
    stage: Stage | None = None  # where it failed: read, code or store
    article: Article | None = None  # a duplicate found before coding

    @property
    def document(self) -> Article | None:
        """The document, when it reached the reader's end (None for an unreadable item)."""
        return self.coded.article if self.coded is not None else self.article

    @property
    def origin(self) -> str:
        """Where it came from, for a message: a file (``path:N``), a URL, or its id."""
        if self.failure is not None:
            return self.failure.origin or self.failure.article_id or ""
        a = self.document
        return (a.origin or a.url or a.id or "") if a is not None else ""


@dataclass
class Report:
    """What a run did. Every document counts once: stored, a duplicate, or failed."""

    stored: int = 0
    duplicates: int = 0  # its text was already stored (or came twice in this run)
    events: int = 0  # events of the documents this run stored
    failures: list[Rejected] = field(default_factory=list)  # each recorded in ``errors``
    # stored, but coded only in part (also recorded, as ``partly_coded``): not failures
    partly_coded: list[Rejected] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def documents(self) -> int:
        return self.stored + self.duplicates + self.failed


Progress = Callable[[Done, Report], None]


def ingest(items: Iterable[Article | Rejected], store: Any, coder: Any, *,
           batch_size: int = 32, jobs: int = 1, min_confidence: float | None = None,
           on_progress: Progress | None = None, report: Report | None = None) -> Report:
    """Code ``items`` with ``coder`` and store them in ``store``; see the module's rules.

    ``jobs`` > 1 (or -1) codes in that many forked processes (``Coder.code_each``);
    ``min_confidence`` keeps only events at least that confident (None: the default cut);
    ``report`` adds to an existing report instead of starting a new one."""
    # the coder's version is read when there is something to store: a coder built on
    # first use (the watcher's) is not built for a round with nothing new
    writer = _Writer(store, lambda: coder.version, batch_size, on_progress, report)
    for result in code(_unstored(items, writer), coder, batch_size=batch_size, jobs=jobs,
                       min_confidence=min_confidence):
        if isinstance(result, Rejected):
            writer.fail(result, "code")
        else:
            writer.add(result)
    writer.flush()
    return writer.report


def code(items: Iterable[Article | Rejected], coder: Any, *, batch_size: int = 32,
         jobs: int = 1, min_confidence: float | None = None
         ) -> Iterator[CodedArticle | Rejected]:
    """Each item coded: a ``CodedArticle`` holding the events at least ``min_confidence``
    confident (None: ``DEFAULT_MIN_CONFIDENCE``, the cut of every entry point), or a
    ``Rejected`` for an item the reader (already) or the coder (reason ``coding_failed``)
    could not handle. Articles keep their order; a reader's ``Rejected`` comes out near
    where it came in. A failure never ends the stream: the coder's ``code_each`` puts a
    ``Rejected`` in the place of a document it fails on and codes the rest of its batch
    (``tidings.pipeline.Coder`` does, in worker processes too)."""
    cut = confidence_cut(min_confidence)  # a bad value fails here, before any coding
    unread: list[Rejected] = []

    def articles() -> Iterator[Article]:
        for item in items:
            if isinstance(item, Rejected):
                unread.append(item)
            else:
                yield item

    todo = articles()
    first = next(todo, None)  # nothing to code: no model loaded, no processes started
    # processes only when asked for: a coder of one process need not know the option
    processes = {"n_process": jobs} if jobs != 1 else {}
    if first is not None:
        for result in coder.code_each(chain([first], todo), batch_size=batch_size,
                                      **processes):
            yield from _drain(unread)
            if isinstance(result, CodedArticle):
                result.events = filter_confidence(result.events, cut)
            yield result
    yield from _drain(unread)


def confidence_cut(min_confidence: float | None) -> float:
    """The cut a run applies: ``min_confidence``, or the documented default for None.
    Raises ValueError outside 0-1."""
    return check_min_confidence(DEFAULT_MIN_CONFIDENCE if min_confidence is None
                                else min_confidence)


def store_coded(items: Iterable[CodedArticle | Rejected], store: Any, *,
                pipeline_version: str = "", batch_size: int = 32,
                on_progress: Progress | None = None, report: Report | None = None) -> Report:
    """Store documents coded elsewhere (a batch job's datasets) and record ``Rejected``
    rows, by the same rules as ``ingest``. A ``partly_coded`` row counts as a note on a
    document, not as a failure."""
    writer = _Writer(store, lambda: pipeline_version, batch_size, on_progress, report)
    for item in items:
        if isinstance(item, Rejected):
            if item.reason == PARTLY_CODED:
                writer.note(item)
            else:
                writer.fail(item, "code" if item.reason == CODING_FAILED else "read")
        else:
            writer.add(item)
    writer.flush()
    return writer.report


def partly_coded(coded: CodedArticle) -> Rejected | None:
    """The errors-table row of a document stored but coded only in part (its ``notes``:
    chunked, blanked or capped, see ``tidings.nlp.chunks``); None for the rest."""
    if not coded.notes:
        return None
    a = coded.article
    return Rejected(a.origin or a.url or a.id or "", PARTLY_CODED, "; ".join(coded.notes),
                    article_id=a.id)


class OnFirstUse:
    """A coder built by ``factory`` when it is first used: a run with nothing to code (a
    feed with nothing new, a retry with nothing to re-read) never loads the model."""

    def __init__(self, factory: Callable[[], Any]) -> None:
        self._factory = factory
        self._coder: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._coder is None:
            self._coder = self._factory()
        return getattr(self._coder, name)


# -- the parts ------------------------------------------------------------------------------


def _drain(items: list[Rejected]) -> Iterator[Rejected]:
    while items:
        yield items.pop(0)


def _unstored(items: Iterable[Article | Rejected], writer: _Writer) -> Iterator[Article]:
    """Articles whose text is not stored yet; an unreadable item is recorded here, and a
    stored text counted as a duplicate. The store is asked a batch of texts at a time:
    the parse is what costs, so skipping a stored text before coding is the saving."""
    it = iter(items)
    while batch := list(islice(it, writer.batch_size)):
        articles = [a for a in batch if isinstance(a, Article)]
        known = writer.store.known_hashes(a.content_hash for a in articles)
        for item in batch:
            if isinstance(item, Rejected):
                writer.fail(item, "read")
            elif item.content_hash in known:
                writer.done(Done("duplicate", article=item))
            else:
                yield item


class _Writer:
    """Stores coded documents a batch at a time, records failures, keeps the report."""

    def __init__(self, store: Any, version: Callable[[], str], batch_size: int,
                 on_progress: Progress | None, report: Report | None) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {batch_size}")
        self.store, self.version, self.batch_size = store, version, batch_size
        self.on_progress = on_progress
        self.report = report if report is not None else Report()
        self.pending: list[CodedArticle] = []

    def done(self, done: Done) -> None:
        if done.outcome == "stored":
            self.report.stored += 1
            self.report.events += len(done.coded.events)
        elif done.outcome == "duplicate":
            self.report.duplicates += 1
        if self.on_progress is not None:
            self.on_progress(done, self.report)

    def fail(self, rej: Rejected, stage: Stage) -> None:
        self.store.record_error(rej)
        self.report.failures.append(rej)
        self.done(Done("failed", failure=rej, stage=stage))

    def note(self, rej: Rejected) -> None:
        self.store.record_error(rej)
        self.report.partly_coded.append(rej)

    def add(self, coded: CodedArticle) -> None:
        self.pending.append(coded)
        if len(self.pending) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        batch, self.pending = self.pending, []
        if not batch:
            return
        failures: list[Rejected] = []  # recorded by the store, in the order of the batch
        outcomes = self.store.add_many(batch, pipeline_version=self.version(),
                                       failures=failures)
        why = iter(failures)
        for coded, outcome in zip(batch, outcomes, strict=True):
            if outcome == "saved":
                if (note := partly_coded(coded)) is not None:
                    self.note(note)
                self.done(Done("stored", coded=coded))
            elif outcome == "duplicate":
                self.done(Done("duplicate", coded=coded))
            else:
                rej = next(why)
                self.report.failures.append(rej)
                self.done(Done("failed", coded=coded, failure=rej, stage="store"))
