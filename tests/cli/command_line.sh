#!/usr/bin/env bash
# command_line.sh -- every command parses its command line alike (issue 16):
# options before and after operands, `--` ends options, -h and
# `intake help COMMAND`, did-you-mean for a misspelt command or option, and
# the pack named as an operand or with --rules in every command that reads
# one, with the same result.
# Usage: command_line.sh INTAKE SOURCE_DIR   (writes only under a mktemp -d)
set -u
exe=$1 src=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp XDG_STATE_HOME=$tmp/state
fbs=$src/rules/failed-back-syndrome.json
bike=$src/rules/examples/bicycle-check.json
fails=0 n=0

# expect RC PATTERN CMD...: exit RC and a line of stdout+stderr matching
# the extended regex PATTERN.
expect() {
  local rc=$1 pat=$2 got
  shift 2
  n=$((n + 1))
  "$@" >"$tmp/out" 2>&1 </dev/null
  got=$?
  if [ "$got" -ne "$rc" ] || ! grep -Eq -- "$pat" "$tmp/out"; then
    echo "FAIL: $* -> exit $got (expected $rc), output:"
    sed 's/^/  /' "$tmp/out" | head -20
    echo "  (wanted a line matching: $pat)"
    fails=$((fails + 1))
  fi
}

# same CMD1 -- CMD2: both exit 0 with the same stdout.
same() {
  local a=() b=()
  while [ "$1" != -- ]; do a+=("$1"); shift; done
  shift
  b=("$@")
  n=$((n + 1))
  if ! "${a[@]}" >"$tmp/a" 2>&1 </dev/null || ! "${b[@]}" >"$tmp/b" 2>&1 </dev/null ||
    ! cmp -s "$tmp/a" "$tmp/b"; then
    echo "FAIL: '${a[*]}' and '${b[*]}' differ or fail:"
    diff "$tmp/a" "$tmp/b" | head -10 | sed 's/^/  /'
    fails=$((fails + 1))
  fi
}

# Options after operands (intake test PACK --coverage read --coverage as
# the cases file).
expect 0 '^coverage:$' "$exe" test "$fbs" --coverage
expect 0 '^coverage:$' "$exe" test --coverage "$fbs"
expect 0 'ok \(' "$exe" check "$bike" --strict
expect 0 '^explore bicycle-check@.*: 10 sampled paths' "$exe" explore "$bike" --sample 10 --seed 3
expect 0 '^flowchart' "$exe" graph "$bike" --format mermaid

# explore says why it sampled: the space is larger than --max-paths.
expect 0 '^explore failed-back-syndrome@[^:]*: 20000 sampled paths \(the pack has more than 500 paths, the most walked whole' "$exe" explore "$fbs" --max-paths 500 --seed 2 2>/dev/null
expect 0 '^explore bicycle-check@[^:]*: [0-9]+ \(all\) paths' "$exe" explore "$bike" --max-paths 1000000

# -- ends options: an operand that starts with a dash.
expect 0 '^-1$' "$exe" eval -- -1
expect 0 'ok \(' "$exe" check --strict -- "$bike"
expect 64 "unknown option '-1'" "$exe" eval -1

# -h, --help and intake help COMMAND, for every command.
for c in run check test eval batch graph export sessions explore help; do
  expect 0 "^Usage: intake (\\[run\\]|$c)" "$exe" "$c" -h
  same "$exe" "$c" --help -- "$exe" help "$c"
  same "$exe" "$c" -h -- "$exe" "$c" --help
done
expect 0 '^Usage: intake \[COMMAND\]' "$exe" -h
same "$exe" --help -- "$exe" help

# Did you mean.
expect 64 "unknown command 'chek' \\(did you mean 'check'\\?\\)" "$exe" chek x.json
expect 64 "unknown command 'explor' \\(did you mean 'explore'\\?\\)" "$exe" explor
expect 64 "no command 'grpah' \\(did you mean 'graph'\\?\\)" "$exe" help grpah
expect 64 "unknown option '--fromat' \\(did you mean '--format'\\?\\)" "$exe" graph --fromat dot
expect 64 "unknown option '--covrage' \\(did you mean '--coverage'\\?\\)" "$exe" test --covrage
expect 64 "option '--format' needs a value" "$exe" check "$bike" --format
expect 64 "unknown command 'zzzzzz'$" "$exe" zzzzzz

# The pack as an operand or with --rules: the same, in every command.
same "$exe" graph "$bike" -- "$exe" graph --rules "$bike"
same "$exe" explore "$bike" --sample 50 -- "$exe" explore --rules "$bike" --sample 50
same "$exe" test "$bike" -- "$exe" test --rules "$bike"
same "$exe" check "$bike" -- "$exe" check --rules "$bike"
echo '{"brakes_stop": false}' >"$tmp/one.jsonl"
"$exe" batch "$bike" --jobs 1 <"$tmp/one.jsonl" >"$tmp/b1"
"$exe" batch --rules "$bike" <"$tmp/one.jsonl" >"$tmp/b2"
n=$((n + 1))
if ! grep -q '"do_not_ride"' "$tmp/b1" || ! cmp -s "$tmp/b1" "$tmp/b2"; then
  echo "FAIL: batch PACK and batch --rules PACK differ"; fails=$((fails + 1))
fi
echo '{"brakes_stop": false}' >"$tmp/one.json"
same "$exe" run "$bike" --answers "$tmp/one.json" -- "$exe" run --answers "$tmp/one.json" --rules "$bike"
expect 0 '"disposition":"do_not_ride"' "$exe" run --answers "$tmp/one.json" "$bike"
# intake [run] [PACK]: a pack path first runs the interview with it.
same "$exe" "$bike" --answers "$tmp/one.json" -- "$exe" run --answers "$tmp/one.json" "$bike"
expect 64 "unexpected argument" "$exe" graph "$bike" "$fbs"
expect 64 "unexpected argument" "$exe" batch --rules "$bike" "$fbs"

# - is standard input where a pack, a test-case file or an answers file
# is read; diagnostics name it <stdin>.
stdin_expect() { # RC PATTERN FILE CMD...
  local rc=$1 pat=$2 in=$3 got
  shift 3
  n=$((n + 1))
  "$@" <"$in" >"$tmp/out" 2>&1
  got=$?
  if [ "$got" -ne "$rc" ] || ! grep -Eq -- "$pat" "$tmp/out"; then
    echo "FAIL: $* < $in -> exit $got (expected $rc), output:"
    sed 's/^/  /' "$tmp/out" | head -10
    fails=$((fails + 1))
  fi
}
stdin_expect 0 '^<stdin>: ok \(10 questions' "$bike" "$exe" check -
printf '{"format": "intake-rules/1",\n "id": 5}\n' >"$tmp/bad.json"
stdin_expect 65 '^<stdin>:2:8: error: ' "$tmp/bad.json" "$exe" check -
stdin_expect 0 '^[0-9]+ passed, 0 failed$' "$bike" "$exe" test - "${bike%.json}.tests.json"
stdin_expect 0 '^[0-9]+ passed, 0 failed$' "${bike%.json}.tests.json" "$exe" test "$bike" -
stdin_expect 0 '^digraph "bicycle-check"' "$bike" "$exe" graph -
stdin_expect 0 '^explore bicycle-check@' "$bike" "$exe" explore - --sample 5
stdin_expect 0 '"disposition":"do_not_ride"' "$tmp/one.json" "$exe" run "$bike" --answers -
echo '{"brakes_stp": false}' >"$tmp/typo.json"
stdin_expect 65 "^<stdin>:1:2: error: no question has the id 'brakes_stp'" "$tmp/typo.json" "$exe" run "$bike" --answers -
stdin_expect 64 'a pack cannot be -' "$tmp/one.json" "$exe" batch -
stdin_expect 64 'PACK and CASES cannot both be -' "$bike" "$exe" test - -

echo "$n checks, $fails failed"
[ "$fails" -eq 0 ]
