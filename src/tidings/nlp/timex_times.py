"""The TIME, DURATION and SET rules of ``tidings.nlp.timex`` (clock times, parts of days,
durations, ages, sets, general references): one function per expression kind."""

from __future__ import annotations

import re

from tidings.nlp.timex_base import (
    DAY_PARTS,
    MODIFIERS,
    REFERENCES,
    SEASONS,
    SET_ADVERBS,
    UNITS,
    VAGUE,
    WEEKDAY_INDEX,
    Context,
    Hit,
    day_of,
    duration_value,
    fmt_num,
    g,
    month_number,
    number,
    valid,
    weekday_date,
)


def _clock(m: re.Match) -> str | None:
    named = (g(m, "named") or "").lower()
    if named:
        return "24:00" if named == "midnight" else "12:00"
    hour, minute = int(m["hour"]), int(g(m, "minute") or 0)
    ampm = (g(m, "ampm") or "").lower().replace(".", "")
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    return f"{hour:02d}:{minute:02d}"


def time_of_day(m: re.Match, ctx: Context) -> list[Hit]:
    clock = _clock(m)
    if clock is None:
        return []
    has_marker = g(m, "ampm") or g(m, "zone") or g(m, "named") or "o'clock" in m.group(0)
    if not has_marker and not re.search(
            r"\b(?:at|around|about|by|from|until|till|to|before|after|since|between|and)\s+$",
            ctx.before(m.start(), 12)):
        return []  # "3:16", "2:1": verses, ratios and scores
    mod = MODIFIERS.get(" ".join((m["mod"] or "").lower().split()))
    weekday = g(m, "weekday")
    if g(m, "month"):  # "5:03 AM, February 10, 2019"
        month, day_n = month_number(m["month"]), int(m["day"])
        if m["year"]:
            day = valid(int(m["year"]), month, day_n)
            return [("TIME", f"{day.isoformat()}T{clock}", mod, None)] if day else []
        got = day_of(month, day_n, ctx, m.start(), m.end())
        if got:
            return [("TIME", f"{got[0].isoformat()}T{clock}", mod, got[1])]
    day, anchor = _named_weekday_or_context(weekday, m, ctx)
    return _time_on(day, anchor, clock, mod)


def _named_weekday_or_context(weekday: str | None, m: re.Match, ctx: Context):
    """(day, anchor) of a time: the named weekday nearest the publication date, else the
    day the sentence is about (or the reference date, or the publication date)."""
    if weekday and ctx.dct is not None:
        return weekday_date(WEEKDAY_INDEX[weekday.lower()], ctx, m.start(), m.end(), None,
                            ctx.dct), ctx.dct
    day = ctx.sentence_day or ctx.ref or ctx.dct
    return day, day


def _time_on(day, anchor, clock: str, mod: str | None) -> list[Hit]:
    """A TIME on ``day`` (an unknown day when None) at ``clock`` (a time or a part of day)."""
    if day is None:
        return [("TIME", f"XXXX-XX-XXT{clock}", mod, None)]
    return [("TIME", f"{day.isoformat()}T{clock}", mod, anchor.isoformat())]


def day_part(m: re.Match, ctx: Context) -> list[Hit]:
    part = DAY_PARTS[m["daypart"].lower()]
    which = (m["which"] or "").lower()
    if which == "last" and part != "NI":
        return []
    weekday = g(m, "weekday") or g(m, "weekday2")
    if g(m, "month") and ctx.dct is not None:  # "the night of May 25"
        got = day_of(month_number(m["month"]), int(m["day"]), ctx, m.start(), m.end())
        if got is None:
            return []
        day, base = got[0], ctx.dct
    elif which == "this" and not (weekday and ctx.dct is not None):  # "this morning"
        day = base = ctx.dct
    else:  # "Monday night", "the night of Monday to Tuesday", "in the morning"
        day, base = _named_weekday_or_context(weekday, m, ctx)
    return _time_on(day, base, part, None)


def sets(m: re.Match, ctx: Context) -> list[Hit]:
    if g(m, "adverb"):
        word = m["adverb"]
        if word[0].isupper() and m.start() > 0 and ctx.text[m.start() - 2:m.start()] != ". ":
            return []  # "The Daily Telegraph"
        return [("SET", SET_ADVERBS[word.lower()], None, None)]
    quant, unit = m["quant"].lower(), m["unit"].lower()
    if quant in ("a", "an", "per") and not re.search(
            r"\b(?:once|twice|thrice|times|hours|days|weeks|per|up)\s+$",
            ctx.before(m.start(), 12)) and quant != "per":
        return []  # "a year" is a duration unless it is "twice a year"
    n = number(m["num"]) if g(m, "num") else 1
    if g(m, "other") and n is not None:
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
    return [("SET", duration_value(n, word), None, None)]



def duration(m: re.Match, ctx: Context) -> list[Hit]:
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
        n = number(num_word)
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
    return [("DURATION", duration_value(n, unit), mod, None, extra)]


def duration_plural(m: re.Match, ctx: Context) -> list[Hit]:
    unit = m["unit"].lower()
    unit = "century" if unit == "centuries" else unit.rstrip("s")
    start = m.start("unit") if g(m, "prep") else m.start()
    return [("DURATION", duration_value(None, unit), None, None, {"span": (start, m.end())})]


def clock_duration(m: re.Match, ctx: Context) -> list[Hit]:
    hours, minutes, seconds = int(m["h"]), int(m["m"]), m["s"].lstrip("0") or "0"
    parts = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    return [("DURATION", f"PT{parts}{seconds}S", None, None)]


def age(m: re.Match, ctx: Context) -> list[Hit]:
    n = number(m["num"])
    if n is None or not 0 < n < 120:
        return []
    if re.match(r"\s+(?:years?|months?|weeks?|days?)\b", ctx.after(m.end("num"), 8)):
        return []  # "aged 65 years": the duration rule takes the whole phrase
    mod = MODIFIERS.get(" ".join((g(m, "mod") or "").lower().split()))
    start = m.start("mod") if g(m, "mod") else m.start("num")
    hits: list[Hit] = [("DURATION", f"P{fmt_num(n)}Y", mod, None,
                        {"span": (start, m.end("num")), "age": True})]
    if g(m, "num2"):  # "between the ages of 14 and 18"
        hits.append(("DURATION", f"P{int(m['num2'])}Y", None, None,
                     {"span": m.span("num2"), "age": True}))
    return hits


def reference(m: re.Match, ctx: Context) -> list[Hit]:
    phrase = " ".join(m["phrase"].lower().split())
    if phrase == "now" and re.match(r"-\w", ctx.after(m.end(), 3)):
        return []  # "now-defunct"
    if phrase in ("the time", "the moment") and not re.search(r"\bat\s+$", ctx.before(m.start())):
        return []  # only "at the time", "at the moment"
    if phrase.startswith("the ") and re.match(r"\s+(?:of|when|that|and)\b", ctx.after(m.end())):
        return []  # "the time of the attack", "the future of the party"
    return [("DATE", REFERENCES[phrase], None, ctx.dct.isoformat() if ctx.dct else None)]
