#!/usr/bin/env bash
# stdout_errors.sh -- one rule for every command: a write to standard output
# that fails (a full device, a closed descriptor) is exit 74 with
# "intake COMMAND: stdout: REASON" on stderr, never exit 0 with the output
# lost. Every command, --help and --version, to /dev/full and to `>&-`.
# Writes only under its own temporary folder (HOME too).
# Usage: stdout_errors.sh INTAKE SOURCE_DIR
set -u
intake=$1 src=$2
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
export HOME=$dir XDG_DATA_HOME=$dir/data XDG_STATE_HOME=$dir/state
[ -w /dev/full ] || { echo "FAIL: /dev/full is missing"; exit 1; }
pack=$src/rules/failed-back-syndrome.json
small=$src/tests/packs/good/minimal.json
printf '%s\n' '{"had_spine_surgery": false, "cauda_equina_signs": [],
 "leg_weakness": "no", "fever": false, "cancer_history": false,
 "night_pain_weight_loss": false, "fall_injury": "no", "self_harm": "not_at_all",
 "strong_painkillers": false, "pain_change": "usual"}' >"$dir/answers.json"
"$intake" run --rules "$pack" --answers "$dir/answers.json" \
  --session "$dir/s.json" >/dev/null 2>&1 ||
  { echo "FAIL: could not make a session to export"; exit 1; }
failures=0

# expect NAME STDIN-FILE ARGS...: run twice, stdout full then closed
expect() {
  local name=$1 input=$2 rc err
  shift 2
  for how in full closed; do
    if [ $how = full ]; then
      "$intake" "$@" <"$input" >/dev/full 2>"$dir/err"
    else
      "$intake" "$@" <"$input" >&- 2>"$dir/err"
    fi
    rc=$?
    err=$(tail -n 1 "$dir/err")
    if [ $how = full ]; then reason="No space left on device"
    else reason="Bad file descriptor"; fi
    want="intake${name:+ $name}: stdout: $reason"
    if [ $rc -ne 74 ] || [ "$err" != "$want" ]; then
      echo "FAIL: intake $* (stdout $how): exit $rc, stderr '$err';" \
           "expected exit 74 and '$want'"
      failures=$((failures + 1))
    fi
  done
}

echo '{}' >"$dir/one.jsonl"
printf '%s\n' '[{"+": [1, 2]}, null]' >"$dir/eval.jsonl"
expect "" /dev/null --help
expect "" /dev/null --version
for c in run check test eval batch graph export sessions explore; do
  expect $c /dev/null $c --help
done
expect check /dev/null check "$small"
expect check /dev/null check --format json "$small"
expect test /dev/null test "$pack"
expect eval /dev/null eval '{"+": [1, 2]}'
expect eval "$dir/eval.jsonl" eval --lines
expect batch "$dir/one.jsonl" batch --rules "$pack"
expect batch "$dir/one.jsonl" batch --jobs 2 --rules "$pack"
expect graph /dev/null graph --rules "$pack"
expect export /dev/null export "$dir/s.json"
expect export /dev/null export --questionnaire "$pack"
expect sessions /dev/null sessions
expect explore /dev/null explore "$small"
expect run /dev/null run --rules "$pack" --answers "$dir/answers.json"

# A closed stdout is never handed to a file opened later: the session
# written with stdout closed is a session, not the interview's output.
"$intake" run --rules "$pack" --answers "$dir/answers.json" \
  --session "$dir/closed.json" >&- 2>/dev/null
head -c 1 "$dir/closed.json" | grep -q '{' ||
  { echo "FAIL: the session written with stdout closed is not JSON"; failures=$((failures + 1)); }

[ $failures -eq 0 ] || exit 1
echo "stdout errors: ok"
