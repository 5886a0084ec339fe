#!/bin/sh
# probe_paths.sh INTAKE PACKS_DIR -- issue 14's probe: a pack whose
# enable_when reads a var whose name is computed from the answers
# ({"var": {"if": [{"var": "pain"}, "score", "nothing"]}}) is refused by
# `check`, `batch`, `run --answers` and the interview alike, with the same
# file:line:col message; the same pack with each answer named gives the
# same outcome through batch, `run --answers` and a piped interview.
set -u
intake=$1
dir=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_STATE_HOME="$tmp/state" XDG_DATA_HOME="$tmp/data"
mkdir -p "$HOME"
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }

# 1. The probe pack is refused the same way by every path.
cd "$dir/bad" || exit 1
probe=lint_enable_when_computed_name.json
want=$(cat lint_enable_when_computed_name.expected)
echo '{"pain":true,"score":5,"night":true}' >"$tmp/a.json"
for how in check batch answers interview; do
  case $how in
  check) "$intake" check "$probe" >"$tmp/out" 2>"$tmp/err" </dev/null ;;
  batch) "$intake" batch --rules "$probe" <"$tmp/a.json" >"$tmp/out" 2>"$tmp/err" ;;
  answers) "$intake" run --rules "$probe" --answers "$tmp/a.json" >"$tmp/out" 2>"$tmp/err" </dev/null ;;
  interview) printf 'yes\nyes\n5\nyes\n\n' |
    "$intake" run --rules "$probe" >"$tmp/out" 2>"$tmp/err" ;;
  esac
  rc=$?
  [ "$rc" -eq 65 ] || bad "$how: exit $rc, expected 65"
  [ ! -s "$tmp/out" ] || bad "$how: wrote to stdout: $(head -c 300 "$tmp/out")"
  [ "$(cat "$tmp/err")" = "$want" ] ||
    bad "$how: stderr differs: $(cat "$tmp/err") -- expected: $want"
done

# 2. Named reads: batch, run --answers and the interview agree.
cd "$dir/good" || exit 1
pack=probe_named_reads.json
n=0
while IFS='|' read -r answers typed; do
  n=$((n + 1))
  echo "$answers" >"$tmp/a$n.json"
  b=$("$intake" batch --rules "$pack" <"$tmp/a$n.json") ||
    bad "case $n: batch failed"
  r=$("$intake" run --rules "$pack" --answers "$tmp/a$n.json" </dev/null) ||
    bad "case $n: run --answers failed"
  # shellcheck disable=SC2059 # the typed lines are the format, on purpose
  printf "$typed" | "$intake" run --rules "$pack" --session "$tmp/s$n.json" \
    >"$tmp/iv$n.out" 2>&1 || bad "case $n: the interview failed"
  i=$("$intake" export "$tmp/s$n.json" --format json | sed 's/,"session":.*$/}/') ||
    bad "case $n: export failed"
  [ "$b" = "$r" ] || bad "case $n: batch and run --answers differ:
  batch:     $b
  --answers: $r"
  [ "$b" = "$i" ] || bad "case $n: batch and the interview differ:
  batch:     $b
  interview: $i"
  case $b in
  *'"complete":true'*) ;;
  *) bad "case $n: not complete: $b" ;;
  esac
done <<'CASES'
{"pain":true,"score":5,"night":true}|yes\nyes\n5\nyes\n\n
{"pain":true,"score":0}|yes\nyes\n0\n\n
{"pain":false,"score":5}|yes\nno\n5\n\n
{"pain":true,"score":9,"night":true}|yes\nyes\n9\nyes\n\n
CASES
[ "$n" -eq 4 ] || bad "ran $n cases, expected 4"
[ "$fail" -eq 0 ] && echo "probe: every path agrees ($n cases)"
exit "$fail"
