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
from tidings.nlp.entities import antecedent, window_start


def recall_pronoun(tok: Token, remembered: tuple[Actor, int] | None) -> list[Actor]:
    """The actor a pronoun refers to, as an Actor spanning the pronoun; [] if none."""
    start = window_start(tok)
    entity = antecedent(tok)
    if remembered is not None and start <= remembered[1] < tok.i:
        actor, at = remembered
        mention = entity.mentions[-1][0] if entity is not None else -1
        if entity is None or at >= mention or actor.country is not None:
            return [_at(tok, actor.name, actor.country, actor.sector, actor.entity)]
    if entity is not None and (entity.country is not None or entity.sector is not None):
        return [_at(tok, entity.name, entity.country, entity.sector, entity.id)]
    return []


def _at(tok: Token, name, country, sector, entity) -> Actor:
    return Actor(text=tok.text, name=name, country=country, sector=sector,
                 span=(tok.idx, tok.idx + len(tok)), entity=entity)
