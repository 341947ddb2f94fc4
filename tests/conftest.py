"""Shared fixtures: the spaCy pipeline and coder are built once per test session."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def coder():
    """The rule coder (no event model): stage tests check what the rules find. The event
    model's own behaviour is tested in tests/nlp/test_eventmodel.py, and the CLI, API and
    batch tests run the default pipeline with it."""
    from tidings.pipeline import get_coder

    return get_coder(event_model=False)


@pytest.fixture(scope="session")
def model_coder():
    """The default pipeline: rules plus the trained event model."""
    from tidings.pipeline import get_coder

    return get_coder()


@pytest.fixture
def fragile_coder(model_coder, monkeypatch):
    """The default pipeline's coder (the one the CLI uses), failing on any document
    holding the word BOOM (worker processes forked during the test inherit the failure)."""
    coder = model_coder
    real = coder.doc_coder

    def doc_coder(doc, article):
        if "BOOM" in article.text:
            raise RuntimeError("parser crashed")
        return real(doc, article)

    monkeypatch.setattr(coder, "doc_coder", doc_coder)
    return coder


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
