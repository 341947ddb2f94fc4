"""Filtering events by the event model's calibrated confidence (CLI and API).

``confidence`` is calibrated on held-out data (docs/model.md): of the events with
confidence near 0.7, about 70 % are right. ``DEFAULT_MIN_CONFIDENCE`` is what every entry
point that codes keeps unless told otherwise (`tidings code`, `classify`, `ingest`, `watch`,
`retry-failed`, `batch`, and ``POST /api/documents``; ``tidings.runs`` applies it): it favours
precision, being the cut with the best F0.5 (precision weighted twice) on the gold dev
split when the model was trained (docs/model.md lists each cut's precision and recall).
0 keeps everything the model calls an event.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def _packaged_default() -> float:
    """The cut chosen when the shipped model was tuned (best F0.5 on the gold dev split),
    read from the model's meta.json; 0 without a model."""
    import json
    from importlib import resources

    try:
        meta = resources.files("tidings.data").joinpath("model/event/meta.json").read_text(
            encoding="utf-8")
        return float(json.loads(meta).get("min_confidence", 0.0))
    except (OSError, ValueError):
        return 0.0


DEFAULT_MIN_CONFIDENCE = _packaged_default()


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
