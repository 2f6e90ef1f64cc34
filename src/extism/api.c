/*
 * api.c - the public C library, include/wasmguard.h, over the Extism
 * layer (extism.h).
 *
 * A wg_module is a parsed manifest plus one compiled wasm_module per
 * source, never changed after it is made, and reference-counted so that
 * plugins keep it alive.  A wg_plugin is an ext_plugin with what it was
 * made from: a view of the manifest with the embedder's overrides (config,
 * timeout), copies of the host functions, and the guard when it owns one.
 * Every view, copy and guard lives as long as the plugin, so the layer
 * below may keep pointers into them.
 *
 * The public types mirror the engine's (wg_status = wasm_status, wg_val =
 * wasm_val, ...); the static assertions below hold them together.
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extism/api.h"
#include "extism/extism.h"
#include "wasmguard.h"

#define API_DEFAULT_NAME "plugin"
#define API_DEFAULT_NS "extism:host/user"

/* The messages of the library API. */
#define API_MSG_NOMEM "out of memory"
#define API_MSG_NULL "%s: %s is NULL"
#define API_MSG_CONFIG "option config[%zu]: expected KEY=VALUE, got \"%s\""
#define API_MSG_HOST_FN "option host_functions[%zu]: %s"
#define API_MSG_LOG_LEVEL "option log_level: %d is not a log level"
#define API_MSG_MODULE "wasm[%zu]%s%s%s: %s"

_Static_assert((int)WG_OK == (int)WASM_OK && (int)WG_MALFORMED == (int)WASM_MALFORMED &&
               (int)WG_INVALID == (int)WASM_INVALID &&
               (int)WG_UNLINKABLE == (int)WASM_UNLINKABLE && (int)WG_TRAP == (int)WASM_TRAP &&
               (int)WG_FUEL_EXHAUSTED == (int)WASM_FUEL_EXHAUSTED &&
               (int)WG_INTERRUPTED == (int)WASM_INTERRUPTED && (int)WG_EXIT == (int)WASM_EXIT &&
               (int)WG_HOST_ERROR == (int)WASM_HOST_ERROR && (int)WG_LIMIT == (int)WASM_LIMIT &&
               (int)WG_NOMEM == (int)WASM_NOMEM &&
               (int)WG_BAD_ARGUMENT == (int)WASM_BAD_ARGUMENT,
               "wg_status mirrors wasm_status");
_Static_assert(WG_ERROR_MESSAGE_MAX == WASM_ERROR_MESSAGE_MAX, "same message size");
_Static_assert(sizeof(wg_val) == sizeof(wasm_val), "wg_val mirrors wasm_val");
_Static_assert((int)WG_I32 == (int)WASM_I32 && (int)WG_I64 == (int)WASM_I64 &&
               (int)WG_F32 == (int)WASM_F32 && (int)WG_F64 == (int)WASM_F64,
               "wg_valtype mirrors wasm_valtype");
_Static_assert((int)WG_LOG_TRACE == (int)EXT_LOG_TRACE && (int)WG_LOG_DEBUG == (int)EXT_LOG_DEBUG &&
               (int)WG_LOG_INFO == (int)EXT_LOG_INFO && (int)WG_LOG_WARN == (int)EXT_LOG_WARN &&
               (int)WG_LOG_ERROR == (int)EXT_LOG_ERROR && (int)WG_LOG_OFF == (int)EXT_LOG_OFF,
               "wg_log_level mirrors ext_log_level");

struct wg_module {
    atomic_size_t refs;
    ext_manifest *manifest;
    wasm_module **modules;   /* modules[i] compiled from manifest->wasm[i] */
};

struct wg_plugin {
    wg_module *module;       /* one reference */
    ext_plugin *plugin;
    ext_manifest view;       /* the module's manifest with this plugin's overrides */
    char **config_keys, **config_values; /* the view's config, owned */
    size_t nconfig;
    ext_api_host *hosts;
    ext_host_fn *ext_hosts;
    size_t nhosts;
    guard *own_guard;        /* NULL when the guard is the embedder's */
    char *name;
    wg_log_callback log;
    void *log_user;
};

/* ---- Errors ------------------------------------------------------------ */

void ext_api_err_clear(wg_error *err)
{
    if (err) {
        err->code = WG_OK;
        err->message[0] = '\0';
    }
}

static wg_status err_from(wg_error *err, const wasm_error *e, wasm_status status)
{
    if (err) {
        err->code = (wg_status)status;
        snprintf(err->message, sizeof err->message, "%s",
                 e->message[0] ? e->message : wasm_status_name(status));
    }
    return (wg_status)status;
}

wg_status ext_api_err_set(wg_error *err, wg_status code, const char *fmt, ...)
{
    if (err) {
        err->code = code;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return code;
}

const char *wg_error_message(const wg_error *err)
{
    return err ? err->message : "";
}

const char *wg_status_name(wg_status status)
{
    /* The codes past the engine's are the Helm API's (src/helm/api.c). */
    switch (status) {
    case WG_REFUSED:
        return "refused";
    case WG_BAD_OUTPUT:
        return "bad output";
    default:
        return wasm_status_name((wasm_status)status);
    }
}

const char *wg_version(void)
{
    return WG_VERSION;
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* ---- Modules ----------------------------------------------------------- */

static void module_destroy(wg_module *mod)
{
    if (!mod)
        return;
    for (size_t i = 0; mod->modules && i < mod->manifest->nwasm; i++)
        wasm_module_free(mod->modules[i]);
    free(mod->modules);
    ext_manifest_free(mod->manifest);
    free(mod);
}

/* Compiles every source of m (taking m over, freed on failure). */
static wg_module *module_make(ext_manifest *m, wg_error *err)
{
    wg_module *mod = calloc(1, sizeof *mod);
    if (!mod) {
        ext_manifest_free(m);
        ext_api_err_set(err, WG_NOMEM, API_MSG_NOMEM);
        return NULL;
    }
    atomic_init(&mod->refs, 1);
    mod->manifest = m;
    mod->modules = calloc(m->nwasm ? m->nwasm : 1, sizeof *mod->modules);
    if (!mod->modules) {
        module_destroy(mod);
        ext_api_err_set(err, WG_NOMEM, API_MSG_NOMEM);
        return NULL;
    }
    for (size_t i = 0; i < m->nwasm; i++) {
        wasm_error e;
        wasm_error_clear(&e);
        mod->modules[i] = wasm_module_new(m->wasm[i].data, m->wasm[i].len, &e);
        if (!mod->modules[i]) {
            const char *name = m->wasm[i].name;
            if (m->nwasm == 1 && !name)
                err_from(err, &e, e.status);
            else
                ext_api_err_set(err, (wg_status)e.status, API_MSG_MODULE, i, name ? " (" : "",
                                name ? name : "", name ? ")" : "", e.message);
            module_destroy(mod);
            return NULL;
        }
    }
    return mod;
}

wg_module *wg_module_new(const uint8_t *wasm, size_t len, wg_error *err)
{
    ext_api_err_clear(err);
    if (!wasm) {
        ext_api_err_set(err, WG_BAD_ARGUMENT, API_MSG_NULL, "wg_module_new", "wasm");
        return NULL;
    }
    wasm_error e;
    wasm_error_clear(&e);
    ext_manifest *m = ext_manifest_from_wasm(wasm, len, &e);
    if (!m) {
        err_from(err, &e, e.status);
        return NULL;
    }
    return module_make(m, err);
}

wg_module *wg_module_from_manifest(const char *json, size_t len, const char *base_dir,
                                   wg_error *err)
{
    ext_api_err_clear(err);
    if (!json) {
        ext_api_err_set(err, WG_BAD_ARGUMENT, API_MSG_NULL, "wg_module_from_manifest", "json");
        return NULL;
    }
    wasm_error e;
    wasm_error_clear(&e);
    ext_manifest *m = ext_manifest_parse(json, len, base_dir, &e);
    if (!m) {
        err_from(err, &e, e.status);
        return NULL;
    }
    return module_make(m, err);
}

void wg_module_free(wg_module *module)
{
    if (module && atomic_fetch_sub(&module->refs, 1) == 1)
        module_destroy(module);
}

/* ---- Guards ------------------------------------------------------------ */

/* A wg_guard is a guard; the public name only hides the type. */
wg_guard *wg_guard_new(const char *const *allowed_hosts, size_t nallowed_hosts,
                       FILE *audit_file, wg_audit_callback audit, void *audit_user,
                       wg_error *err)
{
    ext_api_err_clear(err);
    if (!allowed_hosts && nallowed_hosts) {
        ext_api_err_set(err, WG_BAD_ARGUMENT, API_MSG_NULL, "wg_guard_new", "allowed_hosts");
        return NULL;
    }
    guard *g = guard_new(allowed_hosts, nallowed_hosts, audit_file, audit, audit_user);
    if (!g)
        ext_api_err_set(err, WG_NOMEM, API_MSG_NOMEM);
    return (wg_guard *)g;
}

void wg_guard_free(wg_guard *g)
{
    if (g)
        guard_free((guard *)g);
}

/* ---- Host functions ---------------------------------------------------- */

/* A wg_current_plugin is the engine's wasm_call of the host function. */
static wasm_status host_trampoline(wasm_call *call, const wasm_val *args, wasm_val *results,
                                   void *user)
{
    const ext_api_host *h = user;
    wg_status st = h->fn.callback((wg_current_plugin *)call, args, results, h->fn.user);
    if (st == WG_OK)
        return WASM_OK;
    if ((int)st < 0 || st > WG_BAD_ARGUMENT)
        st = WG_HOST_ERROR;
    return wasm_call_fail(call, (wasm_status)st, "host function %s.%s failed", h->ns, h->name);
}

uint8_t *wg_block(wg_current_plugin *plugin, uint64_t offset, uint64_t *len)
{
    uint64_t n = 0;
    ext_plugin *p = plugin ? ext_current_plugin((wasm_call *)plugin) : NULL;
    uint8_t *data = p ? ext_block(p, offset, &n) : NULL;
    if (len)
        *len = data ? n : 0;
    return data;
}

uint64_t wg_block_alloc(wg_current_plugin *plugin, const void *data, uint64_t len)
{
    ext_plugin *p = plugin ? ext_current_plugin((wasm_call *)plugin) : NULL;
    return p ? ext_block_alloc(p, data, len) : 0;
}

wg_status wg_host_error(wg_current_plugin *plugin, const char *fmt, ...)
{
    char msg[WASM_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!plugin)
        return WG_HOST_ERROR;
    return (wg_status)wasm_call_fail((wasm_call *)plugin, WASM_HOST_ERROR, "%s", msg);
}

static bool valtype_ok(wg_valtype t)
{
    return t == WG_I32 || t == WG_I64 || t == WG_F32 || t == WG_F64;
}

wg_status ext_api_host_copy(const wg_host_function *f, size_t i, ext_api_host *h,
                            ext_host_fn *x, wg_error *err)
{
    const char *why = NULL;
    if (!f->name)
        why = "name is NULL";
    else if (!f->callback)
        why = "callback is NULL";
    else if ((f->nparams && !f->params) || (f->nresults && !f->results))
        why = "params or results is NULL";
    for (uint32_t k = 0; !why && k < f->nparams; k++)
        if (!valtype_ok(f->params[k]))
            why = "a parameter type is not WG_I32, WG_I64, WG_F32 or WG_F64";
    for (uint32_t k = 0; !why && k < f->nresults; k++)
        if (!valtype_ok(f->results[k]))
            why = "a result type is not WG_I32, WG_I64, WG_F32 or WG_F64";
    if (why)
        return ext_api_err_set(err, WG_BAD_ARGUMENT, API_MSG_HOST_FN, i, why);
    h->fn = *f;
    h->ns = dup_str(f->ns ? f->ns : API_DEFAULT_NS);
    h->name = dup_str(f->name);
    h->types = malloc((size_t)f->nparams + f->nresults + 1);
    if (!h->ns || !h->name || !h->types)
        return ext_api_err_set(err, WG_NOMEM, API_MSG_NOMEM);
    for (uint32_t k = 0; k < f->nparams; k++)
        h->types[k] = (uint8_t)f->params[k];
    for (uint32_t k = 0; k < f->nresults; k++)
        h->types[f->nparams + k] = (uint8_t)f->results[k];
    h->fn.ns = h->ns;
    h->fn.name = h->name;
    x->ns = h->ns;
    x->name = h->name;
    x->type.nparams = f->nparams;
    x->type.nresults = f->nresults;
    x->type.params = h->types;
    x->type.results = h->types + f->nparams;
    x->fn = host_trampoline;
    x->user = h;
    return WG_OK;
}

void ext_api_host_free(ext_api_host *h)
{
    free(h->ns);
    free(h->name);
    free(h->types);
}

/* ---- Plugins ----------------------------------------------------------- */

void wg_plugin_options_init(wg_plugin_options *opts)
{
    if (!opts)
        return;
    memset(opts, 0, sizeof *opts);
    opts->log_level = WG_LOG_INFO;
}

static void log_trampoline(void *user, ext_log_level level, const char *msg, size_t len)
{
    const wg_plugin *p = user;
    p->log(p->log_user, (wg_log_level)level, msg, len);
}

/* The view's config: the manifest's, then the "KEY=VALUE" overrides. */
static wg_status config_merge(wg_plugin *p, const ext_manifest *m, const wg_plugin_options *o,
                              wg_error *err)
{
    if (o->nconfig && !o->config)
        return ext_api_err_set(err, WG_BAD_ARGUMENT, API_MSG_NULL, "wg_plugin_options", "config");
    size_t cap = m->nconfig + o->nconfig;
    p->config_keys = calloc(cap ? cap : 1, sizeof(char *));
    p->config_values = calloc(cap ? cap : 1, sizeof(char *));
    if (!p->config_keys || !p->config_values)
        return ext_api_err_set(err, WG_NOMEM, API_MSG_NOMEM);
    for (size_t i = 0; i < m->nconfig; i++) {
        p->config_keys[i] = dup_str(m->config_keys[i]);
        p->config_values[i] = dup_str(m->config_values[i]);
        p->nconfig++;
        if (!p->config_keys[i] || !p->config_values[i])
            return ext_api_err_set(err, WG_NOMEM, API_MSG_NOMEM);
    }
    for (size_t i = 0; i < o->nconfig; i++) {
        const char *kv = o->config[i];
        const char *eq = kv ? strchr(kv, '=') : NULL;
        if (!eq || eq == kv)
            return ext_api_err_set(err, WG_BAD_ARGUMENT, API_MSG_CONFIG, i, kv ? kv : "(null)");
        size_t klen = (size_t)(eq - kv), j = 0;
        while (j < p->nconfig &&
               !(strlen(p->config_keys[j]) == klen && memcmp(p->config_keys[j], kv, klen) == 0))
            j++;
        char *val = dup_str(eq + 1);
        if (!val)
            return ext_api_err_set(err, WG_NOMEM, API_MSG_NOMEM);
        if (j == p->nconfig) {
            p->config_keys[j] = strndup(kv, klen);
            p->nconfig++;
            if (!p->config_keys[j]) {
                free(val);
                return ext_api_err_set(err, WG_NOMEM, API_MSG_NOMEM);
            }
        }
        free(p->config_values[j]);
        p->config_values[j] = val;
    }
    p->view.config_keys = p->config_keys;
    p->view.config_values = p->config_values;
    p->view.nconfig = p->nconfig;
    return WG_OK;
}

static wg_status hosts_copy(wg_plugin *p, const wg_plugin_options *o, wg_error *err)
{
    if (o->nhost_functions == 0)
        return WG_OK;
    if (!o->host_functions)
        return ext_api_err_set(err, WG_BAD_ARGUMENT, API_MSG_NULL, "wg_plugin_options",
                               "host_functions");
    p->hosts = calloc(o->nhost_functions, sizeof *p->hosts);
    p->ext_hosts = calloc(o->nhost_functions, sizeof *p->ext_hosts);
    if (!p->hosts || !p->ext_hosts)
        return ext_api_err_set(err, WG_NOMEM, API_MSG_NOMEM);
    for (size_t i = 0; i < o->nhost_functions; i++) {
        p->nhosts++;
        wg_status st =
            ext_api_host_copy(&o->host_functions[i], i, &p->hosts[i], &p->ext_hosts[i], err);
        if (st)
            return st;
    }
    return WG_OK;
}

static void plugin_destroy(wg_plugin *p)
{
    if (p->plugin)
        ext_plugin_free(p->plugin);
    if (p->own_guard)
        guard_free(p->own_guard);
    for (size_t i = 0; i < p->nconfig; i++) {
        free(p->config_keys[i]);
        free(p->config_values[i]);
    }
    free(p->config_keys);
    free(p->config_values);
    for (size_t i = 0; i < p->nhosts; i++)
        ext_api_host_free(&p->hosts[i]);
    free(p->hosts);
    free(p->ext_hosts);
    free(p->name);
    wg_module_free(p->module);
    free(p);
}

/* The ext_options for p from the embedder's options. */
static void plugin_options(const wg_plugin *p, const wg_plugin_options *o, guard *g,
                           ext_options *eo)
{
    ext_options_default(eo);
    eo->name = p->name;
    eo->wasi = o->wasi;
    eo->stdin_mode = WASI_STDIO_CLOSED;
    eo->stdout_mode = o->wasi_inherit_stdio ? WASI_STDIO_INHERIT : WASI_STDIO_CLOSED;
    eo->stderr_mode = eo->stdout_mode;
    eo->env = o->wasi_env;
    eo->nenv = o->nwasi_env;
    eo->tmp_dir = o->wasi_tmp_dir;
    eo->fuel = o->fuel == 0 ? -1 : o->fuel > INT64_MAX ? INT64_MAX : (int64_t)o->fuel;
    eo->max_output_bytes = o->max_output_bytes;
    eo->max_pages_cap = o->max_pages;
    eo->log_level = (ext_log_level)o->log_level;
    eo->log = o->log ? log_trampoline : NULL;
    eo->log_user = (void *)p;
    eo->guard = g;
    eo->host_fns = p->ext_hosts;
    eo->nhost_fns = p->nhosts;
}

wg_plugin *wg_plugin_new(wg_module *module, const wg_plugin_options *opts, wg_error *err)
{
    ext_api_err_clear(err);
    wg_plugin_options defaults;
    if (!opts) {
        wg_plugin_options_init(&defaults);
        opts = &defaults;
    }
    if (!module) {
        ext_api_err_set(err, WG_BAD_ARGUMENT, API_MSG_NULL, "wg_plugin_new", "module");
        return NULL;
    }
    if ((int)opts->log_level < WG_LOG_TRACE || opts->log_level > WG_LOG_OFF) {
        ext_api_err_set(err, WG_BAD_ARGUMENT, API_MSG_LOG_LEVEL, (int)opts->log_level);
        return NULL;
    }
    if (opts->nwasi_env && !opts->wasi_env) {
        ext_api_err_set(err, WG_BAD_ARGUMENT, API_MSG_NULL, "wg_plugin_options", "wasi_env");
        return NULL;
    }
    wg_plugin *p = calloc(1, sizeof *p);
    if (!p) {
        ext_api_err_set(err, WG_NOMEM, API_MSG_NOMEM);
        return NULL;
    }
    atomic_fetch_add(&module->refs, 1);
    p->module = module;
    p->view = *module->manifest;
    if (opts->timeout_ms) {
        p->view.has_timeout = true;
        p->view.timeout_ms = opts->timeout_ms;
    }
    p->log = opts->log;
    p->log_user = opts->log_user;
    p->name = dup_str(opts->name ? opts->name : API_DEFAULT_NAME);
    if (!p->name) {
        ext_api_err_set(err, WG_NOMEM, API_MSG_NOMEM);
        goto fail;
    }
    if (config_merge(p, module->manifest, opts, err) || hosts_copy(p, opts, err))
        goto fail;
    guard *g = (guard *)opts->guard;
    if (!g) {
        g = p->own_guard = guard_new((const char *const *)p->view.allowed_hosts,
                                     p->view.nallowed_hosts, opts->audit_file, opts->audit,
                                     opts->audit_user);
        if (!g) {
            ext_api_err_set(err, WG_NOMEM, API_MSG_NOMEM);
            goto fail;
        }
    }
    ext_options eo;
    plugin_options(p, opts, g, &eo);
    wasm_error e;
    wasm_error_clear(&e);
    p->plugin = ext_plugin_new((const wasm_module *const *)module->modules, &p->view, &eo, &e);
    if (!p->plugin) {
        err_from(err, &e, e.status ? e.status : WASM_NOMEM);
        goto fail;
    }
    return p;
fail:
    plugin_destroy(p);
    return NULL;
}

wg_status wg_plugin_call(wg_plugin *plugin, const char *func, const void *input, size_t len,
                         const uint8_t **out, size_t *outlen, wg_error *err)
{
    ext_api_err_clear(err);
    if (out)
        *out = NULL;
    if (outlen)
        *outlen = 0;
    if (!plugin || !func)
        return ext_api_err_set(err, WG_BAD_ARGUMENT, API_MSG_NULL, "wg_plugin_call",
                               plugin ? "func" : "plugin");
    if (!input && len)
        return ext_api_err_set(err, WG_BAD_ARGUMENT, API_MSG_NULL, "wg_plugin_call", "input");
    wasm_error e;
    wasm_error_clear(&e);
    wasm_status st = ext_plugin_call(plugin->plugin, func, input ? input : "", len, &e);
    if (st != WASM_OK)
        return err_from(err, &e, st);
    size_t n = 0;
    const uint8_t *data = ext_plugin_output(plugin->plugin, &n);
    if (out)
        *out = data ? data : (const uint8_t *)"";
    if (outlen)
        *outlen = data ? n : 0;
    return WG_OK;
}

bool wg_plugin_has_function(const wg_plugin *plugin, const char *func)
{
    return plugin && func && ext_plugin_has_function(plugin->plugin, func);
}

void wg_plugin_cancel(wg_plugin *plugin)
{
    if (plugin)
        ext_plugin_cancel(plugin->plugin);
}

void wg_plugin_free(wg_plugin *plugin)
{
    if (plugin)
        plugin_destroy(plugin);
}
