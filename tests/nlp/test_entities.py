"""Document-level entities: mention chains, the rule that resolved each, namesakes,
parties and unions, pronouns, request roles and things that are no actors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

NAMESAKES = yaml.safe_load((Path(__file__).parents[1] / "data" / "namesakes.yaml")
                           .read_text(encoding="utf-8"))
FREE = (None, "IGO", "NGO")  # never a wrong country: unknown, or no country at all


def _norm(text: str) -> str:
    text = text.strip().lower()
    return text[4:] if text.startswith("the ") else text


@pytest.fixture(scope="module")
def namesakes(coder):
    return {s["id"]: coder.code({"id": s["id"], "text": s["text"],
                                 "published": s["published"]}) for s in NAMESAKES}


@pytest.mark.parametrize("story", NAMESAKES, ids=[s["id"] for s in NAMESAKES])
def test_namesakes_never_get_a_foreign_country(namesakes, story):
    coded = namesakes[story["id"]]
    allowed = set(story["countries"])
    wrong = [(e.text, e.country) for e in coded.entities
             if e.country not in FREE and e.country not in allowed]
    wrong += [(a.text, a.country) for ev in coded.events for a in (ev.source, ev.target)
              if a is not None and a.country not in FREE and a.country not in allowed]
    assert not wrong


@pytest.mark.parametrize("story", NAMESAKES, ids=[s["id"] for s in NAMESAKES])
def test_namesakes_expected_mentions_resolve_to_their_country(namesakes, story):
    coded = namesakes[story["id"]]
    found: dict[str, set] = {}
    for e in coded.entities:
        for m in e.mentions:
            found.setdefault(_norm(m.text), set()).add(e.country)
    for ev in coded.events:
        for a in (ev.source, ev.target):
            if a is not None:
                found.setdefault(_norm(a.text), set()).add(a.country)
    for mention, country in story["expect"].items():
        assert found.get(_norm(mention)) == {country}, mention


def test_every_party_and_union_gets_its_country(namesakes):
    bodies = [e for coded in namesakes.values() for e in coded.entities
              if e.kind == "org" and e.sector in ("GOV", "OPP", "PTY", "LAB")]
    assert len(bodies) >= 15
    assert all(e.country for e in bodies), [e.text for e in bodies if not e.country]


def test_mention_chain_from_full_name_to_surname(namesakes):
    coded = namesakes["ns-uk-howard-2005"]
    howard = next(e for e in coded.entities if e.name == "Michael Howard")
    assert [m.text for m in howard.mentions][:1] == ["Michael Howard"]
    assert {"Howard"} <= {m.text for m in howard.mentions[1:]}
    assert howard.country == "GBR"
    text = coded.article.text
    assert all(text[m.span[0]:m.span[1]] == m.text for m in howard.mentions)
    # the events' actors point at the entity
    assert any(ev.source is not None and ev.source.entity == howard.id for ev in coded.events)
    assert not [e for e in coded.entities if e.name == "John Howard"]


def test_party_governs_by_date(code):
    for published, sector in (("2005-02-08", "OPP"), ("2012-02-08", "GOV")):
        # an invented MP: no dictionary entry, so the party decides
        coded = code("Tory MP Alan Pritchard accused the Prime Minister of lying.", published)
        mp = next(e for e in coded.entities if e.name == "Alan Pritchard")
        assert (mp.country, mp.sector) == ("GBR", sector)
        assert mp.how == "party or organisation membership"
        # a former minister in the dictionary, out of office in 2005: his party decides
        coded = code("Tory MP Liam Fox accused the Prime Minister of lying.", published)
        fox = next(e for e in coded.entities if e.name == "Liam Fox")
        assert (fox.country, fox.sector) == ("GBR", sector)


def test_shared_party_name_without_country_context_stays_unresolved(code):
    coded = code("Labour accused the government of failing pensioners.")
    labour = next(e for e in coded.entities if e.text == "Labour")
    assert labour.country is None and labour.how.startswith("unresolved")


def test_shared_acronym_goes_to_the_article_country(code):
    coded = code("The British government condemned the march in London. "
                 "A BNP spokesperson said the party would appeal.")
    bnp = next(e for e in coded.entities if e.text == "BNP")
    assert (bnp.name, bnp.country) == ("British National Party", "GBR")


def test_pronoun_beyond_the_previous_sentence_stays_unresolved(code):
    coded = code("Angela Merkel met Emmanuel Macron in Paris. The weather was cold. "
                 "She criticised the budget plan.")
    criticised = next(e for e in coded.events if e.trigger == "criticised")
    assert criticised.source is None
    coded = code("Angela Merkel met Emmanuel Macron in Paris. She criticised Russia.")
    criticised = next(e for e in coded.events if e.trigger == "criticised")
    assert criticised.source.country == "DEU"


@pytest.mark.parametrize(("text", "source", "target"), [
    ("Britain said Vladimir Putin should resign.", "GBR", "RUS"),
    ("Poland was asked by Ukraine to send more tanks.", "UKR", "POL"),
    ("Iran must release the detainees, the French foreign minister said.", "FRA", "IRN"),
    ("Germany urged Russia to withdraw its troops.", "DEU", "RUS"),
])
def test_the_one_asked_to_act_is_the_target(code, text, source, target):
    request = next(e for e in code(text).events if e.event_type == "REQUEST")
    assert (request.source.country, request.target.country) == (source, target)


def test_equipment_is_its_owners_military_or_nothing(code):
    attack = next(e for e in code("Russian bombers attacked Kharkiv.").events
                  if e.event_type == "ASSAULT")
    assert (attack.source.country, attack.source.sector) == ("RUS", "MIL")
    attack = next(e for e in code("Strategic bombers struck the city of Aleppo.").events
                  if e.event_type == "ASSAULT")
    assert attack.source is None or attack.source.sector != "REB"


def test_captives_never_take_the_place_country(code):
    coded = code("Rebels freed the prisoners in Istanbul.")
    freed = next(e for e in coded.events if e.trigger == "freed")
    assert freed.target is not None and freed.target.country is None


def test_natural_forces_are_never_actors(code):
    for text in ("The hurricane destroyed homes in Florida.",
                 "Hurricane Maria attacked the coast of Puerto Rico."):
        for event in code(text).events:
            assert event.source is None, text


def test_metonyms_are_governments(code):
    for text, country in (("Moscow accused Kyiv of shelling the plant.", "RUS"),
                          ("Downing Street condemned the attack.", "GBR")):
        accuse = next(e for e in code(text).events if e.event_type == "ACCUSE")
        assert (accuse.source.country, accuse.source.sector) == (country, "GOV")


def test_a_reaction_aims_at_the_doer_of_the_act_it_names(code):
    coded = code("North Korea launched a rocket on Sunday. South Korea condemned the launch. "
                 "Venezuela expelled two diplomats. Peru criticised the decision.")
    condemned = next(e for e in coded.events if e.trigger == "condemned")
    assert (condemned.source.country, condemned.target.country) == ("KOR", "PRK")
    criticised = next(e for e in coded.events if e.trigger == "criticised")
    assert criticised.target is not None and criticised.target.country == "VEN"
    # nothing told before: no target rather than a guess
    coded = code("The weather was fine. Peru criticised the decision.")
    criticised = next(e for e in coded.events if e.trigger == "criticised")
    assert criticised.target is None


def test_counted_people_and_participle_doers(code):
    coded = code("Police in Paris arrested hundreds of people.")
    arrested = next(e for e in coded.events if e.trigger == "arrested")
    assert arrested.target is not None and arrested.target.sector == "CVL"
    coded = code("Speaking in the Legislative Council, Carrie Lam was interrupted by "
                 "protesting legislators.")
    protest = next(e for e in coded.events if e.event_type == "PROTEST")
    assert protest.source is not None and protest.source.sector == "LEG"


def test_apposition_first_name_and_the_accused(code):
    coded = code("An Australian, Mark Collins, aged 31, appeared in a court in Wellington, New "
                 "Zealand, charged with murder. Judge Paul Kellar ordered the accused to remain "
                 "in custody. Police arrested Mark on Friday after the attack.",
                 published="2019-03-17")
    collins = next(e for e in coded.entities if e.name == "Mark Collins")
    assert collins.country == "AUS"
    assert len(collins.mentions) == 2  # "Mark" alone joins him
    ordered = next(e for e in coded.events if e.trigger == "ordered")
    assert ordered.target is not None and ordered.target.country == "AUS"
    arrested = next(e for e in coded.events if e.trigger == "arrested")
    assert arrested.target.country == "AUS"


def test_the_possessor_of_an_arrest_undergoes_it(code):
    coded = code("Germany condemned the arrest. Alexei Navalny's arrest came after his return.")
    arrest = next(e for e in coded.events if e.trigger == "arrest")
    assert arrest.source is None and arrest.target.name == "Alexei Navalny"


def test_news_outlets_give_no_country(code):
    coded = code("Indonesia's security minister Wiranto was stabbed. Al Jazeera reported that "
                 "Joko Widodo planned to visit Wiranto.", published="2019-10-11")
    visit = next(e for e in coded.events if e.trigger == "visit")
    assert visit.target is not None and visit.target.country == "IDN"
