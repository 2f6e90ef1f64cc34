/*
 * http_fetch.c - fetches the URL given as input and outputs the body.
 *
 *   wasmguard call build/examples/plugins/http_fetch.wasm http_fetch \
 *       --allow-host example.com --input https://example.com/
 *
 * The host decides the request: without --allow-host (or allowed_hosts
 * in a manifest) for the URL's host the call fails with the guard's
 * reason, and no connection is made.  A status of 400 or more fails the
 * call with "HTTP status N".
 */
#include "wasmguard/pdk.h"

PDK_FN(http_fetch)
{
    size_t len;
    char *url = pdk_input(&len);
    if (!url) return pdk_error("out of memory");
    if (len == 0 || strlen(url) != len) {
        free(url);
        return pdk_error("the input must be a URL");
    }
    pdk_http_response r;
    bool ok = pdk_http("GET", url, NULL, NULL, 0, &r);
    free(url);
    if (!ok) return pdk_error("out of memory");
    if (r.status >= 400) {
        char msg[32] = "HTTP status ";
        size_t n = strlen(msg);
        int s = r.status > 999 ? 999 : r.status;
        msg[n++] = (char)('0' + s / 100);
        msg[n++] = (char)('0' + s / 10 % 10);
        msg[n++] = (char)('0' + s % 10);
        msg[n] = 0;
        pdk_http_response_free(&r);
        return pdk_error(msg);
    }
    ok = pdk_output(r.body, r.len);
    pdk_http_response_free(&r);
    return ok ? 0 : pdk_error("out of memory");
}
