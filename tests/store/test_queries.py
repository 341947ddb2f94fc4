"""NUL characters, failure bookkeeping, quotes by speaker, events near a place, status."""

from __future__ import annotations

import math
import random

import pytest
from sqlalchemy import select

from tidings.model import Actor, Article, CodedArticle, Entity, Event, Place, Quote, Rejected
from tidings.runs import store_coded
from tidings.store import Store, geo
from tidings.store import schema as db

KYIV = (50.4501, 30.5234)
PLACES = {  # name: (lat, lon); distances from Kyiv in the test names
    "Kyiv": KYIV,
    "Brovary": (50.5113, 30.7903),  # ~20 km
    "Chernihiv": (51.5055, 31.2849),  # ~130 km
    "Kharkiv": (49.9935, 36.2304),  # ~410 km
}


def doc(doc_id: str, text: str, events=(), quotes=(), published="2025-06-02") -> CodedArticle:
    art = Article(text=text, id=doc_id, title=f"T {doc_id}", published=published, origin=doc_id)
    return CodedArticle(article=art, events=list(events), quotes=list(quotes))


def placed(eid: str, where: str | None) -> Event:
    loc = None
    if where:
        lat, lon = PLACES[where]
        loc = Place(name=where, country="UKR", lat=lat, lon=lon, text=where, span=(0, 4))
    return Event(id=eid, event_type="ASSAULT", cameo="190", location=loc)


def test_nul_characters_become_spaces_and_spans_stay_valid(store: Store) -> None:
    text = "Russian forces\x00 shelled Kharkiv.\x00"
    e = Event(id="n1", event_type="ASSAULT", cameo="190", sentence=text, trigger="shelled",
              trigger_span=(16, 23),
              source=Actor("Russian forces\x00", country="RUS", span=(0, 15)))
    c = doc("nul", text, [e])
    c.entities = [Entity("Kharkiv\x00", "GPE", (24, 32))]
    assert store_coded([c], store).stored == 1
    with store.engine.connect() as conn:
        stored = conn.scalar(select(db.documents.c.text))
    assert stored == text.replace("\x00", " ") and len(stored) == len(text)
    [got] = store.events()
    assert "\x00" not in got["sentence"] and got["source"]["text"] == "Russian forces "
    assert stored[slice(*got["trigger_span"])] == "shelled"
    # the same text, NULs and all
    assert store_coded([doc("nul-again", text)], store).duplicates == 1
    assert store.has_article(Article(text=text))
    store.record_error(Rejected("bin\x00.txt", "binary", "NUL\x00 bytes"))
    assert store.errors()[0]["detail"] == "NUL  bytes"


def test_the_same_failure_is_recorded_once_until_resolved(store: Store) -> None:
    assert store.record_error(Rejected("a.jsonl:3", "malformed_json", "x")) is True
    assert store.record_error(Rejected("a.jsonl:3", "malformed_json", "x")) is False
    assert store.record_error(Rejected("a.jsonl:3", "missing_text", "y")) is True
    assert store.record_error(Rejected("b.txt", "empty")) is True
    first = store.errors()[0]["id"]
    assert store.resolve_errors([first]) == 1
    assert store.resolve_errors([first]) == 0  # already resolved: its timestamp is kept
    rows = store.errors()
    assert len(rows) == 3 and rows[0]["resolved_at"] is not None
    assert [r["origin"] for r in store.errors(open_only=True)] == ["a.jsonl:3", "b.txt"]
    assert store.summary()["errors_by_reason"] == {"empty": 1, "missing_text": 1}
    # once resolved, the same failure met again is a new row
    assert store.record_error(Rejected("a.jsonl:3", "malformed_json", "x")) is True
    assert len(store.errors()) == 4


def test_quotes_by_speaker(store: Store) -> None:
    fidan = Actor("Fidan", name="Hakan Fidan", country="TUR", sector="GOV")
    store_coded([doc("q1", "x" * 80, quotes=[
        Quote("We want peace", (10, 23), speaker="Fidan", speaker_actor=fidan),
        Quote("No talks", (40, 48), speaker="a senior EU official")], published="2025-06-03"),
        doc("q2", "y" * 80, quotes=[Quote("100%_sure", (0, 9), speaker="Hakan Fidan")],
            published="2025-06-01")], store)
    assert [q["text"] for q in store.quotes()] == ["100%_sure", "We want peace", "No talks"]
    assert [q["text"] for q in store.quotes(speaker="fidan")] == ["100%_sure", "We want peace"]
    assert [q["text"] for q in store.quotes(speaker="HAKAN")] == ["100%_sure", "We want peace"]
    assert [q["text"] for q in store.quotes(speaker="EU off")] == ["No talks"]
    assert store.quotes(speaker="%") == [] and store.quotes(speaker="_") == []  # literal
    [q] = store.quotes(speaker="fidan", limit=1)
    assert (q["document_id"], q["published"], q["title"], q["span"]) == (
        "q2", "2025-06-01", "T q2", [0, 9])
    assert store.quotes(speaker="a senior")[0]["speaker_actor"] is None
    assert store.quotes(speaker="peace") == []  # matches the speaker, not the quote text


def test_events_near_a_place(store: Store) -> None:
    store_coded([doc("g1", "one", [placed("kyiv", "Kyiv"), placed("brovary", "Brovary"),
                                   placed("nowhere", None)]),
                 doc("g2", "two", [placed("chernihiv", "Chernihiv"),
                                   placed("kharkiv", "Kharkiv")])], store)
    near = store.events(near=KYIV, radius_km=50)
    assert sorted(e["id"] for e in near) == ["brovary", "kyiv"]
    assert {e["id"]: e["distance_km"] for e in near}["kyiv"] == 0.0
    assert 15 < {e["id"]: e["distance_km"] for e in near}["brovary"] < 25
    assert sorted(e["id"] for e in store.events(near=KYIV, radius_km=150)) == [
        "brovary", "chernihiv", "kyiv"]
    assert len(store.events(near=KYIV, radius_km=500)) == 4  # never the unplaced event
    assert len(store.events(near=KYIV, radius_km=500, limit=2)) == 2
    assert store.events(near=KYIV, radius_km=10, event_type="AID") == []


def test_status_counts(store: Store) -> None:
    store_coded([doc("s1", "text one", [placed("a", "Kyiv")])], store, pipeline_version="p1")
    store.record_error(Rejected("x.txt", "empty"))
    store.record_error(Rejected("y.txt", "binary"))
    store.resolve_errors([store.errors()[1]["id"]])
    s = store.status()
    assert (s["documents"], s["events"], s["quotes"]) == (1, 1, 0)
    assert s["open_errors"] == {"empty": 1} and s["resolved_errors"] == 1
    assert s["pipeline_versions"] == {"p1": 1} and s["last_coded_at"].endswith("+00:00")


def test_haversine_known_distances() -> None:
    assert geo.haversine_km(48.8566, 2.3522, 51.5074, -0.1278) == pytest.approx(343.5, abs=1)
    assert geo.haversine_km(0, 179.5, 0, -179.5) == pytest.approx(111.2, abs=0.2)
    assert geo.haversine_km(*KYIV, *KYIV) == 0


@pytest.mark.parametrize("center", [(50.45, 30.52), (-33.9, 151.2), (0.0, 179.9),
                                    (10.0, -179.95), (89.5, 0.0), (-89.9, 45.0), (70.0, 20.0)])
def test_bounding_box_holds_every_point_of_the_circle(center) -> None:
    rng = random.Random(7)
    for radius in (1.0, 50.0, 400.0, 3000.0):
        (lat_lo, lat_hi), lons = geo.bounding_box(*center, radius)
        for _ in range(300):  # points on the circle's edge, the hardest to contain
            bearing, d = rng.uniform(0, 2 * math.pi), radius / geo.EARTH_RADIUS_KM * 0.999
            lat1, lon1 = map(math.radians, center)
            lat2 = math.asin(math.sin(lat1) * math.cos(d)
                             + math.cos(lat1) * math.sin(d) * math.cos(bearing))
            lon2 = lon1 + math.atan2(math.sin(bearing) * math.sin(d) * math.cos(lat1),
                                     math.cos(d) - math.sin(lat1) * math.sin(lat2))
            lat, lon = math.degrees(lat2), (math.degrees(lon2) + 540) % 360 - 180
            assert geo.haversine_km(*center, lat, lon) <= radius
            assert lat_lo <= lat <= lat_hi
            assert lons is None or any(lo <= lon <= hi for lo, hi in lons), (center, radius)
    (_, _), lons = geo.bounding_box(0.0, 179.9, 50)
    assert lons is not None and len(lons) == 2  # split at the antimeridian
    assert geo.bounding_box(89.9, 0, 50)[1] is None  # reaches the pole: every longitude
