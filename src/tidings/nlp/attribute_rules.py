"""The model's attribute rules (tag -> part of speech, morphology, a few lemmas), applied by
table lookup instead of spaCy's Matcher.

spaCy's ``AttributeRuler`` runs its ~180 token patterns through the Matcher on every token
of every document; in the small English model that costs as much as the parser. Nearly
all of the patterns look at one token only (its tag, lower-case form, dependency label), so
their combined effect on a token depends only on those few attributes: we work it out once
per distinct combination and cache it. The few patterns that span several tokens or use
operators we do not model still go through a Matcher. The annotations are the same as the
original component's (tests/nlp/test_attribute_rules.py checks token by token).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import numpy
from spacy.attrs import IDS
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from tidings.nlp import swap_pipe

NAME = "tidings_attribute_ruler"
# Token attributes a one-token pattern may test for us to handle it by lookup.
KEYS = ("TAG", "LOWER", "DEP", "IS_SPACE")
KEY_IDS = [IDS[key] for key in KEYS]
_CACHE_LIMIT = 200_000


def _predicate(key: str, value: Any) -> Callable[[Any], bool] | None:
    """A test on one attribute value, or None when the pattern uses something else."""
    if not isinstance(value, dict):
        return lambda v: v == value
    if len(value) != 1:
        return None
    (op, arg), = value.items()
    if op == "IN":
        allowed = frozenset(arg)
        return lambda v: v in allowed
    if op == "NOT_IN":
        banned = frozenset(arg)
        return lambda v: v not in banned
    if op == "REGEX" and key != "IS_SPACE":
        rx = re.compile(arg)
        return lambda v: rx.search(v) is not None
    return None


def _anchor(pattern: list[dict], strings) -> tuple[int, frozenset[int]] | None:
    """A word a multi-token pattern cannot match without: (column of KEYS, the values
    allowed there, as hashes), from the token that allows the fewest values; None when no
    token of the pattern is pinned to exact values of a KEYS attribute."""
    best = None
    for token in pattern:
        if token.get("OP", "1") not in ("1", "+"):
            continue  # an optional or negated token anchors nothing
        for key, value in token.items():
            key = key.upper()
            if key not in ("TAG", "LOWER", "DEP"):
                continue
            if isinstance(value, str):
                values = [value]
            elif isinstance(value, dict) and list(value) == ["IN"]:
                values = list(value["IN"])
            else:
                continue
            if best is None or len(values) < len(best[1]):
                best = (KEYS.index(key), frozenset(strings.add(v) for v in values))
    return best


def _compile(token_pattern: dict) -> list[tuple[int, Callable]] | None:
    tests = []
    for key, value in token_pattern.items():
        if key not in KEYS:
            return None
        test = _predicate(key, value)
        if test is None:
            return None
        tests.append((KEYS.index(key), test))
    return tests


class TableAttributeRuler:
    """Same annotations as a loaded ``AttributeRuler``, computed per distinct token."""

    def __init__(self, vocab, name: str = NAME):
        self.vocab = vocab
        self.name = name
        self.single: list[tuple[int, list[tuple[int, Callable]], dict]] = []
        self.matcher = Matcher(vocab, validate=False)
        self.attrs: list[dict] = []
        self.indices: list[int] = []
        self.targets: list[int] = []
        self.columns: dict[int, int] = {}
        # Per multi-token pattern, a word it needs (see _anchor); None: run the Matcher always.
        self.anchors: list[tuple[int, frozenset[int]]] | None = []
        self._anchor_columns: list[int] = []
        self._cache: dict[tuple, tuple[tuple[int, dict], ...]] = {}

    def load_from(self, ruler: AttributeRuler) -> TableAttributeRuler:
        """Take over the rules of an ``AttributeRuler``, keeping their order."""
        self.attrs, self.indices = list(ruler.attrs), list(ruler.indices)
        complex_rules: dict[int, list] = {}
        for rule_id, patterns in enumerate(self._rules(ruler)):
            for pattern in patterns:
                tests = _compile(pattern[0]) if len(pattern) == 1 else None
                if tests is not None and self.indices[rule_id] in (0, -1):
                    self.single.append((rule_id, tests, self.attrs[rule_id]))
                else:
                    complex_rules.setdefault(rule_id, []).append(pattern)
        self.anchors = []
        for rule_id, patterns in complex_rules.items():
            self.matcher.add(str(rule_id), patterns)
            for pattern in patterns:
                anchor = _anchor(pattern, self.vocab.strings)
                if anchor is None:
                    self.anchors = None
                elif self.anchors is not None:
                    self.anchors.append(anchor)
        self._anchor_columns = sorted({column for column, _ in self.anchors or ()})
        # The attributes the rules set, as columns of the array written back to a Doc.
        self.targets = sorted({attr for attrs in self.attrs for attr in attrs})
        self.columns = {attr: n for n, attr in enumerate(self.targets)}
        if any(not isinstance(attr, int) for attr in self.targets):
            raise ValueError("attribute rules that set extension attributes are not supported")
        self._cache.clear()
        return self

    @staticmethod
    def _rules(ruler: AttributeRuler) -> Iterator[list]:
        """Each rule's patterns: the ruler's matcher keys them by the rule's position."""
        for rule_id in range(len(ruler.attrs)):
            _, patterns = ruler.matcher.get(ruler.vocab.strings[str(rule_id)])
            yield patterns

    def _merged(self, values: tuple) -> dict:
        """What the one-token rules set on a token with these attribute values (hashes):
        the attributes of every matching rule, later rules winning, as in spaCy."""
        merged = self._cache.get(values)
        if merged is None:
            strings = self.vocab.strings
            words = (strings[values[0]], strings[values[1]], strings[values[2]],
                     bool(values[3]))
            merged = {}
            for _, tests, attrs in self.single:
                if all(test(words[k]) for k, test in tests):
                    merged.update(attrs)
            if len(self._cache) > _CACHE_LIMIT:
                self._cache.clear()
            self._cache[values] = merged
        return merged

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        # Read the tested attributes, and write the set ones, as whole arrays: a Token
        # object per word would cost more than the lookups.
        array = doc.to_array(KEY_IDS)
        keys = array.tolist()
        extra: dict[int, list[int]] = {}
        # The Matcher only for a Doc holding a word some multi-token pattern needs.
        present = {column: set(array[:, column].tolist()) for column in self._anchor_columns}
        if self.anchors is None or any(not allowed.isdisjoint(present[column])
                                       for column, allowed in self.anchors):
            for match_id, start, end in self.matcher(doc, allow_missing=True):
                rule_id = int(self.vocab.strings[match_id])
                extra.setdefault(doc[start:end][self.indices[rule_id]].i, []).append(rule_id)
        rows = doc.to_array(self.targets).tolist()  # edited as lists, written back once
        columns, changed = self.columns, False
        for i, values in enumerate(keys):
            if i in extra:
                strings = self.vocab.strings
                words = (strings[values[0]], strings[values[1]], strings[values[2]],
                         bool(values[3]))
                attrs = self._with_extra(words, extra[i])
            else:
                attrs = self._merged(tuple(values))
            if attrs:
                row = rows[i]
                for attr, value in attrs.items():
                    row[columns[attr]] = value
                changed = True
        if changed:
            doc.from_array(self.targets, numpy.array(rows, dtype="uint64"))
        return doc

    def _with_extra(self, values: tuple, extra_rules: list[int]) -> dict:
        """Merge one-token and multi-token rules on a token in rule order."""
        firing = {rule_id for rule_id, tests, _ in self.single
                  if all(test(values[k]) for k, test in tests)} | set(extra_rules)
        merged: dict = {}
        for rule_id in sorted(firing):
            merged.update(self.attrs[rule_id])
        return merged


@Language.factory(NAME)
def _make(nlp: Language, name: str) -> TableAttributeRuler:
    return TableAttributeRuler(nlp.vocab, name)


def use_table_rules(nlp: Language) -> Language:
    """Swap the pipeline's attribute ruler for the table version (in place)."""
    return swap_pipe(nlp, "attribute_ruler", NAME)
