"""Why an actor is who tidings says it is: ``tidings code --explain``.

For each document, each entity that an event names (and then every other entity) is shown
with its mention chain, in text order with character offsets, and the rule that resolved
it; each event then lists its source and target by entity.
"""

from __future__ import annotations

from tidings.model import Actor, CodedArticle, Entity


def _code(country: str | None, sector: str | None) -> str:
    return "-".join(x for x in (country, sector) if x) or "unknown"


def _entity_line(ent: Entity) -> list[str]:
    role = f", role: {ent.role}" if ent.role else ""
    head = f"  #{ent.id} {ent.name or ent.text} [{ent.label}] {_code(ent.country, ent.sector)}"
    chain = " -> ".join(f'"{m.text}" {m.span[0]}:{m.span[1]}' for m in ent.mentions)
    return [head + role, f"      how: {ent.how}", f"      mentions: {chain}"]


def _actor(actor: Actor | None) -> str:
    if actor is None:
        return "none"
    ref = f" (entity #{actor.entity})" if actor.entity is not None else ""
    return f'"{actor.text}" {_code(actor.country, actor.sector)}{ref}'


def explain(coded: CodedArticle, *, all_entities: bool = True) -> str:
    """A plain-text account of the document's actors and how each was resolved."""
    title = coded.article.title or coded.article.id
    lines = [f"== {title} (published {coded.article.published or 'unknown'})"]
    used = {a.entity for e in coded.events for a in (e.source, e.target, e.reporter)
            if a is not None and a.entity is not None}
    actors = [e for e in coded.entities if e.id in used]
    others = [e for e in coded.entities if e.id not in used and e.kind != "place"]
    lines.append("actors:")
    for ent in actors:
        lines += _entity_line(ent)
    if all_entities and others:
        lines.append("other entities:")
        for ent in others:
            lines += _entity_line(ent)
    lines.append("events:")
    for ev in coded.events:
        lines.append(f"  {ev.id} {ev.event_type} ({ev.modality}) \"{ev.trigger}\": "
                     f"{_actor(ev.source)} -> {_actor(ev.target)}")
    return "\n".join(lines) + "\n"
