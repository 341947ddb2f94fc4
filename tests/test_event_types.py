"""The type table (data/lexicon/types.tsv) and what reads it."""

from __future__ import annotations

import json

import pytest

from tidings.event_types import (
    TypeTableError,
    aliases,
    event_types,
    parse,
    quad_names,
    type_names,
    types_with,
)
from tidings.model import AcledType, Event
from tidings.schemes import cameo

ROW = {"type": "AGREE", "quad_class": "1", "quad_name": "verbal cooperation",
       "title": "Agree", "cameo": "030"}


def test_table_lists_the_sixteen_plover_types_in_manual_order():
    assert type_names()[:4] == ("AGREE", "CONSULT", "SUPPORT", "CONCEDE")
    assert len(type_names()) == 16 and type_names()[-1] == "ASSAULT"
    from tidings.model import PLOVER_TYPES

    assert PLOVER_TYPES == type_names()


def test_every_code_in_the_table_is_a_cameo_code_of_its_kind():
    table = cameo.cameo_table()
    for t in event_types().values():
        assert table[t.cameo]["plover"] == t.type, t
        for code in (t.intent_cameo, t.demand_cameo, t.reject_cameo):
            assert code is None or code in table, (t.type, code)
        if t.demand_cameo:
            assert table[t.demand_cameo]["plover"] == "REQUEST"


def test_properties_that_replaced_type_lists():
    assert types_with("symmetric") == {"CONSULT", "AGREE", "COOPERATE", "ASSAULT", "SUPPORT"}
    assert types_with("either_way") == {"CONSULT", "COOPERATE", "AGREE"}
    assert types_with("casualties") == {"ASSAULT"}
    assert types_with("hits_places") == {"ASSAULT", "COERCE"}
    assert event_types()["COERCE"].implied_source == "GOV"
    assert event_types()["PROTEST"].implied_target == "GOV"
    assert aliases()["FIGHT"] == "ASSAULT" and aliases()["DEMAND"] == "REQUEST"
    assert quad_names() == {1: "verbal cooperation", 2: "material cooperation",
                            3: "verbal conflict", 4: "material conflict"}
    with pytest.raises(ValueError, match="yes/no column"):
        types_with("violent")


@pytest.mark.parametrize("change,message", [
    ({"quad_class": "5"}, "quad_class"),
    ({"cameo": ""}, "cameo"),
    ({"type": "NONE"}, "other than NONE"),
    ({"symmetric": "true"}, "write yes"),
    ({"intent_type": "NOSUCH", "intent_cameo": "030"}, "not a type"),
    ({"intent_type": "AGREE"}, "needs intent_cameo"),
])
def test_a_malformed_row_is_named(change, message):
    with pytest.raises(TypeTableError, match=message):
        parse([{**ROW, **change}])


def test_a_type_listed_twice_is_refused():
    with pytest.raises(TypeTableError, match="twice"):
        parse([ROW, ROW])


def test_cameo_scheme():
    assert cameo.goldstein("1951") == cameo.goldstein("195")  # no own row: the parent's
    assert cameo.goldstein(None) is None and cameo.goldstein("9999") is None
    assert cameo.quad_class("SANCTION") == 4 and cameo.quad_class("NOSUCH") is None
    assert cameo.root("195") == "19" and cameo.generic_code("ASSAULT") == "180"
    assert cameo.cameo_label(None) == "NONE"


def _event(**kw) -> Event:
    return Event(id="d:0", event_type="ASSAULT", cameo="190", **kw)


def test_typed_fields_serialise_where_extra_keys_were():
    event = _event(intended_type=None, killed=3, injured=5,
                   acled=AcledType("Battles", "Armed clash"), main=True,
                   extra={"typed_by": "model+rules"})
    keys = list(event.to_dict())
    assert keys[keys.index("location") + 1:] == ["typed_by", "killed", "injured", "acled",
                                                 "main"]
    assert event.to_dict()["acled"] == {"event_type": "Battles", "sub_event_type": "Armed clash"}
    threat = _event(intended_type="ASSAULT", extra={"modality_cue": "will"})
    assert list(threat.extras()) == ["intended_type", "modality_cue"]
    assert "main" not in _event().to_dict() and "killed" not in _event().to_dict()


def test_extras_round_trip_to_typed_fields():
    event = _event(intended_type="SANCTION", killed=0, acled=AcledType("Riots", "Mob violence"),
                   main=True, extra={"country_from_place": ["source"]})
    back = Event(id="d:0", event_type="ASSAULT", cameo="190",
                 **Event.fields_of_extras(event.extras()))
    assert back == event


def test_typed_fields_win_over_extra_keys_of_the_same_name():
    notes = {"event_type": "PROTEST", "confidence": 0.99, "killed": 40, "intended_type": "AID",
             "main": True, "acled": {"event_type": "Riots"}, "date": "1999-01-01",
             "typed_by": "model"}
    event = _event(killed=3, confidence=0.25, extra=dict(notes))
    d = event.to_dict()
    assert (d["event_type"], d["confidence"], d["killed"], d["date"]) == (
        "ASSAULT", 0.25, 3, None)
    # a typed field that is unset is not filled in from a note either
    assert "intended_type" not in d and "main" not in d and "acled" not in d
    assert event.extras() == {"typed_by": "model", "killed": 3}
    # the store writes the typed values (and its extra column only the real notes)
    from tidings.store import rows

    row = rows.event_row(event, "d", "2025-01-02")
    assert (row["event_type"], row["confidence"], row["killed"], row["date"]) == (
        "ASSAULT", 0.25, 3, "2025-01-02")
    assert json.loads(row["extra"]) == {"typed_by": "model", "killed": 3}
    # and what comes back from the store is the typed event, not the notes
    back = Event(id="d:0", event_type="ASSAULT", cameo="190", confidence=0.25,
                 **Event.fields_of_extras(event.extras()))
    assert back.to_dict() == d


def test_acled_default_is_a_pair():
    assert event_types()["PROTEST"].acled_default == ("Protests", "Peaceful protest")
    assert event_types()["SANCTION"].acled_default is None
    with pytest.raises(TypeTableError, match="event_type\\|sub_event_type"):
        parse([{**ROW, "acled_default": "Battles"}])


def test_training_reads_its_coarse_classes_from_the_table():
    from tidings.train import QUAD

    assert QUAD == {"AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 2, "COOPERATE": 2,
                    "AID": 2, "RETREAT": 2, "REQUEST": 1, "ACCUSE": 3, "REJECT": 3,
                    "THREATEN": 3, "PROTEST": 4, "SANCTION": 3, "MOBILIZE": 4, "COERCE": 4,
                    "ASSAULT": 4}
