"""Hand-built coded articles for the corpus tests (no spaCy needed)."""

from __future__ import annotations

import random

from sqlalchemy import select

from tidings.model import Actor, Article, CodedArticle, Event, Place
from tidings.store import schema as t

TOWNS = {  # name: (country, lat, lon)
    "Kharkiv": ("UKR", 49.99, 36.23), "Odesa": ("UKR", 46.48, 30.72),
    "Tbilisi": ("GEO", 41.69, 44.83), "Geneva": ("CHE", 46.20, 6.15),
    "Nairobi": ("KEN", -1.28, 36.82), "Kampala": ("UGA", 0.31, 32.58),
    "Kyiv": ("UKR", 50.45, 30.52),
}


def words(seed: str, n: int = 150) -> str:
    """Filler prose unique to ``seed``: unrelated documents share no 5-word shingle."""
    rng = random.Random(seed)
    return " ".join(f"{rng.choice('bcdfglmnprst')}{rng.randrange(10**6)}" for _ in range(n))


def ev(doc: str, n: int, etype: str, src: str | None = None, tgt: str | None = None,
       day: str | None = "2025-03-10", prec: str | None = "day", town: str | None = None,
       modality: str = "asserted", dateline: str | None = None, src_name: str | None = None,
       tgt_name: str | None = None) -> Event:
    """An event; ``town`` is named in its sentence, ``dateline`` is a place outside it."""
    sentence = f"Something happened{' in ' + town if town else ''} ({doc}:{n})."
    place = None
    if town or dateline:
        name = town or dateline
        country, lat, lon = TOWNS[name]
        place = Place(name, country, lat=lat, lon=lon, feature="city",
                      text=name if town else name.upper())
    return Event(
        id=f"{doc}:{n}", event_type=etype, cameo="190",
        source=Actor(src or "someone", name=src_name, country=src) if src or src_name else None,
        target=Actor(tgt or "someone", name=tgt_name, country=tgt) if tgt or tgt_name else None,
        modality=modality, sentence=sentence, date=day, date_precision=prec, location=place)


def doc(doc_id: str, events: list[Event], published: str = "2025-03-10",
        outlet: str | None = None, text: str | None = None) -> CodedArticle:
    art = Article(text=text or words(doc_id), id=doc_id, title=f"Title {doc_id}",
                  published=published, source=outlet or f"Outlet {doc_id}")
    return CodedArticle(article=art, events=events)


def copy_of(original: CodedArticle, doc_id: str, published: str, outlet: str) -> CodedArticle:
    """A wire copy: same text with two words changed; the coder finds the same events."""
    text = original.article.text.split()
    text[3], text[70] = "edited", "changed"
    events = [Event(**{**e.__dict__, "id": e.id.replace(original.article.id, doc_id)})
              for e in original.events]
    return doc(doc_id, events, published=published, outlet=outlet, text=" ".join(text))


def clusters(store) -> frozenset[frozenset[str]]:
    """The canonical events as sets of mention ids (what order independence compares)."""
    lk = t.canonical_links.c
    groups: dict[str, set[str]] = {}
    with store.engine.connect() as conn:
        for eid, cid in conn.execute(select(lk.event_id, lk.canonical_id)):
            groups.setdefault(cid, set()).add(eid)
    return frozenset(frozenset(g) for g in groups.values())


def cluster_of(store, event_id: str) -> frozenset[str]:
    return next(c for c in clusters(store) if event_id in c)
