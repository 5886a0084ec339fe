#!/usr/bin/env bash
# completion.sh -- the bash completion that `intake help --completion bash`
# generates from the command table (and cmake --install installs)
# completes commands, options, option values and pack files.
# Usage: completion.sh COMPLETION_FILE SOURCE_DIR
set -u
. "$1" || exit 1
cd "$2" || exit 1
fails=0 n=0
# check "WORDS..." EXPECTED...: completing the last word (may be empty)
# offers exactly EXPECTED (sorted, one a line).
check() {
  local line=$1 want got
  shift
  read -ra COMP_WORDS <<<"$line"
  [[ $line == *" " ]] && COMP_WORDS+=("")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  _intake
  got=$(printf '%s\n' "${COMPREPLY[@]}" | sort -u | tr '\n' ' ')
  want=$(printf '%s\n' "$@" | sort -u | tr '\n' ' ')
  n=$((n + 1))
  if [ "$got" != "$want" ]; then
    echo "FAIL: '$line' completes to '$got', expected '$want'"
    fails=$((fails + 1))
  fi
}
check "intake ch" check
check "intake ex" explore export
check "intake check --f" --format
check "intake check --format " text json
check "intake graph --format m" mermaid
check "intake export s.json --format " json fhir markdown text html
check "intake run --mode " patient nurse
check "intake test --cov" --coverage
check "intake help gr" graph
check "intake --mo" --mode
check "intake graph rules/examples/bic" rules/examples/bicycle-check.json rules/examples/bicycle-check.tests.json
check "intake check rules/failed-back-syndrome" rules/failed-back-syndrome.json rules/failed-back-syndrome.tests.json
check "intake batch --rules rules/f" rules/failed-back-syndrome.json rules/failed-back-syndrome.tests.json
echo "$n completions, $fails failed"
[ "$fails" -eq 0 ]
