/*
 * args.c - the option helpers every command of the CLI shares: long
 * options written "--name VALUE" or "--name=VALUE", and counts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

bool cli_is_option(const char *arg, const char *name)
{
    size_t len = strlen(name);
    return strncmp(arg, name, len) == 0 && (arg[len] == 0 || arg[len] == '=');
}

const char *cli_option_value(int argc, char **argv, int *i, const char *name)
{
    const char *arg = argv[*i];
    size_t len = strlen(name);
    if (arg[len] == '=') return arg + len + 1;
    if (*i + 1 < argc) return argv[++*i];
    return NULL;
}

bool cli_parse_u64(const char *s, uint64_t *out)
{
    if (!s || *s < '0' || *s > '9') return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > INT64_MAX) return false; /* also a JSON integer */
    *out = v;
    return true;
}

void cli_dir_arg(const char *dir, char *out, size_t outsz)
{
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/') len--; /* "DIR/" names the files as DIR does */
    snprintf(out, outsz, "%.*s", (int)len, dir);
}

bool cli_take_option(int argc, char **argv, int *i, const char *name, const char **out)
{
    if (!cli_is_option(argv[*i], name)) return false;
    int j = *i;
    const char *v = cli_option_value(argc, argv, &j, name);
    if (!v) return false;
    *out = v;
    *i = j;
    return true;
}

bool cli_subcommand_args(int argc, char **argv, const char *cmd, const char *takes,
                         cli_option_fn option, void *user, const char **pos, int npos, int *rc)
{
    int n = 0;
    for (int k = 0; k < npos; k++) pos[k] = NULL;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (option && option(argc, argv, &i, user)) continue;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            cli_print_help(stdout);
            *rc = CLI_EXIT_OK;
            return false;
        }
        if (a[0] == '-' && a[1]) {
            *rc = cli_fail(CLI_PLUGIN_EXIT_USAGE, "%s: unknown option '%s' (see wasmguard --help)",
                           cmd, a);
            return false;
        }
        if (n == npos) {
            *rc = cli_fail(CLI_PLUGIN_EXIT_USAGE, "%s takes %s, not also '%s'", cmd, takes, a);
            return false;
        }
        pos[n++] = a;
    }
    return true;
}
