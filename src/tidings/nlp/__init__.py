"""The NLP stages: actors, frames, modality, typing, dates, places, quotes, quantities.

The spaCy ``Doc`` never leaves this package: ``coder.DocCoder`` turns it into the model.
"""

from spacy.tokens import Doc


def doc_text(doc: Doc) -> str:
    """The document's text, built once: spaCy rebuilds ``Doc.text`` on every access."""
    text = doc.user_data.get("tidings.text")
    if text is None:
        text = doc.user_data["tidings.text"] = doc.text
    return text
