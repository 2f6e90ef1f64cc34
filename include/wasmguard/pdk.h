/*
 * wasmguard/pdk.h - a header-only C PDK (plugin development kit) for
 * Extism plugins: the guest side of the `extism:host/env` ABI, for C
 * code compiled to WebAssembly.  Plugins built with it run under
 * wasmguard (`wasmguard call`, the library of include/wasmguard.h) and
 * under Extism's own runtimes alike.
 *
 * Building a plugin
 *
 *   clang --target=wasm32-wasi -O2 -mexec-model=reactor -mbulk-memory -Iinclude \
 *         -o plugin.wasm plugin.c
 *
 * (-mbulk-memory makes memcpy and memset single memory.copy/memory.fill
 * instructions, which wasmguard runs at native speed, instead of loops
 * in wasi-libc; WebAssembly 2.0 runtimes, Extism's among them, have it.)
 *
 * A reactor has no _start: its exports are the functions marked with
 * PDK_FN (or PDK_EXPORT), and wasi-libc's _initialize runs once before
 * the first call.  The helpers below use malloc, calloc, free, memcpy and
 * strlen from wasi-libc, none of which imports anything from WASI, so a plugin
 * that calls no stdio, file or clock function imports only
 * `extism:host/env` and runs without --wasi (check with
 * `wasm-objdump -x -j Import plugin.wasm`).  A freestanding build
 * (--target=wasm32 -nostdlib -Wl,--no-entry -DPDK_NO_LIBC) works too when
 * the plugin defines malloc, calloc, free, memcpy and strlen itself.
 *
 *   #include <wasmguard/pdk.h>
 *
 *   PDK_FN(shout)                     // exported as "shout"
 *   {
 *       size_t len;
 *       char *text = pdk_input(&len);
 *       if (!text) return pdk_error("out of memory");
 *       if (len == 0) return pdk_error("nothing to shout");  // fails the call
 *       for (size_t i = 0; i < len; i++)
 *           if (text[i] >= 'a' && text[i] <= 'z') text[i] -= 32;
 *       pdk_output(text, len);
 *       free(text);
 *       return 0;                         // 0 is success
 *   }
 *
 * The helpers (malloc'd results are the caller's to free)
 *
 *   pdk_input(&len)                   the whole input, NUL-terminated
 *   pdk_output(data, len), pdk_output_str(s)
 *   pdk_error(msg), pdk_error_len     set the error; return 1 to fail
 *   pdk_config(key, &len)             a config value or NULL
 *   pdk_var(key, &len), pdk_var_set(key, data, len), pdk_var_delete(key)
 *   pdk_log(level, msg), pdk_log_len  PDK_LOG_TRACE ... PDK_LOG_ERROR
 *   pdk_http(method, url, headers_json, body, len, &response)
 *   pdk_http_headers(&len)            the last response's headers (JSON)
 *   pdk_block_new/_dup/_read/_write   raw kernel blocks
 *   PDK_FN(name), PDK_FN_AS("name", c_name), PDK_HOST_FN(name)
 *
 * The ABI in one paragraph
 *
 * The host keeps its own memory of blocks, separate from the guest's
 * linear memory.  A block is named by an offset ("handle", a u64; 0
 * means none) and holds `length` bytes; the guest copies bytes in and
 * out with load_u8/load_u64/store_u8/store_u64.  The call's input is a
 * block (input_offset, input_length, also readable with input_load_*),
 * the output is a block handed over with output_set, an error message is
 * a block handed over with error_set.  Functions that receive a block
 * (output_set, error_set, config_get, var_get, var_set, log_*,
 * http_request) take ownership of it: the guest must not free it after.
 * Blocks returned to the guest (config_get, var_get, http_request,
 * http_headers, alloc) are the guest's to free.  A plugin function is an
 * export of type () -> i32 that returns 0 for success.
 *
 * Signatures follow Extism's kernel and PDKs (extism/extism
 * kernel/src/lib.rs and runtime/src/pdk.rs, extism/rust-pdk
 * src/extism.rs): every offset and length is an i64, the u8 loads and
 * stores pass bytes in an i32, the log level and the HTTP status are i32.
 */
#ifndef WASMGUARD_PDK_H
#define WASMGUARD_PDK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#ifdef PDK_NO_LIBC
/* A freestanding build: the plugin defines these itself. */
void *malloc(size_t size);
void *calloc(size_t n, size_t size);
void free(void *p);
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
size_t strlen(const char *s);
#else
#include <stdlib.h>
#include <string.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Exports and imports --------------------------------------------- */

/* Marks a function as exported under its own name. */
#define PDK_EXPORT(name) __attribute__((export_name(#name)))

/* Defines a plugin function: `PDK_FN(count) { ...; return 0; }`. */
#define PDK_FN(name) PDK_EXPORT(name) int32_t name(void)

/* The same, exported under another name than the C function's, for names
   that C or libc already use: `PDK_FN_AS("log", plugin_log) { ... }`. */
#define PDK_FN_AS(exported, cname) __attribute__((export_name(exported))) int32_t cname(void)

/* Declares a host function the embedder provides in "extism:host/user"
   (wasmguard's ext_host_fn with ns NULL), e.g.
     PDK_HOST_FN(reverse) uint64_t reverse(uint64_t handle);
   Its arguments and results are usually block handles. */
#define PDK_HOST_FN(name) \
    __attribute__((import_module("extism:host/user"), import_name(#name)))

#define PDK_ENV_IMPORT(name) \
    __attribute__((import_module("extism:host/env"), import_name(#name)))

/* ---- The raw ABI: module "extism:host/env" ---------------------------- */

/* Blocks of host memory. */
PDK_ENV_IMPORT(alloc) uint64_t pdk_env_alloc(uint64_t len);   /* 0 when len is 0 or no memory */
PDK_ENV_IMPORT(free) void pdk_env_free(uint64_t handle);
/* The block's length, 0 when handle is not the start of a live block. */
PDK_ENV_IMPORT(length) uint64_t pdk_env_length(uint64_t handle);
/* As length, but the host may skip the search for the block (Extism's
   kernel trusts the offset; wasmguard checks it all the same). */
PDK_ENV_IMPORT(length_unsafe) uint64_t pdk_env_length_unsafe(uint64_t handle);
/* Bytes at an offset inside a block; a load outside every block gives 0,
   a store there is ignored (or fails the call, as the host decides). */
PDK_ENV_IMPORT(load_u8) uint32_t pdk_env_load_u8(uint64_t offset);
PDK_ENV_IMPORT(load_u64) uint64_t pdk_env_load_u64(uint64_t offset);
PDK_ENV_IMPORT(store_u8) void pdk_env_store_u8(uint64_t offset, uint32_t byte);
PDK_ENV_IMPORT(store_u64) void pdk_env_store_u64(uint64_t offset, uint64_t value);

/* The call's input: a block, and bytes at an offset from its start. */
PDK_ENV_IMPORT(input_offset) uint64_t pdk_env_input_offset(void);
PDK_ENV_IMPORT(input_length) uint64_t pdk_env_input_length(void);
PDK_ENV_IMPORT(input_load_u8) uint32_t pdk_env_input_load_u8(uint64_t offset);
PDK_ENV_IMPORT(input_load_u64) uint64_t pdk_env_input_load_u64(uint64_t offset);

/* The output: len bytes at offset (a block, taken over).  An error: a
   block holding the message (taken over); 0 clears it.  error_get
   returns the current error block or 0. */
PDK_ENV_IMPORT(output_set) void pdk_env_output_set(uint64_t offset, uint64_t len);
PDK_ENV_IMPORT(error_set) void pdk_env_error_set(uint64_t handle);
PDK_ENV_IMPORT(error_get) uint64_t pdk_env_error_get(void);

/* Config (read-only) and vars (kept between calls of one plugin): the
   key is a block (taken over); the value a new block, or 0 when absent.
   var_set with value 0 deletes the var. */
PDK_ENV_IMPORT(config_get) uint64_t pdk_env_config_get(uint64_t key);
PDK_ENV_IMPORT(var_get) uint64_t pdk_env_var_get(uint64_t key);
PDK_ENV_IMPORT(var_set) void pdk_env_var_set(uint64_t key, uint64_t value);

/* HTTP: request is a block of JSON {"url": ..., "method": ...,
   "headers": {...}}, body a block or 0 (both taken over).  Returns the
   response body as a block (0 when empty); the status and the response
   headers (a JSON object, when the host shares them) of the last
   request come after. */
PDK_ENV_IMPORT(http_request) uint64_t pdk_env_http_request(uint64_t request, uint64_t body);
PDK_ENV_IMPORT(http_status_code) int32_t pdk_env_http_status_code(void);
PDK_ENV_IMPORT(http_headers) uint64_t pdk_env_http_headers(void);

/* Logs a message block (taken over) at a level. */
PDK_ENV_IMPORT(log_trace) void pdk_env_log_trace(uint64_t handle);
PDK_ENV_IMPORT(log_debug) void pdk_env_log_debug(uint64_t handle);
PDK_ENV_IMPORT(log_info) void pdk_env_log_info(uint64_t handle);
PDK_ENV_IMPORT(log_warn) void pdk_env_log_warn(uint64_t handle);
PDK_ENV_IMPORT(log_error) void pdk_env_log_error(uint64_t handle);
/* The host's level: 0 trace, 1 debug, 2 info, 3 warn, 4 error; higher
   (Extism uses INT32_MAX) when logging is off. */
PDK_ENV_IMPORT(get_log_level) int32_t pdk_env_get_log_level(void);

/* Frees every block of the plugin (the host calls it between calls). */
PDK_ENV_IMPORT(reset) void pdk_env_reset(void);

/* ---- Blocks ---------------------------------------------------------- */

/* The kernel ABI moves eight bytes a call; the copy loops below take
   four calls a round, which in an interpreter saves the loop's own
   bookkeeping on three of every four (measured: about a tenth of a
   post-render's instructions). */

/* Copies len bytes from a block at offset `at` into dst. */
static inline void pdk_block_read(uint64_t at, void *dst, size_t len)
{
    uint8_t *d = (uint8_t *)dst;
    size_t i = 0;
    for (; i + 32 <= len; i += 32) {
        uint64_t v[4] = {pdk_env_load_u64(at + i), pdk_env_load_u64(at + i + 8),
                         pdk_env_load_u64(at + i + 16), pdk_env_load_u64(at + i + 24)};
        memcpy(d + i, v, 32);
    }
    for (; i + 8 <= len; i += 8) {
        uint64_t v = pdk_env_load_u64(at + i);
        memcpy(d + i, &v, 8);
    }
    for (; i < len; i++) d[i] = (uint8_t)pdk_env_load_u8(at + i);
}

/* Copies len bytes from src into a block at offset `at`. */
static inline void pdk_block_write(uint64_t at, const void *src, size_t len)
{
    const uint8_t *s = (const uint8_t *)src;
    size_t i = 0;
    for (; i + 32 <= len; i += 32) {
        uint64_t v[4];
        memcpy(v, s + i, 32);
        pdk_env_store_u64(at + i, v[0]);
        pdk_env_store_u64(at + i + 8, v[1]);
        pdk_env_store_u64(at + i + 16, v[2]);
        pdk_env_store_u64(at + i + 24, v[3]);
    }
    for (; i + 8 <= len; i += 8) {
        uint64_t v;
        memcpy(&v, s + i, 8);
        pdk_env_store_u64(at + i, v);
    }
    for (; i < len; i++) pdk_env_store_u8(at + i, s[i]);
}

/* A new block holding a copy of data: its handle, 0 when len is 0 or the
   host is out of memory. */
static inline uint64_t pdk_block_new(const void *data, size_t len)
{
    if (len == 0) return 0;
    uint64_t h = pdk_env_alloc(len);
    if (h) pdk_block_write(h, data, len);
    return h;
}

static inline uint64_t pdk_block_new_str(const char *s)
{
    return pdk_block_new(s, strlen(s));
}

/* A malloc'd copy of a whole block with a NUL after its bytes (so text
   can be used as a C string); *len (may be NULL) gets its length.  NULL
   when handle is 0 or malloc fails.  The block is left alone. */
static inline char *pdk_block_dup(uint64_t handle, size_t *len)
{
    if (len) *len = 0;
    if (!handle) return NULL;
    uint64_t n = pdk_env_length(handle);
    if (n >= SIZE_MAX) return NULL;
    char *buf = (char *)malloc((size_t)n + 1);
    if (!buf) return NULL;
    pdk_block_read(handle, buf, (size_t)n);
    buf[n] = 0;
    if (len) *len = (size_t)n;
    return buf;
}

/* ---- Input and output ------------------------------------------------ */

/* The whole input, malloc'd, with a NUL after it; *len (may be NULL)
   gets its length.  NULL only when malloc fails.  Eight zero bytes follow
   the input, so a scan may read it a 64-bit word at a time up to its NUL
   without reading past the buffer. */
static inline char *pdk_input(size_t *len)
{
    uint64_t n = pdk_env_input_length();
    if (len) *len = 0;
    if (n >= SIZE_MAX - 8) return NULL;
    char *buf = (char *)malloc((size_t)n + 8);
    if (!buf) return NULL;
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        uint64_t v[4] = {pdk_env_input_load_u64(i), pdk_env_input_load_u64(i + 8),
                         pdk_env_input_load_u64(i + 16), pdk_env_input_load_u64(i + 24)};
        memcpy(buf + i, v, 32);
    }
    for (; i + 8 <= n; i += 8) {
        uint64_t v = pdk_env_input_load_u64(i);
        memcpy(buf + i, &v, 8);
    }
    for (; i < n; i++) buf[i] = (char)pdk_env_input_load_u8(i);
    for (size_t k = 0; k < 8; k++) buf[n + k] = 0;
    if (len) *len = (size_t)n;
    return buf;
}

/* Sets the call's output to a copy of data (the last setting wins).
   false when the host is out of memory. */
static inline bool pdk_output(const void *data, size_t len)
{
    uint64_t h = pdk_block_new(data, len);
    if (len && !h) return false;
    pdk_env_output_set(h, len);
    return true;
}

static inline bool pdk_output_str(const char *s)
{
    return pdk_output(s, strlen(s));
}

/* ---- Errors ---------------------------------------------------------- */

/* Sets the call's error message and returns 1, so a plugin function can
   end with `return pdk_error("...")`: the call fails with this message.
   An empty message becomes "plugin error" (an empty block is no block). */
static inline int32_t pdk_error_len(const char *msg, size_t len)
{
    if (len == 0) {
        msg = "plugin error";
        len = strlen(msg);
    }
    pdk_env_error_set(pdk_block_new(msg, len));
    return 1;
}

static inline int32_t pdk_error(const char *msg)
{
    return pdk_error_len(msg, strlen(msg));
}

/* ---- Config and vars ------------------------------------------------- */

/* A config value, malloc'd and NUL-terminated, or NULL when the key is
   not set (or malloc fails); *len (may be NULL) gets its length. */
static inline char *pdk_config(const char *key, size_t *len)
{
    if (len) *len = 0;
    uint64_t k = pdk_block_new_str(key);
    if (!k) return NULL;
    uint64_t v = pdk_env_config_get(k);
    char *value = pdk_block_dup(v, len);
    if (v) pdk_env_free(v);
    return value;
}

/* A var's value, as pdk_config. */
static inline char *pdk_var(const char *key, size_t *len)
{
    if (len) *len = 0;
    uint64_t k = pdk_block_new_str(key);
    if (!k) return NULL;
    uint64_t v = pdk_env_var_get(k);
    char *value = pdk_block_dup(v, len);
    if (v) pdk_env_free(v);
    return value;
}

/* Sets a var to a copy of data; an empty value deletes it (Extism has
   no empty vars).  The host fails the call when the vars would exceed
   their limit (max_var_bytes).  false when out of memory. */
static inline bool pdk_var_set(const char *key, const void *data, size_t len)
{
    uint64_t k = pdk_block_new_str(key);
    if (!k) return false;
    uint64_t v = pdk_block_new(data, len);
    if (len && !v) {
        pdk_env_free(k);
        return false;
    }
    pdk_env_var_set(k, v);
    return true;
}

static inline bool pdk_var_delete(const char *key)
{
    return pdk_var_set(key, NULL, 0);
}

/* ---- Logs ------------------------------------------------------------ */

typedef enum pdk_log_level {
    PDK_LOG_TRACE = 0,
    PDK_LOG_DEBUG = 1,
    PDK_LOG_INFO = 2,
    PDK_LOG_WARN = 3,
    PDK_LOG_ERROR = 4,
} pdk_log_level;

/* Logs len bytes at a level.  Nothing is sent when the host's level is
   above it, or when the message is empty. */
static inline void pdk_log_len(pdk_log_level level, const char *msg, size_t len)
{
    if (len == 0 || (int32_t)level < pdk_env_get_log_level()) return;
    uint64_t h = pdk_block_new(msg, len);
    if (!h) return;
    switch (level) {
    case PDK_LOG_TRACE: pdk_env_log_trace(h); break;
    case PDK_LOG_DEBUG: pdk_env_log_debug(h); break;
    case PDK_LOG_INFO: pdk_env_log_info(h); break;
    case PDK_LOG_WARN: pdk_env_log_warn(h); break;
    default: pdk_env_log_error(h); break;
    }
}

static inline void pdk_log(pdk_log_level level, const char *msg)
{
    pdk_log_len(level, msg, strlen(msg));
}

/* ---- HTTP ------------------------------------------------------------ */

typedef struct pdk_http_response {
    int32_t status;  /* the HTTP status */
    char *body;      /* malloc'd, NUL after its len bytes; never NULL on success */
    size_t len;
} pdk_http_response;

/* Writes s as a JSON string (quoted, escaped) at dst, which has room for
   6 * strlen(s) + 2 bytes; returns the bytes written. */
static inline size_t pdk__json_string(char *dst, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = 0;
    dst[n++] = '"';
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            dst[n++] = '\\';
            dst[n++] = (char)c;
        } else if (c < 0x20) {
            memcpy(dst + n, "\\u00", 4);
            dst[n + 4] = hex[c >> 4];
            dst[n + 5] = hex[c & 15];
            n += 6;
        } else {
            dst[n++] = (char)c;
        }
    }
    dst[n++] = '"';
    return n;
}

/* Makes an HTTP request: method (NULL: "GET"), url, headers as a JSON
   object text such as "{\"Accept\": \"text/plain\"}" (NULL: none), an
   optional body.  On a response (any status) fills *out and returns
   true; free it with pdk_http_response_free.  false when out of memory.
   A request the host refuses (a host not in allowed_hosts, a response
   over max_http_response_bytes) fails the whole call with the host's
   message: the plugin does not get control back. */
static inline bool pdk_http(const char *method, const char *url, const char *headers_json,
                            const void *body, size_t body_len, pdk_http_response *out)
{
    out->status = 0;
    out->body = NULL;
    out->len = 0;
    if (!method) method = "GET";
    if (!headers_json) headers_json = "{}";
    size_t ul = strlen(url), ml = strlen(method), hl = strlen(headers_json);
    size_t cap = 6 * (ul + ml) + hl + 64;
    char *req = (char *)malloc(cap);
    if (!req) return false;
    size_t n = 0;
    memcpy(req + n, "{\"url\":", 7);
    n += 7;
    n += pdk__json_string(req + n, url);
    memcpy(req + n, ",\"method\":", 10);
    n += 10;
    n += pdk__json_string(req + n, method);
    memcpy(req + n, ",\"headers\":", 11);
    n += 11;
    memcpy(req + n, headers_json, hl);
    n += hl;
    req[n++] = '}';
    uint64_t rh = pdk_block_new(req, n);
    free(req);
    if (!rh) return false;
    uint64_t bh = pdk_block_new(body, body_len);
    if (body_len && !bh) {
        pdk_env_free(rh);
        return false;
    }
    uint64_t resp = pdk_env_http_request(rh, bh);
    out->status = pdk_env_http_status_code();
    if (resp) {
        out->body = pdk_block_dup(resp, &out->len);
        pdk_env_free(resp);
    } else {
        out->body = (char *)calloc(1, 1);
    }
    return out->body != NULL;
}

static inline void pdk_http_response_free(pdk_http_response *r)
{
    free(r->body);
    r->body = NULL;
    r->len = 0;
}

/* The response headers of the last request as a JSON object text,
   malloc'd, or NULL when the host does not share them. */
static inline char *pdk_http_headers(size_t *len)
{
    uint64_t h = pdk_env_http_headers();
    char *text = pdk_block_dup(h, len);
    if (h) pdk_env_free(h);
    return text;
}

#ifdef __cplusplus
}
#endif
#endif
