"""The NLP stages: actors, frames, modality, typing, dates, places, quotes, quantities.

The spaCy ``Doc`` never leaves this package: ``coder.DocCoder`` turns it into the model.
"""

from spacy.attrs import DEP, LEMMA, ORTH, POS, TAG
from spacy.tokens import Doc, Span, Token

COLUMNS = {"lemma": LEMMA, "dep": DEP, "pos": POS, "tag": TAG, "text": ORTH}


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


def doc_column(doc: Doc, attr: str) -> list[str]:
    """One string attribute of every token ("lemma" lower-cased, "dep", "pos", "tag" or
    "text"), read from the token array once per document: a spaCy Token object per word and
    look costs more than the lookup itself. Stages that scan every word read this; the few
    words they keep they still visit as Tokens."""
    key = f"tidings.column.{attr}"  # not "tidings.text": doc_text's
    column = doc.user_data.get(key)
    if column is None:
        strings = doc.vocab.strings
        ids = doc.to_array([COLUMNS[attr]]).tolist()
        lower = attr == "lemma"
        names: dict[int, str] = {}
        column = []
        for h in ids:
            name = names.get(h)
            if name is None:
                name = names[h] = strings[h].lower() if lower else strings[h]
            column.append(name)
        doc.user_data[key] = column
    return column


def kids(tok: Token) -> tuple[Token, ...]:
    """``tok.children``, made once per token: spaCy builds a new Token object for every
    child on every visit, and the frame, actor and modality rules revisit the same verbs
    and nouns many times. Same tokens, same order (left to right)."""
    table = tok.doc.user_data.get("tidings.children")
    if table is None:
        table = tok.doc.user_data["tidings.children"] = {}
    found = table.get(tok.i)
    if found is None:
        found = table[tok.i] = tuple(tok.children)
    return found


def swap_pipe(nlp, old: str, new: str, keep=lambda pipe: True):
    """Replace the pipeline's component ``old`` by the registered factory ``new``, which
    takes over the old one's tables (``load_from``); in place. ``keep`` may refuse a swap
    for a component the new one cannot stand in for."""
    if old in nlp.pipe_names and keep(nlp.get_pipe(old)):
        original = nlp.get_pipe(old)
        nlp.replace_pipe(old, new).load_from(original)
    return nlp
