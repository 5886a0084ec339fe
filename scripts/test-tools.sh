#!/usr/bin/env bash
# test-tools.sh -- install the test-only tools that come from npm (not
# Debian): ajv 8, which checks that the pack JSON Schema compiles in
# strict mode and agrees with `intake check` (ctest packs/schema_ajv).
# Installs into build/test-tools (git-ignored); needs node and npm
# (Debian: nodejs, npm). Without it, packs/schema_ajv is skipped.
# Usage: scripts/test-tools.sh [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build/test-tools}
if [ -f "$dir/node_modules/ajv/package.json" ]; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "test-tools: npm not found (Debian: apt-get install npm);" \
    "packs/schema_ajv will be skipped" >&2
  exit 0
fi
mkdir -p "$dir"
npm install --prefix "$dir" --no-save --no-audit --no-fund --silent \
  ajv@8.20.0
echo "test-tools: ajv $(node -p "require('./$dir/node_modules/ajv/package.json').version") in $dir"
