"""The event lexicon: verb and noun patterns -> PLOVER type, mode, context and CAMEO code.

Loaded once from ``tidings/data/lexicon/``: every YAML file in ``verbs/`` and ``nouns/``,
plus cameo.tsv and modality.yaml (the types themselves: types.tsv, read by
``tidings.event_types``). Matching precedence for verbs: lemma+prep+object, lemma+prep,
lemma+object, lemma alone; ``light`` verbs ("hold talks") take their type from the object.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from tidings.data import data_path, read_yaml
from tidings.event_types import type_names
from tidings.schemes.cameo import cameo_table, goldstein

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
    # ``objects`` are words of the verb's complement, not its object: "called the deal
    # *lousy*", "ruled the practice *unconstitutional*", "named them as *terrorists*"
    complement: bool = False
    # only with an infinitive whose doer is the verb's object: "asked the court *to delay*"
    control: bool = False
    # a wrong the reporter charges the subject with: "X said the government *lied*" is X
    # accusing the government; no reporter, no event
    reported: bool = False

    @property
    def specificity(self) -> int:
        return 2 * bool(self.prep) + bool(self.objects) + bool(self.modifiers) + self.control


def _as_set(value) -> frozenset[str]:
    if not value:
        return frozenset()
    if isinstance(value, str):
        value = [value]
    return frozenset(_word(v) for v in value)


def _word(value) -> str:
    """A YAML scalar as a word: YAML 1.1 reads bare on/off/yes/no as booleans."""
    if value is True:
        return "on"
    if value is False:
        return "off"
    return str(value or "").lower()


def _patterns(entries: list[dict]) -> dict[str, list[Pattern]]:
    table: dict[str, list[Pattern]] = {}
    for e in entries:
        pattern = Pattern(
            lemma=str(e["lemma"]).lower(),
            type=str(e.get("type", NONE if not e.get("light") else "")).upper(),
            cameo=str(e.get("cameo", "") or ""),
            mode=str(e.get("mode", "") or ""),
            context=str(e.get("context", "") or ""),
            prep=_word(e.get("prep")),
            objects=_as_set(e.get("object")),
            modifiers=_as_set(e.get("modifier")),
            light=bool(e.get("light", False)),
            complement=bool(e.get("complement", False)),
            control=bool(e.get("control", False)),
            reported=bool(e.get("reported", False)),
        )
        table.setdefault(pattern.lemma, []).append(pattern)
    for patterns in table.values():
        patterns.sort(key=lambda p: -p.specificity)
    return table


def _read_entries(folder: str) -> tuple[list[dict], list[str]]:
    """All entries of the YAML files in a lexicon folder, and each file's version."""
    entries, versions = [], []
    for path in sorted(data_path(folder).glob("*.yaml")):
        content = read_yaml(f"{folder}/{path.name}") or {}
        entries.extend(content.get("entries") or [])
        versions.append(f"{path.stem}@{content.get('version', 0)}")
    return entries, versions


class Lexicon:
    def __init__(self) -> None:
        verb_entries, verb_versions = _read_entries("lexicon/verbs")
        noun_entries, noun_versions = _read_entries("lexicon/nouns")
        self.version = ",".join(verb_versions + noun_versions)
        self.verbs = _patterns(verb_entries)
        self.nouns = _patterns(noun_entries)
        self.cameo = cameo_table()
        modality = {k: [_word(w) for w in v] if isinstance(v, list) else v
                    for k, v in read_yaml("lexicon/modality.yaml").items()}
        self.recode = _recode(modality.get("recode"))
        self.report_verbs = frozenset(modality["report_verbs"])
        self.demand_verbs = frozenset(modality["demand_verbs"])
        self.intent_verbs = frozenset(modality["intent_verbs"])
        self.refuse_verbs = frozenset(modality["refuse_verbs"])
        self.modals: dict[str, str] = modality["modals"]
        self.necessity = frozenset(modality["necessity_words"])
        self.condition_marks = frozenset(modality["condition_marks"])
        self.negators = frozenset(modality["negators"])
        self.future_adjectives = frozenset(modality.get("future_adjectives", ()))
        self.target_preps = tuple(modality.get("target_preps", ()))  # in order of preference
        self.victim_verbs = frozenset(modality.get("victim_verbs", ()))
        self.trigger_lemmas = frozenset(self.verbs) | frozenset(self.nouns)

    def match_verb(self, lemma: str, preps: set[str], objects: set[str],
                   prep_objects: dict[str, set[str]] | None = None,
                   complement: set[str] = frozenset(), controlled: bool = False
                   ) -> Pattern | None:
        """The most specific verb pattern; a light verb defers to its object noun.
        ``complement``: the words of the verb's complement (``Pattern.complement``);
        ``controlled``: the verb has an object and an infinitive (``Pattern.control``)."""
        for p in self.verbs.get(lemma, ()):
            if p.prep and p.prep not in preps:
                continue
            if p.control and not controlled:
                continue
            if p.complement:
                if not (p.objects & complement):
                    continue
            elif p.objects:
                candidates = objects
                if p.prep and prep_objects:
                    candidates = objects | prep_objects.get(p.prep, set())
                if not (p.objects & candidates):
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
        return goldstein(cameo)


@dataclass(frozen=True)
class Recode:
    """What an event becomes when its modality is not asserted (modality.yaml `recode`)."""

    demanded: str  # the type of a demanded act ("sanctions are needed": REQUEST)
    refused: str  # of a refused cooperative act ("declined to resign": REJECT)
    ultimatum: tuple[str, str]  # type and CAMEO code of an intent with an "unless" clause


def _recode(spec) -> Recode:
    where = "lexicon/modality.yaml recode"
    if not isinstance(spec, dict) or not {"demanded", "refused", "ultimatum"} <= set(spec):
        raise ValueError(f"{where}: needs demanded, refused and ultimatum")
    ultimatum = spec["ultimatum"]
    if not isinstance(ultimatum, list) or len(ultimatum) != 2:
        raise ValueError(f"{where}: ultimatum is [TYPE, \"CAMEO code\"]")
    recode = Recode(demanded=str(spec["demanded"]).upper(), refused=str(spec["refused"]).upper(),
                    ultimatum=(str(ultimatum[0]).upper(), str(ultimatum[1])))
    unknown = {recode.demanded, recode.refused, recode.ultimatum[0]} - set(type_names())
    if unknown:
        raise ValueError(f"{where}: {sorted(unknown)} not types of types.tsv")
    return recode


@functools.cache
def get_lexicon() -> Lexicon:
    return Lexicon()
