"""`tidings cluster`: link near-duplicate articles and update canonical events."""

from __future__ import annotations

from typing import Annotated

import typer

from tidings.cli_common import DB_OPTION, DEFAULT_DB, app, out


@app.command()
def cluster(
    db: Annotated[str, DB_OPTION] = DEFAULT_DB,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Recompute everything.")] = False,
) -> None:
    """Merge events that describe the same real-world event into canonical events."""
    from tidings.corpus import canonical_events, rebuild_canonical, update_canonical
    from tidings.store import Store

    with Store(db, must_exist=True) as store:
        stats = rebuild_canonical(store) if rebuild else update_canonical(store)
        events = canonical_events(store)
    multi = [e for e in events if e["num_articles"] > 1]
    out.print(f"{'rebuilt' if rebuild else 'updated'}: {stats['documents']} document(s) "
              f"processed, {stats['canonical_events']} canonical event(s) written")
    out.print(f"{len(events)} canonical events in the store, {len(multi)} reported by "
              f"2+ articles, {sum(e['num_copies'] for e in events)} wire copies credited")
    for e in sorted(multi, key=lambda e: (-e["num_sources"], e["date"] or "", e["id"]))[:10]:
        src = (e["source"] or {}).get("country") or "?"
        tgt = (e["target"] or {}).get("country") or "?"
        out.print(f"  {e['date'] or '-':10} {e['event_type']:9} {src:>4} -> {tgt:<4} "
                  f"articles={e['num_articles']} sources={e['num_sources']} "
                  f"mentions={e['num_mentions']}  {e['id']}")
