# unit.mk - the unit tests (included by the Makefile).
#
# One runner binary, $(BUILD)/tests/unit_tests, from tests/unit/*.c
# linked with the library; the same sources again with the sanitizers
# against the sanitized library.  The WAT fixtures of tests/unit/wat/ are
# assembled into $(BUILD)/tests/unit/wat/ (the runner reads them from there,
# relative to the project root).  `make unit` builds and runs the tests.

UNIT_SRC      := $(sort $(wildcard tests/unit/*.c))
UNIT_OBJ      := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/obj/%.o)
UNIT_OBJ_ASAN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/asan/tests/unit/obj/%.o)
UNIT_WAT      := $(sort $(wildcard tests/unit/wat/*.wat))
UNIT_WASM     := $(UNIT_WAT:tests/unit/wat/%.wat=$(BUILD)/tests/unit/wat/%.wasm)
UNIT_DEFS     := -DUNIT_WASM_DIR='"$(BUILD)/tests/unit/wat"' \
                 -DUNIT_EXAMPLES_DIR='"$(BUILD)/examples"'

$(BUILD)/tests/unit/obj/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(UNIT_DEFS) -MMD -MP -c $< -o $@
$(BUILD)/asan/tests/unit/obj/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(SAN_FLAGS) $(UNIT_DEFS) -MMD -MP -c $< -o $@

$(BUILD)/tests/unit_tests: $(UNIT_OBJ) $(LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $(UNIT_OBJ) $(LIB) $(LDLIBS)
$(BUILD)/asan/tests/unit_tests: $(UNIT_OBJ_ASAN) $(LIB_ASAN)
	$(CC) $(CFLAGS_BASE) $(SAN_FLAGS) -o $@ $(UNIT_OBJ_ASAN) $(LIB_ASAN) $(LDLIBS)

$(BUILD)/tests/unit/wat/%.wasm: tests/unit/wat/%.wat
	@mkdir -p $(dir $@)
	wat2wasm --enable-all -o $@ $<

check-build: $(BUILD)/tests/unit_tests $(BUILD)/asan/tests/unit_tests $(UNIT_WASM) \
             $(BUILD)/examples/fib.wasm

.PHONY: unit unit-wasm
unit-wasm: $(UNIT_WASM) $(BUILD)/examples/fib.wasm
unit: $(BUILD)/tests/unit_tests unit-wasm
	$(BUILD)/tests/unit_tests
