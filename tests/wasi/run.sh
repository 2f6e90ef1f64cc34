#!/usr/bin/env bash
# run.sh - the WASI suite: runs the guests of tests/wasi/ under
# `wasmguard run` and checks what they print, how they exit, and what
# they did to the host's files.  Prints a FAIL line for each failed check
# and ends with "NAME: N passed, N failed".
#
# usage: tests/wasi/run.sh [WASMGUARD [NAME]]
#
#   WASMGUARD  the binary (build/wasmguard); NAME the summary's (wasi)
#   VERBOSE=1  also prints an "ok" line for each check that passed
#
# Modules come from build/tests/wasi (make wasi-modules).  Everything runs
# in a private directory with TMPDIR pointing into it, so the temp dirs
# of --tmp can be counted; it is removed at the end.  A guest prints "ok -"
# and "not ok -" lines (probe.h), each of which counts as a check.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
WG=${1:-build/wasmguard}
NAME=${2:-wasi}
MOD=build/tests/wasi

# Counts a guest's "ok -" / "not ok -" lines and wants its "done".
guest_checks() {  # name, stdout file
    local line n=0 done=no
    while IFS= read -r line; do
        case "$line" in
        "ok - "*) ok "$1: ${line#ok - }"; n=$((n + 1)) ;;
        "not ok - "*) bad "$1: ${line#not ok - }"; n=$((n + 1)) ;;
        done) done=yes ;;
        esac
    done <"$2"
    if [ "$done" = yes ] && [ "$n" -gt 0 ]; then ok "$1: the guest finished"; else
        bad "$1: the guest did not finish ($n checks seen); its stderr: $(head -c 600 "$2.err")"
    fi
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/wasmguard-wasi-suite.XXXXXX") || exit 1
cleanup() {
    # The tests leave read-only directories; find does not follow symlinks.
    find "$WORK" -type d -exec chmod u+rwx {} + 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
export TMPDIR="$WORK/tmpdir"
mkdir "$TMPDIR"

# wg OUT ARGS...: runs wasmguard with stdout in OUT, stderr in OUT.err,
# stdin from /dev/null; the exit code in $rc.  A hung run is killed
# after 120 s (exit 137).
wg() {
    local out=$1; shift
    timeout -s KILL 120 "$WG" "$@" >"$out" 2>"$out.err" </dev/null
    rc=$?
}

# The temp dirs left in $TMPDIR (none, after every run).
tmp_left() { ls -A "$TMPDIR"; }
expect_no_tmp() {  # name
    local left
    left=$(tmp_left)
    if [ -z "$left" ]; then ok "$1: no temp dir left"; else
        bad "$1: left in \$TMPDIR: $left"
        find "$TMPDIR" -mindepth 1 -type d -exec chmod u+rwx {} + 2>/dev/null
        rm -rf "${TMPDIR:?}"/* "${TMPDIR:?}"/.[!.]* 2>/dev/null
    fi
}

# A listing of a tree that changes when anything in it changes: paths,
# types, modes, sizes, modification times, symlink targets.
snapshot() { find "$@" -printf '%p %y %m %s %T@ %l\n' 2>&1 | sort; }

if [ ! -x "$WG" ]; then
    bad "no $WG (make build/wasmguard)"
    echo "$NAME: $pass passed, $fail failed"; exit 1
fi
for m in fs escape readonly env exit io clock random tmptree preopens wc; do
    if [ ! -r "$MOD/$m.wasm" ]; then
        bad "no $MOD/$m.wasm (make wasi-modules)"
        echo "$NAME: $pass passed, $fail failed"; exit 1
    fi
done

# ---- the command line ------------------------------------------------------
test_cli() {
    local o=$WORK/cli
    wg "$o" run
    expect "run without FILE: exit" 2 "$rc"
    expect_match "run without FILE: usage line" '^wasmguard: usage: wasmguard run' "$(cat "$o.err")"
    wg "$o" run --bogus "$MOD/env.wasm"
    expect "unknown option: exit" 2 "$rc"
    wg "$o" run --dir "$WORK/no/such/dir" "$MOD/env.wasm"
    expect "--dir of a missing directory: exit" 2 "$rc"
    wg "$o" run --dir "$MOD/env.wasm" "$MOD/env.wasm"
    expect "--dir of a file: exit" 2 "$rc"
    wg "$o" run --dir "::/x" "$MOD/env.wasm"
    expect "--dir with no host part: exit" 2 "$rc"
    wg "$o" run --env NOVALUE "$MOD/env.wasm"
    expect "--env without =: exit" 2 "$rc"
    wg "$o" run --env =x "$MOD/env.wasm"
    expect "--env without a key: exit" 2 "$rc"
    wg "$o" run --fuel lots "$MOD/env.wasm"
    expect "--fuel not a number: exit" 2 "$rc"
    wg "$o" run "$WORK/missing.wasm"
    expect "missing FILE: exit" 126 "$rc"
    wg "$o" run "$MOD/wat/import_env.wasm"
    expect "an import from env: exit" 126 "$rc"
    expect_match "an import from env: one line naming it" \
        '^wasmguard: .*"env"\."host_thing".*$' "$(cat "$o.err")"
    expect "an import from env: one line" 1 "$(wc -l <"$o.err")"
    wg "$o" run "$MOD/wat/unknown_wasi.wasm"
    expect "an unknown WASI function: exit" 126 "$rc"
    expect_match "an unknown WASI function: named" 'no_such_function' "$(cat "$o.err")"
    wg "$o" run "$MOD/wat/wrong_sig.wasm"
    expect "proc_exit with a wrong signature: exit" 126 "$rc"
    wg "$o" run "$MOD/wat/no_start.wasm"
    expect "no _start: exit" 126 "$rc"
    wg "$o" run "$MOD/wat/start_trap.wasm"
    expect "a trap in the start function: exit" 134 "$rc"
    expect_match "a trap in the start function: message" '^wasmguard: trap: ' "$(cat "$o.err")"
    wg "$o" run "$MOD/wat/recurse.wasm"
    expect "endless recursion: exit" 134 "$rc"
    expect_match "endless recursion: message" '^wasmguard: trap: call stack exhausted' "$(cat "$o.err")"
    wg "$o" run --memory-max 1 "$MOD/io.wasm"
    expect "--memory-max below the module's minimum: exit" 126 "$rc"
    wg "$o" --help
    expect "--help: exit" 0 "$rc"
    local help
    help=$(cat "$o")
    local word
    for word in "wasmguard run" "--dir HOST" "--env KEY=VALUE" "--tmp" "124" "125" "126" \
        "130" "134"; do
        if [[ "$help" == *"$word"* ]]; then ok "--help mentions $word"; else
            bad "--help does not mention '$word'"; fi
    done
    wg "$o" run --help
    expect "run --help: exit" 0 "$rc"
}

# ---- how --dir is parsed ---------------------------------------------------
test_dirs() {
    local o=$WORK/dirs a=$WORK/dir_a b=$WORK/dir_b
    mkdir "$a" "$b"
    wg "$o" run --dir "$a" --dir "$b::/guest/b" --dir="$a:ro" --dir "$b::/x:ro" --dir "$a::." \
        --tmp "$MOD/preopens.wasm"
    expect "dirs: exit" 0 "$rc"
    printf '%s\n' "$a rw" "/guest/b rw" "$a ro" "/x ro" ". rw" "/tmp rw" >"$o.want"
    expect_file "dirs: HOST, HOST::GUEST, HOST:ro, HOST::GUEST:ro, --tmp" "$o.want" "$o"
    expect "dirs: the probes were removed" "" "$(find "$a" "$b" -mindepth 1)"
    expect_no_tmp "dirs"
}

# ---- args and environment ------------------------------------------------
test_env() {
    local o=$WORK/env
    WG_TEST_SECRET=hunter2 HOME=/root/secret wg "$o" run --env A=1 --env "B=two words" \
        --env EMPTY= --env "C=x=y" "$MOD/env.wasm" x "y z" "" -- --dir /
    expect "env: exit" 0 "$rc"
    printf '%s\n' 'argc=7' 'argv[0]=[env.wasm]' 'argv[1]=[x]' 'argv[2]=[y z]' 'argv[3]=[]' \
        'argv[4]=[--]' 'argv[5]=[--dir]' 'argv[6]=[/]' 'env[0]=[A=1]' 'env[1]=[B=two words]' \
        'env[2]=[EMPTY=]' 'env[3]=[C=x=y]' 'nenv=4' 'getenv(WG_TEST_SECRET)=(null)' >"$o.want"
    expect_file "env: args as given, only the --env variables" "$o.want" "$o"
    expect "env: nothing on stderr" "" "$(cat "$o.err")"

    WG_TEST_SECRET=hunter2 wg "$o" run "$MOD/env.wasm"
    printf '%s\n' 'argc=1' 'argv[0]=[env.wasm]' 'nenv=0' 'getenv(WG_TEST_SECRET)=(null)' >"$o.want"
    expect_file "env: empty without --env, the host's secret unseen" "$o.want" "$o"

    WG_TEST_SECRET=hunter2 wg "$o" run --env WG_TEST_SECRET=given "./$MOD/env.wasm"
    expect "env: --env wins over the host's value" "getenv(WG_TEST_SECRET)=given" "$(tail -n 1 "$o")"
}

# ---- exit codes ------------------------------------------------------------
test_exit() {
    local o=$WORK/exit args want
    while read -r want args; do
        # shellcheck disable=SC2086
        wg "$o" run "$MOD/exit.wasm" $args
        expect "exit.wasm $args: exit code" "$want" "$rc"
        expect "exit.wasm $args: output before the end kept" "before" "$(cat "$o")"
        if [ "$want" = 134 ]; then
            expect_match "exit.wasm $args: a trap line" '^wasmguard: trap: ' "$(cat "$o.err")"
            expect "exit.wasm $args: one line on stderr" 1 "$(wc -l <"$o.err")"
        else
            expect "exit.wasm $args: nothing on stderr" "" "$(cat "$o.err")"
        fi
    done <<'EOF'
0 return 0
3 return 3
7 exit 7
0 exit 0
255 exit 255
1 exit 256
44 exit 300
255 exit -1
134 trap
134 div0
134 oob
134 deep
EOF
    wg "$o" run "$MOD/exit.wasm" div0
    expect_match "div0: the engine's message" 'divide by zero' "$(cat "$o.err")"
    wg "$o" run "$MOD/exit.wasm" oob
    expect_match "oob: the engine's message" 'out of bounds' "$(cat "$o.err")"
}

# ---- standard streams ----------------------------------------------------
test_io() {
    local o=$WORK/io
    {
        printf 'HELLO\nWORLD, 1-2-3'
        printf 'stdin done\n'
        printf 'caf\xc3\xa9 \xe2\x9c\x93\n'
        printf 'nul:\0:end\n'
        local i line='' alpha=abcdefghijklmnopqrstuvwxyz
        for ((i = 0; i < 2000; i++)); do line+=${alpha:i%26:1}; done
        printf '%s\n' "$line"
        printf 'raw write, no newline'
    } >"$o.want"
    printf 'hello\nworld, 1-2-3' | timeout -s KILL 120 "$WG" run "$MOD/io.wasm" >"$o" 2>"$o.err"
    rc=$?
    expect "io: exit" 0 "$rc"
    expect_file "io: stdin to stdout, stdout byte for byte" "$o.want" "$o"
    expect "io: stderr" "to stderr" "$(cat "$o.err")"
}

# ---- clocks and random ---------------------------------------------------
test_clock_random() {
    local o=$WORK/clock real now
    wg "$o" run "$MOD/clock.wasm"
    expect "clock: exit" 0 "$rc"
    guest_checks clock "$o"
    real=$(sed -n 's/^realtime=//p' "$o")
    now=$(date +%s)
    if [ -n "$real" ] && [ $((real - now)) -le 5 ] && [ $((now - real)) -le 5 ]; then
        ok "clock: realtime within 5 s of the host's"
    else bad "clock: realtime '$real', host $now"; fi

    local a b
    wg "$o" run "$MOD/random.wasm"
    guest_checks random "$o"
    a=$(grep '^random=' "$o")
    wg "$o" run "$MOD/random.wasm"
    b=$(grep '^random=' "$o")
    if [ -n "$a" ] && [ "$a" != "$b" ]; then ok "random: two runs differ"; else
        bad "random: two runs gave '$a' and '$b'"; fi
}

# ---- files in a granted directory --------------------------------------
test_fs() {
    local d=$WORK/fs o=$WORK/fs.out before
    mkdir "$d"
    printf 'line one\nline two\n' >"$d/input.txt"
    wg "$o" run --dir "$d::/data" "$MOD/fs.wasm"
    expect "fs: exit" 0 "$rc"
    guest_checks fs "$o"
    expect "fs: the host sees only input.txt and keep.txt" "input.txt keep.txt" \
        "$(find "$d" -mindepth 1 -printf '%P\n' | sort | tr '\n' ' ' | sed 's/ $//')"
    expect "fs: keep.txt on the host" "kept" "$(cat "$d/keep.txt" 2>&1)"
    expect "fs: input.txt unchanged" $'line one\nline two' "$(cat "$d/input.txt")"

    # The same program on the same directory granted read-only (:ro).
    before=$(snapshot "$d")
    wg "$o" run --dir "$d::/data:ro" "$MOD/fs.wasm"
    if grep -q '^not ok - create /data/hello.txt' "$o"; then
        ok "fs under :ro: creating hello.txt fails"
    else bad "fs under :ro: creating hello.txt did not fail: $(head -n 1 "$o")"; fi
    expect "fs under :ro: the directory is unchanged" "$before" "$(snapshot "$d")"

    # With the host's stdin and stderr closed, the preopen and the files the
    # guest opens must not land on host fds 0-2 (where they would pass for
    # stdio): the same program works the same.
    local d2=$WORK/fs-closed
    mkdir "$d2"
    printf 'line one\nline two\n' >"$d2/input.txt"
    timeout -s KILL 120 "$WG" run --dir "$d2::/data" "$MOD/fs.wasm" >"$o" <&- 2>&-
    rc=$?
    : >"$o.err"
    expect "fs with the host's stdin and stderr closed: exit" 0 "$rc"
    guest_checks "fs (host stdin, stderr closed)" "$o"
}

# ---- leaving the granted directory -------------------------------------
test_escape() {
    local w=$WORK/esc o=$WORK/esc.out before passwd
    mkdir -p "$w/outside/emptydir" "$w/sandbox/sub"
    printf 'top secret\n' >"$w/outside/secret.txt"
    ln -s secret.txt "$w/outside/hostlink"
    printf 'inside\n' >"$w/sandbox/inside.txt"
    printf 'target\n' >"$w/sandbox/sub/target.txt"
    ln -s / "$w/sandbox/planted_root"
    ln -s "$w/outside/secret.txt" "$w/sandbox/planted_abs"
    ln -s ../outside/secret.txt "$w/sandbox/planted_rel"
    ln -s "$w/outside" "$w/sandbox/planted_dir_out"
    ln -s /proc/self/root "$w/sandbox/planted_proc"
    before=$(snapshot "$w/outside"; ls -A "$w")
    passwd=$(cksum </etc/passwd)
    wg "$o" run --dir "$w/sandbox::/sandbox" "$MOD/escape.wasm" "$w/outside"
    expect "escape: exit" 0 "$rc"
    guest_checks escape "$o"
    expect "escape: nothing outside the sandbox changed" "$before" "$(snapshot "$w/outside"; ls -A "$w")"
    expect "escape: /etc/passwd unchanged" "$passwd" "$(cksum </etc/passwd)"
    local f
    for f in hl1 hl2 hl3 hl5 stolen.txt; do
        if [ -e "$w/sandbox/$f" ]; then bad "escape: $f exists in the sandbox"; else
            ok "escape: no $f in the sandbox"; fi
    done
    if [ -f "$w/sandbox/victim.txt" ]; then ok "escape: victim.txt stayed"; else
        bad "escape: victim.txt is gone"; fi
}

# ---- a read-only grant -----------------------------------------------------
test_readonly() {
    local r=$WORK/ro d=$WORK/rw o=$WORK/ro.out before
    mkdir -p "$r/subdir" "$r/emptydir" "$d"
    printf 'read only\n' >"$r/file.txt"
    printf 'inner\n' >"$r/subdir/inner.txt"
    touch -d '2001-02-03 04:05:06' "$r/file.txt" "$r/subdir/inner.txt"
    before=$(snapshot "$r")
    wg "$o" run --dir "$r::/ro:ro" --dir "$d::/rw" "$MOD/readonly.wasm"
    expect "readonly: exit" 0 "$rc"
    guest_checks readonly "$o"
    expect "readonly: the read-only tree is unchanged" "$before" "$(snapshot "$r")"
    expect "readonly: /rw holds only tomove.txt" "tomove.txt" "$(ls -A "$d")"
}

# ---- a real program, natively and in the sandbox -------------------------
test_wc() {
    local d=$WORK/wc o=$WORK/wc.out n=$WORK/wc.native i
    mkdir "$d"
    : >"$d/empty.txt"
    printf 'no final newline\tbut tabs  and  spaces' >"$d/nonl.txt"
    printf 'caf\xc3\xa9 na\xc3\xafve \xe2\x9c\x93\n\xe2\x9c\x93 again\n' >"$d/utf8 name.txt"
    local fmt=''
    for ((i = 0; i < 256; i++)); do printf -v fmt '%s\\x%02x' "$fmt" "$i"; done
    printf '%b' "$fmt" >"$d/bytes.bin"
    for ((i = 0; i < 25; i++)); do cat README.md LICENSE; done >"$d/big.txt"
    local files=("$d/empty.txt" "$d/nonl.txt" "$d/utf8 name.txt" "$d/bytes.bin" "$d/big.txt")

    "$MOD/wc-native" -t 15 "${files[@]}" "$d/missing.txt" >"$n" 2>"$n.err"
    local nrc=$?
    wg "$o" run --dir "$d" "$MOD/wc.wasm" -t 15 "${files[@]}" "$d/missing.txt"
    expect "wc: exit code as native" "$nrc" "$rc"
    expect_file "wc: stdout as native, byte for byte" "$n" "$o"
    expect_file "wc: stderr as native" "$n.err" "$o.err"

    "$MOD/wc-native" -l -w "${files[@]}" >"$n" 2>&1
    wg "$o" run --dir "$d::$d:ro" "$MOD/wc.wasm" -l -w "${files[@]}"
    expect_file "wc -l -w, read-only grant: as native" "$n" "$o"

    "$MOD/wc-native" -t 5 <"$d/big.txt" >"$n" 2>&1
    timeout -s KILL 120 "$WG" run "$MOD/wc.wasm" -t 5 <"$d/big.txt" >"$o" 2>&1
    expect_file "wc on stdin: as native" "$n" "$o"
}

# ---- the per-run temp dir --------------------------------------------------
# Waits up to 30 s for a file to appear (a glob in $TMPDIR); prints its path.
wait_for() {
    local i f
    for ((i = 0; i < 300; i++)); do
        for f in $TMPDIR/$1; do
            if [ -e "$f" ]; then echo "$f"; return 0; fi
        done
        sleep 0.1
    done
    return 1
}

test_tmp_fill() {
    local o=$WORK/fill.out out_file=$WORK/out_file.txt out_dir=$WORK/out_dir pid ready t before
    printf 'outside, keep me\n' >"$out_file"
    mkdir "$out_dir"
    printf 'keep\n' >"$out_dir/keep.txt"
    chmod 0444 "$out_file"
    chmod 0555 "$out_dir"
    before=$(snapshot "$out_file" "$out_dir")
    expect "tmp fill: \$TMPDIR starts empty" "" "$(tmp_left)"

    "$WG" run --tmp --timeout 60000 "$MOD/tmptree.wasm" fill "$out_file" "$out_dir" \
        >"$o" 2>"$o.err" </dev/null &
    pid=$!
    if ! ready=$(wait_for '*/READY'); then
        bad "tmp fill: the guest never wrote /tmp/READY"
        kill -KILL "$pid" 2>/dev/null; wait "$pid"; return
    fi
    t=${ready%/READY}
    expect_match "tmp fill: the temp dir is in \$TMPDIR" "^$TMPDIR/[^/]+\$" "$t"
    # What WASI cannot do: read-only and unreadable files and directories,
    # a fifo, more symlinks out.  Innermost first, while still reachable.
    if chmod 0500 "$t/deep/d/d/d/d/d/d/d/d/d/d" "$t/deep/d/d/d" &&
        chmod 0400 "$t/ro_file.txt" &&
        chmod 0000 "$t/noperm_file.txt" &&
        mkfifo "$t/fifo" &&
        ln -s "$out_file" "$t/planted_out" &&
        ln -s "$out_dir" "$t/planted_dir" &&
        ln -s "$out_dir" "$t/ro_dir/nested/planted_dir" &&
        ln -s ../../../.. "$t/deep/d/planted_up" &&
        chmod 0500 "$t/ro_dir/nested" "$t/ro_dir" &&
        chmod 0000 "$t/noperm_dir"; then
        ok "tmp fill: the host made files and directories read-only meanwhile"
    else
        bad "tmp fill: the host could not change the temp dir"
    fi
    touch "$t/GO"
    wait "$pid"
    rc=$?
    expect "tmp fill: exit" 0 "$rc"
    guest_checks "tmp fill" "$o"
    expect_no_tmp "tmp fill"
    expect "tmp fill: the file and directory outside are untouched" "$before" \
        "$(snapshot "$out_file" "$out_dir")"
}

test_tmp_ends() {
    local o=$WORK/ends.out start elapsed
    wg "$o" run --tmp "$MOD/tmptree.wasm" trap
    expect "tmp trap: exit" 134 "$rc"
    expect "tmp trap: it wrote first" "written" "$(cat "$o")"
    expect_no_tmp "tmp trap"

    start=$(date +%s%N)
    wg "$o" run --tmp --timeout 300 "$MOD/tmptree.wasm" spin
    elapsed=$((($(date +%s%N) - start) / 1000000))
    expect "tmp timeout (a loop): exit" 124 "$rc"
    expect "tmp timeout (a loop): message" "wasmguard: timeout after 300 ms" "$(cat "$o.err")"
    if [ "$elapsed" -lt 10000 ]; then ok "tmp timeout (a loop): stopped in time"; else
        bad "tmp timeout (a loop): took $elapsed ms"; fi
    expect_no_tmp "tmp timeout (a loop)"

    start=$(date +%s%N)
    wg "$o" run --tmp --timeout 300 "$MOD/tmptree.wasm" sleep
    elapsed=$((($(date +%s%N) - start) / 1000000))
    expect "tmp timeout (asleep in poll_oneoff): exit" 124 "$rc"
    if [ "$elapsed" -lt 10000 ]; then ok "tmp timeout (asleep): stopped in time"; else
        bad "tmp timeout (asleep): took $elapsed ms"; fi
    expect_no_tmp "tmp timeout (asleep)"

    wg "$o" run --tmp --fuel 3000000 "$MOD/tmptree.wasm" spin
    expect "tmp fuel: exit" 125 "$rc"
    expect "tmp fuel: message" "wasmguard: fuel exhausted" "$(cat "$o.err")"
    expect_no_tmp "tmp fuel"
}

# SIGTERM or SIGINT while the guest runs: exit 128+N, no temp dir left.
test_tmp_signal() {  # signal, code, guest mode, file that says it runs
    local o=$WORK/sig.out pid i
    "$WG" run --tmp "$MOD/tmptree.wasm" "$3" >"$o" 2>"$o.err" </dev/null &
    pid=$!
    if wait_for "*/$4" >/dev/null; then
        kill "-$1" "$pid"
    else
        bad "tmp $1 ($3): the guest did not start"
    fi
    # Up to 30 s to stop (bash reaps it as soon as it exits), then KILL.
    for ((i = 0; i < 300; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid"
    rc=$?
    expect "tmp $1 ($3): exit" "$2" "$rc"
    expect "tmp $1 ($3): message" "wasmguard: stopped by SIG$1" "$(tail -n 1 "$o.err")"
    expect_no_tmp "tmp $1 ($3)"
}

test_cli
test_dirs
test_env
test_exit
test_io
test_clock_random
test_fs
test_escape
test_readonly
test_wc
test_tmp_fill
test_tmp_ends
# A signal while the guest waits in fd_read on an empty pipe.
test_blocked_read() {
    local o=$WORK/blocked.out fifo=$WORK/fifo pid i
    mkfifo "$fifo"
    exec 3<>"$fifo"  # both ends open here: reads block, no EOF
    "$WG" run --tmp "$MOD/io.wasm" <"$fifo" >"$o" 2>"$o.err" &
    pid=$!
    sleep 0.5
    kill -TERM "$pid"
    for ((i = 0; i < 300; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid"
    rc=$?
    exec 3>&-
    expect "SIGTERM in a blocked fd_read: exit" 143 "$rc"
    expect_no_tmp "SIGTERM in a blocked fd_read"
}

# --timeout while the guest waits in fd_read on a pipe nobody writes to
# (a blocking read(2) would sleep through it).
test_blocked_read_timeout() {
    local o=$WORK/blocked-t.out fifo=$WORK/fifo-t start elapsed
    mkfifo "$fifo"
    exec 3<>"$fifo"
    start=$(date +%s%N)
    timeout -s KILL 60 "$WG" run --tmp --timeout 300 "$MOD/io.wasm" <"$fifo" >"$o" 2>"$o.err"
    rc=$?
    elapsed=$((($(date +%s%N) - start) / 1000000))
    exec 3>&-
    expect "timeout in a blocked fd_read: exit" 124 "$rc"
    expect "timeout in a blocked fd_read: message" "wasmguard: timeout after 300 ms" "$(cat "$o.err")"
    if [ "$elapsed" -lt 10000 ]; then ok "timeout in a blocked fd_read: stopped in time"; else
        bad "timeout in a blocked fd_read: took $elapsed ms"; fi
    expect_no_tmp "timeout in a blocked fd_read"
}

test_tmp_signal TERM 143 sleep READY
test_tmp_signal INT 130 spin top.txt
test_tmp_signal TERM 143 spin top.txt
test_blocked_read
test_blocked_read_timeout
expect_no_tmp "the whole suite"

summary
