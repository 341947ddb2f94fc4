"""How long the event model takes to load, offline, in a fresh process.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/model_load.py [--rounds 5]

Each round starts a new Python process that imports tidings' NLP package (spaCy), then
loads the shipped event model from the package (``tidings.nlp.eventmodel.get_event_model``)
and scores one candidate. Reported: the model load alone (the target is under a second) and
the import before it, as medians over the rounds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

SCRIPT = """
import json, time
t0 = time.perf_counter()
import tidings.nlp.eventmodel as em
t1 = time.perf_counter()
model = em.get_event_model()
t2 = time.perf_counter()
model.decide([em.Candidate(sentence="Police arrested 20 protesters.", rule_type="COERCE")])
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "first_decision": t3 - t2}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    runs = [json.loads(subprocess.run([sys.executable, "-c", SCRIPT], env=env, check=True,
                                      capture_output=True, text=True).stdout)
            for _ in range(args.rounds)]
    for key in ("import", "load", "first_decision"):
        values = [r[key] for r in runs]
        print(f"{key}: median {statistics.median(values):.3f} s "
              f"(min {min(values):.3f}, max {max(values):.3f})")


if __name__ == "__main__":
    main()
