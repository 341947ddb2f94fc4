"""Order-independent clustering of mentions into canonical events (pure functions, no I/O).

1. Candidate links: every pair that ``rules.compare`` links, found by blocking on the type
   family and a sweep over dates (a link needs dates at most ~35 days apart).
2. Components: connected components of the candidate links. A component depends only on
   the set of mentions, and new mentions can only join components, so an incremental update
   that recomputes every component it touches gives exactly what a rebuild gives.
3. Within a component, greedy agglomeration in a fixed total order — links by descending
   score, then date gap, then event ids — merging two clusters only when no pair across them
   conflicts. Chaining through unknown sides ("Russia attacked ..." bridging two different
   targets) is stopped by that check, and the fixed order makes the result independent of
   the order mentions arrived in.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from tidings.corpus.rules import Comparison, Mention, compare, family

WINDOW_DAYS = 40  # wider than any two linkable intervals can be apart (month + slack)
PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "publication": 3}


@dataclass
class Cluster:
    component: str
    members: list[Mention]
    evidence: dict[str, tuple[str | None, Comparison | None]] = field(default_factory=dict)

    @property
    def id(self) -> str:
        seed = min(m.event_id for m in self.members)
        return "ce-" + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:16]


class Linker:
    """Caches comparisons; ``compare`` is symmetric up to which side is 'a'."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str], Comparison] = {}

    def __call__(self, a: Mention, b: Mention) -> Comparison:
        key = (a.event_id, b.event_id) if a.event_id < b.event_id else (b.event_id, a.event_id)
        if key not in self._cache:
            x, y = (a, b) if a.event_id < b.event_id else (b, a)
            self._cache[key] = compare(x, y)
        return self._cache[key]


def candidate_links(mentions: Iterable[Mention], linker: Linker | None = None
                    ) -> dict[tuple[str, str], Comparison]:
    """All linked pairs, keyed by (smaller id, larger id)."""
    linker = linker or Linker()
    blocks: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        if m.interval is not None:
            blocks[family(m.event_type)].append(m)
    links = {}
    for block in blocks.values():
        block.sort(key=lambda m: (m.interval[0], m.event_id))
        for i, a in enumerate(block):
            limit = a.interval[0] + timedelta(days=WINDOW_DAYS)
            for b in block[i + 1:]:
                if b.interval[0] > limit:
                    break
                c = linker(a, b)
                if c.linked:
                    links[tuple(sorted((a.event_id, b.event_id)))] = c
    return links


def components(mentions: Iterable[Mention], links: dict[tuple[str, str], Comparison]
               ) -> list[list[Mention]]:
    by_id = {m.event_id: m for m in mentions}
    parent = {i: i for i in by_id}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in links:
        if a in parent and b in parent:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[Mention]] = defaultdict(list)
    for i in sorted(by_id):
        groups[find(i)].append(by_id[i])
    return list(groups.values())


def cluster_component(members: list[Mention], links: dict[tuple[str, str], Comparison],
                      linker: Linker) -> list[Cluster]:
    by_id = {m.event_id: m for m in members}
    comp_id = min(by_id)
    sets: dict[str, list[str]] = {i: [i] for i in by_id}
    owner = {i: i for i in by_id}
    inside = [(k, c) for k, c in links.items() if k[0] in by_id and k[1] in by_id]
    inside.sort(key=lambda kc: (-kc[1].score, kc[1].gap_days or 0, kc[0]))
    for (a, b), _ in inside:
        ra, rb = owner[a], owner[b]
        if ra == rb:
            continue
        if any(linker(by_id[x], by_id[y]).veto for x in sets[ra] for y in sets[rb]):
            continue
        keep, gone = min(ra, rb), max(ra, rb)
        sets[keep] += sets.pop(gone)
        for x in sets[keep]:
            owner[x] = keep
    clusters = []
    for ids in sets.values():
        group = sorted((by_id[i] for i in ids), key=lambda m: m.event_id)
        clusters.append(Cluster(comp_id, group, _evidence(group, linker)))
    return sorted(clusters, key=lambda c: c.members[0].event_id)


def _evidence(group: list[Mention], linker: Linker
              ) -> dict[str, tuple[str | None, Comparison | None]]:
    """For each member, the other member it agrees with best (the explanation of its link),
    compared in that order: every ``values`` pair reads [this mention, the other]."""
    out: dict[str, tuple[str | None, Comparison | None]] = {}
    for m in group:
        best: Mention | None = None
        for o in group:
            if o is not m and (best is None or linker(m, o).score > linker(m, best).score):
                best = o
        out[m.event_id] = (best.event_id, compare(m, best)) if best else (None, None)
    return out


def cluster(mentions: Iterable[Mention]) -> list[Cluster]:
    """Cluster a complete set of mentions (whole components) into canonical events."""
    mentions = list(mentions)
    linker = Linker()
    links = candidate_links(mentions, linker)
    out: list[Cluster] = []
    for comp in components(mentions, links):
        out.extend(cluster_component(comp, links, linker))
    return out


def _most_common(values: Iterable, rank=None):
    """Most frequent non-empty value; ties go to the better rank, then the smaller value."""
    counts = Counter(v for v in values if v not in (None, ""))
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], rank(v) if rank else 0, str(v)))


def representative(members: list[Mention]) -> dict:
    """Fields of a canonical event: the most common known values, the most precise date."""
    def side(role: str) -> dict:
        sides = [getattr(m, role) for m in members]
        country = _most_common(s.country for s in sides)
        pick = [s for s in sides if s.country == country]
        return {"country": country, "sector": _most_common(s.sector for s in pick),
                "name": _most_common(s.name for s in pick)}

    dated = [m for m in members if m.interval is not None] or members
    best_rank = min(PRECISION_RANK.get(m.precision or "publication", 9) for m in dated)
    precise = [m for m in dated if PRECISION_RANK.get(m.precision or "publication", 9)
               == best_rank]
    day = _most_common(m.date for m in precise)
    places = [m.place for m in members if m.place.in_sentence and m.place.name]
    specific = [p for p in places if p.specific] or places
    place_name = _most_common(p.name for p in specific)
    place = next((p for p in specific if p.name == place_name), None)
    return {
        "event_type": _most_common(m.event_type for m in members),
        "cameo": _most_common(m.cameo for m in members),
        "source": side("source"),
        "target": side("target"),
        "date": day,
        "date_precision": next((m.precision for m in precise if m.date == day), None),
        "place": place,
    }
