/*
 * plugin_bench.c - what a plugin call costs in wasmguard, the way Helm
 * uses plugins and the way a long-lived embedder does:
 *   fresh  a new sandbox per call: create a plugin from the compiled
 *          module, call count_vowels on a short input, destroy it;
 *   reuse  one plugin, `noop` called again and again (the call overhead).
 * Usage: plugin_bench PLUGIN.wasm fresh|reuse ITERATIONS BATCHES
 * Prints the median over the batches of the time per iteration, in
 * microseconds, as "<mode> <us>".
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "extism/extism.h"

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    uint8_t *b = malloc(n > 0 ? (size_t)n : 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return b;
}

static bool call_once(ext_plugin *p, const char *func, const char *input, wasm_error *err)
{
    wasm_error_clear(err);
    return ext_plugin_call(p, func, (const uint8_t *)input, strlen(input), err) == WASM_OK;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: plugin_bench PLUGIN.wasm fresh|reuse ITERATIONS BATCHES\n");
        return 2;
    }
    bool fresh = strcmp(argv[2], "fresh") == 0;
    long iters = atol(argv[3]), batches = atol(argv[4]);
    size_t len;
    uint8_t *bytes = read_file(argv[1], &len);
    wasm_error err = {0};
    wasm_module *mod = bytes ? wasm_module_new(bytes, len, &err) : NULL;
    ext_manifest *man = bytes ? ext_manifest_from_wasm(bytes, len, &err) : NULL;
    if (!mod || !man || iters < 1 || batches < 1) {
        fprintf(stderr, "plugin_bench: cannot load %s: %s\n", argv[1], err.message);
        return 1;
    }
    ext_options opts;
    ext_options_default(&opts);
    opts.name = "bench";
    const wasm_module *mods[1] = {mod};
    double *per = calloc((size_t)batches, sizeof *per);
    ext_plugin *kept = fresh ? NULL : ext_plugin_new(mods, man, &opts, &err);
    if (!fresh && !kept) {
        fprintf(stderr, "plugin_bench: %s\n", err.message);
        return 1;
    }
    for (long b = 0; b < batches; b++) {
        double t0 = now_us();
        for (long i = 0; i < iters; i++) {
            ext_plugin *p = kept ? kept : ext_plugin_new(mods, man, &opts, &err);
            bool ok = p && call_once(p, fresh ? "count_vowels" : "noop", fresh ? "hello, world" : "", &err);
            if (!kept) ext_plugin_free(p);
            if (!ok) {
                fprintf(stderr, "plugin_bench: call failed: %s\n", err.message);
                return 1;
            }
        }
        per[b] = (now_us() - t0) / (double)iters;
    }
    qsort(per, (size_t)batches, sizeof *per, cmp_double);
    printf("%s %.3f\n", argv[2], per[batches / 2]);
    ext_plugin_free(kept);
    ext_manifest_free(man);
    wasm_module_free(mod);
    free(per);
    free(bytes);
    return 0;
}
