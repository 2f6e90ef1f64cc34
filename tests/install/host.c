/*
 * host.c - the embedder of the install test, built against the installed
 * <wasmguard.h> and library only: compiles plugin.wasm (argv[1]) once,
 * makes plugins from it and calls them, with a host function, limits, a
 * cancel from another thread and the errors a user sees.  Prints
 * "ok <check>" or "FAIL <check>: <why>" per check; exits 1 if any failed.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <wasmguard.h>

static int failures;

static void check(int ok, const char *what, const char *why)
{
    if (ok) {
        printf("ok %s\n", what);
    } else {
        printf("FAIL %s: %s\n", what, why ? why : "");
        failures++;
    }
}

/* extism:host/user "upper": (i64 block) -> i64 block, upper-cased. */
static wg_status upper(wg_current_plugin *plugin, const wg_val *params, wg_val *results,
                       void *user)
{
    int *calls = user;
    uint64_t len = 0;
    uint8_t *in = wg_block(plugin, (uint64_t)wg_as_i64(params[0]), &len);
    if (!in)
        return wg_host_error(plugin, "upper: no block at %llu",
                             (unsigned long long)wg_as_i64(params[0]));
    char *buf = malloc(len + 1);
    if (!buf)
        return wg_host_error(plugin, "upper: out of memory");
    for (uint64_t i = 0; i < len; i++)
        buf[i] = (char)toupper(in[i]);
    uint64_t out = wg_block_alloc(plugin, buf, len);
    free(buf);
    results[0] = wg_val_i64((int64_t)out);
    (*calls)++;
    return out ? WG_OK : wg_host_error(plugin, "upper: kernel memory full");
}

static unsigned char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char *buf = malloc(1 << 20);
    *len = buf ? fread(buf, 1, 1 << 20, f) : 0;
    fclose(f);
    return buf;
}

static void *cancel_later(void *arg)
{
    struct timespec ts = {0, 100 * 1000 * 1000};
    nanosleep(&ts, NULL);
    wg_plugin_cancel(arg);
    return NULL;
}

static void call_checks(wg_module *mod, const wg_plugin_options *opts, int *calls)
{
    wg_error err;
    wg_plugin *p = wg_plugin_new(mod, opts, &err);
    check(p != NULL, "wg_plugin_new", wg_error_message(&err));
    if (!p)
        return;
    check(wg_plugin_has_function(p, "run") && !wg_plugin_has_function(p, "nope"),
          "wg_plugin_has_function", NULL);

    const uint8_t *out = NULL;
    size_t outlen = 0;
    wg_status st = wg_plugin_call(p, "run", "hello, world", 12, &out, &outlen, &err);
    check(st == WG_OK && outlen == 12 && memcmp(out, "HELLO, WORLD", 12) == 0 && *calls == 1,
          "call with a host function", wg_error_message(&err));

    st = wg_plugin_call(p, "fail", NULL, 0, &out, &outlen, &err);
    check(st != WG_OK && err.code == st && err.message[0], "a failing function fails",
          wg_error_message(&err));
    st = wg_plugin_call(p, "trap", NULL, 0, NULL, NULL, &err);
    check(st == WG_TRAP, "a trap is WG_TRAP", wg_error_message(&err));
    st = wg_plugin_call(p, "nope", NULL, 0, NULL, NULL, &err);
    check(st != WG_OK && strstr(err.message, "nope"), "a missing function is named",
          wg_error_message(&err));

    pthread_t t;
    pthread_create(&t, NULL, cancel_later, p);
    st = wg_plugin_call(p, "spin", NULL, 0, NULL, NULL, &err);
    pthread_join(t, NULL);
    check(st == WG_INTERRUPTED, "cancel from another thread", wg_error_message(&err));

    st = wg_plugin_call(p, "run", "again", 5, &out, &outlen, &err);
    check(st == WG_OK && outlen == 5 && memcmp(out, "AGAIN", 5) == 0,
          "the plugin works after failed calls", wg_error_message(&err));
    wg_plugin_free(p);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: host PLUGIN.wasm\n");
        return 2;
    }
    check(strcmp(wg_version(), WG_VERSION) == 0, "wg_version", wg_version());
    size_t len = 0;
    unsigned char *wasm = read_all(argv[1], &len);
    check(wasm && len > 8, "read the plugin", argv[1]);
    if (!wasm)
        return 1;

    int calls = 0;
    static const wg_valtype i64[] = {WG_I64};
    wg_host_function fn = {
        .name = "upper", .params = i64, .nparams = 1, .results = i64, .nresults = 1,
        .callback = upper, .user = &calls,
    };
    wg_plugin_options opts;
    wg_plugin_options_init(&opts);
    opts.name = "install-test";
    opts.host_functions = &fn;
    opts.nhost_functions = 1;

    wg_error err;
    wg_module *mod = wg_module_new(wasm, len, &err);
    check(mod != NULL, "wg_module_new", wg_error_message(&err));
    if (mod)
        call_checks(mod, &opts, &calls);

    /* A manifest with a timeout stops "spin" with "timeout". */
    char json[4200];
    snprintf(json, sizeof json, "{\"wasm\": [{\"path\": \"%s\"}], \"timeout_ms\": 50}", argv[1]);
    wg_module *mmod = wg_module_from_manifest(json, strlen(json), NULL, &err);
    check(mmod != NULL, "wg_module_from_manifest", wg_error_message(&err));
    if (mmod) {
        wg_plugin *p = wg_plugin_new(mmod, &opts, &err);
        wg_module_free(mmod);  /* the plugin keeps it alive */
        check(p != NULL, "wg_plugin_new from a manifest", wg_error_message(&err));
        wg_status st = p ? wg_plugin_call(p, "spin", NULL, 0, NULL, NULL, &err) : WG_OK;
        check(st == WG_INTERRUPTED && strstr(err.message, "timeout"), "manifest timeout_ms",
              wg_error_message(&err));
        wg_plugin_free(p);
    }

    static const char bad[] = "{\"wasm\": [{\"data\": \"\"}], \"memory\": {\"max_pages\": \"1\"}}";
    wg_module *b = wg_module_from_manifest(bad, strlen(bad), NULL, &err);
    check(!b && err.code == WG_BAD_ARGUMENT && strstr(err.message, "memory.max_pages"),
          "a bad manifest is refused, naming the field", wg_error_message(&err));
    b = wg_module_new((const uint8_t *)"\0asm\2\0\0\0", 8, &err);
    check(!b && err.code == WG_MALFORMED, "bad wasm is WG_MALFORMED", wg_error_message(&err));
    check(strcmp(wg_status_name(WG_TRAP), "trap") == 0, "wg_status_name", NULL);

    /* The Helm API is exported too: an empty plugins directory. */
    wg_helm_plugins *set = wg_helm_plugins_load("/nonexistent-wasmguard-plugins", &err);
    check(set && wg_helm_plugins_count(set) == 0 && !wg_helm_plugins_find(set, "x"),
          "wg_helm_plugins_load of a missing directory", wg_error_message(&err));
    wg_helm_plugins_free(set);

    wg_module_free(mod);
    free(wasm);
    return failures ? 1 : 0;
}
