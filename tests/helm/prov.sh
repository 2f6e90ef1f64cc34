#!/usr/bin/env bash
# prov.sh - the helm-prov suite: Helm's provenance files (.prov), signed by
# helm_prov_sign (through tests/helm/provsign.c) and by GnuPG, verified by
# `wasmguard plugin verify` and by GnuPG.  Prints a FAIL line for each
# failed check and ends with "NAME: N passed, N failed".
#
# usage: tests/helm/prov.sh [WASMGUARD [NAME [PROVSIGN]]]
#
#   WASMGUARD  the binary (build/wasmguard); NAME the summary's (helm-prov);
#   PROVSIGN   the driver (build/tests/helm/provsign)
#   VERBOSE=1  also prints an "ok" line for each check that passed
#
# Keys are made here with gpg in batch mode, without passphrases, in a
# temporary GNUPGHOME: an RSA key, an Ed25519 key, and a protected key
# for WASMGUARD_PASSPHRASE.  The tarball is a test plugin tarred with
# `tar czf` (entries under hello/).  Refused, each with exit 1, its
# message, and never Helm's success lines: a tampered tarball, a tampered
# .prov (its hash, its metadata), an unknown signer, a missing .prov, a
# .prov whose files: lacks the tarball, a body without "...", text after
# the signature, an unsigned .prov.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
WG=${1:-build/wasmguard}
NAME=${2:-helm-prov}
SIGN=${3:-build/tests/helm/provsign}

if ! command -v gpg >/dev/null 2>&1; then
    echo "$NAME: gpg not found (Debian package gnupg)"; echo "$NAME: 0 passed, 1 failed"; exit 1
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/wasmguard-helm-prov.XXXXXX") || exit 1
export GNUPGHOME=$WORK/gnupg
cleanup() {
    gpgconf --kill gpg-agent >/dev/null 2>&1  # the agent gpg started for this GNUPGHOME
    rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -m 700 "$GNUPGHOME"
G() { gpg --batch --quiet --no-tty "$@"; }

# ---- keys -------------------------------------------------------------------
genkey() {  # FILE: a batch parameter file
    G --gen-key "$1" >/dev/null 2>"$WORK/gen.err" || { cat "$WORK/gen.err"; return 1; }
}
printf '%s\n' '%no-protection' 'Key-Type: RSA' 'Key-Length: 2048' 'Key-Usage: sign' \
    'Name-Real: Prov RSA' 'Name-Email: rsa@prov.test' 'Expire-Date: 0' '%commit' >"$WORK/rsa.batch"
printf '%s\n' '%no-protection' 'Key-Type: EDDSA' 'Key-Curve: ed25519' 'Key-Usage: sign' \
    'Name-Real: Prov Ed25519' 'Name-Email: ed@prov.test' 'Expire-Date: 0' '%commit' >"$WORK/ed.batch"
printf '%s\n' 'Key-Type: EDDSA' 'Key-Curve: ed25519' 'Key-Usage: sign' 'Passphrase: sesame' \
    'Name-Real: Prov Locked' 'Name-Email: locked@prov.test' 'Expire-Date: 0' '%commit' \
    >"$WORK/locked.batch"
genkey "$WORK/rsa.batch" && genkey "$WORK/ed.batch" &&
    G --pinentry-mode loopback --passphrase sesame --gen-key "$WORK/locked.batch" 2>/dev/null
expect "gpg made three keys" 3 "$(G --list-keys --with-colons | grep -c '^pub:')"
fpr() { G --list-keys --with-colons "$1" | awk -F: '/^fpr:/ {print $10; exit}'; }
RSA_FPR=$(fpr rsa@prov.test)
ED_FPR=$(fpr "<ed@prov.test>")   # <...>: not also locked@prov.test
KR=$WORK/pubring.gpg                              # every public key
G --export >"$KR"
G --export rsa@prov.test >"$WORK/rsa-only.gpg"    # a keyring without the Ed25519 key
G --export --armor >"$WORK/pubring.asc"
G --export-secret-keys "<rsa@prov.test>" "<ed@prov.test>" >"$WORK/secring.gpg"
G --pinentry-mode loopback --passphrase sesame --export-secret-keys locked@prov.test \
    >"$WORK/locked-sec.gpg"

# ---- the plugin tarball -------------------------------------------------------
mkdir -p "$WORK/src/hello"
cat >"$WORK/src/hello/plugin.yaml" <<'YAML'
# a test plugin
apiVersion: v1
name: hello
version: 0.1.0
type: cli/v1
runtime: extism/v1
config:
  shortHelp: says hello
YAML
printf '\0asm\1\0\0\0' >"$WORK/src/hello/plugin.wasm"
TGZ=$WORK/hello-0.1.0.tgz
tar czf "$TGZ" -C "$WORK/src" hello
SUM=sha256:$(sha256sum "$TGZ" | cut -d' ' -f1)
YAML_FILE=$WORK/src/hello/plugin.yaml

# wg OUT ARGS...: wasmguard with stdout in OUT, stderr in OUT.err; $rc.
wg() {
    local out=$1; shift
    "$WG" "$@" >"$out" 2>"$out.err" </dev/null
    rc=$?
}
# verified LABEL FPR UID [ARGS...]: `plugin verify TGZ ARGS` succeeds as Helm's.
verified() {
    local label=$1 fp=$2 uid=$3; shift 3
    wg "$WORK/out" plugin verify "$TGZ" "$@"
    expect "$label: exit 0" 0 "$rc"
    expect_line "$label: Signed by" "^Signed by: $uid\$" "$WORK/out"
    expect_line "$label: fingerprint" "^Using Key With Fingerprint: $fp\$" "$WORK/out"
    expect_line "$label: hash" "^Plugin Hash Verified: $SUM\$" "$WORK/out"
}
# refused LABEL ERE [ARGS...]: `plugin verify TGZ ARGS` fails, saying ERE.
refused() {
    local label=$1 ere=$2; shift 2
    wg "$WORK/out" plugin verify "$TGZ" "$@"
    expect "$label: exit 1" 1 "$rc"
    expect_line "$label: message" "^wasmguard: plugin verify: .*$ere" "$WORK/out.err"
    # the last line: Debian's librnp (built without NDEBUG) may log a
    # diagnostic "[function() file:line] ..." before it
    tail -n 1 "$WORK/out.err" >"$WORK/out.last"
    expect_line "$label: last line of stderr" "^wasmguard: plugin verify: " "$WORK/out.last"
    if grep -q 'Verified' "$WORK/out"; then bad "$label: printed a success line"; else ok "$label"; fi
}
sign() {  # KEY [SECRET-KEYRING]: helm_prov_sign
    "$SIGN" sign "$TGZ" "$YAML_FILE" "$1" "${2:-$WORK/secring.gpg}" >"$WORK/sign.out" 2>&1
}
# clearsign KEY BODY-FILE: a .prov made by GnuPG itself.
clearsign() {
    rm -f "$TGZ.prov"
    G --local-user "$1" --digest-algo SHA256 --output "$TGZ.prov" --clearsign "$2"
}

# ---- signed by helm_prov_sign ---------------------------------------------------
sign rsa@prov.test
expect "sign with RSA: exit 0" 0 $?
expect "sign with RSA: prints the .prov" "$TGZ.prov" "$(cat "$WORK/sign.out")"
expect_line "the .prov is clear-signed" '^-----BEGIN PGP SIGNED MESSAGE-----'$'\r''?$' "$TGZ.prov"
expect_line "the .prov has Hash: SHA512 (Helm's)" '^Hash: SHA512'$'\r''?$' "$TGZ.prov"
expect_line "the .prov has the separator" '^\.\.\.$' "$TGZ.prov"
expect_line "the .prov has files:" "^  hello-0\\.1\\.0\\.tgz: $SUM\$" "$TGZ.prov"
expect_line "the .prov has the metadata" '^name: hello$' "$TGZ.prov"
verified "RSA, pubring.gpg" "$RSA_FPR" "Prov RSA <rsa@prov\\.test>" --keyring "$KR"
verified "RSA, keyring=" "$RSA_FPR" "Prov RSA <rsa@prov\\.test>" --keyring="$KR"
verified "RSA, pubring.kbx" "$RSA_FPR" "Prov RSA <rsa@prov\\.test>" --keyring "$GNUPGHOME/pubring.kbx"
verified "RSA, armored keyring" "$RSA_FPR" "Prov RSA <rsa@prov\\.test>" --keyring "$WORK/pubring.asc"
mkdir -p "$WORK/helmgpg" && cp "$KR" "$WORK/helmgpg/pubring.gpg"
GNUPGHOME=$WORK/helmgpg verified "RSA, default keyring \$GNUPGHOME/pubring.gpg" "$RSA_FPR" "Prov RSA <rsa@prov\\.test>"
G --verify "$TGZ.prov" 2>/dev/null
expect "gpg --verify accepts helm_prov_sign's RSA .prov" 0 $?
"$SIGN" verify "$TGZ" "$KR" >"$WORK/v.out" 2>&1
expect "helm_prov_verify: ok, key ID and fingerprint" "ok ${RSA_FPR: -16} $RSA_FPR" "$(cat "$WORK/v.out")"

sign "Prov Ed25519 <ed@prov.test>"   # a whole user ID
expect "sign with Ed25519: exit 0" 0 $?
verified "Ed25519" "$ED_FPR" "Prov Ed25519 <ed@prov\\.test>" --keyring "$KR"
G --verify "$TGZ.prov" 2>/dev/null
expect "gpg --verify accepts helm_prov_sign's Ed25519 .prov" 0 $?
refused "Ed25519-signed, keyring without that key" "not in keyring" --keyring "$WORK/rsa-only.gpg"

sign "$RSA_FPR"                       # by fingerprint
expect "sign by fingerprint: exit 0" 0 $?
verified "signed by fingerprint" "$RSA_FPR" "Prov RSA <rsa@prov\\.test>" --keyring "$KR"

# A protected key: unlocked with $WASMGUARD_PASSPHRASE, refused without.
WASMGUARD_PASSPHRASE=sesame sign locked@prov.test "$WORK/locked-sec.gpg"
expect "sign with a protected key and WASMGUARD_PASSPHRASE: exit 0" 0 $?
verified "protected key" "$(fpr locked@prov.test)" "Prov Locked <locked@prov\\.test>" --keyring "$KR"
rm -f "$TGZ.prov"
env -u WASMGUARD_PASSPHRASE "$SIGN" sign "$TGZ" "$YAML_FILE" locked@prov.test \
    "$WORK/locked-sec.gpg" >"$WORK/sign.out" 2>&1
expect "sign with a protected key, no passphrase: refused" 1 $?
expect_line "sign with a protected key, no passphrase: says so" 'WASMGUARD_PASSPHRASE' "$WORK/sign.out"
[ ! -e "$TGZ.prov" ]; expect "sign refused: no .prov written" 0 $?

sign "Prov"; expect "sign with a vague key name: refused" 1 $?
expect_line "sign with a vague key name: says so" 'more than one key' "$WORK/sign.out"
sign nobody@prov.test; expect "sign with an unknown key: refused" 1 $?
expect_line "sign with an unknown key: says so" 'no secret key matching' "$WORK/sign.out"
sign rsa@prov.test "$KR"; expect "sign with a public keyring: refused" 1 $?
expect_line "sign with a public keyring: says so" 'no secret part' "$WORK/sign.out"

# ---- signed by GnuPG (interop) ------------------------------------------------
body() {  # FILE-NAME SUM [SEPARATOR]: a body as Helm writes it
    sed -n '/^name:/,$p' "$YAML_FILE"
    printf '\n%s\nfiles:\n  %s: %s\n' "${3-...}" "$1" "$2"
}
body hello-0.1.0.tgz "$SUM" >"$WORK/body"
clearsign "<ed@prov.test>" "$WORK/body"
verified "gpg --clearsign, Ed25519" "$ED_FPR" "Prov Ed25519 <ed@prov\\.test>" --keyring "$KR"
clearsign rsa@prov.test "$WORK/body"
verified "gpg --clearsign, RSA" "$RSA_FPR" "Prov RSA <rsa@prov\\.test>" --keyring "$KR"
GOOD_PROV=$WORK/good.prov
cp "$TGZ.prov" "$GOOD_PROV"

body other-0.1.0.tgz "$SUM" >"$WORK/body"
clearsign rsa@prov.test "$WORK/body"
refused "files: lacks the tarball" 'does not contain a SHA for a file named "hello-0\.1\.0\.tgz"' \
    --keyring "$KR"
body hello-0.1.0.tgz "$SUM" "" >"$WORK/body"
clearsign rsa@prov.test "$WORK/body"
refused "no ... separator" 'at least two parts' --keyring "$KR"
printf 'files: [1, 2\n' >"$WORK/body"; printf 'name: x\n...\nfiles: [1, 2\n' >"$WORK/body"
clearsign rsa@prov.test "$WORK/body"
refused "files: not YAML" 'files: part is not a YAML mapping' --keyring "$KR"

# ---- refused ------------------------------------------------------------------
cp "$GOOD_PROV" "$TGZ.prov"
cp "$TGZ" "$WORK/orig.tgz"
printf 'x' >>"$TGZ"
SUM_GOOD=$SUM
refused "tampered tarball" 'sha256 sum does not match for hello-0\.1\.0\.tgz' --keyring "$KR"
cp "$WORK/orig.tgz" "$TGZ"
verified "the original tarball again" "$RSA_FPR" "Prov RSA <rsa@prov\\.test>" --keyring "$KR"

other=sha256:$(printf '%064d' 0)
sed "s/$SUM_GOOD/$other/" "$GOOD_PROV" >"$TGZ.prov"
refused "tampered .prov: the hash" 'does not verify' --keyring "$KR"
sed 's/^version: 0.1.0$/version: 0.1.1/' "$GOOD_PROV" >"$TGZ.prov"
refused "tampered .prov: the metadata" 'does not verify' --keyring "$KR"
sed 's/^  hello-0.1.0.tgz/  Hello-0.1.0.tgz/' "$GOOD_PROV" >"$TGZ.prov"
refused "tampered .prov: the file name" 'does not verify' --keyring "$KR"
{ cat "$GOOD_PROV"; printf 'files:\n  hello-0.1.0.tgz: %s\n' "$other"; } >"$TGZ.prov"
refused "text after the signature" 'text after the signature' --keyring "$KR"
{ printf 'files:\n  hello-0.1.0.tgz: %s\n' "$SUM"; cat "$GOOD_PROV"; } >"$TGZ.prov"
refused "text before the message" 'not an OpenPGP clear-signed message' --keyring "$KR"
body hello-0.1.0.tgz "$SUM" >"$TGZ.prov"
refused "an unsigned .prov" 'not an OpenPGP clear-signed message' --keyring "$KR"
sed '/^-----BEGIN PGP SIGNATURE-----$/,$d' "$GOOD_PROV" >"$TGZ.prov"
refused "a .prov without its signature" 'signature block not found' --keyring "$KR"

cp "$GOOD_PROV" "$TGZ.prov"
G --export "<ed@prov.test>" >"$WORK/ed-only.gpg"
refused "unknown signer (keyring without the key)" "signed by key ${RSA_FPR: -16}, which is not in keyring" \
    --keyring "$WORK/ed-only.gpg"
refused "missing keyring" 'cannot read keyring' --keyring "$WORK/nonexistent.gpg"
printf 'not a keyring' >"$WORK/junk.gpg"
refused "a keyring that is not one" 'keyring' --keyring "$WORK/junk.gpg"
GNUPGHOME=$WORK/nohome refused "default keyring missing" "cannot read keyring $WORK/nohome/pubring\\.gpg"

rm -f "$TGZ.prov"
refused "missing .prov" 'could not find provenance file' --keyring "$KR"
"$SIGN" verify "$TGZ" "$KR" >"$WORK/v.out" 2>&1
expect "helm_prov_verify: missing .prov is HELM_PROV_NO_PROV" 1 "$(sed -E 's/^refused ([0-9]+):.*/\1/' "$WORK/v.out")"

wg "$WORK/out" plugin verify "$WORK/src" --keyring "$KR"
expect "a directory: exit 1" 1 "$rc"
expect_line "a directory: says so" 'directory verification not supported' "$WORK/out.err"
cp "$TGZ" "$WORK/hello.zip"
wg "$WORK/out" plugin verify "$WORK/hello.zip" --keyring "$KR"
expect "not a .tgz: exit 1" 1 "$rc"
wg "$WORK/out" plugin verify
expect "no PATH: usage, exit 2" 2 "$rc"
wg "$WORK/out" plugin verify "$TGZ" --bogus
expect "unknown option: usage, exit 2" 2 "$rc"

summary
