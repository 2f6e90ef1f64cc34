/*
 * call.c - `wasmguard call FILE.wasm|MANIFEST.json FUNC [OPTIONS]`: call
 * a function of an Extism plugin, with the flags of `extism call`.  Built
 * on the public library, include/wasmguard.h, as an embedder would be.
 *
 * FILE is a module (it starts with the wasm magic) or an Extism JSON
 * manifest (anything else, or any file with --manifest).  The options
 * complete the manifest as `extism call` does, by editing its JSON before
 * it is loaded: --config adds keys, --allow-host and --allow-path add
 * grants, --timeout, --memory-max, --http-response-max and --var-max
 * replace its limits.  The plugin's private guard decides every HTTP
 * request from the resulting allowed_hosts and writes each decision to
 * --audit.
 *
 * The function's output goes to stdout byte for byte (with --loop N > 1,
 * each output is followed by a newline); a failure is one line
 * "wasmguard: <message>" on stderr, the plugin's own message when it set
 * one, and an exit code of its own (cli.h, documented in --help).
 */
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "wasmguard.h"

typedef struct call_args {
    cli_options opts;
    const char *file, *func;
    const char *input;         /* --input, or NULL */
    bool from_stdin;           /* --stdin */
    bool manifest;             /* --manifest: FILE is a manifest whatever it holds */
    bool wasi;
    const char **config;       /* KEY=VALUE (or KEY), in order */
    size_t nconfig;
    const char **hosts;
    size_t nhosts;
    const char **paths;        /* [ro:]HOST[:GUEST] */
    size_t npaths;
    bool has_http_max, has_var_max, has_output_max;
    uint64_t http_max, var_max, output_max;
    wg_log_level log_level;
    uint64_t loop;
    const char *audit;         /* --audit FILE, or NULL */
} call_args;

static void call_args_free(call_args *a)
{
    free(a->config);
    free(a->hosts);
    free(a->paths);
}

static const char *const level_names[] = {"trace", "debug", "info", "warn", "error", "off"};

static bool parse_level(const char *name, wg_log_level *out)
{
    for (int i = WG_LOG_TRACE; i <= WG_LOG_OFF; i++) {
        if (strcmp(name, level_names[i]) == 0) {
            *out = (wg_log_level)i;
            return true;
        }
    }
    return false;
}

/* Options may come before, between or after FILE and FUNC, as with
   `extism call`; "--" ends them. */
static int parse_args(int argc, char **argv, call_args *a)
{
    size_t n = (size_t)argc + 1;
    a->config = calloc(n, sizeof *a->config);
    a->hosts = calloc(n, sizeof *a->hosts);
    a->paths = calloc(n, sizeof *a->paths);
    if (!a->config || !a->hosts || !a->paths) return cli_fail(CLI_CALL_EXIT_OTHER, "out of memory");
    const char *pos[2] = {NULL, NULL};
    int npos = 0;
    bool options = true;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i], *v = NULL;
        if (!options || arg[0] != '-' || arg[1] == 0) {
            if (npos == 2)
                return cli_fail(CLI_CALL_EXIT_USAGE, "call takes FILE and FUNC, then options; "
                                "'%s' is one word too many", arg);
            pos[npos++] = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            options = false;
        } else if (strcmp(arg, "-i") == 0 || cli_is_option(arg, "--input")) {
            if (arg[1] == 'i')
                v = i + 1 < argc ? argv[++i] : NULL;
            else
                v = cli_option_value(argc, argv, &i, "--input");
            if (!v) return cli_fail(CLI_CALL_EXIT_USAGE, "--input wants a string");
            a->input = v;
        } else if (strcmp(arg, "--stdin") == 0) {
            a->from_stdin = true;
        } else if (strcmp(arg, "-m") == 0 || strcmp(arg, "--manifest") == 0) {
            a->manifest = true;
        } else if (strcmp(arg, "--wasi") == 0) {
            a->wasi = true;
        } else if (cli_is_option(arg, "--config")) {
            if (!(v = cli_option_value(argc, argv, &i, "--config")) || !*v || *v == '=')
                return cli_fail(CLI_CALL_EXIT_USAGE, "--config wants KEY=VALUE");
            a->config[a->nconfig++] = v;
        } else if (cli_is_option(arg, "--allow-host")) {
            if (!(v = cli_option_value(argc, argv, &i, "--allow-host")) || !*v)
                return cli_fail(CLI_CALL_EXIT_USAGE, "--allow-host wants a host name or a glob");
            a->hosts[a->nhosts++] = v;
        } else if (cli_is_option(arg, "--allow-path")) {
            if (!(v = cli_option_value(argc, argv, &i, "--allow-path")) || !*v)
                return cli_fail(CLI_CALL_EXIT_USAGE, "--allow-path wants [ro:]HOST[:GUEST]");
            a->paths[a->npaths++] = v;
        } else if (cli_is_option(arg, "--http-response-max")) {
            if (!cli_parse_u64(v = cli_option_value(argc, argv, &i, "--http-response-max"), &a->http_max))
                return cli_fail(CLI_CALL_EXIT_USAGE, "--http-response-max wants bytes, not '%s'",
                                v ? v : "");
            a->has_http_max = true;
        } else if (cli_is_option(arg, "--var-max")) {
            if (!cli_parse_u64(v = cli_option_value(argc, argv, &i, "--var-max"), &a->var_max))
                return cli_fail(CLI_CALL_EXIT_USAGE, "--var-max wants bytes, not '%s'", v ? v : "");
            a->has_var_max = true;
        } else if (cli_is_option(arg, "--output-max")) {
            if (!cli_parse_u64(v = cli_option_value(argc, argv, &i, "--output-max"), &a->output_max) ||
                a->output_max == 0)
                return cli_fail(CLI_CALL_EXIT_USAGE, "--output-max wants bytes (1 or more), not '%s'",
                                v ? v : "");
            a->has_output_max = true;
        } else if (cli_is_option(arg, "--log-level")) {
            if (!(v = cli_option_value(argc, argv, &i, "--log-level")) || !parse_level(v, &a->log_level))
                return cli_fail(CLI_CALL_EXIT_USAGE, "--log-level wants trace, debug, info, warn, "
                                "error or off, not '%s'", v ? v : "");
        } else if (cli_is_option(arg, "--loop")) {
            if (!cli_parse_u64(v = cli_option_value(argc, argv, &i, "--loop"), &a->loop) || a->loop == 0)
                return cli_fail(CLI_CALL_EXIT_USAGE, "--loop wants a count (1 or more), not '%s'",
                                v ? v : "");
        } else if (cli_is_option(arg, "--audit")) {
            if (!(v = cli_option_value(argc, argv, &i, "--audit")) || !*v)
                return cli_fail(CLI_CALL_EXIT_USAGE, "--audit wants a file name");
            a->audit = v;
        } else {
            int r = cli_parse_common_option(argc, argv, &i, &a->opts);
            if (r < 0) return CLI_CALL_EXIT_USAGE;
            if (r == 0)
                return cli_fail(CLI_CALL_EXIT_USAGE, "unknown option '%s' (see wasmguard --help)",
                                arg);
        }
    }
    if (a->opts.help || a->opts.version) return CLI_EXIT_OK;
    if (npos < 2)
        return cli_fail(CLI_CALL_EXIT_USAGE, "usage: wasmguard call FILE.wasm|MANIFEST.json FUNC "
                        "[OPTIONS] (see wasmguard --help)");
    if (a->input && a->from_stdin)
        return cli_fail(CLI_CALL_EXIT_USAGE, "--input and --stdin exclude each other");
    a->file = pos[0];
    a->func = pos[1];
    return CLI_EXIT_OK;
}

/* ---- The manifest ------------------------------------------------------ */

static bool is_wasm(const uint8_t *bytes, size_t len)
{
    return len >= 4 && memcmp(bytes, "\0asm", 4) == 0;
}

static char *dup_len(const char *s, size_t len)
{
    char *copy = malloc(len + 1);
    if (copy) {
        memcpy(copy, s, len);
        copy[len] = 0;
    }
    return copy;
}

/* FILE's directory, for the manifest's relative paths (malloc'd). */
static char *dir_of(const char *file)
{
    const char *slash = strrchr(file, '/');
    if (!slash) return strdup(".");
    if (slash == file) return strdup("/");
    return dup_len(file, (size_t)(slash - file));
}

static bool edits_manifest(const call_args *a)
{
    return a->nconfig || a->nhosts || a->npaths || a->opts.has_memory_max ||
           a->opts.has_timeout || a->has_http_max || a->has_var_max;
}

/* root[key] as an object or array, made when absent or null; NULL when it
   has another type (the manifest's parser will say so) or no memory. */
static json_t *member(json_t *root, const char *key, bool array)
{
    json_t *v = json_object_get(root, key);
    if (!v || json_is_null(v)) {
        v = array ? json_array() : json_object();
        if (!v || json_object_set_new(root, key, v) != 0) return NULL;
    }
    return (array ? json_is_array(v) : json_is_object(v)) ? v : NULL;
}

/* A JSON string of an option's text, or NULL (reported) when it is not
   UTF-8 or memory ran out. */
static json_t *text_of(const char *s, const char *option)
{
    json_t *v = json_string(s);
    char shown[128];
    if (!v)
        cli_fail(CLI_CALL_EXIT_USAGE, "%s: '%s' is not valid UTF-8", option,
                 cli_printable(shown, sizeof shown, s, strlen(s)));
    return v;
}

static bool set_int(json_t *obj, const char *key, uint64_t v)
{
    return obj && json_object_set_new(obj, key, json_integer((json_int_t)v)) == 0;
}

/* "[ro:]HOST[:GUEST]" into allowed_paths: HOST made absolute (relative to
   the current directory, not the manifest's), GUEST defaulting to HOST. */
static int add_path(json_t *paths, const char *spec)
{
    bool ro = strncmp(spec, "ro:", 3) == 0;
    const char *p = spec + (ro ? 3 : 0);
    const char *colon = strchr(p, ':');
    size_t hlen = colon ? (size_t)(colon - p) : strlen(p);
    char *host = dup_len(p, hlen);
    if (!host) return cli_fail(CLI_CALL_EXIT_OTHER, "out of memory");
    char *abs = hlen ? realpath(host, NULL) : NULL;
    int rc = CLI_EXIT_OK;
    if (!hlen || (colon && !colon[1])) {
        rc = cli_fail(CLI_CALL_EXIT_USAGE, "--allow-path wants [ro:]HOST[:GUEST], not '%s'", spec);
    } else if (!abs) {
        rc = cli_fail(CLI_CALL_EXIT_USAGE, "--allow-path %s: %s", host, strerror(errno));
    } else {
        size_t n = strlen(abs) + 4;
        char *key = malloc(n);
        if (key) snprintf(key, n, "%s%s", ro ? "ro:" : "", abs);
        json_t *guest = text_of(colon ? colon + 1 : host, "--allow-path");
        if (!guest)
            rc = CLI_CALL_EXIT_USAGE;
        else if (!key || json_object_set_new(paths, key, guest) != 0)
            rc = cli_fail(CLI_CALL_EXIT_OTHER, "out of memory");
        free(key);
    }
    free(abs);
    free(host);
    return rc;
}

/* Applies the options to the manifest's JSON (an object). */
static int edit_manifest(json_t *root, const call_args *a)
{
    int rc;
    json_t *config = a->nconfig ? member(root, "config", false) : NULL;
    for (size_t i = 0; config && i < a->nconfig; i++) {
        const char *kv = a->config[i], *eq = strchr(kv, '=');
        char *key = eq ? dup_len(kv, (size_t)(eq - kv)) : strdup(kv);
        json_t *value = key ? text_of(eq ? eq + 1 : "", "--config") : NULL;
        int set = value ? json_object_set_new(config, key, value) : -1;
        free(key);
        if (set != 0) {
            if (!value) return CLI_CALL_EXIT_USAGE;
            char shown[128];
            return cli_fail(CLI_CALL_EXIT_USAGE, "--config: the key of '%s' is not valid UTF-8",
                            cli_printable(shown, sizeof shown, kv, strlen(kv)));
        }
    }
    json_t *hosts = a->nhosts ? member(root, "allowed_hosts", true) : NULL;
    for (size_t i = 0; hosts && i < a->nhosts; i++) {
        json_t *host = text_of(a->hosts[i], "--allow-host");
        if (!host) return CLI_CALL_EXIT_USAGE;
        if (json_array_append_new(hosts, host) != 0)
            return cli_fail(CLI_CALL_EXIT_OTHER, "out of memory");
    }
    json_t *paths = a->npaths ? member(root, "allowed_paths", false) : NULL;
    for (size_t i = 0; paths && i < a->npaths; i++)
        if ((rc = add_path(paths, a->paths[i])) != CLI_EXIT_OK) return rc;
    bool ok = true;
    if (a->opts.has_memory_max || a->has_http_max || a->has_var_max) {
        json_t *mem = member(root, "memory", false);
        if (a->opts.has_memory_max) ok = ok && set_int(mem, "max_pages", a->opts.memory_max);
        if (a->has_http_max) ok = ok && set_int(mem, "max_http_response_bytes", a->http_max);
        if (a->has_var_max) ok = ok && set_int(mem, "max_var_bytes", a->var_max);
    }
    if (a->opts.has_timeout) ok = ok && set_int(root, "timeout_ms", a->opts.timeout_ms);
    if (!ok) return cli_fail(CLI_CALL_EXIT_OTHER, "out of memory");
    return CLI_EXIT_OK;
}

/* The manifest to load: FILE's own text when nothing changes it, else
   its JSON edited (for a module, a manifest naming FILE by its path). */
static int manifest_text(const call_args *a, const uint8_t *bytes, size_t len, char **text)
{
    json_t *root;
    if (is_wasm(bytes, len) && !a->manifest) {
        root = json_pack("{s:[{s:s}]}", "wasm", "path", a->file);
    } else {
        json_error_t jerr;
        root = json_loadb((const char *)bytes, len, 0, &jerr);
        if (!root || !json_is_object(root)) {
            json_decref(root);
            *text = NULL;  /* let the manifest's parser report it */
            return CLI_EXIT_OK;
        }
    }
    int rc = root ? edit_manifest(root, a) : cli_fail(CLI_CALL_EXIT_OTHER, "out of memory");
    if (rc == CLI_EXIT_OK && !(*text = json_dumps(root, JSON_COMPACT)))
        rc = cli_fail(CLI_CALL_EXIT_OTHER, "out of memory");
    json_decref(root);
    return rc;
}

/* The exit code of a failed call (or a plugin that could not start). */
static int failed_code(wg_status st, bool loading)
{
    switch (st) {
    case WG_TRAP: return CLI_CALL_EXIT_TRAP;
    case WG_INTERRUPTED: return CLI_CALL_EXIT_TIMEOUT;
    case WG_FUEL_EXHAUSTED:
    case WG_LIMIT:
    case WG_NOMEM: return CLI_CALL_EXIT_LIMIT;
    case WG_MALFORMED:
    case WG_INVALID:
    case WG_UNLINKABLE: return CLI_CALL_EXIT_LOAD;
    default: return loading ? CLI_CALL_EXIT_LOAD : CLI_CALL_EXIT_FAILED;
    }
}

/* Loads FILE, as it is or completed by the options. */
static wg_module *load_module(const call_args *a, int *rc)
{
    size_t len = 0;
    wg_error err = {0};
    wg_module *mod = NULL;
    char *text = NULL, *dir = NULL;
    uint8_t *bytes = cli_read_file(a->file, &len);
    if (!bytes) {
        *rc = CLI_CALL_EXIT_LOAD;
        return NULL;
    }
    bool wasm = is_wasm(bytes, len) && !a->manifest;
    if (wasm && !edits_manifest(a)) {
        mod = wg_module_new(bytes, len, &err);
    } else {
        if (edits_manifest(a) && (*rc = manifest_text(a, bytes, len, &text)) != CLI_EXIT_OK)
            goto done;
        /* A manifest's relative paths are its directory's; the one made
           for a module names FILE relative to the current directory. */
        if (!wasm && !(dir = dir_of(a->file))) {
            *rc = cli_fail(CLI_CALL_EXIT_OTHER, "out of memory");
            goto done;
        }
        const char *json = text ? text : (const char *)bytes;
        mod = wg_module_from_manifest(json, text ? strlen(text) : len, dir, &err);
    }
    if (!mod) *rc = cli_fail(failed_code(err.code, true), "%s: %s", a->file, wg_error_message(&err));
done:
    free(text);
    free(dir);
    free(bytes);
    return mod;
}

/* The input: --input, all of stdin, or nothing. */
static uint8_t *read_input(const call_args *a, size_t *len)
{
    *len = 0;
    if (!a->from_stdin) {
        size_t n = a->input ? strlen(a->input) : 0;
        uint8_t *copy = malloc(n + 1);
        if (copy) memcpy(copy, a->input ? a->input : "", n + 1);
        *len = n;
        return copy;
    }
    size_t cap = 65536, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, stdin);
        n += got;
        if (got == 0) break;
        if (n == cap) {
            uint8_t *p = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
            if (!p) { free(buf); buf = NULL; break; }
            buf = p;
            cap *= 2;
        }
    }
    if (buf && ferror(stdin)) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* ---- Running ------------------------------------------------------------ */

/* Plugin logs go to stderr as "[level] message". */
static void log_to_stderr(void *user, wg_log_level level, const char *msg, size_t len)
{
    (void)user;
    fprintf(stderr, "[%s] ", level_names[(unsigned)level <= WG_LOG_OFF ? level : WG_LOG_OFF]);
    fwrite(msg, 1, len, stderr);
    fputc('\n', stderr);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash && slash[1] ? slash + 1 : path;
}

/* Calls FUNC --loop times on one plugin, writing each output. */
static int call_loop(wg_plugin *p, const call_args *a, const uint8_t *input, size_t len)
{
    for (uint64_t i = 0; i < a->loop; i++) {
        wg_error err = {0};
        const uint8_t *out = NULL;
        size_t olen = 0;
        wg_status st = wg_plugin_call(p, a->func, input, len, &out, &olen, &err);
        if (st != WG_OK) {
            fflush(stdout);
            return cli_fail(failed_code(st, false), "%s", wg_error_message(&err));
        }
        if ((olen && fwrite(out, 1, olen, stdout) != olen) || (a->loop > 1 && putchar('\n') == EOF))
            return cli_fail(CLI_CALL_EXIT_OTHER, "cannot write the output: %s", strerror(errno));
    }
    if (fflush(stdout) != 0)
        return cli_fail(CLI_CALL_EXIT_OTHER, "cannot write the output: %s", strerror(errno));
    return CLI_EXIT_OK;
}

static int call_plugin(const call_args *a)
{
    int rc = CLI_EXIT_OK;
    wg_error err = {0};
    FILE *audit = NULL;
    wg_plugin *p = NULL;
    uint8_t *input = NULL;
    size_t ninput = 0;

    wg_module *mod = load_module(a, &rc);
    if (!mod) goto done;
    if (a->audit && !(audit = fopen(a->audit, "a"))) {
        rc = cli_fail(CLI_CALL_EXIT_USAGE, "--audit %s: %s", a->audit, strerror(errno));
        goto done;
    }
    wg_plugin_options o;
    wg_plugin_options_init(&o);
    o.name = base_name(a->file);
    o.wasi = a->wasi;
    o.wasi_inherit_stdio = true;  /* as `extism call` (EXTISM_ENABLE_WASI_OUTPUT) */
    if (a->opts.has_fuel) o.fuel = a->opts.fuel > 0 ? (uint64_t)a->opts.fuel : 1;
    if (a->has_output_max) o.max_output_bytes = a->output_max;
    o.log_level = (wg_log_level)a->log_level;
    o.log = log_to_stderr;
    o.audit_file = audit;
    if (!(p = wg_plugin_new(mod, &o, &err))) {
        rc = cli_fail(failed_code(err.code, true), "%s: %s", a->file, wg_error_message(&err));
        goto done;
    }
    if (!wg_plugin_has_function(p, a->func)) {
        char shown[128];
        rc = cli_fail(CLI_CALL_EXIT_USAGE, "%s has no function named '%s'", a->file,
                      cli_printable(shown, sizeof shown, a->func, strlen(a->func)));
        goto done;
    }
    errno = 0;
    if (!(input = read_input(a, &ninput))) {
        rc = cli_fail(CLI_CALL_EXIT_OTHER, "cannot read the input: %s",
                      strerror(errno ? errno : ENOMEM));
        goto done;
    }
    rc = call_loop(p, a, input, ninput);
done:
    free(input);
    wg_plugin_free(p);
    if (audit) fclose(audit);
    wg_module_free(mod);
    return rc;
}

int cli_cmd_call(int argc, char **argv, const cli_options *opts)
{
    call_args a;
    memset(&a, 0, sizeof a);
    a.opts = *opts;
    a.log_level = WG_LOG_ERROR;  /* as `extism call` */
    a.loop = 1;
    signal(SIGPIPE, SIG_IGN);
    int rc = parse_args(argc, argv, &a);
    if (rc == CLI_EXIT_OK && a.opts.help) {
        cli_print_help(stdout);
    } else if (rc == CLI_EXIT_OK && a.opts.version) {
        printf("wasmguard " CLI_VERSION "\n");
    } else if (rc == CLI_EXIT_OK) {
        rc = call_plugin(&a);
    }
    call_args_free(&a);
    return rc;
}
