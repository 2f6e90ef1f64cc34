/*
 * wasmguard.h - the C library of wasmguard: run Extism plugins (Helm 4's
 * Wasm plugins) in sandboxes that see only what they were granted, and
 * Helm 4's plugins themselves (wg_helm_*, at the end).
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
 *   - wg_helm_plugins: any thread, concurrently, once loaded (see "Helm 4
 *     plugins" below).
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
    WG_INTERRUPTED,    /* the timeout (message "timeout"), wg_plugin_cancel or wg_helm_cancel */
    WG_EXIT,           /* the plugin exited (WASI proc_exit) */
    WG_HOST_ERROR,     /* a host function failed, or the plugin reported an error */
    WG_LIMIT,          /* a limit was hit: memory pages, output size, ... */
    WG_NOMEM,          /* the host ran out of memory */
    WG_BAD_ARGUMENT,   /* a bad manifest, option or argument */
    WG_REFUSED,        /* Helm: the plugin may not run so (runtime, type, grants) */
    WG_BAD_OUTPUT,     /* Helm: the output is not the plugin type's message */
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

/* ---- Helm 4 plugins ---------------------------------------------------------- */

/* The plugins Helm 4 has installed, found where Helm finds them (each
   subdirectory with a plugin.yaml), and the extism/v1 ones of types
   cli/v1, getter/v1 and postrenderer/v1 run as Helm runs them, each
   invocation in a fresh sandbox: the module is DIR/plugin.wasm, the
   plugin.yaml's runtimeConfig its policy (memory, allowedHosts - absent:
   none -, config, a temp dir, timeout, hostFunctions, entryFuncName), each
   limit defaulted where Helm has none and held under the options'
   ceilings; the guest's environment is Helm's plugin variables only.  A
   plugin installed by `wasmguard plugin install` may ask for no more than
   was approved then.

     wg_helm_plugins *set = wg_helm_plugins_load(NULL, &err);
     const wg_helm_plugin *p = set ? wg_helm_plugins_find(set, "hello") : NULL;
     if (p && wg_helm_run_cli(p, NULL, args, nargs, stdout, &err) != WG_OK)
         fprintf(stderr, "%s\n", wg_error_message(&err));
     wg_helm_plugins_free(set);

   A run that fails sets err->message to one line "plugin NAME: cause"
   and err->code to:
     WG_HOST_ERROR    the plugin failed with its own message (a denied
                      request, a failed host function), or I/O or memory
                      failed on the host's side
     WG_EXIT          it returned or exited non-zero without a message
     WG_TRAP          it trapped
     WG_INTERRUPTED   its timeout expired, or wg_helm_cancel stopped it
                      (the message is then "plugin NAME: cancelled")
     WG_LIMIT         a limit stopped it: memory (the message says so),
                      output, input, vars, fuel
     WG_BAD_OUTPUT    its output is not its type's output message
     WG_UNLINKABLE    it cannot be loaded: plugin.wasm missing or invalid,
                      a hostFunctions name this program did not register,
                      no entry function
     WG_REFUSED       it is not extism/v1, not of the type run, or asks for
                      grants beyond those approved at install
     WG_BAD_ARGUMENT  an argument or option (also text that is not UTF-8)

   A set never changes once loaded: its plugins may be run from any number
   of threads at once, each run in its own sandbox.  Host function and
   audit callbacks run on the thread of the run that calls them.  A
   canceller may be used by any number of threads at once; a learning
   record by one run at a time. */

typedef struct wg_helm_plugins wg_helm_plugins;
typedef struct wg_helm_plugin wg_helm_plugin;  /* one of a set, valid while it is */
typedef struct wg_helm_canceller wg_helm_canceller;
typedef struct wg_helm_learned wg_helm_learned;

/* Loads the plugins of the directories of plugins_path, colon-separated
   as $HELM_PLUGINS; NULL: Helm's, i.e. $HELM_PLUGINS, else
   $HELM_DATA_HOME/plugins, else $XDG_DATA_HOME/helm/plugins, else
   ~/.local/share/helm/plugins.  A missing directory holds none; each
   directory's entries are read in name order.  A plugin that does not
   load (a bad plugin.yaml, no plugin.wasm) is skipped
   (wg_helm_plugins_skipped says why); two plugins of one name fail with
   WG_BAD_ARGUMENT naming both directories.  With plugins_path, the
   plugins' HELM_PLUGINS variable is plugins_path too. */
wg_helm_plugins *wg_helm_plugins_load(const char *plugins_path, wg_error *err);
/* NULL is ignored. */
void wg_helm_plugins_free(wg_helm_plugins *set);

size_t wg_helm_plugins_count(const wg_helm_plugins *set);
/* The i-th plugin in load order; NULL when i is past the end. */
const wg_helm_plugin *wg_helm_plugins_at(const wg_helm_plugins *set, size_t i);
/* The plugin named name; NULL when none. */
const wg_helm_plugin *wg_helm_plugins_find(const wg_helm_plugins *set, const char *name);
/* The getter for href: the first getter/v1 plugin whose protocols include
   href's scheme (lowercased); NULL when none or href has no scheme. */
const wg_helm_plugin *wg_helm_plugins_find_getter(const wg_helm_plugins *set, const char *href);
/* How many plugins were skipped, and why the i-th was (a message naming
   its file, and for plugin.yaml the line and key); NULL when i is past
   the end. */
size_t wg_helm_plugins_skipped_count(const wg_helm_plugins *set);
const char *wg_helm_plugins_skipped(const wg_helm_plugins *set, size_t i);

/* From its plugin.yaml ("" when unset): name, version, type ("cli/v1",
   "getter/v1", "postrenderer/v1"), runtime ("extism/v1", "subprocess");
   and its directory. */
const char *wg_helm_plugin_name(const wg_helm_plugin *plugin);
const char *wg_helm_plugin_version(const wg_helm_plugin *plugin);
const char *wg_helm_plugin_type(const wg_helm_plugin *plugin);
const char *wg_helm_plugin_runtime(const wg_helm_plugin *plugin);
const char *wg_helm_plugin_dir(const wg_helm_plugin *plugin);

/* What this program grants every run, beyond each plugin's runtimeConfig.
   Fill with wg_helm_options_init, then set what you need. */
typedef struct wg_helm_options {
    /* Ceilings over every plugin's limits; 0: wasmguard's default, 1024
       pages (64 MiB) of memory, HTTP responses of 50 MiB, vars of 1 MiB,
       30000 ms.  A plugin asking for more gets the ceiling (the audit
       says so); one asking for less gets what it asked. */
    uint32_t max_pages;
    uint64_t max_http_response_bytes;
    uint64_t max_var_bytes;
    uint64_t timeout_ms;
    uint64_t fuel;                /* per run; 0: unlimited */

    /* Plugin logs at log_level and above are written to log_file as lines
       "NAME: [level] message" (NULL: dropped). */
    wg_log_level log_level;
    FILE *log_file;

    /* Every grant made and every request decided, allowed or denied, as
       one JSON line each to audit_file and/or audit (NULL: none).  HTTP
       is decided by the plugin's allowedHosts. */
    FILE *audit_file;
    wg_audit_callback audit;
    void *audit_user;

    /* The host functions this program offers (copied per run; callback
       and user are kept).  A plugin gets those its hostFunctions names,
       by name; a name none has fails the run with WG_UNLINKABLE, naming
       it, before the plugin runs.  The rest are not linked. */
    const wg_host_function *host_functions;
    size_t nhost_functions;

    /* Runs with these options stop when wg_helm_cancel(canceller) is
       called (NULL: only the timeout stops them). */
    wg_helm_canceller *canceller;

    /* Learn mode (`wasmguard plugin run --learn`): each run records what
       the plugin used into learned (NULL: nothing is recorded), which
       then gives the smallest runtimeConfig that would have sufficed.  A
       record is used by one run at a time. */
    wg_helm_learned *learned;
} wg_helm_options;

/* Defaults: the default ceilings, no fuel limit, log level WG_LOG_WARN,
   no log, no audit, no host functions, no canceller, no learning. */
void wg_helm_options_init(wg_helm_options *opts);

/* Stopping runs from another thread (Ctrl-C, a deadline):

     wg_helm_canceller *c = wg_helm_canceller_new(&err);
     o.canceller = c;
     ... wg_helm_run_cli(p, &o, ...) on one thread, wg_helm_cancel(c) on
     another: the run fails with WG_INTERRUPTED, "plugin NAME: cancelled" ...
     wg_helm_canceller_free(c);   after the runs using it have returned

   wg_helm_cancel stops every run using the canceller: those running
   stop as soon as the plugin's code or a host call of its (an HTTP
   request, a wait) notices, and those started after it stop before the
   plugin runs, until wg_helm_canceller_reset.  A run that finished
   before the cancel reached it keeps its result.  A cancelled run is
   freed as any other: its sandbox and temp dir are removed before it
   returns.  Thread-safe, save that _free must come after every run
   using the canceller has returned.  They take a mutex, so they are not
   async-signal-safe: on Ctrl-C, cancel from a thread (one in sigwait,
   say), not from the signal handler. */
wg_helm_canceller *wg_helm_canceller_new(wg_error *err);
void wg_helm_canceller_free(wg_helm_canceller *canceller);  /* NULL is ignored */
void wg_helm_cancel(wg_helm_canceller *canceller);           /* NULL is ignored */
/* Runs started from now on run again; runs cancelled stay cancelled. */
void wg_helm_canceller_reset(wg_helm_canceller *canceller); /* NULL is ignored */
/* Whether wg_helm_cancel was called since it was made or reset. */
bool wg_helm_cancelled(const wg_helm_canceller *canceller);

/* Learn mode: what runs used, as `wasmguard plugin run --learn` prints
   it.  Every run given the record (wg_helm_options.learned) adds to it,
   failed runs too (the YAML then says it may need more):

     wg_helm_learned *l = wg_helm_learned_new(&err);
     o.learned = l;
     wg_helm_run_cli(p, &o, args, nargs, stdout, &err);
     char *yaml = wg_helm_learned_yaml(l, p, &err);   free() it
     wg_helm_learned_free(l);

   A record belongs to one plugin and is used by one run at a time. */
wg_helm_learned *wg_helm_learned_new(wg_error *err);
void wg_helm_learned_free(wg_helm_learned *learned);  /* NULL is ignored */
/* Whether a run made a sandbox, so there is something to learn. */
bool wg_helm_learned_ran(const wg_helm_learned *learned);
/* The smallest runtimeConfig that would have sufficed for what was
   recorded, as YAML for plugin's plugin.yaml (comments, then a
   "runtimeConfig:" block: memory.maxPages, timeout, and only what was
   used of maxHttpResponseBytes, maxVarBytes, allowedHosts, a temp dir,
   hostFunctions, config, entryFuncName; denied hosts as comments).
   malloc'd, free() it; NULL with WG_BAD_ARGUMENT when no run made a
   sandbox, WG_NOMEM when out of memory. */
char *wg_helm_learned_yaml(const wg_helm_learned *learned, const wg_helm_plugin *plugin,
                           wg_error *err);

/* cli/v1: runs the plugin with args (UTF-8) as its extraArgs.  Its stdin,
   stdout and stderr are this process's, as under Helm; the data of its
   output message, if any, is written to out when it ends.  opts NULL:
   the defaults. */
wg_status wg_helm_run_cli(const wg_helm_plugin *plugin, const wg_helm_options *opts,
                          const char *const *args, size_t nargs, FILE *out, wg_error *err);

/* getter/v1 options, Helm's (GetterOptionsV1); NULL strings are "". */
typedef struct wg_helm_getter_options {
    const char *cert_file, *key_file, *ca_file;
    bool untar, insecure_skip_verify_tls, plain_http;
    const char *accept_header, *username, *password;
    bool pass_credentials_all;
    const char *user_agent, *version;
    int64_t timeout_ns;
} wg_helm_getter_options;

/* getter/v1: fetches href (getter NULL: every option empty).  On WG_OK
   *data (malloc'd; free() it) and *len are the bytes of the output
   message's data.  Its stdin and stdout are closed, stderr this
   process's. */
wg_status wg_helm_get(const wg_helm_plugin *plugin, const wg_helm_options *opts,
                      const char *href, const wg_helm_getter_options *getter, uint8_t **data,
                      size_t *len, wg_error *err);

/* postrenderer/v1: passes len bytes of manifests (UTF-8 text) and args
   as extraArgs.  On WG_OK *out (malloc'd, NUL after *outlen bytes; free()
   it) holds the manifests it returned, byte for byte.  Its stdin and
   stdout are closed, stderr this process's. */
wg_status wg_helm_post_render(const wg_helm_plugin *plugin, const wg_helm_options *opts,
                              const char *manifests, size_t len, const char *const *args,
                              size_t nargs, char **out, size_t *outlen, wg_error *err);

#ifdef __cplusplus
}
#endif
#endif
