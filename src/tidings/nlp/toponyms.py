"""Every place a document names: recognised against the GeoNames gazetteer, resolved with the
whole document as context, and marked as a place or an actor.

Recognition (``find_mentions``) reads capitalised word sequences, longest first, that are
gazetteer names or demonyms, and keeps only whole names: a match inside a longer proper name
("Royal Albert Hall", "Lake Chad"), inside a person or organisation entity, or a common word
the document also uses in lower case is dropped. Resolution (``resolve``) scores every
reading of a name: population, the name's kind (own name, alternate, demonym), its feature,
the countries and first-level divisions of the document's other places and of its dateline,
a qualifier ("Portland, Oregon") and cue words ("X province", "the town of Y"). The
component ``tidings_places_v1`` writes the result to ``doc.spans["places"]`` with each
span's ``_.toponym``.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, replace

from spacy.attrs import ENT_TYPE, IDX, IS_PUNCT, IS_SPACE, LOWER, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from tidings.data import read_tsv
from tidings.model import Place, Toponym
from tidings.nlp import doc_column, doc_text
from tidings.nlp.gazetteer import (
    ABBREVIATION,
    ALTERNATE,
    DEMONYM,
    NAME,
    Candidate,
    GeoNames,
    get_geonames,
    name_key,
)
from tidings.nlp.places import capitalised

MAX_WORDS = 6
ROW_ATTRS = [LOWER, IDX, SENT_START, IS_SPACE, IS_PUNCT, ENT_TYPE]  # what find_mentions reads
_WORDS = {r["list"]: frozenset(r["words"].split()) for r in read_tsv("places/words.tsv")}
ADMIN_CUES, CITY_CUES = _WORDS["admin_cues"], _WORDS["city_cues"]
ACTOR_HEADS, SPEECH_VERBS = _WORDS["actor_heads"], _WORDS["speech_verbs"]
DIRECTIONS = _WORDS["directions"]
# Entities a place name is never a part of: a match inside a longer one is a sub-word.
NAME_LABELS = {"PERSON", "ORG", "FAC", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW", "LANGUAGE"}
NUMERIC_LABELS = {"DATE", "TIME", "MONEY", "QUANTITY", "CARDINAL", "ORDINAL", "PERCENT"}
FEATURE_PRIOR = {"country": 4.0, "other": 3.0, "admin1": 1.5, "city": 0.0, "admin2": -1.0}
KIND_PRIOR = {NAME: 2.0, ABBREVIATION: 2.0, DEMONYM: 2.0, ALTERNATE: 0.0}

if not Span.has_extension("toponym"):
    Span.set_extension("toponym", default=None)


@dataclass
class Mention:
    start: int  # token offsets
    end: int
    key: str
    candidates: tuple[Candidate, ...]
    cue: str | None = None  # "admin" or "city" from the words around it
    plural_cue: bool = False  # "the Murmansk and Amur regions": the cue covers a list
    qualifier: tuple[str, str | None] | None = None  # (country, admin1 code) of ", Oregon"


def _capitalised(tok: Token) -> bool:
    return tok.text[:1].isupper() and not tok.is_stop


def _entity_beyond(doc: Doc, start: int, end: int) -> str | None:
    """The label of a name entity that covers the match and reaches beyond it (a leading
    "the" does not count: "the European Union")."""
    tok = doc[start]
    if tok.ent_type_ in NAME_LABELS or tok.ent_type_ in NUMERIC_LABELS:
        ent_start = start
        while ent_start > 0 and doc[ent_start].ent_iob_ == "I":
            ent_start -= 1
        if ent_start < start and doc[ent_start].lower_ == "the" and ent_start == start - 1:
            ent_start = start
        ent_end = end
        while ent_end < len(doc) and doc[ent_end].ent_iob_ == "I":
            ent_end += 1
        if ent_start < start or ent_end > end:
            return tok.ent_type_
    return None


class PlaceFinder:
    """Finds and resolves a document's toponyms. Built once per process."""

    def __init__(self, geonames: GeoNames | None = None):
        self.gn = geonames or get_geonames()

    # -- recognition --------------------------------------------------------------------------
    def find_mentions(self, doc: Doc) -> list[Mention]:
        text, n = doc_text(doc), len(doc)
        # Word attributes read as arrays once: only capitalised words can start a name, so
        # no Token object is made for the others.
        words = doc_column(doc, "text")
        lower, idxs, sent_starts, spaces, puncts, ents = doc.to_array(ROW_ATTRS).T.tolist()
        strings, person = doc.vocab.strings, doc.vocab.strings["PERSON"]
        uses = {low for word, low in zip(words, lower, strict=True) if word.islower()}
        # words of the document's person names: "Carrie Lam" makes every "Lam" a person
        uses.update(low for low, ent in zip(lower, ents, strict=True) if ent == person)
        lower_words = {strings[low] for low in uses}
        out: list[Mention] = []
        end = 0  # where the last name found ends: the next starts after it
        for i in capitalised(doc):
            if i < end:
                continue
            start_char = idxs[i]
            best = None
            for size in range(1, MAX_WORDS + 1):
                j = i + size - 1
                if j >= n:
                    break
                if size > 1 and (sent_starts[j] == 1 or spaces[j]):
                    break
                word = words[j]
                key = name_key(text[start_char:idxs[j] + len(word)])
                if not key or not self.gn.has_prefix(key):
                    break
                if puncts[j] or word[:1] in ("'", "’"):
                    continue  # never end a name on a comma, a possessive or a clitic
                cands = self._readings(key, doc, i, j + 1)
                if cands:
                    best = (size, key, cands)
            if best is not None:
                mention = Mention(i, i + best[0], best[1], best[2])
                if self._whole_name(doc, mention, lower_words):
                    out.append(mention)
                    end = mention.end
        for m in out:
            self._cues(doc, m)
        self._list_cues(doc, out)
        return out

    def _readings(self, key: str, doc: Doc, start: int, end: int) -> tuple[Candidate, ...]:
        """The gazetteer's readings of the words ``doc[start:end]``; an abbreviation ("NSW",
        "UK") only when written in capitals and not named as an organisation ("CNN")."""
        cands = self.gn.candidates(key)
        if not any(c.kind == ABBREVIATION for c in cands):
            return cands
        span = doc[start:end]
        capitals = span.text.replace(".", "").isupper()
        named = span[0].ent_type_ in ("ORG", "PERSON")  # "CNN"; but "the EU" is often ORG
        return tuple(c for c in cands if c.kind != ABBREVIATION or (
            capitals and (not named or c.entry.feature in ("country", "other"))))

    def _whole_name(self, doc: Doc, m: Mention, other_uses: set[str]) -> bool:
        """Whether a match is a whole place name here, not part of a longer name, a person,
        an organisation or a common word (``other_uses``: words the document uses in lower
        case or in person names)."""
        span = doc[m.start:m.end]
        demonym = all(c.kind == DEMONYM for c in m.candidates)
        # countries and regions by any of their names; divisions by their own
        big = any(c.entry.feature in ("country", "other") or (
            c.entry.feature == "admin1" and c.kind != ALTERNATE) for c in m.candidates)
        before = doc[m.start - 1] if m.start > 0 else None
        after = doc[m.end] if m.end < len(doc) else None
        titled = after is not None and after.lower_ in ACTOR_HEADS  # "US President", "Gdańsk Mayor"
        if span.text.isupper() and len(span.text) <= 4 and not any(
                c.kind != NAME or c.entry.feature in ("country", "other")
                for c in m.candidates):
            return False  # "AU", "IP": a code the gazetteer does not know as a place
        if len(span) == 1 and not span.text.isupper() and (
                span[0].is_stop or span[0].lower_ in DIRECTIONS):
            return False  # "She", "Many", "Northern"
        label = _entity_beyond(doc, m.start, m.end)
        # a country opening an organisation's name, or a country or division after "of",
        # names the place ("the US Libertarian Party", "First Minister of Scotland Nicola
        # Sturgeon"); a town or a word inside a longer name does not ("Washington Post",
        # "Lake Chad", "Coast Guard")
        country = any(c.entry.feature == "country" and c.kind != ALTERNATE
                      for c in m.candidates)
        after_of = before is not None and before.lower_ == "of"
        opens = label is not None and (
            doc[m.start].ent_iob_ == "B" or (before is not None and before.lower_ == "the")
        ) and ((country and label == "ORG") or (big and after_of))
        if label is not None and not titled and not opens and not (demonym and label in (
                "ORG", "PERSON", "EVENT")):
            return False  # "Lake Chad", "Washington Post": a sub-word of a longer name
        if (before is not None and _capitalised(before) and not before.is_sent_start
                and before.lower_ not in DIRECTIONS and not demonym
                and before.ent_type_ not in ("NORP",)):
            return False  # "Royal Albert Hall", "Hairpin Bend"
        if (after is not None and _capitalised(after) and not demonym and not big
                and not titled and after.lower_ not in ADMIN_CUES
                and after.lower_ not in CITY_CUES):
            return False  # "Albert Hall", "Bend Brewing"
        if len(span) == 1 and not big and not demonym:
            tok = span[0]
            if tok.lower_ in other_uses:
                return False  # a common word or a person's name in this document
            if tok.ent_type_ in ("PERSON", "ORG", "NORP") or tok.ent_type_ in NUMERIC_LABELS:
                return False
            if tok.pos_ and tok.pos_ not in ("PROPN", "X", "") and tok.ent_type_ not in (
                    "GPE", "LOC", "FAC"):
                return False
            comma_after = after is not None and after.text == ","
            largest = max(c.entry.population for c in m.candidates)
            recognised = tok.ent_type_ in ("GPE", "FAC") or comma_after or (
                before is not None and before.lower_ in ("of", "in", "near"))
            if not recognised and (largest < 15000 or (tok.pos_ and largest < 100000)):
                return False  # a small namesake the entity recogniser does not call a place
        if demonym:
            tok = span.root
            if tok.ent_type_ == "LANGUAGE" or (after is not None and after.lower_ in (
                    "language", "-")):
                return False
            # "written in French", "translated into Spanish": a language, named alone after
            # the preposition (a demonym that locates something modifies a noun)
            bare = after is None or after.is_punct or after.lower_ in ("and", "or")
            if (before is not None and before.lower_ in ("in", "into", "from") and bare
                    and not tok.text.endswith("s")):
                return False
        return True

    def _cues(self, doc: Doc, m: Mention) -> None:
        after = doc[m.end] if m.end < len(doc) else None
        before = doc[m.start - 1] if m.start > 0 else None
        after_word = after.lemma_.lower() if after is not None else ""
        m.plural_cue = after is not None and after.lower_ != after_word
        if after_word in ADMIN_CUES:
            m.cue = "admin"  # "Banten province", "Texas State", "Amur regions"
        elif before is not None and before.lower_ == "of" and m.start >= 2 and (
                doc[m.start - 2].lemma_.lower() in ADMIN_CUES):
            m.cue = "admin"  # "the province of Banten"
        elif before is not None and before.lower_ == "of" and m.start >= 2 and (
                doc[m.start - 2].lemma_.lower() in CITY_CUES):
            m.cue = "city"  # "the town of Pandeglang"
        elif after_word in CITY_CUES:
            m.cue = "city"
        self._cues_readings(m)

    def _list_cues(self, doc: Doc, mentions: list[Mention]) -> None:
        """"the Murmansk, Irkutsk and Amur regions": a list takes its last name's cue."""
        for left, right in zip(reversed(mentions[:-1]), reversed(mentions[1:]), strict=True):
            if left.cue is not None or not right.cue or not right.plural_cue:
                continue
            between = {t.lower_ for t in doc[left.end:right.start]}
            if between and between <= {",", "and", "or"}:
                left.cue, left.plural_cue = right.cue, True
                self._cues_readings(left)

    def _cues_readings(self, m: Mention) -> None:
        """Readings a division cue adds: "the Amur region" is GeoNames' "Amur Oblast", and
        "the Ivanovo region" the division whose centre the city of Ivanovo is."""
        if m.cue != "admin" or any(c.entry.feature in ("admin1", "admin2", "other")
                                   for c in m.candidates):
            return
        extra = [c for word in sorted(ADMIN_CUES)
                 for c in self.gn.candidates(f"{m.key} {word}")]
        if not extra:
            for c in m.candidates[:3]:
                e = c.entry
                if e.feature == "city" and e.country and e.admin1_code:
                    division = self.gn.admin1(e.country, e.admin1_code)
                    if division is not None:
                        extra.append(Candidate(division, ALTERNATE))
        m.candidates = tuple(m.candidates) + tuple(extra)

    # -- resolution ---------------------------------------------------------------------------
    def resolve(self, doc: Doc, mentions: list[Mention],
                dateline_country: str | None = None) -> list[tuple[Mention, Candidate, float]]:
        """The best reading of every mention, with a confidence in [0, 1]."""
        self._qualifiers(doc, mentions)
        countries: Counter[str] = Counter()
        admin1s: Counter[tuple[str, str]] = Counter()
        for m in mentions:  # unambiguous names and countries set the document's context
            top = m.candidates[0].entry
            if len({c.entry.country for c in m.candidates}) == 1 and top.country:
                countries[top.country] += 1
            for c in m.candidates:
                if c.entry.feature == "admin1" and c.entry.admin1_code:
                    admin1s[(c.entry.country, c.entry.admin1_code)] += 1
        if dateline_country:
            countries[dateline_country] += 2
        first = self._choose(mentions, _context(countries), admin1s)
        # Second pass: the readings chosen first are the context of every other name
        # ("Perth" beside "Scotland" and "Stirling"), each name leaving itself out.
        chosen: Counter[str] = Counter()
        chosen_admin1: Counter[tuple[str, str]] = Counter()
        for _, c, _ in first:
            if c.entry.country:
                chosen[c.entry.country] += 1
            if c.entry.feature != "country" and c.entry.admin1_code:
                chosen_admin1[(c.entry.country, c.entry.admin1_code)] += 1
        if dateline_country:
            chosen[dateline_country] += 2
        out = []
        # The context without the name's own first reading, made once per distinct reading
        # (a document names the same few countries and divisions many times).
        without_country: dict = {}
        without_admin1: dict = {}
        for m, c, _ in first:
            e = c.entry
            country = e.country or None
            admin1 = (e.country, e.admin1_code) if (
                e.feature != "country" and e.admin1_code) else None
            if country not in without_country:
                own = Counter({country: 1}) if country else Counter()
                without_country[country] = _context(chosen - own)
            if admin1 not in without_admin1:
                own = Counter({admin1: 1}) if admin1 else Counter()
                without_admin1[admin1] = chosen_admin1 - own
            out += self._choose([m], without_country[country], without_admin1[admin1])
        return self._supported(doc, out)

    @staticmethod
    def _supported(doc: Doc, found: list) -> list:
        """Drop a lone one-word name of a smaller division or town that the entity
        recogniser did not call a place and whose country nothing else in the document
        names ("Centre" in a story that never mentions Burkina Faso)."""
        chosen = Counter(c.entry.country for _, c, _ in found)
        kept = []
        for m, c, conf in found:
            e = c.entry
            if (m.start >= 0 and m.end - m.start == 1 and m.qualifier is None
                    and e.feature in ("admin1", "admin2", "city") and c.kind != DEMONYM
                    and e.population < 1_000_000 and chosen[e.country] <= 1
                    and doc[m.start].ent_type_ != "GPE"):
                continue
            kept.append((m, c, conf))
        return kept

    def _choose(self, mentions: list[Mention], context: tuple[Counter, int, str | None],
                admin1s: Counter) -> list[tuple[Mention, Candidate, float]]:
        countries, total, main = context
        out = []
        for m in mentions:
            # the mention's own readings, once: its divisions and its countries
            divisions = {(o.entry.country, o.entry.admin1_code) for o in m.candidates
                         if o.entry.feature == "admin1"}
            nations = {o.entry.country for o in m.candidates if o.entry.feature == "country"}
            scored = sorted(((self._score(m, c, countries, total, main, admin1s, divisions,
                                          nations), c)
                             for c in m.candidates), key=lambda sc: -sc[0])
            top, best = scored[0]
            margin = top - scored[1][0] if len(scored) > 1 else 4.0
            out.append((m, best, round(1 / (1 + math.exp(-margin)), 3)))
        return out

    def _qualifiers(self, doc: Doc, mentions: list[Mention]) -> None:
        """ "Portland, Oregon", "Tripoli, Lebanon": the second name qualifies the first."""
        for first, second in zip(mentions, mentions[1:], strict=False):
            if first.start >= 0 and second.start == first.end + 1 and doc[first.end].text == ",":
                quals = [c.entry for c in second.candidates
                         if c.entry.feature in ("country", "admin1")]
                if quals:
                    q = quals[0]
                    first.qualifier = (q.country or "", q.admin1_code
                                       if q.feature == "admin1" else None)

    def _score(self, m: Mention, c: Candidate, countries: Counter, total: int,
               main: str | None, admin1s: Counter, divisions: set, nations: set) -> float:
        """``divisions``: (country, admin1 code) of the mention's first-level division
        readings; ``nations``: the countries among its readings."""
        e = c.entry
        score = 1.5 * math.log10(e.population + 10) + FEATURE_PRIOR.get(e.feature, 0)
        score += KIND_PRIOR.get(c.kind, 0)
        if m.qualifier is not None:
            iso, code = m.qualifier
            if e.country == iso and (code is None or e.admin1_code == code):
                score += 10
            else:
                score -= 10
        if e.country and e.country in countries:
            share = countries[e.country] / total
            score += 1.5 + 2.0 * share + (0.5 if e.country == main else 0.0)
        if e.feature in ("city", "admin2") and (e.country, e.admin1_code) in admin1s:
            score += 2.0  # "Bend" in a story about Oregon
        if m.cue == "admin" and e.feature in ("admin1", "admin2", "other"):
            score += 6.0
        elif m.cue == "city" and e.feature == "city":
            score += 4.0
        elif e.feature == "city" and (e.country, e.admin1_code) in divisions:
            score += 3.0  # "Istanbul": the city, not the province of the same name
        if e.capital and m.cue != "admin" and e.country not in nations:
            score += 4.0  # "Washington": the capital before the state; but "Hong Kong" and
            # "Singapore" are the country first
        return score

    # -- use ----------------------------------------------------------------------------------
    @staticmethod
    def use(span: Span) -> str:
        """"actor" when the name stands for a government, team or people ("Moscow said",
        "French President", "Iranians"), else "place". A conjunct takes its first
        conjunct's use ("Russian and Ukrainian officials")."""
        root = span.root
        for _ in range(5):
            if root.dep_ != "conj" or root.head.i == root.i:
                break
            root = root.head
        head = root.head
        if root.dep_ in ("nsubj", "nsubjpass") and head.lemma_.lower() in SPEECH_VERBS:
            return "actor"
        if root.dep_ in ("poss", "compound", "amod", "nmod") and (
                head.lemma_.lower() in ACTOR_HEADS or head.ent_type_ == "PERSON"):
            return "actor"
        if root.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in (
                ACTOR_HEADS):
            return "actor"  # "the President of Nigeria"
        if root.text.endswith(("ns", "is", "ese")) and root.pos_ in ("PROPN", "NOUN") and (
                root.dep_ in ("nsubj", "attr", "dobj", "conj", "pobj")):
            return "actor"  # "the crew were Iranians"
        return "place"

    def __call__(self, doc: Doc, dateline: Place | None = None) -> list[Toponym]:
        """The document's toponyms in text order; ``dateline`` (with its text and span) is
        one of them, and its country is context for the rest."""
        mentions = self.find_mentions(doc)
        line = None
        if dateline is not None and dateline.text and dateline.span:
            key = name_key(dateline.text)
            cands = self.gn.candidates(key)
            if cands:
                line = Mention(-1, -1, key, cands)
        found = self.resolve(doc, mentions + ([line] if line else []),
                             dateline.country if dateline else None)
        spans, out = [], []
        text = doc_text(doc)
        for m, cand, conf in found:
            e = cand.entry
            if m is line:
                char_span, span = dateline.span, None
            else:
                span = doc[m.start:m.end]
                char_span = (span.start_char, span.end_char)
            words = dateline.text if m is line else text[char_span[0]:char_span[1]]
            top = Toponym(text=words, span=char_span,
                          geonameid=e.geonameid if e.geonameid > 0 else None, name=e.name,
                          feature=e.feature, country=e.country, admin1=e.admin1,
                          lat=e.lat, lon=e.lon, confidence=conf,
                          use=self.use(span) if span is not None else "place",
                          kind="demonym" if cand.kind == DEMONYM else "toponym")
            if span is not None:
                span._.toponym = top
                spans.append(span)
            out.append(top)
        doc.spans["places"] = spans
        return sorted(out, key=lambda t: t.span)


def _context(countries: Counter) -> tuple[Counter, int, str | None]:
    """The document's countries for scoring: the counts, their total and the main one."""
    main = countries.most_common(1)[0][0] if countries else None
    return countries, sum(countries.values()) or 1, main


_FINDER: PlaceFinder | None = None


def get_finder() -> PlaceFinder:
    global _FINDER
    if _FINDER is None:
        _FINDER = PlaceFinder()
    return _FINDER


@Language.factory("tidings_places_v1", assigns=["doc.spans"])
def make_places(nlp: Language, name: str) -> PlaceFinderComponent:
    return PlaceFinderComponent()


class PlaceFinderComponent:
    """The spaCy component: ``doc.spans["places"]``, each span with ``_.toponym``."""

    def __init__(self, finder: PlaceFinder | None = None):
        self.finder = finder or get_finder()

    def __call__(self, doc: Doc) -> Doc:
        self.finder(doc)
        return doc


_FEATURE_OF_LOCATION = {"admin1": "admin", "admin2": "admin", "other": "region"}


def located(place: Place | None, toponyms: list[Toponym]) -> Place | None:
    """An event's location taken from the document's toponyms: the toponym at the place's
    words (or, for a dateline, the same name) gives GeoNames' id and coordinates."""
    if place is None or place.span is None:
        return place
    for t in toponyms:
        if t.span[0] < place.span[1] and place.span[0] < t.span[1]:
            return replace(place, name=t.name, country=t.country or place.country,
                           lat=t.lat, lon=t.lon, geonameid=t.geonameid,
                           feature=_FEATURE_OF_LOCATION.get(t.feature, t.feature))
    return place
