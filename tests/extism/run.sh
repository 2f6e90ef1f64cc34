#!/usr/bin/env bash
# run.sh - the extism suite: the test plugins of tests/extism/plugins/ and
# the PDK's examples under `wasmguard call`, HTTP against tests/extism/httpd
# on 127.0.0.1, and the C embedder tests/extism/threads.  Prints a FAIL
# line for each failed check and ends with "NAME: N passed, N failed".
#
# usage: tests/extism/run.sh [WASMGUARD [NAME [THREADS]]]
#
#   WASMGUARD  the binary (build/wasmguard); NAME the summary's (extism)
#   THREADS    the embedder to run (build/tests/extism/threads; "-": none)
#   VERBOSE=1  also prints an "ok" line for each check that passed
#
# Plugins come from build/tests/extism and build/examples/plugins
# (make extism-plugins).  Everything runs in a private temp directory,
# removed at the end, and so does the HTTP server, killed at the end.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
WG=${1:-build/wasmguard}
NAME=${2:-extism}
THREADS=${3:-build/tests/extism/threads}
T=build/tests/extism
HTTPD=$T/httpd
EX=build/examples/plugins

WORK=$(mktemp -d "${TMPDIR:-/tmp}/wasmguard-extism-suite.XXXXXX") || exit 1
cleanup() {
    stop_httpd
    find "$WORK" -type d -exec chmod u+rwx {} + 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

# wg OUT ARGS...: runs wasmguard with stdout in OUT, stderr in OUT.err,
# stdin from /dev/null; the exit code in $rc.  A hung run is killed after
# 120 s (exit 137).
wg() {
    local out=$1; shift
    timeout -s KILL 120 "$WG" "$@" >"$out" 2>"$out.err" </dev/null
    rc=$?
}
err_of() { cat "$1.err"; }
# The output, then stderr when there is any (for checks that show both).
both() { cat "$1"; if [ -s "$1.err" ]; then printf ' [stderr: %s]' "$(cat "$1.err")"; fi; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# Checks that a failed call said one thing: one line "wasmguard: ...".
expect_one_line() {  # name, out
    expect "$1: one line on stderr" 1 "$(wc -l <"$2.err")"
    expect_match "$1: it starts with wasmguard:" '^wasmguard: ' "$(head -n 1 "$2.err")"
}

if [ ! -x "$WG" ]; then
    bad "no $WG (make build/wasmguard)"
    echo "$NAME: $pass passed, $fail failed"; exit 1
fi
for m in $T/io $T/config $T/vars $T/log $T/fail $T/http $T/host $T/wasi \
    $EX/count_vowels $EX/uppercase $EX/http_fetch $EX/config_reader; do
    if [ ! -r "$m.wasm" ]; then
        bad "no $m.wasm (make extism-plugins)"
        echo "$NAME: $pass passed, $fail failed"; exit 1
    fi
done

# ---- the command line ------------------------------------------------------
test_cli() {
    local o=$WORK/cli
    wg "$o" call
    expect "call without FILE: exit" 2 "$rc"
    expect_match "call without FILE: usage line" '^wasmguard: usage: wasmguard call' "$(err_of "$o")"
    wg "$o" call "$T/io.wasm"
    expect "call without FUNC: exit" 2 "$rc"
    wg "$o" call "$T/io.wasm" echo extra
    expect "a third word: exit" 2 "$rc"
    wg "$o" call "$T/io.wasm" echo --bogus
    expect "unknown option: exit" 2 "$rc"
    wg "$o" call "$T/io.wasm" echo --input a --stdin
    expect "--input with --stdin: exit" 2 "$rc"
    wg "$o" call "$T/io.wasm" echo --log-level loud
    expect "--log-level loud: exit" 2 "$rc"
    wg "$o" call "$T/io.wasm" echo --config "k=$(printf 'bad \xff')"
    expect "--config not UTF-8: exit" 2 "$rc"
    expect_one_line "--config not UTF-8" "$o"
    wg "$o" call "$T/io.wasm" echo --loop 0
    expect "--loop 0: exit" 2 "$rc"
    wg "$o" call "$T/io.wasm" echo --timeout soon
    expect "--timeout soon: exit" 2 "$rc"
    wg "$o" call "$T/io.wasm" echo --allow-path "$WORK/no/such/dir"
    expect "--allow-path of a missing directory: exit" 2 "$rc"
    wg "$o" call "$T/io.wasm" no_such_function
    expect "no such function: exit" 2 "$rc"
    expect_match "no such function: named" "no function named 'no_such_function'" "$(err_of "$o")"
    wg "$o" call "$WORK/missing.wasm" echo
    expect "missing FILE: exit" 6 "$rc"
    printf 'not a plugin' >"$WORK/text"
    wg "$o" call "$WORK/text" echo
    expect "FILE neither wasm nor JSON: exit" 6 "$rc"
    expect_one_line "FILE neither wasm nor JSON" "$o"
    printf '\0asm\1\0\0\0\1' >"$WORK/truncated.wasm"
    wg "$o" call "$WORK/truncated.wasm" echo
    expect "a truncated module: exit" 6 "$rc"
    wg "$o" call "$T/host.wasm" reverse
    expect "a host function nobody provides: exit" 6 "$rc"
    expect_match "a host function nobody provides: named" '"extism:host/user"\."reverse"' \
        "$(err_of "$o")"
    wg "$o" call "$T/io.wasm" echo --memory-max 1
    expect "--memory-max below the module's minimum: exit" 5 "$rc"
    wg "$o" --help
    local help word
    help=$(cat "$o")
    for word in "wasmguard call" "--input" "--stdin" "--config KEY=VALUE" "--allow-host" \
        "--allow-path" "--wasi" "--timeout" "--memory-max" "--http-response-max" "--var-max" \
        "--log-level" "--loop" "--audit" "exit codes of call"; do
        if [[ "$help" == *"$word"* ]]; then ok "--help mentions $word"; else
            bad "--help does not mention '$word'"; fi
    done
    wg "$o" call --help
    expect "call --help: exit" 0 "$rc"
}

# ---- input and output --------------------------------------------------
test_io() {
    local o=$WORK/io
    wg "$o" call "$T/io.wasm" echo --input "hello, world"
    expect "echo: exit" 0 "$rc"
    expect "echo: the output" "hello, world" "$(cat "$o")"
    expect "echo: exactly the input's bytes" 12 "$(wc -c <"$o")"
    expect "echo: nothing on stderr" "" "$(err_of "$o")"
    wg "$o" call "$T/io.wasm" echo -i "caf$(printf '\xc3\xa9') \"quoted\" \\ tab	end"
    expect "echo: UTF-8, quotes, backslash, tab" "caf$(printf '\xc3\xa9') \"quoted\" \\ tab	end" "$(cat "$o")"
    wg "$o" call "$T/io.wasm" echo
    expect "echo of no input: exit" 0 "$rc"
    expect "echo of no input: no output" 0 "$(wc -c <"$o")"
    wg "$o" call "$T/io.wasm" empty --input something
    expect "a function that sets no output: exit" 0 "$rc"
    expect "a function that sets no output: no output" 0 "$(wc -c <"$o")"
    wg "$o" call "$T/io.wasm" length --input 12345678901
    expect "input_length" 11 "$(cat "$o")"
    wg "$o" call "$T/io.wasm" abi --input "0123456789abcdefghij"
    expect "the kernel's blocks (alloc, length, load, store, free, error_get)" ok \
        "$(both "$o")"
    wg "$o" call "$T/io.wasm" abi
    expect "the kernel's blocks, with no input" ok "$(both "$o")"

    # 16 MiB of every byte value through --stdin, and back.
    head -c 16777216 /dev/urandom >"$WORK/big.in"
    printf '\0\n\r\xff' >>"$WORK/big.in"
    timeout -s KILL 120 "$WG" call "$T/io.wasm" echo --stdin <"$WORK/big.in" >"$o" 2>"$o.err"
    rc=$?
    expect "16 MiB through --stdin: exit" 0 "$rc"
    expect_file "16 MiB through --stdin: the same bytes back" "$WORK/big.in" "$o"
    timeout -s KILL 120 "$WG" call "$T/io.wasm" length --stdin <"$WORK/big.in" >"$o" 2>"$o.err"
    expect "16 MiB through --stdin: its length" 16777220 "$(cat "$o")"
    rm -f "$WORK/big.in" "$o"

    wg "$o" call "$EX/uppercase.wasm" uppercase --input "Hello, wasm $(printf '\xc3\xa9')!"
    expect "uppercase example" "HELLO, WASM $(printf '\xc3\xa9')!" "$(cat "$o")"
}

# ---- config --------------------------------------------------------------
test_config() {
    local o=$WORK/config
    wg "$o" call "$T/config.wasm" get --input greeting --config greeting=hello --config other=x
    expect "config: a key" hello "$(cat "$o")"
    wg "$o" call "$T/config.wasm" get --input k --config "k=a=b c" --config k=first --config "k=a=b c"
    expect "config: the value after the first =, the last --config wins" "a=b c" "$(cat "$o")"
    wg "$o" call "$T/config.wasm" get --input missing --config greeting=hello
    expect "config: a missing key fails: exit" 1 "$rc"
    expect "config: a missing key fails: the plugin's message" "wasmguard: no config key" \
        "$(err_of "$o")"
    wg "$o" call "$T/config.wasm" has --input greeting
    expect "config: none without --config" no "$(cat "$o")"
    wg "$o" call "$EX/config_reader.wasm" config_reader --input greeting --config greeting=hi
    expect "config_reader example" hi "$(cat "$o")"
    wg "$o" call "$EX/config_reader.wasm" config_reader --input nope --config greeting=hi
    expect "config_reader example, a missing key: exit" 1 "$rc"
    expect "config_reader example, a missing key: message" "wasmguard: no config key 'nope'" \
        "$(err_of "$o")"
    wg "$o" call "$EX/count_vowels.wasm" count_vowels --input "Hello, World!"
    expect "count_vowels example" '{"count": 3, "total": 3, "vowels": "aeiouAEIOU"}' "$(cat "$o")"
    wg "$o" call "$EX/count_vowels.wasm" count_vowels --input "Hello, World!" --config vowels=lW
    expect "count_vowels example with config vowels" '{"count": 4, "total": 4, "vowels": "lW"}' \
        "$(cat "$o")"
}

# ---- vars ------------------------------------------------------------------
test_vars() {
    local o=$WORK/vars big
    wg "$o" call "$T/vars.wasm" count --loop 3
    expect "vars persist across --loop calls" $'1\n2\n3' "$(cat "$o")"
    expect "--loop 3: each output ends with a newline" 6 "$(wc -c <"$o")"
    wg "$o" call "$T/vars.wasm" count
    expect "vars: a new plugin starts afresh" 1 "$(cat "$o")"
    wg "$o" call "$EX/count_vowels.wasm" count_vowels --input aeiou --loop 2
    expect "count_vowels example: a running total in a var" \
        $'{"count": 5, "total": 5, "vowels": "aeiouAEIOU"}\n{"count": 5, "total": 10, "vowels": "aeiouAEIOU"}' \
        "$(cat "$o")"
    big=$(head -c 2000 /dev/zero | tr '\0' v)
    wg "$o" call "$T/vars.wasm" fill --input "$big" --var-max 1000
    expect "vars over --var-max: exit" 5 "$rc"
    expect_match "vars over --var-max: the message names max_var_bytes" 'max_var_bytes' "$(err_of "$o")"
    expect_one_line "vars over --var-max" "$o"
    wg "$o" call "$T/vars.wasm" fill --input "${big:0:500}" --var-max 1000
    expect "vars under --var-max: exit" 0 "$rc"
    wg "$o" call "$T/vars.wasm" fill --input "$big"
    expect "vars: 2000 bytes under the default 1 MiB" filled "$(cat "$o")"
    wg "$o" call "$T/vars.wasm" count --var-max 0
    expect "--var-max 0 disables vars: exit" 5 "$rc"
}

# ---- logs --------------------------------------------------------------------
test_logs() {
    local o=$WORK/logs
    wg "$o" call "$T/log.wasm" log --log-level trace
    expect "logs at trace: all five, in order" \
        $'[trace] trace message\n[debug] debug message\n[info] info message\n[warn] warn message\n[error] error message' \
        "$(err_of "$o")"
    expect "logs at trace: get_log_level" 0 "$(cat "$o")"
    wg "$o" call "$T/log.wasm" log --log-level info
    expect "logs at info" $'[info] info message\n[warn] warn message\n[error] error message' \
        "$(err_of "$o")"
    expect "logs at info: get_log_level" 2 "$(cat "$o")"
    wg "$o" call "$T/log.wasm" log
    expect "logs by default: errors only" "[error] error message" "$(err_of "$o")"
    expect "logs by default: get_log_level" 4 "$(cat "$o")"
    wg "$o" call "$T/log.wasm" log --log-level off
    expect "logs off: none" "" "$(err_of "$o")"
    expect "logs off: get_log_level (Extism's INT32_MAX)" off "$(cat "$o")"
}

# ---- failures ------------------------------------------------------------------
test_errors() {
    local o=$WORK/errors
    wg "$o" call "$T/fail.wasm" error
    expect "error_set: exit" 1 "$rc"
    expect "error_set: the plugin's message" "wasmguard: something went wrong: code 42" "$(err_of "$o")"
    expect "error_set: no output" 0 "$(wc -c <"$o")"
    wg "$o" call "$T/fail.wasm" error_rc0
    expect "error_set and return 0: exit" 1 "$rc"
    expect "error_set and return 0: the message" "wasmguard: failed despite returning 0" "$(err_of "$o")"
    wg "$o" call "$T/fail.wasm" rc
    expect "return 7: exit" 1 "$rc"
    expect_match "return 7: the message names the code" '7' "$(err_of "$o")"
    expect_one_line "return 7" "$o"
    wg "$o" call "$T/fail.wasm" trap
    expect "trap: exit" 3 "$rc"
    expect_match "trap: the message" 'unreachable' "$(err_of "$o")"
    expect_one_line "trap" "$o"
    wg "$o" call "$T/fail.wasm" div0
    expect "divide by zero: exit" 3 "$rc"
    expect_match "divide by zero: the message" 'divide by zero' "$(err_of "$o")"
    wg "$o" call "$T/wasi.wasm" exit --wasi --input 3
    expect "proc_exit(3): exit" 1 "$rc"
    expect_match "proc_exit(3): the message names the code" '3' "$(err_of "$o")"
    wg "$o" call "$T/wasi.wasm" exit --wasi --input 0
    expect "proc_exit(0) is success: exit" 0 "$rc"
}

# ---- limits ------------------------------------------------------------------------
test_limits() {
    local o=$WORK/limits start elapsed base try
    # Wall time measured from outside includes the process; a busy machine
    # only ever adds to it, so the check gets three tries and passes when
    # one of them lands within 100 ms of the timeout.
    for try in 1 2 3; do
        # The time of a call that does nothing: what the process costs.
        start=$(now_ms)
        wg "$o" call "$T/fail.wasm" ok
        base=$(($(now_ms) - start))
        start=$(now_ms)
        wg "$o" call "$T/fail.wasm" loop --timeout 200 --audit "$WORK/limits.audit"
        elapsed=$(($(now_ms) - start - base))
        if [ "$elapsed" -ge 190 ] && [ "$elapsed" -lt 300 ]; then break; fi
    done
    expect "an endless loop under --timeout 200: exit" 4 "$rc"
    expect "an endless loop under --timeout 200: the message" "wasmguard: timeout" "$(err_of "$o")"
    if [ "$elapsed" -ge 190 ] && [ "$elapsed" -lt 300 ]; then
        ok "an endless loop under --timeout 200: stopped within 100 ms of it"
    else bad "an endless loop under --timeout 200: stopped after $elapsed ms (+$base ms to start, 3 tries)"; fi
    printf '{"wasm": [{"path": "%s"}], "timeout_ms": 100}' "$PWD/$T/fail.wasm" >"$WORK/timeout.json"
    wg "$o" call "$WORK/timeout.json" loop
    expect "the manifest's timeout_ms: exit" 4 "$rc"
    expect "the manifest's timeout_ms: the message" "wasmguard: timeout" "$(err_of "$o")"
    wg "$o" call "$T/fail.wasm" loop --fuel 1000000
    expect "--fuel: exit" 5 "$rc"
    expect_match "--fuel: the message" 'fuel' "$(err_of "$o")"

    wg "$o" call "$T/fail.wasm" grow --memory-max 40
    expect "memory.grow stops at --memory-max exactly" "wasmguard: memory.grow refused at 40 pages" \
        "$(err_of "$o")"
    wg "$o" call "$T/fail.wasm" membomb --memory-max 40 --audit "$WORK/limits.audit"
    if [ "$rc" = 3 ] || [ "$rc" = 5 ]; then ok "a memory bomb under --memory-max 40 fails"; else
        bad "a memory bomb under --memory-max 40: exit $rc, expected 3 or 5"; fi
    expect_match "a memory bomb: the message names the limit" 'max_pages|memory' "$(err_of "$o")"
    expect_one_line "a memory bomb" "$o"

    wg "$o" call "$T/io.wasm" output_bomb --input 2000 --output-max 1000 --audit "$WORK/limits.audit"
    expect "an output bomb over --output-max: exit" 5 "$rc"
    expect_match "an output bomb over --output-max: the message" 'output.*1000' "$(err_of "$o")"
    expect "an output bomb over --output-max: no output" 0 "$(wc -c <"$o")"
    wg "$o" call "$T/io.wasm" output_bomb
    expect "a 1 GiB output bomb over the default 64 MiB: exit" 5 "$rc"
    expect_match "a 1 GiB output bomb: the message" 'output' "$(err_of "$o")"
    wg "$o" call "$T/io.wasm" output_bomb --input 1000 --output-max 1000
    expect "an output of exactly --output-max" 1000 "$(wc -c <"$o")"

    local audit=$WORK/limits.audit
    expect_line "audit: the timeout" '"kind":"limit".*timeout' "$audit"
    expect_line "audit: the output cap" '"kind":"limit".*output' "$audit"
    expect_line "audit: the memory cap" '"kind":"limit".*(memory|max_pages)' "$audit"
}

# ---- WASI --------------------------------------------------------------------------
test_wasi() {
    local o=$WORK/wasi d=$WORK/wasi_dir
    mkdir -p "$d"
    printf 'file content' >"$d/in.txt"
    wg "$o" call "$T/wasi.wasm" hello
    expect "a WASI plugin without --wasi: exit" 6 "$rc"
    expect_match "a WASI plugin without --wasi: the message" 'WASI' "$(err_of "$o")"
    wg "$o" call "$T/wasi.wasm" hello --wasi
    expect "--wasi: the plugin's stdout is ours, then the output" $'hello from wasi\ndone' "$(cat "$o")"
    wg "$o" call "$T/wasi.wasm" read --wasi --allow-path "$d:/data" --input /data/in.txt
    expect "--allow-path HOST:GUEST: read" "file content" "$(cat "$o")"
    wg "$o" call "$T/wasi.wasm" read --wasi --input /data/in.txt
    expect "no --allow-path: the file is not there" 1 "$rc"
    wg "$o" call "$T/wasi.wasm" write --wasi --allow-path "ro:$d:/data" --input /data/new.txt=x
    expect "--allow-path ro: a write fails" 1 "$rc"
    if [ -e "$d/new.txt" ]; then bad "--allow-path ro: new.txt was created"; else
        ok "--allow-path ro: nothing created"; fi
    wg "$o" call "$T/wasi.wasm" write --wasi --allow-path "$d:/data" --input /data/new.txt=written
    expect "--allow-path rw: write" written "$(cat "$d/new.txt" 2>&1)"
    wg "$o" call "$T/wasi.wasm" read --wasi --allow-path "$d" --input "$d/in.txt"
    expect "--allow-path DIR alone: the same path inside" "file content" "$(both "$o")"
}

# ---- manifests ----------------------------------------------------------------------
test_manifest() {
    local o=$WORK/manifest m=$WORK/m sum
    mkdir -p "$m/sub"
    cp "$T/config.wasm" "$m/sub/config.wasm"
    sum=$(sha256sum "$m/sub/config.wasm" | cut -d' ' -f1)
    printf '{"wasm": [{"path": "sub/config.wasm", "hash": "%s"}], "config": {"a": "1", "b": "2"}}' \
        "$sum" >"$m/ok.json"
    wg "$o" call "$m/ok.json" get --input a
    expect "a manifest: a path relative to it, a hash, config" 1 "$(both "$o")"
    wg "$o" call "$m/ok.json" get --input a --config a=9 --config c=3
    expect "a manifest: --config overrides its config" 9 "$(cat "$o")"
    wg "$o" call "$m/ok.json" get --input b --config a=9
    expect "a manifest: its other keys stay" 2 "$(cat "$o")"
    printf '{"wasm": [{"path": "sub/config.wasm", "hash": "%064d"}]}' 0 >"$m/badhash.json"
    wg "$o" call "$m/badhash.json" get --input a
    expect "a manifest with a wrong hash: exit" 6 "$rc"
    expect_match "a manifest with a wrong hash: the message" 'hash' "$(err_of "$o")"
    printf '{"wasm": [{"path": "sub/config.wasm"}], "colour": "blue"}' >"$m/unknown.json"
    wg "$o" call "$m/unknown.json" get --input a --config a=1
    expect "a manifest with an unknown field (edited by options): exit" 6 "$rc"
    expect_match "a manifest with an unknown field: named" 'colour' "$(err_of "$o")"
    printf '{"wasm": [{"path": "sub/config.wasm"}], "memory": {"max_pages": "many"}}' >"$m/type.json"
    wg "$o" call "$m/type.json" get --input a
    expect "a manifest with an ill-typed field: exit" 6 "$rc"
    expect_match "a manifest with an ill-typed field: named" 'max_pages' "$(err_of "$o")"
    printf '{"wasm": [{"path": "sub/config.wasm"}' >"$m/broken.json"
    wg "$o" call "$m/broken.json" get --input a --config a=1
    expect "a manifest that is not JSON: exit" 6 "$rc"
    expect_one_line "a manifest that is not JSON" "$o"
    wg "$o" call --manifest "$T/config.wasm" get --input a
    expect "--manifest on a module: exit" 6 "$rc"
}

# ---- HTTP ------------------------------------------------------------------------------

# The server's /stats (not counted by it), through bash's /dev/tcp.
stats() {
    local line body=''
    exec 3<>"/dev/tcp/127.0.0.1/$PORT" || return 1
    printf 'GET /stats HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
    while IFS= read -r line <&3; do body=$line; done
    [ -n "$line" ] && body=$line
    exec 3<&-
    echo "$body"
}
connections() { stats | sed -n 's/.*"connections":\([0-9]*\).*/\1/p'; }
path_count() { stats | sed -n "s|.*\"$1\":\([0-9]*\).*|\1|p"; }

# HTTPS against a server on 127.0.0.1 whose certificate nobody vouches
# for: refused for the certificate (libcurl verifies peers, and nothing
# in wasmguard turns that off), though the server itself answers.
test_https() {
    local o=$WORK/https port pid i
    if ! command -v openssl >/dev/null 2>&1; then bad "https: no openssl (Debian package openssl)"; return; fi
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=127.0.0.1 \
        -addext subjectAltName=IP:127.0.0.1 -days 1 -keyout "$WORK/tls.key" -out "$WORK/tls.crt" \
        >/dev/null 2>&1 || { bad "https: openssl req failed"; return; }
    for ((i = 0; i < 20; i++)); do
        port=$((20000 + RANDOM % 40000))
        openssl s_server -quiet -www -accept "127.0.0.1:$port" -cert "$WORK/tls.crt" \
            -key "$WORK/tls.key" >"$WORK/tls.log" 2>&1 &
        pid=$!
        sleep 0.3
        if openssl s_client -connect "127.0.0.1:$port" </dev/null >/dev/null 2>&1; then break; fi
        kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; pid=
    done
    if [ -z "$pid" ]; then bad "https: openssl s_server did not start: $(cat "$WORK/tls.log")"; return; fi
    wg "$o" call "$T/http.wasm" get --input "https://127.0.0.1:$port/" --allow-host 127.0.0.1
    expect "https, a self-signed certificate: exit" 1 "$rc"
    expect_match "https, a self-signed certificate: refused for it" \
        "https://127\.0\.0\.1:$port/ failed: SSL certificate problem" "$(err_of "$o")"
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
}

test_http() {
    local o=$WORK/http a=$WORK/http.audit base="http://127.0.0.1:$PORT" before hello_before
    local allow=(--allow-host 127.0.0.1 --audit "$a")
    wg "$o" call "$T/http.wasm" get --input "$base/hello" "${allow[@]}"
    expect "an allowed host: exit" 0 "$rc"
    expect "an allowed host: status and body" "200 hello from httpd" "$(both "$o")"

    before=$(connections)
    wg "$o" call "$T/http.wasm" get --input "http://localhost:$PORT/hello" "${allow[@]}"
    expect "a denied host: exit" 1 "$rc"
    expect "a denied host: the guard's reason" \
        "wasmguard: HTTP request to http://localhost:$PORT/hello denied: not in allowed_hosts" \
        "$(err_of "$o")"
    wg "$o" call "$T/http.wasm" get --input "$base/hello" --audit "$a"
    expect "no --allow-host: denied" 1 "$rc"
    expect_match "no --allow-host: the guard's reason" 'denied' "$(err_of "$o")"
    expect "denied requests made no connection (httpd's /stats)" "$before" "$(connections)"
    wg "$o" call "$T/http.wasm" get --input "ftp://127.0.0.1:$PORT/hello" "${allow[@]}"
    expect "an ftp URL: exit" 1 "$rc"
    expect_match "an ftp URL: denied for its scheme" 'denied.*ftp' "$(err_of "$o")"

    hello_before=$(path_count /hello)
    wg "$o" call "$T/http.wasm" get "${allow[@]}" \
        --input "$base/redirect?to=http://localhost:$PORT/hello"
    expect "a redirect to a denied host: exit" 1 "$rc"
    expect_match "a redirect to a denied host: the reason" \
        "localhost:$PORT/hello denied: not in allowed_hosts" "$(err_of "$o")"
    expect "a redirect to a denied host: /hello not fetched" "$hello_before" "$(path_count /hello)"
    wg "$o" call "$T/http.wasm" get "${allow[@]}" \
        --input "$base/redirect?to=http://127.0.0.1:$PORT/hello&code=307"
    expect "a redirect to an allowed host is followed" "200 hello from httpd" \
        "$(both "$o")"

    wg "$o" call "$T/http.wasm" get "${allow[@]}" --http-response-max 1000 \
        --input "$base/big?n=100000"
    expect "a response over --http-response-max: exit" 1 "$rc"
    expect_match "a response over --http-response-max: the message names the limit" \
        'max_http_response_bytes' "$(err_of "$o")"
    wg "$o" call "$T/http.wasm" get "${allow[@]}" --http-response-max 1000 \
        --input "$base/big?n=100000&nolen=1"
    expect "a response over the cap without Content-Length: exit" 1 "$rc"
    wg "$o" call "$T/http.wasm" get "${allow[@]}" --http-response-max 1000 --input "$base/big?n=1000"
    expect "a response of exactly --http-response-max" 1004 "$(wc -c <"$o")"
    wg "$o" call "$T/http.wasm" request "${allow[@]}" \
        --input "{\"url\": \"$base/echo\", \"method\": \"POST\", \"headers\": {\"X-Test\": \"1\"}}"
    expect "POST with a body and headers" "200 posted body" "$(both "$o")"
    wg "$o" call "$T/http.wasm" get "${allow[@]}" --input "$base/status?code=503"
    expect "a 503 reaches the plugin" "503 status 503" "$(cat "$o")"
    wg "$o" call "$EX/http_fetch.wasm" http_fetch "${allow[@]}" --input "$base/hello"
    expect "http_fetch example" "hello from httpd" "$(both "$o")"
    wg "$o" call "$EX/http_fetch.wasm" http_fetch "${allow[@]}" --input "$base/status?code=404"
    expect "http_fetch example, a 404" "wasmguard: HTTP status 404" "$(err_of "$o")"

    # A manifest's allowed_hosts, and a glob.
    printf '{"wasm": [{"path": "%s"}], "allowed_hosts": ["*.example.com", "127.0.0.1"]}' \
        "$PWD/$T/http.wasm" >"$WORK/http.json"
    wg "$o" call "$WORK/http.json" get --input "$base/hello" --audit "$a"
    expect "the manifest's allowed_hosts" "200 hello from httpd" "$(both "$o")"

    local lines
    lines=$(wc -l <"$a" 2>/dev/null)
    expect_line "audit: the allowed request, with its rule" \
        "\"kind\":\"http\",\"what\":\"GET $base/hello\",\"allowed\":true,\"rule\":\"allowed_hosts: 127.0.0.1\"" "$a"
    expect_line "audit: the denied host, with its rule" \
        "\"what\":\"GET http://localhost:$PORT/hello\",\"allowed\":false,\"rule\":\"not in allowed_hosts\"" "$a"
    expect_line "audit: the ftp URL denied" "ftp://127.0.0.1:$PORT/hello\",\"allowed\":false" "$a"
    expect_line "audit: the redirect's first hop allowed" \
        "redirect\\?to=http://localhost:$PORT/hello\",\"allowed\":true" "$a"
    expect "audit: the denied host and the denied redirect hop" 2 \
        "$(grep -c "\"what\":\"GET http://localhost:$PORT/hello\",\"allowed\":false" "$a")"
    expect_line "audit: the response cap (a limit line naming max_http_response_bytes)" \
        '"kind":"limit".*max_http_response_bytes' "$a"
    expect "audit: every line is one JSON object" "$lines" "$(grep -c '^{.*}$' "$a")"
    # 14 requests, 2 of them redirected once: 16 decisions.
    expect "audit: a line for every HTTP decision" 16 "$(grep -c '"kind":"http"' "$a")"
}

# ---- the C embedder ------------------------------------------------------------------
test_threads() {
    local o=$WORK/threads line n=0 done=no
    if [ "$THREADS" = - ]; then return; fi
    if [ ! -x "$THREADS" ]; then bad "no $THREADS (make check-build)"; return; fi
    timeout -s KILL 300 "$THREADS" "$T" >"$o" 2>"$o.err"
    rc=$?
    while IFS= read -r line; do
        case "$line" in
        "ok - "*) ok "threads: ${line#ok - }"; n=$((n + 1)) ;;
        "not ok - "*) bad "threads: ${line#not ok - }"; n=$((n + 1)) ;;
        done) done=yes ;;
        esac
    done <"$o"
    if [ "$done" = yes ] && [ "$n" -gt 0 ] && [ "$rc" = 0 ]; then ok "threads: finished"; else
        bad "threads: exit $rc after $n checks; stderr: $(head -c 600 "$o.err")"; fi
}

test_cli
test_io
test_config
test_vars
test_logs
test_errors
test_limits
test_wasi
test_manifest
if start_httpd; then test_http; fi
test_https
test_threads

summary
