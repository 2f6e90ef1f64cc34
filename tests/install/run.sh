#!/usr/bin/env bash
# run.sh - the install test: `make install DESTDIR=$tmp PREFIX=/usr`, then
# check what was installed and build a program against it the way a user
# would (the installed header and pkg-config only, nothing from src/),
# linked shared and static, and run it (tests/install/host.c).
# Ends with "install: N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
MAKE=${MAKE:-make}
CC=${CC:-cc}
pass=0 fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wg-install-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok $1"; pass=$((pass + 1)); }
bad() {  # prints the log of the failed step, if any
    echo "FAIL install: $1"
    [ -s "$tmp/log" ] && tail -n 20 "$tmp/log"
    : >"$tmp/log"
    fail=$((fail + 1))
}
step() {  # name, command...: passes when the command succeeds
    local name=$1; shift
    if "$@" >"$tmp/log" 2>&1; then ok "$name"; else bad "$name"; fi
}
summary() { echo "install: $pass passed, $fail failed"; [ "$fail" = 0 ]; exit $?; }

root=$tmp/root
usr=$root/usr
step "make install" $MAKE -s install DESTDIR="$root" PREFIX=/usr
[ "$fail" = 0 ] || summary

files=(bin/wasmguard lib/libwasmguard.a lib/libwasmguard.so.0 lib/libwasmguard.so
       include/wasmguard.h lib/pkgconfig/wasmguard.pc)
[ -f include/wasmguard/pdk.h ] && files+=(include/wasmguard/pdk.h)
missing=""
for f in "${files[@]}"; do [ -e "$usr/$f" ] || missing="$missing $f"; done
[ -z "$missing" ] && ok "installed files" || bad "installed files: missing$missing"
[ -L "$usr/lib/libwasmguard.so" ] && [ "$(readlink "$usr/lib/libwasmguard.so")" = libwasmguard.so.0 ] \
    && ok "libwasmguard.so -> libwasmguard.so.0" || bad "libwasmguard.so is not a symlink to .so.0"

# The header stands alone: C99 and C++, nothing but the installed include dir.
printf '#include <wasmguard.h>\nint main(void) { return wg_version() == 0; }\n' >"$tmp/alone.c"
step "header compiles alone (C99, pedantic)" \
    $CC -std=c99 -pedantic -Wall -Wextra -Werror -I"$usr/include" -fsyntax-only "$tmp/alone.c"
if command -v c++ >/dev/null 2>&1; then
    step "header compiles as C++" \
        c++ -x c++ -Wall -Wextra -Werror -I"$usr/include" -fsyntax-only "$tmp/alone.c"
fi
if [ -f include/wasmguard/pdk.h ]; then
    printf '#include <wasmguard/pdk.h>\n' >"$tmp/pdk.c"
    step "pdk.h is installed and parses" $CC -std=c11 -I"$usr/include" -fsyntax-only "$tmp/pdk.c"
fi

# pkg-config sees the DESTDIR tree through the sysroot variable.
export PKG_CONFIG_PATH=$usr/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$root
version=$(sed -n 's/^#define WG_VERSION "\(.*\)"/\1/p' include/wasmguard.h)
[ "$(pkg-config --modversion wasmguard 2>/dev/null)" = "$version" ] \
    && ok "pkg-config --modversion is $version" || bad "pkg-config --modversion"
cflags=$(pkg-config --cflags wasmguard) libs=$(pkg-config --libs wasmguard)
slibs=$(pkg-config --static --libs wasmguard)
[[ " $slibs " == *" -ljansson "* && " $slibs " == *" -lcrypto "* ]] \
    && ok "pkg-config --static lists the private libraries" || bad "pkg-config --static: $slibs"

# The shared library exports the API and nothing else.
others=$(nm -D --defined-only "$usr/lib/libwasmguard.so.0" | awk '$2 ~ /^[TDBR]$/ && $3 !~ /^wg_/ {print $3}')
[ -z "$others" ] && ok "the .so exports only wg_*" || bad "the .so also exports: $(echo $others | head -c 300)"
[ "$(objdump -p "$usr/lib/libwasmguard.so.0" | awk '/SONAME/ {print $2}')" = libwasmguard.so.0 ] \
    && ok "SONAME libwasmguard.so.0" || bad "SONAME"

wat2wasm tests/install/plugin.wat -o "$tmp/plugin.wasm" >"$tmp/log" 2>&1 || bad "wat2wasm plugin.wat"

# Shared: -lwasmguard resolves to the .so; run it from the DESTDIR tree.
if $CC -std=c11 -Wall -Wextra -Werror -pthread $cflags tests/install/host.c -o "$tmp/host" \
        $libs >"$tmp/log" 2>&1; then
    ok "build against the shared library"
    ldd "$tmp/host" | grep -q libwasmguard.so.0 && ok "linked to libwasmguard.so.0" \
        || bad "host is not linked to libwasmguard.so.0"
    LD_LIBRARY_PATH=$usr/lib "$tmp/host" "$tmp/plugin.wasm" >"$tmp/out" 2>&1
    rc=$?
    n_ok=$(grep -c '^ok ' "$tmp/out"); n_fail=$(grep -c '^FAIL ' "$tmp/out")
    pass=$((pass + n_ok)); fail=$((fail + n_fail))
    sed -n 's/^FAIL /FAIL install (shared): /p' "$tmp/out"
    [ "$rc" = 0 ] || [ "$n_fail" != 0 ] || bad "shared host exited $rc: $(tail -n 3 "$tmp/out")"
else
    bad "build against the shared library"
fi

# Static: the archive and the private libraries.
if $CC -std=c11 -Wall -Wextra -Werror -pthread $cflags tests/install/host.c -o "$tmp/host-static" \
        "$usr/lib/libwasmguard.a" $(pkg-config --static --libs-only-l wasmguard | sed 's/-lwasmguard//') \
        >"$tmp/log" 2>&1; then
    ok "build against the static library"
    "$tmp/host-static" "$tmp/plugin.wasm" >"$tmp/out" 2>&1
    rc=$?
    n_ok=$(grep -c '^ok ' "$tmp/out"); n_fail=$(grep -c '^FAIL ' "$tmp/out")
    pass=$((pass + n_ok)); fail=$((fail + n_fail))
    sed -n 's/^FAIL /FAIL install (static): /p' "$tmp/out"
    [ "$rc" = 0 ] || [ "$n_fail" != 0 ] || bad "static host exited $rc: $(tail -n 3 "$tmp/out")"
else
    bad "build against the static library"
fi
summary
