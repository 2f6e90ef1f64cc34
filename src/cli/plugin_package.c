/*
 * plugin_package.c - `wasmguard plugin package DIR [-d DEST]`: Helm's
 * `helm plugin package` (without --sign, for now): DEST/NAME-VERSION.tgz
 * with the plugin's files under NAME/ (helm_archive_package), then the
 * line Helm prints, "Successfully packaged plugin and saved it to: PATH".
 * Exit codes as plugin lint's: 1 the plugin is refused, 2 usage, 70 host.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

int cli_cmd_plugin_package(int argc, char **argv, const cli_options *opts)
{
    (void)opts;
    const char *dir = NULL, *dest = ".";
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if ((strcmp(a, "-d") == 0 || strcmp(a, "--destination") == 0) && i + 1 < argc) {
            dest = argv[++i];
        } else if (strncmp(a, "--destination=", 14) == 0) {
            dest = a + 14;
        } else if (strcmp(a, "--sign") == 0 || strcmp(a, "--key") == 0 ||
                   strcmp(a, "--keyring") == 0 || strncmp(a, "--key=", 6) == 0 ||
                   strncmp(a, "--keyring=", 10) == 0) {
            return cli_fail(CLI_PLUGIN_EXIT_USAGE,
                            "plugin package: %s: signing is not yet supported", a);
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            cli_print_help(stdout);
            return CLI_EXIT_OK;
        } else if (a[0] == '-' && a[1]) {
            return cli_fail(CLI_PLUGIN_EXIT_USAGE,
                            "plugin package: unknown option '%s' (see wasmguard --help)", a);
        } else if (dir) {
            return cli_fail(CLI_PLUGIN_EXIT_USAGE, "plugin package takes one DIR, not also '%s'", a);
        } else {
            dir = a;
        }
    }
    if (!dir)
        return cli_fail(CLI_PLUGIN_EXIT_USAGE,
                        "plugin package wants a plugin's directory (see wasmguard --help)");
    size_t dlen = strlen(dir);
    while (dlen > 1 && dir[dlen - 1] == '/') dlen--;  /* "DIR/" names the files as DIR does */
    char clean[4096];
    snprintf(clean, sizeof clean, "%.*s", (int)dlen, dir);

    wasm_error err;
    wasm_error_clear(&err);
    char *tgz = NULL;
    if (helm_archive_package(clean, dest, &tgz, &err) != WASM_OK)
        return cli_fail(err.status == WASM_BAD_ARGUMENT ? CLI_PLUGIN_EXIT_PROBLEM
                                                        : CLI_PLUGIN_EXIT_OTHER,
                        "%s", err.message);
    printf("Successfully packaged plugin and saved it to: %s\n", tgz);
    free(tgz);
    return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_PLUGIN_EXIT_OTHER;
}
