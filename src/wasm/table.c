/*
 * table.c - tables and globals as host objects (spec 4.2.7, 4.2.9).
 */
#include <stdlib.h>

#include "runtime.h"

wasm_table *wasm_table_create(wasm_tabletype type, uint32_t cap, wasm_val init, wasm_error *err)
{
    uint32_t max = type.limits.has_max && type.limits.max < cap ? type.limits.max : cap;
    if (type.limits.min > max) {
        wasm_error_set(err, WASM_LIMIT, "table needs %u elements at start, more than the limit of %u",
                       type.limits.min, max);
        return NULL;
    }
    wasm_table *t = calloc(1, sizeof *t);
    if (t && type.limits.min) t->elems = malloc((size_t)type.limits.min * sizeof(wasm_val));
    if (!t || (type.limits.min && !t->elems)) {
        free(t);
        wasm_error_set(err, WASM_NOMEM, "out of memory allocating a table");
        return NULL;
    }
    t->type = type;
    t->max = max;
    t->size = type.limits.min;
    for (uint32_t i = 0; i < t->size; i++) t->elems[i] = init;
    return t;
}

void wasm_table_release(wasm_table *t)
{
    if (!t) return;
    free(t->elems);
    free(t);
}

int64_t wasm_table_grow(wasm_table *t, uint32_t delta, wasm_val init)
{
    uint32_t old = t->size;
    if (delta == 0) return old;
    if ((uint64_t)old + delta > t->max) return -1;
    wasm_val *e = realloc(t->elems, ((size_t)old + delta) * sizeof(wasm_val));
    if (!e) return -1;
    for (uint32_t i = old; i < old + delta; i++) e[i] = init;
    t->elems = e;
    t->size = old + delta;
    return old;
}

uint32_t wasm_table_size(const wasm_table *t) { return t->size; }

bool wasm_table_get(const wasm_table *t, uint32_t index, wasm_val *out)
{
    if (index >= t->size) return false;
    *out = t->elems[index];
    return true;
}

bool wasm_table_set(wasm_table *t, uint32_t index, wasm_val value)
{
    if (index >= t->size) return false;
    t->elems[index] = value;
    return true;
}

wasm_val wasm_global_get(const wasm_global *g) { return g->value; }
void wasm_global_get_cells(const wasm_global *g, wasm_val out[2])
{
    out[0] = g->value;
    out[1] = g->value_hi;
}
wasm_globaltype wasm_global_type(const wasm_global *g) { return g->type; }

bool wasm_global_set(wasm_global *g, wasm_val value)
{
    if (!g->type.mutable_) return false;
    g->value = value;
    return true;
}
