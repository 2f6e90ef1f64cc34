#!/usr/bin/env bash
# run.sh - the helm suite: extism/v1 Helm plugins of each type run by
# `wasmguard plugin run`, `get` and `post-render` from the HELM_PLUGINS
# layout that tests/helm/helm.mk builds (make helm-plugins), with HTTP
# against tests/extism/httpd on 127.0.0.1.  Prints a FAIL line for each
# failed check and ends with "NAME: N passed, N failed".
#
# usage: tests/helm/run.sh [WASMGUARD [NAME]]
#   VERBOSE=1  also prints an "ok" line for each check that passed
#
# Everything runs in a private temp directory, removed at the end; the
# sandboxes' temp dirs are made under $WORK/tmp (TMPDIR) so the suite can
# show they are gone.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
WG=${1:-build/wasmguard}
NAME=${2:-helm}
P=$PWD/build/tests/helm/plugins
HTTPD=build/tests/extism/httpd

expect_no_match() { if [[ "$3" =~ $2 ]]; then bad "$1: '$3' matches /$2/"; else ok "$1"; fi; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/wasmguard-helm-suite.XXXXXX") || exit 1
WORK=$(cd "$WORK" && pwd -P)
cleanup() {
    stop_httpd
    rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$WORK/tmp"

# The plugins, and an environment with secrets the plugins must not see.
export HELM_PLUGINS=$P
export TMPDIR=$WORK/tmp
export SECRET_TOKEN=hunter2 HELM_KUBETOKEN=kube-secret
unset HELM_NAMESPACE HELM_DEBUG

# wg OUT ARGS...: stdout in OUT, stderr in OUT.err, stdin /dev/null; $rc.
wg() {
    local out=$1; shift
    timeout -s KILL 120 "$WG" "$@" >"$out" 2>"$out.err" </dev/null
    rc=$?
}
# wgin IN OUT ARGS...: the same with stdin from IN.
wgin() {
    local in=$1 out=$2; shift 2
    timeout -s KILL 120 "$WG" "$@" >"$out" 2>"$out.err" <"$in"
    rc=$?
}
err_of() { cat "$1.err"; }
expect_one_line() {  # name, out, regex
    expect "$1: one line on stderr" 1 "$(wc -l <"$2.err")"
    expect_match "$1: the message" "^wasmguard: $3" "$(head -n 1 "$2.err")"
}
tmp_empty() { expect "$1: the temp dir is gone" "" "$(ls -A "$WORK/tmp")"; }

if [ ! -x "$WG" ] || [ ! -r "$P/cli/plugin.wasm" ]; then
    bad "no $WG or no $P (make build/wasmguard helm-plugins)"
    echo "$NAME: $pass passed, $fail failed"; exit 1
fi

# ---- cli/v1 --------------------------------------------------------------------
test_cli() {
    local o=$WORK/cli
    wg "$o" plugin run cli
    expect "cli: runs" "0 hello from cli" "$rc $(cat "$o")"
    wg "$o" plugin run cli echo 'a "quoted" arg' $'tab\there' 'ünïcødé ☃ 𝄞' '' --flag 'back\slash'
    expect "cli: exit" 0 "$rc"
    expect "cli: extraArgs round trip, then the output message's data" \
        "$(printf '<a "quoted" arg>\n<tab\there>\n<ünïcødé ☃ 𝄞>\n<>\n<--flag>\n<back\\slash>\nechoed 6')" \
        "$(cat "$o")"
    printf 'from stdin\n' >"$WORK/in"
    wgin "$WORK/in" "$o" plugin run cli stdin
    expect "cli: stdin is the user's" "from stdin" "$(cat "$o")"
    wg "$o" plugin run cli config greeting
    expect "cli: config from runtimeConfig" "hello, config" "$(cat "$o")"
    wg "$o" plugin run cli config nothing
    expect "cli: an unset config key" "(unset)" "$(cat "$o")"
    wg "$o" plugin run --fuel 1000000000 --timeout 10000 cli
    expect "cli: options before NAME" 0 "$rc"
    wg "$o" plugin run cli --timeout 5
    expect "cli: options after NAME are the plugin's" 1 "$rc"
}

test_env() {
    local o=$WORK/env
    wg "$o" plugin run cli env
    expect "env: exit" 0 "$rc"
    expect_line "env: HELM_PLUGIN_NAME" '^HELM_PLUGIN_NAME=cli$' "$o"
    expect_line "env: HELM_PLUGIN_DIR" "^HELM_PLUGIN_DIR=$P/cli\$" "$o"
    expect_line "env: HELM_NAMESPACE default" '^HELM_NAMESPACE=default$' "$o"
    expect_line "env: HELM_DEBUG default" '^HELM_DEBUG=false$' "$o"
    expect_line "env: HELM_PLUGINS" "^HELM_PLUGINS=$P\$" "$o"
    expect_line "env: HELM_REPOSITORY_CONFIG" '^HELM_REPOSITORY_CONFIG=.*/repositories.yaml$' "$o"
    expect_line "env: HELM_KUBECONTEXT" '^HELM_KUBECONTEXT=$' "$o"
    expect "env: no host secret" "" "$(grep -E 'hunter2|SECRET_TOKEN' "$o")"
    expect "env: no HELM_KUBETOKEN" "" "$(grep -E 'kube-secret|HELM_KUBETOKEN' "$o")"
    expect "env: no PATH, HOME" "" "$(grep -E '^(PATH|HOME|USER)=' "$o")"
    expect "env: only HELM_ variables (and KUBECONFIG)" "" "$(grep -vE '^(HELM_|KUBECONFIG=)' "$o")"
    HELM_NAMESPACE=ns1 HELM_KUBECONTEXT=ctx1 HELM_DEBUG=true wg "$o" plugin run cli env
    expect_line "env: HELM_NAMESPACE from the host" '^HELM_NAMESPACE=ns1$' "$o"
    expect_line "env: HELM_KUBECONTEXT from the host" '^HELM_KUBECONTEXT=ctx1$' "$o"
    expect_line "env: HELM_DEBUG from the host" '^HELM_DEBUG=true$' "$o"
}

test_logs() {
    local o=$WORK/logs
    wg "$o" plugin run cli log
    expect "logs: exit" 0 "$rc"
    expect "logs: warn and up by default, prefixed with the name" \
        "$(printf 'cli: [warn] a warning\ncli: [error] an error')" "$(err_of "$o")"
    wg "$o" plugin run --log-level debug cli log
    expect_line "logs: --log-level debug" '^cli: \[debug\] a debug message$' "$o.err"
    wg "$o" plugin run --log-level off cli log
    expect "logs: --log-level off" "" "$(err_of "$o")"
    wg "$o" plugin run --log-level loud cli log
    expect "logs: a bad level: exit" 2 "$rc"
}

# ---- errors ----------------------------------------------------------------------
test_errors() {
    local o=$WORK/err t0 t1
    wg "$o" plugin run cli fail 'the plugin says no'
    expect "own message: exit" 1 "$rc"
    expect_one_line "own message" "$o" 'plugin cli: the plugin says no$'
    wg "$o" plugin run cli exit 3
    expect "non-zero return: exit" 3 "$rc"
    expect_one_line "non-zero return" "$o" 'plugin cli: plugin exited with code 3$'
    wg "$o" plugin run cli proc-exit 4
    expect "proc_exit 4: exit" 3 "$rc"
    expect_one_line "proc_exit 4" "$o" 'plugin cli: plugin exited with code 4$'
    wg "$o" plugin run cli trap
    expect "trap: exit" 4 "$rc"
    expect_one_line "trap" "$o" 'plugin cli: trap: '
    t0=$(date +%s%N)
    wg "$o" plugin run cli-limits loop
    t1=$(date +%s%N)
    expect "runtimeConfig timeout: exit" 5 "$rc"
    expect_one_line "runtimeConfig timeout" "$o" 'plugin cli-limits: timeout after 500 ms$'
    if [ $(((t1 - t0) / 1000000)) -lt 5000 ]; then ok "timeout: stopped in time"; else
        bad "timeout: took $(((t1 - t0) / 1000000)) ms"; fi
    wg "$o" plugin run --timeout 200 cli loop
    expect "--timeout: exit" 5 "$rc"
    expect_one_line "--timeout" "$o" 'plugin cli: timeout after 200 ms$'
    # cli/v1 has the user's stdin: a plugin waiting on a silent pipe still
    # ends at its timeout.
    mkfifo "$WORK/silent"
    exec 3<>"$WORK/silent"
    t0=$(date +%s%N)
    timeout -s KILL 60 "$WG" plugin run --timeout 300 cli stdin <"$WORK/silent" >"$o" 2>"$o.err"
    rc=$?
    t1=$(date +%s%N)
    exec 3>&-
    expect "timeout while reading stdin: exit" 5 "$rc"
    expect_one_line "timeout while reading stdin" "$o" 'plugin cli: timeout after 300 ms$'
    if [ $(((t1 - t0) / 1000000)) -lt 5000 ]; then ok "timeout while reading stdin: stopped in time"; else
        bad "timeout while reading stdin: took $(((t1 - t0) / 1000000)) ms"; fi
    wg "$o" plugin run cli-limits grow
    expect "runtimeConfig maxPages: exit" 6 "$rc"
    expect_one_line "runtimeConfig maxPages" "$o" 'plugin cli-limits: memory cap of 64 pages \(4 MiB\) reached'
    expect_match "maxPages: the memory it got" '^pages (5[0-9]|6[0-4]) ' "$(cat "$o")"
    wg "$o" plugin run cli badout
    expect "output not JSON: exit" 7 "$rc"
    expect_one_line "output not JSON" "$o" 'plugin cli: output is not a cli/v1 output message'
    wg "$o" plugin run cli baddata
    expect "data not a string: exit" 7 "$rc"
    expect_one_line "data not a string" "$o" 'plugin cli: output is not a cli/v1 output message: "data" is not a string'
    wg "$o" plugin run cli-hostfn
    expect "unknown host function: exit" 8 "$rc"
    expect_one_line "unknown host function" "$o" 'plugin cli-hostfn: hostFunctions: no host function named "kube_get"'
    wg "$o" plugin run cli-entry
    expect "no entry function: exit" 8 "$rc"
    expect_one_line "no entry function" "$o" 'plugin cli-entry: no entry function "no_such_entry"'
    wg "$o" plugin run subproc
    expect "subprocess plugin: exit" 9 "$rc"
    expect_one_line "subprocess plugin" "$o" 'plugin subproc: runtime subprocess: wasmguard sandboxes only extism/v1 plugins'
    wg "$o" plugin run no-such-plugin
    expect "no such plugin: exit" 2 "$rc"
    wg "$o" plugin run getter
    expect "a getter with plugin run: exit" 2 "$rc"
    wg "$o" plugin run
    expect "plugin run without NAME: exit" 2 "$rc"
    wg "$o" plugin run cli echo "$(printf 'bad \xff')"
    expect "an argument not UTF-8: exit" 2 "$rc"
    # A broken plugin.wasm, in a plugin directory of its own.
    mkdir -p "$WORK/p1/brokenwasm"
    sed 's/^name: cli$/name: brokenwasm/' "$P/cli/plugin.yaml" >"$WORK/p1/brokenwasm/plugin.yaml"
    printf 'not wasm' >"$WORK/p1/brokenwasm/plugin.wasm"
    HELM_PLUGINS=$WORK/p1 wg "$o" plugin run brokenwasm
    expect "a corrupt plugin.wasm: exit" 8 "$rc"
    expect_match "a corrupt plugin.wasm: named" 'plugin brokenwasm: .*plugin.wasm' "$(err_of "$o")"
}

# ---- limits and defaults -------------------------------------------------------------
test_limits() {
    local o=$WORK/lim a=$WORK/lim.audit
    wg "$o" plugin run --audit "$a" cli grow
    expect "default memory cap: exit" 6 "$rc"
    expect_one_line "default memory cap" "$o" 'plugin cli: memory cap of 1024 pages \(64 MiB\) reached'
    expect_match "default memory cap: the memory it got" '^pages (9[0-9][0-9]|10[0-2][0-9]) ' "$(cat "$o")"
    expect_line "audit: default maxPages" '"kind":"grant","what":"memory.maxPages: 1024","allowed":true,"rule":"wasmguard default"' "$a"
    expect_line "audit: default HTTP cap" '"what":"memory.maxHttpResponseBytes: 52428800".*"wasmguard default"' "$a"
    expect_line "audit: default var cap" '"what":"memory.maxVarBytes: 1048576".*"wasmguard default"' "$a"
    expect_line "audit: default timeout" '"what":"timeout: 30000".*"wasmguard default"' "$a"
    expect_line "audit: the memory limit hit" '"kind":"limit","what":"call helm_plugin_main: memory","allowed":false' "$a"
    wg "$o" plugin run --memory-max 128 cli grow
    expect_match "--memory-max lowers: pages" '^pages (1[01][0-9]|12[0-8]) ' "$(cat "$o")"
    : >"$a"
    wg "$o" plugin run --audit "$a" cli-greedy grow
    expect_match "a plugin asking more gets the ceiling" '^pages (9[0-9][0-9]|10[0-2][0-9]) ' "$(cat "$o")"
    expect_line "audit: maxPages over the ceiling" '"what":"memory.maxPages: 1024".*asked for 4096 is over the ceiling; raise it with --memory-max' "$a"
    expect_line "audit: timeout over the ceiling" '"what":"timeout: 30000".*asked for 600000' "$a"
    wg "$o" plugin run --memory-max 2048 cli-greedy grow
    expect_match "--memory-max raises the ceiling" '^pages (1[1-9][0-9][0-9]|20[0-4][0-9]) ' "$(cat "$o")"
    wg "$o" plugin run --memory-max 2048 cli grow
    expect_match "--memory-max does not raise the default" '^pages (9[0-9][0-9]|10[0-2][0-9]) ' "$(cat "$o")"
    wg "$o" plugin run cli var 500000
    expect "default var cap: 500 kB fits" "0 var ok" "$rc $(cat "$o")"
    wg "$o" plugin run cli var 2000000
    expect_match "default var cap: 2 MB does not" '^[1-9]' "$rc"
    wg "$o" plugin run cli-limits var 200
    expect_match "maxVarBytes 100: 200 bytes do not fit" '^[1-9]' "$rc"
    wg "$o" plugin run --var-max 10 cli var 50
    expect_match "--var-max lowers the var cap" '^[1-9]' "$rc"
}

# ---- the temp dir ----------------------------------------------------------------------
test_tmp() {
    local o=$WORK/tmpdir
    wg "$o" plugin run cli tmp
    expect "tmp: exit" 0 "$rc"
    expect "tmp: written, read, listed" \
        "$(printf 'read: written in the sandbox\nentry: helm-test.txt')" "$(cat "$o")"
    tmp_empty "tmp after success"
    wg "$o" plugin run cli tmp-trap
    expect "tmp-trap: exit" 4 "$rc"
    tmp_empty "tmp after a trap"
    wg "$o" plugin run cli-limits tmp
    expect "no createTempDir: no /tmp" 1 "$rc"
    expect_one_line "no createTempDir" "$o" 'plugin cli-limits: cannot create /tmp/helm-test.txt'
    wg "$o" plugin run cli-limits loop
    tmp_empty "tmp after a timeout"
}

# ---- HTTP ------------------------------------------------------------------------------

test_http() {
    local o=$WORK/http a=$WORK/http.audit
    wg "$o" plugin run --audit "$a" cli http "http://127.0.0.1:$PORT/hello"
    expect "http: an allowed host" "0 200 hello from httpd" "$rc $(cat "$o")"
    expect_line "http: allowed in the audit" '"kind":"http".*127\.0\.0\.1.*"allowed":true' "$a"
    wg "$o" plugin run --audit "$a" cli http "http://localhost:$PORT/hello"
    expect "http: a host not allowed: exit" 1 "$rc"
    expect_one_line "http: a host not allowed" "$o" "plugin cli: .*denied"
    expect_line "http: denied in the audit" '"kind":"http".*localhost.*"allowed":false' "$a"
    wg "$o" plugin run cli-limits http "http://127.0.0.1:$PORT/hello"
    expect "http: no allowedHosts denies all: exit" 1 "$rc"
    expect_match "http: no allowedHosts: denied" 'denied' "$(err_of "$o")"
    wg "$o" plugin run cli http "http://127.0.0.1:$PORT/big?n=2000000"
    expect "http: a 2 MB response under the default cap (Helm: 0)" 0 "$rc"
    wg "$o" plugin run --http-response-max 1000 cli http "http://127.0.0.1:$PORT/big?n=2000"
    expect_match "http: --http-response-max lowers the cap" '^[1-9]' "$rc"
}

# ---- getter/v1 ---------------------------------------------------------------------------
test_getter() {
    local o=$WORK/get
    wg "$o" get wgtest://example.com/charts/app-1.0.0.tgz
    expect "get: exit" 0 "$rc"
    expect "get: the plugin for the scheme" "who=getter" "$(head -n 1 "$o")"
    expect "get: the input message" \
        '{"href":"wgtest://example.com/charts/app-1.0.0.tgz","protocol":"wgtest","options":{"URL":"wgtest://example.com/charts/app-1.0.0.tgz","CertFile":"","KeyFile":"","CAFile":"","UNTar":false,"InsecureSkipVerifyTLS":false,"PlainHTTP":false,"AcceptHeader":"","Username":"","Password":"","PassCredentialsAll":false,"UserAgent":"","Version":"","Timeout":0}}' \
        "$(tail -n +2 "$o")"
    wg "$o" get WGTESTS://h/x
    expect "get: a scheme is lowercased, the second protocol" "who=getter" "$(head -n 1 "$o")"
    expect_match "get: protocol" '"protocol":"wgtests"' "$(cat "$o")"
    wg "$o" get other://h/x
    expect "get: another scheme, another plugin" "who=getter-b" "$(head -n 1 "$o")"
    wg "$o" get nope://h/x
    expect "get: no getter for the scheme: exit" 2 "$rc"
    expect_one_line "get: no getter" "$o" "no getter plugin for the scheme 'nope'"
    wg "$o" get no-scheme
    expect "get: no scheme: exit" 2 "$rc"
    HELM_PLUGIN_USERNAME=user HELM_PLUGIN_PASSWORD='p"w' HELM_PLUGIN_PASS_CREDENTIALS_ALL=true \
        wg "$o" get cert.pem key.pem ca.pem wgtest://h/c.tgz
    expect "get: the downloader form: exit" 0 "$rc"
    expect_match "get: downloader files" '"CertFile":"cert.pem","KeyFile":"key.pem","CAFile":"ca.pem"' "$(cat "$o")"
    expect_match "get: downloader credentials" '"Username":"user","Password":"p\\"w","PassCredentialsAll":true' "$(cat "$o")"
    wg "$o" get "" "" "" wgtest://h/c.tgz
    expect "get: the downloader form with empty files: exit" 0 "$rc"
    expect_match "get: empty files" '"CertFile":"","KeyFile":"","CAFile":""' "$(cat "$o")"
    wg "$o" get a b wgtest://h/c.tgz
    expect "get: three words: exit" 2 "$rc"
    wg "$o" get wgtest://h/fail
    expect "get: the plugin fails: exit" 1 "$rc"
    expect_one_line "get: the plugin fails" "$o" 'plugin getter: cannot fetch wgtest://h/fail$'
    wg "$o" get wgtest://h/bad64
    expect "get: data not base64: exit" 7 "$rc"
    wg "$o" get subproto://h/x
    expect "get: a subprocess getter: exit" 9 "$rc"
}

# ---- postrenderer/v1 -------------------------------------------------------------------
test_postrender() {
    local o=$WORK/pr m=$WORK/manifests big=$WORK/big
    printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "q\\"uoted"\ndata:\n  tab: "a\tb"\n  uni: "ünïcødé ☃ 𝄞"\n  crlf: "x\r\n"\n  slash: "a\\\\b/c"\n  ctl: "\001\002"\n' >"$m"
    wgin "$m" "$o" post-render postrender
    expect "post-render: exit" 0 "$rc"
    expect_file "post-render: pass-through, byte for byte" "$m" "$o"
    wgin "$m" "$o" post-render postrender token
    expect_file "post-render: the plugin's token scan, byte for byte" "$m" "$o"
    wgin "$m" "$o" post-render postrender mark
    expect "post-render: decoded by the plugin" "# post-rendered ($(wc -c <"$m") bytes)" "$(head -n 1 "$o")"
    tail -n +2 "$o" >"$o.rest"
    expect_file "post-render: re-encoded by the plugin" "$m" "$o.rest"
    # 10 MiB of the same, over and over.
    for _ in $(seq 64); do cat "$m"; done >"$big.1"
    for _ in $(seq 64); do cat "$big.1"; done >"$big.2"
    : >"$big"
    while [ "$(wc -c <"$big")" -lt 10485760 ]; do cat "$big.2" >>"$big"; done
    head -c 10485760 "$big" >"$big.10"
    wgin "$big.10" "$o" post-render postrender
    expect "post-render 10 MiB: exit" 0 "$rc"
    expect_file "post-render 10 MiB: byte for byte" "$big.10" "$o"
    wgin "$big.10" "$o" post-render postrender token
    expect_file "post-render 10 MiB: the plugin's token scan, byte for byte" "$big.10" "$o"
    wgin "$big.10" "$o" post-render postrender mark
    expect "post-render 10 MiB decoded: exit" 0 "$rc"
    tail -n +2 "$o" >"$o.rest"
    expect_file "post-render 10 MiB decoded and re-encoded" "$big.10" "$o.rest"
    wgin "$m" "$o" post-render postrender args 'b c' '"d"'
    expect "post-render: extraArgs" "$(printf 'b c\n"d"')" "$(cat "$o")"
    wgin "$m" "$o" post-render postrender bad
    expect "post-render: output not JSON: exit" 7 "$rc"
    wgin "$m" "$o" post-render postrender missing
    expect "post-render: no manifests: exit" 7 "$rc"
    expect_one_line "post-render: no manifests" "$o" 'plugin postrender: output is not a postrenderer/v1 output message: "manifests" is missing'
    wgin "$m" "$o" post-render postrender empty
    expect "post-render: white space only: exit" 7 "$rc"
    wgin "$m" "$o" post-render postrender fail
    expect "post-render: the plugin fails: exit" 1 "$rc"
    expect_one_line "post-render: the plugin fails" "$o" 'plugin postrender: post-render failed$'
    printf 'bad \xff\n' >"$WORK/notutf8"
    wgin "$WORK/notutf8" "$o" post-render postrender
    expect "post-render: manifests not UTF-8: exit" 2 "$rc"
    wgin "$m" "$o" post-render cli
    expect "post-render: a cli plugin: exit" 2 "$rc"
    wgin "$m" "$o" post-render
    expect "post-render without NAME: exit" 2 "$rc"
}

test_help() {
    local o=$WORK/help word help
    wg "$o" --help
    help=$(cat "$o")
    for word in "wasmguard get" "wasmguard post-render" "--http-response-max" "--audit FILE" \
        "exit codes of plugin run, get and post-render" "plugin exited with code N" \
        "sandboxes only extism/v1"; do
        if [[ "$help" == *"$word"* ]]; then ok "--help mentions $word"; else
            bad "--help does not mention '$word'"; fi
    done
}

test_cli
test_env
test_logs
test_errors
test_limits
test_tmp
if start_httpd; then test_http; fi
test_getter
test_postrender
test_help

summary
