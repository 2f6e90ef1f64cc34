#!/usr/bin/env bash
# helm_run.sh WASMGUARD PLUGINS_DIR OUT_DIR - the Helm rows of `make bench`:
#   - a whole `wasmguard plugin run` process for a small cli/v1 plugin
#     (process start, plugin.yaml, compile, sandbox, call, cleanup): the
#     median wall time of 41 runs;
#   - post-render throughput through a pass-through postrenderer/v1
#     plugin on a 10 MiB stream: the median of 5 runs.  The plugin
#     (tests/helm/plugins/postrender.c) returns its input message as its
#     output, which is a valid output message: the row is the host's cost
#     (read, encode, the Extism copies in and out, decode, write).  A
#     second row has the plugin find the manifests' string token itself
#     (a word-at-a-time scan in the interpreter) and return only it.
set -u
wg=$1 plugins=$2 out=$3
export HELM_PLUGINS=$plugins
mkdir -p "$out"
now_ns() { date +%s%N; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

for _ in $(seq 41); do
    t0=$(now_ns)
    "$wg" plugin run cli >/dev/null 2>&1 </dev/null
    echo $(( $(now_ns) - t0 ))
done | median > "$out/helm_run_ns"

manifests=$out/manifests-10m.yaml
if [ ! -s "$manifests" ]; then
    # 10 MiB of YAML-like text with quotes, tabs and unicode
    awk 'BEGIN { line = "  name: \"value\"\tkey: café-\\u00e9 " ;
                 n = 0; while (n < 10485760) { printf "%s%d\n", line, n; n += length(line) + 8 } }' \
        | head -c 10485760 > "$manifests"
fi
for mode in "" token; do
    for _ in $(seq 5); do
        t0=$(now_ns)
        "$wg" post-render postrender $mode <"$manifests" >"$out/post-rendered.yaml" 2>/dev/null
        echo $(( $(now_ns) - t0 ))
    done | median > "$out/post_render${mode:+_$mode}_ns"
    cmp -s "$manifests" "$out/post-rendered.yaml" || echo "bench: post-render $mode changed the manifests!" >&2
done

run_ms=$(awk '{ printf "%.1f", $1 / 1e6 }' "$out/helm_run_ns")
mibs=$(awk '{ printf "%.1f", 10 / ($1 / 1e9) }' "$out/post_render_ns")
mibs_token=$(awk '{ printf "%.1f", 10 / ($1 / 1e9) }' "$out/post_render_token_ns")
echo
echo "Helm plugins (medians; targets: plugin run under 10 ms, post-render 100 MiB/s or more)"
printf '%-52s %10s\n' "wasmguard plugin run cli (whole process)" "$run_ms ms"
printf '%-52s %10s\n' "post-render, pass-through plugin, 10 MiB" "$mibs MiB/s"
printf '%-52s %10s\n' "post-render, plugin scanning for the manifests, 10 MiB" "$mibs_token MiB/s"
