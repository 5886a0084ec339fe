#!/usr/bin/env bash
# A line far longer than any bound is refused without being held in memory:
# under a 100 MB address-space limit, a 150 MB line reaches `intake run`
# (piped answers) and `intake eval --lines`, and each says it is too long
# and goes on. Reading whole lines (getline) would fail here.
set -u
exe=$1 src=$2
# The interview saves its session: into a temporary folder, never a home.
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp" XDG_STATE_HOME="$tmp/state"
long() { head -c 150000000 /dev/zero | tr '\0' y; echo; }
ulimit -v 100000 || exit 77

out=$( { echo yes; long; echo yes; } |
  "$exe" run --rules "$src/rules/failed-back-syndrome.json" 2>&1)
grep -q "too long" <<<"$out" ||
  { echo "run: no refusal of the long line"; exit 1; }
grep -q "Which part of your spine was your last operation on" <<<"$out" ||
  { echo "run: did not go on after the long line"; exit 1; }

out=$( { long; echo '[{"+":[1,2]},null]'; } | "$exe" eval --lines 2>&1)
[ "$out" = '{"error":"line is longer than 1048576 bytes"}
3' ] || { echo "eval --lines: unexpected output: ${out:0:200}"; exit 1; }
echo "bounded lines: ok"
