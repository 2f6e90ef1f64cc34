/*
 * wasm.h - the public API of wasmguard's WebAssembly 2.0 engine.
 *
 * The engine decodes, validates and compiles a module once (wasm_module,
 * immutable, shareable across threads), then instantiates it inside a
 * store (wasm_store: one sandbox, one thread at a time).  Everything an
 * instance allocates (memories, tables, globals, functions) belongs to its
 * store and is freed with it.  The guest reaches the host only through the
 * host functions the embedder passes as imports.
 *
 * Values cross the API as raw 64-bit cells (wasm_val): an i32 sits
 * zero-extended in the low 32 bits, floats travel as their bit patterns so
 * NaN payloads survive, references as pointers (0 is null).  A v128 takes
 * two consecutive cells, its low 64 bits (bytes 0-7, lanes 0.. in memory
 * order) first: the argument and result arrays of wasm_func_call hold
 * wasm_type_cells() cells, not one per value.  Host functions cannot take
 * or return v128 (wasm_func_new_host refuses such a type).
 *
 * Errors: every fallible call returns a wasm_status and fills a caller-owned
 * wasm_error (first error wins) with a kind to match on and a message that
 * names what failed and where.  The library never exits or aborts.
 */
#ifndef WASM_WASM_H
#define WASM_WASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Value types, numbered as in the binary format. */
typedef enum wasm_valtype {
    WASM_I32 = 0x7f,
    WASM_I64 = 0x7e,
    WASM_F32 = 0x7d,
    WASM_F64 = 0x7c,
    WASM_V128 = 0x7b,   /* two cells: see "Values" above */
    WASM_FUNCREF = 0x70,
    WASM_EXTERNREF = 0x6f,
} wasm_valtype;

typedef uint64_t wasm_val;

/* How many cells n values of these types take: one each, two per v128. */
static inline uint32_t wasm_type_cells(const uint8_t *types, uint32_t n)
{
    uint32_t cells = n;
    for (uint32_t i = 0; i < n; i++) cells += types[i] == WASM_V128;
    return cells;
}

static inline wasm_val wasm_val_i32(int32_t v) { return (uint32_t)v; }
static inline wasm_val wasm_val_i64(int64_t v) { return (uint64_t)v; }
static inline wasm_val wasm_val_f32(float v) { uint32_t b; memcpy(&b, &v, 4); return b; }
static inline wasm_val wasm_val_f64(double v) { uint64_t b; memcpy(&b, &v, 8); return b; }
static inline wasm_val wasm_val_ref(void *p) { return (uint64_t)(uintptr_t)p; }
static inline int32_t wasm_as_i32(wasm_val v) { return (int32_t)(uint32_t)v; }
static inline int64_t wasm_as_i64(wasm_val v) { return (int64_t)v; }
static inline float wasm_as_f32(wasm_val v) { uint32_t b = (uint32_t)v; float f; memcpy(&f, &b, 4); return f; }
static inline double wasm_as_f64(wasm_val v) { double d; memcpy(&d, &v, 8); return d; }
static inline void *wasm_as_ref(wasm_val v) { return (void *)(uintptr_t)v; }

/* What a call returned.  WASM_OK is zero; everything else ends the call. */
typedef enum wasm_status {
    WASM_OK = 0,
    WASM_MALFORMED,    /* the bytes are not a well-formed binary module */
    WASM_INVALID,      /* decoded, but fails validation */
    WASM_UNLINKABLE,   /* imports missing or of the wrong type */
    WASM_TRAP,         /* the guest trapped; wasm_error.trap says how */
    WASM_FUEL_EXHAUSTED, /* the store's fuel budget ran out */
    WASM_INTERRUPTED,  /* wasm_store_interrupt() or the deadline */
    WASM_EXIT,         /* a host function asked the guest to exit */
    WASM_HOST_ERROR,   /* a host function failed */
    WASM_LIMIT,        /* an implementation or embedder limit was hit */
    WASM_NOMEM,        /* the host ran out of memory */
    WASM_BAD_ARGUMENT, /* the embedder passed something wrong */
} wasm_status;

/* How the guest trapped, with the spec's wording (wasm_trap_message). */
typedef enum wasm_trap_kind {
    WASM_TRAP_NONE = 0,
    WASM_TRAP_UNREACHABLE,
    WASM_TRAP_MEMORY_OOB,
    WASM_TRAP_TABLE_OOB,
    WASM_TRAP_DIV_ZERO,
    WASM_TRAP_INT_OVERFLOW,
    WASM_TRAP_INVALID_CONVERSION,
    WASM_TRAP_INDIRECT_MISMATCH,
    WASM_TRAP_UNDEFINED_ELEMENT,
    WASM_TRAP_UNINITIALIZED_ELEMENT,
    WASM_TRAP_STACK_EXHAUSTED,
    WASM_TRAP_COUNT
} wasm_trap_kind;

#define WASM_ERROR_MESSAGE_MAX 320

typedef struct wasm_error {
    wasm_status status;
    wasm_trap_kind trap;   /* when status is WASM_TRAP */
    int32_t exit_code;     /* when status is WASM_EXIT */
    char message[WASM_ERROR_MESSAGE_MAX];
} wasm_error;

/* Clears an error so it can take a new first error. */
void wasm_error_clear(wasm_error *err);
/* Records an error unless one is already there; returns the status. */
wasm_status wasm_error_set(wasm_error *err, wasm_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
const char *wasm_status_name(wasm_status status);
/* The spec's wording of a trap, e.g. "integer divide by zero". */
const char *wasm_trap_message(wasm_trap_kind kind);

/* ---- Modules ---------------------------------------------------------- */

typedef enum wasm_extern_kind {
    WASM_EXTERN_FUNC = 0,
    WASM_EXTERN_TABLE = 1,
    WASM_EXTERN_MEMORY = 2,
    WASM_EXTERN_GLOBAL = 3,
} wasm_extern_kind;

typedef struct wasm_functype {
    uint32_t nparams, nresults;
    const uint8_t *params;  /* wasm_valtype codes */
    const uint8_t *results;
} wasm_functype;

typedef struct wasm_limits {
    uint32_t min;
    uint32_t max;     /* valid when has_max */
    bool has_max;
} wasm_limits;

typedef struct wasm_tabletype {
    uint8_t elem;     /* WASM_FUNCREF or WASM_EXTERNREF */
    wasm_limits limits;
} wasm_tabletype;

typedef struct wasm_globaltype {
    uint8_t type;
    bool mutable_;
} wasm_globaltype;

/* Names are UTF-8, NUL-terminated for convenience; len counts the bytes
   (a name may hold NUL itself). */
typedef struct wasm_name {
    const char *data;
    uint32_t len;
} wasm_name;

typedef struct wasm_import_info {
    wasm_name module, name;
    wasm_extern_kind kind;
    const wasm_functype *func;  /* kind FUNC */
    wasm_tabletype table;       /* kind TABLE */
    wasm_limits memory;         /* kind MEMORY */
    wasm_globaltype global;     /* kind GLOBAL */
} wasm_import_info;

typedef struct wasm_export_info {
    wasm_name name;
    wasm_extern_kind kind;
    uint32_t index;
} wasm_export_info;

typedef struct wasm_module wasm_module;

/* Decodes, validates and compiles.  The bytes are copied; the caller may
   free them afterwards.  Returns NULL and fills err on failure. */
wasm_module *wasm_module_new(const uint8_t *bytes, size_t size, wasm_error *err);
void wasm_module_free(wasm_module *module);

uint32_t wasm_module_import_count(const wasm_module *module);
void wasm_module_import(const wasm_module *module, uint32_t index, wasm_import_info *out);
uint32_t wasm_module_export_count(const wasm_module *module);
void wasm_module_export(const wasm_module *module, uint32_t index, wasm_export_info *out);
/* Type of function `index` in the module's function index space. */
const wasm_functype *wasm_module_func_type(const wasm_module *module, uint32_t index);

/* ---- Stores ----------------------------------------------------------- */

typedef struct wasm_config {
    uint32_t max_memory_pages;  /* cap on every memory of the store */
    uint32_t max_table_elems;   /* cap on every table of the store */
    uint32_t stack_slots;       /* value stack, 8 bytes a slot */
    uint32_t max_call_depth;    /* wasm frames, nested host calls included */
} wasm_config;

/* Fills a config with the defaults of config.h. */
void wasm_config_default(wasm_config *cfg);

typedef struct wasm_store wasm_store;

/* cfg may be NULL for the defaults.  Returns NULL when out of memory. */
wasm_store *wasm_store_new(const wasm_config *cfg);
/* Frees the store and everything created in it. */
void wasm_store_free(wasm_store *store);

/* Fuel: a budget charged as code runs (each loop iteration and each call
   is charged the size of its body in instructions).  Negative means
   unlimited, which is the default. */
void wasm_store_set_fuel(wasm_store *store, int64_t fuel);
int64_t wasm_store_fuel(const wasm_store *store);
/* A CLOCK_MONOTONIC deadline in nanoseconds; 0 means none. */
void wasm_store_set_deadline(wasm_store *store, uint64_t monotonic_ns);
/* Makes the running call (or the next one) stop with WASM_INTERRUPTED.
   The only function that may be called from another thread.  The flag
   stays raised until wasm_store_clear_interrupt. */
void wasm_store_interrupt(wasm_store *store);
void wasm_store_clear_interrupt(wasm_store *store);
/* True when the interrupt flag is raised or the deadline has passed: for
   host functions that wait (a sleep, a poll) and must stop in time. */
bool wasm_store_should_stop(const wasm_store *store);
/* Opaque pointer for the embedder. */
void wasm_store_set_user(wasm_store *store, void *user);
void *wasm_store_user(const wasm_store *store);

/* ---- Externals -------------------------------------------------------- */

typedef struct wasm_func wasm_func;
typedef struct wasm_table wasm_table;
typedef struct wasm_memory wasm_memory;
typedef struct wasm_global wasm_global;
typedef struct wasm_instance wasm_instance;

typedef struct wasm_extern {
    wasm_extern_kind kind;
    union {
        wasm_func *func;
        wasm_table *table;
        wasm_memory *memory;
        wasm_global *global;
    } of;
} wasm_extern;

/* What a host function sees of the call that reached it. */
typedef struct wasm_call wasm_call;

/* A host function reads its arguments and writes its results as cells of
   the types it was declared with.  Returning anything but WASM_OK ends the
   whole guest call with that status; set the message with wasm_call_fail. */
typedef wasm_status (*wasm_host_fn)(wasm_call *call, const wasm_val *args,
                                    wasm_val *results, void *user);

wasm_func *wasm_func_new_host(wasm_store *store, const wasm_functype *type,
                              wasm_host_fn fn, void *user);

/* The fast form of a host function that needs nothing of the call that
   reached it: it cannot fail or trap, does not grow a memory or call into
   the store, and returns its one result (anything when it has none).
   Calls from wasm code take it directly, without the status, stack and
   context of a wasm_host_fn call: a third of the cost of a call that
   does little (the Extism kernel's loads and stores, made for every 8
   bytes of a plugin's input and output, are such functions). */
typedef wasm_val (*wasm_host_leaf_fn)(void *user, const wasm_val *args);

/* Gives the host function f (at most one result) its leaf form; f's
   wasm_host_fn remains the form of every other call and must do the
   same.  false when f is not such a host function. */
bool wasm_func_set_leaf(wasm_func *f, wasm_host_leaf_fn leaf);
const wasm_functype *wasm_func_type(const wasm_func *func);
wasm_store *wasm_func_store(const wasm_func *func);

/* Calls a function with nparams arguments; writes nresults results.
   May be called from inside a host function of the same store. */
wasm_status wasm_func_call(wasm_func *func, const wasm_val *args, wasm_val *results,
                           wasm_error *err);

/* Inside a host function: the store, the instance of the calling code
   (NULL when the host called the host), and its memory 0 (or NULL). */
wasm_store *wasm_call_store(wasm_call *call);
wasm_instance *wasm_call_instance(wasm_call *call);
wasm_memory *wasm_call_memory(wasm_call *call);
/* Records the reason a host function fails and returns status. */
wasm_status wasm_call_fail(wasm_call *call, wasm_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Ends the guest with WASM_EXIT and this code (WASI's proc_exit). */
wasm_status wasm_call_exit(wasm_call *call, int32_t code);

/* Memories: sizes in 64 KiB pages; max UINT32_MAX when unbounded. */
wasm_memory *wasm_memory_new(wasm_store *store, wasm_limits limits);
uint8_t *wasm_memory_data(const wasm_memory *mem);
uint64_t wasm_memory_size(const wasm_memory *mem);   /* in bytes */
uint32_t wasm_memory_pages(const wasm_memory *mem);
/* Returns the previous size in pages, or -1 when it cannot grow. */
int64_t wasm_memory_grow(wasm_memory *mem, uint32_t delta_pages);
/* How many memory.grow requests this memory refused (over its maximum or
   the store's cap): lets an embedder tell "the guest hit the memory cap"
   from its other failures. */
uint32_t wasm_memory_refused_grows(const wasm_memory *mem);
/* A pointer to [offset, offset+len) if all of it is inside the memory,
   else NULL.  Valid until the memory grows or the store is freed. */
void *wasm_memory_at(const wasm_memory *mem, uint64_t offset, uint64_t len);

wasm_table *wasm_table_new(wasm_store *store, wasm_tabletype type, wasm_val init);
uint32_t wasm_table_size(const wasm_table *table);
bool wasm_table_get(const wasm_table *table, uint32_t index, wasm_val *out);
bool wasm_table_set(wasm_table *table, uint32_t index, wasm_val value);
int64_t wasm_table_grow(wasm_table *table, uint32_t delta, wasm_val init);

/* A v128 global made here starts with value in its low cell, zero above. */
wasm_global *wasm_global_new(wasm_store *store, wasm_globaltype type, wasm_val value);
wasm_val wasm_global_get(const wasm_global *global);
/* Both cells of a global: a v128's two, or the value and a zero. */
void wasm_global_get_cells(const wasm_global *global, wasm_val out[2]);
/* Fails on an immutable global.  Of a v128 global it sets the low cell. */
bool wasm_global_set(wasm_global *global, wasm_val value);
wasm_globaltype wasm_global_type(const wasm_global *global);

/* ---- Instances -------------------------------------------------------- */

/* Links the imports (in the module's import order), allocates, runs the
   active segments and the start function.  The instance belongs to the
   store.  On a trap during instantiation the partial writes to imported
   tables and memories stay, as the spec requires. */
wasm_instance *wasm_instance_new(wasm_store *store, const wasm_module *module,
                                 const wasm_extern *imports, uint32_t nimports,
                                 wasm_error *err);
const wasm_module *wasm_instance_module(const wasm_instance *inst);
/* Looks up an export by name; false when there is none. */
bool wasm_instance_export(const wasm_instance *inst, const char *name, uint32_t name_len,
                          wasm_extern *out);
/* Shorthand for a function export named by a C string. */
wasm_func *wasm_instance_func(const wasm_instance *inst, const char *name);
/* The instance's memory 0, or NULL. */
wasm_memory *wasm_instance_memory(const wasm_instance *inst);

#ifdef __cplusplus
}
#endif
#endif
