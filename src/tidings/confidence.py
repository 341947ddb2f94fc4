"""Filtering events by the event model's calibrated confidence (CLI and API).

``confidence`` is calibrated on held-out data (docs/model.md): of the events with
confidence near 0.7, about 70 % are right. ``DEFAULT_MIN_CONFIDENCE`` is what `tidings code`
and `tidings ingest` keep unless told otherwise: it favours precision, dropping the events
the model is least sure of (docs/model.md gives the precision and share of events kept at
each threshold). 0 keeps everything the model calls an event.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

DEFAULT_MIN_CONFIDENCE = 0.5


def check_min_confidence(value: float | None) -> float | None:
    if value is not None and not 0.0 <= value <= 1.0:
        raise ValueError(f"min_confidence must be between 0 and 1, not {value}")
    return value


def filter_confidence(events: Iterable[Any], min_confidence: float | None) -> list[Any]:
    """Events (objects or dicts) whose confidence is at least ``min_confidence``."""
    check_min_confidence(min_confidence)
    if not min_confidence:
        return list(events)
    return [e for e in events if ((e.get("confidence") if isinstance(e, dict)
                                   else e.confidence) or 0.0) >= min_confidence]
