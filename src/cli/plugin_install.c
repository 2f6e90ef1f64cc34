/*
 * plugin_install.c - `wasmguard plugin install`, `plugin uninstall` and
 * `plugin grants`: Helm plugins installed verified, validated and with
 * the user's consent to what they ask for (src/helm/install.c, grants.c).
 *
 *   plugin install SOURCE [--verify=false] [--keyring FILE] [--version V] [--yes]
 *   plugin update NAME [SOURCE] [--verify=false] [--keyring FILE] [--version V] [--yes]
 *   plugin uninstall NAME...
 *   plugin grants NAME
 *
 * install stages the plugin (fetched, verified, unpacked into a hidden
 * temporary directory, validated), prints the grants it asks for and asks
 * on a terminal; --yes accepts; with no terminal and no --yes it refuses,
 * listing the grants.  A plugin that asks for nothing is installed
 * without a question.  update stages the new version the same way (from
 * the source recorded at install, or SOURCE) and asks only when it wants
 * grants beyond the approved record, naming them; refused, the installed
 * version stays as it was.  A plugin linked in place is validated again
 * where it is and its record rewritten (after consent to new grants).
 * --version V refuses a plugin of another version.  Exit codes as plugin
 * lint's: 1 refused, 2 usage, 70 host error.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

/* y/N on the terminal; false on anything but y or yes. */
static bool ask(const char *verb, const char *name)
{
    fprintf(stderr, "%s plugin %s with these grants? [y/N] ", verb, name);
    fflush(stderr);
    char line[64];
    if (!fgets(line, sizeof line, stdin)) return false;
    line[strcspn(line, "\r\n")] = 0;
    return strcmp(line, "y") == 0 || strcmp(line, "Y") == 0 || strcmp(line, "yes") == 0;
}

/* The consent step: true when the grants are accepted (printed first). */
static bool consent(const helm_staged *s, bool yes, int *rc)
{
    const char *name = s->plugin->name;
    if (helm_grants_empty(&s->grants)) return true;
    FILE *out = yes ? stdout : stderr;
    fprintf(out, "plugin %s %s asks for:\n", name, s->plugin->version ? s->plugin->version : "");
    helm_grants_print(&s->grants, "  ", out);
    if (yes) return true;
    if (!isatty(0)) {
        *rc = cli_fail(CLI_PLUGIN_EXIT_PROBLEM,
                       "plugin install: %s: not installed: no terminal to ask for consent to "
                       "the grants above; run again with --yes to accept them",
                       name);
        return false;
    }
    if (ask("Install", name)) return true;
    *rc = cli_fail(CLI_PLUGIN_EXIT_PROBLEM, "plugin install: %s: not installed: grants declined",
                   name);
    return false;
}

/* The options install and update share. */
typedef struct fetch_opts {
    helm_install_options install;
    bool yes;
} fetch_opts;

/* Takes argv[*i] (and its value) when it is one of them. */
static bool fetch_option(int argc, char **argv, int *i, void *user)
{
    fetch_opts *o = user;
    const char *a = argv[*i];
    if (cli_take_option(argc, argv, i, "--keyring", &o->install.keyring) ||
        cli_take_option(argc, argv, i, "--version", &o->install.version))
        return true;
    if (strcmp(a, "--verify=false") == 0) o->install.verify = false;
    else if (strcmp(a, "--verify") == 0 || strcmp(a, "--verify=true") == 0) o->install.verify = true;
    else if (strcmp(a, "--yes") == 0 || strcmp(a, "-y") == 0) o->yes = true;
    else return false;
    return true;
}

static void print_signers(const helm_staged *s)
{
    if (!s->verified) return;
    for (size_t i = 0; i < s->prov.nuser_ids; i++) printf("Signed by: %s\n", s->prov.user_ids[i]);
}

static int status_exit(wasm_status st)
{
    return st == WASM_BAD_ARGUMENT ? CLI_PLUGIN_EXIT_PROBLEM : CLI_PLUGIN_EXIT_OTHER;
}

int cli_cmd_plugin_install(int argc, char **argv, const cli_options *opts)
{
    (void)opts;
    const char *source;
    fetch_opts fo = {.install = {.verify = true}};
    int rc;
    if (!cli_subcommand_args(argc, argv, "plugin install", "one SOURCE", fetch_option, &fo, &source,
                             1, &rc))
        return rc;
    if (!source)
        return cli_fail(CLI_PLUGIN_EXIT_USAGE,
                        "plugin install wants a directory, a .tgz or an http(s) URL of one");
    wasm_error err;
    wasm_error_clear(&err);
    helm_staged *s = NULL;
    if (helm_install_stage(source, &fo.install, &s, &err) != WASM_OK)
        return cli_fail(status_exit(err.status), "plugin install: %s", err.message);
    rc = CLI_EXIT_OK;
    if (consent(s, fo.yes, &rc)) {
        if (helm_install_commit(s, &err) != WASM_OK) {
            rc = cli_fail(status_exit(err.status), "plugin install: %s", err.message);
        } else {
            print_signers(s);
            printf("Installed plugin: %s (%s)\n", s->plugin->name,
                   s->dev ? "local dev" : s->verified ? "signed" : "unsigned, not verified");
        }
    }
    helm_staged_free(s);
    if (fflush(stdout) != 0 && rc == CLI_EXIT_OK) rc = CLI_PLUGIN_EXIT_OTHER;
    return rc;
}

/* update's consent: only grants beyond the approved record are asked for. */
static bool update_consent(const helm_staged *s, const helm_grants *approved, bool yes, int *rc)
{
    const char *name = s->plugin->name;
    char extra[WASM_ERROR_MESSAGE_MAX];
    if (!helm_grants_extra(&s->grants, approved, extra, sizeof extra)) return true;
    FILE *out = yes ? stdout : stderr;
    fprintf(out, "plugin %s %s asks for grants not approved before: %s\n", name,
            s->plugin->version ? s->plugin->version : "", extra);
    if (yes) return true;
    if (!isatty(0)) {
        *rc = cli_fail(CLI_PLUGIN_EXIT_PROBLEM,
                       "plugin update: %s: not updated: asks for grants not approved before: %s; "
                       "no terminal to ask for consent; run again with --yes to accept them",
                       name, extra);
        return false;
    }
    if (ask("Update", name)) return true;
    *rc = cli_fail(CLI_PLUGIN_EXIT_PROBLEM, "plugin update: %s: not updated: grants declined",
                   name);
    return false;
}

int cli_cmd_plugin_update(int argc, char **argv, const cli_options *opts)
{
    (void)opts;
    const char *pos[2];
    fetch_opts fo = {.install = {.verify = true}};
    int rc;
    if (!cli_subcommand_args(argc, argv, "plugin update", "NAME and at most one SOURCE", fetch_option,
                             &fo, pos, 2, &rc))
        return rc;
    const char *name = pos[0], *source = pos[1];
    if (!name)
        return cli_fail(CLI_PLUGIN_EXIT_USAGE,
                        "plugin update wants a plugin NAME (and optionally a SOURCE)");
    wasm_error err;
    wasm_error_clear(&err);
    helm_staged *s = NULL;
    helm_grants_record rec;
    bool has_rec = false;
    if (helm_update_stage(name, source, &fo.install, &s, &rec, &has_rec, &err) != WASM_OK)
        return cli_fail(status_exit(err.status), "plugin update: %s", err.message);
    helm_grants none = {0};
    rc = CLI_EXIT_OK;
    if (update_consent(s, has_rec ? &rec.grants : &none, fo.yes, &rc)) {
        if (helm_update_commit(s, &err) != WASM_OK) {
            rc = cli_fail(status_exit(err.status), "plugin update: %s: not updated: %s", name,
                          err.message);
        } else {
            print_signers(s);
            printf("Updated plugin: %s %s -> %s (%s)\n", name,
                   has_rec && rec.version[0] ? rec.version : "?",
                   s->plugin->version ? s->plugin->version : "",
                   s->dev ? "local dev, validated again in place"
                   : s->verified ? "signed" : "unsigned, not verified");
        }
    }
    if (has_rec) helm_grants_record_free(&rec);
    helm_staged_free(s);
    if (fflush(stdout) != 0 && rc == CLI_EXIT_OK) rc = CLI_PLUGIN_EXIT_OTHER;
    return rc;
}

int cli_cmd_plugin_uninstall(int argc, char **argv, const cli_options *opts)
{
    (void)opts;
    int rc = CLI_EXIT_OK, names = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            cli_print_help(stdout);
            return CLI_EXIT_OK;
        }
        if (argv[i][0] == '-' && argv[i][1])
            return cli_fail(CLI_PLUGIN_EXIT_USAGE,
                            "plugin uninstall: unknown option '%s' (see wasmguard --help)", argv[i]);
    }
    for (int i = 0; i < argc; i++, names++) {
        wasm_error err;
        wasm_error_clear(&err);
        if (helm_plugin_uninstall(argv[i], &err) != WASM_OK)
            rc = cli_fail(status_exit(err.status), "plugin uninstall: %s", err.message);
        else
            printf("Uninstalled plugin: %s\n", argv[i]);
    }
    if (!names)
        return cli_fail(CLI_PLUGIN_EXIT_USAGE, "plugin uninstall wants the names of plugins");
    if (fflush(stdout) != 0 && rc == CLI_EXIT_OK) rc = CLI_PLUGIN_EXIT_OTHER;
    return rc;
}

int cli_cmd_plugin_grants(int argc, char **argv, const cli_options *opts)
{
    (void)opts;
    if (argc == 1 && (strcmp(argv[0], "-h") == 0 || strcmp(argv[0], "--help") == 0)) {
        cli_print_help(stdout);
        return CLI_EXIT_OK;
    }
    if (argc != 1 || argv[0][0] == '-')
        return cli_fail(CLI_PLUGIN_EXIT_USAGE, "plugin grants wants one plugin NAME");
    helm_grants_record rec;
    bool found = false;
    wasm_error err;
    wasm_error_clear(&err);
    if (helm_grants_load(argv[0], &rec, &found, &err) != WASM_OK)
        return cli_fail(status_exit(err.status), "plugin grants: %s", err.message);
    if (!found)
        return cli_fail(CLI_PLUGIN_EXIT_PROBLEM,
                        "plugin grants: %s: no grants recorded (not installed by wasmguard)",
                        argv[0]);
    char *path = helm_grants_path(argv[0]);
    printf("plugin %s %s, from %s\n", rec.name, rec.version, rec.source);
    printf("record: %s\n", path ? path : "?");
    printf("plugin.yaml: %s\nplugin.wasm: %s\n", rec.plugin_yaml_sha256, rec.plugin_wasm_sha256);
    if (rec.previous)
        printf("pending: an interrupted update from version %s (%s), approved too until the next "
               "install, update, uninstall or list settles it\n",
               rec.previous->version[0] ? rec.previous->version : "?",
               rec.pending ? rec.pending : "?");
    if (helm_grants_empty(&rec.grants)) {
        printf("approved grants: none\n");
    } else {
        printf("approved grants:\n");
        helm_grants_print(&rec.grants, "  ", stdout);
    }
    free(path);
    helm_grants_record_free(&rec);
    return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_PLUGIN_EXIT_OTHER;
}
