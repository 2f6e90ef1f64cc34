/*
 * bind.c - WASI functions as host functions of the engine: import
 * resolution by name and signature, the errno-returning trampoline, and
 * running a command's _start.
 */
#include <stdlib.h>

#include "wasi/internal.h"

#define WASI_MODULE "wasi_snapshot_preview1"

typedef struct wasi_binding {
    wasi_ctx *ctx;
    const wasi_func_def *def;
} wasi_binding;

static const wasi_func_def *const tables[] = {wasi_misc_funcs, wasi_fd_funcs, wasi_path_funcs};

/* One binding per WASI function, made once per context: host functions
   of every store linked to the context point at them. */
static bool make_bindings(wasi_ctx *ctx)
{
    if (ctx->bindings) return true;
    uint32_t n = 0;
    for (size_t t = 0; t < sizeof tables / sizeof *tables; t++)
        for (const wasi_func_def *d = tables[t]; d->name; d++) n++;
    ctx->bindings = calloc(n, sizeof *ctx->bindings);
    if (!ctx->bindings) return false;
    for (size_t t = 0; t < sizeof tables / sizeof *tables; t++)
        for (const wasi_func_def *d = tables[t]; d->name; d++)
            ctx->bindings[ctx->nbindings++] = (wasi_binding){ctx, d};
    return true;
}

static wasi_binding *find(wasi_ctx *ctx, const char *name, uint32_t len)
{
    for (uint32_t i = 0; i < ctx->nbindings; i++) {
        const char *n = ctx->bindings[i].def->name;
        if (strlen(n) == len && memcmp(n, name, len) == 0) return &ctx->bindings[i];
    }
    return NULL;
}

/* The Wasm type a definition promises. */
static bool signature_matches(const wasi_func_def *d, const wasm_functype *t)
{
    uint32_t np = (uint32_t)strlen(d->params);
    if (t->nparams != np || t->nresults != (d->has_result ? 1u : 0u)) return false;
    for (uint32_t i = 0; i < np; i++)
        if (t->params[i] != (d->params[i] == 'I' ? WASM_I64 : WASM_I32)) return false;
    return !d->has_result || t->results[0] == WASM_I32;
}

static wasm_status trampoline(wasm_call *call, const wasm_val *args, wasm_val *results,
                              void *user)
{
    wasi_binding *b = user;
    int e = b->def->impl(b->ctx, call, args);
    if (e < 0) return (wasm_status)-e;
    if (b->def->has_result) results[0] = (uint32_t)e;
    return WASM_OK;
}

wasm_status wasi_link(wasi_ctx *ctx, wasm_store *store, const wasm_module *module,
                      wasm_extern *imports, wasm_error *err)
{
    uint32_t n = wasm_module_import_count(module);
    if (!make_bindings(ctx)) return wasm_error_set(err, WASM_NOMEM, "out of memory linking WASI");
    ctx->store = store;
    for (uint32_t i = 0; i < n; i++) {
        wasm_import_info im;
        wasm_module_import(module, i, &im);
        if (im.module.len != strlen(WASI_MODULE) || memcmp(im.module.data, WASI_MODULE, im.module.len))
            continue;
        wasi_binding *bind = im.kind == WASM_EXTERN_FUNC ? find(ctx, im.name.data, im.name.len) : NULL;
        if (!bind)
            return wasm_error_set(err, WASM_UNLINKABLE, "unknown WASI import \"%s\".\"%s\"",
                                  WASI_MODULE, im.name.data);
        if (!signature_matches(bind->def, im.func))
            return wasm_error_set(err, WASM_UNLINKABLE,
                                  "WASI import \"%s\" has the wrong signature", bind->def->name);
        wasm_func *f = wasm_func_new_host(store, im.func, trampoline, bind);
        if (!f) return wasm_error_set(err, WASM_NOMEM, "out of memory linking WASI");
        imports[i] = (wasm_extern){.kind = WASM_EXTERN_FUNC, .of.func = f};
    }
    return WASM_OK;
}

wasm_status wasi_run_start(wasi_ctx *ctx, wasm_instance *inst, int32_t *exit_code,
                           wasm_error *err)
{
    wasm_func *start = wasm_instance_func(inst, "_start");
    if (!start) return wasm_error_set(err, WASM_BAD_ARGUMENT, "the module exports no _start");
    const wasm_functype *t = wasm_func_type(start);
    if (t->nparams || t->nresults)
        return wasm_error_set(err, WASM_BAD_ARGUMENT, "_start must take and return nothing");
    wasm_status st = wasm_func_call(start, NULL, NULL, err);
    *exit_code = 0;
    if (st == WASM_EXIT || (st != WASM_OK && ctx->exited)) {
        *exit_code = ctx->exit_code;
        if (err) wasm_error_clear(err);
        return WASM_OK;
    }
    return st;
}

int wasi_store_u32(wasm_call *call, uint32_t ptr, uint32_t v)
{
    uint8_t *p = wasi_mem(call, ptr, 4);
    if (!p) return WASI_EFAULT;
    wasi_put_u32(p, v);
    return WASI_ESUCCESS;
}

int wasi_store_u64(wasm_call *call, uint32_t ptr, uint64_t v)
{
    uint8_t *p = wasi_mem(call, ptr, 8);
    if (!p) return WASI_EFAULT;
    wasi_put_u64(p, v);
    return WASI_ESUCCESS;
}
