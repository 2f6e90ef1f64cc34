/*
 * plugin.c - `wasmguard plugin SUBCOMMAND ...`: Helm 4 plugins, through a
 * table of subcommands (a new one is a row of `subcommands` and a function).
 *
 *   plugin list [--type TYPE]   Helm 4's `helm plugin list` table: NAME
 *                               VERSION TYPE APIVERSION PROVENANCE SOURCE
 *                               (pkg/cmd/plugin_list.go, gosuri/uitable:
 *                               cells padded to the column, joined by a tab)
 *   plugin lint DIR [--json]    validate one plugin and show its grants
 *   plugin run NAME [ARGS...]   run a cli/v1 plugin (plugin_run.c)
 *   plugin package DIR [-d DEST] [--sign ...]  write NAME-VERSION.tgz and
 *                               its .prov (plugin_package.c)
 *   plugin verify PATH.tgz      check a tarball's .prov (plugin_verify.c)
 *   plugin install SOURCE       verified, validated, with consent to its
 *                               grants (plugin_install.c)
 *   plugin update NAME [SOURCE] the same, replacing an installed version
 *   plugin uninstall NAME...    the plugin, its tarball, its grants record
 *   plugin grants NAME          the grants approved at install
 *
 * lint is stricter than Helm (src/helm/metadata.c) and, for an extism/v1
 * plugin, also decodes plugin.wasm and checks that it exports the entry
 * function with type () -> i32.  Exit codes: cli.h, CLI_PLUGIN_EXIT_*.
 */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

#define MSG_BAD_MODULE "%s: not a valid WebAssembly module: %s"
#define MSG_NO_ENTRY "%s: no exported function \"%s\" (the entry function, entryFuncName)"
#define MSG_ENTRY_TYPE "%s: the entry function \"%s\" must have type () -> i32"
#define MSG_SUBPROCESS "runtime subprocess: not run by wasmguard, which sandboxes only extism/v1 " \
                       "plugins; Helm runs it unsandboxed"

typedef struct plugin_subcommand {
    const char *name, *usage, *summary;
    int (*run)(int argc, char **argv, const cli_options *opts);
} plugin_subcommand;

static int cmd_list(int argc, char **argv, const cli_options *opts);
static int cmd_lint(int argc, char **argv, const cli_options *opts);

static const plugin_subcommand subcommands[] = {
    {"list", "[--type TYPE]",
     "list the installed plugins as `helm plugin list` does: NAME VERSION TYPE\n"
     "      APIVERSION PROVENANCE SOURCE; --type keeps one type (cli/v1,\n"
     "      getter/v1, postrenderer/v1).  A broken plugin is reported on\n"
     "      stderr and skipped; two plugins of one name are an error.  What a\n"
     "      killed install, update or uninstall left is first completed or\n"
     "      undone",
     cmd_list},
    {"lint", "DIR [--json]",
     "validate the plugin in DIR (its plugin.yaml, stricter than Helm, and for\n"
     "      extism/v1 its plugin.wasm and entry function) and print the grants\n"
     "      it requests: hosts, temp dir, memory, timeout, config keys, host\n"
     "      functions; --json prints one JSON object for tools instead",
     cmd_lint},
    {"run", "[OPTIONS] NAME [ARGS...]",
     "run the installed cli/v1 plugin NAME with ARGS in a sandbox, as\n"
     "      `helm NAME ARGS...` would",
     cli_cmd_plugin_run},
    {"package", "DIR [-d DEST] [--sign --key NAME --keyring SECRET-KEYRING]",
     "write DEST/NAME-VERSION.tgz (DEST default .) with every file and\n"
     "      directory of the plugin in DIR under NAME/, as `helm plugin package`\n"
     "      does; symlinks and special files are refused; the same tree gives\n"
     "      the same bytes (mtime $SOURCE_DATE_EPOCH or 0); exit 1 when refused.\n"
     "      --sign also writes its .prov, clear-signed with the key NAME (a user\n"
     "      ID, part of one, a key ID or fingerprint) of SECRET-KEYRING (gpg\n"
     "      --export-secret-keys); a protected key is unlocked with\n"
     "      $WASMGUARD_PASSPHRASE",
     cli_cmd_plugin_package},
    {"verify", "PATH.tgz [--keyring FILE]",
     "verify PATH.tgz against PATH.tgz.prov as `helm plugin verify` does: the\n"
     "      OpenPGP clear signature against the keyring (default Helm's,\n"
     "      $GNUPGHOME/pubring.gpg or ~/.gnupg/pubring.gpg; .gpg, .kbx or\n"
     "      armored), and the tarball's sha256 in its files:; prints the signer\n"
     "      and fingerprint; exit 1 when anything does not verify",
     cli_cmd_plugin_verify},
    {"install", "SOURCE [--verify=false] [--keyring FILE] [--version V] [--yes]",
     "install a plugin into the first plugins directory: SOURCE is a directory\n"
     "      (linked in place, \"local dev\", not verified), a .tgz, or an http(s)\n"
     "      URL of one (its .prov from URL.prov); oci:// and VCS sources are not\n"
     "      supported yet.  A tarball must verify against its .prov and the\n"
     "      keyring (default as verify's) unless --verify=false; it is unpacked\n"
     "      into a hidden temporary directory, validated (plugin.yaml, extism/v1,\n"
     "      plugin.wasm importing only what wasmguard provides) and renamed into\n"
     "      place; NAME-VERSION.tgz and its .prov are kept beside it.  The grants\n"
     "      it asks for (hosts, temp dir, memory or timeout above the defaults,\n"
     "      host functions, config keys) are shown and asked for on a terminal;\n"
     "      --yes accepts them; with no terminal and no --yes nothing is\n"
     "      installed.  The approved grants are recorded in\n"
     "      $XDG_CONFIG_HOME/wasmguard/grants/NAME.json (~/.config/...) with the\n"
     "      sha256 of plugin.yaml and plugin.wasm; a run of a plugin asking for\n"
     "      more than its record, or whose plugin.wasm is not the one recorded,\n"
     "      is refused.  --version V refuses a plugin of another version",
     cli_cmd_plugin_install},
    {"update", "NAME [SOURCE] [--verify=false] [--keyring FILE] [--version V] [--yes]",
     "replace the installed plugin NAME with the version at SOURCE, else at\n"
     "      the source recorded when it was installed: verified, unpacked and\n"
     "      validated as install does, then swapped in atomically (the old\n"
     "      version is kept if anything fails).  Grants beyond those approved\n"
     "      are named and asked for on a terminal; --yes accepts them; with no\n"
     "      terminal and no --yes the update is refused and the installed\n"
     "      version stays; the grants record, NAME-VERSION.tgz and .prov are\n"
     "      replaced.  A plugin linked in place (local dev) is validated again\n"
     "      where it is and its record rewritten (grants beyond it asked for\n"
     "      as above), so a rebuilt plugin.wasm runs again",
     cli_cmd_plugin_update},
    {"uninstall", "NAME...",
     "remove the plugins NAME: the directory (or only the symlink of a\n"
     "      directory install), NAME-VERSION.tgz and its .prov, the grants record",
     cli_cmd_plugin_uninstall},
    {"grants", "NAME",
     "print the grants approved when NAME was installed, with the sha256 of\n"
     "      its plugin.yaml and plugin.wasm then",
     cli_cmd_plugin_grants},
};
#define NSUBCOMMANDS (sizeof subcommands / sizeof subcommands[0])

void cli_plugin_print_help(FILE *out)
{
    fprintf(out, "\nplugin subcommands (Helm 4 plugins, found where Helm finds them: the\n"
                 "directories of $HELM_PLUGINS, colon-separated, else $HELM_DATA_HOME/plugins,\n"
                 "$XDG_DATA_HOME/helm/plugins or ~/.local/share/helm/plugins):\n");
    for (size_t i = 0; i < NSUBCOMMANDS; i++)
        fprintf(out, "  wasmguard plugin %s %s\n      %s\n", subcommands[i].name,
                subcommands[i].usage, subcommands[i].summary);
    fprintf(out,
        "plugin.yaml is read in both of Helm 4's forms (apiVersion v1, and legacy,\n"
        "converted as Helm converts it), more strictly than Helm: a duplicated key,\n"
        "an unknown key (also in runtimeConfig), a value of the wrong type, a name\n"
        "other than letters, digits, _ and -, a version that is not strict SemVer\n"
        "2.0 are errors, one line \"DIR/plugin.yaml:LINE: KEY.PATH: cause\".\n"
        "\nexit codes of plugin list, lint, verify, install, update, uninstall and grants:\n"
        "  0   success\n"
        "  1   lint: the plugin has a problem; list: two plugins claim one name;\n"
        "      verify: the tarball does not verify; install: refused (not verified,\n"
        "      not valid, no consent, already installed); update: refused (as\n"
        "      install's, or not installed); uninstall: not installed\n"
        "  2   usage error\n"
        "  70  other host error\n");
}

int cli_cmd_plugin(int argc, char **argv, const cli_options *opts)
{
    if (argc < 1)
        return cli_fail(CLI_PLUGIN_EXIT_USAGE,
                        "plugin wants a subcommand: list, lint, run, package, verify, install, "
                        "update, uninstall or grants (see wasmguard --help)");
    if (strcmp(argv[0], "-h") == 0 || strcmp(argv[0], "--help") == 0) {
        cli_print_help(stdout);
        return CLI_EXIT_OK;
    }
    const char *name = strcmp(argv[0], "ls") == 0 ? "list" : argv[0];  /* Helm's alias */
    for (size_t i = 0; i < NSUBCOMMANDS; i++)
        if (strcmp(name, subcommands[i].name) == 0)
            return subcommands[i].run(argc - 1, argv + 1, opts);
    return cli_fail(CLI_PLUGIN_EXIT_USAGE, "unknown plugin subcommand '%s' (see wasmguard --help)",
                    argv[0]);
}

/* ---- list --------------------------------------------------------------- */

/* Display width of UTF-8 text (code points; runewidth's wide characters
   are not told apart). */
static size_t text_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++) w += ((unsigned char)*s & 0xc0) != 0x80;
    return w;
}

static void report_broken(void *user, const char *dir, const char *why)
{
    (void)user;
    (void)dir;  /* why names the file */
    cli_fail(0, "skipped a broken plugin: %s", why);
}

#define NCOLS 6

static int cmd_list(int argc, char **argv, const cli_options *opts)
{
    (void)opts;
    const char *type = NULL;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--type") == 0 && i + 1 < argc) type = argv[++i];
        else if (strncmp(a, "--type=", 7) == 0) type = a + 7;
        else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            cli_print_help(stdout);
            return CLI_EXIT_OK;
        } else {
            return cli_fail(CLI_PLUGIN_EXIT_USAGE,
                            "plugin list: unexpected '%s' (see wasmguard --help)", a);
        }
    }
    helm_plugin_set set;
    wasm_error err;
    wasm_error_clear(&err);
    /* what a killed install or update left is settled first, so the table
       shows what is installed; a failure is only reported */
    if (helm_install_recover(&err) != WASM_OK) cli_fail(0, "plugin list: %s", err.message);
    wasm_error_clear(&err);
    if (helm_plugins_find(&set, report_broken, NULL, &err) != WASM_OK)
        return cli_fail(err.status == WASM_NOMEM ? CLI_PLUGIN_EXIT_OTHER : CLI_PLUGIN_EXIT_PROBLEM,
                        "%s", err.message);
    const char **cells = calloc((set.n + 1) * NCOLS, sizeof *cells);
    if (!cells) {
        helm_plugins_free(&set);
        return cli_fail(CLI_PLUGIN_EXIT_OTHER, "out of memory");
    }
    static const char *const header[NCOLS] = {"NAME", "VERSION", "TYPE", "APIVERSION",
                                              "PROVENANCE", "SOURCE"};
    memcpy(cells, header, sizeof header);
    size_t rows = 1, width[NCOLS] = {0};
    for (size_t i = 0; i < set.n; i++) {
        const helm_plugin *p = set.plugins[i];
        if (type && strcmp(p->type, type) != 0) continue;
        const char *row[NCOLS] = {p->name, p->version ? p->version : "", p->type, p->api_version,
                                  helm_plugin_provenance(p),
                                  p->source_url && p->source_url[0] ? p->source_url : "unknown"};
        memcpy(cells + rows++ * NCOLS, row, sizeof row);
    }
    for (size_t r = 0; r < rows; r++)
        for (size_t c = 0; c < NCOLS; c++) {
            size_t w = text_width(cells[r * NCOLS + c]);
            if (w > width[c]) width[c] = w;
        }
    for (size_t r = 0; r < rows; r++) {
        for (size_t c = 0; c < NCOLS; c++) {
            const char *s = cells[r * NCOLS + c];
            fprintf(stdout, "%s%s%*s", c ? "\t" : "", s, (int)(width[c] - text_width(s)), "");
        }
        fputc('\n', stdout);
    }
    free(cells);
    helm_plugins_free(&set);
    return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_PLUGIN_EXIT_OTHER;
}

/* ---- lint --------------------------------------------------------------- */

/* Checks DIR/plugin.wasm: it decodes, validates and exports the entry
   function as () -> i32.  Returns false with the reason in why. */
static bool check_module(const helm_plugin *p, char *why, size_t size)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", p->dir, HELM_PLUGIN_WASM);
    FILE *f = fopen(path, "rb");
    uint8_t *bytes = NULL;
    size_t len = 0, cap = 0;
    bool ok = f != NULL;
    while (ok) {
        if (len == cap) {
            uint8_t *grown = realloc(bytes, cap = cap ? cap * 2 : 65536);
            if (!grown) { ok = false; errno = ENOMEM; break; }
            bytes = grown;
        }
        size_t n = fread(bytes + len, 1, cap - len, f);
        len += n;
        if (n == 0) { ok = !ferror(f); break; }
    }
    if (f) fclose(f);
    if (!ok) {
        snprintf(why, size, "%s: cannot read: %s", path, strerror(errno));
        free(bytes);
        return false;
    }
    wasm_error err;
    wasm_error_clear(&err);
    wasm_module *m = wasm_module_new(bytes, len, &err);
    free(bytes);
    if (!m) {
        snprintf(why, size, MSG_BAD_MODULE, path,
                 err.message[0] ? err.message : wasm_status_name(err.status));
        return false;
    }
    const char *entry = p->extism.entry_func ? p->extism.entry_func : HELM_DEFAULT_ENTRY;
    ok = false;
    bool found = false;
    for (uint32_t i = 0, n = wasm_module_export_count(m); i < n && !found; i++) {
        wasm_export_info e;
        wasm_module_export(m, i, &e);
        if (e.kind != WASM_EXTERN_FUNC || e.name.len != strlen(entry) ||
            memcmp(e.name.data, entry, e.name.len) != 0)
            continue;
        found = true;
        const wasm_functype *t = wasm_module_func_type(m, e.index);
        ok = t && t->nparams == 0 && t->nresults == 1 && t->results[0] == WASM_I32;
    }
    wasm_module_free(m);
    if (!found) snprintf(why, size, MSG_NO_ENTRY, path, entry);
    else if (!ok) snprintf(why, size, MSG_ENTRY_TYPE, path, entry);
    return ok;
}

static void print_list(const char *label, char *const *items, size_t n, const char *none)
{
    printf("  %-28s ", label);
    if (n == 0) fputs(none, stdout);
    for (size_t i = 0; i < n; i++) printf("%s%s", i ? ", " : "", items[i]);
    fputc('\n', stdout);
}

static void print_limit(const char *label, bool has, uint64_t v, const char *unit)
{
    if (has) printf("  %-28s %llu%s\n", label, (unsigned long long)v, unit);
    else printf("  %-28s (unset: wasmguard's default)\n", label);
}

static void print_lint(const helm_plugin *p)
{
    printf("%s: ok: %s %s, %s, runtime %s, apiVersion %s\n", p->dir, p->name,
           p->version && p->version[0] ? p->version : "(no version)", p->type, p->runtime,
           p->api_version);
    if (p->nprotocols) print_list("protocols", p->protocols, p->nprotocols, "");
    if (strcmp(p->runtime, "extism/v1") != 0) {
        printf(MSG_SUBPROCESS "%s%s\n", p->command ? ": " : "", p->command ? p->command : "");
        return;
    }
    const helm_extism_config *x = &p->extism;
    printf("grants requested:\n");
    print_list("allowedHosts", x->allowed_hosts, x->nallowed_hosts, "(none: no HTTP)");
    printf("  %-28s %s\n", "fileSystem.createTempDir",
           x->create_temp_dir ? "true (/tmp)" : "false");
    if (x->has_max_pages)
        printf("  %-28s %u (%llu KiB)\n", "memory.maxPages", x->max_pages,
               (unsigned long long)x->max_pages * 64);
    else print_limit("memory.maxPages", false, 0, "");
    print_limit("memory.maxHttpResponseBytes", x->has_max_http, x->max_http_response, " bytes");
    print_limit("memory.maxVarBytes", x->has_max_var, x->max_var_bytes, " bytes");
    print_limit("timeout", x->has_timeout, x->timeout_ms, " ms");
    print_list("config keys", x->config_keys, x->nconfig, "(none)");
    print_list("hostFunctions", x->host_functions, x->nhost_functions, "(none)");
    printf("  %-28s %s\n", "entryFuncName", x->entry_func ? x->entry_func : HELM_DEFAULT_ENTRY);
}

static json_t *json_strings(char *const *items, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(a, json_string(items[i]));
    return a;
}

static json_t *json_limit(bool has, uint64_t v)
{
    return has ? json_integer((json_int_t)v) : json_null();
}

static json_t *lint_json(const char *dir, const helm_plugin *p, const char *error)
{
    json_t *o = json_object();
    json_object_set_new(o, "dir", json_string(dir));
    json_object_set_new(o, "ok", json_boolean(error == NULL));
    if (error) {
        json_object_set_new(o, "error", json_string(error));
        if (!p) return o;
    }
    json_object_set_new(o, "name", json_string(p->name));
    json_object_set_new(o, "version", json_string(p->version ? p->version : ""));
    json_object_set_new(o, "type", json_string(p->type));
    json_object_set_new(o, "runtime", json_string(p->runtime));
    json_object_set_new(o, "apiVersion", json_string(p->api_version));
    json_object_set_new(o, "sourceURL", p->source_url ? json_string(p->source_url) : json_null());
    json_object_set_new(o, "protocols", json_strings(p->protocols, p->nprotocols));
    if (strcmp(p->runtime, "extism/v1") != 0) {
        json_object_set_new(o, "command", p->command ? json_string(p->command) : json_null());
        json_object_set_new(o, "grants", json_null());
        return o;
    }
    const helm_extism_config *x = &p->extism;
    json_t *g = json_object();
    json_object_set_new(g, "allowedHosts", json_strings(x->allowed_hosts, x->nallowed_hosts));
    json_object_set_new(g, "createTempDir", json_boolean(x->create_temp_dir));
    json_object_set_new(g, "maxPages", json_limit(x->has_max_pages, x->max_pages));
    json_object_set_new(g, "maxHttpResponseBytes",
                        json_limit(x->has_max_http, x->max_http_response));
    json_object_set_new(g, "maxVarBytes", json_limit(x->has_max_var, x->max_var_bytes));
    json_object_set_new(g, "timeoutMs", json_limit(x->has_timeout, x->timeout_ms));
    json_object_set_new(g, "configKeys", json_strings(x->config_keys, x->nconfig));
    json_object_set_new(g, "hostFunctions", json_strings(x->host_functions, x->nhost_functions));
    json_object_set_new(g, "entryFuncName",
                        json_string(x->entry_func ? x->entry_func : HELM_DEFAULT_ENTRY));
    json_object_set_new(o, "grants", g);
    return o;
}

static int cmd_lint(int argc, char **argv, const cli_options *opts)
{
    (void)opts;
    const char *dir = NULL;
    bool as_json = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--json") == 0) {
            as_json = true;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            cli_print_help(stdout);
            return CLI_EXIT_OK;
        } else if (a[0] == '-' && a[1]) {
            return cli_fail(CLI_PLUGIN_EXIT_USAGE,
                            "plugin lint: unknown option '%s' (see wasmguard --help)", a);
        } else if (dir) {
            return cli_fail(CLI_PLUGIN_EXIT_USAGE, "plugin lint takes one DIR, not also '%s'", a);
        } else {
            dir = a;
        }
    }
    if (!dir)
        return cli_fail(CLI_PLUGIN_EXIT_USAGE,
                        "plugin lint wants a plugin's directory (see wasmguard --help)");
    char clean[4096];
    cli_dir_arg(dir, clean, sizeof clean);

    wasm_error err;
    wasm_error_clear(&err);
    helm_plugin *p = helm_plugin_load(clean, &err);
    char why[WASM_ERROR_MESSAGE_MAX + 4200] = "";
    if (!p) snprintf(why, sizeof why, "%s", err.message);
    else if (strcmp(p->runtime, "extism/v1") == 0) check_module(p, why, sizeof why);
    int rc = why[0] ? (err.status == WASM_NOMEM ? CLI_PLUGIN_EXIT_OTHER : CLI_PLUGIN_EXIT_PROBLEM)
                    : CLI_EXIT_OK;
    if (why[0]) cli_fail(rc, "%s", why);
    if (as_json) {
        json_t *o = lint_json(clean, p, why[0] ? why : NULL);
        char *text = o ? json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
        if (text) printf("%s\n", text);
        else if (rc == CLI_EXIT_OK) rc = cli_fail(CLI_PLUGIN_EXIT_OTHER, "out of memory");
        free(text);
        json_decref(o);
    } else if (!why[0]) {
        print_lint(p);
    }
    helm_plugin_free(p);
    if (fflush(stdout) != 0 && rc == CLI_EXIT_OK) rc = CLI_PLUGIN_EXIT_OTHER;
    return rc;
}
