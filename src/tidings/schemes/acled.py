"""ACLED event_type / sub_event_type for a coded PLOVER event.

The mapping is data: ordered rules in ``tidings/data/lexicon/acled.yaml`` (first match
wins), then the type's ``acled_default`` in types.tsv, checked and compiled once. Only
asserted events get a record unless a rule says otherwise; verbal events match no rule.
Works on ``Event``s only (no spaCy). ``python -m tidings.schemes.acled`` prints the rule
table that docs/schemes.md embeds.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from tidings.data import read_yaml
from tidings.event_types import event_types, type_names
from tidings.model import MODALITIES, AcledType, Actor, Event

RULES_FILE = "lexicon/acled.yaml"

# ACLED's six event types and their sub-event types (the names tidings may emit).
ACLED_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory",
                "Non-state actor overtakes territory"),
    "Explosions/Remote violence": ("Air/drone strike", "Shelling/artillery/missile attack",
                                   "Remote explosive/landmine/IED", "Suicide bomb", "Grenade",
                                   "Chemical weapon"),
    "Violence against civilians": ("Attack", "Abduction/forced disappearance",
                                   "Sexual violence"),
    "Protests": ("Peaceful protest", "Protest with intervention",
                 "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": ("Agreement", "Arrests", "Change to group/activity",
                               "Disrupted weapons use", "Headquarters or base established",
                               "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"),
}  # fmt: skip

CONDITION_KEYS = ("type", "mode", "cameo", "words", "source_sector", "target_sector",
                  "modality")  # fmt: skip
DEFAULT_MODALITY = frozenset({"asserted"})
ARTICLES = frozenset({"a", "an", "the"})
_SUFFIXES = ("ings", "ies", "ied", "ing", "es", "ed", "s")
_WORD = re.compile(r"[a-z0-9]+")
_BREAK = "|"  # stands in for an ignored phrase so no phrase can match across it


class AcledRuleError(ValueError):
    """acled.yaml is malformed; the message names the offending rule."""


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Crude stem, applied alike to rule words and text: shelled/shells/shelling -> shel."""
    w = word.lower()
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
            break
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouy":
        w = w[:-1]  # kidnapped -> kidnap, shell -> shel (both sides alike)
    return w


def stems(text: str) -> list[str]:
    return [stem(t) for t in _WORD.findall(text.lower().replace("\u2019", "'"))
            if t not in ARTICLES]


def _phrase(text: str) -> str:
    return " ".join(stems(text))


@dataclass(frozen=True)
class Condition:
    types: frozenset[str] | None = None
    modes: frozenset[str] | None = None
    cameo: tuple[str, ...] | None = None
    words: tuple[tuple[str, ...], ...] | None = None  # groups (AND) of stemmed phrases (OR)
    source: frozenset[str | None] | None = None
    target: frozenset[str | None] | None = None
    modality: frozenset[str] = DEFAULT_MODALITY

    def matches(self, event: Event, modes: set[str], text: str) -> bool:
        if event.modality not in self.modality:
            return False
        if self.types is not None and event.event_type not in self.types:
            return False
        if self.modes is not None and not (self.modes & modes):
            return False
        if self.cameo is not None and not (event.cameo or "").startswith(self.cameo):
            return False
        if self.source is not None and _sector(event.source) not in self.source:
            return False
        if self.target is not None and _sector(event.target) not in self.target:
            return False
        if self.words is not None:
            return all(any(f" {p} " in text for p in group) for group in self.words)
        return True


@dataclass(frozen=True)
class Rule:
    index: int  # 1-based position in the file, for messages and docs
    when: tuple[Condition, ...]
    acled: tuple[str, str] | None  # None: stop, no ACLED record
    raw: dict[str, Any]


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    ignore: tuple[str, ...]  # stemmed phrases blanked out of the text before matching
    sets: dict[str, Any]
    # event type -> its [event_type, sub_event_type] when no rule matches (types.tsv)
    defaults: dict[str, tuple[str, str]] = field(default_factory=dict)
    # event type -> the rules that can match it, in order; filled as types come up
    by_type: dict[str, tuple[Rule, ...]] = field(default_factory=dict, compare=False,
                                                 repr=False)


def _sector(actor: Actor | None) -> str | None:
    return (actor.sector or None) if actor is not None else None


def _strings(value: Any, where: str, key: str) -> list[str]:
    items = value if isinstance(value, list) else [value]
    for item in items:
        if not isinstance(item, str):
            raise AcledRuleError(f"{where}: {key} must hold strings (quote CAMEO codes), "
                                 f"got {item!r}")
    return items


def _condition(spec: Any, where: str) -> Condition:
    if not isinstance(spec, dict):
        raise AcledRuleError(f"{where}: a condition must be a mapping, got {spec!r}")
    unknown = set(spec) - set(CONDITION_KEYS)
    if unknown:
        raise AcledRuleError(f"{where}: unknown condition key(s) {sorted(unknown)}; "
                             f"use {', '.join(CONDITION_KEYS)}")
    kw: dict[str, Any] = {}
    if "type" in spec:
        types = [t.upper() for t in _strings(spec["type"], where, "type")]
        bad = [t for t in types if t not in type_names()]
        if bad:
            raise AcledRuleError(f"{where}: {bad} not PLOVER event types")
        kw["types"] = frozenset(types)
    if "mode" in spec:
        kw["modes"] = frozenset(m.lower() for m in _strings(spec["mode"], where, "mode"))
    if "cameo" in spec:
        codes = _strings(spec["cameo"], where, "cameo")
        if not all(c.isdigit() for c in codes):
            raise AcledRuleError(f"{where}: cameo codes must be digits, got {codes}")
        kw["cameo"] = tuple(codes)
    if "modality" in spec:
        mods = _strings(spec["modality"], where, "modality")
        bad = [m for m in mods if m not in MODALITIES]
        if bad:
            raise AcledRuleError(f"{where}: {bad} not modalities ({', '.join(MODALITIES)})")
        kw["modality"] = frozenset(mods)
    for key, side in (("source_sector", "source"), ("target_sector", "target")):
        if key in spec:
            values = spec[key] if isinstance(spec[key], list) else [spec[key]]
            if not all(v is None or isinstance(v, str) for v in values):
                raise AcledRuleError(f"{where}: {key} holds sector codes or null")
            kw[side] = frozenset(v.upper() if v else None for v in values)
    if "words" in spec:
        words = spec["words"]
        if not isinstance(words, list) or not words:
            raise AcledRuleError(f"{where}: words must be a non-empty list")
        # All strings: one any-of group. Otherwise every element is a group of its own.
        raw_groups = [words] if all(isinstance(w, str) for w in words) else [
            w if isinstance(w, list) else [w] for w in words]
        groups = []
        for group in raw_groups:
            phrases = tuple(p for p in (_phrase(w) for w in _strings(group, where, "words")) if p)
            if not phrases:
                raise AcledRuleError(f"{where}: empty words group")
            groups.append(phrases)
        kw["words"] = tuple(groups)
    return Condition(**kw)


def _label(value: Any, where: str) -> tuple[str, str] | None:
    if value is None:
        return None
    if (not isinstance(value, list) or len(value) != 2
            or value[1] not in ACLED_TYPES.get(value[0], ())):
        names = ", ".join(f"{t} / {s}" for t, subs in ACLED_TYPES.items() for s in subs)
        raise AcledRuleError(f"{where}: acled {value!r} is not an ACLED "
                             f"[event_type, sub_event_type] pair; choose from {names}")
    return value[0], value[1]


def compile_rules(data: Any, defaults: dict[str, Any] | None = None) -> RuleSet:
    """Check and compile the YAML document and the types' defaults (type -> [event_type,
    sub_event_type]); raise AcledRuleError naming any bad rule or default."""
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise AcledRuleError(f"{RULES_FILE}: expected a mapping with a 'rules' list")
    rules = []
    for i, raw in enumerate(data["rules"], 1):
        where = f"{RULES_FILE} rule {i} ({raw.get('when') if isinstance(raw, dict) else raw!r})"
        if not isinstance(raw, dict) or "when" not in raw or "acled" not in raw:
            raise AcledRuleError(f"{where}: a rule needs 'when' and 'acled'")
        specs = raw["when"] if isinstance(raw["when"], list) else [raw["when"]]
        if not specs:
            raise AcledRuleError(f"{where}: empty 'when'")
        when = tuple(_condition(s, where) for s in specs)
        rules.append(Rule(index=i, when=when, acled=_label(raw["acled"], where), raw=raw))
    ignore = tuple(p for p in (_phrase(s) for s in data.get("ignore_phrases") or []) if p)
    checked = {}
    for etype, pair in (defaults or {}).items():
        label = _label(list(pair), f"types.tsv ({etype}) acled_default")
        if label is not None:
            checked[etype] = label
    return RuleSet(rules=tuple(rules), ignore=ignore, sets=dict(data.get("sets") or {}),
                   defaults=checked)


@functools.cache
def load_rules() -> RuleSet:
    defaults = {t.type: t.acled_default for t in event_types().values() if t.acled_default}
    return compile_rules(read_yaml(RULES_FILE), defaults)


def _text(event: Event, ruleset: RuleSet) -> str:
    return _stemmed(event.trigger, event.sentence, ruleset.ignore)


@functools.lru_cache(maxsize=1024)
def _sentence_stems(sentence: str) -> tuple[str, ...]:
    return tuple(stems(sentence))  # a sentence often holds several events


@functools.lru_cache(maxsize=1024)
def _stemmed(trigger: str, sentence: str, ignore: tuple[str, ...]) -> str:
    """The stemmed trigger and sentence with ignored phrases blanked. Words never span the
    space between the two, so stemming them apart gives the words of stemming them joined."""
    text = f" {' '.join((*stems(trigger), *_sentence_stems(sentence)))} "
    for phrase in ignore:
        text = text.replace(f" {phrase} ", f" {_BREAK} ")
    return text


def match_rule(event: Event, ruleset: RuleSet | None = None) -> Rule | None:
    """The first rule that matches the event (its acled may be None: a deliberate stop)."""
    ruleset = ruleset or load_rules()
    modes = {m for m in re.split(r"[;,|\s]+", (event.mode or "").lower()) if m}
    text = _text(event, ruleset)
    for rule in _rules_for_type(ruleset, event.event_type):
        if any(c.matches(event, modes, text) for c in rule.when):
            return rule
    return None


def _rules_for_type(ruleset: RuleSet, event_type: str) -> tuple[Rule, ...]:
    """The rules that can match an event of this type, in order (fewer to test)."""
    rules = ruleset.by_type.get(event_type)
    if rules is None:
        rules = ruleset.by_type[event_type] = tuple(
            r for r in ruleset.rules
            if any(c.types is None or event_type in c.types for c in r.when))
    return rules


def acled_for(event: Event, ruleset: RuleSet | None = None) -> AcledType | None:
    """The event's ACLED event_type and sub_event_type, or None if ACLED has none."""
    ruleset = ruleset or load_rules()
    rule = match_rule(event, ruleset)
    if rule is not None:
        return AcledType(*rule.acled) if rule.acled is not None else None
    default = ruleset.defaults.get(event.event_type)
    if default is None or event.modality not in DEFAULT_MODALITY:
        return None
    return AcledType(*default)


def acled_label(event: Event | None) -> str:
    """The sub_event_type, or NONE: the label `tidings classify --scheme acled` prints.
    The event's own ACLED record when the coder gave it one, else the rules'."""
    if event is None:
        return "NONE"
    found = event.acled or acled_for(event)
    return found.sub_event_type if found else "NONE"


# -- documentation --------------------------------------------------------------------------


def _named(values: list, sets: dict[str, Any]) -> str:
    for name, members in sets.items():
        if values == members:
            return f"*{name}*"
    return ", ".join("unknown" if v is None else str(v) for v in values)


def _describe(spec: dict, sets: dict[str, Any]) -> tuple[str, str]:
    as_list = lambda v: v if isinstance(v, list) else [v]  # noqa: E731
    parts = []
    if "mode" in spec:
        parts.append("mode " + _named(as_list(spec["mode"]), sets))
    if "cameo" in spec:
        parts.append("CAMEO " + ", ".join(f"{c}*" for c in as_list(spec["cameo"])))
    for key, label in (("source_sector", "source"), ("target_sector", "target")):
        if key in spec:
            parts.append(f"{label} {_named(as_list(spec[key]), sets)}")
    if "words" in spec:
        words = spec["words"]
        if all(isinstance(w, str) for w in words):
            parts.append("words: " + _named(words, sets))
        else:
            groups = [_named(w if isinstance(w, list) else [w], sets) for w in words]
            parts.append("words: (" + ") and (".join(groups) + ")")
    if "modality" in spec:
        parts.append("modality " + ", ".join(as_list(spec["modality"])))
    types = ", ".join(as_list(spec.get("type", ["any"])))
    return types, "; ".join(parts) or "(any)"


def markdown_table(ruleset: RuleSet | None = None) -> str:
    """The rules as a Markdown table, one row per alternative condition."""
    ruleset = ruleset or load_rules()
    lines = ["| # | PLOVER type | conditions | ACLED event_type | sub_event_type |",
             "|---|---|---|---|---|"]
    for rule in ruleset.rules:
        specs = rule.raw["when"] if isinstance(rule.raw["when"], list) else [rule.raw["when"]]
        etype, sub = rule.acled or ("*no record*", "")
        for k, spec in enumerate(specs):
            types, cond = _describe(spec, ruleset.sets)
            num = str(rule.index) if k == 0 else f"{rule.index} (or)"
            cond = cond.replace("|", "\\|")
            lines.append(f"| {num} | {types} | {cond} | {etype} | {sub} |")
    for etype, (acled_type, sub) in ruleset.defaults.items():
        lines.append(f"| default | {etype} | no rule above matched (types.tsv "
                     f"`acled_default`) | {acled_type} | {sub} |")
    lines += ["", "Named lists used above (`sets` in the YAML):", ""]
    for name, members in ruleset.sets.items():
        shown = ", ".join("unknown" if m is None else str(m) for m in members)
        lines.append(f"- *{name}*: {shown}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown_table(), end="")
