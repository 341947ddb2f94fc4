"""Actor dictionaries: find actor mentions in a Doc and resolve noun phrases to actors.

Data comes from ``tidings/data/actors/*.tsv`` (countries with names, demonyms, capitals and
metonyms; organisations; sector nouns; office holders with their terms). A mention is a
dictionary hit; a noun phrase resolves to one or more actors (coordination: "Russian and
Ukrainian officials" is two) with a country and a sector.
"""

from __future__ import annotations

import calendar
import dataclasses
import functools
from dataclasses import dataclass
from datetime import date

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from tidings.data import read_tsv, split_multi
from tidings.event_types import types_with
from tidings.model import Actor
from tidings.nlp import doc_text, kids

# Kinds of dictionary entries, most specific first: a person beats the country in "Russian
# President Vladimir Putin", an organisation beats a demonym in "the Russian FSB".
KIND_RANK = {"person": 0, "org": 1, "metonym": 2, "capital": 3, "country": 4, "demonym": 5}
ROLE_RANK = {"head_of_state": 0, "head_of_government": 1, "foreign_minister": 2,
             "defence_minister": 3}  # fmt: skip
# Dependents that belong to a noun phrase's description of who the actor is.
NP_MODIFIERS = {"amod", "compound", "poss", "nmod", "npadvmod", "nummod", "quantmod"}

# Entity labels that a surname-only match must not carry.
NOT_PEOPLE = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "QUANTITY", "PERCENT", "GPE",
              "LOC", "FAC", "EVENT", "LAW", "LANGUAGE"}  # fmt: skip
CALENDAR_WORDS = frozenset(w.lower() for w in [*calendar.day_name, *calendar.month_name] if w)
# Singular nouns that name one person: "the minister said he ...".
SINGULAR_PERSON_NOUNS = {"president", "minister", "premier", "chancellor", "king", "queen",
                         "leader", "spokesman", "spokeswoman", "spokesperson", "official",
                         "ambassador", "envoy", "general", "commander", "secretary", "chief",
                         "head", "governor", "mayor", "prince", "emir", "sultan", "pope",
                         "senator", "lawmaker", "diplomat", "negotiator"}  # fmt: skip

# Nouns for the members of a body: the members of an IGO are states (GUIDELINE 7.5).
MEMBERS = {"member", "member state"}
# Actor.kind of a country named as an actor: its sector comes from the event (state_sectors).
STATE = "state"
# Where a participle read as a noun ("the accused") stands as an actor.
SUBJECT_OR_OBJECT = {"nsubj", "nsubjpass", "dobj", "pobj"}
# Pronouns that name an actor themselves, never a count of one ("they", not "some of").
PRONOUN_ACTORS = {"i", "we", "you", "he", "she", "it", "they", "who"}
# Pronouns that can stand for an actor as subject or object.
ACTOR_PRONOUNS = {"he", "she", "they", "it", "we", "i", "who", "him", "her", "them", "us"}

if not Doc.has_extension("actor_mentions"):
    Doc.set_extension("actor_mentions", default=[])


def actor_of(tok: Token) -> tuple[Span, ActorInfo] | None:
    """The (mention, actor) that ``mark_mentions`` found on a token, if any. Kept as one
    list per Doc: a spaCy extension attribute costs a dictionary lookup per read."""
    marks = tok.doc.user_data.get("tidings.actors")
    return marks[tok.i] if marks is not None else None


if not Token.has_extension("actor"):  # tok._.actor, for readers of a coded Doc
    Token.set_extension("actor", getter=actor_of)


@dataclass(frozen=True)
class ActorInfo:
    name: str
    country: str | None
    sector: str | None
    kind: str
    role: str = ""
    start: str = ""
    end: str = ""
    group: str = ""  # for organisations: "party", "union" or "" (other bodies)
    governing: str = ""  # for parties: START..END periods in national government, |-separated
    entity: int | None = None  # the document entity (tidings.nlp.entities) a mark belongs to
    how: str = ""  # how the document entity was resolved


def party_sector(info: ActorInfo, when: date | None) -> str | None:
    """A party acts as the government on a date it governs, as the opposition on a date it
    does not (when its governing periods are known); PTY when they are not known."""
    if not info.governing:
        return info.sector
    if when is None:
        return "PTY"
    for period in split_multi(info.governing):
        start, _, end = period.partition("..")
        a, b = _parse_date(start), _parse_date(end)
        if (a is None or a <= when) and (b is None or when < b):
            return "GOV"
    return "OPP"


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _in_office(info: ActorInfo, when: date | None) -> bool:
    if when is None:
        return True
    start, end = _parse_date(info.start), _parse_date(info.end)
    return (start is None or start <= when) and (end is None or when <= end)


class ActorDictionary:
    """All actor dictionaries, compiled into phrase matchers for one spaCy vocabulary."""

    def __init__(self, nlp: Language):
        self.entries: dict[str, list[ActorInfo]] = {}
        self.sector_terms: dict[str, str] = {}
        # Surname -> office holders, for the entity resolver's title+surname and article
        # context rules only: a bare surname never becomes a mention by itself.
        self.surnames: dict[str, list[ActorInfo]] = {}
        self.non_actors: dict[str, str] = {}
        self._load()
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        for key in self.entries:
            pattern = nlp.make_doc(key)
            # Acronyms and dotted forms ("US", "U.S.", "SBU") must match case exactly: "us"
            # is a pronoun. Other names match in any case and are checked for capitals later.
            exact = key.isupper() or "." in key or len(key) <= 3
            (self.exact if exact else self.folded).add(key, [pattern])

    def _add(self, text: str, info: ActorInfo, strip_the: bool = True) -> None:
        text = text.strip()
        if text:
            self.entries.setdefault(text, []).append(info)
            # "the Kremlin" -> also "Kremlin"; but "The Sun" is never a bare "Sun"
            if text.lower().startswith("the ") and (strip_the or len(text.split()) > 2):
                self.entries.setdefault(text[4:], []).append(info)

    def _load(self) -> None:
        for row in read_tsv("actors/countries.tsv"):
            iso = row["iso3"]
            name = row["name"]
            for alias in [name, *split_multi(row.get("aliases", ""))]:
                self._add(alias, ActorInfo(name, iso, None, "country"))
            for demonym in split_multi(row.get("demonyms", "")):
                self._add(demonym, ActorInfo(name, iso, None, "demonym"))
            for capital in split_multi(row.get("capitals", "")):
                self._add(capital, ActorInfo(name, iso, "GOV", "capital"))
            for metonym in split_multi(row.get("metonyms", "")):
                self._add(metonym, ActorInfo(metonym, iso, "GOV", "metonym"))
        for fn, group in (("organizations.tsv", ""), ("unions.tsv", "union")):
            for row in read_tsv(f"actors/{fn}"):
                info = ActorInfo(row["name"], row.get("country") or None,
                                 row.get("sector") or None, "org", group=group)
                for alias in [row["name"], *split_multi(row.get("aliases", ""))]:
                    self._add(alias, info, strip_the=False)
        for row in read_tsv("actors/parties.tsv"):
            info = ActorInfo(row["name"], row.get("country") or None, "PTY", "org",
                             group="party", governing=row.get("governing", ""))
            for alias in [row["name"], *split_multi(row.get("aliases", "")),
                          *split_multi(row.get("members", ""))]:
                self._add(alias, info)
        for row in read_tsv("actors/non_actors.tsv"):
            self.non_actors[row["term"].lower()] = row["kind"]
        self.patient_nouns = frozenset(row["term"].lower()
                                       for row in read_tsv("actors/patient_nouns.tsv"))
        self.act_nouns = frozenset(row["term"].lower()
                                   for row in read_tsv("actors/act_nouns.tsv"))
        self.multinational = frozenset(row["term"].lower()
                                       for row in read_tsv("actors/multinational.tsv"))
        self.receiving_verbs = frozenset(row["term"].lower()
                                         for row in read_tsv("actors/receiving_verbs.tsv"))
        self.own_forces = {row["event_type"]: frozenset(split_multi(row["sectors"]))
                           for row in read_tsv("actors/own_forces.tsv")}
        # event type ("*" for any other) -> (source sector, target sector) of a state actor
        self.state_sectors = {row["event_type"]: (row["source_sector"], row["target_sector"])
                              for row in read_tsv("actors/state_actors.tsv")}
        for row in read_tsv("actors/sectors.tsv"):
            self.sector_terms[row["term"].lower()] = row["sector"]
        self.weak_sector_terms = frozenset(row["term"].lower() for row in
                                           read_tsv("actors/sectors.tsv")
                                           if row.get("weak", "") == "yes")
        for row in read_tsv("actors/people.tsv"):
            info = ActorInfo(row["name"], row.get("country") or None, row.get("sector") or None,
                             "person", row.get("role", ""), row.get("start", ""),
                             row.get("end", ""))
            for alias in [row["name"], *split_multi(row.get("aliases", ""))]:
                self._add(alias, info)
                words = alias.split()
                if len(words) > 1 and len(words[-1]) > 2 and not _regnal(words[-1]):
                    self.surnames.setdefault(words[-1], []).append(info)

    # -- finding mentions -------------------------------------------------------------------

    def find_mentions(self, doc: Doc) -> list[Span]:
        spans = []
        for matcher, exact in ((self.exact, True), (self.folded, False)):
            for match_id, start, end in matcher(doc):
                span = doc[start:end]
                first = span[1] if len(span) > 1 and span[0].lower_ == "the" else span[0]
                if not exact and not first.text[:1].isupper():
                    continue  # "turkey" the bird, "chad", "the white house" in lower case
                spans.append(Span(doc, start, end, label=match_id))
        return filter_spans(spans)

    def info_for(self, span: Span, when: date | None) -> ActorInfo | None:
        infos = self.entries.get(span.label_) or []
        if not infos:
            return None
        return best_info(infos, when)

    def non_actor(self, tok: Token) -> str | None:
        """"equipment", "captive", "natural" or "disease" for nouns that name no actor of
        their own: "strategic bombers", "prisoners of war", "the hurricane"."""
        if not self.non_actors:
            return None
        lemma = tok.lemma_.lower()
        for child in kids(tok):
            if child.dep_ in ("compound", "amod") and child.i < tok.i:
                two = self.non_actors.get(f"{child.lemma_.lower()} {lemma}")
                if two:
                    return two
        return self.non_actors.get(lemma) or self.non_actors.get(tok.lower_)

    def sector_of(self, tok: Token) -> str | None:
        """Sector from the head noun and its compounds: "foreign minister", "riot police"."""
        lemma = tok.lemma_.lower()
        for child in kids(tok):
            if child.dep_ in ("compound", "amod") and child.i < tok.i:
                two = f"{child.lemma_.lower()} {lemma}"
                if two in self.sector_terms:
                    return self.sector_terms[two]
        return self.sector_terms.get(lemma) or self.sector_terms.get(tok.text.lower())


def _regnal(word: str) -> bool:
    """'III', 'Jr.', 'II': the last word of a name that is no surname."""
    return word.rstrip(".") in ("Jr", "Sr") or (word.isupper() and set(word) <= set("IVX"))


def best_info(infos: list[ActorInfo], when: date | None) -> ActorInfo:
    """The most plausible reading of an ambiguous name on a given date."""

    def rank(info: ActorInfo):
        in_office = _in_office(info, when)
        end = _parse_date(info.end) or date.max
        return (KIND_RANK.get(info.kind, 9), not in_office, ROLE_RANK.get(info.role, 9),
                -end.toordinal())

    return min(infos, key=rank)


@functools.cache
def _dictionary_for(nlp_id: int, nlp: Language) -> ActorDictionary:
    return ActorDictionary(nlp)


def get_dictionary(nlp: Language) -> ActorDictionary:
    return _dictionary_for(id(nlp), nlp)


def mark_mentions(doc: Doc, dictionary: ActorDictionary, when: date | None) -> None:
    """Resolve the document's entities (``tidings.nlp.entities``) and point each token of a
    mention at its actor, which ``actor_of`` reads; ``doc._.actor_mentions`` lists them."""
    from tidings.nlp.entities import EntityResolver

    EntityResolver(dictionary)(doc, when)


# -- resolving noun phrases ------------------------------------------------------------------


def _conjuncts(tok: Token) -> list[Token]:
    """The token and the heads coordinated with it ("Russia and Ukraine")."""
    out = [tok]
    for c in tok.conjuncts:
        if c.i > tok.i and c not in out:
            out.append(c)
    return out


def _actor_from_mention(span: Span, info: ActorInfo, sector: str | None) -> Actor:
    kind_sector = info.sector if info.kind not in ("country", "demonym") else None
    kind = "person" if info.kind == "person" else "group"
    if kind_sector is None and sector is None and (
            info.kind == "country" or info.kind == "demonym" and span.root.pos_ == "ADJ"):
        kind = STATE  # "Turkey invaded", "the Turkish" (airstrikes): the state acts
    return Actor(text=span.text, name=info.name or None, country=info.country,
                 sector=kind_sector or sector, span=(span.start_char, span.end_char),
                 kind=kind, entity=info.entity)


def is_act_noun(tok: Token, dictionary: ActorDictionary) -> bool:
    """Whether a noun names an act or stance ("involvement", "offensive"), not people."""
    lemma = tok.lemma_.lower()
    if lemma in dictionary.act_nouns:
        return True
    from tidings.nlp.lexicon import get_lexicon

    return tok.pos_ == "NOUN" and lemma in get_lexicon().nouns


def state_sectors(actors: list[Actor], etype: str, role: str, dictionary: ActorDictionary,
                  doc: Doc | None = None) -> list[Actor]:
    """A country named as an actor with no sector stated is its government, or its military
    for military action (training/GUIDELINE.md section 4; ``state_actors.tsv``). A country
    actor is one resolved as such (kind ``state``) or one whose words are exactly a country
    or demonym-adjective mention of ``doc`` ("Russian" of "Russian airstrikes"), or an "it"
    resolved to a country ("Peru said it would ...")."""
    states = [a.sector is None and a.country not in (None, "IGO", "NGO")
              and (a.kind == STATE or a.kind is None and _is_state_mention(a, doc))
              for a in actors]
    if not any(states):
        return actors
    table = dictionary.state_sectors
    sectors = table.get(etype) or table.get("*")
    if not sectors:
        return actors
    sector = (sectors[0] if role == "source" else sectors[1]) or None
    return [dataclasses.replace(a, sector=sector, kind=STATE) if state else a
            for a, state in zip(actors, states, strict=True)]


def _is_state_mention(actor: Actor, doc: Doc | None) -> bool:
    if doc is None or actor.span is None:
        return False
    if actor.text.lower() == "it":
        return True  # "Peru said it would ...": "it" with a country and no sector is a state
    span = doc.char_span(*actor.span)
    mark = actor_of(span[0]) if span is not None and len(span) else None
    if mark is None or (mark[0].start, mark[0].end) != (span.start, span.end):
        return False
    info = mark[1]
    return info.kind == "country" or info.kind == "demonym" and span.root.pos_ == "ADJ"


def _np_tokens(head: Token, direct: bool | None = None) -> list[Token]:
    """Tokens describing who the head is: its modifiers and possessor (direct) and its
    'of'/'from'/'in' phrase (not direct); both when ``direct`` is None."""
    toks = []
    for child in kids(head):
        if child.dep_ in NP_MODIFIERS and direct is not False:
            toks.extend(child.subtree)
        elif child.dep_ == "prep" and child.lower_ in ("of", "from", "in") and not direct:
            # "the government of Iran", "doctors from Canada", "rebels in Ivory Coast"
            toks.extend(child.subtree)
    return toks


def resolve_np(head: Token, dictionary: ActorDictionary, depth: int = 0) -> list[Actor]:
    """Resolve a noun phrase (given by its head token) to zero or more actors."""
    actors: list[Actor] = []
    for tok in _conjuncts(head):
        actors.extend(_resolve_one(tok, dictionary, depth))
    # One actor per country: "Russian officials and the Kremlin" is one Russian actor twice.
    seen, unique = set(), []
    for a in actors:
        key = (a.country, a.sector, a.name)
        if key not in seen:
            seen.add(key)
            unique.append(a)
    return unique


def _np_text(head: Token) -> tuple[str, tuple[int, int]]:
    toks = [head] + [t for t in _np_tokens(head)]
    toks += [c for c in kids(head) if c.dep_ == "det"]
    toks = [t for t in toks if not t.is_space] or [head]
    start = min(t.idx for t in toks)
    end = max(t.idx + len(t) for t in toks)
    return doc_text(head.doc)[start:end], (start, end)


def _counted(tok: Token) -> Token | None:
    """The people a number or quantifier counts: "thousands of teachers", "three of the
    coup leaders", "some of the protesters" -> the 'of' object; None for other heads."""
    if actor_of(tok) is not None or not (
            tok.like_num or tok.tag_ == "CD" or tok.ent_type_ == "CARDINAL"
            or tok.doc.vocab[tok.lemma_.lower()].like_num  # "hundreds", "thousands"
            or tok.pos_ in ("DET", "PRON") and tok.lower_ not in PRONOUN_ACTORS):
        return None
    return next((g for c in kids(tok) if c.dep_ == "prep" and c.lower_ == "of"
                 for g in kids(c) if g.dep_ == "pobj"), None)


def _modifying_org_sector(tok: Token) -> str | None:
    """The sector of an organisation named before a role noun ("the Labour leader", "a Hamas
    commander"), from the document's resolution of it (a party's by the article's date)."""
    for child in kids(tok):
        if child.i < tok.i and child.dep_ in ("compound", "amod", "poss", "nmod"):
            mark = actor_of(child)
            if mark is not None and mark[1].kind == "org" and mark[1].sector:
                return mark[1].sector
    return None


def _resolve_one(tok: Token, dictionary: ActorDictionary, depth: int) -> list[Actor]:
    counted = _counted(tok) if depth < 2 and not any(
        t.dep_ == "appos" for t in tok.subtree) else None  # "one of the organisers, X": X
    found = _resolve_one(counted, dictionary, depth + 1) if counted is not None else []
    if found:
        text, span = _np_text(tok)
        return [dataclasses.replace(a, text=text, span=span) for a in found]
    non_actor = dictionary.non_actor(tok) if actor_of(tok) is None else None
    if non_actor in ("natural", "disease"):
        return []  # a hurricane or an epidemic is never an actor
    sector = dictionary.sector_of(tok)
    if sector is not None and tok.lemma_.lower() in dictionary.weak_sector_terms:
        sector = _modifying_org_sector(tok) or sector  # "the Conservative leader": the party's
    text, span = _np_text(tok)
    if non_actor is not None:
        return _owned(tok, non_actor, text, span)
    if (tok.pos_ == "NOUN" or tok.tag_ == "VBN" and tok.dep_ in SUBJECT_OR_OBJECT) and \
            tok.doc.user_data.get("tidings.entity_at") is not None:
        from tidings.nlp.coref import role_antecedent

        # "the Conservative leader" -> Michael Howard; "the accused" -> the one suspect
        person = role_antecedent(tok, dictionary)
        if person is not None:
            return [Actor(text=text, name=person.name, country=person.country,
                          sector=person.sector or sector, span=span, kind="person",
                          entity=person.id)]
    own = actor_of(tok)
    if own is not None:  # the head itself is a name: "Ukraine", "the Kremlin", "Putin"
        mention, info = own
        actor = _actor_from_mention(mention, info, sector)
        if info.kind in ("country", "demonym") and sector is None:
            # "Ukraine" alone: country, sector unknown; "Ukrainian officials": head is a noun.
            pass
        return [actor]
    # Country (and maybe organisation or person) from the modifiers: "Russian officials",
    # "Ukraine's security service", "the government of Iran", "SBU officers".
    found: list[tuple[Span, ActorInfo]] = []
    # The head's own modifiers first ("the Turkish and Greek sides of Cyprus" are Turkish
    # and Greek); its of/from/in phrase only when they name nobody.
    # Of its phrases, the 'of' one first: "the exit of the UK from the EU" is the UK's.
    indirect = _np_tokens(tok, direct=False)
    of_phrase = [t for c in kids(tok) if c.dep_ == "prep" and c.lower_ == "of"
                 for t in c.subtree]
    located = False  # named only in a from/in phrase: "positions in Iraq" are not Iraq's act
    for toks in (_np_tokens(tok, direct=True), of_phrase,
                 [t for t in indirect if t not in of_phrase]):
        for t in toks:
            mark = actor_of(t)
            if mark is not None and mark not in found and not _backer(mark[0], tok):
                found.append(mark)
        if found:
            break
        located = toks is of_phrase
    if found:
        found.sort(key=lambda m: KIND_RANK.get(m[1].kind, 9))
        best_rank = KIND_RANK.get(found[0][1].kind, 9)
        countries: list[tuple[Span, ActorInfo]] = []
        for m in found:
            # Coordinated demonyms give several actors; otherwise keep the best mention.
            if KIND_RANK.get(m[1].kind, 9) == best_rank or m[1].kind == "demonym":
                if all(m[1].country != c[1].country for c in countries):
                    countries.append(m)
        if best_rank < KIND_RANK["demonym"] and found[0][1].kind != "country":
            countries = [found[0]]
        out = []
        for _span, info in countries:
            org_sector = info.sector if info.kind in ("org", "person", "metonym") else None
            kind = _kind(tok)
            if sector is None and org_sector is None and info.kind in ("country", "demonym") \
                    and not located and tok.ent_type_ != "PERSON" and is_act_noun(tok, dictionary):
                kind = STATE  # "Iranian involvement", "Turkey's offensive": the state acts
            if info.country == "IGO" and sector is None and tok.lemma_.lower() in MEMBERS:
                org_sector = "GOV"  # "members of the European Union": its states (7.5)
            out.append(Actor(text=text, name=info.name if info.kind != "demonym" else None,
                             country=info.country, sector=sector or org_sector, span=span,
                             kind=kind))
        return out
    # Apposition: "Vasyl Maliuk, head of the SBU".
    if depth < 2:
        for child in kids(tok):
            if child.dep_ == "appos":
                resolved = resolve_np(child, dictionary, depth + 1)
                if resolved:
                    return [Actor(text=text, name=tok.text if tok.pos_ == "PROPN" else None,
                                  country=a.country, sector=a.sector or sector, span=span,
                                  kind=_kind(tok))
                            for a in resolved]
    if sector is not None and _multinational(tok, dictionary):
        # "world leaders", "the international community": several states' (GUIDELINE 7.5)
        return [Actor(text=text, name=None, country="IGO", sector=sector, span=span,
                      kind="group")]
    if sector is not None or tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return [Actor(text=text, name=tok.text if tok.pos_ == "PROPN" else None,
                      country=None, sector=sector, span=span, kind=_kind(tok),
                      entity=entity_at(tok))]
    return []


def _multinational(tok: Token, dictionary: ActorDictionary) -> bool:
    """A plural group with a modifier of several states: "world leaders", "global powers"."""
    return tok.tag_ in ("NNS", "NNPS") and any(
        c.dep_ in ("amod", "compound") and c.lemma_.lower() in dictionary.multinational
        for c in kids(tok))


def _backer(name: Span, head: Token) -> bool:
    """Whether a name modifies the head only through a participle other than "led": the
    backer of "Libya's UN-backed government" or "Iran-funded militias" is not whose they
    are ("Saudi-led coalition", "Kurdish-led forces" are the leader's)."""
    doc = name.doc
    end = name.end
    if end + 1 < len(doc) and doc[end].text in ("-", "‐", "–") and not doc[end].whitespace_:
        after = doc[end + 1]
        return after.tag_ == "VBN" and after.lemma_.lower() != "lead"
    t = name.root
    for _ in range(4):
        t = t.head
        if t.i == head.i or t.head.i == t.i:
            return False
        if t.tag_ == "VBN" and t.lemma_.lower() != "lead":
            return True
    return False


def entity_at(tok: Token) -> int | None:
    """The document entity (tidings.nlp.entities) a token is a mention of, if any."""
    table = tok.doc.user_data.get("tidings.entity_at")
    return table[tok.i] if table is not None else None


def _owned(tok: Token, kind: str, text: str, span: tuple[int, int]) -> list[Actor]:
    """Equipment is its owner's military ("Russian bombers" -> RUS MIL), captives are
    civilians of their own country ("Ukrainian prisoners" -> UKR CVL); the country only when
    the phrase states it, never a rebel group and never the country of the place."""
    country = None
    for t in _np_tokens(tok, direct=True):
        mark = actor_of(t)
        if mark is not None and mark[1].country not in (None, "IGO", "NGO"):
            country = mark[1].country
            break
    if country is None and kind == "equipment":
        return []
    sector = "MIL" if kind == "equipment" else "CVL"
    return [Actor(text=text, name=None, country=country, sector=sector, span=span, kind=kind)]


def _kind(tok: Token) -> str:
    """Person or group: decides what "he" and "they" may refer back to."""
    if tok.ent_type_ == "PERSON":
        return "person"
    if tok.tag_ in ("NN",) and tok.lemma_.lower() in SINGULAR_PERSON_NOUNS:
        return "person"
    return "group"


def is_actor_like(tok: Token, dictionary: ActorDictionary) -> bool:
    """Whether a noun can be an actor at all (a person, group, state), not a thing."""
    if actor_of(tok) is not None or tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    if tok.pos_ == "PRON":
        return tok.lower_ in ACTOR_PRONOUNS
    counted = _counted(tok)
    if counted is not None:  # "arrested hundreds of people"; "deployed thousands of
        # troops" sends the doer's own forces, no target
        return dictionary.sector_of(counted) not in (None, "MIL") or actor_of(
            counted) is not None or counted.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
    if dictionary.non_actor(tok) in ("natural", "disease"):
        return False
    return dictionary.sector_of(tok) is not None


def request_roles(trigger: Token, governor: Token | None, sources: list[Actor],
                  targets: list[Actor], reporter: Actor | None,
                  dictionary: ActorDictionary) -> tuple[list[Actor], list[Actor]]:
    """Source and target of a demanded act that no demand frame of its own took in.

    "The MP said the minister should resign": the minister is asked (target), the MP asks
    (source, as the reporter). "Poland was asked by Ukraine to send tanks": Ukraine asks,
    Poland is asked. "Iran was urged to stop": Iran is asked, the asker unknown."""
    asked, askers = sources, [reporter] if reporter is not None else []
    if governor is not None and governor != trigger:
        passive = [c for c in kids(governor) if c.dep_ == "nsubjpass"]
        if passive:
            asked = resolve_np(passive[0], dictionary) or asked
            agent = next((g for c in kids(governor) if c.dep_ == "agent"
                          or (c.dep_ == "prep" and c.lower_ == "by")
                          for g in kids(c) if g.dep_ == "pobj"), None)
            askers = resolve_np(agent, dictionary) if agent is not None else askers
        else:
            subject = next((c for c in kids(governor) if c.dep_ in ("nsubj", "csubj")), None)
            if subject is not None and subject.pos_ != "PRON":
                askers = resolve_np(subject, dictionary) or askers
            obj = next((c for c in kids(governor) if c.dep_ in ("dobj", "dative")), None)
            if obj is not None:
                asked = resolve_np(obj, dictionary) or asked
    return askers, asked or targets


def received_roles(trigger: Token, sources: list[Actor], targets: list[Actor],
                   dictionary: ActorDictionary) -> tuple[list[Actor], list[Actor]]:
    """Source and target of an act named by the object of a receiving verb: "Turkey faced
    criticism from the EU" (the EU criticises Turkey), "Kyiv came under attack from
    Russian forces", "Nigeria received aid from the World Bank" (``receiving_verbs.tsv``).
    The verb's subject is the target; the doer is the noun's from/by phrase, else unknown.
    Unchanged when the noun is no such object or the subject names no actor of a known
    country."""
    noun = trigger.head if trigger.dep_ == "compound" else trigger
    if noun.pos_ != "NOUN":
        return sources, targets
    verb = noun.head
    if noun.dep_ == "pobj" and verb.dep_ == "prep":
        words = f"{verb.head.lemma_.lower()} {verb.lower_}"  # "came under attack"
        verb = verb.head
    elif noun.dep_ == "dobj":
        words = verb.lemma_.lower()
    else:
        return sources, targets
    if verb.pos_ not in ("VERB", "AUX") or words not in dictionary.receiving_verbs:
        return sources, targets
    subject = next((c for c in kids(verb) if c.dep_ == "nsubj"), None)
    if subject is None or subject.pos_ == "PRON":
        return sources, targets
    receivers = [a for a in resolve_np(subject, dictionary) if a.country is not None]
    if not receivers:  # "Kharkiv came under attack": a place, not "Russian" by its sentence
        return sources, targets
    doer = next((g for c in kids(noun) if c.dep_ in ("prep", "agent")
                 and c.lower_ in ("from", "by") for g in kids(c) if g.dep_ == "pobj"), None)
    doers = resolve_np(doer, dictionary) if doer is not None else []
    return doers, receivers


def own_forces(etype: str, sources: list[Actor], targets: list[Actor],
               dictionary: ActorDictionary) -> list[Actor]:
    """The targets left when forces the doer sends are not counted as targets: "Russia
    deployed troops to the border" (``own_forces.tsv``). Forces named with a country of
    their own ("deployed troops against Ukrainian forces") stay targets."""
    sectors = dictionary.own_forces.get(etype)
    if not sectors or not sources:
        return targets
    return [a for a in targets if not (a.sector in sectors and a.country is None
                                       and a.kind != "person")]


# Prepositions that place an event rather than aim it ("met in Turkey"); violence aimed at a
# place hits it ("strikes in Iraq"), so these are skipped only for types that do not
# (types.tsv `hits_places`).
PLACE_PREPS = {"in", "at", "near", "inside", "outside", "from", "during", "across", "around"}


def phrase_target(trigger: Token, etype: str, sources: list[Actor],
                  dictionary: ActorDictionary) -> list[Actor]:
    """A target the frame rules missed: the first actor named inside the predicate's own
    phrase (its dependents, not its clauses or its subject) whose country differs from the
    source's. "Iran's strikes on Kurdish groups in Iraq", "voiced concern over Beijing".
    Nothing when the phrase names no other country: an unknown target beats a wrong one."""
    own = {a.country for a in sources}
    skip = {"nsubj", "nsubjpass", "csubj", "ccomp", "xcomp", "advcl", "relcl", "conj",
            "parataxis", "punct", "cc", "aux", "auxpass", "neg", "mark", "npadvmod"}
    stack = [c for c in kids(trigger) if c.dep_ not in skip]
    seen: set[int] = set()
    while stack:
        tok = stack.pop(0)
        if tok.i in seen:
            continue
        seen.add(tok.i)
        if tok.dep_ == "prep" and tok.lower_ in PLACE_PREPS and \
                etype not in types_with("hits_places"):
            continue
        mark = actor_of(tok)
        if mark is not None and mark[1].country not in (None, *own):
            found = [a for a in resolve_np(mark[0].root, dictionary)
                     if a.country not in (None, *own)]
            if found:
                return found[:1]
        stack.extend(c for c in kids(tok) if c.dep_ not in skip)
    return []


def sentence_target(trigger: Token, etype: str, sources: list[Actor],
                    dictionary: ActorDictionary) -> list[Actor]:
    """Last resort for a target no frame rule found: the one actor of another country than
    the source's that the sentence names ("Iran warned on Sunday that its patience with
    the United States was running out": the United States). Not a place of the event ("met
    in Turkey"), not a news outlet; nothing when the sentence names two or more other
    countries (an unknown target beats a wrong one)."""
    own = {a.country for a in sources}
    if trigger.pos_ == "NOUN":
        return []  # an event noun's own phrase says whom it aims at, or nobody
    sent = trigger.sent
    others: dict[str, Token] = {}
    for mention, info in trigger.doc._.actor_mentions:
        if not sent.start <= mention.start < sent.end or info.country in (None, *own) or \
                info.sector == "MED" or trigger.i in range(mention.start, mention.end):
            continue
        root = mention.root
        # the phrase the name belongs to: "Syrian" of "Syrian state media" is the media's
        head = root.head if root.dep_ in ("amod", "compound", "poss") else root
        if head.dep_ == "pobj" and head.head.lower_ in PLACE_PREPS and \
                etype not in types_with("hits_places"):
            continue  # where it happened: "met in Turkey"
        if dictionary.sector_of(head) == "MED":
            continue
        others.setdefault(info.country, head)
    if len(others) != 1:
        return []
    head = next(iter(others.values()))
    found = [a for a in resolve_np(head, dictionary) if a.country not in (None, *own)]
    return found[:1]


def story_targets(events: list) -> None:
    """An asserted or announced event with a source and no target takes the target of the
    story's earlier events of the same type by the same country, when they all aimed at
    one country ("Turkey began an offensive into Syria ... On Wednesday, Turkey began a
    military offensive with airstrikes": Syria again; GUIDELINE 7.3, an actor filled from
    the article when certain). Marked on the event as ``target_from_story``."""
    seen: dict[tuple[str, str], list[Actor]] = {}
    for event in events:
        source, target = event.source, event.target
        if source is None or source.country in (None, "IGO", "NGO") or \
                event.modality not in ("asserted", "future"):
            continue
        key = (event.event_type, source.country)
        if target is not None:
            if target.country not in (None, source.country) and target.kind != "implied":
                seen.setdefault(key, []).append(target)
            continue
        earlier = seen.get(key)
        if earlier and len({a.country for a in earlier}) == 1:
            event.target = earlier[-1]
            event.extra["target_from_story"] = True


def counted_victims(trigger: Token) -> list[Actor]:
    """ "killed five and wounded 110", "killed at least 12": people counted as the object
    of violence are its victims, civilians of the country where it happened unless the text
    says otherwise (the coder fills the country from the place or the article)."""
    for child in kids(trigger):
        if child.dep_ == "dobj" and (child.like_num or child.ent_type_ == "CARDINAL"):
            start = min(t.i for t in child.subtree)
            end = max(t.i for t in child.subtree) + 1
            span = trigger.doc[start:end]
            return [Actor(text=span.text, name=None, country=None, sector="CVL",
                          span=(span.start_char, span.end_char), kind="victim")]
    return []
