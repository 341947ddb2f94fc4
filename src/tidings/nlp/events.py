"""Event frames from the dependency parse, typed with the lexicon.

A frame is a predicate (a verb, or an event noun such as "talks" or "attack") with the
actors that do it (sources) and undergo it (targets). Frames come from active and passive
clauses, control ("agreed to meet", "urged Iran to stop"), coordination, relative clauses,
appositions and nominal events ("Ukraine's drone attack on Russian airbases").
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from tidings.event_types import event_type, quad_class, type_names, types_with
from tidings.model import Actor
from tidings.nlp import doc_column, kids
from tidings.nlp.actors import ActorDictionary, actor_of, is_actor_like, resolve_np
from tidings.nlp.actors import _np_text as _np_span_text
from tidings.nlp.coref import recall_pronoun
from tidings.nlp.lexicon import NONE, Lexicon, Pattern
from tidings.nlp.modality import ModalityResult, modality_of

SUBJECTS = ("nsubj", "csubj")
RELATIVE_PRONOUNS = {"who", "which", "that", "whom"}
PARTICLES = {"down", "back", "out", "off", "aside", "up", "away", "over", "in"}
# "25,000 tons of food aid", "thousands of troops": the event noun is the "of" object.
MEASURE_NOUNS = {"ton", "tonne", "thousand", "million", "hundred", "dozen", "number", "day",
                 "week", "month", "year", "shipment", "batch", "round", "series", "wave", "lot",
                 "kind", "type", "consignment", "package", "load", "flood", "string", "spate",
                 "mission", "team", "delegation", "group", "unit", "contingent"}  # fmt: skip
# Nouns for proposals and demands: their author is whom a rejection answers.
SPEECH_NOUNS = {"call", "appeal", "demand", "request", "proposal", "offer", "plan", "invitation",
                "criticism", "accusation", "ultimatum", "plea", "suggestion", "initiative",
                "bid", "overture", "condition"}  # fmt: skip
# Passives that describe the subject's own stance: "Vietnam is committed to reform".
STATIVE_PASSIVES = {"commit", "determine", "prepare", "oppose", "dedicate", "resolve", "devote",
                    "obligate", "bind", "engage", "involve", "poise", "set"}  # fmt: skip
# "a mediation effort", "an assassination attempt": the modifier is the event.
FRAME_NOUNS = {"effort", "attempt", "campaign", "bid", "process", "drive", "initiative",
               "plan", "programme", "program", "operation", "mission", "move", "push"}
PERSONAL_PRONOUNS = {"he", "she", "him", "her", "his", "hers"}
# Subjects of a general appeal, not of a demand made of someone else: "we must act".
FIRST_PERSON = {"i", "we", "us", "me", "you", "it", "this", "that", "there", "everyone",
                "everybody", "somebody", "someone", "one"}
# Words that count people: "dozens died", "hundreds were injured".
COUNT_WORDS = {"dozen", "dozens", "hundred", "hundreds", "thousand", "thousands", "score",
               "scores", "many", "several", "some", "all", "most", "both"}
# Quad classes (lexicon/types.tsv) of verbal and material cooperation.
COOPERATIVE_QUADS = {1, 2}
# Quad classes of verbal acts: the ones that answer another act ("condemned the launch").
VERBAL_QUADS = {1, 3}
# How many sentences back "the attack" may look for the attack it names, and "the move"
# for an act of any kind.
ACT_REACH, UNTYPED_REACH = 4, 2
# Determiners of a noun that points back at something already told.
DEFINITE = {"the", "this", "that", "these", "those"}
GROUP_PRONOUNS = {"it", "they", "them", "we", "its", "their"}
# Types that are naturally mutual ("Russia and Ukraine held talks" is Russia -> Ukraine)
# say so in types.tsv (`symmetric`); the coder pairs their actors.
# Possessives whose owner a verbal act may answer ("its" is mostly a thing's).
POSSESSIVE_PRONOUNS = {"his", "her", "their"}


@dataclass
class Frame:
    trigger: Token
    pattern: Pattern
    noun: Token | None = None  # the event noun (nominal event, or object of a light verb)
    sources: list[Actor] = field(default_factory=list)
    targets: list[Actor] = field(default_factory=list)
    mod: ModalityResult = field(default_factory=ModalityResult)
    reporter: Actor | None = None
    depth: int = 0

    @property
    def nominal(self) -> bool:
        return self.noun is not None and self.noun == self.trigger


class Memory:
    """The most recent actors of a document, for pronouns ("it said", "he warned"). A
    pronoun refers only to an actor of its own sentence or the one before
    (``tidings.nlp.coref``); beyond that it stays unresolved."""

    def __init__(self) -> None:
        self.person: tuple[Actor, int] | None = None  # (actor, token index of its mention)
        self.group: tuple[Actor, int] | None = None
        self.sentence = 0  # ordinal of the sentence being read
        # Acts read so far whose doer has a country:
        # (sentence, depth, trigger index, type, doers)
        self.acts: list[tuple[int, int, int, str, list[Actor]]] = []

    def act(self, frame: Frame) -> None:
        doers = [a for a in frame.sources if a.country is not None]
        if doers and frame.mod.modality in ("asserted", "future"):
            self.acts.append((self.sentence, frame.depth, frame.trigger.i, frame.pattern.type,
                              doers))

    def doer_of(self, noun: Token, event_type: str | None, material: set[str],
                exclude: set[str | None]) -> list[Actor]:
        """Who did the act a definite noun stands for ("condemned the launch", "welcomed
        the decision"): the latest act of the noun's own type within the last few
        sentences; for a noun that names no type ("the move", "the launch"), the main
        material act of the nearest of this sentence and the two before. Its doers must
        have another country than the reacting side's; nothing when no act fits (an
        unknown target beats a wrong one)."""
        if event_type:
            fits = [a for a in self.acts if a[3] == event_type
                    and self.sentence - a[0] <= ACT_REACH and a[2] < noun.i]
            fits = fits[-1:]
        else:
            fits = [a for a in self.acts if a[3] in material
                    and self.sentence - a[0] <= UNTYPED_REACH and a[2] < noun.i]
            nearest = max((a[0] for a in fits), default=None)
            fits = sorted((a for a in fits if a[0] == nearest), key=lambda a: a[1])[:1]
        for _sentence, _depth, _at, _etype, doers in fits:
            text, span = _np_span_text(noun)
            return [dataclasses.replace(a, text=text, span=span) for a in doers
                    if a.country not in exclude][:1]
        return []

    def remember(self, tok: Token, actors: list[Actor]) -> None:
        if not actors or tok.pos_ == "PRON":
            return
        if actors[0].kind == "person":
            self.person = (actors[0], tok.i)
        else:
            self.group = (actors[0], tok.i)

    def recall(self, tok: Token) -> list[Actor]:
        return recall_pronoun(tok, self.person if tok.lower_ in PERSONAL_PRONOUNS
                              else self.group)


class FrameFinder:
    def __init__(self, lex: Lexicon, dictionary: ActorDictionary):
        self.lex = lex
        self.dictionary = dictionary

    # -- argument helpers -----------------------------------------------------------------

    def _resolve(self, tok: Token | None, memory: Memory, reporter: Actor | None) -> list[Actor]:
        if tok is None:
            return []
        if tok.pos_ == "PRON" or tok.lower_ in RELATIVE_PRONOUNS:
            low = tok.lower_
            if low in RELATIVE_PRONOUNS and tok.head.dep_ == "relcl":
                return self._resolve(tok.head.head, memory, reporter)
            # "Hungary said it will ...", "the rebels said they ...": the reporter, when the
            # pronoun fits it (a person for he/she, a group for it/they).
            if reporter is not None and (low in ("i", "we") or (
                    low in PERSONAL_PRONOUNS) == (reporter.kind == "person")):
                return [Actor(text=tok.text, name=reporter.name, country=reporter.country,
                              sector=reporter.sector, span=(tok.idx, tok.idx + len(tok)))]
            return memory.recall(tok)
        actors = resolve_np(tok, self.dictionary)
        memory.remember(tok, actors)
        return actors

    def _subject(self, verb: Token, depth: int = 0) -> Token | None:
        for child in kids(verb):
            if child.dep_ in SUBJECTS:
                if child.dep_ == "csubj" and child.tag_ == "VBG":
                    # "Protesters, carrying placards asking ..., marched": the parser took
                    # the participle clause for the subject; its own subject is the doer.
                    inner = next((g for g in kids(child) if g.dep_ == "nsubj"), None)
                    return inner if inner is not None and is_actor_like(
                        inner, self.dictionary) else None
                return child
        if depth > 3:
            return None
        for conj in verb.conjuncts:  # "donated and delivered": the subject may sit on either
            for child in kids(conj):
                if child.dep_ in SUBJECTS and conj.i > verb.i:
                    return child
        head = verb.head
        infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in kids(verb))
        if verb.dep_ == "relcl" and not infinitive and not any(
                c.dep_ == "nsubjpass" for c in kids(verb)):
            return head
        if verb.dep_ == "pcomp" and head.lower_ in ("of", "for") and head.dep_ == "prep":
            # "accused Moscow of killing civilians": the accused did the killing
            obj = next((c for c in kids(head.head) if c.dep_ == "dobj"), None)
            return obj if obj is not None else self._subject(head.head, depth + 1)
        if verb.dep_ == "acl" and verb.tag_ == "VBN":
            # "children taken to Russia": only an agent names the doer ("a demonstration
            # staged by students")
            return self._agent(verb)
        if verb.dep_ in ("acl", "relcl") and verb.tag_ in ("VBD", "VBZ", "VBP"):
            return head  # "Doctors from two aid groups donated ...": a finite verb misread
        if verb.dep_ == "relcl" and infinitive:
            # "converged for a rally to protest ...": whoever holds the rally
            while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
                head = head.head
            return self._subject(head, depth + 1) if head.pos_ in ("VERB", "AUX") else None
        if verb.dep_ == "xcomp":
            # Object control: "urged Iran to stop" -> Iran stops; "called on X to" -> X.
            if head.lemma_.lower() in self.lex.demand_verbs:
                for child in kids(head):
                    if child.dep_ in ("dobj", "dative"):
                        return child
                    if child.dep_ == "prep" and child.lower_ == "on":
                        for g in kids(child):
                            if g.dep_ == "pobj":
                                return g
            return self._subject(head, depth + 1)
        if verb.dep_ == "acl" and verb.tag_ == "VBG":
            # "protesters demanding reform" -> the protesters; "issued a declaration
            # demanding ..." -> whoever issued it.
            if is_actor_like(head, self.dictionary):
                return head
            if head.dep_ in ("dobj", "pobj") and head.head.pos_ in ("VERB", "ADP"):
                verb_head = head.head if head.dep_ == "dobj" else head.head.head
                return self._subject(verb_head, depth + 1)
            return None
        if verb.dep_ in ("conj", "advcl", "acomp", "ccomp", "acl", "pcomp") or \
                head.pos_ == "ADJ":
            # "entered the town and seized ...", "was ready to host" (ready -> was -> Ankara),
            # "converged for a rally to protest ..." (protest -> rally -> for -> converged)
            while head.pos_ not in ("VERB", "AUX", "ADJ") and head.head.i != head.i:
                head = head.head
            return self._subject(head, depth + 1)
        return None

    def _participle_doers(self, verb: Token) -> Token | None:
        """The bare plural noun after a present participle in an agent phrase, which the
        parser took for the participle's object: "interrupted by protesting legislators"
        (the legislators protest); None otherwise."""
        if verb.tag_ != "VBG" or verb.dep_ != "pcomp" or verb.head.dep_ != "agent":
            return None
        noun = next((c for c in kids(verb) if c.dep_ == "dobj"), None)
        if noun is None or noun.tag_ != "NNS" or noun.i != verb.i + 1 or any(
                c.dep_ == "det" for c in kids(noun)):
            return None
        return noun if is_actor_like(noun, self.dictionary) else None

    @staticmethod
    def _agent(tok: Token) -> Token | None:
        for child in kids(tok):
            if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
                for g in kids(child):
                    if g.dep_ == "pobj":
                        return g
        return None

    def _prep_objects(self, tok: Token, skip: set[str]) -> list[tuple[str, Token]]:
        out = []
        for child in kids(tok):
            # the small model sometimes labels "against" after a "by" phrase an agent
            if (child.dep_ == "prep" or (child.dep_ == "agent" and child.lower_ != "by")) \
                    and child.lower_ in self.lex.target_preps:
                if child.lower_ in skip:
                    continue
                for g in kids(child):
                    if g.dep_ == "pobj":
                        out.append((child.lower_, g))
        order = list(self.lex.target_preps)
        out.sort(key=lambda p: order.index(p[0]) if p[0] in order else 99)
        return out

    def _pick_target(self, candidates: list[Token], memory, reporter,
                     sources: list[Actor] = (), owners: bool = False) -> list[Actor]:
        """The first candidate that is an actor; else the first that names a country; else,
        when ``owners``, the person or group a possessive pronoun of a candidate stands for
        ("refused his request", "suspended his sentence"), if not the doer's own side."""
        def doer(a: Actor) -> bool:
            return any(a.country == s.country and a.name == s.name for s in sources)

        for tok in candidates:
            if is_actor_like(tok, self.dictionary):
                actors = self._resolve(tok, memory, reporter)
                if actors and tok.pos_ == "PRON" and all(doer(a) for a in actors):
                    continue  # "handing them over to the Red Cross": not the doer itself
                if actors:
                    return actors
        for tok in candidates:
            actors = resolve_np(tok, self.dictionary)
            if actors and any(a.country for a in actors):
                return actors
        if not owners:
            return []
        own = {s.country for s in sources}
        for tok in candidates:
            owner = next((c for c in kids(tok) if c.dep_ == "poss"
                          and c.lower_ in POSSESSIVE_PRONOUNS), None)
            if owner is not None and not is_actor_like(tok, self.dictionary):
                actors = self._resolve(owner, memory, reporter)
                if actors and all(a.country and a.country not in own for a in actors):
                    return actors
        return []

    # -- frames ---------------------------------------------------------------------------

    def _verb_pattern(self, verb: Token) -> tuple[Pattern | None, Token | None]:
        lemma = verb.lemma_.lower()
        if lemma not in self.lex.verbs:
            return None, None
        # Past-tense particles often come out as advmod: "stepped down", "pulled back".
        preps = {c.lower_ for c in kids(verb) if c.dep_ in ("prt", "prep")
                 or (c.dep_ == "advmod" and c.lower_ in PARTICLES)}
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in kids(verb))
        obj_toks = [c for c in kids(verb) if c.dep_ in ("dobj", "attr")]
        if verb.dep_ == "acl" and verb.tag_ == "VBN" and not obj_toks:
            # "a lawsuit filed by the Senate against X", "the attack, conducted by the
            # Taliban": the noun a participle describes is what it did
            obj_toks.append(verb.head)
        if passive:
            obj_toks += [c for c in kids(verb) if c.dep_ == "nsubjpass"]
        obj_toks += [c for t in list(obj_toks) for c in t.conjuncts]
        if verb.dep_ == "relcl" and any(t.lower_ in RELATIVE_PRONOUNS for t in obj_toks):
            # "a naval coalition to patrol the Gulf which was joined by Australia": the
            # relative clause may hang on a nearer noun than the one it is about
            obj_toks += _antecedents(verb)
        obj_toks += [e for e in (_event_token(t) for t in obj_toks) if e is not None]
        # the word as written too: the small model lemmatises "arms" to "arm"
        objects = {t.lemma_.lower() for t in obj_toks} | {t.lower_ for t in obj_toks}
        # "took to the streets", "cracked down on protesters": a prep pattern's object
        # may be its preposition's object.
        prep_objects: dict[str, set[str]] = {}
        for c in kids(verb):
            if c.dep_ == "prep":
                prep_objects.setdefault(c.lower_, set()).update(
                    w for g in kids(c) if g.dep_ == "pobj" for w in (g.lemma_.lower(),
                                                                          g.lower_))
        pattern = self.lex.match_verb(lemma, preps, objects, prep_objects,
                                      _complement_words(verb), _controlled(verb))
        if pattern is not None and pattern.light:
            if pattern.prep:  # "engaged in ethnic cleansing", "took part in the protest"
                obj_toks = [g for c in kids(verb) if c.dep_ == "prep"
                            and c.lower_ == pattern.prep for g in kids(c)
                            if g.dep_ == "pobj"] + obj_toks
                obj_toks += [e for e in (_event_token(t) for t in obj_toks) if e is not None]
            for obj in obj_toks:
                noun = self.lex.match_noun(obj.lemma_.lower(), _modifiers(obj))
                if noun is not None:
                    return noun, obj
            # Not an event noun: fall back to a non-light reading of the same verb.
            for p in self.lex.verbs.get(lemma, ()):
                if not p.light and not p.prep and not p.objects and not p.modifiers:
                    return p, None
            return None, None
        return pattern, None

    def frames(self, sent: Span, memory: Memory) -> list[Frame]:
        frames: list[Frame] = []
        consumed: set[int] = set()
        doc, start, end = sent.doc, sent.start, sent.end
        lemmas, deps = doc_column(doc, "lemma"), doc_column(doc, "dep")
        pos, tags = doc_column(doc, "pos"), doc_column(doc, "tag")
        verbs, nouns = self.lex.verbs, self.lex.nouns
        memory.sentence += 1
        # Word lists first (most words trigger nothing); a Token only for a candidate.
        for i in range(start, end):
            if lemmas[i] not in verbs:
                continue
            if pos[i] in ("VERB", "AUX") or (tags[i].startswith("VB") and pos[i] != "AUX"):
                if deps[i] in ("amod", "compound") or (
                        tags[i] == "VBN" and deps[i] in ("dobj", "pobj", "nsubj")):
                    continue  # "wounded prisoners", "evacuated the wounded"
                tok = doc[i]
                pattern, noun = self._verb_pattern(tok)
                if pattern is None or pattern.type == NONE:
                    continue
                if pattern.reported:
                    frame = self._reported_charge(tok, pattern, memory)
                    if frame is not None:
                        frames.append(frame)
                    continue
                frame = self._verb_frame(tok, pattern, noun, memory)
                if pattern.complement and not frame.targets:
                    continue  # "described the situation as dangerous": nobody judged
                if noun is not None:
                    consumed.add(noun.i)
                frames.append(frame)
                memory.act(frame)
        triggers = {f.trigger.i for f in frames}
        for i in range(start, end):
            if pos[i] == "VERB" and i not in triggers:
                frame = self._addressed_demand(doc[i], memory)
                if frame is not None:
                    frames.append(frame)
        for i in range(start, end):
            lemma = lemmas[i]
            if lemma not in nouns or i in consumed or pos[i] not in ("NOUN", "PROPN"):
                continue
            tok = doc[i]
            if deps[i] == "compound" and tok.head.lemma_.lower() not in FRAME_NOUNS:
                continue  # "ceasefire talks", "aid workers": a modifier, not an event
            if pos[i] == "PROPN" and i != start:
                continue  # "March" the month; but the small model tags "Airstrikes" PROPN
            pattern = self.lex.match_noun(lemma, _modifiers(tok))
            if pattern is None or pattern.type == NONE:
                continue
            # "condemned the attack" keeps both; "met for talks" is one event, not two.
            governor = tok.head.head if deps[i] == "pobj" else tok.head
            if deps[i] in ("dobj", "pobj", "attr", "oprd", "nsubjpass") and any(
                    f.trigger == governor and f.pattern.type == pattern.type for f in frames):
                continue
            frame = self._noun_frame(tok, pattern, memory)
            if not (frame.sources or frame.targets or (frame.reporter and
                                                         frame.mod.modality != "asserted")):
                continue  # "the talks", "a ceasefire": nobody named, nothing to code
            frames.append(frame)
            memory.act(frame)
        _inherit_targets(frames)
        # Named people who speak or act in this sentence are what a later "he" means.
        for i in range(start, end):
            if deps[i] != "nsubj":
                continue
            tok = doc[i]
            if tok.ent_type_ == "PERSON" or (
                    (mark := actor_of(tok)) is not None and mark[1].kind == "person"):
                memory.remember(tok, resolve_np(tok, self.dictionary))
        return frames

    def _addressed_demand(self, verb: Token, memory: Memory) -> Frame | None:
        """A speaker telling another actor what it must do: '"They need to stand by us,"
        Erdogan said', "the minister said foreign powers should leave the region". A verb
        with a must/should modal (or "need to") whose subject is an actor other than the
        speaker, in reported speech with a known speaker, is a REQUEST from the speaker to
        that actor (the guideline's demand addressed to an actor). First-person subjects
        ("we must act") and clauses with no speaker are general appeals, not requests."""
        if not any(c.dep_ == "aux" and self.lex.modals.get(c.lower_) == "demanded"
                   for c in kids(verb)) and not (
                verb.lemma_.lower() in self.lex.necessity and any(
                    c.dep_ == "xcomp" for c in kids(verb))):
            return None
        subject = next((c for c in kids(verb) if c.dep_ == "nsubj"), None)
        if subject is None or subject.lower_ in FIRST_PERSON or not is_actor_like(
                subject, self.dictionary):
            return None
        mod = modality_of(verb, self.lex)
        reporter = self._reporter(mod, memory)
        if reporter is None:
            return None
        targets = [a for a in self._resolve(subject, memory, reporter)
                   if not (a.country == reporter.country and a.name == reporter.name)]
        if not targets:
            return None
        kind = event_type(self.lex.recode.demanded)
        pattern = Pattern(lemma=verb.lemma_.lower(), type=kind.type, cameo=kind.cameo)
        return Frame(trigger=verb, pattern=pattern, sources=[reporter], targets=targets,
                     mod=ModalityResult(reporter_verb=mod.reporter_verb), reporter=reporter,
                     depth=_depth(verb, self.lex))

    def _reported_charge(self, verb: Token, pattern: Pattern, memory: Memory) -> Frame | None:
        """A wrong told in someone's words ('Cherry said, "the government are breaking the
        law"', "the minister said the rebels had lied"): the speaker accuses the verb's
        subject. Only an actor subject other than the speaker, and only with a speaker."""
        mod = modality_of(verb, self.lex)
        if mod.modality != "asserted":
            return None  # "would be breaking the law", "did not lie"
        reporter = self._reporter(mod, memory)
        subject = next((c for c in kids(verb) if c.dep_ == "nsubj"), None)
        if reporter is None or subject is None or subject.lower_ in FIRST_PERSON or \
                not is_actor_like(subject, self.dictionary):
            return None
        targets = [a for a in self._resolve(subject, memory, reporter)
                   if not (a.country == reporter.country and a.name == reporter.name)]
        if not targets:
            return None
        return Frame(trigger=verb, pattern=pattern, sources=[reporter], targets=targets,
                     mod=mod, reporter=reporter, depth=_depth(verb, self.lex))

    def _reporter(self, mod: ModalityResult, memory: Memory) -> Actor | None:
        if mod.reporter_verb is None:
            return None
        subj = self._subject(mod.reporter_verb)
        actors = self._resolve(subj, memory, None) if subj is not None else []
        return actors[0] if actors else None

    def _verb_frame(self, verb: Token, pattern: Pattern, noun: Token | None,
                    memory: Memory) -> Frame:
        mod = modality_of(verb, self.lex)
        reporter = self._reporter(mod, memory)
        frame = Frame(trigger=verb, pattern=pattern, noun=noun, mod=mod, reporter=reporter)
        passive = [c for c in kids(verb) if c.dep_ == "nsubjpass"]
        if passive and self._agent(verb) is None and (
                verb.lemma_.lower() in STATIVE_PASSIVES or (pattern.light and pattern.prep)):
            passive, frame.sources = [], self._resolve(passive[0], memory, reporter)
            candidates = [c for c in kids(verb) if c.dep_ in ("dobj", "dative")]
        elif passive:
            agent = self._agent(verb)
            frame.sources = self._resolve(agent, memory, reporter)
            candidates = [] if noun is not None and noun in passive else passive
        doers = self._participle_doers(verb)
        if doers is not None and not passive and not frame.sources:
            # "interrupted by protesting legislators": the participle describes its
            # noun, which does the act
            frame.sources = self._resolve(doers, memory, reporter)
            if frame.sources:
                frame.depth = _depth(verb, self.lex)
                return frame
        if not passive and not frame.sources:
            frame.sources = self._resolve(self._subject(verb), memory, reporter)
            if verb.dep_ == "acl":  # "drones launched by Russia at Ukraine"
                frame.sources = frame.sources or self._resolve(self._agent(verb), memory,
                                                               reporter)
            candidates = [c for c in kids(verb)
                          if c.dep_ in ("dobj", "dative") and c != noun]
        objects = [c for c in kids(verb) if c.dep_ == "dobj"]
        objects += [c for o in list(objects) for c in o.conjuncts]
        via_object = [t for o in objects for p, t in self._prep_objects(o, {"by", "of"})
                      if p in ("at", "on", "against", "toward", "towards", "into")]
        # "rejected calls by Belarus", "dismissed an appeal from the president": the
        # author of the rejected proposal is the target.
        authors = [g for o in objects if o.lemma_.lower() in SPEECH_NOUNS for c in kids(o)
                   for g in ([c] if c.dep_ == "poss" else kids(c) if c.dep_ == "prep"
                             and c.lower_ in ("by", "from", "of") else []) if g.dep_ != "case"]
        candidates = authors + via_object + candidates
        if pattern.complement:
            # "called Trump's conduct a breach", "ruled the government's practice is
            # unlawful": the one judged, or the owner of the act judged.
            candidates = _judged(verb)
            candidates += [c for t in candidates for c in kids(t) if c.dep_ == "poss"]
        candidates += [t for _, t in self._prep_objects(verb, {"by"})]
        # "demanded that the US cancel the sale": the subject of the demanded clause.
        candidates += [g for c in kids(verb) if c.dep_ == "ccomp"
                       for g in kids(c) if g.dep_ in ("nsubj", "nsubjpass")]
        if noun is not None:
            noun_sources, noun_targets = self._noun_arguments(noun, memory, reporter)
            frame.sources = frame.sources or noun_sources
            if noun_targets:
                frame.targets = noun_targets
        if not frame.targets:
            frame.targets = self._pick_target(candidates, memory, reporter, frame.sources,
                                              owners=True)
        if not frame.targets:
            frame.targets = self._answered(verb, pattern, frame.sources, memory)
        frame.depth = _depth(verb, self.lex)
        return frame

    def _answered(self, verb: Token, pattern: Pattern, sources: list[Actor],
                  memory: Memory) -> list[Actor]:
        """The target of a verbal reaction to an act told before: "Japan condemned the
        launch", "the opposition rejected the offer", "the operation was condemned" aim
        at whoever launched, offered or operated (``Memory.doer_of``)."""
        if not sources or quad_class(pattern.type) not in VERBAL_QUADS or (
                pattern.type in types_with("symmetric") and len(sources) > 1):
            return []
        passive = any(c.dep_ == "nsubjpass" for c in kids(verb))
        obj = next((c for c in kids(verb) if c.dep_ == ("nsubjpass" if passive else "dobj")),
                   None)
        if obj is None or obj.pos_ != "NOUN" or is_actor_like(obj, self.dictionary) or not any(
                c.dep_ == "det" and c.lower_ in DEFINITE for c in kids(obj)):
            return []
        if any(a.country for a in resolve_np(obj, self.dictionary)) or any(
                c.dep_ in ("poss", "prep", "compound", "amod", "relcl", "acl")
                and c.pos_ != "ADJ" for c in kids(obj)):
            return []  # "Russia's attack", "the attack on the convoy": said here, if at all
        named = self.lex.match_noun(obj.lemma_.lower(), _modifiers(obj))
        event_type = named.type if named is not None and named.type != NONE else None
        material = {t for t in type_names() if quad_class(t) not in VERBAL_QUADS}
        return memory.doer_of(obj, event_type, material, {a.country for a in sources})

    def _victims(self, noun: Token, memory: Memory, reporter: Actor | None) -> list[Actor]:
        """Who was hurt by an attack named as a noun: the subject of a verb of harm whose
        circumstance or object the noun is ("Dozens died in the attack", "four were injured
        in the shooting", "the minister survived the attack")."""
        verb = _victim_verb(noun, self.lex)
        if verb is None:
            return []
        subject = next((c for c in kids(verb) if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None:
            return []
        victims = self._pick_target([subject], memory, reporter)
        if not victims and subject.pos_ == "PROPN" and subject.ent_type_ in ("", "PERSON"):
            # a named person the dictionaries do not know ("Wiranto survived the attack")
            start = min(t.i for t in subject.subtree if t.dep_ in ("compound", "flat")
                        or t == subject)
            span = subject.doc[start:subject.i + 1]
            victims = [Actor(text=span.text, name=span.text, span=(span.start_char,
                             span.end_char), kind="person")]
        if not victims and (subject.like_num or subject.lemma_.lower() in COUNT_WORDS):
            # "Dozens died in the attack", "four of the guests were injured": counted
            # people, civilians unless the text says more (as ``counted_victims``)
            start = min(t.i for t in subject.subtree)
            span = subject.doc[start:max(t.i for t in subject.subtree) + 1]
            victims = [Actor(text=span.text, name=None, country=None, sector="CVL",
                             span=(span.start_char, span.end_char), kind="victim")]
        return victims

    def _noun_arguments(self, noun: Token, memory: Memory, reporter: Actor | None):
        sources: list[Actor] = []
        owners: list[Actor] = []
        for child in kids(noun):
            if child.dep_ == "poss":
                owners = self._resolve(child, memory, reporter)
        if noun.lemma_.lower() in self.dictionary.patient_nouns:
            # "his arrest", "the journalist's murder": the possessor undergoes the act
            sources, possessed = [], owners
        else:
            sources, possessed = owners, []
        if not sources:
            sources = self._resolve(self._agent(noun), memory, reporter)
        if not sources:
            for child in kids(noun):
                # "Russian airstrikes", "a Ukrainian drone attack": the modifier is the doer.
                mark = actor_of(child)
                if child.dep_ in ("amod", "compound") and mark is not None:
                    m_span, info = mark
                    sources = [Actor(text=m_span.text, name=info.name if info.kind != "demonym"
                                     else None, country=info.country, sector=info.sector
                                     if info.kind not in ("country", "demonym") else None,
                                     span=(m_span.start_char, m_span.end_char))]
                    break
        targets: list[Actor] = []
        preps = self._prep_objects(noun, {"by"})
        for prep, obj in preps:
            if prep == "between":
                parties = self._resolve(obj, memory, reporter)
                if parties and not sources:
                    sources, targets = parties[:1], parties[1:]
                elif parties:
                    targets = parties
                break
        if not targets:
            targets = possessed or self._pick_target([t for _, t in preps], memory, reporter)
        return sources, targets

    def _noun_frame(self, noun: Token, pattern: Pattern, memory: Memory) -> Frame:
        # "a mediation effort between A and B": the arguments hang on "effort".
        holder = noun.head if noun.dep_ == "compound" else noun
        mod = modality_of(holder, self.lex)
        reporter = self._reporter(mod, memory)
        sources, targets = self._noun_arguments(holder, memory, reporter)
        if not sources and holder.dep_ == "pobj" and holder.head.lower_ in ("for", "to"):
            # "negotiators returned to Geneva for talks": the travellers hold the talks
            verb = holder.head.head
            if verb.pos_ in ("VERB", "AUX"):
                sources = self._resolve(self._subject(verb), memory, reporter)
        if not sources and holder.dep_ == "pobj" and holder.head.lower_ in ("into", "in") \
                and quad_class(pattern.type) in COOPERATIVE_QUADS:
            # "entered into an agreement with X", "took part in talks": whoever does the
            # verb holds the talks or the agreement (not for violence: "killed in an attack")
            verb = holder.head.head
            if verb.pos_ == "VERB" and not any(c.dep_ == "nsubjpass" for c in kids(verb)):
                sources = self._resolve(self._subject(verb), memory, reporter)
        if not targets and pattern.type in types_with("casualties"):
            targets = self._victims(holder, memory, reporter)
        if not sources and noun.dep_ in ("dobj", "pobj") and noun.head.pos_ == "VERB":
            pass  # the verb's subject did something *about* the event, not the event itself
        return Frame(trigger=noun, pattern=pattern, noun=noun, sources=sources, targets=targets,
                     mod=mod, reporter=reporter, depth=_depth(noun, self.lex) + 1)


def _antecedents(relcl: Token) -> list[Token]:
    """The nouns a relative clause may be about: the noun it hangs on, and the nouns above
    that one, up to a clause boundary ("a coalition to patrol the Gulf which ...")."""
    out, tok = [], relcl.head
    for _ in range(4):
        if tok.pos_ in ("NOUN", "PROPN"):
            out.append(tok)
        elif tok.dep_ not in ("relcl", "acl", "prep") or tok.pos_ not in ("VERB", "ADP"):
            break
        if tok.head.i == tok.i:
            break
        tok = tok.head
    return out


def _victim_verb(noun: Token, lex: Lexicon) -> Token | None:
    """The verb that tells what an attack did to someone: "died in the attack", "were
    injured in the shooting", "suffered wounds in the attack", "survived the attack"."""
    verb = None
    if noun.dep_ == "pobj" and noun.head.lower_ in ("in", "during") and \
            noun.head.dep_ == "prep":
        verb = noun.head.head
        if verb.pos_ == "NOUN" and verb.dep_ == "dobj":  # "suffered wounds in the attack"
            verb = verb.head
    elif noun.dep_ == "dobj":
        verb = noun.head
    if verb is None or verb.pos_ != "VERB" or verb.lemma_.lower() not in lex.victim_verbs:
        return None
    return verb


def _inherit_targets(frames: list[Frame]) -> None:
    """A demand, threat, refusal or promise is aimed at whoever its embedded act is aimed
    at: "threatened to break relations with Russia" -> Russia; "demanded that the US
    cancel the sale" -> the US (the subject of the demanded clause)."""
    by_trigger = {f.trigger.i: f for f in frames}
    for child in frames:
        if child.nominal:
            continue
        parent = None
        tok = child.trigger
        for _ in range(3):  # through xcomp/ccomp/advcl links only
            if tok.dep_ not in ("xcomp", "ccomp", "advcl", "conj") or tok.head.i == tok.i:
                break
            tok = tok.head
            if tok.i in by_trigger:
                parent = by_trigger[tok.i]
                break
        if parent is None or parent.targets:
            continue
        targets = child.targets
        if not targets and child.trigger.dep_ == "ccomp" and child.sources:
            targets = child.sources  # "demanded that Hamas renounce ..." -> Hamas
        parent_countries = {a.country for a in parent.sources}
        parent.targets = [a for a in targets if a.country is None
                          or a.country not in parent_countries] or []


# Links to what a judging verb says of its object: "called it *a disgrace*", "ruled (that)
# the law *was unconstitutional*", "found the advice *unlawful*".
COMPLEMENTS = ("oprd", "xcomp", "ccomp", "acomp", "attr")


def _complement_words(verb: Token) -> set[str]:
    """Lemmas and lower-case forms of the words that say what the verb's object is: its
    complement (oprd, xcomp, the predicate of a that-clause), an "as" phrase ("named them
    as terrorists") and the apposition or adjective on its object ("called the bombing
    an act of barbarity", "found unconstitutional a 2005 law")."""
    spans: list[Token] = []
    double = any(c.dep_ == "dative" for c in kids(verb))
    for child in kids(verb):
        if child.dep_ in ("oprd", "xcomp", "acomp", "attr") or (double and child.dep_ == "dobj"):
            spans.append(child)  # "branded [the PKK] a terrorist organisation": two objects
        elif child.dep_ == "ccomp":
            for head in [child, *child.conjuncts]:
                spans += [head] if head.pos_ not in ("AUX", "VERB") else [
                    g for g in kids(head) if g.dep_ in COMPLEMENTS]
        elif child.dep_ == "conj" and child.lemma_ == "be" and not any(
                g.dep_ in ("nsubj", "nsubjpass") for g in kids(child)):
            # "ruled the practice ... is unconstitutional" misread as two conjoined verbs
            spans += [g for g in kids(child) if g.dep_ in COMPLEMENTS]
        elif child.dep_ == "prep" and child.lower_ == "as":
            spans += [g for g in kids(child) if g.dep_ == "pobj"]
        elif child.dep_ == "dobj":
            spans += [g for g in kids(child) if g.dep_ in ("appos", "amod")]
    words: set[str] = set()
    for head in spans:
        for tok in head.subtree:
            words.update((tok.lemma_.lower(), tok.lower_))
    return words


def _judged(verb: Token) -> list[Token]:
    """Who or what a judging verb judges: its (first) object ("named the PKK as terrorists",
    "branded the PKK a terrorist group"), the subject of its that-clause ("ruled the
    practice is unlawful"), the passive subject ("was found guilty") or the noun its
    complement holds ("called May's deal lousy")."""
    out = [c for c in kids(verb) if c.dep_ in ("dative", "dobj", "nsubjpass")]
    for child in kids(verb):
        if child.dep_ in ("ccomp", "oprd", "xcomp"):
            out += [g for g in kids(child) if g.dep_ in ("nsubj", "nsubjpass", "npadvmod",
                                                          "poss")]
    return out + [c for t in list(out) for c in t.conjuncts]


def _controlled(verb: Token) -> bool:
    """The verb has an object (or a prepositional one) and a to-infinitive whose doer that
    object is: "asked the court to delay", "counted on Turkey to act". Not a gerund after a
    preposition: "blamed him for encouraging farmers to burn" tells what he is blamed for."""
    if verb.dep_ == "pcomp":
        return False
    infinitive = any(c.dep_ in ("xcomp", "advcl") and c.pos_ in ("VERB", "AUX") and any(
        g.dep_ == "aux" and g.lower_ == "to" for g in kids(c)) for c in kids(verb))
    if not infinitive:
        return False
    return any(c.dep_ in ("dobj", "dative") or (c.dep_ == "prep" and any(
        g.dep_ == "pobj" for g in kids(c))) for c in kids(verb))


def _event_token(tok: Token) -> Token | None:
    """The word that names the event behind a measure or frame noun, if any."""
    for _ in range(3):
        lemma = tok.lemma_.lower()
        nxt = None
        if lemma in MEASURE_NOUNS or tok.like_num:
            nxt = next((g for c in kids(tok) if c.dep_ == "prep" and c.lower_ == "of"
                        for g in kids(c) if g.dep_ == "pobj"), None)
        if nxt is None and lemma in FRAME_NOUNS:
            nxt = next((c for c in kids(tok) if c.dep_ == "compound"), None)
        if nxt is None:
            return None if _ == 0 else tok
        tok = nxt
    return tok


def _modifiers(tok: Token) -> set[str]:
    return {c.lemma_.lower() for c in kids(tok) if c.dep_ in ("compound", "amod", "nmod")} | {
        c.lower_ for c in kids(tok) if c.dep_ in ("compound", "amod", "nmod")
    }


def _depth(tok: Token, lex: Lexicon) -> int:
    """Distance from the sentence root, not counting reporting verbs ("said that ...")."""
    depth = 0
    for anc in tok.ancestors:
        if anc.lemma_.lower() not in lex.report_verbs:
            depth += 1
    return depth
