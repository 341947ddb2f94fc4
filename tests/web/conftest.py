"""Web fixtures: one coded corpus per session, served to TestClient and to a real browser."""

from __future__ import annotations

import pytest
from web_corpus import Corpus, build


@pytest.fixture(scope="session")
def corpus(tmp_path_factory, coder) -> Corpus:
    path = tmp_path_factory.mktemp("web") / "corpus.db"
    return build(f"sqlite:///{path}")


@pytest.fixture(scope="session")
def client(corpus):
    from fastapi.testclient import TestClient

    from tidings.web import create_app

    with TestClient(create_app(corpus.url)) as c:
        yield c
