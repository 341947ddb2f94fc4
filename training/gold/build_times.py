"""Turn the hand annotations (times_source/annotations.txt) into times.jsonl with character offsets.

Line format: extent | TYPE | value [| mod [| extras]]; extent may be a context string with the
expression in {braces}; each match is searched after the previous one in the same article.
extras: 'age', 'a=<anchor text>' ('a=-' for none, 'a=DCT')."""
import json
import re
import sys
from pathlib import Path

GOLD = sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).parent / "wikinews")
ART = GOLD + "/articles.jsonl"
OUT = GOLD + "/times.jsonl"
SOURCE = GOLD + "/times_source/annotations.txt"
arts = {a["id"]: a for a in map(json.loads, Path(ART).read_text().splitlines())}
rows, errors = [], []
doc, cursor = None, 0
for path in [SOURCE]:
    for ln, line in enumerate(Path(path).read_text().splitlines(), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@"):
            doc, cursor = line[1:].strip(), 0
            continue
        f = [x.strip() for x in line.split(" | ")]
        spec, typ, value = f[0], f[1], f[2]
        mod = f[3] if len(f) > 3 and f[3] != "-" else None
        extras = f[4].split(";") if len(f) > 4 else []
        if "{" in spec:
            pre, rest = spec.split("{", 1)
            expr, post = rest.split("}", 1)
        else:
            pre, expr, post = "", spec, ""
        text = arts[doc]["text"]
        pat = re.escape(pre) + "(" + re.escape(expr) + ")" + re.escape(post)
        m = None
        for cand in re.finditer(pat, text[cursor:]):
            s = cursor + cand.start(1)
            e = cursor + cand.end(1)
            if (s > 0 and text[s - 1].isalnum()) or (e < len(text) and text[e].isalnum()):
                continue
            m = (s, e)
            break
        if m is None:
            errors.append(f"{path}:{ln} {doc}: not found after {cursor}: {spec!r}")
            continue
        s, e = m
        cursor = e
        anchor = None
        age = "age" in extras
        explicit = None
        for x in extras:
            if x.startswith("a="):
                explicit = x[2:]
        if explicit is not None:
            anchor = None if explicit == "-" else explicit
        elif typ in ("DATE", "TIME") and not re.search(r"\d{4}|\d0s|centur", expr):
            anchor = "DCT"
        sent = next(x["i"] for x in arts[doc]["sentences"] if x["start"] <= s < x["end"])
        rows.append({"doc": doc, "split": arts[doc]["split"], "sent": sent, "text": expr,
                     "start": s, "end": e, "type": typ, "value": value, "mod": mod,
                     "anchor": anchor, "age": age})
order = {d: i for i, d in enumerate(arts)}
rows.sort(key=lambda r: (order[r["doc"]], r["start"]))
with open(OUT, "w") as fh:
    fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
print(len(rows), "rows;", len(errors), "errors")
print("\n".join(errors))
sys.exit(1 if errors else 0)
