/*
 * http.h - HTTP for plugins (internal to src/extism): one request as the
 * kernel's http_request describes it, done with libcurl, every hop
 * (redirects included) decided by the guard, the response capped.
 */
#ifndef EXTISM_HTTP_H
#define EXTISM_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "guard/guard.h"

/* Why a request failed, for callers to act on (the message is in error). */
typedef enum ext_http_failure {
    EXT_HTTP_OK = 0,
    EXT_HTTP_BAD_REQUEST,  /* the request object is ill-formed */
    EXT_HTTP_DENIED,       /* the guard denied a hop (recorded by the guard) */
    EXT_HTTP_LIMIT,        /* the response's body or headers over the cap
                              (not recorded: the caller records the limit) */
    EXT_HTTP_INTERRUPTED,  /* the stop function said so */
    EXT_HTTP_FAILED,       /* curl failed: connection, TLS, protocol, too
                              many redirects, out of memory */
} ext_http_failure;

typedef struct ext_http_result {
    ext_http_failure failure;
    int status;            /* the HTTP status, 0 when no response */
    uint8_t *body;         /* malloc'd, len bytes (may be NULL when 0) */
    size_t len;
    char *headers_json;    /* the response headers as a JSON object, malloc'd */
    char error[256];       /* why it failed: the guard's rule, the cap, curl */
} ext_http_result;

/* req_json: Extism's request object {"url": ..., "method": ..., "headers": {...}}
   (method defaults to GET).  Returns true when a response within the cap
   came back (any status); false with result->error otherwise, e.g.
   "HTTP request to https://x/ denied: not in allowed_hosts".
   The method is uppercased and must be an HTTP token; header names must
   be tokens and values free of CR, LF and NUL.  body is sent with any
   method but GET and HEAD.  Redirects (301, 302, 303, 307, 308; at most
   10) are followed here, each hop decided by the guard before curl may
   connect; 303, and 301/302 after a POST, continue as GET without body;
   Authorization and Cookie headers are dropped when a redirect leaves
   the scheme, host and port of the previous hop.  The body of a
   response (of each hop) may have at most max_response bytes (0: none).
   No proxy is used, whatever the environment says (as Extism). */
bool ext_http_do(guard *g, const char *who, const char *req_json, size_t req_len,
                 const uint8_t *body, size_t body_len, uint64_t max_response,
                 ext_http_result *result);
void ext_http_result_free(ext_http_result *r);

/* Polled while a request is under way (at least once a second, also while
   connecting); true stops it, and ext_http_do_until fails with
   "HTTP request to URL interrupted".  For the plugin's timeout_ms and
   ext_plugin_cancel: pass a function that asks wasm_store_should_stop. */
typedef bool (*ext_http_stop_fn)(void *user);

/* ext_http_do with a stop function (NULL: never stopped). */
bool ext_http_do_until(guard *g, const char *who, const char *req_json, size_t req_len,
                       const uint8_t *body, size_t body_len, uint64_t max_response,
                       ext_http_stop_fn stop, void *stop_user, ext_http_result *result);

#endif
