#!/usr/bin/env bash
# check.sh - `make check`: every suite, then one total line.
# Each suite ends with a line "<name>: N passed, N failed[, N skipped]";
# this script adds them up and fails when any suite failed or crashed.
set -u
cd "$(dirname "$0")/.."
MAKE=${MAKE:-make}
pass=0 fail=0 skip=0 broken=0

run_suite() {  # name, command...
    local name=$1; shift
    local out line p f s
    out=$(mktemp)
    "$@" 2>&1 | tee "$out" | grep -E '^[a-z()A-Z -]+: [0-9]+ passed, [0-9]+ failed' || true
    local rc=${PIPESTATUS[0]}
    line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
    if [ -z "$line" ]; then
        echo "$name: no summary line (exit $rc); its output:"; tail -n 30 "$out"
        broken=$((broken + 1)); rm -f "$out"; return
    fi
    p=$(sed -E 's/.* ([0-9]+) passed.*/\1/' <<<"$line")
    f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
    s=$(grep -oE '[0-9]+ skipped' <<<"$line" | grep -oE '[0-9]+' || echo 0)
    pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + ${s:-0}))
    if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
        echo "$name: exited $rc"; broken=$((broken + 1))
    fi
    if [ "$f" != 0 ]; then grep -E 'FAIL' "$out" | head -n 40; fi
    rm -f "$out"
}

if ! $MAKE -s all check-build >/dev/null; then
    $MAKE all check-build
    echo "0 passed, 1 failed"; exit 1
fi
while read -r name cmd; do
    [ -z "$name" ] && continue
    case "$name" in '#'*) continue ;; esac
    run_suite "$name" $cmd
done < tests/suites.txt

fail=$((fail + broken))
echo
if [ "$skip" -gt 0 ]; then
    echo "$pass passed, $fail failed, $skip skipped"
else
    echo "$pass passed, $fail failed"
fi
[ "$fail" = 0 ]
