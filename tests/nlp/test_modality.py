"""Modality: a threat, a call or a condition is never stored as the act itself."""

import pytest


def _asserted(coded, etype):
    return [e for e in coded.events if e.event_type == etype and e.modality == "asserted"]


def test_conditional_call_for_sanctions_is_not_a_sanction(code):
    coded = code('A European diplomat said: "If the meeting brings nothing, new sanctions '
                 'are needed."')
    assert not _asserted(coded, "SANCTION")
    assert any(e.intended_type == "SANCTION" for e in coded.events)


def test_negation(code):
    coded = code("Russian forces did not attack the city on Sunday.")
    assert not _asserted(coded, "ASSAULT")
    assert any(e.modality == "negated" for e in coded.events)


def test_threat_to_impose_sanctions_is_a_threat(code):
    coded = code("The European Union threatened to impose new sanctions on Iran.")
    assert not _asserted(coded, "SANCTION")
    assert any(e.event_type == "THREATEN" for e in coded.events)


def test_future_sanctions_become_intent(code):
    coded = code("Washington will impose sanctions on Venezuela next week.")
    assert not _asserted(coded, "SANCTION")
    threat = [e for e in coded.events if e.event_type == "THREATEN"]
    assert threat and threat[0].modality == "future"
    assert threat[0].intended_type == "SANCTION"


def test_demand_embeds_a_demanded_event(code):
    coded = code("Protesters demanded that the government release the detained journalists.")
    assert not _asserted(coded, "RETREAT")
    assert any(e.event_type == "REQUEST" for e in coded.events)


def test_refusal_negates(code):
    coded = code("Hamas refused to release the hostages.")
    assert not _asserted(coded, "RETREAT")
    assert any(e.event_type == "REJECT" for e in coded.events)


@pytest.mark.parametrize("text", [
    "Russia may launch a new offensive in the spring.",
    "If talks fail, Israel could attack Iranian nuclear sites.",
])
def test_hypotheticals_are_not_asserted(code, text):
    assert not _asserted(code(text), "ASSAULT")
