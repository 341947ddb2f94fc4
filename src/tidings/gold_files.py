"""Reading the document-level gold sets (events, times, toponyms) and coding their articles.

Each gold file (``gold.jsonl``, ``times.jsonl``, ``toponyms.jsonl``) sits beside the
``articles.jsonl`` whose texts its offsets point into, and the article's ``split`` decides
which split a gold line belongs to. The three scorers read them through these functions, so
they agree on what a split holds and on the error a missing file gives.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol, TypeVar


def read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, row) for every non-blank line of a JSON-lines file."""
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if line.strip():
                yield number, json.loads(line)


def articles_beside(gold_path: Path, split: str | None) -> list[dict[str, Any]]:
    """The articles of ``articles.jsonl`` beside a gold file, of one split (None: all)."""
    articles_path = gold_path.parent / "articles.jsonl"
    if not articles_path.exists():
        raise FileNotFoundError(f"{articles_path} not found (articles.jsonl must sit beside "
                                "the gold file)")
    return [a for _, a in read_jsonl(articles_path) if not split or a.get("split") == split]


def dev_errors_only(report: dict[str, Any], split: str | None) -> dict[str, Any]:
    """``report`` with its ``split`` named, and its list of mistakes (``errors``) kept for the
    dev split only: the test split is scored once, never inspected. The one rule of the
    three scorers (events, times, toponyms)."""
    report["split"] = split or "all"
    if split != "dev":
        report.pop("errors", None)
    return report


class GoldDoc(Protocol):
    id: str
    text: str
    published: str | None


Doc = TypeVar("Doc", bound=GoldDoc)


def coded_documents(docs: Iterable[Doc], coder=None) -> Iterator[tuple[Doc, Any]]:
    """(document, its CodedArticle) for each gold document, coded with ``coder`` (the
    default pipeline if None) as an article of its own publication date."""
    if coder is None:
        from tidings.pipeline import get_coder

        coder = get_coder()
    docs = list(docs)
    items = [{"id": d.id, "text": d.text, "published": d.published} for d in docs]
    yield from zip(docs, coder.code_many(items), strict=True)
