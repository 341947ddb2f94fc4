"""When did an event happen? Date phrases resolved against the publication date.

Conventions (``date`` is always the first day of the period, ``precision`` its size):

* weekdays, "yesterday", "last night", "May 15-16" -> the day ("May 15-16" starts May 15);
* "today", "tonight", "this morning", "in the past 24 hours" and "overnight" -> the
  publication day (morning copy reports the night that just ended);
* "last/this/next week", "N weeks ago" -> the Monday of that calendar week, "week";
* "over the weekend", "at the weekend" -> the Saturday of the latest weekend, "week";
* "early/mid/late May" -> the 1st/11th/21st, "week" (a third of a month);
* "early/mid/late 2022" -> Jan 1 / May 1 / Sep 1 of 2022, "year";
* months -> the 1st, "month"; years -> Jan 1, "year";
* "later this month" -> the day after publication (the period still to come), "month".

A day and month without a year takes the year that puts it nearest the publication date,
counting days after publication three times (news reports mostly look back).
dateparser is the fallback for forms the rules do not cover; it is never run on whole
sentences, where it reads "a day after the" as a date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

import dateparser
from spacy.tokens import Span, Token

from tidings.data import read_yaml
from tidings.nlp import doc_ents, doc_text, kids

Date = dt.date
WORDS = read_yaml("dates/words.yaml")
NUMBERS: dict[str, int] = WORDS["numbers"]
EVENT_NOUNS = set(WORDS["event_nouns"])
SUPPORT_VERBS = set(WORDS["support_verbs"])
OCCURRENCE_VERBS = set(WORDS["occurrence_verbs"])
FIXED = {p: 0 for p in WORDS["same_day"]} | {p: -1 for p in WORDS["previous_day"]}
FIXED |= {p: 1 for p in WORDS["next_day"]}

WEEKDAYS = [d.lower() for d in calendar.day_name]
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS |= {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m} | {"sept": 9}
HOLIDAYS: dict[str, list[int]] = WORDS["holidays"]  # name -> [month, day]

WD = "(?:" + "|".join(WEEKDAYS) + ")"
MON = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
# In running text only capitalised month names count: "may" is usually the modal.
MON_CAP = "(?-i:" + "|".join(sorted((m.title() for m in MONTHS), key=len, reverse=True)) + r")\.?"
NUM = r"(?:\d+|" + "|".join(NUMBERS) + ")"
ORD = r"(?:st|nd|rd|th)?"
UNITS = {"minute": (0, "day"), "hour": (0, "day"), "day": (1, "day"), "night": (1, "day"),
         "week": (7, "week"), "month": (30, "month"), "year": (365, "year")}  # fmt: skip
# Unnumbered units: "hours before" is the same day; "days after" a guess at coarser precision.
BARE = {"minute": (0, "day"), "hour": (0, "day"), "day": (2, "week"), "week": (14, "month"),
        "month": (90, "year")}  # fmt: skip
PART = r"(?:early|mid|late|the\s+(?:beginning|start|middle|end)\s+of)"
LEAD = re.compile(r"^(?:(?:on|in|at|during|since|from|by|until|as of|over|through)\s+)+")

R_WEEKDAY = re.compile(
    rf"^(?:(last|this past|past|next|this coming|coming|this)\s+)?({WD})"
    r"(?:'s)?(?:\s+(?:morning|afternoon|evening|night))?$"
)
R_WEEKEND = re.compile(r"^(?:(last|this past|past|next|this|the)\s+)?weekend$")
R_PERIOD = re.compile(
    r"^(?:the\s+)?(?:(earlier|later)\s+(?:in\s+)?)?(last|this|next|past|previous|coming|current)"
    r"\s+(week|month|year)$"
)
R_AGO = re.compile(rf"^({NUM}|a few|several)\s+(minute|hour|day|week|month|year)s?\s+ago$")
R_PART = re.compile(rf"^({PART})[\s-]*(?:({MON})(?:,?\s+(\d{{4}}))?|(\d{{4}}))$")
RANGE = rf"(?:\s*(?:-|to|and|or)\s*\d{{1,2}}{ORD})?"
R_MONTH_DAY = re.compile(rf"^({MON})\s+(\d{{1,2}}){ORD}{RANGE}(?:,?\s+(\d{{4}}))?$")
R_DAY_MONTH = re.compile(
    rf"^(?:the\s+)?(\d{{1,2}}){ORD}{RANGE}\s+(?:of\s+)?({MON})(?:,?\s+(\d{{4}}))?$"
)
R_MONTH = re.compile(rf"^(?:(last|this|next)\s+)?({MON})(?:,?\s+(?:of\s+)?(\d{{4}}))?$")
R_YEAR = re.compile(r"^((?:1[89]|20)\d\d)$")
R_DURATION = re.compile(rf"^(?:the\s+)?(?:{NUM}|a few|several|many)\s+\w+s?$")

# Rule phrases found in running text that spaCy's NER tends to miss or mis-split.
SCAN = re.compile(
    r"\b(?:"
    + "|".join(re.escape(p) for p in sorted(FIXED, key=len, reverse=True))
    + r"|(?:(?:last|this past|next|this)\s+|the\s+)weekend"
    + rf"|(?:(?:last|next|this past|this coming|this)\s+)?{WD}"
    + r"(?:\s+(?:morning|afternoon|evening|night))?"
    + r"|(?:(?:earlier|later)\s+)?(?:last|this|next|previous|past|coming)\s+(?:week|month|year)"
    + rf"|{NUM}\s+(?:minute|hour|day|week|month|year)s?\s+ago"
    + rf"|{PART}[\s-]*(?:{MON_CAP}(?:,?\s+\d{{4}})?|\d{{4}})"
    + rf"|{MON_CAP}\s+\d{{1,2}}{ORD}{RANGE}(?:,?\s+\d{{4}})?"
    + rf"|\d{{1,2}}{ORD}{RANGE}\s+(?:of\s+)?{MON_CAP}(?:\s+\d{{4}})?"
    # A bare month or year needs a preposition, so "May" the verb and "2024 drones" stay out.
    + rf"|(?:in|since|until|by|from|during|through)\s+(?:{MON_CAP}(?:,?\s+\d{{4}})?"
    + r"|(?:1[89]|20)\d\d)"
    + rf"|{MON_CAP},?\s+\d{{4}}"
    + r")\b",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=8192)
def scan(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of every SCAN phrase in a sentence's text. Cached: the prefilter and
    the date stage both scan each sentence that holds an event, and the pattern is long."""
    return tuple(m.span() for m in SCAN.finditer(text))


PARSER_SETTINGS = {"PREFER_DATES_FROM": "past", "PREFER_DAY_OF_MONTH": "first",
                   "RETURN_TIME_AS_PERIOD": True}  # fmt: skip
PRECISIONS = ["day", "week", "month", "year"]
FUTURE_AUX = {"will", "shall", "'ll", "wo"}


@dataclass
class DateMention:
    text: str
    span: tuple[int, int]  # character offsets in the document
    date: Date  # first day of the period
    precision: str  # day, week, month, year
    tokens: range  # token indices in the doc
    tensed: bool = False  # resolved with its clause's tense already (tidings.nlp.times)


def resolve_phrase(phrase: str, published: Date, prefer_future: bool = False
                   ) -> tuple[Date, str] | None:  # fmt: skip
    """A date phrase -> (first day of the period, precision), relative to the publication date."""
    p = " ".join(phrase.lower().replace("–", "-").replace("—", "-").replace("’", "'").split())
    p = LEAD.sub("", p.strip(" .,;:()")).strip()
    return _resolve(p, published, prefer_future) if p else None


def _monday(d: Date) -> Date:
    return d - dt.timedelta(days=d.weekday())


def _nearest_year(month: int, day: int, pub: Date, future: bool) -> Date | None:
    """The year for a day-month without one: nearest to publication, looking back by default."""
    cands = [c for y in range(pub.year - 1, pub.year + 2) if (c := _date(y, month, day))]
    if future:
        ahead = [c for c in cands if c >= pub]
        return min(ahead) if ahead else None
    return min(cands, key=lambda c: (pub - c).days if c <= pub else 3 * (c - pub).days,
               default=None)  # fmt: skip


def _month_year(month: int, pub: Date, which: str | None, future: bool) -> int:
    """The year of a bare month: the latest one so far ('last': strictly before this month)."""
    if which == "this":
        return pub.year
    if which == "next" or (future and which is None):
        return pub.year + (month < pub.month or (which == "next" and month == pub.month))
    return pub.year - (month > pub.month or (which == "last" and month == pub.month))


def _date(year: int, month: int, day: int) -> Date | None:
    ok = 1 <= day <= calendar.monthrange(year, month)[1]  # no Feb 29 in a common year
    return Date(year, month, day) if ok else None


def _day_month(day: int, month: int, year: str | None, pub: Date, future: bool) -> Date | None:
    return _date(int(year), month, day) if year else _nearest_year(month, day, pub, future)


def _number(word: str) -> int | None:
    return int(word) if word.isdigit() else NUMBERS.get(word)


@functools.lru_cache(maxsize=4096)
def _resolve(p: str, pub: Date, future: bool) -> tuple[Date, str] | None:
    for key in (p, p.removeprefix("the ")):
        if key in FIXED:
            return pub + dt.timedelta(days=FIXED[key]), "day"
        if key in HOLIDAYS:
            d = _nearest_year(*HOLIDAYS[key], pub, future)
            return (d, "day") if d else None
    if m := R_WEEKDAY.match(p):
        which, wd = m.group(1), WEEKDAYS.index(m.group(2))
        if which in ("next", "coming", "this coming") or (future and which in (None, "this")):
            ahead = (wd - pub.weekday()) % 7
            return pub + dt.timedelta(days=ahead or (7 if which else 0)), "day"
        back = (pub.weekday() - wd) % 7
        if which in ("last", "past", "this past") and back == 0:
            back = 7
        return pub - dt.timedelta(days=back), "day"
    if m := R_WEEKEND.match(p):
        which, on_weekend = m.group(1), pub.weekday() >= 5
        back = (pub.weekday() - 5) % 7  # days since the latest Saturday
        if which == "next" or (future and which in ("this", "the", None) and not on_weekend):
            return pub + dt.timedelta(days=(5 - pub.weekday()) % 7 or 7), "week"
        if which in ("last", "past", "this past") and on_weekend:
            back += 7
        return pub - dt.timedelta(days=back), "week"
    if m := R_PERIOD.match(p):
        return _period(m.group(1), m.group(2), m.group(3), pub)
    if m := R_AGO.match(p):
        n, unit = _number(m.group(1)), m.group(2)
        if n is None:
            return None  # "a few weeks ago": too vague to place
        if unit in ("minute", "hour", "day"):
            return pub - dt.timedelta(days=n if unit == "day" else 0), "day"
        return _start(unit, pub, -n), unit
    if m := R_PART.match(p):
        part = m.group(1).split()[-2] if m.group(1).startswith("the") else m.group(1)
        if m.group(4):
            return Date(int(m.group(4)), WORDS["year_parts"][part], 1), "year"
        start = WORDS["month_parts"][part]
        d = _day_month(start, MONTHS[m.group(2).rstrip(".")], m.group(3), pub, future)
        return (d, "week") if d else None
    for rx, day_group, month_group in ((R_MONTH_DAY, 2, 1), (R_DAY_MONTH, 1, 2)):
        if m := rx.match(p):
            month = MONTHS[m.group(month_group).rstrip(".")]
            d = _day_month(int(m.group(day_group)), month, m.group(3), pub, future)
            return (d, "day") if d else None
    if m := R_MONTH.match(p):
        month = MONTHS[m.group(2).rstrip(".")]
        year = int(m.group(3)) if m.group(3) else _month_year(month, pub, m.group(1), future)
        return Date(year, month, 1), "month"
    if m := R_YEAR.match(p):
        return Date(int(m.group(1)), 1, 1), "year"
    return _dateparser(p, pub)


def _start(unit: str, pub: Date, step: int) -> Date:
    """First day of the week/month/year containing pub, moved by ``step`` such periods."""
    if unit == "week":
        return _monday(pub) + dt.timedelta(weeks=step)
    if unit == "month":
        y, m = divmod(pub.year * 12 + pub.month - 1 + step, 12)
        return Date(y, m + 1, 1)
    return Date(pub.year + step, 1, 1)


def _period(tense: str | None, which: str, unit: str, pub: Date) -> tuple[Date, str]:
    step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(which, 0)
    start = _start(unit, pub, step)
    if tense == "later" and step == 0:
        # The period still to come starts tomorrow, unless today is its last day.
        tomorrow = pub + dt.timedelta(days=1)
        start = tomorrow if _start(unit, tomorrow, 0) == start else pub
    return start, unit


def _dateparser(p: str, pub: Date) -> tuple[Date, str] | None:
    """Last resort, for forms such as '2024-03-03' or '3/3/2024'. Durations are not dates."""
    if R_DURATION.match(p) or re.search(r"\d0'?s\b|\b(after|before|later|earlier|until)\b", p):
        return None  # durations, decades and relative phrases are not dates here
    if not re.search(rf"\d|\b{MON}", p):
        return None
    data = _parser(pub).get_date_data(p)
    if data is None or data.date_obj is None:
        return None
    d = data.date_obj.date()
    period = data.period or "day"
    if period == "year":
        return Date(d.year, 1, 1), "year"
    if period == "month":
        return d.replace(day=1), "month"
    if period == "week":
        return _monday(d), "week"
    return d, "day"


@functools.lru_cache(maxsize=64)
def _parser(pub: Date) -> dateparser.date.DateDataParser:
    base = dt.datetime(pub.year, pub.month, pub.day, 12)
    return dateparser.date.DateDataParser(
        languages=["en"], settings=PARSER_SETTINGS | {"RELATIVE_BASE": base}
    )


def find_dates(sent: Span, published: Date) -> list[DateMention]:
    """Date expressions in one sentence: spaCy DATE/TIME entities plus rule-found phrases."""
    doc, cands = sent.doc, []
    for ent in doc_ents(doc):
        if sent.start <= ent.start and ent.end <= sent.end and ent.label_ in ("DATE", "TIME"):
            cands.append((ent.start_char, ent.end_char))
    for start, end in scan(doc_text(doc)[sent.start_char:sent.end_char].rstrip()):
        cands.append((sent.start_char + start, sent.start_char + end))
    found: list[DateMention] = []
    # Longest first, so "early June 2024" wins over "early June" and "June 2024".
    for start, end in sorted(set(cands), key=lambda c: (c[0] - c[1], c[0])):
        if any(start < f.span[1] and f.span[0] < end for f in found):
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or _is_relative(span):
            continue
        hit = resolve_phrase(doc_text(doc)[start:end], published)
        if hit:
            toks = range(span.start, span.end)
            found.append(DateMention(doc_text(doc)[start:end], (start, end), *hit, toks))
    return sorted(found, key=lambda f: f.span[0])


def _is_relative(span: Span) -> bool:
    """'the day before the vote' counts from the vote, not from the publication date."""
    nxt = span.doc[span.end] if span.end < len(span.doc) else None
    return span[-1].lower_ in ("before", "after") and nxt is not None and nxt.pos_ in (
        "DET", "NOUN", "PROPN", "PRON", "ADJ", "NUM")  # fmt: skip


def _is_predicate(tok: Token) -> bool:
    if tok.pos_ == "VERB" or (tok.pos_ == "AUX" and tok.dep_ not in ("aux", "auxpass")):
        return True
    return tok.pos_ == "NOUN" and (tok.lemma_.lower() in EVENT_NOUNS or tok.lower_ in EVENT_NOUNS)


def _anchor(tok: Token, stop: Token | None = None) -> Token | None:
    """The first predicate (or ``stop``) above a token in the dependency tree."""
    while tok.head.i != tok.i:
        tok = tok.head
        if (stop is not None and tok.i == stop.i) or _is_predicate(tok):
            return tok
    return None


def _predicate_at(tok: Token) -> Token | None:
    return tok if _is_predicate(tok) else _anchor(tok)


def _own_clause(trigger: Token) -> list[Token]:
    """Predicates whose date is the trigger's date, nearest first."""
    own, head = [trigger], trigger.head
    lemma = (head if trigger.pos_ in ("NOUN", "PROPN") else trigger).lemma_.lower()
    if trigger.pos_ in ("NOUN", "PROPN"):
        if trigger.dep_ in ("nsubj", "nsubjpass") and _is_predicate(head):
            own.append(head)  # "the strike happened on Sunday", "the attack killed five ..."
        elif trigger.dep_ == "dobj" and lemma in SUPPORT_VERBS:
            own.append(head)  # "launched an attack on Sunday"
        elif trigger.dep_ == "attr" and lemma in OCCURRENCE_VERBS:
            own.append(head)
        own += [c for c in kids(trigger) if c.dep_ in ("acl", "relcl")]  # "talks, held on ..."
    else:  # "the attack on Sunday killed five", "launched an attack on Sunday"
        own += [c for c in kids(trigger) if _is_predicate(c) and (c.dep_ in (
            "nsubj", "nsubjpass") or (c.dep_ == "dobj" and lemma in SUPPORT_VERBS))]  # fmt: skip
    return own


def _relative(trigger: Token) -> tuple[int, str, Token | None, str] | None:
    """(offset, precision, anchor predicate, words) for 'a day after <trigger>' and kin."""
    marker, sign = None, 0
    if trigger.dep_ == "pobj":
        prep = trigger.head
        low, up = prep.lower_, prep.head.lower_
        if low in ("after", "following"):
            marker, sign = prep, -1
        elif low == "before" or (low, up) in (("of", "ahead"), ("to", "prior")):
            marker, sign = prep, 1
        elif low == "of" and up == "eve":
            return 1, "day", _anchor(prep.head), "the eve of"
    else:
        # "a day after Ukraine's drone attack destroyed ...": the clause's subject event
        # shares its verb's "after".
        holders = [trigger] + ([trigger.head] if trigger.dep_ in ("nsubj", "nsubjpass") else [])
        for child in (c for h in holders for c in kids(h)):
            if child.dep_ == "mark" and child.lower_ in ("after", "before"):
                marker, sign = child, (-1 if child.lower_ == "after" else 1)
                break
    if marker is None:
        return None
    base = marker.head if marker.lower_ in ("of", "to") else marker
    # "convened on Monday, a day after X destroyed ...": the date is counted from the
    # clause that the after-clause hangs on, not from the after-clause's own verb.
    start = base.head.head if marker.dep_ == "mark" and base.head.dep_ == "advcl" else base
    near = [base, *kids(base)]
    if marker.dep_ == "mark":
        near += list(kids(trigger))
    elif base.head.lemma_.lower() in UNITS:
        near.append(base.head)
    for tok in near:
        if tok.dep_ == "advmod" and tok.lower_ in ("shortly", "just", "immediately", "soon"):
            return 0, "day", _predicate_at(start), f"{tok.text} {marker.text}"
        unit = tok.lemma_.lower()
        if tok.pos_ != "NOUN" or unit not in UNITS:
            continue
        n = next((_number(c.lower_) for c in kids(tok)
                  if c.dep_ in ("nummod", "det") and _number(c.lower_)), None)  # fmt: skip
        if n is None and any(c.lower_ == "the" for c in kids(tok)) and unit in ("day", "night"):
            n = 1  # "the day after"
        words = " ".join(t.text for t in tok.subtree if t.i < marker.i) + f" {marker.text}"
        days, prec = (n * UNITS[unit][0], UNITS[unit][1]) if n else BARE.get(unit, (0, ""))
        return (sign * days, prec, _predicate_at(start), words) if prec else None
    return None


def relative_offset(trigger: Token) -> tuple[int, str] | None:
    """Signed days from the governing event's date to the trigger's ('a day after' -> -1)."""
    rel = _relative(trigger)
    return (rel[0], rel[1]) if rel else None


def _is_future(own: list[Token]) -> bool:
    return any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX for t in own for c in kids(t))


def date_for_event(trigger: Token, mentions: list[DateMention], published: Date | None,
                   governing: tuple[Date, str] | None = None,
                   ) -> tuple[str | None, str, str | None]:  # fmt: skip
    """(YYYY-MM-DD, precision, text) for the event whose trigger is given.

    1. a mention in the trigger's own clause: the first predicate above the mention is the
       trigger, or a predicate standing for it (its verb when it is the subject, its clause
       when it is the verb's subject event or support object, its participle or relative);
    2. "a day after <trigger>": the governing event's date (``governing``, else worked out
       from the clause the phrase hangs on) shifted by relative_offset; failing that, a verb
       chained by conj/advcl/xcomp to a dated predicate shares its date;
    3. the one mention in the sentence that no predicate claims (datelines, fragments);
    4. the publication date, precision "publication".
    Mentions are re-read looking forward when the clause has "will" or "shall".
    """
    doc = trigger.doc
    own = _own_clause(trigger)
    future = _is_future(own)

    def pick(m: DateMention) -> tuple[str, str, str]:
        d, prec = m.date, m.precision
        if future and published is not None and not m.tensed:
            d, prec = resolve_phrase(m.text, published, prefer_future=True) or (d, prec)
        return d.isoformat(), prec, m.text

    attached = [(_anchor(doc[m.tokens.start : m.tokens.stop].root, trigger), m) for m in mentions]
    # 1. A mention in the trigger's own clause, the one reaching the trigger itself first.
    for pred in own:
        mine = [m for a, m in attached if a is not None and a.i == pred.i]
        if mine:
            return pick(min(mine, key=lambda m: abs(m.tokens.start - trigger.i)))
    # 2. "a day after <trigger>": shift the governing event's date.
    rel = _relative(trigger)
    if rel is not None:
        offset, prec, anchor, words = rel
        if governing is None and anchor is not None and anchor.i != trigger.i:
            got = date_for_event(anchor, mentions, published)
            if got[0] is not None and got[1] != "publication":
                governing = (Date.fromisoformat(got[0]), got[1])
        if governing is not None and governing[1] != "publication":
            day = governing[0] + dt.timedelta(days=offset)
            return day.isoformat(), max(prec, governing[1], key=PRECISIONS.index), words
    # 2b. Clauses chained to a dated predicate ("entered the town on Monday and seized ...",
    # "attacked on Sunday, killing five") share its date; reported clauses (ccomp) do not.
    elif trigger.pos_ in ("VERB", "AUX"):
        tok = trigger
        while tok.dep_ in ("conj", "advcl", "xcomp") and tok.head.i != tok.i:
            tok = tok.head
            mine = [m for a, m in attached if a is not None and a.i == tok.i]
            if mine:
                return pick(mine[0])
    # 3. The one mention that no predicate claims.
    free = [m for a, m in attached if a is None]
    if len(free) == 1:
        return pick(free[0])
    # 4. The publication date.
    if published is None:
        return None, "publication", None
    return published.isoformat(), "publication", None
