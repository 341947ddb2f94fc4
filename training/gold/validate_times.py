"""Check times.jsonl against articles.jsonl: offsets, types, TIMEX3 value forms, mods, anchors."""
import datetime
import json
import re
import sys
from collections import Counter
from pathlib import Path

GOLD = (sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).parent / "wikinews")) + "/"
arts = {a["id"]: a for a in map(json.loads, Path(GOLD + "articles.jsonl").read_text().splitlines())}
rows = [json.loads(line) for line in Path(GOLD + "times.jsonl").read_text().splitlines()]

REF = r"(PRESENT_REF|PAST_REF|FUTURE_REF)"
DATE_V = re.compile(
    r"^(" + REF + r"|XXXX|\d{2}|\d{3}X|"
    r"\d{4}(-(\d{2}(-\d{2})?|W\d{2}(-WE)?|Q[1-4]|H[12]|SP|SU|FA|WI))?)$")
PART = r"(MO|AF|EV|NI|DT)"
TIME_V = re.compile(r"^\d{4}-\d{2}-\d{2}T(" + PART + r"|([01]\d|2[0-4]):[0-5]\d(:[0-5]\d)?)$")
DUR_V = re.compile(r"^P((\d+|X)(Y|M|W|D|DE|CE))?(T((\d+|X)H)?((\d+|X)M)?((\d+(\.\d+)?|X)S)?)?$")
SET_V = re.compile(r"^(P\d+(Y|M|W|D)|PT\d+(H|M|S)|XXXX-(WXX-\d|WI|SP|SU|FA)|XXXX-XX-XX)$")
MODS = {None, "START", "MID", "END", "APPROX", "MORE_THAN", "LESS_THAN", "EQUAL_OR_LESS",
        "EQUAL_OR_MORE", "BEFORE", "AFTER", "ON_OR_AFTER", "ON_OR_BEFORE"}
KEYS = ["doc", "split", "sent", "text", "start", "end", "type", "value", "mod", "anchor", "age"]
VALUE_FORMS = {"DATE": DATE_V, "TIME": TIME_V, "DURATION": DUR_V, "SET": SET_V}

errors = []
crossing = []
seen = {}
for n, r in enumerate(rows, 1):
    where = f"line {n} ({r.get('doc')} {r.get('text')!r})"
    if list(r) != KEYS:
        errors.append(f"{where}: keys {list(r)}")
        continue
    a = arts.get(r["doc"])
    if a is None:
        errors.append(f"{where}: unknown doc")
        continue
    if r["split"] != a["split"]:
        errors.append(f"{where}: split {r['split']} != {a['split']}")
    if a["text"][r["start"]:r["end"]] != r["text"]:
        errors.append(f"{where}: offsets give {a['text'][r['start']:r['end']]!r}")
    if r["text"] != r["text"].strip() or not r["text"]:
        errors.append(f"{where}: extent has outer whitespace or is empty")
    if re.match(r"(?i)(in|on|at|by|since|from|until|during|for) (?!least |most )", r["text"]):
        errors.append(f"{where}: extent starts with a preposition")
    sent = a["sentences"][r["sent"]]
    if not (sent["start"] <= r["start"] < sent["end"]):
        errors.append(f"{where}: does not start inside sentence {r['sent']}")
    elif r["end"] > sent["end"]:
        crossing.append(f"{where}: runs past the end of sentence {r['sent']} (splitter boundary)")
    form = VALUE_FORMS.get(r["type"])
    if form is None:
        errors.append(f"{where}: type {r['type']}")
    elif not form.match(r["value"]):
        errors.append(f"{where}: value {r['value']} is not a {r['type']} value")
    if r["mod"] not in MODS:
        errors.append(f"{where}: mod {r['mod']}")
    if not isinstance(r["age"], bool) or (r["age"] and r["type"] != "DURATION"):
        errors.append(f"{where}: age must be a bool and only on DURATION")
    anc = r["anchor"]
    if anc not in (None, "DCT") and anc not in a["text"]:
        errors.append(f"{where}: anchor {anc!r} not in the article")
    if r["value"].endswith("_REF") and anc != "DCT":
        errors.append(f"{where}: a *_REF value is anchored at the DCT")
    for s, e, t in seen.get(r["doc"], []):
        if r["start"] < e and s < r["end"]:
            errors.append(f"{where}: overlaps {t!r}")
    seen.setdefault(r["doc"], []).append((r["start"], r["end"], r["text"]))
    # resolved calendar dates must exist
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", r["value"])
    if m:
        try:
            datetime.date(*map(int, m.groups()))
        except ValueError:
            errors.append(f"{where}: impossible date {r['value']}")

print(f"{len(rows)} expressions in {len({r['doc'] for r in rows})} of {len(arts)} articles")
print("by type:", dict(Counter(r["type"] for r in rows)))
print("by split:", dict(Counter(r["split"] for r in rows)))
print("by split and type:", dict(Counter((r["split"], r["type"]) for r in rows)))
print("ages:", sum(r["age"] for r in rows), " with mod:", sum(r["mod"] is not None for r in rows))
print("\n".join(crossing))
print("errors:", len(errors))
print("\n".join(errors[:50]))
sys.exit(1 if errors else 0)
