"""The event lexicon: verb and noun patterns -> PLOVER type, mode, context and CAMEO code.

Loaded once from ``tidings/data/lexicon/`` (verbs.yaml, nouns.yaml, cameo.tsv, quad.tsv,
intent.tsv, modality.yaml). Matching precedence for verbs: lemma+prep+object, lemma+prep,
lemma+object, lemma alone; ``light`` verbs ("hold talks") take their type from the object.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from tidings.data import read_tsv, read_yaml

NONE = "NONE"  # a pattern that is explicitly not an event ("release a statement")


@dataclass(frozen=True)
class Pattern:
    lemma: str
    type: str
    cameo: str = ""
    mode: str = ""
    context: str = ""
    prep: str = ""
    objects: frozenset[str] = frozenset()
    modifiers: frozenset[str] = frozenset()
    light: bool = False

    @property
    def specificity(self) -> int:
        return 2 * bool(self.prep) + bool(self.objects) + bool(self.modifiers)


def _as_set(value) -> frozenset[str]:
    if not value:
        return frozenset()
    if isinstance(value, str):
        value = [value]
    return frozenset(str(v).lower() for v in value)


def _patterns(entries: list[dict]) -> dict[str, list[Pattern]]:
    table: dict[str, list[Pattern]] = {}
    for e in entries:
        pattern = Pattern(
            lemma=str(e["lemma"]).lower(),
            type=str(e.get("type", NONE if not e.get("light") else "")).upper(),
            cameo=str(e.get("cameo", "") or ""),
            mode=str(e.get("mode", "") or ""),
            context=str(e.get("context", "") or ""),
            prep=str(e.get("prep", "") or "").lower(),
            objects=_as_set(e.get("object")),
            modifiers=_as_set(e.get("modifier")),
            light=bool(e.get("light", False)),
        )
        table.setdefault(pattern.lemma, []).append(pattern)
    for patterns in table.values():
        patterns.sort(key=lambda p: -p.specificity)
    return table


class Lexicon:
    def __init__(self) -> None:
        verbs = read_yaml("lexicon/verbs.yaml")
        nouns = read_yaml("lexicon/nouns.yaml")
        self.version = f"v{verbs.get('version', 0)}.{nouns.get('version', 0)}"
        self.verbs = _patterns(verbs["entries"])
        self.nouns = _patterns(nouns["entries"])
        self.cameo = {r["code"]: r for r in read_tsv("lexicon/cameo.tsv")}
        self.quad = {r["type"]: int(r["quad_class"]) for r in read_tsv("lexicon/quad.tsv")}
        self.intent = {r["type"]: r for r in read_tsv("lexicon/intent.tsv")}
        modality = read_yaml("lexicon/modality.yaml")
        self.report_verbs = frozenset(modality["report_verbs"])
        self.demand_verbs = frozenset(modality["demand_verbs"])
        self.intent_verbs = frozenset(modality["intent_verbs"])
        self.refuse_verbs = frozenset(modality["refuse_verbs"])
        self.modals: dict[str, str] = modality["modals"]
        self.necessity = frozenset(modality["necessity_words"])
        self.condition_marks = frozenset(modality["condition_marks"])
        self.negators = frozenset(modality["negators"])
        self.future_adjectives = frozenset(modality.get("future_adjectives", ()))
        self.target_preps = frozenset(modality.get("target_preps", ()))
        self.trigger_lemmas = frozenset(self.verbs) | frozenset(self.nouns)

    def match_verb(self, lemma: str, preps: set[str], objects: set[str]) -> Pattern | None:
        """The most specific verb pattern; a light verb defers to its object noun."""
        for p in self.verbs.get(lemma, ()):
            if p.prep and p.prep not in preps:
                continue
            if p.objects and not (p.objects & objects):
                continue
            if p.modifiers:
                continue
            return p
        return None

    def match_noun(self, lemma: str, modifiers: set[str]) -> Pattern | None:
        for p in self.nouns.get(lemma, ()):
            if p.modifiers and not (p.modifiers & modifiers):
                continue
            if p.prep or p.objects:
                continue
            return p
        return None

    def goldstein(self, cameo: str) -> float | None:
        row = self.cameo.get(cameo) or self.cameo.get(cameo[:3])
        try:
            return float(row["goldstein"]) if row else None
        except (KeyError, ValueError):
            return None


@functools.cache
def get_lexicon() -> Lexicon:
    return Lexicon()
