/*
 * util.h - helpers shared by the unit tests: clocks, loading the WAT
 * fixtures that the build assembles into $(BUILD)/tests/unit/wat/, and
 * a store+module+instance bundle.  Helpers report their own failures
 * through the harness (so a test only REQUIREs that they succeeded).
 */
#ifndef UNIT_UTIL_H
#define UNIT_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "wasm/wasm.h"

#ifndef UNIT_WASM_DIR
#define UNIT_WASM_DIR "build/tests/unit/wat"
#endif
#ifndef UNIT_EXAMPLES_DIR
#define UNIT_EXAMPLES_DIR "build/examples"
#endif

/* Sanitized builds run several times slower; time budgets scale by this. */
#if defined(__SANITIZE_ADDRESS__)
#define UNIT_SLOW 5.0
#else
#define UNIT_SLOW 1.0
#endif

uint64_t unit_now_ns(void);   /* CLOCK_MONOTONIC */
double unit_now_ms(void);

/* Reads a whole file; reports a failure and returns NULL if it cannot. */
uint8_t *unit_read_file(const char *path, size_t *size);
/* Reads fixture <name>.wasm (the directory may be overridden with the
   environment variable UNIT_WASM_DIR). */
uint8_t *unit_read_fixture(const char *name, size_t *size);
/* Decodes a fixture; reports the engine's error and returns NULL on failure. */
wasm_module *unit_module(const char *name);

/* A store, a module and one instance of it. */
typedef struct unit_env {
    wasm_store *store;
    wasm_module *module;
    wasm_instance *inst;
} unit_env;

/* Opens fixture `name` in a new store (cfg may be NULL) with the given
   imports.  On failure reports it, frees what it made and returns false. */
bool unit_open(unit_env *env, const char *name, const wasm_config *cfg,
               const wasm_extern *imports, uint32_t nimports);
void unit_close(unit_env *env);

/* Calls export `func` of the instance; clears err first.  A missing
   export is reported and gives WASM_BAD_ARGUMENT. */
wasm_status unit_call(const unit_env *env, const char *func, const wasm_val *args,
                      wasm_val *results, wasm_error *err);

/* Whether an error message says where the problem is: it names a section,
   a byte offset or a function. */
bool unit_msg_locates(const char *msg);

#endif
