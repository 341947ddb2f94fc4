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

import calendar
import datetime as dt
import functools
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


@functools.cache
def patterns() -> list[tuple[str, re.Pattern]]:
    fill = _placeholders()
    out = []
    for row in V["patterns"]:
        text = re.sub(r"\{([A-Z]+)\}", lambda m: fill[m.group(1)], row["pattern"])
        out.append((row["kind"], re.compile(text, re.IGNORECASE)))
    return out


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


Result = tuple[str, str, str | None] | None  # (type, value, mod)


# -- small calendar helpers -----------------------------------------------------------------

def _iso_week(d: Date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _add_months(y: int, m: int, step: int) -> tuple[int, int]:
    y2, m2 = divmod(y * 12 + m - 1 + step, 12)
    return y2, m2 + 1


def _valid(y: int, m: int, d: int) -> Date | None:
    if 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1]:
        return Date(y, m, d)
    return None


def _number(word: str | None) -> float | None:
    if not word:
        return None
    w = " ".join(word.lower().split())
    if re.fullmatch(r"\d+(?:\.\d+)?", w):
        return float(w)
    return NUMBERS.get(w)


def _fmt_num(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else str(n)


def _month(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def _year_of_month(month: int, ctx: Context, start: int, end: int,
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
    direction = _direction(ctx, start, end)
    if month == anchor.month:
        return anchor.year, anchor.isoformat()
    if direction == "future":
        return anchor.year + (month < anchor.month), anchor.isoformat()
    if direction == "past":
        return anchor.year - (month > anchor.month), anchor.isoformat()
    ahead = (month - anchor.month) % 12  # the nearest such month, back on a tie
    return anchor.year + (month < anchor.month if ahead < 6 else -(month > anchor.month)), \
        anchor.isoformat()


def _direction(ctx: Context, start: int, end: int) -> str | None:
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


def _day_of(month: int, day: int, ctx: Context, start: int, end: int) -> tuple[Date, str] | None:
    """A day and month without a year: the year by the clause's tense, else the nearest."""
    anchor = ctx.dct
    if anchor is None:
        return None
    direction = _direction(ctx, start, end)
    cands = [c for y in (anchor.year - 1, anchor.year, anchor.year + 1)
             if (c := _valid(y, month, day))]  # fmt: skip
    if not cands:
        return None
    if direction == "future":
        ahead = [c for c in cands if c >= anchor]
        best = min(ahead) if ahead else max(cands)
    elif direction == "past":
        back = [c for c in cands if c <= anchor]
        best = max(back) if back else min(cands)
    else:  # nearest, days ahead counting twice (reports mostly look back)
        best = min(cands, key=lambda c: (anchor - c).days if c <= anchor else 2 * (c - anchor).days)
    return best, anchor.isoformat()


def _weekday_date(wd: int, ctx: Context, start: int, end: int, which: str | None,
                  anchor: Date) -> Date:
    which = " ".join(which.lower().split()) if which else None
    if which in ("next", "coming", "this coming"):
        return anchor + dt.timedelta(days=(wd - anchor.weekday()) % 7 or 7)
    if which in ("last", "past", "this past"):
        return anchor - dt.timedelta(days=(anchor.weekday() - wd) % 7 or 7)
    if which == "this":
        return anchor + dt.timedelta(days=wd - anchor.weekday())
    if _direction(ctx, start, end) == "future":
        return anchor + dt.timedelta(days=(wd - anchor.weekday()) % 7)
    return anchor - dt.timedelta(days=(anchor.weekday() - wd) % 7)


# -- one function per expression kind: (match, context) -> [(type, value, mod, anchor)] -----

Hit = tuple[str, str, str | None, str | None]
NOT_YEAR_BEFORE = set(V["not_year_before"])
COUNT_NOUNS = set(V["count_nouns"])
MONTH_CUES = set(V["month_cues"])
SET_ADVERBS: dict[str, str] = V["set_adverbs"]
REFERENCES: dict[str, str] = V["references"]
SEASON_MONTH = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
PART_MONTH = {"START": 1, "MID": 5, "END": 9}


def _g(m: re.Match, name: str) -> str | None:
    try:
        return m.group(name)
    except IndexError:
        return None


def _iso_date(m: re.Match, ctx: Context) -> list[Hit]:
    d = _valid(int(m["year"]), int(m["month"]), int(m["day"]))
    return [("DATE", d.isoformat(), None, None)] if d else []


def _slash_date(m: re.Match, ctx: Context) -> list[Hit]:
    a, b, year = int(m["a"]), int(m["b"]), int(m["year"])
    year += 2000 if year < 100 else 0
    month, day = (b, a) if a > 12 else (a, b)  # day first only when it must be
    d = _valid(year, month, day)
    return [("DATE", d.isoformat(), None, None)] if d else []


def _calendar_date(m: re.Match, ctx: Context) -> list[Hit]:
    month, day = _month(m["month"]), int(m["day"])
    if m["year"]:
        d, anchor = _valid(int(m["year"]), month, day), None
    elif m["weekday"] and ctx.dct is not None:  # "Friday, May 3": the year where it is one
        wd = WEEKDAY_INDEX[m["weekday"].lower()]
        cands = [c for y in (ctx.dct.year, ctx.dct.year - 1, ctx.dct.year + 1)
                 if (c := _valid(y, month, day)) and c.weekday() == wd]  # fmt: skip
        got = _day_of(month, day, ctx, m.start(), m.end())
        d = cands[0] if cands else (got[0] if got else None)
        anchor = ctx.dct.isoformat()
    else:
        got = _day_of(month, day, ctx, m.start(), m.end())
        if got is None:
            return [("DATE", f"XXXX-{month:02d}-{day:02d}", None, None)]
        d, anchor = got
    if d is None:
        return []
    if m["day2"]:  # "May 24 to 26": two expressions, "May 24" and "26"
        end = _valid(d.year, d.month, int(m["day2"]))
        if end is None or end <= d:
            return []
        return [("DATE", d.isoformat(), None, anchor,
                 {"span": (m.start(), m.end("day")), "range_end": end.isoformat()}),
                ("DATE", end.isoformat(), None, anchor, {"span": (m.start("day2"), m.end())})]
    return [("DATE", d.isoformat(), None, anchor)]


def _part_of_month(m: re.Match, ctx: Context) -> list[Hit]:
    month, mod = _month(m["month"]), PART_MODS[m["part"].lower()]
    if m["year"]:
        return [("DATE", f"{m['year']}-{month:02d}", mod, None)]
    got = _year_of_month(month, ctx, m.start(), m.end())
    if got is None:
        return [("DATE", f"XXXX-{month:02d}", mod, None)]
    return [("DATE", f"{got[0]}-{month:02d}", mod, got[1])]


def _month_year(m: re.Match, ctx: Context) -> list[Hit]:
    return [("DATE", f"{m['year']}-{_month(m['month']):02d}", None, None)]


def _month_of_year(m: re.Match, ctx: Context) -> list[Hit]:
    which = " ".join(m["which"].lower().split()).removeprefix("the ")
    anaphoric = which in ("that", "same", "following", "previous")
    base = (ctx.ref or ctx.dct) if anaphoric else ctx.dct
    if base is None:
        return []
    year = base.year + {"last": -1, "next": 1, "following": 1, "previous": -1}.get(which, 0)
    return [("DATE", f"{year}-{_month(m['month']):02d}", None, base.isoformat())]


def _bare_month(m: re.Match, ctx: Context) -> list[Hit]:
    word = m["month"].rstrip(".")
    if word.lower() in V["month_abbr"] and not m["month"].endswith("."):
        return []  # "Mar", "Jun" alone: too easily a name
    if word.lower() in ("may", "march") and not m["which"]:
        before = " ".join(ctx.before(m.start(), 20).split()[-2:])
        last = before.split()[-1] if before else ""
        if last not in MONTH_CUES and before not in MONTH_CUES:
            return []  # "may" the modal, "March" the walk, unless a preposition says month
    month = _month(word)
    got = _year_of_month(month, ctx, m.start(), m.end(), m["which"])
    if got is None:
        return [("DATE", f"XXXX-{month:02d}", None, None)]
    return [("DATE", f"{got[0]}-{month:02d}", None, got[1])]


def _part_of_year(m: re.Match, ctx: Context) -> list[Hit]:
    return [("DATE", m["year"], PART_MODS[m["part"].lower()], None)]


def _period_value(period: str, step: int, base: Date) -> str | None:
    """The TIMEX3 value of the week/month/year/... holding ``base``, moved ``step`` periods."""
    if period == "week":
        return _iso_week(base + dt.timedelta(weeks=step))
    if period == "weekend":
        return _iso_week(base + dt.timedelta(weeks=step)) + "-WE"
    if period == "month":
        y, mo = _add_months(base.year, base.month, step)
        return f"{y}-{mo:02d}"
    if period == "year":
        return str(base.year + step)
    if period == "quarter":
        y, mo = _add_months(base.year, base.month, 3 * step)
        return f"{y}-Q{(mo - 1) // 3 + 1}"
    if period == "decade":
        return str(base.year // 10 + step)
    if period == "century":
        return str(base.year // 100 + step)
    return None


STEPS = {"last": -1, "past": -1, "previous": -1, "this": 0, "current": 0, "next": 1,
         "coming": 1, "following": 1, "same": 0, "that": 0}  # fmt: skip


def _part_of_period(m: re.Match, ctx: Context) -> list[Hit]:
    if ctx.dct is None:
        return []
    which = m["which"].lower()
    step = STEPS.get(which, 0)
    value = _period_value(m["period"].lower(), step, ctx.dct)
    mod = PART_MODS.get((_g(m, "part") or "").lower())
    return [("DATE", value, mod, ctx.dct.isoformat())] if value else []


def _season(m: re.Match, ctx: Context) -> list[Hit]:
    code = SEASONS[m["season"].lower()]
    which = " ".join((m["which"] or "").lower().split())
    mod = PART_MODS.get((m["part"] or "").lower())
    if m["year"]:  # "the winter of 2006-2007" is one season, named by its first year
        return [("DATE", f"{m['year']}-{code}", mod, None)]
    if _g(m, "year2"):
        return []
    bare = not which or which == "the" or mod
    if m["season"].lower() == "fall" and bare:
        return []  # "fall" the verb
    if bare and not re.search(r"\b(?:in|during|since|until|by|this|over)\s+(?:the\s+)?$",
                              ctx.before(m.start(), 16)):
        return []  # "spring" the noun, "Arab Spring"
    if ctx.dct is None:
        return [("DATE", f"XXXX-{code}", mod, None)]
    got = _year_of_month(SEASON_MONTH[code], ctx, m.start(), m.end(),
                         {"this past": "last", "the coming": "next"}.get(which, which) or None)
    year = got[0] if got else ctx.dct.year
    if code == "WI" and got and ctx.dct.month <= 2 and which in ("this", "the", ""):
        year = ctx.dct.year - 1  # the winter that began last December
    return [("DATE", f"{year}-{code}", mod, ctx.dct.isoformat())]


def _year_range(m: re.Match, ctx: Context) -> list[Hit]:
    first, second = int(m["year"]), m["year2"]
    last = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
    if not first < last <= first + 30:
        return []  # "1990-1985", scores and codes
    return [("DATE", str(first), None, None, {"span": m.span("year"), "range_end": str(last)}),
            ("DATE", str(last), None, None, {"span": m.span("year2")})]


def _not_a_year(m: re.Match, ctx: Context) -> bool:
    """Ages, counts, scores and amounts are not years."""
    before = ctx.before(m.start(), 30)
    word = ctx.word_before(m.start())
    if word in NOT_YEAR_BEFORE or before.rstrip().endswith(("$", "£", "€", "#", "no.")):
        return True
    if any(before.rstrip().endswith(w) for w in NOT_YEAR_BEFORE if " " in w):
        return True
    after = re.match(r"[\s-]*([a-z]+)", ctx.after(m.end(), 30))
    if after:
        noun = after.group(1)
        if noun in COUNT_NOUNS:
            return True
        tag = ctx.tag(m.end() + after.start(1))
        if tag is not None:  # the parse knows: "2024 drones" counts, "2019 brings" not
            return tag in ("NNS", "NNPS")
        if noun.endswith("s") and noun not in ("was", "is", "has", "as", "his", "its", "this",
                                                "us", "series", "thus", "plus"):
            return not re.match(r"[\s-]*[a-z]+'s\b", ctx.after(m.end(), 30))
    year = int(m["year"])
    if year < 1800:  # "1500 kilometres", "the 1200 block": old years need a preposition
        return not re.search(r"\b(?:in|since|from|of|by|until|before|after)\s+$", before)
    return False


def _year(m: re.Match, ctx: Context) -> list[Hit]:
    if _not_a_year(m, ctx):
        return []
    return [("DATE", m["year"], None, None)]


def _short_year(m: re.Match, ctx: Context) -> list[Hit]:
    two = int(m["year"])
    now = ctx.dct.year if ctx.dct else 2000
    year = now // 100 * 100 + two
    if year > now + 10:
        year -= 100
    return [("DATE", str(year), None, None)]


def _decade(m: re.Match, ctx: Context) -> list[Hit]:
    mod = PART_MODS.get((m["part"] or "").lower())
    if _g(m, "decade"):
        if m["decade"].endswith("00"):  # "the 1800s": a century
            return [("DATE", m["decade"][:2], mod, None)]
        return [("DATE", m["decade"][:3] + "X", mod, None)]
    now = ctx.dct.year if ctx.dct else 2000
    year = now // 100 * 100 + int(m["short"])
    if year > now:
        year -= 100
    return [("DATE", str(year)[:3] + "X", mod, None)]


def _century(m: re.Match, ctx: Context) -> list[Hit]:
    n = int(m["century"])
    mod = PART_MODS.get((m["part"] or "").lower())
    return [("DATE", f"{n - 1:02d}", mod, None)] if 1 <= n <= 22 else []


def _quarter(m: re.Match, ctx: Context) -> list[Hit]:
    if _g(m, "q"):
        n = int(m["q"][1])
    else:
        n = V["ordinals"][m["ordinal"].lower()]
        n = 4 if n == -1 else n
    if not 1 <= n <= 4:
        return []
    if m["year"]:
        return [("DATE", f"{m['year']}-Q{n}", None, None)]
    if ctx.dct is None:
        return [("DATE", f"XXXX-Q{n}", None, None)]
    current = (ctx.dct.month - 1) // 3 + 1
    which = (_g(m, "which") or "").lower()
    year = ctx.dct.year + STEPS.get(which, 0)
    if not which:
        ahead = _direction(ctx, m.start(), m.end()) == "future"
        year -= (n > current) and not ahead
        year += (n < current) and ahead
    return [("DATE", f"{year}-Q{n}", None, ctx.dct.isoformat())]


def _holiday(m: re.Match, ctx: Context) -> list[Hit]:
    if re.match(r"\s+(?-i:[A-Z])", ctx.text[m.end():m.end() + 3]) or \
            re.search(r"(?-i:[A-Z]\w*)\s+of\s+$", ctx.text[max(0, m.start() - 30):m.start()]):
        return []  # "the Great Orchestra of Christmas Charity": part of a name
    month, day = V["holidays"][" ".join(m["holiday"].lower().split())]
    if m["year"]:
        d = _valid(int(m["year"]), month, day)
        return [("DATE", d.isoformat(), None, None)] if d else []
    got = _day_of(month, day, ctx, m.start(), m.end())
    if got is None:
        return [("DATE", f"XXXX-{month:02d}-{day:02d}", None, None)]
    return [("DATE", got[0].isoformat(), None, got[1])]


def _weekday(m: re.Match, ctx: Context) -> list[Hit]:
    wd = WEEKDAY_INDEX[m["weekday"].lower()]
    part = DAY_PARTS.get((m["daypart"] or "").lower())
    mod = PART_MODS.get(m["part"].split()[-1].lower()) if m["part"] else None
    if ctx.dct is None:
        return [("DATE", f"XXXX-WXX-{wd + 1}", mod, None)]
    which = " ".join((m["which"] or "").lower().split())
    base = ctx.dct
    if which.startswith("the "):  # "the following Saturday": counted from the story's day
        base = ctx.ref or ctx.dct
        which = "next" if which.endswith(("following", "next")) else "last"
    d = _weekday_date(wd, ctx, m.start(), m.end(), None if which == "the" else which, base)
    if part:
        return [("TIME", f"{d.isoformat()}T{part}", mod, base.isoformat())]
    return [("DATE", d.isoformat(), mod, base.isoformat())]


def _deictic_day(m: re.Match, ctx: Context) -> list[Hit]:
    offset, part = V["deictic_days"][" ".join(m["phrase"].lower().split())]
    mod = PART_MODS.get(m["part"].split()[-1].lower()) if m["part"] else None
    if ctx.dct is None:
        return [("DATE", "PRESENT_REF" if offset == 0 else "XXXX-XX-XX", mod, None)]
    d = ctx.dct + dt.timedelta(days=offset)
    if part:
        return [("TIME", f"{d.isoformat()}T{part}", mod, ctx.dct.isoformat())]
    return [("DATE", d.isoformat(), mod, ctx.dct.isoformat())]


def _anaphoric_day(m: re.Match, ctx: Context) -> list[Hit]:
    phrase = " ".join(m["phrase"].lower().split())
    if phrase.endswith(("before", "after")):
        nxt = re.match(r"\s*([\w']+)", ctx.after(m.end(), 20))
        if nxt and nxt.group(1) not in ("and", "but", "when", "while", "as", "in", "at", "on"):
            return []  # "the day before the vote": counted from the vote, not a date here
    base = ctx.ref or ctx.dct
    if base is None:
        return []
    d = base + dt.timedelta(days=V["anaphoric_days"][phrase])
    part = next((DAY_PARTS[w] for w in phrase.split() if w in DAY_PARTS), None)
    if part:
        return [("TIME", f"{d.isoformat()}T{part}", None, base.isoformat())]
    return [("DATE", d.isoformat(), None, base.isoformat())]


def _relative_period(m: re.Match, ctx: Context) -> list[Hit]:
    which, period = m["which"].lower(), m["period"].lower()
    has_the = m.group(0).lower().startswith("the ")
    if which in ("past", "last", "next", "coming") and has_the and period != "weekend":
        return []  # "the past week", "the next year": durations
    if which == "past" and not has_the:
        which = "last"
    anaphoric = which in ("following", "same", "that") or (which == "previous" and has_the)
    base = (ctx.ref or ctx.dct) if anaphoric else ctx.dct
    if base is None:
        return []
    step = STEPS[which]
    if period == "weekend" and which in ("this", "coming") and base.weekday() < 5:
        step = 0
    if period == "weekend" and which == "last" and base.weekday() < 5:
        step = -1
    if period in ("season", "fortnight"):
        return []
    value = _period_value(period, step, base)
    return [("DATE", value, None, base.isoformat())] if value else []


def _period_ago(m: re.Match, ctx: Context) -> list[Hit]:
    unit = m["unit"].lower().rstrip("s").replace("centurie", "century")
    n = _number(m["num"])
    direction = " ".join(m["dir"].lower().split())
    mod = MODIFIERS.get(" ".join((m["mod"] or "").lower().split()))
    anaphoric = direction in ("earlier", "before", "later")
    base = (ctx.ref or ctx.dct) if anaphoric else ctx.dct
    if base is None or unit not in UNITS:
        return []
    sign = 1 if direction in ("later", "from now", "hence") else -1
    if n is None or not float(n).is_integer():
        return [("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", mod, base.isoformat())]
    n = int(n) * sign
    if unit in ("second", "minute", "hour"):
        return [("DATE", base.isoformat(), mod, base.isoformat())]
    if unit in ("day", "night"):
        return [("DATE", (base + dt.timedelta(days=n)).isoformat(), mod, base.isoformat())]
    period = {"fortnight": "week", "weekend": "week"}.get(unit, unit)
    if unit == "fortnight":
        n *= 2
    value = _period_value(period, n, base)
    return [("DATE", value, mod, base.isoformat())] if value else []


def _clock(m: re.Match) -> str | None:
    named = (_g(m, "named") or "").lower()
    if named:
        return "24:00" if named == "midnight" else "12:00"
    hour, minute = int(m["hour"]), int(_g(m, "minute") or 0)
    ampm = (_g(m, "ampm") or "").lower().replace(".", "")
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    return f"{hour:02d}:{minute:02d}"


def _time_of_day(m: re.Match, ctx: Context) -> list[Hit]:
    clock = _clock(m)
    if clock is None:
        return []
    has_marker = _g(m, "ampm") or _g(m, "zone") or _g(m, "named") or "o'clock" in m.group(0)
    if not has_marker and not re.search(
            r"\b(?:at|around|about|by|from|until|till|to|before|after|since|between|and)\s+$",
            ctx.before(m.start(), 12)):
        return []  # "3:16", "2:1": verses, ratios and scores
    mod = MODIFIERS.get(" ".join((m["mod"] or "").lower().split()))
    weekday = _g(m, "weekday")
    if _g(m, "month"):  # "5:03 AM, February 10, 2019"
        month, day_n = _month(m["month"]), int(m["day"])
        if m["year"]:
            day = _valid(int(m["year"]), month, day_n)
            return [("TIME", f"{day.isoformat()}T{clock}", mod, None)] if day else []
        got = _day_of(month, day_n, ctx, m.start(), m.end())
        if got:
            return [("TIME", f"{got[0].isoformat()}T{clock}", mod, got[1])]
    if weekday and ctx.dct is not None:
        day = _weekday_date(WEEKDAY_INDEX[weekday.lower()], ctx, m.start(), m.end(), None,
                            ctx.dct)
        anchor = ctx.dct
    else:
        day = anchor = ctx.sentence_day or ctx.ref or ctx.dct
    if day is None:
        return [("TIME", f"XXXX-XX-XXT{clock}", mod, None)]
    return [("TIME", f"{day.isoformat()}T{clock}", mod, anchor.isoformat())]


def _day_part(m: re.Match, ctx: Context) -> list[Hit]:
    part = DAY_PARTS[m["daypart"].lower()]
    which = (m["which"] or "").lower()
    if which == "last" and part != "NI":
        return []
    weekday = _g(m, "weekday") or _g(m, "weekday2")
    if _g(m, "month") and ctx.dct is not None:  # "the night of May 25"
        got = _day_of(_month(m["month"]), int(m["day"]), ctx, m.start(), m.end())
        if got is None:
            return []
        day, base = got[0], ctx.dct
    elif weekday and ctx.dct is not None:  # "Monday night", "the night of Monday to Tuesday"
        day = _weekday_date(WEEKDAY_INDEX[weekday.lower()], ctx, m.start(), m.end(), None,
                            ctx.dct)
        base = ctx.dct
    elif which == "this":
        day = base = ctx.dct
    else:
        day = base = ctx.sentence_day or ctx.ref or ctx.dct
    if day is None:
        return [("TIME", f"XXXX-XX-XXT{part}", None, None)]
    return [("TIME", f"{day.isoformat()}T{part}", None, base.isoformat())]


def _set(m: re.Match, ctx: Context) -> list[Hit]:
    if _g(m, "adverb"):
        word = m["adverb"]
        if word[0].isupper() and m.start() > 0 and ctx.text[m.start() - 2:m.start()] != ". ":
            return []  # "The Daily Telegraph"
        return [("SET", SET_ADVERBS[word.lower()], None, None)]
    quant, unit = m["quant"].lower(), m["unit"].lower()
    if quant in ("a", "an", "per") and not re.search(
            r"\b(?:once|twice|thrice|times|hours|days|weeks|per|up)\s+$",
            ctx.before(m.start(), 12)) and quant != "per":
        return []  # "a year" is a duration unless it is "twice a year"
    n = _number(m["num"]) if _g(m, "num") else 1
    if _g(m, "other") and n is not None:
        n *= 2  # "every other year"
    word = unit.rstrip("s")
    if word in WEEKDAY_INDEX:
        return [("SET", f"XXXX-WXX-{WEEKDAY_INDEX[word] + 1}", None, None)]
    if quant == "on":
        return []
    if word in SEASONS:
        return [("SET", f"XXXX-{SEASONS[word]}", None, None)]
    if word in DAY_PARTS:
        return [("SET", f"XXXX-XX-XXT{DAY_PARTS[word]}", None, None)]
    word = "century" if word == "centurie" else word
    if word not in UNITS or n is None or word == "weekend":
        return []
    return [("SET", _duration_value(n, word), None, None)]


def _duration_value(n: float | None, unit: str) -> str:
    letter, clock = UNITS[unit]
    if n is not None and not float(n).is_integer():  # "a year and a half" -> P18M
        smaller = {"Y": (12, "M", False), "D": (24, "H", True), "H": (60, "M", True),
                   "DE": (10, "Y", False)}.get(letter)
        if smaller and float(n * smaller[0]).is_integer():
            n, letter, clock = n * smaller[0], smaller[1], smaller[2]
    if letter == "W2":
        n, letter = (n or 1) * 2 if n is not None else None, "W"
    amount = "X" if n is None else _fmt_num(n)
    return f"PT{amount}{letter}" if clock else f"P{amount}{letter}"


def _duration(m: re.Match, ctx: Context) -> list[Hit]:
    unit_word = m["unit"].lower()
    unit = "century" if unit_word == "centuries" else unit_word.rstrip("s")
    if unit not in UNITS or unit in ("weekend",):
        return []
    num_word = " ".join((m["num"] or "").lower().split())
    which = " ".join((m["which"] or "").lower().split())
    mod_word = " ".join((m["mod"] or "").lower().split())
    start = m.start()
    if mod_word in ("over", "under") and which.startswith("the"):
        mod_word, start = "", m.start("which")  # "over the last four years": a preposition
    if not num_word and mod_word == "some":
        num_word, mod_word = "some", ""
    if num_word in VAGUE:
        n = None
    elif num_word:
        n = _number(num_word)
        if n is None:
            return []
    elif which and which != "the":
        n = None if unit_word.endswith("s") else 1  # "the past week"; "the next hours"
    else:
        return []  # a bare unit word: "the year", "day"
    if unit in ("quarter", "second") and num_word in ("", "a", "an"):
        return []  # "a quarter of the vote", "a second round"
    if m["half"] or m["half2"]:
        n = (n or 0) + 0.5
    if n is not None and n >= 1000 and unit == "year":
        return []
    if which == "the" and not mod_word:
        start = m.start("num") if m["num"] else m.start("unit")  # "the eight-year war"
    mod = "MORE_THAN" if m["more"] else MODIFIERS.get(mod_word)
    extra: dict = {"span": (start, m.end())}
    if m["old"] or re.search(r"\baged?\s+$", ctx.before(start, 8)):
        extra["age"] = True
    return [("DURATION", _duration_value(n, unit), mod, None, extra)]


def _duration_plural(m: re.Match, ctx: Context) -> list[Hit]:
    unit = m["unit"].lower()
    unit = "century" if unit == "centuries" else unit.rstrip("s")
    start = m.start("unit") if _g(m, "prep") else m.start()
    return [("DURATION", _duration_value(None, unit), None, None, {"span": (start, m.end())})]


def _clock_duration(m: re.Match, ctx: Context) -> list[Hit]:
    hours, minutes, seconds = int(m["h"]), int(m["m"]), m["s"].lstrip("0") or "0"
    parts = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    return [("DURATION", f"PT{parts}{seconds}S", None, None)]


def _age(m: re.Match, ctx: Context) -> list[Hit]:
    n = _number(m["num"])
    if n is None or not 0 < n < 120:
        return []
    if re.match(r"\s+(?:years?|months?|weeks?|days?)\b", ctx.after(m.end("num"), 8)):
        return []  # "aged 65 years": the duration rule takes the whole phrase
    mod = MODIFIERS.get(" ".join((_g(m, "mod") or "").lower().split()))
    start = m.start("mod") if _g(m, "mod") else m.start("num")
    hits: list[Hit] = [("DURATION", f"P{_fmt_num(n)}Y", mod, None,
                        {"span": (start, m.end("num")), "age": True})]
    if _g(m, "num2"):  # "between the ages of 14 and 18"
        hits.append(("DURATION", f"P{int(m['num2'])}Y", None, None,
                     {"span": m.span("num2"), "age": True}))
    return hits


def _reference(m: re.Match, ctx: Context) -> list[Hit]:
    phrase = " ".join(m["phrase"].lower().split())
    if phrase == "now" and re.match(r"-\w", ctx.after(m.end(), 3)):
        return []  # "now-defunct"
    if phrase in ("the time", "the moment") and not re.search(r"\bat\s+$", ctx.before(m.start())):
        return []  # only "at the time", "at the moment"
    if phrase.startswith("the ") and re.match(r"\s+(?:of|when|that|and)\b", ctx.after(m.end())):
        return []  # "the time of the attack", "the future of the party"
    return [("DATE", REFERENCES[phrase], None, ctx.dct.isoformat() if ctx.dct else None)]


KINDS: dict[str, Callable[[re.Match, Context], list]] = {
    "iso_date": _iso_date, "slash_date": _slash_date, "calendar_date": _calendar_date,
    "part_of_month": _part_of_month, "month_year": _month_year, "month": _bare_month,
    "part_of_year": _part_of_year, "part_of_period": _part_of_period, "season": _season,
    "year_range": _year_range, "year": _year, "short_year": _short_year, "decade": _decade,
    "century": _century, "quarter": _quarter, "holiday": _holiday, "weekday": _weekday,
    "deictic_day": _deictic_day, "anaphoric_day": _anaphoric_day,
    "relative_period": _relative_period, "period_ago": _period_ago,
    "time_of_day": _time_of_day, "day_part": _day_part, "set": _set, "duration": _duration,
    "duration_plural": _duration_plural, "reference": _reference, "age": _age,
    "clock_duration": _clock_duration, "month_of_year": _month_of_year,
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
    for order, (kind, rx) in enumerate(patterns()):
        for m in rx.finditer(text):
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
