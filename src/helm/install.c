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
 * place with RENAME_NOREPLACE.  NAME-VERSION.tgz and its .prov are kept
 * beside the plugin, as Helm keeps them.  OCI and VCS sources are refused
 * as not supported yet.
 *
 * An update is staged the same way and committed by exchanging the
 * directories; before the exchange the grants record approves both
 * versions and the new kept files lie beside the old ones, after it the
 * record is settled and the old files removed, so list and run see the
 * old version or the new one whole at every moment.
 *
 * Kills: before it changes anything outside its .install-XXXXXX, a commit
 * writes a journal there.  While a process stages or commits it holds a
 * shared flock on the plugins directory; whoever gets it exclusively
 * (install, update, uninstall and list, first thing) knows every
 * .install-XXXXXX and .uninstall-XXXXXX there is stale, and recovers it
 * from its journal: steps before the commit point (the rename into place,
 * the exchange, the rename out of place) are undone, steps after it
 * completed, then the directory is removed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extism/curl_lazy.h"
#include "helm/helm.h"
#include "helm/install_msg.h"

#define FETCH_CONNECT_TIMEOUT_S 30L
#define FETCH_STALL_S 60L           /* under 1 byte/s for this long: give up */
#define FETCH_MAX_REDIRS 5L

#define TMP_PREFIX ".install-"      /* staging of install and update */
#define UNINSTALL_PREFIX ".uninstall-"
#define JOURNAL "journal"           /* in the temporary directory: what a commit does */

/* ---- Test hooks ----------------------------------------------------------------- */

/* A test stops the process at POINT (between two filesystem changes) to
   kill it there, or makes the step after POINT fail to see it undone
   (README.md).  Without the variables these do nothing. */
static void stop_at(const char *point)
{
    const char *v = getenv(HELM_TEST_STOP_AT);
    if (v && strcmp(v, point) == 0) raise(SIGSTOP);
}

static wasm_status reached(const char *point, wasm_error *err)
{
    stop_at(point);
    const char *v = getenv(HELM_TEST_FAIL_AT);
    if (v && strcmp(v, point) == 0)
        return wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_I_TEST_FAIL, point, HELM_TEST_FAIL_AT);
    return WASM_OK;
}

/* The paths of filesystems without renameat2's flags, forced. */
static bool renameat2_off(void)
{
    const char *v = getenv(HELM_TEST_NO_RENAMEAT2);
    return v && v[0] && strcmp(v, "0") != 0;
}

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
    if (!renameat2_off()) {
        if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0) return 0;
        if (errno != EINVAL && errno != ENOSYS) return -1;
    }
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


/* DIR/NAME (malloc'd; NULL: no memory). */
static char *join(const char *dir, const char *name)
{
    char *out = NULL;
    return asprintf(&out, "%s/%s", dir, name) < 0 ? NULL : out;
}

/* DIR/NAME-VERSION.tgz + suffix: a kept tarball or its .prov (malloc'd). */
static char *kept_file(const char *dir, const char *name, const char *version, const char *suffix)
{
    char *out = NULL;
    return asprintf(&out, "%s/%s-%s.tgz%s", dir, name, version, suffix) < 0 ? NULL : out;
}

/* Which directory a path names, wherever it is renamed to. */
typedef struct file_id {
    long long dev, ino;
} file_id;

static bool id_of(const char *path, file_id *id)
{
    struct stat sb;
    if (!path || lstat(path, &sb) != 0) return false;
    id->dev = (long long)sb.st_dev;
    id->ino = (long long)sb.st_ino;
    return true;
}

static bool is_id(const char *path, const file_id *want)
{
    file_id id;
    return id_of(path, &id) && id.dev == want->dev && id.ino == want->ino;
}

static bool exists(const char *path)
{
    struct stat sb;
    return path && lstat(path, &sb) == 0;
}

/* unlink that counts a missing file as removed. */
static bool unlink_gone(const char *path)
{
    return !path || unlink(path) == 0 || errno == ENOENT;
}

/* rename that counts a missing source as nothing to do. */
static bool rename_there(const char *from, const char *to)
{
    return !from || rename(from, to) == 0 || errno == ENOENT;
}

/* A second name for from at to; where links are refused a copy, renamed
   into place whole (recovery may rename it back over from). */
static bool link_or_copy(const char *from, const char *to)
{
    if (link(from, to) == 0) return true;
    if (errno == ENOENT) return false;
    char *part = NULL;
    if (asprintf(&part, "%s.part", to) < 0) return false;
    bool ok = copy_file(from, part) && rename(part, to) == 0;
    int e = errno;
    if (!ok) unlink(part);
    free(part);
    errno = e;
    return ok;
}

/* ---- Journal ---------------------------------------------------------------------- */

static json_t *id_json(const file_id *id)
{
    return json_pack("[II]", (json_int_t)id->dev, (json_int_t)id->ino);
}

static bool id_from(json_t *a, file_id *id)
{
    json_int_t dev = 0, ino = 0;
    if (json_unpack(a, "[II]", &dev, &ino) != 0) return false;
    id->dev = (long long)dev;
    id->ino = (long long)ino;
    return true;
}

/* Writes j as TMP/journal, atomically (a kill leaves it whole or absent). */
static wasm_status journal_write(const char *tmp_dir, json_t *j, wasm_error *err)
{
    char *path = join(tmp_dir, JOURNAL), *part = join(tmp_dir, JOURNAL ".part");
    wasm_status st = WASM_OK;
    if (!j || !path || !part) st = wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
    else if (json_dump_file(j, part, JSON_COMPACT) != 0 || rename(part, path) != 0)
        st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_I_JOURNAL, path, strerror(errno));
    if (part) unlink(part);
    free(path);
    free(part);
    return st;
}

static const char *jstr(json_t *j, const char *key)
{
    const char *s = json_string_value(json_object_get(j, key));
    return s ? s : "";
}

/* ---- Staging ---------------------------------------------------------------------- */

void helm_staged_free(helm_staged *s)
{
    if (!s) return;
    if (s->tmp_dir && !s->keep_tmp) {
        /* the journal first: a kill while the rest goes leaves nothing to redo */
        char *journal = join(s->tmp_dir, JOURNAL);
        if (journal && unlink(journal) == 0) stop_at("journal-removed");
        free(journal);
        remove_tree(s->tmp_dir);
    }
    if (s->lock_fd >= 0) close(s->lock_fd);
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

/* s->tmp_dir: a fresh PLUGINS/.install-XXXXXX. */
static wasm_status make_tmp_dir(helm_staged *s, wasm_error *err)
{
    if (asprintf(&s->tmp_dir, "%s/" TMP_PREFIX "XXXXXX", s->plugins_dir) < 0) {
        s->tmp_dir = NULL;
        return wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
    }
    if (!mkdtemp(s->tmp_dir)) {
        int e = errno;
        free(s->tmp_dir);
        s->tmp_dir = NULL;
        return wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_I_MKDIR, s->plugins_dir, strerror(e));
    }
    return WASM_OK;
}

/* Verifies, unpacks into TMP/x and loads the tarball's plugin. */
static wasm_status stage_tarball(helm_staged *s, bool is_url, const helm_install_options *o,
                                 wasm_error *err)
{
    wasm_status st = make_tmp_dir(s, err);
    if (st == WASM_OK) st = bring_tarball(s, is_url, o->verify, err);
    if (st == WASM_OK) st = reached("fetched", err);
    if (st != WASM_OK) return st;
    if (o->verify) {
        char dflt[PATH_MAX];
        const char *keyring = o->keyring ? o->keyring : helm_prov_default_keyring(dflt, sizeof dflt);
        wasm_error verr;
        wasm_error_clear(&verr);
        if (helm_prov_verify(s->tgz, s->prov_path, keyring, &s->prov, &verr) != WASM_OK)
            return wasm_error_set(err, verr.status == WASM_NOMEM ? WASM_NOMEM : WASM_BAD_ARGUMENT,
                                  HELM_MSG_I_VERIFY, s->source, verr.message);
        s->verified = true;
        if ((st = reached("verified", err)) != WASM_OK) return st;
    }
    char *x = join(s->tmp_dir, "x"), *dir = NULL;
    if (!x) return wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
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

/* A directory to link in place; the temporary directory holds only the
   commit's journal. */
static wasm_status stage_dir(helm_staged *s, wasm_error *err)
{
    char real[PATH_MAX];
    if (!realpath(s->source, real))
        return wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_I_STAT, s->source, strerror(errno));
    s->dev = true;
    if (!(s->plugin = helm_plugin_load(real, err)))
        return err && err->status ? err->status : WASM_BAD_ARGUMENT;
    return make_tmp_dir(s, err);
}

static wasm_status recover_dir(const char *dir, wasm_error *err);

/* A shared flock on the plugins directory, held while an install is
   staged or committed, so that no one takes its temporary directory for
   a stale one.  First, when no one holds it, the directory is recovered
   (recover_dir).  *fd: -1 where the filesystem has no flock (then stale
   directories stay until it is recovered where it has). */
static wasm_status lock_dir(const char *dir, int *fd, wasm_error *err)
{
    *fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (*fd < 0) return wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_I_LOCK, dir, strerror(errno));
    wasm_status st = WASM_OK;
    if (flock(*fd, LOCK_EX | LOCK_NB) == 0) {
        st = recover_dir(dir, err);
    } else if (errno != EWOULDBLOCK) {
        close(*fd);
        *fd = -1;
        return WASM_OK;
    }
    int rc;
    while ((rc = flock(*fd, LOCK_SH)) != 0 && errno == EINTR) {}
    if (st == WASM_OK && rc != 0)
        st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_I_LOCK, dir, strerror(errno));
    if (st != WASM_OK) {
        close(*fd);
        *fd = -1;
    }
    return st;
}

/* The first plugins directory (malloc'd), made when make. */
static wasm_status first_plugins_dir(bool make, char **out, wasm_error *err)
{
    *out = NULL;
    char **dirs = helm_plugin_dirs();
    wasm_status st = WASM_OK;
    if (!dirs) return wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
    if (!dirs[0] || !dirs[0][0]) st = wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_I_NO_DIRS);
    else if (!(*out = strdup(dirs[0]))) st = wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
    else if (make && !make_dirs(*out, 0755))
        st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_I_MKDIR, *out, strerror(errno));
    helm_strings_free(dirs);
    if (st != WASM_OK) {
        free(*out);
        *out = NULL;
    }
    return st;
}

/* How stage() is called. */
typedef struct stage_how {
    const char *update_name;   /* an update of this plugin; NULL: an install */
    bool dev_update;           /* of a plugin linked in place: source is its directory */
    char *plugins_dir;         /* update: the plugins directory, locked (taken over) */
    int lock_fd;
} stage_how;

/* Stages source for an install, or for an update of plugin
   how->update_name: then a directory is refused (unless it is a dev
   plugin's own), the plugin must be named update_name, and PLUGINS/NAME
   is expected to be there. */
static wasm_status stage(const char *source, const helm_install_options *o, stage_how *how,
                         helm_staged **out, wasm_error *err)
{
    *out = NULL;
    bool is_url = false;
    wasm_status st = check_scheme(source, &is_url, err);
    struct stat sb;
    if (st == WASM_OK && !is_url && stat(source, &sb) != 0)
        st = wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_I_STAT, source, strerror(errno));
    bool is_dir = st == WASM_OK && !is_url && S_ISDIR(sb.st_mode);
    if (st == WASM_OK && is_dir && how->update_name && !how->dev_update)
        st = wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_UP_DIR, source);
    if (st == WASM_OK && !is_url && !is_dir && !(S_ISREG(sb.st_mode) && is_tarball_name(source)))
        st = wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_I_NOT_TGZ, source);
    /* s owns the update's lock and directory from here, or they go now */
    helm_staged *s = st == WASM_OK ? calloc(1, sizeof *s) : NULL;
    if (s) {
        s->lock_fd = how->lock_fd;
        s->plugins_dir = how->plugins_dir;
    } else {
        if (how->lock_fd >= 0) close(how->lock_fd);
        free(how->plugins_dir);
    }
    how->plugins_dir = NULL;
    how->lock_fd = -1;
    if (st != WASM_OK) return st;
    if (!s || !(s->source = strdup(source))) {
        st = wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
        goto done;
    }
    if (!s->plugins_dir && (st = first_plugins_dir(true, &s->plugins_dir, err)) == WASM_OK)
        st = lock_dir(s->plugins_dir, &s->lock_fd, err);
    if (st != WASM_OK) goto done;
    st = is_dir ? stage_dir(s, err) : stage_tarball(s, is_url, o, err);
    if (st == WASM_OK) st = validate(s->plugin, err);
    if (st == WASM_OK && o->version &&
        (!s->plugin->version || strcmp(s->plugin->version, o->version) != 0))
        st = wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_I_VERSION, source, s->plugin->name,
                            s->plugin->version ? s->plugin->version : "without a version",
                            o->version);
    if (st == WASM_OK && !helm_grants_of(s->plugin, &s->grants))
        st = wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
    if (st == WASM_OK && !(s->final_dir = join(s->plugins_dir, s->plugin->name)))
        st = wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
    if (st == WASM_OK && how->update_name && strcmp(s->plugin->name, how->update_name) != 0)
        st = wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_UP_NAME, source, s->plugin->name,
                            how->update_name);
    if (st == WASM_OK && !how->update_name && lstat(s->final_dir, &sb) == 0)
        st = wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_I_EXISTS, s->plugin->name,
                            s->final_dir);
    if (st == WASM_OK) st = reached("staged", err);
done:
    if (st != WASM_OK) helm_staged_free(s);
    else *out = s;
    return st;
}

wasm_status helm_install_stage(const char *source, const helm_install_options *o,
                               helm_staged **out, wasm_error *err)
{
    stage_how how = {.lock_fd = -1};
    return stage(source, o, &how, out, err);
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

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* The journal of an install: enough for recovery to undo it. */
static wasm_status journal_install(const helm_staged *s, wasm_error *err)
{
    char wasm[HELM_SHA256_LEN + 1] = "";
    char *path = join(s->plugin->dir, HELM_PLUGIN_WASM);
    bool hashed = path && helm_sha256_file(path, wasm);
    int e = errno;
    free(path);
    if (!hashed)
        return wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_G_HASH, s->plugin->dir, strerror(e));
    json_t *j = json_pack("{s:s, s:s, s:s, s:b, s:s}", "op", "install", "name", s->plugin->name,
                          "version", s->plugin->version ? s->plugin->version : "", "dev", s->dev,
                          "wasm", wasm);
    wasm_status st = journal_write(s->tmp_dir, j, err);
    json_decref(j);
    return st;
}

wasm_status helm_install_commit(helm_staged *s, wasm_error *err)
{
    const char *name = s->plugin->name, *v = s->plugin->version ? s->plugin->version : "";
    char *source = recorded_source(s), *tgz = NULL, *prov = NULL;
    bool saved = false, moved_tgz = false, moved_prov = false;
    wasm_status st = WASM_OK;
    int lock = helm_grants_lock();  /* one commit at a time: the check below holds */
    if (!source || (!s->dev && (!(tgz = kept_file(s->plugins_dir, name, v, "")) ||
                                !(prov = kept_file(s->plugins_dir, name, v, ".prov"))))) {
        st = wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
        goto done;
    }
    if (exists(s->final_dir)) {  /* installed by another process since it was staged */
        st = wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_I_EXISTS, name, s->final_dir);
        goto done;
    }
    /* the journal first: from here a kill is undone by recovery */
    if ((st = journal_install(s, err)) != WASM_OK || (st = reached("journal-written", err)) != WASM_OK)
        goto undo;
    /* the record before the plugin: a kill between leaves a record of no
       plugin, never a plugin without its record */
    if ((st = helm_grants_save(s->plugin, &s->grants, source, err)) != WASM_OK) goto undo;
    saved = true;
    if ((st = reached("grants-saved", err)) != WASM_OK) goto undo;
    if (s->dev) {
        if (symlink(s->plugin->dir, s->final_dir) != 0) {
            st = wasm_error_set(err, errno == EEXIST ? WASM_BAD_ARGUMENT : WASM_HOST_ERROR,
                                HELM_MSG_I_LINK, s->final_dir, s->plugin->dir, strerror(errno));
            goto undo;
        }
    } else {
        if (rename(s->tgz, tgz) != 0) {
            st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_I_RENAME, tgz, strerror(errno));
            goto undo;
        }
        moved_tgz = true;
        if ((st = reached("kept-tarball", err)) != WASM_OK) goto undo;
        /* without a .prov none may stay from before: list would judge the tarball by it */
        if (s->prov_path ? rename(s->prov_path, prov) != 0 : !unlink_gone(prov)) {
            st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_I_RENAME, prov, strerror(errno));
            goto undo;
        }
        moved_prov = s->prov_path != NULL;
        if ((st = reached("kept-prov", err)) != WASM_OK) goto undo;
        if (rename_noreplace(s->plugin->dir, s->final_dir) != 0) {
            int e = errno;
            st = wasm_error_set(err, e == EEXIST ? WASM_BAD_ARGUMENT : WASM_HOST_ERROR,
                                e == EEXIST ? HELM_MSG_I_EXISTS : HELM_MSG_I_RENAME,
                                e == EEXIST ? name : s->final_dir,
                                e == EEXIST ? s->final_dir : strerror(e));
            goto undo;
        }
    }
    s->committed = true;
    stop_at(s->dev ? "linked" : "renamed");
    goto done;
undo:
    if (moved_prov) unlink(prov);
    if (moved_tgz) unlink(tgz);
    if (saved) {
        char *rec = helm_grants_path(name);
        if (rec) unlink(rec);
        free(rec);
    }
done:
    if (lock >= 0) close(lock);
    free(source);
    free(tgz);
    free(prov);
    return st;
}

/* ---- Update ------------------------------------------------------------------------ */

/* Whether path is the directory real (a realpath). */
static bool same_dir(const char *path, const char *real)
{
    char r[PATH_MAX];
    return realpath(path, r) && strcmp(r, real) == 0;
}

wasm_status helm_update_stage(const char *name, const char *source, const helm_install_options *o,
                              helm_staged **out, helm_grants_record *rec, bool *has_rec,
                              wasm_error *err)
{
    *out = NULL;
    *has_rec = false;
    memset(rec, 0, sizeof *rec);
    if (!is_plugin_name(name)) return wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_U_NAME, name);
    stage_how how = {.update_name = name, .lock_fd = -1};
    char *path = NULL, real[PATH_MAX];
    struct stat sb;
    wasm_status st = first_plugins_dir(false, &how.plugins_dir, err);
    if (st != WASM_OK) return st;
    /* recovered first: an interrupted update may have left the plugin aside */
    if (lstat(how.plugins_dir, &sb) == 0) st = lock_dir(how.plugins_dir, &how.lock_fd, err);
    if (st == WASM_OK && !(path = join(how.plugins_dir, name))) {
        st = wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
    } else if (st == WASM_OK &&
               (lstat(path, &sb) != 0 || !(S_ISDIR(sb.st_mode) || S_ISLNK(sb.st_mode)))) {
        st = wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_U_MISSING, name);
    } else if (st == WASM_OK && S_ISLNK(sb.st_mode)) {
        /* linked in place: validated again where it is, never re-pointed */
        how.dev_update = true;
        if (!realpath(path, real))
            st = wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_UP_DANGLING, name, path,
                                strerror(errno));
        else if (source && !same_dir(source, real))
            st = wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_UP_LINKED, name, real, source);
        else
            source = real;
    }
    free(path);
    if (st == WASM_OK) st = helm_grants_load(name, rec, has_rec, err);
    if (st == WASM_OK && !source && (!*has_rec || !rec->source[0]))
        st = wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_UP_NO_SOURCE, name);
    if (st == WASM_OK) {
        st = stage(source ? source : rec->source, o, &how, out, err);
    } else {
        if (how.lock_fd >= 0) close(how.lock_fd);
        free(how.plugins_dir);
    }
    if (st != WASM_OK) {
        helm_grants_record_free(rec);
        *has_rec = false;
    }
    return st;
}

/* What an update changes, for its commit, its undo and its recovery. */
typedef struct update_plan {
    const char *name, *tag;          /* tag: the temporary directory's name */
    char *final_dir;                 /* PLUGINS/NAME */
    char *staged, *aside, *undone;   /* TMP/x/NAME; TMP/old and TMP/new (no exchange) */
    char *old_tgz, *old_prov;        /* PLUGINS/NAME-OLD.tgz[.prov] */
    char *new_tgz, *new_prov;        /* PLUGINS/NAME-NEW.tgz[.prov] */
    char *bak_tgz, *bak_prov;        /* TMP/old.tgz[.prov]: the old kept files, same version */
    char *stg_tgz, *stg_prov;        /* the new ones in TMP (stg_prov NULL: none) */
    bool same;                       /* the same version: the kept files have one name */
    bool old_version;                /* the old one has a version (and so kept files) */
    bool old_tgz_there, old_prov_there;
    file_id old_id, new_id;
} update_plan;

static void plan_free(update_plan *u)
{
    free(u->final_dir);
    free(u->staged);
    free(u->aside);
    free(u->undone);
    free(u->old_tgz);
    free(u->old_prov);
    free(u->new_tgz);
    free(u->new_prov);
    free(u->bak_tgz);
    free(u->bak_prov);
    free(u->stg_tgz);
    free(u->stg_prov);
}

/* The paths of an update of NAME in dir staged in tmp, from version ov to
   nv, the new tarball TMP/tgz (and its .prov when prov). */
static bool plan_init(update_plan *u, const char *dir, const char *tmp, const char *name,
                      const char *ov, const char *nv, const char *tgz, bool prov)
{
    memset(u, 0, sizeof *u);
    u->name = name;
    u->tag = base_name(tmp);
    u->same = strcmp(ov, nv) == 0;
    u->old_version = ov[0] != 0;
    return asprintf(&u->staged, "%s/x/%s", tmp, name) >= 0 && (u->final_dir = join(dir, name)) &&
           (u->aside = join(tmp, "old")) && (u->undone = join(tmp, "new")) &&
           (u->old_tgz = kept_file(dir, name, ov, "")) &&
           (u->old_prov = kept_file(dir, name, ov, ".prov")) &&
           (u->new_tgz = kept_file(dir, name, nv, "")) &&
           (u->new_prov = kept_file(dir, name, nv, ".prov")) &&
           (u->bak_tgz = join(tmp, "old.tgz")) && (u->bak_prov = join(tmp, "old.tgz.prov")) &&
           (u->stg_tgz = join(tmp, tgz)) &&
           (!prov || asprintf(&u->stg_prov, "%s/%s.prov", tmp, tgz) >= 0);
}

/* The new kept files into place (over the old ones of the same version). */
static wasm_status place_kept(const update_plan *u, bool live, wasm_error *err)
{
    wasm_status st = WASM_OK;
    if (!rename_there(u->stg_tgz, u->new_tgz))
        return wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_I_RENAME, u->new_tgz, strerror(errno));
    if (live && (st = reached("kept-tarball", err)) != WASM_OK) return st;
    if (u->stg_prov ? !rename_there(u->stg_prov, u->new_prov) : !unlink_gone(u->new_prov))
        return wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_I_RENAME, u->new_prov, strerror(errno));
    return live ? reached("kept-prov", err) : WASM_OK;
}

/* Undoes an update from wherever it stopped (each step checks what is
   there, so it also finishes an undo a kill interrupted): the old
   directory back in place, the kept files as they were, the record
   settled back. */
static wasm_status update_back(const update_plan *u, wasm_error *err)
{
    wasm_status st = WASM_OK;
    const char *old_at = is_id(u->aside, &u->old_id)    ? u->aside
                         : is_id(u->staged, &u->old_id) ? u->staged
                                                        : NULL;
    if (old_at && !is_id(u->final_dir, &u->old_id)) {
        bool is_new = is_id(u->final_dir, &u->new_id);
        bool back = is_new && old_at == u->staged && !renameat2_off() &&
                    renameat2(AT_FDCWD, u->final_dir, AT_FDCWD, u->staged, RENAME_EXCHANGE) == 0;
        /* else out of the way, then in: between, no plugin, never half of one */
        if (!back && ((is_new && rename_noreplace(u->final_dir, u->undone) != 0) ||
                      rename_noreplace(old_at, u->final_dir) != 0))
            st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_UP_UNDO, u->final_dir, strerror(errno));
    }
    bool kept = u->same ? (u->old_tgz_there ? rename_there(u->bak_tgz, u->old_tgz)
                                            : unlink_gone(u->old_tgz)) &&
                              (u->old_prov_there ? rename_there(u->bak_prov, u->old_prov)
                                                 : unlink_gone(u->old_prov))
                        : unlink_gone(u->new_tgz) && unlink_gone(u->new_prov);
    if (!kept && st == WASM_OK)
        st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_UP_UNDO, u->old_tgz, strerror(errno));
    wasm_error serr;
    wasm_error_clear(&serr);
    if (helm_grants_settle(u->name, u->tag, false, &serr) != WASM_OK && st == WASM_OK)
        st = wasm_error_set(err, serr.status, "%s", serr.message);
    return st;
}

/* Completes an update after its swap: the kept files of the same version
   replaced, the record settled, the old kept files removed. */
static wasm_status update_forward(const update_plan *u, bool live, wasm_error *err)
{
    wasm_status st = u->same ? place_kept(u, live, err) : WASM_OK;
    if (st == WASM_OK) st = helm_grants_settle(u->name, u->tag, true, err);
    if (st != WASM_OK) return st;
    if (live) stop_at("grants-saved");
    if (!u->same && u->old_version) {
        unlink_gone(u->old_tgz);
        unlink_gone(u->old_prov);
        if (live) stop_at("old-kept-removed");
    }
    return WASM_OK;
}

/* Exchanges the staged directory with PLUGINS/NAME: the old one ends up
   at u->staged, or at u->aside where there is no exchange. */
static wasm_status swap_dirs(const update_plan *u, wasm_error *err)
{
    if (!renameat2_off()) {
        if (renameat2(AT_FDCWD, u->staged, AT_FDCWD, u->final_dir, RENAME_EXCHANGE) == 0)
            return WASM_OK;
        if (errno != EINVAL && errno != ENOSYS)
            return wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_UP_SWAP, u->final_dir,
                                  strerror(errno));
    }
    /* the old aside, then the new in: between, no plugin, never half of one */
    if (rename(u->final_dir, u->aside) != 0)
        return wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_UP_SWAP, u->final_dir, strerror(errno));
    wasm_status st = reached("old-moved-aside", err);
    if (st == WASM_OK && rename_noreplace(u->staged, u->final_dir) != 0)
        st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_UP_SWAP, u->final_dir, strerror(errno));
    return st;
}

static wasm_status journal_update(const helm_staged *s, const update_plan *u, const char *ov,
                                  const char *nv, wasm_error *err)
{
    json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:b, s:b, s:b}", "op", "update",
                          "name", u->name, "oldVersion", ov, "newVersion", nv, "old",
                          id_json(&u->old_id), "new", id_json(&u->new_id), "tgz",
                          base_name(s->tgz), "prov", s->prov_path != NULL, "oldTgz",
                          u->old_tgz_there, "oldProv", u->old_prov_there);
    wasm_status st = journal_write(s->tmp_dir, j, err);
    json_decref(j);
    return st;
}

/* A plugin linked in place: validated again where it is (stage), so only
   its record changes, in one rename. */
static wasm_status update_dev(helm_staged *s, wasm_error *err)
{
    if (!same_dir(s->final_dir, s->plugin->dir))
        return wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_UP_RELINKED, s->final_dir,
                              s->plugin->dir);
    wasm_status st = helm_grants_save(s->plugin, &s->grants, s->plugin->dir, err);
    if (st == WASM_OK) s->committed = true;
    return st;
}

wasm_status helm_update_commit(helm_staged *s, wasm_error *err)
{
    int lock = helm_grants_lock();  /* one commit at a time */
    if (s->dev) {
        wasm_status st = update_dev(s, err);
        if (lock >= 0) close(lock);
        return st;
    }
    wasm_error lerr;
    wasm_error_clear(&lerr);
    helm_plugin *old = helm_plugin_load(s->final_dir, &lerr);  /* its version, its grants */
    const char *ov = old && old->version ? old->version : "";
    const char *nv = s->plugin->version ? s->plugin->version : "";
    char *source = recorded_source(s);
    update_plan u;
    wasm_status st = WASM_OK;
    bool planned = plan_init(&u, s->plugins_dir, s->tmp_dir, s->plugin->name, ov, nv,
                             base_name(s->tgz), s->prov_path != NULL);
    if (!source || !planned) {
        st = wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
        goto done;
    }
    if (strcmp(u.staged, s->plugin->dir) != 0) {  /* recovery looks for it there */
        st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_UP_SWAP, s->plugin->dir,
                            "not staged at TMP/x/NAME");
        goto done;
    }
    if (!id_of(u.final_dir, &u.old_id) || !id_of(u.staged, &u.new_id)) {
        st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_UP_SWAP, u.final_dir, strerror(errno));
        goto done;
    }
    u.old_tgz_there = u.old_version && exists(u.old_tgz);
    u.old_prov_there = u.old_version && exists(u.old_prov);
    /* the journal first: from here a kill is undone, or completed after
       the swap, by recovery */
    if ((st = journal_update(s, &u, ov, nv, err)) != WASM_OK ||
        (st = reached("journal-written", err)) != WASM_OK)
        goto undo;
    if (u.same) {
        /* the old kept files linked aside; the new replace them after the swap */
        if ((u.old_tgz_there && !link_or_copy(u.old_tgz, u.bak_tgz)) ||
            (u.old_prov_there && !link_or_copy(u.old_prov, u.bak_prov))) {
            st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_I_COPY, u.old_tgz, s->tmp_dir,
                                strerror(errno));
            goto undo;
        }
        if ((st = reached("old-kept-linked", err)) != WASM_OK) goto undo;
    }
    /* a record approving both: whichever directory is in place runs */
    if ((st = helm_grants_save_pending(s->plugin, &s->grants, source, old, u.tag, err)) != WASM_OK ||
        (st = reached("grants-pending", err)) != WASM_OK)
        goto undo;
    /* another version's kept files lie beside the old ones unseen */
    if (!u.same && (st = place_kept(&u, true, err)) != WASM_OK) goto undo;
    if ((st = swap_dirs(&u, err)) != WASM_OK || (st = reached("exchanged", err)) != WASM_OK)
        goto undo;
    if ((st = update_forward(&u, true, err)) != WASM_OK) goto undo;
    s->committed = true;
    goto done;
undo:;
    /* err keeps the first failure; an undo that fails too leaves the
       temporary directory, with its journal, to recovery */
    wasm_error uerr;
    wasm_error_clear(&uerr);
    if (update_back(&u, &uerr) != WASM_OK) s->keep_tmp = true;
done:
    if (lock >= 0) close(lock);
    plan_free(&u);
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

static bool remove_record(const char *name)
{
    char *rec = helm_grants_path(name);
    bool removed = rec && unlink(rec) == 0;
    free(rec);
    return removed;
}

/* Takes the plugin directory PATH out of sight into a fresh
   DIR/.uninstall-XXXXXX (*tmp), its journal written first so that
   recovery completes the uninstall if a kill interrupts it. */
static wasm_status take_out(const char *dir, const char *path, const char *name,
                            const char *version, char **tmp, wasm_error *err)
{
    char *inner = NULL;
    file_id id;
    wasm_status st = WASM_OK;
    if (asprintf(tmp, "%s/" UNINSTALL_PREFIX "XXXXXX", dir) < 0) {
        *tmp = NULL;
        return wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
    }
    if (!mkdtemp(*tmp) || !id_of(path, &id)) {
        st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_U_REMOVE, path, strerror(errno));
    } else if (!(inner = join(*tmp, "p"))) {
        st = wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
    } else {
        json_t *j = json_pack("{s:s, s:s, s:s, s:o}", "op", "uninstall", "name", name, "version",
                              version ? version : "", "id", id_json(&id));
        st = journal_write(*tmp, j, err);
        json_decref(j);
        if (st == WASM_OK) st = reached("journal-written", err);
        if (st == WASM_OK && rename(path, inner) != 0)
            st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_U_REMOVE, path, strerror(errno));
        if (st == WASM_OK) stop_at("moved-out");
    }
    free(inner);
    return st;
}

/* The temporary directory of a finished (or failed) uninstall, journal first. */
static void drop_tmp(char *tmp)
{
    if (!tmp) return;
    char *journal = join(tmp, JOURNAL);
    if (journal) unlink(journal);
    free(journal);
    remove_tree(tmp);
    free(tmp);
}

wasm_status helm_plugin_uninstall(const char *name, wasm_error *err)
{
    if (!is_plugin_name(name)) return wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_U_NAME, name);
    char **dirs = helm_plugin_dirs();
    if (!dirs) return wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
    wasm_status st = WASM_OK;
    bool found = false;
    int lock = helm_grants_lock();  /* one commit at a time */
    for (char **d = dirs; *d && !found && st == WASM_OK; d++) {
        char *path = NULL, *tmp = NULL;
        struct stat sb;
        int fd = -1;
        if (lstat(*d, &sb) != 0) continue;
        /* recovered first (an interrupted update may have the plugin aside),
           then no one takes this uninstall's directory for a stale one */
        if ((st = lock_dir(*d, &fd, err)) != WASM_OK) break;
        if (!(path = join(*d, name))) st = wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
        if (st == WASM_OK && lstat(path, &sb) == 0) {
            found = true;
            wasm_error lerr;
            wasm_error_clear(&lerr);
            helm_plugin *p = helm_plugin_load(path, &lerr);  /* for its version */
            const char *version = p ? p->version : NULL;
            if (S_ISLNK(sb.st_mode)) {
                if (unlink(path) != 0)
                    st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_U_REMOVE, path,
                                        strerror(errno));
            } else {
                st = take_out(*d, path, name, version, &tmp, err);
            }
            if (st == WASM_OK) {
                remove_kept(*d, name, version);
                remove_record(name);
            }
            helm_plugin_free(p);
        }
        drop_tmp(tmp);
        if (fd >= 0) close(fd);
        free(path);
    }
    helm_strings_free(dirs);
    if (st == WASM_OK && remove_record(name)) found = true;  /* a record of no plugin goes too */
    if (lock >= 0) close(lock);
    if (st != WASM_OK) return st;
    if (!found) return wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_U_MISSING, name);
    return WASM_OK;
}

/* ---- Recovery ------------------------------------------------------------------------- */

/* A part of a file name (a name or version from a journal). */
static bool safe_part(const char *s)
{
    return s[0] && !strchr(s, '/') && strcmp(s, ".") != 0 && strcmp(s, "..") != 0;
}

/* An install is undone unless its plugin is in place (or another is by
   now): its kept files and, if it is the one it wrote, its record. */
static wasm_status recover_install(const char *dir, json_t *j, wasm_error *err)
{
    const char *name = jstr(j, "name"), *version = jstr(j, "version"), *wasm = jstr(j, "wasm");
    if (version[0] && !safe_part(version))
        return wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_I_RECOVER, dir, "a journal is not one");
    char *final = join(dir, name);
    if (!final) return wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
    bool there = exists(final);
    free(final);
    if (there) return WASM_OK;
    if (!json_is_true(json_object_get(j, "dev")) && version[0]) {
        char *tgz = kept_file(dir, name, version, ""), *prov = kept_file(dir, name, version, ".prov");
        bool ok = tgz && prov && unlink_gone(tgz) && unlink_gone(prov);
        int e = errno;
        free(tgz);
        free(prov);
        if (!ok) return wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_U_REMOVE, dir, strerror(e));
    }
    helm_grants_record r;
    bool found = false;
    wasm_error lerr;
    wasm_error_clear(&lerr);
    if (helm_grants_load(name, &r, &found, &lerr) == WASM_OK && found) {
        if (!r.pending && strcmp(r.plugin_wasm_sha256, wasm) == 0) remove_record(name);
        helm_grants_record_free(&r);
    }
    return WASM_OK;
}

/* An update is completed when its directory is in place, else undone. */
static wasm_status recover_update(const char *dir, const char *tmp, json_t *j, wasm_error *err)
{
    const char *name = jstr(j, "name"), *ov = jstr(j, "oldVersion"), *nv = jstr(j, "newVersion");
    const char *tgz = jstr(j, "tgz");
    file_id old_id, new_id;
    if ((ov[0] && !safe_part(ov)) || (nv[0] && !safe_part(nv)) || !safe_part(tgz) ||
        !id_from(json_object_get(j, "old"), &old_id) || !id_from(json_object_get(j, "new"), &new_id))
        return wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_I_RECOVER, tmp, "its journal is not one");
    update_plan u;
    wasm_status st = WASM_OK;
    if (!plan_init(&u, dir, tmp, name, ov, nv, tgz, json_is_true(json_object_get(j, "prov")))) {
        st = wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
    } else {
        u.old_id = old_id;
        u.new_id = new_id;
        u.old_tgz_there = json_is_true(json_object_get(j, "oldTgz"));
        u.old_prov_there = json_is_true(json_object_get(j, "oldProv"));
        if (is_id(u.final_dir, &u.new_id)) st = update_forward(&u, false, err);
        else if (is_id(u.final_dir, &u.old_id) || !exists(u.final_dir)) st = update_back(&u, err);
        /* else replaced since: nothing there is this update's */
    }
    plan_free(&u);
    return st;
}

/* An uninstall is completed once its directory is out of place. */
static wasm_status recover_uninstall(const char *dir, json_t *j, wasm_error *err)
{
    const char *name = jstr(j, "name"), *version = jstr(j, "version");
    char *final = join(dir, name);
    if (!final) return wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
    bool there = exists(final);
    free(final);
    if (!there) {
        remove_kept(dir, name, version[0] ? version : NULL);
        remove_record(name);
    }
    return WASM_OK;
}

/* Recovers the stale temporary directory TMP of DIR from its journal,
   then removes it.  No journal: nothing outside it was changed. */
static wasm_status recover_one(const char *dir, const char *tmp, wasm_error *err)
{
    char *journal = join(tmp, JOURNAL);
    if (!journal) return wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
    wasm_status st = WASM_OK;
    if (exists(journal)) {
        json_error_t je;
        json_t *j = json_load_file(journal, 0, &je);
        const char *op = jstr(j, "op"), *name = jstr(j, "name");
        if (!j || !is_plugin_name(name))
            st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_I_RECOVER, tmp,
                                j ? "its journal names no plugin" : je.text);
        else if (strcmp(op, "install") == 0) st = recover_install(dir, j, err);
        else if (strcmp(op, "update") == 0) st = recover_update(dir, tmp, j, err);
        else if (strcmp(op, "uninstall") == 0) st = recover_uninstall(dir, j, err);
        else st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_I_RECOVER, tmp,
                                 "unknown step in its journal");
        json_decref(j);
    }
    if (st == WASM_OK && !unlink_gone(journal))
        st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_U_REMOVE, journal, strerror(errno));
    if (st == WASM_OK && !remove_tree(tmp))
        st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_U_REMOVE, tmp, strerror(errno));
    free(journal);
    return st;
}

static int is_tmp_name(const struct dirent *e)
{
    return strncmp(e->d_name, TMP_PREFIX, strlen(TMP_PREFIX)) == 0 ||
           strncmp(e->d_name, UNINSTALL_PREFIX, strlen(UNINSTALL_PREFIX)) == 0;
}

/* Recovers every temporary directory of dir; the caller holds dir's lock
   exclusively, so none is in use.  The first failure is reported, the
   others still recovered. */
static wasm_status recover_dir(const char *dir, wasm_error *err)
{
    struct dirent **names = NULL;
    int n = scandir(dir, &names, is_tmp_name, alphasort);
    if (n < 0)
        return errno == ENOENT ? WASM_OK
                               : wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_I_RECOVER, dir,
                                                strerror(errno));
    wasm_status st = WASM_OK;
    for (int i = 0; i < n; i++) {
        char *tmp = join(dir, names[i]->d_name);
        struct stat sb;
        wasm_error one;
        wasm_error_clear(&one);
        if (!tmp) {
            if (st == WASM_OK) st = wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
        } else if (lstat(tmp, &sb) == 0 && S_ISDIR(sb.st_mode) &&
                   recover_one(dir, tmp, &one) != WASM_OK && st == WASM_OK) {
            st = wasm_error_set(err, one.status, "%s", one.message);
        }
        free(tmp);
        free(names[i]);
    }
    free(names);
    return st;
}

wasm_status helm_install_recover(wasm_error *err)
{
    char **dirs = helm_plugin_dirs();
    if (!dirs) return wasm_error_set(err, WASM_NOMEM, HELM_MSG_I_NOMEM);
    wasm_status st = WASM_OK;
    for (char **d = dirs; *d && st == WASM_OK; d++) {
        int fd = open(*d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) continue;  /* no directory: nothing to recover */
        /* busy: the install holding it will be recovered by someone later */
        if (flock(fd, LOCK_EX | LOCK_NB) == 0) st = recover_dir(*d, err);
        close(fd);
    }
    helm_strings_free(dirs);
    helm_grants_sweep();
    return st;
}
