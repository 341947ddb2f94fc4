"""The main event of an article: the one a single-label scheme reports for the text.

The coder ranks every event as it makes them (``main_rank``) and marks the best
(``mark_main``); ``main_event`` reads the mark. The rank: an asserted act before a
conditional or hypothetical one (a threat, demand or refusal about an intended act counts
as asserted: it is itself an act), then the shallower clause, a verb before a noun, the
earlier sentence and the earlier word. A negated event is never the main one.
"""

from __future__ import annotations

from tidings.model import CodedArticle, Event

MODALITY_RANK = {"asserted": 0, "future": 0, "demanded": 0, "conditional": 1,
                 "hypothetical": 1, "negated": 2}  # fmt: skip
NEVER_MAIN = 2  # this modality rank and above


def main_rank(event: Event, depth: int, nominal: bool, sentence: int) -> tuple:
    """depth: how deep the event's clause is embedded (0 = main clause); nominal: named
    by a noun; sentence: index of its sentence."""
    modality_rank = 0 if event.intended_type else MODALITY_RANK.get(event.modality, 3)
    return (modality_rank, depth, nominal, sentence, event.trigger_span[0])


def mark_main(ranked: list[tuple[tuple, Event]]) -> Event | None:
    """Mark the best-ranked event of one article as its main event and return it."""
    if not ranked:
        return None
    rank, event = min(ranked, key=lambda item: item[0])
    if rank[0] >= NEVER_MAIN:
        return None
    event.main = True
    return event


def main_event(coded: CodedArticle) -> Event | None:
    return next((e for e in coded.events if e.main), None)
