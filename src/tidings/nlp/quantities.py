"""Checkable numbers: sums of money, percentages, counts of people and weapons, casualties.

Money and percentages are read off the raw text with patterns (the tokenizer splits "$3m"
and "€2.5bn" unevenly); counts use the parse, because what a number counts is a matter of
syntax ("a record 472 drones", "injured more than 60").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from spacy.attrs import ORTH
from spacy.tokens import Doc, Span, Token

from tidings.data import read_yaml
from tidings.model import Quantity
from tidings.nlp import doc_text, kids

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_DIGITS_RE = re.compile(_DIGITS)
_QUALIFIERS = ("at least", "more than", "fewer than", "less than", "up to", "as many as",
               "at most", "over", "nearly", "almost", "about", "around", "some", "roughly",
               "approximately", "an estimated", "just over", "just under")  # fmt: skip
_SKIP_ENTS = {"DATE", "TIME", "ORDINAL"}
_BIG = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


@dataclass(frozen=True)
class _Words:
    prefixes: dict[str, str]
    currencies: dict[str, str]
    multipliers: dict[str, float]
    numbers: dict[str, float]
    money_nouns: tuple[str, ...]
    counted: frozenset[str]
    time_units: frozenset[str]
    kill: frozenset[str]
    injure: frozenset[str]
    money_re: re.Pattern[str]
    percent_re: re.Pattern[str]


def quantity_words() -> _Words:
    """The word lists of quantities.yaml (counted nouns, time units, number words...)."""
    return _words()


@functools.cache
def _words() -> _Words:
    data = read_yaml("quantities/quantities.yaml")
    prefixes = data["currency_prefixes"]
    currencies = data["currency_words"]
    mults = {k: float(v) for k, v in data["multipliers"].items()}
    numbers = {k: float(v) for k, v in data["number_words"].items()}

    def alt(items, word: bool = False) -> str:
        parts = [re.escape(i) for i in sorted(items, key=len, reverse=True)]
        return "(?:" + "|".join(parts) + ")" + (r"\b" if word else "")

    word_num = alt(list(numbers) + list(_BIG), word=True)
    num = rf"(?P<num>{_DIGITS}|{word_num}(?:[\s-]+{word_num})*)"
    mult = rf"(?:\s?(?P<mult>{alt(mults, word=True)}))?"
    before = rf"(?P<pre>{alt(prefixes)})\s?{num.replace('P<num>', 'P<num1>')}{mult}"
    after = rf"{num}{mult.replace('P<mult>', 'P<mult2>')}\s+(?P<cur>{alt(currencies, True)})"
    money = re.compile(rf"(?<![\w$€£]){before}|(?<![\w.,]){after}", re.I)
    percent = re.compile(
        rf"(?<![\w.,]){num}\s?(?P<unit>%|per ?cent\b|pct\b|percentage points?\b)", re.I
    )
    counted = frozenset(w for ws in data["counted_nouns"].values() for w in ws)
    return _Words(prefixes, currencies, mults, numbers, tuple(data["money_nouns"]), counted,
                  frozenset(data["time_units"]), frozenset(data["kill_words"]),
                  frozenset(data["injure_words"]), money, percent)  # fmt: skip


def parse_number(text: str) -> float | None:
    """'1,000' -> 1000, '2.5' -> 2.5, 'seven' -> 7, 'twenty-five' -> 25, '1.5 million'."""
    words = _words().numbers
    total = current = 0.0
    seen = False
    for part in re.split(r"[\s-]+", text.lower().strip()):
        if not part or part == "and":
            continue
        if re.fullmatch(_DIGITS, part):
            current += float(part.replace(",", ""))
        elif part == "hundred":
            current = (current or 1.0) * 100
        elif part in _BIG:
            total += (current or 1.0) * _BIG[part]
            current = 0.0
        elif part in words:
            current += words[part]
        else:
            return None
        seen = True
    return total + current if seen else None


def _doc_tokens(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


def _money_counts(span: Span) -> str | None:
    """What a sum measures, from the words around it: 'the damage at $7 billion' -> damage."""
    nouns = _words().money_nouns
    sent = span.sent
    near: list[tuple[int, int, str]] = []  # (rank in the list, distance, word)
    node, seen = span.root, set()
    for _ in range(4):
        for tok in [node, *kids(node), *(g for c in kids(node) for g in kids(c))]:
            low = tok.lower_
            if low in nouns and tok.i not in seen and not (span.start <= tok.i < span.end):
                seen.add(tok.i)
                near.append((nouns.index(low), abs(tok.i - span.root.i), low))
        if node.head.i == node.i or node.head.i < sent.start:
            break
        node = node.head
    if not near:
        return None
    # The specific word wins over the generic one ("aid" over "package") when both are close.
    best = min(near, key=lambda n: (n[1] > 4, n[0], n[1]))
    return best[2]


def _percent_counts(span: Span) -> str | None:
    """'34% of Russia's cruise missile carriers' -> 'cruise missile carriers'."""
    doc = span.doc
    if span.end >= len(doc) or doc[span.end].lower_ != "of":
        return None
    objs = [c for c in kids(doc[span.end]) if c.dep_ == "pobj"]
    if not objs:
        return None
    head = objs[0]
    start = head.left_edge.i
    for child in head.lefts:
        if child.dep_ in ("det", "poss", "predet", "nummod", "case"):
            start = max(start, child.right_edge.i + 1)
    return doc[start : head.i + 1].text.lower() or None


def _pattern_quantities(doc: Doc) -> list[Quantity]:
    w = _words()
    text = doc_text(doc)  # built afresh on every access
    out: list[Quantity] = []
    for m in w.money_re.finditer(text):
        num = m.group("num1") or m.group("num")
        value = parse_number(num)
        mult = m.group("mult") or m.group("mult2")
        if value is None or num.lower() in _BIG:
            continue  # "$ billion" has no amount
        if m.group("pre"):
            unit = w.prefixes.get(m.group("pre")) or w.prefixes.get(m.group("pre").upper())
        else:
            unit = w.currencies[m.group("cur").lower()]
            if m.group("cur").lower() == "pounds" and text[m.end() : m.end() + 4] == " of ":
                continue  # "50 pounds of explosives" is a weight
        if mult:
            value *= w.multipliers[mult.lower()]
        span = _doc_tokens(doc, m.start(), m.end())
        counts = _money_counts(span) if span is not None else None
        out.append(Quantity(m.group(), value, (m.start(), m.end()), unit or None, counts))
    for m in w.percent_re.finditer(text):
        value = parse_number(m.group("num"))
        if value is None or any(q.span[0] <= m.start() < q.span[1] for q in out):
            continue
        unit = "percentage points" if "point" in m.group("unit").lower() else "percent"
        span = _doc_tokens(doc, m.start(), m.end())
        counts = _percent_counts(span) if span is not None else None
        out.append(Quantity(m.group(), value, (m.start(), m.end()), unit, counts))
    return out


def _numeric_flags(doc: Doc) -> list[bool]:
    """Whether each word of the Doc is a number word or figure, worked out once per
    distinct word (read from the word-id array, not a Token per word)."""
    flags = doc.user_data.get("tidings.numeric")
    if flags is None:
        strings, seen = doc.vocab.strings, {}
        flags = []
        for orth in doc.to_array(ORTH).tolist():
            flag = seen.get(orth)
            if flag is None:
                flag = seen[orth] = _is_number(strings[orth])
            flags.append(flag)
        doc.user_data["tidings.numeric"] = flags
    return flags


def _is_number(text: str) -> bool:
    if text[:1].isdigit():
        return _DIGITS_RE.fullmatch(text) is not None
    low = text.lower()
    return low in _words().numbers or low in _BIG


def _number_runs(tokens: Span | Doc) -> list[Span]:
    """Maximal runs of number words and digits: '5,000', 'two hundred', '1.5 million'."""
    doc = tokens.doc if isinstance(tokens, Span) else tokens
    offset = tokens.start if isinstance(tokens, Span) else 0
    runs, i, end = [], 0, len(tokens)
    if not end:
        return []
    numeric = _numeric_flags(doc)[offset:offset + end]
    while i < end:
        if not numeric[i]:
            i += 1
            continue
        j = i + 1
        while j < end:  # Token objects only next to a number
            tok, glued = doc[offset + j], not doc[offset + j - 1].whitespace_
            if numeric[j] and (glued or tok.lower_ in _BIG or tok.lower_ == "hundred"):
                j += 1
            elif tok.text == "-" and glued and j + 1 < end and numeric[j + 1]:
                j += 2  # "twenty-five"
            else:
                break
        runs.append(doc[offset + i:offset + j])
        i = j
    return runs


def _not_a_count(run: Span) -> bool:
    """Years, dates, times, ordinals, model names (Tu-95, F-16) and phone-like numbers."""
    doc, first = run.doc, run[0]
    if first.i > 0:
        prev = doc[first.i - 1]
        if not prev.whitespace_ and (prev.text in "-/:." or prev.is_alpha):
            return True
    last = run[-1]
    if last.i + 1 < len(doc) and not last.whitespace_ and doc[last.i + 1].text in "-/:":
        return True
    if first.lower_ == "one" and len(run) == 1 and first.dep_ != "nummod":
        return True  # "one of them", "no one"
    if len(run) == 1 and re.fullmatch(r"1[89]\d\d|20\d\d", first.text):
        return True  # a year
    return False


def _counted_noun(run: Span) -> Token | None:
    doc = run.doc
    root = run.root
    if root.dep_ in ("nummod", "quantmod", "compound") and root.head.pos_ in ("NOUN", "PROPN"):
        if root.head.i > run.end - 1:
            return root.head
    j = run.end
    while j < min(len(doc), run.end + 4):
        tok = doc[j]
        if tok.pos_ == "NOUN" and (j + 1 >= len(doc) or doc[j + 1].pos_ != "NOUN"):
            return tok
        if tok.pos_ not in ("ADJ", "PROPN", "NOUN", "ADV") or tok.lower_ == "of":
            return None
        j += 1
    return None


def _casualty(run: Span, noun: Token | None) -> tuple[str, Token] | None:
    """('killed' | 'injured', the word that says so) when the number counts victims."""
    w = _words()
    x = noun if noun is not None else run.root
    while x.dep_ == "conj" and x.head.pos_ in ("NOUN", "NUM", "PROPN"):
        x = x.head
    if x.head.lower_ == "including" or x.head.head.lower_ == "including":
        return None
    head = x.head

    def kind(tok: Token) -> str | None:
        for word in (tok.lemma_.lower(), tok.lower_):
            if word in w.kill:
                return "killed"
            if word in w.injure:
                return "injured"
        return None

    if noun is not None and noun.lower_ in ("deaths", "fatalities", "dead"):
        return "killed", noun
    if noun is not None and noun.lower_ in ("injuries", "wounded", "injured"):
        return "injured", noun
    if x.dep_ in ("dobj", "nsubjpass", "oprd") and kind(head):
        return kind(head), head
    passive_like = head.lemma_ in ("die", "perish") or head.tag_ == "VBN"
    if x.dep_ == "nsubj" and kind(head) and passive_like:
        return kind(head), head
    nxt = run.doc[x.i + 1] if x.i + 1 < len(run.doc) else None
    for tok in (nxt, head):
        if tok is not None and tok.lower_ in ("dead", "killed", "wounded", "injured", "hurt"):
            return kind(tok), tok
    sent = run.sent
    for tok in sent:
        if tok.lower_ == "toll" and tok.i < run.start <= tok.i + 8:
            if any(t.lower_ in ("death", "casualty") for t in sent.doc[max(0, tok.i - 2) : tok.i]):
                return "killed", tok
    return None


def _count_quantities(doc: Doc, taken: list[tuple[int, int]]) -> list[Quantity]:
    w, text = _words(), doc_text(doc)
    out: list[Quantity] = []
    for run in _number_runs(doc):
        if any(a <= run.start_char < b for a, b in taken) or _not_a_count(run):
            continue
        value = parse_number(run.text)
        if value is None:
            continue
        noun = _counted_noun(run)
        low = noun.lower_ if noun is not None else ""
        if low in w.time_units:
            continue
        cas = _casualty(run, noun)
        if run.root.ent_type_ in _SKIP_ENTS and low not in w.counted and cas is None:
            continue
        if noun is not None and low in w.counted:
            counts, end = low, noun.idx + len(noun)
        elif cas is not None:
            counts, end = cas[0], run.end_char
        elif noun is not None and noun.tag_ == "NNS" and any(c.isdigit() for c in run.text):
            counts, end = low, noun.idx + len(noun)  # "4,000 homes": digits make it a count
        else:
            continue
        start = _qualifier_start(text, run)
        out.append(Quantity(text[start:end], value, (start, end), None, counts))
    return out


def _qualifier_start(text: str, run: Span) -> int:
    """Take 'at least' / 'more than' into the quoted words: they are part of the claim."""
    before = text[max(0, run.start_char - 20) : run.start_char].lower()
    for q in _QUALIFIERS:
        if before.endswith(q + " ") and (
            len(before) == len(q) + 1 or not before[-len(q) - 2].isalnum()
        ):
            return run.start_char - len(q) - 1
    return run.start_char


def find_quantities(doc: Doc) -> list[Quantity]:
    """Money, percentages and counts of people and weapons, in text order."""
    found = _pattern_quantities(doc)
    found += _count_quantities(doc, [q.span for q in found])
    return sorted(found, key=lambda q: q.span)


def casualties(sent: Span) -> dict[str, int]:
    """{'killed': n, 'injured': n} as far as the sentence says; {} when it says nothing."""
    groups: dict[tuple[str, int], int] = {}
    for run in _number_runs(sent):
        if _not_a_count(run):
            continue
        value = parse_number(run.text)
        noun = _counted_noun(run)
        if value is None or (noun is not None and noun.lower_ in _words().time_units):
            continue
        cas = _casualty(run, noun)
        if cas is not None:
            key = (cas[0], cas[1].i)
            groups[key] = groups.get(key, 0) + int(value)
    out: dict[str, int] = {}
    for (kind, _), n in groups.items():
        out[kind] = max(out.get(kind, 0), n)
    return out
