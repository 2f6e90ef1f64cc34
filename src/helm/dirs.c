/*
 * dirs.c - where Helm 4 keeps its plugins, and finding them there.
 *
 * Follows helm/helm: pkg/cli/environment.go (HELM_PLUGINS, default
 * helmpath.DataPath("plugins")), pkg/helmpath/lazypath.go and
 * lazypath_unix.go (the data path: $HELM_DATA_HOME, else
 * $XDG_DATA_HOME/helm, else $HOME/.local/share/helm), internal/plugin/
 * loader.go (LoadAllDir: <dir>/<entry>/plugin.yaml, sorted; a broken plugin
 * is logged and skipped; detectDuplicates) and signing_info.go (the
 * PROVENANCE column), so that wasmguard and Helm share one set of
 * installed plugins.
 *
 * One difference: Helm detects two plugins of one name only within one
 * directory of $HELM_PLUGINS; here a name claimed in two directories is an
 * error too, since which one runs would otherwise depend on the order.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "helm/helm.h"
#include "helm/metadata_msg.h"

/* ---- Directories -------------------------------------------------------- */

/* Helm's data path (helmpath.DataPath()), malloc'd. */
static char *data_home(void)
{
    const char *helm = getenv("HELM_DATA_HOME");
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    char *out = NULL;
    int n;
    if (helm && helm[0]) n = asprintf(&out, "%s", helm);
    else if (xdg && xdg[0]) n = asprintf(&out, "%s/helm", xdg);
    else n = asprintf(&out, "%s/.local/share/helm", home ? home : "");
    return n < 0 ? NULL : out;
}

static bool push(char ***arr, size_t *n, char *s)
{
    if (!s) return false;
    char **grown = realloc(*arr, (*n + 2) * sizeof **arr);
    if (!grown) { free(s); return false; }
    grown[(*n)++] = s;
    grown[*n] = NULL;
    *arr = grown;
    return true;
}

/* The entries of a colon-separated list (filepath.SplitList); an empty
   entry would be the current directory to Helm's glob, which is never
   meant. */
static char **split_path(const char *list)
{
    char **dirs = calloc(1, sizeof *dirs);
    size_t n = 0;
    if (!dirs) return NULL;
    for (const char *s = list; *s;) {
        size_t len = strcspn(s, ":");
        if (len && !push(&dirs, &n, strndup(s, len))) {
            helm_strings_free(dirs);
            return NULL;
        }
        s += len;
        if (*s == ':') s++;
    }
    return dirs;
}

char **helm_plugin_dirs(void)
{
    const char *env = getenv("HELM_PLUGINS");
    if (env) return split_path(env);
    char **dirs = calloc(1, sizeof *dirs);
    size_t n = 0;
    if (!dirs) return NULL;
    char *data = data_home(), *dir = NULL;
    if (!data || asprintf(&dir, "%s/plugins", data) < 0) dir = NULL;
    free(data);
    if (!push(&dirs, &n, dir)) goto fail;
    return dirs;
fail:
    helm_strings_free(dirs);
    return NULL;
}

void helm_strings_free(char **s)
{
    if (!s) return;
    for (char **p = s; *p; p++) free(*p);
    free(s);
}

/* ---- Finding plugins ---------------------------------------------------- */

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int not_dots(const struct dirent *e)
{
    return strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
}

static wasm_status add_plugin(helm_plugin_set *out, helm_plugin *p, wasm_error *err)
{
    for (size_t i = 0; i < out->n; i++)
        if (strcmp(out->plugins[i]->name, p->name) == 0) {
            wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_DUPLICATE_NAME, p->name,
                           out->plugins[i]->dir, p->dir);
            helm_plugin_free(p);
            return WASM_BAD_ARGUMENT;
        }
    helm_plugin **grown = realloc(out->plugins, (out->n + 1) * sizeof *grown);
    if (!grown) {
        helm_plugin_free(p);
        return wasm_error_set(err, WASM_NOMEM, HELM_MSG_Y_NOMEM);
    }
    grown[out->n++] = p;
    out->plugins = grown;
    return WASM_OK;
}

/* The plugins of one directory (LoadAllDir): a missing directory has none. */
static wasm_status find_in(const char *dir, helm_plugin_set *out,
                           void (*report)(void *, const char *, const char *), void *user,
                           wasm_error *err)
{
    struct dirent **entries = NULL;
    int n = scandir(dir, &entries, not_dots, by_name);
    if (n < 0) return WASM_OK;
    wasm_status st = WASM_OK;
    for (int i = 0; i < n; i++) {
        char *sub = NULL, *yaml = NULL;
        struct stat sb;
        if (st == WASM_OK &&
            (asprintf(&sub, "%s/%s", dir, entries[i]->d_name) < 0 ||
             asprintf(&yaml, "%s/%s", sub, HELM_PLUGIN_FILE) < 0))
            st = wasm_error_set(err, WASM_NOMEM, HELM_MSG_Y_NOMEM);
        if (st == WASM_OK && stat(yaml, &sb) == 0) {
            wasm_error perr;
            wasm_error_clear(&perr);
            helm_plugin *p = helm_plugin_load(sub, &perr);
            if (p) st = add_plugin(out, p, err);
            else if (perr.status == WASM_NOMEM)
                st = wasm_error_set(err, WASM_NOMEM, "%s", perr.message);
            else if (report) report(user, sub, perr.message);
        }
        free(sub);
        free(yaml);
        free(entries[i]);
    }
    free(entries);
    return st;
}

wasm_status helm_plugins_find(helm_plugin_set *out,
                              void (*report)(void *user, const char *dir, const char *why),
                              void *user, wasm_error *err)
{
    return helm_plugins_find_path(NULL, out, report, user, err);
}

wasm_status helm_plugins_find_path(const char *path, helm_plugin_set *out,
                                   void (*report)(void *user, const char *dir, const char *why),
                                   void *user, wasm_error *err)
{
    out->plugins = NULL;
    out->n = 0;
    char **dirs = path ? split_path(path) : helm_plugin_dirs();
    if (!dirs) return wasm_error_set(err, WASM_NOMEM, HELM_MSG_Y_NOMEM);
    wasm_status st = WASM_OK;
    for (char **d = dirs; *d && st == WASM_OK; d++) st = find_in(*d, out, report, user, err);
    helm_strings_free(dirs);
    if (st != WASM_OK) helm_plugins_free(out);
    return st;
}

void helm_plugins_free(helm_plugin_set *set)
{
    for (size_t i = 0; i < set->n; i++) helm_plugin_free(set->plugins[i]);
    free(set->plugins);
    set->plugins = NULL;
    set->n = 0;
}

/* ---- Provenance (signing_info.go) --------------------------------------- */

/* The status of a .prov for tgz: a clearsigned message whose "files:"
   block lists a name containing the tarball's name with its sha256. */
static const char *prov_status(const char *prov, size_t len, const char *tgz)
{
    static const char begin[] = "-----BEGIN PGP SIGNED MESSAGE-----";
    static const char sig[] = "\n-----BEGIN PGP SIGNATURE-----";
    const char *start = memmem(prov, len, begin, sizeof begin - 1);
    const char *end =
        start ? memmem(start, len - (size_t)(start - prov), sig, sizeof sig - 1) : NULL;
    if (!end) return "invalid provenance";
    char hash[7 + 64 + 1];
    if (!helm_sha256_file(tgz, hash)) return "mismatched provenance";
    const char *base = strrchr(tgz, '/') ? strrchr(tgz, '/') + 1 : tgz;
    bool in_files = false;
    for (const char *line = start; line < end;) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        size_t llen = nl ? (size_t)(nl - line) : (size_t)(end - line);
        char text[512];
        snprintf(text, sizeof text, "%.*s", (int)(llen < sizeof text ? llen : sizeof text - 1),
                 line);
        if (strncmp(text, "files:", 6) == 0) in_files = true;
        else if (text[0] != ' ' && text[0] != '\t') in_files = false;
        else if (in_files) {
            char *colon = strstr(text, ": ");
            if (colon) {
                *colon = 0;
                const char *value = colon + 2 + strspn(colon + 2, " \"'");
                if (strstr(text, base) && strncmp(value, hash, strlen(hash)) == 0) return "signed";
            }
        }
        line += llen + 1;
    }
    return "mismatched provenance";
}

const char *helm_plugin_provenance(const helm_plugin *p)
{
    char *data = data_home(), *dir = NULL, *tgz = NULL, *prov = NULL;
    const char *status = "unknown";
    struct stat sb;
    if (!data || asprintf(&dir, "%s/plugins/%s", data, p->name) < 0) dir = NULL;
    if (!dir || lstat(dir, &sb) != 0) goto done;
    status = "local dev";
    if (S_ISLNK(sb.st_mode)) goto done;
    status = "unsigned";
    if (asprintf(&tgz, "%s/plugins/%s-%s.tgz", data, p->name, p->version ? p->version : "") < 0) {
        tgz = NULL;
        status = "unknown";
        goto done;
    }
    if (stat(tgz, &sb) != 0 || asprintf(&prov, "%s.prov", tgz) < 0) { prov = NULL; goto done; }
    FILE *f = fopen(prov, "rb");
    if (!f) { status = errno == ENOENT ? "unsigned" : "unknown"; goto done; }
    char *buf = malloc(1u << 20);
    size_t n = buf ? fread(buf, 1, (1u << 20) - 1, f) : 0;
    fclose(f);
    status = buf ? prov_status(buf, n, tgz) : "unknown";
    free(buf);
done:
    free(prov);
    free(tgz);
    free(dir);
    free(data);
    return status;
}
