"""Coding in several worker processes (`code_many(n_process=N)`, `--jobs N`) gives the
single process's results, in input order."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tidings.cli import app

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                       reason="worker processes are forked"),
]
SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "articles.jsonl"


def _articles(n: int) -> list[dict]:
    return [json.loads(line) for line in SAMPLES.read_text().splitlines()[:n]]


def test_processes_match_single_process_in_order(coder):
    articles = _articles(14)
    single = [c.to_dict() for c in coder.code_many(articles, batch_size=3)]
    forked = [c.to_dict() for c in coder.code_many(articles, batch_size=3, n_process=2)]
    assert [c["id"] for c in forked] == [str(a["id"]) for a in articles]
    assert forked == single
    assert sum(len(c["events"]) for c in single) > 20


def test_processes_with_empty_input(coder):
    assert list(coder.code_many([], n_process=2)) == []


def test_zero_processes_is_an_error(coder):
    with pytest.raises(ValueError, match="n_process"):
        list(coder.code_many(_articles(1), n_process=0))


def test_cli_jobs(coder, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps(a) for a in _articles(5)) + "\n", encoding="utf-8")
    one = CliRunner().invoke(app, ["code", str(path)])
    two = CliRunner().invoke(app, ["code", str(path), "--jobs", "2"])
    assert one.exit_code == 0 and two.exit_code == 0, two.output
    assert one.stdout == two.stdout
    bad = CliRunner().invoke(app, ["code", str(path), "--jobs", "0"])
    assert bad.exit_code != 0
    assert "--jobs" in bad.output


@pytest.mark.parametrize("jobs", [1, 2])
def test_code_each_puts_a_rejection_in_place_of_a_failing_document(fragile_coder, jobs):
    from tidings.model import Rejected

    articles = _articles(5)
    articles.insert(2, {"id": "bad", "text": "BOOM went the parser."})
    out = list(fragile_coder.code_each(articles, batch_size=3, n_process=jobs))
    assert [getattr(o, "article_id", None) or o.article.id for o in out] == \
        [str(a["id"]) for a in articles]
    [rejected] = [o for o in out if isinstance(o, Rejected)]
    assert (rejected.reason, rejected.article_id) == ("coding_failed", "bad")
    assert "parser crashed" in rejected.detail


def test_ingest_records_a_document_the_coder_fails_on(fragile_coder, tmp_path):
    from tidings.store import Store

    rows = _articles(4)
    rows.insert(1, {"id": "bad", "text": "BOOM went the parser."})
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 't.db'}"
    result = CliRunner().invoke(app, ["ingest", str(path), "--db", db, "--quiet",
                                      "--batch-size", "2"])
    assert result.exit_code == 1, result.output  # one document failed, recorded below
    with Store(db) as store:
        [error] = store.errors()
        assert (error["reason"], error["article_id"]) == ("coding_failed", "bad")
        assert store.summary()["documents"] == 4
