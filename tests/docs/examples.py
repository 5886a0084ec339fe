#!/usr/bin/env python3
"""examples.py -- every shell example of README.md and docs/*.md, run as
pasted at the repository root, against the build (the way jq turns its
manual into tests).

Usage: examples.py INTAKE_EXE SOURCE_DIR SCRATCH_DIR

An example is a line of a ```sh (or bash, shell, console) block, with
its backslash-continued lines, or a `$ ` line of any other fenced block.
Each runs with `bash -c` in a scratch copy of the repository's rules/,
examples/ and docs/ (so nothing is written into the repository), with
`build/intake` and `intake` on the PATH both the built program, HOME a
scratch folder, and stdin /dev/null unless the example redirects it.
Examples run in document order, README.md first, so a later example can
use a file an earlier one wrote.

tests/docs/examples.txt says what each must do: its exit status and a
regular expression one line of its output (stdout or stderr, or a file
it wrote) must match, or why it is not run. For a `$ ` example the first
line shown after it in the document must also appear in its output.
An example without an entry, and an entry no document has, fail the test.
"""
import os
import re
import shutil
import subprocess
import sys

FENCE = re.compile(r"^(```+|~~~+)\s*([\w-]*)")
SHELL = {"sh", "bash", "shell", "console"}


def strip_comment(line):
    """The command without a trailing `  # comment` (outside quotes)."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i].rstrip()
    return line.rstrip()


def extract(path):
    """[(line number, command, first output line shown or None)]"""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    out, i = [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, lang = m.group(1), m.group(2)
        j = i + 1
        block = []
        while j < len(lines) and not lines[j].startswith(fence):
            block.append((j + 1, lines[j]))
            j += 1
        k = 0
        while k < len(block):
            no, text = block[k]
            prompt = text.startswith("$ ")
            if lang in SHELL or prompt:
                cmd = text[2:] if prompt else text
                while cmd.endswith("\\") and k + 1 < len(block):
                    k += 1
                    cmd = cmd[:-1].rstrip() + " " + block[k][1].strip()
                cmd = strip_comment(cmd)
                shown = None
                if prompt and k + 1 < len(block) and \
                        not block[k + 1][1].startswith("$ "):
                    shown = block[k + 1][1]
                if cmd:
                    out.append((no, cmd, shown))
            k += 1
        i = j + 1
    return out


def load_expectations(path):
    """{command: {"exit": int, "out": [regex], "file": [(name, regex)],
    "skip": reason}} from examples.txt."""
    entries, cur = {}, None
    with open(path, encoding="utf-8") as f:
        for no, line in enumerate(f, 1):
            if not line.strip() or line.startswith("#"):
                continue
            if not line[0].isspace():
                cur = {"exit": None, "out": [], "file": [], "skip": None,
                       "line": no}
                entries[strip_comment(line.rstrip("\n"))] = cur
                continue
            key, _, value = line.strip().partition(" ")
            if cur is None or key not in ("exit", "out", "file", "skip"):
                sys.exit("%s:%d: expected 'exit N', 'out RE', "
                         "'file NAME RE' or 'skip WHY'" % (path, no))
            if key == "exit":
                cur["exit"] = int(value)
            elif key == "out":
                cur["out"].append(value)
            elif key == "file":
                name, _, rx = value.partition(" ")
                cur["file"].append((name, rx))
            else:
                cur["skip"] = value
    return entries


def scratch_copy(src, scratch, exe):
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    for d in ("rules", "examples", "docs"):
        shutil.copytree(os.path.join(src, d), os.path.join(scratch, d))
    for d in ("build", "bin", "home"):
        os.makedirs(os.path.join(scratch, d))
    os.symlink(exe, os.path.join(scratch, "build", "intake"))
    os.symlink(exe, os.path.join(scratch, "bin", "intake"))


def main():
    exe, src, scratch = (os.path.abspath(a) for a in sys.argv[1:4])
    docs = [os.path.join(src, "README.md")]
    docs += sorted(os.path.join(src, "docs", f)
                   for f in os.listdir(os.path.join(src, "docs"))
                   if f.endswith(".md"))
    expect = load_expectations(os.path.join(src, "tests/docs/examples.txt"))
    scratch_copy(src, scratch, exe)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("XDG_") and k not in ("NO_COLOR", "LANG")}
    env.update(HOME=os.path.join(scratch, "home"), TERM="dumb",
               LC_ALL="C.UTF-8",
               PATH=os.path.join(scratch, "bin") + os.pathsep + env["PATH"])
    failures, ran, skipped, seen = [], 0, 0, set()
    for doc in docs:
        rel = os.path.relpath(doc, src)
        for no, cmd, shown in extract(doc):
            where = "%s:%d: %s" % (rel, no, cmd)
            seen.add(cmd)
            e = expect.get(cmd)
            if e is None:
                failures.append("%s\n  no entry in tests/docs/examples.txt "
                                "(add the command, 'exit N' and 'out RE')"
                                % where)
                continue
            if e["skip"]:
                print("skipped %s\n  (%s)" % (where, e["skip"]))
                skipped += 1
                continue
            ran += 1
            try:
                p = subprocess.run(["bash", "-c", cmd], cwd=scratch, env=env,
                                   stdin=subprocess.DEVNULL,
                                   capture_output=True, timeout=300)
            except subprocess.TimeoutExpired:
                failures.append("%s\n  still running after 300 s" % where)
                continue
            text = (p.stdout + p.stderr).decode("utf-8", "replace")
            lines = text.split("\n")
            why = []
            if e["exit"] is None or p.returncode != e["exit"]:
                why.append("exit %d, expected %s" % (p.returncode, e["exit"]))
            for rx in e["out"]:
                if not any(re.search(rx, ln) for ln in lines):
                    why.append("no line of output matches /%s/" % rx)
            for name, rx in e["file"]:
                try:
                    with open(os.path.join(scratch, name),
                              encoding="utf-8") as f:
                        flines = f.read().split("\n")
                except OSError as err:
                    why.append("%s: %s" % (name, err))
                    continue
                if not any(re.search(rx, ln) for ln in flines):
                    why.append("no line of %s matches /%s/" % (name, rx))
            if not e["out"] and not e["file"] and shown is None:
                why.append("the entry checks no line of output")
            if shown is not None and shown.rstrip() not in lines:
                why.append("the line the document shows is not printed: %r"
                           % shown)
            if why:
                failures.append("%s\n  %s\n  output:\n    %s" % (
                    where, "\n  ".join(why),
                    "\n    ".join(lines[:20])))
            else:
                print("ok %s" % where)
    for cmd, e in expect.items():
        if cmd not in seen:
            failures.append("tests/docs/examples.txt:%d: '%s' is in no "
                            "document" % (e["line"], cmd))
    for f in failures:
        print("FAIL " + f)
    print("%d examples run, %d skipped, %d failures" %
          (ran, skipped, len(failures)))
    shutil.rmtree(scratch, ignore_errors=True)
    return 1 if failures or ran == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
