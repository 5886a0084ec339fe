#!/usr/bin/env bash
# test.sh -- build intake three times: plain gcc and AddressSanitizer +
# UBSan (every test on both), and clang (warnings are errors there too; its
# unit tests run). The unit tests also run under valgrind.
set -euo pipefail
cd "$(dirname "$0")/.."

# Why each skipped test of the last ctest run in build dir $1 was skipped
# (ctest's summary names them only): the "skipped: ..." line it printed.
skip_reasons() {
  local log=$1/Testing/Temporary/LastTest.log
  [ -f "$log" ] || return 0
  grep -h '^skipped: \|: skipped' "$log" | sed 's/^/  reason: /' || true
}
scripts/deps.sh build test
jobs=$(nproc)

echo "== plain build"
cmake -S . -B build -DIK_TESTS=ON >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure --no-tests=error -j"$jobs"
skip_reasons build

echo "== valgrind over the unit tests ($jobs at a time)"
# shellcheck disable=SC2016
find build/tests -maxdepth 1 -name 'test_*' -type f -perm -u+x | sort |
  xargs -P "$jobs" -I{} sh -c '
    valgrind -q --error-exitcode=99 --leak-check=full \
      --errors-for-leak-kinds=definite "$1" >"$1.valgrind.log" 2>&1 ||
      { cat "$1.valgrind.log"; echo "valgrind: $1 failed"; exit 255; }
    echo "valgrind clean: $1"' _ {}

echo "== clang build (unit tests)"
CC=clang cmake -S . -B build-clang -DIK_TESTS=ON >/dev/null
cmake --build build-clang -j"$jobs"
ctest --test-dir build-clang --output-on-failure --no-tests=error -j"$jobs" \
  -L unit

echo "== sanitizer build"
cmake -S . -B build-asan -DIK_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
  -DIK_TESTS=ON >/dev/null
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure --no-tests=error -j"$jobs"
skip_reasons build-asan
