"""Load a batch job's Parquet datasets into the store.

Partition by partition, documents are rebuilt with their events, entities, quotes and
quantities and times and stored through ``Store.save_many``, so the store's own rules apply: one
transaction per batch, and a text whose content hash is already stored is skipped.
Errors already recorded (same origin, reason and detail) are not recorded twice.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from itertools import groupby
from pathlib import Path
from typing import Any

from tidings.batch.tables import (
    DATASETS,
    LATER_DATASETS,
    coded_of,
    part_path,
    read_rows,
    rejected_of,
)

log = logging.getLogger("tidings.batch")
CHILDREN = ("events", "entities", "quotes", "quantities", "times", "places")


def partitions(out: str | Path) -> list[str]:
    """Names of the complete partitions under ``out``, in order."""
    names = sorted(p.stem for p in (Path(out) / "documents").glob("part-*.parquet"))
    # a dataset added in a later version is not required: older jobs lack its files
    done = [n for n in names if all(part_path(out, d, n).exists() for d in DATASETS
                                    if d not in LATER_DATASETS)]
    if len(done) < len(names):
        log.warning("%d incomplete partition(s) under %s skipped", len(names) - len(done), out)
    return done


def load(out: str | Path, store: Any) -> dict[str, int]:
    """Store everything under ``out``; returns counts of saved, skipped, errors, partitions."""
    stats = {"partitions": 0, "saved": 0, "skipped": 0, "errors": 0}
    known = {(e["origin"], e["reason"], e["detail"] or "") for e in store.errors()}
    for name in partitions(out):
        children: dict[str, dict[str, list[dict]]] = defaultdict(dict)
        for dataset in CHILDREN:
            if dataset in LATER_DATASETS and not part_path(out, dataset, name).exists():
                continue
            for row in read_rows(part_path(out, dataset, name)):
                children[row["document_id"]].setdefault(dataset, []).append(row)
        docs = read_rows(part_path(out, "documents", name))
        # save_many takes one pipeline version per call: keep each run of equal versions
        for version, group in groupby(docs, key=lambda d: d["pipeline_version"] or ""):
            coded = (coded_of(d, children.get(d["id"], {})) for d in group)
            saved, skipped = store.save_many(coded, pipeline_version=version)
            stats["saved"] += saved
            stats["skipped"] += skipped
        for row in read_rows(part_path(out, "errors", name)):
            rej = rejected_of(row)
            key = (rej.origin, rej.reason, rej.detail)
            if key not in known:
                known.add(key)
                store.record_error(rej)
                stats["errors"] += 1
        stats["partitions"] += 1
    return stats
