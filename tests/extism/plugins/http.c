/*
 * http.c - test plugin: http_request, http_status_code, http_headers.
 *
 *   get       GETs the URL given as input; outputs "STATUS BODY"
 *   request   passes the input to http_request as the request JSON as is
 *             (method, headers), with the body "posted body"; outputs
 *             "STATUS BODY"
 *   headers   GETs the URL given as input; outputs the response headers
 *             JSON, or "(none)"
 */
#include "wasmguard/pdk.h"

static int32_t put_response(int32_t status, const char *body, size_t len)
{
    char *out = malloc(len + 16);
    if (!out) return pdk_error("out of memory");
    size_t n = 0;
    uint32_t s = status < 0 ? 0 : (uint32_t)status;
    out[n++] = (char)('0' + s / 100 % 10);
    out[n++] = (char)('0' + s / 10 % 10);
    out[n++] = (char)('0' + s % 10);
    out[n++] = ' ';
    if (len) memcpy(out + n, body, len);
    pdk_output(out, n + len);
    free(out);
    return 0;
}

PDK_FN(get)
{
    char *url = pdk_input(NULL);
    if (!url) return pdk_error("out of memory");
    pdk_http_response r;
    bool ok = pdk_http(NULL, url, NULL, NULL, 0, &r);
    free(url);
    if (!ok) return pdk_error("out of memory");
    int32_t rc = put_response(r.status, r.body, r.len);
    pdk_http_response_free(&r);
    return rc;
}

PDK_FN(request)
{
    size_t len;
    char *req = pdk_input(&len);
    if (!req) return pdk_error("out of memory");
    uint64_t rh = pdk_block_new(req, len);
    free(req);
    uint64_t bh = pdk_block_new_str("posted body");
    uint64_t resp = pdk_env_http_request(rh, bh);
    int32_t status = pdk_env_http_status_code();
    size_t blen = 0;
    char *body = pdk_block_dup(resp, &blen);
    if (resp) pdk_env_free(resp);
    int32_t rc = put_response(status, body, blen);
    free(body);
    return rc;
}

PDK_FN(headers)
{
    char *url = pdk_input(NULL);
    if (!url) return pdk_error("out of memory");
    pdk_http_response r;
    bool ok = pdk_http(NULL, url, NULL, NULL, 0, &r);
    free(url);
    if (!ok) return pdk_error("out of memory");
    pdk_http_response_free(&r);
    size_t hlen;
    char *h = pdk_http_headers(&hlen);
    if (h) pdk_output(h, hlen);
    else pdk_output_str("(none)");
    free(h);
    return 0;
}
