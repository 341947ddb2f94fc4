"""Document-level entities: every person, organisation and place mention linked to one
entity of the document, with the rule that resolved it.

"Michael Howard ... Mr Howard ... Howard" is one entity. A person is linked to a dictionary
entry (``people.tsv``) only on a full-name match, or on an office title plus surname when the
entry held that office on the article's date ("Prime Minister Howard"). A bare surname joins
a person named in full earlier in the same document; failing that it is linked to an office
holder only when that holder is in office on the date and their country is already named in
the article; otherwise it stays an unknown person. An unknown person takes a country and
sector from a stated party or role ("Tory MP Liam Fox"), or from the article's country when
the article clearly has one, or stays unresolved. A name that several countries' parties
share ("Labour", "BNP") goes to the party of the article's country, or stays unresolved.

Results go on the Doc: ``doc._.entities`` (a list of ``DocEntity``) and the per-token actor
marks that ``actors.actor_of`` reads, so the event coder resolves noun phrases through them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from tidings.nlp import doc_column, doc_ents, kids
from tidings.nlp.actors import (
    CALENDAR_WORDS,
    NOT_PEOPLE,
    ActorDictionary,
    ActorInfo,
    _in_office,
    best_info,
    party_sector,
)

# How an entity was resolved (the `how` field of the output).
DICTIONARY = "dictionary full name"
TITLE_SURNAME = "title and surname, office and dates fit"
EARLIER = "surname of a person named in full earlier"
IN_OFFICE_CONTEXT = "surname of an office holder in office whose country the article names"
ROLE = "stated role"
PARTY = "party or organisation membership"
CONTEXT = "article context"
DICTIONARY_NAME = "dictionary name"
CHOSEN_BY_CONTEXT = "dictionary name, shared by several countries, chosen by article context"
NAME_COUNTRY = "country named in the organisation's name"
UNRESOLVED = "unresolved"

# Courtesy titles: no office, so never grounds for a dictionary link.
COURTESY = {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "dame", "lord", "lady"}
# Office titles -> the people.tsv roles they can name ("President Putin", "Premier Li").
OFFICE_ROLES = {
    "president": {"head_of_state", "head_of_government", "igo_leader", "regional_leader"},
    "prime minister": {"head_of_government"}, "premier": {"head_of_government"},
    "chancellor": {"head_of_government"}, "pm": {"head_of_government"},
    "king": {"head_of_state"}, "queen": {"head_of_state"}, "emir": {"head_of_state"},
    "sultan": {"head_of_state"}, "crown prince": {"head_of_government", "other_official"},
    "foreign minister": {"foreign_minister"}, "foreign secretary": {"foreign_minister"},
    "secretary of state": {"foreign_minister"},
    "defence minister": {"defence_minister"}, "defense minister": {"defence_minister"},
    "defence secretary": {"defence_minister"}, "defense secretary": {"defence_minister"},
    "general": {"military_chief", "group_leader"}, "secretary-general": {"igo_leader"},
    "secretary general": {"igo_leader"}, "supreme leader": {"head_of_state"},
}  # fmt: skip
STOP_TITLE_WORDS = {"the", "of", "and", "for", "in", "on", "to", "a", "an", "de"}
NOT_NAMES = NOT_PEOPLE - {"GPE"}  # "Friday", "March": never a surname; "Howard" as GPE may be
PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers"}
GROUP_PRONOUNS = {"it", "its", "they", "them", "their", "theirs"}
STOP_LEFT = {"DET", "ADP", "VERB", "AUX", "PRON", "SCONJ", "CCONJ", "PUNCT", "NUM", "PART"}
# A dominant country: at least this many country-bearing mentions and this share of them.
CONTEXT_MIN, CONTEXT_SHARE = 2, 0.6
# News outlets (sector MED) say nothing of the story's country: "Al Jazeera reported that",
# "he told the BBC" are counted toward no country of the article or the sentence.

if not Doc.has_extension("entities"):
    Doc.set_extension("entities", default=None)


@dataclass
class DocEntity:
    """One person, organisation, party, country or place of a document."""

    id: int
    label: str  # PERSON, ORG, GPE, NORP, LOC, FAC
    kind: str  # person, org, country, demonym, capital, metonym, place
    name: str | None
    country: str | None = None
    sector: str | None = None
    role: str | None = None
    how: str = UNRESOLVED
    mentions: list[tuple[int, int]] = field(default_factory=list)  # token spans
    surname: str | None = None

    def info(self) -> ActorInfo:
        kind = self.kind if self.kind in ("country", "demonym", "capital", "metonym") else (
            "person" if self.kind == "person" else "org")
        return ActorInfo(self.name or "", self.country, self.sector, kind, role=self.role or "",
                         entity=self.id, how=self.how)


@dataclass
class _Mention:
    start: int
    end: int
    label: str
    infos: list[ActorInfo] = field(default_factory=list)


class EntityResolver:
    """Builds the document entities of a parsed Doc (see the module docstring)."""

    def __init__(self, dictionary: ActorDictionary):
        self.dictionary = dictionary
        # Words of office and group titles ("prime", "minister", "leader"), no function words
        self.titles = frozenset(w for term in dictionary.sector_terms for w in term.split()
                                if w.isalpha() and w not in STOP_TITLE_WORDS)

    # -- mentions -------------------------------------------------------------------------

    def _mentions(self, doc: Doc) -> list[_Mention]:
        d = self.dictionary
        found: list[_Mention] = []
        ents = [e for e in doc_ents(doc) if e.label_ in ("PERSON", "ORG", "GPE", "NORP", "LOC",
                                                          "FAC")]
        person_tokens = {i for e in ents if e.label_ == "PERSON" for i in range(e.start, e.end)}
        for span in d.find_mentions(doc):
            infos = d.entries.get(span.label_) or []
            if not infos:
                continue
            kinds = {i.kind for i in infos}
            if kinds <= {"country", "demonym", "capital"} and self._inside_name(
                    doc, span, person_tokens):
                continue  # "Israel Folau", "Jordan Henderson", "Georgia-Pacific"
            found.append(_Mention(span.start, span.end, "DICT", infos))
        covered = {i for m in found for i in range(m.start, m.end)}
        for e in ents:
            if covered.intersection(range(e.start, e.end)):
                # "Liberal Democrat leader Charles Kennedy" as one PERSON: keep the name part
                if e.label_ == "PERSON":
                    free = [i for i in range(e.start, e.end) if i not in covered]
                    if free and free[-1] == e.end - 1 and len(free) == e.end - free[0]:
                        start = free[0]
                        while start < e.end and (doc[start].lower_ in self.titles
                                                 or not doc[start].text[:1].isupper()):
                            start += 1
                        if start < e.end:
                            found.append(_Mention(start, e.end, "PERSON"))
                continue
            start, end = e.start, e.end
            if e.label_ == "PERSON":  # "Shadow defence secretary Liam Fox" -> "Liam Fox"
                while start < end - 1 and (doc[start].lower_ in self.titles
                                           or doc[start].lower_ in COURTESY):
                    start += 1
                while end > start and doc[end - 1].text in ("'s", "’s"):
                    end -= 1
            elif doc[start].lower_ == "the":
                start += 1
            if start < end:
                found.append(_Mention(start, end, e.label_))
        found.extend(self._unlabelled_names(doc, found))
        found.sort(key=lambda m: m.start)
        return found

    def _unlabelled_names(self, doc: Doc, found: list[_Mention]) -> list[_Mention]:
        """People the entity recogniser missed or mislabelled: a run of capitalised words
        after an office or courtesy title ("leader Nick Griffin", "Mr Howard"), or whose last
        word comes back after a courtesy title elsewhere ("Michael Howard ... Mr Howard")."""
        covered: dict[int, _Mention] = {}
        for m in found:
            for i in range(m.start, m.end):
                covered[i] = m
        courtesy_surnames = {doc[i + 1].text for i in range(len(doc) - 1)
                             if doc[i].lower_ in COURTESY and doc[i + 1].text[:1].isupper()}
        out = []
        i = 0
        while i < len(doc):
            tok = doc[i]
            if not _name_word(tok) or (i in covered and covered[i].infos):
                i += 1
                continue
            j = i
            while j < len(doc) and j - i < 4 and _name_word(doc[j]) and not (
                    j in covered and covered[j].infos):
                j += 1
            run = doc[i:j]
            prev = doc[i - 1] if i > 0 else None
            titled = prev is not None and (prev.lower_ in COURTESY or prev.lower_ in self.titles)
            relabel = any(covered.get(k) is not None and covered[k].label != "PERSON"
                          for k in range(i, j))
            if (titled or doc[j - 1].text in courtesy_surnames) and (
                    len(run) > 1 or titled or relabel) and not all(
                    k in covered and covered[k].label == "PERSON" for k in range(i, j)):
                for k in range(i, j):  # the recogniser's reading gives way
                    if k in covered and covered[k] in found:
                        found.remove(covered[k])
                out.append(_Mention(i, j, "PERSON"))
            i = j
        return out

    def _inside_name(self, doc: Doc, span: Span, person_tokens: set[int]) -> bool:
        """A country name that is part of a longer name: a person ("Israel Folau") or a
        hyphenated company ("Georgia-Pacific")."""
        if person_tokens.intersection(range(span.start, span.end)):
            return True
        end = span.end
        if end + 1 < len(doc) and doc[end].text in ("-", "‐") and not doc[end - 1].whitespace_ \
                and not doc[end].whitespace_ and doc[end + 1].text[:1].isupper():
            return True
        return False

    # -- the document's country -----------------------------------------------------------

    @staticmethod
    def _context(mentions: list[_Mention]) -> Counter:
        """How often the document names each country: through names with one country, then
        through shared names ("Labour", "Conservatives") that one of those countries claims."""
        counts: Counter = Counter()
        shared = []
        for m in mentions:
            countries = {i.country for i in m.infos if i.country not in (None, "IGO", "NGO")
                         and i.sector != "MED"}
            if len(countries) == 1:
                counts[countries.pop()] += 1
            elif countries:
                shared.append(countries)
        extra: Counter = Counter()
        for countries in shared:
            named = sorted((c for c in countries if counts.get(c)), key=lambda c: -counts[c])
            if named and (len(named) == 1 or counts[named[0]] > counts[named[1]]):
                extra[named[0]] += 1
        return counts + extra

    @staticmethod
    def _dominant(counts: Counter) -> str | None:
        total = sum(counts.values())
        if not counts or total < CONTEXT_MIN:
            return None
        country, n = counts.most_common(1)[0]
        return country if n / total >= CONTEXT_SHARE else None

    # -- resolution -----------------------------------------------------------------------

    def __call__(self, doc: Doc, when: date | None) -> list[DocEntity]:
        mentions = self._mentions(doc)
        counts = self._context(mentions)
        dominant = self._dominant(counts)
        entities: list[DocEntity] = []
        by_key: dict[tuple, DocEntity] = {}
        by_surname: dict[str, DocEntity] = {}
        marks: list[tuple[Span, ActorInfo] | None] = [None] * len(doc)
        entity_at: list[int | None] = [None] * len(doc)
        doc.user_data["tidings.entity_at"] = entity_at
        doc.user_data["tidings.actors"] = marks

        def entity_for(key: tuple, make) -> DocEntity:
            ent = by_key.get(key)
            if ent is None:
                ent = make(len(entities))
                entities.append(ent)
                by_key[key] = ent
            return ent

        self._sentence_countries = {}
        for m in mentions:
            countries = {i.country for i in m.infos if i.country not in (None, "IGO", "NGO")
                         and i.sector != "MED"}
            if len(countries) == 1:
                key = doc[m.start].sent.start
                self._sentence_countries.setdefault(key, set()).update(countries)
        for m in mentions:
            span = doc[m.start:m.end]
            if not m.infos and m.label != "PERSON" and span.text in by_surname:
                ent = by_surname[span.text]  # "Howard" read as a place, after Michael Howard
            elif not m.infos and m.label != "PERSON" and ("person", span.text) in by_key \
                    and by_key[("person", span.text)].role:
                # "Wiranto" read as a place after "security minister Wiranto" (a stated
                # role says it is a person; "Sumy" once misread as one stays a place)
                ent = by_key[("person", span.text)]
            elif not m.infos and m.label in ("ORG", "GPE", "NORP") and len(span) == 1 and (
                    office := self._in_office_in_context(span.text, when, counts)) is not None:
                ent = self._linked(office, IN_OFFICE_CONTEXT, entity_for)  # "Trump" as ORG
                by_surname.setdefault(span.text, ent)
            elif m.infos:
                ent = self._dictionary_entity(m, span, when, counts, entity_for)
            elif m.label == "PERSON":
                ent = self._person(span, when, counts, dominant, by_surname, entity_for)
            elif m.label == "ORG":
                ent = self._organisation(span, dominant, entity_for)
            else:
                ent = entity_for(("place", span.text.lower()), lambda i, s=span, lab=m.label:
                                 DocEntity(i, lab, "place", s.text))
            if ent is None:
                continue
            if ent.kind == "person" and ent.surname and m.end - m.start > 1:
                by_surname.setdefault(ent.surname, ent)  # "John Howard ... Howard"
            ent.mentions.append((span.start, span.end))
            info = ent.info() if ent.kind != "place" and (ent.country or ent.sector) else None
            for i in range(span.start, span.end):
                entity_at[i] = ent.id
                if info is not None:  # later names read earlier ones: "Tory MP X"
                    marks[i] = (span, info)
        for ent in entities:
            # Places are no actors (places.py reads the recogniser's label), and a name
            # nothing resolved keeps the recogniser's reading too ("Kharkiv" read as ORG).
            if ent.kind == "place" or (ent.country is None and ent.sector is None):
                continue
            info = ent.info()
            for a, b in ent.mentions:
                for i in range(a, b):
                    marks[i] = (doc[a:b], info)
        self._bare_surnames(doc, when, counts, by_surname, marks, entity_for)
        doc.user_data["tidings.actors"] = marks
        doc._.actor_mentions = [(doc[a:b], e.info()) for e in entities
                                for a, b in e.mentions if e.kind != "place"
                                and (e.country is not None or e.sector is not None)]
        doc._.actor_mentions.sort(key=lambda m: m[0].start)
        doc._.entities = entities
        doc.user_data["tidings.country"] = dominant  # the article's country, if clear
        return entities

    def _bare_surnames(self, doc: Doc, when, counts, by_surname, marks, entity_for) -> None:
        """Surnames the recogniser did not mark (or did not run on): "Howard" after Michael
        Howard, and "Putin" in an article that names Russia, whatever the recogniser did."""
        surnames = self.dictionary.surnames
        entity_at = doc.user_data["tidings.entity_at"]
        for i, text in enumerate(doc_column(doc, "text")):
            if entity_at[i] is not None or not text[:1].isupper() or (
                    text not in by_surname and text not in surnames):
                continue
            tok = doc[i]
            if tok.ent_type_ in NOT_NAMES or tok.lower_ in CALENDAR_WORDS:
                continue
            prev = doc[i - 1] if i > 0 else None
            nxt = doc[i + 1] if i + 1 < len(doc) else None
            if (prev is not None and _name_word(prev) and prev.lower_ not in COURTESY
                    and prev.lower_ not in self.titles) or (nxt is not None and _name_word(nxt)):
                continue  # part of a longer name: "Diane Abbott", "Johnson Controls"
            ent = by_surname.get(text)
            if ent is None:
                office = self._in_office_in_context(text, when, counts)
                if office is None:
                    continue
                ent = by_surname.setdefault(text, self._linked(office, IN_OFFICE_CONTEXT,
                                                               entity_for))
            ent.mentions.append((i, i + 1))
            ent.mentions.sort()
            entity_at[i] = ent.id
            if ent.country is not None or ent.sector is not None:
                marks[i] = (doc[i:i + 1], ent.info())

    def _dictionary_entity(self, m: _Mention, span: Span, when, counts, entity_for):
        infos = m.infos
        countries = {i.country for i in infos}
        how = DICTIONARY if infos[0].kind == "person" else DICTIONARY_NAME
        if len(countries) > 1 and {i.kind for i in infos} == {"org"}:
            # "BNP", "Labour", "Liberals": the country the article is about decides
            ranked = sorted({i.country for i in infos if counts.get(i.country)},
                            key=lambda c: -counts[c])
            in_context = [i for i in infos if ranked and i.country == ranked[0]]
            if not ranked or (len(ranked) > 1 and counts[ranked[0]] == counts[ranked[1]]):
                info = best_info(infos, when)
                return entity_for(("ambiguous", span.text.lower()), lambda i: DocEntity(
                    i, _label(info), "org" if info.kind == "org" else info.kind, span.text,
                    how=f"{UNRESOLVED}: {span.text!r} names "
                        f"{len(countries)} countries' bodies"))
            infos = [i for i in infos if i.country == in_context[0].country]
            how = CHOSEN_BY_CONTEXT
        info = best_info(infos, when)
        sector = info.sector
        if info.group == "party":
            sector = party_sector(info, when)
        if info.kind == "person" and when is not None and not _in_office(info, when):
            # "Tory MP Liam Fox" before or after his time in office: the stated party
            # says whether he speaks for the government or the opposition.
            party = next((mark[1] for t in _left_context(span, self.titles)
                          if (mark := _mark(t)) is not None and mark[1].kind == "org"
                          and mark[1].country == info.country), None)
            if party is not None and party.sector in ("GOV", "OPP"):
                sector = party.sector
                how = f"{DICTIONARY} (out of office; {PARTY})"
        if info.kind in ("country", "demonym"):
            sector = None
        kind = info.kind if info.kind != "org" else "org"
        role = info.role.replace("_", " ") if info.role else None
        key = (kind if kind in ("person", "org") else "state", info.name, info.country,
               sector if kind not in ("country", "demonym") else kind)
        ent = entity_for(key, lambda i: DocEntity(i, _label(info), kind, info.name,
                                                  info.country, sector, role, how))
        if kind == "person":
            ent.surname = _surname(info.name)
        return ent

    def _person(self, span: Span, when, counts, dominant, by_surname, entity_for):
        words = [t for t in span if t.is_alpha or "'" in t.text or "-" in t.text]
        if not words:
            return None
        full = len(words) > 1
        surname = words[-1].text
        left = _left_context(span, self.titles)
        titles = " ".join(t.lower_ for t in left)
        if not full:
            earlier = by_surname.get(surname)
            if earlier is not None:
                return earlier
            # "Brenton" after "Brenton Tarrant": a first name, when one person has it
            firsts = {e.id: e for e in by_surname.values() if e.kind == "person" and e.name
                      and len(e.name.split()) > 1 and e.name.split()[0] == surname}
            if len(firsts) == 1:
                return next(iter(firsts.values()))
            office = self._office_holder(surname, titles, left, when)
            if office is not None:
                return by_surname.setdefault(surname, self._linked(office, TITLE_SURNAME,
                                                                   entity_for))
            office = self._in_office_in_context(surname, when, counts)
            if office is not None:
                return by_surname.setdefault(surname, self._linked(office, IN_OFFICE_CONTEXT,
                                                                   entity_for))
        name = " ".join(t.text for t in words)
        ent = entity_for(("person", name), lambda i: DocEntity(i, "PERSON", "person", name))
        if full:
            ent.surname = surname
            by_surname.setdefault(surname, ent)
        if ent.country is None:
            self._from_role(ent, span, left, when, counts, dominant)
        return ent

    def _linked(self, info: ActorInfo, how: str, entity_for) -> DocEntity:
        role = info.role.replace("_", " ") if info.role else None
        ent = entity_for(("person", info.name, info.country, info.sector), lambda i: DocEntity(
            i, "PERSON", "person", info.name, info.country, info.sector, role, how))
        ent.surname = _surname(info.name)
        return ent

    def _office_holder(self, surname: str, titles: str, left: list[Token], when):
        """ "President Putin", "Prime Minister Howard": the one holder of that office with
        that surname on the article's date (and of the stated country, if one is)."""
        if not titles or when is None:
            return None
        roles = set()
        for title, fits in OFFICE_ROLES.items():
            if titles.endswith(title):
                roles |= fits
        if not roles:
            return None
        stated = {mark[1].country for t in left if (mark := _mark(t)) is not None}
        fits = [i for i in self.dictionary.surnames.get(surname, [])
                if i.role in roles and _in_office(i, when) and i.start
                and (not stated or i.country in stated)]
        return fits[0] if len({i.name for i in fits}) == 1 else None

    def _in_office_in_context(self, surname: str, when, counts):
        if when is None:
            return None
        fits = [i for i in self.dictionary.surnames.get(surname, [])
                if _in_office(i, when) and i.start and counts.get(i.country)]
        return fits[0] if len({i.name for i in fits}) == 1 else None

    def _from_role(self, ent: DocEntity, span: Span, left: list[Token], when, counts,
                   dominant) -> None:
        """Country and sector from what the text says the person is: "Tory MP", "Russian
        Deputy Foreign Minister", "Opposition leader", "head of the SBU"."""
        described = list(left)
        root = span.root
        for child in kids(root):
            if child.dep_ == "appos" or (child.dep_ == "prep" and child.lower_ == "of"):
                described.extend(t for t in child.subtree)
        if root.dep_ == "appos" and root.head.i < span.start:
            # "An Australian, Brenton Tarrant": the phrase the name stands in apposition to
            described.extend(t for t in root.head.subtree if t.i < span.start)
        party = country = None
        for tok in described:
            mark = _mark(tok)
            if mark is None:
                continue
            info = mark[1]
            if info.kind == "org" and info.country not in (None, "IGO", "NGO") and not party:
                party = info
            elif info.kind in ("country", "demonym", "capital") and not country:
                country = info.country
        sector = None
        for tok in reversed(described):
            if tok.pos_ in ("NOUN", "PROPN", "") and not tok.text[:1].isdigit():
                sector = self.dictionary.sector_terms.get(tok.lemma_.lower() or tok.lower_)
                if sector:
                    break
        role_words = [t.text for t in left]
        if role_words:
            ent.role = " ".join(role_words)
        if party is not None:
            ent.country = party.country
            ent.sector = party.sector if party.sector not in (None, "PTY") else sector
            ent.how = PARTY
        elif country is not None:
            ent.country, ent.sector, ent.how = country, sector, ROLE
        elif len(span) < 2 and not left:
            return  # one word the recogniser calls a person may be a place ("Kharkiv")
        elif len(here := self._sentence_countries.get(span.sent.start, set())) == 1:
            ent.country, ent.sector = next(iter(here)), sector
            ent.how = f"{ROLE} + sentence context" if sector else "sentence context"
        elif dominant is not None:
            ent.country, ent.sector = dominant, sector
            ent.how = f"{ROLE} + {CONTEXT}" if sector else CONTEXT
        elif sector is not None:
            ent.sector, ent.how = sector, f"{ROLE} (country unresolved)"

    def _organisation(self, span: Span, dominant, entity_for):
        name = span.text
        ent = entity_for(("org", name.lower()), lambda i: DocEntity(i, "ORG", "org", name))
        if ent.country is not None or ent.how != UNRESOLVED:
            return ent
        # "Rugby Australia", "the Scottish Executive": a country or demonym inside the name
        for tok in span:
            infos = self.dictionary.entries.get(tok.text) or []
            countries = {i.country for i in infos if i.kind in ("country", "demonym")}
            if len(countries) == 1:
                ent.country, ent.how = countries.pop(), NAME_COUNTRY
                break
        ent.sector = self.dictionary.sector_terms.get(span[-1].lemma_.lower()) or \
            self.dictionary.sector_terms.get(span[-1].lower_)
        if ent.country is None and ent.sector is not None and dominant is not None:
            ent.country, ent.how = dominant, f"{ROLE} + {CONTEXT}"
        return ent


def _name_word(tok: Token) -> bool:
    return tok.is_alpha and tok.text[:1].isupper() and not tok.is_upper and (
        tok.pos_ in ("PROPN", "") or tok.ent_type_ == "PERSON") and not tok.is_stop and (
        tok.lower_ not in COURTESY)


def _mark(tok: Token):
    marks = tok.doc.user_data.get("tidings.actors")
    return marks[tok.i] if marks is not None else None


def _left_context(span: Span, titles: frozenset[str]) -> list[Token]:
    """The words just before a name that describe the person: "Shadow defence secretary",
    "Tory MP", "Russian President", "Senate Majority Leader"."""
    doc = span.doc
    out: list[Token] = []
    i = span.start - 1
    sent_start = span.sent.start if doc.has_annotation("SENT_START") else 0
    while i >= sent_start and len(out) < 6:
        tok = doc[i]
        low = tok.lower_
        if tok.is_punct and tok.text not in ("-",):
            break
        if tok.pos_ in STOP_LEFT and low not in titles:
            break
        if not (tok.text[:1].isupper() or low in titles or _mark(tok) is not None):
            break
        if low in ("the", "a", "an"):
            break
        out.append(tok)
        i -= 1
    out.reverse()
    return out


def _surname(name: str | None) -> str | None:
    words = (name or "").split()
    return words[-1] if len(words) > 1 else None


def _label(info: ActorInfo) -> str:
    return {"person": "PERSON", "org": "ORG", "country": "GPE", "capital": "GPE",
            "demonym": "NORP", "metonym": "ORG"}.get(info.kind, "ORG")


def window_start(tok: Token) -> int:
    """First token of the sentence before the token's own (or of its own, if first)."""
    sent = tok.sent
    return tok.doc[sent.start - 1].sent.start if sent.start > 0 else sent.start


def antecedent(tok: Token) -> DocEntity | None:
    """The entity a pronoun ("he", "they") refers to: the nearest agreeing entity mentioned
    before it in the same sentence, else the first one in the previous sentence; None when
    there is none (an unresolved pronoun is better than a guess)."""
    entities = tok.doc._.entities
    if not entities:
        return None
    low = tok.lower_
    if low in PERSON_PRONOUNS:
        agree = {"person"}
    elif low in GROUP_PRONOUNS:
        agree = {"org", "metonym", "capital", "country"}
    else:
        return None
    sent_start = tok.sent.start
    prev_start = window_start(tok)
    best = None
    for ent in entities:
        if ent.kind not in agree:
            continue
        for a, _b in ent.mentions:
            if sent_start <= a < tok.i:
                if best is None or best[0] < 2 or a > best[1]:
                    best = (2, a, ent)
            elif prev_start <= a < sent_start and (best is None or (best[0] == 1 and a < best[1])):
                best = (1, a, ent)
    return best[2] if best else None


@Language.factory("tidings_entities_v1", requires=["doc.ents", "token.dep"],
                  assigns=["doc._.entities"])
def make_entity_component(nlp: Language, name: str):
    """The resolver as a pipeline component; the article date comes from
    ``doc.user_data["tidings.published"]`` (an ISO date) when set."""
    from tidings.nlp.actors import get_dictionary

    resolver = EntityResolver(get_dictionary(nlp))

    def component(doc: Doc) -> Doc:
        published = doc.user_data.get("tidings.published")
        when = date.fromisoformat(published[:10]) if published else None
        resolver(doc, when)
        return doc

    return component




def entities_of(doc: Doc):
    """The document entities as the model's ``Entity`` records, in order of first mention."""
    from tidings.model import Entity, Mention
    from tidings.nlp import doc_text

    text = doc_text(doc)
    out = []
    for ent in doc._.entities or []:
        mentions = [Mention(text[doc[a].idx:doc[b - 1].idx + len(doc[b - 1])],
                            (doc[a].idx, doc[b - 1].idx + len(doc[b - 1])))
                    for a, b in ent.mentions]
        if not mentions:
            continue
        first = mentions[0]
        out.append(Entity(text=first.text, label=ent.label, span=first.span,
                          country=ent.country, sector=ent.sector, name=ent.name, id=ent.id,
                          kind=ent.kind, role=ent.role, how=ent.how, mentions=mentions))
    out.sort(key=lambda e: e.span)
    return out
