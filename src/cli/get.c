/*
 * get.c - `wasmguard get [OPTIONS] URL` and Helm's downloader form
 * `wasmguard get [OPTIONS] CERT KEY CA URL`: fetch URL through the
 * installed getter/v1 plugin whose protocols include the URL's scheme,
 * and write the bytes it returns to stdout.
 *
 * The downloader form is the command line Helm 3 and Helm 4 give a
 * downloader's `command` (internal/plugin/runtime_subprocess_getter.go:
 * certFile, keyFile, caFile, then the URL; empty strings allowed), with
 * the credentials in HELM_PLUGIN_USERNAME, HELM_PLUGIN_PASSWORD and
 * HELM_PLUGIN_PASS_CREDENTIALS_ALL; so a getter/v1 Wasm plugin serves as
 * a downloader through a one-line wrapper (`exec wasmguard get "$@"`).
 * They become the message's options (CertFile, KeyFile, CAFile, Username,
 * Password, PassCredentialsAll); URL is the URL itself.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

int cli_cmd_get(int argc, char **argv, const cli_options *opts)
{
    cli_helm_options o;
    cli_helm_options_init(&o, opts);
    helm_plugin_set set = {0};
    uint8_t *data = NULL;
    size_t len = 0;
    int i, rc;
    if (!cli_helm_start(argc, argv, &o, &i, &rc)) goto done;
    int n = argc - i;
    if (n != 1 && n != 4) {
        rc = cli_fail(CLI_HELM_EXIT_USAGE, "usage: wasmguard get [OPTIONS] URL, or as a Helm "
                      "downloader: wasmguard get [OPTIONS] CERT KEY CA URL (see wasmguard --help)");
        goto done;
    }
    helm_getter_options g;
    memset(&g, 0, sizeof g);
    const char *href = argv[argc - 1];
    g.url = href;
    if (n == 4) {
        g.cert_file = argv[i];
        g.key_file = argv[i + 1];
        g.ca_file = argv[i + 2];
    }
    const char *pca = getenv("HELM_PLUGIN_PASS_CREDENTIALS_ALL");
    g.username = getenv("HELM_PLUGIN_USERNAME");
    g.password = getenv("HELM_PLUGIN_PASSWORD");
    g.pass_credentials_all = pca && (strcmp(pca, "true") == 0 || strcmp(pca, "1") == 0);

    if ((rc = cli_helm_find_plugins(&set)) != CLI_EXIT_OK) goto done;
    char scheme[64];
    const helm_plugin *p = helm_find_getter(&set, href, scheme, sizeof scheme);
    if (!p) {
        rc = scheme[0] ? cli_fail(CLI_HELM_EXIT_USAGE, "no getter plugin for the scheme '%s' of %s "
                                  "is installed", scheme, href)
                       : cli_fail(CLI_HELM_EXIT_USAGE, "'%s' has no URL scheme", href);
        goto done;
    }
    helm_error err = {0};
    helm_error_kind kind = helm_run_getter(p, &o.run, href, &g, &data, &len, &err);
    if (kind != HELM_ERR_NONE) {
        rc = cli_helm_fail(kind, &err);
    } else if ((len && fwrite(data, 1, len, stdout) != len) || fflush(stdout) != 0) {
        rc = cli_fail(CLI_HELM_EXIT_OTHER, "cannot write the output");
    }
    cli_helm_print_learned(&o, p);
done:
    free(data);
    helm_plugins_free(&set);
    cli_helm_options_close(&o);
    return rc;
}
