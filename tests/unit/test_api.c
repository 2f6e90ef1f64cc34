/*
 * test_api.c - the public C library, include/wasmguard.h (src/extism/
 * api.c): modules outliving their wg_module_free, plugin options (config
 * overrides, timeout, fuel, logs, the audit, host functions), cancel from
 * another thread, and the errors of bad arguments.  The plugin is the
 * fixture api_plugin.wat.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "test.h"
#include "util.h"
#include "wasmguard.h"

static wg_status upper(wg_current_plugin *plugin, const wg_val *params, wg_val *results,
                       void *user)
{
    (void)user;
    uint64_t len = 0;
    uint8_t *in = wg_block(plugin, (uint64_t)wg_as_i64(params[0]), &len);
    if (!in)
        return wg_host_error(plugin, "upper: no block");
    if (len == 4 && memcmp(in, "boom", 4) == 0)
        return wg_host_error(plugin, "upper: %s", "boom refused");
    uint64_t out = wg_block_alloc(plugin, NULL, len);  /* zeroed, then filled */
    uint8_t *dst = wg_block(plugin, out, NULL);
    if (!dst)
        return wg_host_error(plugin, "upper: kernel memory full");
    for (uint64_t i = 0; i < len; i++)
        dst[i] = in[i] >= 'a' && in[i] <= 'z' ? (uint8_t)(in[i] - 32) : in[i];
    results[0] = wg_val_i64((int64_t)out);
    return WG_OK;
}

static const wg_valtype i64_type[] = {WG_I64};
static const wg_host_function upper_fn = {
    .name = "upper", .params = i64_type, .nparams = 1, .results = i64_type, .nresults = 1,
    .callback = upper,
};

static wg_module *api_module(void)
{
    size_t size = 0;
    uint8_t *bytes = unit_read_fixture("api_plugin", &size);
    if (!bytes)
        return NULL;
    wg_error err;
    wg_module *m = wg_module_new(bytes, size, &err);
    free(bytes);
    if (!m)
        test_check(false, __FILE__, __LINE__, "wg_module_new: %s", err.message);
    return m;
}

static wg_plugin *api_plugin(wg_module *m, wg_plugin_options *o)
{
    wg_plugin_options dflt;
    if (!o) {
        wg_plugin_options_init(&dflt);
        o = &dflt;
    }
    o->host_functions = &upper_fn;
    o->nhost_functions = 1;
    wg_error err;
    wg_plugin *p = wg_plugin_new(m, o, &err);
    if (!p)
        test_check(false, __FILE__, __LINE__, "wg_plugin_new: %s", err.message);
    return p;
}

/* Calls func with a C string; true when the output equals want. */
static bool call_is(wg_plugin *p, const char *func, const char *input, const char *want)
{
    const uint8_t *out;
    size_t len;
    wg_error err;
    wg_status st = wg_plugin_call(p, func, input, strlen(input), &out, &len, &err);
    if (!test_check(st == WG_OK, __FILE__, __LINE__, "%s(%s): %s", func, input, err.message))
        return false;
    return test_check(len == strlen(want) && memcmp(out, want, len) == 0, __FILE__, __LINE__,
                      "%s(%s): got \"%.*s\", want \"%s\"", func, input, (int)len,
                      (const char *)out, want);
}

TEST(test_api_module_lives_while_plugins_use_it)
{
    wg_module *m = api_module();
    REQUIRE(m);
    wg_plugin *a = api_plugin(m, NULL), *b = api_plugin(m, NULL);
    wg_module_free(m);  /* the plugins hold it now */
    if (a)
        call_is(a, "run", "abc", "ABC");
    wg_plugin_free(a);
    if (b)
        call_is(b, "run", "xyz", "XYZ");
    wg_plugin_free(b);
    wg_module_free(NULL);
    wg_plugin_free(NULL);
}

TEST(test_api_config_options_override_the_manifest)
{
    size_t size = 0;
    uint8_t *bytes = unit_read_fixture("api_plugin", &size);
    REQUIRE(bytes);
    /* The same module as a manifest with config, by base64 data. */
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t jcap = size * 2 + 256, j = 0;
    char *json = malloc(jcap);
    REQUIRE(json);
    j += (size_t)snprintf(json, jcap, "{\"config\": {\"a\": \"1\", \"b\": \"2\"}, \"wasm\": [{\"data\": \"");
    for (size_t i = 0; i < size; i += 3) {
        uint32_t v = (uint32_t)bytes[i] << 16;
        if (i + 1 < size) v |= (uint32_t)bytes[i + 1] << 8;
        if (i + 2 < size) v |= bytes[i + 2];
        json[j++] = b64[v >> 18 & 63];
        json[j++] = b64[v >> 12 & 63];
        if (i + 1 < size) json[j++] = b64[v >> 6 & 63];
        if (i + 2 < size) json[j++] = b64[v & 63];
    }
    snprintf(json + j, jcap - j, "\"}]}");
    free(bytes);
    wg_error err;
    wg_module *m = wg_module_from_manifest(json, strlen(json), NULL, &err);
    free(json);
    if (!test_check(m != NULL, __FILE__, __LINE__, "manifest: %s", err.message))
        return;
    static const char *const cfg[] = {"b=3", "c=x=y", "d="};
    wg_plugin_options o;
    wg_plugin_options_init(&o);
    o.config = cfg;
    o.nconfig = 3;
    wg_plugin *p = api_plugin(m, &o);
    if (p) {
        call_is(p, "config", "a", "1");
        call_is(p, "config", "b", "3");
        call_is(p, "config", "c", "x=y");
        call_is(p, "config", "d", "");
        call_is(p, "config", "e", "");
    }
    wg_plugin_free(p);
    /* Another plugin of the module sees the manifest's config only. */
    p = api_plugin(m, NULL);
    if (p)
        call_is(p, "config", "b", "2");
    wg_plugin_free(p);
    wg_module_free(m);
}

typedef struct log_seen {
    int count;
    wg_log_level level;
    char msg[64];
} log_seen;

static void on_log(void *user, wg_log_level level, const char *msg, size_t len)
{
    log_seen *s = user;
    s->count++;
    s->level = level;
    snprintf(s->msg, sizeof s->msg, "%.*s", (int)len, msg);
}

TEST(test_api_logs_reach_the_callback_by_level)
{
    wg_module *m = api_module();
    REQUIRE(m);
    log_seen seen = {0};
    wg_plugin_options o;
    wg_plugin_options_init(&o);
    o.log = on_log;
    o.log_user = &seen;
    wg_plugin *p = api_plugin(m, &o);
    if (p && call_is(p, "log", "hello log", "")) {
        CHECK_EQ(seen.count, 1);
        CHECK_EQ(seen.level, WG_LOG_INFO);
        CHECK_HAS(seen.msg, "hello log");
    }
    wg_plugin_free(p);
    o.log_level = WG_LOG_WARN;
    p = api_plugin(m, &o);
    if (p && call_is(p, "log", "quiet", ""))
        CHECK_EQ(seen.count, 1);
    wg_plugin_free(p);
    wg_module_free(m);
}

typedef struct audit_seen {
    int count;
    char last[512];
} audit_seen;

static void on_audit(void *user, const char *json)
{
    audit_seen *s = user;
    s->count++;
    snprintf(s->last, sizeof s->last, "%s", json);
}

TEST(test_api_limits_stop_calls_and_are_audited)
{
    wg_module *m = api_module();
    REQUIRE(m);
    audit_seen seen = {0};
    wg_plugin_options o;
    wg_plugin_options_init(&o);
    o.name = "limits";
    o.timeout_ms = 30;
    o.audit = on_audit;
    o.audit_user = &seen;
    wg_plugin *p = api_plugin(m, &o);
    wg_error err;
    if (p) {
        wg_status st = wg_plugin_call(p, "spin", NULL, 0, NULL, NULL, &err);
        CHECK_EQ(st, WG_INTERRUPTED);
        CHECK_EQ(err.code, WG_INTERRUPTED);
        CHECK_HAS(wg_error_message(&err), "timeout");
        if (CHECK(seen.count >= 1)) {
            CHECK_HAS(seen.last, "timeout");
            CHECK_HAS(seen.last, "limits");
        }
        call_is(p, "run", "after", "AFTER");
    }
    wg_plugin_free(p);

    /* Fuel, with a shared guard recording for two plugins. */
    audit_seen shared = {0};
    wg_guard *g = wg_guard_new(NULL, 0, NULL, on_audit, &shared, &err);
    REQUIRE(g);
    wg_plugin_options_init(&o);
    o.fuel = 100000;
    o.guard = g;
    wg_plugin *a = api_plugin(m, &o), *b = api_plugin(m, &o);
    if (a && b) {
        CHECK_EQ(wg_plugin_call(a, "spin", NULL, 0, NULL, NULL, &err), WG_FUEL_EXHAUSTED);
        CHECK_HAS(err.message, "fuel");
        CHECK_EQ(wg_plugin_call(b, "spin", NULL, 0, NULL, NULL, &err), WG_FUEL_EXHAUSTED);
        CHECK_EQ(shared.count, 2);
        call_is(a, "run", "ok", "OK");
    }
    wg_plugin_free(a);
    wg_plugin_free(b);
    wg_guard_free(g);
    wg_module_free(m);
}

TEST(test_api_host_function_errors_fail_the_call)
{
    wg_module *m = api_module();
    REQUIRE(m);
    wg_plugin *p = api_plugin(m, NULL);
    if (p) {
        wg_error err;
        wg_status st = wg_plugin_call(p, "run", "boom", 4, NULL, NULL, &err);
        CHECK_EQ(st, WG_HOST_ERROR);
        CHECK_HAS(err.message, "upper: boom refused");
        call_is(p, "run", "fine", "FINE");
    }
    wg_plugin_free(p);
    wg_module_free(m);
}

static void *cancel_soon(void *arg)
{
    struct timespec ts = {0, 50 * 1000 * 1000};
    nanosleep(&ts, NULL);
    wg_plugin_cancel(arg);
    return NULL;
}

TEST(test_api_cancel_from_another_thread)
{
    wg_module *m = api_module();
    REQUIRE(m);
    wg_plugin *p = api_plugin(m, NULL);
    if (p) {
        pthread_t t;
        REQUIRE(pthread_create(&t, NULL, cancel_soon, p) == 0);
        wg_error err;
        wg_status st = wg_plugin_call(p, "spin", NULL, 0, NULL, NULL, &err);
        pthread_join(t, NULL);
        CHECK_EQ(st, WG_INTERRUPTED);
        call_is(p, "run", "next", "NEXT");
    }
    wg_plugin_free(p);
    wg_module_free(m);
}

TEST(test_api_bad_arguments_are_reported)
{
    wg_error err;
    CHECK(wg_module_new(NULL, 0, &err) == NULL);
    CHECK_EQ(err.code, WG_BAD_ARGUMENT);
    CHECK(wg_module_new((const uint8_t *)"junk", 4, NULL) == NULL);  /* err may be NULL */
    CHECK(wg_module_new((const uint8_t *)"junk", 4, &err) == NULL);
    CHECK_EQ(err.code, WG_MALFORMED);
    CHECK(wg_module_from_manifest("{\"wasm\": 1}", 11, NULL, &err) == NULL);
    CHECK_HAS(err.message, "manifest: wasm: expected an array");
    CHECK(wg_plugin_new(NULL, NULL, &err) == NULL);
    CHECK_EQ(err.code, WG_BAD_ARGUMENT);
    CHECK(strcmp(wg_error_message(NULL), "") == 0);
    CHECK(strcmp(wg_version(), WG_VERSION) == 0);

    wg_module *m = api_module();
    REQUIRE(m);
    wg_plugin_options o;
    wg_plugin_options_init(&o);
    static const char *const cfg[] = {"=v"};
    o.config = cfg;
    o.nconfig = 1;
    o.host_functions = &upper_fn;
    o.nhost_functions = 1;
    CHECK(wg_plugin_new(m, &o, &err) == NULL);
    CHECK_HAS(err.message, "config[0]: expected KEY=VALUE");
    wg_plugin_options_init(&o);
    o.log_level = (wg_log_level)9;
    CHECK(wg_plugin_new(m, &o, &err) == NULL);
    CHECK_HAS(err.message, "log_level");

    wg_valtype bad_types[] = {(wg_valtype)0x70};
    wg_host_function f = upper_fn;
    f.params = bad_types;
    wg_plugin_options_init(&o);
    o.host_functions = &f;
    o.nhost_functions = 1;
    CHECK(wg_plugin_new(m, &o, &err) == NULL);
    CHECK_HAS(err.message, "host_functions[0]");
    f = upper_fn;
    f.callback = NULL;
    CHECK(wg_plugin_new(m, &o, &err) == NULL);
    CHECK_HAS(err.message, "callback is NULL");

    /* No host function at all: the import cannot be linked. */
    CHECK(wg_plugin_new(m, NULL, &err) == NULL);
    CHECK_EQ(err.code, WG_UNLINKABLE);
    CHECK_HAS(err.message, "upper");

    wg_plugin *p = api_plugin(m, NULL);
    if (p) {
        CHECK_EQ(wg_plugin_call(p, NULL, NULL, 0, NULL, NULL, &err), WG_BAD_ARGUMENT);
        CHECK_EQ(wg_plugin_call(p, "run", NULL, 3, NULL, NULL, &err), WG_BAD_ARGUMENT);
        CHECK(wg_plugin_call(p, "missing", NULL, 0, NULL, NULL, &err) != WG_OK);
        CHECK_HAS(err.message, "missing");
        CHECK(wg_plugin_has_function(p, "spin") && !wg_plugin_has_function(p, "missing"));
    }
    wg_plugin_free(p);
    wg_module_free(m);
}
