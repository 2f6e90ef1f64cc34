# wasmguard - build, test, bench.  `make demo` and `make check` are the
# quick start; see README.md.

CC      ?= cc
BUILD   := build
CFLAGS_BASE := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -g -ffp-contract=off \
               -fno-strict-aliasing -Isrc -Iinclude
CFLAGS  ?= -O2
ALL_CFLAGS = $(CFLAGS_BASE) $(CFLAGS)
SAN_FLAGS := -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
# libcurl, librnp and libarchive are not linked: they are loaded on first
# use (src/extism/curl_lazy.c, src/helm/lazy_libs.c), because together they
# map some fifty libraries that every process, mostly needing none of
# them, would pay for at start.
LDLIBS  := -lfyaml -lcrypto -ljansson -lm -lpthread -ldl

WASM_SRC := $(sort $(wildcard src/wasm/*.c))
WASI_SRC := $(sort $(wildcard src/wasi/*.c))
GUARD_SRC := $(sort $(wildcard src/guard/*.c))
EXTISM_SRC := $(sort $(wildcard src/extism/*.c))
HELM_SRC := $(sort $(wildcard src/helm/*.c))
LIB_SRC  := $(WASM_SRC) $(WASI_SRC) $(GUARD_SRC) $(EXTISM_SRC) $(HELM_SRC)
CLI_SRC  := $(sort $(wildcard src/cli/*.c))

# Three builds of the library: optimized (computed goto), sanitized
# (ASan+UBSan) and portable (switch dispatch), so both dispatch forms and
# the sanitizers see the same tests.
LIB          := $(BUILD)/libwasmguard.a
LIB_ASAN     := $(BUILD)/asan/libwasmguard.a
LIB_PORTABLE := $(BUILD)/portable/libwasmguard.a

LIB_OBJ          := $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o)
LIB_OBJ_ASAN     := $(LIB_SRC:src/%.c=$(BUILD)/asan/obj/%.o)
LIB_OBJ_PORTABLE := $(LIB_SRC:src/%.c=$(BUILD)/portable/obj/%.o)
CLI_OBJ          := $(CLI_SRC:src/%.c=$(BUILD)/obj/%.o)

.PHONY: all demo check spec bench clean deps install
all: $(BUILD)/wasmguard $(LIB)

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/asan/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(SAN_FLAGS) -MMD -MP -c $< -o $@
$(BUILD)/portable/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DWASM_DISPATCH_SWITCH=1 -MMD -MP -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@; ar rcs $@ $^
$(LIB_ASAN): $(LIB_OBJ_ASAN)
	@rm -f $@; ar rcs $@ $^
$(LIB_PORTABLE): $(LIB_OBJ_PORTABLE)
	@rm -f $@; ar rcs $@ $^

# A fourth build, position-independent, for the shared library that
# `make install` installs.  It exports the wg_* API only (the map).
LIB_SO      := $(BUILD)/libwasmguard.so.0
LIB_SO_MAP  := src/extism/libwasmguard.map
LIB_OBJ_PIC := $(LIB_SRC:src/%.c=$(BUILD)/pic/obj/%.o)
$(BUILD)/pic/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fPIC -MMD -MP -c $< -o $@
$(LIB_SO): $(LIB_OBJ_PIC) $(LIB_SO_MAP)
	$(CC) $(ALL_CFLAGS) -shared -Wl,-soname,libwasmguard.so.0 -Wl,--no-undefined \
	    -Wl,--version-script=$(LIB_SO_MAP) -o $@ $(LIB_OBJ_PIC) $(LDLIBS)

$(BUILD)/wasmguard: $(CLI_OBJ) $(LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS)

# Example and test modules are built here from their sources.
$(BUILD)/examples/%.wasm: examples/%.wat
	@mkdir -p $(dir $@)
	wat2wasm --enable-all -o $@ $<
$(BUILD)/examples/%.wasm: examples/%.c
	@mkdir -p $(dir $@)
	clang --target=wasm32-wasi -std=c11 -O2 -D_GNU_SOURCE -Wall -Wextra -Werror -o $@ $<

include tests/unit/unit.mk
include tests/spec/spec.mk
include tests/wasi/wasi.mk
include tests/extism/extism.mk
include tests/helm/helm.mk
include tests/helm/archive.mk
include bench/bench.mk

# The sandbox part runs with TMPDIR in build/ so that it can show the
# temp dir is gone afterwards.
DEMO_TMP := $(CURDIR)/$(BUILD)/demo-tmp
demo: deps $(BUILD)/wasmguard $(BUILD)/examples/fib.wasm $(BUILD)/examples/sandbox_demo.wasm
	@echo "== wasmguard runs fib(30) from examples/fib.wat in its own interpreter"
	$(BUILD)/wasmguard invoke $(BUILD)/examples/fib.wasm fib 30
	@echo
	@echo "== a WASI program, examples/sandbox_demo.c, run with --tmp: it gets a fresh"
	@echo "   empty /tmp, no other file, no environment variable of the host"
	@rm -rf $(DEMO_TMP) && mkdir -p $(DEMO_TMP)
	TMPDIR=$(DEMO_TMP) $(BUILD)/wasmguard run --tmp $(BUILD)/examples/sandbox_demo.wasm
	@echo
	@echo "== what happened: /tmp was a new directory under \$$TMPDIR that the program"
	@echo "   could use freely.  /etc/passwd was outside everything it was granted, so"
	@echo "   wasmguard refused it (ENOTCAPABLE) whether named directly, reached by"
	@echo "   '..' or through a symlink the program made.  After the run the temp dir"
	@echo "   is removed: \$$TMPDIR holds $$(ls -A $(DEMO_TMP) | wc -l) entries now."
	@rm -rf $(DEMO_TMP)
	@$(MAKE) -s demo-helm

# The main job (scripts/demo_helm.sh): Helm 4 plugins (examples/helm)
# signed, verified and installed with consent into a temporary
# HELM_PLUGINS, each invocation in a fresh sandbox, every grant and
# denial in the audit trail.
DEMO_DIR  := $(BUILD)/demo
DEMO_HELM := hello fetch add_label demo_getter

$(BUILD)/examples/helm/%.wasm: examples/helm/%.c examples/helm/helm_json.h $(PDK_H)
	@mkdir -p $(dir $@)
	$(PLUGIN_CC) $(PLUGIN_CFLAGS) -Iexamples/helm -o $@ $<

.PHONY: demo-helm
demo-helm: $(BUILD)/wasmguard $(DEMO_HELM:%=$(BUILD)/examples/helm/%.wasm)
	@bash scripts/demo_helm.sh $(BUILD)/wasmguard $(BUILD)/examples/helm $(DEMO_DIR)

deps:
	@bash scripts/deps.sh

# check: unit tests, then the spec testsuite on all three builds; the
# last line is the total.
check: deps
	@bash tests/check.sh

# install: the library (static and shared), its headers, a pkg-config
# file and the CLI, under $(DESTDIR)$(PREFIX).
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
WG_VERSION := $(shell sed -n 's/^\#define WG_VERSION "\(.*\)"/\1/p' include/wasmguard.h)
install: $(LIB) $(LIB_SO) $(BUILD)/wasmguard
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/wasmguard
	install -m 755 $(BUILD)/wasmguard $(DESTDIR)$(BINDIR)/wasmguard
	install -m 644 $(LIB) $(DESTDIR)$(LIBDIR)/libwasmguard.a
	install -m 755 $(LIB_SO) $(DESTDIR)$(LIBDIR)/libwasmguard.so.0
	ln -sf libwasmguard.so.0 $(DESTDIR)$(LIBDIR)/libwasmguard.so
	install -m 644 include/wasmguard.h $(DESTDIR)$(INCLUDEDIR)/wasmguard.h
	if [ -f include/wasmguard/pdk.h ]; then \
	    install -m 644 include/wasmguard/pdk.h $(DESTDIR)$(INCLUDEDIR)/wasmguard/pdk.h; fi
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(WG_VERSION)|' \
	    src/extism/wasmguard.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/wasmguard.pc

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' -type f 2>/dev/null)
.PHONY: check-build
check-build:
