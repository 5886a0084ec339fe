#!/usr/bin/env python3
"""schemas.py -- the JSON Schemas in docs/schemas/ describe what intake
really writes and reads: each is checked against real outputs and inputs.

Usage: schemas.py INTAKE_EXE SOURCE_DIR

- answers.schema.json: examples/answers.json, every line of
  examples/answers.jsonl, every answers case of the shipped test-case files;
- outcome.schema.json: `intake run --answers` and every line `intake batch`
  writes for examples/answers.jsonl, and `intake export --format json`;
- session.schema.json: a session file `intake run --answers --session`
  writes (complete) and one a piped interview leaves (in progress);
- tests.schema.json: every rules/**/*.tests.json;
- test-report, explore-report, sessions: `intake test --format json`
  (passing with --coverage, and failing), `intake explore --format json`,
  `intake sessions --format json` (with a complete, an unfinished and a
  damaged session).
Each schema must also reject a broken document, so none accepts anything.
Needs python3-jsonschema (scripts/deps.sh test); fails without it.
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

import jsonschema

try:  # jsonschema >= 4.18
    from referencing import Registry, Resource
except ImportError:  # Debian 12's python3-jsonschema 4.10
    Registry = None


def main():
    exe, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    sdir = os.path.join(src, "docs", "schemas")
    schemas, resources = {}, []
    for path in sorted(glob.glob(os.path.join(sdir, "*.schema.json"))):
        with open(path, encoding="utf-8") as f:
            s = json.load(f)
        jsonschema.Draft202012Validator.check_schema(s)
        schemas[os.path.basename(path)[:-len(".schema.json")]] = s
        resources.append((s["$id"], s))
    if Registry:
        registry = Registry().with_resources(
            [(i, Resource.from_contents(s)) for i, s in resources])
    else:
        store = dict(resources)
    failures, checked = [], {k: 0 for k in schemas}

    def check(name, doc, what, valid=True):
        if Registry:
            v = jsonschema.Draft202012Validator(schemas[name],
                                                registry=registry)
        else:
            v = jsonschema.Draft202012Validator(
                schemas[name], resolver=jsonschema.RefResolver.from_schema(
                    schemas[name], store=store))
        errors = list(v.iter_errors(doc))
        checked[name] += 1
        if valid and errors:
            e = errors[0]
            failures.append("%s: %s.schema.json rejects it at /%s: %s" % (
                what, name, "/".join(str(p) for p in e.absolute_path),
                e.message[:300]))
        if not valid and not errors:
            failures.append("%s: %s.schema.json accepts a broken document"
                            % (what, name))

    tmp = tempfile.mkdtemp()
    env = dict(os.environ, HOME=tmp, XDG_STATE_HOME=os.path.join(tmp, "state"))

    def run(*args, stdin=None, rc=0):
        p = subprocess.run([exe, *args], cwd=tmp, env=env, input=stdin,
                           capture_output=True, text=True)
        if p.returncode != rc:
            failures.append("intake %s: exit %d (expected %d): %s" % (
                " ".join(args), p.returncode, rc, p.stderr[:300]))
        return p.stdout

    fbs = os.path.join(src, "rules", "failed-back-syndrome.json")
    bike = os.path.join(src, "rules", "examples", "bicycle-check.json")
    ans = os.path.join(src, "examples", "answers.json")
    with open(ans, encoding="utf-8") as f:
        check("answers", json.load(f), "examples/answers.json")
    with open(os.path.join(src, "examples", "answers.jsonl"),
              encoding="utf-8") as f:
        lines = f.read()
    for i, line in enumerate(lines.splitlines(), 1):
        check("answers", json.loads(line), "examples/answers.jsonl:%d" % i)
    check("answers", {"pain": {"nested": 1}}, "a nested object", valid=False)

    for path in sorted(glob.glob(os.path.join(src, "rules", "**",
                                              "*.tests.json"),
                                 recursive=True)):
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        rel = os.path.relpath(path, src)
        check("tests", doc, rel)
        for c in doc["cases"]:
            if "answers" in c:
                check("answers", c["answers"], "%s: %s" % (rel, c["id"]))
    check("tests", {"pack": "x", "cases": [{"id": "a", "description": "d",
                                            "expect": {}}]},
          "a case with neither answers nor steps", valid=False)

    out = run("run", fbs, "--answers", ans, "--session", "s.json")
    check("outcome", json.loads(out), "intake run --answers")
    for i, line in enumerate(run("batch", fbs, "--jobs", "1",
                                 stdin=lines).splitlines(), 1):
        check("outcome", json.loads(line), "intake batch, line %d" % i)
    check("outcome", json.loads(run("export", "s.json", "--format", "json")),
          "intake export --format json")
    check("outcome", {"rules": "x@1"}, "an outcome missing fields",
          valid=False)
    with open(os.path.join(tmp, "s.json"), encoding="utf-8") as f:
        check("session", json.load(f), "a complete session file")
    # An unfinished interview on a pipe: two answers, then end of input.
    run("run", bike, "--session", "part.json",
        stdin="yes\n\nyes\nno\n")
    with open(os.path.join(tmp, "part.json"), encoding="utf-8") as f:
        part = json.load(f)
    check("session", part, "an unfinished session file")
    if part["complete"]:
        failures.append("part.json: expected an unfinished session")
    part["format"] = "intake-session/2"
    check("session", part, "a session of another format", valid=False)

    check("test-report", json.loads(run("test", "--coverage", bike,
                                        "--format", "json")),
          "intake test --coverage --format json")
    with open(bike[:-5] + ".tests.json", encoding="utf-8") as f:
        cases = json.load(f)
    first = cases["cases"][0]["expect"]
    first["disposition"] = ("do_not_ride" if first.get("disposition") ==
                            "ride_on" else "ride_on")
    with open(os.path.join(tmp, "bad.tests.json"), "w") as f:
        json.dump(cases, f)
    report = json.loads(run("test", bike, "bad.tests.json", "--format",
                            "json", rc=1))
    check("test-report", report, "intake test --format json, a failing case")
    if report["failed"] != 1 or not report["failures"]:
        failures.append("intake test --format json: the failing case is "
                        "not reported: %r" % report)
    del report["passed"]
    check("test-report", report, "a report without passed", valid=False)

    check("explore-report", json.loads(run("explore", bike, "--format",
                                           "json")),
          "intake explore --format json")
    check("explore-report", json.loads(run("explore", fbs, "--sample", "200",
                                           "--format", "json")),
          "intake explore --sample --format json")

    sdir_state = os.path.join(tmp, "state", "intake")
    os.makedirs(sdir_state, exist_ok=True)
    os.replace(os.path.join(tmp, "s.json"), os.path.join(sdir_state, "s.json"))
    os.replace(os.path.join(tmp, "part.json"),
               os.path.join(sdir_state, "part.json"))
    with open(os.path.join(sdir_state, "bad.json"), "w") as f:
        f.write("{\n")
    for name in os.listdir(sdir_state):
        os.chmod(os.path.join(sdir_state, name), 0o600)
    listed = json.loads(run("sessions", "--format", "json"))
    check("sessions", listed, "intake sessions --format json")
    if sorted(x["status"] for x in listed) != ["complete", "damaged",
                                                "in progress"]:
        failures.append("intake sessions --format json: %r" % listed)
    check("sessions", [{"file": "x", "status": "done"}], "a bad status",
          valid=False)
    check("sessions", json.loads(run("sessions", "--format", "json") and
                                 "[]"), "an empty list")

    subprocess.run(["rm", "-rf", tmp])
    for name, n in sorted(checked.items()):
        if n < 2:
            failures.append("%s.schema.json is checked against %d documents"
                            % (name, n))
    for f in failures:
        print("FAIL " + f)
    print("%s; %d failures" % (", ".join("%s %d" % kv for kv in
                                         sorted(checked.items())),
                               len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
