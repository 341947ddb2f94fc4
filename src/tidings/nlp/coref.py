"""Pronouns: "he", "she", "they" and "it" resolved to an agreeing actor of the same sentence
or the one before, else left unresolved (an unknown actor beats a wrong one).

Two sources of antecedents, nearest first: actors the event frames of the sentence and
the one before resolved (``events.Memory``: groups such as "Russian officials" are no
named entity), and the document entities (``tidings.nlp.entities``) mentioned there, which
also cover sentences that carry no event.
"""

from __future__ import annotations

from spacy.tokens import Token

from tidings.model import Actor
from tidings.nlp.actors import STATE
from tidings.nlp.entities import antecedent, window_start


def recall_pronoun(tok: Token, remembered: tuple[Actor, int] | None) -> list[Actor]:
    """The actor a pronoun refers to, as an Actor spanning the pronoun; [] if none."""
    start = window_start(tok)
    entity = antecedent(tok)
    if remembered is not None and start <= remembered[1] < tok.i:
        actor, at = remembered
        mention = entity.mentions[-1][0] if entity is not None else -1
        if entity is None or at >= mention or actor.country is not None:
            return [_at(tok, actor.name, actor.country, actor.sector, actor.entity,
                        actor.kind)]
    if entity is not None and (entity.country is not None or entity.sector is not None):
        # "Nigeria said it would join": a country the pronoun stands for acts as the state
        kind = STATE if entity.kind == "country" and entity.sector is None else None
        return [_at(tok, entity.name, entity.country, entity.sector, entity.id, kind)]
    return []


def _at(tok: Token, name, country, sector, entity, kind=None) -> Actor:
    return Actor(text=tok.text, name=name, country=country, sector=sector,
                 span=(tok.idx, tok.idx + len(tok)), entity=entity, kind=kind)


def role_antecedent(tok: Token, dictionary=None):
    """The person a definite role noun stands for ("the minister", "the Conservative
    leader"): the one person entity of this sentence (before it) or the previous one that
    agrees with the phrase's country or party, if exactly one does; else None."""
    from tidings.nlp.actors import SINGULAR_PERSON_NOUNS, actor_of

    children = kids_of(tok)
    if tok.tag_ in ("NN", "VBN") and dictionary is not None and any(
            c.dep_ == "det" and c.lower_ == "the" for c in children) and \
            dictionary.sector_of(tok) == "CRM" and not any(
            c.dep_ in ("appos", "poss", "compound", "amod")
            or c.dep_ == "prep" and c.lower_ in ("of", "from") for c in children):
        return suspect_antecedent(tok)
    if tok.tag_ != "NN" or tok.lemma_.lower() not in SINGULAR_PERSON_NOUNS:
        return None
    if not any(c.dep_ == "det" and c.lower_ == "the" for c in children):
        return None
    if any(c.pos_ == "PROPN" and actor_of(c) is None for c in children) or \
            any(c.dep_ in ("appos", "prep") for c in children):
        return None  # "the minister, Ana Brnabić", "the head of the SBU": named elsewhere
    stated = {mark[1].country for c in children if (mark := actor_of(c)) is not None}
    start = window_start(tok)
    found = {}
    for ent in tok.doc._.entities or []:
        if ent.kind != "person":
            continue
        if stated and ent.country not in stated:
            continue
        if any(start <= a < tok.i for a, _b in ent.mentions):
            found[ent.id] = ent
    return next(iter(found.values())) if len(found) == 1 else None


def suspect_antecedent(tok: Token):
    """The person "the accused", "the suspect" or "the gunman" stands for: the one person
    named earlier in the document who holds no office (no sector, or a criminal one);
    None when there are none or several."""
    found = {ent.id: ent for ent in tok.doc._.entities or []
             if ent.kind == "person" and ent.sector in (None, "CRM")
             and any(a < tok.i for a, _b in ent.mentions)}
    return next(iter(found.values())) if len(found) == 1 else None


def kids_of(tok: Token):
    from tidings.nlp import kids

    return kids(tok)
