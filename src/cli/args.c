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
