/*
 * api.h - what the Helm layer's part of the C library (src/helm/api.c)
 * shares with src/extism/api.c: the embedder's host functions, described
 * with the public types, made into ext_host_fns, and the setting of a
 * wg_error.  Internal to the library.
 */
#ifndef EXTISM_API_H
#define EXTISM_API_H

#include "extism/extism.h"
#include "wasmguard.h"

/* One host function as a sandbox holds it: the embedder's description
   with its strings and types copied. */
typedef struct ext_api_host {
    wg_host_function fn;
    char *ns, *name;
    uint8_t *types;          /* params, then results */
} ext_api_host;

/* Checks f (host_functions[i] of the options, for the message) and copies
   it into h, filling x to call its callback through h; h must outlive x.
   On failure h may hold part of the copy: ext_api_host_free it. */
wg_status ext_api_host_copy(const wg_host_function *f, size_t i, ext_api_host *h,
                            ext_host_fn *x, wg_error *err);
void ext_api_host_free(ext_api_host *h);

/* err (may be NULL) reset; err set to code and the formatted message
   (cut to fit), returning code. */
void ext_api_err_clear(wg_error *err);
wg_status ext_api_err_set(wg_error *err, wg_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
