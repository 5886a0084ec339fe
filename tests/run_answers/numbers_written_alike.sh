#!/bin/sh
# numbers_written_alike.sh -- one number formatter (issue 14): an answer
# is written as JavaScript's JSON.stringify writes it in the session's
# answers and history, the outcome, the exported outcome and the FHIR
# QuestionnaireResponse: 10 is "10" (the session file said 1e+01), -0 is
# "0" (it said -0). Writes only under its own temporary folder.
# Usage: numbers_written_alike.sh INTAKE PACK  (PACK: probe_named_reads)
set -u
intake=$1
pack=$2
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
export HOME="$dir/home" XDG_STATE_HOME="$dir/state"
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }

n=0
while read -r given want; do
  n=$((n + 1))
  printf '{"pain": true, "score": %s, "night": true}\n' "$given" >"$dir/a$n.json"
  s="$dir/s$n.json"
  "$intake" run --rules "$pack" --answers "$dir/a$n.json" --session "$s" \
    >"$dir/out$n" 2>"$dir/err$n" || { bad "$given: run: $(cat "$dir/err$n")"; continue; }
  grep -q "\"score\":$want[,}]" "$dir/out$n" || bad "$given: outcome: $(cat "$dir/out$n")"
  grep -q "^    \"score\": $want,\{0,1\}\$" "$s" || bad "$given: session answers: $(grep score "$s")"
  grep -q "\"question\": \"score\", \"answer\": $want}" "$s" ||
    bad "$given: session history: $(grep score "$s")"
  "$intake" export "$s" --format json >"$dir/j$n" || bad "$given: export json"
  grep -q "\"answers\":{\"pain\":true,\"score\":$want[,}]" "$dir/j$n" ||
    bad "$given: exported outcome: $(cat "$dir/j$n")"
  grep -q "\"question\":\"score\",\"answer\":$want}" "$dir/j$n" ||
    bad "$given: exported history: $(cat "$dir/j$n")"
  "$intake" export "$s" --format fhir >"$dir/f$n" || bad "$given: export fhir"
  grep -q "\"valueInteger\":$want}" "$dir/f$n" ||
    bad "$given: FHIR: $(grep -o '"valueInteger":[^}]*' "$dir/f$n")"
done <<'CASES'
10 10
1e1 10
-0 0
7 7
CASES
[ "$n" -eq 4 ] || bad "ran $n cases, expected 4"
[ "$fail" -eq 0 ] && echo "numbers: written alike in $n cases"
exit "$fail"
