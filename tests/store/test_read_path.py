"""One read path: the CLI, the HTTP API and the Python API give the same JSON for the same
stored event, and the one great-circle distance filter agrees across the antimeridian and
near the poles. Runs on SQLite and PostgreSQL (see conftest.py)."""

from __future__ import annotations

import json
import math
import random

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tidings.cli import app
from tidings.model import AcledType, Actor, Article, CodedArticle, Event, Place
from tidings.runs import store_coded
from tidings.store import Store, geo
from tidings.store.queries import EventFilter
from tidings.web import create_app

runner = CliRunner()

# (id, lat, lon): pairs either side of the antimeridian and of each pole, and decoys
POINTS = [
    ("east", 0.0, 179.95), ("west", 0.0, -179.95), ("east-far", 0.0, 179.0),
    ("west-far", 0.0, -179.0), ("fiji", -17.8, 178.0), ("samoa", -13.8, -172.1),
    ("north-a", 89.9, 0.0), ("north-b", 89.9, 180.0), ("north-c", 89.95, -90.0),
    ("north-far", 88.0, 0.0), ("south-a", -89.95, 45.0), ("south-b", -89.9, -135.0),
    ("south-far", -88.5, 45.0), ("greenwich", 51.48, 0.0),
]


def event(eid: str, lat: float | None, lon: float | None, **fields) -> Event:
    place = None if lat is None else Place(name=eid.title(), country="FJI", lat=lat, lon=lon,
                                           geonameid=7, text=eid, span=(0, 3))
    return Event(id=eid, event_type="ASSAULT", cameo="190", quad_class=4, goldstein=-10.0,
                 source=Actor("rebels", name="Rebels", country="RUS", sector="REB", span=(4, 10)),
                 target=Actor("the army", country="UKR", sector="MIL"),
                 reporter=Actor("officials", sector="GOV"), sentence="Rebels shelled the army.",
                 span=(0, 24), trigger="shelled", trigger_span=(7, 14), confidence=0.9,
                 date="2025-06-01", date_precision="day", date_text="Sunday", location=place,
                 **fields)


@pytest.fixture
def placed(store_url: str) -> str:
    with Store(store_url) as store:
        evs = [event(eid, lat, lon) for eid, lat, lon in POINTS]
        evs.append(event("full", 10.0, 20.0, acled=AcledType("Battles", "Armed clash"),
                         killed=3, main=True, intended_type="COERCE",
                         extra={"note": "kept under extra"}))
        store_coded([CodedArticle(Article(text="Rebels shelled the army.", id="doc-1",
                                          title="A title", published="2025-06-02",
                                          source="Wire"), events=evs)], store)
    return store_url


def cli_jsonl(url: str, *args: str) -> list[dict]:
    result = runner.invoke(app, ["events", "--db", url, "--mentions", "--format", "jsonl",
                                 *args])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def api_jsonl(client: TestClient, query: str) -> list[dict]:
    response = client.get(f"/api/events?format=jsonl&{query}")
    assert response.status_code == 200, response.text
    return [json.loads(line) for line in response.text.splitlines()]


def test_cli_api_and_python_give_the_same_json(placed: str) -> None:
    from_cli = cli_jsonl(placed)
    with TestClient(create_app(placed)) as client:
        from_api = api_jsonl(client, "")
        page = client.get("/api/events?limit=1000").json()["events"]
        one = client.get("/api/events/full").json()["event"]
    with Store(placed) as store:
        from_python = store.events()
    assert len(from_cli) == len(POINTS) + 1
    assert from_cli == from_api == page == json.loads(json.dumps(from_python))
    [full] = [e for e in from_cli if e["id"] == "full"]
    assert {k: v for k, v in one.items() if k != "document_title"} == {
        k: v for k, v in full.items() if k != "document_title"}
    # the promoted extra keys are fields, the rest stays under "extra"
    assert (full["acled_event_type"], full["acled_sub_event_type"], full["killed"]) == (
        "Battles", "Armed clash", 3)
    assert full["extra"]["main"] is True and full["extra"]["intended_type"] == "COERCE"
    assert full["extra"]["note"] == "kept under extra"
    assert full["source"] == {"text": "rebels", "name": "Rebels", "country": "RUS",
                              "sector": "REB", "span": [4, 10]}
    assert full["document_id"] == "doc-1" and full["document_title"] == "A title"
    assert full["location"]["lat"] == 10.0 and full["date"] == "2025-06-01"


@pytest.mark.parametrize(("near", "radius", "expected"), [
    ((0.0, 179.9), 50, {"east", "west"}),  # 5.6 and 16.7 km, across the antimeridian
    ((0.0, -179.9), 50, {"east", "west"}),
    ((0.0, 180.0), 120, {"east", "west", "east-far", "west-far"}),
    ((-15.0, -178.0), 700, {"fiji", "samoa"}),  # Fiji 528 km to the west, Samoa 649 km east
    ((89.95, 10.0), 30, {"north-a", "north-b", "north-c"}),  # over the pole, every longitude
    ((90.0, 0.0), 100, {"north-a", "north-b", "north-c"}),
    ((90.0, 0.0), 230, {"north-a", "north-b", "north-c", "north-far"}),
    ((-89.99, -170.0), 20, {"south-a", "south-b"}),
    ((-90.0, 0.0), 170, {"south-a", "south-b", "south-far"}),
    ((51.48, 0.01), 5, {"greenwich"}),
])
def test_cli_and_api_agree_near_the_antimeridian_and_the_poles(placed, near, radius, expected):
    arg = f"{near[0]},{near[1]}"
    from_cli = cli_jsonl(placed, f"--near={arg}", "--radius-km", str(radius))
    with TestClient(create_app(placed)) as client:
        from_api = api_jsonl(client, f"near={arg}&radius_km={radius}")
        page = client.get(f"/api/events?near={arg}&radius_km={radius}&total=true").json()
    assert {e["id"] for e in from_cli} == expected
    assert from_cli == from_api == page["events"]
    assert page["total"] == len(expected)
    for e in from_cli:
        loc = e["location"]
        assert e["distance_km"] == round(geo.haversine_km(*near, loc["lat"], loc["lon"]), 1)
        assert e["distance_km"] <= radius


def test_the_sql_distance_filter_is_the_great_circle(store: Store) -> None:
    """Random points, many of them near the antimeridian and the poles: the SQL filter keeps
    exactly the points the haversine formula puts within the radius."""
    rng = random.Random(14)

    def point() -> tuple[float, float]:
        kind = rng.random()
        if kind < 0.3:
            return rng.uniform(-60, 60), rng.choice([-1, 1]) * rng.uniform(175, 180)
        if kind < 0.6:
            return rng.choice([-1, 1]) * rng.uniform(85, 90), rng.uniform(-180, 180)
        return rng.uniform(-90, 90), rng.uniform(-180, 180)

    pts = [point() for _ in range(400)]
    store_coded([CodedArticle(Article(text="many places", id="many"),
                              events=[event(f"p{i}", lat, lon) for i, (lat, lon) in
                                      enumerate(pts)] + [event("unplaced", None, None)])], store)
    for _ in range(25):
        centre, radius = point(), rng.choice([10, 100, 400, 1500, 6000])
        got = {e["id"] for e in store.events(EventFilter(near=centre, radius_km=radius))}
        km = {f"p{i}": geo.haversine_km(*centre, lat, lon) for i, (lat, lon) in enumerate(pts)}
        # points within a metre of the edge may fall either way by rounding
        assert {k for k, d in km.items() if d <= radius - 1e-3} <= got
        assert got <= {k for k, d in km.items() if d <= radius + 1e-3}
    everywhere = store.events(near=(0.0, 0.0), radius_km=math.pi * geo.EARTH_RADIUS_KM + 1)
    assert len(everywhere) == len(pts)  # never the unplaced event
