/*
 * wg_bench.c - the wasmguard column of `make bench`: loads a benchmark
 * module, instantiates it with no imports and times one call of its
 * export bench_run(i32 scale) -> i64 in wasmguard's interpreter.
 *
 * Uses only the public API (src/wasm/wasm.h), with a default store.
 * Prints one line in the format the three drivers share:
 *     checksum=<u64> run_ms=<ms> compile_ms=<ms> instantiate_ms=<ms>
 * run_ms is CLOCK_MONOTONIC around wasm_func_call only; compile_ms is
 * wasm_module_new (decode, validate, compile) and instantiate_ms is
 * wasm_store_new plus wasm_instance_new.  Any failure (a trap included)
 * prints "error: ..." naming the stage, the status and the engine's
 * message, and exits 1.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "wasm/wasm.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Reads a whole file into a malloc'd buffer; NULL with errno on failure. */
static uint8_t *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 65536;
            uint8_t *bigger = realloc(buf, cap);
            if (!bigger) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = bigger;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(buf);
        return NULL;
    }
    *size = len;
    return buf;
}

static void report(const char *stage, const wasm_error *err)
{
    if (err->status == WASM_TRAP)
        fprintf(stderr, "error: %s: %s (trap: %s): %s\n", stage, wasm_status_name(err->status),
                wasm_trap_message(err->trap), err->message);
    else
        fprintf(stderr, "error: %s: %s: %s\n", stage, wasm_status_name(err->status), err->message);
}

/* bench_run must be (i32) -> i64. */
static int has_bench_signature(const wasm_functype *type)
{
    return type && type->nparams == 1 && type->nresults == 1 &&
           type->params[0] == WASM_I32 && type->results[0] == WASM_I64;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s MODULE.wasm SCALE\n", argv[0]);
        return 2;
    }
    char *end;
    unsigned long scale = strtoul(argv[2], &end, 10);
    if (*argv[2] == '\0' || *end != '\0' || scale > UINT32_MAX) {
        fprintf(stderr, "%s: bad scale '%s'\n", argv[0], argv[2]);
        return 2;
    }

    int rc = 1;
    wasm_module *module = NULL;
    wasm_store *store = NULL;
    wasm_error err;
    wasm_error_clear(&err);

    size_t size = 0;
    uint8_t *bytes = read_file(argv[1], &size);
    if (!bytes) {
        fprintf(stderr, "error: cannot read %s\n", argv[1]);
        goto cleanup;
    }

    double t0 = now_ms();
    module = wasm_module_new(bytes, size, &err);
    double t1 = now_ms();
    if (!module) {
        report("compile", &err);
        goto cleanup;
    }
    if (wasm_module_import_count(module) != 0) {
        fprintf(stderr, "error: %s has %" PRIu32 " imports; benchmark modules must have none\n",
                argv[1], wasm_module_import_count(module));
        goto cleanup;
    }

    double t2 = now_ms();
    store = wasm_store_new(NULL);
    if (!store) {
        fprintf(stderr, "error: instantiate: wasm_store_new: out of memory\n");
        goto cleanup;
    }
    wasm_instance *inst = wasm_instance_new(store, module, NULL, 0, &err);
    double t3 = now_ms();
    if (!inst) {
        report("instantiate", &err);
        goto cleanup;
    }

    wasm_func *func = wasm_instance_func(inst, "bench_run");
    if (!func || !has_bench_signature(wasm_func_type(func))) {
        fprintf(stderr, "error: %s exports no function bench_run: (i32) -> i64\n", argv[1]);
        goto cleanup;
    }

    wasm_val args[1] = { wasm_val_i32((int32_t)(uint32_t)scale) };
    wasm_val results[1] = { 0 };
    double t4 = now_ms();
    wasm_status st = wasm_func_call(func, args, results, &err);
    double t5 = now_ms();
    if (st != WASM_OK) {
        if (err.status == WASM_OK)
            err.status = st;
        report("bench_run", &err);
        goto cleanup;
    }

    printf("checksum=%" PRIu64 " run_ms=%.3f compile_ms=%.3f instantiate_ms=%.3f\n",
           (uint64_t)wasm_as_i64(results[0]), t5 - t4, t1 - t0, t3 - t2);
    rc = 0;

cleanup:
    if (store)
        wasm_store_free(store);
    if (module)
        wasm_module_free(module);
    free(bytes);
    return rc;
}
