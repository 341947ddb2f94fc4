"""Modality: did the event happen, or is it denied, intended, demanded or conditional?

The coder walks from an event's trigger up the dependency tree through clausal links and
stops at the first decisive cue (the innermost one): a negator, a modal, a refusal, demand
or intent verb, a necessity word, or a condition ("if ..."). Reporting verbs ("said") are
transparent: they set the event's reporter and the walk goes on.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from tidings.nlp import kids
from tidings.nlp.lexicon import Lexicon

# Links through which a verb or noun inherits the modality of what governs it.
CLAUSAL = {"xcomp", "ccomp", "advcl", "conj", "dobj", "pobj", "prep", "nsubjpass", "nsubj",
           "attr", "oprd", "acomp", "csubj", "parataxis", "appos", "pcomp", "dative"}  # fmt: skip
# The subject of a clause of its own.
OWN_SUBJECTS = {"nsubj", "nsubjpass", "expl"}


@dataclass
class ModalityResult:
    modality: str = "asserted"
    cue: Token | None = None  # the word that decided it
    governor: Token | None = None  # the refusal / demand / intent verb that governs the event
    reporter_verb: Token | None = None  # "said" in "X said that ..."


def _own_cue(tok: Token, lex: Lexicon, under_report: bool) -> tuple[str, Token] | None:
    """Cues attached directly to one predicate: negation, modal, condition, necessity."""
    children = list(kids(tok))
    for child in children:
        low = child.lower_
        if child.dep_ == "neg" or (low in lex.negators and child.dep_ in ("advmod", "det")):
            return "negated", child
    for child in children:
        if child.dep_ == "aux" and child.lower_ in lex.modals:
            value = lex.modals[child.lower_]
            # "said it would attack": in reported speech "would" is the past of "will".
            reported = under_report or (tok.dep_ in ("ccomp", "parataxis")
                                        and tok.head.lemma_.lower() in lex.report_verbs)
            if reported and value == "hypothetical" and child.lower_ == "would":
                value = "future"
            return value, child
        if child.dep_ == "aux" and child.lemma_ == "go" and tok.tag_ == "VB":
            return "future", child  # "is going to attack"
    for child in children:
        if child.dep_ == "advcl" and any(
            g.dep_ == "mark" and g.lower_ in lex.condition_marks for g in kids(child)
        ):
            return "conditional", child
        if child.dep_ == "mark" and child.lower_ in lex.condition_marks and tok.dep_ == "advcl":
            return "conditional", child
        if child.dep_ == "amod" and child.lower_ in lex.future_adjectives:
            return "future", child
    if tok.lemma_.lower() in lex.necessity or tok.lower_ in lex.necessity:
        return "demanded", tok
    return None


def modality_of(trigger: Token, lex: Lexicon) -> ModalityResult:
    """Walk from the trigger to the root: the innermost cue decides the modality; the walk
    goes on only to find a reporting verb ("X said it would ...") for the reporter."""
    result = ModalityResult()
    decided = False
    tok = trigger
    under_report = False
    # below a subordinate clause with a subject of its own: the main clause's negation is
    # not this event's ("While the House confirmed her, the Senate did not")
    own_clause = False
    for _ in range(12):  # parse trees are shallow; the bound guards against odd parses
        if not decided:
            cue = _own_cue(tok, lex, under_report)
            if cue is not None and not (tok != trigger and cue[0] == "negated" and (
                    own_clause or tok.lemma_.lower() in lex.report_verbs)):
                result.modality, result.cue = cue
                result.governor = tok if tok != trigger else None
                decided = True
        if tok.dep_ == "ROOT" or tok.head.i == tok.i:
            # '"..., sanctions are needed," an official said': the reporting verb hangs
            # below the quoted clause's root.
            for child in kids(tok):
                if (child.dep_ in ("parataxis", "ccomp", "advcl") and child.i > trigger.i
                        and child.lemma_.lower() in lex.report_verbs):
                    result.reporter_verb = child
                    break
            return result
        if tok.dep_ not in CLAUSAL:
            return result
        if tok.dep_ == "advcl" and any(c.dep_ in OWN_SUBJECTS for c in kids(tok)):
            own_clause = True
        if tok.dep_ == "conj" and any(c.dep_ in OWN_SUBJECTS for c in kids(tok)):
            # "the land should be opened up, and his critics blame him": a conjoined clause
            # with a subject of its own does not share the first clause's modal, demand or
            # intent; the walk goes on only for a reporting verb.
            decided = True
        head = tok.head
        lemma = head.lemma_.lower()
        if head.pos_ in ("VERB", "AUX", "ADJ", "NOUN") and head != trigger:
            if lemma in lex.report_verbs and tok.dep_ in ("ccomp", "parataxis", "xcomp",
                                                           "advcl"):
                result.reporter_verb = head
                return result
            if not decided:
                found = _governing_cue(head, tok, lemma, lex)
                if found is not None:
                    result.modality, result.cue, result.governor = found, head, head
                    decided = True
        tok = head
    return result


def _governing_cue(head: Token, child: Token, lemma: str, lex: Lexicon) -> str | None:
    """What a governing refusal, demand or intent word makes of the event below it."""
    particles = [c.lower_ for c in kids(head) if c.dep_ in ("prt", "advmod", "prep")]
    if lemma in lex.refuse_verbs or any(f"{lemma} {p}" in lex.refuse_verbs for p in particles):
        # "did not rule out a meeting": a denied refusal leaves the event possible.
        if any(c.dep_ == "neg" for c in kids(head)):
            return "hypothetical"
        return "negated"
    if lemma in lex.demand_verbs:
        return "demanded"
    if lemma in lex.intent_verbs and child.dep_ in ("xcomp", "ccomp", "dobj", "pobj", "prep",
                                                     "pcomp"):
        return "future"
    return None
