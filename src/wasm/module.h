/*
 * module.h - a decoded module as the engine keeps it (internal).
 *
 * Spec: "Structure > Modules" (2.5).  The decoder fills it from the
 * binary, the validator checks it, the compiler adds the compiled code.
 * After wasm_module_new returns it is never written again, which is what
 * makes a module shareable between threads.
 *
 * Index spaces (functions, tables, memories, globals) hold the imports
 * first, as in the spec.  Byte ranges (code bodies, constant expressions,
 * data) point into `bytes`, the module's own copy of its binary.
 */
#ifndef WASM_MODULE_H
#define WASM_MODULE_H

#include "wasm.h"

/* A constant expression (3.3.10): its bytes, the final `end` included. */
typedef struct wasm_expr {
    uint32_t pos, len;
} wasm_expr;

typedef struct wasm_import {
    wasm_name module, name;
    wasm_extern_kind kind;
    uint32_t index;  /* FUNC: type index; else the index in its own space */
} wasm_import;

typedef struct wasm_global_def {
    wasm_globaltype type;
    wasm_expr init;  /* unused for imports */
} wasm_global_def;

enum { SEG_ACTIVE, SEG_PASSIVE, SEG_DECLARATIVE };

typedef struct wasm_elem_seg {
    uint8_t mode;
    uint8_t type;          /* WASM_FUNCREF or WASM_EXTERNREF */
    uint32_t table;        /* SEG_ACTIVE */
    wasm_expr offset;      /* SEG_ACTIVE */
    uint32_t count;
    bool exprs;            /* items are expressions, else function indices */
    uint32_t *funcs;       /* !exprs: count function indices */
    wasm_expr *items;      /* exprs: count expressions */
    uint32_t pos;          /* byte offset of the segment, for messages */
} wasm_elem_seg;

typedef struct wasm_data_seg {
    uint8_t mode;          /* SEG_ACTIVE or SEG_PASSIVE */
    uint32_t memory;
    wasm_expr offset;
    uint32_t pos, len;     /* the bytes */
} wasm_data_seg;

/* A run of locals of one type in a code entry. */
typedef struct wasm_local_run {
    uint32_t count;
    uint8_t type;
} wasm_local_run;

struct wasm_compiled;  /* compile.h */

typedef struct wasm_code {
    uint32_t pos, size;    /* the whole entry: local declarations + body */
    uint32_t body_pos;     /* the first instruction */
    uint32_t nlocals;      /* declared locals, parameters not counted */
    uint32_t nruns;
    wasm_local_run *runs;
} wasm_code;

struct wasm_module {
    uint8_t *bytes;
    size_t size;

    uint32_t ntypes;
    wasm_functype *types;
    uint32_t *type_canon;  /* smallest index of a structurally equal type */

    uint32_t nimports;
    wasm_import *imports;

    uint32_t nfuncs, nfunc_imports;   /* nfuncs counts imports */
    uint32_t *func_types;             /* type index of every function */

    uint32_t ntables, ntable_imports;
    wasm_tabletype *tables;

    uint32_t nmems, nmem_imports;
    wasm_limits *mems;

    uint32_t nglobals, nglobal_imports;
    wasm_global_def *globals;

    uint32_t nexports;
    wasm_export_info *exports;

    bool has_start;
    uint32_t start;

    uint32_t nelems;
    wasm_elem_seg *elems;

    bool has_data_count;
    uint32_t data_count;

    uint32_t ncodes;
    wasm_code *codes;       /* codes[i] is function nfunc_imports + i */

    uint32_t ndatas;
    wasm_data_seg *datas;

    /* C.refs of 3.4.10: functions that ref.func may name, as a bitset. */
    uint8_t *declared_funcs;

    struct wasm_compiled *compiled;  /* ncodes entries, from compile.c */
};

static inline bool wasm_func_declared(const struct wasm_module *m, uint32_t f)
{
    return (m->declared_funcs[f >> 3] >> (f & 7)) & 1;
}

static inline bool wasm_is_reftype(uint8_t t)
{
    return t == WASM_FUNCREF || t == WASM_EXTERNREF;
}
static inline bool wasm_is_valtype(uint8_t t)
{
    return t == WASM_I32 || t == WASM_I64 || t == WASM_F32 || t == WASM_F64 ||
           t == WASM_V128 || wasm_is_reftype(t);
}

/* decode.c: fills m from m->bytes; returns WASM_OK or WASM_MALFORMED
   (WASM_LIMIT past an implementation limit, WASM_NOMEM).  On failure what
   it allocated is already freed. */
wasm_status wasm_decode(struct wasm_module *m, wasm_error *err);
/* validate.c: every rule of chapter 3; WASM_OK or WASM_INVALID (or
   WASM_NOMEM). */
wasm_status wasm_validate(const struct wasm_module *m, wasm_error *err);
/* Frees what wasm_decode allocated (not bytes, not compiled). */
void wasm_decode_free(struct wasm_module *m);

#endif
