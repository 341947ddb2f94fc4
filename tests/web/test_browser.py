"""The dashboard in headless Chromium (Debian's, driven by Playwright) against a real
uvicorn server on a free loopback port. Saves a screenshot of each page to docs/screenshots/.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _chromium() -> str | None:
    path = os.environ.get("TIDINGS_TEST_CHROMIUM") or "/usr/bin/chromium"
    return path if Path(path).exists() or shutil.which(path) else None


def serve(asgi_app, what: str) -> Iterator[str]:
    """Serve ``asgi_app`` with uvicorn on a free loopback port in a thread; yield its URL
    (for a module fixture), then stop it."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(asgi_app, host="127.0.0.1", port=port,
                                        log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, f"{what} did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(corpus):
    from tidings.web import create_app

    yield from serve(create_app(corpus.url), "uvicorn")


@pytest.fixture(scope="module")
def page(server):
    chromium = _chromium()
    if chromium is None:
        pytest.skip("no Chromium: install Debian's chromium or set TIDINGS_TEST_CHROMIUM")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as pw:
        # Playwright gives each launch a fresh temporary profile (the user-data-dir)
        browser = pw.chromium.launch(executable_path=chromium, args=FLAGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900},
                                      base_url=server)
        pg = context.new_page()
        pg.dialogs = []
        pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
        yield pg
        context.close()
        browser.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def test_overview_shows_the_counts(page, corpus):
    page.goto("/")
    assert page.text_content("#n-documents") == str(corpus.documents)
    assert page.text_content("#n-events") == str(corpus.events)
    assert page.locator("#per-day svg rect.bar").count() > 0
    assert page.locator("#top-dyads a", has_text="USA → CHN").count() == 1
    shot(page, "overview")


def test_dyad_page_draws_its_chart(page):
    page.goto("/")
    page.click("#top-dyads a:has-text('USA → CHN')")
    page.wait_for_url("**/dyad/USA-CHN")
    svg = page.locator("#timeline svg")
    assert int(svg.get_attribute("data-points")) >= 18  # weeks from January to May 2024
    coop = page.locator("#timeline polyline.series-cooperation").get_attribute("points")
    assert len(coop.split()) == int(svg.get_attribute("data-points"))
    assert page.locator("#timeline circle.point-conflict").count() > 0
    assert page.text_content("#total") == "130"
    shot(page, "dyad")


def test_filter_narrows_the_table(page):
    page.goto("/events")
    before = int(page.text_content("#total"))
    page.fill("#filters input[name=dyad]", "USA-CHN")
    page.select_option("#filters select[name=type]", "CONSULT")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**type=CONSULT**")
    after = int(page.text_content("#total"))
    assert after == 65 < before
    types = page.locator("#event-table tbody tr td:nth-child(2) a").all_text_contents()
    assert types and set(types) == {"CONSULT"}
    shot(page, "events")


def test_article_highlights_the_evidence(page):
    page.goto("/events/hand-04:1")
    shot(page, "event")
    page.click("#article-link")
    page.wait_for_url("**/documents/hand-04**")
    focus = page.locator("#article-text a.hl-trigger.focus[href='/events/hand-04:1']")
    assert focus.count() == 1 and focus.text_content() == "accused"
    evidence = page.locator("#article-text .hl-event.focus")
    assert evidence.count() >= 1 and evidence.first.is_visible()
    color = evidence.first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert color not in ("rgba(0, 0, 0, 0)", "transparent")
    assert page.locator("#event-hand-04\\:1.focus").count() == 1
    shot(page, "article-focus")


def test_coded_article_page(page, corpus):
    page.goto(f"/documents/{corpus.coded_ids[0]}")
    assert page.locator("#article-text a.hl-trigger").count() >= 1
    assert page.locator("#article-text a.hl-entity, #article-text a.hl-actor").count() >= 1
    assert page.locator("#events-list li").count() >= 1
    shot(page, "article")


def test_script_in_an_article_does_not_run(page, corpus):
    page.goto(f"/documents/{corpus.script_doc}")
    page.wait_for_load_state("load")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.dialogs == []
    text = page.text_content("#article-text")
    assert "<script>window.__pwned = 1;" in text and 'href="javascript:' in text
    assert page.locator("#article-text a[href^='javascript']").count() == 0
    assert "<script>" in page.text_content("#doc-title")


def test_map_draws_clusters_over_the_basemap(page):
    page.goto("/map")
    svg = page.locator("#map svg")
    assert int(svg.get_attribute("data-clusters")) >= 2
    assert page.locator("#map circle.cluster").count() >= 2
    page.wait_for_function("() => document.querySelector('#map image') !== null")
    shot(page, "map")
    href = page.locator("#map a").first.get_attribute("href")
    assert "near=" in href and "radius_km=" in href


def test_api_docs_load_offline(page):
    page.goto("/docs")
    if page.locator("#swagger-ui").count():
        page.wait_for_selector(".opblock", timeout=15000)
        assert page.locator(".opblock").count() >= 8
    else:
        assert page.locator("a[href='/openapi.json']").count() == 1
    shot(page, "api-docs")
