"""Main-text extraction from HTML pages (trafilatura does the boilerplate removal)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import trafilatura

log = logging.getLogger("tidings.ingest")


@dataclass
class HtmlText:
    """What an HTML page yields: its article body and the metadata trafilatura found."""

    text: str
    title: str | None = None
    published: str | None = None
    source: str | None = None
    url: str | None = None


def extract_html(html: str, url: str | None = None) -> HtmlText | None:
    """Return the main text of a page, or None when nothing article-like is left.

    Precision over recall: a menu or cookie banner coded as news would invent events,
    while a missed paragraph only loses some.
    """
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            include_comments=False,
            favor_precision=True,
            include_tables=False,
            with_metadata=True,
            # structured markup only: a guessed date (e.g. a copyright year) is worse than none
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # a broken page must not stop a batch
        log.warning("trafilatura failed: %s", exc)
        return None
    if doc is None:
        return None
    text = (doc.text or "").strip()
    if not text:
        return None
    return HtmlText(
        text=text,
        title=(doc.title or "").strip() or None,
        published=doc.date or None,
        source=(doc.sitename or "").strip() or None,
        url=doc.url or url,
    )
