"""The DATE rules of ``tidings.nlp.timex``: one function per expression kind, each turning a
regex match into [(type, value, mod, anchor[, extra])] (an empty list: not a time here)."""

from __future__ import annotations

import datetime as dt
import re

from tidings.nlp.timex_base import (
    COUNT_NOUNS,
    DAY_PARTS,
    MODIFIERS,
    MONTH_CUES,
    NOT_YEAR_BEFORE,
    PART_MODS,
    SEASON_MONTH,
    SEASONS,
    STEPS,
    UNITS,
    WEEKDAY_INDEX,
    Context,
    Hit,
    V,
    day_of,
    g,
    look,
    month_number,
    number,
    period_value,
    valid,
    weekday_date,
    year_of_month,
)


def iso_date(m: re.Match, ctx: Context) -> list[Hit]:
    d = valid(int(m["year"]), int(m["month"]), int(m["day"]))
    return [("DATE", d.isoformat(), None, None)] if d else []


def slash_date(m: re.Match, ctx: Context) -> list[Hit]:
    a, b, year = int(m["a"]), int(m["b"]), int(m["year"])
    year += 2000 if year < 100 else 0
    month, day = (b, a) if a > 12 else (a, b)  # day first only when it must be
    d = valid(year, month, day)
    return [("DATE", d.isoformat(), None, None)] if d else []


def calendar_date(m: re.Match, ctx: Context) -> list[Hit]:
    month, day = month_number(m["month"]), int(m["day"])
    if m["year"]:
        d, anchor = valid(int(m["year"]), month, day), None
    elif m["weekday"] and ctx.dct is not None:  # "Friday, May 3": the year where it is one
        wd = WEEKDAY_INDEX[m["weekday"].lower()]
        cands = [c for y in (ctx.dct.year, ctx.dct.year - 1, ctx.dct.year + 1)
                 if (c := valid(y, month, day)) and c.weekday() == wd]  # fmt: skip
        got = day_of(month, day, ctx, m.start(), m.end())
        d = cands[0] if cands else (got[0] if got else None)
        anchor = ctx.dct.isoformat()
    else:
        got = day_of(month, day, ctx, m.start(), m.end())
        if got is None:
            return [("DATE", f"XXXX-{month:02d}-{day:02d}", None, None)]
        d, anchor = got
    if d is None:
        return []
    if m["day2"]:  # "May 24 to 26": two expressions, "May 24" and "26"
        end = valid(d.year, d.month, int(m["day2"]))
        if end is None or end <= d:
            return []
        return [("DATE", d.isoformat(), None, anchor,
                 {"span": (m.start(), m.end("day")), "range_end": end.isoformat()}),
                ("DATE", end.isoformat(), None, anchor, {"span": (m.start("day2"), m.end())})]
    return [("DATE", d.isoformat(), None, anchor)]


def part_of_month(m: re.Match, ctx: Context) -> list[Hit]:
    month, mod = month_number(m["month"]), PART_MODS[m["part"].lower()]
    if m["year"]:
        return [("DATE", f"{m['year']}-{month:02d}", mod, None)]
    got = year_of_month(month, ctx, m.start(), m.end())
    if got is None:
        return [("DATE", f"XXXX-{month:02d}", mod, None)]
    return [("DATE", f"{got[0]}-{month:02d}", mod, got[1])]


def month_year(m: re.Match, ctx: Context) -> list[Hit]:
    return [("DATE", f"{m['year']}-{month_number(m['month']):02d}", None, None)]


def month_of_year(m: re.Match, ctx: Context) -> list[Hit]:
    which = " ".join(m["which"].lower().split()).removeprefix("the ")
    anaphoric = which in ("that", "same", "following", "previous")
    base = (ctx.ref or ctx.dct) if anaphoric else ctx.dct
    if base is None:
        return []
    year = base.year + {"last": -1, "next": 1, "following": 1, "previous": -1}.get(which, 0)
    return [("DATE", f"{year}-{month_number(m['month']):02d}", None, base.isoformat())]


def bare_month(m: re.Match, ctx: Context) -> list[Hit]:
    word = m["month"].rstrip(".")
    if word.lower() in V["month_abbr"] and not m["month"].endswith("."):
        return []  # "Mar", "Jun" alone: too easily a name
    if word.lower() in ("may", "march") and not m["which"]:
        before = " ".join(ctx.before(m.start(), 20).split()[-2:])
        last = before.split()[-1] if before else ""
        if last not in MONTH_CUES and before not in MONTH_CUES:
            return []  # "may" the modal, "March" the walk, unless a preposition says month
    month = month_number(word)
    got = year_of_month(month, ctx, m.start(), m.end(), m["which"])
    if got is None:
        return [("DATE", f"XXXX-{month:02d}", None, None)]
    return [("DATE", f"{got[0]}-{month:02d}", None, got[1])]


def part_of_year(m: re.Match, ctx: Context) -> list[Hit]:
    return [("DATE", m["year"], PART_MODS[m["part"].lower()], None)]



def part_of_period(m: re.Match, ctx: Context) -> list[Hit]:
    if ctx.dct is None:
        return []
    which = m["which"].lower()
    step = STEPS.get(which, 0)
    value = period_value(m["period"].lower(), step, ctx.dct)
    mod = PART_MODS.get((g(m, "part") or "").lower())
    return [("DATE", value, mod, ctx.dct.isoformat())] if value else []


def season(m: re.Match, ctx: Context) -> list[Hit]:
    code = SEASONS[m["season"].lower()]
    which = " ".join((m["which"] or "").lower().split())
    mod = PART_MODS.get((m["part"] or "").lower())
    if m["year"]:  # "the winter of 2006-2007" is one season, named by its first year
        return [("DATE", f"{m['year']}-{code}", mod, None)]
    if g(m, "year2"):
        return []
    bare = not which or which == "the" or mod
    if m["season"].lower() == "fall" and bare:
        return []  # "fall" the verb
    if bare and not re.search(r"\b(?:in|during|since|until|by|this|over)\s+(?:the\s+)?$",
                              ctx.before(m.start(), 16)):
        return []  # "spring" the noun, "Arab Spring"
    if ctx.dct is None:
        return [("DATE", f"XXXX-{code}", mod, None)]
    got = year_of_month(SEASON_MONTH[code], ctx, m.start(), m.end(),
                         {"this past": "last", "the coming": "next"}.get(which, which) or None)
    year = got[0] if got else ctx.dct.year
    if code == "WI" and got and ctx.dct.month <= 2 and which in ("this", "the", ""):
        year = ctx.dct.year - 1  # the winter that began last December
    return [("DATE", f"{year}-{code}", mod, ctx.dct.isoformat())]


def year_range(m: re.Match, ctx: Context) -> list[Hit]:
    first, second = int(m["year"]), m["year2"]
    last = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
    if not first < last <= first + 30:
        return []  # "1990-1985", scores and codes
    return [("DATE", str(first), None, None, {"span": m.span("year"), "range_end": str(last)}),
            ("DATE", str(last), None, None, {"span": m.span("year2")})]


def not_a_year(m: re.Match, ctx: Context) -> bool:
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


def year(m: re.Match, ctx: Context) -> list[Hit]:
    if not_a_year(m, ctx):
        return []
    return [("DATE", m["year"], None, None)]


def short_year(m: re.Match, ctx: Context) -> list[Hit]:
    two = int(m["year"])
    now = ctx.dct.year if ctx.dct else 2000
    year = now // 100 * 100 + two
    if year > now + 10:
        year -= 100
    return [("DATE", str(year), None, None)]


def decade(m: re.Match, ctx: Context) -> list[Hit]:
    mod = PART_MODS.get((m["part"] or "").lower())
    if g(m, "decade"):
        if m["decade"].endswith("00"):  # "the 1800s": a century
            return [("DATE", m["decade"][:2], mod, None)]
        return [("DATE", m["decade"][:3] + "X", mod, None)]
    now = ctx.dct.year if ctx.dct else 2000
    year = now // 100 * 100 + int(m["short"])
    if year > now:
        year -= 100
    return [("DATE", str(year)[:3] + "X", mod, None)]


def century(m: re.Match, ctx: Context) -> list[Hit]:
    n = int(m["century"])
    mod = PART_MODS.get((m["part"] or "").lower())
    return [("DATE", f"{n - 1:02d}", mod, None)] if 1 <= n <= 22 else []


def quarter(m: re.Match, ctx: Context) -> list[Hit]:
    if g(m, "q"):
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
    which = (g(m, "which") or "").lower()
    year = ctx.dct.year + STEPS.get(which, 0)
    if not which:
        ahead = look(ctx, m.start(), m.end()) == "future"
        year -= (n > current) and not ahead
        year += (n < current) and ahead
    return [("DATE", f"{year}-Q{n}", None, ctx.dct.isoformat())]


def holiday(m: re.Match, ctx: Context) -> list[Hit]:
    if re.match(r"\s+(?-i:[A-Z])", ctx.text[m.end():m.end() + 3]) or \
            re.search(r"(?-i:[A-Z]\w*)\s+of\s+$", ctx.text[max(0, m.start() - 30):m.start()]):
        return []  # "the Great Orchestra of Christmas Charity": part of a name
    month, day = V["holidays"][" ".join(m["holiday"].lower().split())]
    if m["year"]:
        d = valid(int(m["year"]), month, day)
        return [("DATE", d.isoformat(), None, None)] if d else []
    got = day_of(month, day, ctx, m.start(), m.end())
    if got is None:
        return [("DATE", f"XXXX-{month:02d}-{day:02d}", None, None)]
    return [("DATE", got[0].isoformat(), None, got[1])]


def weekday(m: re.Match, ctx: Context) -> list[Hit]:
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
    d = weekday_date(wd, ctx, m.start(), m.end(), None if which == "the" else which, base)
    if part:
        return [("TIME", f"{d.isoformat()}T{part}", mod, base.isoformat())]
    return [("DATE", d.isoformat(), mod, base.isoformat())]


def deictic_day(m: re.Match, ctx: Context) -> list[Hit]:
    offset, part = V["deictic_days"][" ".join(m["phrase"].lower().split())]
    mod = PART_MODS.get(m["part"].split()[-1].lower()) if m["part"] else None
    if ctx.dct is None:
        return [("DATE", "PRESENT_REF" if offset == 0 else "XXXX-XX-XX", mod, None)]
    d = ctx.dct + dt.timedelta(days=offset)
    if part:
        return [("TIME", f"{d.isoformat()}T{part}", mod, ctx.dct.isoformat())]
    return [("DATE", d.isoformat(), mod, ctx.dct.isoformat())]


def anaphoric_day(m: re.Match, ctx: Context) -> list[Hit]:
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


def relative_period(m: re.Match, ctx: Context) -> list[Hit]:
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
    value = period_value(period, step, base)
    return [("DATE", value, None, base.isoformat())] if value else []


def period_ago(m: re.Match, ctx: Context) -> list[Hit]:
    unit = m["unit"].lower().rstrip("s").replace("centurie", "century")
    n = number(m["num"])
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
    value = period_value(period, n, base)
    return [("DATE", value, mod, base.isoformat())] if value else []
