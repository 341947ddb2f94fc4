"""Quotations and who said them.

Quote marks are paired on the raw text, not on spaCy's sentences: the parser often hangs a
closing mark on the next sentence, and a quote may run over several sentences or
paragraphs. The parse is used afterwards, to find the speech verb and its subject.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from tidings.data import read_yaml
from tidings.model import Actor, Quote
from tidings.nlp import doc_column, doc_ents, doc_text, kids

Resolver = Callable[[Token], Actor | None]

_APOSTROPHE_AFTER = re.compile(r"(?:s|t|d|m|re|ll|ve|em|n|til|cause)\b|\d0s\b|\d\d\b", re.I)
_OPENERS_BEFORE = ' \t\n([{—–-/"“'
_CLOSERS_AFTER = ' \t\n.,;:!?)]}—–-"”'
_END_PUNCT = ".!?"
_SKIP_BEFORE_NAME = {"as", "the", "a", "an", "it", "was", "is", "be", "been", "being", "by"}
_NAME_LABELS = {"PERSON", "ORG", "NORP", "GPE"}


@functools.cache
def _words() -> dict[str, frozenset[str]]:
    data = read_yaml("quantities/quotes.yaml")
    return {k: frozenset(v) for k, v in data.items() if isinstance(v, list)}


@dataclass
class _Raw:
    start: int  # inner text, without the marks
    end: int
    close: int  # first character after the closing mark (== end for an unclosed quote)
    single: bool


def _para_end(text: str, pos: int) -> int:
    """End of the paragraph containing pos, with trailing space trimmed."""
    nl = text.find("\n", pos)
    end = len(text) if nl < 0 else nl
    while end > pos and text[end - 1].isspace():
        end -= 1
    return end


def _double_quotes(text: str) -> list[_Raw]:
    out: list[_Raw] = []
    pending: int | None = None
    for m in re.finditer(r"[\"“”]", text):
        i, ch = m.start(), m.group()
        prev = text[i - 1] if i else " "
        opening = ch == "“" or (ch == '"' and prev in _OPENERS_BEFORE)
        if opening:
            if pending is not None:
                # News style: a quote running into a new paragraph is not closed, only reopened.
                end = _para_end(text, pending)
                out.append(_Raw(pending, min(end, i), min(end, i), False))
            pending = i + 1
        elif pending is not None:
            out.append(_Raw(pending, i, i + 1, False))
            pending = None
    if pending is not None:
        end = _para_end(text, pending)
        out.append(_Raw(pending, end, end, False))
    return out


def _single_quotes(text: str, taken: list[_Raw]) -> list[_Raw]:
    """Single-quoted phrases; an apostrophe (Russia's, don't, the '90s) never counts."""
    out: list[_Raw] = []
    inside = [(q.start - 1, q.close) for q in taken]
    pos = 0
    for m in re.finditer(r"['‘]", text):
        i = m.start()
        if i < pos or any(a <= i < b for a, b in inside):
            continue
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < len(text) else " "
        if prev not in _OPENERS_BEFORE or not nxt.isalnum():
            continue
        if m.group() == "'" and _APOSTROPHE_AFTER.match(text, i + 1):
            continue
        close = _single_close(text, i + 1)
        if close is not None:
            out.append(_Raw(i + 1, close, close + 1, True))
            pos = close + 1
    return out


def _single_close(text: str, start: int) -> int | None:
    found = []
    for m in re.finditer(r"['’]", text[start : start + 200]):
        j = start + m.start()
        if "\n" in text[start:j]:
            break
        prev, nxt = text[j - 1], text[j + 1] if j + 1 < len(text) else " "
        if j == start or prev.isspace() or nxt not in _CLOSERS_AFTER:
            continue
        found.append(j)
        # "soldiers' families": a plural possessive, unless nothing better follows.
        if not (prev == "s" and nxt == " " and text[j + 2 : j + 3].islower()):
            return j
    return found[0] if found else None


def _tokens(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand") if end > start else None


def _is_name(text: str, raw: _Raw) -> bool:
    """'Spiderweb' after 'dubbed', 'so-called', 'known as', 'Operation': a name, not speech."""
    inner = text[raw.start : raw.end].strip()
    if len(inner.split()) > 5 or (inner and inner[-1] in _END_PUNCT + ","):
        return False
    before = re.findall(r"[\w-]+", text[max(0, raw.start - 60) : raw.start - 1].lower())
    cues = _words()["naming_cues"]
    for word in reversed(before[-4:]):
        if word in cues:
            return True
        if word not in _SKIP_BEFORE_NAME:
            break
    return False


def _has_clause(span: Span) -> bool:
    subj = ("nsubj", "nsubjpass", "expl")
    return any(t.pos_ in ("VERB", "AUX") and any(c.dep_ in subj for c in kids(t)) for t in span)


def _kind(text: str, raw: _Raw, span: Span | None) -> str:
    inner = text[raw.start : raw.end].rstrip()
    head = text[max(0, raw.start - 5) : raw.start - 1].rstrip()
    clause_start = not head or head[-1] in '.!?:,;\n"”—–' or head.endswith("(")
    words = len(inner.split())
    if span is not None and words >= 3 and _has_clause(span):
        return "direct"
    if clause_start and (inner[-1:] in _END_PUNCT + "," or words >= 4):
        return "direct"
    if inner[-1:] in _END_PUNCT and words >= 4:
        return "direct"
    return "partial"


def _is_speech(tok: Token) -> bool:
    return tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in _words()["speech_verbs"]


def _subject(verb: Token) -> Token | None:
    for tok in (verb, verb.head):
        for child in kids(tok):
            if child.dep_ in ("nsubj", "nsubjpass"):
                return child
        if tok.dep_ not in ("conj", "advcl", "xcomp", "dep"):
            break
    if verb.lemma_ == "say":  # "said a senior official" parsed as an object
        for child in verb.rights:
            if child.dep_ in ("dobj", "attr", "npadvmod") and child.pos_ in ("PROPN", "NOUN"):
                return child
    return None


def _according_to(tokens: list[Token]) -> Token | None:
    for tok in tokens:
        if tok.lower_ == "according":
            for prep in kids(tok):
                if prep.lower_ == "to":
                    for obj in kids(prep):
                        if obj.dep_ == "pobj":
                            return obj
            nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
            if nxt is not None and nxt.lower_ == "to" and nxt.i + 1 < len(tok.doc):
                obj = [c for c in kids(nxt) if c.dep_ == "pobj"]
                if obj:
                    return obj[0]
    return None


def _frame(doc: Doc, start: int, end: int, forward: bool) -> list[Token]:
    """The words between a quote mark and the nearest sentence edge on one side of it."""
    span = _tokens(doc, start, end)
    if span is None:
        return []
    toks = list(span) if forward else list(reversed(span))
    out: list[Token] = []
    for tok in toks:
        if tok.text in ('"', "“", "”", "'", "‘", "’") or "\n" in tok.text:
            break
        if forward and tok.text in _END_PUNCT:
            break
        if not forward and (tok.text in _END_PUNCT or "\n" in tok.whitespace_):
            break
        out.append(tok)
        if len(out) > 30:
            break
    return out if forward else list(reversed(out))


def _speaker_in(tokens: list[Token]) -> Token | None:
    for tok in tokens:
        if _is_speech(tok):
            subj = _subject(tok)
            if subj is not None:
                return subj
    return _according_to(tokens)


def _governing_speaker(text: str, span: Span) -> Token | None:
    """The subject of a speech verb the quote hangs from: 'Trump remarked that ... "crazy"'."""
    inside = {t.i for t in span}
    for tok in span:
        if tok.head.i in inside:
            continue
        node, steps = tok.head, 0
        while steps < 8:
            if node.i not in inside and _is_speech(node):
                return _subject(node) if _same_sentence(text, span, node) else None
            if node.head.i == node.i:
                break
            node, steps = node.head, steps + 1
    return None


def _same_sentence(text: str, span: Span, tok: Token) -> bool:
    """No paragraph break or full stop outside the quote between it and the verb."""
    if tok.idx < span.start_char:
        gap = text[tok.idx : span.start_char]
    else:
        gap = text[span.end_char : tok.idx]
        gap = gap[1:] if gap[:1] in ".!?" else gap  # the quote's own full stop
    gap = re.sub(r"[\"“”'‘’]", "", gap)
    return "\n" not in gap and not re.search(r"[.!?](\s|$)", gap)


class _Mentions:
    """Named people in order, for sending 'he said' back to the right person."""

    def __init__(self, doc: Doc, quoted: list[tuple[int, int]]):
        self.items: list[tuple[int, Token, bool]] = []  # position, head token, main subject
        seen: set[int] = set()
        inside = {t.i for a, b in quoted if (sp := _tokens(doc, a, b)) is not None for t in sp}

        def outside(tok: Token) -> bool:
            return tok.i not in inside

        for ent in doc_ents(doc):
            if ent.label_ == "PERSON" and outside(ent.root):
                self._add(ent.root)
                seen.add(ent.root.i)
        pos, deps = doc_column(doc, "pos"), doc_column(doc, "dep")
        for i in range(len(doc)):  # a Token object only for a proper-noun subject
            if pos[i] != "PROPN" or i in seen or i in inside:
                continue
            if deps[i] not in ("nsubj", "nsubjpass"):
                continue
            tok = doc[i]
            if not _is_speech(tok.head):
                continue
            if tok.ent_type_ in ("GPE", "NORP", "LOC", "FAC") or (tok.is_upper and len(tok) > 1):
                continue
            self._add(tok)
        self.items.sort(key=lambda m: m[0])

    def _add(self, tok: Token) -> None:
        head = tok.head
        clause_root = head.dep_ == "ROOT" or (head.dep_ == "conj" and head.head.dep_ == "ROOT")
        main = tok.dep_ in ("nsubj", "nsubjpass") and (clause_root or _is_speech(head))
        self.items.append((tok.idx, tok, main))

    def before(self, pos: int) -> Token | None:
        recent = [m for m in self.items if m[0] < pos and pos - m[0] < 2500]
        for _, tok, main in reversed(recent):
            if main:
                return tok
        return recent[-1][1] if recent else None


def _entity(tok: Token) -> Span | None:
    """The named entity around a token, read off its IOB tags (doc.ents is rebuilt per call)."""
    if not tok.ent_type_:
        return None
    doc, start, end = tok.doc, tok.i, tok.i + 1
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=tok.ent_type_)


def _name(tok: Token) -> str:
    """The words naming a speaker: the proper name if there is one, else the noun phrase."""
    doc = tok.doc
    if tok.pos_ == "NOUN":  # "the rebel commander Ali Nasser": the name in apposition
        for child in tok.rights:
            if child.dep_ == "appos" and child.ent_type_ == "PERSON":
                tok = child
                break
    ent = _entity(tok)
    if ent is not None and ent.label_ in _NAME_LABELS:
        titles = _words()["titles"]
        words = [t for t in ent if t.lower_ not in titles] if ent.label_ == "PERSON" else []
        return doc[words[0].i : ent.end].text if words else ent.text
    if tok.pos_ == "PROPN":
        left = tok.i
        while left > 0 and doc[left - 1].pos_ == "PROPN" and doc[left - 1].head.i in (tok.i, left):
            left -= 1
        while left < tok.i and doc[left].lower_ in _words()["titles"]:
            left += 1
        return doc[left : tok.i + 1].text
    start = tok.left_edge.i
    end = tok.i + 1
    for child in tok.rights:
        if child.dep_ == "prep":
            end = child.right_edge.i + 1
        else:
            break
    while start < end - 1 and doc[start].is_punct:
        start += 1
    return doc[start:end].text


def find_quotes(doc: Doc, resolve: Resolver | None = None) -> list[Quote]:
    """Direct and partial quotations in doc, each with its speaker when the text says."""
    text = doc_text(doc)
    doubles = _double_quotes(text)
    raws = sorted(doubles + _single_quotes(text, doubles), key=lambda r: r.start)
    raws = [r for r in raws if text[r.start : r.end].strip() and not _is_name(text, r)]
    mentions = _Mentions(doc, [(r.start, r.end) for r in raws])
    pronouns = _words()["person_pronouns"]

    quotes: list[Quote] = []
    prev: tuple[_Raw, Token | None, Token | None] | None = None  # raw, speaker, antecedent
    for raw in raws:
        inner = text[raw.start : raw.end]
        lead = len(inner) - len(inner.lstrip())
        start, end = raw.start + lead, raw.start + len(inner.rstrip().rstrip(",").rstrip())
        span = _tokens(doc, start, end)
        kind = _kind(text, raw, span)
        quoted = text[start:end]

        speaker = _governing_speaker(text, span) if span is not None else None
        if speaker is None and (quoted[-1:] not in _END_PUNCT or _lower_next(text, raw.close)):
            speaker = _speaker_in(_frame(doc, raw.close, len(text), forward=True))
        if speaker is None:
            speaker = _speaker_in(_frame(doc, 0, raw.start - 1, forward=False))
        target = speaker
        follows = prev is not None and quotes[-1].kind == "direct" and kind == "direct"
        if speaker is None and follows and _continues(text, prev[0], raw):
            speaker, target = prev[1], prev[2]
        elif speaker is not None and speaker.lower_ in pronouns:
            target = mentions.before(speaker.idx)
        elif speaker is not None and speaker.pos_ == "PRON":
            target = None

        name = _name(target) if target is not None else None
        actor = resolve(target) if resolve is not None and target is not None else None
        quotes.append(
            Quote(text=quoted, span=(start, end), speaker=name, speaker_actor=actor, kind=kind)
        )
        if speaker is not None and prev is not None and prev[2] is None:
            # A quote left open at a paragraph end belongs to the speaker of its sequel.
            last = quotes[-2] if len(quotes) > 1 else None
            if last and last.speaker is None and prev[0].close == prev[0].end:
                if _continues(text, prev[0], raw):
                    last.speaker, last.speaker_actor = name, actor
        prev = (raw, speaker, target)
    return quotes


def _lower_next(text: str, pos: int) -> bool:
    """'"Are you ready?" he asked.': the attribution goes on in lower case."""
    m = re.compile(r"\s*(\S)").match(text, pos)
    return bool(m) and m.group(1).islower()


def _continues(text: str, before: _Raw, raw: _Raw) -> bool:
    """A quote carries on the previous one when at most the attribution sits between them."""
    if raw.single != before.single:
        return False
    gap = text[before.close : raw.start - 1]
    if len(gap) > 200:
        return False
    return len(re.findall(r"[.!?](?=\s|$)", gap)) <= 1
