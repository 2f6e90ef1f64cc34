#!/usr/bin/env bash
# archive.sh - the helm-archive suite: helm_archive_extract (through
# build/tests/helm/untar) refuses hostile plugin tarballs written by
# build/tests/helm/mktar - traversal, absolute names, symlinks and hard
# links pointing out, devices, a FIFO, a gzip bomb, 100,000 files, a
# version "../../x", a name mismatch, entries outside NAME/ - each with a
# message naming the entry, leaving its destination empty and nothing
# else changed; and `wasmguard plugin package` writes NAME-VERSION.tgz
# that lists under NAME/, unpacks to the same tree and is reproducible.
# Ends with "NAME: N passed, N failed".
#
# usage: tests/helm/archive.sh [WASMGUARD [NAME [UNTAR]]]   (VERBOSE=1: "ok" lines too)
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
WG=${1:-build/wasmguard}
[ -x "$WG" ] && WG=$(cd "$(dirname "$WG")" && pwd)/$(basename "$WG")
NAME=${2:-helm-archive}
T=$PWD/build/tests/helm
MKTAR=$T/mktar UNTAR=${3:-$T/untar}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/wasmguard-archive-suite.XXXXXX") || exit 1
WORK=$(cd "$WORK" && pwd -P)
trap 'chmod -R u+rwx "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
mkdir -p "$WORK/in" "$WORK/x" "$WORK/t"

if [ ! -x "$MKTAR" ] || [ ! -x "$UNTAR" ] || [ ! -x "$WG" ]; then
    bad "no $MKTAR, $UNTAR or $WG (make check-build)"
    echo "$NAME: $pass passed, $fail failed"; exit 1
fi

# Everything under WORK but the destination's contents and the inputs.
snapshot() { (cd "$WORK" && find . -path ./in -prune -o -path ./t -prune -o -path "./x/$1/dest/*" -prune -o -print | sort); }

# refused KIND ARG REGEX [UNTAR OPTIONS...]: mktar KIND, untar it into a
# fresh x/KIND/dest: exit 1, a message matching REGEX, dest empty after,
# nothing else under WORK changed.
refused() {
    local kind=$1 arg=$2 re=$3; shift 3
    local tgz=$WORK/in/$kind.tgz dest=$WORK/x/$kind/dest
    if [ ! -f "$tgz" ] && ! "$MKTAR" "$kind" "$tgz" "$arg" 2>"$WORK/t/mktar.err"; then
        bad "$kind: mktar failed: $(cat "$WORK/t/mktar.err")"; return
    fi
    mkdir -p "$dest"
    snapshot "$kind" >"$WORK/t/before"
    timeout -s KILL 60 "$UNTAR" "$@" "$tgz" "$dest" >"$WORK/t/out" 2>"$WORK/t/err"
    local rc=$?
    expect "$kind: exit code" 1 "$rc"
    expect_line "$kind: message" "$re" "$WORK/t/err"
    expect "$kind: destination left empty" "" "$(ls -A "$dest")"
    snapshot "$kind" >"$WORK/t/after"
    if cmp -s "$WORK/t/before" "$WORK/t/after"; then ok "$kind: nothing written outside"
    else bad "$kind: written outside the destination: $(diff "$WORK/t/before" "$WORK/t/after" | head -5)"; fi
    rm -rf "${dest:?}"
}

P='in/[a-z]+\.tgz: '
refused traversal escaped "${P}p/\.\./\.\./escaped: a \"\.\.\" component would leave"
refused dotdot escaped "${P}\.\./escaped: a \"\.\.\" component"
refused absolute "$WORK/x/absolute/escaped" "${P}$WORK/x/absolute/escaped: an absolute name"
refused dot "" "${P}p/\./x: an empty or \"\.\" component"
refused symlink ../../escaped "${P}p/link: a symlink \(to \"\.\./\.\./escaped\"\)"
refused hardlink /etc/passwd "${P}p/hl: a hard link \(to \"/etc/passwd\"\)"
refused chardev "" "${P}p/dev: a character device; a plugin tarball holds only"
refused blockdev "" "${P}p/blk: a block device"
refused fifo "" "${P}p/fifo: a FIFO"
refused control "" "${P}p/a\\\\x1bb: a control character"
refused outside "" "${P}q/x: outside the plugin's directory p/"
refused topfile "" "${P}x: outside the plugin's directory p/"
refused twice "" "${P}p/plugin.yaml: appears twice"
refused noyaml "" "${P}no p/plugin.yaml"
refused version "" "${P}p/plugin.yaml:3: version: \"\.\./\.\./x\" is not a SemVer 2.0 version"
refused mismatch "" "${P}plugin.yaml names the plugin \"other\" but its directory is p/"
refused many "" "${P}p/f/[0-9]+: more than 10000 entries \(the limit\)"
refused good "" "${P}p/[a-z./]+: more than 100 bytes unpacked" --max-bytes 100
refused good "" "${P}p/[a-z./]+: more than 3 entries" --max-files 3

# The bomb: 2 GiB of zeros, a few MiB gzip'd, stopped at once.
start=$(date +%s)
refused bomb "" "${P}p/zero: more than 536870912 bytes unpacked \(the limit\)"
size=$(stat -c %s "$WORK/in/bomb.tgz" 2>/dev/null || echo 0)
if [ "$size" -lt $((32 << 20)) ]; then ok "bomb: small compressed"; else bad "bomb: $size bytes"; fi
elapsed=$(( $(date +%s) - start ))
if [ "$elapsed" -lt 30 ]; then ok "bomb: quick"; else bad "bomb: took ${elapsed}s"; fi

# A good tarball unpacks, modes sanitized; so does one of ./NAME names.
for kind in good dotslash; do
    "$MKTAR" "$kind" "$WORK/in/$kind.tgz"
    mkdir -p "$WORK/x/$kind/dest"
    "$UNTAR" "$WORK/in/$kind.tgz" "$WORK/x/$kind/dest" >"$WORK/t/out" 2>"$WORK/t/err"
    expect "$kind: unpacks" "0 $WORK/x/$kind/dest/p" "$? $(cat "$WORK/t/out")"
    expect "$kind: modes" "755 p/bin/run.sh 644 p/data/x.txt 755 p/data" \
        "$(cd "$WORK/x/$kind/dest" && stat -c '%a %n' p/bin/run.sh p/data/x.txt p/data | tr '\n' ' ' | sed 's/ $//')"
done
mkdir -p "$WORK/x/busy/dest/old"
"$UNTAR" "$WORK/in/good.tgz" "$WORK/x/busy/dest" 2>"$WORK/t/err"
expect "a destination not empty: refused" 1 $?
expect_line "a destination not empty: message" "the destination is not empty" "$WORK/t/err"

# ---- plugin package ------------------------------------------------------
SRC=$WORK/src/pk
mkdir -p "$SRC/bin" "$SRC/docs/deep" "$WORK/pkg" "$WORK/pkg2"
cat >"$SRC/plugin.yaml" <<'YAML'
apiVersion: v1
name: pk
version: 0.2.0-rc.1
type: cli/v1
runtime: subprocess
runtimeConfig:
  platformCommand:
    - command: "bin/run.sh"
YAML
printf '#!/bin/sh\necho hi\n' >"$SRC/bin/run.sh"; chmod 0700 "$SRC/bin/run.sh"
printf 'read me\n' >"$SRC/docs/README"; chmod 0600 "$SRC/docs/README"
head -c 100000 /dev/urandom >"$SRC/docs/deep/blob"

"$WG" plugin package "$SRC" -d "$WORK/pkg" >"$WORK/t/out.txt" 2>"$WORK/t/err"
expect "package: exit code" 0 $?
expect "package: prints the path" "Successfully packaged plugin and saved it to: $WORK/pkg/pk-0.2.0-rc.1.tgz" "$(cat "$WORK/t/out.txt")"
TGZ=$WORK/pkg/pk-0.2.0-rc.1.tgz
expect "package: entries under NAME/" \
    "pk/ pk/bin/ pk/bin/run.sh pk/docs/ pk/docs/README pk/docs/deep/ pk/docs/deep/blob pk/plugin.yaml" \
    "$(tar tzf "$TGZ" | tr '\n' ' ' | sed 's/ $//')"
expect "package: owner, modes" "drwxr-xr-x root/root -rwxr-xr-x root/root -rw-r--r-- root/root" \
    "$(tar tvzf "$TGZ" --numeric-owner | awk '{print $1, $2}' | sed -n '1p;3p;5p' | sed 's|0/0|root/root|' | tr '\n' ' ' | sed 's/ $//')"
mkdir -p "$WORK/x/rt/dest"
"$UNTAR" "$TGZ" "$WORK/x/rt/dest" >"$WORK/t/out" 2>"$WORK/t/err"
expect "package: unpacks (helm_archive_extract)" "0 $WORK/x/rt/dest/pk" "$? $(cat "$WORK/t/out")"
if diff -r "$SRC" "$WORK/x/rt/dest/pk" >/dev/null; then ok "package: round trip, same tree"
else bad "package: round trip differs: $(diff -r "$SRC" "$WORK/x/rt/dest/pk" | head -3)"; fi
touch -d '2001-01-01' "$SRC/plugin.yaml" "$SRC/docs/README"
"$WG" plugin package "$SRC/" --destination "$WORK/pkg2" >/dev/null 2>&1
if cmp -s "$TGZ" "$WORK/pkg2/pk-0.2.0-rc.1.tgz"; then ok "package: reproducible"
else bad "package: two packings of one tree differ"; fi
SOURCE_DATE_EPOCH=1700000000 "$WG" plugin package "$SRC" -d "$WORK/pkg2" >/dev/null 2>&1
expect "package: SOURCE_DATE_EPOCH" "2023-11-14" \
    "$(TZ=UTC tar tvzf "$WORK/pkg2/pk-0.2.0-rc.1.tgz" --full-time | head -n 1 | awk '{print $4}')"

(cd "$SRC" && "$WG" plugin package . >/dev/null 2>&1 && "$WG" plugin package . >/dev/null 2>&1)
expect "package: into its own directory, twice, leaves its tarball out" "8 0" \
    "$(tar tzf "$SRC/pk-0.2.0-rc.1.tgz" | wc -l) $(tar tzf "$SRC/pk-0.2.0-rc.1.tgz" | grep -c '\.tgz')"
expect "package: no temporary file left" "" "$(ls -A "$SRC" | grep '^\.')"
rm -f "$SRC/pk-0.2.0-rc.1.tgz"

package_refused() {  # LABEL EXIT REGEX ARGS...
    local label=$1 code=$2 re=$3; shift 3
    rm -rf "$WORK/pkg3"; mkdir -p "$WORK/pkg3"
    "$WG" plugin package "$@" >"$WORK/t/out" 2>"$WORK/t/err"
    expect "package $label: exit code" "$code" $?
    expect_line "package $label: message" "$re" "$WORK/t/err"
    expect "package $label: nothing written" "" "$(ls -A "$WORK/pkg3")"
}
ln -s /etc/passwd "$SRC/docs/link"
package_refused "a symlink" 1 "$SRC/docs/link: a symlink; a plugin tarball holds only" "$SRC" -d "$WORK/pkg3"
rm "$SRC/docs/link"; mkfifo "$SRC/fifo"
package_refused "a FIFO" 1 "$SRC/fifo: a FIFO" "$SRC" -d "$WORK/pkg3"
rm "$SRC/fifo"
package_refused "--sign without --key and --keyring" 2 "--sign wants --key NAME and --keyring" "$SRC" -d "$WORK/pkg3" --sign
package_refused "no DIR" 2 "wants a plugin's directory" -d "$WORK/pkg3"
sed -i 's/^version: .*/version: "..\/..\/x"/' "$SRC/plugin.yaml"
package_refused "a version ../../x" 1 "plugin.yaml:3: version: \"\.\./\.\./x\" is not a SemVer" "$SRC" -d "$WORK/pkg3"

summary
