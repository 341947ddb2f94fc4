"""Where events happened: gazetteer lookups, datelines and the place of one event trigger."""

from __future__ import annotations

import pytest

from tidings.data import data_path
from tidings.nlp.places import (
    dateline_place,
    get_gazetteer,
    parse_dateline,
    place_for_event,
)

pytestmark = pytest.mark.slow

ISTANBUL = ("Russian and Ukrainian officials convened in Istanbul on Monday for peace talks, "
            "a day after Ukraine's drone attack on Russian airbases.")

# (text, trigger word, expected place name, expected ISO3); None when no place applies.
CASES = [
    (ISTANBUL, "convened", "Istanbul", "TUR"),
    (ISTANBUL, "attack", "Russia", "RUS"),
    # Common city names settled by a qualifier, the surrounding places, or population.
    ("Protesters clashed with police in Paris on Saturday.", "clashed", "Paris", "FRA"),
    ("A tornado tore through Paris, Texas, on Sunday, destroying dozens of homes.", "tore",
     "Paris", "USA"),
    ("Gunmen clashed with soldiers in the northern Lebanese city of Tripoli.", "clashed",
     "Tripoli", "LBN"),
    ("Rival militias fought overnight in Tripoli, the Libyan capital.", "fought", "Tripoli",
     "LBY"),
    ("Clashes broke out in Tripoli, Lebanon, after the funeral.", "broke", "Tripoli", "LBN"),
    ("Police arrested a man in Alexandria, Virginia, on Tuesday.", "arrested", "Alexandria",
     "USA"),
    ("Egyptian authorities arrested dozens of protesters in Alexandria.", "arrested",
     "Alexandria", "EGY"),
    ("Thousands marched through central Birmingham on Saturday to protest the cuts.", "marched",
     "Birmingham", "GBR"),
    ("A gunman opened fire at a church in Birmingham, Alabama, killing two people.", "opened",
     "Birmingham", "USA"),
    ("Tech workers rallied outside the company's offices in San Jose.", "rallied", "San Jose",
     "USA"),
    ("Storms knocked out power across Georgia and Alabama, US officials said.", "knocked",
     "Georgia", "USA"),
    ("Russian troops massed on the border with Georgia.", "massed", "Georgia", "GEO"),
    ("Zelensky visited Odessa on Friday to inspect air defences.", "visited", "Odesa", "UKR"),
    # Capitals and countries that name actors are not places.
    ("Moscow said the strike in Kyiv killed three people.", "strike", "Kyiv", "UKR"),
    ("Moscow said on Tuesday that it would retaliate.", "said", None, None),
    ("The Kyiv government condemned the strike.", "condemned", None, None),
    ("The Russian delegation rejected the proposal.", "rejected", None, None),
    ("Washington imposed new sanctions on Moscow.", "imposed", None, None),
    ("Ukraine's security service said it had foiled a plot.", "foiled", None, None),
    ("Ukraine's army repelled an assault near Bakhmut.", "repelled", "Bakhmut", "UKR"),
    # The object of an attack is where it happened.
    ("Russian forces shelled Kharkiv overnight, killing two civilians.", "shelled", "Kharkiv",
     "UKR"),
    ("Explosions rocked Kyiv early on Sunday.", "rocked", "Kyiv", "UKR"),
    ("A drone attack on Russian airbases destroyed several bombers.", "attack", "Russia", "RUS"),
    ("Missiles rained down on the port city of Odesa overnight.", "rained", "Odesa", "UKR"),
    # Facilities, regions and seas.
    ("Shelling hit the Zaporizhzhia nuclear plant again on Friday.", "hit",
     "Zaporizhzhia nuclear plant", "UKR"),
    ("Israeli troops raided a refugee camp in the West Bank on Wednesday.", "raided",
     "West Bank", "PSE"),
    ("Aid trucks entered the Gaza Strip through the Rafah crossing.", "entered", "Gaza Strip",
     "PSE"),
    ("Two soldiers were killed in Donetsk region on Thursday.", "killed", "Donetsk region",
     "UKR"),
    ("Turkish jets struck Kurdish militants in northern Syria.", "struck", "northern Syria",
     "SYR"),
    ("Missiles struck an oil refinery in Russia's Ryazan region overnight.", "struck",
     "Ryazan’ region", "RUS"),
    ("Heavy fighting was reported in Crimea and around Kherson.", "fighting", "Crimea", "UKR"),
    ("The president held talks with his Turkish counterpart at the White House.", "talks",
     "White House", "USA"),
    ("North Korea fired a ballistic missile into the Sea of Japan, Seoul said.", "fired",
     "Sea of Japan", None),
    ("Pakistan and India exchanged fire along the border in Kashmir.", "exchanged", "Kashmir",
     None),
    # Ordinary locative phrases.
    ("Rebels attacked an army base on the outskirts of Khartoum.", "attacked", "Khartoum", "SDN"),
    ("Fighting raged outside Khartoum for a third day.", "raged", "Khartoum", "SDN"),
    ("The ministers met at the Ciragan Palace in Istanbul.", "met", "Istanbul", "TUR"),
    ("Chinese and American diplomats met in Geneva to discuss tariffs.", "met", "Geneva", "CHE"),
    ("A car bomb exploded outside a police station in Mogadishu.", "exploded", "Mogadishu",
     "SOM"),
    ("Protests erupted across Iran after the fuel price rise.", "erupted", "Iran", "IRN"),
    ("The foreign ministers of France and Germany met in Berlin on Monday.", "met", "Berlin",
     "DEU"),
    ("Police fired tear gas at demonstrators in downtown Nairobi.", "fired", "Nairobi", "KEN"),
    ("In Caracas, opposition supporters blocked roads for a second day.", "blocked", "Caracas",
     "VEN"),
    ("The summit will take place in Vilnius next month.", "summit", "Vilnius", "LTU"),
    # Datelines: the fallback when the sentence names no place, and context when it does.
    ("KYIV, June 2 (Reuters) - Russian drones hit a power plant overnight.", "hit", "Kyiv",
     "UKR"),
    ("GAZA CITY (AP) — Israeli strikes killed at least 20 people on Tuesday.", "killed",
     "Gaza City", "PSE"),
    ("Istanbul, Turkey — Russian and Ukrainian delegations signed a prisoner exchange deal.",
     "signed", "Istanbul", "TUR"),
    ("BEIRUT (Reuters) - Gunmen clashed with the army in Tripoli on Sunday.", "clashed",
     "Tripoli", "LBN"),
    ("WASHINGTON (AP) — The Senate approved the aid package on Thursday.", "approved",
     "Washington", "USA"),
    ("MOSCOW, June 3 (Reuters) - Ukrainian drones attacked an airfield in the Ivanovo region, "
     "the governor said.", "attacked", "Ivanovo region", "RUS"),
]


def _actor_data_present() -> bool:
    names = ("countries", "organizations", "sectors", "people")
    return all(data_path(f"actors/{n}.tsv").exists() for n in names)


@pytest.fixture(scope="session")
def gaz():
    return get_gazetteer()


@pytest.fixture(scope="session")
def locate(nlp, gaz):
    """Place of the event whose trigger is the first token spelled ``trigger``."""

    def _locate(text: str, trigger: str):
        doc = nlp(text)
        if _actor_data_present():  # the coder marks actors first; do the same when we can
            from tidings.nlp.actors import get_dictionary, mark_mentions

            mark_mentions(doc, get_dictionary(nlp), None)
        tok = next(t for t in doc if t.text == trigger)
        return place_for_event(tok, tok.sent, gaz, dateline_place(text, gaz)), doc

    return _locate


@pytest.mark.parametrize(("text", "trigger", "name", "country"), CASES,
                         ids=[f"{i}-{c[1]}" for i, c in enumerate(CASES)])
def test_place_for_event(locate, text, trigger, name, country):
    place, doc = locate(text, trigger)
    if name is None:
        assert place is None
        return
    assert place is not None
    assert (place.name, place.country) == (name, country)
    start, end = place.span
    assert doc.text[start:end] == place.text  # the words in the document


def test_place_accuracy(locate):
    hits = 0
    for text, trigger, name, country in CASES:
        place, _ = locate(text, trigger)
        got = (place.name, place.country) if place else (None, None)
        hits += got == (name, country)
    assert len(CASES) >= 35
    assert hits / len(CASES) >= 0.9


@pytest.mark.parametrize(("name", "context", "country", "admin1", "feature"), [
    ("Paris", (), "FRA", "11", "city"),
    ("Paris", ("USA",), "USA", "TX", "city"),
    ("Paris, Texas", (), "USA", "TX", "city"),
    ("Tripoli", (), "LBY", None, "city"),
    ("Tripoli", ("LBN",), "LBN", None, "city"),
    ("Alexandria, Virginia", (), "USA", "VA", "city"),
    ("Birmingham, Ala.", (), "USA", "AL", "city"),
    ("Kiev", (), "UKR", None, "city"),
    ("Russia", (), "RUS", None, "country"),
    ("Turkey", (), "TUR", None, "country"),
    ("U.S.", (), "USA", None, "country"),
    ("Georgia", (), "GEO", None, "country"),
    ("Georgia", ("USA",), "USA", "GA", "admin"),
    ("Kharkiv region", (), "UKR", None, "admin"),
    ("the Gaza Strip", (), "PSE", None, "region"),
    ("Donbas", (), "UKR", None, "region"),
    ("Bosphorus", (), "TUR", None, "region"),
    ("Zaporizhzhia nuclear power plant", (), "UKR", None, "facility"),
])
def test_lookup(gaz, name, context, country, admin1, feature):
    place = gaz.lookup(name, context)
    assert place is not None
    assert (place.country, place.feature) == (country, feature)
    if admin1:
        assert place.admin1 == admin1
    assert place.lat is not None and place.lon is not None


def test_lookup_unknown_and_cached(gaz):
    assert gaz.lookup("Nowhereville Upon Sea") is None
    assert gaz.lookup("") is None
    assert get_gazetteer() is gaz
    # Results are copies: a caller filling in text/span cannot corrupt the index.
    gaz.lookup("Kyiv").text = "changed"
    assert gaz.lookup("Kyiv").text is None


@pytest.mark.parametrize(("text", "words"), [
    ("KYIV, June 2 (Reuters) - Russian drones hit a power plant.", "KYIV"),
    ("GAZA CITY (AP) — Israeli strikes killed 20 people.", "GAZA CITY"),
    ("Istanbul, Turkey — The talks began on Monday.", "Istanbul, Turkey"),
    ("BIRMINGHAM, Ala. (AP) — A gunman opened fire.", "BIRMINGHAM, Ala."),
    ("KYIV/MOSCOW, June 2 (Reuters) - Both sides claimed gains.", "KYIV"),
    ("Russia said on Monday it would retaliate.", None),
    ("Officials met in Istanbul on Monday - the first talks in years.", None),
])
def test_parse_dateline(text, words):
    found = parse_dateline(text)
    if words is None:
        assert found is None
    else:
        assert found is not None
        assert found[0] == words
        start, end = found[1]
        assert text[start:end] == words


def test_dateline_place(gaz):
    place = dateline_place("BIRMINGHAM, Ala. (AP) — A gunman opened fire.", gaz)
    assert (place.name, place.country, place.admin1) == ("Birmingham", "USA", "AL")
    assert place.span == (0, 16)


def _every_length(sent, gaz):
    """place_names as it was before the scan learnt to stop early: every length tried,
    longest first."""
    from tidings.nlp.places import BAD_LABELS, MAX_WORDS, _key, _plausible

    toks, text, out, j = list(sent), sent.doc.text, [], 0
    while j < len(toks):
        tok, hit = toks[j], None
        if (tok.text[:1].isupper() and tok.ent_type_ not in BAD_LABELS
                and _key(tok.text) in gaz.first_words):
            for n in range(min(MAX_WORDS, len(toks) - j), 0, -1):
                last = toks[j + n - 1]
                name = text[tok.idx:last.idx + len(last)]
                if (last.is_punct and not name.endswith(".")) or (
                        len(name) <= 3 and not name.isupper()):
                    continue
                place = gaz._resolve(_key(name), (), strict=True)
                if place is not None:
                    hit = (sent.doc[tok.i:tok.i + n], place)
                    break
        if hit and _plausible(*hit):
            out.append(hit)
            j += len(hit[0])
            continue
        j += 1
    return out


def test_scan_stops_early_without_losing_a_name(gaz, nlp):
    """could_start prunes only lengths no gazetteer name can have: place_names finds what
    trying every length finds."""
    from tidings.nlp.places import place_names

    doc = nlp("Fighting spread from Ivano-Frankivsk and the Donetsk region to the Gaza Strip, "
              "Paris, Texas, St. Petersburg, New York City, Kharkiv Oblast and Rio de Janeiro. "
              "The Hague, Port-au-Prince and the Zaporizhzhia nuclear power plant were named.")
    fast = [(span.text, place) for span, place in place_names(doc[:], gaz)]
    slow = [(span.text, place) for span, place in _every_length(doc[:], gaz)]
    assert fast == slow
    assert {"Ivano-Frankivsk", "Gaza Strip", "New York City", "Rio de Janeiro",
            "Donetsk region", "Paris, Texas"} <= {text for text, _ in fast}


@pytest.mark.parametrize("key", ["kyiv", "the netherlands", "donetsk reg", "donetsk region",
                                 "new york c", "paris, texas", "the", "gaza str"])
def test_could_start(gaz, key):
    assert gaz.could_start(key)


@pytest.mark.parametrize("key", ["kyiv said", "zzzz", "new yorkers were"])
def test_could_not_start(gaz, key):
    assert not gaz.could_start(key)
