#!/bin/sh
# rejected_answers_leave_no_session.sh -- `intake run --answers FILE
# --session S`: when the answers are rejected nothing is written (exit 65,
# the message names the unknown id), so a corrected re-run with the same
# session path works; a second run onto that saved path is then refused.
# Must not touch anything outside its own temporary folder.
# Usage: rejected_answers_leave_no_session.sh INTAKE PACK
set -u
intake=$1
pack=$2
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

printf '{"had_spine_surgery": false, "no_such_question": 3}\n' >"$dir/bad.json"
printf '%s\n' '{"had_spine_surgery": false, "cauda_equina_signs": [],
 "leg_weakness": "no", "fever": false, "cancer_history": false,
 "night_pain_weight_loss": false, "fall_injury": "no", "self_harm": "not_at_all",
 "strong_painkillers": false, "pain_change": "usual"}' >"$dir/good.json"

XDG_STATE_HOME=$dir/state "$intake" run --rules "$pack" \
    --answers "$dir/bad.json" --session "$dir/s.json" >"$dir/out" 2>"$dir/err"
rc=$?
[ "$rc" -eq 65 ] || fail "rejected answers: exit $rc, not 65"
grep -q "no_such_question" "$dir/err" || fail "the message does not name the id: $(cat "$dir/err")"
[ ! -e "$dir/s.json" ] || fail "rejected answers left a session file behind"
[ ! -s "$dir/out" ] || fail "rejected answers printed on stdout: $(cat "$dir/out")"

XDG_STATE_HOME=$dir/state "$intake" run --rules "$pack" \
    --answers "$dir/good.json" --session "$dir/s.json" >"$dir/out" 2>"$dir/err"
rc=$?
[ "$rc" -eq 0 ] || fail "re-run with corrected answers: exit $rc: $(cat "$dir/err")"
grep -q '"disposition":"routine"' "$dir/out" || fail "no routine outcome: $(cat "$dir/out")"
[ -s "$dir/s.json" ] || fail "the accepted run saved no session"
grep -q '"fall_injury"' "$dir/s.json" || fail "the session lacks the answers"

XDG_STATE_HOME=$dir/state "$intake" run --rules "$pack" \
    --answers "$dir/bad.json" --session "$dir/s.json" >"$dir/out" 2>"$dir/err"
rc=$?
[ "$rc" -eq 65 ] || fail "rejected answers onto a saved session: exit $rc, not 65"
grep -q '"fall_injury"' "$dir/s.json" || fail "rejected answers changed the saved session"
echo "ok: rejected answers write nothing; corrected ones save the session"
