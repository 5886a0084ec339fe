#!/usr/bin/env bash
# escapes.sh -- text from a file never drives the terminal (issue 18, item
# 4): a session label holding an escape sequence is refused at load with
# its position (`intake sessions` marks the file damaged, `export` exits
# 65) instead of being printed, and a file name quoted back by `check` is
# escaped. Writes only under its own temporary folder (HOME too).
# Usage: escapes.sh INTAKE SOURCE_DIR
set -u
intake=$1 src=$2
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
export HOME=$dir XDG_STATE_HOME=$dir/state XDG_DATA_HOME=$dir/data
cd "$dir" || exit 1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
no_escape() { # NAME FILE: FILE holds no ESC, BEL, CSI or RLO
  if LC_ALL=C grep -q $'\e\\|\a\\|\xc2\x9b\\|\xe2\x80\xae' "$2"; then
    fail "$1 printed a control character: $(cat -v "$2" | head -c 300)"
  fi
}
printf '%s\n' '{"had_spine_surgery": false, "cauda_equina_signs": [],
 "leg_weakness": "no", "fever": false, "cancer_history": false,
 "night_pain_weight_loss": false, "fall_injury": "no", "self_harm": "not_at_all",
 "strong_painkillers": false, "pain_change": "usual"}' >answers.json
"$intake" run --rules "$src/rules/failed-back-syndrome.json" \
  --answers answers.json --session s.json --mode nurse >/dev/null ||
  { echo "FAIL: could not make a session"; exit 1; }
mkdir -p state/intake && chmod 700 state/intake
f=state/intake/2026-01-01T0000-bay-3-abcdef.json
sed 's/"label": null/"label": "Bay 3\\u001b]0;owned\\u0007\\u001b[2J"/' \
  s.json >"$f" && chmod 600 "$f"
grep -q 'u001b' "$f" || { echo "FAIL: the label was not planted"; exit 1; }

"$intake" sessions >out 2>err
no_escape sessions out
no_escape sessions err
grep -q "$f:5:12: warning: \"label\" is too long, not UTF-8 or holds control characters" err ||
  fail "sessions did not name the label's position: $(cat -v err)"
grep -q DAMAGED out || fail "sessions did not mark the file damaged: $(cat -v out)"

for fmt in text markdown json; do
  "$intake" export "$f" --format $fmt >out 2>err
  rc=$?
  [ $rc -eq 65 ] || fail "export --format $fmt: exit $rc, expected 65"
  no_escape "export --format $fmt" out
  no_escape "export --format $fmt" err
  grep -q "$f:5:12: error: \"label\"" err ||
    fail "export --format $fmt did not name the label's position: $(cat -v err)"
done

# A file name with an escape sequence in it is quoted escaped.
name=$'pack\e]0;owned\a.json'
cp "$src/tests/packs/good/minimal.json" "$name"
"$intake" check "$name" >out 2>err
no_escape "check (summary)" out
grep -qF 'pack\u001b]0;owned\u0007.json: ok' out ||
  fail "check did not escape the file name: $(cat -v out)"
printf '{"a": ' >"$name"
"$intake" check "$name" >out 2>err
no_escape "check (error)" err
grep -qF 'pack\u001b]0;owned\u0007.json:1:7: error:' err ||
  fail "check did not escape the file name in an error: $(cat -v err)"

[ $failures -eq 0 ] || exit 1
echo "escapes: ok"
