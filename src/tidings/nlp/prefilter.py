"""Parse only what can hold an event: a cheap first pass over each sentence.

The parser and the entity recogniser are most of the cost of coding a story. Many sentences
of a news story carry no event, quote or count (background, weather, markets), so a
tokenizer-and-word-list pass decides which sentences go through the full pipeline. A
sentence is kept when it has a word form of a lexicon trigger (verbs in all their
inflections, irregular ones from the model's own lemmatizer tables, and event nouns, with
the object or particle a pattern needs), a quotation mark, or a number next to a counted
noun ("472 drones"), or a sum of money (what it pays for comes from the parse).
In a document the event model's topic gate rules off topic (sport, films, earnings), no
sentence can become an event, so only a quote, a sum or a count keeps a sentence there.
The rest are kept as tokens only. The parsed and unparsed pieces are joined back into one
Doc over the original text, so every character offset still points into the story.

The entity recogniser is the costliest model in the small English pipeline. After tagging
and parsing, ``known_entities`` decides whether a kept sentence needs it: not when every
proper noun is a name the actor dictionary or the gazetteer knows and every month or year
sits in a date phrase the date stage finds itself; those names and phrases then become
the sentence's entities, labelled as the recogniser would label them.
"""

from __future__ import annotations

import re

import numpy
from spacy.attrs import (
    IDX,
    IS_LOWER,
    IS_PUNCT,
    IS_SPACE,
    IS_UPPER,
    LIKE_NUM,
    LOWER,
    ORTH,
    POS,
    SENT_START,
    SPACY,
)
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.symbols import PROPN
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from tidings.nlp import doc_text
from tidings.nlp.actors import CALENDAR_WORDS, ActorDictionary
from tidings.nlp.dates import LEAD, MONTHS, WEEKDAYS, scan
from tidings.nlp.lexicon import NONE, Lexicon
from tidings.nlp.places import Gazetteer, place_names
from tidings.nlp.quantities import quantity_words

ROW_ATTRS = [IS_SPACE, IS_PUNCT, LIKE_NUM, ORTH, LOWER, POS]  # what known_entities reads
QUOTE_CHARS = set('"“”«»')
YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
# Entity labels for names the actor dictionary knows, as the entity recogniser would give.
KIND_LABELS = {"person": "PERSON", "org": "ORG", "metonym": "ORG", "capital": "GPE",
               "country": "GPE", "demonym": "NORP"}
MONEY = re.compile(r"[$€£¥₹]|\b(?:dollars?|euros?|pounds|yen|yuan|rupees?|roubles?|rubles?)\b")


def _regular_forms(lemma: str) -> set[str]:
    """Inflections of a regular English verb or noun: attack -> attacks, attacked, attacking."""
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing"}
    if lemma.endswith("e"):
        forms |= {lemma[:-1] + "ing", lemma + "d"}
    if lemma.endswith("y") and len(lemma) > 2 and lemma[-2] not in "aeiou":
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if len(lemma) > 2 and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou" and \
            lemma[-3] not in "aeiou":
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}  # ban -> banned
    return forms


class SentenceFilter:
    """Decides which sentences of a text need the full pipeline."""

    def __init__(self, nlp: Language, lex: Lexicon, dictionary: ActorDictionary,
                 gazetteer: Gazetteer):
        self.nlp = nlp
        self.dictionary, self.gazetteer = dictionary, gazetteer
        # Every word of the dictionary's sector terms ("prime", "minister", "general").
        self.titles = frozenset(w for term in dictionary.sector_terms for w in term.split())
        self.splitter = Sentencizer()
        # lemma -> words one of which must also be in the sentence (None: nothing more),
        # so "said" (say + "no") or "in" (sit + in) do not keep every sentence.
        needs: dict[str, set[frozenset[str] | None]] = {}
        for table in (lex.verbs, lex.nouns):
            for lemma, patterns in table.items():
                for p in patterns:
                    if p.type == NONE or p.light:
                        continue
                    words = set(p.objects) | set(p.modifiers) | ({p.prep} if p.prep else set())
                    extra = frozenset(f for w in words for f in _regular_forms(w)) or None
                    needs.setdefault(lemma, set()).add(extra)
        forms: dict[str, set[frozenset[str] | None]] = {}
        for lemma, requirement in needs.items():
            for form in _regular_forms(lemma):
                forms.setdefault(form, set()).update(requirement)
        # Irregular forms (struck, met, fought, sought) from the lemmatizer's own tables.
        exceptions = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_exc")
        for pos in ("verb", "noun"):
            for form, bases in exceptions[pos].items():
                for base in bases:
                    if base in needs:
                        forms.setdefault(form, set()).update(needs[base])
        self.word_index = [frozenset(words) for words in
                           nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index").values()]
        self.forms = {f: (None if None in req else tuple(req)) for f, req in forms.items()}
        words = quantity_words()
        self.counted = frozenset(f for w in words.counted for f in _regular_forms(w))
        self.time_units = words.time_units

    def keep(self, sent: Span, text: str, events: bool = True) -> bool:
        """Whether a sentence (``text``: its words) can hold an event, quote or count;
        ``events=False`` for a document that cannot yield events (off topic): then only
        a quote or a count keeps a sentence."""
        return self._keep(_columns(sent.doc), sent.start, sent.end, text, events)

    def _keep(self, columns: tuple[list, ...], start: int, end: int, text: str,
              events: bool) -> bool:
        """``keep`` for the words ``start:end`` of a Doc, read from its ``_columns``."""
        if QUOTE_CHARS.intersection(text) or MONEY.search(text):
            return True  # speakers, and what a sum pays for, are found from the parse
        lowers, texts, is_lower, is_upper, like_num = columns
        words = set(lowers[start:end]) if events else set()
        number = digits = -10  # where the last number, and the last figure, was
        forms, counted, time_units = self.forms, self.counted, self.time_units
        for i in range(start, end):
            low = lowers[i]
            # Triggers are common words: a capital inside a sentence is a name ("March").
            if events and low in forms and (is_lower[i] or i == start or is_upper[i]):
                requirement = forms[low]
                if requirement is None or any(words & r for r in requirement):
                    return True
            if like_num[i]:
                number = i
                if texts[i][:1].isdigit() and not YEAR.match(texts[i]):
                    digits = i
            elif low in counted and i - number <= 3:
                return True
            # A figure before a plural noun is a count too ("4,000 homes", "1,000 pages"),
            # unless the noun is a span of time.
            elif (i - digits <= 4 and is_lower[i] and low.endswith("s")
                  and low not in time_units):
                return True
        return False

    def split(self, doc: Doc, events: bool = True) -> list[tuple[str, bool]]:
        """The text's sentences as (text, parse it?); the texts, joined, give back the
        whole text. Each piece starts at a word: line breaks before a sentence stay with
        the sentence before, as when the parser reads the whole text. ``events=False``:
        the document cannot yield events (see ``keep``)."""
        self.splitter(doc)
        text = doc.text
        n = len(doc)
        if not n:
            return [(text, False)] if text else []
        # The sentences as Doc.sents gives them, from arrays, each from its first word.
        sent_start, is_space, idx = doc.to_array([SENT_START, IS_SPACE, IDX]).T.tolist()
        bounds = [0] + [i for i in range(1, n) if sent_start[i] == 1] + [n]
        sents = []  # (first word, end) of each sentence
        for start, end in zip(bounds, bounds[1:], strict=False):
            first = next((i for i in range(start, end) if not is_space[i]), None)
            if first is not None:
                sents.append((first, end))
        if not sents:
            return [(text, False)]
        columns = _columns(doc)
        starts = [0] + [idx[first] for first, _ in sents[1:]] + [len(text)]
        return [(text[starts[k]:starts[k + 1]],
                 self._keep(columns, first, end, text[starts[k]:starts[k + 1]], events))
                for k, (first, end) in enumerate(sents)]

    def _common(self, low: str) -> bool:
        """Whether a capitalised sentence opener is an ordinary English word ("Talks",
        "Security"), by the lemmatizer's own word index."""
        return any(low in words or low.rstrip("s") in words for words in self.word_index)

    @staticmethod
    def _name_follows(rows: list, i: int, strings) -> bool:
        """Whether a capitalised proper noun comes straight after word ``i``: an opener
        such as "Michael" in "Michael Howard" starts a name, even though the word index
        also lists it as a word (else "Howard" alone would be read, as a town)."""
        if i + 1 >= len(rows):
            return False
        _, _, _, orth, _, pos = rows[i + 1]
        return pos == PROPN and strings[orth][:1].isupper()

    def known_entities(self, sent: Doc) -> list[Span] | None:
        """Entity spans for a parsed sentence from the actor dictionary and the gazetteer,
        or None when it holds something only the entity recogniser can label: a proper
        noun or capitalised word neither knows, or a month or year outside the date
        phrases the date stage finds by itself."""
        sent_text = doc_text(sent)
        dated = scan(sent_text.rstrip())  # the date stage scans the same text again

        def in_date(tok) -> bool:
            return any(a <= tok.idx < b for a, b in dated)

        # Word attributes as one array (a Token object per word costs more than the test).
        rows = sent.to_array(ROW_ATTRS).tolist()
        words = [i for i, row in enumerate(rows) if not row[0] and not row[1]]
        if not words:
            return []  # only punctuation: nothing to name
        strings, first = sent.vocab.strings, words[0]
        unknown = []
        for i in words:
            _, _, like_num, orth, lower, pos = rows[i]
            text, low = strings[orth], strings[lower]
            if like_num:
                if YEAR.match(text) and not in_date(sent[i]):
                    return None
                continue
            if low in MONTHS and text[0].isupper() and not in_date(sent[i]):
                return None
            if not text[:1].isupper() or low in WEEKDAYS or low in self.titles:
                continue  # titles ("Prime Minister") are not names
            if i != first or (pos == PROPN and (not self._common(low)
                                                 or self._name_follows(rows, i, strings))):
                unknown.append(i)
        # Date phrases as the recogniser would mark them ("March 3", not "on March 3"), so
        # that no later stage takes "March" for a name.
        spans = []
        for a, b in dated:
            lead = LEAD.match(sent_text[a:b])
            span = sent.char_span(a + (lead.end() if lead else 0), b, label="DATE",
                                  alignment_mode="expand")
            if span is not None and len(span):
                spans.append(span)
        if not unknown:
            return filter_spans(spans)
        for span in self.dictionary.find_mentions(sent):
            info = self.dictionary.info_for(span, None)
            if info is not None:
                spans.append(Span(sent, span.start, span.end, label=KIND_LABELS[info.kind]))
        spans.extend(Span(sent, span.start, span.end,
                          label="GPE" if place.feature in ("city", "country", "admin") else "LOC")
                     for span, place in place_names(sent[:], self.gazetteer))
        # Surnames of office holders read as names (never as dictionary entries: the entity
        # resolver decides whom they name, tidings.nlp.entities).
        surnames = self.dictionary.surnames
        spans.extend(Span(sent, i, i + 1, label="PERSON") for i in unknown
                     if strings[rows[i][3]] in surnames
                     and strings[rows[i][4]] not in CALENDAR_WORDS)
        spans = filter_spans(spans)
        covered = {i for span in spans for i in range(span.start, span.end)}
        return spans if covered.issuperset(unknown) else None


def _columns(doc: Doc) -> tuple[list, ...]:
    """What ``keep`` reads of every word, as lists: lower case, text, and the is_lower,
    is_upper and like_num flags. Made once per Doc (a Token object per word costs more
    than the tests)."""
    found = doc.user_data.get("tidings.prefilter_columns")
    if found is None:
        lower, orth, is_lower, is_upper, like_num = doc.to_array(
            [LOWER, ORTH, IS_LOWER, IS_UPPER, LIKE_NUM]).T.tolist()
        strings, names = doc.vocab.strings, {}
        for h in {*lower, *orth}:
            names[h] = strings[h]
        found = doc.user_data["tidings.prefilter_columns"] = (
            [names[h] for h in lower], [names[h] for h in orth], is_lower, is_upper, like_num)
    return found


def assemble(pieces: list[Doc], text: str) -> Doc | None:
    """Join sentence Docs back into one Doc over the original text (None if that fails).

    What ``Doc.from_docs(pieces, ensure_whitespace=False, exclude=["tensor",
    "user_data"])`` makes (the pieces have no span groups), with the words and spaces read
    as arrays instead of one Token object per word (tests/nlp/test_prefilter.py compares
    the two)."""
    vocab = pieces[0].vocab
    strings = vocab.strings
    attrs = list(Doc._get_array_attrs())
    if SPACY not in attrs:
        attrs.append(SPACY)
    arrays = [piece.to_array(attrs) for piece in pieces]
    concat = numpy.concatenate(arrays)
    names: dict[int, str] = {}
    words = []
    for h in numpy.concatenate([piece.to_array(ORTH) for piece in pieces]).tolist():
        word = names.get(h)
        if word is None:
            word = names[h] = strings[h]
        words.append(word)
    spaces = [bool(flag) for flag in concat[:, attrs.index(SPACY)].tolist()]
    doc = Doc(vocab, words=words, spaces=spaces)
    doc.from_array(attrs, concat)
    # The pieces are slices of the text in order, so equal length means equal text (and
    # Doc.text would rebuild the string token by token).
    if not len(doc) or doc[-1].idx + len(doc[-1].text_with_ws) != len(text):
        return None
    doc.user_data["tidings.text"] = text  # what tidings.nlp.doc_text caches
    return doc
