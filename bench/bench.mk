# bench/bench.mk - `make bench`: every workload in bench/workloads/ built
# natively and as a wasm32 module without imports, each run in three
# columns (native, wasmguard's interpreter, Node's V8) and summarized by
# bench/run.sh into a table, also written to build/bench/results.txt.
# See bench/README.md.  Not part of `make check`: nothing here is timed
# by the tests.
#
#   make bench                      all columns, BENCH_REPEAT runs each
#   make bench BENCH_REPEAT=3       fewer runs (the median is reported)
#   make bench BENCH_ONLY="sha256 sort"
#   make bench BENCH_COLUMNS="native node"   without the engine library
#   make bench-build                build everything, run nothing

BENCH_OUT      := $(BUILD)/bench
BENCH_NAMES    := $(sort $(basename $(notdir $(wildcard bench/workloads/*.c))))
BENCH_REPEAT   ?= 5
BENCH_COLUMNS  ?= native wasmguard node
BENCH_ONLY     ?=
WASM_CC        ?= clang

# The same -O2 and the same language flags for both targets; no FMA
# contraction, so float results round identically everywhere.
BENCH_WFLAGS   := -std=c11 -O2 -Wall -Wextra -Werror -ffp-contract=off -Ibench/workloads
BENCH_NATIVE_CFLAGS := $(BENCH_WFLAGS) -D_GNU_SOURCE
# A module with no entry point and one export; libc is linked, but only
# for functions that need no WASI import (memset, memcpy, strlen).
BENCH_WASM_CFLAGS := --target=wasm32-wasi $(BENCH_WFLAGS) -nostartfiles \
                     -Wl,--no-entry -Wl,--export=bench_run -Wl,--strip-debug

# Workloads also built with -msimd128 as NAME-simd.wasm (clang
# auto-vectorizes them); their rows reuse the scalar native binary and
# checksum, and bench/run.sh keeps them out of the scalar geomean.  Must
# match the -simd rows of run.sh's workloads table.
BENCH_SIMD_NAMES := matmul nbody

BENCH_NATIVE_BIN := $(BENCH_NAMES:%=$(BENCH_OUT)/native/%)
BENCH_WASM_MOD   := $(BENCH_NAMES:%=$(BENCH_OUT)/wasm/%.wasm) \
                    $(BENCH_SIMD_NAMES:%=$(BENCH_OUT)/wasm/%-simd.wasm)
BENCH_WG         := $(BENCH_OUT)/wg_bench
BENCH_DEPS       := $(BENCH_NATIVE_BIN) $(BENCH_WASM_MOD) \
                    $(if $(filter wasmguard,$(BENCH_COLUMNS)),$(BENCH_WG))

$(BENCH_OUT)/native/%: bench/workloads/%.c bench/native_bench.c bench/workloads/workload.h
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_NATIVE_CFLAGS) -o $@ bench/native_bench.c $< -lm

# The module must import nothing: a stray libc call that needs WASI would
# show up here as an import of wasi_snapshot_preview1.
$(BENCH_OUT)/wasm/%.wasm: bench/workloads/%.c bench/workloads/workload.h
	@mkdir -p $(dir $@)
	$(WASM_CC) $(BENCH_WASM_CFLAGS) -o $@.tmp $<
	@if wasm-objdump -h $@.tmp | grep -q '^ *Import '; then \
	    echo "bench: $@ has imports:" >&2; wasm-objdump -x -j Import $@.tmp >&2; \
	    rm -f $@.tmp; exit 1; fi
	@mv $@.tmp $@

# The same module with SIMD allowed: the same source and checksum, the
# loops clang vectorizes in v128 instructions.
$(BENCH_OUT)/wasm/%-simd.wasm: bench/workloads/%.c bench/workloads/workload.h
	@mkdir -p $(dir $@)
	$(WASM_CC) $(BENCH_WASM_CFLAGS) -msimd128 -o $@.tmp $<
	@if wasm-objdump -h $@.tmp | grep -q '^ *Import '; then \
	    echo "bench: $@ has imports:" >&2; wasm-objdump -x -j Import $@.tmp >&2; \
	    rm -f $@.tmp; exit 1; fi
	@mv $@.tmp $@

$(BENCH_WG): bench/wg_bench.c src/wasm/wasm.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ bench/wg_bench.c $(LIB) $(LDLIBS)

.PHONY: bench-build
bench-build: $(BENCH_DEPS)

bench: $(BENCH_DEPS)
	@BENCH_REPEAT="$(BENCH_REPEAT)" BENCH_COLUMNS="$(BENCH_COLUMNS)" \
	    BENCH_ONLY="$(BENCH_ONLY)" BENCH_CC="$(CC)" WASM_CC="$(WASM_CC)" \
	    bash bench/run.sh $(BENCH_OUT)

# ---- Plugin calls: wasmguard's Extism runtime against Extism's JS SDK ----
# bench/plugin_run.sh prints the latency of a fresh sandbox per call and
# of a call on a reused plugin, for both, and their ratios.  The SDK is
# installed from npm into the build directory (never committed).
BENCH_PLUGIN      := $(BENCH_OUT)/plugins/bench_plugin.wasm
BENCH_PLUGIN_BIN  := $(BENCH_OUT)/plugin_bench
BENCH_NODE_DIR    := $(BENCH_OUT)/node
EXTISM_JS_VERSION := 1.0.3

$(BENCH_PLUGIN): bench/plugins/bench_plugin.wat
	@mkdir -p $(dir $@)
	wat2wasm -o $@ $<
$(BENCH_PLUGIN_BIN): bench/plugin_bench.c src/extism/extism.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ bench/plugin_bench.c $(LIB) $(LDLIBS)
$(BENCH_NODE_DIR)/node_modules/@extism/extism/package.json:
	@mkdir -p $(BENCH_NODE_DIR)
	cd $(BENCH_NODE_DIR) && npm install --silent --no-audit --no-fund \
	    @extism/extism@$(EXTISM_JS_VERSION) >/dev/null 2>&1 || \
	    echo "bench: npm could not install @extism/extism; the Node column stays empty"

.PHONY: bench-plugin
bench-plugin: $(BENCH_PLUGIN) $(BENCH_PLUGIN_BIN)
	-@$(MAKE) -s $(BENCH_NODE_DIR)/node_modules/@extism/extism/package.json
	@bash bench/plugin_run.sh $(BENCH_PLUGIN_BIN) $(BENCH_PLUGIN) $(BENCH_NODE_DIR) | \
	    tee $(BENCH_OUT)/plugin_results.txt
bench: bench-plugin

# ---- Helm plugins: a whole plugin run process, post-render throughput ----
.PHONY: bench-helm
bench-helm: $(BUILD)/wasmguard helm-plugins
	@bash bench/helm_run.sh $(BUILD)/wasmguard $(BUILD)/tests/helm/plugins $(BENCH_OUT)/helm | \
	    tee $(BENCH_OUT)/helm_results.txt
bench: bench-helm
