/*
 * module.c - wasm_module_new: decode, validate, compile; and the module's
 * read-only description for embedders (imports, exports, types).
 */
#include <stdlib.h>

#include "compile.h"
#include "module.h"

wasm_module *wasm_module_new(const uint8_t *bytes, size_t size, wasm_error *err)
{
    if (!bytes && size) {
        wasm_error_set(err, WASM_BAD_ARGUMENT, "no module bytes");
        return NULL;
    }
    if (size > UINT32_MAX) {
        wasm_error_set(err, WASM_LIMIT, "module of %zu bytes is larger than 4 GiB", size);
        return NULL;
    }
    wasm_module *m = calloc(1, sizeof *m);
    if (m) m->bytes = malloc(size ? size : 1);
    if (!m || !m->bytes) {
        free(m);
        wasm_error_set(err, WASM_NOMEM, "out of memory loading a module");
        return NULL;
    }
    if (size) memcpy(m->bytes, bytes, size);
    m->size = size;
    wasm_status st = wasm_decode(m, err);
    if (st == WASM_OK) st = wasm_validate(m, err);
    if (st == WASM_OK) st = wasm_compile(m, err);
    if (st != WASM_OK) {
        wasm_module_free(m);
        return NULL;
    }
    return m;
}

void wasm_module_free(wasm_module *m)
{
    if (!m) return;
    wasm_compile_free(m);
    wasm_decode_free(m);
    free(m->bytes);
    free(m);
}

uint32_t wasm_module_import_count(const wasm_module *m) { return m->nimports; }
uint32_t wasm_module_export_count(const wasm_module *m) { return m->nexports; }

void wasm_module_export(const wasm_module *m, uint32_t index, wasm_export_info *out)
{
    *out = m->exports[index];
}

const wasm_functype *wasm_module_func_type(const wasm_module *m, uint32_t index)
{
    if (index >= m->nfuncs) return NULL;
    return &m->types[m->func_types[index]];
}

void wasm_module_import(const wasm_module *m, uint32_t index, wasm_import_info *out)
{
    const wasm_import *im = &m->imports[index];
    memset(out, 0, sizeof *out);
    out->module = im->module;
    out->name = im->name;
    out->kind = im->kind;
    switch (im->kind) {
    case WASM_EXTERN_FUNC: out->func = &m->types[im->index]; break;
    case WASM_EXTERN_TABLE: out->table = m->tables[im->index]; break;
    case WASM_EXTERN_MEMORY: out->memory = m->mems[im->index]; break;
    case WASM_EXTERN_GLOBAL: out->global = m->globals[im->index].type; break;
    }
}
