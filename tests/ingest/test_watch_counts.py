"""Issue 15: `watch` counts the events of the documents it stored, not of every document
it coded (a feed that carries the same text twice stores it once)."""

from __future__ import annotations

from localweb import rss
from typer.testing import CliRunner

from tidings.cli import app
from tidings.store import Store

STORY = "Russian forces shelled the city of Kharkiv on Sunday, regional officials said."


def test_watch_summary_counts_stored_events_once(coder, tmp_path):
    feed = tmp_path / "feed.xml"
    items = [{"title": f"T{i}", "link": f"http://127.0.0.1/n/{i}", "guid": f"g{i}",
              "pubDate": "Fri, 06 Jun 2025 10:00:00 GMT", "description": STORY}
             for i in range(2)]  # two entries, one text
    feed.write_text(rss("Wire", items), encoding="utf-8")
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"feeds:\n  - name: Wire\n    url: {feed}\n    fetch_pages: false\n",
                       encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'w.db'}"
    result = CliRunner().invoke(app, ["watch", str(sources), "--db", db, "--once"])
    assert result.exit_code == 0, result.output
    with Store(db) as store:
        stored = store.summary()
    assert stored["documents"] == 1 and stored["events"] >= 1
    assert (f"stored 1 documents ({stored['events']} events)" in result.output), result.output
