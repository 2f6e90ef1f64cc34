/*
 * install.c - installing and uninstalling Helm plugins in Helm's layout
 * (helm/helm internal/plugin/installer: local, http; `helm plugin
 * uninstall`), verified and validated before anything becomes visible.
 *
 * A source is a directory (linked in place as Helm's local installer does:
 * PLUGINS/NAME -> DIR, provenance "local dev", not verified), a .tgz file
 * or an http(s):// URL of one (fetched with libcurl, its .prov from the
 * URL + ".prov").  A tarball and its .prov are copied into a fresh
 * PLUGINS/.install-XXXXXX first, so what is verified is what is unpacked;
 * the tarball is verified (helm_prov_verify) unless the caller says not
 * to, unpacked there (helm_archive_extract), validated (plugin.yaml,
 * extism/v1, plugin.wasm a module importing only what wasmguard
 * provides), and only then, after the caller's consent, renamed into
 * place with RENAME_NOREPLACE: a kill at any moment leaves at most a
 * hidden .install-XXXXXX directory, which holds no plugin.yaml at its top
 * and so is never listed or run.  NAME-VERSION.tgz and its .prov are kept
 * beside the plugin, as Helm keeps them.  OCI and VCS sources are refused
 * as not supported yet.
 *
 * An update is staged the same way (from the source recorded at install
 * or one given) and committed by exchanging the directories, with the
 * old kept tarball, .prov and grants record set aside in the temporary
 * directory until the exchange is done, and put back on any failure.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extism/curl_lazy.h"
#include "helm/helm.h"
#include "helm/install_msg.h"

#define FETCH_CONNECT_TIMEOUT_S 30L
#define FETCH_STALL_S 60L           /* under 1 byte/s for this long: give up */
#define FETCH_MAX_REDIRS 5L

/* ---- Small helpers ------------------------------------------------------------ */

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool is_tarball_name(const char *s)
{
    return has_suffix(s, ".tgz") || has_suffix(s, ".tar.gz");
}

static bool is_plugin_name(const char *s)
{
    if (!*s) return false;
    for (; *s; s++)
        if (!(*s == '_' || *s == '-' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9')))
            return false;
    return true;
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

/* rm -rf, never following a symlink. */
static bool remove_tree(const char *path)
{
    return nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS) == 0 || errno == ENOENT;
}

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

/* Copies from to a new file to; false with errno. */
static bool copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0) return false;
    int out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    bool ok = out >= 0;
    char buf[65536];
    ssize_t n = 0;
    while (ok && (n = read(in, buf, sizeof buf)) > 0)
        for (ssize_t off = 0; ok && off < n;) {
            ssize_t w = write(out, buf + off, (size_t)(n - off));
            ok = w > 0;
            off += w > 0 ? w : 0;
        }
    ok = ok && n == 0;
    int e = errno;
    if (out >= 0 && close(out) != 0 && ok) { ok = false; e = errno; }
    close(in);
    errno = e;
    return ok;
}

/* rename(2) that never replaces to (RENAME_NOREPLACE, or a check where
   the filesystem lacks it). */
static int rename_noreplace(const char *from, const char *to)
{
    if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0) return 0;
    if (errno != EINVAL && errno != ENOSYS) return -1;
    struct stat sb;
    if (lstat(to, &sb) == 0) {
        errno = EEXIST;
        return -1;
    }
    return rename(from, to);
}

/* ---- Fetching ----------------------------------------------------------------- */

typedef struct fetch_sink {
    int fd;
    uint64_t got;
    bool too_big, write_failed;
} fetch_sink;

static size_t on_data(char *data, size_t size, size_t n, void *user)
{
    fetch_sink *s = user;
    size_t len = size * n;
    if (s->got + len > HELM_ARCHIVE_MAX_BYTES) {
        s->too_big = true;
        return 0;
    }
    for (size_t off = 0; off < len;) {
        ssize_t w = write(s->fd, data + off, len - off);
        if (w <= 0) {
            s->write_failed = true;
            return 0;
        }
        off += (size_t)w;
    }
    s->got += len;
    return len;
}

/* GETs url into the new file path.  *not_found: the server said 404 (the
   file is removed then). */
static wasm_status fetch(const char *url, const char *path, bool *not_found, wasm_error *err)
{
    *not_found = false;
    const char *why = NULL;
    const ext_curl_api *curl = ext_curl_load(&why);
    if (!curl) return wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_I_CURL, url, why);
    fetch_sink sink = {.fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)};
    if (sink.fd < 0)
        return wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_I_MKDIR, path, strerror(errno));
    CURL *c = curl->easy_init();
    char errbuf[CURL_ERROR_SIZE] = "";
    bool ok = c != NULL;
#define SET(opt, val) ok = ok && curl->easy_setopt(c, opt, val) == CURLE_OK
    SET(CURLOPT_URL, url);
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_FOLLOWLOCATION, 1L);
    SET(CURLOPT_MAXREDIRS, FETCH_MAX_REDIRS);
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_CONNECTTIMEOUT, FETCH_CONNECT_TIMEOUT_S);
    SET(CURLOPT_LOW_SPEED_LIMIT, 1L);
    SET(CURLOPT_LOW_SPEED_TIME, FETCH_STALL_S);
    SET(CURLOPT_ERRORBUFFER, errbuf);
    SET(CURLOPT_WRITEFUNCTION, on_data);
    SET(CURLOPT_WRITEDATA, &sink);
#undef SET
    wasm_status st = WASM_OK;
    CURLcode rc = ok ? curl->easy_perform(c) : CURLE_FAILED_INIT;
    long code = 0;
    if (ok) curl->easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    if (close(sink.fd) != 0) sink.write_failed = true;
    if (sink.too_big)
        st = wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_I_TOO_BIG, url,
                            (unsigned long long)HELM_ARCHIVE_MAX_BYTES);
    else if (sink.write_failed)
        st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_I_MKDIR, path, strerror(errno));
    else if (rc != CURLE_OK)
        st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_I_CURL, url,
                            errbuf[0] ? errbuf : curl->easy_strerror(rc));
    else if (code == 404)
        *not_found = true;
    else if (code < 200 || code > 299)
        st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_I_HTTP, url, code);
    if (c) curl->easy_cleanup(c);
    if (st != WASM_OK || *not_found) unlink(path);
    return st;
}

/* The tarball's file name in an URL: the last path segment. */
static char *url_file_name(const char *url)
{
    const char *rest = strstr(url, "://");
    rest = rest ? rest + 3 : url;
    size_t len = strcspn(rest, "?#");
    const char *slash = memrchr(rest, '/', len);
    if (!slash) return NULL;
    char *name = strndup(slash + 1, len - (size_t)(slash + 1 - rest));
    if (!name) return NULL;
    bool ok = name[0] && name[0] != '.' && is_tarball_name(name);
    for (const char *s = name; ok && *s; s++)
        ok = *s == '.' || *s == '+' || *s == '_' || *s == '-' || (*s >= 'a' && *s <= 'z') ||
             (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9');
    if (!ok) {
        free(name);
        return NULL;
    }
    return name;
}

/* ---- Validation ------------------------------------------------------------------ */

static bool declared(const helm_plugin *p, const wasm_name *name)
{
    for (size_t i = 0; i < p->extism.nhost_functions; i++) {
        const char *h = p->extism.host_functions[i];
        if (strlen(h) == name->len && memcmp(h, name->data, name->len) == 0) return true;
    }
    return false;
}

/* extism/v1; plugin.wasm a valid module whose imports wasmguard provides:
   the Extism kernel, WASI, or a host function hostFunctions declares. */
static wasm_status validate(const helm_plugin *p, wasm_error *err)
{
    if (!p->runtime || strcmp(p->runtime, "extism/v1") != 0)
        return wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_I_RUNTIME, p->name,
                              p->runtime ? p->runtime : "subprocess");
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", p->dir, HELM_PLUGIN_WASM);
    FILE *f = fopen(path, "rb");
    uint8_t *bytes = NULL;
    size_t len = 0, cap = 0;
    bool ok = f != NULL;
    while (ok) {
        if (len == cap) {
            /* no module is larger than a tarball may unpack */
            uint8_t *grown = cap < HELM_ARCHIVE_MAX_BYTES
                                 ? realloc(bytes, cap = cap ? cap * 2 : 65536) : NULL;
            if (!grown) { ok = false; errno = ENOMEM; break; }
            bytes = grown;
        }
        size_t n = fread(bytes + len, 1, cap - len, f);
        len += n;
        if (n == 0) { ok = !ferror(f); break; }
    }
    int e = errno;
    if (f) fclose(f);
    if (!ok) {
        free(bytes);
        return wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_I_WASM, path, strerror(e));
    }
    wasm_error werr;
    wasm_error_clear(&werr);
    wasm_module *m = wasm_module_new(bytes, len, &werr);
    free(bytes);
    if (!m)
        return wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_I_WASM, path,
                              werr.message[0] ? werr.message : wasm_status_name(werr.status));
    static const char *const kinds[] = {"function", "table", "memory", "global"};
    wasm_status st = WASM_OK;
    for (uint32_t i = 0, n = wasm_module_import_count(m); i < n && st == WASM_OK; i++) {
        wasm_import_info im;
        wasm_module_import(m, i, &im);
        bool provided = im.kind == WASM_EXTERN_FUNC &&
                        (strcmp(im.module.data, "extism:host/env") == 0 ||
                         strcmp(im.module.data, "wasi_snapshot_preview1") == 0 ||
                         declared(p, &im.name));
        if (!provided)
            st = wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_I_IMPORT, path,
                                (unsigned)im.kind < 4 ? kinds[im.kind] : "extern",
                                im.module.data, im.name.data);
    }
    wasm_module_free(m);
    return st;
}

/* ---- Staging ---------------------------------------------------------------------- */

void helm_staged_free(helm_staged *s)
{
    if (!s) return;
    if (s->tmp_dir) remove_tree(s->tmp_dir);
    helm_plugin_free(s->plugin);
    helm_grants_free(&s->grants);
    free(s->source);
    free(s->plugins_dir);
    free(s->tmp_dir);
    free(s->tgz);
    free(s->prov_path);
    free(s->final_dir);
    free(s);
}

/* OCI, VCS and other schemes: refused, saying which. */
static wasm_status check_scheme(const char *src, bool *is_url, wasm_error *err)
{
    *is_url = strncmp(src, "http://", 7) == 0 || strncmp(src, "https://", 8) == 0;
    if (strncmp(src, "oci://", 6) == 0) return wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_I_OCI, src);
    if (strncmp(src, "git://", 6) == 0 || strncmp(src, "git+", 4) == 0 ||
        strncmp(src, "ssh://", 6) == 0 || strncmp(src, "git@", 4) == 0 ||
        (*is_url && has_suffix(src, ".git")))
        return wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_I_VCS, src);
    if (!*is_url && strstr(src, "://"))
        return wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_I_SCHEME, src);
    return WASM_OK;
}

/* The tarball (and its .prov, when there is one) into s->tmp_dir. */
static wasm_status bring_tarball(helm_staged *s, bool is_url, bool verify, wasm_error *err)
{
    char *base = NULL;
    wasm_status st = WASM_OK;
    if (is_url) {
        base = url_file_name(s->source);
        if (!base) {
            /* an URL of a repository rather than a tarball */
            return wasm_error_set(err, WASM_BAD_ARGUMENT,
                                  has_suffix(s->source, "/") ? HELM_MSG_I_VCS : HELM_MSG_I_URL_NAME,
                                  s->source);
        }
    } else {
        const char *slash = strrchr(s->source, '/');
        base = strdup(slash ? slash + 1 : s->source);
    }
    char *prov_url = NULL;
    if (!base || asprintf(&s->tgz, "%s/%s", s->tmp_dir, base) < 0 ||
        asprintf(&s->prov_path, "%s.prov", s->tgz) < 0 ||
        asprintf(&prov_url, "%s.prov", s->source) < 0) {
        free(base);
        return wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
    }
    free(base);
    bool no_prov = false, missing = false;
    if (is_url) {
        st = fetch(s->source, s->tgz, &missing, err);
        if (st == WASM_OK && missing)
            st = wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_I_HTTP, s->source, 404L);
        if (st == WASM_OK && verify) st = fetch(prov_url, s->prov_path, &no_prov, err);
        else no_prov = true;
    } else {
        if (!copy_file(s->source, s->tgz))
            st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_I_COPY, s->source, s->tmp_dir,
                                strerror(errno));
        else if (!copy_file(prov_url, s->prov_path)) {
            if (errno != ENOENT)
                st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_I_COPY, prov_url, s->tmp_dir,
                                    strerror(errno));
            no_prov = true;
        }
    }
    free(prov_url);
    if (st == WASM_OK && no_prov) {
        free(s->prov_path);
        s->prov_path = NULL;
        if (verify) st = wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_I_NO_PROV, s->source);
    }
    return st;
}

/* Verifies, unpacks into TMP/x and loads the tarball's plugin. */
static wasm_status stage_tarball(helm_staged *s, bool is_url, bool verify, const char *keyring,
                                 wasm_error *err)
{
    if (asprintf(&s->tmp_dir, "%s/.install-XXXXXX", s->plugins_dir) < 0) {
        s->tmp_dir = NULL;
        return wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
    }
    if (!mkdtemp(s->tmp_dir)) {
        int e = errno;
        free(s->tmp_dir);
        s->tmp_dir = NULL;
        return wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_I_MKDIR, s->plugins_dir, strerror(e));
    }
    wasm_status st = bring_tarball(s, is_url, verify, err);
    if (st != WASM_OK) return st;
    if (verify) {
        char dflt[PATH_MAX];
        if (!keyring) keyring = helm_prov_default_keyring(dflt, sizeof dflt);
        wasm_error verr;
        wasm_error_clear(&verr);
        if (helm_prov_verify(s->tgz, s->prov_path, keyring, &s->prov, &verr) != WASM_OK)
            return wasm_error_set(err, verr.status == WASM_NOMEM ? WASM_NOMEM : WASM_BAD_ARGUMENT,
                                  HELM_MSG_I_VERIFY, s->source, verr.message);
        s->verified = true;
    }
    char *x = NULL, *dir = NULL;
    if (asprintf(&x, "%s/x", s->tmp_dir) < 0) return wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
    if (mkdir(x, 0700) != 0) {
        st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_I_MKDIR, x, strerror(errno));
    } else if ((st = helm_archive_extract(s->tgz, x, NULL, &dir, err)) == WASM_OK) {
        s->plugin = helm_plugin_load(dir, err);
        if (!s->plugin) st = err && err->status ? err->status : WASM_BAD_ARGUMENT;
    }
    free(dir);
    free(x);
    return st;
}

static wasm_status stage_dir(helm_staged *s, wasm_error *err)
{
    char real[PATH_MAX];
    if (!realpath(s->source, real))
        return wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_I_STAT, s->source, strerror(errno));
    s->dev = true;
    s->plugin = helm_plugin_load(real, err);
    return s->plugin ? WASM_OK : (err && err->status ? err->status : WASM_BAD_ARGUMENT);
}

/* Stages source for an install, or for an update of plugin update_name
   (non-NULL): then a directory is refused, the plugin must be named
   update_name, and PLUGINS/NAME is expected to be there. */
static wasm_status stage(const char *source, bool verify, const char *keyring,
                         const char *update_name, helm_staged **out, wasm_error *err)
{
    *out = NULL;
    bool is_url = false;
    wasm_status st = check_scheme(source, &is_url, err);
    if (st != WASM_OK) return st;
    struct stat sb;
    if (!is_url && stat(source, &sb) != 0)
        return wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_I_STAT, source, strerror(errno));
    bool is_dir = !is_url && S_ISDIR(sb.st_mode);
    if (is_dir && update_name) return wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_UP_DIR, source);
    if (!is_url && !is_dir && !(S_ISREG(sb.st_mode) && is_tarball_name(source)))
        return wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_I_NOT_TGZ, source);
    helm_staged *s = calloc(1, sizeof *s);
    char **dirs = helm_plugin_dirs();
    if (!s || !dirs || !(s->source = strdup(source))) {
        st = wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
        goto done;
    }
    if (!dirs[0] || !dirs[0][0]) {
        st = wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_I_NO_DIRS);
        goto done;
    }
    if (!(s->plugins_dir = strdup(dirs[0]))) {
        st = wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
        goto done;
    }
    if (!make_dirs(s->plugins_dir, 0755)) {
        st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_I_MKDIR, s->plugins_dir, strerror(errno));
        goto done;
    }
    st = is_dir ? stage_dir(s, err) : stage_tarball(s, is_url, verify, keyring, err);
    if (st == WASM_OK) st = validate(s->plugin, err);
    if (st == WASM_OK && !helm_grants_of(s->plugin, &s->grants))
        st = wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
    if (st == WASM_OK && asprintf(&s->final_dir, "%s/%s", s->plugins_dir, s->plugin->name) < 0) {
        s->final_dir = NULL;
        st = wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
    }
    if (st == WASM_OK && update_name && strcmp(s->plugin->name, update_name) != 0)
        st = wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_UP_NAME, source, s->plugin->name,
                            update_name);
    if (st == WASM_OK && !update_name && lstat(s->final_dir, &sb) == 0)
        st = wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_I_EXISTS, s->plugin->name,
                            s->final_dir);
done:
    helm_strings_free(dirs);
    if (st != WASM_OK) helm_staged_free(s);
    else *out = s;
    return st;
}

wasm_status helm_install_stage(const char *source, bool verify, const char *keyring,
                               helm_staged **out, wasm_error *err)
{
    return stage(source, verify, keyring, NULL, out, err);
}

/* ---- Commit ------------------------------------------------------------------------ */

/* The source as recorded: an URL as given, a path made absolute, so that
   update finds it again from any directory (malloc'd; NULL: no memory). */
static char *recorded_source(const helm_staged *s)
{
    char real[PATH_MAX];
    bool is_url = strncmp(s->source, "http://", 7) == 0 || strncmp(s->source, "https://", 8) == 0;
    return strdup(!is_url && realpath(s->source, real) ? real : s->source);
}

/* PLUGINS/NAME-VERSION.tgz[.prov] (malloc'd). */
static char *kept_path(const helm_staged *s, const char *suffix)
{
    char *out = NULL;
    if (asprintf(&out, "%s/%s-%s.tgz%s", s->plugins_dir, s->plugin->name,
                 s->plugin->version ? s->plugin->version : "", suffix) < 0)
        return NULL;
    return out;
}

wasm_status helm_install_commit(helm_staged *s, wasm_error *err)
{
    /* The record first: a kill after it but before the plugin appears
       leaves a record of no plugin, which refuses nothing that runs. */
    char *source = recorded_source(s);
    if (!source) return wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
    wasm_status st = helm_grants_save(s->plugin, &s->grants, source, err);
    free(source);
    if (st != WASM_OK) return st;
    if (s->dev) {
        if (symlink(s->plugin->dir, s->final_dir) != 0) {
            st = wasm_error_set(err, errno == EEXIST ? WASM_BAD_ARGUMENT : WASM_HOST_ERROR,
                                HELM_MSG_I_LINK, s->final_dir, s->plugin->dir, strerror(errno));
            goto undo;
        }
        s->committed = true;
        return WASM_OK;
    }
    char *tgz = kept_path(s, ""), *prov = kept_path(s, ".prov");
    if (!tgz || !prov) {
        st = wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
    } else if (rename(s->tgz, tgz) != 0) {
        st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_I_RENAME, tgz, strerror(errno));
    } else if (s->prov_path ? rename(s->prov_path, prov) != 0
                            : unlink(prov) != 0 && errno != ENOENT) {  /* no stale .prov */
        st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_I_RENAME, prov, strerror(errno));
    }
    if (st == WASM_OK && rename_noreplace(s->plugin->dir, s->final_dir) != 0) {
        int e = errno;
        st = wasm_error_set(err, e == EEXIST ? WASM_BAD_ARGUMENT : WASM_HOST_ERROR,
                            e == EEXIST ? HELM_MSG_I_EXISTS : HELM_MSG_I_RENAME,
                            e == EEXIST ? s->plugin->name : s->final_dir,
                            e == EEXIST ? s->final_dir : strerror(e));
    }
    if (st != WASM_OK) {
        if (tgz) unlink(tgz);
        if (prov) unlink(prov);
    } else {
        s->committed = true;
    }
    free(tgz);
    free(prov);
    if (st == WASM_OK) return WASM_OK;
undo:;
    char *rec = helm_grants_path(s->plugin->name);
    if (rec) unlink(rec);
    free(rec);
    return st;
}

/* ---- Update ------------------------------------------------------------------------ */

wasm_status helm_update_stage(const char *name, const char *source, bool verify,
                              const char *keyring, helm_staged **out, helm_grants_record *rec,
                              bool *has_rec, wasm_error *err)
{
    *out = NULL;
    *has_rec = false;
    memset(rec, 0, sizeof *rec);
    if (!is_plugin_name(name)) return wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_U_NAME, name);
    char **dirs = helm_plugin_dirs(), *path = NULL;
    wasm_status st = WASM_OK;
    struct stat sb;
    if (!dirs) return wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
    if (!dirs[0] || !dirs[0][0]) {
        st = wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_I_NO_DIRS);
    } else if (asprintf(&path, "%s/%s", dirs[0], name) < 0) {
        path = NULL;
        st = wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
    } else if (lstat(path, &sb) != 0 || !(S_ISDIR(sb.st_mode) || S_ISLNK(sb.st_mode))) {
        st = wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_U_MISSING, name);
    } else if (S_ISLNK(sb.st_mode)) {
        st = wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_UP_LINKED, name, path);
    }
    helm_strings_free(dirs);
    free(path);
    if (st != WASM_OK) return st;
    if ((st = helm_grants_load(name, rec, has_rec, err)) != WASM_OK) return st;
    if (!source && (!*has_rec || !rec->source[0]))
        st = wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_UP_NO_SOURCE, name);
    if (st == WASM_OK) st = stage(source ? source : rec->source, verify, keyring, name, out, err);
    if (st != WASM_OK) {
        helm_grants_record_free(rec);
        *has_rec = false;
    }
    return st;
}

/* The old plugin's pieces set aside while an update is committed. */
typedef struct update_undo {
    char *old_tgz, *old_prov, *aside_tgz, *aside_prov;  /* kept files */
    bool moved_tgz, moved_prov;
    char *rec, *aside_rec;                              /* the grants record */
    bool had_rec, saved_rec;
    char *new_tgz, *new_prov;                           /* placed: remove on undo */
    bool placed;
} update_undo;

/* Renames from to to, unless from is missing (*moved false then). */
static bool move_if_there(const char *from, const char *to, bool *moved)
{
    *moved = rename(from, to) == 0;
    return *moved || errno == ENOENT;
}

/* Puts every old piece back, in reverse order. */
static void update_undo_run(update_undo *u)
{
    if (u->placed) {
        unlink(u->new_tgz);
        unlink(u->new_prov);
    }
    if (u->saved_rec) {
        if (u->had_rec) rename(u->aside_rec, u->rec);
        else unlink(u->rec);
    }
    if (u->moved_prov) rename(u->aside_prov, u->old_prov);
    if (u->moved_tgz) rename(u->aside_tgz, u->old_tgz);
}

static void update_undo_free(update_undo *u)
{
    free(u->old_tgz);
    free(u->old_prov);
    free(u->aside_tgz);
    free(u->aside_prov);
    free(u->rec);
    free(u->aside_rec);
    free(u->new_tgz);
    free(u->new_prov);
}

/* Exchanges the staged directory with PLUGINS/NAME; the old one ends up
   inside s->tmp_dir either way. */
static wasm_status swap_dirs(helm_staged *s, wasm_error *err)
{
    if (renameat2(AT_FDCWD, s->plugin->dir, AT_FDCWD, s->final_dir, RENAME_EXCHANGE) == 0)
        return WASM_OK;
    if (errno != EINVAL && errno != ENOSYS)
        return wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_UP_SWAP, s->final_dir, strerror(errno));
    char *aside = NULL;
    if (asprintf(&aside, "%s/old", s->tmp_dir) < 0) return wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
    wasm_status st = WASM_OK;
    if (rename(s->final_dir, aside) != 0) {
        st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_UP_SWAP, s->final_dir, strerror(errno));
    } else if (rename_noreplace(s->plugin->dir, s->final_dir) != 0) {
        st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_UP_SWAP, s->final_dir, strerror(errno));
        rename(aside, s->final_dir);
    }
    free(aside);
    return st;
}

wasm_status helm_update_commit(helm_staged *s, wasm_error *err)
{
    wasm_error lerr;
    wasm_error_clear(&lerr);
    helm_plugin *old = helm_plugin_load(s->final_dir, &lerr);  /* for its version */
    const char *ov = old && old->version ? old->version : "";
    update_undo u = {0};
    char *source = recorded_source(s);
    wasm_status st = WASM_OK;
    if (!source || asprintf(&u.old_tgz, "%s/%s-%s.tgz", s->plugins_dir, s->plugin->name, ov) < 0 ||
        asprintf(&u.old_prov, "%s.prov", u.old_tgz) < 0 ||
        asprintf(&u.aside_tgz, "%s/old.tgz", s->tmp_dir) < 0 ||
        asprintf(&u.aside_prov, "%s/old.tgz.prov", s->tmp_dir) < 0 ||
        asprintf(&u.aside_rec, "%s/old.json", s->tmp_dir) < 0 ||
        !(u.rec = helm_grants_path(s->plugin->name)) || !(u.new_tgz = kept_path(s, "")) ||
        !(u.new_prov = kept_path(s, ".prov"))) {
        st = wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
        goto done;
    }
    /* 1. the old kept tarball and .prov aside (a plugin without a version has none) */
    if (old && old->version &&
        (!move_if_there(u.old_tgz, u.aside_tgz, &u.moved_tgz) ||
         !move_if_there(u.old_prov, u.aside_prov, &u.moved_prov))) {
        st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_UP_SWAP, u.old_tgz, strerror(errno));
        goto done;
    }
    /* 2. the record: a copy of the old aside (the old plugin keeps its
       record until the new one replaces it atomically), then the new */
    u.had_rec = copy_file(u.rec, u.aside_rec);
    if (!u.had_rec && errno != ENOENT) {
        st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_I_COPY, u.rec, s->tmp_dir, strerror(errno));
        goto done;
    }
    if ((st = helm_grants_save(s->plugin, &s->grants, source, err)) != WASM_OK) goto done;
    u.saved_rec = true;
    /* 3. the new kept tarball and .prov */
    u.placed = true;
    if (rename(s->tgz, u.new_tgz) != 0 ||
        (s->prov_path ? rename(s->prov_path, u.new_prov) != 0
                      : unlink(u.new_prov) != 0 && errno != ENOENT)) {
        st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_I_RENAME, u.new_tgz, strerror(errno));
        goto done;
    }
    /* 4. the directories */
    if ((st = swap_dirs(s, err)) == WASM_OK) s->committed = true;
done:
    if (st != WASM_OK) update_undo_run(&u);
    update_undo_free(&u);
    free(source);
    helm_plugin_free(old);
    return st;
}

/* ---- Uninstall ------------------------------------------------------------------------ */

/* Removes DIR/NAME-VERSION.tgz and .prov; without a version, every
   NAME-<digit>....tgz and .tgz.prov. */
static void remove_kept(const char *dir, const char *name, const char *version)
{
    DIR *d = opendir(dir);
    if (!d) return;
    size_t nlen = strlen(name);
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *f = e->d_name;
        if (strncmp(f, name, nlen) != 0 || f[nlen] != '-') continue;
        const char *v = f + nlen + 1;
        bool match = version && version[0]
                         ? strncmp(v, version, strlen(version)) == 0 &&
                               (strcmp(v + strlen(version), ".tgz") == 0 ||
                                strcmp(v + strlen(version), ".tgz.prov") == 0)
                         : (*v >= '0' && *v <= '9') &&
                               (has_suffix(f, ".tgz") || has_suffix(f, ".tgz.prov"));
        if (match) unlinkat(dirfd(d), f, 0);
    }
    closedir(d);
}

/* Takes PATH (a plugin directory) out of sight, then removes it. */
static wasm_status remove_plugin_dir(const char *dir, const char *path, wasm_error *err)
{
    char *tmp = NULL, *inner = NULL;
    wasm_status st = WASM_OK;
    if (asprintf(&tmp, "%s/.uninstall-XXXXXX", dir) < 0) return wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
    if (!mkdtemp(tmp)) {
        st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_U_REMOVE, path, strerror(errno));
    } else if (asprintf(&inner, "%s/p", tmp) < 0) {
        inner = NULL;
        st = wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
    } else if (rename(path, inner) != 0) {
        st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_U_REMOVE, path, strerror(errno));
    }
    if (tmp && !remove_tree(tmp) && st == WASM_OK)
        st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_U_REMOVE, tmp, strerror(errno));
    free(inner);
    free(tmp);
    return st;
}

wasm_status helm_plugin_uninstall(const char *name, wasm_error *err)
{
    if (!is_plugin_name(name)) return wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_U_NAME, name);
    char **dirs = helm_plugin_dirs();
    if (!dirs) return wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
    wasm_status st = WASM_OK;
    bool found = false;
    for (char **d = dirs; *d && !found && st == WASM_OK; d++) {
        char *path = NULL;
        struct stat sb;
        if (asprintf(&path, "%s/%s", *d, name) < 0) {
            st = wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
            break;
        }
        if (lstat(path, &sb) == 0) {
            found = true;
            wasm_error lerr;
            wasm_error_clear(&lerr);
            helm_plugin *p = helm_plugin_load(path, &lerr);  /* for its version */
            if (S_ISLNK(sb.st_mode)) {
                if (unlink(path) != 0)
                    st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_U_REMOVE, path, strerror(errno));
            } else {
                st = remove_plugin_dir(*d, path, err);
            }
            if (st == WASM_OK) remove_kept(*d, name, p ? p->version : NULL);
            helm_plugin_free(p);
        }
        free(path);
    }
    helm_strings_free(dirs);
    if (st != WASM_OK) return st;
    char *rec = helm_grants_path(name);
    if (rec && unlink(rec) == 0) found = true;
    free(rec);
    if (!found) return wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_U_MISSING, name);
    return WASM_OK;
}
