"""A small test corpus: a few real articles run through the coder, plus hand-built
documents whose events we control exactly (dates, dyads, places, quotes, numbers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from tidings.model import Actor, Article, CodedArticle, Event, Place, Quantity, Quote
from tidings.runs import store_coded
from tidings.store import Store

ARTICLES = [
    ("Kharkiv shelled", "2025-06-02",
     "Russian forces shelled Kharkiv on Monday, killing three civilians, Ukrainian officials "
     "said. Ukraine's foreign minister accused Moscow of targeting homes."),
    ("Talks in Istanbul", "2025-06-03",
     "Russian and Ukrainian officials met in Istanbul on Tuesday to discuss a prisoner "
     "exchange. \"We are ready to talk,\" said Rustem Umerov."),
    ("Refinery hit", "2025-06-13",
     "Ukrainian drones attacked an oil refinery in Russia's Ryazan region on Friday. Russia's "
     "defence ministry said 40 drones were shot down."),
    ("Paris march <script>", "2025-06-14",
     "Protesters marched in Paris on Saturday. <script>window.__pwned = 1; alert('x')</script> "
     "<a href=\"javascript:alert(1)\">click here</a> French police arrested 12 protesters."),
]
SCRIPT_TITLE = ARTICLES[3][0]

N_HAND_DOCS, PER_DOC = 13, 10  # 130 USA -> CHN events, one a day from 2024-01-01
FIRST_DAY = date(2024, 1, 1)
BEIJING = Place(name="Beijing", country="CHN", lat=39.9075, lon=116.3972, feature="city")
WASHINGTON = Place(name="Washington", country="USA", lat=38.8951, lon=-77.0364, feature="city")


@dataclass
class Corpus:
    url: str
    coded_ids: list[str] = field(default_factory=list)
    coded_events: int = 0
    script_doc: str = ""
    hand_events: list[Event] = field(default_factory=list)

    @property
    def documents(self) -> int:
        return len(self.coded_ids) + N_HAND_DOCS + 1

    @property
    def events(self) -> int:
        return self.coded_events + len(self.hand_events)


def hand_event(doc_id: str, k: int, i: int, text: str) -> Event:
    coop = i % 2 == 0
    trigger = "talked" if coop else "accused"
    t0 = text.index(trigger)
    return Event(
        id=f"{doc_id}:{k}", event_type="CONSULT" if coop else "ACCUSE",
        cameo="040" if coop else "112", mode="", quad_class=1 if coop else 3,
        goldstein=1.0 if coop else -2.0,
        source=Actor(text="American envoys", name="United States", country="USA",
                     sector="GOV", span=(text.index("American"), text.index("American") + 15)),
        target=Actor(text="Chinese officials", name="China", country="CHN", sector="GOV",
                     span=(text.index("Chinese"), text.index("Chinese") + 17)),
        sentence=text.split(". ")[0] + ".", span=(0, text.index(". ") + 1), trigger=trigger,
        trigger_span=(t0, t0 + len(trigger)), confidence=0.9,
        date=(FIRST_DAY + timedelta(days=i)).isoformat(), date_precision="day",
        location=BEIJING if coop else WASHINGTON,
    )


def hand_built() -> list[CodedArticle]:
    out = []
    for d in range(N_HAND_DOCS):
        text = (f"Report {d}: American envoys talked with and accused Chinese officials. "
                f"\"We will keep talking,\" the envoy said after two rounds.")
        doc_id = f"hand-{d:02d}"
        q0 = text.index("We will")
        n0 = text.index("two rounds")
        out.append(CodedArticle(
            article=Article(text=text, id=doc_id, title=f"Synthetic report {d}",
                            published=(FIRST_DAY + timedelta(days=d * PER_DOC)).isoformat(),
                            source="Test Wire"),
            events=[hand_event(doc_id, k, d * PER_DOC + k, text) for k in range(PER_DOC)],
            quotes=[Quote(text="We will keep talking,", span=(q0, q0 + 21),
                          speaker="the envoy", kind="direct",
                          speaker_actor=Actor(text="the envoy", country="USA", sector="GOV"))],
            quantities=[Quantity(text="two rounds", value=2.0, span=(n0, n0 + 10),
                                 counts="rounds")],
        ))
    undated = "Iran threatened Israel with retaliation."
    out.append(CodedArticle(
        article=Article(text=undated, id="hand-undated", title="Undated threat"),
        events=[Event(id="hand-undated:0", event_type="THREATEN", cameo="138", quad_class=3,
                      goldstein=-7.0, source=Actor(text="Iran", country="IRN"),
                      target=Actor(text="Israel", country="ISR"), sentence=undated,
                      span=(0, len(undated)), trigger="threatened", trigger_span=(5, 15),
                      confidence=0.8)],
    ))
    return out


def build(url: str) -> Corpus:
    from tidings.pipeline import get_coder

    corpus = Corpus(url=url)
    coder = get_coder()
    with Store(url) as store:
        for title, published, text in ARTICLES:
            coded = coder.code(Article(text=text, title=title, published=published,
                                       source="Test Wire"))
            assert store_coded([coded], store).stored == 1, f"could not store {title!r}"
            corpus.coded_ids.append(coded.article.id)
            corpus.coded_events += len(coded.events)
            if title == SCRIPT_TITLE:
                corpus.script_doc = coded.article.id
        for coded in hand_built():
            assert store_coded([coded], store).stored == 1
            corpus.hand_events.extend(coded.events)
    return corpus
