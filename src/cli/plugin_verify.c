/*
 * plugin_verify.c - `wasmguard plugin verify PATH.tgz [--keyring FILE]`:
 * checks a plugin tarball against its PATH.tgz.prov as `helm plugin
 * verify` does (helm/helm pkg/cmd/plugin_verify.go), with
 * helm_prov_verify (src/helm/provenance.c, librnp in process).
 *
 * Prints Helm's lines on success:
 *     Signed by: USER ID            (one per user ID of the signer)
 *     Using Key With Fingerprint: HEX
 *     Plugin Hash Verified: sha256:HEX
 * and otherwise one line "wasmguard: plugin verify: cause" on stderr and
 * exit 1 (the tarball is not verified), 2 (usage), 70 (out of memory).
 * The keyring defaults to Helm's: $GNUPGHOME/pubring.gpg, else
 * ~/.gnupg/pubring.gpg.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

static bool is_tarball(const char *path)
{
    size_t n = strlen(path);
    return (n > 4 && strcmp(path + n - 4, ".tgz") == 0) ||
           (n > 3 && strcmp(path + n - 3, ".gz") == 0);
}

static bool verify_option(int argc, char **argv, int *i, void *user)
{
    return cli_take_option(argc, argv, i, "--keyring", (const char **)user);
}

int cli_cmd_plugin_verify(int argc, char **argv, const cli_options *opts)
{
    (void)opts;
    const char *path, *keyring = NULL;
    int rc;
    if (!cli_subcommand_args(argc, argv, "plugin verify", "one PATH", verify_option, &keyring, &path,
                             1, &rc))
        return rc;
    if (!path)
        return cli_fail(CLI_PLUGIN_EXIT_USAGE,
                        "plugin verify wants a plugin tarball, PATH.tgz (see wasmguard --help)");
    struct stat sb;
    if (stat(path, &sb) != 0)
        return cli_fail(CLI_PLUGIN_EXIT_PROBLEM, "plugin verify: %s: %s", path, strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return cli_fail(CLI_PLUGIN_EXIT_PROBLEM, "plugin verify: directory verification not "
                                                 "supported - only plugin tarballs can be verified");
    if (!is_tarball(path))
        return cli_fail(CLI_PLUGIN_EXIT_PROBLEM,
                        "plugin verify: plugin file must be a gzipped tarball (.tar.gz or .tgz)");
    char fallback[4096];
    if (!keyring) keyring = helm_prov_default_keyring(fallback, sizeof fallback);

    helm_prov_result res;
    wasm_error err;
    wasm_error_clear(&err);
    if (helm_prov_verify(path, NULL, keyring, &res, &err) != WASM_OK)
        return cli_fail(err.status == WASM_NOMEM ? CLI_PLUGIN_EXIT_OTHER : CLI_PLUGIN_EXIT_PROBLEM,
                        "plugin verify: %s", err.message);
    for (size_t i = 0; i < res.nuser_ids; i++) printf("Signed by: %s\n", res.user_ids[i]);
    printf("Using Key With Fingerprint: %s\n", res.fingerprint);
    printf("Plugin Hash Verified: %s\n", res.file_hash);
    return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_PLUGIN_EXIT_OTHER;
}
