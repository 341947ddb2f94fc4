"""Quotes: what was said, by whom, and what only looks like a quote."""

from pathlib import Path

import pytest

from tidings.model import Actor
from tidings.nlp.quotes import find_quotes

SEED = Path(__file__).resolve().parents[1] / "data" / "seed_article.txt"


def _quotes(nlp, text):
    return find_quotes(nlp(text))


def _one(nlp, text):
    quotes = _quotes(nlp, text)
    assert len(quotes) == 1, quotes
    return quotes[0]


@pytest.mark.parametrize(
    ("text", "quoted", "speaker"),
    [
        ('"We will not give up an inch," Berg said.', "We will not give up an inch", "Berg"),
        ('"The border stays closed," said Interior Minister Lena Vogt.',
         "The border stays closed", "Lena Vogt"),
        ("“Nobody wants another war,” the senator told reporters on Friday.",
         "Nobody wants another war", "the senator"),
        ('General Omar Haddad warned: "Any attack will be answered."',
         "Any attack will be answered.", "Omar Haddad"),
        ('"The roads are impassable," a United Nations aid worker said.',
         "The roads are impassable", "a United Nations aid worker"),
        ('"Prices will keep rising," according to economist Ruth Malik.',
         "Prices will keep rising", "Ruth Malik"),
        ("'We are ready to talk,' the rebel commander Ali Nasser said.",
         "We are ready to talk", "Ali Nasser"),
    ],
)  # fmt: skip
def test_direct_quote_and_speaker(nlp, text, quoted, speaker):
    quote = _one(nlp, text)
    assert quote.text == quoted
    assert quote.kind == "direct"
    assert quote.speaker == speaker


def test_span_excludes_the_marks(nlp):
    text = 'Police said: "Three men were arrested."'
    quote = _one(nlp, text)
    start, end = quote.span
    assert text[start:end] == quote.text == "Three men were arrested."


def test_partial_quote_in_reported_speech(nlp):
    quote = _one(nlp, 'Mayor Ana Ruiz remarked that the plan was "totally unworkable" and left.')
    assert quote.kind == "partial"
    assert quote.text == "totally unworkable"
    assert quote.speaker == "Ana Ruiz"


def test_single_quoted_partial_quote(nlp):
    quote = _one(nlp, "The minister said the proposal was 'dead on arrival'.")
    assert quote.kind == "partial"
    assert quote.text == "dead on arrival"
    assert quote.speaker == "The minister"


def test_quote_continues_into_next_sentence(nlp):
    text = (
        '"The harvest is lost," farmer Karim Saleh said. "We have nothing left to sell. '
        'Our children are hungry."'
    )
    quotes = _quotes(nlp, text)
    assert [q.speaker for q in quotes] == ["Karim Saleh", "Karim Saleh"]
    assert quotes[1].text.startswith("We have nothing left")


def test_quote_continues_over_paragraphs(nlp):
    text = (
        "Engineer Marta Kowal described the night of the flood.\n\n"
        '"The water rose within minutes.\n\n'
        '"We carried the old people upstairs," Kowal said.'
    )
    quotes = _quotes(nlp, text)
    assert [q.text for q in quotes] == [
        "The water rose within minutes.",
        "We carried the old people upstairs",
    ]
    assert {q.speaker for q in quotes} == {"Kowal"}


def test_pronoun_speaker_is_the_last_named_person(nlp):
    text = (
        "Prime Minister Ivo Dukic met the union leaders on Friday. "
        '"The strike must end now," he said.'
    )
    assert _one(nlp, text).speaker == "Ivo Dukic"


def test_pronoun_skips_people_mentioned_in_passing(nlp):
    text = (
        'Senator Grace Holt said Governor Mills had "lost control" of the state. '
        '"I have never seen anything like it," she told reporters.'
    )
    quotes = _quotes(nlp, text)
    assert quotes[0].speaker == "Grace Holt"
    assert quotes[1].speaker == "Grace Holt"


def test_names_of_operations_are_not_quotes(nlp):
    text = (
        "The army launched an operation dubbed 'Iron Wall' in May. The plan, known as "
        "\"Project Falcon\", was later dropped, as was the so-called 'Northern Corridor'. "
        'The exercise was codenamed "Steel Dawn".'
    )
    assert _quotes(nlp, text) == []


def test_apostrophes_never_open_or_close_quotes(nlp):
    text = (
        "The rebels' leaders didn't sign. Russia's army, rebuilt since the '90s, "
        "isn't what it was in the soldiers' memories, officials said."
    )
    assert _quotes(nlp, text) == []


def test_curly_apostrophe_inside_curly_single_quote(nlp):
    quote = _one(nlp, "‘Europe’s patience is running out,’ the envoy said.")
    assert quote.text == "Europe’s patience is running out"
    assert quote.speaker == "the envoy"


def test_resolver_gives_the_actor(nlp):
    def resolve(tok):
        return Actor(text=tok.text, country="TUR", sector="GOV")

    quotes = find_quotes(nlp('"The talks will go on," Fidan said.'), resolve=resolve)
    assert quotes[0].speaker_actor is not None
    assert quotes[0].speaker_actor.country == "TUR"
    assert find_quotes(nlp('"The talks will go on," Fidan said.'))[0].speaker_actor is None


def test_unattributed_quote_has_no_speaker(nlp):
    quote = _one(nlp, 'The banner read "No more war" in red letters.')
    assert quote.speaker is None


def test_seed_article(nlp):
    from tidings.nlp.quantities import find_quantities

    doc = nlp(SEED.read_text(encoding="utf-8"))
    quotes = find_quotes(doc)
    by_start = {q.text.split()[0]: q for q in quotes}
    fidan = [q for q in quotes if q.speaker == "Fidan"]
    assert len(fidan) == 2
    assert fidan[0].text.startswith("The whole world is watching us")
    assert fidan[1].text == "We must not let this chance pass."
    crazy = by_start["absolutely"]
    assert crazy.kind == "partial" and "Trump" in crazy.speaker
    told = next(q for q in quotes if q.text.startswith("I've always had"))
    assert "Trump" in told.speaker and told.kind == "direct"
    official = next(q for q in quotes if q.text.startswith("If the meeting"))
    assert official.speaker == "a senior European Union official"
    assert not any("Spiderweb" in q.text for q in quotes)
    for q in quotes:
        assert doc.text[q.span[0] : q.span[1]] == q.text

    found = {(q.value, q.counts) for q in find_quantities(doc)}
    money = [q for q in find_quantities(doc) if q.unit == "USD"]
    assert money and money[0].value == 7e9 and money[0].counts == "damage"
    assert (34.0, "strategic cruise missile carriers") in found
    assert (472.0, "drones") in found
    assert (41.0, "aircraft") in found
