# wasi.mk - the WASI suite (included by the Makefile).
#
# The test guests are C programs of tests/wasi/, built with clang for
# wasm32-wasi (wasi-libc) into $(BUILD)/tests/wasi/NAME.wasm, each linked
# with probe.c; wc.c is a real program built both for wasm32-wasi and
# natively ($(BUILD)/tests/wasi/wc-native) so run.sh can compare the two.
# The WAT fixtures of tests/wasi/wat/ (modules run must refuse) go to
# $(BUILD)/tests/wasi/wat/.  run.sh runs everything under `wasmguard run`
# and checks outputs, exit codes and the host's files; `make check` runs
# it twice, with the optimized and the sanitized build of wasmguard.
#
#   make check-wasi      build and run the suite alone

WASI_CC       ?= clang
WASI_T        := $(BUILD)/tests/wasi
WASI_T_CFLAGS := --target=wasm32-wasi -std=c11 -O2 -D_GNU_SOURCE -Wall -Wextra -Werror
WASI_T_PROBE  := tests/wasi/probe.c tests/wasi/probe.h
WASI_T_NAMES  := $(filter-out probe wc,$(basename $(notdir $(wildcard tests/wasi/*.c))))
WASI_T_WAT    := $(sort $(wildcard tests/wasi/wat/*.wat))
WASI_T_MODS   := $(WASI_T_NAMES:%=$(WASI_T)/%.wasm) $(WASI_T)/wc.wasm $(WASI_T)/wc-native \
                 $(WASI_T_WAT:tests/wasi/wat/%.wat=$(WASI_T)/wat/%.wasm)

$(WASI_T)/wc.wasm: tests/wasi/wc.c
	@mkdir -p $(@D)
	$(WASI_CC) $(WASI_T_CFLAGS) -o $@ $<
$(WASI_T)/wc-native: tests/wasi/wc.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -O2 -D_GNU_SOURCE -Wall -Wextra -Werror -o $@ $<
$(WASI_T)/%.wasm: tests/wasi/%.c $(WASI_T_PROBE)
	@mkdir -p $(@D)
	$(WASI_CC) $(WASI_T_CFLAGS) -o $@ $< tests/wasi/probe.c
$(WASI_T)/wat/%.wasm: tests/wasi/wat/%.wat
	@mkdir -p $(@D)
	wat2wasm --enable-all -o $@ $<

# wasmguard against the sanitized library, for the wasi-asan suite.
CLI_OBJ_ASAN := $(CLI_SRC:src/%.c=$(BUILD)/asan/obj/%.o)
$(BUILD)/asan/wasmguard: $(CLI_OBJ_ASAN) $(LIB_ASAN)
	$(CC) $(CFLAGS_BASE) $(SAN_FLAGS) -o $@ $(CLI_OBJ_ASAN) $(LIB_ASAN) $(LDLIBS)

check-build: $(WASI_T_MODS) $(BUILD)/wasmguard $(BUILD)/asan/wasmguard \
             $(BUILD)/examples/sandbox_demo.wasm

.PHONY: check-wasi wasi-modules
wasi-modules: $(WASI_T_MODS)
check-wasi: $(WASI_T_MODS) $(BUILD)/wasmguard
	@bash tests/wasi/run.sh $(BUILD)/wasmguard
