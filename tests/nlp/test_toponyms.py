"""Every toponym of a document, resolved against GeoNames with the document as context
(issue 13): one test per failure the issue names, each over several cases so that it checks
the mechanism and not one example."""

from __future__ import annotations

import pytest

from tidings.evaluate_places import haversine, score_document
from tidings.nlp.gazetteer import get_geonames, name_key


def _places(code, text):
    return code(text).places


def _find(places, text):
    return [p for p in places if p.text == text]


# -- country and division coordinates are GeoNames' own, not a median of cities -------------

@pytest.mark.parametrize("name,iso3,lat,lon", [
    ("Russia", "RUS", 60.0, 100.0),  # its cities' median is near Moscow, 2,500 km off
    ("Canada", "CAN", 60.10867, -113.64258),
    ("Indonesia", "IDN", -5.0, 120.0),
    ("Argentina", "ARG", -34.0, -64.0),
])
def test_country_points_are_geonames_points(code, name, iso3, lat, lon):
    places = _find(_places(code, f"Officials in {name} announced new measures on Monday."),
                   name)
    assert places and places[0].country == iso3 and places[0].feature == "country"
    assert haversine(places[0].lat, places[0].lon, lat, lon) < 50


def test_every_country_has_an_id_and_a_point():
    gn = get_geonames()
    rows = gn.conn.execute("SELECT country, geonameid, lat, lon FROM places "
                           "WHERE feature = 'country'").fetchall()
    assert len(rows) >= 240
    assert all(gid > 0 and lat is not None and lon is not None for _, gid, lat, lon in rows)


# -- never a sub-word of a longer name -------------------------------------------------------

@pytest.mark.parametrize("text,not_found", [
    ("The crowd filled the Royal Albert Hall for the final concert of the season.", "Hall"),
    ("He lost the lead at the Hairpin Bend on the last lap of the race.", "Bend"),
    ("Reporters from the Washington Post asked about the deal.", "Washington"),
    ("Fishermen on Lake Chad said water levels had fallen again.", "Chad"),
    ("The orchestra played in the concert hall while the river bend flooded.", "hall"),
])
def test_no_place_from_part_of_a_longer_name(code, text, not_found):
    places = _places(code, text)
    assert not [p for p in places if p.text == not_found or p.text.lower() == not_found]


@pytest.mark.parametrize("text,surface,iso3", [
    ("He ran as the candidate of the US Libertarian Party in 2020.", "US", "USA"),
    ("She became the first US Senator from the state.", "US", "USA"),
    ("First Minister of Scotland Nicola Sturgeon said the ruling was welcome.", "Scotland",
     "GBR"),
])
def test_a_country_or_division_opening_a_longer_name_is_kept(code, text, surface, iso3):
    found = _find(_places(code, text), surface)
    assert found and found[0].country == iso3


# -- namesakes resolved by the document ------------------------------------------------------

@pytest.mark.parametrize("text,name,iso3", [
    ("Flooding hit Lincolnshire this week. In Boston, the council opened shelters as the "
     "river rose, and roads near Skegness were closed.", "Boston", "GBR"),
    ("Crowds gathered in Massachusetts on Saturday. In Boston, police closed streets near "
     "the harbour.", "Boston", "USA"),
    ("The mayor of Perth met farmers from across Scotland and visited Dundee and Stirling.",
     "Perth", "GBR"),
    ("Bushfires threatened Western Australia, and officials in Perth ordered evacuations.",
     "Perth", "AUS"),
])
def test_namesakes_follow_the_document(code, text, name, iso3):
    found = _find(_places(code, text), name)
    assert found and found[0].country == iso3


def test_qualifier_settles_a_namesake(code):
    places = _places(code, "Police in Paris, Texas, said the storm damaged two schools.")
    paris = _find(places, "Paris")
    assert paris and paris[0].country == "USA" and paris[0].admin1 == "Texas"


# -- first-level divisions outside the US, and feature cues ----------------------------------

@pytest.mark.parametrize("text,name,iso3", [
    ("Heavy rain fell across Banten province on Tuesday.", "Banten", "IDN"),
    ("Fires spread through New South Wales overnight.", "New South Wales", "AUS"),
    ("Voters in Bavaria went to the polls on Sunday.", "Bavaria", "DEU"),
    ("Troops were sent to the Amur region after the floods.", "Amur", "RUS"),
])
def test_first_level_divisions(code, text, name, iso3):
    found = _find(_places(code, text), name)
    assert found and found[0].feature == "admin1" and found[0].country == iso3
    assert found[0].geonameid


def test_city_cue_prefers_the_town(code):
    found = _find(_places(code, "Relief arrived in the town of Kharkiv on Friday."),
                  "Kharkiv")
    assert found and found[0].feature == "city"


def test_city_named_like_its_province_is_the_city(code):
    for city, iso3 in (("Istanbul", "TUR"), ("Moscow", "RUS")):
        found = _find(_places(code, f"Talks were held in {city} on Monday."), city)
        assert found and found[0].feature == "city" and found[0].country == iso3


# -- small towns (under 15,000 people) -------------------------------------------------------

@pytest.mark.parametrize("text,name,iso3", [
    ("The ship sailed from Sampit in Central Kalimantan to Baracoa, Cuba, last week.",
     "Baracoa", "CUB"),
    ("Residents of Pandeglang, Indonesia, were evacuated after the tsunami.",
     "Pandeglang", "IDN"),
])
def test_small_towns_are_in_the_gazetteer(code, text, name, iso3):
    found = _find(_places(code, text), name)
    assert found and found[0].country == iso3 and found[0].feature == "city"


def test_gazetteer_has_places_of_a_thousand_people():
    gn = get_geonames()
    small = gn.conn.execute("SELECT COUNT(*) FROM places WHERE feature = 'city' AND "
                            "population BETWEEN 1000 AND 15000").fetchone()[0]
    assert small > 100_000


# -- demonyms and supranational regions are linked, not dropped ------------------------------

@pytest.mark.parametrize("text,surface,name", [
    ("Russian officials denied the report.", "Russian", "Russia"),
    ("The crew were Iranians, the army said.", "Iranians", "Iran"),
    ("The EU said new sanctions were coming.", "EU", "European Union"),
    ("Tensions in the Middle East rose again.", "Middle East", "Middle East"),
    ("African leaders met in Addis Ababa.", "African", "Africa"),
])
def test_demonyms_and_regions_are_linked(code, text, surface, name):
    found = _find(_places(code, text), surface)
    assert found and found[0].name == name


def test_languages_are_not_demonyms(code):
    places = _places(code, "The statement was published in French and in Spanish.")
    assert not _find(places, "French") and not _find(places, "Spanish")


# -- use: place or actor (metonymy) ----------------------------------------------------------

def test_capital_that_speaks_is_an_actor(code):
    places = _places(code, "Moscow said the talks had failed. Later, protesters marched "
                           "in Moscow.")
    moscow = _find(places, "Moscow")
    assert [p.use for p in moscow] == ["actor", "place"]


def test_coordinated_demonyms_share_their_use(code):
    places = _places(code, "Russian and Ukrainian officials met in Istanbul on Monday.")
    uses = {p.text: p.use for p in places}
    assert uses == {"Russian": "actor", "Ukrainian": "actor", "Istanbul": "place"}


# -- output ----------------------------------------------------------------------------------

def test_places_in_output_and_spans_point_into_the_text(code):
    text = "KYIV, June 2 (Reuters) - Drones hit Kharkiv overnight, Ukraine's air force said."
    coded = code(text)
    d = coded.to_dict()
    assert d["places"]
    for p in d["places"]:
        assert text[p["span"][0]:p["span"][1]] == p["text"]
        assert {"geonameid", "name", "feature", "country", "admin1", "lat", "lon",
                "confidence", "use"} <= set(p)
    assert d["places"][0]["text"] == "KYIV" and d["places"][0]["country"] == "UKR"


def test_spacy_component_writes_doc_spans(nlp):
    from tidings.nlp.toponyms import PlaceFinderComponent

    doc = PlaceFinderComponent()(nlp("Protesters gathered in Warsaw and Gdańsk on Sunday."))
    assert [s.text for s in doc.spans["places"]] == ["Warsaw", "Gdańsk"]
    assert all(s._.toponym.country == "POL" for s in doc.spans["places"])
    assert "tidings_places_v1" in __import__("spacy").registry.factories


def test_name_key_folds_spellings():
    assert name_key("Gdańsk") == name_key("Gdansk")
    assert name_key("U.S.") == name_key("US")
    assert name_key("Nukuʻalofa") == name_key("Nuku'alofa")


# -- the scorer ------------------------------------------------------------------------------

def test_scorer_counts_overlap_distance_and_id():
    gold = [{"start": 0, "end": 6, "text": "Moscow", "geonameid": 524901, "lat": 55.75,
             "lon": 37.62},
            {"start": 20, "end": 26, "text": "Paris", "geonameid": 2988507, "lat": 48.85,
             "lon": 2.35}]
    predicted = [{"span": [0, 6], "text": "Moscow", "geonameid": 524901, "lat": 55.7,
                  "lon": 37.6},
                 {"span": [30, 35], "text": "Lyons", "geonameid": 1, "lat": 45.7, "lon": 4.8},
                 {"span": [40, 45], "text": "Hall", "geonameid": 2, "lat": 0, "lon": 0}]
    c = score_document(predicted, gold, excluded=[(38, 50)])["counts"]
    assert (c["recognised"], c["predicted"], c["gold"]) == (1, 2, 2)
    assert c["within_161"] == 1 and c["same_id"] == 1
