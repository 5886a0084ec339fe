#!/usr/bin/env bash
# deps.sh -- make sure the Debian packages intake needs are installed.
# As root, installs what is missing; otherwise prints the exact command.
# Usage: scripts/deps.sh [build|test|test-tools|fuzz|docs]...   (default: build)
set -euo pipefail

want=(gcc make cmake pkg-config libcjson-dev libreadline-dev)
for kind in "${@:-build}"; do
  case "$kind" in
    build) ;;
    test) want+=(libcmocka-dev valgrind python3 python3-jsonschema graphviz clang locales) ;;
    fuzz) want+=(clang libclang-rt-14-dev) ;;
    docs) want+=(graphviz) ;;
    test-tools) want+=(nodejs) ;; # npm: scripts/test-tools.sh
    *) echo "deps.sh: unknown kind '$kind'" >&2; exit 64 ;;
  esac
done

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
    missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "intake needs these Debian packages. Install them with:" >&2
  echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 69
fi
echo "Installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
