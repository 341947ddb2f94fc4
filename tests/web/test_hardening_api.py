"""Issue 15 (hardening), web side: no 500 from any input, limits that answer 400/422,
bodies checked before coding, CSV exports that cannot run formulas, and an OpenAPI schema
that states what the server sends back (the fuzz test checks the rest)."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from tidings.web import create_app

pytestmark = pytest.mark.slow
TOKEN = "t0ken"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
STORY = "Russian forces shelled the city of Kharkiv on Sunday, regional officials said."


@pytest.mark.parametrize("path", ["/events", "/events.json", "/map", "/map.json",
                                  "/api/events", "/api/events/export", "/api/map",
                                  "/api/canonical", "/api/timeline", "/api/actors"])
@pytest.mark.parametrize("dyad", ["RUS-", "-", "-UKR", "RUS-UKR-USA"])
def test_half_a_dyad_is_a_400_everywhere(client, path, dyad):
    r = client.get(path, params={"dyad": dyad})
    assert r.status_code == 400, (path, r.status_code, r.text[:200])
    assert "dyad" in r.text


@pytest.mark.parametrize("pair", ["RUS-", "-", "RUS-.json", "-.json"])
def test_half_a_dyad_page_is_a_400(client, pair):
    assert client.get(f"/dyad/{pair}").status_code == 400


@pytest.mark.parametrize(("path", "params", "status"), [
    ("/api/canonical", {"min_articles": str(2**63)}, 422),
    ("/api/canonical", {"min_articles": "9" * 30}, 422),
    ("/api/quotes", {"cursor": "9" * 30}, 400),
    ("/api/quotes", {"cursor": "-1"}, 400),
    ("/api/events", {"limit": "9" * 30}, 422),
])
def test_integers_beyond_the_database_range_are_4xx(client, path, params, status):
    r = client.get(path, params=params)
    assert r.status_code == status, r.text


@pytest.mark.parametrize("path", ["/api/events", "/api/quotes", "/events.json",
                                  "/api/events/export", "/api/timeline"])
@pytest.mark.parametrize("q", [" ".join(f"w{i}" for i in range(3000)), "a" * 60_000,
                               " ".join(["x"] * 21)])
def test_huge_searches_are_refused_with_400(client, path, q):
    r = client.get(path, params={"q": q})
    assert r.status_code == 400, r.text[:300]
    assert "q:" in r.text


def test_search_at_the_limits_works_and_like_wildcards_are_literal(client):
    words = " ".join(["shelled"] * 20)
    assert client.get("/api/events", params={"q": words}).status_code == 200
    assert client.get("/api/events", params={"q": "x" * 500}).status_code == 200
    everything = client.get("/api/events", params={"total": "true"}).json()["total"]
    assert everything > 0
    for wildcard in ("%", "_", "%%", "\\"):
        r = client.get("/api/events", params={"q": wildcard, "total": "true"})
        assert r.status_code == 200 and r.json()["total"] < everything


def test_an_empty_date_range_is_empty_not_an_error(client):
    r = client.get("/api/events", params={"since": "2025-02-01", "until": "2025-01-01"})
    assert r.status_code == 200 and r.json()["events"] == []


def test_validation_errors_have_the_documented_shape(client):
    r = client.get("/api/events", params={"limit": "0"})
    assert r.status_code == 422
    (problem,) = r.json()["detail"]
    assert set(problem) == {"loc", "msg", "type"} and problem["loc"] == ["query", "limit"]
    schema = client.get("/openapi.json").json()
    shape = schema["components"]["schemas"]["FieldProblem"]
    assert set(shape["required"]) == {"loc", "msg", "type"}


def test_schema_documents_errors_and_file_types(client):
    paths = client.get("/openapi.json").json()["paths"]
    export = paths["/api/events/export"]["get"]["responses"]
    assert {"text/csv", "application/x-ndjson",
            "application/vnd.apache.parquet"} <= set(export["200"]["content"])
    assert "application/json" not in export["200"]["content"]
    assert "text/csv" in paths["/api/events"]["get"]["responses"]["200"]["content"]
    for path in ("/api/events/{event_id}", "/api/documents/{document_id}",
                 "/api/canonical/{canonical_id}"):
        assert "404" in paths[path]["get"]["responses"], path
    for path, item in paths.items():
        for op in item.values():
            assert "400" in op["responses"] and "422" in op["responses"], path


@pytest.fixture(scope="module")
def writer(tmp_path_factory, coder):
    path = tmp_path_factory.mktemp("post") / "post.db"
    with TestClient(create_app(f"sqlite:///{path}", ingest_token=TOKEN),
                    raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize(("body", "field"), [
    ({"text": "   \n\t "}, "text"),
    ({"text": ""}, "text"),
    ({"text": "Russia attacked\x00 Ukraine."}, "text"),
    ({"text": STORY, "id": "a/b"}, "id"),
    ({"text": STORY, "id": "a b"}, "id"),
    ({"text": STORY, "id": ""}, "id"),
    ({"text": STORY, "title": "nul\x00title"}, "title"),
])
def test_bodies_are_checked_before_coding(writer, body, field):
    r = writer.post("/api/documents", json=body, headers=AUTH)
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"] == ["body", field]


def test_a_million_character_word_is_not_a_server_error(writer):
    r = writer.post("/api/documents", json={"text": "Russia attacked " + "a" * 1_000_000},
                    headers=AUTH)
    assert r.status_code in (201, 422), r.text[:300]
    if r.status_code == 422:
        assert r.json()["detail"][0]["type"] == "coding_failed"


def test_api_csv_export_neutralises_formulas(writer):
    text = "@SUM(1+1) Russian forces shelled the city of Kharkiv on Sunday."
    r = writer.post("/api/documents", json={"text": text, "id": "formula-1",
                                            "title": "=cmd|' /C calc'!A0",
                                            "published": "2025-06-01",
                                            "min_confidence": 0}, headers=AUTH)
    assert r.status_code == 201, r.text
    out = writer.get("/api/events/export", params={"document_id": "formula-1"})
    assert out.status_code == 200 and out.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(out.text)))
    assert rows
    cells = [v for row in rows for v in row.values() if v]
    assert not [c for c in cells if _runnable(c)], cells
    assert rows[0]["sentence"].startswith("'@SUM")
    # the JSON view keeps the text as it is
    event = writer.get("/api/events", params={"document_id": "formula-1"}).json()["events"][0]
    assert event["sentence"].startswith("@SUM")


def _runnable(cell: str) -> bool:
    """A cell a spreadsheet would read as a formula (a plain number, like -10.0, is not)."""
    try:
        float(cell)
    except ValueError:
        return cell[0] in "=+-@\t\r"
    return False


def test_safe_cell_follows_owasp():
    from tidings.csv_cells import safe_cell

    for risky in ("=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1"):
        assert safe_cell(risky) == "'" + risky
    for plain in ("Kharkiv", "", " =1", "1-2", "'quoted"):
        assert safe_cell(plain) == plain
    assert safe_cell(-3.5) == -3.5 and safe_cell(None) is None


@pytest.mark.parametrize(("path", "params", "status"), [
    ("/api/events", {"mode": "air\x00"}, 400),
    ("/api/events", {"document_id": "\x00"}, 400),
    ("/api/events", {"q": "Kharkiv\x00"}, 400),
    ("/api/quotes", {"speaker": "\x00"}, 400),
    ("/api/events/a%00b", {}, 404),
    ("/api/documents/a%00b", {}, 404),
    ("/api/canonical/a%00b", {}, 404),
])
def test_nul_characters_never_reach_the_database(client, path, params, status):
    # PostgreSQL refuses NUL in a query (a 500 there); no stored value holds one anyway
    assert client.get(path, params=params).status_code == status

