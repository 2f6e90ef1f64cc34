/*
 * decode.c - from the bytes of a binary module to struct wasm_module.
 *
 * Spec: "Binary Format > Modules" (5.5): the preamble, the twelve section
 * kinds in their fixed order, custom sections anywhere, and the checks
 * the binary format itself makes (section sizes, function/code and data
 * count consistency, the data count section that memory.init and
 * data.drop require).  Everything the spec calls validation (chapter 3)
 * is left to validate.c; indices are stored unchecked.
 *
 * Function bodies are scanned here, not interpreted: every instruction is
 * read with its immediates and blocks are matched, so that a malformed
 * body is reported as malformed before any validation error elsewhere,
 * as the spec's decode-then-validate order requires.
 *
 * Hostile input: every vector count is checked against the bytes left
 * before anything is allocated (wasm_read_count), locals are capped per
 * function, and function types are capped in arity so that validating an
 * instruction stays cheap.  On failure everything is freed again.
 */
#include <stdlib.h>
#include <string.h>

#include "module.h"
#include "opcodes.h"
#include "reader.h"

/* Declared locals per function.  The spec allows 2^32-1; engines cap it
   (browsers at 50000) because each local costs a stack slot per call. */
#define WASM_MAX_LOCALS 50000
/* Parameters or results per function type, as browsers cap them.  Without
   a cap a single call or branch could cost millions of steps to check. */
#define WASM_MAX_ARITY 1000

enum { SEC_CUSTOM, SEC_TYPE, SEC_IMPORT, SEC_FUNCTION, SEC_TABLE, SEC_MEMORY, SEC_GLOBAL,
       SEC_EXPORT, SEC_START, SEC_ELEMENT, SEC_CODE, SEC_DATA, SEC_DATA_COUNT, SEC_COUNT };

static const char *const section_names[SEC_COUNT] = {
    "custom", "type", "import", "function", "table", "memory", "global",
    "export", "start", "element", "code", "data", "data count",
};

/* 5.5.2: the data count section (12) sits between start/element and code. */
static const uint8_t section_rank[SEC_COUNT] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10};

/* Kinds of open blocks while scanning an expression: `else` is only
   well-formed directly inside an `if` that has not had one yet. */
enum { FRAME_BLOCK, FRAME_IF, FRAME_ELSE };

typedef struct decoder {
    wasm_module *m;
    wasm_reader r;
    uint8_t *frames;      /* open blocks of the expression being scanned */
    size_t frames_cap;
    bool has_function_section;
} decoder;

static bool out_of_memory(decoder *d)
{
    wasm_error_set(d->r.err, WASM_NOMEM, "out of memory decoding the %s section",
                   d->r.section ? d->r.section : "module");
    return false;
}

static bool limit_fail(decoder *d, const char *what)
{
    wasm_error_set(d->r.err, WASM_LIMIT, "%s section, byte 0x%zx: %s", d->r.section, d->r.pos,
                   what);
    return false;
}

/* calloc that never asks for zero bytes, so NULL always means failure. */
static void *alloc_array(size_t n, size_t size)
{
    return calloc(n ? n : 1, size);
}

/* Extends an index space whose imports are already in *arr (have of them)
   by `more` definitions, zeroed. */
static bool grow_space(decoder *d, void **arr, uint32_t have, uint32_t more, size_t size,
                       uint32_t *total)
{
    uint64_t n = (uint64_t)have + more;
    if (n > UINT32_MAX)
        return wasm_reader_fail(&d->r, "too many definitions");
    void *p = realloc(*arr, n ? (size_t)n * size : 1);
    if (!p)
        return out_of_memory(d);
    memset((char *)p + (size_t)have * size, 0, (size_t)more * size);
    *arr = p;
    *total = (uint32_t)n;
    return true;
}

/* wasm.h promises NUL-terminated names, so they are copied out of the
   module bytes rather than pointed to. */
static bool read_name_copy(decoder *d, wasm_name *out)
{
    const uint8_t *s;
    uint32_t len;
    if (!wasm_read_name(&d->r, &s, &len))
        return false;
    char *copy = malloc((size_t)len + 1);
    if (!copy)
        return out_of_memory(d);
    memcpy(copy, s, len);
    copy[len] = '\0';
    out->data = copy;
    out->len = len;
    return true;
}

static bool read_byte_in(decoder *d, uint8_t *out, bool (*ok)(uint8_t), const char *what)
{
    if (!wasm_read_u8(&d->r, out))
        return false;
    if (!ok(*out)) {
        d->r.pos--;
        return wasm_reader_fail(&d->r, what);
    }
    return true;
}

static bool read_valtype(decoder *d, uint8_t *out)
{
    return read_byte_in(d, out, wasm_is_valtype, "malformed value type");
}

static bool read_reftype(decoder *d, uint8_t *out)
{
    return read_byte_in(d, out, wasm_is_reftype, "malformed reference type");
}

/* ---- Expressions (5.4.9) --------------------------------------------- */

static bool push_frame(decoder *d, size_t depth, uint8_t kind)
{
    if (depth == d->frames_cap) {
        size_t cap = d->frames_cap ? d->frames_cap * 2 : 64;
        uint8_t *p = realloc(d->frames, cap);
        if (!p)
            return out_of_memory(d);
        d->frames = p;
        d->frames_cap = cap;
    }
    d->frames[depth] = kind;
    return true;
}

/* Reads instructions up to the `end` that closes the expression, checking
   that blocks nest properly.  Iterative, so nesting depth costs heap, not
   C stack.  (The data count rule for memory.init and data.drop is checked
   by the validator, after the segment index.) */
static bool read_expr(decoder *d, wasm_expr *out)
{
    wasm_reader *r = &d->r;
    size_t start = r->pos, depth = 0;
    wasm_instr in;
    for (;;) {
        if (!wasm_read_instr(r, &in))
            return false;
        switch (in.op) {
        case OP_BLOCK:
        case OP_LOOP:
        case OP_IF:
            if (!push_frame(d, depth, in.op == OP_IF ? FRAME_IF : FRAME_BLOCK))
                return false;
            depth++;
            break;
        case OP_ELSE:
            if (depth == 0 || d->frames[depth - 1] != FRAME_IF) {
                r->pos = in.pos;
                return wasm_reader_fail(r, "END opcode expected");
            }
            d->frames[depth - 1] = FRAME_ELSE;
            break;
        case OP_END:
            if (depth == 0) {
                if (out) {
                    out->pos = (uint32_t)start;
                    out->len = (uint32_t)(r->pos - start);
                }
                return true;
            }
            depth--;
            break;
        default:
            break;
        }
    }
}

/* ---- Types (5.3) ------------------------------------------------------ */

static bool read_limits(decoder *d, wasm_limits *l)
{
    uint8_t flag;
    if (!wasm_read_u8(&d->r, &flag))
        return false;
    /* The reference interpreter reads the flag as a one-bit LEB128, and
       the testsuite expects its wording. */
    if (flag > 1) {
        d->r.pos--;
        return wasm_reader_fail(&d->r, flag & 0x80 ? "integer representation too long"
                                                   : "integer too large");
    }
    l->has_max = flag == 1;
    l->max = 0;
    return wasm_read_u32(&d->r, &l->min) && (!l->has_max || wasm_read_u32(&d->r, &l->max));
}

static bool read_tabletype(decoder *d, wasm_tabletype *t)
{
    return read_reftype(d, &t->elem) && read_limits(d, &t->limits);
}

static bool is_mut_flag(uint8_t b)
{
    return b <= 1;
}

static bool read_globaltype(decoder *d, wasm_globaltype *g)
{
    uint8_t mut;
    if (!read_valtype(d, &g->type) || !read_byte_in(d, &mut, is_mut_flag, "malformed mutability"))
        return false;
    g->mutable_ = mut == 1;
    return true;
}

/* A result type: a vector of value types, which in the binary are one
   byte each, so the vector's bytes serve as the array itself. */
static bool read_resulttype(decoder *d, const uint8_t **types, uint32_t *n)
{
    if (!wasm_read_count(&d->r, 1, n))
        return false;
    if (*n > WASM_MAX_ARITY)
        return limit_fail(d, "function type has more than 1000 parameters or results");
    *types = d->r.bytes + d->r.pos;
    for (uint32_t i = 0; i < *n; i++) {
        uint8_t t;
        if (!read_valtype(d, &t))
            return false;
    }
    return true;
}

/* ---- Sections (5.5.4 - 5.5.13) ---------------------------------------- */

static bool decode_types(decoder *d)
{
    wasm_module *m = d->m;
    uint32_t n;
    if (!wasm_read_count(&d->r, 3, &n))
        return false;
    m->types = alloc_array(n, sizeof *m->types);
    if (!m->types)
        return out_of_memory(d);
    m->ntypes = n;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t form;
        if (!wasm_read_u8(&d->r, &form))
            return false;
        if (form != 0x60) {
            d->r.pos--;
            return wasm_reader_fail(&d->r, "integer representation too long"); /* spec */
        }
        wasm_functype *ft = &m->types[i];
        if (!read_resulttype(d, &ft->params, &ft->nparams) ||
            !read_resulttype(d, &ft->results, &ft->nresults))
            return false;
    }
    return true;
}

static bool decode_import_desc(decoder *d, wasm_import *im)
{
    wasm_module *m = d->m;
    uint8_t kind;
    if (!wasm_read_u8(&d->r, &kind))
        return false;
    im->kind = (wasm_extern_kind)kind;
    switch (kind) {
    case WASM_EXTERN_FUNC:
        if (!wasm_read_u32(&d->r, &im->index))
            return false;
        m->func_types[m->nfunc_imports++] = im->index;
        return true;
    case WASM_EXTERN_TABLE:
        im->index = m->ntable_imports;
        return read_tabletype(d, &m->tables[m->ntable_imports++]);
    case WASM_EXTERN_MEMORY:
        im->index = m->nmem_imports;
        return read_limits(d, &m->mems[m->nmem_imports++]);
    case WASM_EXTERN_GLOBAL:
        im->index = m->nglobal_imports;
        return read_globaltype(d, &m->globals[m->nglobal_imports++].type);
    default:
        d->r.pos--;
        return wasm_reader_fail(&d->r, "malformed import kind");
    }
}

/* Each index space starts with its imports.  Their number per kind is
   not known until the section is read, so every space gets room for all
   n imports; the sections that follow extend them. */
static bool decode_imports(decoder *d)
{
    wasm_module *m = d->m;
    uint32_t n;
    if (!wasm_read_count(&d->r, 3, &n))
        return false;
    m->imports = alloc_array(n, sizeof *m->imports);
    m->func_types = alloc_array(n, sizeof *m->func_types);
    m->tables = alloc_array(n, sizeof *m->tables);
    m->mems = alloc_array(n, sizeof *m->mems);
    m->globals = alloc_array(n, sizeof *m->globals);
    if (!m->imports || !m->func_types || !m->tables || !m->mems || !m->globals)
        return out_of_memory(d);
    m->nimports = n;
    for (uint32_t i = 0; i < n; i++) {
        wasm_import *im = &m->imports[i];
        if (!read_name_copy(d, &im->module) || !read_name_copy(d, &im->name) ||
            !decode_import_desc(d, im))
            return false;
    }
    m->nfuncs = m->nfunc_imports;
    m->ntables = m->ntable_imports;
    m->nmems = m->nmem_imports;
    m->nglobals = m->nglobal_imports;
    return true;
}

static bool decode_functions(decoder *d)
{
    wasm_module *m = d->m;
    uint32_t n;
    if (!wasm_read_count(&d->r, 1, &n) ||
        !grow_space(d, (void **)&m->func_types, m->nfunc_imports, n, sizeof *m->func_types,
                    &m->nfuncs))
        return false;
    d->has_function_section = true;
    for (uint32_t i = 0; i < n; i++)
        if (!wasm_read_u32(&d->r, &m->func_types[m->nfunc_imports + i]))
            return false;
    return true;
}

static bool decode_tables(decoder *d)
{
    wasm_module *m = d->m;
    uint32_t n;
    if (!wasm_read_count(&d->r, 2, &n) ||
        !grow_space(d, (void **)&m->tables, m->ntable_imports, n, sizeof *m->tables, &m->ntables))
        return false;
    for (uint32_t i = 0; i < n; i++)
        if (!read_tabletype(d, &m->tables[m->ntable_imports + i]))
            return false;
    return true;
}

static bool decode_memories(decoder *d)
{
    wasm_module *m = d->m;
    uint32_t n;
    if (!wasm_read_count(&d->r, 1, &n) ||
        !grow_space(d, (void **)&m->mems, m->nmem_imports, n, sizeof *m->mems, &m->nmems))
        return false;
    for (uint32_t i = 0; i < n; i++)
        if (!read_limits(d, &m->mems[m->nmem_imports + i]))
            return false;
    return true;
}

static bool decode_globals(decoder *d)
{
    wasm_module *m = d->m;
    uint32_t n;
    if (!wasm_read_count(&d->r, 3, &n) ||
        !grow_space(d, (void **)&m->globals, m->nglobal_imports, n, sizeof *m->globals,
                    &m->nglobals))
        return false;
    for (uint32_t i = 0; i < n; i++) {
        wasm_global_def *g = &m->globals[m->nglobal_imports + i];
        if (!read_globaltype(d, &g->type) || !read_expr(d, &g->init))
            return false;
    }
    return true;
}

static bool decode_exports(decoder *d)
{
    wasm_module *m = d->m;
    uint32_t n;
    if (!wasm_read_count(&d->r, 3, &n))
        return false;
    m->exports = alloc_array(n, sizeof *m->exports);
    if (!m->exports)
        return out_of_memory(d);
    m->nexports = n;
    for (uint32_t i = 0; i < n; i++) {
        wasm_export_info *e = &m->exports[i];
        uint8_t kind;
        if (!read_name_copy(d, &e->name) || !wasm_read_u8(&d->r, &kind))
            return false;
        if (kind > WASM_EXTERN_GLOBAL) {
            d->r.pos--;
            return wasm_reader_fail(&d->r, "malformed export kind");
        }
        e->kind = (wasm_extern_kind)kind;
        if (!wasm_read_u32(&d->r, &e->index))
            return false;
    }
    return true;
}

static bool decode_start(decoder *d)
{
    d->m->has_start = true;
    return wasm_read_u32(&d->r, &d->m->start);
}

/* The items of an element segment: function indices or expressions. */
static bool decode_elem_items(decoder *d, wasm_elem_seg *e)
{
    if (!wasm_read_count(&d->r, 1, &e->count))
        return false;
    if (e->exprs) {
        e->items = alloc_array(e->count, sizeof *e->items);
        if (!e->items)
            return out_of_memory(d);
        for (uint32_t i = 0; i < e->count; i++)
            if (!read_expr(d, &e->items[i]))
                return false;
    } else {
        e->funcs = alloc_array(e->count, sizeof *e->funcs);
        if (!e->funcs)
            return out_of_memory(d);
        for (uint32_t i = 0; i < e->count; i++)
            if (!wasm_read_u32(&d->r, &e->funcs[i]))
                return false;
    }
    return true;
}

/* 5.5.12: the flags' bit 0 says passive-or-declarative (else active), bit
   1 an explicit table index (active) or declarative (otherwise), bit 2
   expressions instead of function indices.  Flags 0 and 4 carry no
   element type; it is funcref. */
static bool decode_elem(decoder *d, wasm_elem_seg *e)
{
    uint32_t flags;
    e->pos = (uint32_t)d->r.pos;
    if (!wasm_read_u32(&d->r, &flags))
        return false;
    if (flags > 7) {
        d->r.pos = e->pos;
        return wasm_reader_fail(&d->r, "malformed elements segment kind");
    }
    bool active = !(flags & 1);
    e->mode = active ? SEG_ACTIVE : (flags & 2) ? SEG_DECLARATIVE : SEG_PASSIVE;
    e->exprs = flags & 4;
    e->type = WASM_FUNCREF;
    e->table = 0;
    if (active && (flags & 2) && !wasm_read_u32(&d->r, &e->table))
        return false;
    if (active && !read_expr(d, &e->offset))
        return false;
    if (flags & 3) {
        if (e->exprs) {
            if (!read_reftype(d, &e->type))
                return false;
        } else {
            uint8_t kind;
            if (!wasm_read_u8(&d->r, &kind))
                return false;
            if (kind != 0x00) {
                d->r.pos--;
                return wasm_reader_fail(&d->r, "malformed element kind");
            }
        }
    }
    return decode_elem_items(d, e);
}

static bool decode_elems(decoder *d)
{
    wasm_module *m = d->m;
    uint32_t n;
    if (!wasm_read_count(&d->r, 2, &n))
        return false;
    m->elems = alloc_array(n, sizeof *m->elems);
    if (!m->elems)
        return out_of_memory(d);
    m->nelems = n;
    for (uint32_t i = 0; i < n; i++)
        if (!decode_elem(d, &m->elems[i]))
            return false;
    return true;
}

static bool decode_data_count(decoder *d)
{
    d->m->has_data_count = true;
    return wasm_read_u32(&d->r, &d->m->data_count);
}

static bool decode_locals(decoder *d, wasm_code *c)
{
    uint64_t total = 0;
    if (!wasm_read_count(&d->r, 2, &c->nruns))
        return false;
    c->runs = alloc_array(c->nruns, sizeof *c->runs);
    if (!c->runs)
        return out_of_memory(d);
    for (uint32_t i = 0; i < c->nruns; i++) {
        size_t at = d->r.pos;
        if (!wasm_read_u32(&d->r, &c->runs[i].count))
            return false;
        total += c->runs[i].count;
        if (total > WASM_MAX_LOCALS) {
            d->r.pos = at;
            return wasm_reader_fail(&d->r, "too many locals");
        }
        if (!read_valtype(d, &c->runs[i].type))
            return false;
    }
    c->nlocals = (uint32_t)total;
    return true;
}

/* 5.5.13: each entry is sized, so the body must end exactly at the end of
   its entry; the reader is confined to the entry while it is scanned. */
static bool decode_code_entry(decoder *d, wasm_code *c)
{
    wasm_reader *r = &d->r;
    uint32_t size;
    if (!wasm_read_u32(r, &size))
        return false;
    if (size > r->end - r->pos)
        return wasm_reader_fail(r, "unexpected end of section or function");
    size_t section_end = r->end;
    c->pos = (uint32_t)r->pos;
    c->size = size;
    r->end = r->pos + size;
    if (!decode_locals(d, c))
        return false;
    c->body_pos = (uint32_t)r->pos;
    if (!read_expr(d, NULL))
        return false;
    if (r->pos != r->end)
        return wasm_reader_fail(r, "section size mismatch");
    r->end = section_end;
    return true;
}

static bool decode_codes(decoder *d)
{
    wasm_module *m = d->m;
    uint32_t n;
    if (!wasm_read_count(&d->r, 3, &n))
        return false;
    m->codes = alloc_array(n, sizeof *m->codes);
    if (!m->codes)
        return out_of_memory(d);
    m->ncodes = n;
    for (uint32_t i = 0; i < n; i++)
        if (!decode_code_entry(d, &m->codes[i]))
            return false;
    return true;
}

/* 5.5.14: flags 0 = active in memory 0, 1 = passive, 2 = active with an
   explicit memory index. */
static bool decode_data(decoder *d, wasm_data_seg *s)
{
    wasm_reader *r = &d->r;
    uint32_t flags, len;
    size_t at = r->pos;
    if (!wasm_read_u32(r, &flags))
        return false;
    if (flags > 2) {
        r->pos = at;
        return wasm_reader_fail(r, "malformed data segment kind");
    }
    s->mode = flags == 1 ? SEG_PASSIVE : SEG_ACTIVE;
    s->memory = 0;
    if (flags == 2 && !wasm_read_u32(r, &s->memory))
        return false;
    if (flags != 1 && !read_expr(d, &s->offset))
        return false;
    if (!wasm_read_u32(r, &len))
        return false;
    if (len > r->end - r->pos)
        return wasm_reader_fail(r, "unexpected end of section or function");
    s->pos = (uint32_t)r->pos;
    s->len = len;
    r->pos += len;
    return true;
}

static bool decode_datas(decoder *d)
{
    wasm_module *m = d->m;
    uint32_t n;
    if (!wasm_read_count(&d->r, 2, &n))
        return false;
    m->datas = alloc_array(n, sizeof *m->datas);
    if (!m->datas)
        return out_of_memory(d);
    m->ndatas = n;
    for (uint32_t i = 0; i < n; i++)
        if (!decode_data(d, &m->datas[i]))
            return false;
    return true;
}

/* 5.5.3: a custom section is a name and bytes the engine ignores. */
static bool decode_custom(decoder *d)
{
    const uint8_t *name;
    uint32_t len;
    if (!wasm_read_name(&d->r, &name, &len))
        return false;
    d->r.pos = d->r.end;
    return true;
}

static bool decode_section(decoder *d, uint8_t id)
{
    switch (id) {
    case SEC_CUSTOM: return decode_custom(d);
    case SEC_TYPE: return decode_types(d);
    case SEC_IMPORT: return decode_imports(d);
    case SEC_FUNCTION: return decode_functions(d);
    case SEC_TABLE: return decode_tables(d);
    case SEC_MEMORY: return decode_memories(d);
    case SEC_GLOBAL: return decode_globals(d);
    case SEC_EXPORT: return decode_exports(d);
    case SEC_START: return decode_start(d);
    case SEC_ELEMENT: return decode_elems(d);
    case SEC_CODE: return decode_codes(d);
    case SEC_DATA: return decode_datas(d);
    case SEC_DATA_COUNT: return decode_data_count(d);
    }
    return wasm_reader_fail(&d->r, "malformed section id");
}

static bool decode_header(decoder *d)
{
    static const uint8_t magic[4] = {0x00, 0x61, 0x73, 0x6d};
    static const uint8_t version[4] = {0x01, 0x00, 0x00, 0x00};
    wasm_reader *r = &d->r;
    if (r->end < 4)
        return wasm_reader_fail(r, "unexpected end");
    if (memcmp(r->bytes, magic, 4) != 0)
        return wasm_reader_fail(r, "magic header not detected");
    r->pos = 4;
    if (r->end < 8)
        return wasm_reader_fail(r, "unexpected end");
    if (memcmp(r->bytes + 4, version, 4) != 0)
        return wasm_reader_fail(r, "unknown binary version");
    r->pos = 8;
    return true;
}

/* 5.5.2: sections in their fixed order, each at most once; custom
   sections anywhere.  A section must consume exactly its size. */
static bool decode_sections(decoder *d)
{
    wasm_reader *r = &d->r;
    const size_t module_end = r->end;
    unsigned last_rank = 0;
    while (r->pos < module_end) {
        uint8_t id;
        uint32_t size;
        r->section = NULL;
        if (!wasm_read_u8(r, &id))
            return false;
        if (id >= SEC_COUNT) {
            r->pos--;
            return wasm_reader_fail(r, "malformed section id");
        }
        if (id != SEC_CUSTOM) {
            if (section_rank[id] <= last_rank) {
                r->pos--;
                return wasm_reader_fail(r, "unexpected content after last section");
            }
            last_rank = section_rank[id];
        }
        r->section = section_names[id];
        if (!wasm_read_u32(r, &size))
            return false;
        if (size > module_end - r->pos)
            return wasm_reader_fail(r, "length out of bounds");
        r->end = r->pos + size;
        if (!decode_section(d, id))
            return false;
        if (r->pos != r->end)
            return wasm_reader_fail(r, "section size mismatch");
        r->end = module_end;
    }
    r->section = NULL;
    return true;
}

/* The checks that span sections, made once all are read. */
static bool check_counts(decoder *d)
{
    wasm_module *m = d->m;
    if (m->nfuncs - m->nfunc_imports != m->ncodes)
        return wasm_reader_fail(&d->r, "function and code section have inconsistent lengths");
    if (m->has_data_count && m->data_count != m->ndatas)
        return wasm_reader_fail(&d->r, "data count and data section have inconsistent lengths");
    return true;
}

/* ---- Derived tables --------------------------------------------------- */

static void declare_func(wasm_module *m, uint32_t f)
{
    if (f < m->nfuncs)   /* out of range: the validator reports it */
        m->declared_funcs[f >> 3] |= (uint8_t)(1u << (f & 7));
}

static void declare_expr_refs(decoder *d, wasm_expr e)
{
    wasm_reader r = {d->m->bytes, e.pos, (size_t)e.pos + e.len, NULL, d->r.err};
    wasm_instr in;
    while (r.pos < r.end && wasm_read_instr(&r, &in))
        if (in.op == OP_REF_FUNC)
            declare_func(d->m, in.a);
}

/* C.refs (3.4.10): the functions that ref.func may name in code are those
   named outside of it - in global initializers, element segments and
   exports. */
static bool compute_declared(decoder *d)
{
    wasm_module *m = d->m;
    m->declared_funcs = alloc_array(((size_t)m->nfuncs + 7) / 8, 1);
    if (!m->declared_funcs)
        return out_of_memory(d);
    for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++)
        declare_expr_refs(d, m->globals[i].init);
    for (uint32_t i = 0; i < m->nelems; i++) {
        const wasm_elem_seg *e = &m->elems[i];
        for (uint32_t k = 0; k < e->count; k++) {
            if (e->exprs)
                declare_expr_refs(d, e->items[k]);
            else
                declare_func(m, e->funcs[k]);
        }
    }
    for (uint32_t i = 0; i < m->nexports; i++)
        if (m->exports[i].kind == WASM_EXTERN_FUNC)
            declare_func(m, m->exports[i].index);
    return true;
}

static bool same_functype(const wasm_functype *a, const wasm_functype *b)
{
    return a->nparams == b->nparams && a->nresults == b->nresults &&
           memcmp(a->params, b->params, a->nparams) == 0 &&
           memcmp(a->results, b->results, a->nresults) == 0;
}

static uint32_t hash_functype(const wasm_functype *t)
{
    uint32_t h = 2166136261u ^ t->nparams;   /* FNV-1a */
    for (uint32_t i = 0; i < t->nparams; i++)
        h = (h ^ t->params[i]) * 16777619u;
    h = (h ^ 0xff ^ t->nresults) * 16777619u;
    for (uint32_t i = 0; i < t->nresults; i++)
        h = (h ^ t->results[i]) * 16777619u;
    return h;
}

/* type_canon[i]: the first type equal to type i, so that call_indirect
   can compare types by index.  A hash table keeps this linear however
   many types a module declares; it holds the first index of each
   distinct type. */
static bool compute_type_canon(decoder *d)
{
    wasm_module *m = d->m;
    size_t cap = 16;
    while (cap < (size_t)m->ntypes * 2)
        cap *= 2;
    uint32_t *slots = malloc(cap * sizeof *slots);
    m->type_canon = alloc_array(m->ntypes, sizeof *m->type_canon);
    if (!slots || !m->type_canon) {
        free(slots);
        return out_of_memory(d);
    }
    memset(slots, 0xff, cap * sizeof *slots);
    for (uint32_t i = 0; i < m->ntypes; i++) {
        size_t s = hash_functype(&m->types[i]) & (cap - 1);
        while (slots[s] != UINT32_MAX && !same_functype(&m->types[slots[s]], &m->types[i]))
            s = (s + 1) & (cap - 1);
        if (slots[s] == UINT32_MAX)
            slots[s] = i;
        m->type_canon[i] = slots[s];
    }
    free(slots);
    return true;
}

/* ---- Entry points ----------------------------------------------------- */

/* Zeroes exactly the fields decode owns: not bytes, size or compiled. */
static void clear_decoded(wasm_module *m)
{
    m->ntypes = 0;
    m->types = NULL;
    m->type_canon = NULL;
    m->nimports = 0;
    m->imports = NULL;
    m->nfuncs = m->nfunc_imports = 0;
    m->func_types = NULL;
    m->ntables = m->ntable_imports = 0;
    m->tables = NULL;
    m->nmems = m->nmem_imports = 0;
    m->mems = NULL;
    m->nglobals = m->nglobal_imports = 0;
    m->globals = NULL;
    m->nexports = 0;
    m->exports = NULL;
    m->has_start = false;
    m->start = 0;
    m->nelems = 0;
    m->elems = NULL;
    m->has_data_count = false;
    m->data_count = 0;
    m->ncodes = 0;
    m->codes = NULL;
    m->ndatas = 0;
    m->datas = NULL;
    m->declared_funcs = NULL;
}

wasm_status wasm_decode(wasm_module *m, wasm_error *err)
{
    /* Decode into a fresh error so the status is known even when the
       caller passed none, then hand the first error on. */
    wasm_error local;
    wasm_error_clear(&local);
    clear_decoded(m);
    if (m->size > UINT32_MAX) /* offsets are kept in 32 bits */
        return wasm_error_set(err, WASM_LIMIT, "module larger than 4 GiB");

    decoder d = {.m = m, .r = {m->bytes, 0, m->size, NULL, &local}};
    bool ok = decode_header(&d) && decode_sections(&d) && check_counts(&d) &&
              compute_declared(&d) && compute_type_canon(&d);
    free(d.frames);
    if (ok)
        return WASM_OK;
    wasm_decode_free(m);
    return wasm_error_set(err, local.status, "%s", local.message);
}

static void free_name(wasm_name *n)
{
    free((void *)n->data);
    n->data = NULL;
}

/* Frees everything wasm_decode allocated and zeroes the counts, so a
   second call does nothing. */
void wasm_decode_free(wasm_module *m)
{
    for (uint32_t i = 0; i < m->nimports && m->imports; i++) {
        free_name(&m->imports[i].module);
        free_name(&m->imports[i].name);
    }
    for (uint32_t i = 0; i < m->nexports && m->exports; i++)
        free_name(&m->exports[i].name);
    for (uint32_t i = 0; i < m->nelems && m->elems; i++) {
        free(m->elems[i].funcs);
        free(m->elems[i].items);
    }
    for (uint32_t i = 0; i < m->ncodes && m->codes; i++)
        free(m->codes[i].runs);
    free(m->types);
    free(m->type_canon);
    free(m->imports);
    free(m->func_types);
    free(m->tables);
    free(m->mems);
    free(m->globals);
    free(m->exports);
    free(m->elems);
    free(m->codes);
    free(m->datas);
    free(m->declared_funcs);
    clear_decoded(m);
}
