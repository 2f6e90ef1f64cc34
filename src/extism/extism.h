/*
 * extism.h - the Extism plugin runtime (layer 4): Extism's kernel ABI
 * (`extism:host/env`) implemented natively, the manifest, and plugins.
 *
 * A plugin is a sandbox: one wasm_store with the manifest's modules
 * instantiated in it, WASI when asked for, the kernel's host-side memory
 * (input, output, error, blocks the guest allocates), its vars, and the
 * guard that decides its HTTP requests.  Plugin functions are exports of
 * type () -> i32; 0 is success.
 *
 * Modules are compiled once (wasm_module, shareable between threads); a
 * plugin is used by one thread at a time, except ext_plugin_cancel.
 */
#ifndef EXTISM_EXTISM_H
#define EXTISM_EXTISM_H

#include "guard/guard.h"
#include "wasi/wasi.h"
#include "wasm/wasm.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Extism's defaults where the manifest says nothing. */
#define EXT_DEFAULT_MAX_HTTP_RESPONSE (50u * 1024 * 1024)
#define EXT_DEFAULT_MAX_VAR_BYTES (1u * 1024 * 1024)

typedef enum ext_log_level {
    EXT_LOG_TRACE = 0,
    EXT_LOG_DEBUG,
    EXT_LOG_INFO,
    EXT_LOG_WARN,
    EXT_LOG_ERROR,
    EXT_LOG_OFF,
} ext_log_level;

const char *ext_log_level_name(ext_log_level level);
/* "trace", "debug", "info", "warn", "error", "off"; false if none. */
bool ext_log_level_parse(const char *name, ext_log_level *out);

/* ---- The manifest (manifest.c) ---------------------------------------- */

typedef struct ext_wasm_source {
    char *path;           /* from "path", or NULL */
    uint8_t *data;        /* the bytes: decoded "data", or read from path */
    size_t len;
    char *name;           /* "name", or NULL (the main module is "main" or the last) */
    char *hash;           /* "hash": lowercase hex SHA-256, or NULL */
} ext_wasm_source;

typedef struct ext_path_grant {
    char *host, *guest;
    bool readonly;        /* the host path was written "ro:/path" */
} ext_path_grant;

typedef struct ext_manifest {
    ext_wasm_source *wasm;
    size_t nwasm;
    bool has_max_pages, has_max_http, has_max_var, has_timeout;
    uint32_t max_pages;
    uint64_t max_http_response_bytes;
    uint64_t max_var_bytes;
    uint64_t timeout_ms;
    char **config_keys, **config_values;
    size_t nconfig;
    char **allowed_hosts;     /* NULL when absent: no host at all */
    size_t nallowed_hosts;
    ext_path_grant *allowed_paths;
    size_t nallowed_paths;
} ext_manifest;

/* Parses Extism's JSON manifest.  Unknown or ill-typed fields are errors
   naming the field.  "path" sources are read relative to base_dir (NULL:
   the current directory) and every source with a "hash" is checked. */
ext_manifest *ext_manifest_parse(const char *json, size_t len, const char *base_dir,
                                 wasm_error *err);
/* A manifest for a single module given as bytes (copied). */
ext_manifest *ext_manifest_from_wasm(const uint8_t *wasm, size_t len, wasm_error *err);
void ext_manifest_free(ext_manifest *m);

/* ---- Plugins (plugin.c, kernel.c, env.c, http.c) ----------------------- */

typedef void (*ext_log_fn)(void *user, ext_log_level level, const char *msg, size_t len);

/* A host function the embedder offers, imported by guests from `ns`
   (NULL: "extism:host/user").  It may use ext_current_plugin() to reach
   the kernel memory of the calling plugin. */
typedef struct ext_host_fn {
    const char *ns, *name;
    wasm_functype type;
    wasm_host_fn fn;
    void *user;
} ext_host_fn;

typedef struct ext_options {
    const char *name;          /* the plugin's name, for logs and the audit */
    bool wasi;                 /* link wasi_snapshot_preview1 */
    wasi_stdio_mode stdin_mode, stdout_mode, stderr_mode; /* with wasi */
    const char *const *env;    /* with wasi: KEY=VALUE, nothing else */
    size_t nenv;
    bool tmp_dir;              /* with wasi: a fresh temp dir at /tmp */
    int64_t fuel;              /* per call; < 0: unlimited */
    uint64_t max_output_bytes; /* 0: 64 MiB */
    uint32_t max_pages_cap;    /* the user's ceiling over the manifest's max_pages (0: 65536) */
    ext_log_level log_level;
    ext_log_fn log;            /* NULL: logs are dropped */
    void *log_user;
    guard *guard;              /* decides HTTP, records everything; NULL: a
                                  private guard built from the manifest */
    const ext_host_fn *host_fns;
    size_t nhost_fns;
} ext_options;

void ext_options_default(ext_options *o);

typedef struct ext_plugin ext_plugin;

/* Instantiates the manifest's modules, compiled beforehand (modules[i]
   from manifest->wasm[i]), in a new sandbox.  Runs _initialize (a WASI
   reactor) once, before the first call. */
ext_plugin *ext_plugin_new(const wasm_module *const *modules, const ext_manifest *manifest,
                           const ext_options *opts, wasm_error *err);
/* Calls an export of type () -> i32 with input bytes.  A non-zero return,
   error_set, a trap, a limit or proc_exit with a non-zero code fail the
   call; err->message is then the plugin's own message when it set one.
   A call stopped by the manifest's timeout_ms fails with the message
   "timeout". */
wasm_status ext_plugin_call(ext_plugin *p, const char *func, const uint8_t *input, size_t len,
                            wasm_error *err);
/* The output of the last successful call (valid until the next call). */
const uint8_t *ext_plugin_output(const ext_plugin *p, size_t *len);
/* The plugin's return code of the last call. */
int32_t ext_plugin_rc(const ext_plugin *p);
bool ext_plugin_has_function(const ext_plugin *p, const char *func);
/* Stops a running call (thread-safe); the next call runs normally. */
void ext_plugin_cancel(ext_plugin *p);
/* Stops the running call and every later one, _initialize included
   (thread-safe): unlike ext_plugin_cancel, a stop that arrives between
   calls, or just as one starts, is not lost.  Such calls fail with
   WASM_INTERRUPTED, message "cancelled". */
void ext_plugin_stop(ext_plugin *p);
void ext_plugin_free(ext_plugin *p);

/* What a plugin has used so far (since ext_plugin_new), for learning
   the smallest grants it needs.  The arrays belong to the plugin. */
typedef struct ext_usage {
    size_t nconfig;                  /* the manifest's config, in order */
    const char *const *config_keys, *const *config_values;
    const bool *config_read;         /* [i]: config_get found config_keys[i] */
    size_t nhost_fns;                /* the host functions offered (ext_options) */
    const char *const *host_fn_names;
    const uint64_t *host_fn_calls;   /* [i]: calls of host_fn_names[i] */
    uint64_t http_responses;         /* HTTP requests that got a response */
    uint64_t max_http_response;      /* the largest response body, bytes */
    uint64_t peak_var_bytes;         /* the most var bytes (keys + values) held */
    uint32_t memory_pages;           /* the main memory's pages (it never shrinks) */
    uint64_t kernel_peak_bytes;      /* the most kernel memory in use at once */
    bool tmp_dir_used;               /* wasi_tmp_dir_used of its WASI context */
} ext_usage;

/* The usage record, brought up to date (pages, kernel, temp dir). */
const ext_usage *ext_plugin_usage(ext_plugin *p);

/* Inside a host function: the plugin making the call, and its kernel
   memory (blocks addressed by offset, 0 = none). */
ext_plugin *ext_current_plugin(wasm_call *call);
uint8_t *ext_block(ext_plugin *p, uint64_t offset, uint64_t *len);  /* NULL if not a live block */
uint64_t ext_block_alloc(ext_plugin *p, const void *data, uint64_t len); /* 0 when out of memory */

#ifdef __cplusplus
}
#endif
#endif
