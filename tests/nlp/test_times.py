"""Temporal expressions (issue 13): each test checks one mechanism over many cases, worked
out on a calendar, against the rules alone (``timex.find``) or the spaCy component."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest

from tidings.nlp.times import NAME, PUBLISHED_KEY, SPANS_KEY
from tidings.nlp.timex import find, period_start

MONTHS = list(calendar.month_name)[1:]
WEEKDAYS = list(calendar.day_name)


def only(text: str, dct: dt.date | None = dt.date(2025, 6, 4), tense=None):
    """The one expression found in ``text``."""
    found = find(text, dct, (lambda s, e: tense) if tense else None)
    assert len(found) == 1, [(f.text, f.value) for f in found]
    return found[0]


def values(text: str, dct: dt.date = dt.date(2025, 6, 4)) -> list[tuple[str, str, str]]:
    return [(f.text, f.type, f.value) for f in find(text, dct)]


# -- forward-looking months and weekdays --------------------------------------------------

@pytest.mark.parametrize("dct_month", [1, 3, 6, 11])
@pytest.mark.parametrize("month", range(1, 13))
def test_a_month_looks_the_way_its_clause_points(dct_month: int, month: int) -> None:
    dct = dt.date(2025, dct_month, 15)
    ahead = only(f"They will meet in {MONTHS[month - 1]}.", dct, tense="future")
    back = only(f"They met in {MONTHS[month - 1]}.", dct, tense="past")
    expect_ahead = 2025 if month >= dct_month else 2026
    expect_back = 2025 if month <= dct_month else 2024
    assert ahead.value == f"{expect_ahead}-{month:02d}"
    assert back.value == f"{expect_back}-{month:02d}"
    assert ahead.anchor == back.anchor == dct.isoformat()


@pytest.mark.parametrize("prep", ["through", "until", "by"])
@pytest.mark.parametrize("month", range(4, 13))
def test_through_a_later_month_is_the_coming_one(prep: str, month: int) -> None:
    # written in March, with no tense to go by: "through June" is this year's June
    got = only(f"The ban runs {prep} {MONTHS[month - 1]}.", dt.date(2025, 3, 10))
    assert got.value == f"2025-{month:02d}"


@pytest.mark.parametrize("dct_day", range(2, 9))  # Monday 2 June 2025 to Sunday 8 June
@pytest.mark.parametrize("weekday", range(7))
def test_weekdays_by_tense(dct_day: int, weekday: int) -> None:
    dct = dt.date(2025, 6, dct_day)
    name = WEEKDAYS[weekday]
    ahead = dt.date.fromisoformat(only(f"will meet on {name}", dct, "future").value)
    back = dt.date.fromisoformat(only(f"met on {name}", dct, "past").value)
    assert ahead.weekday() == back.weekday() == weekday
    assert 0 <= (ahead - dct).days < 7 and 0 <= (dct - back).days < 7


@pytest.mark.parametrize("text,tense", [
    ("The ministers will meet on Friday in Geneva.", "future"),
    ("The ministers are expected to meet on Friday in Geneva.", "future"),
    ("The ministers plan to meet on Friday in Geneva.", "future"),
    ("The ministers met on Friday in Geneva.", "past"),
    ("The ministers had met on Friday in Geneva.", "past"),
])  # fmt: skip
def test_the_component_reads_tense_from_the_parse(nlp, text: str, tense: str) -> None:
    from tidings.nlp.times import TimeTagger

    doc = nlp(text)
    doc.user_data[PUBLISHED_KEY] = "2025-06-04"  # a Wednesday
    TimeTagger()(doc)
    [span] = doc.spans[SPANS_KEY]
    assert span.text == "Friday"
    assert span._.timex["value"] == ("2025-06-06" if tense == "future" else "2025-05-30")


def test_the_component_is_registered() -> None:
    import spacy

    blank = spacy.blank("en")
    blank.add_pipe(NAME)
    doc = blank.make_doc("Talks ended on 2 June 2025 after three days.")
    doc.user_data[PUBLISHED_KEY] = "2025-06-04"
    doc = blank.get_pipe(NAME)(doc)
    assert [(s.text, s._.timex["type"], s._.timex["value"]) for s in doc.spans[SPANS_KEY]] == [
        ("2 June 2025", "DATE", "2025-06-02"), ("three days", "DURATION", "P3D")]


# -- times of day -------------------------------------------------------------------------

@pytest.mark.parametrize("text,value", [
    ("kick-off is at 15:00 GMT Saturday", "2025-05-31T15:00"),
    ("the blast came at 6am", "2025-06-04T06:00"),
    ("polls close at 6:30 p.m. local time", "2025-06-04T18:30"),
    ("at 0300 UTC Monday", "2025-06-02T03:00"),
    ("shortly before noon", "2025-06-04T12:00"),
    ("at 11 o'clock", "2025-06-04T11:00"),
    ("at 5:03 AM, February 10, 2019", "2019-02-10T05:03"),
])  # fmt: skip
def test_times_of_day_take_their_day(text: str, value: str) -> None:
    got = only(text, tense="past")
    assert (got.type, got.value) == ("TIME", value)


def test_a_clock_time_takes_the_day_named_in_its_sentence() -> None:
    text = "The attack began on Sunday. Sirens sounded at 2:49 a.m. local time on Saturday."
    found = find(text, dt.date(2025, 6, 4), sentences=[(0, 27), (28, len(text))])
    clock = next(f for f in found if f.type == "TIME")
    assert clock.text == "2:49 a.m. local time" and clock.value == "2025-05-31T02:49"


def test_scores_and_ratios_are_not_times() -> None:
    assert values("Arsenal won 2:1 and John 3:16 was quoted.") == []


# -- durations ------------------------------------------------------------------------------

@pytest.mark.parametrize("text,value,mod", [
    ("a month", "P1M", None), ("the past two years", "P2Y", None),
    ("several weeks", "PXW", None), ("48 hours", "PT48H", None),
    ("more than a year", "P1Y", "MORE_THAN"), ("nearly eight decades", "P8DE", "LESS_THAN"),
    ("an hour and a half", "PT90M", None), ("a year and a half", "P18M", None),
    ("about three weeks", "P3W", "APPROX"), ("a two-day visit", "P2D", None),
    ("for years", "PXY", None), ("the last 27 years", "P27Y", None),
    ("a finishing time of 2:05:45", "PT2H5M45S", None),
])  # fmt: skip
def test_durations(text: str, value: str, mod: str | None) -> None:
    got = only(text)
    assert (got.type, got.value, got.mod) == ("DURATION", value, mod)


@pytest.mark.parametrize("unit", ["day", "week", "month", "year"])
@pytest.mark.parametrize("number,word", [(2, "two"), (3, "three"), (10, "ten")])
def test_n_units_later_is_a_duration_and_ago_a_date(unit: str, number: int, word: str) -> None:
    later = only(f"{word.title()} {unit}s later, they returned.")
    assert (later.text, later.type) == (f"{word.title()} {unit}s", "DURATION")
    ago = only(f"It happened {number} {unit}s ago.")
    assert ago.type == "DATE" and ago.text == f"{number} {unit}s ago"
    start, precision = period_start(ago)
    assert start < dt.date(2025, 6, 4) and precision == unit


# -- ages, counts and scores are not years ---------------------------------------------------

@pytest.mark.parametrize("n", [18, 19, 53, 65, 78, 95])
def test_ages_are_durations_not_years(n: int) -> None:
    for text in (f"a {n}-year-old man", f"Smith, {n}, said", f"She died aged {n}.",
                 f"dies at {n}", f"at the age of {n}.", f"He was {n}.", f"she was {n} years old"):
        got = only(text)
        assert (got.type, got.value, got.extra.get("age")) == ("DURATION", f"P{n}Y", True), text
        assert not got.text.startswith(("aged", "at", "age"))


@pytest.mark.parametrize("n", [1965, 1999, 2010, 2024])
def test_counts_and_amounts_are_not_years(n: int) -> None:
    for text in (f"{n} drones were launched", f"they scored {n} points", f"it cost ${n}",
                 f"{n:,} people", f"about {n} kilometres away", f"{n}.5 tonnes"):
        assert [f for f in find(text, dt.date(2025, 6, 4)) if f.type == "DATE"] == [], text


@pytest.mark.parametrize("a,b", [(2009, 2010), (1998, 2003), (2019, 2020)])
def test_bare_years_and_ranges_without_a_preposition(a: int, b: int) -> None:
    assert values(f"The {a}–{b} season was long.") == [(str(a), "DATE", str(a)),
                                                        (str(b), "DATE", str(b))]
    assert values(f"His {a} title and the {b} election.") == [(str(a), "DATE", str(a)),
                                                               (str(b), "DATE", str(b))]


def test_ranges_of_days_are_two_expressions() -> None:
    assert values("The festival ran May 24 to 26.") == [
        ("May 24", "DATE", "2025-05-24"), ("26", "DATE", "2025-05-26")]


# -- parts of periods ----------------------------------------------------------------------

@pytest.mark.parametrize("part,mod", [("early", "START"), ("mid-", "MID"), ("late", "END")])
@pytest.mark.parametrize("month", range(1, 13))
def test_part_of_a_month_is_the_month_with_a_mod(part: str, mod: str, month: int) -> None:
    sep = "" if part.endswith("-") else " "
    got = only(f"It happened in {part}{sep}{MONTHS[month - 1]} 2024.")
    assert (got.type, got.value, got.mod) == ("DATE", f"2024-{month:02d}", mod)
    start, precision = period_start(got)  # an event date a third into the month
    assert precision == "week" and start.month == month


def test_decades_centuries_and_seasons() -> None:
    assert values("in the 1990s, the late '70s and the 13th century") == [
        ("the 1990s", "DATE", "199X"), ("the late '70s", "DATE", "197X"),
        ("the 13th century", "DATE", "12")]
    assert values("the winter of 2006–2007") == [("the winter of 2006–2007", "DATE", "2006-WI")]


# -- extents ---------------------------------------------------------------------------------

@pytest.mark.parametrize("prep", ["on", "in", "at", "since", "until", "by", "during", "from",
                                  "through", "as of"])
@pytest.mark.parametrize("expr", ["Monday", "May 2024", "2019", "yesterday", "late December",
                                  "last week", "15:00 GMT"])
def test_extents_leave_the_preposition_out(prep: str, expr: str) -> None:
    got = only(f"It was announced {prep} {expr}.")
    assert got.text == expr


def test_a_possessive_stays_outside() -> None:
    assert [f.text for f in find("Monday's attack and June's vote", dt.date(2025, 6, 4))] == [
        "Monday", "June"]


def test_may_the_modal_and_march_the_walk_are_not_months() -> None:
    assert values("Officials may resign. Protesters march on the capital.") == []
    assert values("They resigned in May.")[0][2] == "2025-05"


# -- sets and references ---------------------------------------------------------------------

@pytest.mark.parametrize("text,value", [
    ("every week", "P1W"), ("daily", "P1D"), ("every Monday", "XXXX-WXX-1"),
    ("twice a year", "P1Y"), ("every other year", "P2Y"), ("each month", "P1M"),
    ("on Mondays", "XXXX-WXX-1"), ("on Fridays", "XXXX-WXX-5"),  # 'on' quoted in times.yaml
])  # fmt: skip
def test_sets(text: str, value: str) -> None:
    got = only(f"They meet {text}.")
    assert (got.type, got.value) == ("SET", value)


@pytest.mark.parametrize("text,expr,value", [
    ("Now the talks resume.", "Now", "PRESENT_REF"),
    ("He is currently abroad.", "currently", "PRESENT_REF"),
    ("He was mayor at the time.", "the time", "PAST_REF"),
    ("It will change in the future.", "the future", "FUTURE_REF"),
    ("Prices rose in recent years.", "recent years", "PAST_REF"),
])  # fmt: skip
def test_present_past_and_future_references(text: str, expr: str, value: str) -> None:
    got = only(text)
    assert (got.text, got.value) == (expr, value)


# -- anchors -------------------------------------------------------------------------------

def test_anaphoric_days_count_from_the_story_not_the_publication_date() -> None:
    text = "The strike hit on 3 March. The next day, talks failed. A hearing is set for 9 April."
    found = find(text, dt.date(2025, 3, 20))
    assert [(f.text, f.value, f.anchor) for f in found] == [
        ("3 March", "2025-03-03", "2025-03-20"), ("The next day", "2025-03-04", "2025-03-03"),
        ("9 April", "2025-04-09", "2025-03-20")]


def test_absolute_dates_need_no_anchor_and_relative_ones_without_a_dct_stay_open() -> None:
    assert only("on 2 June 2025", None).anchor is None
    assert only("on Friday", None).value == "XXXX-WXX-5"
    assert only("in June", None).value == "XXXX-06"


# -- the coder: times in the output, event dates chosen from them ---------------------------

@pytest.mark.parametrize("verb,expect", [("will hold", "2026-05-01"), ("held", "2025-05-01")])
def test_event_date_comes_from_the_tensed_times(code, verb: str, expect: str) -> None:
    coded = code(f"Russia {verb} talks with Ukraine in May.", published="2025-06-04")
    [month] = coded.times
    assert month.value == expect[:7]
    assert [(e.date, e.date_precision, e.date_text) for e in coded.events] == [
        (expect, "month", "May")]


def test_each_event_takes_the_date_of_its_own_clause(code) -> None:
    coded = code("Ukraine attacked Russia on Sunday, and Russia will hold talks with Ukraine "
                 "on Friday.", published="2025-06-04")
    dates = {e.event_type: e.date for e in coded.events}
    assert dates["ASSAULT"] == "2025-06-01"
    assert [d for t, d in dates.items() if t != "ASSAULT"] == ["2025-06-06"]
    out = coded.to_dict()["times"]
    assert [(t["text"], t["value"]) for t in out] == [("Sunday", "2025-06-01"),
                                                      ("Friday", "2025-06-06")]
    text = coded.article.text
    assert all(text[t["span"][0]:t["span"][1]] == t["text"] for t in out)


def test_every_match_of_a_gated_kind_holds_its_gate():
    """A kind is skipped in a document without its gate (``gates`` in times.yaml), so the
    gate must be in every text the kind's patterns match: checked on every match in the
    bundled sample articles and in sentences written to hit each gated kind."""
    import json
    from pathlib import Path

    from tidings.nlp.timex import GATES, patterns

    samples = Path(__file__).resolve().parents[2] / "samples/articles.jsonl"
    texts = [json.loads(line)["text"] for line in samples.read_text().splitlines() if line]
    texts += ["The talks began at 9 a.m. on Monday and ended at 15:00 GMT Saturday.",
              "They met at 1500 GMT, at noon, at midnight EST and at 7 o'clock.",
              "Prices doubled in the late 1990s and again in the '80s; the class of '09.",
              "The 19th century mill closed on 3/4/2021 and reopened in the early 2000's."]
    seen = set()
    for kind, rx in patterns():
        if kind not in GATES:
            continue
        for text in texts:
            for m in rx.finditer(text):
                seen.add(kind)
                assert GATES[kind].search(m.group()), (kind, m.group())
    assert seen == set(GATES)  # each gated kind was exercised


def test_needed_word_positions_are_those_of_every_word_run():
    """``_word_positions`` collects only the words some kind needs: at each of them the same
    positions as splitting the lower-cased text into runs of letters and of figures."""
    import re

    from tidings.nlp.timex import NEEDS, _word_positions

    text = ("Monday's talks, 3 days ago (2024-05-01), ran 48hours; Q3 2025 and 15:00 GMT. "
            "Ünal, 53, said the 1990s were every weeknight; a décade on, tomorrow x2025y.")
    everything: dict = {}
    for m in re.finditer(r"[a-z]+|\d+", text.lower()):
        word = m.group()
        everything.setdefault(word, []).append(m.start())
        if word[0].isdigit():
            everything.setdefault("<num>", []).append(m.start())
            if len(word) == 4:
                everything.setdefault("<year>", []).append(m.start())
    found = _word_positions(text)
    for word in {w for words in NEEDS.values() for w in words if isinstance(w, str)}:
        if not word.startswith("<") or word in ("<num>", "<year>"):
            assert found.get(word) == everything.get(word), word
