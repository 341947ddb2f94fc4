"""The model's rule lemmatizer, applied through a per-word cache read and written as arrays.

spaCy's rule lemmatizer already caches its answer per (word, part of speech, morphology),
but it still visits every token from Python and sets each lemma one by one. The answer
depends on nothing else, so we read those three attributes for a whole Doc as one array,
look each combination up in our own cache (asking the original lemmatizer on a miss) and
write all lemmas back at once. Lemmas are the same as the original component's
(tests/nlp/test_attribute_rules.py compares every token).
"""

from __future__ import annotations

from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

from tidings.nlp import swap_pipe

NAME = "tidings_lemmatizer"
_CACHE_LIMIT = 500_000


class CachedLemmatizer:
    """Same lemmas as a loaded rule-mode ``Lemmatizer``, one lookup per distinct word form."""

    def __init__(self, vocab, name: str = NAME):
        self.vocab = vocab
        self.name = name
        self.original: Lemmatizer | None = None
        self.overwrite = False
        self._cache: dict[tuple[int, int, int], int] = {}

    def load_from(self, lemmatizer: Lemmatizer) -> CachedLemmatizer:
        if lemmatizer.mode != "rule":
            raise ValueError(f"only rule-mode lemmatizers are supported, not {lemmatizer.mode}")
        self.original = lemmatizer
        self.overwrite = lemmatizer.overwrite
        self._cache.clear()
        return self

    @property
    def lookups(self):
        """The original lemmatizer's tables (the prefilter reads its irregular forms)."""
        return self.original.lookups

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        keys = rows[:, :3].tolist()
        lemmas = rows[:, 3]
        cache, strings = self._cache, self.vocab.strings
        for i, key in enumerate(keys):
            if lemmas[i] and not self.overwrite:
                continue  # set by the attribute rules: the lemmatizer leaves it alone
            key = tuple(key)
            lemma = cache.get(key)
            if lemma is None:
                lemma = strings.add(self.original.lemmatize(doc[i])[0])
                if len(cache) > _CACHE_LIMIT:
                    cache.clear()
                cache[key] = lemma
            lemmas[i] = lemma
        doc.from_array([LEMMA], lemmas)
        return doc


@Language.factory(NAME)
def _make(nlp: Language, name: str) -> CachedLemmatizer:
    return CachedLemmatizer(nlp.vocab, name)


def use_cached_lemmatizer(nlp: Language) -> Language:
    """Swap the pipeline's rule lemmatizer for the cached version (in place)."""
    return swap_pipe(nlp, "lemmatizer", NAME,
                     keep=lambda pipe: getattr(pipe, "mode", None) == "rule")
