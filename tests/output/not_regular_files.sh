#!/usr/bin/env bash
# not_regular_files.sh -- a FIFO or a directory given where a file is read
# (the pack of check, test, explore, graph, batch, export and run; test
# cases; run --answers) is refused at once with what it is and exit 66.
# A FIFO with no writer used to block the open forever: each run has a
# 20 s timeout, and a timeout is a failure.
# Usage: not_regular_files.sh INTAKE SOURCE_DIR
set -u
intake=$1 src=$2
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
export HOME=$dir XDG_STATE_HOME=$dir/state XDG_DATA_HOME=$dir/data
mkfifo "$dir/fifo.json" || { echo "FAIL: mkfifo"; exit 1; }
mkdir "$dir/folder.json"
pack=$src/rules/failed-back-syndrome.json
failures=0
for bad in fifo folder; do
  f=$dir/$bad.json
  if [ $bad = fifo ]; then what="a named pipe (FIFO)"; else what="a directory"; fi
  while IFS= read -r args; do
    # shellcheck disable=SC2086
    timeout 20 "$intake" ${args//@F@/$f} </dev/null >/dev/null 2>"$dir/err"
    rc=$?
    if [ $rc -ne 66 ] ||
       ! grep -qF "$f: error: is $what, not a regular file" "$dir/err"; then
      echo "FAIL: intake ${args//@F@/$f}: exit $rc: $(head -c 300 "$dir/err")"
      failures=$((failures + 1))
    fi
  done <<EOF2
check @F@
test @F@
explore @F@
graph --rules @F@
batch --rules @F@
export --questionnaire @F@
run --rules @F@
test $pack @F@
run --rules $pack --answers @F@
EOF2
done
[ $failures -eq 0 ] || exit 1
echo "not regular files: ok"
