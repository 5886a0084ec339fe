#!/usr/bin/env python3
"""man_synopsis.py -- the man page, the README and the program's command
table agree.

Usage: man_synopsis.py INTAKE_EXE SOURCE_DIR

- docs/intake.1's SYNOPSIS, read as text, is line for line what
  `intake help --synopsis` prints from the command table (on a mismatch the
  roff to paste is printed);
- every command of the table has its entry in the man page's COMMANDS
  section and appears as `intake COMMAND` (or build/intake COMMAND) in the
  README or in the help text of `intake --help`;
- `intake COMMAND --help`, `intake COMMAND -h` and `intake help COMMAND`
  print the same text, and the top-level `--help` lists every command's
  synopsis.
"""
import re
import shlex
import subprocess
import sys


def run(exe, *args):
    p = subprocess.run([exe, *args], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("intake %s: exit %d\n%s" % (" ".join(args), p.returncode,
                                             p.stderr))
    return p.stdout


def roff_text(lines):
    """The SYNOPSIS macros as plain text lines."""
    out, cur = [], []
    for line in lines:
        if line.startswith(".br"):
            out.append(" ".join(cur))
            cur = []
            continue
        m = re.match(r"^\.(B|I|BR|RB|IR|RI|BI|IB)\s+(.*)$", line)
        if not m:
            cur.append(line.replace("\\-", "-"))
            continue
        args = shlex.split(m.group(2).replace("\\-", "-"))
        sep = " " if m.group(1) in ("B", "I") else ""
        cur.append(sep.join(args))
    if cur:
        out.append(" ".join(cur))
    return out


def roff_of(line):
    """The roff for one synopsis line (printed on a mismatch)."""
    words = line.split(" ")
    out = []
    if words[:2] == ["intake", "[run]"]:
        out += [".B intake", ".RB [ run ]"]
        words = words[2:]
    elif words[1].startswith("-"):
        out.append(".B intake")
        words = words[1:]
    else:
        out.append(".B intake " + words[1])
        words = words[2:]
    i = 0
    q = lambda s: '"%s"' % s if (" " in s or not s) else s
    while i < len(words):
        w = words[i].replace("-", "\\-")
        if words[i].startswith("[--"):
            if words[i].endswith("]"):
                out.append(".RB [ %s ]" % w[1:-1])
            else:
                out.append(".RB [ %s" % w[1:])
                i += 1
                v = words[i]
                if re.match(r"^[A-Z_]+\]$", v):
                    out.append(".IR %s ]" % v[:-1])
                else:
                    parts = v[:-1].split("|")
                    out.append(".BR " + " | ".join(parts) + " ]")
        elif words[i] in ("|",):
            out[-1] += ' " | "'
        elif words[i].startswith("--"):
            out.append(".BR %s" % w)
        else:
            runs = re.findall(r"[A-Z_]+|[^A-Z_]+", words[i])
            alt, want_i = [], False  # .RI alternates roman, italic
            for r in runs:
                if bool(re.match(r"[A-Z_]", r)) != want_i:
                    alt.append('""')
                    want_i = not want_i
                alt.append(q(r))
                want_i = not want_i
            out.append(".RI " + " ".join(alt))
        i += 1
    return "\n".join(out) + "\n.br"


def main():
    exe, src = sys.argv[1], sys.argv[2]
    failures = []
    with open(src + "/docs/intake.1", encoding="utf-8") as f:
        man = f.read().split("\n")
    start = man.index(".SH SYNOPSIS") + 1
    end = next(i for i in range(start, len(man)) if man[i].startswith(".SH"))
    got = roff_text(man[start:end])
    want = run(exe, "help", "--synopsis").rstrip("\n").split("\n")
    if got != want:
        failures.append(
            "docs/intake.1: the SYNOPSIS is not what 'intake help "
            "--synopsis' prints.\n  man page:\n    %s\n  program:\n    %s\n"
            "  the roff for the program's:\n%s" % (
                "\n    ".join(got), "\n    ".join(want),
                "\n".join(roff_of(l) for l in want[:-1]) +
                "\n.B intake\n.BR \\-\\-help \" | \" \\-\\-version"))
    names = [re.match(r"intake (?:\[run\]|(\S+))", l) for l in want[:-1]]
    names = [m.group(1) or "run" for m in names]
    cmd_start = man.index(".SH COMMANDS")
    cmd_end = next(i for i in range(cmd_start + 1, len(man))
                   if man[i].startswith(".SH"))
    section = "\n".join(man[cmd_start:cmd_end])
    with open(src + "/README.md", encoding="utf-8") as f:
        readme = f.read()
    top = run(exe, "--help")
    for name in names:
        if not re.search(r"^\.TP\n\.B[IR]? %s\b" % re.escape(name), section,
                         re.M):
            failures.append("docs/intake.1: COMMANDS has no entry for '%s'"
                            % name)
        if name not in ("run", "help") and \
                not re.search(r"intake %s\b" % name, readme):
            failures.append("README.md: no example of 'intake %s'" % name)
        h = run(exe, name, "--help")
        if run(exe, name, "-h") != h or run(exe, "help", name) != h:
            failures.append("'intake %s --help', '-h' and 'intake help %s' "
                            "differ" % (name, name))
        if not h.startswith("Usage: intake "):
            failures.append("'intake %s --help' does not start with Usage"
                            % name)
    for line in want:
        flat = " ".join(top.split())
        if line not in flat:
            failures.append("'intake --help' lacks '%s'" % line)
    for f in failures:
        print("FAIL " + f)
    print("%d commands; %d failures" % (len(names), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
