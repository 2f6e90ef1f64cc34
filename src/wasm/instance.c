/*
 * instance.c - instantiation (spec 4.5.4): import matching (4.5.2),
 * allocation, constant expressions, element and data segments, the start
 * function; and export lookup.
 */
#include <stdlib.h>

#include "opcodes.h"
#include "reader.h"
#include "runtime.h"

static const char *kind_name(wasm_extern_kind k)
{
    static const char *names[] = {"function", "table", "memory", "global"};
    return (unsigned)k < 4 ? names[k] : "extern";
}

/* Limits matching (4.5.2.1): the actual limits must be within the
   expected ones. */
static bool limits_match(uint32_t amin, bool ahas, uint32_t amax, const wasm_limits *want)
{
    if (amin < want->min) return false;
    if (!want->has_max) return true;
    return ahas && amax <= want->max;
}

static bool import_matches(const wasm_module *m, const wasm_import *im, const wasm_extern *ex,
                           wasm_store *s, wasm_error *err)
{
    const char *why = NULL;
    if (ex->kind != im->kind) {
        why = "incompatible import type";
    } else {
        switch (im->kind) {
        case WASM_EXTERN_FUNC:
            if (!ex->of.func) why = "missing function";
            else if (ex->of.func->store != s) why = "function belongs to another store";
            else if (!wasm_functype_equal(ex->of.func->type, &m->types[im->index]))
                why = "incompatible import type";
            break;
        case WASM_EXTERN_TABLE: {
            const wasm_tabletype *want = &m->tables[im->index];
            const wasm_table *t = ex->of.table;
            if (!t) why = "missing table";
            else if (t->type.elem != want->elem ||
                     !limits_match(t->size, t->type.limits.has_max, t->type.limits.max, &want->limits))
                why = "incompatible import type";
            break;
        }
        case WASM_EXTERN_MEMORY: {
            const wasm_limits *want = &m->mems[im->index];
            const wasm_memory *mem = ex->of.memory;
            if (!mem) why = "missing memory";
            else if (!limits_match(mem->pages, mem->type.has_max, mem->type.max, want))
                why = "incompatible import type";
            break;
        }
        case WASM_EXTERN_GLOBAL: {
            const wasm_globaltype *want = &m->globals[im->index].type;
            const wasm_global *g = ex->of.global;
            if (!g) why = "missing global";
            else if (g->type.type != want->type || g->type.mutable_ != want->mutable_)
                why = "incompatible import type";
            break;
        }
        }
    }
    if (!why) return true;
    wasm_error_set(err, WASM_UNLINKABLE, "%s: import \"%s\".\"%s\" (%s)", why, im->module.data,
                   im->name.data, kind_name(im->kind));
    return false;
}

/* Evaluates a validated constant expression; *hi gets a v128's upper
   cell (zero for the other types) when hi is not NULL. */
static wasm_val eval_const(const wasm_instance *inst, wasm_expr e, wasm_val *hi)
{
    const wasm_module *m = inst->module;
    wasm_reader r = {m->bytes, e.pos, (size_t)e.pos + e.len, "constant expression", NULL};
    wasm_val v = 0, h = 0;
    wasm_instr in;
    while (wasm_read_instr(&r, &in) && in.op != OP_END) {
        switch (in.op) {
        case OP_I32_CONST: v = (uint32_t)in.val; break;
        case OP_I64_CONST: case OP_F32_CONST: case OP_F64_CONST: v = in.val; break;
        case OP_V128_CONST:
            v = in.val;
            h = in.val_hi;
            break;
        case OP_REF_NULL: v = 0; break;
        case OP_REF_FUNC: v = (uint64_t)(uintptr_t)inst->funcs[in.a]; break;
        case OP_GLOBAL_GET:
            v = inst->globals[in.a]->value;
            h = inst->globals[in.a]->value_hi;
            break;
        default: break;
        }
    }
    if (hi) *hi = h;
    return v;
}

static bool alloc_instance(wasm_instance *inst, const wasm_module *m)
{
    inst->funcs = calloc(m->nfuncs + 1, sizeof(wasm_func *));
    inst->own_funcs = calloc(m->ncodes + 1, sizeof(wasm_func));
    inst->tables = calloc(m->ntables + 1, sizeof(wasm_table *));
    inst->mems = calloc(m->nmems + 1, sizeof(wasm_memory *));
    inst->globals = calloc(m->nglobals + 1, sizeof(wasm_global *));
    inst->own_globals = calloc(m->nglobals - m->nglobal_imports + 1, sizeof(wasm_global));
    inst->elems = calloc(m->nelems + 1, sizeof(wasm_elem_inst));
    inst->data_dropped = calloc(m->ndatas + 1, sizeof(bool));
    return inst->funcs && inst->own_funcs && inst->tables && inst->mems && inst->globals &&
           inst->own_globals && inst->elems && inst->data_dropped;
}

/* Imports and the module's own functions, tables, memories, globals. */
static wasm_status allocate(wasm_store *s, wasm_instance *inst, const wasm_extern *imports,
                            wasm_error *err)
{
    const wasm_module *m = inst->module;
    uint32_t nf = 0, nt = 0, nm = 0, ng = 0;
    for (uint32_t i = 0; i < m->nimports; i++) {
        const wasm_extern *ex = &imports[i];
        if (!import_matches(m, &m->imports[i], ex, s, err)) return WASM_UNLINKABLE;
        switch (ex->kind) {
        case WASM_EXTERN_FUNC: inst->funcs[nf++] = ex->of.func; break;
        case WASM_EXTERN_TABLE: inst->tables[nt++] = ex->of.table; break;
        case WASM_EXTERN_MEMORY: inst->mems[nm++] = ex->of.memory; break;
        case WASM_EXTERN_GLOBAL: inst->globals[ng++] = ex->of.global; break;
        }
    }
    for (uint32_t i = 0; i < m->ncodes; i++) {
        wasm_func *f = &inst->own_funcs[i];
        uint32_t t = m->func_types[m->nfunc_imports + i];
        *f = (wasm_func){.type = &m->types[t], .store = s, .inst = inst,
                         .param_cells = m->compiled[i].param_cells,
                         .result_cells = m->compiled[i].result_cells,
                         .code = &m->compiled[i], .type_canon = m->type_canon[t]};
        inst->funcs[m->nfunc_imports + i] = f;
    }
    for (uint32_t i = m->ntable_imports; i < m->ntables; i++) {
        wasm_table *t = wasm_table_create(m->tables[i], s->cfg.max_table_elems, 0, err);
        if (!t) return err ? err->status : WASM_NOMEM;
        if (!wasm_store_track(s, WASM_EXTERN_TABLE, t)) {
            wasm_table_release(t);
            return wasm_error_set(err, WASM_NOMEM, "out of memory");
        }
        inst->tables[i] = t;
    }
    for (uint32_t i = m->nmem_imports; i < m->nmems; i++) {
        wasm_memory *mem = wasm_memory_create(m->mems[i], s->cfg.max_memory_pages, err);
        if (!mem) return err ? err->status : WASM_NOMEM;
        if (!wasm_store_track(s, WASM_EXTERN_MEMORY, mem)) {
            wasm_memory_release(mem);
            return wasm_error_set(err, WASM_NOMEM, "out of memory");
        }
        inst->mems[i] = mem;
    }
    for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++) {
        wasm_global *g = &inst->own_globals[i - m->nglobal_imports];
        g->type = m->globals[i].type;
        inst->globals[i] = g; /* set first: ref.func may not, but order is kept */
        g->value = eval_const(inst, m->globals[i].init, &g->value_hi);
    }
    return WASM_OK;
}

static wasm_status trap_at(wasm_error *err, wasm_trap_kind kind, const char *what, uint32_t index)
{
    if (err && err->status == WASM_OK) err->trap = kind;
    return wasm_error_set(err, WASM_TRAP, "%s (%s %u, during instantiation)",
                          wasm_trap_message(kind), what, index);
}

/* Element segments (4.5.4 steps 12-13), then data segments (14). */
static wasm_status init_segments(wasm_instance *inst, wasm_error *err)
{
    const wasm_module *m = inst->module;
    for (uint32_t i = 0; i < m->nelems; i++) {
        const wasm_elem_seg *seg = &m->elems[i];
        wasm_elem_inst *e = &inst->elems[i];
        e->refs = calloc(seg->count + 1, sizeof(wasm_val));
        if (!e->refs) return wasm_error_set(err, WASM_NOMEM, "out of memory");
        e->count = seg->count;
        for (uint32_t k = 0; k < seg->count; k++)
            e->refs[k] = seg->exprs ? eval_const(inst, seg->items[k], NULL)
                                    : (uint64_t)(uintptr_t)inst->funcs[seg->funcs[k]];
    }
    for (uint32_t i = 0; i < m->nelems; i++) {
        const wasm_elem_seg *seg = &m->elems[i];
        wasm_elem_inst *e = &inst->elems[i];
        if (seg->mode == SEG_ACTIVE) {
            wasm_table *t = inst->tables[seg->table];
            uint64_t off = (uint32_t)eval_const(inst, seg->offset, NULL);
            if (off + e->count > t->size)
                return trap_at(err, WASM_TRAP_TABLE_OOB, "element segment", i);
            if (e->count) memcpy(t->elems + off, e->refs, (size_t)e->count * sizeof(wasm_val));
        }
        if (seg->mode != SEG_PASSIVE) e->count = 0;
    }
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const wasm_data_seg *seg = &m->datas[i];
        if (seg->mode != SEG_ACTIVE) continue;
        wasm_memory *mem = inst->mems[seg->memory];
        uint64_t off = (uint32_t)eval_const(inst, seg->offset, NULL);
        if (off + seg->len > mem->size)
            return trap_at(err, WASM_TRAP_MEMORY_OOB, "data segment", i);
        if (seg->len) memcpy(mem->base + off, m->bytes + seg->pos, seg->len);
        inst->data_dropped[i] = true;
    }
    return WASM_OK;
}

wasm_instance *wasm_instance_new(wasm_store *s, const wasm_module *m, const wasm_extern *imports,
                                 uint32_t nimports, wasm_error *err)
{
    if (!s || !m) {
        wasm_error_set(err, WASM_BAD_ARGUMENT, "no store or no module");
        return NULL;
    }
    if (nimports != m->nimports || (nimports && !imports)) {
        wasm_error_set(err, WASM_UNLINKABLE, "module needs %u imports, %u given", m->nimports,
                       nimports);
        return NULL;
    }
    wasm_instance *inst = calloc(1, sizeof *inst);
    if (!inst) {
        wasm_error_set(err, WASM_NOMEM, "out of memory");
        return NULL;
    }
    inst->module = m;
    inst->store = s;
    /* The store keeps even a failed instance: a trapping segment may have
       put references to its functions into imported tables. */
    if (!wasm_store_track(s, -1, inst)) {
        free(inst);
        wasm_error_set(err, WASM_NOMEM, "out of memory");
        return NULL;
    }
    if (!alloc_instance(inst, m)) {
        wasm_error_set(err, WASM_NOMEM, "out of memory");
        return NULL;
    }
    if (allocate(s, inst, imports, err) != WASM_OK) return NULL;
    if (init_segments(inst, err) != WASM_OK) return NULL;
    if (m->has_start) {
        wasm_val none[1];
        if (wasm_func_call(inst->funcs[m->start], none, none, err) != WASM_OK) return NULL;
    }
    return inst;
}

const wasm_module *wasm_instance_module(const wasm_instance *inst) { return inst->module; }

bool wasm_instance_export(const wasm_instance *inst, const char *name, uint32_t len, wasm_extern *out)
{
    const wasm_module *m = inst->module;
    for (uint32_t i = 0; i < m->nexports; i++) {
        const wasm_export_info *e = &m->exports[i];
        if (e->name.len != len || memcmp(e->name.data, name, len) != 0) continue;
        out->kind = e->kind;
        switch (e->kind) {
        case WASM_EXTERN_FUNC: out->of.func = inst->funcs[e->index]; break;
        case WASM_EXTERN_TABLE: out->of.table = inst->tables[e->index]; break;
        case WASM_EXTERN_MEMORY: out->of.memory = inst->mems[e->index]; break;
        case WASM_EXTERN_GLOBAL: out->of.global = inst->globals[e->index]; break;
        }
        return true;
    }
    return false;
}

wasm_func *wasm_instance_func(const wasm_instance *inst, const char *name)
{
    wasm_extern ex;
    if (!wasm_instance_export(inst, name, (uint32_t)strlen(name), &ex)) return NULL;
    return ex.kind == WASM_EXTERN_FUNC ? ex.of.func : NULL;
}

wasm_memory *wasm_instance_memory(const wasm_instance *inst)
{
    return inst->module->nmems ? inst->mems[0] : NULL;
}
