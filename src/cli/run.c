/*
 * run.c - `wasmguard run [OPTIONS] FILE.wasm [ARGS...]`: run a WASI
 * command (its `_start`) with what the options grant and nothing else.
 *
 * The guest gets argv (FILE's base name, then ARGS), the --env variables
 * (never the host's), stdin/stdout/stderr of this process, the --dir
 * directories and, with --tmp, a fresh temp directory at /tmp.  Its exit
 * code becomes ours; a trap, a limit or a signal maps to a code of its own
 * (cli.h, documented in --help).
 *
 * SIGINT and SIGTERM raise the store's interrupt flag (an atomic store,
 * async-signal-safe), so the guest stops at its next loop or call, and
 * the context is freed (the temp dir removed) before we exit with
 * 128 + the signal.  A second signal kills at once: the handler restores
 * the default action after the first.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "wasi/wasi.h"

#define WASI_MODULE "wasi_snapshot_preview1"

static const char *const kind_names[] = {"func", "table", "memory", "global"};

/* The store the signal handlers interrupt, and the signal that came. */
static wasm_store *volatile run_store;
static volatile sig_atomic_t run_signal;

static void on_signal(int sig)
{
    int saved = errno;
    wasm_store *s = run_store;
    run_signal = sig;
    if (s) wasm_store_interrupt(s);
    signal(sig, SIG_DFL);
    errno = saved;
}

/* No SA_RESTART: a host call blocked in a system call returns EINTR. */
static void install_handlers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* A guest writing to a closed pipe gets EPIPE; it must not kill us
       before the temp dir is removed. */
    signal(SIGPIPE, SIG_IGN);
}

/* After the run: no handler may touch the store while it is freed.  A
   signal arriving now stays pending; we exit without unblocking it. */
static void block_signals(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_BLOCK, &set, NULL);
    run_store = NULL;
}

typedef struct run_args {
    cli_options opts;
    wasi_preopen *dirs;
    uint32_t ndirs;
    const char **env;
    uint32_t nenv;
    bool tmp;
    const char *path;      /* FILE */
    const char **argv;     /* the guest's: FILE's base name, ARGS */
    uint32_t argc;
    char **owned;          /* strings split out of --dir, freed at the end */
    uint32_t nowned;
} run_args;

static void run_args_free(run_args *a)
{
    for (uint32_t i = 0; i < a->nowned; i++) free(a->owned[i]);
    free(a->owned);
    free(a->dirs);
    free(a->env);
    free(a->argv);
}

static char *own(run_args *a, const char *s, size_t len)
{
    char *copy = malloc(len + 1);
    if (!copy) return NULL;
    memcpy(copy, s, len);
    copy[len] = 0;
    a->owned[a->nowned++] = copy;
    return copy;
}

/* "HOST[::GUEST][:ro]": the :ro suffix first (only when a name precedes
   it, so "D::ro" is guest directory "ro"), then the host and guest parts
   split at the first "::". */
static int parse_dir(run_args *a, const char *spec)
{
    size_t len = strlen(spec);
    bool ro = false;
    if (len > 3 && strcmp(spec + len - 3, ":ro") == 0 && spec[len - 4] != ':') {
        ro = true;
        len -= 3;
    }
    const char *sep = strstr(spec, "::");
    if (sep && (size_t)(sep - spec) >= len) sep = NULL;
    size_t host_len = sep ? (size_t)(sep - spec) : len;
    const char *guest = sep ? sep + 2 : spec;
    size_t guest_len = sep ? len - host_len - 2 : len;
    if (host_len == 0 || guest_len == 0)
        return cli_fail(CLI_RUN_EXIT_USAGE, "--dir wants HOST[::GUEST][:ro], not '%s'", spec);

    wasi_preopen *d = &a->dirs[a->ndirs];
    d->host_path = own(a, spec, host_len);
    d->guest_path = own(a, guest, guest_len);
    d->readonly = ro;
    if (!d->host_path || !d->guest_path) return cli_fail(CLI_RUN_EXIT_OTHER, "out of memory");
    struct stat st;
    if (stat(d->host_path, &st) != 0)
        return cli_fail(CLI_RUN_EXIT_USAGE, "--dir %s: %s", d->host_path, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return cli_fail(CLI_RUN_EXIT_USAGE, "--dir %s: not a directory", d->host_path);
    a->ndirs++;
    return CLI_EXIT_OK;
}

static int parse_env(run_args *a, const char *kv)
{
    const char *eq = strchr(kv, '=');
    if (!eq || eq == kv)
        return cli_fail(CLI_RUN_EXIT_USAGE, "--env wants KEY=VALUE, not '%s'", kv);
    a->env[a->nenv++] = kv;
    return CLI_EXIT_OK;
}

/* An option's value, from "--opt=V" or the next word. */
static const char *value_of(int argc, char **argv, int *i, size_t name_len)
{
    const char *arg = argv[*i];
    if (arg[name_len] == '=') return arg + name_len + 1;
    if (*i + 1 < argc) return argv[++*i];
    return NULL;
}

static bool is_option(const char *arg, const char *name, size_t len)
{
    return strncmp(arg, name, len) == 0 && (arg[len] == 0 || arg[len] == '=');
}

/* Options up to FILE; FILE and everything after it make the guest's argv. */
static int parse_args(int argc, char **argv, run_args *a)
{
    size_t n = (size_t)argc + 1;
    a->dirs = calloc(n, sizeof *a->dirs);
    a->env = calloc(n, sizeof *a->env);
    a->argv = calloc(n, sizeof *a->argv);
    a->owned = calloc(2 * n, sizeof *a->owned);
    if (!a->dirs || !a->env || !a->argv || !a->owned)
        return cli_fail(CLI_RUN_EXIT_OTHER, "out of memory");
    int i = 0, rc;
    for (; i < argc; i++) {
        const char *arg = argv[i], *v;
        if (strcmp(arg, "--") == 0) { i++; break; }
        if (arg[0] != '-' || arg[1] == 0) break;
        if (is_option(arg, "--dir", 5)) {
            if (!(v = value_of(argc, argv, &i, 5)))
                return cli_fail(CLI_RUN_EXIT_USAGE, "--dir wants HOST[::GUEST][:ro]");
            if ((rc = parse_dir(a, v)) != CLI_EXIT_OK) return rc;
        } else if (is_option(arg, "--env", 5)) {
            if (!(v = value_of(argc, argv, &i, 5)))
                return cli_fail(CLI_RUN_EXIT_USAGE, "--env wants KEY=VALUE");
            if ((rc = parse_env(a, v)) != CLI_EXIT_OK) return rc;
        } else if (strcmp(arg, "--tmp") == 0) {
            a->tmp = true;
        } else {
            int r = cli_parse_common_option(argc, argv, &i, &a->opts);
            if (r < 0) return CLI_RUN_EXIT_USAGE;
            if (r == 0)
                return cli_fail(CLI_RUN_EXIT_USAGE, "unknown option '%s' (see wasmguard --help)",
                                arg);
        }
    }
    if (a->opts.help || a->opts.version) return CLI_EXIT_OK;
    if (i >= argc)
        return cli_fail(CLI_RUN_EXIT_USAGE, "usage: wasmguard run [OPTIONS] FILE.wasm [ARGS...] "
                        "(see wasmguard --help)");
    a->path = argv[i];
    const char *base = strrchr(a->path, '/');
    a->argv[a->argc++] = base && base[1] ? base + 1 : a->path;
    for (i++; i < argc; i++) a->argv[a->argc++] = argv[i];
    return CLI_EXIT_OK;
}

/* The first import that is not WASI's: nothing else is provided. */
static int check_imports(const char *path, const wasm_module *m)
{
    uint32_t n = wasm_module_import_count(m);
    size_t wl = strlen(WASI_MODULE);
    for (uint32_t i = 0; i < n; i++) {
        wasm_import_info info;
        wasm_module_import(m, i, &info);
        if (info.module.len == wl && memcmp(info.module.data, WASI_MODULE, wl) == 0) continue;
        char mod[128], name[128];
        return cli_fail(CLI_RUN_EXIT_LOAD, "%s: unresolved import \"%s\".\"%s\" (%s): run "
                        "provides only " WASI_MODULE, path,
                        cli_printable(mod, sizeof mod, info.module.data, info.module.len),
                        cli_printable(name, sizeof name, info.name.data, info.name.len),
                        kind_names[info.kind & 3]);
    }
    return CLI_EXIT_OK;
}

static bool has_start(const wasm_module *m)
{
    uint32_t n = wasm_module_export_count(m);
    for (uint32_t i = 0; i < n; i++) {
        wasm_export_info e;
        wasm_module_export(m, i, &e);
        if (e.kind == WASM_EXTERN_FUNC && e.name.len == 6 && memcmp(e.name.data, "_start", 6) == 0)
            return true;
    }
    return false;
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static const char *message_of(const wasm_error *err)
{
    return err->message[0] ? err->message : wasm_status_name(err->status);
}

/* The exit code of a guest that stopped with st (reported here). */
static int stopped_code(wasm_status st, const wasm_error *err, const run_args *a)
{
    if (run_signal) return CLI_RUN_EXIT_SIGNAL + run_signal;  /* reported by run_module */
    switch (st) {
    case WASM_TRAP:
        return cli_fail(CLI_RUN_EXIT_TRAP, "trap: %s",
                        err->message[0] ? err->message : wasm_trap_message(err->trap));
    case WASM_FUEL_EXHAUSTED:
        return cli_fail(CLI_RUN_EXIT_FUEL, "fuel exhausted");
    case WASM_INTERRUPTED:
        if (a->opts.has_timeout)
            return cli_fail(CLI_RUN_EXIT_TIMEOUT, "timeout after %llu ms",
                            (unsigned long long)a->opts.timeout_ms);
        return cli_fail(CLI_RUN_EXIT_TIMEOUT, "interrupted");
    default:
        return cli_fail(CLI_RUN_EXIT_OTHER, "%s", message_of(err));
    }
}

/* The guest's exit code as ours: its low 8 bits, but never 0 for a
   non-zero code. */
static int guest_code(int32_t code)
{
    uint32_t low = (uint32_t)code & 0xffu;
    return code != 0 && low == 0 ? 1 : (int)low;
}

static int run_module(const run_args *a)
{
    wasm_error err = {0};
    wasm_module *module = NULL;
    wasm_store *store = NULL;
    wasi_ctx *ctx = NULL;
    wasm_extern *imports = NULL;
    int rc = CLI_EXIT_OK;
    size_t size = 0;

    uint8_t *bytes = cli_read_file(a->path, &size);
    if (!bytes) return CLI_RUN_EXIT_LOAD;
    module = wasm_module_new(bytes, size, &err);
    free(bytes);
    if (!module) {
        rc = cli_fail(CLI_RUN_EXIT_LOAD, "%s: %s", a->path, message_of(&err));
        goto done;
    }
    if ((rc = check_imports(a->path, module)) != CLI_EXIT_OK) goto done;
    if (!has_start(module)) {
        rc = cli_fail(CLI_RUN_EXIT_LOAD, "%s: no _start export: not a WASI command", a->path);
        goto done;
    }

    wasi_config wc = {
        .argv = a->argv, .argc = a->argc,
        .env = a->env, .nenv = a->nenv,
        .preopens = a->dirs, .npreopens = a->ndirs,
        .stdin_mode = WASI_STDIO_INHERIT,
        .stdout_mode = WASI_STDIO_INHERIT,
        .stderr_mode = WASI_STDIO_INHERIT,
        .tmp_dir = a->tmp,
    };
    ctx = wasi_ctx_new(&wc, &err);
    if (!ctx) {
        rc = cli_fail(CLI_RUN_EXIT_OTHER, "%s", message_of(&err));
        goto done;
    }

    wasm_config cfg;
    wasm_config_default(&cfg);
    if (a->opts.has_memory_max) cfg.max_memory_pages = a->opts.memory_max;
    store = wasm_store_new(&cfg);
    if (!store) {
        rc = cli_fail(CLI_RUN_EXIT_OTHER, "out of memory");
        goto done;
    }
    run_store = store;
    if (run_signal) goto done;  /* it came while loading */
    /* The budget and the deadline cover the start function too. */
    if (a->opts.has_fuel) wasm_store_set_fuel(store, a->opts.fuel);
    if (a->opts.has_timeout) wasm_store_set_deadline(store, now_ns() + a->opts.timeout_ms * 1000000u);

    uint32_t nimports = wasm_module_import_count(module);
    imports = calloc(nimports + 1, sizeof *imports);
    if (!imports) {
        rc = cli_fail(CLI_RUN_EXIT_OTHER, "out of memory");
        goto done;
    }
    wasm_status st = wasi_link(ctx, store, module, imports, &err);
    if (st != WASM_OK) {
        rc = cli_fail(CLI_RUN_EXIT_LOAD, "%s: %s", a->path, message_of(&err));
        goto done;
    }
    wasm_instance *inst = wasm_instance_new(store, module, imports, nimports, &err);
    if (!inst) {
        /* A start function that traps or runs out counts as running;
           anything else (a memory over --memory-max) as not loadable. */
        bool ran = err.status == WASM_TRAP || err.status == WASM_FUEL_EXHAUSTED ||
                   err.status == WASM_INTERRUPTED;
        rc = ran ? stopped_code(err.status, &err, a)
                 : cli_fail(CLI_RUN_EXIT_LOAD, "%s: %s", a->path, message_of(&err));
        goto done;
    }
    int32_t code = 0;
    st = wasi_run_start(ctx, inst, &code, &err);
    rc = st == WASM_OK ? guest_code(code) : stopped_code(st, &err, a);
done:
    block_signals();
    free(imports);
    if (store) wasm_store_free(store);
    if (ctx) wasi_ctx_free(ctx);  /* removes the temp dir */
    if (module) wasm_module_free(module);
    if (run_signal) {
        rc = cli_fail(CLI_RUN_EXIT_SIGNAL + run_signal, "stopped by %s",
                      run_signal == SIGINT ? "SIGINT" : "SIGTERM");
    }
    return rc;
}

int cli_cmd_run(int argc, char **argv, const cli_options *opts)
{
    run_args a;
    memset(&a, 0, sizeof a);
    a.opts = *opts;
    install_handlers();
    int rc = parse_args(argc, argv, &a);
    if (rc == CLI_EXIT_OK && a.opts.help) {
        cli_print_help(stdout);
    } else if (rc == CLI_EXIT_OK && a.opts.version) {
        printf("wasmguard " CLI_VERSION "\n");
    } else if (rc == CLI_EXIT_OK) {
        fflush(stdout);
        rc = run_module(&a);
    }
    run_args_free(&a);
    return rc;
}
