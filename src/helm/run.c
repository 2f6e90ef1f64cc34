/*
 * run.c - one invocation of an extism/v1 Helm plugin in a fresh sandbox.
 *
 * What Helm 4 does in internal/plugin/runtime_extismv1.go (Invoke,
 * buildManifest, buildPluginConfig, buildHostFunctions), with its gaps
 * closed: the module is DIR/plugin.wasm; runtimeConfig becomes the
 * sandbox's policy (memory.maxPages, memory.maxHttpResponseBytes,
 * memory.maxVarBytes, config, allowedHosts - absent means none,
 * fileSystem.createTempDir, timeout, hostFunctions, entryFuncName), each
 * limit bounded by the user's ceiling and defaulted where Helm has no
 * default (helm.h); WASI is always linked, as Helm does, but the guest's
 * environment is Helm's plugin variables only, never the host's.
 *
 * Every grant of the sandbox is written to the audit trail when it is
 * made (kind "grant", or "host_function"), and every decision the guard
 * takes while the plugin runs after it.  A failure becomes one line
 * "plugin NAME: cause" and a kind (helm_error_kind) the CLI maps to an
 * exit code.  The sandbox - store, WASI context, temp dir, guard - is
 * freed before helm_plugin_invoke returns, however the call ended.
 * Another thread may stop an invocation through helm_run_options.stop
 * (helm_stop_hook): the sandbox is attached to it while it lives, and a
 * stopped invocation fails as HELM_ERR_CANCELLED, "cancelled".
 *
 * A plugin installed by `wasmguard plugin install` has a record of the
 * grants the user approved (grants.c); one asking for more is refused
 * before any sandbox is made (HELM_ERR_REFUSED, naming the extra grants).
 */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "helm/helm.h"
#include "helm/hugepages.h"
#include "helm/learn.h"
#include "helm/run_msg.h"

#define EXTISM_RUNTIME "extism/v1"
#define PAGE_MIB(pages) ((unsigned)((pages) / 16u))

void helm_run_options_default(helm_run_options *o)
{
    memset(o, 0, sizeof *o);
    o->ceiling.max_pages = HELM_DEFAULT_MAX_PAGES;
    o->ceiling.max_http_response = HELM_DEFAULT_MAX_HTTP_RESPONSE;
    o->ceiling.max_var_bytes = HELM_DEFAULT_MAX_VAR_BYTES;
    o->ceiling.timeout_ms = HELM_DEFAULT_TIMEOUT_MS;
    o->log_level = EXT_LOG_WARN;
    o->fuel = -1;
}

helm_error_kind helm_run_fail(helm_error *err, const helm_plugin *p, helm_error_kind kind,
                            const char *fmt, ...)
{
    if (!err || err->kind != HELM_ERR_NONE) return kind;
    err->kind = kind;
    int n = snprintf(err->message, sizeof err->message, HELM_MSG_PREFIX,
                     p && p->name ? p->name : "?");
    if (n < 0 || (size_t)n >= sizeof err->message) n = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message + n, sizeof err->message - (size_t)n, fmt, ap);
    va_end(ap);
    /* One line, whatever the plugin wrote. */
    for (char *c = err->message; *c; c++)
        if (*c == '\n' || *c == '\r') *c = ' ';
    return kind;
}

/* ---- One invocation's state ---------------------------------------------- */

typedef struct invocation {
    const helm_plugin *p;
    const helm_run_options *o;
    guard *g;
    bool memory_hit;         /* the runtime recorded the memory limit */
    uint32_t max_pages;      /* the effective limits */
    uint64_t max_http, max_var, timeout_ms;
} invocation;

/* Plugin logs: "NAME: [level] message" on the log file. */
static void log_line(void *user, ext_log_level level, const char *msg, size_t len)
{
    const invocation *inv = user;
    FILE *f = inv->o->log_file ? inv->o->log_file : stderr;
    fprintf(f, "%s: [%s] ", inv->p->name, ext_log_level_name(level));
    fwrite(msg, 1, len, f);
    fputc('\n', f);
    fflush(f);
}

/* Every audit event passes here: a limit event of the memory kind tells
   a memory cap from other traps; then the embedder's callback. */
static void audit_event(void *user, const char *line)
{
    invocation *inv = user;
    json_t *ev = json_loads(line, 0, NULL);
    const char *kind = json_string_value(json_object_get(ev, "kind"));
    const char *what = json_string_value(json_object_get(ev, "what"));
    if (kind && what && strcmp(kind, "limit") == 0) {
        size_t n = strlen(what);
        if (n >= 8 && strcmp(what + n - 8, ": memory") == 0) inv->memory_hit = true;
    }
    if (inv->o->learn && kind && what && strcmp(kind, "http") == 0)
        helm_learn_note_http(inv->o->learn, what, json_is_true(json_object_get(ev, "allowed")));
    json_decref(ev);
    if (inv->o->audit) inv->o->audit(inv->o->audit_user, line);
}

/* One limit: the plugin's value when it set one (a lower one wins; a
   higher one gets the ceiling), else the default, never over the
   ceiling.  Recorded as a grant. */
static uint64_t limit(invocation *inv, const char *key, bool set, uint64_t asked, uint64_t dflt,
                      uint64_t ceiling, const char *flag)
{
    uint64_t v = set ? asked : dflt;
    char what[160], rule[GUARD_RULE_MAX];
    if (ceiling && v > ceiling) {
        snprintf(rule, sizeof rule, "%s %llu is over the ceiling; raise it with %s",
                 set ? "plugin.yaml asked for" : "the default", (unsigned long long)v, flag);
        v = ceiling;
    } else {
        snprintf(rule, sizeof rule, "%s", set ? "plugin.yaml runtimeConfig" : "wasmguard default");
    }
    snprintf(what, sizeof what, "%s: %llu", key, (unsigned long long)v);
    guard_record(inv->g, inv->p->name, "grant", what, true, rule);
    return v;
}

static void effective_limits(invocation *inv)
{
    const helm_extism_config *c = &inv->p->extism;
    const helm_limits *ceil = &inv->o->ceiling;
    /* maxPages 0 and timeout 0 mean "unset" in Helm (Go zero values);
       HTTP and var caps of 0 are kept: a plugin may switch them off. */
    inv->max_pages = (uint32_t)limit(inv, "memory.maxPages", c->has_max_pages && c->max_pages,
                                     c->max_pages, HELM_DEFAULT_MAX_PAGES, ceil->max_pages,
                                     "--memory-max");
    inv->max_http = limit(inv, "memory.maxHttpResponseBytes", c->has_max_http,
                          c->max_http_response, HELM_DEFAULT_MAX_HTTP_RESPONSE,
                          ceil->max_http_response, "--http-response-max");
    inv->max_var = limit(inv, "memory.maxVarBytes", c->has_max_var, c->max_var_bytes,
                         HELM_DEFAULT_MAX_VAR_BYTES, ceil->max_var_bytes, "--var-max");
    inv->timeout_ms = limit(inv, "timeout", c->has_timeout && c->timeout_ms, c->timeout_ms,
                            HELM_DEFAULT_TIMEOUT_MS, ceil->timeout_ms, "--timeout");
}

/* The other grants, for the record: hosts, temp dir, config keys. */
static void record_grants(invocation *inv)
{
    const helm_extism_config *c = &inv->p->extism;
    char what[512];
    size_t n = (size_t)snprintf(what, sizeof what, "allowedHosts:");
    for (size_t i = 0; i < c->nallowed_hosts && n < sizeof what; i++)
        n += (size_t)snprintf(what + n, sizeof what - n, " %s", c->allowed_hosts[i]);
    if (!c->nallowed_hosts) snprintf(what + n, sizeof what - n, " none");
    guard_record(inv->g, inv->p->name, "grant", what, c->nallowed_hosts > 0, "plugin.yaml runtimeConfig");
    guard_record(inv->g, inv->p->name, "grant", "fileSystem.createTempDir: /tmp", c->create_temp_dir,
                 c->create_temp_dir ? "plugin.yaml runtimeConfig" : "not asked for");
    guard_record(inv->g, inv->p->name, "grant", "environment: Helm's plugin variables only", true,
                 "wasmguard: the host environment is never passed");
}

/* The registered host functions that hostFunctions names; an unknown
   name fails the load.  *out is malloc'd (may be NULL when none). */
static helm_error_kind pick_host_fns(invocation *inv, ext_host_fn **out, size_t *nout,
                                     helm_error *err)
{
    const helm_extism_config *c = &inv->p->extism;
    *out = NULL;
    *nout = 0;
    if (!c->nhost_functions) return HELM_ERR_NONE;
    ext_host_fn *fns = calloc(c->nhost_functions, sizeof *fns);
    if (!fns) return helm_run_fail(err, inv->p, HELM_ERR_HOST, HELM_MSG_NOMEM);
    for (size_t i = 0; i < c->nhost_functions; i++) {
        const char *name = c->host_functions[i];
        const ext_host_fn *found = NULL;
        for (size_t h = 0; h < inv->o->nhost_fns && !found; h++)
            if (inv->o->host_fns[h].name && strcmp(inv->o->host_fns[h].name, name) == 0)
                found = &inv->o->host_fns[h];
        guard_record(inv->g, inv->p->name, "host_function", name, found != NULL,
                     found ? "hostFunctions" : "not registered by this program");
        if (!found) {
            free(fns);
            return helm_run_fail(err, inv->p, HELM_ERR_LOAD, HELM_MSG_HOST_FN, name);
        }
        fns[(*nout)++] = *found;
    }
    *out = fns;
    return HELM_ERR_NONE;
}

/* ---- Loading -------------------------------------------------------------- */

static char *path_join(const char *dir, const char *file)
{
    size_t n = strlen(dir) + strlen(file) + 2;
    char *s = malloc(n);
    if (s) snprintf(s, n, "%s/%s", dir, file);
    return s;
}

static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap) break;
        uint8_t *more = realloc(buf, cap * 2);
        if (!more) { free(buf); buf = NULL; errno = ENOMEM; break; }
        buf = more;
        cap *= 2;
    }
    if (buf && ferror(f)) { free(buf); buf = NULL; }
    int saved = errno;
    fclose(f);
    errno = saved;
    *len = n;
    return buf;
}

/* The module of DIR/plugin.wasm (path) from its bytes (NULL: the read
   failed, read_errno saying why); NULL reported when it does not
   compile. */
static wasm_module *load_module(const helm_plugin *p, const char *path, const uint8_t *bytes,
                                size_t len, int read_errno, helm_error *err)
{
    if (!bytes) {
        helm_run_fail(err, p, HELM_ERR_LOAD, HELM_MSG_NO_WASM, path, strerror(read_errno));
        return NULL;
    }
    wasm_error werr;
    wasm_error_clear(&werr);
    wasm_module *m = wasm_module_new(bytes, len, &werr);
    if (!m) helm_run_fail(err, p, HELM_ERR_LOAD, HELM_MSG_BAD_WASM, path, werr.message);
    return m;
}

/* ---- Failures ------------------------------------------------------------- */

/* True when the stop hook stopped the invocation. */
static bool stopped(const invocation *inv)
{
    const helm_stop_hook *h = inv->o->stop;
    return h && h->stopped && h->stopped(h->user);
}

/* True when msg is the runtime's own wording for a bare non-zero code, so
   the plugin set no message of its own (the runtime has no flag for it). */
static bool bare_code(const char *msg, int32_t rc)
{
    char a[64], b[64];
    snprintf(a, sizeof a, "plugin returned %d", rc);
    snprintf(b, sizeof b, "plugin exited with code %d", rc);
    return strcmp(msg, a) == 0 || strcmp(msg, b) == 0;
}

static helm_error_kind call_failed(const invocation *inv, wasm_status st, const wasm_error *we,
                                   int32_t rc, helm_error *err)
{
    const helm_plugin *p = inv->p;
    const char *msg = we->message[0] ? we->message : wasm_status_name(st);
    /* Whatever a stop made of the call (an interrupt, a failed request). */
    if (stopped(inv)) return helm_run_fail(err, p, HELM_ERR_CANCELLED, HELM_MSG_CANCELLED);
    if (st == WASM_INTERRUPTED)
        return helm_run_fail(err, p, HELM_ERR_TIMEOUT, HELM_MSG_TIMEOUT, (unsigned long long)inv->timeout_ms);
    if (inv->memory_hit)
        return helm_run_fail(err, p, HELM_ERR_MEMORY, HELM_MSG_MEMORY, inv->max_pages,
                    PAGE_MIB(inv->max_pages), msg);
    switch (st) {
    case WASM_TRAP:
        return helm_run_fail(err, p, HELM_ERR_TRAP, HELM_MSG_TRAP, msg);
    case WASM_FUEL_EXHAUSTED:
    case WASM_LIMIT:
    case WASM_NOMEM:
        return helm_run_fail(err, p, HELM_ERR_LIMIT, "%s", msg);
    case WASM_HOST_ERROR:
    case WASM_EXIT:
        if (rc != 0 && bare_code(we->message, rc)) {
            if (err && err->kind == HELM_ERR_NONE) err->code = rc;
            return helm_run_fail(err, p, HELM_ERR_EXIT, HELM_MSG_EXITED, rc);
        }
        return helm_run_fail(err, p, HELM_ERR_PLUGIN, "%s", msg);
    default:
        return helm_run_fail(err, p, HELM_ERR_HOST, "%s", msg);
    }
}

/* ext_plugin_new failed: a memory over the cap, a link error, ... */
static helm_error_kind load_failed(const invocation *inv, const wasm_error *we, helm_error *err)
{
    const char *msg = we->message[0] ? we->message : wasm_status_name(we->status);
    if (stopped(inv)) return helm_run_fail(err, inv->p, HELM_ERR_CANCELLED, HELM_MSG_CANCELLED);
    switch (we->status) {
    case WASM_LIMIT:
        return helm_run_fail(err, inv->p, HELM_ERR_MEMORY, HELM_MSG_MEMORY_LOAD, inv->max_pages,
                    PAGE_MIB(inv->max_pages), msg);
    case WASM_INTERRUPTED:
        return helm_run_fail(err, inv->p, HELM_ERR_TIMEOUT, HELM_MSG_TIMEOUT,
                    (unsigned long long)inv->timeout_ms);
    case WASM_TRAP:
        return helm_run_fail(err, inv->p, HELM_ERR_TRAP, HELM_MSG_TRAP, msg);
    case WASM_NOMEM:
        return helm_run_fail(err, inv->p, HELM_ERR_HOST, "%s", msg);
    default:
        return helm_run_fail(err, inv->p, HELM_ERR_LOAD, "%s", msg);
    }
}

/* ---- The invocation ------------------------------------------------------- */

static void manifest_of(const invocation *inv, ext_manifest *m, ext_wasm_source *src)
{
    const helm_extism_config *c = &inv->p->extism;
    memset(m, 0, sizeof *m);
    memset(src, 0, sizeof *src);
    m->wasm = src;
    m->nwasm = 1;
    m->has_max_pages = m->has_max_http = m->has_max_var = m->has_timeout = true;
    m->max_pages = inv->max_pages;
    m->max_http_response_bytes = inv->max_http;
    m->max_var_bytes = inv->max_var;
    m->timeout_ms = inv->timeout_ms;
    m->config_keys = c->config_keys;
    m->config_values = c->config_values;
    m->nconfig = c->nconfig;
    m->allowed_hosts = c->allowed_hosts;
    m->nallowed_hosts = c->nallowed_hosts;
}

/* Runs the entry function on a loaded module; the sandbox lives only here. */
static helm_error_kind run_sandbox(invocation *inv, const wasm_module *mod, const char *input,
                                   size_t input_len, bool inherit, char **output,
                                   size_t *output_len, helm_error *err)
{
    const helm_plugin *p = inv->p;
    ext_host_fn *fns = NULL;
    size_t nfns = 0;
    char **own_env = NULL;
    ext_plugin *plugin = NULL;
    const helm_stop_hook *hook = inv->o->stop;
    bool attached = false;
    uint64_t t0 = 0;
    helm_error_kind kind = pick_host_fns(inv, &fns, &nfns, err);
    if (kind != HELM_ERR_NONE) goto done;

    ext_options eo;
    ext_options_default(&eo);
    eo.name = p->name;
    eo.wasi = true;
    eo.stdin_mode = inherit ? WASI_STDIO_INHERIT : WASI_STDIO_CLOSED;
    eo.stdout_mode = inherit ? WASI_STDIO_INHERIT : WASI_STDIO_CLOSED;
    eo.stderr_mode = WASI_STDIO_INHERIT;
    if (inv->o->env) {
        eo.env = inv->o->env;
        eo.nenv = inv->o->nenv;
    } else {
        if (!(own_env = helm_plugin_env(p))) {
            kind = helm_run_fail(err, p, HELM_ERR_HOST, HELM_MSG_NOMEM);
            goto done;
        }
        while (own_env[eo.nenv]) eo.nenv++;
        eo.env = (const char *const *)own_env;
    }
    eo.tmp_dir = p->extism.create_temp_dir;
    eo.fuel = inv->o->fuel;
    eo.max_pages_cap = inv->max_pages;
    eo.log_level = inv->o->log_level;
    eo.log = log_line;
    eo.log_user = inv;
    eo.guard = inv->g;
    eo.host_fns = fns;
    eo.nhost_fns = nfns;

    ext_manifest m;
    ext_wasm_source src;
    manifest_of(inv, &m, &src);
    const wasm_module *mods[1] = {mod};
    wasm_error we;
    wasm_error_clear(&we);
    t0 = helm_learn_now_ns();
    if (!(plugin = ext_plugin_new(mods, &m, &eo, &we))) {
        kind = load_failed(inv, &we, err);
        goto done;
    }
    /* From here another thread may stop it; detached before it is freed. */
    if (hook && hook->attach) {
        if (!hook->attach(hook->user, plugin)) {
            kind = helm_run_fail(err, p, HELM_ERR_CANCELLED, HELM_MSG_CANCELLED);
            goto done;
        }
        attached = true;
    }
    const char *entry = p->extism.entry_func && p->extism.entry_func[0] ? p->extism.entry_func
                                                                          : HELM_DEFAULT_ENTRY;
    if (!ext_plugin_has_function(plugin, entry)) {
        kind = helm_run_fail(err, p, HELM_ERR_LOAD, HELM_MSG_NO_ENTRY, entry);
        goto done;
    }
    if (inherit) fflush(stdout);  /* ours first, then the guest's */
    wasm_status st = ext_plugin_call(plugin, entry, (const uint8_t *)input, input_len, &we);
    if (st != WASM_OK) {
        kind = call_failed(inv, st, &we, ext_plugin_rc(plugin), err);
        goto done;
    }
    size_t len = 0;
    const uint8_t *out = ext_plugin_output(plugin, &len);
    char *copy = malloc(len + 1);
    helm_hugepages(copy, len + 1);
    if (!copy) {
        kind = helm_run_fail(err, p, HELM_ERR_HOST, HELM_MSG_NOMEM);
        goto done;
    }
    if (len) memcpy(copy, out, len);
    copy[len] = 0;
    *output = copy;
    *output_len = len;
done:
    if (plugin && inv->o->learn)
        helm_learn_collect(inv->o->learn, ext_plugin_usage(plugin), kind,
                           helm_learn_now_ns() - t0);
    if (attached && hook->detach) hook->detach(hook->user, plugin);
    ext_plugin_free(plugin);  /* removes the temp dir */
    if (own_env) helm_strings_free(own_env);
    free(fns);
    return kind;
}

helm_error_kind helm_plugin_invoke(const helm_plugin *p, const helm_run_options *o,
                                   const char *input, size_t input_len, bool stdio_inherit,
                                   char **output, size_t *output_len, helm_error *err)
{
    *output = NULL;
    *output_len = 0;
    helm_run_options dflt;
    if (!o) {
        helm_run_options_default(&dflt);
        o = &dflt;
    }
    if (!p->runtime || strcmp(p->runtime, EXTISM_RUNTIME) != 0)
        return helm_run_fail(err, p, HELM_ERR_REFUSED, HELM_MSG_SUBPROCESS,
                    p->runtime ? p->runtime : "subprocess");
    invocation inv = {.p = p, .o = o};
    /* Stopped before it began: not even the module is read. */
    if (stopped(&inv)) return helm_run_fail(err, p, HELM_ERR_CANCELLED, HELM_MSG_CANCELLED);
    inv.g = guard_new((const char *const *)p->extism.allowed_hosts, p->extism.nallowed_hosts,
                      o->audit_file, audit_event, &inv);
    if (!inv.g) return helm_run_fail(err, p, HELM_ERR_HOST, HELM_MSG_NOMEM);
    /* Installed with consent (grants.c): it may ask for no more than
       was approved, whatever its plugin.yaml says now.  A refusal is a
       denial like any other, so it goes to the audit trail too. */
    /* plugin.wasm is read once: the bytes whose hash the check approves
       are the bytes compiled, not a file that could be swapped between
       a check and a second read. */
    char *path = path_join(p->dir, HELM_PLUGIN_WASM);
    if (!path) {
        guard_free(inv.g);
        return helm_run_fail(err, p, HELM_ERR_HOST, HELM_MSG_NOMEM);
    }
    size_t wasm_len = 0;
    uint8_t *wasm = read_all(path, &wasm_len);
    int read_errno = errno;
    wasm_error gerr;
    wasm_error_clear(&gerr);
    if (helm_grants_check(p, wasm, wasm_len, read_errno, &gerr) != WASM_OK) {
        guard_record(inv.g, p->name, "grant", gerr.message, false, "grants approved at install");
        guard_free(inv.g);
        free(wasm);
        free(path);
        return helm_run_fail(err, p, gerr.status == WASM_BAD_ARGUMENT ? HELM_ERR_REFUSED
                                                                      : HELM_ERR_HOST,
                             "%s", gerr.message);
    }
    effective_limits(&inv);
    record_grants(&inv);
    helm_error_kind kind = HELM_ERR_LOAD;
    wasm_module *mod = load_module(p, path, wasm, wasm_len, read_errno, err);
    free(wasm);
    free(path);
    if (mod) {
        kind = run_sandbox(&inv, mod, input, input_len, stdio_inherit, output, output_len, err);
        wasm_module_free(mod);
    }
    guard_free(inv.g);
    return kind;
}
