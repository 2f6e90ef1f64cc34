/*
 * internal.h - what the files of the plugin runtime share (kernel.c,
 * env.c, plugin.c): the plugin itself, its kernel memory, its vars, and
 * every message a user can see from them.
 *
 * The kernel memory replaces Extism's kernel module (extism-runtime.wasm,
 * kernel/src/lib.rs upstream): the same ABI, but the bytes live on the
 * host side, outside every guest memory, and each offset the guest hands
 * over is checked against the blocks that are live.
 */
#ifndef EXTISM_INTERNAL_H
#define EXTISM_INTERNAL_H

#include <stdatomic.h>

#include "extism/extism.h"

/* ---- Messages: everything a user can read, in one place --------------- */

/* Call outcomes (plugin.c).  "timeout" is Extism's own wording. */
#define EXT_MSG_TIMEOUT "timeout"
#define EXT_MSG_CANCELLED "cancelled"
#define EXT_MSG_FUEL "fuel exhausted"
#define EXT_MSG_RETURNED "plugin returned %d"
#define EXT_MSG_EXITED "plugin exited with code %d"
#define EXT_MSG_NO_FUNC "function \"%s\" is not exported by the plugin"
#define EXT_MSG_BAD_FUNC "function \"%s\" has type %s; plugin functions take nothing and return an i32"
#define EXT_MSG_INPUT_CAP "input of %zu bytes does not fit in the kernel memory limit of %llu bytes"
#define EXT_MSG_MEM_CAP "%s (memory.grow refused at %u pages: the max_pages limit is %u pages)"
#define EXT_MSG_INIT_FAILED "plugin initialization (%s) failed: %s"
#define EXT_MSG_INIT_BROKEN "plugin initialization failed earlier: %s"

/* Loading (plugin.c). */
#define EXT_MSG_NO_MODULES "the manifest has no wasm module"
#define EXT_MSG_NO_MAIN "the manifest has no main module"
#define EXT_MSG_DUP_MODULE "duplicate module name in the manifest: %s"
#define EXT_MSG_MODULE_CYCLE "modules import each other in a cycle (at module %s)"
#define EXT_MSG_UNKNOWN_IMPORT "unknown import \"%s\".\"%s\" (%s): no host function, module or WASI provides it"
#define EXT_MSG_NO_WASI "the plugin imports WASI (\"wasi_snapshot_preview1\".\"%s\") but WASI is not enabled for it"
#define EXT_MSG_ENV_UNKNOWN "unknown import \"extism:host/env\".\"%s\": this wasmguard has no such kernel function"
#define EXT_MSG_ENV_KIND "import \"extism:host/env\".\"%s\" must be a function"
#define EXT_MSG_ENV_TYPE "import \"extism:host/env\".\"%s\" has type %s, the kernel's is %s"
#define EXT_MSG_HOST_TYPE "import \"%s\".\"%s\" has type %s, the host function's is %s"
#define EXT_MSG_NO_EXPORT "import \"%s\".\"%s\": module %s has no such export"
#define EXT_MSG_NOMEM "out of memory creating the plugin"

/* Kernel functions (env.c): a bad offset traps the guest. */
#define EXT_MSG_OUTPUT_OOB "extism output_set: [%llu, +%llu) is not inside a live block"
#define EXT_MSG_OUTPUT_CAP "output of %llu bytes exceeds the limit of %llu bytes"
#define EXT_MSG_BAD_HANDLE "extism %s: invalid handle offset for %s: %llu"
#define EXT_MSG_KERNEL_FULL "extism %s: the kernel memory limit of %llu bytes is reached"
#define EXT_MSG_VARS_OFF "var memory limit exceeded: vars are disabled (max_var_bytes is 0)"
#define EXT_MSG_VARS_FULL "var memory limit exceeded: vars would take %llu bytes, over max_var_bytes of %llu"

/* ---- Kernel memory (kernel.c) ----------------------------------------- */

/* One allocation.  Blocks are kept sorted by offset; a freed block stays
   in place (to be reused) unless it is the last one. */
typedef struct ext_blk {
    uint64_t off;   /* where its bytes start; never 0 */
    uint64_t cap;   /* bytes it spans */
    uint64_t len;   /* bytes in use: what `length` reports */
    bool live;
} ext_blk;

typedef struct ext_kernel {
    uint8_t *base;       /* address space reserved for `limit` bytes (lazily) */
    uint64_t reserved, committed; /* readable and writable: [base, base+committed) */
    bool huge;           /* advised onto huge pages (kernel.c) */
    uint64_t limit;      /* offsets + block records may not exceed it */
    uint64_t top;        /* where the next fresh block goes */
    ext_blk *blocks;
    size_t nblocks, capblocks, nfree;
    size_t hint;         /* the block the last lookup found */
    uint64_t last_off, last_len;  /* the live block ext_kernel_range last found
                                     (last_len 0: none); dropped when freed */
    uint64_t input_off, input_len;
    uint64_t output_off, output_len;
    uint64_t error_off;
    uint64_t peak;       /* the most bytes (offsets + block records) used at once */
} ext_kernel;

void ext_kernel_init(ext_kernel *k, uint64_t limit);
void ext_kernel_free(ext_kernel *k);
/* Forgets every block, the input, output and error (a call's start). */
void ext_kernel_reset(ext_kernel *k);
/* A new block of len bytes, zeroed when `zero`; 0 when len is 0 or the
   limit would be passed. */
uint64_t ext_kernel_alloc(ext_kernel *k, uint64_t len, bool zero);
/* Frees a live block starting at off; anything else is ignored. */
void ext_kernel_release(ext_kernel *k, uint64_t off);
/* The live block starting exactly at off, or NULL. */
const ext_blk *ext_kernel_block(ext_kernel *k, uint64_t off);
/* [off, off+n) if it lies inside one live block, else NULL. */
uint8_t *ext_kernel_range(ext_kernel *k, uint64_t off, uint64_t n);
/* Host address of an offset known to be valid. */
static inline uint8_t *ext_kernel_ptr(const ext_kernel *k, uint64_t off) { return k->base + off; }

/* ---- Vars (kernel.c): host-side key -> bytes, surviving calls --------- */

typedef struct ext_var ext_var;

typedef struct ext_vars {
    ext_var **buckets;
    size_t nbuckets, count;
    uint64_t bytes;      /* keys + values */
} ext_vars;

void ext_vars_free(ext_vars *v);
/* The value of key, or NULL. */
const uint8_t *ext_vars_get(const ext_vars *v, const uint8_t *key, size_t klen, size_t *vlen);
/* The total size (keys + values) after setting key to a value of vlen. */
uint64_t ext_vars_size_after(const ext_vars *v, const uint8_t *key, size_t klen, size_t vlen);
bool ext_vars_set(ext_vars *v, const uint8_t *key, size_t klen, const uint8_t *val, size_t vlen);
void ext_vars_remove(ext_vars *v, const uint8_t *key, size_t klen);

/* ---- The plugin -------------------------------------------------------- */

struct ext_plugin {
    wasm_store *store;
    wasm_instance *main;
    wasm_memory *main_memory;  /* the main module's memory 0, or NULL */
    wasi_ctx *wasi;
    guard *guard;
    bool own_guard;
    char *name;                /* for logs and the audit */
    const char *func;          /* the function being called */

    ext_kernel kernel;
    ext_vars vars;
    char **config_keys, **config_values;
    size_t nconfig;

    /* limits */
    uint32_t max_pages;        /* the store's cap on memories */
    uint64_t max_var_bytes, max_http_response, max_output;
    bool has_timeout;
    uint64_t timeout_ms;
    int64_t fuel;

    ext_log_level log_level;
    ext_log_fn log;
    void *log_user;

    /* the last HTTP response */
    int http_status;
    char *http_headers;        /* JSON object, or NULL */

    /* the last call */
    int32_t rc;
    const uint8_t *output;
    size_t output_len;
    bool limit_hit;            /* a kernel function stopped the call at a limit */

    /* _initialize / __wasm_call_ctors: run before the first call */
    wasm_func *init;
    const char *init_name;
    bool init_done, init_failed;
    char init_error[WASM_ERROR_MESSAGE_MAX];

    atomic_bool cancelled;
    atomic_bool stopped;       /* ext_plugin_stop: every call from now on is cancelled */

    /* usage (ext_plugin_usage): config reads, host function calls, ... */
    ext_usage usage;
    bool *config_read;
    struct ext_host_tramp *tramps;  /* one per host function offered */
    char **host_fn_names;
    uint64_t *host_fn_calls;
    size_t nhost_fns;
};

/* env.c: the host function for import `name` of extism:host/env, created
   in p's store; false with err set when there is none or its type differs. */
wasm_status ext_env_resolve(ext_plugin *p, const wasm_import_info *im, wasm_extern *out,
                            wasm_error *err);

/* plugin.c: records a limit that stopped the current call in the audit. */
void ext_plugin_record_limit(ext_plugin *p, const char *limit, const char *detail);
/* "(i64, i64) -> i64" */
void ext_format_type(const wasm_functype *t, char *buf, size_t size);

#endif
