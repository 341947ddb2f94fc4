"""The store in Datasette with metadata.yml, in headless Chromium: the events table shows
its descriptions and facets, and a screenshot goes to docs/screenshots/datasette-events.png
(the README shows it)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import yaml
from test_browser import FLAGS, SHOTS, _chromium, serve

pytestmark = pytest.mark.slow
METADATA = Path(__file__).resolve().parents[2] / "metadata.yml"


@pytest.fixture(scope="module")
def datasette_url(corpus, tmp_path_factory):
    datasette = pytest.importorskip("datasette.app")

    # metadata.yml names the database "tidings": Datasette names it after the file
    path = tmp_path_factory.mktemp("datasette") / "tidings.db"
    src = sqlite3.connect(corpus.url.removeprefix("sqlite:///"))
    dst = sqlite3.connect(path)
    src.backup(dst)
    src.close()
    dst.close()
    meta = yaml.safe_load(METADATA.read_text(encoding="utf-8"))
    ds = datasette.Datasette(files=[str(path)], metadata=meta)
    yield from serve(ds.app(), "datasette")


def test_events_table_in_datasette(datasette_url, corpus):
    chromium = _chromium()
    if chromium is None:
        pytest.skip("no Chromium: install Debian's chromium or set TIDINGS_TEST_CHROMIUM")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        try:
            page.goto(f"{datasette_url}/tidings/events")
            assert "One row per event per article" in page.text_content("body")
            facets = page.locator(".facet-info").all_text_contents()
            assert any("event_type" in f for f in facets)
            assert page.locator("table.rows-and-columns tbody tr").count() > 0
            assert f"{corpus.events:,} rows" in page.text_content("body")
            # the picture: a few telling columns, scrolled past the column descriptions
            cols = "".join(f"&_col={c}" for c in (
                "date", "event_type", "cameo", "source_country", "target_country",
                "place_name", "modality", "trigger", "sentence"))
            page.goto(f"{datasette_url}/tidings/events?_sort_desc=date&event_type__not=CONSULT"
                      f"{cols}")
            heading = page.locator("h3", has_text="rows").first
            heading.evaluate("e => e.scrollIntoView({block: 'start'})")
            page.screenshot(path=str(SHOTS / "datasette-events.png"), full_page=False)
        finally:
            browser.close()
