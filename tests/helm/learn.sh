#!/usr/bin/env bash
# learn.sh - the helm-learn suite: `--learn` on `wasmguard plugin run`,
# `get` and `post-render` prints, on stderr, the smallest runtimeConfig
# that would have sufficed.  The fixture plugin "learn" (the cli test
# plugin, granted more than it needs) contacts tests/extism/httpd on
# 127.0.0.1, writes /tmp, sets a var and reads one config key of three;
# the learned YAML must say exactly that, pass `plugin lint` pasted into
# a copy of its plugin.yaml, and run the plugin.  Ends with
# "NAME: N passed, N failed".
#
# usage: tests/helm/learn.sh [WASMGUARD [NAME]]   (VERBOSE=1: "ok" lines too)
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
WG=${1:-build/wasmguard}
NAME=${2:-helm-learn}
P=$PWD/build/tests/helm/plugins
HTTPD=build/tests/extism/httpd

expect_no_line() {
    if grep -Eq -- "$2" "$3" 2>/dev/null; then bad "$1: a line of $(basename "$3") matches /$2/"
    else ok "$1"; fi
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/wasmguard-learn-suite.XXXXXX") || exit 1
WORK=$(cd "$WORK" && pwd -P)
cleanup() {
    stop_httpd
    rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$WORK/tmp"
export HELM_PLUGINS=$P TMPDIR=$WORK/tmp

wg() {  # OUT ARGS...: stdout in OUT, stderr in OUT.err; $rc
    local out=$1; shift
    timeout -s KILL 120 "$WG" "$@" >"$out" 2>"$out.err" </dev/null
    rc=$?
}

if [ ! -x "$WG" ] || [ ! -r "$P/learn/plugin.wasm" ]; then
    bad "no $WG or no $P/learn (make build/wasmguard helm-plugins)"
    echo "$NAME: $pass passed, $fail failed"; exit 1
fi

# paste DIR YAML: a copy of plugin DIR in $WORK/pasted/ whose runtimeConfig
# is the learned one (the old block dropped, the learned appended).
paste_learned() {
    local dir=$WORK/pasted/$(basename "$1")
    rm -rf "$dir" && mkdir -p "$dir"
    cp "$1/plugin.wasm" "$dir/"
    awk '/^runtimeConfig:/ { skip = 1; next } skip && /^[^ #]/ { skip = 0 } !skip' \
        "$1/plugin.yaml" >"$dir/plugin.yaml"
    cat "$2" >>"$dir/plugin.yaml"
}

test_learn_all() {
    local o=$WORK/all y=$WORK/all.yaml pages
    wg "$o" plugin run --learn learn learn "http://127.0.0.1:$PORT/hello"
    expect "learn: the run: exit" 0 "$rc"
    expect "learn: stdout is the plugin's" "learn: a \"quoted\" value	with a tab, ünïcødé 200" "$(cat "$o")"
    cp "$o.err" "$y"
    expect_line "learn: a runtimeConfig block" '^runtimeConfig:$' "$y"
    expect "learn: allowedHosts is exactly the host contacted" '    - "127.0.0.1"' \
        "$(sed -n '/^  allowedHosts:/,/^  [a-z]/p' "$y" | grep '^    - ')"
    expect_no_line "learn: no host not contacted" 'example\.com|localhost' "$y"
    expect_line "learn: createTempDir" '^    createTempDir: true$' "$y"
    expect "learn: config is the one key read, with its value" \
        '    "wanted": "a \"quoted\" value\twith a tab, ünïcødé"' \
        "$(sed -n '/^  config:/,/^  [a-z]/p' "$y" | grep '^    "')"
    expect_line "learn: maxHttpResponseBytes" '^    maxHttpResponseBytes: [0-9]+$' "$y"
    expect_line "learn: maxVarBytes (100 bytes of var: 1024)" '^    maxVarBytes: 1024$' "$y"
    expect_line "learn: timeout, at least 1000 ms, whole seconds" '^  timeout: [1-9][0-9]*000$' "$y"
    expect_no_line "learn: no hostFunctions" 'hostFunctions' "$y"
    pages=$(sed -n 's/^# .* with \([0-9]*\) pages of memory.*/\1/p' "$y")
    local learned
    learned=$(sed -n 's/^    maxPages: \([0-9]*\)$/\1/p' "$y")
    if [ -n "$pages" ] && [ -n "$learned" ] && [ "$learned" -gt "$pages" ]; then
        ok "learn: maxPages $learned over the peak $pages"
    else bad "learn: maxPages '$learned' not over the peak '$pages'"; fi
    expect "learn: the temp dir is gone" "" "$(ls -A "$WORK/tmp")"

    # Pasted into a copy of plugin.yaml: lint accepts it, the plugin runs.
    paste_learned "$P/learn" "$y"
    HELM_PLUGINS=$WORK/pasted wg "$o.lint" plugin lint "$WORK/pasted/learn"
    expect "learned: plugin lint accepts it" 0 "$rc"
    [ "$rc" = 0 ] || cat "$o.lint" "$o.lint.err"
    HELM_PLUGINS=$WORK/pasted wg "$o.run" plugin run learn learn "http://127.0.0.1:$PORT/hello"
    expect "learned: the plugin still runs with it" "0 $(cat "$o")" "$rc $(cat "$o.run")"
    HELM_PLUGINS=$WORK/pasted wg "$o.again" plugin run --learn learn learn "http://127.0.0.1:$PORT/hello"
    expect "learned: learning again gives the same hosts, tmp and config" \
        "$(grep -E '^    (- |createTempDir|"wanted")' "$y")" \
        "$(grep -E '^    (- |createTempDir|"wanted")' "$o.again.err")"
    HELM_PLUGINS=$WORK/pasted wg "$o.deny" plugin run learn http "http://localhost:$PORT/hello"
    expect "learned: a host not contacted is now denied" 1 "$rc"
}

test_learn_nothing() {
    local o=$WORK/nothing y=$WORK/nothing.yaml
    wg "$o" plugin run --learn learn
    expect "nothing: exit" 0 "$rc"
    expect "nothing: stdout is the plugin's" "hello from learn" "$(cat "$o")"
    cp "$o.err" "$y"
    expect_line "nothing: a runtimeConfig block" '^runtimeConfig:$' "$y"
    expect_no_line "nothing: no allowedHosts" 'allowedHosts' "$y"
    expect_no_line "nothing: no createTempDir" 'createTempDir|fileSystem' "$y"
    expect_no_line "nothing: no config" '^  config:' "$y"
    expect_no_line "nothing: no HTTP or var caps" 'maxHttpResponseBytes|maxVarBytes' "$y"
    paste_learned "$P/learn" "$y"
    HELM_PLUGINS=$WORK/pasted wg "$o.lint" plugin lint "$WORK/pasted/learn"
    expect "nothing: plugin lint accepts it" 0 "$rc"
    HELM_PLUGINS=$WORK/pasted wg "$o.run" plugin run learn
    expect "nothing: the plugin still runs with it" "0 hello from learn" "$rc $(cat "$o.run")"
    wg "$o" plugin run learn
    expect "without --learn: nothing on stderr" "" "$(cat "$o.err")"
}

test_learn_denied() {
    local o=$WORK/denied
    wg "$o" plugin run --learn cli http "http://localhost:$PORT/hello"
    expect "denied: exit" 1 "$rc"
    expect_line "denied: the run failed, noted" '^# note: the run failed' "$o.err"
    expect_line "denied: the denied host as a comment" '^# denied \(not in allowedHosts\): "localhost"$' "$o.err"
    expect_no_line "denied: not in allowedHosts" '^  allowedHosts:' "$o.err"
}

test_learn_getter_postrender() {
    local o=$WORK/gp
    wg "$o" get --learn wgtest://example.com/x.tgz
    expect "get --learn: exit" 0 "$rc"
    expect "get --learn: stdout is the data" "who=getter" "$(head -n 1 "$o")"
    expect_line "get --learn: the config key read" '^    "who": "getter"$' "$o.err"
    printf 'kind: ConfigMap\n' >"$WORK/m"
    timeout -s KILL 120 "$WG" post-render --learn postrender >"$o" 2>"$o.err" <"$WORK/m"
    expect "post-render --learn: exit" 0 "$?"
    expect "post-render --learn: stdout is the manifests" "kind: ConfigMap" "$(cat "$o")"
    expect_line "post-render --learn: a runtimeConfig" '^    maxPages: [0-9]+$' "$o.err"
    wg "$o" plugin run --learn no-such-plugin
    expect "no plugin: exit" 2 "$rc"
}

test_help() {
    local o=$WORK/help
    wg "$o" --help
    if grep -q -- "--learn" "$o"; then ok "--help mentions --learn"; else bad "--help does not mention --learn"; fi
}

if start_httpd; then
    test_learn_all
    test_learn_denied
fi
test_learn_nothing
test_learn_getter_postrender
test_help

summary
