/*
 * plugin_package.c - `wasmguard plugin package DIR [-d DEST] [--sign
 * --key NAME --keyring SECRET-KEYRING]`: Helm's `helm plugin package`:
 * DEST/NAME-VERSION.tgz with the plugin's files under NAME/
 * (helm_archive_package), then the line Helm prints, "Successfully
 * packaged plugin and saved it to: PATH".  With --sign, its .prov beside
 * it (helm_prov_sign: DIR/plugin.yaml, the tarball's sha256, clear-signed
 * with the key NAME of the secret keyring, an export of secret keys as
 * Helm's --keyring).  Exit codes as plugin lint's: 1 the plugin is
 * refused or cannot be signed, 2 usage, 70 host.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

typedef struct package_opts {
    const char *dest, *key, *keyring;
    bool sign;
} package_opts;

static bool package_option(int argc, char **argv, int *i, void *user)
{
    package_opts *o = user;
    const char *a = argv[*i];
    if (strcmp(a, "--sign") == 0) return o->sign = true;
    return cli_take_option(argc, argv, i, "-d", &o->dest) ||
           cli_take_option(argc, argv, i, "--destination", &o->dest) ||
           cli_take_option(argc, argv, i, "--key", &o->key) ||
           cli_take_option(argc, argv, i, "--keyring", &o->keyring);
}

int cli_cmd_plugin_package(int argc, char **argv, const cli_options *opts)
{
    (void)opts;
    package_opts o = {.dest = "."};
    const char *dir;
    int rc;
    if (!cli_subcommand_args(argc, argv, "plugin package", "one DIR", package_option, &o, &dir, 1,
                             &rc))
        return rc;
    const char *dest = o.dest, *key = o.key, *keyring = o.keyring;
    bool sign = o.sign;
    if (!dir)
        return cli_fail(CLI_PLUGIN_EXIT_USAGE,
                        "plugin package wants a plugin's directory (see wasmguard --help)");
    if (sign && (!key || !key[0] || !keyring || !keyring[0]))
        return cli_fail(CLI_PLUGIN_EXIT_USAGE,
                        "plugin package: --sign wants --key NAME and --keyring SECRET-KEYRING");
    if (!sign && (key || keyring))
        return cli_fail(CLI_PLUGIN_EXIT_USAGE, "plugin package: --key and --keyring need --sign");
    char clean[4096];
    cli_dir_arg(dir, clean, sizeof clean);

    wasm_error err;
    wasm_error_clear(&err);
    char *tgz = NULL;
    if (helm_archive_package(clean, dest, &tgz, &err) != WASM_OK)
        return cli_fail(err.status == WASM_BAD_ARGUMENT ? CLI_PLUGIN_EXIT_PROBLEM
                                                        : CLI_PLUGIN_EXIT_OTHER,
                        "%s", err.message);
    if (sign) {
        char yaml[4200];
        snprintf(yaml, sizeof yaml, "%s/%s", clean, HELM_PLUGIN_FILE);
        if (helm_prov_sign(tgz, yaml, key, keyring, NULL, &err) != WASM_OK) {
            int rc = cli_fail(err.status == WASM_BAD_ARGUMENT ? CLI_PLUGIN_EXIT_PROBLEM
                                                              : CLI_PLUGIN_EXIT_OTHER,
                              "plugin package: %s: not signed: %s", tgz, err.message);
            unlink(tgz);  /* no tarball that was meant to be signed and is not */
            free(tgz);
            return rc;
        }
    }
    printf("Successfully packaged plugin and saved it to: %s\n", tgz);
    free(tgz);
    return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_PLUGIN_EXIT_OTHER;
}
