"""Actor resolution: names, demonyms, metonyms, people, coordination, appositions."""

import pytest


def _event(coded, etype):
    found = [e for e in coded.events if e.event_type == etype]
    assert found, f"no {etype} in {[e.to_dict() for e in coded.events]}"
    return found[0]


@pytest.mark.parametrize(
    ("text", "country", "sector"),
    [
        ("The Kremlin condemned the decision.", "RUS", "GOV"),
        ("Moscow condemned the decision.", "RUS", "GOV"),
        ("Ukrainian troops denounced the village chief.", "UKR", "MIL"),
        ("Iranian police condemned the protesters.", "IRN", "COP"),
        ("The White House condemned the strike.", "USA", "GOV"),
        ("Vladimir Putin condemned the decision.", "RUS", "GOV"),
        ("NATO condemned the decision.", "IGO", None),
        ("French President Emmanuel Macron condemned the decision.", "FRA", "GOV"),
    ],
)
def test_source_actor_is_resolved(code, text, country, sector):
    event = _event(code(text), "ACCUSE")
    assert event.source is not None
    assert event.source.country == country
    if sector is not None:
        assert event.source.sector == sector


def test_coordinated_demonyms_give_two_actors(code):
    coded = code("Russian and Ukrainian officials met in Istanbul on Monday.")
    event = _event(coded, "CONSULT")
    assert {event.source.country, event.target.country} == {"RUS", "UKR"}
    assert event.source.sector == "GOV"


def test_apposition_gives_the_organisation(code):
    coded = code("Vasyl Maliuk, the head of the SBU, accused Russia of war crimes.")
    event = _event(coded, "ACCUSE")
    assert event.source.country == "UKR"
    assert event.target.country == "RUS"


def test_lower_case_us_is_not_the_united_states(code):
    coded = code("They told us that the talks had failed.")
    assert all(e.country != "USA" for e in coded.entities)


def test_surname_resolves_to_office_holder_on_the_date(code):
    coded = code("Putin accused the West of lying.", published="2024-03-01")
    event = _event(coded, "ACCUSE")
    assert event.source.country == "RUS"
