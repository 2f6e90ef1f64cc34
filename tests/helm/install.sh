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
#   it, a tampered tarball and another plugin's refused (nothing changed);
#   a replaced plugin.wasm refused at run (and put right by update);
#   --version refusing another version (tarball, directory, URL, update);
#   update of a plugin linked in place (validated again, consent to new
#   grants, the link kept);
#   kill -9 at every stop point of install, update (another version, the
#   same version, without renameat2) and uninstall ($WASMGUARD_TEST_STOP_AT:
#   the process stops itself there, is seen stopped in /proc and killed),
#   then: nothing half visible, run uses the old version or the new one
#   (or says it is not installed), list settles on one of them whole (the
#   directory, the kept tarball and .prov, the record), and so does the
#   next install or update alone; kills at random moments; every step of
#   install and update failing ($WASMGUARD_TEST_FAIL_AT) undone byte for
#   byte; two installs at once.
# Ends with "NAME: N passed, N failed".
#
# usage: tests/helm/install.sh [WASMGUARD [NAME]]
#   VERBOSE=1: "ok" lines too; SHOW=1: each refusal's message
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
WG=${1:-build/wasmguard}
NAME=${2:-helm-install}
SIGN=build/tests/helm/provsign
HTTPD=build/tests/extism/httpd
CLI_WASM=build/tests/helm/plugins/cli/plugin.wasm

for f in "$WG" "$SIGN" "$HTTPD"; do
    if [ ! -x "$f" ]; then bad "no $f (make check-build)"; fi
done
if [ ! -r "$CLI_WASM" ]; then bad "no $CLI_WASM (make helm-plugins)"; fi
if ! command -v gpg >/dev/null 2>&1; then bad "gpg not found (Debian package gnupg)"; fi
if [ "$fail" != 0 ]; then echo "$NAME: $pass passed, $fail failed"; exit 1; fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/wasmguard-helm-install.XXXXXX") || exit 1
WORK=$(cd "$WORK" && pwd -P)
export GNUPGHOME=$WORK/gnupg
cleanup() {
    stop_httpd
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
wg "$WORK/t/out" plugin run --audit "$WORK/t/audit" hello
expect "edited plugin.yaml: refused at run (exit 9)" 9 "$rc"
expect_line "edited plugin.yaml: names the new host" \
    "^wasmguard: plugin hello: asks for grants not approved at install: host evil\.example\.com" \
    "$WORK/t/out.err"
expect_line "edited plugin.yaml: the refusal is in the audit trail" \
    '"plugin":"hello","kind":"grant","what":"asks for grants not approved at install: host evil\.example\.com.*"allowed":false,"rule":"grants approved at install"' \
    "$WORK/t/audit"
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
if start_httpd; then
    BASE=http://127.0.0.1:$PORT/file
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

# ---- a changed plugin.wasm is refused at run --------------------------------------
wg "$WORK/t/out" plugin install "$TGZ" --keyring "$KR" --yes
expect "hash: installed" 0 "$rc"
cp "$PLUGINS/hello/plugin.wasm" "$WORK/t/wasm"
printf '\0\2\1x' >>"$PLUGINS/hello/plugin.wasm"   # a custom section: another valid module
wg "$WORK/t/out" plugin run hello
expect "another plugin.wasm: refused at run (exit 9)" 9 "$rc"
expect_line "another plugin.wasm: names the plugin, the file, the way out" \
    "^wasmguard: plugin hello: $PLUGINS/hello/plugin\.wasm is not the module approved at install .*wasmguard plugin update hello" \
    "$WORK/t/out.err"
cp "$WORK/t/wasm" "$PLUGINS/hello/plugin.wasm"
wg "$WORK/t/out" plugin run hello
expect "plugin.wasm restored: runs" "0 hello from hello" "$rc $(cat "$WORK/t/out")"
printf '\0\2\1x' >>"$PLUGINS/hello/plugin.wasm"
upd hello --keyring "$KR"
expect "another plugin.wasm: update from the recorded source: exit 0" 0 "$rc"
wg "$WORK/t/out" plugin run hello
expect "another plugin.wasm: update put it right: runs" "0 hello from hello" "$rc $(cat "$WORK/t/out")"
expect "update: the module is the tarball's again" "yes" "$(cmp -s "$PLUGINS/hello/plugin.wasm" "$WORK/t/wasm" && echo yes)"

# ---- --version -------------------------------------------------------------------------
before=$(state)
refused "--version of a tarball: another version" \
    "hello-0\.1\.0\.tgz: holds plugin hello version 0\.1\.0, not 0\.2\.0 \(--version\); not installed" \
    "$TGZ" --keyring "$KR" --yes --version 0.2.0
upd hello "$TGZ" --keyring "$KR" --version 0.2.0
expect "update --version, another version: exit 1" 1 "$rc"
expect_line "update --version: says so" "not 0\.2\.0 \(--version\)" "$WORK/t/out.err"
expect "update --version, another version: nothing changed" "$before" "$(state)"
wg "$WORK/t/out" plugin uninstall hello
wg "$WORK/t/out" plugin install "$TGZ" --keyring "$KR" --yes --version 0.1.0
expect "--version of a tarball: that version installs" 0 "$rc"
wg "$WORK/t/out" plugin uninstall hello
refused "--version of a directory: another version" "holds plugin hello version 0\.1\.0, not 1\.0\.0 \(--version\)" \
    "$WORK/src/hello" --yes --version=1.0.0
wg "$WORK/t/out" plugin install "$WORK/src/hello" --yes --version=0.1.0
expect "--version of a directory: that version installs" 0 "$rc"
wg "$WORK/t/out" plugin uninstall hello
"$HTTPD" "$WORK/port2" & HTTPD2_PID=$!
for _ in $(seq 1 100); do [ -s "$WORK/port2" ] && break; sleep 0.05; done
refused "--version of an URL: another version" "not 0\.3\.0 \(--version\)" \
    "http://127.0.0.1:$(cat "$WORK/port2")/file/hello-0.1.0.tgz?path=$TGZ" --keyring "$KR" --yes --version 0.3.0
kill "$HTTPD2_PID" 2>/dev/null; wait "$HTTPD2_PID" 2>/dev/null

# ---- update of a plugin linked in place ---------------------------------------------
mkplugin "$WORK/src/dev" dev '  fileSystem:' '    createTempDir: true'
wg "$WORK/t/out" plugin install "$WORK/src/dev" --yes
expect "dev: installed" 0 "$rc"
printf '\0\2\1x' >>"$WORK/src/dev/plugin.wasm"      # rebuilt
wg "$WORK/t/out" plugin run dev
expect "dev, rebuilt: refused at run until updated" 9 "$rc"
upd dev
expect "dev update, no new grants: exit 0, nothing asked" "0" "$rc$(cat "$WORK/t/out.err")"
expect_line "dev update: says so" "^Updated plugin: dev 0\.1\.0 -> 0\.1\.0 \(local dev, validated again in place\)$" "$WORK/t/out"
expect "dev update: the link kept" "$WORK/src/dev" "$(readlink "$PLUGINS/dev")"
wg "$WORK/t/out" plugin run dev
expect "dev update: the rebuilt module runs" "0 hello from dev" "$rc $(cat "$WORK/t/out")"
sed -i 's/^version: 0.1.0$/version: 0.2.0/' "$WORK/src/dev/plugin.yaml"
printf '  allowedHosts:\n    - "charts.example.com"\n' >>"$WORK/src/dev/plugin.yaml"
wg "$WORK/t/out" plugin run dev
expect "dev, a new host: refused at run" 9 "$rc"
before=$(state; cat "$GRANTS/dev.json")
upd dev
expect "dev update, a new host, no --yes: exit 1" 1 "$rc"
expect_line "dev update, a new host: names it" \
    "^wasmguard: plugin update: dev: not updated: asks for grants not approved before: host charts\.example\.com; no terminal" "$WORK/t/out.err"
expect "dev update refused: nothing changed" "$before" "$(state; cat "$GRANTS/dev.json")"
if command -v script >/dev/null 2>&1; then
    printf 'n\n' | timeout -s KILL 60 script -qec "$WG plugin update dev" /dev/null >"$WORK/t/tty" 2>&1
    expect_line "dev update on a terminal: asked" "Update plugin dev with these grants\? \[y/N\]" "$WORK/t/tty"
    expect_line "dev update on a terminal: declined" "dev: not updated: grants declined" "$WORK/t/tty"
    expect "dev update declined: nothing changed" "$before" "$(state; cat "$GRANTS/dev.json")"
fi
upd dev --version 0.3.0 --yes
expect "dev update --version, another version: exit 1" 1 "$rc"
upd dev "$WORK/src/plain"
expect "dev update from another directory: exit 1" 1 "$rc"
expect_line "dev update from another directory: says so" "plugin dev is linked in place \(local dev, $WORK/src/dev\): .*uninstall it first" "$WORK/t/out.err"
upd dev "$WORK/src/dev/" --yes
expect "dev update --yes from its own directory: exit 0" 0 "$rc"
expect_line "dev update --yes: 0.1.0 -> 0.2.0" "^Updated plugin: dev 0\.1\.0 -> 0\.2\.0 " "$WORK/t/out"
wg "$WORK/t/out" plugin grants dev
expect_line "dev update --yes: the host recorded" "^  host: charts\.example\.com$" "$WORK/t/out"
expect "dev update --yes: the link kept" "$WORK/src/dev" "$(readlink "$PLUGINS/dev")"
wg "$WORK/t/out" plugin run dev
expect "dev update --yes: runs" "0 hello from dev" "$rc $(cat "$WORK/t/out")"
wg "$WORK/t/out" plugin uninstall dev
expect "dev: uninstalled, the directory kept" "0 yes" "$rc $([ -f "$WORK/src/dev/plugin.yaml" ] && echo yes)"

# ---- kill -9 at every step ------------------------------------------------------------
# What can be installed: hello 0.1.0 ($TGZ), 0.2.0, and 0.1.0 again with a
# lower timeout (another tarball of the same version).
pkgver 0.2.0 '  allowedHosts:' '    - "127.0.0.1"' '  timeout: 60000'
rm -rf "$WORK/src/hello-same" "$WORK/pkg-same"
mkplugin "$WORK/src/hello-same" hello '  allowedHosts:' '    - "127.0.0.1"' '  timeout: 50000'
mkdir -p "$WORK/pkg-same"
"$WG" plugin package "$WORK/src/hello-same" -d "$WORK/pkg-same" --sign \
    --key install@wasmguard.test --keyring "$WORK/secring.gpg" >/dev/null 2>&1 || bad "package hello-same"
src_of() { case $1 in v1) echo "$WORK/src/hello";; v2) echo "$WORK/src/hello-0.2.0";; v1s) echo "$WORK/src/hello-same";; esac; }
tgz_of() { case $1 in v1) echo "$TGZ";; v2) echo "$WORK/pkg-0.2.0/hello-0.2.0.tgz";; v1s) echo "$WORK/pkg-same/hello-0.1.0.tgz";; esac; }
ver_of() { case $1 in v2) echo 0.2.0;; *) echo 0.1.0;; esac; }

# Which of them is in PLUGINS/hello: v1, v2, v1s, none, or half.
in_place() {
    if [ ! -e "$PLUGINS/hello" ]; then echo none; return; fi
    local s
    for s in v1 v2 v1s; do
        if diff -r -q "$PLUGINS/hello" "$(src_of $s)" >/dev/null 2>&1; then echo "$s"; return; fi
    done
    echo half
}
# Helm's view and ours: no directory but PLUGINS/hello holds a plugin.yaml.
visible() { (cd "$PLUGINS" && find . -mindepth 2 -maxdepth 2 -name plugin.yaml | sort | tr '\n' ' '); }
# `plugin run hello` right after a kill: which version ran, or none when
# it says hello is not installed.
ran() {
    wg "$WORK/t/run" plugin run hello
    if [ "$rc" = 0 ] && [ "$(cat "$WORK/t/run")" = "hello from hello" ]; then in_place
    elif [ "$rc" = 2 ] && grep -q "no plugin named 'hello' is installed" "$WORK/t/run.err"; then echo none
    else echo "broken (exit $rc: $(head -c 300 "$WORK/t/run.err"))"; fi
}
# whole LABEL STATE: STATE is installed whole (none: nothing of hello is):
# the directory, the kept tarball and .prov, the record settled, nothing else.
whole() {
    local label=$1 s=$2
    if [ "$s" = none ]; then
        expect "$label: nothing of it left" "" "$(ls -A "$PLUGINS"; ls "$GRANTS" 2>/dev/null)"
        return
    fi
    local v t; v=$(ver_of "$s"); t=$(tgz_of "$s")
    expect "$label: $s whole" "hello hello-$v.tgz hello-$v.tgz.prov|$s|yes|hello.json|0|yes" \
        "$(ls -A "$PLUGINS" | tr '\n' ' ' | sed 's/ $//')|$(in_place)|$(cmp -s "$t" "$PLUGINS/hello-$v.tgz" &&
            cmp -s "$t.prov" "$PLUGINS/hello-$v.tgz.prov" && echo yes)|$(ls "$GRANTS")|$(grep -c '"previous"\|"pending"' "$GRANTS/hello.json")|$(
            grep -q "\"pluginYaml\": \"sha256:$(sha256sum "$PLUGINS/hello/plugin.yaml" | cut -d' ' -f1)\"" "$GRANTS/hello.json" &&
            grep -q "\"version\": \"$v\"" "$GRANTS/hello.json" && echo yes)"
}
# stopped PID: true once PID is stopped (state T), false if it ends first or after 30 s.
stopped() {
    local s
    for _ in $(seq 1 3000); do
        s=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
        case $s in T) return 0;; ''|Z|X) return 1;; esac
        sleep 0.01
    done
    return 1
}
# killed LABEL POINT ARGS...: runs wasmguard ARGS until it stops at POINT, then kill -9.
killed() {
    local label=$1 point=$2; shift 2
    WASMGUARD_TEST_STOP_AT=$point "$WG" "$@" >"$WORK/t/k.out" 2>"$WORK/t/k.err" </dev/null &
    local pid=$!
    if stopped "$pid"; then ok "$label: stopped at $point"
    else bad "$label: never stopped at $point ($(cat "$WORK/t/k.err"))"; fi
    kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
}
# after_kill LABEL RUN-STATE AFTER-STATE MODE NEXT...: the invariants after a
# kill: nothing half visible; run uses RUN-STATE; then (MODE list) list
# settles on AFTER-STATE whole, or (MODE next) the command NEXT does; NEXT
# must succeed.
after_kill() {
    local label=$1 run_state=$2 after=$3 mode=$4; shift 4
    local v=""; [ -e "$PLUGINS/hello" ] && v="./hello/plugin.yaml "
    expect "$label: nothing half visible" "$v" "$(visible)"
    expect "$label: run right after" "$run_state" "$(ran)"
    if [ "$mode" = list ]; then
        wg "$WORK/t/out" plugin list
        if [ "$after" = none ]; then expect "$label: list shows no hello" "0 " "$rc $(grep '^hello' "$WORK/t/out")$(cat "$WORK/t/out.err")"
        else expect_line "$label: list shows $after" "^hello[[:space:]]+$(ver_of "$after")[[:space:]].*[[:space:]]signed[[:space:]]" "$WORK/t/out"
             expect "$label: list says nothing more" "" "$(cat "$WORK/t/out.err")"; fi
        whole "$label: after list" "$after"
    fi
    wg "$WORK/t/out" "$@"
    expect "$label: then $1 $2 succeeds" 0 "$rc"
    [ "$rc" = 0 ] || cat "$WORK/t/out.err"
}
reset_v1() {
    wg "$WORK/t/out" plugin uninstall hello
    wg "$WORK/t/out" plugin install "$TGZ" --keyring "$KR" --yes
    whole "reset" v1 >/dev/null
}
rm -rf "$PLUGINS"/hello* "$GRANTS"/hello.json

# POINT:RUN-STATE:AFTER-STATE; every point is settled by list, those
# marked + also by the next command alone.
# install:
for mode in list next; do
    for pr in fetched:none:none verified:none:none staged:none:none +journal-written:none:none \
              +grants-saved:none:none kept-tarball:none:none +kept-prov:none:none +renamed:v1:v1 \
              journal-removed:v1:v1; do
        case $pr in +*) pr=${pr#+};; *) [ "$mode" = list ] || continue;; esac
        IFS=: read -r point run_state after <<<"$pr"
        L="kill during install at $point ($mode)"
        killed "$L" "$point" plugin install "$TGZ" --keyring "$KR" --yes
        if [ "$after" = none ]; then after_kill "$L" "$run_state" "$after" $mode plugin install "$TGZ" --keyring "$KR" --yes
        else after_kill "$L" "$run_state" "$after" $mode plugin update hello "$TGZ" --keyring "$KR" --yes; fi
        whole "$L: then" v1
        wg "$WORK/t/out" plugin uninstall hello
        whole "$L: uninstalled" none
    done
done

# update to another version, to another tarball of the same version, and
# without renameat2's exchange:
reset_v1
for mode in list next; do
    for case in \
        "v2 fetched:v1:v1 verified:v1:v1 staged:v1:v1 journal-written:v1:v1 +grants-pending:v1:v1 kept-tarball:v1:v1 +kept-prov:v1:v1 +exchanged:v2:v2 +grants-saved:v2:v2 old-kept-removed:v2:v2 journal-removed:v2:v2" \
        "v1s journal-written:v1:v1 +old-kept-linked:v1:v1 grants-pending:v1:v1 +exchanged:v1s:v1s +kept-tarball:v1s:v1s kept-prov:v1s:v1s grants-saved:v1s:v1s journal-removed:v1s:v1s" \
        "v2-norenameat2 grants-pending:v1:v1 kept-prov:v1:v1 +old-moved-aside:none:v1 +exchanged:v2:v2 grants-saved:v2:v2"; do
        set -- $case
        to=${1%-norenameat2}; nora=; [ "$1" != "$to" ] && nora=1; shift
        for pr in "$@"; do
            case $pr in +*) pr=${pr#+};; *) [ "$mode" = list ] || continue;; esac
            IFS=: read -r point run_state after <<<"$pr"
            L="kill during update to $to${nora:+ without renameat2} at $point ($mode)"
            WASMGUARD_TEST_NO_RENAMEAT2=$nora killed "$L" "$point" plugin update hello "$(tgz_of "$to")" --keyring "$KR" --yes
            after_kill "$L" "$run_state" "$after" $mode plugin update hello "$(tgz_of "$to")" --keyring "$KR" --yes
            whole "$L: then" "$to"
            wg "$WORK/t/out" plugin update hello "$TGZ" --keyring "$KR" --yes
            whole "$L: back to v1" v1
        done
    done
done

# A record left pending shows both approvals until it is settled.
killed "kill at grants-pending, then grants" grants-pending plugin update hello "$(tgz_of v2)" --keyring "$KR" --yes
wg "$WORK/t/out" plugin grants hello
expect_line "grants of a pending update: says so" \
    "^pending: an interrupted update from version 0\.1\.0 \(\.install-.*\), approved too until" "$WORK/t/out"
wg "$WORK/t/out" plugin list
wg "$WORK/t/out" plugin grants hello
expect "grants once list settled it: not pending" "0 0" "$rc $(grep -c '^pending' "$WORK/t/out")"
whole "grants once list settled it" v1

# A few kills at random moments: the same invariants, whatever the moment.
for i in 1 2 3 4 5 6; do
    wg "$WORK/t/out" plugin uninstall hello
    "$WG" plugin install "$TGZ" --keyring "$KR" --yes >/dev/null 2>&1 </dev/null & pid=$!
    sleep "0.0$((RANDOM % 10))"; kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    L="install killed at random ($i)"
    r=$(ran)
    case $r in none|v1) ok "$L: run right after: $r";; *) bad "$L: run right after: $r";; esac
    expect "$L: nothing half visible" "$([ "$r" = v1 ] && echo "./hello/plugin.yaml ")" "$(visible)"
    wg "$WORK/t/out" plugin list
    whole "$L: after list" "$r"
    if [ "$r" = v1 ]; then ok "$L: installed, nothing to do"
    else wg "$WORK/t/out" plugin install "$TGZ" --keyring "$KR" --yes; expect "$L: then install succeeds" 0 "$rc"; fi
    whole "$L: then" v1
    to=v2; [ $((i % 2)) = 0 ] && to=v1s
    "$WG" plugin update hello "$(tgz_of $to)" --keyring "$KR" --yes >/dev/null 2>&1 </dev/null & pid=$!
    sleep "0.0$((RANDOM % 10))"; kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    L="update to $to killed at random ($i)"
    r=$(ran)
    case $r in v1|"$to") ok "$L: run right after: $r";; *) bad "$L: run right after: $r";; esac
    if [ "$((i % 3))" = 0 ]; then
        wg "$WORK/t/out" plugin list
        whole "$L: after list" "$r"
    fi
    wg "$WORK/t/out" plugin update hello "$(tgz_of $to)" --keyring "$KR" --yes
    expect "$L: then update succeeds" 0 "$rc"
    whole "$L: then" "$to"
done

# ---- a step of install or update fails: every step undone ---------------------------
wg "$WORK/t/out" plugin uninstall hello
for point in journal-written grants-saved kept-tarball kept-prov; do
    WASMGUARD_TEST_FAIL_AT=$point CODE=70 refused "install failing after $point" \
        "failed on purpose after $point" "$TGZ" --keyring "$KR" --yes
    expect "install failing after $point: no temp dir left" "" "$(ls -A "$PLUGINS")"
done
reset_v1
for case in "v2 journal-written grants-pending kept-tarball kept-prov exchanged" \
            "v1s journal-written old-kept-linked grants-pending exchanged kept-tarball kept-prov" \
            "v2-norenameat2 grants-pending old-moved-aside exchanged" \
            "v1s-norenameat2 old-kept-linked exchanged kept-prov"; do
    set -- $case
    to=${1%-norenameat2}; nora=; [ "$1" != "$to" ] && nora=1; shift
    for point in "$@"; do
        L="update to $to${nora:+ without renameat2} failing after $point"
        before=$(snap; sha256sum "$PLUGINS"/hello-*)
        WASMGUARD_TEST_NO_RENAMEAT2=$nora WASMGUARD_TEST_FAIL_AT=$point upd hello "$(tgz_of "$to")" --keyring "$KR" --yes
        expect "$L: exit 70" 70 "$rc"
        expect_line "$L: says so" "^wasmguard: plugin update: hello: not updated: failed on purpose after $point" "$WORK/t/out.err"
        expect "$L: nothing changed" "$before" "$(snap; sha256sum "$PLUGINS"/hello-*)"
        expect "$L: the old version runs" v1 "$(ran)"
    done
done
# and without renameat2, an update and an install go through
WASMGUARD_TEST_NO_RENAMEAT2=1 upd hello "$(tgz_of v2)" --keyring "$KR" --yes
expect "update without renameat2: exit 0" 0 "$rc"
whole "update without renameat2" v2
wg "$WORK/t/out" plugin uninstall hello
WASMGUARD_TEST_NO_RENAMEAT2=1 wg "$WORK/t/out" plugin install "$TGZ" --keyring "$KR" --yes
expect "install without renameat2: exit 0" 0 "$rc"
whole "install without renameat2" v1
wg "$WORK/t/out" plugin uninstall hello

# Two installs at once: the one stopped while staged keeps its temporary
# directory (neither the other install nor list takes it for a stale one)
# and, continued, finds the plugin installed by the other and refuses.
wg "$WORK/t/out" plugin uninstall hello
WASMGUARD_TEST_STOP_AT=staged "$WG" plugin install "$TGZ" --keyring "$KR" --yes >"$WORK/t/k.out" 2>"$WORK/t/k.err" </dev/null &
pid=$!
if stopped "$pid"; then ok "two installs: the first stopped while staged"; else bad "two installs: the first never stopped"; fi
wg "$WORK/t/out" plugin install "$TGZ" --keyring "$KR" --yes
expect "two installs: the second installs meanwhile" 0 "$rc"
wg "$WORK/t/out" plugin list
expect "two installs: the first's temporary directory kept" 1 "$(ls -A "$PLUGINS" | grep -c '^\.install-')"
kill -CONT "$pid"; wait "$pid"
expect "two installs: the first, continued, refuses" 1 "$?"
expect_line "two installs: already installed" "plugin hello is already installed" "$WORK/t/k.err"
whole "two installs: the second's install" v1

# kills during uninstall and a dev install
for point in journal-written moved-out; do
    reset_v1
    killed "kill during uninstall at $point" "$point" plugin uninstall hello
    want=none; [ "$point" = journal-written ] && want=v1
    expect "kill during uninstall at $point: run right after" "$want" "$(ran)"
    wg "$WORK/t/out" plugin list
    whole "kill during uninstall at $point: after list" "$want"
    wg "$WORK/t/out" plugin uninstall hello
done
mkplugin "$WORK/src/dev2" dev2
for pr in grants-saved:none linked:dev; do
    IFS=: read -r point want <<<"$pr"
    killed "kill during a dev install at $point" "$point" plugin install "$WORK/src/dev2" --yes
    wg "$WORK/t/out" plugin list
    expect "kill during a dev install at $point: then" "$want" \
        "$(if [ -L "$PLUGINS/dev2" ] && [ -f "$GRANTS/dev2.json" ]; then echo dev; elif [ ! -e "$PLUGINS/dev2" ] && [ ! -e "$GRANTS/dev2.json" ]; then echo none; else echo half; fi)"
    wg "$WORK/t/out" plugin uninstall dev2
done

# what a process killed while writing a grants record leaves: swept by list
mkdir -p "$GRANTS" && echo '{"half' >"$GRANTS/.hello.json.Xy12Zw"
wg "$WORK/t/out" plugin list
expect "a half-written grants record's temp file: removed by list" "" \
    "$(ls -A "$GRANTS" | grep '^\.')"

expect "no temp dir left anywhere" "" "$(ls -A "$PLUGINS" "$WORK/tmp" 2>/dev/null | grep '^\.')"
summary
