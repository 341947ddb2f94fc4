"""Near-duplicate articles: shingles, the threshold on real-looking copies, persistence."""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

import pytest
from corpus_helpers import copy_of, doc, ev
from sqlalchemy import create_engine, select

from tidings.corpus import DuplicateIndex, update_canonical
from tidings.corpus.dedupe import (
    THRESHOLD,
    decode,
    encode,
    load_index,
    shingles,
    signature,
)
from tidings.runs import store_coded
from tidings.store import Store
from tidings.store import schema as t

DATA = Path(__file__).resolve().parents[1] / "data" / "clusters"


@pytest.fixture(scope="module")
def articles() -> dict[str, dict]:
    with open(DATA / "articles.jsonl", encoding="utf-8") as f:
        return {a["id"]: a for a in map(json.loads, f)}


@pytest.fixture(scope="module")
def gold() -> dict[str, dict]:
    return json.loads((DATA / "gold.json").read_text(encoding="utf-8"))["articles"]


def test_shingles_ignore_case_and_punctuation():
    assert shingles("Russia's drones hit ODESA, officials said.") == shingles(
        "russia’s drones hit Odesa officials said")
    assert len(shingles("one two three four five six")) == 2
    assert shingles("too short") == {"too short"}


def test_threshold_separates_copies_from_other_reports(articles, gold):
    """Every wire copy in the corpus clears the threshold with room to spare, and no two
    independent reports (even of the same event) come near it."""
    sig = {i: signature(a["text"]) for i, a in articles.items()}
    copies = {(g["copy_of"], i) for i, g in gold.items() if g.get("copy_of")}
    assert len(copies) >= 8
    copy_j = [sig[a].jaccard(sig[b]) for a, b in copies]
    other_j = [sig[a].jaccard(sig[b]) for a, b in combinations(sorted(articles), 2)
               if (a, b) not in copies and (b, a) not in copies]
    same_event = [sig[a].jaccard(sig[b]) for a, b in combinations(sorted(articles), 2)
                  if (a, b) not in copies and (b, a) not in copies
                  and set(gold[a].get("events", [])) & set(gold[b].get("events", []))]
    assert min(copy_j) >= THRESHOLD + 0.15
    assert max(other_j) <= THRESHOLD - 0.25
    assert same_event and max(same_event) < 0.2


def test_match_returns_the_earliest_copy_whatever_the_insertion_order(articles):
    text = articles["c001"]["text"]
    late, early = DuplicateIndex(), DuplicateIndex()
    late.add("z-late", text, published="2025-03-15")
    late.add("a-early", text.replace("Firefighters", "Fire crews"), published="2025-03-14")
    early.add("a-early", text.replace("Firefighters", "Fire crews"), published="2025-03-14")
    early.add("z-late", text, published="2025-03-15")
    assert late.match(articles["c055"]["text"]) == early.match(articles["c055"]["text"])
    assert late.match(articles["c055"]["text"]) == "a-early"
    assert late.match(articles["c002"]["text"]) is None  # another outlet's own story


def test_signature_survives_encoding():
    sig = signature("The quick brown fox jumps over the lazy dog near the river bank")
    back = decode(encode(sig))
    assert back.jaccard(sig) == 1.0
    assert list(back.hashvalues) == list(sig.hashvalues)


def test_a_new_process_rebuilds_the_index_from_stored_signatures(tmp_path: Path, articles):
    url = f"sqlite:///{tmp_path / 'd.db'}"
    a = articles["c044"]
    with Store(url) as store:
        store_coded([doc("c044", [], published=a["published"], text=a["text"])], store)
        update_canonical(store)
    engine = create_engine(url)  # as another process would
    with engine.connect() as conn:
        stored = conn.scalar(select(t.minhash_signatures.c.signature))
        index = load_index(conn)
    assert stored and len(index) == 1
    assert index.match(articles["c060"]["text"]) == "c044"
    assert index.match(articles["c045"]["text"]) is None


def test_copies_are_linked_to_the_earliest_published(tmp_path: Path):
    original = doc("w1", [ev("w1", 0, "ASSAULT", "RUS", "UKR")], published="2025-03-10")
    first_in = copy_of(original, "w2", published="2025-03-11", outlet="Daily")
    other = doc("w3", [ev("w3", 0, "ASSAULT", "RUS", "UKR")], published="2025-03-10")
    with Store(f"sqlite:///{tmp_path / 'd.db'}") as store:
        for batch in ([first_in], [other], [original]):  # the copy arrives first
            store_coded(batch, store)
            update_canonical(store)
        with store.engine.connect() as conn:
            rows = conn.execute(select(t.article_duplicates)).mappings().all()
    assert [(r["document_id"], r["original_id"]) for r in rows] == [("w2", "w1")]
    assert rows[0]["similarity"] >= THRESHOLD
