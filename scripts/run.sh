#!/usr/bin/env bash
# run.sh -- build intake (if needed) and start the Failed Back Syndrome
# interview. Any arguments go to `intake` (e.g. --mode nurse).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build
cmake -S . -B build -DIK_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)" --target intake >/dev/null
exec build/intake "$@"
