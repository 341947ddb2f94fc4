"""Server-rendered pages, escaping of untrusted text, the ingest token rule, highlighting."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from web_corpus import SCRIPT_TITLE

from tidings.web import create_app
from tidings.web.highlight import Mark, segments

pytestmark = pytest.mark.slow
TOKEN = "s3cret-token"
STORY = {"text": "Turkish troops shelled Kurdish positions in northern Syria on Sunday.",
         "title": "Shelling", "published": "2025-06-08"}


@pytest.mark.parametrize("url", ["/", "/events", "/events?type=ASSAULT&since=2025-06-01",
                                 "/map", "/map?type=CONSULT", "/dyad/USA-CHN",
                                 "/dyad/USA-CHN?interval=month&undirected=true",
                                 "/events/hand-01:2", "/documents/hand-01"])
def test_pages_render(client, url):
    r = client.get(url)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert "<main>" in r.text and "http://" not in r.text and "https://" not in r.text


def test_overview_counts(client, corpus):
    data = client.get("/index.json").json()
    assert data["documents"] == corpus.documents and data["events"] == corpus.events
    assert {"source": "USA", "target": "CHN", "events": 130} in data["top_dyads"]
    html = client.get("/").text
    assert f'id="n-events">{corpus.events}<' in html and 'href="/dyad/USA-CHN"' in html


def test_event_table_filters_and_pages(client):
    html = client.get("/events?dyad=USA-CHN&type=CONSULT&limit=20").text
    assert '<span id="total">65</span>' in html
    assert html.count('data-event-id="hand-') == 20 and "ACCUSE</a>" not in html
    nxt = re.search(r'id="next-page" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    page2 = client.get(nxt).text
    first = set(re.findall(r'data-event-id="([^"]+)"', html))
    assert first.isdisjoint(re.findall(r'data-event-id="([^"]+)"', page2))
    assert client.get("/events.json?dyad=USA-CHN&limit=5").json()["total"] == 130


def test_page_errors_are_html_with_status(client):
    r = client.get("/events?since=31-12-2024")
    assert r.status_code == 400 and "since" in r.text and "<html" in r.text
    assert client.get("/documents/nope").status_code == 404
    assert client.get("/events/nope:1").status_code == 404
    assert client.get("/dyad/USA").status_code == 400


def test_dyad_page_embeds_timeline(client):
    data = client.get("/dyad/USA-CHN.json?interval=month").json()
    assert data["total"] == 130 and len(data["timeline"]["buckets"]) == 5
    html = client.get("/dyad/USA-CHN?interval=month").text
    assert 'id="timeline-data"' in html and '"cooperation": 16' in html


def test_map_clusters(client):
    data = client.get("/map.json?dyad=USA-CHN").json()
    assert data["events"] == 130 and len(data["clusters"]) == 2
    assert {c["label"] for c in data["clusters"]} == {"Beijing", "Washington"}


def test_article_text_is_escaped(client, corpus):
    html = client.get(f"/documents/{corpus.script_doc}").text
    assert "&lt;script&gt;window.__pwned" in html
    assert "<script>window" not in html and 'href="javascript:' not in html
    assert "&lt;a href=&#34;javascript:alert(1)&#34;&gt;" in html
    assert SCRIPT_TITLE.replace("<", "&lt;").replace(">", "&gt;") in html
    listing = client.get("/events?q=protesters").text
    assert "<script>window" not in listing


def test_article_highlights_event_evidence(client):
    html = client.get("/documents/hand-04?event=hand-04:1").text
    marked = re.findall(r'<a class="hl ([^"]*)" href="([^"]*)"[^>]*data-events="([^"]*)">'
                        r'([^<]*)</a>', html)
    trigger = [m for m in marked if m[1] == "/events/hand-04:1"]
    assert trigger and trigger[0][3] == "accused" and "hand-04:1" in trigger[0][2].split()
    assert "hl-trigger" in trigger[0][0] and "focus" in trigger[0][0]
    assert any("hl-quote" in m[0] and m[1].startswith("#quote-") for m in marked)
    assert any("hl-quantity" in m[0] and m[3] == "two rounds" for m in marked)
    assert any("hl-actor" in m[0] and m[3] == "American envoys" for m in marked)
    assert 'id="event-hand-04:1"' in html


def test_segments_cover_text_and_overlaps():
    text = "abcdefghij"
    marks = [Mark(0, 6, "event", "#e", "E", "e1"), Mark(2, 4, "trigger", "/events/e1", "T", "e1"),
             Mark(5, 9, "quote", "#q", "Q"), Mark(8, 30, "entity", "#x", "bad span")]
    segs = segments(text, marks)
    assert "".join(s.text for s in segs) == text
    by_text = {s.text: s for s in segs}
    assert by_text["cd"].href == "/events/e1" and by_text["cd"].kinds == ["trigger", "event"]
    assert by_text["f"].kinds == ["quote", "event"] and by_text["j"].kinds == []


def test_ingest_is_off_without_a_token(tmp_path):
    with TestClient(create_app(f"sqlite:///{tmp_path / 'a.db'}")) as c:
        r = c.post("/api/documents", json=STORY, headers={"Authorization": "Bearer x"})
        assert r.status_code == 403 and "token" in r.json()["detail"]


def test_ingest_requires_the_token(tmp_path, coder):
    with TestClient(create_app(f"sqlite:///{tmp_path / 'b.db'}", ingest_token=TOKEN)) as c:
        assert c.post("/api/documents", json=STORY).status_code == 401
        wrong = c.post("/api/documents", json=STORY, headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"
        auth = {"Authorization": f"Bearer {TOKEN}"}
        r = c.post("/api/documents", json=STORY, headers=auth)
        assert r.status_code == 201, r.text
        body = r.json()
        assert body["saved"] is True and body["events"] >= 1
        events = c.get("/api/events", params={"document_id": body["id"]}).json()["events"]
        assert len(events) == body["events"] and events[0]["date"] == "2025-06-08"
        again = c.post("/api/documents", json=STORY, headers=auth)
        assert again.status_code == 200 and again.json()["saved"] is False
        bad_date = c.post("/api/documents", json={**STORY, "text": "x y", "published": "June"},
                          headers=auth)
        # a body field the schema constrains is a 422 naming the field
        assert bad_date.status_code == 422, bad_date.text
        assert bad_date.json()["detail"][0]["loc"] == ["body", "published"]
        assert c.post("/api/documents", json={"text": ""}, headers=auth).status_code == 422
        clash = c.post("/api/documents", json={"text": "Other text.", "id": body["id"]},
                       headers=auth)
        assert clash.status_code == 409
