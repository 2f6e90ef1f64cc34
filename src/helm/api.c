/*
 * api.c - the Helm part of the public C library, include/wasmguard.h
 * ("Helm 4 plugins"), over this layer (helm.h).
 *
 * A wg_helm_plugins is a helm_plugin_set with a handle per plugin (so a
 * plugin knows its set) and the reasons broken plugins were skipped.  A
 * run turns the public options into helm_run_options for that run only:
 * the host functions copied into ext_host_fns (src/extism/api.h, shared
 * with the Extism part), and, when the set was loaded from an explicit
 * path, the plugin's environment with HELM_PLUGINS set to it.  Failures
 * keep run.c's one-line message; the kind becomes a wg_status.
 *
 * A canceller plugs into run.c's stop hook (helm_stop_hook): each run
 * links a registration on its stack into the canceller's list while its
 * sandbox lives, and wg_helm_cancel stops every linked sandbox
 * (ext_plugin_stop, which a call starting later cannot miss).  A
 * learning record is run.c's helm_usage, written out by learn.c.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extism/api.h"
#include "helm/helm.h"
#include "wasmguard.h"

/* The messages of the Helm API. */
#define HAPI_MSG_NOMEM "out of memory"
#define HAPI_MSG_NULL "%s: %s is NULL"
#define HAPI_MSG_LOG_LEVEL "option log_level: %d is not a log level"
#define HAPI_MSG_MUTEX "wg_helm_canceller_new: cannot make a mutex"
#define HAPI_MSG_NOT_RAN "wg_helm_learned_yaml: plugin %s: no run made a sandbox, nothing was learned"

#define HELM_PLUGINS_VAR "HELM_PLUGINS="

struct wg_helm_plugin {
    const helm_plugin *p;
    const wg_helm_plugins *set;
};

struct wg_helm_plugins {
    helm_plugin_set set;
    wg_helm_plugin *items;     /* items[i] wraps set.plugins[i] */
    char **skipped;            /* why each broken plugin was skipped */
    size_t nskipped;
    bool skipped_nomem;        /* a reason could not be kept */
    char *path;                /* plugins_path as given; NULL: Helm's */
};

/* ---- Errors ------------------------------------------------------------ */

/* The status of a run's outcome, as the header documents it. */
static wg_status kind_status(helm_error_kind kind)
{
    switch (kind) {
    case HELM_ERR_NONE: return WG_OK;
    case HELM_ERR_PLUGIN: return WG_HOST_ERROR;
    case HELM_ERR_EXIT: return WG_EXIT;
    case HELM_ERR_TRAP: return WG_TRAP;
    case HELM_ERR_TIMEOUT: return WG_INTERRUPTED;
    case HELM_ERR_MEMORY: return WG_LIMIT;
    case HELM_ERR_LIMIT: return WG_LIMIT;
    case HELM_ERR_OUTPUT: return WG_BAD_OUTPUT;
    case HELM_ERR_LOAD: return WG_UNLINKABLE;
    case HELM_ERR_REFUSED: return WG_REFUSED;
    case HELM_ERR_INPUT: return WG_BAD_ARGUMENT;
    case HELM_ERR_HOST: return WG_HOST_ERROR;
    case HELM_ERR_CANCELLED: return WG_INTERRUPTED;
    }
    return WG_HOST_ERROR;
}

static wg_status err_from_helm(wg_error *err, helm_error_kind kind, const helm_error *h)
{
    wg_status st = kind_status(kind);
    if (st == WG_OK) return WG_OK;
    /* run.c's message is "plugin NAME: cause"; a longer one is cut. */
    return ext_api_err_set(err, st, "%s", h->message[0] ? h->message : wg_status_name(st));
}

/* ---- Sets ----------------------------------------------------------------- */

static void keep_skipped(void *user, const char *dir, const char *why)
{
    wg_helm_plugins *s = user;
    (void)dir;  /* why names the file already */
    char **grown = realloc(s->skipped, (s->nskipped + 1) * sizeof *grown);
    char *copy = strdup(why);
    if (!grown || !copy) {
        free(copy);
        if (grown) s->skipped = grown;
        s->skipped_nomem = true;
        return;
    }
    s->skipped = grown;
    s->skipped[s->nskipped++] = copy;
}

wg_helm_plugins *wg_helm_plugins_load(const char *plugins_path, wg_error *err)
{
    ext_api_err_clear(err);
    wg_helm_plugins *s = calloc(1, sizeof *s);
    if (!s || (plugins_path && !(s->path = strdup(plugins_path)))) {
        free(s);
        ext_api_err_set(err, WG_NOMEM, HAPI_MSG_NOMEM);
        return NULL;
    }
    wasm_error e;
    wasm_error_clear(&e);
    if (helm_plugins_find_path(plugins_path, &s->set, keep_skipped, s, &e) != WASM_OK) {
        ext_api_err_set(err, (wg_status)e.status, "%s", e.message[0] ? e.message : "cannot load plugins");
        wg_helm_plugins_free(s);
        return NULL;
    }
    s->items = calloc(s->set.n ? s->set.n : 1, sizeof *s->items);
    if (!s->items || s->skipped_nomem) {
        ext_api_err_set(err, WG_NOMEM, HAPI_MSG_NOMEM);
        wg_helm_plugins_free(s);
        return NULL;
    }
    for (size_t i = 0; i < s->set.n; i++) s->items[i] = (wg_helm_plugin){s->set.plugins[i], s};
    return s;
}

void wg_helm_plugins_free(wg_helm_plugins *set)
{
    if (!set) return;
    helm_plugins_free(&set->set);
    for (size_t i = 0; i < set->nskipped; i++) free(set->skipped[i]);
    free(set->skipped);
    free(set->items);
    free(set->path);
    free(set);
}

size_t wg_helm_plugins_count(const wg_helm_plugins *set)
{
    return set ? set->set.n : 0;
}

const wg_helm_plugin *wg_helm_plugins_at(const wg_helm_plugins *set, size_t i)
{
    return set && i < set->set.n ? &set->items[i] : NULL;
}

/* The handle of p, one of set's plugins. */
static const wg_helm_plugin *handle_of(const wg_helm_plugins *set, const helm_plugin *p)
{
    for (size_t i = 0; p && i < set->set.n; i++)
        if (set->items[i].p == p) return &set->items[i];
    return NULL;
}

const wg_helm_plugin *wg_helm_plugins_find(const wg_helm_plugins *set, const char *name)
{
    if (!set || !name) return NULL;
    return handle_of(set, helm_plugin_find(&set->set, name));
}

const wg_helm_plugin *wg_helm_plugins_find_getter(const wg_helm_plugins *set, const char *href)
{
    if (!set || !href) return NULL;
    char scheme[64];
    return handle_of(set, helm_find_getter(&set->set, href, scheme, sizeof scheme));
}

size_t wg_helm_plugins_skipped_count(const wg_helm_plugins *set)
{
    return set ? set->nskipped : 0;
}

const char *wg_helm_plugins_skipped(const wg_helm_plugins *set, size_t i)
{
    return set && i < set->nskipped ? set->skipped[i] : NULL;
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

const char *wg_helm_plugin_name(const wg_helm_plugin *plugin)
{
    return plugin ? or_empty(plugin->p->name) : "";
}

const char *wg_helm_plugin_version(const wg_helm_plugin *plugin)
{
    return plugin ? or_empty(plugin->p->version) : "";
}

const char *wg_helm_plugin_type(const wg_helm_plugin *plugin)
{
    return plugin ? or_empty(plugin->p->type) : "";
}

const char *wg_helm_plugin_runtime(const wg_helm_plugin *plugin)
{
    return plugin ? or_empty(plugin->p->runtime) : "";
}

const char *wg_helm_plugin_dir(const wg_helm_plugin *plugin)
{
    return plugin ? or_empty(plugin->p->dir) : "";
}

/* ---- Cancellers ------------------------------------------------------------ */

/* One run's registration: on the run's stack, linked while its sandbox
   lives; every field is the canceller's mutex's. */
typedef struct cancel_reg {
    wg_helm_canceller *c;
    ext_plugin *sandbox;           /* NULL: not linked */
    bool stopped;                  /* wg_helm_cancel reached it */
    struct cancel_reg *prev, *next;
} cancel_reg;

struct wg_helm_canceller {
    pthread_mutex_t mu;
    bool cancelled;                /* until wg_helm_canceller_reset */
    cancel_reg *runs;              /* the sandboxes running now */
};

wg_helm_canceller *wg_helm_canceller_new(wg_error *err)
{
    ext_api_err_clear(err);
    wg_helm_canceller *c = calloc(1, sizeof *c);
    if (!c) return ext_api_err_set(err, WG_NOMEM, HAPI_MSG_NOMEM), NULL;
    if (pthread_mutex_init(&c->mu, NULL) != 0) {
        free(c);
        return ext_api_err_set(err, WG_NOMEM, HAPI_MSG_MUTEX), NULL;
    }
    return c;
}

void wg_helm_canceller_free(wg_helm_canceller *c)
{
    if (!c) return;
    pthread_mutex_destroy(&c->mu);
    free(c);
}

void wg_helm_cancel(wg_helm_canceller *c)
{
    if (!c) return;
    pthread_mutex_lock(&c->mu);
    c->cancelled = true;
    /* Under the mutex, so no sandbox is freed while it is stopped. */
    for (cancel_reg *r = c->runs; r; r = r->next) {
        r->stopped = true;
        ext_plugin_stop(r->sandbox);
    }
    pthread_mutex_unlock(&c->mu);
}

void wg_helm_canceller_reset(wg_helm_canceller *c)
{
    if (!c) return;
    pthread_mutex_lock(&c->mu);
    c->cancelled = false;
    pthread_mutex_unlock(&c->mu);
}

bool wg_helm_cancelled(const wg_helm_canceller *c)
{
    if (!c) return false;
    wg_helm_canceller *m = (wg_helm_canceller *)c;  /* the mutex only */
    pthread_mutex_lock(&m->mu);
    bool v = m->cancelled;
    pthread_mutex_unlock(&m->mu);
    return v;
}

/* helm_stop_hook.attach: links the run, unless a cancel came first. */
static bool reg_attach(void *user, ext_plugin *sandbox)
{
    cancel_reg *r = user;
    wg_helm_canceller *c = r->c;
    pthread_mutex_lock(&c->mu);
    bool go = !c->cancelled;
    if (go) {
        r->sandbox = sandbox;
        r->prev = NULL;
        r->next = c->runs;
        if (c->runs) c->runs->prev = r;
        c->runs = r;
    } else {
        r->stopped = true;
    }
    pthread_mutex_unlock(&c->mu);
    return go;
}

static void reg_detach(void *user, ext_plugin *sandbox)
{
    cancel_reg *r = user;
    wg_helm_canceller *c = r->c;
    (void)sandbox;
    pthread_mutex_lock(&c->mu);
    if (r->sandbox) {
        if (r->prev) r->prev->next = r->next;
        else c->runs = r->next;
        if (r->next) r->next->prev = r->prev;
        r->sandbox = NULL;
        r->prev = r->next = NULL;
    }
    pthread_mutex_unlock(&c->mu);
}

/* Linked: whether a cancel reached this run; else whether one was made. */
static bool reg_stopped(void *user)
{
    cancel_reg *r = user;
    pthread_mutex_lock(&r->c->mu);
    bool v = r->stopped || (!r->sandbox && r->c->cancelled);
    pthread_mutex_unlock(&r->c->mu);
    return v;
}

/* ---- Learning ---------------------------------------------------------------- */

struct wg_helm_learned {
    helm_usage u;
};

wg_helm_learned *wg_helm_learned_new(wg_error *err)
{
    ext_api_err_clear(err);
    wg_helm_learned *l = calloc(1, sizeof *l);
    if (!l) ext_api_err_set(err, WG_NOMEM, HAPI_MSG_NOMEM);
    return l;
}

void wg_helm_learned_free(wg_helm_learned *l)
{
    if (!l) return;
    helm_usage_free(&l->u);
    free(l);
}

bool wg_helm_learned_ran(const wg_helm_learned *l)
{
    return l && l->u.ran;
}

char *wg_helm_learned_yaml(const wg_helm_learned *l, const wg_helm_plugin *plugin,
                           wg_error *err)
{
    ext_api_err_clear(err);
    if (!l || !plugin)
        return ext_api_err_set(err, WG_BAD_ARGUMENT, HAPI_MSG_NULL, "wg_helm_learned_yaml",
                               !l ? "learned" : "plugin"), NULL;
    if (!l->u.ran)
        return ext_api_err_set(err, WG_BAD_ARGUMENT, HAPI_MSG_NOT_RAN, or_empty(plugin->p->name)),
               NULL;
    /* learn.c writes to a stream, as for the CLI's stderr. */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return ext_api_err_set(err, WG_NOMEM, HAPI_MSG_NOMEM), NULL;
    bool ok = helm_learn_write(plugin->p, &l->u, f);
    if (fclose(f) != 0 || !ok || !buf) {
        free(buf);
        return ext_api_err_set(err, WG_NOMEM, HAPI_MSG_NOMEM), NULL;
    }
    return buf;
}

/* ---- Runs ----------------------------------------------------------------- */

void wg_helm_options_init(wg_helm_options *opts)
{
    if (!opts) return;
    memset(opts, 0, sizeof *opts);
    opts->log_level = WG_LOG_WARN;
}

/* What one run needs beyond the plugin: its options and what they own. */
typedef struct run_ctx {
    helm_run_options o;
    helm_stop_hook stop;           /* with reg, when there is a canceller */
    cancel_reg reg;
    ext_api_host *hosts;
    ext_host_fn *fns;
    size_t nhosts;
    char **env;
} run_ctx;

static void run_end(run_ctx *c)
{
    for (size_t i = 0; i < c->nhosts; i++) ext_api_host_free(&c->hosts[i]);
    free(c->hosts);
    free(c->fns);
    if (c->env) helm_strings_free(c->env);
}

static wg_status copy_hosts(run_ctx *c, const wg_helm_options *w, wg_error *err)
{
    if (!w->nhost_functions) return WG_OK;
    if (!w->host_functions)
        return ext_api_err_set(err, WG_BAD_ARGUMENT, HAPI_MSG_NULL, "wg_helm_options", "host_functions");
    c->hosts = calloc(w->nhost_functions, sizeof *c->hosts);
    c->fns = calloc(w->nhost_functions, sizeof *c->fns);
    if (!c->hosts || !c->fns) return ext_api_err_set(err, WG_NOMEM, HAPI_MSG_NOMEM);
    for (size_t i = 0; i < w->nhost_functions; i++) {
        c->nhosts++;  /* freed by run_end even when half copied */
        wg_status st = ext_api_host_copy(&w->host_functions[i], i, &c->hosts[i], &c->fns[i], err);
        if (st != WG_OK) return st;
    }
    c->o.host_fns = c->fns;
    c->o.nhost_fns = c->nhosts;
    return WG_OK;
}

/* Helm's plugin variables, HELM_PLUGINS being the set's path (as Helm
   sets it to the plugins directory it was given). */
static wg_status plugin_env(run_ctx *c, const wg_helm_plugin *plugin, wg_error *err)
{
    if (!plugin->set->path) return WG_OK;  /* run.c makes Helm's own */
    if (!(c->env = helm_plugin_env(plugin->p))) return ext_api_err_set(err, WG_NOMEM, HAPI_MSG_NOMEM);
    size_t n = 0;
    for (; c->env[n]; n++) {
        if (strncmp(c->env[n], HELM_PLUGINS_VAR, strlen(HELM_PLUGINS_VAR)) != 0) continue;
        char *v = malloc(strlen(HELM_PLUGINS_VAR) + strlen(plugin->set->path) + 1);
        if (!v) return ext_api_err_set(err, WG_NOMEM, HAPI_MSG_NOMEM);
        strcpy(v, HELM_PLUGINS_VAR);
        strcat(v, plugin->set->path);
        free(c->env[n]);
        c->env[n] = v;
    }
    c->o.env = (const char *const *)c->env;
    c->o.nenv = n;
    return WG_OK;
}

/* Checks the arguments every run shares and fills c (run_end it after,
   whatever this returns). */
static wg_status run_begin(run_ctx *c, const char *fn, const wg_helm_plugin *plugin,
                           const wg_helm_options *opts, wg_error *err)
{
    memset(c, 0, sizeof *c);
    helm_run_options_default(&c->o);
    if (!plugin) return ext_api_err_set(err, WG_BAD_ARGUMENT, HAPI_MSG_NULL, fn, "plugin");
    wg_helm_options dflt;
    if (!opts) {
        wg_helm_options_init(&dflt);
        opts = &dflt;
    }
    if ((int)opts->log_level < WG_LOG_TRACE || opts->log_level > WG_LOG_OFF)
        return ext_api_err_set(err, WG_BAD_ARGUMENT, HAPI_MSG_LOG_LEVEL, (int)opts->log_level);
    if (opts->max_pages) c->o.ceiling.max_pages = opts->max_pages;
    if (opts->max_http_response_bytes)
        c->o.ceiling.max_http_response = opts->max_http_response_bytes;
    if (opts->max_var_bytes) c->o.ceiling.max_var_bytes = opts->max_var_bytes;
    if (opts->timeout_ms) c->o.ceiling.timeout_ms = opts->timeout_ms;
    c->o.fuel = opts->fuel == 0 ? -1 : opts->fuel > INT64_MAX ? INT64_MAX : (int64_t)opts->fuel;
    /* The library never prints: without a log file, no logs. */
    c->o.log_level = opts->log_file ? (ext_log_level)opts->log_level : EXT_LOG_OFF;
    c->o.log_file = opts->log_file;
    c->o.audit_file = opts->audit_file;
    c->o.audit = opts->audit;
    c->o.audit_user = opts->audit_user;
    if (opts->canceller) {
        c->reg.c = opts->canceller;
        c->stop = (helm_stop_hook){reg_attach, reg_detach, reg_stopped, &c->reg};
        c->o.stop = &c->stop;
    }
    if (opts->learned) c->o.learn = &opts->learned->u;
    wg_status st = copy_hosts(c, opts, err);
    return st != WG_OK ? st : plugin_env(c, plugin, err);
}

wg_status wg_helm_run_cli(const wg_helm_plugin *plugin, const wg_helm_options *opts,
                          const char *const *args, size_t nargs, FILE *out, wg_error *err)
{
    ext_api_err_clear(err);
    if (!args && nargs)
        return ext_api_err_set(err, WG_BAD_ARGUMENT, HAPI_MSG_NULL, "wg_helm_run_cli", "args");
    if (!out) return ext_api_err_set(err, WG_BAD_ARGUMENT, HAPI_MSG_NULL, "wg_helm_run_cli", "out");
    run_ctx c;
    wg_status st = run_begin(&c, "wg_helm_run_cli", plugin, opts, err);
    if (st == WG_OK) {
        helm_error h = {0};
        helm_error_kind kind = helm_run_cli(plugin->p, &c.o, args, nargs, out, &h);
        st = err_from_helm(err, kind, &h);
    }
    run_end(&c);
    return st;
}

wg_status wg_helm_get(const wg_helm_plugin *plugin, const wg_helm_options *opts,
                      const char *href, const wg_helm_getter_options *getter, uint8_t **data,
                      size_t *len, wg_error *err)
{
    ext_api_err_clear(err);
    if (data) *data = NULL;
    if (len) *len = 0;
    if (!href || !data || !len)
        return ext_api_err_set(err, WG_BAD_ARGUMENT, HAPI_MSG_NULL, "wg_helm_get",
                               !href ? "href" : !data ? "data" : "len");
    helm_getter_options g;
    memset(&g, 0, sizeof g);
    if (getter) {
        g.cert_file = getter->cert_file;
        g.key_file = getter->key_file;
        g.ca_file = getter->ca_file;
        g.untar = getter->untar;
        g.insecure_skip_verify_tls = getter->insecure_skip_verify_tls;
        g.plain_http = getter->plain_http;
        g.accept_header = getter->accept_header;
        g.username = getter->username;
        g.password = getter->password;
        g.pass_credentials_all = getter->pass_credentials_all;
        g.user_agent = getter->user_agent;
        g.version = getter->version;
        g.timeout_ns = getter->timeout_ns;
    }
    g.url = href;  /* as Helm's getter options carry it */
    run_ctx c;
    wg_status st = run_begin(&c, "wg_helm_get", plugin, opts, err);
    if (st == WG_OK) {
        helm_error h = {0};
        helm_error_kind kind = helm_run_getter(plugin->p, &c.o, href, &g, data, len, &h);
        st = err_from_helm(err, kind, &h);
    }
    run_end(&c);
    return st;
}

wg_status wg_helm_post_render(const wg_helm_plugin *plugin, const wg_helm_options *opts,
                              const char *manifests, size_t len, const char *const *args,
                              size_t nargs, char **out, size_t *outlen, wg_error *err)
{
    ext_api_err_clear(err);
    if (out) *out = NULL;
    if (outlen) *outlen = 0;
    const char *which = !manifests && len ? "manifests"
                        : !args && nargs  ? "args"
                        : !out            ? "out"
                        : !outlen         ? "outlen"
                                          : NULL;
    if (which) return ext_api_err_set(err, WG_BAD_ARGUMENT, HAPI_MSG_NULL, "wg_helm_post_render", which);
    run_ctx c;
    wg_status st = run_begin(&c, "wg_helm_post_render", plugin, opts, err);
    if (st == WG_OK) {
        helm_error h = {0};
        helm_error_kind kind = helm_run_postrender(plugin->p, &c.o, manifests ? manifests : "",
                                                   len, args, nargs, out, outlen, &h);
        st = err_from_helm(err, kind, &h);
    }
    run_end(&c);
    return st;
}
