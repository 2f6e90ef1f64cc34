# helm.mk - the Helm plugin suite (included by the Makefile after
# tests/extism/extism.mk, whose PLUGIN_CC, PLUGIN_CFLAGS and PDK_H it uses).
#
# Test plugins are C files built with the PDK as WASI reactors:
#   tests/helm/plugins/NAME.c -> $(BUILD)/tests/helm/wasm/NAME.wasm
# Each fixture directory tests/helm/plugins/DIR/ holds a plugin.yaml and,
# for an extism/v1 plugin, a file wasm-from naming the source whose module
# becomes its plugin.wasm.  They are assembled into a HELM_PLUGINS layout,
#   $(BUILD)/tests/helm/plugins/DIR/{plugin.yaml,plugin.wasm}
# (no .wasm is committed).  tests/helm/run.sh drives `wasmguard plugin
# run`, `get` and `post-render` against it, with tests/extism/httpd for
# HTTP.
#
#   make check-helm      build and run the suite alone
#   make check-helm-embed  build and run tests/helm/embed (the library's Helm API)
#   make helm-plugins    build the layout only

HELM_T        := $(BUILD)/tests/helm
HELM_SRCS     := $(sort $(wildcard tests/helm/plugins/*.c))
HELM_WASM     := $(patsubst tests/helm/plugins/%.c,$(HELM_T)/wasm/%.wasm,$(HELM_SRCS))
HELM_FIXTURES := $(sort $(wildcard tests/helm/plugins/*/plugin.yaml tests/helm/plugins/*/wasm-from))

$(HELM_T)/wasm/%.wasm: tests/helm/plugins/%.c examples/helm/helm_json.h $(PDK_H)
	@mkdir -p $(@D)
	$(PLUGIN_CC) $(PLUGIN_CFLAGS) -Iexamples/helm -o $@ $<

$(HELM_T)/plugins.stamp: $(HELM_WASM) $(HELM_FIXTURES)
	@rm -rf $(HELM_T)/plugins && mkdir -p $(HELM_T)/plugins
	@for d in tests/helm/plugins/*/; do \
	    n=$$(basename $$d); mkdir -p $(HELM_T)/plugins/$$n; \
	    cp $$d/plugin.yaml $(HELM_T)/plugins/$$n/plugin.yaml; \
	    if [ -f $$d/wasm-from ]; then \
	        cp $(HELM_T)/wasm/$$(cat $$d/wasm-from).wasm $(HELM_T)/plugins/$$n/plugin.wasm || exit 1; \
	    fi; \
	done
	@touch $@

check-build: $(HELM_T)/plugins.stamp

.PHONY: check-helm helm-plugins
helm-plugins: $(HELM_T)/plugins.stamp
check-helm: $(HELM_T)/plugins.stamp $(BUILD)/wasmguard $(EXT_HTTPD)
	@bash tests/helm/run.sh $(BUILD)/wasmguard

# tests/helm/prov.sh signs and verifies through a tiny driver of
# helm_prov_sign / helm_prov_verify (so it needs no `plugin package`).
$(HELM_T)/provsign: tests/helm/provsign.c src/helm/helm.h $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(LDLIBS)
check-build: $(HELM_T)/provsign

# tests/helm/embed.c embeds the library's Helm API (wg_helm_*, include/
# wasmguard.h) and runs the test plugins through it (suite helm-embed,
# and helm-embed-asan against the ASan+UBSan build of the library).
$(HELM_T)/embed: tests/helm/embed.c include/wasmguard.h $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(LDLIBS)
$(BUILD)/asan/tests/helm/embed: tests/helm/embed.c include/wasmguard.h $(LIB_ASAN)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_BASE) $(SAN_FLAGS) -o $@ $< $(LIB_ASAN) $(LDLIBS)
# And helm-embed-tsan against the ThreadSanitizer build (extism.mk's
# LIB_TSAN): cancels come from other threads.
$(BUILD)/tsan/tests/helm/embed: tests/helm/embed.c include/wasmguard.h $(LIB_TSAN)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_BASE) $(TSAN_FLAGS) -o $@ $< $(LIB_TSAN) $(LDLIBS)
check-build: $(HELM_T)/embed $(BUILD)/asan/tests/helm/embed $(BUILD)/tsan/tests/helm/embed

.PHONY: check-helm-embed
check-helm-embed: $(HELM_T)/plugins.stamp $(HELM_T)/embed
	@$(HELM_T)/embed $(HELM_T)/plugins
