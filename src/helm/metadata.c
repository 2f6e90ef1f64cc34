/*
 * metadata.c - plugin.yaml as Helm 4 reads it, parsed with libfyaml.
 *
 * Follows helm/helm internal/plugin: metadata_v1.go and metadata_legacy.go
 * (the two on-disk forms), metadata.go (validation, legacy -> v1
 * conversion), schema/{cli,getter,postrenderer}.go (config by type),
 * runtime_extismv1.go and runtime_subprocess.go (runtimeConfig by runtime),
 * subprocess_commands.go (platformCommand), plugin.go (the name regex) and
 * Masterminds/semver's StrictNewVersion (the version).
 *
 * The form: apiVersion "v1" is the v1 form; no apiVersion (or an empty one)
 * is the legacy form, converted as Helm converts it: API version "legacy",
 * runtime subprocess, type getter/v1 when it has downloaders (their
 * protocols become config.protocols), else cli/v1 (usage -> shortHelp,
 * description -> longHelp).
 *
 * Stricter than Helm, where Helm is silently wrong: the document's nodes
 * are walked here, so a duplicated key, an unknown key (anywhere, also in
 * runtimeConfig and the legacy form, which Helm drops silently), a value of
 * the wrong type, an unknown hook name, `command`/`hooks` in a v1
 * subprocess runtimeConfig (Helm 4 ignores them) and a maxPages or timeout
 * of 0 (no cap at all to Helm) are errors naming the key path and the line.
 * One exception for old plugins: the legacy `useTunnel` (Helm 3) is read
 * and ignored.  Scalars are accepted as strings whatever they look like
 * (`name: 123`), as Helm's YAML decoder does; integers must be plain
 * decimal.
 */
#include <errno.h>
#include <libfyaml.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "helm/helm.h"
#include "helm/metadata_msg.h"

#define PATH_LEN 256          /* a key path in a message */
#define MAX_FIELDS 16         /* keys of one mapping we know */
#define MAX_FILE (1u << 20)   /* plugin.yaml larger than this is refused */

typedef struct parse {
    const char *file;         /* DIR/plugin.yaml, for messages */
    wasm_error *err;
    helm_plugin *p;
    size_t ndownloaders;      /* legacy: how many downloaders */
} parse;

/* ---- Messages ----------------------------------------------------------- */

static wasm_status bad(parse *ps, int line, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static wasm_status bad(parse *ps, int line, const char *path, const char *fmt, ...)
{
    char cause[WASM_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cause, sizeof cause, fmt, ap);
    va_end(ap);
    if (line > 0)
        return wasm_error_set(ps->err, WASM_BAD_ARGUMENT, "%s:%d: %s: %s", ps->file, line, path,
                              cause);
    return wasm_error_set(ps->err, WASM_BAD_ARGUMENT, "%s: %s: %s", ps->file, path, cause);
}

static wasm_status nomem(parse *ps)
{
    return wasm_error_set(ps->err, WASM_NOMEM, HELM_MSG_Y_NOMEM);
}

/* Copies text for a message: at most size-1 bytes, control bytes as '?'. */
static const char *printable(char *buf, size_t size, const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 4 < size; i++) {
        unsigned char c = (unsigned char)s[i];
        buf[n++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    if (n + 4 >= size && len > n) { memcpy(buf + n, "...", 3); n += 3; }
    buf[n] = 0;
    return buf;
}

static void join_key(char *out, const char *path, const char *key)
{
    snprintf(out, PATH_LEN, "%s%s%s", path, path[0] ? "." : "", key);
}

static void join_index(char *out, const char *path, size_t i)
{
    snprintf(out, PATH_LEN, "%s[%zu]", path, i);
}

/* ---- Nodes -------------------------------------------------------------- */

static struct fy_node *deref(struct fy_node *n)
{
    if (n && fy_node_is_alias(n)) n = fy_node_resolve_alias(n);
    return n;
}

/* The 1-based line where n starts, 0 when unknown (an empty value). */
static int node_line(struct fy_node *n)
{
    if (!n) return 0;
    void *it = NULL;
    if (fy_node_is_scalar(n)) {
        struct fy_token *t = fy_node_get_scalar_token(n);
        const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;
        return m ? m->line + 1 : 0;
    }
    if (fy_node_is_mapping(n)) {
        struct fy_node_pair *pair = fy_node_mapping_iterate(n, &it);
        return pair ? node_line(fy_node_pair_key(pair)) : 0;
    }
    struct fy_node *item = fy_node_sequence_iterate(n, &it);
    return item ? node_line(item) : 0;
}

static bool text_is(const char *s, size_t len, const char *word)
{
    return strlen(word) == len && memcmp(s, word, len) == 0;
}

/* A plain, untagged scalar (its text decides its type). */
static bool is_plain(struct fy_node *n)
{
    size_t tlen = 0;
    return n && fy_node_is_scalar(n) && fy_node_get_style(n) == FYNS_PLAIN &&
           !fy_node_get_tag(n, &tlen);
}

static bool is_null(struct fy_node *n)
{
    if (!n) return true;
    if (!is_plain(n)) return false;
    size_t len;
    const char *s = fy_node_get_scalar(n, &len);
    return len == 0 || text_is(s, len, "~") || text_is(s, len, "null") ||
           text_is(s, len, "Null") || text_is(s, len, "NULL");
}

static int bool_value(struct fy_node *n)  /* 1, 0, or -1 when not a boolean */
{
    if (!is_plain(n)) return -1;
    size_t len;
    const char *s = fy_node_get_scalar(n, &len);
    if (text_is(s, len, "true") || text_is(s, len, "True") || text_is(s, len, "TRUE")) return 1;
    if (text_is(s, len, "false") || text_is(s, len, "False") || text_is(s, len, "FALSE")) return 0;
    return -1;
}

static const char *kind_name(struct fy_node *n)
{
    if (is_null(n)) return "nothing (null)";
    if (fy_node_is_mapping(n)) return "a mapping";
    if (fy_node_is_sequence(n)) return "a list";
    if (bool_value(n) >= 0) return "a boolean";
    if (is_plain(n)) {
        size_t len;
        const char *s = fy_node_get_scalar(n, &len);
        if (len && strspn(s, "+-0123456789.eE_xXoO") == len && strpbrk(s, "0123456789"))
            return "a number";
    }
    return "a string";
}

/* ---- Mappings ----------------------------------------------------------- */

/* Called for each key of a mapping: raw key text, its path, its line. */
typedef wasm_status (*entry_fn)(parse *ps, void *user, const char *key, size_t klen,
                                const char *path, int line, struct fy_node *value);

/* Walks a mapping (null: empty), rejecting keys that are not scalars and
   duplicated keys, calling fn for each key in order. */
static wasm_status map_each(parse *ps, struct fy_node *map, int line, const char *path,
                            entry_fn fn, void *user)
{
    map = deref(map);
    if (is_null(map)) return WASM_OK;
    if (!fy_node_is_mapping(map))
        return bad(ps, line, path[0] ? path : "(top)", HELM_MSG_Y_EXPECTED, "a mapping",
                   kind_name(map));
    void *it = NULL;
    struct fy_node_pair *pair;
    while ((pair = fy_node_mapping_iterate(map, &it))) {
        struct fy_node *k0 = fy_node_pair_key(pair), *k = deref(k0);
        int kline = node_line(k0);
        if (!kline) kline = line;
        if (!k || !fy_node_is_scalar(k) || is_null(k))
            return bad(ps, kline, path[0] ? path : "(top)", HELM_MSG_Y_KEY_TYPE, kind_name(k));
        size_t klen;
        const char *ktext = fy_node_get_scalar(k, &klen);
        char kbuf[80], sub[PATH_LEN];
        join_key(sub, path, printable(kbuf, sizeof kbuf, ktext, klen));
        void *it2 = NULL;
        struct fy_node_pair *q;
        while ((q = fy_node_mapping_iterate(map, &it2)) && q != pair) {
            struct fy_node *qk = deref(fy_node_pair_key(q));
            size_t qlen;
            const char *qtext = fy_node_get_scalar(qk, &qlen);
            if (qtext && qlen == klen && memcmp(qtext, ktext, klen) == 0)
                return bad(ps, kline, sub, HELM_MSG_Y_DUPLICATE, node_line(fy_node_pair_key(q)));
        }
        wasm_status st = fn(ps, user, ktext, klen, sub, kline, fy_node_pair_value(pair));
        if (st != WASM_OK) return st;
    }
    return WASM_OK;
}

/* The known keys of a mapping; val/line are indexed like names. */
typedef struct fields {
    struct fy_node *val[MAX_FIELDS];
    int line[MAX_FIELDS];       /* the key's line; 0 when absent */
    const char *path[MAX_FIELDS];
    char paths[MAX_FIELDS][PATH_LEN];
} fields;

typedef struct field_ctx {
    const char *const *names;   /* NULL-terminated */
    const char *none;           /* the hint when names is empty */
    fields *f;
} field_ctx;

static wasm_status field_entry(parse *ps, void *user, const char *key, size_t klen,
                               const char *path, int line, struct fy_node *value)
{
    field_ctx *c = user;
    char known[256] = "";
    size_t n = 0;
    for (size_t i = 0; c->names[i]; i++) {
        if (text_is(key, klen, c->names[i])) {
            c->f->val[i] = value;
            c->f->line[i] = line;
            return WASM_OK;
        }
        n += (size_t)snprintf(known + n, n < sizeof known ? sizeof known - n : 0, "%s%s",
                              i ? ", " : "known: ", c->names[i]);
        if (n >= sizeof known) n = sizeof known - 1;
    }
    return bad(ps, line, path, HELM_MSG_Y_UNKNOWN, c->names[0] ? known : c->none);
}

/* Reads a mapping with the keys names (NULL-terminated, at most
   MAX_FIELDS); any other key is an error.  f->path[i] is each key's path,
   f->line[i] its line (the mapping's line when absent). */
static wasm_status read_fields(parse *ps, struct fy_node *map, int line, const char *path,
                               const char *const *names, const char *none, fields *f)
{
    memset(f, 0, sizeof *f);
    field_ctx c = {names, none, f};
    wasm_status st = map_each(ps, map, line, path, field_entry, &c);
    for (size_t i = 0; names[i]; i++) {
        join_key(f->paths[i], path, names[i]);
        f->path[i] = f->paths[i];
        if (!f->line[i]) f->line[i] = line;
    }
    return st;
}

/* ---- Values ------------------------------------------------------------- */

static wasm_status read_str(parse *ps, struct fy_node *n, int line, const char *path, char **out)
{
    n = deref(n);
    if (is_null(n)) return WASM_OK;
    if (!fy_node_is_scalar(n))
        return bad(ps, line, path, HELM_MSG_Y_EXPECTED, "a string", kind_name(n));
    size_t len;
    const char *s = fy_node_get_scalar(n, &len);
    if (memchr(s, 0, len))
        return bad(ps, line, path, HELM_MSG_Y_EXPECTED, "text", "a NUL character");
    char *copy = strndup(s, len);
    if (!copy) return nomem(ps);
    free(*out);
    *out = copy;
    return WASM_OK;
}

static wasm_status read_bool(parse *ps, struct fy_node *n, int line, const char *path, bool *out)
{
    n = deref(n);
    if (is_null(n)) return WASM_OK;
    int b = bool_value(n);
    if (b < 0) return bad(ps, line, path, HELM_MSG_Y_EXPECTED, "true or false", kind_name(n));
    *out = b == 1;
    return WASM_OK;
}

/* A plain decimal integer in [min, max]; null leaves *has false. */
static wasm_status read_uint(parse *ps, struct fy_node *n, int line, const char *path,
                             uint64_t min, uint64_t max, uint64_t *out, bool *has)
{
    n = deref(n);
    if (is_null(n)) return WASM_OK;
    size_t len = 0;
    const char *s = is_plain(n) ? fy_node_get_scalar(n, &len) : NULL;
    if (!s || len == 0 || strspn(s, "0123456789") != len)
        return bad(ps, line, path, HELM_MSG_Y_EXPECTED, "a whole number", kind_name(n));
    uint64_t v = 0;
    bool over = false;
    for (size_t i = 0; i < len; i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10) over = true;
        v = v * 10 + d;
    }
    if (over || v < min || v > max) {
        char text[32], range[64];
        snprintf(range, sizeof range, "%llu to %llu", (unsigned long long)min,
                 (unsigned long long)max);
        return bad(ps, line, path, HELM_MSG_Y_RANGE, printable(text, sizeof text, s, len), range);
    }
    *out = v;
    *has = true;
    return WASM_OK;
}

static wasm_status push_str(parse *ps, char ***arr, size_t *n, char *s)
{
    char **grown = realloc(*arr, (*n + 2) * sizeof **arr);
    if (!grown) { free(s); return nomem(ps); }
    grown[(*n)++] = s;
    grown[*n] = NULL;
    *arr = grown;
    return WASM_OK;
}

/* Reads one item of a list: item (its line, its key path "path[i]"). */
typedef wasm_status (*item_reader)(parse *ps, struct fy_node *item, int line, const char *path,
                                   void *user);

/* A list (absent or null: empty), each item given to read. */
static wasm_status read_list(parse *ps, struct fy_node *n, int line, const char *path,
                             item_reader read, void *user)
{
    n = deref(n);
    if (is_null(n)) return WASM_OK;
    if (!fy_node_is_sequence(n))
        return bad(ps, line, path, HELM_MSG_Y_EXPECTED, "a list", kind_name(n));
    void *it = NULL;
    struct fy_node *item;
    for (size_t i = 0; (item = fy_node_sequence_iterate(n, &it)); i++) {
        char sub[PATH_LEN];
        join_index(sub, path, i);
        wasm_status st = read(ps, item, node_line(item) ? node_line(item) : line, sub, user);
        if (st != WASM_OK) return st;
    }
    return WASM_OK;
}

typedef struct str_list {
    bool nonempty;
    char ***arr;
    size_t *count;
} str_list;

static wasm_status str_list_item(parse *ps, struct fy_node *item, int line, const char *path,
                                 void *user)
{
    const str_list *l = user;
    char *s = NULL;
    struct fy_node *v = deref(item);
    if (is_null(v) || !fy_node_is_scalar(v))
        return bad(ps, line, path, HELM_MSG_Y_EXPECTED, "a string", kind_name(v));
    wasm_status st = read_str(ps, v, line, path, &s);
    if (st != WASM_OK) return st;
    if (l->nonempty && !s[0]) {
        free(s);
        return bad(ps, line, path, HELM_MSG_Y_EMPTY_VALUE);
    }
    return push_str(ps, l->arr, l->count, s);
}

/* A list of strings appended to *arr (NULL-terminated); nonempty: no
   empty entry. */
static wasm_status read_str_list(parse *ps, struct fy_node *n, int line, const char *path,
                                 bool nonempty, char ***arr, size_t *count)
{
    str_list l = {nonempty, arr, count};
    return read_list(ps, n, line, path, str_list_item, &l);
}

static void strings_free(char **s, size_t n)
{
    if (!s) return;
    for (size_t i = 0; i < n; i++) free(s[i]);
    free(s);
}

/* ---- Names and versions ------------------------------------------------- */

/* Helm's validPluginName: ^[A-Za-z0-9_-]+$. */
static wasm_status check_name(parse *ps, int line, const char *name)
{
    if (!name || !name[0]) return bad(ps, line, "name", HELM_MSG_Y_REQUIRED);
    size_t len = strlen(name);
    if (strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != len) {
        char text[80];
        return bad(ps, line, "name", HELM_MSG_Y_NAME, printable(text, sizeof text, name, len));
    }
    return WASM_OK;
}

/* A numeric part of MAJOR.MINOR.PATCH: digits, no leading zero, 64 bits
   (as Masterminds/semver's StrictNewVersion).  Advances *s. */
static const char *semver_number(const char **s)
{
    const char *p = *s;
    size_t n = strspn(p, "0123456789");
    if (n == 0) return "MAJOR, MINOR and PATCH must be numbers";
    if (n > 1 && p[0] == '0') return "a number has a leading zero";
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned)(p[i] - '0');
        if (v > (UINT64_MAX - d) / 10) return "a number is larger than 64 bits";
        v = v * 10 + d;
    }
    *s = p + n;
    return NULL;
}

/* Dot-separated identifiers of [0-9A-Za-z-], none empty; in a
   pre-release, a numeric one has no leading zero.  Advances *s. */
static const char *semver_idents(const char **s, bool pre)
{
    static const char ident[] =
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-";
    const char *p = *s;
    for (;;) {
        size_t n = strspn(p, ident);
        if (n == 0)
            return pre ? "an empty or ill-formed pre-release identifier"
                       : "an empty or ill-formed build identifier";
        if (pre && n > 1 && p[0] == '0' && strspn(p, "0123456789") >= n)
            return "a numeric pre-release identifier has a leading zero";
        p += n;
        if (*p != '.') break;
        p++;
    }
    *s = p;
    return NULL;
}

/* NULL when v is a strict SemVer 2.0 version, else why not. */
static const char *semver_problem(const char *v)
{
    if (v[0] == 'v' || v[0] == 'V') return "no leading v";
    const char *s = v, *why;
    for (int i = 0; i < 3; i++) {
        if ((why = semver_number(&s))) return why;
        if (i < 2 && *s++ != '.') return "needs three numbers MAJOR.MINOR.PATCH";
    }
    if (*s == '-') {
        s++;
        if ((why = semver_idents(&s, true))) return why;
    }
    if (*s == '+') {
        s++;
        if ((why = semver_idents(&s, false))) return why;
    }
    if (*s == '.') return "needs three numbers MAJOR.MINOR.PATCH, no more";
    if (*s) return "an unexpected character";
    return NULL;
}

static wasm_status check_version(parse *ps, int line, const char *version, bool required)
{
    if (!version || !version[0])
        return required ? bad(ps, line, "version", HELM_MSG_Y_REQUIRED) : WASM_OK;
    const char *why = semver_problem(version);
    if (!why) return WASM_OK;
    char text[80];
    return bad(ps, line, "version", HELM_MSG_Y_VERSION,
               printable(text, sizeof text, version, strlen(version)), why);
}

/* ---- Subprocess commands and hooks -------------------------------------- */

static const char *const pcommand_keys[] = {"os", "arch", "command", "args", NULL};
enum { PC_OS, PC_ARCH, PC_COMMAND, PC_ARGS };

/* One {os, arch, command, args} of a platformCommand list; the first
   command goes to *first (user, may be NULL) when that is still NULL. */
static wasm_status platform_command_item(parse *ps, struct fy_node *item, int line,
                                         const char *path, void *user)
{
    char **first = user;
    fields f;
    char *os = NULL, *arch = NULL, *command = NULL, **args = NULL;
    size_t nargs = 0;
    wasm_status st = read_fields(ps, item, line, path, pcommand_keys, NULL, &f);
    if (st == WASM_OK) st = read_str(ps, f.val[PC_OS], f.line[PC_OS], f.path[PC_OS], &os);
    if (st == WASM_OK) st = read_str(ps, f.val[PC_ARCH], f.line[PC_ARCH], f.path[PC_ARCH], &arch);
    if (st == WASM_OK)
        st = read_str(ps, f.val[PC_COMMAND], f.line[PC_COMMAND], f.path[PC_COMMAND], &command);
    if (st == WASM_OK)
        st = read_str_list(ps, f.val[PC_ARGS], f.line[PC_ARGS], f.path[PC_ARGS], false, &args,
                           &nargs);
    if (st == WASM_OK && (!command || !command[0]))
        st = bad(ps, f.line[PC_COMMAND], f.path[PC_COMMAND], HELM_MSG_Y_REQUIRED);
    if (st == WASM_OK && first && !*first) { *first = command; command = NULL; }
    free(os);
    free(arch);
    free(command);
    strings_free(args, nargs);
    return st;
}

/* platformCommand: a list of {os, arch, command, args}. */
static wasm_status read_platform_commands(parse *ps, struct fy_node *n, int line, const char *path,
                                          char **first)
{
    return read_list(ps, n, line, path, platform_command_item, first);
}

/* Helm runs the hooks install, update and delete (runtime_subprocess_hooks.go). */
static wasm_status check_hook_name(parse *ps, const char *key, size_t klen, const char *path,
                                   int line)
{
    if (text_is(key, klen, "install") || text_is(key, klen, "update") ||
        text_is(key, klen, "delete"))
        return WASM_OK;
    char text[64];
    return bad(ps, line, path, HELM_MSG_Y_HOOK, printable(text, sizeof text, key, klen));
}

static wasm_status platform_hook_entry(parse *ps, void *user, const char *key, size_t klen,
                                       const char *path, int line, struct fy_node *value)
{
    (void)user;
    wasm_status st = check_hook_name(ps, key, klen, path, line);
    if (st != WASM_OK) return st;
    return read_platform_commands(ps, value, line, path, NULL);
}

static wasm_status legacy_hook_entry(parse *ps, void *user, const char *key, size_t klen,
                                     const char *path, int line, struct fy_node *value)
{
    (void)user;
    wasm_status st = check_hook_name(ps, key, klen, path, line);
    char *command = NULL;
    if (st == WASM_OK) st = read_str(ps, value, line, path, &command);
    free(command);
    return st;
}

/* One {protocols, <command key>} of legacy downloaders (command, a
   string) or v1 protocolCommands (platformCommand); user: legacy.
   Legacy downloaders' protocols become p->protocols, as Helm's
   conversion does. */
static wasm_status protocol_command_item(parse *ps, struct fy_node *item, int line,
                                         const char *path, void *user)
{
    static const char *const legacy_keys[] = {"protocols", "command", NULL};
    static const char *const v1_keys[] = {"protocols", "platformCommand", NULL};
    bool legacy = *(const bool *)user;
    fields f;
    char **protocols = NULL, *command = NULL;
    size_t nprotocols = 0;
    wasm_status st = read_fields(ps, item, line, path, legacy ? legacy_keys : v1_keys, NULL, &f);
    if (st == WASM_OK)
        st = read_str_list(ps, f.val[0], f.line[0], f.path[0], true, &protocols, &nprotocols);
    if (st == WASM_OK && nprotocols == 0)
        st = bad(ps, f.line[0], f.path[0], HELM_MSG_Y_NO_PROTOCOLS);
    if (st == WASM_OK && legacy) {
        st = read_str(ps, f.val[1], f.line[1], f.path[1], &command);
        if (st == WASM_OK && (!command || !command[0]))
            st = bad(ps, f.line[1], f.path[1], HELM_MSG_Y_REQUIRED);
        if (st == WASM_OK && !ps->p->command) { ps->p->command = command; command = NULL; }
        for (size_t j = 0; st == WASM_OK && j < nprotocols; j++) {
            st = push_str(ps, &ps->p->protocols, &ps->p->nprotocols, protocols[j]);
            protocols[j] = NULL;
        }
        ps->ndownloaders++;
    } else if (st == WASM_OK) {
        st = read_platform_commands(ps, f.val[1], f.line[1], f.path[1], &ps->p->command);
    }
    free(command);
    strings_free(protocols, nprotocols);
    return st;
}

/* A list of protocol commands (protocol_command_item). */
static wasm_status read_protocol_commands(parse *ps, struct fy_node *n, int line,
                                          const char *path, bool legacy)
{
    return read_list(ps, n, line, path, protocol_command_item, &legacy);
}

/* ---- runtimeConfig ------------------------------------------------------ */

static wasm_status config_entry(parse *ps, void *user, const char *key, size_t klen,
                                const char *path, int line, struct fy_node *value)
{
    helm_extism_config *x = user;
    if (memchr(key, 0, klen))
        return bad(ps, line, path, HELM_MSG_Y_EXPECTED, "a key", "a NUL character");
    char *k = strndup(key, klen), *v = NULL;
    if (!k) return nomem(ps);
    wasm_status st = read_str(ps, value, line, path, &v);
    if (st == WASM_OK && !v && !(v = strdup(""))) st = nomem(ps);
    char **keys = st == WASM_OK ? realloc(x->config_keys, (x->nconfig + 1) * sizeof *keys) : NULL;
    if (keys) x->config_keys = keys;
    char **values = keys ? realloc(x->config_values, (x->nconfig + 1) * sizeof *values) : NULL;
    if (values) x->config_values = values;
    if (st == WASM_OK && !values) st = nomem(ps);
    if (st != WASM_OK) { free(k); free(v); return st; }
    x->config_keys[x->nconfig] = k;
    x->config_values[x->nconfig++] = v;
    return WASM_OK;
}

static const char *const extism_keys[] = {"memory", "config", "allowedHosts", "fileSystem",
                                          "timeout", "hostFunctions", "entryFuncName", NULL};
enum { X_MEMORY, X_CONFIG, X_HOSTS, X_FS, X_TIMEOUT, X_HOSTFN, X_ENTRY };
static const char *const memory_keys[] = {"maxPages", "maxHttpResponseBytes", "maxVarBytes", NULL};
static const char *const fs_keys[] = {"createTempDir", NULL};

/* runtimeConfig of extism/v1 (RuntimeConfigExtismV1). */
static wasm_status read_extism(parse *ps, struct fy_node *n, int line, const char *path)
{
    helm_extism_config *x = &ps->p->extism;
    fields f, m, fs;
    uint64_t v = 0;
    wasm_status st = read_fields(ps, n, line, path, extism_keys, NULL, &f);
    if (st == WASM_OK)
        st = read_fields(ps, f.val[X_MEMORY], f.line[X_MEMORY], f.path[X_MEMORY], memory_keys, NULL,
                         &m);
    if (st == WASM_OK && (st = read_uint(ps, m.val[0], m.line[0], m.path[0], 0, 65536, &v,
                                         &x->has_max_pages)) == WASM_OK)
        x->max_pages = (uint32_t)v;
    if (st == WASM_OK && x->has_max_pages && v == 0)
        st = bad(ps, m.line[0], m.path[0], HELM_MSG_Y_ZERO, "memory cap", "pages from 1 to 65536");
    if (st == WASM_OK)
        st = read_uint(ps, m.val[1], m.line[1], m.path[1], 0, INT64_MAX, &x->max_http_response,
                       &x->has_max_http);
    if (st == WASM_OK)
        st = read_uint(ps, m.val[2], m.line[2], m.path[2], 0, INT64_MAX, &x->max_var_bytes,
                       &x->has_max_var);
    if (st == WASM_OK)
        st = map_each(ps, f.val[X_CONFIG], f.line[X_CONFIG], f.path[X_CONFIG], config_entry, x);
    if (st == WASM_OK && f.val[X_HOSTS] && !is_null(deref(f.val[X_HOSTS]))) {
        x->has_allowed_hosts = true;
        st = read_str_list(ps, f.val[X_HOSTS], f.line[X_HOSTS], f.path[X_HOSTS], true,
                           &x->allowed_hosts, &x->nallowed_hosts);
    }
    if (st == WASM_OK)
        st = read_fields(ps, f.val[X_FS], f.line[X_FS], f.path[X_FS], fs_keys, NULL, &fs);
    if (st == WASM_OK) st = read_bool(ps, fs.val[0], fs.line[0], fs.path[0], &x->create_temp_dir);
    if (st == WASM_OK)
        st = read_uint(ps, f.val[X_TIMEOUT], f.line[X_TIMEOUT], f.path[X_TIMEOUT], 0,
                       UINT64_MAX / 1000000u, &x->timeout_ms, &x->has_timeout);
    if (st == WASM_OK && x->has_timeout && x->timeout_ms == 0)
        st = bad(ps, f.line[X_TIMEOUT], f.path[X_TIMEOUT], HELM_MSG_Y_ZERO, "timeout",
                 "milliseconds, 1 or more");
    if (st == WASM_OK)
        st = read_str_list(ps, f.val[X_HOSTFN], f.line[X_HOSTFN], f.path[X_HOSTFN], true,
                           &x->host_functions, &x->nhost_functions);
    if (st == WASM_OK)
        st = read_str(ps, f.val[X_ENTRY], f.line[X_ENTRY], f.path[X_ENTRY], &x->entry_func);
    if (st == WASM_OK && x->entry_func && !x->entry_func[0])
        st = bad(ps, f.line[X_ENTRY], f.path[X_ENTRY], HELM_MSG_Y_EMPTY_VALUE);
    if (st == WASM_OK && !x->entry_func && !(x->entry_func = strdup(HELM_DEFAULT_ENTRY)))
        st = nomem(ps);
    return st;
}

static const char *const subprocess_keys[] = {"platformCommand", "platformHooks",
                                              "protocolCommands", "command", "hooks", NULL};

/* runtimeConfig of subprocess, v1 form (RuntimeConfigSubprocess).  Helm 4
   dropped `command` and `hooks` from it (helm#31145 follow-up), and
   ignores them silently: here they are errors. */
static wasm_status read_subprocess(parse *ps, struct fy_node *n, int line, const char *path)
{
    fields f;
    wasm_status st = read_fields(ps, n, line, path, subprocess_keys, NULL, &f);
    if (st == WASM_OK && f.val[3])
        st = bad(ps, f.line[3], f.path[3], HELM_MSG_Y_V1_DROPPED, "platformCommand");
    if (st == WASM_OK && f.val[4])
        st = bad(ps, f.line[4], f.path[4], HELM_MSG_Y_V1_DROPPED, "platformHooks");
    if (st == WASM_OK)
        st = read_platform_commands(ps, f.val[0], f.line[0], f.path[0], &ps->p->command);
    if (st == WASM_OK)
        st = map_each(ps, f.val[1], f.line[1], f.path[1], platform_hook_entry, NULL);
    if (st == WASM_OK) st = read_protocol_commands(ps, f.val[2], f.line[2], f.path[2], false);
    return st;
}

/* ---- The two forms ------------------------------------------------------ */

static const char *const cli_keys[] = {"usage", "shortHelp", "longHelp", "ignoreFlags", NULL};
static const char *const getter_keys[] = {"protocols", NULL};
static const char *const no_keys[] = {NULL};

/* config, by type (schema.ConfigCLIV1, ConfigGetterV1, ConfigPostRendererV1). */
static wasm_status read_config(parse *ps, struct fy_node *n, int line)
{
    helm_plugin *p = ps->p;
    fields f;
    wasm_status st;
    if (strcmp(p->type, "cli/v1") == 0) {
        st = read_fields(ps, n, line, "config", cli_keys, NULL, &f);
        if (st == WASM_OK) st = read_str(ps, f.val[0], f.line[0], f.path[0], &p->usage);
        if (st == WASM_OK) st = read_str(ps, f.val[1], f.line[1], f.path[1], &p->short_help);
        if (st == WASM_OK) st = read_str(ps, f.val[2], f.line[2], f.path[2], &p->long_help);
        if (st == WASM_OK) st = read_bool(ps, f.val[3], f.line[3], f.path[3], &p->ignore_flags);
        return st;
    }
    if (strcmp(p->type, "getter/v1") == 0) {
        st = read_fields(ps, n, line, "config", getter_keys, NULL, &f);
        if (st == WASM_OK)
            st = read_str_list(ps, f.val[0], f.line[0], f.path[0], true, &p->protocols,
                               &p->nprotocols);
        if (st == WASM_OK && p->nprotocols == 0)
            st = bad(ps, f.line[0], f.path[0], HELM_MSG_Y_NO_PROTOCOLS);
        return st;
    }
    return read_fields(ps, n, line, "config", no_keys, "postrenderer/v1 takes no config", &f);
}

static const char *const v1_keys[] = {"apiVersion", "name", "type", "runtime", "version",
                                      "sourceURL", "config", "runtimeConfig", NULL};
enum { V_API, V_NAME, V_TYPE, V_RUNTIME, V_VERSION, V_SOURCE, V_CONFIG, V_RUNTIME_CONFIG };

static wasm_status parse_v1(parse *ps, struct fy_node *root, int line)
{
    helm_plugin *p = ps->p;
    fields f;
    wasm_status st = read_fields(ps, root, line, "", v1_keys, NULL, &f);
    if (st == WASM_OK) st = read_str(ps, f.val[V_NAME], f.line[V_NAME], "name", &p->name);
    if (st == WASM_OK)
        st = read_str(ps, f.val[V_VERSION], f.line[V_VERSION], "version", &p->version);
    if (st == WASM_OK) st = read_str(ps, f.val[V_TYPE], f.line[V_TYPE], "type", &p->type);
    if (st == WASM_OK)
        st = read_str(ps, f.val[V_RUNTIME], f.line[V_RUNTIME], "runtime", &p->runtime);
    if (st == WASM_OK)
        st = read_str(ps, f.val[V_SOURCE], f.line[V_SOURCE], "sourceURL", &p->source_url);
    if (st == WASM_OK) st = check_name(ps, f.line[V_NAME], p->name);
    if (st == WASM_OK) st = check_version(ps, f.line[V_VERSION], p->version, true);
    if (st != WASM_OK) return st;
    char text[80];
    if (!p->type || !p->type[0]) return bad(ps, f.line[V_TYPE], "type", HELM_MSG_Y_REQUIRED);
    if (strcmp(p->type, "cli/v1") && strcmp(p->type, "getter/v1") &&
        strcmp(p->type, "postrenderer/v1"))
        return bad(ps, f.line[V_TYPE], "type", HELM_MSG_Y_TYPE,
                   printable(text, sizeof text, p->type, strlen(p->type)));
    if (!p->runtime || !p->runtime[0])
        return bad(ps, f.line[V_RUNTIME], "runtime", HELM_MSG_Y_REQUIRED);
    bool extism = strcmp(p->runtime, "extism/v1") == 0;
    if (!extism && strcmp(p->runtime, "subprocess"))
        return bad(ps, f.line[V_RUNTIME], "runtime", HELM_MSG_Y_RUNTIME,
                   printable(text, sizeof text, p->runtime, strlen(p->runtime)));
    st = read_config(ps, f.val[V_CONFIG], f.line[V_CONFIG]);
    if (st != WASM_OK) return st;
    if (extism)
        return read_extism(ps, f.val[V_RUNTIME_CONFIG], f.line[V_RUNTIME_CONFIG], "runtimeConfig");
    return read_subprocess(ps, f.val[V_RUNTIME_CONFIG], f.line[V_RUNTIME_CONFIG], "runtimeConfig");
}

/* Helm's sanitizeString for the legacy usage: whitespace becomes a space,
   other control characters go. */
static void sanitize(char *s)
{
    char *out = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') *out++ = ' ';
        else if (c >= 0x20 && c != 0x7f) *out++ = (char)c;
    }
    *out = 0;
}

static const char *const legacy_keys[] = {
    "apiVersion", "name", "version", "usage", "description", "command", "platformCommand",
    "ignoreFlags", "hooks", "platformHooks", "downloaders", "useTunnel", NULL};
enum { L_API, L_NAME, L_VERSION, L_USAGE, L_DESCRIPTION, L_COMMAND, L_PCOMMAND, L_IGNORE,
       L_HOOKS, L_PHOOKS, L_DOWNLOADERS, L_TUNNEL };

static wasm_status parse_legacy(parse *ps, struct fy_node *root, int line)
{
    helm_plugin *p = ps->p;
    fields f;
    char *usage = NULL, *description = NULL;
    bool tunnel = false;
    wasm_status st = read_fields(ps, root, line, "", legacy_keys, NULL, &f);
#define L_STR(i, out) \
    if (st == WASM_OK) st = read_str(ps, f.val[i], f.line[i], f.path[i], out)
    L_STR(L_NAME, &p->name);
    L_STR(L_VERSION, &p->version);
    L_STR(L_USAGE, &usage);
    L_STR(L_DESCRIPTION, &description);
    L_STR(L_COMMAND, &p->command);
#undef L_STR
    if (st == WASM_OK) st = read_bool(ps, f.val[L_IGNORE], f.line[L_IGNORE], f.path[L_IGNORE],
                                      &p->ignore_flags);
    if (st == WASM_OK)
        st = read_bool(ps, f.val[L_TUNNEL], f.line[L_TUNNEL], f.path[L_TUNNEL], &tunnel);
    if (st == WASM_OK) st = check_name(ps, f.line[L_NAME], p->name);
    if (st == WASM_OK) st = check_version(ps, f.line[L_VERSION], p->version, false);
    if (st == WASM_OK && p->command && p->command[0] && f.val[L_PCOMMAND] &&
        !is_null(deref(f.val[L_PCOMMAND])))
        st = bad(ps, f.line[L_PCOMMAND], "platformCommand", HELM_MSG_Y_BOTH, "platformCommand",
                 "command");
    if (st == WASM_OK && f.val[L_HOOKS] && f.val[L_PHOOKS] && !is_null(deref(f.val[L_HOOKS])) &&
        !is_null(deref(f.val[L_PHOOKS])))
        st = bad(ps, f.line[L_PHOOKS], "platformHooks", HELM_MSG_Y_BOTH, "platformHooks", "hooks");
    if (st == WASM_OK && p->command && !p->command[0]) { free(p->command); p->command = NULL; }
    if (st == WASM_OK)
        st = read_platform_commands(ps, f.val[L_PCOMMAND], f.line[L_PCOMMAND], f.path[L_PCOMMAND],
                                    &p->command);
    if (st == WASM_OK)
        st = map_each(ps, f.val[L_HOOKS], f.line[L_HOOKS], f.path[L_HOOKS], legacy_hook_entry,
                      NULL);
    if (st == WASM_OK)
        st = map_each(ps, f.val[L_PHOOKS], f.line[L_PHOOKS], f.path[L_PHOOKS], platform_hook_entry,
                      NULL);
    if (st == WASM_OK)
        st = read_protocol_commands(ps, f.val[L_DOWNLOADERS], f.line[L_DOWNLOADERS],
                                    f.path[L_DOWNLOADERS], true);
    /* The conversion of metadata.go's fromMetadataLegacy. */
    if (st == WASM_OK) {
        bool getter = ps->ndownloaders > 0;
        p->api_version = strdup("legacy");
        p->runtime = strdup("subprocess");
        p->type = strdup(getter ? "getter/v1" : "cli/v1");
        if (!p->version) p->version = strdup("");
        if (!getter) {
            if (usage) sanitize(usage);
            p->short_help = usage;
            p->long_help = description;
            usage = description = NULL;
        }
        if (!p->api_version || !p->runtime || !p->type || !p->version) st = nomem(ps);
    }
    free(usage);
    free(description);
    return st;
}

/* ---- Loading ------------------------------------------------------------ */

typedef struct diag_buf {
    char text[512];
    size_t len;
} diag_buf;

static void diag_output(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
    (void)diag;
    diag_buf *d = user;
    if (len > sizeof d->text - 1 - d->len) len = sizeof d->text - 1 - d->len;
    memcpy(d->text + d->len, buf, len);
    d->len += len;
    d->text[d->len] = 0;
}

/* libfyaml's first error, "...:LINE:COL: error: MESSAGE", as a message. */
static wasm_status syntax_error(parse *ps, const diag_buf *d)
{
    const char *e = strstr(d->text, ": error: ");
    if (!e) return wasm_error_set(ps->err, WASM_BAD_ARGUMENT, HELM_MSG_Y_EMPTY, ps->file);
    const char *p = e;
    while (p > d->text && p[-1] >= '0' && p[-1] <= '9') p--;           /* column */
    if (p > d->text && p[-1] == ':') p--;
    while (p > d->text && p[-1] >= '0' && p[-1] <= '9') p--;           /* line */
    int line = atoi(p);
    const char *msg = e + 9;
    size_t len = strcspn(msg, "\n");
    char text[160];
    return wasm_error_set(ps->err, WASM_BAD_ARGUMENT, HELM_MSG_Y_SYNTAX, ps->file, line,
                          printable(text, sizeof text, msg, len));
}

static char *read_small_file(const char *path, size_t *size, wasm_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_Y_UNREADABLE, path, strerror(errno));
        return NULL;
    }
    char *buf = malloc(MAX_FILE + 1);
    size_t n = buf ? fread(buf, 1, MAX_FILE + 1, f) : 0;
    bool failed = !buf || ferror(f);
    int saved = errno;
    fclose(f);
    if (failed || n > MAX_FILE) {
        free(buf);
        wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_Y_UNREADABLE, path,
                       !buf ? HELM_MSG_Y_NOMEM : n > MAX_FILE ? "larger than 1 MiB"
                                                              : strerror(saved));
        return NULL;
    }
    *size = n;
    return buf;
}

/* The form, from apiVersion (metadata.go's peekAPIVersion): "" is legacy. */
static wasm_status parse_root(parse *ps, struct fy_node *root)
{
    root = deref(root);
    int line = node_line(root) ? node_line(root) : 1;
    if (!fy_node_is_mapping(root))
        return wasm_error_set(ps->err, WASM_BAD_ARGUMENT, HELM_MSG_Y_TOP, ps->file, line,
                              kind_name(root));
    void *it = NULL;
    struct fy_node_pair *pair;
    char *api = NULL;
    while ((pair = fy_node_mapping_iterate(root, &it))) {
        struct fy_node *k = deref(fy_node_pair_key(pair));
        size_t klen;
        const char *ktext = k && fy_node_is_scalar(k) ? fy_node_get_scalar(k, &klen) : NULL;
        if (!ktext || !text_is(ktext, klen, "apiVersion")) continue;
        int kline = node_line(fy_node_pair_key(pair));
        wasm_status st = read_str(ps, fy_node_pair_value(pair), kline, "apiVersion", &api);
        if (st != WASM_OK) return st;
        if (api && api[0] && strcmp(api, "v1") != 0) {
            char text[80];
            st = bad(ps, kline, "apiVersion", HELM_MSG_Y_API,
                     printable(text, sizeof text, api, strlen(api)));
            free(api);
            return st;
        }
        break;
    }
    bool v1 = api && api[0];
    free(api);
    if (!v1) return parse_legacy(ps, root, line);
    if (!(ps->p->api_version = strdup("v1"))) return nomem(ps);
    return parse_v1(ps, root, line);
}

helm_plugin *helm_plugin_load(const char *dir, wasm_error *err)
{
    char file[4096];
    snprintf(file, sizeof file, "%s/%s", dir, HELM_PLUGIN_FILE);
    size_t size = 0;
    char *text = read_small_file(file, &size, err);
    if (!text) return NULL;

    helm_plugin *p = calloc(1, sizeof *p);
    parse ps = {file, err, p, 0};
    diag_buf dbuf = {.len = 0};
    struct fy_diag_cfg dcfg;
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = NULL;
    dcfg.output_fn = diag_output;
    dcfg.user = &dbuf;
    dcfg.colorize = false;
    struct fy_diag *diag = p ? fy_diag_create(&dcfg) : NULL;
    struct fy_parse_cfg pcfg = {.flags = FYPCF_ALLOW_DUPLICATE_KEYS, .diag = diag};
    struct fy_document *doc = NULL;
    wasm_status st = WASM_OK;
    if (!p || !diag || !(p->dir = strdup(dir))) {
        st = nomem(&ps);
    } else if (!(doc = fy_document_build_from_string(&pcfg, text, size))) {
        st = syntax_error(&ps, &dbuf);
    } else if (!fy_document_root(doc)) {
        st = wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_Y_EMPTY, file);
    } else {
        st = parse_root(&ps, fy_document_root(doc));
    }
    /* Helm's LoadDir refuses an extism/v1 plugin without its module. */
    if (st == WASM_OK && strcmp(p->runtime, "extism/v1") == 0) {
        char wasm[4096];
        struct stat sb;
        snprintf(wasm, sizeof wasm, "%s/%s", dir, HELM_PLUGIN_WASM);
        if (stat(wasm, &sb) != 0 || !S_ISREG(sb.st_mode))
            st = wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_Y_NO_WASM, wasm);
    }
    if (doc) fy_document_destroy(doc);
    if (diag) fy_diag_destroy(diag);
    free(text);
    if (st != WASM_OK) {
        helm_plugin_free(p);
        return NULL;
    }
    return p;
}

void helm_plugin_free(helm_plugin *p)
{
    if (!p) return;
    helm_extism_config *x = &p->extism;
    strings_free(x->config_keys, x->nconfig);
    strings_free(x->config_values, x->nconfig);
    strings_free(x->allowed_hosts, x->nallowed_hosts);
    strings_free(x->host_functions, x->nhost_functions);
    free(x->entry_func);
    strings_free(p->protocols, p->nprotocols);
    free(p->dir);
    free(p->api_version);
    free(p->name);
    free(p->version);
    free(p->type);
    free(p->runtime);
    free(p->source_url);
    free(p->usage);
    free(p->short_help);
    free(p->long_help);
    free(p->command);
    free(p);
}
