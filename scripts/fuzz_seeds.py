#!/usr/bin/env python3
"""fuzz_seeds.py -- remake the fuzz seeds that come from the bundled pack.

The batch and session fuzz targets run against the bundled Failed Back
Syndrome pack, so their seeds must speak its current question ids, and the
rulebook corpus keeps a copy of the pack itself. After a pack change, run
from the repository root with intake built:

    scripts/fuzz_seeds.py [build/intake]

It rewrites tests/fuzz/corpus/rulebook/failed-back-syndrome.json,
tests/fuzz/corpus/batch/fbs-*.jsonl (the answers of a set of the pack's
test cases, one record each, and one file mixing good records with bad
lines) and tests/fuzz/corpus/session/fbs-*.json (sessions intake itself
saves for a few of those cases). The cases chosen: the first to reach each
red flag, each disposition and each ladder rung, and a nurse case, in file
order. Other seeds (hand
made damaged files, JsonLogic, typed answers) do not depend on the pack.
Sessions: up to 8 chosen cases, one for each disposition, ladder rung or
none, and audience.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

PACK = "rules/failed-back-syndrome.json"
CASES = "rules/failed-back-syndrome.tests.json"
CORPUS = "tests/fuzz/corpus"
SESSIONS = 8


def choose(cases):
    """The first case reaching each red flag, disposition and rung."""
    seen, chosen = set(), []
    for c in cases:
        e = c.get("expect", {})
        keys = ["flag:" + f for f in e.get("red_flags", [])]
        keys.append("disposition:%s" % e.get("disposition"))
        keys.append("ladder:%s" % e.get("ladder"))
        if c.get("audience") == "nurse":
            keys.append("nurse")
        fresh = [k for k in keys if k not in seen]
        if fresh:
            seen.update(fresh)
            chosen.append(c)
    return chosen


def line(answers):
    return json.dumps(answers, ensure_ascii=False)


def main():
    intake = sys.argv[1] if len(sys.argv) > 1 else "build/intake"
    cases = json.load(open(CASES, encoding="utf-8"))["cases"]
    chosen = choose(cases)
    shutil.copyfile(PACK, os.path.join(CORPUS, "rulebook",
                                       "failed-back-syndrome.json"))
    for sub, ext in (("batch", ".jsonl"), ("session", ".json")):
        d = os.path.join(CORPUS, sub)
        for name in os.listdir(d):
            if name.startswith("fbs-") and name.endswith(ext):
                os.remove(os.path.join(d, name))
    for c in chosen:
        with open(os.path.join(CORPUS, "batch", "fbs-%s.jsonl" % c["id"]),
                  "w", encoding="utf-8") as f:
            f.write(line(c["answers"]) + "\n")
    good = [line(c["answers"]) for c in chosen[:6]]
    first = next(iter(chosen[0]["answers"]))
    mixed = [good[0], good[1], '{"no_such_question": true}', good[2],
             "not json", good[3], "[]", line({first: "maybe"}), "",
             good[4], good[5]]
    with open(os.path.join(CORPUS, "batch", "fbs-mixed-with-errors.jsonl"),
              "w", encoding="utf-8") as f:
        f.write("\n".join(mixed) + "\n")
    picks, kinds = [], set()
    for c in chosen:  # one for each disposition, with and without a rung
        e = c.get("expect", {})
        kind = (e.get("disposition"), e.get("ladder") is None,
                c.get("audience", "patient"))
        if kind not in kinds and len(picks) < SESSIONS:
            kinds.add(kind)
            picks.append(c)
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, HOME=tmp, XDG_STATE_HOME=tmp)
        for c in picks:
            answers = os.path.join(tmp, "answers.json")
            with open(answers, "w", encoding="utf-8") as f:
                f.write(line(c["answers"]))
            out = os.path.join(CORPUS, "session", "fbs-%s.json" % c["id"])
            subprocess.run([intake, "run", "--rules", PACK, "--mode",
                            c.get("audience", "patient"), "--answers",
                            answers, "--session", out],
                           stdout=subprocess.DEVNULL, env=env, check=True)
            with open(out, encoding="utf-8") as f:  # no local paths
                text = f.read().replace(os.path.abspath(PACK), PACK)
            with open(out, "w", encoding="utf-8") as f:
                f.write(text)
    print("%d batch seeds, %d sessions, from %d of %d cases"
          % (len(chosen) + 1, len(picks), len(chosen), len(cases)))


if __name__ == "__main__":
    main()
