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
 * run.c refuses a plugin whose grants are not within its record.  A
 * plugin without a record (installed by Helm or by hand) runs as before.
 */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
    helm_grants_free(&r->grants);
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

wasm_status helm_grants_save(const helm_plugin *p, const helm_grants *g, const char *source,
                             wasm_error *err)
{
    char yaml[72] = "", wasm[72] = "";
    if (!sha256_of(p->dir, HELM_PLUGIN_FILE, yaml) || !sha256_of(p->dir, HELM_PLUGIN_WASM, wasm))
        return wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_G_HASH, p->dir, strerror(errno));
    char *dir = grants_dir(), *path = helm_grants_path(p->name), *tmp = NULL, *text = NULL;
    wasm_status st = WASM_OK;
    json_t *o = json_object();
    if (!dir || !path || !o) {
        st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_G_PATH);
        goto done;
    }
    json_object_set_new(o, "name", json_string(p->name));
    json_object_set_new(o, "version", json_string(p->version ? p->version : ""));
    json_object_set_new(o, "source", json_string(source ? source : ""));
    json_object_set_new(o, "pluginYaml", json_string(yaml));
    json_object_set_new(o, "pluginWasm", json_string(wasm));
    json_object_set_new(o, "grants", grants_json(g));
    text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (!text || asprintf(&tmp, "%s/.%s.json.XXXXXX", dir, p->name) < 0) {
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
    json_decref(o);
    free(text);
    free(tmp);
    free(path);
    free(dir);
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

wasm_status helm_grants_load(const char *name, helm_grants_record *out, bool *found,
                             wasm_error *err)
{
    memset(out, 0, sizeof *out);
    *found = false;
    char *path = helm_grants_path(name);
    if (!path) return WASM_OK;  /* no HOME: no record can exist */
    struct stat sb;
    if (stat(path, &sb) != 0 && errno == ENOENT) {
        free(path);
        return WASM_OK;
    }
    *found = true;
    json_error_t je;
    json_t *o = json_load_file(path, 0, &je);
    wasm_status st = WASM_OK;
    if (!o) {
        st = wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_G_BAD, path, je.text);
    } else if (!grants_from(json_object_get(o, "grants"), &out->grants)) {
        st = wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_G_BAD, path, "\"grants\" malformed");
    } else {
        out->name = dup_member(o, "name");
        out->version = dup_member(o, "version");
        out->source = dup_member(o, "source");
        const char *yaml = json_string_value(json_object_get(o, "pluginYaml"));
        const char *wasm = json_string_value(json_object_get(o, "pluginWasm"));
        snprintf(out->plugin_yaml_sha256, sizeof out->plugin_yaml_sha256, "%s", yaml ? yaml : "");
        snprintf(out->plugin_wasm_sha256, sizeof out->plugin_wasm_sha256, "%s", wasm ? wasm : "");
        if (!out->name || !out->version || !out->source)
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

wasm_status helm_grants_check(const helm_plugin *p, wasm_error *err)
{
    helm_grants_record rec;
    bool found = false;
    wasm_status st = helm_grants_load(p->name, &rec, &found, err);
    if (st != WASM_OK || !found) return st;
    helm_grants asked;
    if (!helm_grants_of(p, &asked)) {
        helm_grants_record_free(&rec);
        return wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
    }
    char extra[WASM_ERROR_MESSAGE_MAX];
    if (helm_grants_extra(&asked, &rec.grants, extra, sizeof extra))
        st = wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_G_EXTRA, extra, p->name);
    helm_grants_free(&asked);
    helm_grants_record_free(&rec);
    return st;
}
