"""Load a batch job's Parquet datasets into the store.

Partition by partition, documents are rebuilt with their events, entities, quotes and
quantities and times and stored through the run service (``tidings.runs.store_coded``), by
the rules every command that stores follows: one transaction per batch, a text whose content
hash is already stored is skipped, a document that cannot be written is recorded and the rest
go on. Errors already recorded (same origin, reason and detail) are not recorded twice.
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
from tidings.model import Rejected
from tidings.runs import Report, store_coded

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


def load(out: str | Path, store: Any, *, batch_size: int = 50) -> dict[str, int]:
    """Store everything under ``out`` through the run service's storing half
    (``tidings.runs.store_coded``); returns counts of partitions, documents saved,
    documents skipped (already stored) and failures newly recorded (errors the batch job
    met, and documents the store could not write)."""
    report = Report()
    partitions_done = 0
    known = {(e["origin"], e["reason"], e["detail"] or "") for e in store.errors()}
    for name in partitions(out):
        children: dict[str, dict[str, list[dict]]] = defaultdict(dict)
        for dataset in CHILDREN:
            if dataset in LATER_DATASETS and not part_path(out, dataset, name).exists():
                continue
            for row in read_rows(part_path(out, dataset, name)):
                children[row["document_id"]].setdefault(dataset, []).append(row)
        docs = read_rows(part_path(out, "documents", name))
        # documents keep the pipeline version that coded them: a run per equal version
        for version, group in groupby(docs, key=lambda d: d["pipeline_version"] or ""):
            coded = (coded_of(d, children.get(d["id"], {})) for d in group)
            store_coded(coded, store, pipeline_version=version, batch_size=batch_size,
                        report=report)
        # an error loaded before (even one resolved since) is not recorded again
        fresh: list[Rejected] = []
        for row in read_rows(part_path(out, "errors", name)):
            rej = rejected_of(row)
            if (key := (rej.origin, rej.reason, rej.detail)) not in known:
                known.add(key)
                fresh.append(rej)
        store_coded(fresh, store, report=report)
        partitions_done += 1
    return {"partitions": partitions_done, "saved": report.stored,
            "skipped": report.duplicates, "errors": report.failed}
