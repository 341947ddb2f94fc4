"""Adding an event type is a data change: a copy of the lexicon folder with one more row in
types.tsv, its CAMEO codes and a verb file, pointed at by TIDINGS_LEXICON, and tidings codes,
stores, filters and exports the new type (data/lexicon/README.md, "Adding an event type").

Everything runs in subprocesses: the type table is read once per process."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tidings.data import data_path

pytestmark = pytest.mark.slow

STORY = "China spied on Taiwan for years, the Taiwanese defence ministry said on Monday.\n"
# the new type's row (columns as in types.tsv; an intended act is a threat, as for ASSAULT)
TYPE_ROW = {"type": "SURVEIL", "quad_class": "4", "quad_name": "material conflict",
            "title": "Surveil", "cameo": "210", "intent_type": "THREATEN",
            "intent_cameo": "138", "demand_cameo": "100"}
CAMEO_ROWS = ["210\tConduct surveillance\t-5.0\tSURVEIL\t\t",
              "2101\tIntercept communications\t-5.5\tSURVEIL\t\tintelligence"]
VERBS = """version: 1
entries:
  - lemma: spy
    prep: "on"
    type: SURVEIL
    cameo: "210"
  - lemma: wiretap
    type: SURVEIL
    cameo: "2101"
    context: intelligence
"""

API_SCRIPT = """
import json, sys
from fastapi.testclient import TestClient
from tidings.web import create_app
with TestClient(create_app(sys.argv[1])) as client:
    ok = client.get("/api/events", params={"type": "surveil"})
    bad = client.get("/api/events", params={"type": "NOSUCHTYPE"})
    print(json.dumps({"status": ok.status_code, "body": ok.json(),
                      "bad_status": bad.status_code}))
"""


def _lexicon_with_new_type(folder: Path) -> Path:
    lexicon = folder / "lexicon"
    shutil.copytree(data_path("lexicon"), lexicon)
    types = lexicon / "types.tsv"
    header = next(line for line in types.read_text(encoding="utf-8").splitlines()
                  if line and not line.startswith("#")).split("\t")
    with open(types, "a", encoding="utf-8") as fh:
        fh.write("\t".join(TYPE_ROW.get(col, "") for col in header) + "\n")
    with open(lexicon / "cameo.tsv", "a", encoding="utf-8") as fh:
        fh.write("\n".join(CAMEO_ROWS) + "\n")
    (lexicon / "verbs" / "surveil.yaml").write_text(VERBS, encoding="utf-8")
    return lexicon


def _run(args: list[str], lexicon: Path | None, check: bool = True):
    env = dict(os.environ)
    env.pop("TIDINGS_LEXICON", None)
    if lexicon is not None:
        env["TIDINGS_LEXICON"] = str(lexicon)
    done = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True,
                          timeout=600)
    if check:
        assert done.returncode == 0, done.stderr[-2000:]
    return done


def test_a_type_added_in_a_data_folder_works_end_to_end(tmp_path):
    lexicon = _lexicon_with_new_type(tmp_path)
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'events.db'}"
    cli = ["-m", "tidings.cli"]

    coded = json.loads(_run([*cli, "code", str(story), "--published", "2025-03-03",
                             "--min-confidence", "0"], lexicon).stdout)
    event = next(e for e in coded["events"] if e["event_type"] == "SURVEIL")
    # CAMEO and quad output come from the new rows
    assert (event["cameo"], event["quad_class"], event["goldstein"]) == ("210", 4, -5.0)
    assert (event["source"]["country"], event["target"]["country"]) == ("CHN", "TWN")

    _run([*cli, "ingest", str(story), "--db", url, "--published", "2025-03-03",
          "--min-confidence", "0", "--quiet"], lexicon)
    listed = _run([*cli, "events", "--db", url, "--type", "surveil", "--mentions",
                   "--format", "jsonl"], lexicon).stdout.splitlines()
    assert [json.loads(line)["event_type"] for line in listed] == ["SURVEIL"]
    assert json.loads(listed[0])["cameo"] == "210"

    gdelt = _run([*cli, "events", "--db", url, "--type", "SURVEIL", "--mentions",
                  "--format", "gdelt"], lexicon).stdout
    rows = list(csv.reader(io.StringIO(gdelt), delimiter="\t"))
    header, first = rows[0], rows[1]
    assert first[header.index("EventCode")] == "210"
    assert first[header.index("EventRootCode")] == "21"
    assert first[header.index("QuadClass")] == "4"
    assert float(first[header.index("GoldsteinScale")]) == -5.0

    api = json.loads(_run(["-c", API_SCRIPT, url], lexicon).stdout)
    assert api["status"] == 200 and api["bad_status"] == 400
    assert [e["event_type"] for e in api["body"]["events"]] == ["SURVEIL"]

    # classify keeps the events `code` keeps: the same cut, 0 here as above
    label = _run([*cli, "classify", str(_tsv(tmp_path)), "--scheme", "cameo",
                  "--min-confidence", "0"], lexicon)
    assert label.stdout.split() == ["s1", "210"]

    # without the data folder the type does not exist
    refused = _run([*cli, "events", "--db", url, "--type", "SURVEIL", "--mentions"], None,
                   check=False)
    assert refused.returncode != 0 and "not a PLOVER type" in refused.stderr


def _tsv(folder: Path) -> Path:
    path = folder / "texts.tsv"
    path.write_text("s1\t" + STORY, encoding="utf-8")
    return path
