/*
 * http.c - the kernel's http_request done with libcurl (http.h).
 *
 * The guard decides every hop before curl may connect.  curl never
 * follows a redirect itself: the Location is resolved against the URL of
 * the hop (curl's URL API), and the new URL goes through the guard like
 * the first.  curl parses each URL into a CURLU handle that the transfer
 * then uses as it is, and the guard is told which host curl read from it
 * (guard_http_client), so the host the guard approved is the host curl
 * connects to even where URL parsers could disagree.
 *
 * Only http and https; no proxy (the environment's *_proxy variables are
 * ignored, as Extism ignores them: a plugin's requests go where the guard
 * said, not through whatever the host process is configured with); no
 * cookies, no .netrc, no automatic decompression (the cap counts the
 * bytes received).  Response headers go into a JSON object with lowercase
 * names; repeated headers are joined with ", ".
 */
#include "extism/http.h"

#include <curl/curl.h>
#include <jansson.h>

#include "extism/curl_lazy.h"

/* Every curl call goes through the table loaded by ext_curl_load, which
   ext_http_do calls before anything else. */
#define CURL_API (ext_curl_load(NULL))
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HTTP_MAX_REDIRECTS 10
#define HTTP_CONNECT_TIMEOUT_S 10L
#define HTTP_MAX_HEADER_BYTES (256u * 1024)
#define HTTP_METHOD_MAX 32
/* How much of a URL goes into an error message. */
#define HTTP_URL_SHOWN 100



/* The request as it stands at the current hop. */
typedef struct http_req {
    char *url;                          /* malloc'd */
    char method[HTTP_METHOD_MAX + 1];   /* uppercase */
    json_t *headers;                    /* the request's object, or NULL */
    bool drop_credentials;              /* a redirect left the first origin */
    const uint8_t *body;
    size_t body_len;
} http_req;

/* What one transfer collects. */
typedef struct http_xfer {
    uint8_t *body;
    size_t len, cap;
    uint64_t max;
    bool over, headers_over, oom, stopped;
    json_t *headers;                    /* of the last response head seen */
    size_t header_bytes;
    char *location;
    ext_http_stop_fn stop;
    void *stop_user;
} http_xfer;

static bool fail(ext_http_result *r, ext_http_failure why, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool fail(ext_http_result *r, ext_http_failure why, const char *fmt, ...)
{
    va_list ap;
    r->failure = why;
    va_start(ap, fmt);
    vsnprintf(r->error, sizeof r->error, fmt, ap);
    va_end(ap);
    return false;
}

/* An HTTP token (RFC 9110 section 5.6.2): method and header names. */
static bool is_token(const char *s, size_t len)
{
    static const char extra[] = "!#$%&'*+-.^_`|~";
    if (len == 0) return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        bool ok = (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
                  (c && strchr(extra, c));
        if (!ok) return false;
    }
    return true;
}

/* ---- The request object ------------------------------------------------- */

static bool parse_headers(json_t *h, ext_http_result *r)
{
    const char *name;
    json_t *v;
    if (!json_is_object(h))
        return fail(r, EXT_HTTP_BAD_REQUEST, "HTTP request: \"headers\" must be an object");
    json_object_foreach(h, name, v) {
        if (!is_token(name, strlen(name)))
            return fail(r, EXT_HTTP_BAD_REQUEST, "HTTP request: bad header name \"%.60s\"",
                        name);
        if (!json_is_string(v))
            return fail(r, EXT_HTTP_BAD_REQUEST,
                        "HTTP request: header \"%.60s\" must be a string", name);
        const char *s = json_string_value(v);
        size_t len = json_string_length(v);
        if (strlen(s) != len || strpbrk(s, "\r\n"))
            return fail(r, EXT_HTTP_BAD_REQUEST,
                        "HTTP request: header \"%.60s\" has CR, LF or NUL in its value", name);
    }
    return true;
}

/* Reads {"url", "method", "headers"} into rq; *root keeps the JSON alive. */
static bool parse_request(const char *json, size_t len, http_req *rq, json_t **root,
                          ext_http_result *r)
{
    json_error_t je;
    json_t *o = json_loadb(json ? json : "", json ? len : 0, JSON_REJECT_DUPLICATES, &je);
    if (!o) return fail(r, EXT_HTTP_BAD_REQUEST, "HTTP request: invalid JSON: %s", je.text);
    *root = o;
    if (!json_is_object(o))
        return fail(r, EXT_HTTP_BAD_REQUEST, "HTTP request: not a JSON object");
    json_t *url = json_object_get(o, "url");
    if (!json_is_string(url))
        return fail(r, EXT_HTTP_BAD_REQUEST, "HTTP request: \"url\" must be a string");
    if (strlen(json_string_value(url)) != json_string_length(url))
        return fail(r, EXT_HTTP_BAD_REQUEST, "HTTP request: \"url\" contains NUL");
    rq->url = strdup(json_string_value(url));
    if (!rq->url) return fail(r, EXT_HTTP_FAILED, "HTTP request: out of memory");
    json_t *m = json_object_get(o, "method");
    strcpy(rq->method, "GET");
    if (m && !json_is_null(m)) {
        if (!json_is_string(m))
            return fail(r, EXT_HTTP_BAD_REQUEST, "HTTP request: \"method\" must be a string");
        const char *s = json_string_value(m);
        size_t n = json_string_length(m);
        if (n > HTTP_METHOD_MAX || !is_token(s, n))
            return fail(r, EXT_HTTP_BAD_REQUEST, "HTTP request: bad method \"%.40s\"", s);
        for (size_t i = 0; i <= n; i++)
            rq->method[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 32 : s[i]);
    }
    json_t *h = json_object_get(o, "headers");
    if (h && !json_is_null(h)) {
        if (!parse_headers(h, r)) return false;
        rq->headers = h;
    }
    return true;
}

/* ---- Transfer callbacks ------------------------------------------------- */

static size_t on_body(char *data, size_t size, size_t n, void *user)
{
    http_xfer *x = user;
    size_t len = size * n;
    if (len > x->max || x->len > x->max - len) {
        x->over = true;
        return 0;
    }
    if (x->len + len > x->cap) {
        size_t cap = x->cap ? x->cap : 4096;
        while (cap < x->len + len) cap *= 2;
        if (cap > x->max) cap = (size_t)x->max;
        uint8_t *p = realloc(x->body, cap);
        if (!p) {
            x->oom = true;
            return 0;
        }
        x->body = p;
        x->cap = cap;
    }
    memcpy(x->body + x->len, data, len);
    x->len += len;
    return len;
}

/* The length of the valid UTF-8 sequence at s[0..n) (1 for ASCII), 0
   when the bytes there are no valid UTF-8. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xBF;
    size_t k;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        k = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        k = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        k = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (n < k || s[1] < lo || s[1] > hi) return 0;
    for (size_t i = 2; i < k; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    return k;
}

/* A header value as a JSON string (jansson keeps only valid UTF-8: any
   other byte becomes '?'). */
static json_t *header_string(const char *v, size_t len)
{
    json_t *s = json_stringn(v, len);
    if (s) return s;
    char *copy = malloc(len + 1);
    if (!copy) return NULL;
    for (size_t i = 0; i < len;) {
        size_t k = utf8_seq((const unsigned char *)v + i, len - i);
        if (k == 0) {
            copy[i++] = '?';
        } else {
            memcpy(copy + i, v + i, k);
            i += k;
        }
    }
    s = json_stringn(copy, len);
    free(copy);
    return s;
}

static bool add_header(http_xfer *x, const char *line, size_t len)
{
    const char *colon = memchr(line, ':', len);
    if (!colon || !is_token(line, (size_t)(colon - line))) return true; /* not a header */
    char name[128];
    size_t nlen = (size_t)(colon - line);
    if (nlen >= sizeof name) return true;
    for (size_t i = 0; i < nlen; i++)
        name[i] = (char)(line[i] >= 'A' && line[i] <= 'Z' ? line[i] + 32 : line[i]);
    name[nlen] = 0;
    const char *v = colon + 1, *end = line + len;
    while (v < end && (*v == ' ' || *v == '\t')) v++;
    while (end > v && (end[-1] == ' ' || end[-1] == '\t')) end--;
    json_t *value = header_string(v, (size_t)(end - v));
    if (!value) return false;
    json_t *old = json_object_get(x->headers, name);
    if (json_is_string(old)) {
        json_t *joined = json_sprintf("%s, %s", json_string_value(old), json_string_value(value));
        json_decref(value);
        value = joined;
        if (!value) return false;
    }
    bool ok = true;
    if (strcmp(name, "location") == 0) {
        /* The last Location counts: a repeated one is no list. */
        free(x->location);
        x->location = strndup(v, (size_t)(end - v));
        ok = x->location != NULL;
    }
    if (json_object_set_new(x->headers, name, value) != 0) ok = false;
    return ok;
}

static size_t on_header(char *data, size_t size, size_t n, void *user)
{
    http_xfer *x = user;
    size_t len = size * n;
    x->header_bytes += len;
    if (x->header_bytes > HTTP_MAX_HEADER_BYTES) {
        x->headers_over = true;
        return 0;
    }
    if (len >= 5 && memcmp(data, "HTTP/", 5) == 0) { /* a new response head */
        json_object_clear(x->headers);
        free(x->location);
        x->location = NULL;
        return len;
    }
    while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r')) len--;
    if (!add_header(x, data, len)) {
        x->oom = true;
        return 0;
    }
    return size * n;
}

static int on_progress(void *user, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    http_xfer *x = user;
    (void)dt, (void)dn, (void)ut, (void)un;
    if (x->stop && x->stop(x->stop_user)) {
        x->stopped = true;
        return 1;
    }
    return 0;
}

/* ---- One hop ------------------------------------------------------------ */

static struct curl_slist *build_headers(const http_req *rq, bool with_body, bool *oom)
{
    struct curl_slist *list = NULL, *t;
    bool has_type = false, has_expect = false;
    const char *name;
    json_t *v;
    *oom = false;
    if (rq->headers) {
        json_object_foreach(rq->headers, name, v) {
            if (rq->drop_credentials &&
                (!strcasecmp(name, "authorization") || !strcasecmp(name, "cookie") ||
                 !strcasecmp(name, "proxy-authorization")))
                continue;
            has_type |= !strcasecmp(name, "content-type");
            has_expect |= !strcasecmp(name, "expect");
            const char *s = json_string_value(v);
            /* "Name;" is curl's way to send a header with an empty value. */
            char *line = s[0] ? malloc(strlen(name) + strlen(s) + 3) : malloc(strlen(name) + 2);
            if (!line) goto oom;
            if (s[0]) sprintf(line, "%s: %s", name, s);
            else sprintf(line, "%s;", name);
            t = CURL_API->slist_append(list, line);
            free(line);
            if (!t) goto oom;
            list = t;
        }
    }
    /* No "Expect: 100-continue" round trip, no form content type by default. */
    if (!has_expect) {
        if (!(t = CURL_API->slist_append(list, "Expect:"))) goto oom;
        list = t;
    }
    if (with_body && !has_type) {
        if (!(t = CURL_API->slist_append(list, "Content-Type:"))) goto oom;
        list = t;
    }
    return list;
oom:
    CURL_API->slist_free_all(list);
    *oom = true;
    return NULL;
}

/* Sets up the easy handle for one hop to the URL in u. */
static bool setup_hop(CURL *c, CURLU *u, const http_req *rq, http_xfer *x,
                      struct curl_slist *headers, char *errbuf)
{
    bool ok = true;
    CURL_API->easy_reset(c);
#define SET(opt, val) ok &= CURL_API->easy_setopt(c, opt, val) == CURLE_OK
    SET(CURLOPT_CURLU, u);
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_FOLLOWLOCATION, 0L);
    SET(CURLOPT_PROXY, "");
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_CONNECTTIMEOUT, HTTP_CONNECT_TIMEOUT_S);
    SET(CURLOPT_ERRORBUFFER, errbuf);
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_WRITEDATA, x);
    SET(CURLOPT_HEADERFUNCTION, on_header);
    SET(CURLOPT_HEADERDATA, x);
    SET(CURLOPT_HTTPHEADER, headers);
    if (x->stop) {
        SET(CURLOPT_XFERINFOFUNCTION, on_progress);
        SET(CURLOPT_XFERINFODATA, x);
        SET(CURLOPT_NOPROGRESS, 0L);
    }
    /* Refuse a too long body up front when its length is announced (0
       would mean no limit to curl; the write callback handles that). */
    if (x->max > 0 && x->max < (uint64_t)INT64_MAX)
        SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)x->max);
    if (!strcmp(rq->method, "GET")) {
        SET(CURLOPT_HTTPGET, 1L);
    } else if (!strcmp(rq->method, "HEAD")) {
        SET(CURLOPT_NOBODY, 1L);
    } else {
        if (strcmp(rq->method, "POST")) SET(CURLOPT_CUSTOMREQUEST, rq->method);
        SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)rq->body_len);
        SET(CURLOPT_POSTFIELDS, rq->body ? (const char *)rq->body : "");
    }
#undef SET
    return ok;
}

static void xfer_reset(http_xfer *x)
{
    free(x->body);
    x->body = NULL;
    x->len = x->cap = 0;
    x->header_bytes = 0;
    free(x->location);
    x->location = NULL;
    json_object_clear(x->headers);
}

/* The guard's decision on rq->url; on success *out is curl's parse of it. */
static bool check_hop(guard *g, const char *who, const http_req *rq, int hop, CURLU **out,
                      ext_http_result *r)
{
    char rule[GUARD_RULE_MAX];
    char *host = NULL;
    CURLU *u = CURL_API->url();
    CURLUcode uc = CURLUE_OUT_OF_MEMORY;
    if (u) uc = CURL_API->url_set(u, CURLUPART_URL, rq->url, 0);
    if (uc == CURLUE_OK) uc = CURL_API->url_get(u, CURLUPART_HOST, &host, 0);
    bool allowed = guard_http_client(g, who, rq->method, rq->url, uc == CURLUE_OK ? host : NULL,
                                     rule);
    CURL_API->free(host);
    if (!allowed) {
        const char *what = hop ? "redirect" : "request";
        CURL_API->url_cleanup(u);
        if (uc != CURLUE_OK)
            return fail(r, EXT_HTTP_DENIED, "HTTP %s to %.*s denied: %s (curl: %s)", what,
                        HTTP_URL_SHOWN, rq->url, rule, CURL_API->url_strerror(uc));
        return fail(r, EXT_HTTP_DENIED, "HTTP %s to %.*s denied: %s", what, HTTP_URL_SHOWN,
                    rq->url, rule);
    }
    *out = u;
    return true;
}

/* One request to rq->url (decided by the guard); x gets the response. */
static bool do_hop(CURL *c, guard *g, const char *who, const http_req *rq, int hop,
                   http_xfer *x, CURLU **u, ext_http_result *r)
{
    char errbuf[CURL_ERROR_SIZE] = "";
    bool oom, with_body = strcmp(rq->method, "GET") && strcmp(rq->method, "HEAD");
    xfer_reset(x);
    if (!check_hop(g, who, rq, hop, u, r)) return false;
    struct curl_slist *headers = build_headers(rq, with_body, &oom);
    if (oom) return fail(r, EXT_HTTP_FAILED, "HTTP request: out of memory");
    if (!setup_hop(c, *u, rq, x, headers, errbuf)) {
        CURL_API->slist_free_all(headers);
        return fail(r, EXT_HTTP_FAILED, "HTTP request: curl lacks a needed option");
    }
    CURLcode rc = CURL_API->easy_perform(c);
    long status = 0;
    CURL_API->easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    r->status = (int)status;
    CURL_API->slist_free_all(headers);
    if (x->over || rc == CURLE_FILESIZE_EXCEEDED)
        return fail(r, EXT_HTTP_LIMIT,
                    "HTTP response exceeds the limit of %llu bytes (max_http_response_bytes)",
                    (unsigned long long)x->max);
    if (x->headers_over)
        return fail(r, EXT_HTTP_LIMIT, "HTTP response headers exceed the limit of %u bytes",
                    HTTP_MAX_HEADER_BYTES);
    if (x->stopped)
        return fail(r, EXT_HTTP_INTERRUPTED, "HTTP request to %.*s interrupted", HTTP_URL_SHOWN,
                    rq->url);
    if (x->oom) return fail(r, EXT_HTTP_FAILED, "HTTP request: out of memory");
    if (rc != CURLE_OK)
        return fail(r, EXT_HTTP_FAILED, "HTTP request to %.*s failed: %s", HTTP_URL_SHOWN,
                    rq->url, errbuf[0] ? errbuf : CURL_API->easy_strerror(rc));
    return true;
}

/* ---- Redirects ---------------------------------------------------------- */

static bool is_redirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

/* Whether two parsed URLs have the same scheme, host and port. */
static bool same_origin(CURLU *a, CURLU *b)
{
    static const CURLUPart parts[] = {CURLUPART_SCHEME, CURLUPART_HOST, CURLUPART_PORT};
    bool same = true;
    for (size_t i = 0; i < 3 && same; i++) {
        char *x = NULL, *y = NULL;
        same = CURL_API->url_get(a, parts[i], &x, CURLU_DEFAULT_PORT) == CURLUE_OK &&
               CURL_API->url_get(b, parts[i], &y, CURLU_DEFAULT_PORT) == CURLUE_OK &&
               strcasecmp(x, y) == 0;
        CURL_API->free(x);
        CURL_API->free(y);
    }
    return same;
}

/* Turns rq into the request the redirect of x (from the URL in u) asks for. */
static bool follow(http_req *rq, CURLU *u, const http_xfer *x, int status, ext_http_result *r)
{
    CURLU *next = CURL_API->url_dup(u);
    char *url = NULL;
    CURLUcode uc = next ? CURL_API->url_set(next, CURLUPART_URL, x->location, CURLU_NON_SUPPORT_SCHEME)
                        : CURLUE_OUT_OF_MEMORY;
    if (uc == CURLUE_OK) uc = CURL_API->url_get(next, CURLUPART_URL, &url, 0);
    if (uc != CURLUE_OK) {
        /* Hand the Location as it came to the guard, which denies it. */
        url = NULL;
        free(rq->url);
        rq->url = strdup(x->location);
    } else {
        free(rq->url);
        rq->url = strdup(url);
        if (!same_origin(u, next)) rq->drop_credentials = true;
    }
    CURL_API->free(url);
    CURL_API->url_cleanup(next);
    if (!rq->url) return fail(r, EXT_HTTP_FAILED, "HTTP request: out of memory");
    if (status == 303 || ((status == 301 || status == 302) && !strcmp(rq->method, "POST"))) {
        if (strcmp(rq->method, "HEAD")) strcpy(rq->method, "GET");
        rq->body = NULL;
        rq->body_len = 0;
    }
    return true;
}

/* ---- The request -------------------------------------------------------- */

static bool run(CURL *c, guard *g, const char *who, http_req *rq, http_xfer *x,
                ext_http_result *r)
{
    for (int hop = 0;; hop++) {
        CURLU *u = NULL;
        bool ok = do_hop(c, g, who, rq, hop, x, &u, r);
        if (ok && is_redirect(r->status) && x->location) {
            if (hop == HTTP_MAX_REDIRECTS)
                ok = fail(r, EXT_HTTP_FAILED, "HTTP request: more than %d redirects",
                          HTTP_MAX_REDIRECTS);
            else if (follow(rq, u, x, r->status, r)) {
                CURL_API->url_cleanup(u);
                continue;
            } else {
                ok = false;
            }
        }
        CURL_API->url_cleanup(u);
        return ok;
    }
}

bool ext_http_do_until(guard *g, const char *who, const char *req_json, size_t req_len,
                       const uint8_t *body, size_t body_len, uint64_t max_response,
                       ext_http_stop_fn stop, void *stop_user, ext_http_result *r)
{
    http_req rq = {.body = body, .body_len = body_len};
    http_xfer x = {.max = max_response, .stop = stop, .stop_user = stop_user};
    json_t *root = NULL;
    CURL *c = NULL;
    bool ok = false;
    memset(r, 0, sizeof *r);
    const char *why = NULL;
    if (!ext_curl_load(&why)) {
        fail(r, EXT_HTTP_FAILED, "HTTP request: %s", why);
        goto done;
    }
    if (!parse_request(req_json, req_len, &rq, &root, r)) goto done;
    x.headers = json_object();
    c = CURL_API->easy_init();
    if (!x.headers || !c) {
        fail(r, EXT_HTTP_FAILED, "HTTP request: out of memory");
        goto done;
    }
    ok = run(c, g, who, &rq, &x, r);
    if (!ok) r->status = 0;
    if (ok) {
        r->headers_json = json_dumps(x.headers, JSON_COMPACT);
        if (!r->headers_json) ok = fail(r, EXT_HTTP_FAILED, "HTTP request: out of memory");
    }
    if (ok) {
        r->body = x.body;
        r->len = x.len;
        x.body = NULL;
    }
done:
    if (c) CURL_API->easy_cleanup(c);
    free(x.body);
    free(x.location);
    json_decref(x.headers);
    json_decref(root);
    free(rq.url);
    return ok;
}

bool ext_http_do(guard *g, const char *who, const char *req_json, size_t req_len,
                 const uint8_t *body, size_t body_len, uint64_t max_response,
                 ext_http_result *result)
{
    return ext_http_do_until(g, who, req_json, req_len, body, body_len, max_response, NULL,
                             NULL, result);
}

void ext_http_result_free(ext_http_result *r)
{
    if (!r) return;
    free(r->body);
    free(r->headers_json);
    r->body = NULL;
    r->headers_json = NULL;
    r->len = 0;
}
