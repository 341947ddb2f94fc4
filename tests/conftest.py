"""Shared fixtures: the spaCy pipeline and coder are built once per test session."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def coder():
    from tidings.pipeline import get_coder

    return get_coder()


@pytest.fixture(scope="session")
def code(coder):
    """Code a text and return the CodedArticle."""

    def _code(text: str, published: str | None = "2025-06-02"):
        return coder.code(text, published=published)

    return _code


@pytest.fixture(scope="session")
def nlp():
    """The bare spaCy English pipeline, for stage tests that need a parse but no coder."""
    import spacy

    from tidings.pipeline import MODEL

    return spacy.load(MODEL)
