"""The times stage: every temporal expression of a Doc, as TIMEX3, in ``doc.spans["times"]``.

A registered spaCy component (``tidings_times_v1``). It reads the publication date from
``doc.user_data["tidings.published"]`` (an ISO date, set by the coder or by the caller),
finds and normalises expressions with the rules of ``tidings.nlp.timex``, and writes one
Span per expression to ``doc.spans["times"]`` with ``span._.timex`` = {"type", "value",
"mod", "anchor", ...}. The tense of each expression's clause comes from the parse where
the sentence has one (the aux and tag of the predicate above it, or a verb such as "plan"
or "expect" governing that predicate), and from cue words where it does not: the coder
parses only sentences that can hold an event.
"""

from __future__ import annotations

import datetime as dt
import re

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from tidings.data import read_yaml
from tidings.model import Timex
from tidings.nlp import doc_text, kids
from tidings.nlp.dates import DateMention
from tidings.nlp.timex import Found, find, period_start

NAME = "tidings_times_v1"  # factory names may not hold a dot
SPANS_KEY = "times"
PUBLISHED_KEY = "tidings.published"
_V = read_yaml("dates/times.yaml")
FUTURE_AUX = set(_V["future_auxiliaries"])
PAST_AUX = set(_V["past_auxiliaries"])
FUTURE_VERBS = set(_V["future_verbs"])
FUTURE_CUES = re.compile(r"\b(?:" + "|".join(re.escape(c) for c in _V["future_cues"])
                         + r")\b", re.IGNORECASE)  # fmt: skip
PAST_CUES = re.compile(r"\b(?:" + "|".join(re.escape(c) for c in _V["past_cues"]) + r")\b",
                       re.IGNORECASE)

if not Span.has_extension("timex"):
    Span.set_extension("timex", default=None)


def _predicate(tok: Token) -> Token | None:
    """The verb (or copula) the expression hangs on."""
    seen = 0
    while seen < 20:
        if tok.pos_ in ("VERB",) or (tok.pos_ == "AUX" and tok.dep_ not in ("aux", "auxpass")):
            return tok
        if tok.head.i == tok.i:
            return None
        tok, seen = tok.head, seen + 1
    return None


def parsed_tense(tok: Token) -> str | None:
    """'future', 'past' or None for the clause a token sits in, read from the parse."""
    pred = _predicate(tok)
    if pred is None:
        return None
    while pred.dep_ == "conj" and pred.head.i != pred.i and not any(
            c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass") for c in kids(pred)):
        pred = pred.head  # "is scheduled to remain ... and return on Friday": shared tense
    aux = [c.lower_ for c in kids(pred) if c.dep_ in ("aux", "auxpass")]
    if any(a in FUTURE_AUX for a in aux):
        return "future"
    if pred.tag_ == "VB" and not (set(aux) - {"to"}) and pred.head.i != pred.i:
        # "plans to meet on Friday", "ordered he remain in custody until April 5"
        if pred.head.lemma_.lower() in FUTURE_VERBS or any(
                c.dep_ == "aux" and c.lower_ in FUTURE_AUX for c in kids(pred.head)):
            return "future"
        if "to" in aux and pred.head.pos_ in ("NOUN", "PROPN"):
            return "future"  # "a plan to meet on Friday", "the committee to report on Monday"
        return None
    if any(a in PAST_AUX for a in aux) or pred.tag_ == "VBD":
        return "past"
    if pred.tag_ == "VBN" and any(a in ("has", "have") for a in aux):
        return "past"
    return None


# A past form, unless a participle after "be" ("will be buried on Tuesday").
PAST_VERB = re.compile(r"(?<!\bbe )(?<!\bbeen )(?<!\bis )(?<!\bare )\b[a-z]{3,}ed\b")


def cue_tense(left: str, right: str) -> str | None:
    """The tense a clause's words suggest, for sentences without a parse: the cue nearest
    before the expression, else the first one after it."""
    cues = [(m.end(), "future") for m in FUTURE_CUES.finditer(left)]
    cues += [(m.end(), "past") for rx in (PAST_CUES, PAST_VERB) for m in rx.finditer(left)]
    if cues:
        return max(cues)[1]
    after = [(m.start(), "future") for m in FUTURE_CUES.finditer(right)]
    after += [(m.start(), "past") for rx in (PAST_CUES, PAST_VERB) for m in rx.finditer(right)]
    return min(after)[1] if after else None


class TimeTagger:
    """Finds and normalises the temporal expressions of a Doc (see the module docstring)."""

    def __init__(self, nlp: Language | None = None, name: str = NAME):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        published = doc.user_data.get(PUBLISHED_KEY)
        dct = _date(published)
        text = doc_text(doc)
        sentences = _sentences(doc)
        tenses: dict[tuple[int, int], str | None] = {}  # a span's tense is asked again on
        # re-reading (weekdays, months): it depends on the span alone

        def tense(s: int, e: int) -> str | None:
            if (s, e) not in tenses:
                tenses[(s, e)] = self._tense(doc, text, sentences, s, e)
            return tenses[(s, e)]

        found = find(text, dct, tense, sentences, lambda i: _tag_at(doc, i))
        spans = []
        for f in found:
            span = doc.char_span(f.start, f.end, alignment_mode="expand")
            if span is None:
                continue
            span._.timex = {"type": f.type, "value": f.value, "mod": f.mod,
                            "anchor": f.anchor, "start": f.start, "end": f.end,
                            "text": f.text, **f.extra}  # fmt: skip
            spans.append(span)
        doc.spans[SPANS_KEY] = spans
        return doc

    @staticmethod
    def _tense(doc: Doc, text: str, sentences: list[tuple[int, int]], start: int,
               end: int) -> str | None:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and span.root.tag_ and span.root.head.i != span.root.i:
            pred = _predicate(span.root)
            lo, hi = sorted((span.start_char, pred.idx)) if pred is not None else (0, 0)
            if "\n" not in text[lo:hi]:  # a headline parsed into the first sentence
                return parsed_tense(span.root)  # the parse decides where there is one
        sent = next((s for s in sentences if s[0] <= start < s[1]), (0, len(text)))
        # The clause around the expression: from the last clause break before it to the
        # first one after it.
        left = text[sent[0]:start]
        cut = max(left.rfind(ch) for ch in ";:\"“”")
        right = text[end:sent[1]]
        stop = min((i for i in (right.find(ch) for ch in ";:\"“”") if i >= 0), default=len(right))
        return cue_tense(left[cut + 1:], right[:stop])


def _tag_at(doc: Doc, char: int) -> str | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return (span[0].tag_ or None) if span is not None and len(span) else None


def _date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _sentences(doc: Doc) -> list[tuple[int, int]]:
    """Sentence spans, cut at line breaks too: a headline is not part of the first sentence."""
    text = doc_text(doc)
    if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
        spans = [(s.start_char, s.end_char) for s in doc.sents]
    else:
        spans = [(0, len(text))]
    out = []
    for start, end in spans:
        for piece in re.finditer(r"[^\n]+", text[start:end]):
            out.append((start + piece.start(), start + piece.end()))
    return out or [(0, len(text))]


def times_of(doc: Doc) -> list[Timex]:
    """The Doc's temporal expressions as model records (the coder's export)."""
    out = []
    for span in doc.spans.get(SPANS_KEY, []):
        t = span._.timex
        if t is None:
            continue
        out.append(Timex(text=t["text"], span=(t["start"], t["end"]), type=t["type"],
                         value=t["value"], mod=t["mod"], anchor=t["anchor"],
                         age=bool(t.get("age")), range_end=t.get("range_end")))
    return out


def date_mentions(sent: Span) -> list[DateMention]:
    """The sentence's expressions that name a period on the calendar, as the candidates
    ``dates.date_for_event`` chooses an event's date from (its own clause first)."""
    out = []
    for span in sent.doc.spans.get(SPANS_KEY, []):
        if not sent.start <= span.start < sent.end:
            continue
        t = span._.timex
        found = Found(t["start"], t["end"], t["text"], t["type"], t["value"], t["mod"],
                      t["anchor"])
        got = period_start(found)
        if got is not None:
            out.append(DateMention(t["text"], (t["start"], t["end"]), got[0], got[1],
                                   range(span.start, span.end), tensed=True))
    return out


@Language.factory(NAME)
def _make(nlp: Language, name: str) -> TimeTagger:
    return TimeTagger(nlp, name)
