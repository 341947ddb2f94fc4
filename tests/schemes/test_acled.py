"""ACLED mapping: hand-built events (no NLP) against the rules in acled.yaml."""

from pathlib import Path

import pytest

from tidings.model import AcledType, Actor, Event
from tidings.schemes import acled
from tidings.schemes.acled import (
    ACLED_TYPES,
    AcledRuleError,
    acled_for,
    acled_label,
    compile_rules,
    load_rules,
    stem,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "schemes.md"


def ev(event_type, cameo="", mode="", src=None, tgt=None, trigger="", sentence="",
       modality="asserted"):
    return Event(id="t:0", event_type=event_type, cameo=cameo, mode=mode,
                 source=Actor(text=src, sector=src) if src else None,
                 target=Actor(text=tgt, sector=tgt) if tgt else None,
                 trigger=trigger, sentence=sentence or trigger, modality=modality)


CASES = [
    # Battles
    ("soldiers fought rebels",
     ev("ASSAULT", "190", src="MIL", tgt="REB", trigger="fought",
        sentence="Government soldiers fought rebels near the border on Sunday."),
     "Battles", "Armed clash"),
    ("gunmen attack a police post",
     ev("ASSAULT", "180", tgt="COP", trigger="attacked",
        sentence="Unidentified gunmen attacked a police post overnight."),
     "Battles", "Armed clash"),
    ("clashes with unknown sides",
     ev("ASSAULT", "190", trigger="clashes",
        sentence="Heavy clashes erupted in the north of the province."),
     "Battles", "Armed clash"),
    ("captured soldiers",
     ev("ASSAULT", "181", mode="abduct", src="REB", tgt="MIL", trigger="captured",
        sentence="Rebels captured twelve soldiers during the fighting."),
     "Battles", "Armed clash"),
    ("army retakes town",
     ev("ASSAULT", "190", src="MIL", trigger="retook",
        sentence="The army retook the town of Bama from insurgents."),
     "Battles", "Government regains territory"),
    ("rebels seize town",
     ev("ASSAULT", "190", src="REB", trigger="seized",
        sentence="M23 rebels seized the town of Rubaya after two days."),
     "Battles", "Non-state actor overtakes territory"),
    ("rebels occupy (COERCE 192)",
     ev("COERCE", "192", mode="seize", src="REB", trigger="occupied",
        sentence="Insurgents occupied the mining area."),
     "Battles", "Non-state actor overtakes territory"),
    # Explosions / remote violence
    ("air strike by the military on rebels",
     ev("ASSAULT", "190", src="MIL", tgt="REB", trigger="airstrikes",
        sentence="Military airstrikes hit rebel positions outside the city."),
     "Explosions/Remote violence", "Air/drone strike"),
    ("drone mode",
     ev("ASSAULT", "195", mode="drone", trigger="struck",
        sentence="A drone struck a car on the highway."),
     "Explosions/Remote violence", "Air/drone strike"),
    ("shelling plural/verb form",
     ev("ASSAULT", "190", src="MIL", trigger="shelled",
        sentence="Forces shelled residential districts of Kharkiv."),
     "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("missiles",
     ev("ASSAULT", "190", trigger="launched",
        sentence="Russia launched ballistic missiles at Kyiv overnight."),
     "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("roadside bomb (1833)",
     ev("ASSAULT", "1833", mode="explosives", tgt="MIL", trigger="bomb",
        sentence="A roadside bomb hit an army convoy."),
     "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("landmine words",
     ev("ASSAULT", "180", tgt="CVL", trigger="killed",
        sentence="Two children were killed when a landmine exploded in their field."),
     "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("suicide bomber before IED",
     ev("ASSAULT", "183", tgt="CVL", trigger="blew",
        sentence="A suicide bomber blew himself up at a market, killing 20 people."),
     "Explosions/Remote violence", "Suicide bomb"),
    ("grenade",
     ev("ASSAULT", "180", tgt="CVL", trigger="threw",
        sentence="An attacker threw a grenade into a bar."),
     "Explosions/Remote violence", "Grenade"),
    ("chlorine",
     ev("ASSAULT", "204", mode="unconventional", trigger="attack",
        sentence="Witnesses described a chlorine attack on the suburb."),
     "Explosions/Remote violence", "Chemical weapon"),
    # Violence against civilians
    ("militia kills villagers",
     ev("ASSAULT", "1823", src="REB", tgt="CVL", trigger="killed",
        sentence="Militiamen killed eleven villagers in Ituri."),
     "Violence against civilians", "Attack"),
    ("assassination of a journalist",
     ev("ASSAULT", "186", mode="assassinate", tgt="MED", trigger="assassinated",
        sentence="A prominent journalist was assassinated in Mogadishu."),
     "Violence against civilians", "Attack"),
    ("massacre",
     ev("ASSAULT", "202", mode="massacre", src="UAF", trigger="massacre",
        sentence="Survivors described a massacre in the village."),
     "Violence against civilians", "Attack"),
    ("kidnapping of students",
     ev("ASSAULT", "181", mode="abduct", src="CRM", tgt="EDU", trigger="kidnapped",
        sentence="Bandits kidnapped 80 students from a school."),
     "Violence against civilians", "Abduction/forced disappearance"),
    ("rebels 'detain' civilians",
     ev("COERCE", "173", mode="arrest", src="REB", tgt="CVL", trigger="detained",
        sentence="Rebels detained aid workers at a checkpoint."),
     "Violence against civilians", "Abduction/forced disappearance"),
    ("sexual violence",
     ev("ASSAULT", "1821", mode="sexual", src="MIL", tgt="CVL", trigger="raped",
        sentence="Soldiers raped women in the camp."),
     "Violence against civilians", "Sexual violence"),
    # Protests and riots
    ("peaceful demonstration",
     ev("PROTEST", "141", mode="demo", src="CVL", trigger="rallied",
        sentence="Thousands rallied in the capital against the new tax."),
     "Protests", "Peaceful protest"),
    ("strike is a peaceful protest",
     ev("PROTEST", "143", mode="boycott", src="LAB", trigger="strike",
        sentence="Dock workers went on strike for higher pay."),
     "Protests", "Peaceful protest"),
    ("protest dispersed with tear gas",
     ev("PROTEST", "141", mode="demo", trigger="protested",
        sentence="Students protested outside parliament until police fired tear gas."),
     "Protests", "Protest with intervention"),
    ("police tear gas (ASSAULT crowd-control)",
     ev("ASSAULT", "180", mode="crowd-control", src="COP", trigger="fired",
        sentence="Riot police fired tear gas at marchers."),
     "Protests", "Protest with intervention"),
    ("police arrest protesters",
     ev("COERCE", "173", mode="arrest", src="COP", trigger="arrested",
        sentence="Police arrested 40 protesters at the sit-in."),
     "Protests", "Protest with intervention"),
    ("security forces shoot protesters",
     ev("ASSAULT", "193", mode="firearms", src="MIL", tgt="CVL", trigger="opened fire",
        sentence="Security forces opened fire on protesters, killing five."),
     "Protests", "Excessive force against protesters"),
    ("protesters shot dead, no perpetrator named",
     ev("ASSAULT", "180", trigger="shot",
        sentence="Three demonstrators were shot dead in Khartoum."),
     "Protests", "Excessive force against protesters"),
    ("riot mode",
     ev("PROTEST", "145", mode="riot", trigger="rioted",
        sentence="Youths rioted and torched cars."),
     "Riots", "Violent demonstration"),
    ("protest with stone throwing",
     ev("PROTEST", "141", mode="demo", trigger="protest",
        sentence="The protest turned violent as demonstrators threw stones at police."),
     "Riots", "Violent demonstration"),
    ("lynching",
     ev("ASSAULT", "1823", tgt="CVL", trigger="lynched",
        sentence="A mob lynched a suspected thief in the market."),
     "Riots", "Mob violence"),
    # Strategic developments
    ("ceasefire (RETREAT 0871)",
     ev("RETREAT", "0871", mode="ceasefire", src="MIL", trigger="declared",
        sentence="The army declared a ceasefire."),
     "Strategic developments", "Agreement"),
    ("peace deal signed (SUPPORT 057)",
     ev("SUPPORT", "057", src="GOV", tgt="REB", trigger="signed",
        sentence="The government and the rebels signed a peace deal in Doha."),
     "Strategic developments", "Agreement"),
    ("agree to prisoner swap",
     ev("AGREE", "037", src="GOV", trigger="agreed",
        sentence="Both sides agreed to a prisoner swap."),
     "Strategic developments", "Agreement"),
    ("arrest",
     ev("COERCE", "173", mode="arrest", src="COP", tgt="OPP", trigger="arrested",
        sentence="Police arrested the opposition leader at his home."),
     "Strategic developments", "Arrests"),
    ("group merger",
     ev("COOPERATE", "062", src="REB", trigger="merged",
        sentence="The two armed groups merged under a new name."),
     "Strategic developments", "Change to group/activity"),
    ("missiles intercepted",
     ev("ASSAULT", "190", trigger="intercepted",
        sentence="Air defences intercepted 30 missiles and drones overnight."),
     "Strategic developments", "Disrupted weapons use"),
    ("weapons cache seized",
     ev("COERCE", "171", mode="seize", src="MIL", trigger="seized",
        sentence="Troops seized a weapons cache and ammunition near the border."),
     "Strategic developments", "Disrupted weapons use"),
    ("base established",
     ev("MOBILIZE", "154", mode="troops", src="MIL", trigger="set up",
        sentence="The army set up a new base near the frontier."),
     "Strategic developments", "Headquarters or base established"),
    ("houses destroyed (1712)",
     ev("ASSAULT", "1712", mode="seize", src="UAF", trigger="burned",
        sentence="Attackers burned down dozens of houses."),
     "Strategic developments", "Looting/property destruction"),
    ("looting",
     ev("ASSAULT", "180", trigger="looted",
        sentence="Armed men looted shops in the town centre."),
     "Strategic developments", "Looting/property destruction"),
    ("troops withdraw (RETREAT withdraw)",
     ev("RETREAT", "0872", mode="withdraw", src="MIL", trigger="withdrew",
        sentence="Troops withdrew from the city without a fight."),
     "Strategic developments", "Non-violent transfer of territory"),
    ("troops mobilize",
     ev("MOBILIZE", "154", mode="troops", src="MIL", trigger="deployed",
        sentence="The army deployed additional troops to the border."),
     "Strategic developments", "Other"),
    ("curfew",
     ev("COERCE", "1723", mode="curfew", src="GOV", trigger="imposed",
        sentence="Authorities imposed a curfew on the city."),
     "Strategic developments", "Other"),
]


@pytest.mark.parametrize("name,event,etype,sub", CASES, ids=[c[0] for c in CASES])
def test_mapping(name, event, etype, sub):
    assert acled_for(event) == AcledType(etype, sub)


def test_cases_cover_every_sub_event_type_with_a_rule():
    emitted = {r.acled for r in load_rules().rules if r.acled} | set(
        load_rules().defaults.values())
    tested = {(c[2], c[3]) for c in CASES}
    assert emitted <= tested
    assert emitted == {(t, s) for t, subs in ACLED_TYPES.items() for s in subs}


@pytest.mark.parametrize("modality", ["negated", "future", "conditional", "demanded",
                                      "hypothetical"])
def test_non_asserted_events_have_no_record(modality):
    event = ev("ASSAULT", "195", mode="aerial", src="MIL", tgt="CVL", trigger="bomb",
               sentence="Jets will bomb the city.", modality=modality)
    assert acled_for(event) is None


@pytest.mark.parametrize("etype,cameo", [("CONSULT", "040"), ("ACCUSE", "112"),
                                         ("REQUEST", "1056"), ("THREATEN", "138"),
                                         ("REJECT", "125"), ("SANCTION", "163"),
                                         ("AID", "073")])
def test_verbal_and_non_acled_types_have_no_record(etype, cameo):
    event = ev(etype, cameo, src="GOV", tgt="REB", trigger="said",
               sentence="Officials said air strikes and shelling killed civilians in clashes.")
    assert acled_for(event) is None
    assert acled_label(event) == "NONE"


def test_explicit_stop_rule():
    event = ev("PROTEST", "143", mode="boycott", src="GOV", trigger="boycotted",
               sentence="The government boycotted the summit.")
    assert acled_for(event) is None


def test_riot_police_is_not_a_riot():
    event = ev("PROTEST", "141", mode="demo", trigger="marched",
               sentence="Teachers marched past lines of riot police.")
    assert acled_label(event) == "Peaceful protest"


def test_protest_about_an_arrest_is_not_an_intervention():
    event = ev("PROTEST", "141", mode="demo", trigger="protested",
               sentence="Hundreds protested against the arrest of the mayor.")
    assert acled_label(event) == "Peaceful protest"


def test_label_and_none_event():
    assert acled_label(None) == "NONE"
    assert acled_label(CASES[0][1]) == "Armed clash"


def test_stem_tolerates_inflection():
    assert stem("shelling") == stem("shelled") == stem("shells") == stem("shell")
    assert stem("kidnapped") == stem("kidnap")
    assert stem("missiles") == stem("missile")
    assert stem("bomber") != stem("bomb")


def test_bad_acled_name_names_the_rule():
    data = {"rules": [
        {"when": {"type": "ASSAULT"}, "acled": ["Battles", "Armed clash"]},
        {"when": {"type": "PROTEST"}, "acled": ["Protests", "Violent protest"]},
    ]}
    with pytest.raises(AcledRuleError, match=r"rule 2 .*Violent protest"):
        compile_rules(data)


def test_bad_condition_key_and_type_rejected():
    with pytest.raises(AcledRuleError, match="unknown condition key"):
        compile_rules({"rules": [{"when": {"verb": "x"}, "acled": None}]})
    with pytest.raises(AcledRuleError, match="not PLOVER"):
        compile_rules({"rules": [{"when": {"type": "FIGHT"}, "acled": None}]})
    with pytest.raises(AcledRuleError, match="quote CAMEO"):
        compile_rules({"rules": [{"when": {"cameo": [1831]}, "acled": None}]})


def test_loader_validates_the_packaged_file(monkeypatch):
    bad = {"rules": [{"when": {"type": "ASSAULT"}, "acled": ["Battles", "Armed clashes"]}]}
    monkeypatch.setattr(acled, "read_yaml", lambda relative: bad)
    acled.load_rules.cache_clear()
    try:
        with pytest.raises(AcledRuleError, match="rule 1"):
            acled.load_rules()
    finally:
        acled.load_rules.cache_clear()


def test_docs_table_matches_the_rules():
    text = DOCS.read_text(encoding="utf-8")
    start, end = "<!-- acled-table:start -->\n", "<!-- acled-table:end -->"
    assert start in text and end in text
    embedded = text.split(start, 1)[1].split(end, 1)[0]
    assert embedded == acled.markdown_table(), "regenerate: python -m tidings.schemes.acled"


def test_type_default_applies_only_when_no_rule_matches_and_is_checked():
    ruleset = compile_rules({"rules": [{"when": {"type": "ASSAULT", "words": ["clash"]},
                                        "acled": ["Battles", "Armed clash"]}]},
                            {"ASSAULT": ("Violence against civilians", "Attack")})
    clash = ev("ASSAULT", "190", trigger="clashed", sentence="Rebels clashed with troops.")
    beat = ev("ASSAULT", "180", trigger="beat", sentence="Men beat a shopkeeper.")
    assert acled_for(clash, ruleset) == AcledType("Battles", "Armed clash")
    assert acled_for(beat, ruleset) == AcledType("Violence against civilians", "Attack")
    beat.modality = "future"
    assert acled_for(beat, ruleset) is None  # a default, like a rule, is for facts only
    with pytest.raises(AcledRuleError, match="ASSAULT"):
        compile_rules({"rules": []}, {"ASSAULT": ("Battles", "Armed clashes")})
