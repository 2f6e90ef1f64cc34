/*
 * env.c - the imports of module `extism:host/env`: Extism's kernel ABI
 * over the host-side kernel memory of kernel.c, plus the host functions
 * Extism's runtime adds (config, vars, HTTP, logs).
 *
 * Signatures and semantics follow Extism's sources: kernel/src/lib.rs
 * (alloc .. reset), runtime/src/pdk.rs (config_get .. get_log_level) and
 * the PDKs' import lists (rust-pdk src/extism.rs, c-pdk extism-pdk.h).
 * Differences, all on the side of safety: a load or store outside a live
 * block traps instead of reading whatever lies there, and the input is
 * read only within its length.
 *
 * As in Extism, config_get, var_get, var_set, http_request and log_*
 * take ownership of the blocks passed to them and free them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extism/http.h"
#include "extism/internal.h"

#define ULL(x) ((unsigned long long)(x))

/* Kernel memory is little-endian, as wasm's.  A plugin moves every byte
   of its input and output through these, eight at a time, so they are
   single loads and stores where the host is little-endian too. */
static inline uint64_t get_u64le(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

static inline void put_u64le(uint8_t *p, uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    memcpy(p, &v, 8);
}

/* ---- Memory ---------------------------------------------------------- */

static wasm_status k_alloc(wasm_call *c, const wasm_val *a, wasm_val *r, void *u)
{
    (void)c;
    ext_plugin *p = u;
    r[0] = ext_kernel_alloc(&p->kernel, a[0], true);
    return WASM_OK;
}

static wasm_status k_free(wasm_call *c, const wasm_val *a, wasm_val *r, void *u)
{
    (void)c, (void)r;
    ext_kernel_release(&((ext_plugin *)u)->kernel, a[0]);
    return WASM_OK;
}

static wasm_status k_length(wasm_call *c, const wasm_val *a, wasm_val *r, void *u)
{
    (void)c;
    const ext_blk *b = ext_kernel_block(&((ext_plugin *)u)->kernel, a[0]);
    r[0] = b ? b->len : 0;
    return WASM_OK;
}

/* Loads and stores outside the kernel memory's live blocks (or past the
   input) touch nothing: a load gives 0 and a store is dropped.  That is
   what Extism's kernel does with its default bounds checking, and plugins
   built with its PDKs rely on it (some read the input in 8-byte chunks
   past its end). */
static wasm_val leaf_load_u8(void *u, const wasm_val *a)
{
    uint8_t *m = ext_kernel_range(&((ext_plugin *)u)->kernel, a[0], 1);
    return m ? m[0] : 0;
}

static wasm_val leaf_load_u64(void *u, const wasm_val *a)
{
    uint8_t *m = ext_kernel_range(&((ext_plugin *)u)->kernel, a[0], 8);
    return m ? get_u64le(m) : 0;
}

static wasm_val leaf_store_u8(void *u, const wasm_val *a)
{
    uint8_t *m = ext_kernel_range(&((ext_plugin *)u)->kernel, a[0], 1);
    if (m) m[0] = (uint8_t)a[1];
    return 0;
}

static wasm_val leaf_store_u64(void *u, const wasm_val *a)
{
    uint8_t *m = ext_kernel_range(&((ext_plugin *)u)->kernel, a[0], 8);
    if (m) put_u64le(m, a[1]);
    return 0;
}

static wasm_status k_reset(wasm_call *c, const wasm_val *a, wasm_val *r, void *u)
{
    (void)c, (void)a, (void)r;
    ext_kernel_reset(&((ext_plugin *)u)->kernel);
    return WASM_OK;
}

/* ---- Input, output, error ----------------------------------------------- */

static wasm_status k_input_offset(wasm_call *c, const wasm_val *a, wasm_val *r, void *u)
{
    (void)c, (void)a;
    r[0] = ((ext_plugin *)u)->kernel.input_off;
    return WASM_OK;
}

static wasm_status k_input_length(wasm_call *c, const wasm_val *a, wasm_val *r, void *u)
{
    (void)c, (void)a;
    r[0] = ((ext_plugin *)u)->kernel.input_len;
    return WASM_OK;
}

/* The input's bytes [i, i+n), or NULL (the input is a live block, or its
   length is 0 once freed). */
static const uint8_t *input_at(ext_kernel *k, uint64_t i, unsigned n)
{
    if (k->input_len < n || i > k->input_len - n) return NULL;
    return ext_kernel_ptr(k, k->input_off + i);
}

static wasm_val leaf_input_load_u8(void *u, const wasm_val *a)
{
    const uint8_t *m = input_at(&((ext_plugin *)u)->kernel, a[0], 1);
    return m ? m[0] : 0;
}

static wasm_val leaf_input_load_u64(void *u, const wasm_val *a)
{
    const uint8_t *m = input_at(&((ext_plugin *)u)->kernel, a[0], 8);
    return m ? get_u64le(m) : 0;
}

/* The wasm_host_fn form of each leaf (for calls that do not come from
   wasm code): the same work. */
#define LEAF_WRAPPER(name, results)                                               \
    static wasm_status k_##name(wasm_call *c, const wasm_val *a, wasm_val *r, void *u) \
    {                                                                             \
        (void)c;                                                                  \
        wasm_val v = leaf_##name(u, a);                                           \
        if (results) r[0] = v;                                                    \
        return WASM_OK;                                                           \
    }
LEAF_WRAPPER(load_u8, 1)
LEAF_WRAPPER(load_u64, 1)
LEAF_WRAPPER(store_u8, 0)
LEAF_WRAPPER(store_u64, 0)
LEAF_WRAPPER(input_load_u8, 1)
LEAF_WRAPPER(input_load_u64, 1)

static wasm_status k_output_set(wasm_call *c, const wasm_val *a, wasm_val *r, void *u)
{
    (void)r;
    ext_plugin *p = u;
    uint64_t off = a[0], len = a[1];
    if (len > p->max_output) {
        char detail[120];
        snprintf(detail, sizeof detail, "max_output_bytes: %llu", ULL(p->max_output));
        ext_plugin_record_limit(p, "output", detail);
        return wasm_call_fail(c, WASM_LIMIT, EXT_MSG_OUTPUT_CAP, ULL(len), ULL(p->max_output));
    }
    if (len && !ext_kernel_range(&p->kernel, off, len))
        return wasm_call_fail(c, WASM_TRAP, EXT_MSG_OUTPUT_OOB, ULL(off), ULL(len));
    p->kernel.output_off = len ? off : 0;
    p->kernel.output_len = len;
    return WASM_OK;
}

/* The offset is kept as given; the plugin's message is read at the end of
   the call from the block then live there (Extism reads it the same way,
   and an offset that is no block means no message). */
static wasm_status k_error_set(wasm_call *c, const wasm_val *a, wasm_val *r, void *u)
{
    (void)c, (void)r;
    ((ext_plugin *)u)->kernel.error_off = a[0];
    return WASM_OK;
}

static wasm_status k_error_get(wasm_call *c, const wasm_val *a, wasm_val *r, void *u)
{
    (void)c, (void)a;
    r[0] = ((ext_plugin *)u)->kernel.error_off;
    return WASM_OK;
}

/* ---- Config and vars ----------------------------------------------------- */

/* A handle passed in: 0 is the empty string (as Extism's memory_handle
   has it), anything else must be a live block. */
static bool handle(ext_plugin *p, uint64_t off, const uint8_t **data, uint64_t *len)
{
    static const uint8_t empty[1];
    if (off == 0) {
        *data = empty;
        *len = 0;
        return true;
    }
    const ext_blk *b = ext_kernel_block(&p->kernel, off);
    if (!b) return false;
    *data = ext_kernel_ptr(&p->kernel, off);
    *len = b->len;
    return true;
}

/* A new block holding a copy of bytes from outside the kernel memory;
   0 for none.  Fails the call when the kernel memory is full. */
static wasm_status new_block(wasm_call *c, ext_plugin *p, const char *fn, const void *data,
                             uint64_t len, wasm_val *out)
{
    *out = 0;
    if (!data || !len) return WASM_OK;
    uint64_t off = ext_kernel_alloc(&p->kernel, len, false);
    if (!off) return wasm_call_fail(c, WASM_LIMIT, EXT_MSG_KERNEL_FULL, fn, ULL(p->kernel.limit));
    memcpy(ext_kernel_ptr(&p->kernel, off), data, len);
    *out = off;
    return WASM_OK;
}

static wasm_status k_config_get(wasm_call *c, const wasm_val *a, wasm_val *r, void *u)
{
    ext_plugin *p = u;
    const uint8_t *key;
    uint64_t klen;
    if (!handle(p, a[0], &key, &klen))
        return wasm_call_fail(c, WASM_HOST_ERROR, EXT_MSG_BAD_HANDLE, "config_get", "config key",
                              ULL(a[0]));
    const char *val = NULL;
    for (size_t i = 0; i < p->nconfig && !val; i++)
        if (strlen(p->config_keys[i]) == klen && memcmp(p->config_keys[i], key, klen) == 0) {
            val = p->config_values[i];
            p->config_read[i] = true;
        }
    ext_kernel_release(&p->kernel, a[0]);
    return new_block(c, p, "config_get", val, val ? strlen(val) : 0, &r[0]);
}

static wasm_status k_var_get(wasm_call *c, const wasm_val *a, wasm_val *r, void *u)
{
    ext_plugin *p = u;
    const uint8_t *key;
    uint64_t klen;
    if (!handle(p, a[0], &key, &klen))
        return wasm_call_fail(c, WASM_HOST_ERROR, EXT_MSG_BAD_HANDLE, "var_get", "var key",
                              ULL(a[0]));
    size_t vlen = 0;
    const uint8_t *val = ext_vars_get(&p->vars, key, klen, &vlen);
    ext_kernel_release(&p->kernel, a[0]);
    return new_block(c, p, "var_get", val, vlen, &r[0]);
}

static wasm_status k_var_set(wasm_call *c, const wasm_val *a, wasm_val *r, void *u)
{
    (void)r;
    ext_plugin *p = u;
    char detail[80];
    snprintf(detail, sizeof detail, "max_var_bytes: %llu", ULL(p->max_var_bytes));
    if (p->max_var_bytes == 0) {
        ext_plugin_record_limit(p, "var_set", detail);
        return wasm_call_fail(c, WASM_LIMIT, EXT_MSG_VARS_OFF);
    }
    const uint8_t *key, *val;
    uint64_t klen, vlen;
    if (!handle(p, a[0], &key, &klen))
        return wasm_call_fail(c, WASM_HOST_ERROR, EXT_MSG_BAD_HANDLE, "var_set", "var key",
                              ULL(a[0]));
    if (a[1] == 0) {  /* no value: remove the var */
        ext_vars_remove(&p->vars, key, klen);
        ext_kernel_release(&p->kernel, a[0]);
        return WASM_OK;
    }
    if (!handle(p, a[1], &val, &vlen))
        return wasm_call_fail(c, WASM_HOST_ERROR, EXT_MSG_BAD_HANDLE, "var_set", "var value",
                              ULL(a[1]));
    uint64_t total = ext_vars_size_after(&p->vars, key, klen, vlen);
    if (total > p->max_var_bytes) {
        ext_plugin_record_limit(p, "var_set", detail);
        return wasm_call_fail(c, WASM_LIMIT, EXT_MSG_VARS_FULL, ULL(total),
                              ULL(p->max_var_bytes));
    }
    if (!ext_vars_set(&p->vars, key, klen, val, vlen))
        return wasm_call_fail(c, WASM_NOMEM, "extism var_set: out of memory");
    if (p->vars.bytes > p->usage.peak_var_bytes) p->usage.peak_var_bytes = p->vars.bytes;
    ext_kernel_release(&p->kernel, a[1]);
    ext_kernel_release(&p->kernel, a[0]);
    return WASM_OK;
}

/* ---- HTTP ------------------------------------------------------------------ */

/* Lets a request under way stop at the plugin's deadline or a cancel. */
static bool http_should_stop(void *user)
{
    return wasm_store_should_stop(((ext_plugin *)user)->store);
}

/* A failed request fails the call, as in Extism (the PDK sees an error);
   a stop by the deadline or a cancel ends it as such.  A response over
   the cap is recorded as a limit but stays an HTTP error of the plugin. */
static wasm_status http_failed(wasm_call *c, ext_plugin *p, const ext_http_result *res)
{
    const char *msg = res->error[0] ? res->error : "HTTP request failed";
    if (res->failure == EXT_HTTP_INTERRUPTED)
        return wasm_call_fail(c, WASM_INTERRUPTED, "%s", msg);
    if (res->failure != EXT_HTTP_LIMIT) return wasm_call_fail(c, WASM_HOST_ERROR, "%s", msg);
    char detail[80];
    snprintf(detail, sizeof detail, "max_http_response_bytes: %llu", ULL(p->max_http_response));
    ext_plugin_record_limit(p, "http response", strstr(msg, "max_http_response_bytes") ? detail : msg);
    return wasm_call_fail(c, WASM_HOST_ERROR, "%s", msg);
}

static wasm_status k_http_request(wasm_call *c, const wasm_val *a, wasm_val *r, void *u)
{
    ext_plugin *p = u;
    p->http_status = 0;
    free(p->http_headers);
    p->http_headers = NULL;
    const ext_blk *req = ext_kernel_block(&p->kernel, a[0]);
    if (!req)
        return wasm_call_fail(c, WASM_HOST_ERROR, EXT_MSG_BAD_HANDLE, "http_request",
                              "http request", ULL(a[0]));
    const uint8_t *body = NULL;
    uint64_t blen = 0;
    if (a[1] && !handle(p, a[1], &body, &blen))
        return wasm_call_fail(c, WASM_HOST_ERROR, EXT_MSG_BAD_HANDLE, "http_request",
                              "http request body", ULL(a[1]));
    ext_http_result res;
    memset(&res, 0, sizeof res);
    bool ok = ext_http_do_until(p->guard, p->name, (const char *)ext_kernel_ptr(&p->kernel, a[0]),
                                req->len, body, blen, p->max_http_response, http_should_stop, p,
                                &res);
    ext_kernel_release(&p->kernel, a[0]);
    if (a[1]) ext_kernel_release(&p->kernel, a[1]);
    wasm_status st;
    if (!ok) {
        st = http_failed(c, p, &res);
    } else {
        p->http_status = res.status;
        p->usage.http_responses++;
        if (res.len > p->usage.max_http_response) p->usage.max_http_response = res.len;
        p->http_headers = res.headers_json;
        res.headers_json = NULL;
        st = new_block(c, p, "http_request", res.body, res.len, &r[0]);
    }
    ext_http_result_free(&res);
    return st;
}

static wasm_status k_http_status_code(wasm_call *c, const wasm_val *a, wasm_val *r, void *u)
{
    (void)c, (void)a;
    r[0] = wasm_val_i32(((ext_plugin *)u)->http_status);
    return WASM_OK;
}

/* The last response's headers as a JSON object; 0 before any response.
   (Extism gives them only when the host enables them; here always.) */
static wasm_status k_http_headers(wasm_call *c, const wasm_val *a, wasm_val *r, void *u)
{
    (void)a;
    ext_plugin *p = u;
    const char *h = p->http_headers;
    return new_block(c, p, "http_headers", h, h ? strlen(h) : 0, &r[0]);
}

/* ---- Logs ------------------------------------------------------------------- */

static wasm_status do_log(wasm_call *c, ext_plugin *p, uint64_t off, ext_log_level level,
                          const char *fn)
{
    if (!p->log || level < p->log_level) {
        ext_kernel_release(&p->kernel, off);
        return WASM_OK;
    }
    const uint8_t *msg;
    uint64_t len;
    if (!handle(p, off, &msg, &len))
        return wasm_call_fail(c, WASM_HOST_ERROR, EXT_MSG_BAD_HANDLE, fn, "log message", ULL(off));
    p->log(p->log_user, level, (const char *)msg, (size_t)len);
    ext_kernel_release(&p->kernel, off);
    return WASM_OK;
}

#define LOG_FN(lname, level)                                                              \
    static wasm_status k_log_##lname(wasm_call *c, const wasm_val *a, wasm_val *r, void *u) \
    {                                                                                     \
        (void)r;                                                                          \
        return do_log(c, u, a[0], level, "log_" #lname);                                  \
    }
LOG_FN(trace, EXT_LOG_TRACE)
LOG_FN(debug, EXT_LOG_DEBUG)
LOG_FN(info, EXT_LOG_INFO)
LOG_FN(warn, EXT_LOG_WARN)
LOG_FN(error, EXT_LOG_ERROR)

/* Extism's numbers: trace 0, debug 1, info 2, warn 3, error 4, and
   i32::MAX when logging is off (pdk.rs log_level_to_int). */
static wasm_status k_get_log_level(wasm_call *c, const wasm_val *a, wasm_val *r, void *u)
{
    (void)c, (void)a;
    ext_log_level l = ((ext_plugin *)u)->log_level;
    r[0] = wasm_val_i32(l >= EXT_LOG_OFF ? INT32_MAX : (int32_t)l);
    return WASM_OK;
}

/* ---- The table ------------------------------------------------------------- */

typedef struct env_def {
    const char *name;
    const char *params, *results;  /* 'I' i64, 'i' i32 */
    wasm_host_fn fn;
    wasm_host_leaf_fn leaf;        /* its fast form, for the byte movers */
} env_def;

static const env_def env_defs[] = {
    {"alloc", "I", "I", k_alloc, NULL},
    {"free", "I", "", k_free, NULL},
    {"length", "I", "I", k_length, NULL},
    {"length_unsafe", "I", "I", k_length, NULL},
    {"load_u8", "I", "i", k_load_u8, leaf_load_u8},
    {"load_u64", "I", "I", k_load_u64, leaf_load_u64},
    {"store_u8", "Ii", "", k_store_u8, leaf_store_u8},
    {"store_u64", "II", "", k_store_u64, leaf_store_u64},
    {"input_offset", "", "I", k_input_offset, NULL},
    {"input_length", "", "I", k_input_length, NULL},
    {"input_load_u8", "I", "i", k_input_load_u8, leaf_input_load_u8},
    {"input_load_u64", "I", "I", k_input_load_u64, leaf_input_load_u64},
    {"output_set", "II", "", k_output_set, NULL},
    {"error_set", "I", "", k_error_set, NULL},
    {"error_get", "", "I", k_error_get, NULL},
    {"config_get", "I", "I", k_config_get, NULL},
    {"var_get", "I", "I", k_var_get, NULL},
    {"var_set", "II", "", k_var_set, NULL},
    {"http_request", "II", "I", k_http_request, NULL},
    {"http_status_code", "", "i", k_http_status_code, NULL},
    {"http_headers", "", "I", k_http_headers, NULL},
    {"log_info", "I", "", k_log_info, NULL},
    {"log_debug", "I", "", k_log_debug, NULL},
    {"log_warn", "I", "", k_log_warn, NULL},
    {"log_error", "I", "", k_log_error, NULL},
    {"log_trace", "I", "", k_log_trace, NULL},
    {"get_log_level", "", "i", k_get_log_level, NULL},
    {"reset", "", "", k_reset, NULL},
};

static void def_type(const env_def *d, uint8_t *buf, wasm_functype *t)
{
    size_t np = strlen(d->params), nr = strlen(d->results);
    for (size_t i = 0; i < np; i++) buf[i] = d->params[i] == 'I' ? WASM_I64 : WASM_I32;
    for (size_t i = 0; i < nr; i++) buf[np + i] = d->results[i] == 'I' ? WASM_I64 : WASM_I32;
    *t = (wasm_functype){(uint32_t)np, (uint32_t)nr, buf, buf + np};
}

static bool same_type(const wasm_functype *a, const wasm_functype *b)
{
    return a->nparams == b->nparams && a->nresults == b->nresults &&
           (!a->nparams || memcmp(a->params, b->params, a->nparams) == 0) &&
           (!a->nresults || memcmp(a->results, b->results, a->nresults) == 0);
}

wasm_status ext_env_resolve(ext_plugin *p, const wasm_import_info *im, wasm_extern *out,
                            wasm_error *err)
{
    const env_def *d = NULL;
    for (size_t i = 0; i < sizeof env_defs / sizeof *env_defs && !d; i++)
        if (strlen(env_defs[i].name) == im->name.len &&
            memcmp(env_defs[i].name, im->name.data, im->name.len) == 0)
            d = &env_defs[i];
    if (!d) return wasm_error_set(err, WASM_UNLINKABLE, EXT_MSG_ENV_UNKNOWN, im->name.data);
    if (im->kind != WASM_EXTERN_FUNC)
        return wasm_error_set(err, WASM_UNLINKABLE, EXT_MSG_ENV_KIND, d->name);
    uint8_t buf[8];
    wasm_functype want;
    def_type(d, buf, &want);
    if (!same_type(im->func, &want)) {
        char got[64], exp[64];
        ext_format_type(im->func, got, sizeof got);
        ext_format_type(&want, exp, sizeof exp);
        return wasm_error_set(err, WASM_UNLINKABLE, EXT_MSG_ENV_TYPE, d->name, got, exp);
    }
    wasm_func *f = wasm_func_new_host(p->store, &want, d->fn, p);
    if (!f) return wasm_error_set(err, WASM_NOMEM, EXT_MSG_NOMEM);
    if (d->leaf) wasm_func_set_leaf(f, d->leaf);
    *out = (wasm_extern){.kind = WASM_EXTERN_FUNC, .of.func = f};
    return WASM_OK;
}
