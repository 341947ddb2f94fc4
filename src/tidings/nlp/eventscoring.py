"""The event model in the pipeline: a spaCy component, and how the coder uses it.

``apply_model`` takes the rule coder's candidate events of one document, scores them in one
batch and keeps those the model calls events whose roles hold a political or social actor
(see ``has_political_actor``). A kept event takes the combined type (see
``tidings.nlp.eventmodel``) and the calibrated confidence; ``extra["typed_by"]`` says
whether the model changed the lexicon's type ("model") or agreed with it ("model+rules").
A type the rules derived from modality (a threat, demand or refusal about an intended
act, ``Event.intended_type``) stays the rules' type: the model gates it and scores it. So
does a type the model was not trained on (one added to types.tsv since).

The ``tidings_event_model_v1`` factory makes the same model a spaCy pipeline component,
saved and loaded with ``nlp.to_disk``/``spacy.load``. On its own it scores every sentence
of a Doc as a whole (``doc._.event_scores``: start, end, p_event and type probabilities);
the coder instead calls ``score_events`` with the frames the rules found.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from tidings.model import Event
from tidings.nlp.eventmodel import (
    Candidate,
    EventModel,
    default_model_path,
    get_event_model,
)
from tidings.schemes.cameo import generic_code, goldstein, quad_class

if not Doc.has_extension("event_scores"):
    Doc.set_extension("event_scores", default=None)


def candidate_for(event: Event) -> Candidate:
    source, target = event.source, event.target
    frame = " ".join(x for x in (source.text if source else "", event.trigger,
                                 target.text if target else "") if x)
    flags = (bool(source and source.country), bool(target and target.country),
             bool(source and source.sector), bool(target and target.sector),
             event.reporter is not None)
    return Candidate(sentence=event.sentence, frame=frame, rule_type=event.event_type,
                     cameo=event.cameo, modality=event.modality, flags=flags)


def has_political_actor(event: Event) -> bool:
    """A role holds an actor: the resolver makes actors only of countries, known groups and
    offices (a sector) and named people, organisations and nationalities; things, places
    and unnamed nouns never fill a role. Whether the clause is political is the model's
    call."""
    return event.source is not None or event.target is not None


def retype(event: Event, event_type: str, lex=None) -> None:
    """Give an event a new PLOVER type, with the type's generic CAMEO code (types.tsv); the
    mode and context of the old lexicon pattern no longer apply."""
    event.extra["rule_type"] = event.event_type
    event.event_type = event_type
    event.cameo = generic_code(event_type)
    event.mode = ""
    event.context = ""
    event.quad_class = quad_class(event_type)
    event.goldstein = goldstein(event.cameo)


def apply_model(model: EventModel, found: list, lex, text: str = "") -> list:
    """found: (sentence index, sentence, frame, event) tuples of one document; text: the
    document's text, for its topic score."""
    candidates = [candidate_for(event) for *_, event in found]
    decisions = model.decide(candidates, text=text) if text else model.decide(candidates)
    kept = []
    for item, decision in zip(found, decisions, strict=True):
        event = item[3]
        if not decision.event or not has_political_actor(event):
            continue
        if decision.event_type != event.event_type and not event.intended_type \
                and event.event_type in model.types:
            retype(event, decision.event_type, lex)
            event.extra["typed_by"] = "model"
        else:
            event.extra["typed_by"] = "model+rules"
        event.confidence = decision.confidence
        kept.append(item)
    return kept


class EventModelComponent:
    """The event model as a spaCy pipeline component."""

    def __init__(self, nlp: Language, name: str, model_path: str | None = None):
        self.name = name
        self.model_path = model_path
        self.model: EventModel | None = get_event_model(model_path)

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs, batch_size: int = 256):
        """Sentence-level scores, batched over many documents."""
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._score(batch)
                batch = []
        if batch:
            yield from self._score(batch)

    def _score(self, docs: list[Doc]) -> list[Doc]:
        if self.model is None:
            raise ValueError("tidings_event_model: no model files (run `tidings train`)")
        spans = [(doc, s.start, s.end, s.text) for doc in docs for s in doc.sents] \
            if all(d.has_annotation("SENT_START") for d in docs) else \
            [(doc, 0, len(doc), doc.text) for doc in docs]
        p_event, p_types = self.model.predict([Candidate(sentence=t) for *_, t in spans])
        for doc in docs:
            doc._.event_scores = []
        for i, (doc, start, end, _) in enumerate(spans):
            doc._.event_scores.append({
                "start": start, "end": end, "p_event": float(p_event[i]),
                "types": {t: float(p) for t, p in zip(self.model.types, p_types[i], strict=True)}})
        return docs

    def score_events(self, found: list, lex, text: str = "") -> list:
        return apply_model(self.model, found, lex, text) if self.model is not None else found

    def to_disk(self, path, *, exclude=()) -> None:
        if self.model is None:
            raise ValueError("tidings_event_model: nothing to save")
        self.model.to_dir(Path(path))

    def from_disk(self, path, *, exclude=()):
        self.model = EventModel.from_dir(Path(path))
        return self


@Language.factory("tidings_event_model_v1", default_config={"model_path": None},
                  assigns=["doc._.event_scores"], requires=["token.is_sent_start"])
def make_event_model(nlp: Language, name: str, model_path: str | None):
    return EventModelComponent(nlp, name, model_path or str(default_model_path()))


# -- events the model proposes where the rules found no frame ----------------------------------

def proposal_root(sent) -> object | None:
    """The main predicate of a parsed sentence with no rule frame: its root, when that is a
    verb (a sentence left unparsed by the prefilter, or a fragment, proposes nothing)."""
    root = sent.root
    if root.dep_ != "ROOT" or root.pos_ not in ("VERB", "AUX"):
        return None
    return root


def snapshot(memory):
    """A copy of the frame finder's memory as it stood at this sentence, so that reading a
    proposed frame later neither sees later sentences nor changes what the rules remember."""
    import copy

    copied = copy.copy(memory)
    copied.acts = list(memory.acts)
    return copied


def propose(model: EventModel, finder, pending: list, make_events, text: str = "",
            found: list = ()) -> list:
    """pending: (sentence index, sentence, root token, memory snapshot) of the document's
    parsed sentences where the rules found no frame (``propose_where``: "all" adds the
    others); found: the events already kept, whose types a sentence then has. The model
    reads each sentence alone (as at training time a sentence the rules found nothing in:
    rule type NONE). Where P(event) reaches the event threshold, P(event) x P(type) of
    its best type reaches ``propose_threshold``, the type is one the model may propose
    (``propose_types``) and the sentence has no event of it yet, the sentence's root
    becomes a frame of that type. Its roles come from the rules' own frame reader
    (``FrameFinder._verb_frame``: subject, object, reporter, modality), and
    ``make_events(frames, sent)`` turns it into events as a rule frame is; an event whose
    roles hold no actor is dropped. Returns (sentence index, sentence, frame, event)
    tuples with ``extra["typed_by"] = "model"`` and ``extra["proposed"]``."""
    from tidings.nlp.lexicon import Pattern
    from tidings.schemes.cameo import generic_code

    threshold = model.propose_threshold
    if not pending or threshold <= 0 or (text and not model.on_topic([text])[0]):
        return []
    p_event, p_types = model.predict([Candidate(sentence=sent.text.strip())
                                      for _, sent, _, _ in pending])
    taken: dict[int, set[str]] = {}  # sentence -> the types of its events already found
    for item in found:
        taken.setdefault(item[0], set()).add(item[3].event_type)
    out = []
    for k, (s_index, sent, root, memory) in enumerate(pending):
        best = int(np.argmax(p_types[k]))
        raw = float(p_event[k] * p_types[k, best])
        etype = model.types[best]
        if p_event[k] < model.event_threshold or raw < threshold or (
                model.propose_types and etype not in model.propose_types) or \
                etype in taken.get(s_index, ()):
            continue
        pattern = Pattern(lemma=root.lemma_.lower(), type=etype, cameo=generic_code(etype))
        read = finder._verb_frame(root, pattern, None, memory)
        confidence = float(model.calibrate(np.array([raw]))[0])
        for frame, event in make_events([read], sent):
            if not has_political_actor(event):
                continue
            event.extra["typed_by"] = "model"
            event.extra["proposed"] = True
            event.extra["proposal_score"] = round(raw, 4)  # P(event) x P(type)
            event.confidence = confidence
            out.append((s_index, sent, frame, event))
    return out
