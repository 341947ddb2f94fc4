"""Date resolution: phrases against a publication date, and dates attached to event triggers."""

from __future__ import annotations

from datetime import date

import pytest

from tidings.nlp.dates import date_for_event, find_dates, relative_offset, resolve_phrase

MON = date(2025, 6, 2)  # a Monday
WED = date(2025, 6, 4)
SUN = date(2025, 6, 1)

PHRASES = [
    # (phrase, published, expected first day, precision) -- each worked out on a calendar
    ("on Monday", MON, "2025-06-02", "day"),
    ("Monday", WED, "2025-06-02", "day"),
    ("on Wednesday", MON, "2025-05-28", "day"),
    ("on Sunday", MON, "2025-06-01", "day"),
    ("last Tuesday", MON, "2025-05-27", "day"),
    ("last Tuesday", WED, "2025-06-03", "day"),
    ("last Monday", MON, "2025-05-26", "day"),
    ("next Monday", MON, "2025-06-09", "day"),
    ("on Friday night", MON, "2025-05-30", "day"),
    ("yesterday", MON, "2025-06-01", "day"),
    ("today", MON, "2025-06-02", "day"),
    ("tonight", MON, "2025-06-02", "day"),
    ("last night", MON, "2025-06-01", "day"),
    ("overnight", MON, "2025-06-02", "day"),
    ("this morning", MON, "2025-06-02", "day"),
    ("in the past 24 hours", MON, "2025-06-02", "day"),
    ("the day before", MON, "2025-06-01", "day"),
    ("last week", WED, "2025-05-26", "week"),
    ("this week", WED, "2025-06-02", "week"),
    ("next week", WED, "2025-06-09", "week"),
    ("over the weekend", MON, "2025-05-31", "week"),
    ("at the weekend", SUN, "2025-05-31", "week"),
    ("last weekend", SUN, "2025-05-24", "week"),
    ("last month", MON, "2025-05-01", "month"),
    ("last month", date(2025, 1, 15), "2024-12-01", "month"),
    ("this month", MON, "2025-06-01", "month"),
    ("next month", date(2025, 12, 10), "2026-01-01", "month"),
    ("earlier this month", WED, "2025-06-01", "month"),
    ("later this month", MON, "2025-06-03", "month"),
    ("last year", MON, "2024-01-01", "year"),
    ("this year", MON, "2025-01-01", "year"),
    ("earlier this year", MON, "2025-01-01", "year"),
    ("two days ago", MON, "2025-05-31", "day"),
    ("a week ago", MON, "2025-05-26", "week"),
    ("three weeks ago", WED, "2025-05-12", "week"),
    ("four months ago", MON, "2025-02-01", "month"),
    ("two years ago", MON, "2023-01-01", "year"),
    ("mid-May", MON, "2025-05-11", "week"),
    ("early June", MON, "2025-06-01", "week"),
    ("late June", date(2025, 7, 10), "2025-06-21", "week"),
    ("late December", MON, "2024-12-21", "week"),
    ("the end of May", MON, "2025-05-21", "week"),
    ("on 3 March", MON, "2025-03-03", "day"),
    ("March 3", MON, "2025-03-03", "day"),
    ("3 March 2024", MON, "2024-03-03", "day"),
    ("March 3, 2024", MON, "2024-03-03", "day"),
    ("Sept. 11, 2001", MON, "2001-09-11", "day"),
    ("May 15-16", MON, "2025-05-15", "day"),
    ("15-16 May", MON, "2025-05-15", "day"),
    ("June 5", MON, "2025-06-05", "day"),  # three days ahead beats a year back
    ("December 25", MON, "2024-12-25", "day"),
    ("December 28", date(2026, 1, 5), "2025-12-28", "day"),
    ("Christmas Day", date(2025, 12, 27), "2025-12-25", "day"),
    ("in May", MON, "2025-05-01", "month"),
    ("in May", date(2025, 3, 10), "2024-05-01", "month"),
    ("last May", MON, "2025-05-01", "month"),
    ("in February 2022", MON, "2022-02-01", "month"),
    ("in 2022", MON, "2022-01-01", "year"),
    ("since 2014", MON, "2014-01-01", "year"),
    ("in early 2022", MON, "2022-01-01", "year"),
    ("mid-2023", MON, "2023-05-01", "year"),
    ("late 2022", MON, "2022-09-01", "year"),
    ("2024-03-03", MON, "2024-03-03", "day"),  # left to dateparser
]


@pytest.mark.parametrize(("phrase", "published", "expected", "precision"), PHRASES)
def test_resolve_phrase(phrase, published, expected, precision):
    assert resolve_phrase(phrase, published) == (date.fromisoformat(expected), precision)


@pytest.mark.parametrize(
    ("phrase", "expected", "precision"),
    [
        ("on Friday", "2025-06-06", "day"),
        ("Monday", "2025-06-02", "day"),
        ("in May", "2026-05-01", "month"),
        ("this weekend", "2025-06-07", "week"),
        ("December 25", "2025-12-25", "day"),
    ],
)
def test_resolve_phrase_future(phrase, expected, precision):
    got = resolve_phrase(phrase, MON, prefer_future=True)
    assert got == (date.fromisoformat(expected), precision)


@pytest.mark.parametrize(
    "phrase", ["a day", "four years", "the 1990s", "a few days ago", "", "the attack"]
)
def test_not_a_date(phrase):
    assert resolve_phrase(phrase, MON) is None


def _sent(nlp, text):
    doc = nlp(text)
    return doc, list(doc.sents)[0]


def _tok(doc, word):
    return next(t for t in doc if t.text == word)


ISTANBUL = (
    "Russian and Ukrainian officials convened in Istanbul on Monday for peace talks, "
    "a day after Ukraine's drone attack on Russian airbases."
)


@pytest.mark.slow
def test_istanbul_talks_and_attack(nlp):
    doc, sent = _sent(nlp, ISTANBUL)
    mentions = find_dates(sent, MON)
    assert [(m.text, m.date, m.precision) for m in mentions] == [("Monday", MON, "day")]
    assert doc[mentions[0].tokens.start].text == "Monday"
    assert date_for_event(_tok(doc, "convened"), mentions, MON) == ("2025-06-02", "day", "Monday")
    attack = _tok(doc, "attack")
    assert relative_offset(attack) == (-1, "day")
    got = date_for_event(attack, mentions, MON, governing=(MON, "day"))
    assert got[:2] == ("2025-06-01", "day")
    # Without a governing date the attack is dated from the clause it hangs on.
    assert date_for_event(attack, mentions, MON)[:2] == ("2025-06-01", "day")


@pytest.mark.slow
def test_two_clauses_two_dates(nlp):
    doc, sent = _sent(nlp, "The ministry said on Tuesday that the strike happened on Sunday.")
    mentions = find_dates(sent, MON)
    assert [m.text for m in mentions] == ["Tuesday", "Sunday"]
    assert date_for_event(_tok(doc, "said"), mentions, MON) == ("2025-05-27", "day", "Tuesday")
    assert date_for_event(_tok(doc, "strike"), mentions, MON) == ("2025-06-01", "day", "Sunday")


@pytest.mark.slow
def test_no_date_falls_back_to_publication(nlp):
    doc, sent = _sent(nlp, "Police arrested five people in the capital.")
    mentions = find_dates(sent, MON)
    assert mentions == []
    trigger = _tok(doc, "arrested")
    assert date_for_event(trigger, mentions, MON) == ("2025-06-02", "publication", None)
    assert date_for_event(trigger, mentions, None) == (None, "publication", None)


@pytest.mark.slow
def test_rule_phrases_the_ner_misses(nlp):
    text = (
        "Ukraine launched drones overnight, hours before the talks, "
        "and Russia attacked Kyiv over the weekend."
    )
    doc, sent = _sent(nlp, text)
    mentions = find_dates(sent, MON)
    assert [(m.text, m.date.isoformat(), m.precision) for m in mentions] == [
        ("overnight", "2025-06-02", "day"),
        ("the weekend", "2025-05-31", "week"),
    ]
    assert relative_offset(_tok(doc, "talks")) == (0, "day")
    assert date_for_event(_tok(doc, "launched"), mentions, MON)[:2] == ("2025-06-02", "day")
    assert date_for_event(_tok(doc, "attacked"), mentions, MON)[:2] == ("2025-05-31", "week")


@pytest.mark.slow
def test_range_is_one_mention(nlp):
    doc, sent = _sent(nlp, "Clashes erupted on May 15-16 near the border.")
    mentions = find_dates(sent, MON)
    assert [(m.text, m.date.isoformat(), m.precision) for m in mentions] == [
        ("May 15-16", "2025-05-15", "day")
    ]
    assert date_for_event(_tok(doc, "erupted"), mentions, MON)[:2] == ("2025-05-15", "day")


@pytest.mark.slow
def test_future_tense_looks_forward(nlp):
    doc, sent = _sent(nlp, "Talks will resume on Friday, two weeks before the election.")
    mentions = find_dates(sent, MON)
    assert date_for_event(_tok(doc, "resume"), mentions, MON) == ("2025-06-06", "day", "Friday")
    election = _tok(doc, "election")
    assert relative_offset(election) == (14, "week")
    assert date_for_event(election, mentions, MON)[:2] == ("2025-06-20", "week")


@pytest.mark.slow
def test_conjoined_verb_shares_the_date(nlp):
    doc, sent = _sent(nlp, "Troops entered the town on Monday and seized the airport.")
    mentions = find_dates(sent, MON)
    assert date_for_event(_tok(doc, "seized"), mentions, MON)[:2] == ("2025-06-02", "day")


@pytest.mark.slow
def test_relative_phrase_is_not_a_publication_date(nlp):
    doc, sent = _sent(nlp, "The opposition rallied the day before the vote.")
    assert [m.text for m in find_dates(sent, MON)] == []


def test_the_attack_told_again_keeps_the_date_the_story_gave_it(code):
    coded = code("Gunmen attacked a police post in the north on Tuesday. Two officers died in "
                 "the attack. The first attack of 2023 killed six.", published="2024-05-10")
    attacks = [e for e in coded.events if e.event_type == "ASSAULT"]
    told = next(e for e in attacks if e.trigger == "attacked")
    again = next(e for e in attacks if e.sentence.startswith("Two officers"))
    assert (told.date, told.date_precision) == ("2024-05-07", "day")
    assert (again.date, again.date_precision, again.date_text) == ("2024-05-07", "day", "Tuesday")
    # an event noun with modifiers of its own may be another event: no date carried over
    other = [e for e in attacks if e.sentence.startswith("The first attack")]
    assert all(e.date != "2024-05-07" for e in other)
