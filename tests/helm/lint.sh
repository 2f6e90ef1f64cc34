#!/usr/bin/env bash
# lint.sh - the helm-lint suite: `wasmguard plugin lint` on each fixture of
# tests/helm/lint/, and `wasmguard plugin list` over plugin directories
# made of them.  Prints a FAIL line for each failed check and ends with
# "NAME: N passed, N failed".
#
# usage: tests/helm/lint.sh [WASMGUARD [NAME]]
#
#   WASMGUARD  the binary (build/wasmguard); NAME the summary's (helm-lint)
#   VERBOSE=1  also prints an "ok" line for each check that passed
#
# Fixtures: tests/helm/lint/good-*/ must lint (exit 0); bad-*/ must fail
# (exit 1) with a message on stderr matching the ERE in its file `expect`
# (which names the file, line and key path).  Each is copied into a
# private temp directory first: plugin.wat becomes plugin.wasm (wat2wasm),
# plugin.garbage becomes a plugin.wasm that is not a module; no .wasm is
# committed.  HOME, XDG_DATA_HOME, HELM_DATA_HOME and HELM_PLUGINS are
# set or unset by each check, never inherited.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
WG=${1:-build/wasmguard}
NAME=${2:-helm-lint}
FIX=tests/helm/lint

expect_no_line() {  # NAME ERE FILE
    if grep -Eq -- "$2" "$3" 2>/dev/null; then bad "$1: a line of $(basename "$3") matches /$2/"
    else ok "$1"; fi
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/wasmguard-helm-lint.XXXXXX") || exit 1
trap 'rm -rf "$WORK"' EXIT
EMPTY_HOME=$WORK/nohome
mkdir -p "$EMPTY_HOME"

# wg OUT [VAR=VALUE...] ARGS...: runs wasmguard in a clean plugin
# environment (HOME an empty dir, then the VAR=VALUE given) with stdout in
# OUT and stderr in OUT.err; exit code in $rc.
wg() {
    local out=$1; shift
    local envs=()
    while [ $# -gt 0 ] && [[ "$1" == [A-Z]*=* ]]; do envs+=("$1"); shift; done
    env -u HELM_PLUGINS -u XDG_DATA_HOME -u HELM_DATA_HOME HOME="$EMPTY_HOME" "${envs[@]}" \
        "$WG" "$@" >"$out" 2>"$out.err" </dev/null
    rc=$?
}

# stage FIXTURE DEST: a copy of the fixture with its plugin.wasm built.
stage() {
    rm -rf "$2"; mkdir -p "$(dirname "$2")"
    cp -r "$FIX/$1" "$2"
    rm -f "$2/expect"
    if [ -f "$2/plugin.wat" ]; then
        wat2wasm -o "$2/plugin.wasm" "$2/plugin.wat" || return 1
        rm -f "$2/plugin.wat"
    fi
    if [ -f "$2/plugin.garbage" ]; then mv "$2/plugin.garbage" "$2/plugin.wasm"; fi
}

if [ ! -x "$WG" ]; then echo "FAIL $NAME: no $WG"; echo "$NAME: 0 passed, 1 failed"; exit 1; fi
if ! command -v wat2wasm >/dev/null; then
    echo "FAIL $NAME: wat2wasm not found (make deps)"; echo "$NAME: 0 passed, 1 failed"; exit 1
fi

# ---- lint, each fixture -----------------------------------------------------
for dir in "$FIX"/*/; do
    f=$(basename "$dir")
    d=$WORK/lint/$f
    stage "$f" "$d" || { bad "$f: staging failed"; continue; }
    wg "$WORK/out" plugin lint "$d"
    case "$f" in
    good-*)
        expect "$f: exit code" 0 "$rc"
        expect_line "$f: ok line" "^$d: ok: " "$WORK/out"
        if [ -s "$WORK/out.err" ]; then bad "$f: stderr not empty: $(head -c 300 "$WORK/out.err")"; fi
        wg "$WORK/json" plugin lint "$d" --json
        expect "$f: --json exit code" 0 "$rc"
        expect_line "$f: --json ok" '"ok": true' "$WORK/json"
        ;;
    bad-*)
        expect "$f: exit code" 1 "$rc"
        expect_line "$f: message" "^wasmguard: $d/$(cat "$FIX/$f/expect")" "$WORK/out.err"
        expect "$f: one line on stderr" 1 "$(wc -l <"$WORK/out.err")"
        wg "$WORK/json" plugin lint "$d" --json
        expect "$f: --json exit code" 1 "$rc"
        expect_line "$f: --json ok false" '"ok": false' "$WORK/json"
        ;;
    esac
done

# ---- lint: the grants it prints -----------------------------------------------
d=$WORK/lint/good-cli
wg "$WORK/out" plugin lint "$d"
expect_line "grants: hosts" '^  allowedHosts +example\.com, \*\.example\.org$' "$WORK/out"
expect_line "grants: temp dir" '^  fileSystem\.createTempDir +true' "$WORK/out"
expect_line "grants: pages" '^  memory\.maxPages +16 \(1024 KiB\)$' "$WORK/out"
expect_line "grants: timeout" '^  timeout +5000 ms$' "$WORK/out"
expect_line "grants: config keys" '^  config keys +greeting, times$' "$WORK/out"
expect_line "grants: host functions" '^  hostFunctions +\(none\)$' "$WORK/out"
expect_line "grants: entry" '^  entryFuncName +helm_plugin_main$' "$WORK/out"
wg "$WORK/out" plugin lint "$WORK/lint/good-postrenderer"
expect_line "grants: no hosts by default" '^  allowedHosts +\(none: no HTTP\)$' "$WORK/out"
expect_line "grants: unset pages" "^  memory\.maxPages +\(unset: wasmguard's default\)$" "$WORK/out"
wg "$WORK/out" plugin lint "$d" --json
if command -v python3 >/dev/null; then
    got=$(python3 -c 'import json,sys; o=json.load(open(sys.argv[1])); g=o["grants"]
print(o["name"], o["type"], ",".join(g["allowedHosts"]), g["createTempDir"], g["maxPages"],
      g["timeoutMs"], ",".join(g["configKeys"]), g["entryFuncName"], g["maxVarBytes"])' "$WORK/out" 2>&1)
    expect "lint --json: fields" \
        "hello-cli cli/v1 example.com,*.example.org True 16 5000 greeting,times helm_plugin_main 4096" "$got"
fi
wg "$WORK/out" plugin lint "$WORK/lint/good-legacy-getter"
expect_line "legacy getter: converted" 'ok: s3 0\.16\.0, getter/v1, runtime subprocess, apiVersion legacy' "$WORK/out"
expect_line "legacy getter: protocols" '^  protocols +s3, s3a$' "$WORK/out"
wg "$WORK/out" plugin lint "$WORK/lint/good-legacy-cli"
expect_line "legacy cli: converted" 'ok: diff 3\.9\.0, cli/v1, runtime subprocess, apiVersion legacy' "$WORK/out"
wg "$WORK/out" plugin lint "$WORK/nowhere"
expect "lint: no such dir: exit code" 1 "$rc"
expect_line "lint: no such dir: message" "^wasmguard: $WORK/nowhere/plugin\.yaml: cannot read: " "$WORK/out.err"
wg "$WORK/out" plugin lint
expect "lint: no DIR: exit code" 2 "$rc"
wg "$WORK/out" plugin lint "$d" --bogus
expect "lint: unknown option: exit code" 2 "$rc"
wg "$WORK/out" plugin frobnicate
expect "plugin: unknown subcommand: exit code" 2 "$rc"

# ---- list over $HELM_PLUGINS ----------------------------------------------------
P=$WORK/plugins
for f in good-cli good-getter good-postrenderer good-subprocess good-legacy-getter good-legacy-cli \
         bad-dup-key bad-missing-wasm; do
    stage "$f" "$P/$f" || bad "list: staging $f failed"
done
wg "$WORK/out" HELM_PLUGINS="$P" plugin list
expect "list: exit code" 0 "$rc"
expect_line "list: header" $'^NAME +\tVERSION +\tTYPE +\tAPIVERSION\tPROVENANCE\tSOURCE +$' "$WORK/out"
expect "list: rows" 7 "$(wc -l <"$WORK/out")"
expect_line "list: cli row" '^hello-cli *	0\.1\.0 *	cli/v1 *	v1 *	unknown *	https://example\.com/hello-cli *$' "$WORK/out"
expect_line "list: legacy getter row" '^s3 *	0\.16\.0 *	getter/v1 *	legacy *	unknown *	unknown *$' "$WORK/out"
expect_line "list: subprocess row" '^sub-cli *	0\.0\.1 *	cli/v1 *	v1 *	unknown *	unknown' "$WORK/out"
expect_line "list: postrenderer row" '^labeler *	2\.0\.0 *	postrenderer/v1	' "$WORK/out"
expect_line "list: broken reported" "^wasmguard: skipped a broken plugin: $P/bad-dup-key/plugin\.yaml:5: name: duplicate key" "$WORK/out.err"
expect_line "list: no wasm reported" "^wasmguard: skipped a broken plugin: $P/bad-missing-wasm/plugin\.wasm: missing" "$WORK/out.err"
expect "list: two reports" 2 "$(wc -l <"$WORK/out.err")"
expect_no_line "list: broken not listed" '^(dup|nowasm) ' "$WORK/out"
# sorted by directory name, as Helm's glob
expect "list: order" "hello-cli getter_s3 diff s3 labeler sub-cli" \
    "$(tail -n +2 "$WORK/out" | awk '{print $1}' | tr '\n' ' ' | sed 's/ $//')"

wg "$WORK/out" HELM_PLUGINS="$P" plugin list --type getter/v1
expect "list --type: exit code" 0 "$rc"
expect "list --type: names" "getter_s3 s3" "$(tail -n +2 "$WORK/out" | awk '{print $1}' | tr '\n' ' ' | sed 's/ $//')"
wg "$WORK/out" HELM_PLUGINS="$P" plugin ls --type=postrenderer/v1
expect "list alias ls, --type=: names" "labeler" "$(tail -n +2 "$WORK/out" | awk '{print $1}')"

# Two directories in HELM_PLUGINS, colon-separated, empty entries skipped.
P2=$WORK/plugins2
stage good-subprocess-getter "$P2/sub-getter"
wg "$WORK/out" HELM_PLUGINS="::$P2:$WORK/missing:$P:" plugin list
expect "list: two dirs: exit code" 0 "$rc"
expect "list: two dirs: first dir first" "sub-getter" "$(sed -n 2p "$WORK/out" | awk '{print $1}')"
expect "list: two dirs: rows" 8 "$(wc -l <"$WORK/out")"

# Two plugins of one name: an error naming both.
stage good-cli "$P2/hello-again"
stage good-cli "$P2/hello-cli"
wg "$WORK/out" HELM_PLUGINS="$P2" plugin list
expect "list: duplicate name: exit code" 1 "$rc"
expect_line "list: duplicate name: message" "^wasmguard: two plugins claim the name \"hello-cli\": $P2/hello-again and $P2/hello-cli$" "$WORK/out.err"
expect "list: duplicate name: no table" 0 "$(wc -c <"$WORK/out")"
rm -rf "$P2/hello-again"
wg "$WORK/out" HELM_PLUGINS="$P2:$P" plugin list
expect "list: duplicate name across dirs: exit code" 1 "$rc"
expect_line "list: duplicate name across dirs: message" "^wasmguard: two plugins claim the name \"hello-cli\": $P2/hello-cli and $P/good-cli$" "$WORK/out.err"
rm -rf "$P2/hello-again" "$P2/hello-cli"

# An empty HELM_PLUGINS: no directory, an empty table (header only).
wg "$WORK/out" HELM_PLUGINS= plugin list
expect "list: empty HELM_PLUGINS" "1 0" "$(wc -l <"$WORK/out") $rc"

# ---- the default directories --------------------------------------------------
X=$WORK/xdg
stage good-cli "$X/helm/plugins/hello-cli"
stage good-postrenderer "$WORK/elsewhere/labeler"
ln -s "$WORK/elsewhere/labeler" "$X/helm/plugins/labeler"
wg "$WORK/out" XDG_DATA_HOME="$X" plugin list
expect "xdg: exit code" 0 "$rc"
expect "xdg: names" "hello-cli labeler" "$(tail -n +2 "$WORK/out" | awk '{print $1}' | tr '\n' ' ' | sed 's/ $//')"
expect_line "xdg: a plain dir is unsigned" '^hello-cli *	.*	unsigned *	' "$WORK/out"
expect_line "xdg: a symlink is local dev" '^labeler *	.*	local dev *	' "$WORK/out"

H=$WORK/home
stage good-getter "$H/.local/share/helm/plugins/getter_s3"
wg "$WORK/out" HOME="$H" plugin list
expect "home: names" "getter_s3" "$(tail -n +2 "$WORK/out" | awk '{print $1}')"
wg "$WORK/out" HOME="$H" XDG_DATA_HOME="$X" plugin list
expect "home: XDG_DATA_HOME wins" "hello-cli labeler" "$(tail -n +2 "$WORK/out" | awk '{print $1}' | tr '\n' ' ' | sed 's/ $//')"
D=$WORK/helmdata
stage good-subprocess "$D/plugins/sub-cli"
wg "$WORK/out" HOME="$H" XDG_DATA_HOME="$X" HELM_DATA_HOME="$D" plugin list
expect "HELM_DATA_HOME wins" "sub-cli" "$(tail -n +2 "$WORK/out" | awk '{print $1}')"
wg "$WORK/out" HOME="$H" XDG_DATA_HOME="$X" HELM_PLUGINS="$P2" plugin list
expect "HELM_PLUGINS wins" "sub-getter" "$(tail -n +2 "$WORK/out" | awk '{print $1}')"

# Provenance of a plugin installed from a tarball: Helm looks for
# NAME-VERSION.tgz and its .prov beside the plugin's directory.
T=$X/helm/plugins
printf 'not really a tarball\n' >"$T/hello-cli-0.1.0.tgz"
wg "$WORK/out" XDG_DATA_HOME="$X" plugin list
expect_line "provenance: tgz without .prov is unsigned" '^hello-cli *	.*	unsigned *	' "$WORK/out"
sum=$(sha256sum "$T/hello-cli-0.1.0.tgz" | cut -d' ' -f1)
printf -- '-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nname: hello-cli\nversion: 0.1.0\n\n...\nfiles:\n  hello-cli-0.1.0.tgz: sha256:%s\n-----BEGIN PGP SIGNATURE-----\n\nxx\n-----END PGP SIGNATURE-----\n' "$sum" >"$T/hello-cli-0.1.0.tgz.prov"
wg "$WORK/out" XDG_DATA_HOME="$X" plugin list
expect_line "provenance: matching sum is signed" '^hello-cli *	.*	signed *	' "$WORK/out"
printf 'changed\n' >>"$T/hello-cli-0.1.0.tgz"
wg "$WORK/out" XDG_DATA_HOME="$X" plugin list
expect_line "provenance: other sum is mismatched" '^hello-cli *	.*	mismatched provenance	' "$WORK/out"
printf 'garbage\n' >"$T/hello-cli-0.1.0.tgz.prov"
wg "$WORK/out" XDG_DATA_HOME="$X" plugin list
expect_line "provenance: no clearsign is invalid" '^hello-cli *	.*	invalid provenance	' "$WORK/out"

# --help documents the subcommands.
wg "$WORK/out" --help
expect_line "--help: plugin list" '^  wasmguard plugin list \[--type TYPE\]$' "$WORK/out"
expect_line "--help: plugin lint" '^  wasmguard plugin lint DIR \[--json\]$' "$WORK/out"

summary
