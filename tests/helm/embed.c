/*
 * embed.c - the helm-embed suite: a program embedding the Helm API of
 * include/wasmguard.h (wg_helm_*) over the test plugins of
 * tests/helm/plugins, built into a HELM_PLUGINS layout by `make
 * helm-plugins`.
 *
 *   load       the set, its accessors, a getter by scheme, a duplicate
 *              name, a broken plugin skipped with its reason
 *   hostfn     kube_get registered by this program: called with the
 *              plugin's argument, its result in the plugin's output; a
 *              hostFunctions name not registered fails before the plugin
 *              runs, naming it; a failing host function fails the run
 *   cli        output data, stdout, logs, HELM_PLUGINS, the audit
 *   errors     the plugin's own message, exit code, trap, timeout, wrong
 *              type, subprocess, bad arguments: each a wg_error
 *   postrender manifests round-trip byte for byte, and changed
 *   get        the getter's data round-trips with the options
 *   threads    one set, runs from several threads at once
 *   cancel     wg_helm_cancel from another thread stops looping runs (one,
 *              then three at once) long before their timeout, their temp
 *              dirs removed; a run after a cancel stops at once, after a
 *              reset it runs
 *   learn      wg_helm_learned over runs of the "learn" plugin: the YAML
 *              names what they used (a temp dir, one config key, a var)
 *              and nothing else, as tests/helm/learn.sh expects of
 *              `--learn`
 *
 * usage: embed [PLUGINS_DIR [NAME]]
 *   PLUGINS_DIR defaults to build/tests/helm/plugins, NAME to helm-embed.
 *   Prints "FAIL NAME: check: why" per failed check (VERBOSE=1: "ok
 *   check" per passed one) and ends with "NAME: N passed, N failed".
 */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "wasmguard.h"

static const char *suite = "helm-embed";
static const char *plugins_dir = "build/tests/helm/plugins";
static int passed, failed;
static bool verbose;

static void check(bool ok, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void check(bool ok, const char *what, const char *fmt, ...)
{
    if (ok) {
        passed++;
        if (verbose) printf("ok %s\n", what);
        return;
    }
    failed++;
    printf("FAIL %s: %s: ", suite, what);
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
}

/* A failed run: err has code and a message containing want. */
static void check_error(wg_status st, const wg_error *err, wg_status code, const char *want,
                        const char *what)
{
    check(st == code && err->code == code && strstr(err->message, want) != NULL, what,
          "expected %s with \"%s\", got %s: \"%s\"", wg_status_name(code), want,
          wg_status_name(st), err->message);
}

static const char *tmp_base(void)
{
    const char *t = getenv("TMPDIR");
    return t && *t ? t : "/tmp";
}

/* ---- Capturing output --------------------------------------------------------- */

/* A memory stream for a run's out, log or audit. */
typedef struct mem {
    char *buf;
    size_t len;
    FILE *f;
} mem;

static void mem_open(mem *m)
{
    m->buf = NULL;
    m->len = 0;
    m->f = open_memstream(&m->buf, &m->len);
    if (!m->f) {
        perror("open_memstream");
        exit(2);
    }
}

/* Its text so far (fflush'd; "" when none). */
static const char *mem_text(mem *m)
{
    fflush(m->f);
    return m->buf ? m->buf : "";
}

static void mem_close(mem *m)
{
    fclose(m->f);
    free(m->buf);
}

/* This process's stdout (fd 1) redirected to a file while a cli/v1
   plugin, whose stdout it is, runs. */
typedef struct capture {
    int saved;
    char path[4096];
} capture;

static void capture_begin(capture *c)
{
    fflush(stdout);
    snprintf(c->path, sizeof c->path, "%s/wg-embed-XXXXXX", tmp_base());
    int fd = mkstemp(c->path);
    c->saved = dup(1);
    if (fd < 0 || c->saved < 0 || dup2(fd, 1) < 0) {
        perror("capture");
        exit(2);
    }
    close(fd);
}

/* Restores stdout; returns what was written (malloc'd). */
static char *capture_end(capture *c)
{
    fflush(stdout);
    dup2(c->saved, 1);
    close(c->saved);
    FILE *f = fopen(c->path, "rb");
    char *text = calloc(1, 65536);
    if (f && text) {
        size_t n = fread(text, 1, 65535, f);
        text[n] = 0;
    }
    if (f) fclose(f);
    unlink(c->path);
    return text;
}

/* ---- The host function ------------------------------------------------------ */

typedef struct kube {
    int calls;
    char last[128];   /* the input of the last call */
} kube;

/* kube_get(block) -> block: "pod NAME: Running" for "pods/NAME"; any
   other input fails the plugin's call with a message. */
static wg_status kube_get(wg_current_plugin *plugin, const wg_val *params, wg_val *results,
                          void *user)
{
    kube *k = user;
    uint64_t len = 0;
    const uint8_t *in = wg_block(plugin, (uint64_t)wg_as_i64(params[0]), &len);
    k->calls++;
    if (!in) return wg_host_error(plugin, "kube_get: no input block");
    snprintf(k->last, sizeof k->last, "%.*s", (int)len, (const char *)in);
    if (strncmp(k->last, "pods/", 5) != 0)
        return wg_host_error(plugin, "kube_get: %s: forbidden", k->last);
    char out[160];
    int n = snprintf(out, sizeof out, "pod %s: Running", k->last + 5);
    results[0] = wg_val_i64((int64_t)wg_block_alloc(plugin, out, (uint64_t)n));
    return WG_OK;
}

static const wg_valtype i64[] = {WG_I64};

static wg_host_function kube_fn(const char *name, kube *k)
{
    return (wg_host_function){NULL, name, i64, 1, i64, 1, kube_get, k};
}

static void audit_line(void *user, const char *json)
{
    mem *m = user;
    fprintf(m->f, "%s\n", json);
}

/* ---- The checks ---------------------------------------------------------------- */

static void test_load(const wg_helm_plugins *set)
{
    check(wg_helm_plugins_count(set) >= 10, "load: the test plugins",
          "%zu plugins", wg_helm_plugins_count(set));
    check(wg_helm_plugins_skipped_count(set) == 0, "load: none skipped", "%s",
          wg_helm_plugins_skipped(set, 0) ? wg_helm_plugins_skipped(set, 0) : "");
    const wg_helm_plugin *p = wg_helm_plugins_find(set, "cli-hostfn-kube");
    check(p != NULL, "load: find by name", "no cli-hostfn-kube");
    if (p) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/cli-hostfn-kube", plugins_dir);
        check(!strcmp(wg_helm_plugin_name(p), "cli-hostfn-kube") &&
                  !strcmp(wg_helm_plugin_version(p), "0.2.0") &&
                  !strcmp(wg_helm_plugin_type(p), "cli/v1") &&
                  !strcmp(wg_helm_plugin_runtime(p), "extism/v1") &&
                  !strcmp(wg_helm_plugin_dir(p), dir),
              "load: name, version, type, runtime, dir", "%s %s %s %s %s",
              wg_helm_plugin_name(p), wg_helm_plugin_version(p), wg_helm_plugin_type(p),
              wg_helm_plugin_runtime(p), wg_helm_plugin_dir(p));
    }
    check(wg_helm_plugins_find(set, "no-such-plugin") == NULL, "load: an unknown name", "found");
    size_t n = wg_helm_plugins_count(set);
    check(wg_helm_plugins_at(set, 0) != NULL && wg_helm_plugins_at(set, n) == NULL,
          "load: at, and past the end", "at(0) or at(%zu) wrong", n);
    const wg_helm_plugin *g = wg_helm_plugins_find_getter(set, "WGTESTS://h/x");
    check(g && !strcmp(wg_helm_plugin_name(g), "getter"), "load: the getter for a scheme",
          "%s", g ? wg_helm_plugin_name(g) : "none");
    check(wg_helm_plugins_find_getter(set, "nope://h/x") == NULL &&
              wg_helm_plugins_find_getter(set, "no-scheme") == NULL,
          "load: no getter for another scheme, or none", "found one");

    /* Helm's default places: $HELM_PLUGINS when plugins_path is NULL. */
    wg_error err;
    setenv("HELM_PLUGINS", plugins_dir, 1);
    wg_helm_plugins *env = wg_helm_plugins_load(NULL, &err);
    check(env && wg_helm_plugins_count(env) == n, "load: NULL is $HELM_PLUGINS", "%s",
          err.message);
    wg_helm_plugins_free(env);
    unsetenv("HELM_PLUGINS");

    /* The same directory twice: every name twice. */
    char twice[8200];
    snprintf(twice, sizeof twice, "%s:%s", plugins_dir, plugins_dir);
    wg_helm_plugins *dup = wg_helm_plugins_load(twice, &err);
    check(!dup && err.code == WG_BAD_ARGUMENT && strstr(err.message, plugins_dir),
          "load: a name in two directories fails, naming them", "%s: %s",
          wg_status_name(err.code), err.message);
    wg_helm_plugins_free(dup);

    /* A broken plugin.yaml is skipped with its reason. */
    char tmp[4096], sub[4200], yaml[4300];
    snprintf(tmp, sizeof tmp, "%s/wg-embed-XXXXXX", tmp_base());
    if (!mkdtemp(tmp)) {
        check(false, "load: a broken plugin", "mkdtemp failed");
        return;
    }
    snprintf(sub, sizeof sub, "%s/broken", tmp);
    snprintf(yaml, sizeof yaml, "%s/plugin.yaml", sub);
    mkdir(sub, 0755);
    FILE *f = fopen(yaml, "w");
    if (f) {
        fputs("apiVersion: v1\nname: broken\nname: again\n", f);
        fclose(f);
    }
    wg_helm_plugins *b = wg_helm_plugins_load(tmp, &err);
    const char *why = b ? wg_helm_plugins_skipped(b, 0) : NULL;
    check(b && wg_helm_plugins_count(b) == 0 && wg_helm_plugins_skipped_count(b) == 1 && why &&
              strstr(why, "broken/plugin.yaml") && wg_helm_plugins_skipped(b, 1) == NULL,
          "load: a broken plugin is skipped, with its reason", "%s", why ? why : err.message);
    wg_helm_plugins_free(b);
    unlink(yaml);
    rmdir(sub);
    rmdir(tmp);
}

static void test_hostfn(const wg_helm_plugins *set)
{
    const wg_helm_plugin *p = wg_helm_plugins_find(set, "cli-hostfn-kube");
    const wg_helm_plugin *decl = wg_helm_plugins_find(set, "cli-hostfn");
    if (!p || !decl) {
        check(false, "hostfn: the plugins", "no cli-hostfn-kube or cli-hostfn");
        return;
    }
    kube k = {0};
    wg_host_function fns[2] = {kube_fn("kube_list", &k), kube_fn("kube_get", &k)};
    wg_helm_options o;
    wg_helm_options_init(&o);
    o.host_functions = fns;
    o.nhost_functions = 2;
    mem out, audit;
    mem_open(&out);
    mem_open(&audit);
    o.audit = audit_line;
    o.audit_user = &audit;
    wg_error err;
    const char *args[] = {"pods/web"};
    capture c;
    capture_begin(&c);
    wg_status st = wg_helm_run_cli(p, &o, args, 1, out.f, &err);
    char *printed = capture_end(&c);
    check(st == WG_OK, "hostfn: the run", "%s: %s", wg_status_name(st), err.message);
    check(k.calls == 1 && !strcmp(k.last, "pods/web"), "hostfn: called once with the input",
          "%d calls, last \"%s\"", k.calls, k.last);
    check(!strcmp(mem_text(&out), "kube_get pods/web: pod web: Running\n"),
          "hostfn: its result in the plugin's output", "\"%s\"", mem_text(&out));
    check(printed && !printed[0], "hostfn: nothing on stdout", "\"%s\"", printed ? printed : "");
    free(printed);
    check(strstr(mem_text(&audit),
                 "\"kind\":\"host_function\",\"what\":\"kube_get\",\"allowed\":true") != NULL,
          "hostfn: the grant in the audit", "%s", mem_text(&audit));

    /* A host function failing fails the plugin's call with its message. */
    args[0] = "secrets/db";
    st = wg_helm_run_cli(p, &o, args, 1, out.f, &err);
    check_error(st, &err, WG_HOST_ERROR, "plugin cli-hostfn-kube: kube_get: secrets/db: forbidden",
                "hostfn: a failing host function");
    check(k.calls == 2, "hostfn: it was called", "%d calls", k.calls);

    /* Not registered: fails at load, naming it, before the plugin runs. */
    o.nhost_functions = 1;  /* kube_list only */
    st = wg_helm_run_cli(p, &o, args, 1, out.f, &err);
    check_error(st, &err, WG_UNLINKABLE,
                "plugin cli-hostfn-kube: hostFunctions: no host function named \"kube_get\"",
                "hostfn: an unregistered name fails at load");
    check(k.calls == 2, "hostfn: the plugin did not run", "%d calls", k.calls);
    st = wg_helm_run_cli(decl, NULL, NULL, 0, out.f, &err);
    check_error(st, &err, WG_UNLINKABLE,
                "plugin cli-hostfn: hostFunctions: no host function named \"kube_get\"",
                "hostfn: no host functions at all");
    check(strstr(mem_text(&audit), "\"what\":\"kube_get\",\"allowed\":false") != NULL,
          "hostfn: the refusal in the audit", "%s", mem_text(&audit));

    /* One registered but not in hostFunctions is not linked: harmless. */
    const wg_helm_plugin *cli = wg_helm_plugins_find(set, "cli");
    const char *exit0[] = {"exit", "0"};
    o.nhost_functions = 2;
    st = cli ? wg_helm_run_cli(cli, &o, exit0, 2, out.f, &err) : WG_BAD_ARGUMENT;
    check(st == WG_OK, "hostfn: offered to a plugin not asking", "%s", err.message);

    /* A bad host function description is the embedder's error. */
    fns[0].callback = NULL;
    st = wg_helm_run_cli(p, &o, args, 1, out.f, &err);
    check_error(st, &err, WG_BAD_ARGUMENT, "host_functions[0]: callback is NULL",
                "hostfn: a host function without a callback");
    mem_close(&out);
    mem_close(&audit);
}

static void test_cli(const wg_helm_plugins *set)
{
    const wg_helm_plugin *p = wg_helm_plugins_find(set, "cli");
    if (!p) {
        check(false, "cli: the plugin", "no cli");
        return;
    }
    mem out;
    mem_open(&out);
    wg_error err;
    const char *echo[] = {"echo", "a \"quoted\" arg", "ünïcødé"};
    capture c;
    capture_begin(&c);
    wg_status st = wg_helm_run_cli(p, NULL, echo, 3, out.f, &err);
    char *printed = capture_end(&c);
    check(st == WG_OK, "cli: echo", "%s: %s", wg_status_name(st), err.message);
    check(printed && !strcmp(printed, "<a \"quoted\" arg>\n<ünïcødé>\n"),
          "cli: its stdout is the process's", "\"%s\"", printed ? printed : "");
    check(!strcmp(mem_text(&out), "echoed 2\n"), "cli: the output message's data to out",
          "\"%s\"", mem_text(&out));
    free(printed);

    /* HELM_PLUGINS in the guest is the set's path. */
    const char *env[] = {"env"};
    capture_begin(&c);
    st = wg_helm_run_cli(p, NULL, env, 1, out.f, &err);
    printed = capture_end(&c);
    char want[4200];
    snprintf(want, sizeof want, "\nHELM_PLUGINS=%s\n", plugins_dir);
    check(st == WG_OK && printed && strstr(printed, want) &&
              strstr(printed, "HELM_PLUGIN_NAME=cli\n"),
          "cli: HELM_PLUGINS is the path loaded", "%s", printed ? printed : err.message);
    free(printed);

    /* Logs go to log_file only. */
    mem log;
    mem_open(&log);
    wg_helm_options o;
    wg_helm_options_init(&o);
    const char *logs[] = {"log"};
    st = wg_helm_run_cli(p, &o, logs, 1, out.f, &err);
    check(st == WG_OK, "cli: logs without a log file are dropped", "%s", err.message);
    o.log_file = log.f;
    st = wg_helm_run_cli(p, &o, logs, 1, out.f, &err);
    check(st == WG_OK && !strcmp(mem_text(&log), "cli: [warn] a warning\ncli: [error] an error\n"),
          "cli: warn and up to log_file by default", "\"%s\"", mem_text(&log));
    mem_close(&log);
    mem_close(&out);
}

static void test_errors(const wg_helm_plugins *set)
{
    const wg_helm_plugin *cli = wg_helm_plugins_find(set, "cli");
    const wg_helm_plugin *sub = wg_helm_plugins_find(set, "subproc");
    const wg_helm_plugin *entry = wg_helm_plugins_find(set, "cli-entry");
    if (!cli || !sub || !entry) {
        check(false, "errors: the plugins", "no cli, subproc or cli-entry");
        return;
    }
    mem out;
    mem_open(&out);
    wg_error err;
    const char *fail[] = {"fail", "the plugin says no"};
    wg_status st = wg_helm_run_cli(cli, NULL, fail, 2, out.f, &err);
    check_error(st, &err, WG_HOST_ERROR, "plugin cli: the plugin says no",
                "errors: its own message");
    check(!strchr(err.message, '\n') && !strncmp(err.message, "plugin cli: ", 12),
          "errors: one line, naming the plugin", "\"%s\"", err.message);
    const char *exit3[] = {"exit", "3"};
    st = wg_helm_run_cli(cli, NULL, exit3, 2, out.f, &err);
    check_error(st, &err, WG_EXIT, "plugin cli: plugin exited with code 3", "errors: an exit code");
    const char *trap[] = {"trap"};
    st = wg_helm_run_cli(cli, NULL, trap, 1, out.f, &err);
    check_error(st, &err, WG_TRAP, "plugin cli: trap: ", "errors: a trap");
    wg_helm_options o;
    wg_helm_options_init(&o);
    o.timeout_ms = 200;
    const char *loop[] = {"loop"};
    st = wg_helm_run_cli(cli, &o, loop, 1, out.f, &err);
    check_error(st, &err, WG_INTERRUPTED, "plugin cli: timeout after 200 ms",
                "errors: the timeout ceiling");
    wg_helm_options_init(&o);
    o.max_pages = 64;
    const char *grow[] = {"grow"};
    capture c;
    capture_begin(&c);
    st = wg_helm_run_cli(cli, &o, grow, 1, out.f, &err);
    free(capture_end(&c));
    check_error(st, &err, WG_LIMIT, "plugin cli: memory cap of 64 pages (4 MiB) reached",
                "errors: the memory ceiling");
    const char *badout[] = {"badout"};
    st = wg_helm_run_cli(cli, NULL, badout, 1, out.f, &err);
    check_error(st, &err, WG_BAD_OUTPUT, "plugin cli: output is not a cli/v1 output message",
                "errors: output not the type's message");
    st = wg_helm_run_cli(entry, NULL, NULL, 0, out.f, &err);
    check_error(st, &err, WG_UNLINKABLE, "plugin cli-entry: no entry function \"no_such_entry\"",
                "errors: no entry function");
    st = wg_helm_run_cli(sub, NULL, NULL, 0, out.f, &err);
    check_error(st, &err, WG_REFUSED, "plugin subproc: runtime subprocess",
                "errors: a subprocess plugin");
    char *m = NULL;
    size_t mlen = 0;
    st = wg_helm_post_render(cli, NULL, "x", 1, NULL, 0, &m, &mlen, &err);
    check_error(st, &err, WG_REFUSED, "plugin cli: is a cli/v1 plugin, not postrenderer/v1",
                "errors: the wrong type");
    const char *notutf8[] = {"echo", "bad \xff"};
    st = wg_helm_run_cli(cli, NULL, notutf8, 2, out.f, &err);
    check_error(st, &err, WG_BAD_ARGUMENT, "an argument is not valid UTF-8",
                "errors: an argument not UTF-8");
    st = wg_helm_run_cli(NULL, NULL, NULL, 0, out.f, &err);
    check_error(st, &err, WG_BAD_ARGUMENT, "wg_helm_run_cli: plugin is NULL", "errors: no plugin");
    st = wg_helm_run_cli(cli, NULL, NULL, 0, NULL, &err);
    check_error(st, &err, WG_BAD_ARGUMENT, "wg_helm_run_cli: out is NULL", "errors: no out");
    o.log_level = (wg_log_level)42;
    st = wg_helm_run_cli(cli, &o, exit3, 2, out.f, &err);
    check_error(st, &err, WG_BAD_ARGUMENT, "option log_level: 42", "errors: a bad log level");
    check(!strcmp(wg_status_name(WG_REFUSED), "refused") &&
              !strcmp(wg_status_name(WG_BAD_OUTPUT), "bad output"),
          "errors: the new status names", "%s, %s", wg_status_name(WG_REFUSED),
          wg_status_name(WG_BAD_OUTPUT));
    mem_close(&out);
}

static void test_postrender(const wg_helm_plugins *set)
{
    const wg_helm_plugin *p = wg_helm_plugins_find(set, "postrender");
    if (!p) {
        check(false, "postrender: the plugin", "no postrender");
        return;
    }
    static const char manifests[] =
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"q\\\"uoted\"\n"
        "data:\n  tab: \"a\tb\"\n  uni: \"ünïcødé ☃ 𝄞\"\n  crlf: \"x\r\n\"\n";
    size_t len = sizeof manifests - 1;
    char *out = NULL;
    size_t outlen = 0;
    wg_error err;
    wg_status st = wg_helm_post_render(p, NULL, manifests, len, NULL, 0, &out, &outlen, &err);
    check(st == WG_OK && outlen == len && out && !memcmp(out, manifests, len) && !out[len],
          "postrender: a round trip, byte for byte", "%s: %s", wg_status_name(st), err.message);
    free(out);
    const char *mark[] = {"mark"};
    st = wg_helm_post_render(p, NULL, manifests, len, mark, 1, &out, &outlen, &err);
    char head[64];
    int h = snprintf(head, sizeof head, "# post-rendered (%zu bytes)\n", len);
    check(st == WG_OK && out && outlen == (size_t)h + len && !strncmp(out, head, (size_t)h) &&
              !memcmp(out + h, manifests, len),
          "postrender: decoded and changed by the plugin", "%s: %s", wg_status_name(st),
          out ? out : err.message);
    free(out);
    const char *args[] = {"args", "b c", "\"d\""};
    st = wg_helm_post_render(p, NULL, manifests, len, args, 3, &out, &outlen, &err);
    check(st == WG_OK && out && !strcmp(out, "b c\n\"d\"\n"), "postrender: extraArgs", "%s",
          out ? out : err.message);
    free(out);
    const char *fail[] = {"fail"};
    st = wg_helm_post_render(p, NULL, manifests, len, fail, 1, &out, &outlen, &err);
    check_error(st, &err, WG_HOST_ERROR, "plugin postrender: post-render failed",
                "postrender: the plugin fails");
    check(!out && !outlen, "postrender: no output after a failure", "%zu bytes", outlen);
    const char *missing[] = {"missing"};
    st = wg_helm_post_render(p, NULL, manifests, len, missing, 1, &out, &outlen, &err);
    check_error(st, &err, WG_BAD_OUTPUT, "\"manifests\" is missing",
                "postrender: no manifests back");
    st = wg_helm_post_render(p, NULL, NULL, 3, NULL, 0, &out, &outlen, &err);
    check_error(st, &err, WG_BAD_ARGUMENT, "wg_helm_post_render: manifests is NULL",
                "postrender: NULL manifests");
}

static void test_get(const wg_helm_plugins *set)
{
    const char *href = "wgtest://example.com/charts/app-1.0.0.tgz";
    const wg_helm_plugin *p = wg_helm_plugins_find_getter(set, href);
    if (!p) {
        check(false, "get: the getter", "none for %s", href);
        return;
    }
    uint8_t *data = NULL;
    size_t len = 0;
    wg_error err;
    wg_status st = wg_helm_get(p, NULL, href, NULL, &data, &len, &err);
    const char *want =
        "who=getter\n"
        "{\"href\":\"wgtest://example.com/charts/app-1.0.0.tgz\",\"protocol\":\"wgtest\","
        "\"options\":{\"URL\":\"wgtest://example.com/charts/app-1.0.0.tgz\",\"CertFile\":\"\","
        "\"KeyFile\":\"\",\"CAFile\":\"\",\"UNTar\":false,\"InsecureSkipVerifyTLS\":false,"
        "\"PlainHTTP\":false,\"AcceptHeader\":\"\",\"Username\":\"\",\"Password\":\"\","
        "\"PassCredentialsAll\":false,\"UserAgent\":\"\",\"Version\":\"\",\"Timeout\":0}}";
    check(st == WG_OK && data && len == strlen(want) && !memcmp(data, want, len),
          "get: the data round-trips", "%s: %.*s", wg_status_name(st), data ? (int)len : 0,
          data ? (const char *)data : err.message);
    free(data);
    wg_helm_getter_options g = {0};
    g.username = "user";
    g.password = "p\"w";
    g.pass_credentials_all = true;
    g.ca_file = "ca.pem";
    g.timeout_ns = 5000000000;
    st = wg_helm_get(p, NULL, href, &g, &data, &len, &err);
    char *text = data ? strndup((const char *)data, len) : NULL;
    check(st == WG_OK && text && strstr(text, "\"CAFile\":\"ca.pem\"") &&
              strstr(text, "\"Username\":\"user\",\"Password\":\"p\\\"w\","
                           "\"PassCredentialsAll\":true") &&
              strstr(text, "\"Timeout\":5000000000"),
          "get: the getter options", "%s", text ? text : err.message);
    free(text);
    free(data);
    st = wg_helm_get(p, NULL, "wgtest://h/fail", NULL, &data, &len, &err);
    check_error(st, &err, WG_HOST_ERROR, "plugin getter: cannot fetch wgtest://h/fail",
                "get: the plugin fails");
    check(!data && !len, "get: no data after a failure", "%zu bytes", len);
    st = wg_helm_get(p, NULL, "wgtest://h/bad64", NULL, &data, &len, &err);
    check_error(st, &err, WG_BAD_OUTPUT, "\"data\" is not base64", "get: data not base64");
    st = wg_helm_get(p, NULL, NULL, NULL, &data, &len, &err);
    check_error(st, &err, WG_BAD_ARGUMENT, "wg_helm_get: href is NULL", "get: no href");
}

/* One thread: host function runs and post-renders, checked each time. */
typedef struct worker {
    const wg_helm_plugins *set;
    int id, bad;
    char why[WG_ERROR_MESSAGE_MAX + 64];
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    const wg_helm_plugin *kp = wg_helm_plugins_find(w->set, "cli-hostfn-kube");
    const wg_helm_plugin *pp = wg_helm_plugins_find(w->set, "postrender");
    kube k = {0};
    wg_host_function fn = kube_fn("kube_get", &k);
    wg_helm_options o;
    wg_helm_options_init(&o);
    o.host_functions = &fn;
    o.nhost_functions = 1;
    char name[32], want[96], manifests[64];
    snprintf(name, sizeof name, "pods/w%d", w->id);
    snprintf(want, sizeof want, "kube_get %s: pod w%d: Running\n", name, w->id);
    int mlen = snprintf(manifests, sizeof manifests, "kind: ConfigMap\nname: w%d\n", w->id);
    const char *args[] = {name};
    for (int i = 0; i < 10 && !w->bad; i++) {
        mem out;
        mem_open(&out);
        wg_error err;
        wg_status st = wg_helm_run_cli(kp, &o, args, 1, out.f, &err);
        if (st != WG_OK || strcmp(mem_text(&out), want) != 0) {
            w->bad = 1;
            snprintf(w->why, sizeof w->why, "cli: %s \"%s\"", err.message, mem_text(&out));
        }
        mem_close(&out);
        char *m = NULL;
        size_t len = 0;
        st = wg_helm_post_render(pp, NULL, manifests, (size_t)mlen, NULL, 0, &m, &len, &err);
        if (!w->bad && (st != WG_OK || len != (size_t)mlen || memcmp(m, manifests, len) != 0)) {
            w->bad = 1;
            snprintf(w->why, sizeof w->why, "post-render: %s", err.message);
        }
        free(m);
    }
    if (!w->bad && k.calls != 10) {
        w->bad = 1;
        snprintf(w->why, sizeof w->why, "%d kube_get calls", k.calls);
    }
    return NULL;
}

static void test_threads(const wg_helm_plugins *set)
{
    enum { N = 4 };
    worker w[N];
    pthread_t t[N];
    int started = 0;
    for (int i = 0; i < N; i++) {
        w[i] = (worker){set, i, 0, ""};
        if (pthread_create(&t[i], NULL, work, &w[i]) == 0) started++;
        else break;
    }
    for (int i = 0; i < started; i++) pthread_join(t[i], NULL);
    int bad = -1;
    for (int i = 0; i < started && bad < 0; i++)
        if (w[i].bad) bad = i;
    check(started == N && bad < 0, "threads: 4 threads x 10 runs of one set",
          "%d started; %s", started, bad >= 0 ? w[bad].why : "");
}

/* ---- Cancel -------------------------------------------------------------------- */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* The number of entries in dir (-1: unreadable). */
static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    closedir(d);
    return n;
}

/* Cancels once `want` sandbox temp dirs exist under dir (so the runs
   are running), or after 10 s. */
typedef struct canceller_arg {
    wg_helm_canceller *c;
    const char *dir;
    int want, seen;
} canceller_arg;

static void *cancel_later(void *arg)
{
    canceller_arg *a = arg;
    for (int i = 0; i < 1000 && (a->seen = entries(a->dir)) < a->want; i++) sleep_ms(10);
    sleep_ms(50);  /* into the loop */
    wg_helm_cancel(a->c);
    return NULL;
}

/* One looping run of the cli plugin (createTempDir), for a thread. */
typedef struct looper {
    const wg_helm_plugin *p;
    const wg_helm_options *o;
    wg_status st;
    wg_error err;
} looper;

static void *loop_run(void *arg)
{
    looper *l = arg;
    mem out;
    mem_open(&out);
    const char *loop[] = {"loop"};
    l->st = wg_helm_run_cli(l->p, l->o, loop, 1, out.f, &l->err);
    mem_close(&out);
    return NULL;
}

static void test_cancel(const wg_helm_plugins *set)
{
    const wg_helm_plugin *cli = wg_helm_plugins_find(set, "cli");
    const wg_helm_plugin *pr = wg_helm_plugins_find(set, "postrender");
    if (!cli || !pr) {
        check(false, "cancel: the plugins", "no cli or postrender");
        return;
    }
    /* The sandboxes' temp dirs in a directory of our own, to see them go. */
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s/wg-embed-cancel-XXXXXX", tmp_base());
    if (!mkdtemp(tmp)) {
        check(false, "cancel: a temp dir", "mkdtemp: %s", tmp);
        return;
    }
    char *saved = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;
    setenv("TMPDIR", tmp, 1);

    wg_error err;
    wg_helm_canceller *c = wg_helm_canceller_new(&err);
    check(c != NULL && !wg_helm_cancelled(c), "cancel: a new canceller", "%s", err.message);
    if (!c) goto out;
    wg_helm_options o;
    wg_helm_options_init(&o);
    o.canceller = c;
    o.timeout_ms = 20000;

    /* One run, cancelled from another thread while it loops. */
    canceller_arg a = {c, tmp, 1, 0};
    pthread_t t;
    looper l = {cli, &o, WG_OK, {0}};
    double t0 = now_ms();
    bool started = pthread_create(&t, NULL, cancel_later, &a) == 0;
    if (started) {
        loop_run(&l);
        pthread_join(t, NULL);
    }
    double ms = now_ms() - t0;
    check(started && a.seen == 1, "cancel: the run had its temp dir", "%d entries", a.seen);
    check_error(l.st, &l.err, WG_INTERRUPTED, "plugin cli: cancelled", "cancel: a looping run");
    check(!strcmp(l.err.message, "plugin cli: cancelled"), "cancel: the message, not a timeout's",
          "\"%s\"", l.err.message);
    check(ms < 5000, "cancel: well before the timeout of 20000 ms", "%.0f ms", ms);
    check(entries(tmp) == 0, "cancel: the temp dir removed", "%d entries", entries(tmp));
    check(wg_helm_cancelled(c), "cancel: wg_helm_cancelled", "false");

    /* Cancelled: a run starting now stops before the plugin runs. */
    mem out;
    mem_open(&out);
    const char *echo[] = {"echo", "x"};
    capture cap;
    capture_begin(&cap);
    t0 = now_ms();
    wg_status st = wg_helm_run_cli(cli, &o, echo, 2, out.f, &err);
    ms = now_ms() - t0;
    char *printed = capture_end(&cap);
    check_error(st, &err, WG_INTERRUPTED, "plugin cli: cancelled", "cancel: a run after the cancel");
    check(printed && !*printed && !*mem_text(&out) && ms < 1000,
          "cancel: ... stops at once, printing nothing", "\"%s\" in %.0f ms",
          printed ? printed : "", ms);
    free(printed);
    char *m = NULL;
    size_t mlen = 0;
    st = wg_helm_post_render(pr, &o, "kind: x\n", 8, NULL, 0, &m, &mlen, &err);
    check_error(st, &err, WG_INTERRUPTED, "plugin postrender: cancelled",
                "cancel: post-render after the cancel");
    check(m == NULL && mlen == 0, "cancel: ... no manifests", "%zu bytes", mlen);
    uint8_t *data = NULL;
    size_t dlen = 0;
    const wg_helm_plugin *getter = wg_helm_plugins_find(set, "getter");
    if (getter) {
        st = wg_helm_get(getter, &o, "wgtest://example.com/x.tgz", NULL, &data, &dlen, &err);
        check_error(st, &err, WG_INTERRUPTED, "plugin getter: cancelled",
                    "cancel: get after the cancel");
        free(data);
    }

    /* Reset: runs run again. */
    wg_helm_canceller_reset(c);
    capture_begin(&cap);
    st = wg_helm_run_cli(cli, &o, echo, 2, out.f, &err);
    printed = capture_end(&cap);
    check(st == WG_OK && !wg_helm_cancelled(c) && printed && !strcmp(printed, "<x>\n"),
          "cancel: after a reset, runs run", "%s: %s \"%s\"", wg_status_name(st), err.message,
          printed ? printed : "");
    free(printed);
    st = wg_helm_post_render(pr, &o, "kind: x\n", 8, NULL, 0, &m, &mlen, &err);
    check(st == WG_OK && mlen == 8, "cancel: post-render after a reset", "%s", err.message);
    free(m);
    mem_close(&out);

    /* Three runs at once, one cancel stops them all. */
    enum { N = 3 };
    looper ls[N];
    pthread_t lt[N];
    int n = 0;
    for (int i = 0; i < N; i++) {
        ls[i] = (looper){cli, &o, WG_OK, {0}};
        if (pthread_create(&lt[i], NULL, loop_run, &ls[i]) == 0) n++;
        else break;
    }
    a = (canceller_arg){c, tmp, n, 0};
    t0 = now_ms();
    cancel_later(&a);
    for (int i = 0; i < n; i++) pthread_join(lt[i], NULL);
    ms = now_ms() - t0;
    int bad = -1;
    for (int i = 0; i < n && bad < 0; i++)
        if (ls[i].st != WG_INTERRUPTED || strcmp(ls[i].err.message, "plugin cli: cancelled"))
            bad = i;
    check(n == N && a.seen == N && bad < 0 && ms < 5000,
          "cancel: three runs at once, one cancel", "%d started, %d temp dirs, %.0f ms; %s", n,
          a.seen, ms, bad >= 0 ? ls[bad].err.message : "");
    check(entries(tmp) == 0, "cancel: their temp dirs removed", "%d entries", entries(tmp));

    /* Cancels at any moment of a run's start (before, while its sandbox
       is made, as its call begins) are never lost: each run ends
       cancelled, not by its timeout. */
    o.timeout_ms = 3000;
    int lost = 0, i = 0;
    char why[WG_ERROR_MESSAGE_MAX + 64] = "";
    t0 = now_ms();
    for (; i < 40 && !lost; i++) {
        wg_helm_canceller_reset(c);
        looper one = {cli, &o, WG_OK, {0}};
        double t1 = now_ms();
        if (pthread_create(&lt[0], NULL, loop_run, &one) != 0) break;
        sleep_ms(i % 8);  /* 0-7 ms: a sandbox is made in about that */
        wg_helm_cancel(c);
        pthread_join(lt[0], NULL);
        /* A lost cancel shows as the run's timeout of 3000 ms. */
        double took = now_ms() - t1;
        if (one.st != WG_INTERRUPTED || strcmp(one.err.message, "plugin cli: cancelled") ||
            took > 1500) {
            lost++;
            snprintf(why, sizeof why, "%s after %.0f ms", one.err.message, took);
        }
    }
    ms = now_ms() - t0;
    check(i == 40 && !lost, "cancel: 40 cancels at 0-7 ms into a run, none lost",
          "%d runs, %d lost: %s (%.0f ms)", i, lost, why, ms);
    check(entries(tmp) == 0, "cancel: ... no temp dir left", "%d entries", entries(tmp));

    /* NULL is ignored. */
    wg_helm_cancel(NULL);
    wg_helm_canceller_reset(NULL);
    wg_helm_canceller_free(NULL);
    check(!wg_helm_cancelled(NULL), "cancel: NULL", "cancelled");
    wg_helm_canceller_free(c);
out:
    if (saved) setenv("TMPDIR", saved, 1);
    else unsetenv("TMPDIR");
    free(saved);
    rmdir(tmp);
}

/* ---- Learn ---------------------------------------------------------------------- */

static void test_learn(const wg_helm_plugins *set)
{
    const wg_helm_plugin *p = wg_helm_plugins_find(set, "learn");
    if (!p) {
        check(false, "learn: the plugin", "no learn");
        return;
    }
    wg_error err;
    wg_helm_learned *l = wg_helm_learned_new(&err);
    check(l != NULL && !wg_helm_learned_ran(l), "learn: a new record", "%s", err.message);
    if (!l) return;
    char *y = wg_helm_learned_yaml(l, p, &err);
    check_error(y ? WG_OK : err.code, &err, WG_BAD_ARGUMENT, "nothing was learned",
                "learn: nothing before a run");
    free(y);

    wg_helm_options o;
    wg_helm_options_init(&o);
    o.learned = l;
    mem out;
    mem_open(&out);
    /* What `learn URL` does but the HTTP request, in three runs. */
    const char *tmp[] = {"tmp"}, *config[] = {"config", "wanted"}, *var[] = {"var", "100"};
    const char *const *runs[] = {tmp, config, var};
    const size_t nargs[] = {1, 2, 2};
    bool ok = true;
    capture cap;
    for (size_t i = 0; i < 3 && ok; i++) {
        capture_begin(&cap);
        ok = wg_helm_run_cli(p, &o, runs[i], nargs[i], out.f, &err) == WG_OK;
        free(capture_end(&cap));
    }
    check(ok && wg_helm_learned_ran(l), "learn: three runs recorded", "%s", err.message);
    y = wg_helm_learned_yaml(l, p, &err);
    check(y != NULL, "learn: the YAML", "%s", err.message);
    if (y) {
        const char *want[] = {
            "# wasmguard --learn: plugin learn ran in ",
            "\nruntimeConfig:\n  memory:\n    maxPages: ",
            "\n    maxVarBytes: 1024\n",
            "\n  fileSystem:\n    createTempDir: true\n",
            "\n  config:\n    \"wanted\": \"a \\\"quoted\\\" value\\twith a tab, ünïcødé\"\n",
        };
        for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
            check(strstr(y, want[i]) != NULL, "learn: the YAML says what was used",
                  "no \"%s\" in:\n%s", want[i], y);
        const char *not[] = {"allowedHosts", "maxHttpResponseBytes", "hostFunctions",
                             "\"unused\"", "\"other\"", "# note:"};
        for (size_t i = 0; i < sizeof not / sizeof not[0]; i++)
            check(strstr(y, not[i]) == NULL, "learn: and nothing it did not use",
                  "\"%s\" in:\n%s", not[i], y);
        unsigned long timeout = 0;
        const char *t = strstr(y, "\n  timeout: ");
        if (t) timeout = strtoul(t + 12, NULL, 10);
        check(timeout >= 1000 && timeout % 1000 == 0, "learn: a timeout in whole seconds",
              "%lu", timeout);
    }
    free(y);

    /* A failed run is recorded too, with a note. */
    const char *fail[] = {"fail", "no"};
    wg_status st = wg_helm_run_cli(p, &o, fail, 2, out.f, &err);
    y = wg_helm_learned_yaml(l, p, &err);
    check(st == WG_HOST_ERROR && y && strstr(y, "\n# note: the run failed"),
          "learn: a failed run noted", "%s", y ? y : err.message);
    free(y);
    y = wg_helm_learned_yaml(NULL, p, &err);
    check_error(y ? WG_OK : err.code, &err, WG_BAD_ARGUMENT, "learned is NULL", "learn: NULL");
    free(y);
    mem_close(&out);
    wg_helm_learned_free(l);
    wg_helm_learned_free(NULL);
}

int main(int argc, char **argv)
{
    if (argc > 1) plugins_dir = argv[1];
    if (argc > 2) suite = argv[2];
    verbose = getenv("VERBOSE") && *getenv("VERBOSE");
    /* Hermetic: no grants record of the user's, no Helm variables. */
    char cfg[4096];
    snprintf(cfg, sizeof cfg, "%s/wg-embed-cfg-XXXXXX", tmp_base());
    if (!mkdtemp(cfg)) {
        perror("mkdtemp");
        return 2;
    }
    setenv("XDG_CONFIG_HOME", cfg, 1);
    unsetenv("HELM_PLUGINS");
    unsetenv("HELM_DATA_HOME");

    wg_error err;
    wg_helm_plugins *set = wg_helm_plugins_load(plugins_dir, &err);
    char probe[4200];
    snprintf(probe, sizeof probe, "%s/cli-hostfn-kube/plugin.wasm", plugins_dir);
    struct stat sb;
    if (!set || stat(probe, &sb) != 0) {
        check(false, "load", "%s (make helm-plugins)", set ? probe : err.message);
    } else {
        test_load(set);
        test_hostfn(set);
        test_cli(set);
        test_errors(set);
        test_postrender(set);
        test_get(set);
        test_threads(set);
        test_cancel(set);
        test_learn(set);
    }
    wg_helm_plugins_free(set);
    rmdir(cfg);
    printf("%s: %d passed, %d failed\n", suite, passed, failed);
    return failed ? 1 : 0;
}
