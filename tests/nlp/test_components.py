"""The coding stages as registered spaCy components writing to the Doc, and the one export
from a Doc to a CodedArticle."""

from __future__ import annotations

import pytest
from spacy.language import Language

from tidings.model import Article
from tidings.nlp import coder as coding

pytestmark = pytest.mark.slow

TEXT = ("KYIV, June 2 (Reuters) - Russian forces shelled Kharkiv on Sunday, killing three "
        "civilians, Ukraine's military said. \"We will respond,\" Zelenskiy said. Kyiv asked "
        "Berlin for $500 million in aid.")

STAGES = ("tidings_events_v1", "tidings_event_context_v1", "tidings_casualties_v1",
          "tidings_quotes_v1", "tidings_quantities_v1")


def test_stages_are_registered_with_versioned_names():
    for name in STAGES:
        assert Language.has_factory(name), name
    assert [s for s in STAGES if "." in s] == []  # spaCy refuses dots in factory names


def _parsed(coder, text: str, article: Article):
    doc = coder.nlp(text)
    return doc, coder.doc_coder(doc, article)


def test_stages_write_to_the_doc_and_export_reads_it(coder):
    article = Article(text=TEXT, published="2025-06-02")
    doc, coded = _parsed(coder, TEXT, article)
    found = doc._.tidings_events
    assert found and [f.event for f in found] == coded.events
    shelling = next(e for e in coded.events if e.event_type == "ASSAULT")
    assert shelling.killed == 3 and shelling.date == "2025-06-01"
    assert doc._.tidings_quotes == coded.quotes and coded.quotes
    assert doc._.tidings_quantities == coded.quantities and coded.quantities
    # exporting the same Doc again gives the same article
    again = coding.export(doc, article)
    assert again.to_dict() == coded.to_dict()
    assert sum(e.main for e in again.events) == 1


def test_a_stage_runs_on_its_own_in_a_pipeline(coder):
    """A stage made by spaCy from its name works on any parsed Doc."""
    quotes = coder.nlp.create_pipe("tidings_quotes_v1")
    doc = quotes(coder.nlp('"We will respond," Zelenskiy said on Monday.'))
    assert [q.speaker for q in doc._.tidings_quotes] == ["Zelenskiy"]
    quantities = coder.nlp.create_pipe("tidings_quantities_v1")
    doc = quantities(coder.nlp("Berlin pledged $500 million."))
    assert [(q.value, q.unit) for q in doc._.tidings_quantities] == [(500_000_000, "USD")]


def test_without_details_only_events_and_entities(coder):
    from tidings.nlp.coder import DocCoder

    plain = DocCoder(coder.nlp, details=False, event_model=False)
    article = Article(text=TEXT, published="2025-06-02")
    coded = plain(coder.nlp(TEXT), article)
    assert coded.events and not coded.quotes and not coded.quantities
    assert all(e.date is None and e.killed is None and e.acled is None for e in coded.events)
