#!/usr/bin/env python3
"""genpack.py -- write a large, valid rule pack for timing `intake check`.

Usage: scripts/genpack.py N [OUT]   (default OUT: stdout)

N questions of every type; each question after the first is enabled by a
comparison with an earlier answer; one derived value per 10 questions,
each reading the previous derived value (a long dependency chain) and
written in reverse order so the loader must sort them; one red flag, one
section and one rule per 100 questions. Every answer is read by some
condition, so `intake check` reports nothing.
"""
import json
import sys


def main():
    n = int(sys.argv[1])
    out = open(sys.argv[2], "w") if len(sys.argv) > 2 else sys.stdout
    questions, derived, flags, sections, rules = [], [], [], [], []
    kinds = ["yes_no", "choice", "multi", "number", "text", "info"]
    for i in range(n):
        t = kinds[i % 6]
        q = {"id": "q%d" % i, "type": t, "text": "Question %d?" % i}
        if t in ("choice", "multi"):
            q["options"] = [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]
        if t == "number":
            q.update({"min": 0, "max": 100, "integer": True, "unit": "kg"})
        if i > 0:
            p = i - 1
            pt = kinds[p % 6]
            if pt == "yes_no":
                q["enable_when"] = {"var": "q%d" % p}
            elif pt == "choice":
                q["enable_when"] = {"==": [{"var": "q%d" % p}, "a"]}
            elif pt == "multi":
                q["enable_when"] = {"in": ["b", {"var": "q%d" % p}]}
            elif pt == "number":
                q["enable_when"] = {">": [{"var": "q%d" % p}, 50]}
            else:
                q["enable_when"] = {"!!": {"var": "q%d" % (p - 1 if p > 0 else 0)}}
        questions.append(q)
    for k in range(n // 10):
        v = {"or": [{"var": "q%d" % (10 * k)}, {"var": "q%d" % (10 * k + 4)}]}
        if k > 0:
            v = {"and": [v, {"var": "d%d" % (k - 1)}]}
        derived.append({"id": "d%d" % k, "value": v})
    derived.reverse()
    for k in range(max(1, n // 100)):
        last = "q%d" % min(n - 1, 100 * k + 3)
        flags.append({"id": "f%d" % k, "when": {">": [{"var": last}, 90]} if (min(n - 1, 100 * k + 3) % 6) == 3
                      else {"var": "q%d" % (100 * k) if (100 * k) % 6 == 0 else "q0"},
                      "disposition": "soon", "message": "Flag %d." % k})
        sections.append({"id": "s%d" % k, "title": "Section %d" % k, "body": "Words.",
                         "show_when": {"var": "d%d" % k} if k < n // 10 else {"var": "q0"}})
        rules.append({"id": "r%d" % k, "when": {"var": "d%d" % k} if k < n // 10 else {"var": "q0"},
                      "then": {"disposition": "routine", "sections": ["s%d" % k]}})
    flags[0]["when"] = {"!!": {"var": "q%d" % (n - 1)}}  # the last answer
    pack = {
        "format": "intake-rules/1", "id": "generated", "version": "1.0.0",
        "title": "Generated pack of %d questions" % n,
        "disclaimer": "Generated for timing.", "safety_net": "None.", "get_help": "None.",
        "questions": questions, "derived": derived, "red_flags": flags,
        "dispositions": [{"id": "soon", "label": "Soon", "advice": "Soon."},
                         {"id": "routine", "label": "Routine", "advice": "Later."}],
        "sections": sections, "rules": rules,
    }
    json.dump(pack, out, indent=1)
    out.write("\n")


if __name__ == "__main__":
    main()
