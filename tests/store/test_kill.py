"""SIGKILL an ingest at random moments, re-run it, and get exactly what a clean run stores.

Each document is its own transaction, so a kill can only lose work that was not committed;
re-running the same command skips what is stored and codes the rest.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from typer.testing import CliRunner

from tidings.cli import app
from tidings.store import schema as db
from tidings.store.store import engine_url

N_ARTICLES = 500
KILLS = 3
SUBJECTS = ["Russian forces", "Ukrainian troops", "Israeli jets", "Hamas militants",
            "Chinese diplomats", "US officials", "French police", "Turkish officials",
            "Iranian leaders", "Indian troops", "Pakistani forces", "German ministers",
            "Egyptian mediators", "Syrian rebels", "Polish officials", "Japanese envoys"]
TARGETS = ["Ukraine", "Russia", "Israel", "Hamas", "China", "the United States", "France",
           "Turkey", "Iran", "India", "Pakistan", "Germany", "Egypt", "Syria", "Poland", "Japan"]
CITIES = ["Kyiv", "Kharkiv", "Moscow", "Gaza City", "Beijing", "Washington", "Paris", "Ankara",
          "Tehran", "New Delhi", "Islamabad", "Berlin", "Cairo", "Damascus", "Warsaw", "Tokyo",
          "Geneva", "Istanbul", "Doha", "Vienna"]
WHEN = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "on Saturday",
        "on Sunday", "last week", "yesterday", "earlier this month"]
CLAUSES = [
    "{s} shelled {c} {w}.", "{s} attacked positions near {c} {w}.",
    "{s} met officials from {t} in {c} {w}.", "{s} held talks with {t} in {c} {w}.",
    "{s} condemned {t} {w}.", "{s} accused {t} of violating the ceasefire {w}.",
    "{s} signed an agreement with {t} in {c} {w}.", "{s} sent humanitarian aid to {t} {w}.",
    "{s} imposed new sanctions on {t} {w}.", "{s} arrested dozens of protesters in {c} {w}.",
    "{s} threatened to retaliate against {t} {w}.", "{s} rejected a proposal from {t} {w}.",
    "{s} urged {t} to release the hostages {w}.", "{s} deployed troops near {c} {w}.",
    "Thousands of people protested in {c} {w}.", "{s} praised {t} for its support {w}.",
]


def write_corpus(path: Path, seed: int = 20250602) -> int:
    """500 distinct articles, plus what a real feed has: bad lines, a copy, a NUL."""
    rng, seen, lines = random.Random(seed), set(), []
    while len(seen) < N_ARTICLES:
        text = " ".join(rng.choice(CLAUSES).format(
            s=rng.choice(SUBJECTS), t=rng.choice(TARGETS), c=rng.choice(CITIES),
            w=rng.choice(WHEN)) for _ in range(rng.randint(1, 3)))
        if text in seen:
            continue
        seen.add(text)
        n = len(seen)
        if n == 7:
            text = text.replace(" ", "\x00", 1)  # PostgreSQL refuses NUL in text
        lines.append(json.dumps({"id": f"k{n:03d}", "text": text, "source": "Wire",
                                 "published": f"2025-05-{1 + n % 28:02d}"}))
        if n in (50, 250, 450):
            lines.append('{"id": "broken", "text": ')  # malformed line -> errors table
    lines.insert(300, json.dumps({"id": "copy", "text": json.loads(lines[10])["text"]}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return N_ARTICLES


def snapshot(url: str) -> dict:
    """Everything stored, minus timestamps and autoincrement ids, in a comparable form."""
    engine = create_engine(engine_url(url))

    def rows(table, drop=("id",)):
        with engine.connect() as conn:
            found = conn.execute(select(table)).mappings().all()
        kept = [tuple(sorted((k, v) for k, v in r.items() if k not in drop)) for r in found]
        return sorted(kept, key=repr)  # repr: NULLs and numbers mix in a column

    snap = {
        "documents": rows(db.documents, drop=("coded_at",)),
        "events": rows(db.events, drop=()),
        "entities": rows(db.entities),
        "quotes": rows(db.quotes),
        "quantities": rows(db.quantities),
        "places": rows(db.places),
        "errors": rows(db.errors, drop=("id", "created_at")),
    }
    engine.dispose()
    return snap


def stored(engine) -> int:
    try:
        with engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(db.documents)) or 0
    except Exception:  # not created yet: the first run is still starting up
        return 0


def start_ingest(corpus: Path, url: str, log: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-c", "from tidings.cli import main; main()", "ingest", str(corpus),
           "--db", url, "--quiet", "--batch-size", "8"]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log.open("ab"))


@pytest.fixture(scope="module")
def corpus_and_clean_run(tmp_path_factory, coder):
    folder = tmp_path_factory.mktemp("kill")
    corpus = folder / "corpus.jsonl"
    write_corpus(corpus)
    url = f"sqlite:///{folder / 'clean.db'}"
    result = CliRunner().invoke(app, ["ingest", str(corpus), "--db", url, "--quiet",
                                      "--batch-size", "8"])
    assert result.exit_code == 1, result.output  # the corpus holds 3 broken lines
    return corpus, snapshot(url)


@pytest.mark.slow
def test_killed_and_resumed_ingest_equals_a_clean_run(corpus_and_clean_run, store_url, tmp_path):
    corpus, clean = corpus_and_clean_run
    assert len(clean["documents"]) == N_ARTICLES  # the copy is deduplicated
    assert len(clean["events"]) > N_ARTICLES  # the coder really found events
    assert len(clean["errors"]) == 3
    rng = random.Random(4242)
    log = tmp_path / "ingest.log"
    watcher = create_engine(engine_url(store_url))
    counts, mid_run_kills = [0], 0
    for _ in range(KILLS):
        proc = start_ingest(corpus, store_url, log)
        deadline = time.monotonic() + 120
        while stored(watcher) <= counts[-1]:  # wait until this run has committed something
            assert proc.poll() is None, f"ingest ended before making progress:\n{log.read_text()}"
            assert time.monotonic() < deadline, "no progress in 120 s"
            time.sleep(0.05)
        time.sleep(rng.uniform(0.0, 1.0))
        alive = proc.poll() is None
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        counts.append(stored(watcher))
        if alive and counts[-1] < N_ARTICLES:
            mid_run_kills += 1
    assert mid_run_kills >= 1, counts
    assert counts == sorted(counts) and counts[-1] < N_ARTICLES, counts

    final = start_ingest(corpus, store_url, log)
    assert final.wait(timeout=300) == 1, log.read_text()  # the 3 broken lines, recorded
    watcher.dispose()
    resumed = snapshot(store_url)
    for table in clean:
        assert resumed[table] == clean[table], table
