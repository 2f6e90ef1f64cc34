/*
 * wasmguard.h - the C library of wasmguard: run Extism plugins (Helm 4's
 * Wasm plugins) in sandboxes that see only what they were granted.
 *
 *   wg_error err;
 *   wg_module *mod = wg_module_from_manifest(json, len, "/plugins", &err);
 *   wg_plugin *p = wg_plugin_new(mod, NULL, &err);
 *   const uint8_t *out; size_t outlen;
 *   if (wg_plugin_call(p, "greet", "world", 5, &out, &outlen, &err) == WG_OK)
 *       fwrite(out, 1, outlen, stdout);
 *   else
 *       fprintf(stderr, "%s\n", wg_error_message(&err));
 *   wg_plugin_free(p);
 *   wg_module_free(mod);
 *
 * A module (wg_module) is the manifest with its wasm compiled once: it is
 * immutable, and may be used from any number of threads at once.  A
 * plugin (wg_plugin) is one sandbox made from a module: its own memories,
 * kernel memory, vars, and the guard that decides its HTTP requests and
 * files.  The manifest grants; nothing else reaches the plugin.
 *
 * Thread-safety:
 *   - wg_module: any thread, concurrently; wg_module_free only drops the
 *     caller's reference (plugins keep the module alive).
 *   - wg_plugin: one thread at a time (calls on one plugin are the caller's
 *     to serialize), except wg_plugin_cancel, which any thread may call
 *     while the plugin exists.
 *   - wg_guard: shared by plugins of any threads; decisions and audit
 *     writes are serialized inside it.
 *   - host function callbacks run on the thread calling the plugin.
 *
 * Errors: every fallible function takes a wg_error *err (NULL: not
 * reported) and resets it on entry; on failure it returns a status other
 * than WG_OK (or NULL) with err->code and err->message set.  Nothing here
 * exits, aborts or prints.
 *
 * This header depends on the C standard library only.  Link with
 * `pkg-config --libs wasmguard` (static: `--static`).
 */
#ifndef WASMGUARD_H
#define WASMGUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define WG_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define WG_PRINTF(f, a)
#endif

#define WG_VERSION_MAJOR 0
#define WG_VERSION_MINOR 1
#define WG_VERSION_PATCH 0
#define WG_VERSION "0.1.0"

/* The library's version, "MAJOR.MINOR.PATCH" (may differ from the header's
   WG_VERSION when linked against another build). */
const char *wg_version(void);

/* ---- Errors ------------------------------------------------------------ */

/* What a call returned.  WG_OK is zero. */
typedef enum wg_status {
    WG_OK = 0,
    WG_MALFORMED,      /* the bytes are not a well-formed wasm module */
    WG_INVALID,        /* the module fails validation */
    WG_UNLINKABLE,     /* an import is missing or has the wrong type */
    WG_TRAP,           /* the plugin trapped */
    WG_FUEL_EXHAUSTED, /* the fuel budget ran out */
    WG_INTERRUPTED,    /* the timeout (message "timeout") or wg_plugin_cancel */
    WG_EXIT,           /* the plugin exited (WASI proc_exit) */
    WG_HOST_ERROR,     /* a host function failed, or the plugin reported an error */
    WG_LIMIT,          /* a limit was hit: memory pages, output size, ... */
    WG_NOMEM,          /* the host ran out of memory */
    WG_BAD_ARGUMENT,   /* a bad manifest, option or argument */
} wg_status;

#define WG_ERROR_MESSAGE_MAX 320

typedef struct wg_error {
    wg_status code;
    char message[WG_ERROR_MESSAGE_MAX]; /* NUL-terminated; "" when code is WG_OK */
} wg_error;

/* err->message, or "" when err is NULL. */
const char *wg_error_message(const wg_error *err);
/* A short name: "ok", "trap", "bad argument", ... */
const char *wg_status_name(wg_status status);

/* ---- Modules ------------------------------------------------------------- */

typedef struct wg_module wg_module;

/* Compiles one wasm module (the bytes are copied) with an empty manifest:
   no hosts, no paths, no config, no timeout. */
wg_module *wg_module_new(const uint8_t *wasm, size_t len, wg_error *err);

/* Parses an Extism JSON manifest and compiles its modules.  Fields:
   "wasm" (sources {"path"|"data" (base64), "hash" (SHA-256 hex, checked
   before anything uses the bytes), "name"}), "memory" {"max_pages",
   "max_http_response_bytes", "max_var_bytes"}, "config" {string: string},
   "allowed_hosts" [pattern], "allowed_paths" {host: guest} ("ro:host" for
   read-only), "timeout_ms".  Relative paths (wasm paths and the host side
   of allowed_paths) are read from base_dir (NULL: the current directory).
   URL sources are refused: loading fetches nothing.  Unknown or ill-typed
   fields fail with WG_BAD_ARGUMENT and a message naming the field. */
wg_module *wg_module_from_manifest(const char *json, size_t len, const char *base_dir,
                                   wg_error *err);

/* Drops the caller's reference; the module is freed when the last plugin
   made from it is freed too.  NULL is ignored. */
void wg_module_free(wg_module *module);

/* ---- Guards: HTTP policy and the audit trail ------------------------------ */

typedef struct wg_guard wg_guard;

/* Receives every audit event (each decision, allowed or denied: HTTP,
   files, limits) as one line of JSON without the newline. */
typedef void (*wg_audit_callback)(void *user, const char *json);

/* A guard to share between plugins: HTTP requests are allowed to hosts
   matching `allowed_hosts` (exact names, or "*.example.com"; NULL/0: none)
   and to nothing else; every decision is written to audit_file (one JSON
   line each, may be NULL) and/or given to audit.  Must outlive the
   plugins that use it. */
wg_guard *wg_guard_new(const char *const *allowed_hosts, size_t nallowed_hosts,
                       FILE *audit_file, wg_audit_callback audit, void *audit_user,
                       wg_error *err);
void wg_guard_free(wg_guard *guard);

/* ---- Host functions -------------------------------------------------------- */

/* Value types of host function parameters and results (wasm's codes). */
typedef enum wg_valtype {
    WG_I32 = 0x7f,
    WG_I64 = 0x7e,
    WG_F32 = 0x7d,
    WG_F64 = 0x7c,
} wg_valtype;

/* A value as a raw 64-bit cell: an i32 zero-extended in the low bits,
   floats as their bit patterns.  Extism passes kernel offsets as i64. */
typedef uint64_t wg_val;

static inline wg_val wg_val_i32(int32_t v) { return (uint32_t)v; }
static inline wg_val wg_val_i64(int64_t v) { return (uint64_t)v; }
static inline wg_val wg_val_f32(float v) { uint32_t b; memcpy(&b, &v, 4); return b; }
static inline wg_val wg_val_f64(double v) { uint64_t b; memcpy(&b, &v, 8); return b; }
static inline int32_t wg_as_i32(wg_val v) { return (int32_t)(uint32_t)v; }
static inline int64_t wg_as_i64(wg_val v) { return (int64_t)v; }
static inline float wg_as_f32(wg_val v) { uint32_t b = (uint32_t)v; float f; memcpy(&f, &b, 4); return f; }
static inline double wg_as_f64(wg_val v) { double d; memcpy(&d, &v, 8); return d; }

/* The plugin calling a host function; valid during that call only. */
typedef struct wg_current_plugin wg_current_plugin;

/* Reads params (as declared), writes results.  Return WG_OK, or fail the
   plugin's call with wg_host_error(). */
typedef wg_status (*wg_host_callback)(wg_current_plugin *plugin, const wg_val *params,
                                      wg_val *results, void *user);

typedef struct wg_host_function {
    const char *ns;              /* import module; NULL: "extism:host/user" */
    const char *name;            /* import name */
    const wg_valtype *params;    /* nparams types */
    uint32_t nparams;
    const wg_valtype *results;   /* nresults types */
    uint32_t nresults;
    wg_host_callback callback;
    void *user;                  /* passed to callback */
} wg_host_function;

/* The bytes of the kernel block at offset (as the plugin passed it, e.g.
   an i64 parameter), its length in *len; NULL when offset is not the start
   of a live block.  Valid until the callback returns. */
uint8_t *wg_block(wg_current_plugin *plugin, uint64_t offset, uint64_t *len);
/* A new block holding a copy of len bytes of data (data may be NULL: the
   block is zeroed); its offset, to return to the plugin, or 0 when the
   plugin's kernel memory is full. */
uint64_t wg_block_alloc(wg_current_plugin *plugin, const void *data, uint64_t len);
/* Fails the plugin's call with WG_HOST_ERROR and this message; return
   its result from the callback. */
wg_status wg_host_error(wg_current_plugin *plugin, const char *fmt, ...) WG_PRINTF(2, 3);

/* ---- Plugins ---------------------------------------------------------------- */

typedef enum wg_log_level {
    WG_LOG_TRACE = 0,
    WG_LOG_DEBUG,
    WG_LOG_INFO,
    WG_LOG_WARN,
    WG_LOG_ERROR,
    WG_LOG_OFF,
} wg_log_level;

/* A plugin's log message (not NUL-terminated: len bytes). */
typedef void (*wg_log_callback)(void *user, wg_log_level level, const char *msg, size_t len);

/* What a sandbox may do beyond its manifest, and its limits.  Fill with
   wg_plugin_options_init, then set what you need; a zeroed struct means
   the same defaults, save log_level. */
typedef struct wg_plugin_options {
    const char *name;             /* for logs and the audit; NULL: "plugin" */

    /* WASI (wasi_snapshot_preview1): the manifest's allowed_paths become
       its directories.  Off: a plugin importing WASI fails to load. */
    bool wasi;
    bool wasi_inherit_stdio;      /* stdout and stderr are the host's (else closed) */
    bool wasi_tmp_dir;            /* a fresh temp dir at /tmp, removed with the plugin */
    const char *const *wasi_env;  /* "KEY=VALUE"; the host's environment is never passed */
    size_t nwasi_env;

    /* Limits; 0 means the default. */
    uint64_t fuel;                /* per call; 0: unlimited */
    uint64_t timeout_ms;          /* per call, overrides the manifest's; 0: the manifest's */
    uint32_t max_pages;           /* a ceiling over the manifest's max_pages; 0: 65536 */
    uint64_t max_output_bytes;    /* 0: 64 MiB */

    /* "KEY=VALUE" entries added to the manifest's config, replacing a key
       it already has. */
    const char *const *config;
    size_t nconfig;

    /* Logs at log_level and above go to log (NULL: dropped). */
    wg_log_level log_level;
    wg_log_callback log;
    void *log_user;

    /* The audit: either a shared guard (it decides HTTP with its own
       allowed_hosts; the manifest's are then unused, as are audit_file and
       audit), or a private guard made from the manifest's allowed_hosts
       that writes to audit_file and/or audit. */
    wg_guard *guard;
    FILE *audit_file;
    wg_audit_callback audit;
    void *audit_user;

    /* Host functions the plugin may import (copied; callback and user are
       kept). */
    const wg_host_function *host_functions;
    size_t nhost_functions;
} wg_plugin_options;

/* Defaults: no WASI, no fuel limit, the manifest's timeout, log level
   WG_LOG_INFO, no log, no audit. */
void wg_plugin_options_init(wg_plugin_options *opts);

typedef struct wg_plugin wg_plugin;

/* A new sandbox running the module's wasm (opts NULL: the defaults).  The
   plugin holds a reference to the module.  _initialize (WASI reactors)
   runs before the first call. */
wg_plugin *wg_plugin_new(wg_module *module, const wg_plugin_options *opts, wg_error *err);

/* Calls the plugin function `func` (an export of type () -> i32) with
   len bytes of input.  On WG_OK, *out and *outlen (either may be NULL)
   are the output, owned by the plugin and valid until its next call or
   wg_plugin_free.  The call fails when the function returns non-zero or
   sets an error (the message is then the plugin's own), traps, exits with
   a non-zero code, or hits a limit (the message names it; a timeout's
   is "timeout").  The plugin may be called again after a failed call. */
wg_status wg_plugin_call(wg_plugin *plugin, const char *func, const void *input, size_t len,
                         const uint8_t **out, size_t *outlen, wg_error *err);

/* Whether the plugin exports a function of that name. */
bool wg_plugin_has_function(const wg_plugin *plugin, const char *func);

/* Stops the running call with WG_INTERRUPTED (a cancel while no call runs
   may be ignored); later calls run normally.  Thread-safe: may be called
   from any thread while the plugin exists. */
void wg_plugin_cancel(wg_plugin *plugin);

/* Frees the sandbox (its memories, vars, temp dir) and drops its
   reference to the module.  NULL is ignored. */
void wg_plugin_free(wg_plugin *plugin);

#ifdef __cplusplus
}
#endif
#endif
