/*
 * grants.c - what a Helm plugin asks for, the record of what the user
 * approved at install, and the check at every run that a plugin asks for
 * no more than that.
 *
 * A plugin's grants are read from its plugin.yaml (runtimeConfig): hosts,
 * a temp dir, limits above wasmguard's defaults, host functions, config
 * keys.  `wasmguard plugin install` shows them and asks; what was
 * approved is written outside the plugin's directory, to
 * $XDG_CONFIG_HOME/wasmguard/grants/NAME.json (default ~/.config/...),
 * with the SHA-256 of plugin.yaml and plugin.wasm, so editing plugin.yaml
 * (or replacing it with another tool) cannot widen the plugin's access:
 * run.c refuses a plugin whose grants are not within its record, or whose
 * plugin.wasm is not the one approved.  A plugin without a record
 * (installed by Helm or by hand) runs as before.
 *
 * An update cannot swap the plugin's directory and its record in one
 * step, so it first writes a pending record approving both versions
 * (the old approval kept as "previous"), swaps, then settles the record
 * to the version that ended up in place: every run in between, or after
 * a kill, checks the version in place against its own approval.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helm/helm.h"
#include "helm/install_msg.h"

/* ---- A plugin's grants ---------------------------------------------------- */

static bool dup_list(char ***dst, size_t *ndst, char *const *src, size_t n)
{
    *dst = NULL;
    *ndst = 0;
    if (!n) return true;
    if (!(*dst = calloc(n, sizeof **dst))) return false;
    for (; *ndst < n; (*ndst)++)
        if (!((*dst)[*ndst] = strdup(src[*ndst]))) return false;
    return true;
}

static void free_list(char **s, size_t n)
{
    for (size_t i = 0; i < n; i++) free(s[i]);
    free(s);
}

void helm_grants_free(helm_grants *g)
{
    free_list(g->hosts, g->nhosts);
    free_list(g->host_functions, g->nhost_functions);
    free_list(g->config_keys, g->nconfig_keys);
    memset(g, 0, sizeof *g);
}

bool helm_grants_of(const helm_plugin *p, helm_grants *out)
{
    const helm_extism_config *c = &p->extism;
    memset(out, 0, sizeof *out);
    out->temp_dir = c->create_temp_dir;
    if (c->has_max_pages && c->max_pages > HELM_DEFAULT_MAX_PAGES) out->max_pages = c->max_pages;
    if (c->has_max_http && c->max_http_response > HELM_DEFAULT_MAX_HTTP_RESPONSE)
        out->max_http_response = c->max_http_response;
    if (c->has_max_var && c->max_var_bytes > HELM_DEFAULT_MAX_VAR_BYTES)
        out->max_var_bytes = c->max_var_bytes;
    if (c->has_timeout && c->timeout_ms > HELM_DEFAULT_TIMEOUT_MS) out->timeout_ms = c->timeout_ms;
    if (dup_list(&out->hosts, &out->nhosts, c->allowed_hosts, c->nallowed_hosts) &&
        dup_list(&out->host_functions, &out->nhost_functions, c->host_functions,
                 c->nhost_functions) &&
        dup_list(&out->config_keys, &out->nconfig_keys, c->config_keys, c->nconfig))
        return true;
    helm_grants_free(out);
    return false;
}

bool helm_grants_empty(const helm_grants *g)
{
    return !g->nhosts && !g->temp_dir && !g->max_pages && !g->max_http_response &&
           !g->max_var_bytes && !g->timeout_ms && !g->nhost_functions && !g->nconfig_keys;
}

void helm_grants_print(const helm_grants *g, const char *indent, FILE *out)
{
    for (size_t i = 0; i < g->nhosts; i++) fprintf(out, "%shost: %s\n", indent, g->hosts[i]);
    if (g->temp_dir) fprintf(out, "%stemp dir: /tmp, removed after each run\n", indent);
    if (g->max_pages)
        fprintf(out, "%smemory.maxPages: %u (%u MiB; default %u)\n", indent, g->max_pages,
                g->max_pages / 16u, HELM_DEFAULT_MAX_PAGES);
    if (g->max_http_response)
        fprintf(out, "%smemory.maxHttpResponseBytes: %llu (default %llu)\n", indent,
                (unsigned long long)g->max_http_response,
                (unsigned long long)HELM_DEFAULT_MAX_HTTP_RESPONSE);
    if (g->max_var_bytes)
        fprintf(out, "%smemory.maxVarBytes: %llu (default %llu)\n", indent,
                (unsigned long long)g->max_var_bytes, (unsigned long long)HELM_DEFAULT_MAX_VAR_BYTES);
    if (g->timeout_ms)
        fprintf(out, "%stimeout: %llu ms (default %u)\n", indent,
                (unsigned long long)g->timeout_ms, HELM_DEFAULT_TIMEOUT_MS);
    for (size_t i = 0; i < g->nhost_functions; i++)
        fprintf(out, "%shost function: %s\n", indent, g->host_functions[i]);
    for (size_t i = 0; i < g->nconfig_keys; i++)
        fprintf(out, "%sconfig key: %s\n", indent, g->config_keys[i]);
}

/* ---- The record ------------------------------------------------------------ */

static char *grants_dir(void)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    char *out = NULL;
    int n;
    if (xdg && xdg[0] == '/') n = asprintf(&out, "%s/wasmguard/grants", xdg);
    else if (home && home[0]) n = asprintf(&out, "%s/.config/wasmguard/grants", home);
    else return NULL;
    return n < 0 ? NULL : out;
}

char *helm_grants_path(const char *name)
{
    char *dir = grants_dir(), *out = NULL;
    if (dir && asprintf(&out, "%s/%s.json", dir, name) < 0) out = NULL;
    free(dir);
    return out;
}

void helm_grants_record_free(helm_grants_record *r)
{
    free(r->name);
    free(r->version);
    free(r->source);
    free(r->pending);
    helm_grants_free(&r->grants);
    if (r->previous) {
        helm_grants_record_free(r->previous);
        free(r->previous);
    }
    memset(r, 0, sizeof *r);
}

/* "sha256:<hex>" of DIR/FILE. */
static bool sha256_of(const char *dir, const char *file, char out[HELM_SHA256_LEN + 1])
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    return helm_sha256_file(path, out);
}

static json_t *json_list(char *const *s, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) json_array_append_new(a, json_string(s[i]));
    return a;
}

static json_t *grants_json(const helm_grants *g)
{
    json_t *o = json_object();
    json_object_set_new(o, "allowedHosts", json_list(g->hosts, g->nhosts));
    json_object_set_new(o, "createTempDir", json_boolean(g->temp_dir));
    json_object_set_new(o, "maxPages", json_integer(g->max_pages));
    json_object_set_new(o, "maxHttpResponseBytes", json_integer((json_int_t)g->max_http_response));
    json_object_set_new(o, "maxVarBytes", json_integer((json_int_t)g->max_var_bytes));
    json_object_set_new(o, "timeoutMs", json_integer((json_int_t)g->timeout_ms));
    json_object_set_new(o, "hostFunctions", json_list(g->host_functions, g->nhost_functions));
    json_object_set_new(o, "configKeys", json_list(g->config_keys, g->nconfig_keys));
    return o;
}

/* mkdir -p with mode, for the record's directory. */
static bool make_dirs(char *path, mode_t mode)
{
    for (char *s = path + 1; *s; s++) {
        if (*s != '/') continue;
        *s = 0;
        bool ok = mkdir(path, mode) == 0 || errno == EEXIST;
        *s = '/';
        if (!ok) return false;
    }
    return mkdir(path, mode) == 0 || errno == EEXIST;
}

int helm_grants_lock(void)
{
    char *dir = grants_dir();
    int fd = dir && make_dirs(dir, 0700) ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    free(dir);
    if (fd < 0) return -1;  /* saving the record will say why */
    int rc;
    while ((rc = flock(fd, LOCK_EX)) != 0 && errno == EINTR) {}
    if (rc != 0) {
        close(fd);  /* no flock here: commits are not serialized */
        return -1;
    }
    return fd;
}

/* A record's temporary name: ".NAME.json.XXXXXX" (helm_grants_save). */
static int is_record_tmp(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    return e->d_name[0] == '.' && n > 13 && memcmp(e->d_name + n - 12, ".json.", 6) == 0;
}

void helm_grants_sweep(void)
{
    /* helm_grants_lock would make the directory: nothing to sweep then */
    char *dir = grants_dir();
    int lock = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    int rc = -1;
    while (lock >= 0 && (rc = flock(lock, LOCK_EX)) != 0 && errno == EINTR) {}
    if (lock < 0 || rc != 0) {  /* not serialized: a write may be under way */
        if (lock >= 0) close(lock);
        free(dir);
        return;
    }
    struct dirent **names = NULL;
    int n = scandir(dir, &names, is_record_tmp, NULL);
    for (int i = 0; i < n; i++) {
        /* under the lock no record is being written: what is left of one
           is from a process killed while it wrote */
        unlinkat(lock, names[i]->d_name, 0);
        free(names[i]);
    }
    free(names);
    free(dir);
    close(lock);
}

/* The record of p approving g (its files hashed now); NULL with err set. */
static json_t *record_json(const helm_plugin *p, const helm_grants *g, const char *source,
                           wasm_error *err)
{
    char yaml[72] = "", wasm[72] = "";
    if (!sha256_of(p->dir, HELM_PLUGIN_FILE, yaml) || !sha256_of(p->dir, HELM_PLUGIN_WASM, wasm)) {
        wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_G_HASH, p->dir, strerror(errno));
        return NULL;
    }
    json_t *o = json_object();
    if (!o) {
        wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
        return NULL;
    }
    json_object_set_new(o, "name", json_string(p->name));
    json_object_set_new(o, "version", json_string(p->version ? p->version : ""));
    json_object_set_new(o, "source", json_string(source ? source : ""));
    json_object_set_new(o, "pluginYaml", json_string(yaml));
    json_object_set_new(o, "pluginWasm", json_string(wasm));
    json_object_set_new(o, "grants", grants_json(g));
    return o;
}

/* Writes o as the record of NAME, atomically: a temporary file beside
   it, synced, renamed over it. */
static wasm_status write_record(const char *name, json_t *o, wasm_error *err)
{
    char *dir = grants_dir(), *path = helm_grants_path(name), *tmp = NULL, *text = NULL;
    wasm_status st = WASM_OK;
    if (!dir || !path) {
        st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_G_PATH);
        goto done;
    }
    text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (!text || asprintf(&tmp, "%s/.%s.json.XXXXXX", dir, name) < 0) {
        tmp = NULL;
        st = wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
        goto done;
    }
    int fd = make_dirs(dir, 0700) ? mkstemp(tmp) : -1;
    if (fd < 0) {
        st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_G_WRITE, dir, strerror(errno));
        goto done;
    }
    FILE *f = fdopen(fd, "w");
    bool ok = f && fputs(text, f) >= 0 && fputc('\n', f) != EOF && fflush(f) == 0 &&
              fsync(fd) == 0;
    int e = errno;
    if (f) fclose(f);
    else close(fd);
    if (!ok || rename(tmp, path) != 0) {
        if (ok) e = errno;
        unlink(tmp);
        st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_G_WRITE, path, strerror(e));
    }
done:
    free(text);
    free(tmp);
    free(path);
    free(dir);
    return st;
}

wasm_status helm_grants_save(const helm_plugin *p, const helm_grants *g, const char *source,
                             wasm_error *err)
{
    json_t *o = record_json(p, g, source, err);
    if (!o) return err ? err->status : WASM_HOST_ERROR;
    wasm_status st = write_record(p->name, o, err);
    json_decref(o);
    return st;
}

/* The record of NAME as JSON: WASM_OK with *out NULL when there is none. */
static wasm_status load_json(const char *name, json_t **out, wasm_error *err)
{
    *out = NULL;
    char *path = helm_grants_path(name);
    if (!path) return WASM_OK;  /* no HOME: no record can exist */
    struct stat sb;
    wasm_status st = WASM_OK;
    if (stat(path, &sb) == 0 || errno != ENOENT) {
        json_error_t je;
        if (!(*out = json_load_file(path, 0, &je)) || !json_is_object(*out)) {
            json_decref(*out);
            *out = NULL;
            st = wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_G_BAD, path,
                                je.text[0] ? je.text : "not a JSON object");
        }
    }
    free(path);
    return st;
}

wasm_status helm_grants_save_pending(const helm_plugin *p, const helm_grants *g,
                                     const char *source, const helm_plugin *old,
                                     const char *tag, wasm_error *err)
{
    json_t *cur = NULL, *prev = NULL, *o = NULL;
    wasm_status st = load_json(p->name, &cur, err);
    if (st != WASM_OK) return st;
    if (cur) {
        /* its own approval, whatever an earlier update left pending */
        prev = json_deep_copy(cur);
        if (prev) {
            json_object_del(prev, "previous");
            json_object_del(prev, "pending");
            json_object_set_new(prev, "recorded", json_true());
        }
    } else {
        /* no record: the old version ran as it asked, so that is its approval */
        helm_grants og;
        wasm_error lerr;
        wasm_error_clear(&lerr);
        bool have = old && helm_grants_of(old, &og);
        prev = have ? record_json(old, &og, "", &lerr) : NULL;
        if (have) helm_grants_free(&og);
        if (!prev) prev = json_object();
        if (prev) json_object_set_new(prev, "recorded", json_false());
    }
    if (!prev) {
        st = wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
    } else if ((o = record_json(p, g, source, err)) != NULL) {
        json_object_set(o, "previous", prev);
        json_object_set_new(o, "pending", json_string(tag));
        st = write_record(p->name, o, err);
    } else {
        st = err ? err->status : WASM_HOST_ERROR;
    }
    json_decref(o);
    json_decref(prev);
    json_decref(cur);
    return st;
}

wasm_status helm_grants_settle(const char *name, const char *tag, bool committed,
                               wasm_error *err)
{
    json_t *o = NULL;
    wasm_status st = load_json(name, &o, err);
    if (st != WASM_OK || !o) return st;
    const char *pending = json_string_value(json_object_get(o, "pending"));
    json_t *prev = json_object_get(o, "previous");
    if (!pending || strcmp(pending, tag) != 0) {
        /* not this update's: someone else's record now */
    } else if (committed || !json_is_object(prev)) {
        json_object_del(o, "previous");
        json_object_del(o, "pending");
        st = write_record(name, o, err);
    } else if (json_is_true(json_object_get(prev, "recorded"))) {
        json_object_del(prev, "recorded");
        st = write_record(name, prev, err);
    } else {
        char *path = helm_grants_path(name);
        if (path && unlink(path) != 0 && errno != ENOENT)
            st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_G_WRITE, path, strerror(errno));
        free(path);
    }
    json_decref(o);
    return st;
}

/* A JSON array of strings into a list; false when it is not one. */
static bool list_of(json_t *a, char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!json_is_array(a)) return false;
    size_t len = json_array_size(a);
    if (len && !(*out = calloc(len, sizeof **out))) return false;
    for (; *n < len; (*n)++) {
        const char *s = json_string_value(json_array_get(a, *n));
        if (!s || !((*out)[*n] = strdup(s))) return false;
    }
    return true;
}

static bool uint_of(json_t *v, uint64_t *out)
{
    if (!json_is_integer(v) || json_integer_value(v) < 0) return false;
    *out = (uint64_t)json_integer_value(v);
    return true;
}

static bool grants_from(json_t *o, helm_grants *g)
{
    uint64_t pages = 0;
    json_t *tmp = json_object_get(o, "createTempDir");
    bool ok = json_is_object(o) && json_is_boolean(tmp) &&
              list_of(json_object_get(o, "allowedHosts"), &g->hosts, &g->nhosts) &&
              list_of(json_object_get(o, "hostFunctions"), &g->host_functions,
                      &g->nhost_functions) &&
              list_of(json_object_get(o, "configKeys"), &g->config_keys, &g->nconfig_keys) &&
              uint_of(json_object_get(o, "maxPages"), &pages) && pages <= UINT32_MAX &&
              uint_of(json_object_get(o, "maxHttpResponseBytes"), &g->max_http_response) &&
              uint_of(json_object_get(o, "maxVarBytes"), &g->max_var_bytes) &&
              uint_of(json_object_get(o, "timeoutMs"), &g->timeout_ms);
    g->temp_dir = json_is_true(tmp);
    g->max_pages = (uint32_t)pages;
    return ok;
}

static char *dup_member(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return strdup(s ? s : "");
}

/* One approval of a record (the record itself, or its "previous"). */
static bool record_from(json_t *o, helm_grants_record *out, bool need_grants)
{
    json_t *g = json_object_get(o, "grants");
    if (g || need_grants) {
        if (!grants_from(g, &out->grants)) return false;
    }
    const char *yaml = json_string_value(json_object_get(o, "pluginYaml"));
    const char *wasm = json_string_value(json_object_get(o, "pluginWasm"));
    snprintf(out->plugin_yaml_sha256, sizeof out->plugin_yaml_sha256, "%s", yaml ? yaml : "");
    snprintf(out->plugin_wasm_sha256, sizeof out->plugin_wasm_sha256, "%s", wasm ? wasm : "");
    out->name = dup_member(o, "name");
    out->version = dup_member(o, "version");
    out->source = dup_member(o, "source");
    out->recorded = !json_is_false(json_object_get(o, "recorded"));
    return true;
}

wasm_status helm_grants_load(const char *name, helm_grants_record *out, bool *found,
                             wasm_error *err)
{
    memset(out, 0, sizeof *out);
    *found = false;
    json_t *o = NULL;
    wasm_status st = load_json(name, &o, err);
    if (st != WASM_OK) {
        *found = true;
        return st;
    }
    if (!o) return WASM_OK;
    *found = true;
    char *path = helm_grants_path(name);
    json_t *prev = json_object_get(o, "previous");
    const char *pending = json_string_value(json_object_get(o, "pending"));
    if (!record_from(o, out, true)) {
        st = wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_G_BAD, path ? path : name,
                            "\"grants\" malformed");
    } else if (prev && (!json_is_object(prev) ||
                        !(out->previous = calloc(1, sizeof *out->previous)) ||
                        !record_from(prev, out->previous, false))) {
        st = wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_G_BAD, path ? path : name,
                            "\"previous\" malformed");
    } else if (!out->name || !out->version || !out->source ||
               (pending && !(out->pending = strdup(pending))) ||
               (out->previous && (!out->previous->name || !out->previous->version ||
                                  !out->previous->source))) {
        st = wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
    }
    json_decref(o);
    free(path);
    if (st != WASM_OK) helm_grants_record_free(out);
    return st;
}

/* ---- The check at run -------------------------------------------------------- */

static bool listed(char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], s) == 0) return true;
    return false;
}

/* Appends one extra grant to buf ("a, b"). */
static void add_extra(char *buf, size_t size, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void add_extra(char *buf, size_t size, size_t *n, const char *fmt, ...)
{
    size_t len = strlen(buf);
    if (len + 3 >= size) return;
    if ((*n)++) len += (size_t)snprintf(buf + len, size - len, ", ");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + len, size - len, fmt, ap);
    va_end(ap);
}

size_t helm_grants_extra(const helm_grants *asked, const helm_grants *ok, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = 0;
    for (size_t i = 0; i < asked->nhosts; i++)
        if (!listed(ok->hosts, ok->nhosts, asked->hosts[i]))
            add_extra(buf, size, &n, "host %s", asked->hosts[i]);
    if (asked->temp_dir && !ok->temp_dir) add_extra(buf, size, &n, "a temp dir");
    if (asked->max_pages > ok->max_pages)
        add_extra(buf, size, &n, "memory.maxPages %u", asked->max_pages);
    if (asked->max_http_response > ok->max_http_response)
        add_extra(buf, size, &n, "memory.maxHttpResponseBytes %llu",
                  (unsigned long long)asked->max_http_response);
    if (asked->max_var_bytes > ok->max_var_bytes)
        add_extra(buf, size, &n, "memory.maxVarBytes %llu",
                  (unsigned long long)asked->max_var_bytes);
    if (asked->timeout_ms > ok->timeout_ms)
        add_extra(buf, size, &n, "timeout %llu ms", (unsigned long long)asked->timeout_ms);
    for (size_t i = 0; i < asked->nhost_functions; i++)
        if (!listed(ok->host_functions, ok->nhost_functions, asked->host_functions[i]))
            add_extra(buf, size, &n, "host function %s", asked->host_functions[i]);
    for (size_t i = 0; i < asked->nconfig_keys; i++)
        if (!listed(ok->config_keys, ok->nconfig_keys, asked->config_keys[i]))
            add_extra(buf, size, &n, "config key %s", asked->config_keys[i]);
    return n;
}

wasm_status helm_grants_check(const helm_plugin *p, const uint8_t *bytes, size_t len,
                              int read_errno, wasm_error *err)
{
    helm_grants_record rec;
    bool found = false;
    wasm_status st = helm_grants_load(p->name, &rec, &found, err);
    if (st != WASM_OK || !found) return st;
    /* The module approved: a new one would run with grants approved for
       another (plugin.yaml is held to the grants below instead). */
    char wasm[HELM_SHA256_LEN + 1];
    if (!bytes || !helm_sha256_bytes(bytes, len, wasm)) {
        int e = bytes ? EIO : read_errno;
        helm_grants_record_free(&rec);
        if (e == ENOENT) return WASM_OK;  /* nothing to run: loading it says so */
        return wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_G_HASH, p->dir, strerror(e));
    }
    helm_grants asked;
    if (!helm_grants_of(p, &asked)) {
        helm_grants_record_free(&rec);
        return wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
    }
    /* While an update is pending, the version in place is either one. */
    const helm_grants_record *approvals[2] = {&rec, rec.previous};
    char extra[WASM_ERROR_MESSAGE_MAX] = "";
    bool matched = false, within = false;
    for (size_t i = 0; i < 2 && !within; i++) {
        const helm_grants_record *a = approvals[i];
        if (!a || strcmp(a->plugin_wasm_sha256, wasm) != 0) continue;
        char buf[WASM_ERROR_MESSAGE_MAX];
        within = !helm_grants_extra(&asked, &a->grants, buf, sizeof buf);
        if (!matched) memcpy(extra, buf, sizeof extra);
        matched = true;
    }
    if (!matched)
        st = wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_G_WASM, p->dir, HELM_PLUGIN_WASM,
                            p->name);
    else if (!within)
        st = wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_G_EXTRA, extra, p->name);
    helm_grants_free(&asked);
    helm_grants_record_free(&rec);
    return st;
}
