/*
 * invoke.c - `wasmguard invoke FILE FUNC [ARGS...]`: call one exported
 * function of a module that needs no imports, print its results (one a
 * line) and, on stderr, how long the call took.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"

static const char *const kind_names[] = {"function", "table", "memory", "global"};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Finds export `name` and checks that it is a function taking nargs
   arguments; reports and returns an exit code otherwise. */
static int find_func(const cli_session *s, const char *path, const char *name, int nargs,
                     wasm_func **out)
{
    wasm_extern ext;
    char shown[128];
    cli_printable(shown, sizeof shown, name, strlen(name));
    if (!wasm_instance_export(s->inst, name, (uint32_t)strlen(name), &ext))
        return cli_fail(CLI_EXIT_USAGE, "%s has no export named '%s'", path, shown);
    if (ext.kind != WASM_EXTERN_FUNC)
        return cli_fail(CLI_EXIT_USAGE, "export '%s' of %s is a %s, not a function", shown,
                        path, kind_names[ext.kind & 3]);
    const wasm_functype *t = wasm_func_type(ext.of.func);
    if ((uint32_t)nargs != t->nparams) {
        char sig[256] = "";
        for (uint32_t i = 0; i < t->nparams && strlen(sig) + 12 < sizeof sig; i++) {
            if (i) strcat(sig, " ");
            strcat(sig, cli_type_name(t->params[i]));
        }
        return cli_fail(CLI_EXIT_USAGE, "%s takes %u argument%s (%s), got %d", shown,
                        t->nparams, t->nparams == 1 ? "" : "s", sig, nargs);
    }
    *out = ext.of.func;
    return CLI_EXIT_OK;
}

/* Prints "FUNC(ARGS) took T ms" on stderr. */
static void print_time(const char *name, char **argv, int nargs, double ms)
{
    fprintf(stderr, "%s(", name);
    for (int i = 0; i < nargs; i++) fprintf(stderr, "%s%s", i ? ", " : "", argv[i]);
    fprintf(stderr, ms >= 1.0 ? ") took %.1f ms\n" : ") took %.3f ms\n", ms);
}

int cli_cmd_invoke(int argc, char **argv, const cli_options *opts)
{
    if (argc < 2)
        return cli_fail(CLI_EXIT_USAGE, "usage: wasmguard invoke [OPTIONS] FILE.wasm FUNC "
                        "[ARGS...] (see wasmguard --help)");
    const char *path = argv[0], *name = argv[1];
    char **args_text = argv + 2;
    int nargs = argc - 2;
    cli_session s;
    wasm_val *args = NULL, *results = NULL;
    wasm_func *f = NULL;
    int rc = cli_session_open(&s, path, opts);
    if (rc != CLI_EXIT_OK) return rc;
    if ((rc = find_func(&s, path, name, nargs, &f)) != CLI_EXIT_OK) goto done;

    const wasm_functype *t = wasm_func_type(f);
    args = calloc(t->nparams + 1, sizeof *args);
    results = calloc(t->nresults + 1, sizeof *results);
    if (!args || !results) {
        rc = cli_fail(CLI_EXIT_OTHER, "out of memory");
        goto done;
    }
    for (uint32_t i = 0; i < t->nparams; i++) {
        if (!cli_parse_value(args_text[i], t->params[i], &args[i])) {
            rc = cli_fail(CLI_EXIT_USAGE, "argument %u of %s: '%s' is not a valid %s", i + 1,
                          name, args_text[i], cli_type_name(t->params[i]));
            goto done;
        }
    }

    wasm_error err = {0};
    double t0 = now_ms();
    wasm_status st = wasm_func_call(f, args, results, &err);
    double ms = now_ms() - t0;
    if (st != WASM_OK) {
        rc = cli_fail(cli_exit_code(st, false), "%s: %s", name,
                      err.message[0] ? err.message : wasm_status_name(st));
        goto done;
    }
    for (uint32_t i = 0; i < t->nresults; i++) cli_print_value(stdout, t->results[i], results[i]);
    fflush(stdout);
    print_time(name, args_text, nargs, ms);
done:
    free(args);
    free(results);
    cli_session_close(&s);
    return rc;
}
