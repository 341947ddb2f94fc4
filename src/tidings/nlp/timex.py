"""Temporal expressions as TIMEX3: find them in text and normalise them (no spaCy here).

HeidelTime-style: the patterns and word lists are data (``data/dates/times.yaml``); each
pattern names a *kind*, and one small function per kind turns a match into a TIMEX3 type
(DATE, TIME, DURATION, SET), value (``2025-06-02``, ``2025-W23``, ``P2Y``, ``PRESENT_REF``,
``XXXX-WXX-1`` ...) and mod (START, MID, END, APPROX, MORE_THAN ...).

Relative expressions are resolved against an anchor: the publication date for deictic
ones ("yesterday", "last week", "Monday"), the last day the text named for anaphoric ones
("the next day", "that night", a bare clock time). A bare month or weekday reads the tense
of its clause (``Context.tense``): "will meet in May" looks forward, "met on Friday" back;
with no tense, a month is the nearest one and a preposition such as "through" or "until"
looks forward. Extents never include the preposition ("in May" -> "May").
"""


from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable

from tidings.nlp import timex_dates as dates
from tidings.nlp import timex_times as times
from tidings.nlp.timex_base import (
    DAY_PARTS,
    MODIFIERS,
    NUMBERS,
    PART_MONTH,
    SEASON_MONTH,
    SEASONS,
    UNITS,
    VAGUE,
    WEEKDAYS,
    Context,
    Date,
    Found,
    V,
)


def _alt(words, *, capital: bool = False) -> str:
    """A regex alternation of words, longest first; ``capital``: only in capitals."""
    words = sorted({w for w in words}, key=len, reverse=True)
    body = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
    if capital:
        body = "|".join(re.escape(w.title()) for w in words)
        return f"(?-i:{body})"
    return f"(?:{body})"


def _unit_forms() -> list[str]:
    forms = []
    for unit in UNITS:
        forms += [unit, unit + "s"] if unit != "century" else ["century", "centuries"]
    return forms


def _placeholders() -> dict[str, str]:
    # full names, or abbreviations with an optional full stop ("Sept.")
    month = "(?:" + _alt(V["months"], capital=True) + "|" + \
        _alt(V["month_abbr"], capital=True) + r"\.?)(?!\w)"
    weekday = _alt(WEEKDAYS, capital=True)
    number_words = [w for w, n in NUMBERS.items() if float(n).is_integer() and n > 1]
    return {
        "NUMWORD": _alt(number_words + ["one"]),
        # a weekday or written date after a clock time: "15:00 GMT Saturday"
        "DATETAIL": rf"(?:\s+(?P<weekday>{weekday})(?:\s+(?P<daypart>{_alt(DAY_PARTS)}))?"
                    rf"|,?\s+(?P<month>{month})\s+(?P<day>\d{{1,2}})"
                    r"(?:,?\s+(?P<year>(?:1[0-9]|20)\d\d))?)?",
        # Month names count in capitals only: "may" is mostly the modal, "march" the verb.
        "MONTH": month,
        "WEEKDAY": _alt(WEEKDAYS, capital=True),
        "NUM": r"(?:\d+(?:\.\d+)?|" + _alt(NUMBERS)[3:-1] + ")",
        "VAGUE": _alt(VAGUE),
        "UNIT": _alt(_unit_forms()),
        "YEAR": r"(?:1[0-9]|20)\d\d",
        "DAYPART": _alt(DAY_PARTS),
        "SEASON": _alt(SEASONS),
        "MOD": _alt(MODIFIERS),
        "ZONE": "(?:" + _alt(V["zones"]) + r"|(?-i:[A-Z][a-z]+)\s+time)(?![\w])",
        "ORD": r"(?:st|nd|rd|th)?",
        "HOLIDAY": _alt(V["holidays"]),
        "DEICTIC": _alt(V["deictic_days"]),
        "ANAPHORIC": _alt(V["anaphoric_days"]),
        "REFERENCE": _alt(V["references"]),
        "SETWORD": _alt(V["set_adverbs"]),
    }


def _compile(pattern: str, fill: dict[str, str]) -> re.Pattern:
    return re.compile(re.sub(r"\{([A-Z]+)\}", lambda m: fill[m.group(1)], pattern),
                      re.IGNORECASE)


@functools.cache
def patterns() -> list[tuple[str, re.Pattern]]:
    fill = _placeholders()
    return [(row["kind"], _compile(row["pattern"], fill)) for row in V["patterns"]]


NEEDS: dict[str, frozenset[str]] = {kind: frozenset(words) for kind, words in V["needs"].items()}
# A piece of text every match of the kind holds: a document without it skips the kind.
GATES: dict[str, re.Pattern] = {kind: re.compile(rx, re.IGNORECASE)
                                for kind, rx in V.get("gates", {}).items()}
WORD = re.compile(r"[a-z]+|\d+")
CLOCK = re.compile(r"\d[:h.]\d\d")
APPOSITION = re.compile(r",\s\d{1,3},")
WINDOW_BEFORE, WINDOW_AFTER = 80, 60  # characters around a needed word where a match may lie


# The words some kind needs, as whole runs of letters (the runs WORD finds): only their
# positions are looked up, so only they are collected.
NEEDED = re.compile("(?<![a-z])(?:" + "|".join(sorted(
    {w for words in NEEDS.values() for w in words
     if isinstance(w, str) and WORD.fullmatch(w) and not w.isdigit()},
    key=len, reverse=True)) + ")(?![a-z])")
DIGITS = re.compile(r"(?<!\d)\d+")  # WORD's runs of figures


def _word_positions(text: str) -> dict[str, list[int]]:
    """Where each needed word (and pseudo-word, see ``needs`` in the YAML) of the text
    starts: the runs of letters and of figures WORD would find, for the needed words only."""
    at: dict[str, list[int]] = {}
    low = text.lower()
    for m in NEEDED.finditer(low):
        at.setdefault(m.group(), []).append(m.start())
    for m in DIGITS.finditer(low):
        at.setdefault("<num>", []).append(m.start())
        if m.end() - m.start() == 4:
            at.setdefault("<year>", []).append(m.start())
    for name, rx in (("<clock>", CLOCK), ("<apposition>", APPOSITION)):
        for m in rx.finditer(text):
            at.setdefault(name, []).append(m.start())
    return at


def _windows(words: frozenset[str], at: dict[str, list[int]], size: int
             ) -> list[tuple[int, int]]:  # fmt: skip
    """Merged stretches of the text around each position of one of ``words``."""
    starts = sorted(p for w in words for p in at.get(w, ()))
    out: list[tuple[int, int]] = []
    for p in starts:
        start, end = max(0, p - WINDOW_BEFORE), min(size, p + WINDOW_AFTER)
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


KINDS: dict[str, Callable[[re.Match, Context], list]] = {
    # DATE
    "iso_date": dates.iso_date, "slash_date": dates.slash_date,
    "calendar_date": dates.calendar_date, "part_of_month": dates.part_of_month,
    "month_year": dates.month_year, "month_of_year": dates.month_of_year,
    "month": dates.bare_month, "part_of_year": dates.part_of_year,
    "part_of_period": dates.part_of_period, "season": dates.season,
    "year_range": dates.year_range, "year": dates.year, "short_year": dates.short_year,
    "decade": dates.decade, "century": dates.century, "quarter": dates.quarter,
    "holiday": dates.holiday, "weekday": dates.weekday, "deictic_day": dates.deictic_day,
    "anaphoric_day": dates.anaphoric_day, "relative_period": dates.relative_period,
    "period_ago": dates.period_ago,
    # TIME, DURATION, SET and references
    "time_of_day": times.time_of_day, "day_part": times.day_part, "set": times.sets,
    "duration": times.duration, "duration_plural": times.duration_plural,
    "clock_duration": times.clock_duration, "age": times.age, "reference": times.reference,
}  # fmt: skip
# Kinds whose value depends on what the text said before them (re-read in text order).
ANAPHORIC = {"anaphoric_day", "relative_period", "period_ago", "time_of_day", "day_part",
             "weekday", "month_of_year"}


def find(text: str, dct: Date | None, tense: Callable[[int, int], str | None] | None = None,
         sentences: list[tuple[int, int]] | None = None,
         tag: Callable[[int], str | None] | None = None) -> list[Found]:
    """Every temporal expression in ``text``, normalised, in text order.

    ``dct``: the publication date (the anchor of deictic expressions); ``tense(start, end)``
    the tense of the clause around a span ("past", "future" or None); ``sentences`` the
    (start, end) of each sentence, for clock times that take their sentence's day;
    ``tag(char)`` the part-of-speech tag of the word there, if it was tagged.
    """
    ctx = Context(text=text, dct=dct, tense=tense or (lambda s, e: None),
                  tag=tag or (lambda i: None))
    candidates = []
    at = _word_positions(text)
    windows: dict[str, list[tuple[int, int]]] = {}
    for order, (kind, rx) in enumerate(patterns()):
        if kind not in windows:
            gate = GATES.get(kind)
            if gate is not None and gate.search(text) is None:
                windows[kind] = []  # no match can lie anywhere in this text
            else:
                windows[kind] = _windows(NEEDS[kind], at, len(text)) if kind in NEEDS else \
                    [(0, len(text))]
        matches = (m for start, end in windows[kind] for m in rx.finditer(text, start, end))
        for m in matches:
            for hit in KINDS[kind](m, ctx):
                extra = hit[4] if len(hit) > 4 else {}
                start, end = extra.get("span", m.span())
                candidates.append((start, end, order, kind, m, hit))
    # Longest first, then the pattern listed first; a chosen extent blocks overlapping ones.
    candidates.sort(key=lambda c: (c[0] - c[1], c[2], c[0]))
    taken: list[tuple[int, int]] = []
    chosen = []
    for cand in candidates:
        start, end = cand[0], cand[1]
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        chosen.append(cand)
    chosen.sort(key=lambda c: c[0])
    return _in_text_order(chosen, ctx, sentences or [(0, len(text))])


def _in_text_order(chosen: list, ctx: Context, sentences: list[tuple[int, int]]) -> list[Found]:
    """Re-read anaphoric expressions against the last day named before them."""
    days = {c[0]: Date.fromisoformat(c[5][1][:10]) for c in chosen
            if c[5][0] in ("DATE", "TIME") and DAY.match(c[5][1]) and c[3] != "time_of_day"}
    out: list[Found] = []
    for start, end, _, kind, m, hit in chosen:
        if kind in ANAPHORIC:
            sent = next((s for s in sentences if s[0] <= start < s[1]), (start, end))
            ctx.sentence = sent
            near = [(abs(s - start), d) for s, d in days.items()
                    if sent[0] <= s < sent[1] and s != start]
            ctx.sentence_day = min(near)[1] if near else None
            again = [h for h in KINDS[kind](m, ctx)
                     if (h[4] if len(h) > 4 else {}).get("span", m.span()) == (start, end)]
            hit = again[0] if again else hit
        extra = dict(hit[4]) if len(hit) > 4 else {}
        extra.pop("span", None)
        out.append(Found(start, end, ctx.text[start:end], hit[0], hit[1], hit[2], hit[3], kind,
                         extra))
        if hit[0] in ("DATE", "TIME") and DAY.match(hit[1]) and kind != "time_of_day":
            day = Date.fromisoformat(hit[1][:10])
            # the story's time moves with the days it reports, not with the days it
            # announces (a hearing set for next month)
            if ctx.dct is None or day <= ctx.dct:
                ctx.ref = day
    return out


DAY = re.compile(r"^\d{4}-\d\d-\d\d")
WEEK = re.compile(r"^(\d{4})-W(\d\d)(-WE)?$")
MONTH_VALUE = re.compile(r"^(\d{4})-(\d\d)$")
SEASON_VALUE = re.compile(r"^(\d{4})-(SP|SU|FA|WI|Q[1-4])$")
MONTH_PART_DAY = {"START": 1, "MID": 11, "END": 21}
RECENT = re.compile(r"^the\s+(?:past|last)\b", re.IGNORECASE)


def period_start(found: Found) -> tuple[Date, str] | None:
    """An expression as (first day, precision: day, week, month or year) for an event date,
    or None when it names no period on the calendar (durations, sets, references)."""
    value, mod = found.value, found.mod
    if found.type == "DURATION":
        # "in the past 24 hours", "over the last day": the period ends at the anchor
        short = value in ("P1D", "PT24H", "PT12H") or re.fullmatch(r"PT\d+H", value)
        if RECENT.match(found.text) and short and found.anchor:
            return Date.fromisoformat(found.anchor), "day"
        return None
    if found.type not in ("DATE", "TIME"):
        return None
    if DAY.match(value):
        return Date.fromisoformat(value[:10]), "day"
    if m := WEEK.match(value):
        monday = Date.fromisocalendar(int(m[1]), int(m[2]), 1)
        return monday + dt.timedelta(days=5 if m[3] else 0), "week"
    if m := MONTH_VALUE.match(value):
        if mod in MONTH_PART_DAY:  # "early May": a third of a month is nearer a week
            return Date(int(m[1]), int(m[2]), MONTH_PART_DAY[mod]), "week"
        return Date(int(m[1]), int(m[2]), 1), "month"
    if m := SEASON_VALUE.match(value):
        code = m[2]
        month = SEASON_MONTH.get(code) or (int(code[1]) - 1) * 3 + 1
        return Date(int(m[1]), month, 1), "month"
    if re.fullmatch(r"\d{4}", value):
        return Date(int(value), PART_MONTH.get(mod or "", 1), 1), "year"
    return None
