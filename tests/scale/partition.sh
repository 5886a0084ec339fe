#!/bin/sh
# partition.sh -- the property that lets `intake batch` run as a Hadoop
# Streaming mapper or a Spark RDD.pipe stage (docs/SCALE.md): split an
# input into N partitions in several ways, run each partition in its own
# process at the same time, concatenate the outputs in partition order,
# and the output is byte for byte that of one run, once each partition's
# "line" numbers (which count lines within that process's input) are
# moved on by the lines of the partitions before it; without bad lines
# and without --diff no line carries a number, and the outputs are equal
# as they are. The --diff summaries of the partitions add up to the one
# run's summary.
#
#   partition.sh INTAKE BATCH_BENCH PACK EXAMPLES WORKDIR
# (EXAMPLES: examples/answers.jsonl, answers of every disposition)
set -eu
intake=$1 bench=$2 pack=$3 examples=$4 work=$5
[ -s "$examples" ] || { echo "partition: no $examples" >&2; exit 1; }
case $examples in /*) ;; *) examples=$(pwd)/$examples ;; esac
rm -rf "$work"
mkdir -p "$work"
cd "$work"

fail() { echo "partition: $*" >&2; exit 1; }

# 6,000 records and 16 copies of the examples: 3,000 complete ones and
# 3,000 with answers left out or null (some of them errors: a required
# answer left out), all of which a stop red flag ends (random answers
# nearly always raise one), and the examples (one a test case of the
# bundled pack, 127 today), which reach every disposition.
"$bench" "$pack" --emit 3000 --seed 11 --yes 15 > emitted.jsonl
"$bench" "$pack" --emit 3000 --seed 12 --yes 15 --drop 20 > dropped.jsonl
for i in 1 2 3 4 5 6 7 8; do cat "$examples"; done > examples8.jsonl
cat emitted.jsonl examples8.jsonl dropped.jsonl examples8.jsonl > in.jsonl
n_examples=$(wc -l < "$examples")
[ "$n_examples" -gt 100 ] || fail "only $n_examples examples"
[ "$(wc -l < in.jsonl)" -eq $((6000 + 16 * n_examples)) ] ||
    fail "the input is not 6,000 + 16 x $n_examples records"
# complete records only (no line numbers in the output): the emitted ones
# and the examples
cat emitted.jsonl examples8.jsonl > good.jsonl
# and the same with a bad line here and there (numbered in the output)
awk '{ print } NR % 701 == 0 { print "not json" } NR % 1303 == 0 { print "{\"no_such_question\": 1}" }' \
    in.jsonl > bad.jsonl

# The "old" pack: every whole-number threshold of a >= comparison on an
# answer moved up by one, the sections listed in the reverse order of
# their priority, urgent red flags made "soon" and renamed, the ladder's
# steps renamed, and no red flag stopping the interview, so that outcomes
# differ in every field --diff compares and each total is tested (random
# records seldom reach a threshold of the bundled pack).
python3 - "$pack" old.json <<'EOF'
import json, sys
pack = json.load(open(sys.argv[1]))
moved = 0
def walk(x):
    global moved
    if isinstance(x, dict):
        if len(x) == 1 and ">=" in x:
            a = x[">="]
            if (isinstance(a, list) and len(a) == 2 and isinstance(a[0], dict)
                    and "var" in a[0] and isinstance(a[1], int)
                    and not isinstance(a[1], bool)):
                a[1] += 1
                moved += 1
        for v in x.values():
            walk(v)
    elif isinstance(x, list):
        for v in x:
            walk(v)
walk(pack)
for s in pack.get("sections", []):
    s["priority"] = 1000 - s.get("priority", 100)
    moved += 1
# and red flags that decide less (the urgent ones become "soon"), under
# other names (the urgent ones and the ladder's steps: --diff compares
# ids), and none that stops the interview
for f in pack.get("red_flags", []):
    if f.get("disposition") == "urgent":
        f["disposition"] = "soon"
        f["id"] += "_v1"
        moved += 1
    f.pop("stop", None) # the first form of "act"
    f["act"] = "none" # not the disposition's act ("stop" for emergencies)
    moved += 1
for r in pack.get("ladder", []):
    r["id"] += "_v1"
    moved += 1
pack.pop("invariants", None) # they name the old ids
if moved == 0:
    sys.exit("no {'>=': [{'var': ...}, N]} threshold in the pack to move")
json.dump(pack, open(sys.argv[2], "w"))
EOF

# The output of partitions, one after another, with each partition's
# line numbers moved on by the lines before it (the first field of an
# error line, or of a --diff line, is {"line":N).
join_partitions() { # OUT PARTITION...
    out=$1; shift
    python3 - "$out" "$@" <<'PY'
import re, sys
offset = 0
with open(sys.argv[1], "w") as out:
    for p in sys.argv[2:]:
        for line in open(p + ".out"):
            m = re.match(r'\{"line":(\d+),', line)
            if m:
                line = '{"line":%d,' % (int(m.group(1)) + offset) + line[m.end():]
            out.write(line)
        offset += sum(1 for _ in open(p))
PY
}

# The summaries of several runs, added field by field.
add_summaries() {
    python3 -c '
import json, sys
total = None
for line in sys.stdin:
    s = json.loads(line)["summary"]
    if total is None:
        total = s
        continue
    for k in ("records", "changed", "errors"):
        total[k] += s[k]
    for k, v in s["fields"].items():
        total["fields"][k] += v
print(json.dumps({"summary": total}, sort_keys=True))
'
}

# A reference run (one process, one thread) of INPUT with OPTIONS, then
# the same input split into partitions three ways (equal line counts,
# a size that does not divide it, a first partition one line long), each
# partition run in its own process, all at once.
check() { # NAME INPUT [OPTION...]
    name=$1 input=$2; shift 2
    "$intake" batch --rules "$pack" --jobs 1 "$@" < "$input" > "$name.one"
    rm -f p.*
    split -n l/4 -d "$input" p.equal4.
    split -l 997 -d "$input" p.fixed997.
    head -n 1 "$input" > p.front.00
    tail -n +2 "$input" | split -l 2500 -d - p.front.1
    for way in equal4 fixed997 front; do
        n=0
        for p in p."$way".*; do
            case $p in *.out) continue ;; esac
            "$intake" batch --rules "$pack" --jobs 2 "$@" < "$p" > "$p.out" &
            n=$((n + 1))
        done
        wait
        [ $n -ge 2 ] || fail "$name/$way: split made $n partitions"
        join_partitions "$name.$way" $(ls p."$way".* | grep -v '\.out$')
        grep -v '^{"summary":' "$name.one" > "$name.one.lines"
        grep -v '^{"summary":' "$name.$way" > "$name.$way.lines"
        cmp -s "$name.one.lines" "$name.$way.lines" ||
            fail "$name/$way: the joined output differs from one run's"
        if grep -q '^{"summary":' "$name.one"; then
            grep '^{"summary":' "$name.one" | add_summaries > "$name.one.sum"
            [ "$(grep -c '^{"summary":' "$name.$way")" -eq $n ] ||
                fail "$name/$way: not one summary a partition"
            grep '^{"summary":' "$name.$way" | add_summaries > "$name.$way.sum"
            cmp -s "$name.one.sum" "$name.$way.sum" ||
                fail "$name/$way: summaries add up to $(cat "$name.$way.sum"), one run: $(cat "$name.one.sum")"
        fi
        echo "ok: $name, $way ($n partitions in parallel)"
    done
}

check plain good.jsonl
grep -q '^{"line":' plain.one && fail "plain: good records carry a line number"
# with no bad line and no --diff, the outputs are equal with no renumbering
for p in p.fixed997.*; do case $p in *.out) ;; *) cat "$p.out" ;; esac; done |
    cmp -s plain.one - || fail "plain: concatenated partitions differ from one run"
check bad bad.jsonl
[ "$(grep -c '"error"' bad.one)" -ge 12 ] || fail "bad: too few error lines"
check diff bad.jsonl --diff old.json
changed=$(sed -n 's/^{"summary":{"records":[0-9]*,"changed":\([0-9]*\).*/\1/p' diff.one)
[ "${changed:-0}" -gt 0 ] || fail "the old pack changes no outcome: the test would prove nothing"
for field in complete disposition ladder red_flags sections; do
    n=$(sed -n 's/.*"'"$field"'":\([0-9]*\).*/\1/p' diff.one)
    [ "${n:-0}" -gt 0 ] || fail "the old pack changes no $field: its total is not tested"
done
echo "partition: 3 inputs x 3 ways of splitting agree with one run ($changed outcomes changed)"
