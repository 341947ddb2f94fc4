"""Near-duplicate articles: MinHash over word shingles, candidates from LSH.

Exact copies never get this far (the store skips a text whose content hash it has). What
is left are wire stories republished with small edits: another headline, a trimmed last
paragraph, a changed dateline, a house-style fix. Those share most 5-word shingles, while
two outlets writing their own story about the same event share almost none (a quoted
sentence or two at most), so the Jaccard similarity of 5-shingle sets separates them well:

* one edited word changes at most 5 shingles, so ten edits in a 300-word story leave
  J ~ 0.85; the hardest copy in the test corpus, a 120-word story with its last paragraph
  cut and three words changed, measures 0.52;
* independent reports of one event measure 0.00-0.08 on the test corpus (see the tests):
  they share a quoted phrase or a name list at most.

THRESHOLD = 0.35 sits in that gap, more than three standard errors of the 128-permutation
estimate (~0.04) away from either side. LSH is tuned lower (0.25) so that it returns every
pair that might pass, and each candidate is then checked against the threshold with the
signatures' Jaccard estimate.

Which document of a group is "the original" is decided by the data, not by arrival order:
the earliest published, ties broken by id. That keeps duplicate groups, and the canonical
events built on them, the same whatever order articles are ingested in.
"""

from __future__ import annotations

import base64
import re
import unicodedata
from collections.abc import Iterable

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH
from sqlalchemy import Connection, delete, insert, select

from tidings.store import schema as db

SHINGLE = 5
NUM_PERM = 128
SEED = 1
THRESHOLD = 0.35
LSH_THRESHOLD = 0.25
SCHEME = f"w{SHINGLE}-p{NUM_PERM}-s{SEED}-affine32"  # stored with each signature

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def normalise(text: str) -> list[str]:
    """Words of the text, case- and punctuation-insensitive (quotes and dashes vary by outlet)."""
    text = unicodedata.normalize("NFKC", text).lower()
    return [w.replace("’", "'") for w in _WORD.findall(text)]


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    words = normalise(text)
    if len(words) <= k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


def signature(text: str) -> LeanMinHash:
    m = MinHash(num_perm=NUM_PERM, seed=SEED)
    m.update_batch([s.encode("utf-8") for s in shingles(text)])
    return LeanMinHash(m)


def encode(sig: LeanMinHash) -> str:
    return base64.b64encode(np.asarray(sig.hashvalues, dtype="<u4").tobytes()).decode("ascii")


def decode(text: str) -> LeanMinHash:
    values = np.frombuffer(base64.b64decode(text), dtype="<u4").astype(np.uint64)
    return LeanMinHash(seed=SEED, hashvalues=values, scheme="affine32")


def _order_key(published: str | None, doc_id: str) -> tuple[str, str]:
    return (published or "~", doc_id)  # undated documents count as the latest


class DuplicateIndex:
    """Signatures of known documents, queryable for near-copies of a new text."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        self._sigs: dict[str, LeanMinHash] = {}
        self._order: dict[str, tuple[str, str]] = {}

    def __len__(self) -> int:
        return len(self._sigs)

    def __contains__(self, doc_id: str) -> bool:
        return doc_id in self._sigs

    def add(self, doc_id: str, text: str | None = None, *, published: str | None = None,
            sig: LeanMinHash | None = None) -> LeanMinHash:
        """Index a document by its text, or by a signature computed earlier."""
        if sig is None:
            if text is None:
                raise ValueError("add() needs the text or its signature")
            sig = signature(text)
        if doc_id not in self._sigs:
            self._lsh.insert(doc_id, sig)
        self._sigs[doc_id] = sig
        self._order[doc_id] = _order_key(published, doc_id)
        return sig

    def similar(self, text: str | None = None, *, sig: LeanMinHash | None = None,
                exclude: str | None = None) -> list[tuple[str, float]]:
        """Indexed documents whose estimated Jaccard reaches the threshold, most similar first."""
        if sig is None:
            sig = signature(text or "")
        found = []
        for doc_id in self._lsh.query(sig):
            if doc_id == exclude:
                continue
            j = float(sig.jaccard(self._sigs[doc_id]))
            if j >= self.threshold:
                found.append((doc_id, j))
        return sorted(found, key=lambda p: (-p[1], p[0]))

    def match(self, text: str) -> str | None:
        """The earliest indexed document (by publication date, then id) this text copies."""
        hits = self.similar(text)
        return min((d for d, _ in hits), key=self._order.__getitem__) if hits else None

    def order(self, doc_id: str) -> tuple[str, str]:
        return self._order[doc_id]

    def signature_of(self, doc_id: str) -> LeanMinHash:
        return self._sigs[doc_id]


# -- persistence ------------------------------------------------------------------------


def sign_documents(conn: Connection, doc_ids: Iterable[str] | None = None) -> list[str]:
    """Compute and store signatures for documents that lack one; returns their ids."""
    have = select(db.minhash_signatures.c.document_id)
    q = select(db.documents.c.id, db.documents.c.text).where(db.documents.c.id.not_in(have))
    wanted = None if doc_ids is None else set(doc_ids)
    rows = [(i, txt) for i, txt in conn.execute(q) if wanted is None or i in wanted]
    if rows:
        conn.execute(insert(db.minhash_signatures), [
            {"document_id": i, "scheme": SCHEME, "signature": encode(signature(txt))}
            for i, txt in rows])
    return sorted(i for i, _ in rows)


def load_index(conn: Connection) -> DuplicateIndex:
    """Rebuild the LSH index from stored signatures (no text is read)."""
    index = DuplicateIndex()
    q = (select(db.minhash_signatures.c.document_id, db.minhash_signatures.c.signature,
                db.documents.c.published)
         .join(db.documents, db.documents.c.id == db.minhash_signatures.c.document_id)
         .where(db.minhash_signatures.c.scheme == SCHEME))
    for doc_id, sig, published in conn.execute(q):
        index.add(doc_id, published=published, sig=decode(sig))
    return index


def update_duplicates(conn: Connection, new_ids: Iterable[str]) -> set[str]:
    """Link new documents to their near-copies; returns every document whose group changed.

    Groups are connected components of the near-duplicate relation, so adding a document
    can only join groups, and the rows of each touched group are rewritten from scratch.
    """
    new_ids = sorted(set(new_ids))
    if not new_ids:
        return set()
    index = load_index(conn)
    d = db.article_duplicates.c
    group_of: dict[str, str] = {}  # document -> its group's original
    members: dict[str, set[str]] = {}
    for copy, original in conn.execute(select(d.document_id, d.original_id)):
        group_of[copy] = original
        members.setdefault(original, {original}).add(copy)

    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    touched = False
    for doc_id in new_ids:
        if doc_id not in index:
            continue
        for other, _ in index.similar(sig=index.signature_of(doc_id), exclude=doc_id):
            a, b = group_of.get(doc_id, doc_id), group_of.get(other, other)
            parent[find(a)] = find(b)
            touched = True
    if not touched:
        return set()
    groups: dict[str, set[str]] = {}
    for root in list(parent):
        groups.setdefault(find(root), set()).update(members.get(root, {root}))
    changed: set[str] = set()
    for docs in groups.values():
        original = min(docs, key=index.order)
        old = {x for x in docs if x in group_of or x in members}
        conn.execute(delete(db.article_duplicates).where(
            d.document_id.in_(old) | d.original_id.in_(old)))
        conn.execute(insert(db.article_duplicates), [
            {"document_id": x, "original_id": original, "similarity": _closest(index, x, docs)}
            for x in sorted(docs - {original})])
        changed |= docs
    return changed


def _closest(index: DuplicateIndex, doc_id: str, group: set[str]) -> float:
    sig = index.signature_of(doc_id)
    return round(max(float(sig.jaccard(index.signature_of(o))) for o in group if o != doc_id), 3)


def duplicate_map(conn: Connection) -> dict[str, str]:
    """copy id -> original id for every stored near-copy."""
    d = db.article_duplicates.c
    return dict(conn.execute(select(d.document_id, d.original_id)).all())
