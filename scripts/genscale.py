#!/usr/bin/env python3
"""genscale.py -- write a synthetic, valid intake rule pack of N questions
for benchmarks and scale tests (not clinical content).

Conditions, derived values, red flags, sections, rules and invariants grow
in proportion to N (per 1,000 questions: 300 enable_when conditions, 50
derived values each reading 20 answers, 20 red flags, 100 sections, 40
rules, 10 invariants; a 3-rung ladder). Deterministic: the same N and
--seed give the same bytes. Conditions read earlier questions, as real packs do, so an interview that
answers "no" and mid-range numbers walks through the whole pack.

Usage: scripts/genscale.py N [--seed S] [--out FILE]   (default: stdout)
       scripts/genscale.py N --records M [--seed S]   answers records (JSONL)
"""
import argparse
import bisect
import json
import random
import sys

DISPOSITIONS = ["emergency", "urgent", "soon", "routine", "self_care"]


def qtype(i):
    k = i % 10
    if k < 4:
        return "yes_no"
    if k < 6:
        return "choice"
    if k == 6:
        return "multi"
    if k < 9:
        return "number"
    return "text"


def options(n):
    return [{"value": "opt_%d" % k, "label": "Option %d" % (k + 1)}
            for k in range(n)]


def make_pack(n, seed):
    rnd = random.Random(seed)
    qs = []
    by_type = {"yes_no": [], "choice": [], "multi": [], "number": [],
               "text": []}

    def earlier(kind, i, span=40):
        lst = by_type[kind]  # ascending: pick among those in [i-span, i)
        lo = bisect.bisect_left(lst, i - span)
        return lst[rnd.randrange(lo, len(lst))] if lo < len(lst) else None

    for i in range(n):
        t = qtype(i)
        q = {"id": "q%d" % i, "type": t,
             "text": "Question %d: how is symptom %d today?" % (i, i),
             "why": "Symptom %d changes what we suggest." % i}
        if t in ("yes_no", "choice"):
            q["required"] = True
        if t == "choice":
            q["options"] = options(4)
        elif t == "multi":
            q["options"] = options(4)
            q["allow_none"] = True
        elif t == "number":
            q.update({"min": 0, "max": 10, "integer": True})
        if i > 0 and rnd.random() < 0.3:
            j = earlier("yes_no", i)
            if j is not None:
                # asked unless the earlier answer was yes (so "no" walks on)
                q["enable_when"] = {"!=": [{"var": "q%d" % j}, True]}
        qs.append(q)
        by_type[t].append(i)

    def pick(kind):
        return "q%d" % rnd.choice(by_type[kind])

    # each derived value reads a block of 20 questions: every answer is
    # read by some condition, as in a real pack
    derived = []
    for k in range(max(1, n // 20)):
        block = range(20 * k, min(n, 20 * k + 20))
        v = {"or": [{"var": "q%d" % i} for i in block]}
        derived.append({"id": "d%d" % k, "value": v})

    red_flags = []
    for k in range(max(2, n // 50)):
        red_flags.append({
            "id": "rf%d" % k,
            "when": {"==": [{"var": pick("yes_no")}, True]},
            "disposition": "emergency" if k % 2 == 0 else "urgent",
            "message": "Red flag %d: get help now." % k,
            "stop": k == 0})

    sections = []
    for k in range(max(3, n // 10)):
        if k % 2 == 0:
            show = {"var": pick("yes_no")}
        else:
            show = {">": [{"var": pick("number")}, 5]}
        sections.append({"id": "s%d" % k, "title": "Section %d" % k,
                         "body": "What to know about topic %d." % k,
                         "show_when": show, "priority": rnd.randint(1, 200),
                         "source": "overview"})

    rules = []
    for k in range(max(1, n // 25)):
        rules.append({
            "id": "r%d" % k,
            "when": {"and": [{"var": pick("yes_no")},
                             {"<": [{"var": pick("number")}, 3]}]},
            "then": {"disposition": DISPOSITIONS[2 + k % 3],
                     "sections": ["s%d" % rnd.randrange(len(sections))]}})

    ladder = [
        {"id": "conservative", "label": "First steps",
         "when": {"var": "d0"}},
        {"id": "interventional", "label": "Procedures",
         "when": {">=": [{"var": pick("number")}, 7]}},
        {"id": "revision", "label": "Surgery again",
         "when": {"and": [{"var": pick("yes_no")},
                          {">=": [{"var": pick("number")}, 9]}]}}]

    invariants = []
    for k in range(max(1, n // 100)):
        f = red_flags[k % len(red_flags)]
        invariants.append({"id": "inv%d" % k, "when": f["when"],
                           "expect": {"disposition": ["emergency",
                                                      "urgent"]}})

    return {
        "format": "intake-rules/1",
        "id": "generated-%d" % n,
        "version": "1.0.0",
        "title": "Generated pack of %d questions" % n,
        "disclaimer": "A synthetic pack for benchmarks; not advice.",
        "safety_net": "If anything gets worse, get help.",
        "get_help": "Call your local emergency number.",
        "questions": qs,
        "derived": derived,
        "red_flags": red_flags,
        "dispositions": [{"id": d, "label": d.replace("_", " ").title(),
                          "advice": "Advice for %s." % d}
                         for d in DISPOSITIONS],
        "ladder": ladder,
        "sections": sections,
        "rules": rules,
        "invariants": invariants,
    }


def records(pack, m, seed):
    rnd = random.Random(seed)
    for _ in range(m):
        rec = {}
        for q in pack["questions"]:
            t = q["type"]
            if t == "yes_no":
                rec[q["id"]] = rnd.random() < 0.1
            elif t == "choice":
                rec[q["id"]] = rnd.choice(q["options"])["value"]
            elif t == "multi":
                rec[q["id"]] = [o["value"] for o in q["options"]
                                if rnd.random() < 0.3]
            elif t == "number":
                rec[q["id"]] = rnd.randint(0, 10)
            elif t == "text":
                rec[q["id"]] = "note %d" % rnd.randint(0, 99)
        yield json.dumps(rec, separators=(",", ":"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("questions", type=int)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out")
    ap.add_argument("--records", type=int, default=0)
    a = ap.parse_args()
    if a.questions < 10:
        ap.error("N must be at least 10")
    pack = make_pack(a.questions, a.seed)
    out = open(a.out, "w") if a.out else sys.stdout
    if a.records:
        for line in records(pack, a.records, a.seed):
            out.write(line + "\n")
    else:
        json.dump(pack, out, indent=1)
        out.write("\n")
    if a.out:
        out.close()


if __name__ == "__main__":
    main()
