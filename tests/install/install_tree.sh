#!/bin/sh
# install_tree.sh BUILD SRC -- `cmake --install` gives a working tree
# (issue 14): the program, libintake static and shared (only the public
# API exported), the headers, intake.pc, the CMake package, the packs and
# the man page. The installed program finds its packs relative to itself
# after the tree is moved, and INTAKE_RULES_DIR overrides that; never the
# source tree. examples/embed.c builds against the moved tree with
# pkg-config (shared and static), with find_package (C, static and C++)
# and runs, giving the outcome `intake run --answers` gives.
# Writes only under its own temporary folder.
set -u
build=$1
src=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_STATE_HOME="$tmp/state"
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }

cmake --install "$build" --prefix "$tmp/first" >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log"; echo "FAIL: cmake --install" >&2; exit 1; }
mv "$tmp/first" "$tmp/p" # relocatable: nothing may point at "first"
p=$tmp/p
libdir=$(cd "$p" && ls -d lib*/ | head -1)
libdir=$p/${libdir%/}
[ -d "$libdir/x86_64-linux-gnu" ] && [ ! -e "$libdir/libintake.a" ] &&
  libdir=$libdir/x86_64-linux-gnu
for f in bin/intake include/intake/intake.h include/intake/outcome.h \
  share/intake/rules/failed-back-syndrome.json share/man/man1/intake.1; do
  [ -e "$p/$f" ] || bad "not installed: $f"
done
for f in libintake.a libintake.so pkgconfig/intake.pc cmake/intake/intakeConfig.cmake; do
  [ -e "$libdir/$f" ] || bad "not installed: $libdir/$f"
done
# hidden internals: the shared library exports only the public ik_ API
hidden=$(nm -D --defined-only "$libdir/libintake.so" | awk '{print $3}' |
  grep -v -e '^ik_' -e '^_' | head -5)
[ -z "$hidden" ] || bad "libintake.so exports non-API symbols: $hidden"
for sym in ik_strtod ik_value_copy ik_batch_init ik_outcome_compute ik_json_parse; do
  nm -D --defined-only "$libdir/libintake.so" | grep -q " $sym\$" &&
    bad "libintake.so exports the internal $sym"
done

# the program finds its packs beside itself; the override wins
answers='{"had_spine_surgery": false, "cauda_equina_signs": [], "leg_weakness": "no", "fever": false, "cancer_history": false, "night_pain_weight_loss": false, "fall_injury": "no", "self_harm": "not_at_all", "strong_painkillers": false, "pain_change": "usual"}'
echo "$answers" >"$tmp/a.json"
(cd "$tmp" && echo "$answers" | "$p/bin/intake" batch >"$tmp/installed.out" 2>&1) ||
  bad "installed intake batch without --rules: $(cat "$tmp/installed.out")"
grep -q '"rules":"failed-back-syndrome@' "$tmp/installed.out" ||
  bad "installed program: $(cat "$tmp/installed.out")"
mkdir "$tmp/other"
cp "$src/tests/packs/good/probe_named_reads.json" "$tmp/other/failed-back-syndrome.json"
echo '{"pain": false, "score": 1}' | INTAKE_RULES_DIR=$tmp/other "$p/bin/intake" batch \
  >"$tmp/override.out" 2>&1
grep -q '"rules":"corpus-base@' "$tmp/override.out" ||
  bad "INTAKE_RULES_DIR not used: $(cat "$tmp/override.out")"
mv "$p/share/intake" "$tmp/gone"
echo "$answers" | "$p/bin/intake" batch >"$tmp/none.out" 2>&1 &&
  bad "found a pack with none installed (the source tree?): $(cat "$tmp/none.out")"
mv "$tmp/gone" "$p/share/intake"
pack=$p/share/intake/rules/failed-back-syndrome.json
want=$("$p/bin/intake" run --rules "$pack" --answers "$tmp/a.json")

check_embed() { # NAME EXE [ENV]
  out=$(LD_LIBRARY_PATH=$libdir "$2" "$pack" "$answers" 2>&1) ||
    { bad "$1: exit $?: $out"; return; }
  [ "$(echo "$out" | tail -n 1)" = "$want" ] ||
    bad "$1: outcome differs: $out -- expected $want"
  echo "$out" | head -n 1 | grep -q "^failed-back-syndrome " ||
    bad "$1: first line: $out"
}

# 1. pkg-config, shared and static
export PKG_CONFIG_PATH=$libdir/pkgconfig
cc=${CC:-cc}
# shellcheck disable=SC2046
$cc -std=c11 -Wall -Werror "$src/examples/embed.c" $(pkg-config --cflags --libs intake) \
  -o "$tmp/embed_pc" 2>"$tmp/cc.log" || bad "pkg-config build: $(cat "$tmp/cc.log")"
[ -x "$tmp/embed_pc" ] && check_embed pkg-config "$tmp/embed_pc"
# shellcheck disable=SC2046
$cc -std=c11 -Wall -Werror "$src/examples/embed.c" -static-libgcc \
  $(pkg-config --cflags intake) "$libdir/libintake.a" $(pkg-config --libs-only-l --static intake | sed 's/-lintake//') \
  -o "$tmp/embed_pc_static" 2>"$tmp/cc.log" || bad "pkg-config static build: $(cat "$tmp/cc.log")"
[ -x "$tmp/embed_pc_static" ] && check_embed pkg-config-static "$tmp/embed_pc_static"

# 2. find_package: C (shared and static) and C++
cmake -S "$src/examples" -B "$tmp/eb" -DCMAKE_PREFIX_PATH="$p" \
  >"$tmp/cmake.log" 2>&1 || bad "find_package configure: $(cat "$tmp/cmake.log")"
cmake --build "$tmp/eb" >"$tmp/build.log" 2>&1 || bad "find_package build: $(cat "$tmp/build.log")"
for e in embed embed_static embed_cxx; do
  [ -x "$tmp/eb/$e" ] && check_embed "find_package $e" "$tmp/eb/$e"
done
grep -q "embed.cpp" "$tmp/build.log" || bad "embed.cpp was not compiled as C++"

[ "$fail" -eq 0 ] && echo "install tree: program, libraries, headers, pc, package, packs, man page; embed built 5 ways"
exit "$fail"
