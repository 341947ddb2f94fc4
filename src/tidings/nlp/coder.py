"""From a parsed Doc to coded events: the only place where spaCy objects become the model.

The coding stages are spaCy components with versioned names, each writing to the Doc:

- ``tidings_events_v1``: frames (``events.py``) typed and turned into ``Event`` records,
  gated and scored by the event model (``doc._.tidings_events``). An intended action
  becomes the statement of intent ("X will impose sanctions" is a THREATEN with
  ``intended_type: SANCTION``), a demanded one a REQUEST, and such a child folds into the
  verb that governs it when that verb already says the same ("threatened to attack");
- ``tidings_event_context_v1``: each event's date, place and the actors' countries;
- ``tidings_casualties_v1``: killed and injured counts of the types that carry them;
- ``tidings_quotes_v1`` and ``tidings_quantities_v1``: ``doc._.tidings_quotes`` and
  ``doc._.tidings_quantities``.

They read what earlier steps left on the Doc: the entities (``tidings_entities_v1``), the
times (``tidings_times_v1``), the toponyms (``doc._.tidings_toponyms``), the dateline
(``doc._.tidings_dateline``), the publication date and the article id (``doc.user_data``).
``DocCoder`` runs them in that order on each parsed Doc (the prefilter stays a step of the
pipeline, before parsing), and ``export`` makes the ``CodedArticle``: the one place where a
Doc's results become the model.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc, Span

from tidings.event_types import event_type, types_with
from tidings.model import Actor, Article, CodedArticle, Event
from tidings.nlp import doc_text, kids
from tidings.nlp.actors import (
    counted_victims,
    get_dictionary,
    own_forces,
    phrase_target,
    received_roles,
    request_roles,
    resolve_np,
    sentence_target,
    state_sectors,
    story_targets,
)
from tidings.nlp.dates import date_for_event
from tidings.nlp.entities import EntityResolver, entities_of
from tidings.nlp.eventmodel import get_event_model
from tidings.nlp.events import Frame, FrameFinder, Memory
from tidings.nlp.eventscoring import apply_model, proposal_root, propose, snapshot
from tidings.nlp.lexicon import get_lexicon
from tidings.nlp.places import dateline_place, get_gazetteer, place_for_event
from tidings.nlp.quantities import casualties, find_quantities
from tidings.nlp.quotes import find_quotes
from tidings.nlp.times import PUBLISHED_KEY, TimeTagger, date_mentions, times_of
from tidings.nlp.toponyms import get_finder, located
from tidings.schemes.acled import acled_for
from tidings.schemes.cameo import goldstein, quad_class
from tidings.schemes.main import main_rank, mark_main

# Actors that never take a country from the place or sentence: captives and equipment
# ("prisoners" in Istanbul are not Turkish civilians) keep only a country stated for them.
OWN_COUNTRY_ONLY = {"captive", "equipment"}
ARTICLE_ID_KEY = "tidings.article_id"  # doc.user_data: the id event ids are made from
EVENTS = "tidings_events_v1"
EVENT_CONTEXT = "tidings_event_context_v1"
CASUALTIES = "tidings_casualties_v1"
QUOTES = "tidings_quotes_v1"
QUANTITIES = "tidings_quantities_v1"
DETAIL_STAGES = (CASUALTIES, QUOTES, QUANTITIES)

for _name in ("tidings_events", "tidings_quotes", "tidings_quantities", "tidings_toponyms",
              "tidings_dateline"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@dataclass
class FoundEvent:
    """An event of the Doc with the frame and sentence it came from."""

    sentence: int  # index of the sentence in the Doc
    sent: Span
    frame: Frame
    event: Event


def parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


class DocCoder:
    """Codes one parsed document. Built once per process per spaCy pipeline."""

    def __init__(self, nlp: Language, *, details: bool = True, event_model: bool = True):
        self.events = nlp.create_pipe(EVENTS, config={"event_model": event_model})
        self.lex = self.events.lex
        self.model = self.events.model
        self.dictionary = self.events.dictionary
        self.resolver = EntityResolver(self.dictionary)
        # details: dates, places, quotes, quantities, casualties and ACLED types; off only
        # to measure what they cost (bench/details_cost.py)
        self.details = details
        self.gazetteer = get_gazetteer() if details else None
        self.times = TimeTagger(nlp)
        self.places = get_finder() if details else None  # None: no toponyms (bench only)
        self.stages = [self.events, nlp.create_pipe(EVENT_CONTEXT, config={"details": details})]
        if details:
            self.stages += [nlp.create_pipe(name) for name in DETAIL_STAGES]

    def __call__(self, doc: Doc, article: Article) -> CodedArticle:
        article.ensure_id()
        published = parse_date(article.published)
        doc.user_data[ARTICLE_ID_KEY] = article.id
        self.resolver(doc, published)  # document entities; actors resolve through them
        dateline = dateline_place(article.text, self.gazetteer) if self.details else None
        if self.details:
            doc.user_data[PUBLISHED_KEY] = published.isoformat() if published else None
            self.times(doc)
        doc._.tidings_dateline = dateline
        doc._.tidings_toponyms = self.places(doc, dateline) if self.places is not None else []
        for stage in self.stages:
            doc = stage(doc)
        return export(doc, article, details=self.details)


def export(doc: Doc, article: Article, *, details: bool = True) -> CodedArticle:
    """The CodedArticle of a Doc the stages have run on: events numbered in order, with
    their ACLED record (details only) and the main event marked (tidings.schemes)."""
    events: list[Event] = []
    ranked: list[tuple[tuple, Event]] = []
    for found in doc._.tidings_events or []:
        event = found.event
        event.id = f"{article.id}:{len(events)}"
        if details:
            event.acled = acled_for(event)
        events.append(event)
        ranked.append((main_rank(event, found.frame.depth, found.frame.nominal,
                                 found.sentence), event))
    mark_main(ranked)
    if not details:
        return CodedArticle(article=article, events=events, entities=entities_of(doc))
    return CodedArticle(article=article, events=events, entities=entities_of(doc),
                        quotes=doc._.tidings_quotes or [],
                        quantities=doc._.tidings_quantities or [], times=times_of(doc),
                        places=doc._.tidings_toponyms or [])


class EventStage:
    """Frames to typed events, gated and scored by the event model: ``doc._.tidings_events``."""

    def __init__(self, nlp: Language, event_model: bool = True):
        self.lex = get_lexicon()
        # The trained model that decides whether a frame is an event and of which type
        # (tidings.nlp.eventmodel); without it (or with event_model=False) the rules decide.
        self.model = get_event_model() if event_model else None
        self.dictionary = get_dictionary(nlp)
        self.finder = FrameFinder(self.lex, self.dictionary)

    def __call__(self, doc: Doc) -> Doc:
        doc_id = doc.user_data.get(ARTICLE_ID_KEY) or ""
        memory = Memory()
        found: list[tuple[int, Span, Frame, Event]] = []
        pending = []  # parsed sentences with no frame: the model may propose an event
        proposing = self.model is not None and self.model.propose_threshold > 0
        for s_index, sent in enumerate(doc.sents):
            frames = self.finder.frames(sent, memory)
            if frames:
                found += [(s_index, sent, frame, event) for frame, event
                          in self._events(frames, sent, doc_id, len(found))]
            if proposing and (not frames or self.model.propose_where == "all") and \
                    (root := proposal_root(sent)) is not None:
                pending.append((s_index, sent, root, snapshot(memory)))
        if self.model is not None and found:
            found = apply_model(self.model, found, self.lex, doc_text(doc))  # one batch
        if pending:
            found += propose(self.model, self.finder, pending,
                             lambda frames, sent: self._events(frames, sent, doc_id, 0),
                             doc_text(doc), found)
            found.sort(key=lambda item: item[0])
        story_targets([item[3] for item in found])  # "Turkey's offensive" told again
        doc._.tidings_events = [FoundEvent(*item) for item in found]
        return doc

    # -- typing ---------------------------------------------------------------------------

    def _typed(self, frame: Frame) -> tuple[str, str, str | None]:
        """(event_type, cameo, intended_type) after turning intents and demands into acts."""
        p = frame.pattern
        modality = frame.mod.modality
        kind = event_type(p.type)
        recode = self.lex.recode
        if modality == "future" and kind is not None and kind.intent_type:
            ultimatum_type, ultimatum_cameo = recode.ultimatum
            if _has_ultimatum(frame.trigger) and p.type != ultimatum_type:
                # "will withdraw ... unless X": an ultimatum
                return ultimatum_type, ultimatum_cameo, p.type
            if kind.intent_type != p.type:
                return kind.intent_type, kind.intent_cameo, p.type
        if modality == "demanded" and kind is not None and kind.demand_cameo:
            return recode.demanded, kind.demand_cameo, p.type
        if modality == "negated" and kind is not None and kind.reject_cameo:
            return recode.refused, kind.reject_cameo, p.type
        return p.type, p.cameo, None

    def _events(self, frames: list[Frame], sent: Span, doc_id: str, offset: int):
        typed = {id(f): self._typed(f) for f in frames}
        by_trigger = {f.trigger.i: f for f in frames}
        refined: dict[int, tuple[str, str]] = {}  # parent frame -> (cameo, intended_type)
        kept = []
        for f in frames:
            etype, cameo, intended = typed[id(f)]
            gov = f.mod.governor
            parent = by_trigger.get(gov.i) if gov is not None else None
            if intended and parent is not None and typed[id(parent)][0] == etype:
                p_cameo = typed[id(parent)][1]
                # A generic parent code ("130 threaten") takes the child's sharper one.
                if p_cameo.endswith("0") and len(p_cameo) == 3:
                    p_cameo = cameo
                refined[id(parent)] = (p_cameo, intended)
                continue
            kept.append(f)
        out = []
        for f in kept:
            etype, cameo, intended = typed[id(f)]
            if id(f) in refined:
                cameo, intended = refined[id(f)]
            sources, targets = f.sources, f.targets
            if etype == self.lex.recode.demanded and f.mod.modality == "demanded" and \
                    id(f) not in refined:
                # "X should resign", "Poland was asked by Ukraine to send tanks": the one
                # asked to act is the target, the one asking (or saying so) the source.
                sources, targets = request_roles(f.trigger, f.mod.governor, sources,
                                                 targets, f.reporter, self.dictionary)
            elif not sources and f.reporter is not None and intended:
                sources = [f.reporter]  # "new sanctions are needed", said the minister
            elif f.noun is not None and not sources:
                # "Turkey faced criticism from the EU": the subject undergoes the act
                sources, targets = received_roles(f.trigger, sources, targets,
                                                  self.dictionary)
            targets = own_forces(etype, sources, targets, self.dictionary)  # "sent troops"
            if sources and not targets and not (etype in types_with("symmetric")
                                                and len(sources) > 1):
                targets = phrase_target(f.trigger, etype, sources, self.dictionary)
            if sources and not targets and not (etype in types_with("symmetric")
                                                and len(sources) > 1):
                targets = sentence_target(f.trigger, etype, sources, self.dictionary)
            if etype in types_with("casualties") and not targets:
                targets = counted_victims(f.trigger)
            # a country named as an actor: its government, or its military for military acts
            doc = f.trigger.doc
            sources = state_sectors(sources, etype, "source", self.dictionary, doc)
            targets = state_sectors(targets, etype, "target", self.dictionary, doc)
            for source, target in _pairs(etype, sources, targets):
                out.append((f, self._event(f, etype, cameo, intended, source, target, sent,
                                           f"{doc_id}:{offset + len(out)}")))
        return out

    def _event(self, f: Frame, etype: str, cameo: str, intended: str | None,
               source: Actor | None, target: Actor | None, sent: Span, event_id: str) -> Event:
        trig = f.trigger
        trig_span = (trig.idx, trig.idx + len(trig))
        if f.noun is not None and f.noun != trig:
            trig_text = doc_text(sent.doc)[min(trig.idx, f.noun.idx):
                                      max(trig_span[1], f.noun.idx + len(f.noun))]
        else:
            trig_text = trig.text
        bounds = [trig_span] + [a.span for a in (source, target) if a is not None and a.span]
        bounds = [b for b in bounds if sent.start_char <= b[0] and b[1] <= sent.end_char]
        span = (min(b[0] for b in bounds), max(b[1] for b in bounds))
        sentence = doc_text(sent.doc)[sent.start_char:sent.end_char].strip()
        confidence = 0.45 + 0.2 * bool(source and source.country) + 0.15 * bool(
            target and target.country) + 0.1 * (not f.nominal) + 0.1 * (f.depth == 0)
        event = Event(
            id=event_id, event_type=etype, cameo=cameo, mode=f.pattern.mode,
            context=f.pattern.context, quad_class=quad_class(etype),
            goldstein=goldstein(cameo), source=source, target=target,
            modality=f.mod.modality, reporter=f.reporter, sentence=sentence,
            span=span, trigger=trig_text, trigger_span=trig_span,
            confidence=min(confidence, 1.0), intended_type=intended,
        )
        if f.mod.cue is not None:
            event.extra["modality_cue"] = f.mod.cue.text
        return event

def _has_ultimatum(trigger) -> bool:
    """An intended act with an "unless" clause on it or on the verb that announces it."""
    for tok in (trigger, trigger.head):
        for child in kids(tok):
            if child.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ == "unless"
                                             for g in kids(child)):
                return True
    return False


def _implied(event: Event, role: str) -> str | None:
    """The sector an unstated source or target of this type stands for (types.tsv)."""
    kind = event_type(event.event_type)
    if kind is None:
        return None
    return kind.implied_source if role == "source" else kind.implied_target


def _country_from_place(event: Event, sent: Span) -> None:
    """An actor named without a nationality ("rebels", "security forces", "prisoners")
    takes the country where the event happened; the event says so in `country_from_place`."""
    place = event.location
    if place is None or not place.country or place.span is None:
        return
    if not sent.start_char <= place.span[0] < sent.end_char:
        return  # only a place the sentence names, never the dateline of a long story
    named = {info.country for _span, info in sent.doc._.actor_mentions}
    if named and place.country not in named:
        return  # "Ontario" read as California's in a Canadian story: unknown beats wrong
    implied = _implied(event, "source")
    if event.source is None and implied and event.modality == "asserted":
        # "was arrested in Lebanon": arrests, bans and deportations are acts of the state
        event.source = Actor(text="", name=None, country=place.country, sector=implied)
        event.extra.setdefault("country_from_place", []).append("source")
        return
    article = sent.doc.user_data.get("tidings.country")
    for role in ("source", "target"):
        actor = getattr(event, role)
        if actor is not None and actor.sector in STATE_SECTORS and article is not None \
                and article != place.country:
            continue  # "soldiers ... flew him to Costa Rica": the state of the story acts
        if actor is not None and actor.country is None and actor.sector is not None \
                and actor.kind not in OWN_COUNTRY_ONLY:
            # a copy: the same Actor may stand in several events of one frame
            setattr(event, role, dataclasses.replace(actor, country=place.country))
            event.extra.setdefault("country_from_place", []).append(role)


# Bodies of a state: with no nationality stated, "the police", "the authorities", "the
# central government" of a story are its country's, before any other country the sentence
# happens to name.
STATE_SECTORS = {"GOV", "COP", "MIL", "JUD", "LEG", "SPY"}


def _country_from_article(event: Event, doc: Doc, dateline, before_sentence: bool) -> None:
    """An actor with a sector but no country takes the article's country: the one country
    its names make clear (tidings.nlp.entities), else the dateline's. State bodies take it
    before the sentence's other countries are tried, everyone else after."""
    country = doc.user_data.get("tidings.country") or (
        dateline.country if dateline is not None else None)
    implied = _implied(event, "target")
    if not before_sentence and event.target is None and implied and \
            event.modality == "asserted":
        # A protest with no stated target is aimed at the authorities of the country where
        # it happens (the gold guideline's "authority protested against"; ICEWS and PLOVER
        # practice): the place's country, else the protesters', else the article's.
        named = {info.country for _span, info in doc._.actor_mentions}
        place = event.location.country if event.location is not None else None
        if named and place not in named:
            place = None  # "the Sava river" read as Madagascar's in a Serbian story
        where = place or (event.source.country if event.source is not None else None) \
            or country
        if where and where not in ("IGO", "NGO"):
            event.target = Actor(text="", name=None, country=where, sector=implied,
                                 kind="implied")
            event.extra["target_implied"] = True
    if country is None:
        return
    implied = _implied(event, "source")
    if before_sentence and event.source is None and implied and \
            event.modality == "asserted" and event.target is not None:
        # "two suspects were arrested": arrests and bans are acts of the state
        event.source = Actor(text="", name=None, country=country, sector=implied)
        event.extra.setdefault("country_from_article", []).append("source")
    for role in ("source", "target"):
        actor = getattr(event, role)
        if actor is None or actor.country is not None or actor.sector is None \
                or actor.kind in OWN_COUNTRY_ONLY or actor.sector in ("IGO", "NGO"):
            continue
        if (actor.sector in STATE_SECTORS) != before_sentence:
            continue
        setattr(event, role, dataclasses.replace(actor, country=country))
        event.extra.setdefault("country_from_article", []).append(role)


def _country_from_sentence(event: Event, sent: Span) -> None:
    """Last resort for an actor with no nationality: the one country the sentence names
    besides the other side's ("Judge X opened investigations against Chilean officials")."""
    for role, other in (("source", event.target), ("target", event.source)):
        actor = getattr(event, role)
        if actor is None or actor.country is not None or actor.kind in OWN_COUNTRY_ONLY:
            continue
        countries = {info.country for span, info in sent.doc._.actor_mentions
                     if sent.start <= span.start < sent.end and info.country
                     and info.country not in ("IGO", "NGO") and info.sector != "MED"}
        if len(countries) > 1:  # domestic news names one country for both sides
            countries.discard(other.country if other is not None else None)
        if len(countries) == 1:
            setattr(event, role, dataclasses.replace(actor, country=countries.pop()))
            event.extra.setdefault("country_from_sentence", []).append(role)


def _same(a: Actor, b: Actor) -> bool:
    return a.span == b.span or (a.country == b.country and a.sector == b.sector
                                and a.name == b.name and a.country is not None)


def _pairs(etype: str, sources: list[Actor], targets: list[Actor]):
    """Source-target pairs: one event per pair, mutual events between coordinated parties."""
    if etype in types_with("symmetric") and len(sources) >= 2 and not targets:
        return [(sources[0], other) for other in sources[1:]]
    pairs = []
    for s in sources or [None]:
        for t in targets or [None]:
            if s is not None and t is not None and _same(s, t):
                continue
            pairs.append((s, t))
    return pairs or [(sources[0] if sources else None, None)]



def _refers_back(trigger) -> bool:
    """Whether an event noun points back at an event the story has told already: a definite
    noun with no modifier of its own ("the attack", "this protest"), not "the first attack
    on X" or "the 2016 protest", which may be other events."""
    if trigger.pos_ != "NOUN":
        return False
    children = kids(trigger)
    definite = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in children)
    modified = any(c.dep_ in ("amod", "compound", "nummod", "poss", "prep", "relcl", "acl")
                   for c in children)
    return definite and not modified


class EventContextStage:
    """Each event's date and place (with details) and its actors' countries."""

    def __init__(self, details: bool = True):
        self.details = details
        self.gazetteer = get_gazetteer() if details else None

    def __call__(self, doc: Doc) -> Doc:
        published = parse_date(doc.user_data.get(PUBLISHED_KEY)) if self.details else None
        dateline = doc._.tidings_dateline
        places = doc._.tidings_toponyms or []
        dates_of: dict[int, list] = {}
        told: dict[str, tuple] = {}  # event type -> the last date the text gave such an event
        for found in doc._.tidings_events or []:
            event, sent, trigger = found.event, found.sent, found.frame.trigger
            if self.details:
                if found.sentence not in dates_of:
                    # an event's date is chosen from the document's times (its own clause
                    # first)
                    dates_of[found.sentence] = date_mentions(sent) if published else []
                event.date, event.date_precision, event.date_text = date_for_event(
                    trigger, dates_of[found.sentence], published)
                if event.date_precision != "publication":
                    told[event.event_type] = (event.date, event.date_precision, event.date_text)
                elif event.event_type in told and _refers_back(trigger):
                    # "Wiranto survived the attack": the stabbing told of earlier, same date
                    event.date, event.date_precision, event.date_text = told[event.event_type]
                event.location = located(place_for_event(
                    trigger, sent, self.gazetteer, dateline), places)
                _country_from_place(event, sent)
            _country_from_article(event, doc, dateline, before_sentence=True)
            _country_from_sentence(event, sent)
            _country_from_article(event, doc, dateline, before_sentence=False)
        return doc


class CasualtyStage:
    """Killed and injured counts of the sentence on each asserted event of a type that
    carries casualties (types.tsv)."""

    def __call__(self, doc: Doc) -> Doc:
        tolls: dict[int, dict[str, int]] = {}
        carry = types_with("casualties")
        for found in doc._.tidings_events or []:
            event = found.event
            if event.event_type in carry and event.modality == "asserted":
                if found.sentence not in tolls:
                    tolls[found.sentence] = casualties(found.sent)
                event.killed = tolls[found.sentence].get("killed", event.killed)
                event.injured = tolls[found.sentence].get("injured", event.injured)
        return doc


class QuoteStage:
    """The document's quotes, speakers resolved to actors: ``doc._.tidings_quotes``."""

    def __init__(self, nlp: Language):
        self.dictionary = get_dictionary(nlp)

    def __call__(self, doc: Doc) -> Doc:
        doc._.tidings_quotes = find_quotes(doc, self._resolve_token)
        return doc

    def _resolve_token(self, tok) -> Actor | None:
        actors = resolve_np(tok, self.dictionary)
        return actors[0] if actors else None


def _quantities(doc: Doc) -> Doc:
    doc._.tidings_quantities = find_quantities(doc)
    return doc


@Language.factory(EVENTS, default_config={"event_model": True},
                  requires=["doc._.entities"], assigns=["doc._.tidings_events"])
def make_event_stage(nlp: Language, name: str, event_model: bool) -> EventStage:
    return EventStage(nlp, event_model=event_model)


@Language.factory(EVENT_CONTEXT, default_config={"details": True},
                  requires=["doc._.tidings_events"])
def make_event_context_stage(nlp: Language, name: str, details: bool) -> EventContextStage:
    return EventContextStage(details=details)


@Language.factory(CASUALTIES, requires=["doc._.tidings_events"])
def make_casualty_stage(nlp: Language, name: str) -> CasualtyStage:
    return CasualtyStage()


@Language.factory(QUOTES, assigns=["doc._.tidings_quotes"])
def make_quote_stage(nlp: Language, name: str) -> QuoteStage:
    return QuoteStage(nlp)


@Language.factory(QUANTITIES, assigns=["doc._.tidings_quantities"])
def make_quantity_stage(nlp: Language, name: str):
    return _quantities
