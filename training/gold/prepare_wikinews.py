"""Select and segment the Wikinews 2019 articles of the real-news gold set.

Reads ``data/wikinews_2019.csv`` of the public repository ``vanatteveldt/wikinews``
(CC BY 2.5; only that file: the repository's other file is held out) from the path given,
draws a fixed-seed sample of articles, cuts each to its title and first paragraphs, splits
it into sentences with the same spaCy model tidings uses, and writes
``training/gold/wikinews/articles.jsonl``. Half the articles are ``dev`` (tune freely) and
half ``test`` (scored once); the split written here is a first draft that
``split.py`` replaces with one stratified by event count after adjudication. Re-running
with the same seed writes the same file.

    python training/gold/prepare_wikinews.py PATH/TO/wikinews_2019.csv
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
from pathlib import Path

OUT = Path(__file__).parent / "wikinews" / "articles.jsonl"
# A weekday-and-date line ("Friday, January 4, 2019") opens each article: it is the dateline,
# already in the CSV's date column, so it is dropped from the coded text.
DATELINE = re.compile(r"^\s*(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),"
                      r" \w+ \d{1,2}, \d{4}\s*$")


def body(text: str, max_sentences: int, nlp) -> str:
    """The article's first paragraphs, stopping once ``max_sentences`` are reached."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    paragraphs = [p for p in paragraphs if not DATELINE.match(p)]
    kept, count = [], 0
    for p in paragraphs:
        kept.append(" ".join(p.split()))
        count += sum(1 for _ in nlp(p).sents)
        if count >= max_sentences:
            break
    return "\n\n".join(kept)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("csv", type=Path)
    ap.add_argument("--n", type=int, default=80)
    ap.add_argument("--seed", type=int, default=2019)
    ap.add_argument("--max-sentences", type=int, default=32)
    args = ap.parse_args()

    from tidings.pipeline import load_model

    nlp = load_model()
    with args.csv.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    picked = random.Random(args.seed).sample(range(len(rows)), args.n)
    out = []
    for rank, index in enumerate(sorted(picked)):
        r = rows[index]
        # The headline is annotated too: it is the first paragraph of the coded text.
        text = r["title"].strip() + "\n\n" + body(r["text"], args.max_sentences, nlp)
        doc = nlp(text)
        sentences = [{"i": i, "start": s.start_char, "end": s.end_char, "text": s.text}
                     for i, s in enumerate(doc.sents)]
        out.append({"id": f"wn19-{index:03d}", "url": r["url"], "published": r["date"],
                    "title": r["title"], "text": text, "sentences": sentences,
                    # Alternate by date order so both halves span the whole year.
                    "split": "dev" if rank % 2 == 0 else "test"})
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as fh:
        for a in out:
            fh.write(json.dumps(a, ensure_ascii=False) + "\n")
    n_sent = sum(len(a["sentences"]) for a in out)
    print(f"{len(out)} articles, {n_sent} sentences -> {OUT}")


if __name__ == "__main__":
    main()
