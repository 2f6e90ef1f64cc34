/*
 * threads.c - the extism suite's C embedder: what needs the library
 * (include/wasmguard.h) rather than the CLI.
 *
 *   threads   eight threads, each creating plugins from ONE compiled
 *             module (wg_module) and one shared guard, calling them in a loop,
 *             checking every output; built a second time with
 *             -fsanitize=thread against a TSan build of the library
 *   host      user host functions in "extism:host/user": a callback that
 *             reads and allocates kernel blocks, one with plain i32s, a
 *             missing one and a mistyped one (the plugin must not load)
 *   cancel    wg_plugin_cancel from another thread stops an endless
 *             loop promptly, and the plugin works afterwards
 *   timeout   timeout_ms stops an endless loop within
 *             100 ms of it, with the message "timeout"
 *
 * usage: threads [-n ITERATIONS] [-t THREADS] [--name NAME] DIR
 *   DIR holds the test plugins (build/tests/extism).  Prints "ok - ..."
 *   or "not ok - ..." for each check and "done" at the end, then with
 *   --name the summary line "NAME: N passed, N failed" of `make check`;
 *   exits 1 when any check failed.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wasmguard.h"

#if defined(__SANITIZE_THREAD__)
/* Under ThreadSanitizer a race ends the run at once, so that its report
   is the last thing printed, where `make check` shows it. */
const char *__tsan_default_options(void);
const char *__tsan_default_options(void)
{
    return "halt_on_error=1";
}
#endif

static atomic_int passes, failures;
static pthread_mutex_t print_lock = PTHREAD_MUTEX_INITIALIZER;

static void report(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report(bool ok, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pthread_mutex_lock(&print_lock);
    fputs(ok ? "ok - " : "not ok - ", stdout);
    vprintf(fmt, ap);
    fputc('\n', stdout);
    fflush(stdout);
    pthread_mutex_unlock(&print_lock);
    va_end(ap);
    atomic_fetch_add(ok ? &passes : &failures, 1);
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? 2 * cap : 65536;
            uint8_t *p = realloc(buf, cap);
            if (!p) break;
            buf = p;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        if (got == 0) break;
        n += got;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* A plugin file, compiled once. */
static wg_module *load(const char *dir, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.wasm", dir, name);
    size_t len = 0;
    uint8_t *bytes = read_file(path, &len);
    wg_error err = {0};
    wg_module *m = bytes ? wg_module_new(bytes, len, &err) : NULL;
    free(bytes);
    if (!m) report(false, "load %s: %s", path, bytes ? err.message : "cannot read it");
    return m;
}

/* Calls func and compares the output with want (NULL: the call must
   fail); returns true when as expected, else writes why into why. */
static bool call_expect(wg_plugin *p, const char *func, const char *input, const char *want,
                        char *why, size_t whylen)
{
    wg_error err = {0};
    const uint8_t *out = NULL;
    size_t len = 0;
    wg_status st = wg_plugin_call(p, func, input, strlen(input), &out, &len, &err);
    if (st != WG_OK) {
        if (!want) return true;
        snprintf(why, whylen, "%s(%s) failed: %s", func, input, err.message);
        return false;
    }
    if (!want) {
        snprintf(why, whylen, "%s(%s) succeeded", func, input);
        return false;
    }
    if (len != strlen(want) || (len && memcmp(out, want, len) != 0)) {
        snprintf(why, whylen, "%s(%s): expected '%s', got '%.*s'", func, input, want,
                 (int)(len > 200 ? 200 : len), (const char *)out);
        return false;
    }
    return true;
}

/* ---- host functions ---------------------------------------------------- */

static atomic_long host_calls, add_calls;

/* reverse(i64 handle) -> i64 handle: a new block with the bytes reversed. */
static wg_status host_reverse(wg_current_plugin *p, const wg_val *args, wg_val *results,
                              void *user)
{
    (void)user;
    atomic_fetch_add(&host_calls, 1);
    uint64_t len = 0;
    uint8_t *data = wg_block(p, (uint64_t)wg_as_i64(args[0]), &len);
    if (!data) return wg_host_error(p, "reverse: %llu is not a block",
                                    (unsigned long long)wg_as_i64(args[0]));
    uint8_t *rev = malloc(len ? len : 1);
    if (!rev) return wg_host_error(p, "reverse: out of memory");
    for (uint64_t i = 0; i < len; i++) rev[i] = data[len - 1 - i];
    uint64_t h = wg_block_alloc(p, rev, len);
    free(rev);
    results[0] = wg_val_i64((int64_t)h);
    return WG_OK;
}

static wg_status host_add(wg_current_plugin *p, const wg_val *args, wg_val *results, void *user)
{
    (void)p;
    atomic_fetch_add((atomic_long *)user, 1);
    results[0] = wg_val_i32(wg_as_i32(args[0]) + wg_as_i32(args[1]));
    return WG_OK;
}

static const wg_valtype t_i64[] = {WG_I64};
static const wg_valtype t_i32x2[] = {WG_I32, WG_I32};
static const wg_valtype t_i32[] = {WG_I32};

static void host_fns(wg_host_function fns[2])
{
    fns[0] = (wg_host_function){NULL, "reverse", t_i64, 1, t_i64, 1, host_reverse, NULL};
    fns[1] = (wg_host_function){NULL, "add_i32", t_i32x2, 2, t_i32, 1, host_add, &add_calls};
}

static void test_host(wg_module *host)
{
    char why[512] = "";
    wg_error err = {0};
    wg_host_function fns[2];
    host_fns(fns);
    wg_plugin_options o;
    wg_plugin_options_init(&o);
    o.host_functions = fns;
    o.nhost_functions = 2;
    wg_plugin *p = wg_plugin_new(host, &o, &err);
    report(p != NULL, "host: a plugin with two user host functions loads%s%s", p ? "" : ": ",
           p ? "" : err.message);
    if (p) {
        long before = atomic_load(&host_calls);
        bool ok = call_expect(p, "reverse", "hello, world", "dlrow ,olleh", why, sizeof why);
        report(ok, "host: reverse through a host callback and kernel blocks%s%s", ok ? "" : ": ",
               ok ? "" : why);
        report(atomic_load(&host_calls) == before + 1, "host: the callback ran once");
        ok = call_expect(p, "add", "", "42", why, sizeof why);
        report(ok, "host: add_i32(40, 2) with its user pointer%s%s", ok ? "" : ": ", ok ? "" : why);
        report(atomic_load(&add_calls) == 1, "host: the user pointer reached the callback");
        ok = call_expect(p, "reverse", "x", "x", why, sizeof why);
        report(ok, "host: the plugin works after host calls%s%s", ok ? "" : ": ", ok ? "" : why);
        wg_plugin_free(p);
    }

    /* Only one of the two: the plugin imports both, so it must not load. */
    o.nhost_functions = 1;
    p = wg_plugin_new(host, &o, &err);
    report(p == NULL && strstr(err.message, "add_i32") != NULL,
           "host: a missing host function refuses the plugin, naming it (%s)", err.message);
    wg_plugin_free(p);

    /* add_i32 declared with the wrong type. */
    fns[1].params = t_i64;
    fns[1].nparams = 1;
    o.nhost_functions = 2;
    p = wg_plugin_new(host, &o, &err);
    report(p == NULL && err.code == WG_UNLINKABLE,
           "host: a host function of the wrong type refuses the plugin (%s: %s)",
           wg_status_name(err.code), err.message);
    wg_plugin_free(p);
}

/* ---- threads ------------------------------------------------------------ */

typedef struct worker {
    int id;
    int iterations;
    wg_module *io, *vars, *host;
    wg_guard *shared;
    int failed;
    char why[512];
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    wg_host_function fns[2];
    host_fns(fns);
    wg_plugin_options o;
    wg_plugin_options_init(&o);
    o.name = "threads";
    o.guard = w->shared;
    o.host_functions = fns;
    o.nhost_functions = 2;
    wg_plugin *io = NULL, *vars = NULL, *host = NULL;
    char input[96], want[96], num[24];
    int count = 0;
    for (int i = 0; i < w->iterations && !w->failed; i++) {
        wg_error err = {0};
        if (i % 10 == 0) {  /* a fresh sandbox now and then, as Helm does */
            wg_plugin_free(io);
            wg_plugin_free(vars);
            wg_plugin_free(host);
            io = wg_plugin_new(w->io, &o, &err);
            vars = io ? wg_plugin_new(w->vars, &o, &err) : NULL;
            host = vars ? wg_plugin_new(w->host, &o, &err) : NULL;
            count = 0;
            if (!host) {
                snprintf(w->why, sizeof w->why, "plugin_new: %s", err.message);
                w->failed = 1;
                break;
            }
        }
        snprintf(input, sizeof input, "thread %d iteration %d", w->id, i);
        if (!call_expect(io, "echo", input, input, w->why, sizeof w->why)) w->failed = 1;
        snprintf(want, sizeof want, "%zu", strlen(input));
        if (!w->failed && !call_expect(io, "length", input, want, w->why, sizeof w->why))
            w->failed = 1;
        snprintf(num, sizeof num, "%d", ++count);
        if (!w->failed && !call_expect(vars, "count", "", num, w->why, sizeof w->why))
            w->failed = 1;
        size_t n = strlen(input);
        for (size_t k = 0; k < n; k++) want[k] = input[n - 1 - k];
        want[n] = 0;
        if (!w->failed && !call_expect(host, "reverse", input, want, w->why, sizeof w->why))
            w->failed = 1;
    }
    wg_plugin_free(io);
    wg_plugin_free(vars);
    wg_plugin_free(host);
    return NULL;
}

static void count_audit(void *user, const char *json)
{
    (void)json;
    atomic_fetch_add((atomic_long *)user, 1);
}

static void test_threads(wg_module *io, wg_module *vars, wg_module *host, int nthreads,
                         int iterations)
{
    static atomic_long audit_lines;
    wg_error err = {0};
    wg_guard *shared = wg_guard_new(NULL, 0, NULL, count_audit, &audit_lines, &err);
    worker *w = calloc((size_t)nthreads, sizeof *w);
    pthread_t *t = calloc((size_t)nthreads, sizeof *t);
    if (!shared || !w || !t) {
        report(false, "threads: setup failed: %s", err.message);
        goto done;
    }
    uint64_t start = now_ms();
    int started = 0;
    for (int i = 0; i < nthreads; i++) {
        w[i] = (worker){i, iterations, io, vars, host, shared, 0, ""};
        if (pthread_create(&t[i], NULL, work, &w[i]) != 0) break;
        started++;
    }
    report(started == nthreads, "threads: %d threads started", started);
    for (int i = 0; i < started; i++) pthread_join(t[i], NULL);
    int bad = 0;
    for (int i = 0; i < started; i++) {
        if (w[i].failed) {
            report(false, "threads: thread %d: %s", i, w[i].why);
            bad++;
        }
    }
    report(bad == 0, "threads: %d threads x %d iterations (echo, length, vars, host function) "
           "on plugins of one compiled module and one guard, every output right (%llu ms)",
           started, iterations, (unsigned long long)(now_ms() - start));
done:
    free(w);
    free(t);
    wg_guard_free(shared);
}

/* ---- cancel and timeout -------------------------------------------------- */

typedef struct canceller {
    wg_plugin *p;
    unsigned delay_ms;
} canceller;

static void *cancel_later(void *arg)
{
    canceller *c = arg;
    struct timespec ts = {c->delay_ms / 1000, (long)(c->delay_ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    wg_plugin_cancel(c->p);
    return NULL;
}

static void test_cancel(wg_module *fail)
{
    char why[512] = "";
    wg_error err = {0};
    wg_plugin *p = wg_plugin_new(fail, NULL, &err);
    if (!p) {
        report(false, "cancel: plugin_new: %s", err.message);
        return;
    }
    canceller c = {p, 50};
    pthread_t t;
    uint64_t start = now_ms();
    if (pthread_create(&t, NULL, cancel_later, &c) != 0) {
        report(false, "cancel: pthread_create");
        wg_plugin_free(p);
        return;
    }
    wg_status st = wg_plugin_call(p, "loop", NULL, 0, NULL, NULL, &err);
    uint64_t took = now_ms() - start;
    pthread_join(t, NULL);
    report(st == WG_INTERRUPTED, "cancel: the endless loop was interrupted (%s: %s)",
           wg_status_name(st), err.message);
    report(took < 50 + 100, "cancel: it stopped %llu ms after the cancel (under 100)",
           (unsigned long long)(took > 50 ? took - 50 : 0));
    bool ok = call_expect(p, "ok", "", "fine", why, sizeof why);
    report(ok, "cancel: the next call on the same plugin runs normally%s%s", ok ? "" : ": ",
           ok ? "" : why);
    wg_plugin_free(p);
}

static void test_timeout(wg_module *fail)
{
    char why[512] = "";
    wg_error err = {0};
    wg_plugin_options o;
    wg_plugin_options_init(&o);
    o.timeout_ms = 50;
    wg_plugin *p = wg_plugin_new(fail, &o, &err);
    if (!p) {
        report(false, "timeout: plugin_new: %s", err.message);
        return;
    }
    for (int round = 1; round <= 2; round++) {
        uint64_t start = now_ms();
        wg_status st = wg_plugin_call(p, "loop", NULL, 0, NULL, NULL, &err);
        uint64_t took = now_ms() - start;
        report(st == WG_INTERRUPTED && strcmp(err.message, "timeout") == 0,
               "timeout %d: timeout_ms 50 stops the loop with the message \"timeout\" (%s: %s)",
               round, wg_status_name(st), err.message);
        report(took >= 50 && took < 150, "timeout %d: after %llu ms (50 to 150)", round,
               (unsigned long long)took);
        bool ok = call_expect(p, "ok", "", "fine", why, sizeof why);
        report(ok, "timeout %d: the next call runs normally%s%s", round, ok ? "" : ": ",
               ok ? "" : why);
    }
    wg_plugin_free(p);
}

int main(int argc, char **argv)
{
    int iterations = 100, nthreads = 8;
    const char *dir = NULL, *name = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) iterations = atoi(argv[++i]);
        else if (strcmp(argv[i], "-t") == 0 && i + 1 < argc) nthreads = atoi(argv[++i]);
        else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc) name = argv[++i];
        else dir = argv[i];
    }
    if (!dir || iterations < 1 || nthreads < 1) {
        fprintf(stderr, "usage: threads [-n ITERATIONS] [-t THREADS] [--name NAME] DIR\n");
        return 2;
    }
    wg_module *io = load(dir, "io"), *vars = load(dir, "vars"), *host = load(dir, "host"),
              *fail = load(dir, "fail");
    if (io && vars && host && fail) {
        test_host(host);
        test_threads(io, vars, host, nthreads, iterations);
        test_cancel(fail);
        test_timeout(fail);
        printf("done\n");
    }
    wg_module_free(io);
    wg_module_free(vars);
    wg_module_free(host);
    wg_module_free(fail);
    if (name) printf("%s: %d passed, %d failed\n", name, atomic_load(&passes),
                     atomic_load(&failures));
    return atomic_load(&failures) ? 1 : 0;
}
