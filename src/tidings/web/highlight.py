"""Article text cut into segments for highlighting.

The text is untrusted: it is never turned into markup here. We only compute plain-text
segments plus the annotations covering each one; the template escapes every segment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# which record a segment links to when several annotations overlap
PRIORITY = ("trigger", "quantity", "place", "actor", "entity", "quote", "event")


@dataclass
class Mark:
    start: int
    end: int
    kind: str
    href: str
    label: str
    event_id: str | None = None


@dataclass
class Segment:
    text: str
    kinds: list[str] = field(default_factory=list)
    href: str | None = None
    title: str = ""
    events: list[str] = field(default_factory=list)

    @property
    def css(self) -> str:
        return " ".join(f"hl-{k}" for k in self.kinds)


def _span(d: dict[str, Any] | None, key: str = "span") -> tuple[int, int] | None:
    span = (d or {}).get(key)
    if not span or span[0] is None or span[1] is None or span[1] <= span[0]:
        return None
    return int(span[0]), int(span[1])


def marks_for(doc: dict[str, Any]) -> list[Mark]:
    """Every highlightable span of a document payload from ``queries.get_document``."""
    marks: list[Mark] = []
    for ev in doc["events"]:
        eid, label = ev["id"], f"{ev['event_type']} ({ev['cameo']}) {ev['modality']}"
        href = f"/events/{eid}"
        if span := _span(ev):
            marks.append(Mark(*span, "event", f"#event-{eid}", label, eid))
        if span := _span(ev, "trigger_span"):
            marks.append(Mark(*span, "trigger", href, label, eid))
        for role in ("source", "target"):
            if span := _span(ev.get(role)):
                actor = ev[role]
                code = "-".join(x for x in (actor.get("country"), actor.get("sector")) if x)
                marks.append(Mark(*span, "actor", f"#event-{eid}", f"{role}: {code}", eid))
        if span := _span(ev.get("location")):
            marks.append(Mark(*span, "place", f"#event-{eid}",
                              f"place: {ev['location'].get('name')}", eid))
    for kind, key, rows in (("entity", "label", doc["entities"]), ("quote", "speaker",
                            doc["quotes"]), ("quantity", "unit", doc["quantities"])):
        for r in rows:
            span = (r.get("span_start"), r.get("span_end"))
            if span[0] is not None and span[1] is not None and span[1] > span[0]:
                marks.append(Mark(span[0], span[1], kind, f"#{kind}-{r['id']}",
                                  f"{kind}: {r.get(key) or ''}".strip()))
    return marks


def segments(text: str, marks: list[Mark]) -> list[Segment]:
    """Cut ``text`` at every mark boundary; each piece knows the marks that cover it."""
    n = len(text)
    marks = [m for m in marks if 0 <= m.start < m.end <= n]
    cuts = sorted({0, n, *(m.start for m in marks), *(m.end for m in marks)})
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [m for m in marks if m.start <= a and m.end >= b]
        seg = Segment(text[a:b])
        if covering:
            covering.sort(key=lambda m: PRIORITY.index(m.kind))
            seg.kinds = list(dict.fromkeys(m.kind for m in covering))
            seg.href = covering[0].href
            seg.title = "; ".join(dict.fromkeys(m.label for m in covering))
            seg.events = list(dict.fromkeys(m.event_id for m in covering if m.event_id))
        out.append(seg)
    return out
