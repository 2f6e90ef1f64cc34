/*
 * spectest.c - the "spectest" host module that the spec testsuite's
 * modules import, with the exports the reference interpreter gives it: print
 * functions that do nothing, four immutable globals (666 and 666.6), a
 * funcref table of 10..20 elements and a memory of 1..2 pages.  Everything
 * is made through wasm.h in the runner's store; the engine checks the
 * import types when it links, not this file.
 */
#include "spec_runner.h"

static const uint8_t T_I32[] = {WASM_I32};
static const uint8_t T_I64[] = {WASM_I64};
static const uint8_t T_F32[] = {WASM_F32};
static const uint8_t T_F64[] = {WASM_F64};
static const uint8_t T_I32_F32[] = {WASM_I32, WASM_F32};
static const uint8_t T_F64_F64[] = {WASM_F64, WASM_F64};

/* Static, so the types outlive the store whether or not the engine
   copies them. */
static const wasm_functype PRINT_TYPES[] = {
    {0, 0, NULL, NULL},
    {1, 0, T_I32, NULL},
    {1, 0, T_I64, NULL},
    {1, 0, T_F32, NULL},
    {1, 0, T_F64, NULL},
    {2, 0, T_I32_F32, NULL},
    {2, 0, T_F64_F64, NULL},
};

static const char *const PRINT_NAMES[] = {
    "print", "print_i32", "print_i64", "print_f32", "print_f64",
    "print_i32_f32", "print_f64_f64",
};

/* The spec's print functions write to the console; the runner keeps
   quiet, as their output is not part of any assertion. */
static wasm_status spectest_print(wasm_call *call, const wasm_val *args,
                                  wasm_val *results, void *user)
{
    (void)call;
    (void)args;
    (void)results;
    (void)user;
    return WASM_OK;
}

static bool add(spectest *st, const char *name, wasm_extern_kind kind, void *obj)
{
    if (obj == NULL || st->count == SPECTEST_MAX) {
        return false;
    }
    wasm_extern *e = &st->externs[st->count];
    e->kind = kind;
    switch (kind) {
    case WASM_EXTERN_FUNC: e->of.func = obj; break;
    case WASM_EXTERN_TABLE: e->of.table = obj; break;
    case WASM_EXTERN_MEMORY: e->of.memory = obj; break;
    case WASM_EXTERN_GLOBAL: e->of.global = obj; break;
    }
    st->names[st->count++] = name;
    return true;
}

bool spectest_init(spectest *st, wasm_store *store)
{
    memset(st, 0, sizeof *st);
    for (size_t i = 0; i < sizeof PRINT_TYPES / sizeof PRINT_TYPES[0]; i++) {
        wasm_func *f = wasm_func_new_host(store, &PRINT_TYPES[i], spectest_print, NULL);
        if (!add(st, PRINT_NAMES[i], WASM_EXTERN_FUNC, f)) {
            return false;
        }
    }
    const wasm_globaltype gi32 = {WASM_I32, false}, gi64 = {WASM_I64, false};
    const wasm_globaltype gf32 = {WASM_F32, false}, gf64 = {WASM_F64, false};
    const wasm_tabletype table = {WASM_FUNCREF, {10, 20, true}};
    const wasm_limits memory = {1, 2, true};
    return add(st, "global_i32", WASM_EXTERN_GLOBAL,
               wasm_global_new(store, gi32, wasm_val_i32(666))) &&
           add(st, "global_i64", WASM_EXTERN_GLOBAL,
               wasm_global_new(store, gi64, wasm_val_i64(666))) &&
           add(st, "global_f32", WASM_EXTERN_GLOBAL,
               wasm_global_new(store, gf32, wasm_val_f32(666.6f))) &&
           add(st, "global_f64", WASM_EXTERN_GLOBAL,
               wasm_global_new(store, gf64, wasm_val_f64(666.6))) &&
           add(st, "table", WASM_EXTERN_TABLE, wasm_table_new(store, table, 0)) &&
           add(st, "memory", WASM_EXTERN_MEMORY, wasm_memory_new(store, memory));
}

bool spectest_lookup(const spectest *st, const char *name, size_t len, wasm_extern *out)
{
    for (uint32_t i = 0; i < st->count; i++) {
        if (strlen(st->names[i]) == len && memcmp(st->names[i], name, len) == 0) {
            *out = st->externs[i];
            return true;
        }
    }
    return false;
}
