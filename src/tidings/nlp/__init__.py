"""The NLP stages: actors, frames, modality, typing, dates, places, quotes, quantities.

The spaCy ``Doc`` never leaves this package: ``coder.DocCoder`` turns it into the model.
"""

from spacy.tokens import Doc, Span


def doc_text(doc: Doc) -> str:
    """The document's text, built once: spaCy rebuilds ``Doc.text`` on every access."""
    text = doc.user_data.get("tidings.text")
    if text is None:
        text = doc.user_data["tidings.text"] = doc.text
    return text


def doc_ents(doc: Doc) -> tuple[Span, ...]:
    """The document's entities, built once: spaCy rebuilds ``Doc.ents`` (and every
    ``Span.ents``) from the whole document on each access. Stages only read entities."""
    ents = doc.user_data.get("tidings.ents")
    if ents is None:
        ents = doc.user_data["tidings.ents"] = doc.ents
    return ents
