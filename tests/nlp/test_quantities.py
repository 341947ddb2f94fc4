"""Quantities: money, percentages, counts and casualties, and the numbers to leave alone."""

import pytest

from tidings.nlp.quantities import casualties, find_quantities, parse_number


def _found(nlp, text):
    doc = nlp(text)
    out = find_quantities(doc)
    for q in out:
        assert doc.text[q.span[0] : q.span[1]] == q.text
    return out


def _one(nlp, text, unit=None):
    found = [q for q in _found(nlp, text) if unit is None or q.unit == unit]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("Congress approved $7 billion for the dam.", 7e9, "USD"),
        ("Brussels offered a €2.5bn credit line.", 2.5e9, "EUR"),
        ("London pledged £300 million to the fund.", 3e8, "GBP"),
        ("Tokyo will spend 1.2 trillion yen on defence.", 1.2e12, "JPY"),
        ("The club paid 50 million euros for the striker.", 5e7, "EUR"),
        ("The charity raised US$3m in a week.", 3e6, "USD"),
        ("The state set aside Rs 500 crore for flood relief.", 5e9, "INR"),
        ("Farmers lost Rs 20 lakh in the storm.", 2e6, "INR"),
        ("The bill came to 10,500 dollars.", 10500.0, "USD"),
        ("Investors pulled two billion dollars out of the market.", 2e9, "USD"),
    ],
)  # fmt: skip
def test_money_forms(nlp, text, value, unit):
    q = _one(nlp, text, unit=unit)
    assert q.value == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("Engineers estimated the damage at $40 million.", "damage"),
        ("The Senate passed a $95 billion aid package.", "aid"),
        ("The IMF approved a loan of $15.6 billion.", "loan"),
        ("Japan gave ¥500 billion in reconstruction assistance.", "assistance"),
    ],
)
def test_what_money_measures(nlp, text, counts):
    assert _one(nlp, text).counts == counts


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Turnout was 34%.", 34.0),
        ("Support fell to 41 percent.", 41.0),
        ("Prices rose 2.5 per cent in May.", 2.5),
    ],
)
def test_percent_forms(nlp, text, value):
    q = _one(nlp, text)
    assert q.unit == "percent"
    assert q.value == value


def test_percent_of_what(nlp):
    q = _one(nlp, "The strikes destroyed 20% of the country's thermal power plants.")
    assert q.counts == "thermal power plants"


@pytest.mark.parametrize(
    ("text", "value", "counts"),
    [
        ("Overnight the enemy launched a record 300 drones.", 300.0, "drones"),
        ("The navy intercepted seven missiles over the sea.", 7.0, "missiles"),
        ("Satellite images show 12 aircraft on the runway.", 12.0, "aircraft"),
        ("The shelling killed at least 9 soldiers.", 9.0, "soldiers"),
        ("The alliance will station 5,000 troops in the east.", 5000.0, "troops"),
        ("Both sides freed 1,200 prisoners on Friday.", 1200.0, "prisoners"),
        ("The brigade lost twenty-five tanks.", 25.0, "tanks"),
        ("The camp now shelters 2.3 million refugees.", 2.3e6, "refugees"),
    ],
)  # fmt: skip
def test_counts_of_things(nlp, text, value, counts):
    q = _one(nlp, text)
    assert (q.value, q.counts, q.unit) == (value, counts, None)


def test_qualifier_stays_in_the_text(nlp):
    q = _one(nlp, "The shelling killed at least 9 soldiers.")
    assert q.text == "at least 9 soldiers"


def test_bare_number_after_injured_counts_the_injured(nlp):
    found = _found(nlp, "The strike killed at least 12 soldiers and injured more than 60.")
    assert [(q.value, q.counts) for q in found] == [(12.0, "soldiers"), (60.0, "injured")]
    assert found[1].text == "more than 60"


@pytest.mark.parametrize(
    "text",
    [
        "The war began in 2022.",
        "The talks opened on June 2 in Geneva.",
        "The fleet includes Tu-95 and A-50 planes and F-16 jets.",
        "The truce lasted two or three days.",
        "For details call 555-0199 after 10:30.",
        "He finished second in the 1998 race.",
        "Thousands of people and dozens of tanks crossed the border.",
    ],
)
def test_numbers_that_are_not_quantities(nlp, text):
    assert _found(nlp, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The bombing killed at least five people and injured 20.",
         {"killed": 5, "injured": 20}),
        ("The explosion left 12 dead and 30 wounded.", {"killed": 12, "injured": 30}),
        ("The death toll rose to 40 on Tuesday.", {"killed": 40}),
        ("Eleven people were killed in the raid.", {"killed": 11}),
        ("Gunmen opened fire on a bus, wounding 3.", {"injured": 3}),
        ("Four soldiers died and two were injured.", {"killed": 4, "injured": 2}),
        ("The army killed 6 fighters and 2 commanders.", {"killed": 8}),
        ("The ministers met for three hours in Rome.", {}),
    ],
)  # fmt: skip
def test_casualties(nlp, text, expected):
    sent = next(iter(nlp(text).sents))
    assert casualties(sent) == expected


@pytest.mark.parametrize(
    ("text", "value"),
    [("1,000", 1000.0), ("2.5", 2.5), ("seven", 7.0), ("twenty-five", 25.0),
     ("two hundred", 200.0), ("1.5 million", 1.5e6), ("banana", None)],
)  # fmt: skip
def test_parse_number(text, value):
    assert parse_number(text) == value
