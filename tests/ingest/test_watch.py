"""sources.yaml, the seen-entries state, the polling loop and `tidings watch --once`."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
import yaml
from localweb import ATOM, LOCAL, RSS, atom, page, rss
from sqlalchemy import select
from typer.testing import CliRunner

from tidings.cli import app
from tidings.ingest.sources import SourcesError, load_sources, parse_interval
from tidings.ingest.urls import Fetcher
from tidings.ingest.watcher import Watcher
from tidings.model import CodedArticle
from tidings.store import Store

runner = CliRunner()

STORY_A = ("Police arrested twelve protesters outside parliament in Tbilisi on Friday after a "
           "march against the new law turned violent, the interior ministry said.")
STORY_B = "Israel and Egypt held talks in Cairo on Thursday and agreed to meet again next week."
STORY_C = "Russian forces shelled the city of Kharkiv on Sunday, regional officials said."
FAST = {"connect_timeout": 1.0, "read_timeout": 0.3, "deadline": 2.0, "retries": 1,
        "backoff": 0.01, "max_backoff": 0.05, "host_delay": 0.0, "max_bytes": 60_000}


# -- sources.yaml --------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "seconds"), [("30s", 30), ("15m", 900), ("1h", 3600),
                                               ("2d", 172800), ("45", 45), (90, 90),
                                               ("1.5h", 5400), (" 10 M ", 600)])
def test_parse_interval(text, seconds):
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("bad", ["0s", "-5m", "soon", "15 minutes", "", True])
def test_parse_interval_rejects(bad):
    with pytest.raises(ValueError):
        parse_interval(bad)


def write(tmp_path: Path, data) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_load_sources_mapping_with_defaults_and_fetch(tmp_path):
    path = write(tmp_path, {
        "defaults": {"every": "30m", "max_items": 20},
        "fetch": {"read_timeout": 5, "retries": 0},
        "feeds": [
            {"name": "World", "url": "https://example.org/world.xml", "fetch_pages": False},
            {"url": "https://example.org/b.xml", "every": "1h", "max_items": 5},
            "https://example.org/c.xml",
            {"url": "local/feed.rss"},
        ],
    })  # fmt: skip
    cfg = load_sources(path)
    a, b, c, d = cfg.sources
    assert (a.name, a.every, a.fetch_pages, a.max_items) == ("World", 1800, False, 20)
    assert (b.name, b.every, b.fetch_pages, b.max_items) == (None, 3600, True, 5)
    assert c.url == "https://example.org/c.xml" and c.every == 1800
    assert d.url == str(tmp_path / "local" / "feed.rss")  # relative to the sources file
    assert (cfg.fetch.read_timeout, cfg.fetch.retries) == (5, 0)


def test_load_sources_plain_list(tmp_path):
    cfg = load_sources(write(tmp_path, [{"name": "A", "url": "https://example.org/a"}]))
    assert [s.label for s in cfg.sources] == ["A"]


@pytest.mark.parametrize(("data", "message"), [
    ({"feeds": [{"url": "https://example.org/a", "fetch_page": False}]}, "fetch_page"),
    ({"feeds": [{"url": "https://example.org/a", "every": "often"}]}, "every"),
    ({"feeds": [{"name": "no url"}]}, "'url' is missing"),
    ({"feeds": [{"url": "https://example.org/a", "max_items": 0}]}, "max_items"),
    ({"feeds": [{"url": "https://example.org/a", "fetch_pages": "yes"}]}, "fetch_pages"),
    ({"feeds": ["https://example.org/a", "https://example.org/a"]}, "listed twice"),
    ({"feeds": []}, "list of feeds"),
    ({"feed": []}, "unknown key"),
    ({"fetch": {"timeout": 3}, "feeds": ["https://example.org/a"]}, "timeout"),
])  # fmt: skip
def test_load_sources_errors_name_the_problem(tmp_path, data, message):
    with pytest.raises(SourcesError, match=message):
        load_sources(write(tmp_path, data))


def test_load_sources_bad_yaml_and_missing_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("feeds: [unclosed", encoding="utf-8")
    with pytest.raises(SourcesError, match="not valid YAML"):
        load_sources(bad)
    with pytest.raises(SourcesError):
        load_sources(tmp_path / "nope.yaml")


def test_sample_sources_file_is_valid():
    sample = Path(__file__).parents[2] / "samples" / "sources.yaml"
    cfg = load_sources(sample)
    assert len(cfg.sources) >= 2
    assert all("example.org" in s.url for s in cfg.sources)


# -- the watcher with a stand-in coder (fast) ------------------------------------------------


class FakeCoder:
    version = "fake-1"

    def __init__(self):
        self.coded = []

    def code_each(self, articles, batch_size=32):
        for a in articles:
            a.ensure_id()
            self.coded.append(a.title)
            yield CodedArticle(a)


def items(server, *rows):
    return [{"title": t, "link": server.url(f"/n/{g}"), "guid": g,
             "pubDate": "Fri, 06 Jun 2025 10:00:00 GMT", "description": text}
            for g, t, text in rows]  # fmt: skip


def test_watcher_ingests_only_new_entries(server, settings, tmp_path):
    from tidings.ingest.sources import Source

    url = server.add("/f.xml", ctype=RSS, body=rss("W", items(
        server, ("a", "A", STORY_A), ("b", "B", STORY_B))))
    coder = FakeCoder()
    with Store(f"sqlite:///{tmp_path / 'w.db'}") as store, Fetcher(settings, policy=LOCAL) as f:
        w = Watcher([Source(url, fetch_pages=False)], store, f, every=60, coder=lambda: coder)
        r1 = w.poll(w.sources[0])
        assert (r1.entries, r1.new, r1.stored, r1.failed) == (2, 2, 2, False)
        # the same story under a new guid, and a genuinely new one
        server.add("/f.xml", ctype=RSS, body=rss("W", items(
            server, ("c", "C", STORY_C), ("a2", "A again", STORY_A), ("a", "A", STORY_A),
            ("b", "B", STORY_B))))
        r2 = w.poll(w.sources[0])
        assert (r2.entries, r2.new, r2.stored, r2.duplicates) == (4, 2, 1, 1)
        assert coder.coded == ["A", "B", "C"]  # nothing coded twice
        r3 = w.poll(w.sources[0])
        assert (r3.new, r3.stored) == (0, 0)
        assert store.summary()["documents"] == 3


def test_watcher_loop_polls_on_its_interval_and_stops(server, settings, tmp_path):
    from tidings.ingest.sources import Source

    url = server.add("/f.xml", ctype=RSS, body=rss("W", items(server, ("a", "A", STORY_A))))
    stop = threading.Event()
    reports = []

    def on_report(r):
        reports.append(r)
        if len(reports) == 3:
            stop.set()

    with Store(f"sqlite:///{tmp_path / 'w.db'}") as store, Fetcher(settings, policy=LOCAL) as f:
        w = Watcher([Source(url, fetch_pages=False, every=0.05)], store, f, every=60,
                    coder=FakeCoder)
        t = threading.Thread(target=w.run, kwargs={"stop": stop, "on_report": on_report})
        started = time.monotonic()
        t.start()
        t.join(timeout=5)
    assert not t.is_alive()
    assert len(reports) == 3 and server.hits["/f.xml"] == 3
    assert time.monotonic() - started < 3  # the per-feed 0.05 s won over the default 60 s


# -- the command, end to end ------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def feeds(server, tmp_path):
    """sources.yaml with one of each kind of feed, good and bad."""
    server.add("/robots.txt", ctype="text/plain", body="User-agent: *\nDisallow: /private/\n")
    server.add("/rss.xml", ctype=RSS, body=rss("Harbor Times", items(
        server, ("a", "Protesters arrested", "Teaser only."), ("b", "Cairo talks", STORY_B))))
    server.add("/n/a", body=page("Protesters arrested", STORY_A, STORY_B.replace("Cairo", "Amman"),
                                 "Diplomats said they were following the events closely."))
    server.add("/atom.xml", ctype=ATOM, body=atom("Atom Wire", [
        {"title": "Kharkiv shelled", "link": server.url("/n/k"), "id": "urn:k",
         "updated": "2025-06-08T09:00:00Z", "summary": STORY_C}]))
    server.add("/moved.xml", status=301, headers={"Location": "/atom.xml"})
    server.add("/loop1", status=302, headers={"Location": "/loop2"})
    server.add("/loop2", status=302, headers={"Location": "/loop1"})
    server.add("/slow.xml", ctype=RSS, body=rss("Slow", []), delay=1.0)
    server.add("/broken.xml", ctype=RSS, body=rss("Broken", items(server, ("x", "X", "y")))[:150])
    server.add("/html", body=page("Front page", STORY_A))
    server.add("/huge.xml", ctype=RSS, body=rss("Huge", items(
        server, *[(f"h{i}", f"H{i}", STORY_A + str(i)) for i in range(400)])))
    server.add("/private/feed.xml", ctype=RSS, body=rss("Private", []))
    bad = ["slow.xml", "broken.xml", "html", "huge.xml", "loop1", "private/feed.xml"]
    data = {"fetch": FAST, "defaults": {"allow_private": True}, "feeds": [
        {"name": "Harbor", "url": server.url("/rss.xml")},
        {"url": server.url("/moved.xml"), "fetch_pages": False},
        *[{"name": f"bad {b}", "url": server.url(f"/{b}")} for b in bad],
        {"name": "down", "url": f"http://127.0.0.1:{_closed_port()}/feed.xml"},
    ]}  # fmt: skip
    return write(tmp_path, data)


def test_watch_once_ingests_the_valid_and_reports_the_rest(coder, server, feeds, tmp_path):
    db = f"sqlite:///{tmp_path / 'watch.db'}"
    result = runner.invoke(app, ["watch", str(feeds), "--once", "--db", db])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Harbor: 2 entries, 2 new, 2 stored" in out
    for reason in ("timeout", "broken_feed", "not_a_feed", "oversized", "redirect_loop",
                   "robots_disallowed", "unreachable"):
        assert reason in out, reason
    assert "7 feed(s) unreadable" in out
    with Store(db) as store:
        docs = store.summary()["documents"]
        errors = {(e["origin"], e["reason"]) for e in store.errors()}
        texts = {r.text for r in _documents(store)}
    assert docs == 3
    assert any(STORY_A in t for t in texts)  # the page behind a teaser-only entry
    assert STORY_C in texts  # Atom, reached through a redirect
    assert (server.url("/slow.xml"), "timeout") in errors
    assert (server.url("/private/feed.xml"), "robots_disallowed") in errors
    assert server.hits["/private/feed.xml"] == 0
    page_hits = server.hits["/n/a"]

    again = runner.invoke(app, ["watch", str(feeds), "--once", "--db", db])
    assert again.exit_code == 0, again.output
    assert "Harbor: 2 entries, 0 new, 0 stored" in again.output
    assert "stored 0 documents" in again.output
    assert server.hits["/n/a"] == page_hits  # seen entries are not fetched again
    with Store(db) as store:
        assert store.summary()["documents"] == 3


def _documents(store):
    from tidings.store.schema import documents

    with store.engine.connect() as conn:
        return list(conn.execute(select(documents.c.text)))


def test_watch_rejects_bad_options(tmp_path):
    path = write(tmp_path, {"feeds": ["https://example.org/a"]})
    assert runner.invoke(app, ["watch", str(path), "--every", "soon", "--once"]).exit_code == 2
    bad = write(tmp_path, {"feeds": [{"url": "https://example.org/a", "evry": "1m"}]})
    result = runner.invoke(app, ["watch", str(bad), "--once"])
    assert result.exit_code == 2 and "evry" in result.output


def test_watch_ctrl_c_exits_cleanly(monkeypatch, server, tmp_path):
    def interrupted(self, **kw):
        raise KeyboardInterrupt

    monkeypatch.setattr(Watcher, "run", interrupted)
    path = write(tmp_path, {"feeds": [server.url("/f.xml")]})
    result = runner.invoke(app, ["watch", str(path), "--db", f"sqlite:///{tmp_path / 'c.db'}"])
    assert result.exit_code == 0, result.output
    assert "stopped" in result.output and "watching 1 feed(s)" in result.output
