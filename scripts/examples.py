#!/usr/bin/env python3
"""examples.py -- write the example inputs the README and docs use, from
the bundled pack's own test cases, so they stay in step with the pack.
They live in examples/, not rules/, so a glob over rules/ finds only packs
and their test cases.

  examples/answers.jsonl        one answers object a line (intake batch):
                                every case of rules/failed-back-syndrome
                                .tests.json that gives an answers object
  examples/answers.json         one answers object (intake run --answers):
                                the case with the most answers

Usage: scripts/examples.py [--check]   (run from anywhere)
--check writes nothing and exits 1 when a file is not what it would write
(the test docs/examples_in_step runs it).
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASES = os.path.join(ROOT, "rules", "failed-back-syndrome.tests.json")
OUT = os.path.join(ROOT, "examples")


def render():
    with open(CASES, encoding="utf-8") as f:
        cases = [c for c in json.load(f)["cases"] if "answers" in c]
    if not cases:
        sys.exit("%s: no case gives an answers object" % CASES)
    lines = "".join(json.dumps(c["answers"], ensure_ascii=False) + "\n"
                    for c in cases)
    longest = max(cases, key=lambda c: len(c["answers"]))
    one = json.dumps(longest["answers"], ensure_ascii=False, indent=2) + "\n"
    return {"answers.jsonl": lines, "answers.json": one}


def main():
    check = sys.argv[1:] == ["--check"]
    if sys.argv[1:] and not check:
        sys.exit("usage: scripts/examples.py [--check]")
    stale = []
    for name, text in render().items():
        path = os.path.join(OUT, name)
        try:
            with open(path, encoding="utf-8") as f:
                old = f.read()
        except FileNotFoundError:
            old = None
        if old == text:
            continue
        if check:
            stale.append(path)
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            print("wrote", os.path.relpath(path, ROOT))
    for path in stale:
        print("%s is not in step with %s: run scripts/examples.py" %
              (os.path.relpath(path, ROOT), os.path.relpath(CASES, ROOT)))
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
