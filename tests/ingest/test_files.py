"""iter_articles: every input format, directory walks, and every kind of bad input."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from tidings.ingest import iter_articles, normalise_date
from tidings.model import Article, Rejected

BODY = (
    "Negotiators from both governments met in Geneva on Tuesday to resume ceasefire talks "
    "after weeks of fighting along the border region."
)


def run(*paths, **kw) -> list[Article | Rejected]:
    return list(iter_articles(paths, **kw))


def only(items: list) -> Article | Rejected:
    assert len(items) == 1, items
    return items[0]


def split(items):
    return (
        [i for i in items if isinstance(i, Article)],
        [i for i in items if isinstance(i, Rejected)],
    )


# -- plain text --------------------------------------------------------------------------


def test_text_file_title_text_origin(tmp_path: Path) -> None:
    p = tmp_path / "story.txt"
    p.write_text(f"\n  Talks resume in Geneva  \n\n{BODY}\n", encoding="utf-8")
    art = only(run(p, published="2025-06-03", source="Wire"))
    assert isinstance(art, Article)
    assert art.title == "Talks resume in Geneva"
    assert BODY in art.text
    assert art.id is None
    assert art.ensure_id() == art.content_hash[:16]
    assert art.origin == str(p)
    assert (art.published, art.source) == ("2025-06-03", "Wire")


def test_text_file_long_first_line_is_not_a_title(tmp_path: Path) -> None:
    p = tmp_path / "story.txt"
    p.write_text("x" * 201 + "\nmore", encoding="utf-8")
    assert only(run(p)).title is None


def test_unknown_extension_is_read_as_text_and_bom_is_dropped(tmp_path: Path) -> None:
    p = tmp_path / "story.article"
    p.write_bytes(b"\xef\xbb\xbfHeadline\n" + BODY.encode())
    art = only(run(p))
    assert isinstance(art, Article)
    assert art.text.startswith("Headline")
    assert art.title == "Headline"


def test_a_single_path_string_is_not_iterated_as_characters(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_text(BODY, encoding="utf-8")
    assert isinstance(only(list(iter_articles(str(p)))), Article)


# -- HTML --------------------------------------------------------------------------------

PAGE = f"""<!DOCTYPE html><html><head><title>Ceasefire talks resume | Daily Wire</title>
<meta property="og:title" content="Ceasefire talks resume"></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">Navigation menu world</a></li></ul></nav>
<article><h1>Ceasefire talks resume</h1>
<p>{BODY}</p>
<p>The foreign minister said the delegation would press for a prisoner exchange and the
reopening of humanitarian corridors before the end of the month.</p>
<p>Observers from the United Nations attended the first session, which lasted more than six
hours according to officials familiar with the discussions.</p></article>
<footer><p>Copyright 2025 Daily Wire. Subscribe to our newsletter. Cookie policy.</p></footer>
</body></html>"""


def test_html_keeps_body_drops_boilerplate(tmp_path: Path) -> None:
    p = tmp_path / "page.html"
    p.write_text(PAGE, encoding="utf-8")
    art = only(run(p, source="Fallback"))
    assert isinstance(art, Article)
    assert "Negotiators from both governments met in Geneva" in art.text
    assert "humanitarian corridors" in art.text
    for junk in ("Navigation menu", "Subscribe to our newsletter", "Cookie policy", "Copyright"):
        assert junk not in art.text
    assert art.title == "Ceasefire talks resume"
    assert art.origin == str(p)


def test_html_without_article_text_is_rejected(tmp_path: Path) -> None:
    p = tmp_path / "empty.htm"
    p.write_text("<html><head><title>x</title></head><body><script>var a=1;</script></body>"
                 "</html>", encoding="utf-8")  # fmt: skip
    rej = only(run(p))
    assert isinstance(rej, Rejected)
    assert rej.reason == "no_text"


# -- JSON Lines --------------------------------------------------------------------------


def test_jsonl_fields_and_defaults(tmp_path: Path) -> None:
    p = tmp_path / "feed.jsonl"
    rows = [
        {"id": "a1", "title": "T1", "text": BODY, "published": "2025-06-02T14:30:00Z",
         "source": "Reuters", "url": "https://example.org/a1"},
        {"id": 7, "text": "Second story text."},
    ]  # fmt: skip
    p.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    a, b = run(p, published="2025-01-01", source="Feed")
    assert (a.id, a.title, a.text, a.published) == ("a1", "T1", BODY, "2025-06-02")
    assert (a.source, a.url, a.origin) == ("Reuters", "https://example.org/a1", f"{p}:1")
    assert (b.id, b.published, b.source, b.origin) == ("7", "2025-01-01", "Feed", f"{p}:2")


def test_jsonl_malformed_line_in_the_middle(tmp_path: Path) -> None:
    p = tmp_path / "feed.ndjson"
    p.write_text(
        json.dumps({"text": "first good line"}) + "\n"
        '{"text": "broken, no closing brace"\n'
        "\n"
        "[1, 2]\n" + json.dumps({"text": "last good line"}) + "\n",
        encoding="utf-8",
    )
    items = run(p)
    arts, rejs = split(items)
    assert [a.text for a in arts] == ["first good line", "last good line"]
    assert [(r.origin, r.reason) for r in rejs] == [
        (f"{p}:2", "malformed_json"),
        (f"{p}:4", "malformed_json"),
    ]
    assert rejs[0].detail  # says what is wrong
    assert isinstance(items[-1], Article)  # the file went on after the bad lines


def test_jsonl_line_without_text(tmp_path: Path) -> None:
    p = tmp_path / "feed.jsonl"
    p.write_text('{"id": "x9", "title": "no body"}\n{"id": "y", "text": "   "}\n', encoding="utf-8")
    r1, r2 = run(p)
    assert (r1.reason, r1.article_id, r1.origin) == ("missing_text", "x9", f"{p}:1")
    assert (r2.reason, r2.article_id) == ("missing_text", "y")


def test_jsonl_oversized_line_is_skipped_alone(tmp_path: Path) -> None:
    p = tmp_path / "feed.jsonl"
    big = json.dumps({"text": "z" * 5000})
    p.write_text(
        json.dumps({"text": "small one"}) + "\n" + big + "\n" + json.dumps({"text": "tail"}) + "\n",
        encoding="utf-8",
    )
    items = run(p, max_bytes=1000)
    assert [type(i).__name__ for i in items] == ["Article", "Rejected", "Article"]
    assert (items[1].reason, items[1].origin) == ("oversized", f"{p}:2")
    assert items[2].text == "tail" and items[2].origin == f"{p}:3"


def test_jsonl_bad_utf8_line_reports_byte_offset(tmp_path: Path) -> None:
    p = tmp_path / "feed.jsonl"
    first = b'{"text": "ok"}\n'
    p.write_bytes(first + b'{"text": "caf\xe9"}\n' + b'{"text": "fine"}\n')
    items = run(p)
    assert [getattr(i, "text", None) for i in items] == ["ok", None, "fine"]
    assert items[1].reason == "bad_encoding"
    assert f"byte {len(first) + 13}" in items[1].detail


def test_jsonl_blank_lines_only_is_empty(tmp_path: Path) -> None:
    p = tmp_path / "feed.jsonl"
    p.write_text("\n  \n\n", encoding="utf-8")
    assert only(run(p)).reason == "empty"


# -- JSON and CSV -------------------------------------------------------------------------


def test_json_object_and_list(tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"id": "j1", "text": BODY}), encoding="utf-8")
    many = tmp_path / "many.json"
    many.write_text(json.dumps([{"text": "a"}, "nope", {"text": "b"}]), encoding="utf-8")
    items = run(one, many)
    assert items[0].id == "j1"
    assert [getattr(i, "text", None) for i in items[1:]] == ["a", None, "b"]
    assert (items[2].origin, items[2].reason) == (f"{many}:2", "malformed_json")


def test_csv_quoted_multiline_fields_and_missing_text(tmp_path: Path) -> None:
    p = tmp_path / "arts.csv"
    p.write_text(
        "id,title,text,published,source,url\n"
        'c1,"Title, with comma","Line one\nline two, ""quoted""",2025-06-02,AP,\n'
        "c2,No body,,2025-06-03,AP,\n"
        "c3,Third,Third text,,,\n",
        encoding="utf-8",
    )
    items = run(p, published="2025-01-01")
    a, rej, c = items
    assert (a.id, a.title, a.text) == ("c1", "Title, with comma", 'Line one\nline two, "quoted"')
    assert (a.published, a.source, a.url, a.origin) == ("2025-06-02", "AP", None, f"{p}:2")
    # row c2 starts on line 4 because c1 spans lines 2-3
    assert (rej.reason, rej.article_id, rej.origin) == ("missing_text", "c2", f"{p}:4")
    assert (c.text, c.published, c.origin) == ("Third text", "2025-01-01", f"{p}:5")


def test_csv_without_text_column(tmp_path: Path) -> None:
    p = tmp_path / "arts.csv"
    p.write_text("id,body\n1,hello\n", encoding="utf-8")
    rej = only(run(p))
    assert rej.reason == "bad_header" and "body" in rej.detail


def test_csv_invalid_utf8(tmp_path: Path) -> None:
    p = tmp_path / "arts.csv"
    head = b"id,text\n1,ok\n"
    p.write_bytes(head + b"2,bad \xff byte\n")
    rej = only(run(p))
    assert rej.reason == "bad_encoding"
    assert f"byte {len(head) + 6}" in rej.detail


# -- directories --------------------------------------------------------------------------


def test_directory_walk_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "z.txt").write_text("zeta story", encoding="utf-8")
    (tmp_path / "a.txt").write_text("alpha story", encoding="utf-8")
    (tmp_path / "b" / "m.jsonl").write_text('{"text": "mu story"}\n', encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("hidden story", encoding="utf-8")
    (tmp_path / ".git" / "x.txt").write_text("git story", encoding="utf-8")
    texts = [a.text for a in run(tmp_path)]
    assert texts == ["alpha story", "mu story", "zeta story"]


# -- bad input ----------------------------------------------------------------------------


def test_missing_path(tmp_path: Path) -> None:
    rej = only(run(tmp_path / "nope.txt"))
    assert isinstance(rej, Rejected)
    assert (rej.reason, rej.origin) == ("not_found", str(tmp_path / "nope.txt"))


@pytest.mark.parametrize("name", ["e.txt", "e.jsonl", "e.csv", "e.html"])
def test_empty_file(tmp_path: Path, name: str) -> None:
    p = tmp_path / name
    p.write_bytes(b"")
    assert only(run(p)).reason == "empty"


@pytest.mark.parametrize("name", ["w.txt", "w.csv", "w.html"])
def test_whitespace_only_file(tmp_path: Path, name: str) -> None:
    p = tmp_path / name
    p.write_text("  \n\t\n   \r\n", encoding="utf-8")
    assert only(run(p)).reason == "empty"


@pytest.mark.parametrize("name", ["bin.txt", "bin.dat", "bin.jsonl", "bin.csv"])
def test_binary_file(tmp_path: Path, name: str) -> None:
    p = tmp_path / name
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert only(run(p)).reason == "binary"


def test_control_bytes_without_nul_count_as_binary(tmp_path: Path) -> None:
    p = tmp_path / "ctl.txt"
    p.write_bytes(bytes([1, 2, 3, 4, 5, 6, 14, 15, 16, 17]) * 50 + b"some text")
    assert only(run(p)).reason == "binary"


def test_invalid_utf8_is_rejected_with_offset(tmp_path: Path) -> None:
    p = tmp_path / "latin1.txt"
    p.write_bytes("Caf\u00e9 talks".encode("latin-1"))
    rej = only(run(p))
    assert rej.reason == "bad_encoding"
    assert "byte 3" in rej.detail


def test_bom_offsets_count_the_bom(tmp_path: Path) -> None:
    p = tmp_path / "bom.txt"
    p.write_bytes(b"\xef\xbb\xbfab\xff")
    assert "byte 5" in only(run(p)).detail


def test_oversized_file_is_rejected_before_reading(tmp_path: Path) -> None:
    p = tmp_path / "big.txt"
    p.write_text("word " * 400, encoding="utf-8")
    rej = only(run(p, max_bytes=100))
    assert rej.reason == "oversized" and "2000" in rej.detail
    assert isinstance(only(run(p, max_bytes=2000)), Article)


def test_bad_input_does_not_stop_the_rest(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(BODY, encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01")
    items = run(tmp_path / "missing.txt", bad, good)
    assert [getattr(i, "reason", "ok") for i in items] == ["not_found", "binary", "ok"]


# -- dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2025-06-02", "2025-06-02"),
        ("2025-06-02T23:30:00+05:00", "2025-06-02"),
        ("2025-06-02T10:00:00Z", "2025-06-02"),
        ("Mon, 02 Jun 2025 10:00:00 GMT", "2025-06-02"),
        ("2 June 2025", "2025-06-02"),
        ("June 2025", None),
        ("not a date", None),
        ("", None),
    ],
)
def test_normalise_date(value: str, expected: str | None) -> None:
    assert normalise_date(value) == expected


def test_bad_date_keeps_article_and_warns(tmp_path: Path, caplog) -> None:
    p = tmp_path / "feed.jsonl"
    p.write_text(json.dumps({"text": BODY, "published": "sometime soon"}) + "\n", "utf-8")
    with caplog.at_level(logging.WARNING, logger="tidings.ingest"):
        art = only(run(p, published="2025-01-01"))
    assert isinstance(art, Article)
    assert art.published is None
    assert "sometime soon" in caplog.text


def test_bad_default_date_is_a_caller_error() -> None:
    with pytest.raises(ValueError):
        run("whatever.txt", published="the other day")
