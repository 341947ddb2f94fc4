"""GET /api/canonical and /api/canonical/{id}: the deduplicated view, over a hand-built
store (no spaCy needed)."""

from __future__ import annotations

import random

import pytest
from fastapi.testclient import TestClient

from tidings.corpus import update_canonical
from tidings.model import Actor, Article, CodedArticle, Event, Place
from tidings.runs import store_coded
from tidings.store import Store
from tidings.web import create_app

TOWNS = {"Kharkiv": ("UKR", 49.99, 36.23), "Tbilisi": ("GEO", 41.69, 44.83),
         "Geneva": ("CHE", 46.20, 6.15), "Nairobi": ("KEN", -1.28, 36.82)}
PROTESTS = [("KEN", "2025-01-15"), ("UGA", "2025-02-15"), ("TZA", "2025-04-15"),
            ("ETH", "2025-07-15"), ("SOM", "2025-08-15"), ("RWA", "2025-09-15"),
            ("BDI", "2025-10-15")]


def _doc(doc_id: str, outlet: str, etype: str, src: str | None, tgt: str | None, day: str,
         town: str = "Nairobi") -> CodedArticle:
    rng = random.Random(doc_id)  # unrelated filler: no two documents are near-copies
    filler = " ".join(f"w{rng.randrange(10**7)}" for _ in range(120))
    country, lat, lon = TOWNS[town]
    event = Event(id=f"{doc_id}:0", event_type=etype, cameo="190",
                  source=Actor(f"{src} side", country=src) if src else None,
                  target=Actor(f"{tgt} side", country=tgt) if tgt else None,
                  modality="asserted", sentence=f"It happened in {town} ({doc_id}).",
                  date=day, date_precision="day",
                  location=Place(town, country, lat=lat, lon=lon, feature="city", text=town))
    art = Article(text=filler, id=doc_id, title=f"Title {doc_id}", published=day,
                  source=outlet)
    return CodedArticle(article=art, events=[event])


def corpus() -> list[CodedArticle]:
    docs = [_doc("a1", "Wire", "ASSAULT", "RUS", "UKR", "2025-03-10", "Kharkiv"),
            _doc("a2", "Ledger", "ASSAULT", "RUS", "UKR", "2025-03-10", "Kharkiv"),
            _doc("a3", "Courier", "ASSAULT", "RUS", "UKR", "2025-03-11", "Kharkiv"),
            _doc("g1", "Courier", "ASSAULT", "RUS", "GEO", "2025-03-10", "Tbilisi"),
            _doc("t1", "Wire", "CONSULT", "USA", "CHN", "2025-05-10", "Geneva"),
            _doc("t2", "Ledger", "CONSULT", "USA", "CHN", "2025-05-11", "Geneva")]
    docs += [_doc(f"p{i}", "Gazette", "PROTEST", c, None, day)
             for i, (c, day) in enumerate(PROTESTS)]
    return docs


N_CANONICAL = 3 + len(PROTESTS)  # Kharkiv (3 articles), Tbilisi, talks (2), the protests
N_MENTIONS = 6 + len(PROTESTS)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('canon') / 'c.db'}"
    with Store(url) as store:
        store_coded(corpus(), store)
        update_canonical(store)
    with TestClient(create_app(url)) as c:
        yield c


def listing(client, **params) -> dict:
    r = client.get("/api/canonical", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def kharkiv(client) -> dict:
    (ce,) = listing(client, dyad="RUS-UKR")["canonical_events"]
    return ce


def test_list_is_one_row_per_real_world_event(client):
    body = listing(client, total="true")
    assert body["total"] == N_CANONICAL == len(body["canonical_events"])
    assert body["next_cursor"] is None and body["pending_documents"] == 0
    ce = kharkiv(client)
    assert (ce["num_articles"], ce["num_sources"], ce["num_mentions"]) == (3, 3, 3)
    assert ce["sources"] == ["Courier", "Ledger", "Wire"]
    assert (ce["first_seen"], ce["last_seen"]) == ("2025-03-10", "2025-03-11")
    assert ce["evidence"]["event_id"] in {"a1:0", "a2:0"}  # an earliest report
    assert ce["evidence"]["sentence"].startswith("It happened in Kharkiv")
    assert all(e["evidence"] for e in body["canonical_events"])
    # /api/events keeps its default: every mention
    events = client.get("/api/events", params={"total": "true", "limit": 1}).json()
    assert events["total"] == N_MENTIONS


@pytest.mark.parametrize(("params", "expected"), [
    ({"type": "ASSAULT"}, 2),
    ({"type": "assault,consult"}, 3),
    ({"actor": "geo"}, 1),
    ({"actor": "RUS"}, 2),
    ({"source": "USA"}, 1),
    ({"target": "CHN"}, 1),
    ({"dyad": "CHN-USA"}, 0),
    ({"dyad": "CHN-USA", "undirected": "true"}, 1),
    ({"since": "2025-05-01"}, 1 + 4),  # the talks and the protests from July on
    ({"since": "2025-03-10", "until": "2025-03-10"}, 2),
    ({"min_articles": "2"}, 2),
    ({"type": "PROTEST", "actor": "UGA"}, 1),
])
def test_filters(client, params, expected):
    assert len(listing(client, **params)["canonical_events"]) == expected


@pytest.mark.parametrize("sort", ["date", "-date"])
def test_cursor_walks_every_canonical_event_once(client, sort):
    seen, cursor, pages = [], None, 0
    while True:
        body = listing(client, limit=3, sort=sort, **({"cursor": cursor} if cursor else {}))
        assert len(body["canonical_events"]) <= 3
        seen += body["canonical_events"]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    ids = [e["id"] for e in seen]
    assert len(ids) == N_CANONICAL == len(set(ids))
    assert pages == -(-N_CANONICAL // 3)
    keys = [(e["date"] or "", e["id"]) for e in seen]
    assert keys == sorted(keys, reverse=sort == "-date")


def test_detail_has_mentions_evidence_and_explanation(client):
    ce = kharkiv(client)
    r = client.get(f"/api/canonical/{ce['id']}")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["canonical_event"] == ce
    ms = {m["event_id"]: m for m in body["mentions"]}
    assert set(ms) == {"a1:0", "a2:0", "a3:0"}
    assert {m["outlet"] for m in ms.values()} == {"Wire", "Ledger", "Courier"}
    for m in ms.values():
        assert m["sentence"].startswith("It happened in Kharkiv") and m["span"]
    linked = [m for m in ms.values() if m["via"]]
    assert len(linked) == 3  # each member names the member it agrees with best
    for m in linked:
        assert m["via"] in ms
        assert {"type", "source", "target", "date", "place"} <= set(m["explanation"]["agreed"])
        assert m["explanation"]["not_agreed"] == {}
        assert m["agreement"]["fields"]["source"]["status"] == "agree"
    single = next(e for e in listing(client, actor="GEO")["canonical_events"])
    (only,) = client.get(f"/api/canonical/{single['id']}").json()["mentions"]
    assert only["event_id"] == "g1:0" and only["via"] is None and only["explanation"] is None


def test_unknown_id_is_404(client):
    r = client.get("/api/canonical/ce-0000000000000000")
    assert r.status_code == 404
    assert "no canonical event" in r.json()["detail"]


@pytest.mark.parametrize(("params", "status", "word"), [
    ({"since": "yesterday"}, 400, "since"),
    ({"type": "BOMB"}, 400, "type"),
    ({"dyad": "RUS"}, 400, "dyad"),
    ({"actor": "Russia"}, 400, "actor"),
    ({"cursor": "not-a-cursor"}, 400, "cursor"),
    ({"sort": "size"}, 400, "sort"),
    ({"limit": "0"}, 422, "limit"),
    ({"min_articles": "0"}, 422, "min_articles"),
])
def test_bad_input_is_a_4xx_json_error(client, params, status, word):
    r = client.get("/api/canonical", params=params)
    assert r.status_code == status, r.text
    assert word in str(r.json()["detail"])


def test_cursors_are_not_interchangeable(client):
    event_cursor = client.get("/api/events", params={"limit": 1}).json()["next_cursor"]
    assert event_cursor
    r = client.get("/api/canonical", params={"cursor": event_cursor})
    assert r.status_code == 400 and "cursor" in r.json()["detail"]
    date_cursor = listing(client, limit=1)["next_cursor"]
    assert client.get("/api/canonical", params={"cursor": date_cursor, "sort": "-date"}
                      ).status_code == 400


def test_openapi_documents_the_deduplicated_view(client):
    spec = client.get("/openapi.json").json()
    assert {"/api/canonical", "/api/canonical/{canonical_id}"} <= set(spec["paths"])
    assert "/api/canonical" in spec["paths"]["/api/events"]["get"]["description"]


def test_overview_counts_real_world_events_and_pending_documents(tmp_path):
    url = f"sqlite:///{tmp_path / 'o.db'}"
    with Store(url) as store:
        store_coded(corpus(), store)
        update_canonical(store)
        store_coded([_doc("late", "Wire", "PROTEST", "KEN", None, "2025-12-01")], store)
    with TestClient(create_app(url)) as c:
        body = c.get("/api/overview").json()
        assert (body["events"], body["canonical_events"]) == (N_MENTIONS + 1, N_CANONICAL)
        assert body["pending_documents"] == 1
        assert listing(c)["pending_documents"] == 1
        html = c.get("/").text
        assert f'id="n-canonical">{N_CANONICAL}<' in html and "real-world events" in html
        assert f'id="n-events">{N_MENTIONS + 1}<' in html and "not clustered yet" in html
