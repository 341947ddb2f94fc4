"""RSS and Atom feeds: valid, slow, broken, HTML, huge and redirecting, served locally."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from localweb import ATOM, LOCAL, RSS, Reply, atom, page, rss

from tidings.ingest import iter_articles
from tidings.ingest.feeds import FeedOptions, iter_feed, load_feed, parse_feed
from tidings.ingest.urls import Fetcher
from tidings.model import Article, Rejected

BODY = ("Police arrested twelve protesters outside parliament in Tbilisi on Friday after a march "
        "against the new foreign agents law turned violent, the interior ministry said.")
MORE = ("Opposition leaders called for further demonstrations over the weekend and urged the "
        "government to withdraw the bill before its final reading next month.")
STILL = ("Diplomats from several European embassies said they were following the events closely "
         "and called on all sides to refrain from violence.")


def two_items(server) -> list[dict[str, str]]:
    return [
        {"title": "Protesters arrested in Tbilisi", "link": server.url("/news/tbilisi"),
         "guid": "tbilisi-1", "pubDate": "Fri, 06 Jun 2025 23:30:00 -0500",
         "description": "&lt;p&gt;Police arrested &lt;b&gt;twelve&lt;/b&gt; protesters.&lt;/p&gt;"},
        {"title": "Talks in Cairo", "link": server.url("/news/cairo"), "guid": "cairo-1",
         "pubDate": "Thu, 05 Jun 2025 08:00:00 GMT",
         "description": "Israel and Egypt held talks in Cairo on Thursday &amp; agreed to meet."},
    ]  # fmt: skip


@pytest.fixture
def fetcher(settings):
    with Fetcher(settings, policy=LOCAL) as f:
        yield f


def read(url, fetcher, **opts) -> list[Article | Rejected]:
    feed = load_feed(url, fetcher)
    if isinstance(feed, Rejected):
        return [feed]
    return list(iter_feed(feed, FeedOptions(**opts), fetcher))


# -- valid feeds ---------------------------------------------------------------------------


def test_rss_entries_become_articles_from_summaries(server, fetcher):
    url = server.add("/rss.xml", body=rss("Harbor Times World", two_items(server)), ctype=RSS)
    a, b = read(url, fetcher, fetch_pages=False)
    assert (a.title, a.url, a.source, a.origin) == (
        "Protesters arrested in Tbilisi", server.url("/news/tbilisi"), "Harbor Times World", url)
    assert a.published == "2025-06-06"  # the date as written, not shifted to UTC
    assert a.text == "Police arrested twelve protesters."  # HTML stripped, entities decoded
    assert b.text == "Israel and Egypt held talks in Cairo on Thursday & agreed to meet."
    assert b.published == "2025-06-05"
    assert server.hits["/news/tbilisi"] == 0  # fetch_pages off: no page requests


def test_summary_only_entries_get_the_linked_pages_main_text(server, fetcher):
    url = server.add("/rss.xml", body=rss("Harbor Times World", two_items(server)), ctype=RSS)
    server.add("/news/tbilisi", body=page("Protesters arrested in Tbilisi", BODY, MORE, STILL))
    a, b = read(url, fetcher)  # fetch_pages defaults to on
    assert BODY in a.text and MORE in a.text
    assert "Subscribe to our newsletter" not in a.text and "cookie" not in a.text.lower()
    assert a.title == "Protesters arrested in Tbilisi"
    # the Cairo page is missing (404): the summary stands in
    assert b.text.startswith("Israel and Egypt held talks")
    assert server.hits["/news/cairo"] == 1


def test_full_content_in_the_feed_is_used_without_fetching(server, fetcher):
    items = [{"title": "Full story", "link": server.url("/full"), "guid": "f1",
              "description": "Short teaser.",
              "content:encoded": f"<![CDATA[<p>{BODY}</p><p>{MORE}</p>]]>"}]
    url = server.add("/rss.xml", body=rss("Wire", items), ctype=RSS)
    (a,) = read(url, fetcher)
    assert a.text == f"{BODY}\n\n{MORE}"
    assert server.hits["/full"] == 0


def test_atom_feed(server, fetcher):
    entries = [{"title": "Ceasefire talks", "link": server.url("/e1"), "id": "urn:e1",
                "updated": "2025-06-03T10:00:00Z", "summary": "Talks resumed.",
                "content": f"&lt;p&gt;{BODY}&lt;/p&gt;"}]
    url = server.add("/atom", body=atom("Atom Wire", entries), ctype=ATOM)
    (a,) = read(url, fetcher, name="Given Name")
    assert (a.title, a.url, a.published, a.text) == ("Ceasefire talks", server.url("/e1"),
                                                     "2025-06-03", BODY)
    assert a.source == "Given Name"  # a configured name wins over the feed's title


def test_max_items_keeps_the_first_entries(server, fetcher):
    url = server.add("/rss.xml", body=rss("W", two_items(server)), ctype=RSS)
    feed = load_feed(url, fetcher, max_items=1)
    # feedparser reads an RSS guid as a permalink and resolves it against the feed URL
    assert [e.key for e in feed.entries] == [server.url("/tbilisi-1")]


def test_entry_without_any_text_is_rejected_alone(server, fetcher):
    items = [{"title": "Empty", "guid": "e"}, two_items(server)[1]]
    url = server.add("/rss.xml", body=rss("W", items), ctype=RSS)
    rej, art = read(url, fetcher)
    assert isinstance(rej, Rejected) and rej.reason == "no_text"
    assert rej.origin == server.url("/e")  # the guid doubles as the entry's link
    assert "linked page: http_error" in rej.detail  # it was tried, and said why it failed
    assert isinstance(art, Article)


def test_undefined_html_entity_is_tolerated(server, fetcher):
    body = rss("Harbor&nbsp;Times", two_items(server)[1:])
    url = server.add("/rss.xml", body=body, ctype=RSS)
    (a,) = read(url, fetcher, fetch_pages=False)
    assert isinstance(a, Article) and a.source == "Harbor Times"


def test_feed_served_as_text_html_is_still_sniffed(server, fetcher):
    url = server.add("/rss", body=rss("W", two_items(server)), ctype="text/html")
    assert [type(x).__name__ for x in read(url, fetcher, fetch_pages=False)] == ["Article"] * 2


# -- feeds that fail -----------------------------------------------------------------------


def test_broken_xml_is_reported_not_guessed_at(server, fetcher):
    whole = rss("W", two_items(server))
    url = server.add("/broken.xml", body=whole[: len(whole) // 2], ctype=RSS)
    (rej,) = read(url, fetcher)
    assert isinstance(rej, Rejected) and rej.reason == "broken_feed"
    assert "malformed XML at line" in rej.detail


def test_html_instead_of_xml(server, fetcher):
    url = server.add("/feed", body=page("Home", BODY), ctype="text/html")
    (rej,) = read(url, fetcher)
    assert (rej.reason, rej.origin) == ("not_a_feed", url)


def test_xml_that_is_not_a_feed(server, fetcher):
    url = server.add("/sitemap.xml", ctype="application/xml",
                     body='<?xml version="1.0"?><urlset><url><loc>x</loc></url></urlset>')
    (rej,) = read(url, fetcher)
    assert rej.reason == "not_a_feed"


def test_huge_feed_hits_the_size_cap(server, fetcher):
    items = [dict(two_items(server)[0], guid=f"g{i}") for i in range(2000)]
    url = server.add("/huge.xml", body=rss("W", items), ctype=RSS)
    (rej,) = read(url, fetcher)
    assert rej.reason == "oversized"


def test_slow_feed_times_out(server, fetcher):
    url = server.add("/slow.xml", body=rss("W", two_items(server)), ctype=RSS, delay=1.0)
    (rej,) = read(url, fetcher)
    assert rej.reason == "timeout"


def test_redirect_to_a_valid_feed(server, fetcher):
    server.add("/new.xml", body=rss("Moved Wire", two_items(server)), ctype=RSS)
    url = server.add("/old.xml", status=301, headers={"Location": "/new.xml"})
    items = read(url, fetcher, fetch_pages=False)
    assert [a.source for a in items] == ["Moved Wire", "Moved Wire"]
    assert items[0].origin == url  # reported under the URL the user gave


def test_redirect_loop(server, fetcher):
    url = server.add("/l1", status=301, headers={"Location": "/l2"})
    server.add("/l2", status=301, headers={"Location": "/l1"})
    (rej,) = read(url, fetcher)
    assert rej.reason == "redirect_loop"


def test_parse_feed_never_raises_on_garbage():
    for junk in (b"\x00\x01\x02", b"<rss", b"{json: 1}", "<rss>\u2603".encode("utf-16")):
        got = parse_feed(junk, "junk")
        assert isinstance(got, Rejected) and got.reason in ("broken_feed", "not_a_feed")


# -- through iter_articles -----------------------------------------------------------------


def test_iter_articles_decides_feed_or_page_by_content(server, settings):
    feed = server.add("/rss", body=rss("Wire", two_items(server)), ctype=RSS)
    art = server.add("/story", body=page("Protesters arrested", BODY, MORE, STILL))
    with Fetcher(settings, policy=LOCAL) as f:
        items = list(iter_articles([feed, art], fetcher=f, fetch_pages=False))
    assert [i.title for i in items] == ["Protesters arrested in Tbilisi", "Talks in Cairo",
                                        "Protesters arrested"]
    assert BODY in items[2].text


@pytest.mark.parametrize("name", ["w.rss", "w.atom", "w.xml"])
def test_local_feed_files(tmp_path: Path, name: str, server):
    entries = [{"title": "Local", "link": "https://example.org/a", "id": "a",
                "updated": "2025-06-03T10:00:00Z", "summary": BODY}]
    path = tmp_path / name
    path.write_text(atom("Local Wire", entries), encoding="utf-8")
    (a,) = iter_articles(path, fetch_pages=False, source="Unused")
    assert (a.text, a.source, a.url, a.published, a.origin) == (
        BODY, "Local Wire", "https://example.org/a", "2025-06-03", str(path))


def test_xml_file_that_is_not_a_feed_is_still_plain_text(tmp_path: Path):
    path = tmp_path / "notes.xml"
    path.write_text("<notes><n>Meeting at noon.</n></notes>", encoding="utf-8")
    (a,) = iter_articles(path)
    assert isinstance(a, Article) and "Meeting at noon." in a.text


def test_broken_rss_file_and_oversized_feed_file(tmp_path: Path):
    broken = tmp_path / "b.rss"
    broken.write_text("<rss><channel><title>x</title><item><title>a", encoding="utf-8")
    big = tmp_path / "big.atom"
    big.write_text(atom("W", []) + " " * 5000, encoding="utf-8")
    r1, r2 = iter_articles([broken, big], max_bytes=1000)
    assert (r1.reason, r2.reason) == ("broken_feed", "oversized")


def test_directory_walk_skips_yaml_config(tmp_path: Path):
    (tmp_path / "sources.yaml").write_text("feeds: []\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("A story.", encoding="utf-8")
    assert [a.text for a in iter_articles(tmp_path)] == ["A story."]


def test_feed_reply_sequence_helper_serves_in_order(server):
    # guards the helper the retry tests rely on
    server.add("/s", Reply(body="one"), Reply(body="two"))
    assert [httpx.get(server.url("/s")).text for _ in range(3)] == ["one", "two", "two"]


def test_cli_ingest_takes_feed_and_page_urls(coder, server, tmp_path, monkeypatch, settings):
    from typer.testing import CliRunner

    from tidings.cli import app
    from tidings.ingest import remote
    from tidings.store import Store

    # the CLI opens its own client: give it the test's short timeouts and no host pause
    monkeypatch.setattr(remote, "FetchSettings", lambda max_bytes: settings)

    items = [{"title": "Kharkiv shelled", "link": server.url("/k"), "guid": "k",
              "description": "Teaser.",
              "content:encoded": "<![CDATA[<p>Russian forces shelled the city of Kharkiv on "
                                 "Sunday, regional officials said.</p>]]>"}]
    feed = server.add("/rss.xml", body=rss("Harbor Times", items), ctype=RSS)
    story = server.add("/story", body=page("Protesters arrested", BODY, MORE, STILL))
    db = f"sqlite:///{tmp_path / 'i.db'}"
    result = CliRunner().invoke(app, ["ingest", feed, story, server.url("/gone"), "--db", db,
                                      "--quiet", "--allow-private"])
    assert result.exit_code == 1, result.output  # the unreachable page is a failed document
    assert "stored 2 documents" in result.output and "1 errors" in result.output
    with Store(db) as store:
        assert store.summary()["documents"] == 2
        assert [e["reason"] for e in store.errors()] == ["http_error"]
