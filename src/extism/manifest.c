/*
 * manifest.c - Extism's JSON manifest, read as users write it for
 * Extism (extism-manifest, manifest/src/lib.rs, serde with
 * deny_unknown_fields):
 *
 *   {"wasm": [{"path": "p.wasm", "hash": "<sha256>", "name": "main"},
 *             {"data": "<base64>"}],
 *    "memory": {"max_pages": 16, "max_http_response_bytes": 1048576,
 *               "max_var_bytes": 1024},
 *    "config": {"key": "value"},
 *    "allowed_hosts": ["example.com", "*.example.org"],
 *    "allowed_paths": {"ro:/host/dir": "/guest", "./out": "/out"},
 *    "timeout_ms": 1000}
 *
 * Where serde takes an Option, null means absent.  Every unknown or
 * ill-typed field is an error naming its path ("memory.max_pages",
 * "wasm[1].hash", "config[\"k\"]").  Differences from Extism, on purpose:
 * a "url" source is refused (loading a manifest fetches nothing), a
 * {"ptr", "len"} data source is refused (raw host pointers), base64
 * padding is optional, a hash may be written in upper case, relative
 * paths (wasm paths and allowed_paths host paths) are read from base_dir,
 * and two modules may not share a name.
 *
 * Each "hash" is checked (SHA-256, OpenSSL) as soon as the bytes are in
 * memory, before anything else sees them: a mismatch refuses the manifest.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "extism.h"

/* The largest module a source may hold, decoded or read from a file:
   far above any real plugin (a few MiB), far below what would hurt. */
#define MANIFEST_MAX_WASM_BYTES (256u * 1024 * 1024)
#define MANIFEST_MAX_MODULES 256
#define SHA256_HEX_LEN 64

/* The messages of the manifest, in one place.  Every one is prefixed
   "manifest: " and, when a field is to blame, its path. */
#define MSG_JSON "line %d, column %d: %s"
#define MSG_NOT_OBJECT "expected an object, got %s"
#define MSG_UNKNOWN_FIELD "unknown field"
#define MSG_EXPECTED "expected %s, got %s"
#define MSG_TOO_BIG "expected at most %llu, got %lld"
#define MSG_NO_WASM "expected at least one module"
#define MSG_MISSING_WASM "missing: a manifest needs at least one module"
#define MSG_TOO_MANY "more than %u modules"
#define MSG_URL "wasm url sources are not supported; download it and use path"
#define MSG_PTR_DATA "a {\"ptr\", \"len\"} data source is not supported; use base64"
#define MSG_BOTH "give either \"path\" or \"data\", not both"
#define MSG_NEITHER "expected a \"path\" or \"data\" source"
#define MSG_BASE64 "invalid base64 at offset %zu"
#define MSG_BASE64_BITS "invalid base64: non-zero bits after the last byte"
#define MSG_HASH_FORM "expected 64 hex digits (a SHA-256), got %zu characters"
#define MSG_HASH_MISMATCH "hash mismatch: expected %s, got %s"
#define MSG_DUP_NAME "the name \"%s\" is already used by wasm[%zu]"
#define MSG_READ "cannot read %s: %s"
#define MSG_NOT_FILE "cannot read %s: not a regular file"
#define MSG_FILE_BIG "%s is %lld bytes, more than the limit of %u"
#define MSG_DATA_BIG "decodes to more than the limit of %u bytes"
#define MSG_EMPTY "expected a non-empty string"
#define MSG_NOMEM "out of memory"

/* A field path such as "wasm[0].hash", built as the parser descends. */
typedef char field_path[256];

static wasm_status fail(wasm_error *err, wasm_status status, const char *field,
                        const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static wasm_status fail(wasm_error *err, wasm_status status, const char *field,
                        const char *fmt, ...)
{
    char msg[WASM_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (field)
        return wasm_error_set(err, status, "manifest: %s: %s", field, msg);
    return wasm_error_set(err, status, "manifest: %s", msg);
}

static wasm_status nomem(wasm_error *err)
{
    return fail(err, WASM_NOMEM, NULL, MSG_NOMEM);
}

static const char *json_kind(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "object";
    case JSON_ARRAY: return "array";
    case JSON_STRING: return "string";
    case JSON_INTEGER: return "integer";
    case JSON_REAL: return "real";
    case JSON_TRUE:
    case JSON_FALSE: return "boolean";
    case JSON_NULL: return "null";
    }
    return "unknown";
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* Fails on the first key of obj that is not in `known` (NULL-terminated). */
static wasm_status check_fields(const json_t *obj, const char *prefix,
                                const char *const *known, wasm_error *err)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        bool found = false;
        for (const char *const *k = known; *k && !found; k++)
            found = strcmp(*k, key) == 0;
        if (!found) {
            field_path p;
            snprintf(p, sizeof p, "%s%s%s", prefix, prefix[0] ? "." : "", key);
            return fail(err, WASM_BAD_ARGUMENT, p, MSG_UNKNOWN_FIELD);
        }
    }
    return WASM_OK;
}

/* A non-negative integer no larger than max; null leaves *has false. */
static wasm_status get_uint(const json_t *v, const char *field, uint64_t max, bool *has,
                            uint64_t *out, wasm_error *err)
{
    *has = false;
    if (!v || json_is_null(v))
        return WASM_OK;
    char got[32];
    snprintf(got, sizeof got, "%s", json_kind(v));
    if (json_is_integer(v))
        snprintf(got, sizeof got, "%lld", (long long)json_integer_value(v));
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return fail(err, WASM_BAD_ARGUMENT, field, MSG_EXPECTED, "a non-negative integer", got);
    json_int_t n = json_integer_value(v);
    if ((unsigned long long)n > max)
        return fail(err, WASM_BAD_ARGUMENT, field, MSG_TOO_BIG, (unsigned long long)max,
                    (long long)n);
    *has = true;
    *out = (uint64_t)n;
    return WASM_OK;
}

/* A string, or NULL for an absent or null field when null_ok. */
static wasm_status get_str(const json_t *v, const char *field, bool null_ok, char **out,
                           wasm_error *err)
{
    *out = NULL;
    if (null_ok && (!v || json_is_null(v)))
        return WASM_OK;
    if (!json_is_string(v))
        return fail(err, WASM_BAD_ARGUMENT, field, MSG_EXPECTED, "a string",
                    v ? json_kind(v) : "nothing");
    *out = dup_str(json_string_value(v));
    return *out ? WASM_OK : nomem(err);
}

/* ---- base64, hex, SHA-256 ---------------------------------------------- */

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

/* Strict standard-alphabet base64: no whitespace, padding optional but
   correct when present, no stray bits after the last byte. */
static wasm_status base64_decode(const char *s, size_t n, const char *field, uint8_t **out,
                                 size_t *outlen, wasm_error *err)
{
    size_t body = n;
    if (n % 4 == 0 && n >= 4) {
        if (s[n - 1] == '=')
            body--;
        if (s[n - 2] == '=' && body == n - 1)
            body--;
    }
    if (body % 4 == 1)
        return fail(err, WASM_BAD_ARGUMENT, field, MSG_BASE64, body);
    size_t len = body / 4 * 3 + (body % 4 ? body % 4 - 1 : 0);
    if (len > MANIFEST_MAX_WASM_BYTES)
        return fail(err, WASM_LIMIT, field, MSG_DATA_BIG, MANIFEST_MAX_WASM_BYTES);
    uint8_t *buf = malloc(len ? len : 1);
    if (!buf)
        return nomem(err);
    uint32_t acc = 0;
    size_t bits = 0, o = 0;
    for (size_t i = 0; i < body; i++) {
        int v = b64_value((unsigned char)s[i]);
        if (v < 0) {
            free(buf);
            return fail(err, WASM_BAD_ARGUMENT, field, MSG_BASE64, i);
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            buf[o++] = (uint8_t)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    if (acc != 0) {
        free(buf);
        return fail(err, WASM_BAD_ARGUMENT, field, MSG_BASE64_BITS);
    }
    *out = buf;
    *outlen = o;
    return WASM_OK;
}

/* "hash": 64 hex digits of either case, kept in lower case. */
static wasm_status parse_hash(const char *s, const char *field, wasm_error *err)
{
    size_t n = strlen(s);
    bool ok = n == SHA256_HEX_LEN;
    for (size_t i = 0; ok && i < n; i++)
        ok = (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
             (s[i] >= 'A' && s[i] <= 'F');
    if (!ok)
        return fail(err, WASM_BAD_ARGUMENT, field, MSG_HASH_FORM, n);
    return WASM_OK;
}

static void lower_hex(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'F')
            *s = (char)(*s - 'A' + 'a');
}

static wasm_status check_hash(const ext_wasm_source *src, const char *field, wasm_error *err)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!EVP_Digest(src->data, src->len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
        return fail(err, WASM_NOMEM, field, "SHA-256 failed");
    char got[SHA256_HEX_LEN + 1];
    for (unsigned int i = 0; i < mdlen; i++)
        snprintf(got + 2 * i, 3, "%02x", md[i]);
    if (strcmp(got, src->hash) != 0)
        return fail(err, WASM_BAD_ARGUMENT, field, MSG_HASH_MISMATCH, src->hash, got);
    return WASM_OK;
}

/* ---- Files ------------------------------------------------------------- */

/* base_dir + "/" + path, or a copy of path when it is absolute or there is
   no base_dir. */
static char *resolve_path(const char *base_dir, const char *path)
{
    if (path[0] == '/' || !base_dir || !base_dir[0])
        return dup_str(path);
    size_t nb = strlen(base_dir), np = strlen(path);
    bool slash = base_dir[nb - 1] == '/';
    char *out = malloc(nb + !slash + np + 1);
    if (!out)
        return NULL;
    memcpy(out, base_dir, nb);
    if (!slash)
        out[nb++] = '/';
    memcpy(out + nb, path, np + 1);
    return out;
}

/* Reads a whole regular file of at most MANIFEST_MAX_WASM_BYTES.  Opened
   non-blocking so that a FIFO cannot hang the load; fstat then refuses it. */
static wasm_status read_file(const char *path, const char *field, uint8_t **out, size_t *len,
                             wasm_error *err)
{
    wasm_status st = WASM_OK;
    uint8_t *buf = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return fail(err, WASM_BAD_ARGUMENT, field, MSG_READ, path, strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        st = fail(err, WASM_BAD_ARGUMENT, field, MSG_READ, path, strerror(errno));
        goto out;
    }
    if (!S_ISREG(sb.st_mode)) {
        st = fail(err, WASM_BAD_ARGUMENT, field, MSG_NOT_FILE, path);
        goto out;
    }
    if ((unsigned long long)sb.st_size > MANIFEST_MAX_WASM_BYTES) {
        st = fail(err, WASM_LIMIT, field, MSG_FILE_BIG, path, (long long)sb.st_size,
                  MANIFEST_MAX_WASM_BYTES);
        goto out;
    }
    size_t size = (size_t)sb.st_size, got = 0;
    buf = malloc(size ? size : 1);
    if (!buf) {
        st = nomem(err);
        goto out;
    }
    while (got < size) {
        ssize_t r = read(fd, buf + got, size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            st = fail(err, WASM_BAD_ARGUMENT, field, MSG_READ, path, strerror(errno));
            goto out;
        }
        if (r == 0)
            break;  /* it shrank while we read: take what is there */
        got += (size_t)r;
    }
    *out = buf;
    *len = got;
    buf = NULL;
out:
    free(buf);
    close(fd);
    return st;
}

/* ---- The fields -------------------------------------------------------- */

static wasm_status parse_source(const json_t *v, size_t i, const char *base_dir,
                                ext_wasm_source *src, wasm_error *err)
{
    static const char *const known[] = {"path", "data", "name", "hash", NULL};
    field_path p, f;
    snprintf(p, sizeof p, "wasm[%zu]", i);
    if (!json_is_object(v))
        return fail(err, WASM_BAD_ARGUMENT, p, MSG_NOT_OBJECT, json_kind(v));
    if (json_object_get(v, "url"))
        return fail(err, WASM_BAD_ARGUMENT, p, MSG_URL);
    wasm_status st = check_fields(v, p, known, err);
    if (st)
        return st;
    const json_t *path = json_object_get(v, "path"), *data = json_object_get(v, "data");
    if (path && data)
        return fail(err, WASM_BAD_ARGUMENT, p, MSG_BOTH);
    if (!path && !data)
        return fail(err, WASM_BAD_ARGUMENT, p, MSG_NEITHER);

    snprintf(f, sizeof f, "wasm[%zu].name", i);
    if ((st = get_str(json_object_get(v, "name"), f, true, &src->name, err)))
        return st;
    snprintf(f, sizeof f, "wasm[%zu].hash", i);
    if ((st = get_str(json_object_get(v, "hash"), f, true, &src->hash, err)))
        return st;
    if (src->hash) {
        if ((st = parse_hash(src->hash, f, err)))
            return st;
        lower_hex(src->hash);
    }
    if (path) {
        char *rel;
        snprintf(f, sizeof f, "wasm[%zu].path", i);
        if ((st = get_str(path, f, false, &rel, err)))
            return st;
        if (!rel[0]) {
            free(rel);
            return fail(err, WASM_BAD_ARGUMENT, f, MSG_EMPTY);
        }
        src->path = resolve_path(base_dir, rel);
        free(rel);
        if (!src->path)
            return nomem(err);
        st = read_file(src->path, f, &src->data, &src->len, err);
    } else {
        snprintf(f, sizeof f, "wasm[%zu].data", i);
        if (json_is_object(data))
            return fail(err, WASM_BAD_ARGUMENT, f, MSG_PTR_DATA);
        if (!json_is_string(data))
            return fail(err, WASM_BAD_ARGUMENT, f, MSG_EXPECTED, "a base64 string",
                        json_kind(data));
        st = base64_decode(json_string_value(data), json_string_length(data), f, &src->data,
                           &src->len, err);
    }
    if (st)
        return st;
    return src->hash ? check_hash(src, p, err) : WASM_OK;
}

static wasm_status parse_wasm(const json_t *v, const char *base_dir, ext_manifest *m,
                              wasm_error *err)
{
    if (!v)
        return fail(err, WASM_BAD_ARGUMENT, "wasm", MSG_MISSING_WASM);
    if (!json_is_array(v))
        return fail(err, WASM_BAD_ARGUMENT, "wasm", MSG_EXPECTED, "an array of sources",
                    json_kind(v));
    size_t n = json_array_size(v);
    if (n == 0)
        return fail(err, WASM_BAD_ARGUMENT, "wasm", MSG_NO_WASM);
    if (n > MANIFEST_MAX_MODULES)
        return fail(err, WASM_LIMIT, "wasm", MSG_TOO_MANY, MANIFEST_MAX_MODULES);
    m->wasm = calloc(n, sizeof *m->wasm);
    if (!m->wasm)
        return nomem(err);
    m->nwasm = n;
    for (size_t i = 0; i < n; i++) {
        wasm_status st = parse_source(json_array_get(v, i), i, base_dir, &m->wasm[i], err);
        if (st)
            return st;
        for (size_t j = 0; m->wasm[i].name && j < i; j++) {
            if (m->wasm[j].name && strcmp(m->wasm[j].name, m->wasm[i].name) == 0) {
                field_path f;
                snprintf(f, sizeof f, "wasm[%zu].name", i);
                return fail(err, WASM_BAD_ARGUMENT, f, MSG_DUP_NAME, m->wasm[i].name, j);
            }
        }
    }
    return WASM_OK;
}

static wasm_status parse_memory(const json_t *v, ext_manifest *m, wasm_error *err)
{
    /* "max" is the name Extism's manifests used before "max_pages". */
    static const char *const known[] = {"max_pages", "max", "max_http_response_bytes",
                                        "max_var_bytes", NULL};
    if (!json_is_object(v))
        return fail(err, WASM_BAD_ARGUMENT, "memory", MSG_NOT_OBJECT, json_kind(v));
    wasm_status st = check_fields(v, "memory", known, err);
    if (st)
        return st;
    uint64_t pages = 0;
    const char *pname = json_object_get(v, "max_pages") ? "max_pages" : "max";
    field_path f;
    snprintf(f, sizeof f, "memory.%s", pname);
    if ((st = get_uint(json_object_get(v, pname), f, UINT32_MAX, &m->has_max_pages, &pages,
                       err)))
        return st;
    m->max_pages = (uint32_t)pages;
    if ((st = get_uint(json_object_get(v, "max_http_response_bytes"),
                       "memory.max_http_response_bytes", UINT64_MAX, &m->has_max_http,
                       &m->max_http_response_bytes, err)))
        return st;
    return get_uint(json_object_get(v, "max_var_bytes"), "memory.max_var_bytes", UINT64_MAX,
                    &m->has_max_var, &m->max_var_bytes, err);
}

static wasm_status parse_config(const json_t *v, ext_manifest *m, wasm_error *err)
{
    if (!json_is_object(v))
        return fail(err, WASM_BAD_ARGUMENT, "config", MSG_NOT_OBJECT, json_kind(v));
    size_t n = json_object_size(v);
    m->config_keys = calloc(n ? n : 1, sizeof(char *));
    m->config_values = calloc(n ? n : 1, sizeof(char *));
    if (!m->config_keys || !m->config_values)
        return nomem(err);
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)v, key, val) {
        field_path f;
        snprintf(f, sizeof f, "config[\"%s\"]", key);
        size_t i = m->nconfig;
        m->config_keys[i] = dup_str(key);
        m->nconfig++;
        if (!m->config_keys[i])
            return nomem(err);
        wasm_status st = get_str(val, f, false, &m->config_values[i], err);
        if (st)
            return st;
    }
    return WASM_OK;
}

static wasm_status parse_hosts(const json_t *v, ext_manifest *m, wasm_error *err)
{
    if (json_is_null(v))
        return WASM_OK;
    if (!json_is_array(v))
        return fail(err, WASM_BAD_ARGUMENT, "allowed_hosts", MSG_EXPECTED,
                    "an array of strings", json_kind(v));
    size_t n = json_array_size(v);
    m->allowed_hosts = calloc(n ? n : 1, sizeof(char *));
    if (!m->allowed_hosts)
        return nomem(err);
    for (size_t i = 0; i < n; i++) {
        field_path f;
        snprintf(f, sizeof f, "allowed_hosts[%zu]", i);
        m->nallowed_hosts++;
        wasm_status st = get_str(json_array_get(v, i), f, false, &m->allowed_hosts[i], err);
        if (st)
            return st;
        if (!m->allowed_hosts[i][0])
            return fail(err, WASM_BAD_ARGUMENT, f, MSG_EMPTY);
    }
    return WASM_OK;
}

static wasm_status parse_paths(const json_t *v, const char *base_dir, ext_manifest *m,
                               wasm_error *err)
{
    if (json_is_null(v))
        return WASM_OK;
    if (!json_is_object(v))
        return fail(err, WASM_BAD_ARGUMENT, "allowed_paths", MSG_NOT_OBJECT, json_kind(v));
    size_t n = json_object_size(v);
    m->allowed_paths = calloc(n ? n : 1, sizeof *m->allowed_paths);
    if (!m->allowed_paths)
        return nomem(err);
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)v, key, val) {
        field_path f;
        snprintf(f, sizeof f, "allowed_paths[\"%s\"]", key);
        ext_path_grant *g = &m->allowed_paths[m->nallowed_paths++];
        g->readonly = strncmp(key, "ro:", 3) == 0;
        const char *host = g->readonly ? key + 3 : key;
        if (!host[0])
            return fail(err, WASM_BAD_ARGUMENT, f, "expected a host path as the key");
        g->host = resolve_path(base_dir, host);
        if (!g->host)
            return nomem(err);
        wasm_status st = get_str(val, f, false, &g->guest, err);
        if (st)
            return st;
        if (!g->guest[0])
            return fail(err, WASM_BAD_ARGUMENT, f, MSG_EMPTY);
    }
    return WASM_OK;
}

static wasm_status parse_root(const json_t *root, const char *base_dir, ext_manifest *m,
                              wasm_error *err)
{
    static const char *const known[] = {"wasm", "memory", "config", "allowed_hosts",
                                        "allowed_paths", "timeout_ms", NULL};
    if (!json_is_object(root))
        return fail(err, WASM_BAD_ARGUMENT, NULL, MSG_NOT_OBJECT, json_kind(root));
    wasm_status st = check_fields(root, "", known, err);
    const json_t *v;
    if (!st)
        st = parse_wasm(json_object_get(root, "wasm"), base_dir, m, err);
    if (!st && (v = json_object_get(root, "memory")))
        st = parse_memory(v, m, err);
    if (!st && (v = json_object_get(root, "config")))
        st = parse_config(v, m, err);
    if (!st && (v = json_object_get(root, "allowed_hosts")))
        st = parse_hosts(v, m, err);
    if (!st && (v = json_object_get(root, "allowed_paths")))
        st = parse_paths(v, base_dir, m, err);
    if (!st)
        st = get_uint(json_object_get(root, "timeout_ms"), "timeout_ms", UINT64_MAX,
                      &m->has_timeout, &m->timeout_ms, err);
    return st;
}

ext_manifest *ext_manifest_parse(const char *json, size_t len, const char *base_dir,
                                 wasm_error *err)
{
    if (!json) {
        fail(err, WASM_BAD_ARGUMENT, NULL, "no JSON given");
        return NULL;
    }
    json_error_t jerr;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        fail(err, WASM_BAD_ARGUMENT, NULL, MSG_JSON, jerr.line, jerr.column, jerr.text);
        return NULL;
    }
    ext_manifest *m = calloc(1, sizeof *m);
    wasm_status st = m ? parse_root(root, base_dir, m, err) : nomem(err);
    json_decref(root);
    if (st) {
        ext_manifest_free(m);
        return NULL;
    }
    return m;
}

ext_manifest *ext_manifest_from_wasm(const uint8_t *wasm, size_t len, wasm_error *err)
{
    if (!wasm && len) {
        fail(err, WASM_BAD_ARGUMENT, NULL, "no module given");
        return NULL;
    }
    if (len > MANIFEST_MAX_WASM_BYTES) {
        fail(err, WASM_LIMIT, "wasm[0]", "the module is %zu bytes, more than the limit of %u",
             len, MANIFEST_MAX_WASM_BYTES);
        return NULL;
    }
    ext_manifest *m = calloc(1, sizeof *m);
    ext_wasm_source *src = calloc(1, sizeof *src);
    uint8_t *data = malloc(len ? len : 1);
    if (!m || !src || !data) {
        free(m);
        free(src);
        free(data);
        nomem(err);
        return NULL;
    }
    if (len)
        memcpy(data, wasm, len);
    src->data = data;
    src->len = len;
    m->wasm = src;
    m->nwasm = 1;
    return m;
}

void ext_manifest_free(ext_manifest *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nwasm; i++) {
        free(m->wasm[i].path);
        free(m->wasm[i].data);
        free(m->wasm[i].name);
        free(m->wasm[i].hash);
    }
    free(m->wasm);
    for (size_t i = 0; i < m->nconfig; i++) {
        free(m->config_keys[i]);
        free(m->config_values[i]);
    }
    free(m->config_keys);
    free(m->config_values);
    for (size_t i = 0; i < m->nallowed_hosts; i++)
        free(m->allowed_hosts[i]);
    free(m->allowed_hosts);
    for (size_t i = 0; i < m->nallowed_paths; i++) {
        free(m->allowed_paths[i].host);
        free(m->allowed_paths[i].guest);
    }
    free(m->allowed_paths);
    free(m);
}
