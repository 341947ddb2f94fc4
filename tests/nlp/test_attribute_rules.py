"""The table attribute ruler and the cached lemmatizer must annotate exactly as spaCy's own
AttributeRuler and Lemmatizer do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

TEXTS = [
    "Russian and Ukrainian officials convened in Istanbul on Monday for peace talks.",
    "I ain't gonna do it, y'all. Let's go! Nothin' works. He's got ta leave, wouldn't he?",
    "The U.S. Treasury said it would not lift sanctions; officials didn't say why.",
    "Is it true? We'd have been there if they'd asked, and she'll go whether or not it rains.",
    "  Tabs\tand\n\nline breaks, 3.5% inflation, $7 billion — and “curly quotes”.",
]
SAMPLES = Path(__file__).resolve().parents[2] / "samples/articles.jsonl"


@pytest.fixture(scope="module")
def pipelines(nlp):
    import spacy

    from tidings.nlp.attribute_rules import use_table_rules
    from tidings.nlp.lemmas import use_cached_lemmatizer
    from tidings.pipeline import MODEL

    return nlp, use_cached_lemmatizer(use_table_rules(spacy.load(MODEL)))


def _annotations(doc):
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i) for t in doc]


def test_table_rules_replace_the_components(pipelines):
    from tidings.nlp.attribute_rules import TableAttributeRuler
    from tidings.nlp.lemmas import CachedLemmatizer

    original, table = pipelines
    assert table.pipe_names == original.pipe_names
    assert isinstance(table.get_pipe("lemmatizer"), CachedLemmatizer)
    ruler = table.get_pipe("attribute_ruler")
    assert isinstance(ruler, TableAttributeRuler)
    assert len(ruler.single) > 100  # nearly every rule is a one-token lookup
    assert table.pipe_names.index("attribute_ruler") < table.pipe_names.index("lemmatizer")


def test_same_annotations_as_spacy(pipelines):
    original, table = pipelines
    texts = list(TEXTS)
    if SAMPLES.exists():
        texts += [json.loads(line)["text"] for line in SAMPLES.read_text().splitlines()[:10]]
    for a, b in zip(original.pipe(texts), table.pipe(texts), strict=True):
        assert _annotations(a) == _annotations(b)


def test_multi_token_rules_still_apply(pipelines):
    _, table = pipelines
    doc = table("I'm gonna go.")
    assert [t.lemma_ for t in doc][2:4] == ["go", "to"]  # "gon na" -> go to


def test_lemmas_from_rules_and_from_the_lemmatizer(pipelines):
    _, table = pipelines
    doc = table("They didn't go, and the talks were held in cities.")
    lemmas = {t.text: t.lemma_ for t in doc}
    assert lemmas["n't"] == "not"  # set by an attribute rule, kept by the lemmatizer
    assert (lemmas["did"], lemmas["talks"], lemmas["were"], lemmas["held"], lemmas["cities"]) \
        == ("do", "talk", "be", "hold", "city")
