#!/usr/bin/env bash
# fuzz.sh -- build the libFuzzer targets with clang (ASan + UBSan) in
# build-fuzz and run each for SECONDS (default 30), failing on any finding.
# Usage: scripts/fuzz.sh [-j JOBS] [SECONDS [TARGET...]]
#        scripts/fuzz.sh [-j JOBS] --total SECONDS   (shared by all targets)
# IK_FUZZ_BUILD names another build directory; IK_FUZZ_TIMEOUT the
# seconds (wall clock, default 10) after which one input counts as a hang:
# raise it for long runs at low priority on a busy machine.
# New interesting inputs go to build-fuzz/corpus/TARGET (not the repo);
# crashes to tests/fuzz/findings/TARGET/ (ignored by git). See
# docs/FUZZING.md for long runs and for turning a crash into a test.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=1
total=
if [ "${1:-}" = "-j" ]; then jobs=$2; shift 2; fi
if [ "${1:-}" = "--total" ]; then total=$2; shift 2; fi
secs=30
if [ -z "$total" ] && [ $# -gt 0 ]; then secs=$1; shift; fi
scripts/deps.sh build fuzz
builddir=${IK_FUZZ_BUILD:-build-fuzz}

cmake -S . -B "$builddir" -DIK_FUZZ=ON -DIK_TESTS=OFF \
  -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_C_FLAGS_DEBUG="-g -O1" >/dev/null
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  # shellcheck disable=SC2207
  targets=($(sed -n 's/^set(IK_FUZZ_TARGETS \(.*\))$/\1/p' \
    tests/fuzz/targets.cmake))
fi
if [ -n "$total" ]; then
  secs=$((total / ${#targets[@]}))
  [ "$secs" -ge 5 ] || secs=5
fi
cmake --build "$builddir" -j"$(nproc)" \
  --target "${targets[@]/#/fuzz_}" >/dev/null

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:abort_on_error=1}
failed=()
for t in "${targets[@]}"; do
  corpus="$builddir/corpus/$t"
  findings="tests/fuzz/findings/$t"
  mkdir -p "$corpus" "$findings"
  par=()
  [ "$jobs" -gt 1 ] && par=(-jobs="$jobs" -workers="$jobs")
  echo "== fuzz_$t for ${secs}s"
  log="$builddir/fuzz_$t.log"
  if "$builddir/fuzz_$t" "$corpus" "tests/fuzz/corpus/$t" \
      -dict=tests/fuzz/json.dict -max_total_time="$secs" \
      -timeout="${IK_FUZZ_TIMEOUT:-10}" \
      -rss_limit_mb=2048 -malloc_limit_mb=1024 -max_len=262144 \
      "${par[@]}" -print_final_stats=1 \
      -artifact_prefix="$findings/" >"$log" 2>&1; then
    grep -E '^stat::number_of_executed_units|Done [0-9]+ runs' "$log" |
      tail -2 || true
  else
    failed+=("$t")
    grep -E 'ERROR|SUMMARY|Test unit written|^    #' "$log" | head -40
    echo "fuzz_$t: FINDING (log: $log, input in $findings/)"
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz.sh: findings in: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz.sh: no findings in ${targets[*]} (${secs}s each)"
