"""Check one annotation pass of the Wikinews gold set against the guideline's format.

    python training/gold/check_pass.py training/gold/wikinews/pass_a [DOC_ID ...]

Every sentence of every annotated article must have exactly one record; types, sectors,
countries and modalities must be from the guideline's lists, and each event's evidence
must be an exact substring of its sentence. Prints one line per problem; exits 1 if any.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).parent
TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
         "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE",
         "ASSAULT"}  # fmt: skip
SECTORS = {"GOV", "MIL", "REB", "OPP", "PTY", "COP", "JUD", "SPY", "MED", "EDU", "BUS", "CRM",
           "CVL", "REF", "HLH", "LAB", "ELI", "AGR", "REL", "LEG", "IGO", "NGO"}  # fmt: skip
MODALITIES = {"asserted", "future", "demanded"}
COUNTRY = re.compile(r"^([A-Z]{3})$")
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def load_articles() -> dict[str, dict]:
    path = HERE / "wikinews" / "articles.jsonl"
    return {a["id"]: a for a in map(json.loads, path.open(encoding="utf-8"))}


def check_actor(actor, where: str) -> list[str]:
    if actor is None:
        return []
    if not isinstance(actor, dict):
        return [f"{where}: actor must be an object or null"]
    problems = []
    c, s = actor.get("country"), actor.get("sector")
    if c is not None and not COUNTRY.match(str(c)):
        problems.append(f"{where}: country {c!r} is not ISO3/IGO/NGO")
    if s is not None and s not in SECTORS:
        problems.append(f"{where}: sector {s!r} unknown")
    return problems


def check_file(path: Path, article: dict) -> list[str]:
    problems = []
    records = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    by_sent = {}
    for r in records:
        if r.get("doc") != article["id"]:
            problems.append(f"{path.name}: record for doc {r.get('doc')!r}")
        by_sent.setdefault(r.get("sent"), []).append(r)
    for s in article["sentences"]:
        got = by_sent.get(s["i"], [])
        if len(got) != 1:
            problems.append(f"{article['id']}#{s['i']}: {len(got)} records (want 1)")
            continue
        r = got[0]
        events = r.get("events") or []
        if bool(r.get("event_bearing")) != bool(events):
            problems.append(f"{article['id']}#{s['i']}: event_bearing disagrees with events")
        for k, e in enumerate(events):
            where = f"{article['id']}#{s['i']}.{k}"
            if e.get("type") not in TYPES:
                problems.append(f"{where}: type {e.get('type')!r}")
            for alt in e.get("alt_types") or []:
                if alt not in TYPES:
                    problems.append(f"{where}: alt type {alt!r}")
            if e.get("modality", "asserted") not in MODALITIES:
                problems.append(f"{where}: modality {e.get('modality')!r}")
            if e.get("evidence") and e["evidence"] not in s["text"]:
                problems.append(f"{where}: evidence is not a substring of the sentence")
            if not e.get("evidence"):
                problems.append(f"{where}: no evidence")
            if e.get("date") and not DATE.match(str(e["date"])):
                problems.append(f"{where}: date {e['date']!r}")
            problems += check_actor(e.get("source"), where + " source")
            problems += check_actor(e.get("target"), where + " target")
    extra = set(by_sent) - {s["i"] for s in article["sentences"]}
    if extra:
        problems.append(f"{article['id']}: records for unknown sentences {sorted(extra)}")
    return problems


def main() -> int:
    folder = Path(sys.argv[1])
    wanted = set(sys.argv[2:])
    articles = load_articles()
    problems, n = [], 0
    for doc_id, article in articles.items():
        if wanted and doc_id not in wanted:
            continue
        path = folder / f"{doc_id}.jsonl"
        if not path.exists():
            if wanted:
                problems.append(f"{doc_id}: no file {path}")
            continue
        n += 1
        problems += check_file(path, article)
    for p in problems:
        print(p)
    print(f"{n} articles checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
