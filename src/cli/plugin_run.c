/*
 * plugin_run.c - `wasmguard plugin run [OPTIONS] NAME [ARGS...]`: run the
 * installed cli/v1 plugin NAME in a sandbox, as `helm NAME ARGS...` runs
 * it, and the options and helpers that `get` and `post-render` share.
 *
 * The plugin gets {"extraArgs": ARGS}, this process's stdin, stdout and
 * stderr, Helm's plugin variables and what its plugin.yaml grants, within
 * the ceilings of the options.  An output message {"data": "..."} is
 * written to stdout after what it printed.  A failure is one line
 * "wasmguard: plugin NAME: cause" and an exit code per kind (cli.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

void cli_helm_options_init(cli_helm_options *o, const cli_options *common)
{
    memset(o, 0, sizeof *o);
    if (common) o->common = *common;
    helm_run_options_default(&o->run);
}

/* The common options become ceilings. */
static void apply_common(cli_helm_options *o)
{
    if (o->common.has_memory_max) o->run.ceiling.max_pages = o->common.memory_max;
    if (o->common.has_timeout) o->run.ceiling.timeout_ms = o->common.timeout_ms;
    if (o->common.has_fuel) o->run.fuel = o->common.fuel;
}

int cli_helm_parse_options(int argc, char **argv, int *i, cli_helm_options *o)
{
    const int usage = CLI_HELM_EXIT_USAGE;
    for (; *i < argc; ++*i) {
        const char *a = argv[*i], *v;
        if (strcmp(a, "--") == 0) { ++*i; break; }
        if (a[0] != '-' || a[1] == 0) break;
        if (cli_is_option(a, "--http-response-max")) {
            if (!cli_parse_u64(v = cli_option_value(argc, argv, i, "--http-response-max"),
                           &o->run.ceiling.max_http_response))
                return cli_fail(usage, "--http-response-max wants bytes, not '%s'", v ? v : "");
        } else if (cli_is_option(a, "--var-max")) {
            if (!cli_parse_u64(v = cli_option_value(argc, argv, i, "--var-max"), &o->run.ceiling.max_var_bytes))
                return cli_fail(usage, "--var-max wants bytes, not '%s'", v ? v : "");
        } else if (cli_is_option(a, "--log-level")) {
            if (!(v = cli_option_value(argc, argv, i, "--log-level")) ||
                !ext_log_level_parse(v, &o->run.log_level))
                return cli_fail(usage, "--log-level wants trace, debug, info, warn, error or "
                                "off, not '%s'", v ? v : "");
        } else if (strcmp(a, "--learn") == 0) {
            o->learn = true;
            o->run.learn = &o->usage;
        } else if (cli_is_option(a, "--audit")) {
            if (!(v = cli_option_value(argc, argv, i, "--audit")) || !*v)
                return cli_fail(usage, "--audit wants a file name");
            o->audit = v;
        } else {
            int r = cli_parse_common_option(argc, argv, i, &o->common);
            if (r < 0) return usage;
            if (r == 0) return cli_fail(usage, "unknown option '%s' (see wasmguard --help)", a);
        }
    }
    apply_common(o);
    if (o->audit && !o->common.help) {
        if (!(o->audit_file = fopen(o->audit, "a")))
            return cli_fail(usage, "--audit %s: %s", o->audit, strerror(errno));
        o->run.audit_file = o->audit_file;
    }
    return CLI_EXIT_OK;
}

void cli_helm_options_close(cli_helm_options *o)
{
    if (o->audit_file) fclose(o->audit_file);
    o->audit_file = NULL;
    helm_usage_free(&o->usage);
}

void cli_helm_print_learned(const cli_helm_options *o, const helm_plugin *p)
{
    if (!o->learn || !p) return;
    if (!o->usage.ran) {
        fprintf(stderr, "wasmguard: --learn: plugin %s did not run, nothing was learned\n",
                p->name);
        return;
    }
    fflush(stdout);
    helm_learn_write(p, &o->usage, stderr);
}

static void report_broken(void *user, const char *dir, const char *why)
{
    (void)user;
    fprintf(stderr, "wasmguard: warning: skipping the plugin in %s: %s\n", dir, why);
}

int cli_helm_find_plugins(helm_plugin_set *set)
{
    wasm_error err;
    wasm_error_clear(&err);
    memset(set, 0, sizeof *set);
    if (helm_plugins_find(set, report_broken, NULL, &err) != WASM_OK)
        return cli_fail(CLI_HELM_EXIT_USAGE, "%s", err.message);
    return CLI_EXIT_OK;
}

int cli_helm_pick(const helm_plugin_set *set, const char *name, const char *type,
                  const helm_plugin **out)
{
    const helm_plugin *p = helm_plugin_find(set, name);
    *out = NULL;
    if (!p)
        return cli_fail(CLI_HELM_EXIT_USAGE, "no plugin named '%s' is installed (see wasmguard "
                        "plugin list)", name);
    if (!p->type || strcmp(p->type, type) != 0)
        return cli_fail(CLI_HELM_EXIT_USAGE, "plugin %s is a %s plugin, not %s", name,
                        p->type ? p->type : "(untyped)", type);
    *out = p;
    return CLI_EXIT_OK;
}

int cli_helm_fail(helm_error_kind kind, const helm_error *err)
{
    static const int codes[] = {
        [HELM_ERR_NONE] = CLI_EXIT_OK,
        [HELM_ERR_PLUGIN] = CLI_HELM_EXIT_FAILED,
        [HELM_ERR_EXIT] = CLI_HELM_EXIT_CODE,
        [HELM_ERR_TRAP] = CLI_HELM_EXIT_TRAP,
        [HELM_ERR_TIMEOUT] = CLI_HELM_EXIT_TIMEOUT,
        [HELM_ERR_MEMORY] = CLI_HELM_EXIT_MEMORY,
        [HELM_ERR_LIMIT] = CLI_HELM_EXIT_LIMIT,
        [HELM_ERR_OUTPUT] = CLI_HELM_EXIT_OUTPUT,
        [HELM_ERR_LOAD] = CLI_HELM_EXIT_LOAD,
        [HELM_ERR_REFUSED] = CLI_HELM_EXIT_REFUSED,
        [HELM_ERR_INPUT] = CLI_HELM_EXIT_USAGE,
        [HELM_ERR_HOST] = CLI_HELM_EXIT_OTHER,
        [HELM_ERR_CANCELLED] = CLI_HELM_EXIT_TIMEOUT,  /* the CLI sets no stop hook */
    };
    if (kind == HELM_ERR_NONE) return CLI_EXIT_OK;
    int code = (unsigned)kind < sizeof codes / sizeof codes[0] ? codes[kind] : CLI_HELM_EXIT_OTHER;
    return cli_fail(code, "%s", err->message);
}

bool cli_helm_start(int argc, char **argv, cli_helm_options *o, int *i, int *rc)
{
    *i = 0;
    if ((*rc = cli_helm_parse_options(argc, argv, i, o)) != CLI_EXIT_OK) return false;
    if (!o->common.help) return true;
    cli_print_help(stdout);
    return false;
}

int cli_helm_named_plugin(int argc, char **argv, int i, const char *type, const char *usage,
                          helm_plugin_set *set, const helm_plugin **out)
{
    *out = NULL;
    if (i >= argc)
        return cli_fail(CLI_HELM_EXIT_USAGE, "usage: wasmguard %s (see wasmguard --help)", usage);
    int rc = cli_helm_find_plugins(set);
    return rc != CLI_EXIT_OK ? rc : cli_helm_pick(set, argv[i], type, out);
}

int cli_cmd_plugin_run(int argc, char **argv, const cli_options *opts)
{
    cli_helm_options o;
    cli_helm_options_init(&o, opts);
    helm_plugin_set set = {0};
    const helm_plugin *p;
    int i, rc;
    if (!cli_helm_start(argc, argv, &o, &i, &rc)) goto done;
    if ((rc = cli_helm_named_plugin(argc, argv, i, "cli/v1", "plugin run [OPTIONS] NAME [ARGS...]",
                                    &set, &p)) != CLI_EXIT_OK)
        goto done;
    helm_error err = {0};
    helm_error_kind kind = helm_run_cli(p, &o.run, (const char *const *)argv + i + 1,
                                        (size_t)(argc - i - 1), stdout, &err);
    rc = cli_helm_fail(kind, &err);
    cli_helm_print_learned(&o, p);
done:
    helm_plugins_free(&set);
    cli_helm_options_close(&o);
    return rc;
}
