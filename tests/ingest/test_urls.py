"""Polite fetching against a local server: timeouts, caps, retries, redirects, robots.txt."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from localweb import LOCAL, Reply, page

from tidings.ingest import iter_articles
from tidings.ingest.urls import USER_AGENT, Fetched, Fetcher, fetch_article
from tidings.model import Article, Rejected

P1 = ("Negotiators from both governments met in Geneva on Tuesday to resume ceasefire talks "
      "after weeks of fighting along the border region.")
P2 = ("The foreign minister said the delegation would press for a prisoner exchange and the "
      "reopening of humanitarian corridors before the end of the month.")
P3 = ("Observers from the United Nations attended the first session, which lasted more than "
      "six hours according to officials familiar with the discussions.")
ARTICLE = page("Ceasefire talks resume", P1, P2, P3)


@pytest.fixture
def fetcher(settings):
    with Fetcher(settings, policy=LOCAL) as f:
        yield f


def test_article_page_main_text_without_boilerplate(server, fetcher):
    url = server.add("/news/talks.html", body=ARTICLE)
    art = fetch_article(url, fetcher, source="Fallback", published="2025-06-01")
    assert isinstance(art, Article), art
    assert P1 in art.text and "humanitarian corridors" in art.text
    for junk in ("Navigation menu", "cookie policy", "Subscribe to our newsletter", "Copyright"):
        assert junk not in art.text
    assert art.title == "Ceasefire talks resume"
    assert (art.url, art.origin, art.published) == (url, url, "2025-06-01")


def test_user_agent_names_tidings_and_a_placeholder_url(server, fetcher):
    url = server.add("/a", body=ARTICLE)
    assert isinstance(fetcher.fetch(url), Fetched)
    assert USER_AGENT.startswith("tidings/") and "(+https://example.org/" in USER_AGENT
    assert server.agents and set(server.agents) == {USER_AGENT}  # robots.txt request too


def test_retry_after_503_then_success(server, fetcher):
    url = server.add("/flaky", Reply(status=503, body="busy"), Reply(body=ARTICLE))
    got = fetcher.fetch(url)
    assert isinstance(got, Fetched) and got.status == 200
    assert server.hits["/flaky"] == 2


def test_retries_are_bounded(server, fetcher):
    url = server.add("/down", status=503, body="busy")
    got = fetcher.fetch(url)
    assert isinstance(got, Rejected)
    assert got.reason == "http_error" and "503" in got.detail
    assert server.hits["/down"] == 1 + fetcher.settings.retries


def test_client_errors_are_not_retried(server, fetcher):
    got = fetcher.fetch(server.url("/missing"))
    assert (got.reason, server.hits["/missing"]) == ("http_error", 1)
    assert "404" in got.detail


def test_slow_server_times_out_quickly(server, fetcher):
    url = server.add("/slow", body=ARTICLE, delay=1.5)
    started = time.monotonic()
    got = fetcher.fetch(url)
    elapsed = time.monotonic() - started
    assert isinstance(got, Rejected) and got.reason == "timeout"
    # two attempts of 0.3 s read timeout each, well before the server would answer
    assert elapsed < 1.4
    assert server.hits["/slow"] == 2


def test_dribbling_body_is_cut_off_at_the_deadline(server, settings):
    def dribble(wfile):
        for _ in range(100):  # each byte arrives inside the read timeout, the whole never ends
            wfile.write(b"<p>x</p>")
            wfile.flush()
            time.sleep(0.1)

    settings.deadline = 0.5
    url = server.add("/drip", stream=dribble)
    started = time.monotonic()
    with Fetcher(settings, policy=LOCAL) as f:
        got = f.fetch(url)
    assert isinstance(got, Rejected) and got.reason == "timeout"
    assert "still arriving" in got.detail
    assert time.monotonic() - started < 2.0


def test_declared_oversize_is_refused_before_reading(server, fetcher):
    url = server.add("/big", body=b"<p>" + b"x" * 150_000 + b"</p>")
    got = fetcher.fetch(url)
    assert isinstance(got, Rejected) and got.reason == "oversized"
    assert "Content-Length" in got.detail


def test_undeclared_oversize_stops_streaming_at_the_cap(server, fetcher):
    sent = []

    def endless(wfile):
        chunk = b"<p>" + b"y" * 8192 + b"</p>\n"
        for _ in range(5000):  # ~40 MB if nobody stopped reading
            wfile.write(chunk)
            sent.append(len(chunk))

    url = server.add("/huge", stream=endless)
    got = fetcher.fetch(url)
    assert isinstance(got, Rejected) and got.reason == "oversized"
    assert "max_bytes=100000" in got.detail
    assert sum(sent) < 20_000_000  # the client hung up long before the end


@pytest.mark.parametrize("ctype", ["application/pdf", "image/png", "application/json"])
def test_content_type_must_be_html_xml_or_text(server, fetcher, ctype):
    url = server.add("/file", body=b"%PDF-1.4 binary", ctype=ctype)
    got = fetcher.fetch(url)
    assert isinstance(got, Rejected) and got.reason == "bad_content_type"
    assert ctype in got.detail


def test_redirect_is_followed_to_the_final_url(server, fetcher):
    final = server.add("/new", body=ARTICLE)
    url = server.add("/old", status=301, headers={"Location": "/new"}, body="")
    art = fetch_article(url, fetcher)
    assert isinstance(art, Article)
    assert (art.url, art.origin) == (final, url)


def test_redirect_loop_is_reported(server, fetcher):
    url = server.add("/a", status=301, headers={"Location": "/b"}, body="")
    server.add("/b", status=302, headers={"Location": "/a"}, body="")
    got = fetcher.fetch(url)
    assert isinstance(got, Rejected) and got.reason == "redirect_loop"
    assert "/b" in got.detail
    assert server.hits["/a"] == 1 and server.hits["/b"] == 1


def test_redirect_chain_longer_than_the_limit(server, fetcher):
    for i in range(10):
        server.add(f"/r{i}", status=302, headers={"Location": f"/r{i + 1}"}, body="")
    server.add("/r10", body=ARTICLE)
    got = fetcher.fetch(server.url("/r0"))
    assert isinstance(got, Rejected) and got.reason == "too_many_redirects"
    assert server.hits["/r10"] == 0


def test_robots_txt_disallow_is_respected_and_cached(server, fetcher):
    server.add("/robots.txt", body="User-agent: *\nDisallow: /private/\n", ctype="text/plain")
    server.add("/private/memo.html", body=ARTICLE)
    ok = server.add("/public.html", body=ARTICLE)
    got = fetcher.fetch(server.url("/private/memo.html"))
    assert isinstance(got, Rejected) and got.reason == "robots_disallowed"
    assert server.hits["/private/memo.html"] == 0
    assert isinstance(fetcher.fetch(ok), Fetched)
    assert server.hits["/robots.txt"] == 1  # one robots.txt per host per run


def test_robots_rules_for_our_agent_only(server, fetcher):
    server.add("/robots.txt", ctype="text/plain",
               body="User-agent: tidings\nDisallow: /\n\nUser-agent: *\nAllow: /\n")
    got = fetcher.fetch(server.add("/x", body=ARTICLE))
    assert got.reason == "robots_disallowed"


def test_robots_disallow_applies_after_a_redirect(server, fetcher):
    server.add("/robots.txt", body="User-agent: *\nDisallow: /private/\n", ctype="text/plain")
    server.add("/private/x", body=ARTICLE)
    got = fetcher.fetch(server.add("/go", status=302, headers={"Location": "/private/x"}))
    assert got.reason == "robots_disallowed" and server.hits["/private/x"] == 0


@pytest.mark.parametrize(("status", "allowed"), [(403, False), (401, False), (404, True),
                                                 (500, True)])
def test_robots_status_conventions(server, fetcher, status, allowed):
    server.add("/robots.txt", status=status, body="nope", ctype="text/plain")
    got = fetcher.fetch(server.add("/page", body=ARTICLE))
    assert isinstance(got, Fetched) is allowed
    assert server.hits["/page"] == (1 if allowed else 0)


def test_unreachable_host_is_a_rejection_not_an_exception(settings):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with Fetcher(settings, policy=LOCAL) as f:
        got = f.fetch(f"http://127.0.0.1:{port}/feed.xml")
    assert isinstance(got, Rejected) and got.reason == "unreachable"


def test_bad_url(fetcher):
    assert fetcher.fetch("ftp://example.org/x").reason == "bad_url"


def test_host_delay_spaces_requests_to_one_host(server, settings):
    settings.host_delay = 0.2
    url = server.add("/p", body=ARTICLE)
    with Fetcher(settings, policy=LOCAL) as f:
        started = time.monotonic()
        f.fetch(url)
        f.fetch(url)
    # robots.txt, then two pages: two pauses at least
    assert time.monotonic() - started >= 0.4


def test_charset_from_header_is_used(server, fetcher):
    body = page("Caf\u00e9 talks", P1, P2, P3).encode("latin-1")
    url = server.add("/latin", body=body, ctype="text/html; charset=iso-8859-1")
    art = fetch_article(url, fetcher)
    assert isinstance(art, Article) and art.title == "Caf\u00e9 talks"


def test_page_without_text_is_rejected(server, fetcher):
    url = server.add("/empty", body="<html><body><script>var a=1;</script></body></html>")
    assert fetch_article(url, fetcher).reason == "no_text"


# -- through iter_articles --------------------------------------------------------------


def test_iter_articles_fetches_urls_alongside_files(server, settings, tmp_path):
    url = server.add("/story", body=ARTICLE)
    txt = tmp_path / "a.txt"
    txt.write_text("A local story about talks.", encoding="utf-8")
    with Fetcher(settings, policy=LOCAL) as f:
        items = list(iter_articles([url, txt, server.url("/gone")], fetcher=f, source="Wire"))
    assert [type(i).__name__ for i in items] == ["Article", "Article", "Rejected"]
    assert P1 in items[0].text
    assert items[0].source == "Wire"  # the page names no site: the given name, not the host
    assert items[2].reason == "http_error"


def test_a_site_name_the_page_declares_wins_over_the_default(server, settings):
    named = ARTICLE.replace("<head>", '<head><meta property="og:site_name" content="Harbor '
                                      'Times">')
    plain = server.add("/plain", body=ARTICLE)
    with Fetcher(settings, policy=LOCAL) as f:
        (a,) = iter_articles([server.add("/named", body=named)], fetcher=f, source="Wire")
        (b,) = iter_articles([plain], fetcher=f)
    assert a.source == "Harbor Times"
    assert b.source == f"127.0.0.1:{server.port}"  # nothing better known: the host


def test_iter_articles_repairs_a_url_squeezed_by_pathlib(server, settings):
    url = server.add("/story", body=ARTICLE)
    squeezed = Path(url)  # "http:/127.0.0.1:PORT/story": what a Path-typed CLI argument gives
    assert "://" not in str(squeezed)
    with Fetcher(settings, policy=LOCAL) as f:
        (art,) = list(iter_articles([squeezed], fetcher=f))
    assert isinstance(art, Article) and art.url == url
