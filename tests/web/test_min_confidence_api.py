"""GET /api/events?min_confidence=..."""

from __future__ import annotations

import pytest


@pytest.mark.slow
def test_api_events_min_confidence(client):
    every = client.get("/api/events?limit=1000").json()["events"]
    assert client.get("/api/events?min_confidence=1.5").status_code == 422
    if not every:
        pytest.skip("the web corpus has no events")
    values = sorted({e["confidence"] for e in every})
    if len(values) < 2:
        pytest.skip("one confidence value only")
    k = len(values) // 2
    cut = (values[k - 1] + values[k]) / 2  # between two stored values: no rounding ties
    some = client.get(f"/api/events?limit=1000&min_confidence={cut}").json()["events"]
    assert some and all(e["confidence"] >= cut for e in some)
    assert len(some) == sum(e["confidence"] >= cut for e in every)
