#!/usr/bin/env bash
# run.sh - the measuring half of `make bench` (bench/bench.mk builds).
#
# Usage: bash bench/run.sh BUILD/bench
# Runs every workload BENCH_REPEAT times in each column (native, wasmguard,
# node), one fresh process per run, the columns interleaved so that drift
# in the machine's speed hits all three alike.  Every run prints
#     checksum=<u64> run_ms=<ms> [compile_ms=<ms> instantiate_ms=<ms>]
# and every checksum must equal the first native one: a mismatch, a trap,
# a crash or a timeout is reported as an error for that workload and
# column (whose remaining runs are skipped), never as a time.  Prints the
# table of medians and ratios, also written to BUILD/bench/results.txt,
# and exits 1 when anything failed.
#
# Environment: BENCH_REPEAT (5), BENCH_COLUMNS ("native wasmguard node"),
# BENCH_ONLY (workload names, default all), BENCH_TIMEOUT (seconds per
# run, 600), NODE (node), BENCH_NODE_FLAGS (--no-liftoff), BENCH_CC and
# WASM_CC (only to print their versions).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

out=${1:?usage: bench/run.sh BUILD/bench}
repeat=${BENCH_REPEAT:-5}
columns=${BENCH_COLUMNS:-native wasmguard node}
only=${BENCH_ONLY:-}
timeout_s=${BENCH_TIMEOUT:-600}
node=${NODE:-node}
node_flags=${BENCH_NODE_FLAGS---no-liftoff}
read -ra node_argv <<<"$node_flags"

# Workloads and their scales, chosen so that one native run takes about
# 80-100 ms on a 2020s x86-64 core (an interpreter then takes ~1-3 s).
workloads=(
    "sieve 36"
    "collatz 500000"
    "sha256 1000"
    "matmul 70"
    "sort 14"
    "strscan 100"
    "nbody 32000"
    "mandelbrot 720"
    # The SIMD rows: the same source built with -msimd128 (bench.mk's
    # BENCH_SIMD_NAMES), the scalar native binary as their native column,
    # the same checksum.  Reported in their own table and geomean.
    "matmul-simd 70"
    "nbody-simd 32000"
)
is_simd() { [[ $1 == *-simd ]]; }

die() { echo "bench: $*" >&2; exit 2; }

case $repeat in '' | *[!0-9]* | 0) die "BENCH_REPEAT must be a positive integer, not '$repeat'" ;; esac
for col in $columns; do
    case $col in native | wasmguard | node) ;; *) die "unknown column '$col' in BENCH_COLUMNS" ;; esac
done
[ -n "$columns" ] || die "BENCH_COLUMNS is empty"

# The workloads to run, checked against bench/workloads/*.c both ways.
selected=()
for entry in "${workloads[@]}"; do
    name=${entry%% *}
    if [ -z "$only" ] || [[ " $only " == *" $name "* ]]; then selected+=("$entry"); fi
done
for src in bench/workloads/*.c; do
    name=$(basename "$src" .c)
    printf '%s\n' "${workloads[@]}" | grep -q "^$name " ||
        die "$src has no scale in bench/run.sh's workloads table"
done
for name in $only; do
    printf '%s\n' "${workloads[@]}" | grep -q "^$name " || die "BENCH_ONLY: no workload '$name'"
done
[ ${#selected[@]} -gt 0 ] || die "no workloads selected"

declare -A times compiles insts failed
errors=()
reference=""

# run_one COLUMN NAME SCALE: one process; sets r_sum, r_ms, r_compile,
# r_inst, or r_err when the run failed.
run_one() {
    local col=$1 name=$2 scale=$3 output rc line
    local -a cmd
    case $col in
        native) cmd=("$out/native/${name%-simd}" "$scale") ;;
        wasmguard) cmd=("$out/wg_bench" "$out/wasm/$name.wasm" "$scale") ;;
        node) cmd=("$node" "${node_argv[@]}" bench/node_bench.mjs "$out/wasm/$name.wasm" "$scale") ;;
    esac
    r_sum="" r_ms="" r_compile="" r_inst="" r_err=""
    output=$(timeout "$timeout_s" "${cmd[@]}" 2>&1)
    rc=$?
    line=$(grep -E '^checksum=[0-9]+ run_ms=' <<<"$output" | tail -n 1)
    if [ "$rc" = 124 ]; then
        r_err="timed out after ${timeout_s} s"
    elif [ "$rc" -gt 128 ]; then
        r_err="killed by signal $((rc - 128)) ($(kill -l $((rc - 128)) 2>/dev/null || echo '?'))"
    elif [ "$rc" != 0 ] || [ -z "$line" ]; then
        r_err=$(grep -m 1 '^error:' <<<"$output" || tail -n 1 <<<"$output")
        r_err="exit $rc: ${r_err:-no output}"
    fi
    if [ -n "$r_err" ]; then
        if [ "$rc" = 124 ] || [ "$rc" -gt 128 ]; then
            local tail_out
            tail_out=$(grep -v '^checksum=' <<<"$output" | tail -n 3 | paste -sd ' ' -)
            [ -n "$tail_out" ] && r_err="$r_err; output: $tail_out"
        fi
        return
    fi
    r_sum=$(sed -E 's/.*checksum=([0-9]+).*/\1/' <<<"$line")
    r_ms=$(sed -E 's/.*run_ms=([0-9.]+).*/\1/' <<<"$line")
    if [[ "$line" == *compile_ms=* ]]; then
        r_compile=$(sed -E 's/.*compile_ms=([0-9.]+).*/\1/' <<<"$line")
        r_inst=$(sed -E 's/.*instantiate_ms=([0-9.]+).*/\1/' <<<"$line")
    fi
}

median() {  # numbers as arguments
    printf '%s\n' "$@" | sort -g |
        awk '{ v[NR] = $1 } END { if (NR == 0) exit; m = int((NR + 1) / 2);
              printf "%.2f", (NR % 2) ? v[m] : (v[m] + v[m + 1]) / 2 }'
}

raw="$out/raw.txt"
mkdir -p "$out"
: >"$raw"
echo "bench: ${#selected[@]} workloads x $repeat runs x columns: $columns" >&2
for entry in "${selected[@]}"; do
    name=${entry%% *} scale=${entry##* }
    reference=""
    for ((run = 1; run <= repeat; run++)); do
        for col in $columns; do
            key="$name.$col"
            [ -n "${failed[$key]:-}" ] && continue
            run_one "$col" "$name" "$scale"
            if [ -z "$r_err" ]; then
                echo "$name $col run=$run checksum=$r_sum run_ms=$r_ms compile_ms=${r_compile:--} instantiate_ms=${r_inst:--}" >>"$raw"
                if [ -z "$reference" ]; then
                    reference=$r_sum reference_from="$col run $run"
                elif [ "$r_sum" != "$reference" ]; then
                    r_err="wrong checksum $r_sum, expected $reference (from $reference_from)"
                fi
            fi
            if [ -n "$r_err" ]; then
                echo "$name $col run=$run error: $r_err" >>"$raw"
                failed[$key]=1
                errors+=("$name ($col, run $run, scale $scale): $r_err")
                continue
            fi
            times[$key]+=" $r_ms"
            [ -n "$r_compile" ] && compiles[$key]+=" $r_compile" && insts[$key]+=" $r_inst"
        done
    done
    progress="  $name:"
    for col in $columns; do
        if [ -n "${failed[$name.$col]:-}" ]; then
            progress+=" $col ERROR"
        else
            # shellcheck disable=SC2086
            progress+=" $col $(median ${times[$name.$col]}) ms"
        fi
    done
    echo "$progress" >&2
done

# The report: the table of medians, ratios and their geometric means.
has() { [[ " $columns " == *" $1 "* ]]; }
cell() {  # COLUMN NAME: median ms, ERROR, or - when not measured
    if ! has "$1"; then echo "-"
    elif [ -n "${failed[$2.$1]:-}" ]; then echo "ERROR"
    else
        # shellcheck disable=SC2086
        median ${times[$2.$1]}
    fi
}
ratio() {  # A B: A/B, or - when either is not a number
    awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0)
                                      printf "%.2f", a / b; else printf "-" }'
}
geomean() {  # ratios as arguments; "-" entries are left out
    printf '%s\n' "$@" | awk '/^[0-9.]+$/ && $1 > 0 { s += log($1); n++ }
                              END { if (n) printf "%.2f (%d)", exp(s / n), n; else printf "-" }'
}
version() { "$@" 2>/dev/null | head -n 1; }

report="$out/results.txt"
{
    echo "wasmguard benchmarks, $(date '+%Y-%m-%d %H:%M')"
    echo "cpu:    $(grep -m 1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //') ($(nproc) cpus)"
    echo "native: $(version "${BENCH_CC:-cc}" --version) -O2"
    echo "wasm:   $(version "${WASM_CC:-clang}" --version) -O2 --target=wasm32-wasi"
    echo "node:   $("$node" --version 2>/dev/null) $node_flags"
    echo "times:  median of $repeat runs, ms of the bench_run call only (compile and"
    echo "        instantiation excluded, listed below); ratio = column / native"
    echo
    printf '%-12s %8s %10s %13s %10s %17s %12s\n' workload scale "native ms" "wasmguard ms" "node ms" \
        "wasmguard/native" "node/native"
    wg_ratios=() node_ratios=() simd_rows=0
    for entry in "${selected[@]}"; do
        name=${entry%% *} scale=${entry##* }
        if is_simd "$name"; then simd_rows=1; continue; fi
        n=$(cell native "$name") w=$(cell wasmguard "$name") j=$(cell node "$name")
        rw=$(ratio "$w" "$n") rj=$(ratio "$j" "$n")
        wg_ratios+=("$rw") node_ratios+=("$rj")
        printf '%-12s %8s %10s %13s %10s %17s %12s\n' "$name" "$scale" "$n" "$w" "$j" "$rw" "$rj"
    done
    printf '%-12s %8s %10s %13s %10s %17s %12s\n' "geomean" "" "" "" "" \
        "$(geomean "${wg_ratios[@]}")" "$(geomean "${node_ratios[@]}")"
    echo "(geomean: geometric mean of the ratios above, number of workloads in parentheses)"

    if [ "$simd_rows" = 1 ]; then
        echo
        echo "SIMD rows: the same workloads built with -msimd128 (not in the geomean above);"
        echo "native = the scalar row's native binary; wg simd/scalar = wasmguard ms / its scalar row's"
        printf '%-12s %8s %10s %13s %10s %17s %12s %15s\n' workload scale "native ms" "wasmguard ms" \
            "node ms" "wasmguard/native" "node/native" "wg simd/scalar"
        sw_ratios=() sj_ratios=()
        for entry in "${selected[@]}"; do
            name=${entry%% *} scale=${entry##* }
            is_simd "$name" || continue
            n=$(cell native "$name") w=$(cell wasmguard "$name") j=$(cell node "$name")
            rw=$(ratio "$w" "$n") rj=$(ratio "$j" "$n")
            sw_ratios+=("$rw") sj_ratios+=("$rj")
            base=${name%-simd} ws="-"
            for e2 in "${selected[@]}"; do
                [ "${e2%% *}" = "$base" ] && ws=$(ratio "$w" "$(cell wasmguard "$base")")
            done
            printf '%-12s %8s %10s %13s %10s %17s %12s %15s\n' "$name" "$scale" "$n" "$w" "$j" "$rw" "$rj" "$ws"
        done
        printf '%-12s %8s %10s %13s %10s %17s %12s\n' "geomean simd" "" "" "" "" \
            "$(geomean "${sw_ratios[@]}")" "$(geomean "${sj_ratios[@]}")"
    fi

    if has wasmguard || has node; then
        echo
        echo "module load, median ms: compile = decode+validate+compile, inst = instantiate"
        printf '%-12s %14s %12s %14s %12s\n' workload "wasmguard comp" "wg inst" "node compile" "node inst"
        for entry in "${selected[@]}"; do
            name=${entry%% *}
            row=()
            for col in wasmguard node; do
                if has "$col" && [ -z "${failed[$name.$col]:-}" ] && [ -n "${compiles[$name.$col]:-}" ]; then
                    # shellcheck disable=SC2086
                    row+=("$(median ${compiles[$name.$col]})" "$(median ${insts[$name.$col]})")
                else
                    row+=("-" "-")
                fi
            done
            printf '%-12s %14s %12s %14s %12s\n' "$name" "${row[@]}"
        done
    fi

    echo
    if [ ${#errors[@]} -eq 0 ]; then
        echo "checksums: all runs of each workload agree"
    else
        echo "ERRORS (${#errors[@]}): these cells show ERROR, not a time"
        printf '  %s\n' "${errors[@]}"
    fi
} >"$report"

cat "$report"
echo "(also in $report; every run in $raw)"
[ ${#errors[@]} -eq 0 ]
