"""The fetch policy (tidings.ingest.policy): no request reaches loopback, private or
link-local addresses unless a source opts in, whether named directly, reached by a redirect,
or hidden behind a host name; and a refused fetch is recorded with its reason.

Every server here listens on loopback, and the ``loopback_only`` fixture fails a test that
tries to connect anywhere else."""

from __future__ import annotations

import pytest
import yaml
from servers import PUBLIC_IP, SECRET, page, rss
from typer.testing import CliRunner

from tidings.cli import app
from tidings.ingest import iter_articles
from tidings.ingest.policy import FetchPolicy, classify
from tidings.ingest.sources import Source, load_sources
from tidings.ingest.urls import Fetched, Fetcher
from tidings.ingest.watcher import Watcher
from tidings.model import Article, CodedArticle, Rejected
from tidings.store import Store

STORY = ("Police arrested dozens of protesters outside parliament on Friday after a march "
         "against the new labour law turned violent, officials said.")


def refused(result) -> bool:
    return isinstance(result, Rejected) and result.reason == "blocked_address"


# -- addresses, directly ----------------------------------------------------------------


@pytest.mark.parametrize("address, kind", [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("10.0.0.1", "private"),
    ("192.168.1.20", "private"), ("172.16.5.4", "private"), ("169.254.169.254", "link-local"),
    ("fe80::1", "link-local"), ("fc00::1", "private"), ("0.0.0.0", "unspecified"),
    ("224.0.0.1", "multicast/broadcast"), ("255.255.255.255", "multicast/broadcast"),
    ("100.64.0.1", "not globally routable"), ("::ffff:127.0.0.1", "loopback"),
    ("240.0.0.1", "private"), ("93.184.215.14", None), ("2606:4700::1111", None)])
def test_addresses_are_classified(address, kind):
    import ipaddress

    assert classify(ipaddress.ip_address(address)) == kind


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::ffff:127.0.0.1]",
                                  "2130706433", "0x7f.0.0.1", "internal.test", "v6loop.test"])
def test_loopback_is_refused_however_it_is_named(dns, internal, settings, host):
    with Fetcher(settings) as f:
        got = f.fetch(f"http://{host}:{internal.port}/admin")
    assert refused(got), got
    assert "fetch policy" in got.detail and "loopback" in got.detail
    assert internal.total_hits == 0


@pytest.mark.parametrize("host, kind", [("intranet.test", "private"),
                                        ("metadata.test", "link-local")])
def test_private_and_link_local_names_are_refused_before_any_connection(
        dns, settings, loopback_only, host, kind):
    with Fetcher(settings) as f:
        got = f.fetch(f"http://{host}/latest")
    assert refused(got) and kind in got.detail
    assert loopback_only == []  # no socket was even opened


def test_a_name_that_mixes_public_and_internal_addresses_is_refused(
        dns, public_is_public, public, internal, settings):
    public.add("/x", body=page("Hi", STORY))
    with Fetcher(settings) as f:
        got = f.fetch(f"http://mixed.test:{internal.port}/x")
    assert refused(got)
    assert public.total_hits == internal.total_hits == 0


def test_only_http_and_https(settings):
    with Fetcher(settings) as f:
        for url in ("file:///etc/passwd", "gopher://127.0.0.1/", "ftp://example.org/x"):
            assert f.fetch(url).reason == "bad_url"


# -- by redirect --------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["http://127.0.0.1:{port}/admin",
                                    "http://localhost:{port}/admin",
                                    "http://internal.test:{port}/admin",
                                    "http://[::ffff:7f00:1]:{port}/admin"])
def test_public_page_redirecting_inward_is_refused_at_that_hop(
        dns, public_is_public, public, internal, settings, target):
    public.add("/story", status=302, headers={"Location": target.format(port=internal.port)})
    with Fetcher(settings) as f:
        got = f.fetch(f"http://news.test:{public.port}/story")
    assert refused(got), got
    assert "after redirect" in got.detail
    assert got.origin == f"http://news.test:{public.port}/story"
    assert public.hits["/story"] == 1
    assert internal.total_hits == 0


def test_a_public_page_is_fetched(dns, public_is_public, public, settings):
    public.add("/story", body=page("Arrests", STORY))
    with Fetcher(settings) as f:
        got = f.fetch(f"http://news.test:{public.port}/story")
    assert isinstance(got, Fetched) and STORY in got.text()


def test_robots_txt_redirect_inward_is_not_followed(
        dns, public_is_public, public, internal, settings):
    public.add("/robots.txt", status=301,
               headers={"Location": f"http://127.0.0.1:{internal.port}/robots.txt"})
    public.add("/story", body=page("Arrests", STORY))
    with Fetcher(settings) as f:
        got = f.fetch(f"http://news.test:{public.port}/story")
    assert isinstance(got, Fetched)  # unreadable robots.txt: allowed, as before
    assert internal.total_hits == 0


# -- DNS rebinding: the address connected to is the one checked -----------------------


def test_a_name_that_rebinds_after_the_check_still_cannot_reach_loopback(
        dns, public_is_public, public, internal, settings, monkeypatch):
    if public.port != internal.port:
        pytest.skip("could not give both servers one port")
    answers = iter([[PUBLIC_IP]])  # public when first asked, loopback from then on
    from tidings.ingest import policy as policy_module

    def rebinding(host, port):
        dns.append(host)
        return next(answers, ["127.0.0.1"])

    monkeypatch.setattr(policy_module, "resolve_host", rebinding)
    public.add("/admin", body=page("Public", STORY))
    with Fetcher(settings) as f:
        got = f.fetch(f"http://rebind.test:{internal.port}/admin")
    assert refused(got), got
    assert len(dns) >= 2  # checked before the request, and again when connecting
    assert internal.total_hits == 0


# -- feeds and their item links ---------------------------------------------------------


@pytest.fixture
def inward_feed(dns, public_is_public, public, internal):
    """A public feed whose one item has only a summary and links to the internal server."""
    link = f"http://127.0.0.1:{internal.port}/admin"
    public.add("/feed.xml", body=rss([("a1", link, STORY)]),
               ctype="application/rss+xml; charset=utf-8")
    return f"http://news.test:{public.port}/feed.xml"


def test_feed_item_link_to_loopback_is_refused_and_reported(inward_feed, internal, settings):
    with Fetcher(settings) as f:
        items = list(iter_articles([inward_feed], fetcher=f))
    refusals = [i for i in items if refused(i)]
    articles = [i for i in items if isinstance(i, Article)]
    assert len(refusals) == 1 and refusals[0].origin.endswith("/admin")
    assert [a.text for a in articles] == [STORY]  # the summary, never the internal page
    assert internal.total_hits == 0


class FakeCoder:
    version = "fake-1"

    def code_many(self, articles):
        for a in articles:
            a.ensure_id()
            yield CodedArticle(a)

    def code_each(self, articles, batch_size=32):
        yield from self.code_many(articles)


def _watch(sources, db, settings):
    with Store(db) as store, Fetcher(settings) as f:
        w = Watcher(sources, store, f, every=60, coder=FakeCoder)
        reports = [w.poll(s) for s in sources]
        texts = [r[0] for r in store.engine.connect().exec_driver_sql(
            "SELECT text FROM documents").fetchall()]
        return reports, store.errors(), texts


def test_watcher_records_the_refusal(inward_feed, internal, settings, tmp_path):
    reports, errors, texts = _watch([Source(inward_feed)], f"sqlite:///{tmp_path / 'w.db'}",
                                    settings)
    assert internal.total_hits == 0
    assert [(e["reason"], e["origin"]) for e in errors] == [
        ("blocked_address", f"http://127.0.0.1:{internal.port}/admin")]
    assert "loopback" in errors[0]["detail"]
    assert texts == [STORY] and not any(SECRET in t for t in texts)
    assert reports[0].stored == 1 and len(reports[0].errors) == 1


def test_a_feed_on_loopback_is_refused_and_recorded(dns, internal, settings, tmp_path):
    url = f"http://127.0.0.1:{internal.port}/feed.xml"
    reports, errors, _ = _watch([Source(url)], f"sqlite:///{tmp_path / 'w.db'}", settings)
    assert reports[0].failed
    assert [(e["origin"], e["reason"]) for e in errors] == [(url, "blocked_address")]
    assert internal.total_hits == 0


# -- opting in ----------------------------------------------------------------------------


def test_allow_private_policy_reaches_loopback(dns, internal, settings):
    with Fetcher(settings, policy=FetchPolicy(allow_private=True)) as f:
        got = f.fetch(f"http://localhost:{internal.port}/admin")
    assert isinstance(got, Fetched) and SECRET in got.text()


def test_allow_private_never_opens_the_unspecified_address(dns, internal, settings):
    with Fetcher(settings, policy=FetchPolicy(allow_private=True)) as f:
        got = f.fetch(f"http://0.0.0.0:{internal.port}/admin")
    assert refused(got) and "unspecified" in got.detail
    assert internal.total_hits == 0


def test_allow_private_is_per_source(inward_feed, internal, settings, tmp_path):
    """Two sources in one watcher, one fetcher: only the one that opts in gets in."""
    trusted = Source(f"http://127.0.0.1:{internal.port}/intranet.xml", allow_private=True)
    internal.add("/intranet.xml", body=rss([("i1", f"http://localhost:{internal.port}/admin",
                                             "Short teaser.")]),
                 ctype="application/rss+xml; charset=utf-8")
    reports, errors, texts = _watch([Source(inward_feed), trusted],
                                    f"sqlite:///{tmp_path / 'w.db'}", settings)
    assert internal.hits["/intranet.xml"] == 1 and internal.hits["/admin"] == 1
    assert [e["reason"] for e in errors] == ["blocked_address"]  # the untrusted feed's link
    assert any(SECRET in t for t in texts) and STORY in texts


def test_sources_yaml_allow_private(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump({"feeds": [
        {"url": "http://intranet.local/feed.xml", "allow_private": True},
        "https://example.org/feed.xml"]}))
    first, second = load_sources(path).sources
    assert first.allow_private is True and second.allow_private is False
    path.write_text(yaml.safe_dump({"feeds": [{"url": "http://x/", "allow_private": "yes"}]}))
    with pytest.raises(ValueError, match="allow_private"):
        load_sources(path)


# -- through the command line -------------------------------------------------------------


@pytest.fixture
def cli_settings(monkeypatch, settings):
    from tidings.ingest import remote

    monkeypatch.setattr(remote, "FetchSettings", lambda max_bytes: settings)


def test_ingest_url_refuses_loopback_and_records_it(coder, dns, internal, cli_settings, tmp_path):
    db = f"sqlite:///{tmp_path / 'i.db'}"
    url = f"http://localhost:{internal.port}/admin"
    result = CliRunner().invoke(app, ["ingest", url, "--db", db, "--quiet"])
    assert "Traceback" not in result.output
    assert "blocked_address" in result.output
    assert internal.total_hits == 0
    with Store(db) as store:
        assert [(e["origin"], e["reason"]) for e in store.errors()] == [(url, "blocked_address")]
        assert store.summary()["documents"] == 0


def test_ingest_allow_private_flag_opts_in(coder, dns, internal, cli_settings, tmp_path):
    db = f"sqlite:///{tmp_path / 'i.db'}"
    internal.add("/story", body=page("Arrests", STORY))
    result = CliRunner().invoke(app, ["ingest", f"http://localhost:{internal.port}/story",
                                      "--db", db, "--quiet", "--allow-private"])
    assert result.exit_code == 0, result.output
    assert internal.hits["/story"] == 1
    with Store(db) as store:
        assert store.summary()["documents"] == 1 and store.errors() == []


def test_watch_once_refuses_and_records(dns, inward_feed, internal, tmp_path, monkeypatch):
    from tidings import pipeline

    monkeypatch.setattr(pipeline, "get_coder", FakeCoder)
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump({
        "fetch": {"retries": 0, "host_delay": 0, "read_timeout": 1, "connect_timeout": 1},
        "feeds": [inward_feed]}))
    db = f"sqlite:///{tmp_path / 'w.db'}"
    result = CliRunner().invoke(app, ["watch", str(path), "--once", "--db", db])
    assert "Traceback" not in result.output
    assert "blocked_address" in result.output
    assert internal.total_hits == 0
    with Store(db) as store:
        assert [e["reason"] for e in store.errors()] == ["blocked_address"]
