"""Long and pathological texts, coded in bounded memory.

A text up to ``Limits.chunk_chars`` is coded whole, as always. A longer one is cut into
chunks of at most that many characters, at a paragraph break where there is one, else at a
line break, else after a sentence's closing punctuation, else at a space; each chunk is
coded on its own (its Doc is dropped before the next is made) and the results are joined
with every character offset moved back into the whole text. So memory follows the chunk,
not the document, and spaCy's ``max_length`` is never reached.

Before that, any run of non-space characters longer than ``max_token_chars`` (no word is;
base64 blobs and runaway markup are) is blanked with spaces of the same length: the
tokenizer never sees it, and offsets stay true. A "sentence" longer than a chunk is split at
chunk boundaries. A document stops being coded once it has ``max_events`` events. Each of
these is reported in the coded article's ``notes``, never done silently.

What a chunked document loses: context across a chunk boundary (an actor named in one chunk
and referred back to in the next), and the dateline's place for events after the first
chunk.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tidings.model import Article, CodedArticle

_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s")


@dataclass(frozen=True)
class Limits:
    chunk_chars: int = 50_000  # longer texts are coded chunk by chunk
    max_token_chars: int = 1_000  # a longer run of non-space characters is blanked
    max_events: int = 2_000  # per document; coding stops once reached


def blank_long_tokens(text: str, max_chars: int) -> tuple[str, int]:
    """``text`` with every run of over ``max_chars`` non-space characters replaced by
    spaces (same length, so offsets hold), and how many runs there were."""
    long_run = re.compile(r"\S{" + str(max_chars + 1) + ",}")
    count = 0

    def blank(m: re.Match) -> str:
        nonlocal count
        count += 1
        return " " * len(m.group())

    return long_run.sub(blank, text), count


def chunk_bounds(text: str, size: int) -> tuple[list[tuple[int, int]], int]:
    """(start, end) of each chunk, and how many cuts fell inside a sentence (no sentence
    end in the back half of the window)."""
    bounds: list[tuple[int, int]] = []
    start, mid_sentence = 0, 0
    while len(text) - start > size:
        window = text[start:start + size]
        half = size // 2
        cut = window.rfind("\n\n", half)
        if cut < 0:
            cut = window.rfind("\n", half)
        if cut < 0:
            ends = [m.end() for m in _SENTENCE_END.finditer(window, half)]
            cut = ends[-1] - 1 if ends else -1
        if cut < 0:
            cut = max(window.rfind(" ", half), window.rfind("\t", half))
            mid_sentence += bool(window[half:].strip())  # not when cutting through blanks
        if cut <= 0:
            cut = size  # no space at all: only possible with blanking switched off
        bounds.append((start, start + cut))
        start += cut
    bounds.append((start, len(text)))
    return bounds, mid_sentence


def shift_offsets(obj: Any, offset: int, seen: set[int] | None = None) -> None:
    """Add ``offset`` to every character span in ``obj`` (fields named ``span`` or ending
    in ``_span``), in place, through nested records and lists. Objects shared between
    events (one Actor in several) are moved once."""
    seen = set() if seen is None else seen
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, list | tuple):
        for item in obj:
            shift_offsets(item, offset, seen)
        return
    if isinstance(obj, dict):
        for item in obj.values():
            shift_offsets(item, offset, seen)
        return
    if not dataclasses.is_dataclass(obj) or isinstance(obj, type):
        return
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if (f.name == "span" or f.name.endswith("_span")) and isinstance(value, tuple) \
                and len(value) == 2 and all(isinstance(v, int) for v in value):
            setattr(obj, f.name, (value[0] + offset, value[1] + offset))
        elif isinstance(value, list | tuple | dict) or dataclasses.is_dataclass(value):
            shift_offsets(value, offset, seen)


def cap_events(coded: CodedArticle, limit: int, notes: list[str], where: str = "") -> bool:
    """Keep at most ``limit`` events; True (and a note) when some were dropped."""
    if len(coded.events) <= limit:
        return False
    dropped = len(coded.events) - limit
    del coded.events[limit:]
    notes.append(f"event cap of {limit} per document reached{where}: {dropped} further "
                 "event(s) dropped")
    return True


def code_in_chunks(article: Article, text: str, limits: Limits,
                   code_one: Callable[[Article, bool], CodedArticle],
                   notes: list[str]) -> CodedArticle:
    """Code ``text`` (the article's text, already guarded) chunk by chunk with
    ``code_one(part, is_first)`` and join the results into one CodedArticle for
    ``article``. Only the first chunk can open with a dateline."""
    bounds, mid_sentence = chunk_bounds(text, limits.chunk_chars)
    if len(bounds) > 1:
        notes.append(f"coded in {len(bounds)} chunks of at most {limits.chunk_chars:,} "
                     "characters (a long document)")
    if mid_sentence:
        notes.append(f"{mid_sentence} sentence(s) longer than half a chunk were split at "
                     "chunk boundaries")
    whole = CodedArticle(article=article)
    has_main = False
    for k, (start, end) in enumerate(bounds, 1):
        part = Article(text=text[start:end], id=article.id, title=article.title,
                       published=article.published, source=article.source, url=article.url,
                       origin=article.origin)
        coded = code_one(part, k == 1)
        shift_offsets([coded.events, coded.entities, coded.quotes, coded.quantities], start)
        for event in coded.events:
            event.id = f"{article.id}:{len(whole.events)}"
            if event.main:
                if has_main:  # the first chunk's main event stands for the document
                    event.main = False
                has_main = True
            whole.events.append(event)
        whole.entities += coded.entities
        whole.quotes += coded.quotes
        whole.quantities += coded.quantities
        if cap_events(whole, limits.max_events, notes, f" in chunk {k} of {len(bounds)}"):
            if end < len(text):
                notes.append(f"characters {end:,} to {len(text):,} were not coded")
            break
        if len(whole.events) == limits.max_events and end < len(text):
            notes.append(f"event cap of {limits.max_events} per document reached after "
                         f"chunk {k} of {len(bounds)}: characters {end:,} to {len(text):,} "
                         "were not coded")
            break
    return whole
