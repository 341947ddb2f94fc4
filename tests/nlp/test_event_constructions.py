"""Constructions the event frames read beyond a trigger word: judging verbs, object control,
participles on event nouns, victims of a named attack, verbal attacks, accords, and
conjoined clauses with their own modality (issue 11). The sentences are written for these
tests."""

import pytest


def _events(coded, etype, modality="asserted"):
    return [e for e in coded.events if e.event_type == etype and e.modality == modality]


def _one(coded, etype, modality="asserted"):
    found = _events(coded, etype, modality)
    assert found, f"no {modality} {etype} in {[e.to_dict() for e in coded.events]}"
    return found[0]


# -- judging: "called X's plan reckless", "ruled the ban unlawful" ---------------------------

def test_calling_an_actors_act_damning_is_an_accusation_of_its_owner(code):
    e = _one(code("The German chancellor called Russia's referendum a sham."), "ACCUSE")
    assert e.target.country == "RUS"
    assert e.source.country == "DEU"


def test_branding_a_group_as_terrorists_targets_the_group(code):
    e = _one(code("Ankara has branded the PKK a terrorist organisation."), "ACCUSE")
    assert e.target.country == "TUR" and e.target.sector == "REB"


def test_a_court_ruling_an_act_unlawful_accuses_its_author(code):
    coded = code("A federal judge in Ohio ruled that the state government's new voting rule "
                 "was unconstitutional.")
    e = _one(coded, "ACCUSE")
    assert e.source.sector == "JUD"
    assert e.target.sector == "GOV"


def test_judging_words_without_a_damning_complement_are_no_event(code):
    coded = code("The Kenyan president called the agreement a step forward.")
    assert not _events(coded, "ACCUSE")
    coded = code("The French minister found the proposal interesting.")
    assert not _events(coded, "ACCUSE")


def test_judging_something_that_is_no_actor_is_no_event(code):
    # no one is judged: "the weather" is nobody's act
    assert not _events(code("The Indian minister described the weather as dangerous."),
                       "ACCUSE")


# -- object control: "asked X to V", "counted on X to V" ------------------------------------

def test_asking_an_actor_to_act_is_a_request(code):
    e = _one(code("The Dutch government asked the European Commission to postpone the vote."),
             "REQUEST")
    assert e.source.country == "NLD"
    assert e.target.country == "IGO"


def test_counting_on_an_actor_to_act_is_a_request(code):
    e = _one(code("The NATO chief said he counts on Hungary to approve the accession."),
             "REQUEST")
    assert e.target.country == "HUN"


@pytest.mark.parametrize("text", [
    "The Brazilian president was asked about the fires at a press conference.",
    "The Canadian minister told reporters the talks had been useful.",
    "Officials asked not to be named.",
])
def test_ask_and_tell_without_object_and_infinitive_are_no_request(code, text):
    assert not _events(code(text), "REQUEST")


# -- a light verb as a participle on its event noun ------------------------------------------

def test_lawsuit_filed_by_x_against_y(code):
    e = _one(code("The judge dismissed a lawsuit filed by Greenpeace against the Norwegian "
                  "government."), "ACCUSE")
    assert e.source.name == "Greenpeace" or "Greenpeace" in e.source.text
    assert e.target.country == "NOR"


def test_sanctions_imposed_by_x_on_y(code):
    e = _one(code("Sanctions imposed by the United States on Venezuela took effect on Monday."),
             "SANCTION")
    assert (e.source.country, e.target.country) == ("USA", "VEN")


# -- victims of an attack named as a noun ----------------------------------------------------

def test_people_hurt_in_a_named_attack_are_its_victims(code):
    e = _one(code("Six Iraqi soldiers were wounded in the ambush near Mosul."), "ASSAULT")
    assert e.target.country == "IRQ" and e.target.sector == "MIL"


def test_counted_dead_in_a_named_attack_are_its_victims(code):
    e = _one(code("Dozens died in the bombing in northern Nigeria."), "ASSAULT")
    assert e.target.sector == "CVL"


def test_surviving_an_attack(code):
    e = _one(code("The Pakistani governor survived the assassination attempt."), "ASSAULT")
    assert e.target.country == "PAK"


def test_hurt_in_an_accident_is_no_attack(code):
    assert not _events(code("Several players were injured in the crash."), "ASSAULT")


# -- verbal attacks --------------------------------------------------------------------------

def test_attacking_a_policy_is_criticism_not_violence(code):
    coded = code("The Spanish opposition attacked the government's housing policy.")
    assert _events(coded, "ACCUSE")
    assert not _events(coded, "ASSAULT")


def test_attacking_a_town_stays_an_assault(code):
    assert _events(code("Rebels attacked the town of Goma on Sunday."), "ASSAULT")


# -- accords: AGREE, signing them SUPPORT ----------------------------------------------------

def test_an_agreement_reached_with_an_actor_is_agree(code):
    e = _one(code("The Sudanese army said an agreement had been reached with the rebels."),
             "AGREE")
    assert e.target.sector == "REB"


def test_joining_a_coalition_is_agree(code):
    coded = code("The naval coalition was joined by Denmark and Norway.")
    assert {e.source.country for e in _events(coded, "AGREE")} == {"DNK", "NOR"}


def test_signing_an_agreement_stays_support_057(code):
    e = _one(code("Egypt and Sudan signed a water agreement in Cairo."), "SUPPORT")
    assert e.cameo == "057"


# -- a conjoined clause with its own subject keeps its own modality --------------------------

def test_conjoined_clause_with_own_subject_does_not_inherit_a_modal(code):
    coded = code("The minister said the reserve should be opened to mining, and his critics "
                 "blame him for the fires.")
    assert _events(coded, "ACCUSE")


# -- phone calls, seconding, claims of attacks ----------------------------------------------

def test_speaking_on_the_phone_is_a_consultation(code):
    coded = code("On Monday, the Russian and French presidents spoke on the phone.")
    e = _one(coded, "CONSULT")
    assert {e.source.country, e.target.country} == {"RUS", "FRA"}


def test_seconding_a_proposal_is_support(code):
    e = _one(code("Germany quickly seconded the Italian proposal."), "SUPPORT")
    assert e.source.country == "DEU"


def test_a_claimed_attack_has_the_claimant_as_its_source(code):
    e = _one(code("The bombing was claimed by the Islamic State."), "ASSAULT")
    assert e.source.sector == "REB" or e.source.name


@pytest.mark.parametrize("text", ["The Kenyan runner claimed victory in Boston.",
                                  "The Chilean band performed two songs."])
def test_claim_and_perform_without_an_event_noun_are_no_event(code, text):
    assert not code(text).events


# -- a demand addressed to another actor in reported speech ----------------------------------

def test_should_addressed_to_another_actor_is_a_request(code):
    # (a sentence with no trigger word is parsed only when it holds a quote: the prefilter)
    coded = code('The Kenyan opposition leader said: "The Ugandan government should explain '
                 'its decision."')
    e = _one(coded, "REQUEST")
    assert e.source.country == "KEN"
    assert e.target.country == "UGA"


def test_need_to_in_a_quote_is_a_request_of_its_subject(code):
    coded = code('The Estonian prime minister said, "NATO needs to stand with us."')
    e = _one(coded, "REQUEST")
    assert e.source.country == "EST"
    assert e.target.country == "IGO"


@pytest.mark.parametrize("text", [
    '"We must act now," the French minister said.',
    "Analysts said the economy should grow by three percent.",
    "The Chilean government should reopen the border.",
])
def test_general_appeals_and_predictions_are_no_request(code, text):
    assert not _events(code(text), "REQUEST")


def test_a_named_person_unknown_to_the_dictionaries_can_be_a_victim(code):
    e = _one(code("Mbeki survived the attack."), "ASSAULT")
    assert e.target.text == "Mbeki"


def test_speaking_to_the_press_reports_the_quote(code):
    coded = code('The Peruvian senator spoke to the press: "I urge the president to resign."')
    e = _one(coded, "REQUEST")
    assert e.source.country == "PER"


def test_asking_inside_an_accusation_is_what_is_blamed_not_a_request(code):
    coded = code("Greek officials blamed the Turkish government for encouraging migrants to "
                 "cross the border.")
    assert _events(coded, "ACCUSE")
    assert not _events(coded, "REQUEST")


# -- a wrong told in someone's words ---------------------------------------------------------

def test_saying_an_actor_lied_accuses_it(code):
    coded = code("The Greek minister said the Turkish government had lied about the talks.")
    e = _one(coded, "ACCUSE")
    assert (e.source.country, e.target.country) == ("GRC", "TUR")


def test_breaking_the_law_in_a_quote_accuses_the_subject(code):
    coded = code('The Polish ombudsman said, "The government is breaking the law."')
    e = _one(coded, "ACCUSE")
    assert e.target.sector == "GOV"


@pytest.mark.parametrize("text", ['"We did not lie," the French minister said.',
                                  "The old town lies on the river.",
                                  "The Czech government broke the law last year."])
def test_no_accusation_without_speaker_actor_or_assertion(code, text):
    assert not _events(code(text), "ACCUSE")


def test_the_main_clauses_negation_does_not_negate_a_subordinate_clause(code):
    coded = code("Because Russian drones attacked the port, Ukraine did not attend the talks.")
    assert _events(coded, "ASSAULT")
    coded = code("While the Kenyan parliament approved the plan, the Kenyan senate did not.")
    assert not any(e.modality == "negated" and "approved" in e.trigger for e in coded.events)


def test_a_relative_clause_on_a_nearer_noun_still_finds_its_object(code):
    coded = code("Washington announced a naval coalition to patrol the Red Sea which was "
                 "joined by Denmark and Greece.")
    assert {"DNK", "GRC"} & {e.source.country for e in _events(coded, "AGREE")}
