"""A full-length wire story, end to end: the events, dates, places, quotes and numbers a
reader of the story would check (the story is written for this test, tests/data/)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def story(coder):
    meta = json.loads((DATA / "seed_article.json").read_text())
    text = (DATA / "seed_article.txt").read_text(encoding="utf-8")
    return coder.code({**meta, "text": text})


def _events(story, etype, source, target, modality="asserted"):
    return [e for e in story.events if e.event_type == etype and e.modality == modality
            and e.source and e.source.country == source and e.target
            and e.target.country == target]


def test_istanbul_talks_between_russia_and_ukraine(story):
    talks = (_events(story, "CONSULT", "RUS", "UKR") + _events(story, "CONSULT", "UKR", "RUS"))
    assert talks
    first = talks[0]
    assert first.location is not None and first.location.name == "Istanbul"
    assert first.location.country == "TUR"
    assert (first.date, first.date_precision) == ("2025-06-02", "day")


def test_ukrainian_drone_attack_on_russia_dated_the_day_before(story):
    drone = [e for e in _events(story, "ASSAULT", "UKR", "RUS") if e.cameo == "195"]
    assert drone, "no drone ASSAULT by UKR on RUS"
    assert "drone" in drone[0].sentence[drone[0].span[0] - 40:drone[0].span[1]].lower()
    assert drone[0].date == "2025-06-01"


def test_russian_drone_attack_on_ukraine(story):
    drone = [e for e in _events(story, "ASSAULT", "RUS", "UKR") if e.cameo == "195"]
    assert drone, "no drone ASSAULT by RUS on UKR"
    assert any("472" in e.sentence for e in drone)


def test_united_states_accuses_russia(story):
    accuse = _events(story, "ACCUSE", "USA", "RUS")
    assert accuse and accuse[0].source.name == "Donald Trump"


def test_no_sanction_is_asserted(story):
    assert not [e for e in story.events if e.event_type == "SANCTION"
                and e.modality == "asserted"]
    called_for = [e for e in story.events if e.intended_type == "SANCTION"]
    assert called_for and called_for[0].modality != "asserted"


def test_quotes_and_speakers(story):
    by_start = {q.text[:30]: q for q in story.quotes}
    fidan = [q for q in story.quotes if q.speaker == "Fidan"]
    assert len(fidan) == 2  # one quote over two sentences, both Fidan's
    crazy = next(q for q in story.quotes if q.text == "absolutely crazy")
    assert (crazy.speaker, crazy.kind) == ("Trump", "partial")
    told = next(q for t, q in by_start.items() if t.startswith("I've always had"))
    assert told.speaker == "Trump"  # "he told reporters" refers back to Trump
    assert not [q for q in story.quotes if "Spiderweb" in q.text]


def test_numbers_with_what_they_count(story):
    found = {q.text: q for q in story.quantities}
    assert (found["$7 billion"].value, found["$7 billion"].unit) == (7e9, "USD")
    assert found["$7 billion"].counts == "damage"
    assert (found["34%"].value, found["34%"].unit) == (34.0, "percent")
    assert (found["472 drones"].value, found["472 drones"].counts) == (472.0, "drones")
    assert found["41 aircraft"].counts == "aircraft"


def test_casualties_attached_to_the_strike(story):
    strikes = [e for e in story.events if e.event_type == "ASSAULT" and e.killed]
    assert {e.killed for e in strikes} >= {12, 5}


def test_evidence_offsets_point_into_the_text(story):
    text = story.article.text
    for e in story.events:
        start, end = e.trigger_span
        assert text[start:end] in e.trigger
        assert e.sentence.strip() and e.sentence in text
        assert "\n\n" not in e.sentence  # one sentence, never the paragraph after it
    for q in story.quotes:
        assert text[q.span[0]:q.span[1]] == q.text


def test_every_time_expression_of_the_story(story):
    """The story's times, TIMEX3-normalised against its publication date (a Monday)."""
    got = {(t.text, t.type, t.value) for t in story.times}
    assert {("Monday", "DATE", "2025-06-02"), ("Sunday", "DATE", "2025-06-01"),
            ("Overnight", "TIME", "2025-06-02TNI"), ("May 16", "DATE", "2025-05-16"),
            ("three days", "DURATION", "P3D")} <= got
    text = story.article.text
    for t in story.times:
        assert text[t.span[0]:t.span[1]] == t.text
        # no preposition ("at least" is a modifier, and belongs to the expression)
        assert not re.match(r"(?:on|in|at|since|until|during|by) (?!least\b)", t.text.lower())


# Every toponym of the story, with the country it is in (issue 13: all of them in `places`).
SEED_TOPONYMS = {
    "ISTANBUL": "TUR", "Istanbul": "TUR", "Ankara": "TUR", "Turkey": "TUR", "Turkish": "TUR",
    "Bosphorus": "TUR", "Russia": "RUS", "Russian": "RUS", "Moscow": "RUS", "Kremlin": "RUS",
    "Murmansk": "RUS", "Irkutsk": "RUS", "Ivanovo": "RUS", "Ryazan": "RUS", "Amur": "RUS",
    "Ukraine": "UKR", "Ukrainian": "UKR", "Kyiv": "UKR", "Kharkiv": "UKR", "Kupiansk": "UKR",
    "Washington": "USA", "U.S.": "USA", "Vilnius": "LTU",
}


def test_every_toponym_of_the_story_is_in_places(story):
    import re

    text = story.article.text
    found = {tuple(p.span): p for p in story.places}
    missing = []
    for surface, iso3 in SEED_TOPONYMS.items():
        for m in re.finditer(rf"(?<![\w.]){re.escape(surface)}(?!\w)", text):
            hit = [p for span, p in found.items() if span[0] <= m.start() < span[1]]
            if not hit or hit[0].country != iso3:
                missing.append((surface, m.start(), hit[0].country if hit else None))
    assert not missing
    for name in ("European", "European Union"):
        assert any(p.text == name and p.feature == "other" for p in story.places)


def test_story_regions_are_divisions_and_the_talks_city_is_istanbul(story):
    regions = {p.text: p for p in story.places if p.text in ("Murmansk", "Amur", "Kharkiv")}
    assert {p.feature for p in regions.values()} == {"admin1"}
    istanbul = [p for p in story.places if p.text == "Istanbul"]
    assert istanbul and all(p.geonameid == 745044 for p in istanbul)


def _actors(story):
    return [a for e in story.events for a in (e.source, e.target) if a is not None]


def test_equipment_and_prisoners_are_never_rebels_or_turkish(story):
    things = [a for a in _actors(story) if any(
        w in a.text.lower() for w in ("bomber", "airfield", "airbase", "prisoner", "aircraft"))]
    assert things  # the story's bombers, airbases and prisoners are in its events
    for actor in things:
        assert actor.sector != "REB", actor
        assert actor.country != "TUR", actor
    assert not [a for a in _actors(story) if a.sector == "REB"]


@pytest.mark.parametrize(("name", "country", "sector"), [
    ("Donald Trump", "USA", "GOV"), ("Volodymyr Zelensky", "UKR", "GOV"),
    ("Vasyl Maliuk", "UKR", "SPY"), ("Vladimir Putin", "RUS", "GOV"),
])
def test_people_resolve_with_country_and_sector(story, name, country, sector):
    person = next(e for e in story.entities if e.name == name)
    assert (person.country, person.sector) == (country, sector)


def test_moscow_and_kyiv_as_actors_are_governments(story):
    for text, country in (("Moscow", "RUS"), ("Kyiv", "UKR")):
        actors = [a for a in _actors(story) if a.text == text]
        assert actors, text
        assert all((a.country, a.sector) == (country, "GOV") for a in actors)
