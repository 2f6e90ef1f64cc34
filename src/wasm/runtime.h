/*
 * runtime.h - stores, instances and the objects they own (internal).
 *
 * Spec: "Execution > Runtime Structure" (4.2).  A store owns every object
 * created in it; objects refer to each other by plain pointers that stay
 * valid until wasm_store_free.
 */
#ifndef WASM_RUNTIME_H
#define WASM_RUNTIME_H

#include <stdatomic.h>

#include "compile.h"
#include "module.h"

struct wasm_memory {
    uint8_t *base;        /* reserved for max pages, accessible for `size` */
    uint64_t size;        /* bytes */
    uint32_t pages, max_pages;
    size_t reserved;      /* bytes mapped (PROT_NONE beyond size) */
    uint32_t refused;     /* grows refused so far */
    bool huge;            /* advised onto huge pages (memory.c) */
    wasm_limits type;     /* as declared; max is the declared one */
};

struct wasm_table {
    wasm_val *elems;
    uint32_t size, max;   /* max: the effective cap */
    wasm_tabletype type;
};

struct wasm_global {
    wasm_val value;       /* first, so a cell pointer is the global */
    wasm_val value_hi;    /* a v128's bytes 8-15 */
    wasm_globaltype type;
};

struct wasm_func {
    const wasm_functype *type;
    uint32_t param_cells, result_cells; /* wasm_type_cells of the type */
    wasm_store *store;
    wasm_instance *inst;              /* wasm functions */
    const wasm_compiled *code;        /* wasm functions */
    uint32_t type_canon;              /* wasm functions: canonical type index */
    wasm_host_fn host;                /* host functions */
    wasm_host_leaf_fn leaf;           /* host functions: the fast form, or NULL */
    bool leaf_result;                 /* the leaf form's result is stored */
    void *user;
    wasm_functype owned;              /* host functions: a copy of the type */
};

typedef struct wasm_elem_inst {
    uint32_t count;       /* 0 once dropped */
    wasm_val *refs;
} wasm_elem_inst;

struct wasm_instance {
    const wasm_module *module;
    wasm_store *store;
    wasm_func **funcs;
    wasm_table **tables;
    wasm_memory **mems;
    wasm_global **globals;
    wasm_elem_inst *elems;
    bool *data_dropped;
    wasm_func *own_funcs;     /* the module's defined functions */
    wasm_global *own_globals;
};

/* One activation of a Wasm function on the frame stack. */
typedef struct wasm_frame {
    const uint32_t *ret_ip;       /* NULL: return to the host */
    wasm_val *ret_fp;
    wasm_instance *ret_inst;
    const wasm_compiled *ret_fn;
} wasm_frame;

typedef struct wasm_object {
    wasm_extern_kind kind;        /* or -1 for an instance */
    void *ptr;
} wasm_object;

struct wasm_call {
    wasm_store *store;
    wasm_instance *inst;
    wasm_error *err;
};

struct wasm_store {
    wasm_config cfg;
    void *user;
    int64_t fuel;                 /* < 0: unlimited */
    uint64_t deadline;            /* CLOCK_MONOTONIC ns, 0: none */
    atomic_int interrupt;
    wasm_val *stack, *stack_end;  /* value stack, allocated on first call */
    wasm_val *sp;                 /* first free slot for a new host->guest call */
    wasm_frame *frames;
    uint32_t nframes;
    uint32_t reentry;
    wasm_object *objects;
    uint32_t nobjects, capobjects;
};

/* runtime.c */
bool wasm_store_track(wasm_store *s, int kind, void *ptr);
uint64_t wasm_monotonic_ns(void);
bool wasm_functype_equal(const wasm_functype *a, const wasm_functype *b);

/* interp.c: runs func with its arguments already at fp[0..]; results are
   left at fp[0..].  The store's frame stack and value stack are used
   above their current tops. */
wasm_status wasm_interp_run(wasm_store *s, wasm_func *func, wasm_val *fp, wasm_error *err);

/* memory.c / table.c */
void wasm_memory_release(wasm_memory *mem);
wasm_memory *wasm_memory_create(wasm_limits type, uint32_t cap, wasm_error *err);
wasm_table *wasm_table_create(wasm_tabletype type, uint32_t cap, wasm_val init, wasm_error *err);
void wasm_table_release(wasm_table *t);

#endif
