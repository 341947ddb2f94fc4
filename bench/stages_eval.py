"""Accuracy of the date, place, quote and quantity stages, written to docs/accuracy.md.

The test sets are the hand-written tables in the test suite (tests/nlp/test_dates.py
PHRASES, tests/nlp/test_places.py CASES) and the full-length wire story
tests/data/seed_article.txt with the items a reader checks (quotes with speakers, money,
percentages, counts, the talks' date and place). They were written for tidings, not taken
from any benchmark.

    .venv/bin/python bench/stages_eval.py
"""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def dates() -> tuple[int, int]:
    from tidings.nlp.dates import resolve_phrase

    table = _load(ROOT / "tests/nlp/test_dates.py").PHRASES
    hits = sum(resolve_phrase(p, pub) == (date.fromisoformat(exp), prec)
               for p, pub, exp, prec in table)
    return hits, len(table)


def places(nlp) -> tuple[int, int]:
    from tidings.nlp.actors import get_dictionary, mark_mentions
    from tidings.nlp.places import dateline_place, get_gazetteer, place_for_event

    cases = _load(ROOT / "tests/nlp/test_places.py").CASES
    gaz, dictionary = get_gazetteer(), get_dictionary(nlp)
    hits = 0
    for text, trigger, name, country in cases:
        doc = nlp(text)
        mark_mentions(doc, dictionary, None)
        tok = next(t for t in doc if t.text == trigger)
        place = place_for_event(tok, tok.sent, gaz, dateline_place(text, gaz))
        got = (place.name, place.country) if place else (None, None)
        hits += got == (name, country)
    return hits, len(cases)


# What a reader of the seed story checks: (kind, words in the text, expected value).
SEED_QUOTES = [
    ("The whole world is watching us", "Fidan"),
    ("We must not let this chance pass", "Fidan"),
    ("absolutely crazy", "Trump"),
    ("I've always had a very good relationship", "Trump"),
    ("If the meeting brings nothing", "a senior European Union official"),
    ("We have handed over our document", "Medinsky"),
    ("We are ready for a real ceasefire", "Umerov"),
    ("Russia must feel the cost of its war", "Zelenskiy"),
]
SEED_QUANTITIES = [
    ("$7 billion", 7e9, "USD", "damage"),
    ("34%", 34.0, "percent", None),
    ("472 drones", 472.0, None, "drones"),
    ("seven missiles", 7.0, None, "missiles"),
    ("41 aircraft", 41.0, None, "aircraft"),
    ("at least 12 soldiers", 12.0, None, "soldiers"),
    ("at least five people", 5.0, None, "people"),
]


def seed_story() -> dict[str, tuple[int, int]]:
    from tidings.pipeline import get_coder

    text = (ROOT / "tests/data/seed_article.txt").read_text(encoding="utf-8")
    coded = get_coder().code(text, published="2025-06-02")
    quotes = {q.text: q.speaker for q in coded.quotes}
    q_hits = sum(any(t.startswith(start) and sp == speaker for t, sp in quotes.items())
                 for start, speaker in SEED_QUOTES)
    spurious = sum(1 for t in quotes if "Spiderweb" in t)
    found = {q.text: q for q in coded.quantities}
    n_hits = sum(1 for text_, value, unit, counts in SEED_QUANTITIES
                 if text_ in found and found[text_].value == value and found[text_].unit == unit
                 and (counts is None or found[text_].counts == counts))
    talks = [e for e in coded.events if e.event_type == "CONSULT" and e.trigger == "convened"]
    talks_ok = int(bool(talks) and talks[0].date == "2025-06-02"
                   and talks[0].location is not None and talks[0].location.name == "Istanbul")
    attack = [e for e in coded.events if e.event_type == "ASSAULT" and e.trigger == "attack"]
    attack_ok = int(bool(attack) and attack[0].date == "2025-06-01")
    return {"quotes with the right speaker": (q_hits, len(SEED_QUOTES)),
            "operation names taken as quotes (should be 0)": (spurious, 0),
            "quantities with value, unit and what they count": (n_hits, len(SEED_QUANTITIES)),
            "talks dated 2025-06-02 and placed in Istanbul": (talks_ok, 1),
            "drone attack dated the day before (2025-06-01)": (attack_ok, 1)}


def main() -> int:
    from tidings.evaluate import write_section
    from tidings.pipeline import get_coder

    nlp = get_coder().nlp
    d_hits, d_n = dates()
    p_hits, p_n = places(nlp)
    lines = ["## Dates, places, quotes and quantities", "",
             "| stage | test set | correct | accuracy |", "|---|---|---|---|",
             f"| dates | {d_n} phrases with a publication date (`tests/nlp/test_dates.py`) | "
             f"{d_hits}/{d_n} | {d_hits / d_n:.3f} |",
             f"| places | {p_n} news sentences (`tests/nlp/test_places.py`) | "
             f"{p_hits}/{p_n} | {p_hits / p_n:.3f} |", "",
             "Full-length story (`tests/data/seed_article.txt`, published 2025-06-02):", "",
             "| check | result |", "|---|---|"]
    for name, (hits, n) in seed_story().items():
        lines.append(f"| {name} | {hits}" + (f"/{n}" if n else "") + " |")
    body = "\n".join(lines) + "\n"
    print(body)
    if "--no-write" not in sys.argv:
        write_section(ROOT / "docs/accuracy.md", "stages", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
