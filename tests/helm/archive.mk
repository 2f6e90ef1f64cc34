# archive.mk - the helm-archive suite's two small programs (included by
# the Makefile after tests/helm/helm.mk):
#   mktar KIND OUT.tgz [ARG]   writes a hostile (or a good) plugin tarball
#                              with libarchive's write API
#   untar [--max-files N] [--max-bytes N] TGZ DEST
#                              helm_archive_extract on its arguments
#                              (also built with ASan, build/asan/tests/helm/untar)
# tests/helm/archive.sh drives them and `wasmguard plugin package`.
#
#   make check-helm-archive    build and run the suite alone

$(HELM_T)/mktar: tests/helm/mktar.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< -larchive
$(HELM_T)/untar: tests/helm/untar.c src/helm/helm.h $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(LDLIBS)
# untar again with ASan+UBSan, for the helm-archive-asan suite
$(BUILD)/asan/tests/helm/untar: tests/helm/untar.c src/helm/helm.h $(LIB_ASAN)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_BASE) $(SAN_FLAGS) -o $@ $< $(LIB_ASAN) $(LDLIBS)
check-build: $(HELM_T)/mktar $(HELM_T)/untar $(BUILD)/asan/tests/helm/untar

.PHONY: check-helm-archive
check-helm-archive: $(HELM_T)/mktar $(HELM_T)/untar $(BUILD)/wasmguard
	@bash tests/helm/archive.sh $(BUILD)/wasmguard
