/*
 * plugin.c - a plugin's life: loading the manifest's modules into a new
 * sandbox (one wasm_store), linking their imports, calling plugin
 * functions with Extism's rules for return codes and errors, limits, and
 * cancellation.
 *
 * Upstream reference: extism/extism runtime/src/plugin.rs (raw_call: how
 * the return code, error_set, a WASI exit and a timeout combine) and
 * runtime/src/manifest.rs (module naming: "main" or the last module).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "extism/internal.h"

#define EXT_ENV "extism:host/env"
#define EXT_USER "extism:host/user"
#define EXT_WASI "wasi_snapshot_preview1"
#define EXT_MAIN "main"
#define EXT_DEFAULT_MAX_OUTPUT (64ull * 1024 * 1024)
#define EXT_MIN_KERNEL_BYTES (1ull * 1024 * 1024)
#define EXT_PAGE 65536ull
#define EXT_MAX_PAGES 65536u

/* ---- Small things --------------------------------------------------------- */

void ext_options_default(ext_options *o)
{
    memset(o, 0, sizeof *o);
    o->fuel = -1;
    o->log_level = EXT_LOG_INFO;
    o->stdin_mode = o->stdout_mode = o->stderr_mode = WASI_STDIO_CLOSED;
}

static const char *const level_names[] = {"trace", "debug", "info", "warn", "error", "off"};

const char *ext_log_level_name(ext_log_level level)
{
    return (unsigned)level <= EXT_LOG_OFF ? level_names[level] : "?";
}

bool ext_log_level_parse(const char *name, ext_log_level *out)
{
    for (int i = 0; name && i <= EXT_LOG_OFF; i++) {
        if (strcmp(name, level_names[i]) == 0) {
            *out = (ext_log_level)i;
            return true;
        }
    }
    return false;
}

static const char *valtype_name(uint8_t t)
{
    switch (t) {
    case WASM_I32: return "i32";
    case WASM_I64: return "i64";
    case WASM_F32: return "f32";
    case WASM_F64: return "f64";
    case WASM_FUNCREF: return "funcref";
    case WASM_EXTERNREF: return "externref";
    default: return "?";
    }
}

void ext_format_type(const wasm_functype *t, char *buf, size_t size)
{
    size_t n = 0;
#define PUT(...) (n += (size_t)snprintf(buf + (n < size ? n : size), n < size ? size - n : 0, __VA_ARGS__))
    PUT("(");
    for (uint32_t i = 0; i < t->nparams; i++) PUT("%s%s", i ? ", " : "", valtype_name(t->params[i]));
    PUT(") -> ");
    if (t->nresults != 1) PUT("(");
    for (uint32_t i = 0; i < t->nresults; i++) PUT("%s%s", i ? ", " : "", valtype_name(t->results[i]));
    if (t->nresults != 1) PUT(")");
#undef PUT
}

static bool name_is(wasm_name n, const char *s)
{
    return strlen(s) == n.len && memcmp(n.data, s, n.len) == 0;
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void ext_plugin_record_limit(ext_plugin *p, const char *limit, const char *detail)
{
    char what[200];
    snprintf(what, sizeof what, "call %s: %s", p->func ? p->func : "(load)", limit);
    guard_record(p->guard, p->name, "limit", what, false, detail);
    p->limit_hit = true;
}

/* strlcpy: copies what fits, always terminated. */
static void copy_text(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size) n = size - 1;
    memcpy(dst, src, n);
    dst[n] = 0;
}

/* Copies an error into the caller's (first error wins). */
static wasm_status report(wasm_error *err, const wasm_error *e)
{
    if (err && err->status == WASM_OK) *err = *e;
    return e->status;
}

/* Plugin functions: () -> i32, or () -> () as Extism also accepts. */
static bool callable_type(const wasm_functype *t)
{
    return t->nparams == 0 && (t->nresults == 0 || (t->nresults == 1 && t->results[0] == WASM_I32));
}

/* ---- Loading ------------------------------------------------------------------ */

typedef struct loader {
    ext_plugin *p;
    const wasm_module *const *modules;
    const ext_options *opts;
    size_t n;
    const char **names;     /* as Extism names them: "name", else "main" */
    wasm_instance **insts;
    uint8_t *state;         /* 0 not yet, 1 being instantiated, 2 done */
} loader;

/* Extism: a module is called by its "name" or "main"; the last one becomes
   "main" when none is so far; two of the same name are an error. */
static size_t name_modules(loader *L, const ext_manifest *m, wasm_error *err)
{
    size_t main = SIZE_MAX;
    for (size_t i = 0; i < L->n; i++) {
        const char *name = m->wasm[i].name ? m->wasm[i].name : EXT_MAIN;
        if (i == L->n - 1 && main == SIZE_MAX) name = EXT_MAIN;
        for (size_t j = 0; j < i; j++) {
            if (strcmp(L->names[j], name) == 0) {
                wasm_error_set(err, WASM_BAD_ARGUMENT, EXT_MSG_DUP_MODULE, name);
                return SIZE_MAX;
            }
        }
        L->names[i] = name;
        if (strcmp(name, EXT_MAIN) == 0) main = i;
    }
    return main;
}

static wasm_status instantiate(loader *L, size_t i, wasm_error *err);
static const char *stop_reason(ext_plugin *p, wasm_status st, const wasm_error *e);

/* Host functions are called through a trampoline that counts the calls
   (ext_plugin_usage), then passes the embedder's own user pointer. */
typedef struct ext_host_tramp {
    ext_plugin *p;
    size_t index;
    wasm_host_fn fn;
    void *user;
} ext_host_tramp;

static wasm_status host_tramp(wasm_call *c, const wasm_val *a, wasm_val *r, void *u)
{
    ext_host_tramp *t = u;
    t->p->host_fn_calls[t->index]++;
    return t->fn(c, a, r, t->user);
}

/* The trampolines and the usage arrays of the host functions offered. */
static bool make_tramps(ext_plugin *p, const ext_options *o)
{
    size_t n = o->nhost_fns;
    if (!n) return true;
    p->tramps = calloc(n, sizeof *p->tramps);
    p->host_fn_names = calloc(n, sizeof *p->host_fn_names);
    p->host_fn_calls = calloc(n, sizeof *p->host_fn_calls);
    if (!p->tramps || !p->host_fn_names || !p->host_fn_calls) return false;
    for (; p->nhost_fns < n; p->nhost_fns++) {
        size_t i = p->nhost_fns;
        const ext_host_fn *fn = &o->host_fns[i];
        p->tramps[i] = (ext_host_tramp){p, i, fn->fn, fn->user};
        if (!(p->host_fn_names[i] = strdup(fn->name ? fn->name : ""))) return false;
    }
    return true;
}

static wasm_status resolve_host_fn(loader *L, const wasm_import_info *im, const char *ns,
                                   wasm_extern *out, bool *found, wasm_error *err)
{
    for (size_t h = 0; h < L->opts->nhost_fns; h++) {
        const ext_host_fn *fn = &L->opts->host_fns[h];
        if (strcmp(fn->ns ? fn->ns : EXT_USER, ns) != 0 || !fn->name || !name_is(im->name, fn->name))
            continue;
        *found = true;
        const wasm_functype *t = im->func;
        bool same = im->kind == WASM_EXTERN_FUNC && t->nparams == fn->type.nparams &&
                    t->nresults == fn->type.nresults &&
                    (!t->nparams || memcmp(t->params, fn->type.params, t->nparams) == 0) &&
                    (!t->nresults || memcmp(t->results, fn->type.results, t->nresults) == 0);
        if (!same) {
            char got[96] = "(not a function)", want[96];
            if (im->kind == WASM_EXTERN_FUNC) ext_format_type(t, got, sizeof got);
            ext_format_type(&fn->type, want, sizeof want);
            return wasm_error_set(err, WASM_UNLINKABLE, EXT_MSG_HOST_TYPE, ns, fn->name, got, want);
        }
        wasm_func *f = wasm_func_new_host(L->p->store, &fn->type, host_tramp, &L->p->tramps[h]);
        if (!f) return wasm_error_set(err, WASM_NOMEM, EXT_MSG_NOMEM);
        *out = (wasm_extern){.kind = WASM_EXTERN_FUNC, .of.func = f};
        return WASM_OK;
    }
    return WASM_OK;
}

static const char *kind_name(wasm_extern_kind k)
{
    static const char *const names[] = {"function", "table", "memory", "global"};
    return (unsigned)k < 4 ? names[k] : "extern";
}

/* One import of module i that is not WASI's. */
static wasm_status resolve(loader *L, size_t i, const wasm_import_info *im, wasm_extern *out,
                           wasm_error *err)
{
    const char *ns = im->module.data;
    if (name_is(im->module, EXT_ENV)) return ext_env_resolve(L->p, im, out, err);
    if (name_is(im->module, EXT_WASI))
        return wasm_error_set(err, WASM_UNLINKABLE, EXT_MSG_NO_WASI, im->name.data);
    bool found = false;
    wasm_status st = resolve_host_fn(L, im, ns, out, &found, err);
    if (st != WASM_OK || found) return st;
    for (size_t j = 0; j < L->n; j++) {
        if (j == i || !name_is(im->module, L->names[j])) continue;
        if ((st = instantiate(L, j, err)) != WASM_OK) return st;
        if (!wasm_instance_export(L->insts[j], im->name.data, im->name.len, out))
            return wasm_error_set(err, WASM_UNLINKABLE, EXT_MSG_NO_EXPORT, ns, im->name.data,
                                  L->names[j]);
        return WASM_OK;
    }
    return wasm_error_set(err, WASM_UNLINKABLE, EXT_MSG_UNKNOWN_IMPORT, ns, im->name.data,
                          kind_name(im->kind));
}

/* Instantiates module i after the modules it imports from. */
static wasm_status instantiate(loader *L, size_t i, wasm_error *err)
{
    if (L->state[i] == 2) return WASM_OK;
    if (L->state[i] == 1) return wasm_error_set(err, WASM_UNLINKABLE, EXT_MSG_MODULE_CYCLE, L->names[i]);
    L->state[i] = 1;
    const wasm_module *mod = L->modules[i];
    uint32_t n = wasm_module_import_count(mod);
    wasm_extern *imports = calloc((size_t)n + 1, sizeof *imports);
    if (!imports) return wasm_error_set(err, WASM_NOMEM, EXT_MSG_NOMEM);
    wasm_status st = WASM_OK;
    if (L->p->wasi) st = wasi_link(L->p->wasi, L->p->store, mod, imports, err);
    for (uint32_t k = 0; k < n && st == WASM_OK; k++) {
        wasm_import_info im;
        wasm_module_import(mod, k, &im);
        if (L->p->wasi && name_is(im.module, EXT_WASI)) continue;
        st = resolve(L, i, &im, &imports[k], err);
    }
    if (st == WASM_OK) {
        L->insts[i] = wasm_instance_new(L->p->store, mod, imports, n, err);
        if (!L->insts[i]) st = err->status ? err->status : WASM_UNLINKABLE;
    }
    free(imports);
    L->state[i] = 2;
    return st;
}

static void wasi_audit(void *user, const char *op, const char *path, bool allowed, const char *rule)
{
    ext_plugin *p = user;
    char *what = NULL;
    if (asprintf(&what, "%s %s", op, path ? path : "") < 0) what = NULL;
    guard_record(p->guard, p->name, "file", what ? what : op, allowed, rule);
    free(what);
}

static wasm_status make_wasi(ext_plugin *p, const ext_manifest *m, const ext_options *o,
                             wasm_error *err)
{
    wasi_preopen *pre = calloc(m->nallowed_paths + 1, sizeof *pre);
    if (!pre) return wasm_error_set(err, WASM_NOMEM, EXT_MSG_NOMEM);
    for (size_t i = 0; i < m->nallowed_paths; i++)
        pre[i] = (wasi_preopen){m->allowed_paths[i].host, m->allowed_paths[i].guest,
                                m->allowed_paths[i].readonly};
    wasi_config cfg = {
        .env = o->env, .nenv = (uint32_t)o->nenv,
        .preopens = pre, .npreopens = (uint32_t)m->nallowed_paths,
        .stdin_mode = o->stdin_mode, .stdout_mode = o->stdout_mode, .stderr_mode = o->stderr_mode,
        .tmp_dir = o->tmp_dir, .audit = wasi_audit, .audit_user = p,
    };
    p->wasi = wasi_ctx_new(&cfg, err);
    free(pre);
    return p->wasi ? WASM_OK : (err->status ? err->status : WASM_HOST_ERROR);
}

static bool copy_config(ext_plugin *p, const ext_manifest *m)
{
    p->config_keys = calloc(m->nconfig + 1, sizeof(char *));
    p->config_values = calloc(m->nconfig + 1, sizeof(char *));
    p->config_read = calloc(m->nconfig + 1, sizeof(bool));
    if (!p->config_keys || !p->config_values || !p->config_read) return false;
    for (; p->nconfig < m->nconfig; p->nconfig++) {
        size_t i = p->nconfig;
        p->config_keys[i] = strdup(m->config_keys[i] ? m->config_keys[i] : "");
        p->config_values[i] = strdup(m->config_values[i] ? m->config_values[i] : "");
        if (!p->config_keys[i] || !p->config_values[i]) {
            p->nconfig++;
            return false;
        }
    }
    return true;
}

/* Limits and settings from the manifest and the options. */
static void set_limits(ext_plugin *p, const ext_manifest *m, const ext_options *o)
{
    uint32_t cap = o->max_pages_cap && o->max_pages_cap < EXT_MAX_PAGES ? o->max_pages_cap
                                                                        : EXT_MAX_PAGES;
    p->max_pages = m->has_max_pages && m->max_pages < cap ? m->max_pages : cap;
    uint64_t kbytes = (uint64_t)p->max_pages * EXT_PAGE;
    ext_kernel_init(&p->kernel, kbytes < EXT_MIN_KERNEL_BYTES ? EXT_MIN_KERNEL_BYTES : kbytes);
    p->max_var_bytes = m->has_max_var ? m->max_var_bytes : EXT_DEFAULT_MAX_VAR_BYTES;
    p->max_http_response = m->has_max_http ? m->max_http_response_bytes
                                           : EXT_DEFAULT_MAX_HTTP_RESPONSE;
    p->max_output = o->max_output_bytes ? o->max_output_bytes : EXT_DEFAULT_MAX_OUTPUT;
    p->has_timeout = m->has_timeout;
    p->timeout_ms = m->timeout_ms;
    p->fuel = o->fuel;
    p->log_level = o->log_level;
    p->log = o->log;
    p->log_user = o->log_user;
}

/* Arms fuel and the deadline for one run of guest code. */
static void arm(ext_plugin *p)
{
    wasm_store_clear_interrupt(p->store);
    /* After the clear: a stop that raced it is raised again (both are
       seq_cst, so either this load sees it or its interrupt comes after). */
    if (atomic_load(&p->stopped)) wasm_store_interrupt(p->store);
    wasm_store_set_fuel(p->store, p->fuel);
    uint64_t deadline = 0;
    if (p->has_timeout) {
        uint64_t ns = p->timeout_ms > UINT64_MAX / 2000000 ? UINT64_MAX / 2 : p->timeout_ms * 1000000;
        deadline = now_ns() + ns;
    }
    wasm_store_set_deadline(p->store, deadline);
}

static void disarm(ext_plugin *p) { wasm_store_set_deadline(p->store, 0); }

static void find_init(ext_plugin *p)
{
    static const char *const names[] = {"_initialize", "__wasm_call_ctors"};
    for (size_t i = 0; i < 2; i++) {
        /* A command's _start runs the constructors itself. */
        if (i == 1 && wasm_instance_func(p->main, "_start")) break;
        wasm_func *f = wasm_instance_func(p->main, names[i]);
        if (f && !wasm_func_type(f)->nparams && !wasm_func_type(f)->nresults) {
            p->init = f;
            p->init_name = names[i];
            return;
        }
    }
    p->init_done = true;
}

static wasm_status load(ext_plugin *p, const wasm_module *const *modules, const ext_manifest *m,
                        const ext_options *o, wasm_error *err)
{
    loader L = {p, modules, o, m->nwasm, NULL, NULL, NULL};
    L.names = calloc(L.n, sizeof *L.names);
    L.insts = calloc(L.n, sizeof *L.insts);
    L.state = calloc(L.n, 1);
    wasm_status st = WASM_OK;
    if (!L.names || !L.insts || !L.state) {
        st = wasm_error_set(err, WASM_NOMEM, EXT_MSG_NOMEM);
        goto out;
    }
    size_t main = name_modules(&L, m, err);
    if (main == SIZE_MAX) {
        st = wasm_error_set(err, WASM_BAD_ARGUMENT, EXT_MSG_NO_MAIN);
        goto out;
    }
    /* A start function runs under the plugin's limits too. */
    arm(p);
    for (size_t i = 0; i < L.n && st == WASM_OK; i++)
        if (i != main) st = instantiate(&L, i, err);
    if (st == WASM_OK) st = instantiate(&L, main, err);
    disarm(p);
    const char *why = stop_reason(p, st, err);
    if (why && why != err->message) copy_text(err->message, sizeof err->message, why);
    if (st != WASM_OK) goto out;
    p->main = L.insts[main];
    p->main_memory = wasm_instance_memory(p->main);
    find_init(p);
out:
    free(L.names);
    free(L.insts);
    free(L.state);
    return st;
}

ext_plugin *ext_plugin_new(const wasm_module *const *modules, const ext_manifest *manifest,
                           const ext_options *opts, wasm_error *err)
{
    wasm_error e;   /* ours, so that status checks never see a stale error */
    wasm_error_clear(&e);
    ext_options dflt;
    if (!opts) {
        ext_options_default(&dflt);
        opts = &dflt;
    }
    bool have_all = manifest && modules && manifest->nwasm;
    for (size_t i = 0; have_all && i < manifest->nwasm; i++) have_all = modules[i] != NULL;
    if (!have_all) {
        wasm_error_set(&e, WASM_BAD_ARGUMENT, EXT_MSG_NO_MODULES);
        report(err, &e);
        return NULL;
    }
    ext_plugin *p = calloc(1, sizeof *p);
    if (!p) goto nomem;
    atomic_init(&p->cancelled, false);
    atomic_init(&p->stopped, false);
    p->rc = -1;
    set_limits(p, manifest, opts);
    p->name = strdup(opts->name ? opts->name : "plugin");
    if (!p->name || !copy_config(p, manifest) || !make_tramps(p, opts)) goto nomem;
    p->guard = opts->guard;
    if (!p->guard) {
        p->guard = guard_new((const char *const *)manifest->allowed_hosts,
                             manifest->allowed_hosts ? manifest->nallowed_hosts : 0, NULL, NULL,
                             NULL);
        p->own_guard = true;
        if (!p->guard) goto nomem;
    }
    wasm_config cfg;
    wasm_config_default(&cfg);
    cfg.max_memory_pages = p->max_pages;
    p->store = wasm_store_new(&cfg);
    if (!p->store) goto nomem;
    wasm_store_set_user(p->store, p);
    if (opts->wasi && make_wasi(p, manifest, opts, &e) != WASM_OK) goto fail;
    if (load(p, modules, manifest, opts, &e) != WASM_OK) goto fail;
    return p;
nomem:
    wasm_error_set(&e, WASM_NOMEM, EXT_MSG_NOMEM);
fail:
    ext_plugin_free(p);
    report(err, &e);
    return NULL;
}

void ext_plugin_free(ext_plugin *p)
{
    if (!p) return;
    wasm_store_free(p->store);
    wasi_ctx_free(p->wasi);
    if (p->own_guard) guard_free(p->guard);
    ext_kernel_free(&p->kernel);
    ext_vars_free(&p->vars);
    for (size_t i = 0; i < p->nconfig; i++) {
        free(p->config_keys[i]);
        free(p->config_values[i]);
    }
    free(p->config_keys);
    free(p->config_values);
    free(p->config_read);
    for (size_t i = 0; i < p->nhost_fns; i++) free(p->host_fn_names[i]);
    free(p->host_fn_names);
    free(p->host_fn_calls);
    free(p->tramps);
    free(p->http_headers);
    free(p->name);
    free(p);
}

/* ---- Calls --------------------------------------------------------------------- */

/* The plugin's error_set message, if a live block holds one. */
static bool plugin_message(ext_plugin *p, char *buf, size_t size)
{
    const ext_blk *b = ext_kernel_block(&p->kernel, p->kernel.error_off);
    if (!b || b->len == 0) return false;
    size_t n = b->len < size - 1 ? (size_t)b->len : size - 1;
    memcpy(buf, ext_kernel_ptr(&p->kernel, b->off), n);
    buf[n] = 0;
    return true;
}

/* Why guest code was stopped, when a limit or a cancel stopped it;
   NULL otherwise.  Records limits. */
static const char *stop_reason(ext_plugin *p, wasm_status st, const wasm_error *e)
{
    char detail[80];
    if (st == WASM_INTERRUPTED) {
        /* Only a cancel or the deadline raise it; a cancel that raced the
           start of the call leaves the flag cleared, hence the second test. */
        if (atomic_load(&p->cancelled) || atomic_load(&p->stopped) || !p->has_timeout)
            return EXT_MSG_CANCELLED;
        snprintf(detail, sizeof detail, "timeout_ms: %llu", (unsigned long long)p->timeout_ms);
        ext_plugin_record_limit(p, "timeout", detail);
        return EXT_MSG_TIMEOUT;
    }
    if (st == WASM_FUEL_EXHAUSTED) {
        snprintf(detail, sizeof detail, "fuel: %lld", (long long)p->fuel);
        ext_plugin_record_limit(p, "fuel", detail);
        return EXT_MSG_FUEL;
    }
    if (st == WASM_LIMIT) {
        if (!p->limit_hit) ext_plugin_record_limit(p, "limit", e->message);
        return e->message;
    }
    return NULL;
}

/* True when the engine refused a memory.grow of the guest during the
   call: the guest hit max_pages (it only saw -1).  Recorded as a limit. */
static bool memory_capped(ext_plugin *p, uint32_t refused_before)
{
    if (!p->main_memory) return false;
    if (wasm_memory_refused_grows(p->main_memory) == refused_before) return false;
    char detail[80];
    snprintf(detail, sizeof detail, "max_pages: %u", p->max_pages);
    ext_plugin_record_limit(p, "memory", detail);
    return true;
}

/* Runs _initialize once; a failure there fails this and every later call. */
static wasm_status run_init(ext_plugin *p, wasm_error *e)
{
    p->init_done = true;
    ext_kernel_reset(&p->kernel);
    wasm_status st = wasm_func_call(p->init, NULL, NULL, e);
    if (st == WASM_OK || (st == WASM_EXIT && e->exit_code == 0)) {
        wasm_error_clear(e);
        return WASM_OK;
    }
    const char *why = stop_reason(p, st, e);
    char msg[240]; /* room for the prefix */
    copy_text(msg, sizeof msg, why ? why : e->message);
    snprintf(p->init_error, sizeof p->init_error, EXT_MSG_INIT_FAILED, p->init_name, msg);
    /* This call fails with the limit's own words ("timeout"), when one
       stopped it; later calls name the initialization. */
    copy_text(e->message, sizeof e->message, why ? why : p->init_error);
    p->init_failed = true;
    return st;
}

/* Combines how the guest ended with its return code and error_set, as
   Extism's raw_call does.  e holds the engine's error and gets the final one. */
static wasm_status finish(ext_plugin *p, const wasm_functype *t, wasm_status st, wasm_val ret,
                          uint32_t refused_before, wasm_error *e)
{
    char own[WASM_ERROR_MESSAGE_MAX];
    bool has_own = plugin_message(p, own, sizeof own);
    const char *msg = NULL;
    if (st == WASM_OK) {
        p->rc = t->nresults ? wasm_as_i32(ret) : 0;
        if (p->rc != 0 || has_own) st = WASM_HOST_ERROR;
    } else if (st == WASM_EXIT) {
        p->rc = e->exit_code;
        if (p->rc == 0 && !has_own) st = WASM_OK;
    }
    if (st == WASM_OK) {
        ext_kernel *k = &p->kernel;
        wasm_error_clear(e);
        if (k->output_len && k->output_off + k->output_len <= k->committed) {
            p->output = ext_kernel_ptr(k, k->output_off);
            p->output_len = (size_t)k->output_len;
        }
        return WASM_OK;
    }
    char buf[WASM_ERROR_MESSAGE_MAX];
    if ((msg = stop_reason(p, st, e)) == NULL) {
        if (has_own) msg = own;
        else if (st == WASM_EXIT) snprintf(buf, sizeof buf, EXT_MSG_EXITED, p->rc), msg = buf;
        else if (st == WASM_HOST_ERROR && e->status == WASM_OK)
            snprintf(buf, sizeof buf, EXT_MSG_RETURNED, p->rc), msg = buf;
        else msg = e->message;
        if (memory_capped(p, refused_before) && !has_own) {
            char tmp[240]; /* room for the suffix */
            copy_text(tmp, sizeof tmp, msg);
            snprintf(buf, sizeof buf, EXT_MSG_MEM_CAP, tmp,
                     wasm_memory_pages(p->main_memory), p->max_pages);
            msg = buf;
        }
    }
    char final[WASM_ERROR_MESSAGE_MAX];
    snprintf(final, sizeof final, "%s", msg);
    wasm_trap_kind trap = st == WASM_TRAP ? e->trap : WASM_TRAP_NONE;
    int32_t code = e->exit_code;
    wasm_error_clear(e);
    e->trap = trap;
    e->exit_code = code;
    return wasm_error_set(e, st, "%s", final);
}

/* Copies the input into a fresh block. */
static wasm_status set_input(ext_plugin *p, const uint8_t *input, size_t len, wasm_error *e)
{
    ext_kernel *k = &p->kernel;
    ext_kernel_reset(k);
    if (!len) return WASM_OK;
    uint64_t off = input ? ext_kernel_alloc(k, len, false) : 0;
    if (!off) {
        char detail[80];
        snprintf(detail, sizeof detail, "kernel memory: %llu bytes", (unsigned long long)k->limit);
        ext_plugin_record_limit(p, "input", detail);
        return wasm_error_set(e, WASM_LIMIT, EXT_MSG_INPUT_CAP, len, (unsigned long long)k->limit);
    }
    memcpy(ext_kernel_ptr(k, off), input, len);
    k->input_off = off;
    k->input_len = len;
    return WASM_OK;
}

static wasm_status call(ext_plugin *p, const char *func, const uint8_t *input, size_t len,
                        wasm_error *err)
{
    wasm_error e;
    wasm_error_clear(&e);
    p->rc = -1;
    p->output = NULL;
    p->output_len = 0;
    p->limit_hit = false;
    p->func = func;
    p->http_status = 0;
    free(p->http_headers);
    p->http_headers = NULL;
    wasm_func *f = func ? wasm_instance_func(p->main, func) : NULL;
    if (!f) {
        wasm_error_set(&e, WASM_BAD_ARGUMENT, EXT_MSG_NO_FUNC, func ? func : "(null)");
        return report(err, &e);
    }
    const wasm_functype *t = wasm_func_type(f);
    if (!callable_type(t)) {
        char ty[96];
        ext_format_type(t, ty, sizeof ty);
        wasm_error_set(&e, WASM_BAD_ARGUMENT, EXT_MSG_BAD_FUNC, func, ty);
        return report(err, &e);
    }
    if (p->init_failed) {
        wasm_error_set(&e, WASM_HOST_ERROR, EXT_MSG_INIT_BROKEN, p->init_error);
        return report(err, &e);
    }
    atomic_store(&p->cancelled, false);
    if (!p->init_done) {
        arm(p);
        wasm_status st = run_init(p, &e);
        disarm(p);
        if (st != WASM_OK) return report(err, &e);
    }
    wasm_status st = set_input(p, input, len, &e);
    if (st != WASM_OK) return report(err, &e);
    uint32_t refused_before = p->main_memory ? wasm_memory_refused_grows(p->main_memory) : 0;
    wasm_val ret = 0;
    arm(p);
    st = wasm_func_call(f, NULL, &ret, &e);
    disarm(p);
    st = finish(p, t, st, ret, refused_before, &e);
    return st == WASM_OK ? WASM_OK : report(err, &e);
}

wasm_status ext_plugin_call(ext_plugin *p, const char *func, const uint8_t *input, size_t len,
                            wasm_error *err)
{
    wasm_status st = call(p, func, input, len, err);
    p->func = NULL;
    return st;
}

const uint8_t *ext_plugin_output(const ext_plugin *p, size_t *len)
{
    if (len) *len = p->output_len;
    return p->output;
}

int32_t ext_plugin_rc(const ext_plugin *p) { return p->rc; }

bool ext_plugin_has_function(const ext_plugin *p, const char *func)
{
    wasm_func *f = func ? wasm_instance_func(p->main, func) : NULL;
    return f && callable_type(wasm_func_type(f));
}

void ext_plugin_cancel(ext_plugin *p)
{
    atomic_store(&p->cancelled, true);
    wasm_store_interrupt(p->store);
}

void ext_plugin_stop(ext_plugin *p)
{
    atomic_store(&p->stopped, true);  /* before the interrupt: see arm() */
    wasm_store_interrupt(p->store);
}

/* ---- For host functions ------------------------------------------------------------ */

ext_plugin *ext_current_plugin(wasm_call *call)
{
    return call ? wasm_store_user(wasm_call_store(call)) : NULL;
}

uint8_t *ext_block(ext_plugin *p, uint64_t offset, uint64_t *len)
{
    const ext_blk *b = p ? ext_kernel_block(&p->kernel, offset) : NULL;
    if (len) *len = b ? b->len : 0;
    return b ? ext_kernel_ptr(&p->kernel, offset) : NULL;
}

uint64_t ext_block_alloc(ext_plugin *p, const void *data, uint64_t len)
{
    if (!p) return 0;
    uint64_t off = ext_kernel_alloc(&p->kernel, len, data == NULL);
    if (off && data) memcpy(ext_kernel_ptr(&p->kernel, off), data, len);
    return off;
}

/* ---- Usage ------------------------------------------------------------------------- */

const ext_usage *ext_plugin_usage(ext_plugin *p)
{
    ext_usage *u = &p->usage;
    u->nconfig = p->nconfig;
    u->config_keys = (const char *const *)p->config_keys;
    u->config_values = (const char *const *)p->config_values;
    u->config_read = p->config_read;
    u->nhost_fns = p->nhost_fns;
    u->host_fn_names = (const char *const *)p->host_fn_names;
    u->host_fn_calls = p->host_fn_calls;
    u->memory_pages = p->main_memory ? wasm_memory_pages(p->main_memory) : 0;
    u->kernel_peak_bytes = p->kernel.peak;
    u->tmp_dir_used = wasi_tmp_dir_used(p->wasi);
    return u;
}
