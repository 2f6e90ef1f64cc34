#!/usr/bin/env bash
# plugin_run.sh BENCH_BIN PLUGIN.wasm NODE_DIR - the plugin-call table of
# `make bench`: medians of batches, wasmguard and Extism's JS SDK on Node
# measured in the same run.
set -u
bin=$1 plugin=$2 node_dir=$3
here=$(cd "$(dirname "$0")" && pwd)
# ESM resolves '@extism/extism' next to the script, so it runs from a copy
# inside the directory npm installed into.
run_node() {  # mode iterations batches
    local out
    [ -d "$node_dir/node_modules/@extism/extism" ] || { echo "-"; return; }
    cp "$here/plugin_bench.mjs" "$node_dir/plugin_bench.mjs"
    out=$(NODE_NO_WARNINGS=1 node "$node_dir/plugin_bench.mjs" "$plugin" "$@" 2>/dev/null | awk '{print $2}')
    echo "${out:--}"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || a == 0) print "-"; else printf "%.1f", b / a }'; }

fresh_wg=$("$bin" "$plugin" fresh 2000 9 | awk '{print $2}')
reuse_wg=$("$bin" "$plugin" reuse 200000 9 | awk '{print $2}')
fresh_js=$(run_node fresh 200 9)
reuse_js=$(run_node reuse 20000 9)

echo
echo "plugin calls (median of 9 batches, microseconds per call; ratio = Extism JS / wasmguard)"
printf '%-44s %12s %14s %8s\n' "measurement" "wasmguard" "Extism JS" "ratio"
printf '%-44s %12s %14s %8s\n' "fresh sandbox per call (create, call, free)" "$fresh_wg" "$fresh_js" "$(ratio "$fresh_wg" "$fresh_js")"
printf '%-44s %12s %14s %8s\n' "reused plugin, empty function" "$reuse_wg" "$reuse_js" "$(ratio "$reuse_wg" "$reuse_js")"
echo "targets: fresh <= 50 us, reused <= 2 us"
