# spec.mk - the WebAssembly 2.0 spec testsuite (included by the Makefile).
#
# Converts each .wast of $(WASM_TESTSUITE) (SIMD included) with wast2json into
# $(BUILD)/spec/NAME.json plus its modules (one target per file, so make -j
# converts in parallel), and builds the runner three times, against the
# optimized, sanitized and portable library.  `make spec` runs the
# optimized runner over every file with no known-failures list;
# `make check` runs all three through tests/suites.txt.

WASM_TESTSUITE ?= ../shared/wasm-testsuite

SPEC_WAST := $(sort $(notdir $(wildcard $(WASM_TESTSUITE)/*.wast)))
SPEC_JSON := $(SPEC_WAST:%.wast=$(BUILD)/spec/%.json)
SPEC_RUNNER_SRC := tests/spec/runner.c tests/spec/spectest.c tests/spec/values.c
SPEC_RUNNER_DEP := $(SPEC_RUNNER_SRC) tests/spec/spec_runner.h src/wasm/wasm.h
SPEC_RUNNERS := $(BUILD)/spec_runner $(BUILD)/asan/spec_runner $(BUILD)/portable/spec_runner
SPEC_LDLIBS := -ljansson $(LDLIBS)

# wast2json writes NAME.json and NAME.N.wasm / NAME.N.wat beside it; a
# failed conversion must not leave a JSON that looks finished.
$(BUILD)/spec/%.json: $(WASM_TESTSUITE)/%.wast
	@mkdir -p $(@D)
	@wast2json -o $@ $< || { rm -f $@; exit 1; }

$(BUILD)/spec_runner: $(SPEC_RUNNER_DEP) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $(SPEC_RUNNER_SRC) $(LIB) $(SPEC_LDLIBS)
$(BUILD)/asan/spec_runner: $(SPEC_RUNNER_DEP) $(LIB_ASAN)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_BASE) $(SAN_FLAGS) -o $@ $(SPEC_RUNNER_SRC) $(LIB_ASAN) $(SPEC_LDLIBS)
$(BUILD)/portable/spec_runner: $(SPEC_RUNNER_DEP) $(LIB_PORTABLE)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $(SPEC_RUNNER_SRC) $(LIB_PORTABLE) $(SPEC_LDLIBS)

.PHONY: spec-json
spec-json: $(SPEC_JSON)

check-build: $(SPEC_RUNNERS) $(SPEC_JSON)

spec: $(BUILD)/spec_runner $(SPEC_JSON)
	@bash tests/spec/run.sh $(BUILD)/spec_runner --name spec --dir $(BUILD)/spec --fail-lines 0
