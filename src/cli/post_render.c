/*
 * post_render.c - `wasmguard post-render [OPTIONS] NAME [ARGS...]`: read
 * rendered manifests on stdin, pass them through the installed
 * postrenderer/v1 plugin NAME with ARGS as its extraArgs, and write the
 * manifests it returns to stdout, byte for byte.
 *
 * This is the executable Helm 3's --post-renderer expects (manifests on
 * stdin, the result on stdout, non-zero on failure), so Helm 3 users get
 * sandboxed post-renderers and Helm 4 users get back the exec
 * post-renderer it removed (helm#31340): `helm install --post-renderer
 * wasmguard --post-renderer-args post-render --post-renderer-args NAME`.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* All of stdin (malloc'd), or NULL on a read error / no memory. */
static char *read_stdin(size_t *len)
{
    size_t cap = 1 << 20, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, stdin);
        n += got;
        if (got == 0) break;
        if (n == cap) {
            char *more = cap > SIZE_MAX / 4 ? NULL : realloc(buf, cap * 2 + 1);
            if (!more) { free(buf); return NULL; }
            buf = more;
            cap *= 2;
        }
    }
    if (buf && ferror(stdin)) { free(buf); return NULL; }
    if (buf) buf[n] = 0;
    *len = n;
    return buf;
}

int cli_cmd_post_render(int argc, char **argv, const cli_options *opts)
{
    cli_helm_options o;
    cli_helm_options_init(&o, opts);
    helm_plugin_set set = {0};
    char *in = NULL, *out = NULL;
    size_t in_len = 0, out_len = 0;
    int i = 0;
    int rc = cli_helm_parse_options(argc, argv, &i, &o);
    if (rc != CLI_EXIT_OK) goto done;
    if (o.common.help) {
        cli_print_help(stdout);
        goto done;
    }
    if (i >= argc) {
        rc = cli_fail(CLI_HELM_EXIT_USAGE, "usage: wasmguard post-render [OPTIONS] NAME [ARGS...] "
                      "< manifests (see wasmguard --help)");
        goto done;
    }
    const helm_plugin *p;
    if ((rc = cli_helm_find_plugins(&set)) != CLI_EXIT_OK) goto done;
    if ((rc = cli_helm_pick(&set, argv[i], "postrenderer/v1", &p)) != CLI_EXIT_OK) goto done;
    if (!(in = read_stdin(&in_len))) {
        rc = cli_fail(CLI_HELM_EXIT_OTHER, "cannot read the manifests from stdin: %s",
                      strerror(errno));
        goto done;
    }
    helm_error err = {0};
    helm_error_kind kind = helm_run_postrender(p, &o.run, in, in_len,
                                               (const char *const *)argv + i + 1,
                                               (size_t)(argc - i - 1), &out, &out_len, &err);
    if (kind != HELM_ERR_NONE)
        rc = cli_helm_fail(kind, &err);
    else if ((out_len && fwrite(out, 1, out_len, stdout) != out_len) || fflush(stdout) != 0)
        rc = cli_fail(CLI_HELM_EXIT_OTHER, "cannot write the manifests: %s", strerror(errno));
    cli_helm_print_learned(&o, p);
done:
    free(in);
    free(out);
    helm_plugins_free(&set);
    cli_helm_options_close(&o);
    return rc;
}
