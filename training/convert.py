"""Turn the training sources into one JSONL file of labelled sentences.

Usage (the public sources are read from where you put them; none is committed):

    python training/convert.py --raw RAW_DIR --out training/cache/examples.jsonl

RAW_DIR holds the files named in training/SOURCES.md ("how to get it"); a missing source is
skipped with a warning. The sentences we wrote (training/data/written_*.jsonl) are always
read. Each output line is

    {"text", "event": true|false|null, "types": [PLOVER types], "coarse": 1-4|null,
     "source", "group", "weight"}

``event`` null means the source says nothing about it; ``types`` empty with ``event`` true
means the type is known only up to ``coarse`` (a CAMEO quad class). ``group`` keeps the
sentences of one document together when the dev split is drawn.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
MAPPINGS = yaml.safe_load((HERE / "mappings" / "labels.yaml").read_text())
csv.field_size_limit(sys.maxsize)


def example(text: str, *, event: bool | None, types=(), coarse: int | None = None,
            source: str, group: str, weight: float = 1.0, topic: bool = True) -> dict:
    """``topic``: the text comes from political or social news (every public source here
    is a political news corpus); our sport, business, entertainment, technology, weather
    and everyday sentences are not."""
    return {"text": " ".join(text.split()), "event": event, "types": sorted(set(types)),
            "coarse": coarse, "source": source, "group": group, "weight": weight,
            "topic": topic}


def first_sentence(text: str) -> str:
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z\"“])", text.strip(), maxsplit=1)
    return parts[0] if parts else ""


def ngec(path: Path) -> Iterator[dict]:
    """Synthetic stories: the headline and the first sentence carry the label (the bodies
    drift off topic, so the rest is not used)."""
    with zipfile.ZipFile(path) as z:
        rows = csv.DictReader(io.TextIOWrapper(z.open(z.namelist()[0]), "utf-8"))
        for i, row in enumerate(rows):
            label = MAPPINGS["ngec"].get(row["label"], row["label"])
            weight = MAPPINGS.get("ngec_weights", {}).get(label, 1.0)
            headline = re.sub(r"\s*\([^)]*\)\s*--\s*$", "", row["prompt"].strip()).strip()
            group = f"ngec:{i}"
            if headline:
                yield example(headline, event=True, types=[label], source="ngec", group=group,
                              weight=weight)
            lead = first_sentence(row["text"])
            if 30 <= len(lead) <= 400:
                yield example(lead, event=True, types=[label], source="ngec", group=group,
                              weight=0.5 * weight)


def conflibert(path: Path) -> Iterator[dict]:
    """ConfliBERT cameo_class train split only (its test split is built from the PLOVER
    gold records tidings is measured on)."""
    if path.name != "train.tsv":
        raise SystemExit("ConfliBERT: only data/cameo_class/train.tsv may be used")
    classes = MAPPINGS["conflibert_classes"]
    with open(path, encoding="utf-8") as f:
        for i, row in enumerate(csv.reader(f, delimiter="\t", quotechar='"')):
            if len(row) != 2 or not row[1].strip().isdigit():
                continue
            spec = classes[int(row[1])]
            yield example(row[0], event=spec["event"], coarse=spec.get("coarse"),
                          source="conflibert", group=f"conflibert:{i}")


def _root(value: str) -> str | None:
    """'4-18 Assualt' -> '18'."""
    m = re.match(r"\s*\d-(\d+)", value or "")
    return f"{int(m.group(1)):02d}" if m else None


def cameo_conflibert(folder: Path) -> Iterator[dict]:
    """Annotation rounds with up to five annotators: keep a sentence when at least two
    annotators, and more than half of those who coded its first action, agree on the CAMEO
    root, or when at least two judged it and all said it is not relevant."""
    roots = MAPPINGS["cameo_roots"]
    seen: set[str] = set()
    for path in sorted(folder.glob("training_round_*/summary*.csv")):
        if "wrong" in path.name:
            continue
        with open(path, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                text = (row.get("sentences") or "").strip()
                key = " ".join(text.lower().split())
                if not text or key in seen:
                    continue
                coded, relevant = [], []
                for k in range(1, 6):
                    if row.get(f"anncomplete_{k}") != "True":
                        continue
                    rel = row.get(f"1_Relevant_{k}")
                    if rel in ("True", "False"):
                        relevant.append(rel == "True")
                    root = _root(row.get(f"Action1_CAMEO_{k}", ""))
                    if root:
                        coded.append(root)
                top, votes = Counter(coded).most_common(1)[0] if coded else (None, 0)
                if votes >= 2 and votes > len(coded) / 2:
                    seen.add(key)
                    kind = roots[top]
                    yield example(text, event=kind != "NONE",
                                  types=[] if kind == "NONE" else [kind],
                                  source="cameo_conflibert",
                                  group=f"cc:{path.parent.name}:{key[:40]}")
                elif len(relevant) >= 2 and not any(relevant) and not coded:
                    seen.add(key)
                    yield example(text, event=False, source="cameo_conflibert",
                                  group=f"cc:{path.parent.name}:{key[:40]}")


def india_police(path: Path, negatives_per_doc: int = 2) -> Iterator[dict]:
    """Police-event sentences (lower-cased in the source). Sentences with no label are
    negatives for *these* event kinds only, so only a few per document are kept, at a low
    weight, and only sentences long enough to be real sentences."""
    mapping = MAPPINGS["india_police_events"]
    kept: Counter[int] = Counter()
    with open(path, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            text = row["sent_text"].strip()
            if len(text) < 40 or "â" in text:
                continue
            labels = set(row["sent_labels"])
            types = {mapping[k] for k in labels if k in mapping}
            group = f"ipe:{row['doc_id']}"
            if types:
                yield example(text, event=True, types=types, source="india_police", group=group)
            elif not labels and kept[row["doc_id"]] < negatives_per_doc:
                kept[row["doc_id"]] += 1
                yield example(text, event=False, source="india_police", group=group,
                              weight=0.3)


def glocon(path: Path) -> Iterator[dict]:
    mapping = MAPPINGS["glocon"]
    with open(path, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            group = "glocon:" + row["url"]
            if row["label"] in mapping:
                yield example(row["sentence"], event=True, types=[mapping[row["label"]]],
                              source="glocon", group=group)
            elif row["label"] == 0:
                yield example(row["sentence"], event=False, source="glocon", group=group,
                              weight=0.3)


def written(folder: Path) -> Iterator[dict]:
    """Our own sentences: {"text", "types": [...]} (empty: not an event)."""
    for path in sorted(folder.glob("written_*.jsonl")):
        if path.name.startswith("written_articles"):
            continue  # whole articles: written_articles() keeps each one together
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if not line.strip():
                continue
            row = json.loads(line)
            types = row.get("types", [])
            yield example(row["text"], event=bool(types), types=types,
                          source=f"written:{path.stem}", group=f"{path.stem}:{i // 4}",
                          topic=row.get("kind") not in NON_POLITICAL_KINDS)


def written_articles(folder: Path) -> Iterator[dict]:
    """Our invented news articles, one labelled sentence a line ({"doc", "sent", "text",
    "kind", "types", ...}). Each article is one group (its sentences never straddle train
    and dev); a sentence with no type is a real negative (the whole article was coded).
    The article as a whole is one more row, for the topic head only: the topic of a
    document is a property of the document, and a single sentence of a sport story
    ("He said on Tuesday he was pleased") is not off topic on its own."""
    topics = MAPPINGS["written_article_topics"]
    articles: dict[str, list[dict]] = {}
    for path in sorted(folder.glob("written_articles_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                articles.setdefault(row["doc"], []).append(row)
    for doc, rows in articles.items():
        rows.sort(key=lambda r: r["sent"])
        group = f"written_articles:{doc}"
        for row in rows:
            types = row.get("types", [])
            yield example(row["text"], event=bool(types), types=types,
                          source="written_articles", group=group, topic=None)
        kind = rows[0].get("kind")
        topic = True if kind in topics["political"] else \
            False if kind in topics["not_political"] else None
        if topic is not None:
            yield example(" ".join(r["text"] for r in rows), event=None,
                          source="written_articles", group=group, topic=topic)


NON_POLITICAL_KINDS = {"sport", "business", "entertainment", "technology", "weather", "everyday"}

SOURCES = {
    "ngec": ("gpt_synthetic_events_2023-10-19_19.csv.zip", ngec),
    "conflibert": ("conflibert/train.tsv", conflibert),
    "cameo_conflibert": ("cameo_conflibert_annotations", cameo_conflibert),
    "india_police": ("india_police_sents.jsonl", india_police),
    "glocon": ("glocon_sentence_sample.json", glocon),
}


def convert(raw: Path | None, out: Path, written_dir: Path = HERE / "data") -> Counter:
    counts: Counter[str] = Counter()
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        streams = [written(written_dir), written_articles(written_dir)]
        for name, (file, reader) in SOURCES.items():
            path = raw / file if raw is not None else None
            if path is None or not path.exists():
                print(f"warning: {name}: {path} not found, skipped", file=sys.stderr)
                continue
            streams.append(reader(path))
        for stream in streams:
            for ex in stream:
                if len(ex["text"]) < 12:
                    continue
                f.write(json.dumps(ex, ensure_ascii=False) + "\n")
                counts[ex["source"].split(":")[0]] += 1
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--raw", type=Path, help="folder with the downloaded sources")
    ap.add_argument("--out", type=Path, default=HERE / "cache" / "examples.jsonl")
    args = ap.parse_args()
    counts = convert(args.raw, args.out)
    for name, n in sorted(counts.items()):
        print(f"{name}\t{n}")


if __name__ == "__main__":
    main()
