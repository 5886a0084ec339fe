#!/usr/bin/env python3
"""schema_agree.py -- the JSON Schema and the loader agree on the corpus.

Usage: schema_agree.py INTAKE_EXE SOURCE_DIR

Good packs (tests/packs/good, rules/, rules/examples/) must satisfy the
schema and check clean. Broken packs in tests/packs/bad must fail
`intake check`; those named struct_* break the structure, so the schema
must reject them too; those named lint_* are structurally sound and only
the loader's checks can see the mistake (the schema must accept them),
except those listed in schema_catches.txt, which the schema's JsonLogic
conditions also reject (an unknown operator, two keys in one operation);
syntax_* are not JSON, so only the loader is asked.
Exits 77 (skipped) when python3-jsonschema is not installed.
"""
import glob
import json
import os
import subprocess
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed: skipped")
    sys.exit(77)


def main():
    exe, src = sys.argv[1], sys.argv[2]
    with open(os.path.join(src, "rules/schema/intake-rules.schema.json")) as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    failures = []

    def schema_ok(path):
        with open(path, encoding="utf-8") as f:
            pack = json.load(f)
        errors = sorted(validator.iter_errors(pack), key=lambda e: e.path)
        return errors

    def loader_rc(path):
        return subprocess.run([exe, "check", path], capture_output=True).returncode

    good = glob.glob(os.path.join(src, "tests/packs/good/*.json"))
    good += glob.glob(os.path.join(src, "rules/*.json"))
    good += glob.glob(os.path.join(src, "rules/examples/*.json"))
    good = [p for p in good if not p.endswith(".tests.json")]
    for path in sorted(good):
        errors = schema_ok(path)
        if errors:
            failures.append("%s: good pack rejected by the schema: %s" %
                            (path, errors[0].message))
        if loader_rc(path) != 0:
            failures.append("%s: good pack rejected by the loader" % path)

    with open(os.path.join(src, "tests/packs/schema_catches.txt")) as f:
        catches = {l.split("#")[0].strip() for l in f} - {""}
    bad = sorted(glob.glob(os.path.join(src, "tests/packs/bad/*.json")))
    counts = {"struct": 0, "lint": 0, "syntax": 0}
    for path in bad:
        kind = os.path.basename(path).split("_", 1)[0]
        if kind not in counts:
            failures.append("%s: name must start struct_, lint_ or syntax_" % path)
            continue
        counts[kind] += 1
        if loader_rc(path) != 65:
            failures.append("%s: the loader accepts a broken pack" % path)
        if kind == "syntax":
            continue
        errors = schema_ok(path)
        if kind == "struct" and not errors:
            failures.append("%s: the schema accepts a structurally broken pack" % path)
        name = os.path.basename(path)[:-len(".json")]
        if kind == "lint" and errors and name not in catches:
            failures.append("%s: the schema rejects a structurally sound pack: %s" %
                            (path, errors[0].message))
        if kind == "lint" and not errors and name in catches:
            failures.append("%s: in schema_catches.txt, but the schema accepts it" %
                            path)

    for f in failures:
        print(f)
    print("%d good, %d struct, %d lint, %d syntax packs; %d disagreements" %
          (len(good), counts["struct"], counts["lint"], counts["syntax"], len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
