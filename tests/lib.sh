# lib.sh - what the shell test suites share (sourced from the project root,
# after the suite has set NAME, the name in its summary line, and WORK,
# its scratch directory).
#
#   ok NAME / bad WHY                 count a check (bad prints "FAIL NAME: WHY")
#   expect NAME EXPECTED GOT          equal strings
#   expect_match NAME REGEX TEXT      TEXT matches the bash regex
#   expect_line NAME ERE FILE         some line of FILE matches
#   expect_file NAME EXPECTED GOT     the two files are byte for byte the same
#   start_httpd                       starts $HTTPD (tests/extism/httpd.c) on a free
#                                     port: PORT, HTTPD_PID; stop_httpd kills it
#   summary                           the suite's last line; its status is the suite's
pass=0 fail=0

ok() { pass=$((pass + 1)); [ -z "${VERBOSE:-}" ] || echo "ok $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $NAME: $1"; }

expect() {
    if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: expected '$2', got '$3'"; fi
}
expect_match() {
    if [[ "$3" =~ $2 ]]; then ok "$1"; else bad "$1: '$3' does not match /$2/"; fi
}
expect_line() {
    if grep -Eq -- "$2" "$3" 2>/dev/null; then ok "$1"; else
        bad "$1: no line of $(basename "$3") matches /$2/ ($(head -c 300 "$3" 2>/dev/null))"; fi
}
expect_file() {
    if cmp -s "$2" "$3"; then ok "$1"; else
        bad "$1: output differs from the expected ($(cmp "$2" "$3" 2>&1 | head -n 1))"; fi
}

PORT= HTTPD_PID=
start_httpd() {
    local i
    if [ ! -x "${HTTPD:-}" ]; then bad "no ${HTTPD:-httpd} (make check-build)"; return 1; fi
    rm -f "$WORK/port"
    "$HTTPD" "$WORK/port" >"$WORK/httpd.log" 2>&1 &
    HTTPD_PID=$!
    for ((i = 0; i < 100; i++)); do
        if [ -s "$WORK/port" ]; then PORT=$(cat "$WORK/port"); return 0; fi
        sleep 0.05
    done
    bad "httpd did not start: $(cat "$WORK/httpd.log")"
    return 1
}
stop_httpd() {
    if [ -n "$HTTPD_PID" ]; then kill "$HTTPD_PID" 2>/dev/null; wait "$HTTPD_PID" 2>/dev/null; fi
    HTTPD_PID=
}

summary() {
    echo "$NAME: $pass passed, $fail failed"
    [ "$fail" = 0 ]
}
