"""TIMEX3 building blocks: the vocabulary of ``data/dates/times.yaml``, the records a rule
fills in, and the calendar arithmetic the rules share (``tidings.nlp.timex``)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from tidings.data import read_yaml

Date = dt.date
V = read_yaml("dates/times.yaml")

WEEKDAYS: list[str] = V["weekdays"]
WEEKDAY_INDEX = {d: i for i, d in enumerate(WEEKDAYS)} | V["weekday_abbr"]
MONTHS = {m: i + 1 for i, m in enumerate(V["months"])} | V["month_abbr"]
NUMBERS: dict[str, float] = V["numbers"]
VAGUE = set(V["vague_numbers"])
UNITS: dict[str, list] = V["units"]
MODIFIERS: dict[str, str] = V["modifiers"]
PART_MODS: dict[str, str] = V["part_mods"]
SEASONS: dict[str, str] = V["seasons"]
DAY_PARTS: dict[str, str] = V["day_parts"]
FORWARD_WORDS = {"until", "till", "through", "by", "before", "ahead of", "from now", "to"}
NOT_YEAR_BEFORE = set(V["not_year_before"])
COUNT_NOUNS = set(V["count_nouns"])
MONTH_CUES = set(V["month_cues"])
SET_ADVERBS: dict[str, str] = V["set_adverbs"]
REFERENCES: dict[str, str] = V["references"]
SEASON_MONTH = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
PART_MONTH = {"START": 1, "MID": 5, "END": 9}
Hit = tuple  # (type, value, mod, anchor[, extra]); extra may hold "span", "age", "range_end"


@dataclass
class Found:
    """One normalised temporal expression (character offsets into the text)."""

    start: int
    end: int
    text: str
    type: str  # DATE, TIME, DURATION, SET
    value: str
    mod: str | None = None
    anchor: str | None = None  # ISO date the value was resolved against; None if absolute
    kind: str = ""  # the rule kind that found it
    extra: dict = field(default_factory=dict)


@dataclass
class Context:
    """What a normalisation function may read besides its match."""

    text: str
    dct: Date | None  # the publication date
    tense: Callable[[int, int], str | None]  # "past", "future" or None at a char span
    tag: Callable[[int], str | None] = lambda i: None  # the tag of the word at a char
    ref: Date | None = None  # the last specific day the text named before this point
    sentence: tuple[int, int] = (0, 0)
    sentence_day: Date | None = None  # a specific day named in the same sentence

    def before(self, start: int, n: int = 24) -> str:
        return self.text[max(0, start - n):start].lower()

    def after(self, end: int, n: int = 24) -> str:
        return self.text[end:end + n].lower()

    def word_before(self, start: int) -> str:
        words = re.findall(r"[\w'’#$£€¥.]+", self.before(start, 40))
        return words[-1] if words else ""


# -- small calendar helpers -----------------------------------------------------------------

def iso_week(d: Date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def add_months(y: int, m: int, step: int) -> tuple[int, int]:
    y2, m2 = divmod(y * 12 + m - 1 + step, 12)
    return y2, m2 + 1


def valid(y: int, m: int, d: int) -> Date | None:
    if 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1]:
        return Date(y, m, d)
    return None


def number(word: str | None) -> float | None:
    if not word:
        return None
    w = " ".join(word.lower().split())
    if re.fullmatch(r"\d+(?:\.\d+)?", w):
        return float(w)
    return NUMBERS.get(w)


def fmt_num(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else str(n)


def month_number(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def year_of_month(month: int, ctx: Context, start: int, end: int,
                   which: str | None = None) -> tuple[int, str] | None:
    """The year of a month named without one, and the anchor used."""
    anchor = ctx.dct
    if anchor is None:
        return None
    which = " ".join(which.lower().split()) if which else None
    if which == "this":
        return anchor.year, anchor.isoformat()
    if which in ("next", "coming", "this coming"):
        return anchor.year + (month <= anchor.month), anchor.isoformat()
    if which in ("last", "this past"):
        return anchor.year - (month >= anchor.month), anchor.isoformat()
    way = look(ctx, start, end)
    if month == anchor.month:
        return anchor.year, anchor.isoformat()
    if way == "future":
        return anchor.year + (month < anchor.month), anchor.isoformat()
    if way == "past":
        return anchor.year - (month > anchor.month), anchor.isoformat()
    ahead = (month - anchor.month) % 12  # the nearest such month, back on a tie
    return anchor.year + (month < anchor.month if ahead < 6 else -(month > anchor.month)), \
        anchor.isoformat()


def look(ctx: Context, start: int, end: int) -> str | None:
    """Which way a bare month or weekday looks: the clause's tense, else its preposition."""
    tense = ctx.tense(start, end)
    if tense:
        return tense
    before = ctx.before(start, 12)
    if re.search(r"\b(?:until|till|through|thru|by|before|ahead of|to)\s+$", before):
        return "future"
    if re.search(r"\b(?:since|after)\s+$", before):
        return "past"
    return None


def day_of(month: int, day: int, ctx: Context, start: int, end: int) -> tuple[Date, str] | None:
    """A day and month without a year: the year by the clause's tense, else the nearest."""
    anchor = ctx.dct
    if anchor is None:
        return None
    way = look(ctx, start, end)
    cands = [c for y in (anchor.year - 1, anchor.year, anchor.year + 1)
             if (c := valid(y, month, day))]  # fmt: skip
    if not cands:
        return None
    if way == "future":
        ahead = [c for c in cands if c >= anchor]
        best = min(ahead) if ahead else max(cands)
    elif way == "past":
        back = [c for c in cands if c <= anchor]
        best = max(back) if back else min(cands)
    else:  # nearest, days ahead counting twice (reports mostly look back)
        best = min(cands, key=lambda c: (anchor - c).days if c <= anchor else 2 * (c - anchor).days)
    return best, anchor.isoformat()


def weekday_date(wd: int, ctx: Context, start: int, end: int, which: str | None,
                  anchor: Date) -> Date:
    which = " ".join(which.lower().split()) if which else None
    if which in ("next", "coming", "this coming"):
        return anchor + dt.timedelta(days=(wd - anchor.weekday()) % 7 or 7)
    if which in ("last", "past", "this past"):
        return anchor - dt.timedelta(days=(anchor.weekday() - wd) % 7 or 7)
    if which == "this":
        return anchor + dt.timedelta(days=wd - anchor.weekday())
    if look(ctx, start, end) == "future":
        return anchor + dt.timedelta(days=(wd - anchor.weekday()) % 7)
    return anchor - dt.timedelta(days=(anchor.weekday() - wd) % 7)


def g(m: re.Match, name: str) -> str | None:
    try:
        return m.group(name)
    except IndexError:
        return None


def period_value(period: str, step: int, base: Date) -> str | None:
    """The TIMEX3 value of the week/month/year/... holding ``base``, moved ``step`` periods."""
    if period == "week":
        return iso_week(base + dt.timedelta(weeks=step))
    if period == "weekend":
        return iso_week(base + dt.timedelta(weeks=step)) + "-WE"
    if period == "month":
        y, mo = add_months(base.year, base.month, step)
        return f"{y}-{mo:02d}"
    if period == "year":
        return str(base.year + step)
    if period == "quarter":
        y, mo = add_months(base.year, base.month, 3 * step)
        return f"{y}-Q{(mo - 1) // 3 + 1}"
    if period == "decade":
        return str(base.year // 10 + step)
    if period == "century":
        return str(base.year // 100 + step)
    return None


STEPS = {"last": -1, "past": -1, "previous": -1, "this": 0, "current": 0, "next": 1,
         "coming": 1, "following": 1, "same": 0, "that": 0}  # fmt: skip


def duration_value(n: float | None, unit: str) -> str:
    letter, clock = UNITS[unit]
    if n is not None and not float(n).is_integer():  # "a year and a half" -> P18M
        smaller = {"Y": (12, "M", False), "D": (24, "H", True), "H": (60, "M", True),
                   "DE": (10, "Y", False)}.get(letter)
        if smaller and float(n * smaller[0]).is_integer():
            n, letter, clock = n * smaller[0], smaller[1], smaller[2]
    if letter == "W2":
        n, letter = (n or 1) * 2 if n is not None else None, "W"
    amount = "X" if n is None else fmt_num(n)
    return f"PT{amount}{letter}" if clock else f"P{amount}{letter}"
