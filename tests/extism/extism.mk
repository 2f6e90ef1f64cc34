# extism.mk - Extism plugins: the C PDK's examples and the extism suite
# (included by the Makefile).
#
# Plugins are C files built with the header-only PDK, include/wasmguard/pdk.h,
# as WASI reactors (no _start; _initialize runs before the first call):
#   examples/plugins/NAME.c     -> $(BUILD)/examples/plugins/NAME.wasm
#   tests/extism/plugins/NAME.c -> $(BUILD)/tests/extism/NAME.wasm
# Only tests/extism/plugins/wasi.c imports WASI (it needs --wasi); the rest
# import "extism:host/env" (and "extism:host/user") alone.
#
# The suite's helpers, built natively:
#   tests/extism/httpd.c   -> $(BUILD)/tests/extism/httpd, the HTTP server
#   tests/extism/threads.c -> $(BUILD)/tests/extism/threads, the C embedder,
#       against the library; and $(BUILD)/tsan/tests/extism/threads against
#       a ThreadSanitizer build of all of src/ ($(BUILD)/tsan/libwasmguard.a)
# tests/extism/run.sh drives `wasmguard call` and the embedder; `make check`
# runs it (suites extism, extism-asan) and the TSan embedder (extism-tsan).
#
#   make check-extism      build and run the suite alone
#   make extism-plugins    build the plugins only

PLUGIN_CC      ?= clang
PLUGIN_CFLAGS  := --target=wasm32-wasi -mexec-model=reactor -mbulk-memory -std=c11 -O2 -D_GNU_SOURCE \
                  -Wall -Wextra -Werror -Iinclude
PDK_H          := include/wasmguard/pdk.h

EXT_T          := $(BUILD)/tests/extism
EXT_EXAMPLES   := $(patsubst examples/plugins/%.c,$(BUILD)/examples/plugins/%.wasm,\
                    $(sort $(wildcard examples/plugins/*.c)))
EXT_PLUGINS    := $(patsubst tests/extism/plugins/%.c,$(EXT_T)/%.wasm,\
                    $(sort $(wildcard tests/extism/plugins/*.c)))
EXT_HTTPD      := $(if $(wildcard tests/extism/httpd.c),$(EXT_T)/httpd)

# More specific than the Makefile's examples/%.c rule (a WASI command),
# so these win for examples/plugins/.
$(BUILD)/examples/plugins/%.wasm: examples/plugins/%.c $(PDK_H)
	@mkdir -p $(@D)
	$(PLUGIN_CC) $(PLUGIN_CFLAGS) -o $@ $<
$(EXT_T)/%.wasm: tests/extism/plugins/%.c $(PDK_H)
	@mkdir -p $(@D)
	$(PLUGIN_CC) $(PLUGIN_CFLAGS) -o $@ $<

$(EXT_T)/httpd: tests/extism/httpd.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -o $@ $<

$(EXT_T)/threads: tests/extism/threads.c include/wasmguard.h $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(LDLIBS)

# The ThreadSanitizer build: the whole library and the embedder.
TSAN_FLAGS   := -O2 -g -fsanitize=thread -fno-omit-frame-pointer
LIB_TSAN     := $(BUILD)/tsan/libwasmguard.a
LIB_OBJ_TSAN := $(LIB_SRC:src/%.c=$(BUILD)/tsan/obj/%.o)
$(BUILD)/tsan/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(TSAN_FLAGS) -MMD -MP -c $< -o $@
$(LIB_TSAN): $(LIB_OBJ_TSAN)
	@rm -f $@; ar rcs $@ $^
$(BUILD)/tsan/tests/extism/threads: tests/extism/threads.c include/wasmguard.h $(LIB_TSAN)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_BASE) $(TSAN_FLAGS) -o $@ $< $(LIB_TSAN) $(LDLIBS)

EXT_ALL := $(EXT_EXAMPLES) $(EXT_PLUGINS) $(EXT_HTTPD) $(EXT_T)/threads \
           $(BUILD)/tsan/tests/extism/threads

check-build: $(EXT_ALL) $(BUILD)/wasmguard $(BUILD)/asan/wasmguard

.PHONY: check-extism extism-plugins
extism-plugins: $(EXT_EXAMPLES) $(EXT_PLUGINS)
check-extism: $(EXT_ALL) $(BUILD)/wasmguard
	@bash tests/extism/run.sh $(BUILD)/wasmguard
