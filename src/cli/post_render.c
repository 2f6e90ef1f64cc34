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
#include <sys/mman.h>
#include <unistd.h>

#include "cli/cli.h"
#include "helm/hugepages.h"

/* All of stdin, NUL-terminated, in an anonymous mapping of *size bytes
   (for munmap), or NULL (errno set) on a read error or no memory.
   Manifests run to megabytes: the mapping takes them on 2 MiB pages and
   grows by mremap, which moves pages instead of copying bytes. */
static char *read_stdin(size_t *len, size_t *size)
{
    size_t cap = (size_t)2 << 20, n = 0;
    char *buf = mmap(NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (buf == MAP_FAILED) return NULL;
    helm_hugepages(buf, cap);
    for (;;) {
        ssize_t got = read(STDIN_FILENO, buf + n, cap - 1 - n);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            int e = errno;
            munmap(buf, cap);
            errno = e;
            return NULL;
        }
        if (got == 0) break;
        n += (size_t)got;
        if (n == cap - 1) {
            char *more = cap > SIZE_MAX / 4 ? MAP_FAILED : mremap(buf, cap, cap * 2, MREMAP_MAYMOVE);
            if (more == MAP_FAILED) {
                munmap(buf, cap);
                errno = ENOMEM;
                return NULL;
            }
            buf = more;
            cap *= 2;
            helm_hugepages(buf, cap);
        }
    }
    buf[n] = 0;
    *len = n;
    *size = cap;
    return buf;
}

int cli_cmd_post_render(int argc, char **argv, const cli_options *opts)
{
    cli_helm_options o;
    cli_helm_options_init(&o, opts);
    helm_plugin_set set = {0};
    char *in = NULL, *out = NULL;
    size_t in_len = 0, in_size = 0, out_len = 0;
    const helm_plugin *p;
    int i, rc;
    if (!cli_helm_start(argc, argv, &o, &i, &rc)) goto done;
    if ((rc = cli_helm_named_plugin(argc, argv, i, "postrenderer/v1",
                                    "post-render [OPTIONS] NAME [ARGS...] < manifests", &set,
                                    &p)) != CLI_EXIT_OK)
        goto done;
    if (!(in = read_stdin(&in_len, &in_size))) {
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
    if (in) munmap(in, in_size);
    free(out);
    helm_plugins_free(&set);
    cli_helm_options_close(&o);
    return rc;
}
