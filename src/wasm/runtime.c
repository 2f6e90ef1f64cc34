/*
 * runtime.c - stores, host functions and calls from the host (spec 4.2,
 * 4.5.5 "Invocation").
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "config.h"
#include "runtime.h"

uint64_t wasm_monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

bool wasm_functype_equal(const wasm_functype *a, const wasm_functype *b)
{
    if (a == b) return true;
    if (a->nparams != b->nparams || a->nresults != b->nresults) return false;
    return (!a->nparams || memcmp(a->params, b->params, a->nparams) == 0) &&
           (!a->nresults || memcmp(a->results, b->results, a->nresults) == 0);
}

void wasm_config_default(wasm_config *cfg)
{
    cfg->max_memory_pages = WASM_DEFAULT_MAX_MEMORY_PAGES;
    cfg->max_table_elems = WASM_DEFAULT_MAX_TABLE_ELEMS;
    cfg->stack_slots = WASM_DEFAULT_STACK_SLOTS;
    cfg->max_call_depth = WASM_DEFAULT_MAX_CALL_DEPTH;
}

wasm_store *wasm_store_new(const wasm_config *cfg)
{
    wasm_store *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    if (cfg) s->cfg = *cfg;
    else wasm_config_default(&s->cfg);
    if (s->cfg.stack_slots < 1024) s->cfg.stack_slots = 1024;
    if (s->cfg.max_call_depth < 16) s->cfg.max_call_depth = 16;
    s->fuel = -1;
    atomic_init(&s->interrupt, 0);
    return s;
}

bool wasm_store_track(wasm_store *s, int kind, void *ptr)
{
    if (s->nobjects == s->capobjects) {
        uint32_t n = s->capobjects ? s->capobjects * 2 : 32;
        wasm_object *o = realloc(s->objects, n * sizeof *o);
        if (!o) return false;
        s->objects = o;
        s->capobjects = n;
    }
    s->objects[s->nobjects++] = (wasm_object){(wasm_extern_kind)kind, ptr};
    return true;
}

static void instance_release(wasm_instance *inst)
{
    if (!inst) return;
    if (inst->elems)
        for (uint32_t i = 0; i < inst->module->nelems; i++) free(inst->elems[i].refs);
    free(inst->elems);
    free(inst->funcs);
    free(inst->tables);
    free(inst->mems);
    free(inst->globals);
    free(inst->data_dropped);
    free(inst->own_funcs);
    free(inst->own_globals);
    free(inst);
}

void wasm_store_free(wasm_store *s)
{
    if (!s) return;
    for (uint32_t i = s->nobjects; i-- > 0;) {
        void *p = s->objects[i].ptr;
        switch ((int)s->objects[i].kind) {
        case WASM_EXTERN_FUNC: free(p); break;
        case WASM_EXTERN_TABLE: wasm_table_release(p); break;
        case WASM_EXTERN_MEMORY: wasm_memory_release(p); break;
        case WASM_EXTERN_GLOBAL: free(p); break;
        default: instance_release(p); break;
        }
    }
    free(s->objects);
    free(s->stack);
    free(s->frames);
    free(s);
}

void wasm_store_set_fuel(wasm_store *s, int64_t fuel) { s->fuel = fuel < 0 ? -1 : fuel; }
int64_t wasm_store_fuel(const wasm_store *s) { return s->fuel; }
void wasm_store_set_deadline(wasm_store *s, uint64_t ns) { s->deadline = ns; }
void wasm_store_interrupt(wasm_store *s) { atomic_store(&s->interrupt, 1); }
void wasm_store_clear_interrupt(wasm_store *s) { atomic_store(&s->interrupt, 0); }
bool wasm_store_should_stop(const wasm_store *s)
{
    if (atomic_load((atomic_int *)&s->interrupt)) return true;
    return s->deadline && wasm_monotonic_ns() >= s->deadline;
}
void wasm_store_set_user(wasm_store *s, void *user) { s->user = user; }
void *wasm_store_user(const wasm_store *s) { return s->user; }

/* ---- Host objects ----------------------------------------------------- */

wasm_func *wasm_func_new_host(wasm_store *s, const wasm_functype *type, wasm_host_fn fn, void *user)
{
    if (!s || !type || !fn) return NULL;
    /* v128 cells are not part of the host function contract */
    if (wasm_type_cells(type->params, type->nparams) != type->nparams ||
        wasm_type_cells(type->results, type->nresults) != type->nresults)
        return NULL;
    size_t n = (size_t)type->nparams + type->nresults;
    wasm_func *f = calloc(1, sizeof *f + n + 1);
    if (!f) return NULL;
    uint8_t *types = (uint8_t *)(f + 1);
    if (type->nparams) memcpy(types, type->params, type->nparams);
    if (type->nresults) memcpy(types + type->nparams, type->results, type->nresults);
    f->owned = (wasm_functype){type->nparams, type->nresults, types, types + type->nparams};
    f->type = &f->owned;
    f->param_cells = type->nparams;
    f->result_cells = type->nresults;
    f->store = s;
    f->host = fn;
    f->user = user;
    if (!wasm_store_track(s, WASM_EXTERN_FUNC, f)) {
        free(f);
        return NULL;
    }
    return f;
}

bool wasm_func_set_leaf(wasm_func *f, wasm_host_leaf_fn leaf)
{
    if (!f || !f->host || !leaf || f->type->nresults > 1) return false;
    f->leaf = leaf;
    f->leaf_result = f->type->nresults == 1;
    return true;
}

const wasm_functype *wasm_func_type(const wasm_func *f) { return f->type; }
wasm_store *wasm_func_store(const wasm_func *f) { return f->store; }

wasm_memory *wasm_memory_new(wasm_store *s, wasm_limits limits)
{
    wasm_memory *m = wasm_memory_create(limits, s->cfg.max_memory_pages, NULL);
    if (m && !wasm_store_track(s, WASM_EXTERN_MEMORY, m)) {
        wasm_memory_release(m);
        return NULL;
    }
    return m;
}

wasm_table *wasm_table_new(wasm_store *s, wasm_tabletype type, wasm_val init)
{
    wasm_table *t = wasm_table_create(type, s->cfg.max_table_elems, init, NULL);
    if (t && !wasm_store_track(s, WASM_EXTERN_TABLE, t)) {
        wasm_table_release(t);
        return NULL;
    }
    return t;
}

wasm_global *wasm_global_new(wasm_store *s, wasm_globaltype type, wasm_val value)
{
    wasm_global *g = calloc(1, sizeof *g);
    if (!g) return NULL;
    g->type = type;
    g->value = value;
    if (!wasm_store_track(s, WASM_EXTERN_GLOBAL, g)) {
        free(g);
        return NULL;
    }
    return g;
}

/* ---- Calls ------------------------------------------------------------ */

static bool stack_ready(wasm_store *s)
{
    if (s->stack) return true;
    /* Not zeroed: every slot is written before it is read (ENTER clears
       a frame's locals), and clearing megabytes would dominate the cost
       of a fresh sandbox per call. */
    s->stack = malloc((size_t)s->cfg.stack_slots * sizeof(wasm_val));
    s->frames = malloc(((size_t)s->cfg.max_call_depth + 1) * sizeof(wasm_frame));
    if (!s->stack || !s->frames) {
        free(s->stack);
        free(s->frames);
        s->stack = NULL;
        s->frames = NULL;
        return false;
    }
    s->stack_end = s->stack + s->cfg.stack_slots;
    s->sp = s->stack;
    return true;
}

wasm_status wasm_func_call(wasm_func *f, const wasm_val *args, wasm_val *results, wasm_error *err)
{
    if (!f) return wasm_error_set(err, WASM_BAD_ARGUMENT, "no function to call");
    wasm_store *s = f->store;
    if (!stack_ready(s)) return wasm_error_set(err, WASM_NOMEM, "out of memory for the value stack");
    if (s->reentry >= WASM_MAX_REENTRY)
        return wasm_error_set(err, WASM_LIMIT, "host and guest calls nested too deeply");
    const wasm_functype *t = f->type;
    /* cells, not values: a v128 takes two (host functions have none) */
    uint32_t np = f->param_cells, nr = f->result_cells;
    size_t need = np > nr ? np : nr;
    wasm_val *base = s->sp;
    if ((size_t)(s->stack_end - base) < need + 1) {
        if (err) err->trap = WASM_TRAP_STACK_EXHAUSTED;
        return wasm_error_set(err, WASM_TRAP, "call stack exhausted");
    }
    if (np) memcpy(base, args, np * sizeof(wasm_val));
    s->reentry++;
    wasm_status st;
    if (f->code) {
        st = wasm_interp_run(s, f, base, err);
    } else {
        wasm_val *saved = s->sp;
        s->sp = base + need;
        wasm_call call = {s, NULL, err};
        st = f->host(&call, base, base + t->nparams, f->user);
        s->sp = saved;
        if (st == WASM_OK) memmove(base, base + t->nparams, t->nresults * sizeof(wasm_val));
        else if (err && err->status == WASM_OK)
            wasm_error_set(err, st, "host function failed (%s)", wasm_status_name(st));
    }
    s->reentry--;
    if (st == WASM_OK && nr) memcpy(results, base, nr * sizeof(wasm_val));
    return st;
}

wasm_store *wasm_call_store(wasm_call *c) { return c->store; }
wasm_instance *wasm_call_instance(wasm_call *c) { return c->inst; }

wasm_memory *wasm_call_memory(wasm_call *c)
{
    return c->inst ? wasm_instance_memory(c->inst) : NULL;
}

wasm_status wasm_call_fail(wasm_call *c, wasm_status status, const char *fmt, ...)
{
    if (!c->err || c->err->status != WASM_OK) return status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err->message, sizeof c->err->message, fmt, ap);
    va_end(ap);
    c->err->status = status;
    return status;
}

wasm_status wasm_call_exit(wasm_call *c, int32_t code)
{
    if (c->err && c->err->status == WASM_OK) {
        c->err->exit_code = code;
        snprintf(c->err->message, sizeof c->err->message, "exit with code %d", code);
        c->err->status = WASM_EXIT;
    }
    return WASM_EXIT;
}
