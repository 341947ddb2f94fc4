"""Event frames and typing: voice, coordination, nominal events, reported speech."""


def _types(coded, modality=None):
    return [e.event_type for e in coded.events if modality is None or e.modality == modality]


def _one(coded, etype, modality="asserted"):
    found = [e for e in coded.events if e.event_type == etype and e.modality == modality]
    assert found, f"no {modality} {etype} in {[e.to_dict() for e in coded.events]}"
    return found[0]


def test_active_voice_source_and_target(code):
    e = _one(code("Israeli warplanes bombed targets in Lebanon on Sunday."), "ASSAULT")
    assert e.source.country == "ISR"


def test_passive_voice_swaps_roles(code):
    e = _one(code("A Ukrainian convoy was attacked by Russian forces near Kharkiv."), "ASSAULT")
    assert e.source.country == "RUS"
    assert e.target.country == "UKR"


def test_nominal_event_with_possessor_and_on_phrase(code):
    coded = code("The strike came a day after Ukraine's drone attack on Russian airbases.")
    e = _one(coded, "ASSAULT")
    assert e.source.country == "UKR"
    assert e.target.country == "RUS"


def test_nominal_event_with_by_phrase(code):
    coded = code("Officials described a drone attack by Ukraine on Russian airbases.")
    e = _one(coded, "ASSAULT")
    assert (e.source.country, e.target.country) == ("UKR", "RUS")


def test_reported_speech_keeps_the_reporter(code):
    coded = code("Kyiv said that Russian troops attacked the city of Sumy.")
    e = _one(coded, "ASSAULT")
    assert e.source.country == "RUS"
    assert e.reporter is not None and e.reporter.country == "UKR"


def test_evidence_points_into_the_text(code):
    text = "On Monday, Chinese officials met their Japanese counterparts in Tokyo."
    coded = code(text)
    e = _one(coded, "CONSULT")
    start, end = e.span
    assert e.trigger in text[start:end]
    assert text[e.trigger_span[0]:e.trigger_span[1]] == "met"
    assert e.sentence == text


def test_light_verb_takes_type_from_noun(code):
    e = _one(code("Egypt and Qatar held talks with Hamas in Cairo."), "CONSULT")
    assert e.source.country in ("EGY", "QAT")


def test_request_with_object_control(code):
    e = _one(code("The United Nations urged Israel to allow aid into Gaza."), "REQUEST")
    assert e.source.country == "IGO"
    assert e.target.country == "ISR"
    assert all(x.event_type != "RETREAT" or x.modality != "asserted"
               for x in code("The United Nations urged Israel to allow aid into Gaza.").events)


def test_event_type_and_cameo_are_consistent(code):
    from tidings.nlp.lexicon import get_lexicon

    lex = get_lexicon()
    coded = code("Protesters rallied in Belgrade. Police arrested ten students. "
                 "Serbia expelled two Croatian diplomats.")
    assert {"PROTEST", "COERCE"} <= set(_types(coded))
    for e in coded.events:
        assert lex.cameo[e.cameo]["plover"] == e.event_type or e.cameo in ("163",)
        assert e.quad_class in (1, 2, 3, 4)
