"""From a parsed Doc to coded events: the only place where spaCy objects become the model.

Frames (``events.py``) are typed and turned into ``Event`` records: an intended action
becomes the statement of intent ("X will impose sanctions" is a THREATEN with
``intended_type: SANCTION``), a demanded one a REQUEST, and such a child folds into the
verb that governs it when that verb already says the same ("threatened to attack").
"""

from __future__ import annotations

import dataclasses
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc, Span

from tidings.model import Actor, Article, CodedArticle, Event
from tidings.nlp import doc_text, kids
from tidings.nlp.acled import acled_for
from tidings.nlp.actors import (
    counted_victims,
    get_dictionary,
    phrase_target,
    request_roles,
    resolve_np,
)
from tidings.nlp.dates import date_for_event
from tidings.nlp.entities import EntityResolver, entities_of
from tidings.nlp.eventmodel import get_event_model
from tidings.nlp.events import SYMMETRIC, Frame, FrameFinder, Memory
from tidings.nlp.eventscoring import apply_model
from tidings.nlp.lexicon import get_lexicon
from tidings.nlp.places import dateline_place, get_gazetteer, place_for_event
from tidings.nlp.quantities import casualties, find_quantities
from tidings.nlp.quotes import find_quotes
from tidings.nlp.times import PUBLISHED_KEY, TimeTagger, date_mentions, times_of
from tidings.nlp.toponyms import get_finder, located

# Actors that never take a country from the place or sentence: captives and equipment
# ("prisoners" in Istanbul are not Turkish civilians) keep only a country stated for them.
OWN_COUNTRY_ONLY = {"captive", "equipment"}
MODALITY_RANK = {"asserted": 0, "future": 0, "demanded": 0, "conditional": 1,
                 "hypothetical": 1, "negated": 2}  # fmt: skip


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
        self.lex = get_lexicon()
        # The trained model that decides whether a frame is an event and of which type
        # (tidings.nlp.eventmodel); without it (or with event_model=False) the rules decide.
        self.model = get_event_model() if event_model else None
        self.dictionary = get_dictionary(nlp)
        self.resolver = EntityResolver(self.dictionary)
        self.finder = FrameFinder(self.lex, self.dictionary)
        # details: dates, places, quotes, quantities, casualties and ACLED types; off only
        # to measure what they cost (bench/details_cost.py)
        self.details = details
        self.gazetteer = get_gazetteer() if details else None
        self.times = TimeTagger(nlp)
        self.places = get_finder() if details else None  # None: no toponyms (bench only)

    def __call__(self, doc: Doc, article: Article) -> CodedArticle:
        article.ensure_id()
        published = parse_date(article.published)
        self.resolver(doc, published)  # document entities; actors resolve through them
        memory = Memory()
        dateline = dateline_place(article.text, self.gazetteer) if self.details else None
        if self.details:
            doc.user_data[PUBLISHED_KEY] = published.isoformat() if published else None
            self.times(doc)
        places = self.places(doc, dateline) if self.places is not None else []
        events: list[Event] = []
        best: tuple | None = None
        found: list[tuple[int, Span, Frame, Event]] = []
        for s_index, sent in enumerate(doc.sents):
            frames = self.finder.frames(sent, memory)
            if frames:
                found += [(s_index, sent, frame, event) for frame, event
                          in self._events(frames, sent, article.id, len(found))]
        if self.model is not None and found:
            found = apply_model(self.model, found, self.lex, doc_text(doc))  # one batch
        dates_of: dict[int, list] = {}
        tolls: dict[int, dict] = {}
        for s_index, sent, frame, event in found:
            event.id = f"{article.id}:{len(events)}"
            if s_index not in dates_of:
                # an event's date is chosen from the document's times (its own clause first)
                dates_of[s_index] = date_mentions(sent) if published and self.details else []
            dates = dates_of[s_index]
            if self.details:
                event.date, event.date_precision, event.date_text = date_for_event(
                    frame.trigger, dates, published)
                event.location = located(place_for_event(
                    frame.trigger, sent, self.gazetteer, dateline), places)
                _country_from_place(event, sent)
            _country_from_article(event, sent.doc, dateline, before_sentence=True)
            _country_from_sentence(event, sent)
            _country_from_article(event, sent.doc, dateline, before_sentence=False)
            if self.details:
                if event.event_type == "ASSAULT" and event.modality == "asserted":
                    if s_index not in tolls:
                        tolls[s_index] = casualties(sent)
                    event.extra.update(tolls[s_index])  # {"killed": n, ...} when stated
                acled = acled_for(event)
                if acled:
                    event.extra["acled"] = acled
            events.append(event)
            modality_rank = MODALITY_RANK.get(event.modality, 3)
            if event.extra.get("intended_type"):
                modality_rank = 0  # a refusal, threat or demand is itself an asserted act
            rank = (modality_rank, frame.depth, frame.nominal, s_index,
                    event.trigger_span[0])
            if best is None or rank < best[0]:
                best = (rank, event)
        if best is not None and best[0][0] < 2:
            best[1].extra["main"] = True
        if not self.details:
            return CodedArticle(article=article, events=events, entities=entities_of(doc))
        return CodedArticle(article=article, events=events, entities=entities_of(doc),
                            quotes=find_quotes(doc, self._resolve_token),
                            quantities=find_quantities(doc), times=times_of(doc),
                            places=places)

    def _resolve_token(self, tok) -> Actor | None:
        actors = resolve_np(tok, self.dictionary)
        return actors[0] if actors else None

    # -- typing ---------------------------------------------------------------------------

    def _typed(self, frame: Frame) -> tuple[str, str, str | None]:
        """(event_type, cameo, intended_type) after turning intents and demands into acts."""
        p = frame.pattern
        modality = frame.mod.modality
        if modality == "future" and p.type in self.lex.intent:
            row = self.lex.intent[p.type]
            if _has_ultimatum(frame.trigger) and p.type not in ("THREATEN",):
                return "THREATEN", "139", p.type  # "will withdraw ... unless X": an ultimatum
            if row["intent_type"] != p.type:
                return row["intent_type"], row["intent_cameo"], p.type
        if modality == "demanded" and p.type in self.lex.intent:
            return "REQUEST", self.lex.intent[p.type]["demand_cameo"], p.type
        if modality == "negated" and self.lex.intent.get(p.type, {}).get("reject_cameo"):
            return "REJECT", self.lex.intent[p.type]["reject_cameo"], p.type
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
            if etype == "REQUEST" and f.mod.modality == "demanded" and id(f) not in refined:
                # "X should resign", "Poland was asked by Ukraine to send tanks": the one
                # asked to act is the target, the one asking (or saying so) the source.
                sources, targets = request_roles(f.trigger, f.mod.governor, sources,
                                                 targets, f.reporter, self.dictionary)
            elif not sources and f.reporter is not None and intended:
                sources = [f.reporter]  # "new sanctions are needed", said the minister
            if sources and not targets and not (etype in SYMMETRIC and len(sources) > 1):
                targets = phrase_target(f.trigger, etype, sources, self.dictionary)
            if etype == "ASSAULT" and not targets:
                targets = counted_victims(f.trigger)
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
            context=f.pattern.context, quad_class=self.lex.quad.get(etype),
            goldstein=self.lex.goldstein(cameo), source=source, target=target,
            modality=f.mod.modality, reporter=f.reporter, sentence=sentence,
            span=span, trigger=trig_text, trigger_span=trig_span,
            confidence=min(confidence, 1.0),
        )
        if intended:
            event.extra["intended_type"] = intended
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
    if event.source is None and event.event_type == "COERCE" and event.modality == "asserted":
        # "was arrested in Lebanon": arrests, bans and deportations are acts of the state
        event.source = Actor(text="", name=None, country=place.country, sector="GOV")
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
    if not before_sentence and event.target is None and event.event_type == "PROTEST" and \
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
            event.target = Actor(text="", name=None, country=where, sector="GOV",
                                 kind="implied")
            event.extra["target_implied"] = True
    if country is None:
        return
    if before_sentence and event.source is None and event.event_type == "COERCE" and \
            event.modality == "asserted" and event.target is not None:
        # "two suspects were arrested": arrests and bans are acts of the state
        event.source = Actor(text="", name=None, country=country, sector="GOV")
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
    if etype in SYMMETRIC and len(sources) >= 2 and not targets:
        return [(sources[0], other) for other in sources[1:]]
    pairs = []
    for s in sources or [None]:
        for t in targets or [None]:
            if s is not None and t is not None and _same(s, t):
                continue
            pairs.append((s, t))
    return pairs or [(sources[0] if sources else None, None)]


def main_event(coded: CodedArticle) -> Event | None:
    """The event a single-label scheme reports for a text: its main clause's event."""
    return next((e for e in coded.events if e.extra.get("main")), None)
