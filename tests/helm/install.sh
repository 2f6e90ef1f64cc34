#!/usr/bin/env bash
# install.sh - the helm-install suite: `wasmguard plugin install`,
# `uninstall` and `grants` in a temporary HELM_PLUGINS (also
# HELM_DATA_HOME/plugins, so `plugin list` shows the PROVENANCE Helm
# would) and a temporary XDG_CONFIG_HOME for the grants records.
#
#   signed tarballs: keys made with gpg in batch mode (as prov.sh), the
#   tarball and its .prov by `plugin package --sign` (verified by `plugin
#   verify` and gpg; a wrong --key refused, writing nothing);
#   installed with --yes, listed "signed", run; refused, each leaving the
#   plugins directory and the grants records as they were: no terminal
#   and no --yes, a tampered tarball, a missing .prov, an unknown signer,
#   OCI and VCS sources, a module importing what wasmguard does not
#   provide, a plugin already installed;
#   --verify=false installs an unsigned tarball; a directory is linked in
#   place ("local dev"); a plugin asking for nothing needs no consent;
#   URL installs from tests/extism/httpd (its /file route), with a missing
#   .prov and a server that stops mid-transfer refused; an edited
#   plugin.yaml asking for a new host is refused at run, naming it;
#   uninstall removes every trace (never a dev link's target);
#   update: from the source recorded at install, to a new signed version
#   with no new grants (no question), one asking for a new host refused
#   without --yes (old version runs, record unchanged) and accepted with
#   it, a tampered tarball and another plugin's refused (nothing changed).
# Ends with "NAME: N passed, N failed".
#
# usage: tests/helm/install.sh [WASMGUARD [NAME]]
#   VERBOSE=1: "ok" lines too; SHOW=1: each refusal's message
set -u
cd "$(dirname "$0")/../.." || exit 1
WG=${1:-build/wasmguard}
NAME=${2:-helm-install}
SIGN=build/tests/helm/provsign
HTTPD=build/tests/extism/httpd
CLI_WASM=build/tests/helm/plugins/cli/plugin.wasm
pass=0 fail=0

ok() { pass=$((pass + 1)); [ -z "${VERBOSE:-}" ] || echo "ok $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $NAME: $1"; }
expect() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: expected '$2', got '$3'"; fi; }
expect_line() {
    if grep -Eq -- "$2" "$3" 2>/dev/null; then ok "$1"; else
        bad "$1: no line of $(basename "$3") matches /$2/ ($(head -c 300 "$3" 2>/dev/null))"; fi
}

for f in "$WG" "$SIGN" "$HTTPD"; do
    if [ ! -x "$f" ]; then bad "no $f (make check-build)"; fi
done
if [ ! -r "$CLI_WASM" ]; then bad "no $CLI_WASM (make helm-plugins)"; fi
if ! command -v gpg >/dev/null 2>&1; then bad "gpg not found (Debian package gnupg)"; fi
if [ "$fail" != 0 ]; then echo "$NAME: $pass passed, $fail failed"; exit 1; fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/wasmguard-helm-install.XXXXXX") || exit 1
WORK=$(cd "$WORK" && pwd -P)
HTTPD_PID=
export GNUPGHOME=$WORK/gnupg
cleanup() {
    if [ -n "$HTTPD_PID" ]; then kill "$HTTPD_PID" 2>/dev/null; wait "$HTTPD_PID" 2>/dev/null; fi
    gpgconf --kill gpg-agent >/dev/null 2>&1  # the agent gpg started for this GNUPGHOME
    rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -m 700 "$GNUPGHOME"
mkdir -p "$WORK/pkg" "$WORK/t" "$WORK/tmp"
export HELM_DATA_HOME=$WORK/data HELM_PLUGINS=$WORK/data/plugins XDG_CONFIG_HOME=$WORK/config
export TMPDIR=$WORK/tmp
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
PLUGINS=$HELM_PLUGINS GRANTS=$XDG_CONFIG_HOME/wasmguard/grants
mkdir -p "$PLUGINS"

# wg OUT ARGS...: stdout in OUT, stderr in OUT.err, stdin /dev/null (no terminal); $rc.
wg() {
    local out=$1; shift
    timeout -s KILL 120 "$WG" "$@" >"$out" 2>"$out.err" </dev/null
    rc=$?
}
# What is installed: the plugins directory and the grants records.
state() { (cd "$WORK" && find data config -mindepth 1 2>/dev/null | sort); }

# ---- keys, plugins, tarballs ---------------------------------------------------
G() { gpg --batch --quiet --no-tty "$@"; }
printf '%s\n' '%no-protection' 'Key-Type: RSA' 'Key-Length: 2048' 'Key-Usage: sign' \
    'Name-Real: Install Test' 'Name-Email: install@wasmguard.test' 'Expire-Date: 0' '%commit' \
    >"$WORK/a.batch"
printf '%s\n' '%no-protection' 'Key-Type: EDDSA' 'Key-Curve: ed25519' 'Key-Usage: sign' \
    'Name-Real: Other Signer' 'Name-Email: other@wasmguard.test' 'Expire-Date: 0' '%commit' \
    >"$WORK/b.batch"
G --gen-key "$WORK/a.batch" 2>/dev/null && G --gen-key "$WORK/b.batch" 2>/dev/null
expect "gpg made two keys" 2 "$(G --list-keys --with-colons | grep -c '^pub:')"
KR=$WORK/pubring.gpg
G --export "<install@wasmguard.test>" >"$KR"
G --export "<other@wasmguard.test>" >"$WORK/other.gpg"     # a keyring without the signer
G --export-secret-keys >"$WORK/secring.gpg"

# mkplugin DIR NAME [RUNTIMECONFIG-LINES...]: an extism/v1 cli/v1 plugin (the
# test cli plugin's module).
mkplugin() {
    local dir=$1 name=$2; shift 2
    mkdir -p "$dir"
    cp "$CLI_WASM" "$dir/plugin.wasm"
    printf 'apiVersion: v1\nname: %s\nversion: 0.1.0\ntype: cli/v1\nruntime: extism/v1\n' \
        "$name" >"$dir/plugin.yaml"
    if [ $# -gt 0 ]; then printf 'runtimeConfig:\n' >>"$dir/plugin.yaml"; printf '%s\n' "$@" >>"$dir/plugin.yaml"; fi
}
mkplugin "$WORK/src/hello" hello '  allowedHosts:' '    - "127.0.0.1"' '  timeout: 60000'
TGZ=$WORK/pkg/hello-0.1.0.tgz
# package --sign: the tarball and its .prov (helm_prov_sign).
wg "$WORK/t/out" plugin package "$WORK/src/hello" -d "$WORK/pkg" --sign \
    --key install@wasmguard.test --keyring "$WORK/secring.gpg"
expect "package --sign: exit 0" 0 "$rc"
expect_line "package --sign: Helm's line" "^Successfully packaged plugin and saved it to: $TGZ$" "$WORK/t/out"
expect "package --sign: the .prov" "yes" "$([ -s "$TGZ.prov" ] && echo yes)"
wg "$WORK/t/out" plugin verify "$TGZ" --keyring "$KR"
expect "package --sign: verify exit 0" 0 "$rc"
expect_line "package --sign: verify's signer" "^Signed by: Install Test <install@wasmguard\.test>$" "$WORK/t/out"
G --verify "$TGZ.prov" 2>/dev/null
expect "package --sign: gpg --verify accepts it" 0 $?
mkdir -p "$WORK/wrongkey"
wg "$WORK/t/out" plugin package "$WORK/src/hello" -d "$WORK/wrongkey" --sign \
    --key nobody@wasmguard.test --keyring "$WORK/secring.gpg"
expect "package --sign, a wrong key: exit 1" 1 "$rc"
expect_line "package --sign, a wrong key: says so" \
    "^wasmguard: plugin package: .*not signed: no secret key matching \"nobody@wasmguard\.test\"" "$WORK/t/out.err"
expect "package --sign, a wrong key: nothing written" "" "$(ls -A "$WORK/wrongkey")"
wg "$WORK/t/out" plugin package "$WORK/src/hello" -d "$WORK/wrongkey" --sign
expect "package --sign without --key: usage, exit 2" 2 "$rc"

# refused LABEL ERE ARGS...: `plugin install ARGS` exits 1 (or $CODE) saying
# ERE, and nothing is installed (no plugin, tarball, record or temp dir).
refused() {
    local label=$1 ere=$2 code=${CODE:-1}; shift 2
    local before; before=$(state)
    wg "$WORK/t/out" plugin install "$@"
    expect "$label: exit $code" "$code" "$rc"
    expect_line "$label: message" "^wasmguard: plugin install: .*$ere" "$WORK/t/out.err"
    [ -z "${SHOW:-}" ] || cat "$WORK/t/out.err"
    expect "$label: nothing installed" "$before" "$(state)"
}

# ---- consent ---------------------------------------------------------------------------
refused "no terminal, no --yes" "hello: not installed: no terminal.*--yes" "$TGZ" --keyring "$KR"
expect_line "no terminal: the grants listed" "^  host: 127\.0\.0\.1$" "$WORK/t/out.err"
expect_line "no terminal: the timeout listed" "^  timeout: 60000 ms" "$WORK/t/out.err"

# ---- a signed tarball, --yes --------------------------------------------------------
wg "$WORK/t/out" plugin install "$TGZ" --keyring "$KR" --yes
expect "signed: exit 0" 0 "$rc"
expect_line "signed: the signer" "^Signed by: Install Test <install@wasmguard\.test>$" "$WORK/t/out"
expect_line "signed: installed" "^Installed plugin: hello \(signed\)$" "$WORK/t/out"
expect "signed: the layout" "hello hello-0.1.0.tgz hello-0.1.0.tgz.prov" "$(ls "$PLUGINS" | tr '\n' ' ' | sed 's/ $//')"
if cmp -s "$TGZ" "$PLUGINS/hello-0.1.0.tgz" && cmp -s "$TGZ.prov" "$PLUGINS/hello-0.1.0.tgz.prov"
then ok "signed: the tarball and .prov kept"; else bad "signed: the kept tarball or .prov differs"; fi
expect "signed: no temp dir left" "" "$(ls -A "$PLUGINS" | grep '^\.')"
expect "signed: the grants record" "yes" "$([ -f "$GRANTS/hello.json" ] && echo yes)"
wg "$WORK/t/out" plugin list
expect_line "signed: list shows signed" "^hello[[:space:]].*[[:space:]]signed[[:space:]]" "$WORK/t/out"
wg "$WORK/t/out" plugin run hello
expect "signed: runs" "0 hello from hello" "$rc $(cat "$WORK/t/out")"
wg "$WORK/t/out" plugin grants hello
expect "grants: exit 0" 0 "$rc"
expect_line "grants: the host" "^  host: 127\.0\.0\.1$" "$WORK/t/out"
expect_line "grants: plugin.yaml's hash" \
    "^plugin\.yaml: sha256:$(sha256sum "$WORK/src/hello/plugin.yaml" | cut -d' ' -f1)$" "$WORK/t/out"
refused "already installed" "plugin hello is already installed.*use update" "$TGZ" --keyring "$KR" --yes

# An edited plugin.yaml cannot widen its access.
cp "$PLUGINS/hello/plugin.yaml" "$WORK/t/yaml"
sed -i 's/^    - "127.0.0.1"$/    - "127.0.0.1"\n    - "evil.example.com"/' "$PLUGINS/hello/plugin.yaml"
wg "$WORK/t/out" plugin run hello
expect "edited plugin.yaml: refused at run (exit 9)" 9 "$rc"
expect_line "edited plugin.yaml: names the new host" \
    "^wasmguard: plugin hello: asks for grants not approved at install: host evil\.example\.com" \
    "$WORK/t/out.err"
sed -i 's/^  timeout: 60000$/  timeout: 90000/' "$WORK/t/yaml"
cp "$WORK/t/yaml" "$PLUGINS/hello/plugin.yaml"
wg "$WORK/t/out" plugin run hello
expect_line "a longer timeout: refused at run" "not approved at install: timeout 90000 ms" "$WORK/t/out.err"
sed -i 's/^  timeout: 90000$/  timeout: 1000/' "$PLUGINS/hello/plugin.yaml"
wg "$WORK/t/out" plugin run hello
expect "asking for less: runs" "0 hello from hello" "$rc $(cat "$WORK/t/out")"

wg "$WORK/t/out" plugin uninstall hello
expect "uninstall: exit 0" 0 "$rc"
expect "uninstall: every trace gone" "" "$(state | grep -v '^data/plugins$\|^config/wasmguard$\|^config/wasmguard/grants$')"
wg "$WORK/t/out" plugin uninstall hello
expect "uninstall again: exit 1" 1 "$rc"
expect_line "uninstall again: says so" "plugin hello is not installed" "$WORK/t/out.err"
wg "$WORK/t/out" plugin grants hello
expect "grants after uninstall: exit 1" 1 "$rc"

# ---- refused -----------------------------------------------------------------------------
mkdir -p "$WORK/bad"
cp "$TGZ" "$TGZ.prov" "$WORK/bad/"
printf 'x' >>"$WORK/bad/hello-0.1.0.tgz"
refused "tampered tarball" "does not verify, not installed: .*sha256 sum does not match" \
    "$WORK/bad/hello-0.1.0.tgz" --keyring "$KR" --yes
mkdir -p "$WORK/noprov"; cp "$TGZ" "$WORK/noprov/"
refused "missing .prov" "no provenance file" "$WORK/noprov/hello-0.1.0.tgz" --keyring "$KR" --yes
refused "unknown signer" "does not verify, not installed: .*not in keyring" "$TGZ" --keyring "$WORK/other.gpg" --yes
refused "OCI source" "OCI sources \(oci://\) are not supported yet" oci://example.com/plugins/hello:0.1.0 --yes
refused "VCS source" "VCS sources .* are not supported yet" git://example.com/hello.git --yes
refused "VCS source over https" "VCS sources .* are not supported yet" https://example.com/hello.git --yes
refused "not a tarball" "not a plugin directory or a plugin tarball" "$WORK/src/hello/plugin.yaml" --yes

mkplugin "$WORK/src/imp" imp
printf '\0asm\1\0\0\0\1\4\1\140\0\0\2\11\1\3env\1f\0\0' >"$WORK/src/imp/plugin.wasm"
"$WG" plugin package "$WORK/src/imp" -d "$WORK/pkg" >/dev/null 2>&1
refused "an import wasmguard does not provide" 'imports function "env" "f", which wasmguard does not provide' \
    "$WORK/pkg/imp-0.1.0.tgz" --verify=false --yes
printf 'not wasm' >"$WORK/src/imp/plugin.wasm"
refused "a plugin.wasm that is not a module" "plugin\.wasm: " "$WORK/src/imp" --yes

# ---- --verify=false, nothing asked -----------------------------------------------------
mkplugin "$WORK/src/plain" plain
"$WG" plugin package "$WORK/src/plain" -d "$WORK/pkg" >/dev/null 2>&1
wg "$WORK/t/out" plugin install "$WORK/pkg/plain-0.1.0.tgz" --verify=false
expect "unsigned, asking for nothing: installed without a question" 0 "$rc"
expect_line "unsigned: says so" "^Installed plugin: plain \(unsigned, not verified\)$" "$WORK/t/out"
wg "$WORK/t/out" plugin list
expect_line "unsigned: list shows unsigned" "^plain[[:space:]].*[[:space:]]unsigned[[:space:]]" "$WORK/t/out"
wg "$WORK/t/out" plugin run plain
expect "unsigned: runs" "0 hello from plain" "$rc $(cat "$WORK/t/out")"
wg "$WORK/t/out" plugin grants plain
expect_line "grants: none" "^approved grants: none$" "$WORK/t/out"
refused "unsigned without --verify=false" "no provenance file" "$WORK/pkg/plain-0.1.0.tgz" --yes

# ---- a directory, linked in place ----------------------------------------------------
mkplugin "$WORK/src/dev" dev '  fileSystem:' '    createTempDir: true'
refused "directory, no terminal" "dev: not installed: no terminal" "$WORK/src/dev"
wg "$WORK/t/out" plugin install "$WORK/src/dev" --yes
expect "directory: exit 0" 0 "$rc"
expect "directory: a symlink to it" "$WORK/src/dev" "$(readlink "$PLUGINS/dev")"
wg "$WORK/t/out" plugin list
expect_line "directory: list shows local dev" "^dev[[:space:]].*[[:space:]]local dev[[:space:]]" "$WORK/t/out"
wg "$WORK/t/out" plugin run dev
expect "directory: runs" "0 hello from dev" "$rc $(cat "$WORK/t/out")"
wg "$WORK/t/out" plugin uninstall dev plain
expect "uninstall two: exit 0" 0 "$rc"
expect "uninstall: the link's target kept" "yes" "$([ -f "$WORK/src/dev/plugin.yaml" ] && echo yes)"
expect "uninstall two: every trace gone" "" "$(state | grep -v '^data/plugins$\|^config/wasmguard$\|^config/wasmguard/grants$')"

# ---- consent on a terminal (util-linux's script gives one) ------------------------
mkplugin "$WORK/src/tty" tty '  allowedHosts:' '    - "charts.example.com"'
if command -v script >/dev/null 2>&1; then
    before=$(state)
    printf 'n\n' | timeout -s KILL 60 script -qec "$WG plugin install $WORK/src/tty" /dev/null >"$WORK/t/tty" 2>&1
    expect_line "terminal: asked" "Install plugin tty with these grants\? \[y/N\]" "$WORK/t/tty"
    expect_line "terminal: declined" "tty: not installed: grants declined" "$WORK/t/tty"
    expect "terminal: declined, nothing installed" "$before" "$(state)"
    printf 'y\n' | timeout -s KILL 60 script -qec "$WG plugin install $WORK/src/tty" /dev/null >"$WORK/t/tty" 2>&1
    expect_line "terminal: accepted" "Installed plugin: tty \(local dev\)" "$WORK/t/tty"
    wg "$WORK/t/out" plugin grants tty
    expect_line "terminal: the grants recorded" "^  host: charts\.example\.com$" "$WORK/t/out"
    wg "$WORK/t/out" plugin uninstall tty
    expect "terminal: uninstalled" 0 "$rc"
else
    echo "$NAME: consent on a terminal not tested: no script(1) (util-linux)"
fi

# ---- URLs --------------------------------------------------------------------------------
rm -f "$WORK/port"
"$HTTPD" "$WORK/port" & HTTPD_PID=$!
for _ in $(seq 1 100); do [ -s "$WORK/port" ] && break; sleep 0.05; done
if [ ! -s "$WORK/port" ]; then
    bad "httpd did not start"
else
    BASE=http://127.0.0.1:$(cat "$WORK/port")/file
    wg "$WORK/t/out" plugin install "$BASE/hello-0.1.0.tgz?path=$TGZ" --keyring "$KR" --yes
    expect "URL: exit 0" 0 "$rc"
    expect_line "URL: signed" "^Installed plugin: hello \(signed\)$" "$WORK/t/out"
    if cmp -s "$TGZ.prov" "$PLUGINS/hello-0.1.0.tgz.prov"; then ok "URL: its .prov fetched and kept"
    else bad "URL: no .prov kept ($(cat "$WORK/t/out.err"))"; fi
    wg "$WORK/t/out" plugin run hello
    expect "URL: runs" "0 hello from hello" "$rc $(cat "$WORK/t/out")"
    wg "$WORK/t/out" plugin uninstall hello
    refused "URL: missing .prov" "no provenance file" \
        "$BASE/hello-0.1.0.tgz?path=$WORK/noprov/hello-0.1.0.tgz" --keyring "$KR" --yes
    refused "URL: 404" "HTTP status 404" "$BASE/hello-0.1.0.tgz?path=$WORK/none.tgz" --keyring "$KR" --yes
    CODE=70 refused "URL: the server stops mid-transfer" "cannot fetch" \
        "$BASE/hello-0.1.0.tgz?cut=100&path=$TGZ" --keyring "$KR" --yes
    refused "URL: not of a tarball" "must end in a tarball's name" "$BASE/hello?path=$TGZ" --yes
fi

# ---- update ----------------------------------------------------------------------------
# What an update must leave alone when refused: the files, the record, plugin.yaml.
snap() { state; cat "$GRANTS/hello.json" "$PLUGINS/hello/plugin.yaml" 2>&1; }
# pkgver VERSION [RUNTIMECONFIG-LINES...]: hello VERSION, packaged and signed into pkg-VERSION/.
pkgver() {
    local v=$1; shift
    rm -rf "$WORK/src/hello-$v"
    mkplugin "$WORK/src/hello-$v" hello "$@"
    sed -i "s/^version: 0.1.0$/version: $v/" "$WORK/src/hello-$v/plugin.yaml"
    mkdir -p "$WORK/pkg-$v"
    "$WG" plugin package "$WORK/src/hello-$v" -d "$WORK/pkg-$v" --sign \
        --key install@wasmguard.test --keyring "$WORK/secring.gpg" >/dev/null 2>"$WORK/t/pkg.err" ||
        bad "package $v: $(cat "$WORK/t/pkg.err")"
}
upd() { wg "$WORK/t/out" plugin update "$@"; }
# a relative SOURCE: recorded as an absolute path, so update finds it from anywhere
WG_ABS=$(cd "$(dirname "$WG")" && pwd)/$(basename "$WG")
(cd "$WORK/pkg" && timeout -s KILL 120 "$WG_ABS" plugin install hello-0.1.0.tgz --keyring "$KR" --yes \
    >"$WORK/t/out" 2>"$WORK/t/out.err" </dev/null)
expect "update: install 0.1.0" 0 $?
expect_line "update: the source recorded absolute" "\"source\": \"$TGZ\"" "$GRANTS/hello.json"
upd hello --keyring "$KR"
expect "update from the recorded source: exit 0" 0 "$rc"
expect_line "update from the recorded source: says so" "^Updated plugin: hello 0\.1\.0 -> 0\.1\.0 \(signed\)$" "$WORK/t/out"
expect "update from the recorded source: the layout" "hello hello-0.1.0.tgz hello-0.1.0.tgz.prov" "$(ls "$PLUGINS" | tr '\n' ' ' | sed 's/ $//')"

pkgver 0.2.0 '  allowedHosts:' '    - "127.0.0.1"' '  timeout: 60000'
upd hello "$WORK/pkg-0.2.0/hello-0.2.0.tgz" --keyring "$KR"
expect "update, no new grants: no question, exit 0" 0 "$rc"
expect "update, no new grants: nothing asked" "" "$(grep 'asks for' "$WORK/t/out" "$WORK/t/out.err")"
expect_line "update, no new grants: updated" "^Updated plugin: hello 0\.1\.0 -> 0\.2\.0 \(signed\)$" "$WORK/t/out"
expect "update: the new tarball and .prov kept, the old gone" "hello hello-0.2.0.tgz hello-0.2.0.tgz.prov" \
    "$(ls "$PLUGINS" | tr '\n' ' ' | sed 's/ $//')"
expect "update: no temp dir left" "" "$(ls -A "$PLUGINS" | grep '^\.')"
expect_line "update: the record's version" '"version": "0\.2\.0"' "$GRANTS/hello.json"
expect_line "update: the record's source" "\"source\": \"$WORK/pkg-0.2.0/hello-0.2.0.tgz\"" "$GRANTS/hello.json"
wg "$WORK/t/out" plugin list
expect_line "update: list shows 0.2.0 signed" "^hello[[:space:]]+0\.2\.0[[:space:]].*[[:space:]]signed[[:space:]]" "$WORK/t/out"
wg "$WORK/t/out" plugin run hello
expect "update: runs" "0 hello from hello" "$rc $(cat "$WORK/t/out")"

pkgver 0.3.0 '  allowedHosts:' '    - "127.0.0.1"' '    - "evil.example.com"' '  timeout: 60000'
before=$(snap)
upd hello "$WORK/pkg-0.3.0/hello-0.3.0.tgz" --keyring "$KR"
expect "update asking for a new host, no --yes: exit 1" 1 "$rc"
expect_line "update asking for a new host: names it" \
    "^wasmguard: plugin update: hello: not updated: asks for grants not approved before: host evil\.example\.com; no terminal" \
    "$WORK/t/out.err"
expect "update asking for a new host: nothing changed" "$before" "$(snap)"
wg "$WORK/t/out" plugin run hello
expect "update refused: the old version still runs" "0 hello from hello" "$rc $(cat "$WORK/t/out")"
upd hello "$WORK/pkg-0.3.0/hello-0.3.0.tgz" --keyring "$KR" --yes
expect "update asking for a new host, --yes: exit 0" 0 "$rc"
expect_line "update --yes: shows the new grant" "asks for grants not approved before: host evil\.example\.com$" "$WORK/t/out"
wg "$WORK/t/out" plugin grants hello
expect_line "update --yes: the new host recorded" "^  host: evil\.example\.com$" "$WORK/t/out"
wg "$WORK/t/out" plugin run hello
expect "update --yes: runs" "0 hello from hello" "$rc $(cat "$WORK/t/out")"

pkgver 0.4.0 '  allowedHosts:' '    - "127.0.0.1"'
printf 'x' >>"$WORK/pkg-0.4.0/hello-0.4.0.tgz"
before=$(snap)
upd hello "$WORK/pkg-0.4.0/hello-0.4.0.tgz" --keyring "$KR" --yes
expect "update to a tampered tarball: exit 1" 1 "$rc"
expect_line "update to a tampered tarball: says so" "^wasmguard: plugin update: .*does not verify.*sha256 sum does not match" "$WORK/t/out.err"
expect "update to a tampered tarball: nothing changed" "$before" "$(snap)"
wg "$WORK/t/out" plugin run hello
expect "update to a tampered tarball: the old version runs" "0 hello from hello" "$rc $(cat "$WORK/t/out")"

mkplugin "$WORK/src/other" other
"$WG" plugin package "$WORK/src/other" -d "$WORK/pkg" >/dev/null 2>&1
upd hello "$WORK/pkg/other-0.1.0.tgz" --verify=false --yes
expect "update to another plugin's tarball: exit 1" 1 "$rc"
expect_line "update to another plugin's tarball: says so" "holds plugin other, not hello" "$WORK/t/out.err"
expect "update to another plugin: nothing changed" "$before" "$(snap)"
upd nothere "$TGZ" --keyring "$KR"
expect "update of a plugin not installed: exit 1" 1 "$rc"
expect_line "update of a plugin not installed: says so" "plugin nothere is not installed" "$WORK/t/out.err"
upd
expect "update without NAME: usage, exit 2" 2 "$rc"
wg "$WORK/t/out" plugin uninstall hello
expect "update: uninstall after" "" "$(state | grep -v '^data/plugins$\|^config/wasmguard$\|^config/wasmguard/grants$')"

expect "no temp dir left anywhere" "" "$(ls -A "$PLUGINS" "$WORK/tmp" 2>/dev/null | grep '^\.')"
echo "$NAME: $pass passed, $fail failed"
[ "$fail" = 0 ]
