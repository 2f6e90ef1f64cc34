#!/usr/bin/env bash
# run.sh - runs the spec testsuite: a spec runner once per converted .wast
# file (DIR/NAME.json), several at a time, each under a timeout.  Prints
# for each file its FAIL lines and "NAME.wast: P passed, F failed, S
# skipped", then "NAME: N passed, N failed, N skipped" (NAME from --name).
#
# usage: tests/spec/run.sh RUNNER [--name NAME] [--known FILE] [--dir DIR]
#            [--jobs N] [--timeout SECONDS] [--fail-lines N]
#
#   --name       the summary's name (spec, spec-asan, spec-portable)
#   --known      a known-failures list: "FILE.wast:LINE reason", '#'
#                comments.  Listed commands that fail count as skipped; a
#                listed command that passes is a failure (remove it).
#   --dir        where the JSON files are (build/spec)
#   --jobs       files run at once (the number of CPUs)
#   --timeout    seconds per file (120)
#   --fail-lines FAIL lines shown per file (20; 0 shows only the summaries)
#
# A crash, a sanitizer report or a timeout counts as one more failure of
# that file, and the run goes on.  Each file's whole output is kept in
# DIR/logs-NAME/NAME.log.  Exit status 0 only when nothing failed.
set -u

usage() { sed -n '7,8p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

[ $# -ge 1 ] || usage
runner=$1; shift
name=spec dir=build/spec known='' timeout_s=120 fail_lines=20
jobs=$(nproc 2>/dev/null || echo 2)
while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || usage
    case "$1" in
    --name) name=$2 ;;
    --known) known=$2 ;;
    --dir) dir=$2 ;;
    --jobs) jobs=$2 ;;
    --timeout) timeout_s=$2 ;;
    --fail-lines) fail_lines=$2 ;;
    *) usage ;;
    esac
    shift 2
done

total_pass=0 total_fail=0 total_skip=0 total_known=0

# Complaints about the list itself are failures too, so a bad entry
# cannot hide a real failure.
check_known() {
    local n=0 line key file
    declare -A seen=()
    if [ ! -r "$known" ]; then
        echo "FAIL $known: cannot read the known-failures list"
        total_fail=$((total_fail + 1)); return
    fi
    while IFS= read -r line || [ -n "$line" ]; do
        n=$((n + 1))
        [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
        if [[ ! "$line" =~ ^([A-Za-z0-9_.-]+\.wast):([0-9]+)[[:space:]]+[^[:space:]] ]]; then
            echo "FAIL $known:$n: want \"FILE.wast:LINE reason\", got: $line"
            total_fail=$((total_fail + 1)); continue
        fi
        file=${BASH_REMATCH[1]} key="${BASH_REMATCH[1]}:${BASH_REMATCH[2]}"
        if [ ! -e "$dir/${file%.wast}.json" ]; then
            echo "FAIL $known:$n: $file is not a spec file in $dir"
            total_fail=$((total_fail + 1))
        elif [ -n "${seen[$key]:-}" ]; then
            echo "FAIL $known:$n: $key is listed twice"
            total_fail=$((total_fail + 1))
        fi
        seen[$key]=1
    done <"$known"
}

# Runs one file into its log; LOG.rc appears when it is done.  A run that
# died before its summary is repeated with --trace to find the command.
run_one() {  # json log
    local rc
    timeout -k 5 "$timeout_s" "$runner" "${known_args[@]}" "$1" >"$2" 2>&1
    rc=$?
    if [ "$rc" != 0 ] && [ "$rc" != 3 ] && [ "$rc" != 124 ] && [ "$rc" != 137 ] &&
       ! grep -q ' passed, [0-9]* failed, [0-9]* skipped' "$2"; then
        timeout -k 5 "$timeout_s" "$runner" "${known_args[@]}" --trace "$1" >"$2.trace" 2>&1
    fi
    echo "$rc" >"$2.rc.tmp" && mv "$2.rc.tmp" "$2.rc"
}

# Why a run ended abnormally: exit_short (a few words), exit_detail (with
# the command it was running and the sanitizer's line, when known).
describe_exit() {  # rc log
    local rc=$1 log=$2 where report
    case "$rc" in
    124) exit_short="timed out after ${timeout_s} s" ;;
    137) exit_short="was killed (SIGKILL: timeout or out of memory)" ;;
    *) if [ "$rc" -gt 128 ]; then
           exit_short="was killed by SIG$(kill -l $((rc - 128)) 2>/dev/null || echo $((rc - 128)))"
       else
           exit_short="exited with status $rc"
       fi ;;
    esac
    exit_detail=$exit_short
    if [ -e "$log.trace" ]; then
        where=$(grep '^RUN ' "$log.trace" | tail -n 1 | sed 's/^RUN //')
        [ -n "$where" ] && exit_detail="$exit_detail during $where"
    fi
    report=$(grep -m1 'runtime error:' "$log" || grep -m1 '^SUMMARY: ' "$log" ||
             grep -m1 'ERROR: ' "$log")
    [ -n "$report" ] && exit_detail="$exit_detail: $report"
}

# Prints one file's result from its log and adds it to the totals.
report_file() {  # json
    local base wast log rc summary p=0 f=0 s=0 note='' nfail
    base=$(basename "$1" .json); wast="$base.wast"; log="$logdir/$base.log"
    rc=$(cat "$log.rc")
    summary=$(awk -v w="$wast: " 'index($0, w) == 1 && / passed, [0-9]+ failed, [0-9]+ skipped/' \
              "$log" | tail -n 1)
    nfail=$(grep -c '^FAIL ' "$log")
    if [ -n "$summary" ]; then
        read -r p f s <<<"$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped.*/\1 \2 \3/' <<<"$summary")"
        note=$(grep -oE ' \([0-9]+ known failures\)' <<<"$summary")
        total_known=$((total_known + $(grep -oE '[0-9]+' <<<"${note:-0}")))
    else
        f=$nfail
    fi
    if [ "$fail_lines" -gt 0 ]; then
        grep '^FAIL ' "$log" | head -n "$fail_lines"
        if [ "$nfail" -gt "$fail_lines" ]; then
            echo "  ... $((nfail - fail_lines)) more FAIL lines in $final_logdir/$base.log"
        fi
    fi
    if { [ "$rc" != 0 ] && [ "$rc" != 3 ]; } || [ -z "$summary" ]; then
        describe_exit "$rc" "$log"
        f=$((f + 1))
        [ "$fail_lines" -gt 0 ] && echo "FAIL $wast: the runner $exit_detail (log: $final_logdir/$base.log)"
        note="$note (the runner $exit_short)"
    fi
    echo "$wast: $p passed, $f failed, $s skipped$note"
    total_pass=$((total_pass + p)); total_fail=$((total_fail + f)); total_skip=$((total_skip + s))
}

# Moves this run's logs to DIR/logs-NAME (if it has any yet).
keep_logs() {
    [ -n "${logdir:-}" ] && [ -d "$logdir" ] || return 0
    rm -rf "$final_logdir"
    mv -T "$logdir" "$final_logdir" 2>/dev/null ||
        echo "$name: another run took $final_logdir; this run's logs are in $logdir"
}

finish() {
    keep_logs
    if [ -n "$known" ] && [ "$total_known" -gt 0 ]; then
        echo "$name: $total_known known failures (listed in $known, counted as skipped)"
    fi
    echo "$name: $total_pass passed, $total_fail failed, $total_skip skipped"
    [ "$total_fail" = 0 ]
    exit
}

if [ ! -x "$runner" ]; then
    echo "FAIL $name: no runner $runner (make $runner)"
    total_fail=1; finish
fi
shopt -s nullglob
files=("$dir"/*.json)
if [ ${#files[@]} = 0 ]; then
    echo "FAIL $name: no spec files in $dir (make check-build converts them)"
    total_fail=1; finish
fi
known_args=()
if [ -n "$known" ]; then
    check_known
    known_args=(--known "$known")
fi

# Logs go to a private directory first, so runs at the same time (two
# `make check`s) cannot delete each other's; the last one to finish leaves
# its logs in DIR/logs-NAME.  Messages name that final place.
final_logdir="$dir/logs-$name"
logdir=$(mktemp -d "$dir/.logs-$name.XXXXXX") || { total_fail=1; finish; }

# Stops the runs still going when this script is interrupted.
pids=()
stop_runs() {
    local pid
    for pid in "${pids[@]}"; do
        pkill -TERM -P "$pid" 2>/dev/null
        kill "$pid" 2>/dev/null
    done
}
trap 'stop_runs; rm -rf "$logdir"; exit 130' INT TERM

# Start up to $jobs runs; print results in file order as they complete.
next=0
for i in "${!files[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
        wait -n
        while [ "$next" -lt "$i" ] && [ -e "$logdir/$(basename "${files[$next]}" .json).log.rc" ]; do
            report_file "${files[$next]}"; next=$((next + 1))
        done
    done
    base=$(basename "${files[$i]}" .json)
    # Its stderr is only bash's "Segmentation fault"; the log has the rest.
    run_one "${files[$i]}" "$logdir/$base.log" 2>/dev/null &
    pids+=($!)
done
wait
while [ "$next" -lt ${#files[@]} ]; do
    report_file "${files[$next]}"; next=$((next + 1))
done
finish
