"""The JSON API through FastAPI's TestClient, over the session corpus (see web_corpus.py)."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import date

import pytest
from web_corpus import FIRST_DAY, N_HAND_DOCS

pytestmark = pytest.mark.slow


def walk(client, limit=17, **params):
    """Every page of /api/events; returns (events, number of pages)."""
    events, cursor, pages = [], None, 0
    while True:
        query = {**params, "limit": limit, **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/events", params=query).json()
        events += body["events"]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return events, pages


def total(client, **params) -> int:
    r = client.get("/api/events", params={**params, "total": "true", "limit": 1})
    assert r.status_code == 200, r.text
    return r.json()["total"]


@pytest.mark.parametrize("sort", ["date", "-date"])
def test_cursor_walks_every_event_exactly_once(client, corpus, sort):
    events, pages = walk(client, sort=sort)
    ids = [e["id"] for e in events]
    assert len(ids) == corpus.events == len(set(ids))
    assert pages == -(-corpus.events // 17)
    keys = [(e["date"] or "", e["id"]) for e in events]
    assert keys == sorted(keys, reverse=sort == "-date")
    undated = [k[1] for k in keys if not k[0]]
    assert "hand-undated:0" in undated  # undated events sort before dated ones
    assert keys[: len(undated)] == [("", i) for i in sorted(undated)] or sort == "-date"


def test_filtered_walk_and_page_shape(client):
    events, pages = walk(client, limit=50, dyad="USA-CHN")
    assert len(events) == 130 and pages == 3
    body = client.get("/api/events", params={"limit": 2}).json()
    assert body["limit"] == 2 and len(body["events"]) == 2 and body["next_cursor"]
    e = body["events"][0]
    assert {"id", "document_id", "date", "event_type", "cameo", "quad_class", "goldstein",
            "source", "target", "sentence", "span", "location", "document_title"} <= set(e)


@pytest.mark.parametrize(("params", "expected"), [
    ({"dyad": "USA-CHN"}, 130),
    ({"dyad": "CHN-USA"}, 0),
    ({"dyad": "CHN-USA", "undirected": "true"}, 130),
    ({"source": "USA", "target": "CHN"}, 130),
    ({"dyad": "usa-chn", "type": "CONSULT"}, 65),
    ({"dyad": "USA-CHN", "type": "CONSULT,ACCUSE"}, 130),
    ({"dyad": "USA-CHN", "cameo": "11"}, 65),
    ({"dyad": "USA-CHN", "cameo": "040"}, 65),
    ({"country": "CHN"}, 65),
    ({"near": "39.9,116.4", "radius_km": "25"}, 65),
    ({"near": "38.9,-77.0", "radius_km": "10", "type": "ACCUSE"}, 65),
    ({"near": "0,0", "radius_km": "500"}, 0),
    ({"dyad": "USA-CHN", "since": "2024-01-10", "until": "2024-01-19"}, 10),
    ({"dyad": "USA-CHN", "since": "2024-05-01"}, 9),  # 2024-01-01 + 129 days = May 9
    ({"document_id": "hand-03"}, 10),
    ({"q": "AMERICAN chinese"}, 130),
    ({"q": "100%_off"}, 0),  # LIKE wildcards are taken literally
    ({"actor": "IRN"}, 1),
    ({"actor": "IRN", "type": "THREATEN", "modality": "asserted"}, 1),
    ({"actor": "IRN", "modality": "negated"}, 0),
])
def test_event_filters(client, params, expected):
    assert total(client, **params) == expected
    if expected:
        assert len(walk(client, limit=200, **params)[0]) == expected


def test_full_text_search_over_sentences(client):
    events, _ = walk(client, limit=200, q="refinery")
    assert events and all("refinery" in e["sentence"].lower() for e in events)
    assert len(events) < total(client)


def test_actor_filter_matches_either_side(client):
    events, _ = walk(client, limit=200, actor="RUS")
    assert events and all("RUS" in ((e["source"] or {}).get("country"),
                                    (e["target"] or {}).get("country")) for e in events)
    assert any((e["target"] or {}).get("country") == "RUS" for e in events)


def test_mode_filter(client):
    events, _ = walk(client, limit=200)
    modes = Counter(e["mode"] for e in events if e["mode"])
    if not modes:
        pytest.skip("the coder assigned no mode in this corpus")
    mode, n = modes.most_common(1)[0]
    assert total(client, mode=mode) == n


@pytest.mark.parametrize(("params", "fragment"), [
    ({"since": "2024-13-01"}, "since"),
    ({"until": "yesterday"}, "until"),
    ({"type": "BOGUS"}, "type"),
    ({"dyad": "RUSUKR"}, "dyad"),
    ({"actor": "RUSSIA"}, "actor"),
    ({"near": "north"}, "near"),
    ({"near": "100,0"}, "near"),
    ({"cameo": "19a"}, "cameo"),
    ({"modality": "maybe"}, "modality"),
    ({"sort": "goldstein"}, "sort"),
    ({"cursor": "not-a-cursor"}, "cursor"),
    ({"near": "1,1", "radius_km": "-1"}, "radius_km"),
    ({"near": "1,1", "radius_km": "far"}, "radius_km"),
])
def test_bad_parameters_are_400_json(client, params, fragment):
    r = client.get("/api/events", params=params)
    assert r.status_code == 400
    assert fragment in r.json()["detail"]


@pytest.mark.parametrize("query", ["limit=0", "limit=5000", "format=xml",
                                   "total=perhaps"])
def test_invalid_values_are_422_json(client, query):
    r = client.get(f"/api/events?{query}")
    assert r.status_code == 422 and r.json()["detail"][0]["loc"]


def test_cursor_is_tied_to_its_sort(client):
    cursor = client.get("/api/events?limit=1").json()["next_cursor"]
    r = client.get("/api/events", params={"limit": 1, "cursor": cursor, "sort": "-date"})
    assert r.status_code == 400 and "cursor" in r.json()["detail"]


def test_event_detail_has_document_and_evidence(client):
    body = client.get("/api/events/hand-02:3").json()
    assert body["event"]["event_type"] == "ACCUSE" and body["event"]["date"] == "2024-01-24"
    assert body["document"]["id"] == "hand-02"
    text = client.get("/api/documents/hand-02").json()["document"]["text"]
    s, e = body["evidence"]["span"]
    assert body["evidence"]["text"] == text[s:e] == body["event"]["sentence"]
    ts, te = body["evidence"]["trigger_span"]
    assert text[ts:te] == "accused"


def test_unknown_ids_are_404_json(client):
    for url in ("/api/events/nope:0", "/api/documents/nope", "/api/nowhere"):
        r = client.get(url)
        assert r.status_code == 404 and "detail" in r.json()


def test_document_has_all_annotations(client, corpus):
    body = client.get("/api/documents/hand-05").json()
    assert body["document"]["title"] == "Synthetic report 5"
    assert [e["id"] for e in body["events"]] and len(body["events"]) == 10
    assert body["quotes"][0]["speaker"] == "the envoy"
    assert body["quantities"][0]["value"] == 2.0
    coded = client.get(f"/api/documents/{corpus.coded_ids[0]}").json()
    assert coded["entities"] and all(
        coded["document"]["text"][x["span_start"]:x["span_end"]] == x["text"]
        for x in coded["entities"])


def test_actors_counts(client):
    rows = {a["country"]: a for a in client.get("/api/actors?limit=100").json()["actors"]}
    assert rows["USA"]["as_source"] >= 130 and rows["CHN"]["as_target"] >= 130
    dyad = client.get("/api/actors?dyad=USA-CHN").json()["actors"]
    assert {a["country"]: (a["as_source"], a["as_target"]) for a in dyad} == {
        "USA": (130, 0), "CHN": (0, 130)}
    assert client.get("/api/actors?limit=0").status_code == 422


def test_timeline_month_counts_and_goldstein(client):
    body = client.get("/api/timeline?dyad=USA-CHN&interval=month").json()
    by = {b["period"]: b for b in body["buckets"]}
    assert list(by) == ["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01", "2024-05-01"]
    jan = by["2024-01-01"]
    assert (jan["events"], jan["cooperation"], jan["conflict"]) == (31, 16, 15)
    assert (jan["quad1"], jan["quad3"]) == (16, 15)
    assert jan["goldstein_mean"] == pytest.approx((16 * 1.0 - 15 * 2.0) / 31, abs=1e-3)
    assert sum(b["events"] for b in body["buckets"]) == 130


def test_timeline_weeks_start_on_monday_and_days(client):
    weeks = client.get("/api/timeline?dyad=USA-CHN&interval=week").json()["buckets"]
    assert all(date.fromisoformat(b["period"]).weekday() == 0 for b in weeks)
    assert sum(b["events"] for b in weeks) == 130 and weeks[0]["period"] == "2024-01-01"
    days = client.get("/api/timeline?dyad=USA-CHN").json()
    assert days["interval"] == "day" and len(days["buckets"]) == 130
    assert days["buckets"][0]["period"] == FIRST_DAY.isoformat()
    assert client.get("/api/timeline?interval=year").status_code == 422
    assert client.get("/api/timeline?since=nope").status_code == 400


def test_quotes_filters_and_pages(client):
    body = client.get("/api/quotes", params={"speaker": "envoy", "limit": 5}).json()
    assert len(body["quotes"]) == 5 and body["next_cursor"]
    seen, cursor = [], None
    while True:
        page = client.get("/api/quotes", params={"country": "USA", "limit": 4,
                                                 **({"cursor": cursor} if cursor else {})}).json()
        seen += [q["id"] for q in page["quotes"]]
        if not (cursor := page["next_cursor"]):
            break
    assert len(seen) == len(set(seen)) == N_HAND_DOCS
    umerov = client.get("/api/quotes", params={"q": "ready talk"}).json()["quotes"]
    assert [q["speaker"] for q in umerov] == ["Rustem Umerov"]
    assert client.get("/api/quotes?cursor=abc").status_code == 400


def test_export_csv_jsonl_parquet(client):
    import pyarrow.parquet as pq

    r = client.get("/api/events/export?format=csv&dyad=USA-CHN&type=ACCUSE")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 65 and {row["event_type"] for row in rows} == {"ACCUSE"}
    assert rows[0]["place_name"] == "Washington"
    lines = client.get("/api/events?format=jsonl&dyad=USA-CHN").text.splitlines()
    assert len(lines) == 130 and json.loads(lines[0])["target"]["country"] == "CHN"
    r = client.get("/api/events?format=parquet&limit=1")  # limit is ignored for exports
    table = pq.read_table(io.BytesIO(r.content))
    assert table.num_rows == total(client) and "goldstein" in table.column_names
    assert client.get("/api/events/export?format=xlsx").status_code == 422


def test_openapi_and_offline_docs(client):
    paths = client.get("/openapi.json").json()["paths"]
    for p in ("/api/events", "/api/events/export", "/api/events/{event_id}",
              "/api/documents/{document_id}", "/api/documents", "/api/actors",
              "/api/timeline", "/api/quotes"):
        assert p in paths
    assert "post" in paths["/api/documents"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/openapi.json" in docs.text
    assert "cdn" not in docs.text.lower() and "https://" not in docs.text
    if "/swagger-ui/" in docs.text:  # the bundled Swagger UI is installed
        assert client.get("/swagger-ui/swagger-ui-bundle.js").status_code == 200
