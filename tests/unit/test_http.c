/*
 * test_http.c - plugins' HTTP requests (src/extism/http.c) against canned
 * servers on 127.0.0.1 run by threads of the test: the guard decides
 * before any connection (a denied host, also one reached by a redirect,
 * sees no connection at all: its listening socket has nothing queued),
 * redirects are followed hop by hop, the response is capped, the request
 * object is checked, a stop function ends a hanging request.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "extism/http.h"
#include "test.h"
#include "util.h"

#define CAP (1u << 20)

/* A listening socket on 127.0.0.1 and, when started, a thread giving
   each of up to `serve` connections the next of its responses. */
typedef struct canned {
    int fd, port;
    const char *responses[16];
    int nresponses, serve, served;
    char requests[16][2048];       /* what each connection sent (the head, then the body) */
    pthread_t thread;
    bool started;
    atomic_int stop;
} canned;

static bool canned_listen(canned *c)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t sl = sizeof sa;
    memset(c, 0, sizeof *c);
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (!CHECK(c->fd >= 0)) return false;
    if (!CHECK(bind(c->fd, (struct sockaddr *)&sa, sizeof sa) == 0 && listen(c->fd, 16) == 0 &&
               getsockname(c->fd, (struct sockaddr *)&sa, &sl) == 0)) {
        close(c->fd);
        return false;
    }
    c->port = ntohs(sa.sin_port);
    return true;
}

/* Whether a connection is waiting to be accepted. */
static bool canned_pending(const canned *c)
{
    struct pollfd p = {.fd = c->fd, .events = POLLIN};
    return poll(&p, 1, 50) > 0;
}

static void read_request(int fd, char *buf, size_t cap)
{
    size_t got = 0, want = 0;
    char *end = NULL;
    while (got + 1 < cap) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 2000) <= 0) break;
        ssize_t n = recv(fd, buf + got, cap - 1 - got, 0);
        if (n <= 0) break;
        got += (size_t)n;
        buf[got] = 0;
        if (!end && (end = strstr(buf, "\r\n\r\n"))) {
            const char *cl = strcasestr(buf, "\r\ncontent-length:");
            want = (size_t)(end + 4 - buf) + (cl && cl < end ? strtoul(cl + 17, NULL, 10) : 0);
        }
        if (end && got >= want) break;
    }
    buf[got] = 0;
}

static void *canned_run(void *p)
{
    canned *c = p;
    while (c->served < c->serve && !atomic_load(&c->stop)) {
        struct pollfd pf = {.fd = c->fd, .events = POLLIN};
        if (poll(&pf, 1, 50) <= 0) continue;
        int fd = accept(c->fd, NULL, NULL);
        if (fd < 0) continue;
        int i = c->served < 16 ? c->served : 15;
        read_request(fd, c->requests[i], sizeof c->requests[i]);
        const char *r = c->responses[c->served < c->nresponses ? c->served : c->nresponses - 1];
        size_t off = 0, len = strlen(r);
        while (off < len) {
            ssize_t n = send(fd, r + off, len - off, MSG_NOSIGNAL);
            if (n <= 0) break;
            off += (size_t)n;
        }
        shutdown(fd, SHUT_WR);
        close(fd);
        c->served++;
    }
    return NULL;
}

static void canned_start(canned *c, int serve)
{
    c->serve = serve;
    c->started = pthread_create(&c->thread, NULL, canned_run, c) == 0;
    CHECK(c->started);
}

static void canned_stop(canned *c)
{
    atomic_store(&c->stop, 1);
    if (c->started) pthread_join(c->thread, NULL);
    c->started = false;
    close(c->fd);
}

/* Audit events, collected. */
typedef struct events {
    char line[16][1024];
    int n;
} events;

static void collect(void *user, const char *json)
{
    events *e = user;
    if (e->n < 16) snprintf(e->line[e->n++], sizeof e->line[0], "%s", json);
}

static guard *guard_for(const char *pattern, events *e)
{
    const char *hosts[] = {pattern};
    return guard_new(hosts, pattern ? 1 : 0, NULL, e ? collect : NULL, e);
}

static bool get(guard *g, const char *url, uint64_t cap, ext_http_result *r)
{
    char req[512];
    snprintf(req, sizeof req, "{\"url\":\"%s\"}", url);
    return ext_http_do(g, "test", req, strlen(req), NULL, 0, cap, r);
}

/* ---- Tests -------------------------------------------------------------- */

TEST(test_http_allowed_host_succeeds)
{
    canned s;
    REQUIRE(canned_listen(&s));
    s.responses[0] = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Test: a\r\nX-TEST: b\r\n"
                     "Connection: close\r\n\r\nhello";
    s.nresponses = 1;
    canned_start(&s, 1);
    events e = {0};
    guard *g = guard_for("127.0.0.1", &e);
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/hello", s.port);
    ext_http_result r;
    bool ok = get(g, url, CAP, &r);
    CHECK(ok);
    if (!ok) printf("  error: %s\n", r.error);
    CHECK_EQ(r.failure, EXT_HTTP_OK);
    CHECK_EQ(r.status, 200);
    CHECK(r.len == 5 && memcmp(r.body, "hello", 5) == 0);
    CHECK(r.headers_json && strstr(r.headers_json, "\"x-test\":\"a, b\""));
    CHECK_HAS(s.requests[0], "GET /hello HTTP/1.1\r\n");
    CHECK_EQ(e.n, 1);
    CHECK_HAS(e.line[0], "\"allowed\":true,\"rule\":\"allowed_hosts: 127.0.0.1\"");
    ext_http_result_free(&r);
    guard_free(g);
    canned_stop(&s);
}

TEST(test_http_denied_host_makes_no_connection)
{
    canned s;
    REQUIRE(canned_listen(&s));
    events e = {0};
    guard *g = guard_for("127.0.0.1", &e);
    char url[128], want[256];
    /* localhost reaches the same socket, but is not in allowed_hosts. */
    snprintf(url, sizeof url, "http://localhost:%d/hello", s.port);
    ext_http_result r;
    CHECK(!get(g, url, CAP, &r));
    CHECK_EQ(r.failure, EXT_HTTP_DENIED);
    snprintf(want, sizeof want, "HTTP request to %s denied: not in allowed_hosts", url);
    CHECK(strcmp(r.error, want) == 0);
    CHECK_EQ(r.status, 0);
    CHECK(!canned_pending(&s));
    CHECK_EQ(e.n, 1);
    CHECK_HAS(e.line[0], "\"allowed\":false,\"rule\":\"not in allowed_hosts\"");
    guard_free(g);

    /* The control: allowed, the same URL does reach the server. */
    s.responses[0] = "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n";
    s.nresponses = 1;
    canned_start(&s, 1);
    g = guard_for("localhost", NULL);
    CHECK(get(g, url, CAP, &r));
    CHECK_EQ(r.status, 204);
    CHECK_EQ(r.len, 0);
    ext_http_result_free(&r);
    guard_free(g);
    canned_stop(&s);
    CHECK_EQ(s.served, 1);
}

TEST(test_http_redirect_to_denied_host_is_refused)
{
    canned a, b;
    REQUIRE(canned_listen(&a));
    REQUIRE(canned_listen(&b));
    char resp[256], url[128];
    snprintf(resp, sizeof resp,
             "HTTP/1.1 302 Found\r\nLocation: http://localhost:%d/secret\r\n"
             "Content-Length: 0\r\nConnection: close\r\n\r\n", b.port);
    a.responses[0] = resp;
    a.nresponses = 1;
    canned_start(&a, 1);
    events e = {0};
    guard *g = guard_for("127.0.0.1", &e);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/start", a.port);
    ext_http_result r;
    CHECK(!get(g, url, CAP, &r));
    CHECK_HAS(r.error, "/secret denied: not in allowed_hosts");
    CHECK_EQ(a.served, 1);
    CHECK(!canned_pending(&b));
    CHECK_EQ(e.n, 2);
    CHECK_HAS(e.line[0], "\"allowed\":true");
    CHECK_HAS(e.line[1], "/secret\",\"allowed\":false,\"rule\":\"not in allowed_hosts\"");
    guard_free(g);
    canned_stop(&a);
    canned_stop(&b);
}

TEST(test_http_redirect_to_other_scheme_is_refused)
{
    canned a;
    REQUIRE(canned_listen(&a));
    a.responses[0] = "HTTP/1.1 301 Moved\r\nLocation: file:///etc/passwd\r\n"
                     "Content-Length: 0\r\n\r\n";
    a.nresponses = 1;
    canned_start(&a, 1);
    guard *g = guard_for("*", NULL);
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", a.port);
    ext_http_result r;
    CHECK(!get(g, url, CAP, &r));
    CHECK_HAS(r.error, "denied: scheme file is not http or https");
    guard_free(g);
    canned_stop(&a);
}

TEST(test_http_redirects_are_followed_hop_by_hop)
{
    canned a, b;
    REQUIRE(canned_listen(&a));
    REQUIRE(canned_listen(&b));
    char resp[256], url[128], req[512];
    snprintf(resp, sizeof resp,
             "HTTP/1.1 303 See Other\r\nLocation: http://localhost:%d/final?x=1\r\n"
             "Content-Length: 0\r\n\r\n", b.port);
    a.responses[0] = "HTTP/1.1 307 Temporary\r\nLocation: /next\r\nContent-Length: 0\r\n\r\n";
    a.responses[1] = resp;
    a.nresponses = 2;
    b.responses[0] = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone";
    b.nresponses = 1;
    canned_start(&a, 2);
    canned_start(&b, 1);
    const char *hosts[] = {"127.0.0.1", "localhost"};
    events e = {0};
    guard *g = guard_new(hosts, 2, NULL, collect, &e);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/start", a.port);
    snprintf(req, sizeof req,
             "{\"url\":\"%s\",\"method\":\"post\",\"headers\":{\"Authorization\":\"Bearer t\","
             "\"X-Keep\":\"1\"}}", url);
    ext_http_result r;
    bool ok = ext_http_do(g, "test", req, strlen(req), (const uint8_t *)"abc", 3, CAP, &r);
    CHECK(ok);
    if (!ok) printf("  error: %s\n", r.error);
    CHECK_EQ(r.status, 200);
    CHECK(r.len == 4 && memcmp(r.body, "done", 4) == 0);
    /* 307 keeps the method and body; 303 turns them into GET. */
    CHECK_HAS(a.requests[0], "POST /start HTTP/1.1\r\n");
    CHECK_HAS(a.requests[1], "POST /next HTTP/1.1\r\n");
    CHECK_HAS(a.requests[1], "\r\n\r\nabc");
    CHECK_HAS(a.requests[1], "Authorization: Bearer t");
    CHECK_HAS(b.requests[0], "GET /final?x=1 HTTP/1.1\r\n");
    CHECK(strstr(b.requests[0], "Authorization") == NULL);
    CHECK_HAS(b.requests[0], "X-Keep: 1");
    CHECK_EQ(e.n, 3);
    CHECK_HAS(e.line[2], "\"GET http://localhost:");
    ext_http_result_free(&r);
    guard_free(g);
    canned_stop(&a);
    canned_stop(&b);
}

TEST(test_http_redirect_limit)
{
    canned a;
    REQUIRE(canned_listen(&a));
    a.responses[0] = "HTTP/1.1 302 Found\r\nLocation: /again\r\nContent-Length: 0\r\n\r\n";
    a.nresponses = 1;
    canned_start(&a, 12);
    guard *g = guard_for("127.0.0.1", NULL);
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", a.port);
    ext_http_result r;
    CHECK(!get(g, url, CAP, &r));
    CHECK_HAS(r.error, "more than 10 redirects");
    CHECK_EQ(r.failure, EXT_HTTP_FAILED);
    guard_free(g);
    canned_stop(&a);
    CHECK_EQ(a.served, 11);
}

TEST(test_http_response_over_the_cap_fails)
{
    static char with_len[256], without_len[256];
    char body[101];
    memset(body, 'x', 100);
    body[100] = 0;
    snprintf(with_len, sizeof with_len, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n%s", body);
    snprintf(without_len, sizeof without_len, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n%s",
             body);
    canned a;
    REQUIRE(canned_listen(&a));
    a.responses[0] = with_len;
    a.responses[1] = without_len;
    a.responses[2] = with_len;
    a.responses[3] = without_len;
    a.nresponses = 4;
    canned_start(&a, 4);
    events e = {0};
    guard *g = guard_for("127.0.0.1", &e);
    char url[128];
    snprintf(url, sizeof url, "http://u:secret@127.0.0.1:%d/big", a.port);
    ext_http_result r;
    for (int i = 0; i < 2; i++) {
        CHECK(!get(g, url, 99, &r));
        CHECK_EQ(r.failure, EXT_HTTP_LIMIT);
        CHECK(strcmp(r.error, "HTTP response exceeds the limit of 99 bytes "
                              "(max_http_response_bytes)") == 0);
        CHECK(r.body == NULL && r.len == 0);
    }
    /* The guard's decisions only: the caller records the limit. */
    CHECK_EQ(e.n, 2);
    for (int i = 0; i < 2; i++) {
        CHECK(get(g, url, 100, &r));
        CHECK_EQ(r.len, 100);
        ext_http_result_free(&r);
    }
    guard_free(g);
    canned_stop(&a);
}

TEST(test_http_request_body_and_headers)
{
    canned a;
    REQUIRE(canned_listen(&a));
    a.responses[0] = "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok";
    a.responses[1] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    a.nresponses = 2;
    canned_start(&a, 2);
    guard *g = guard_for("127.0.0.1", NULL);
    char req[512];
    snprintf(req, sizeof req,
             "{\"url\":\"http://127.0.0.1:%d/echo\",\"method\":\"PUT\","
             "\"headers\":{\"X-A\":\"1\",\"X-Empty\":\"\"}}", a.port);
    ext_http_result r;
    CHECK(ext_http_do(g, "t", req, strlen(req), (const uint8_t *)"abc", 3, CAP, &r));
    CHECK_EQ(r.status, 201);
    ext_http_result_free(&r);
    CHECK_HAS(a.requests[0], "PUT /echo HTTP/1.1\r\n");
    CHECK_HAS(a.requests[0], "X-A: 1\r\n");
    CHECK_HAS(a.requests[0], "X-Empty:");
    CHECK_HAS(a.requests[0], "Content-Length: 3\r\n");
    CHECK_HAS(a.requests[0], "\r\n\r\nabc");
    CHECK(strcasestr(a.requests[0], "content-type") == NULL);
    CHECK(strcasestr(a.requests[0], "expect") == NULL);
    /* GET sends no body even when one is given. */
    snprintf(req, sizeof req, "{\"url\":\"http://127.0.0.1:%d/g\",\"headers\":null}", a.port);
    CHECK(ext_http_do(g, "t", req, strlen(req), (const uint8_t *)"abc", 3, CAP, &r));
    CHECK(strstr(a.requests[1], "abc") == NULL);
    CHECK_HAS(a.requests[1], "GET /g HTTP/1.1\r\n");
    ext_http_result_free(&r);
    guard_free(g);
    canned_stop(&a);
}

TEST(test_http_bad_request_objects)
{
    static const struct {
        const char *json, *error;
    } cases[] = {
        {"", "invalid JSON"},
        {"{\"url\":", "invalid JSON"},
        {"[]", "not a JSON object"},
        {"{}", "\"url\" must be a string"},
        {"{\"url\":1}", "\"url\" must be a string"},
        {"{\"url\":\"http://a/\\u0000x\"}", "NUL"},
        {"{\"url\":\"http://a/\",\"url\":\"http://b/\"}", "invalid JSON"},
        {"{\"url\":\"http://a/\",\"method\":7}", "\"method\" must be a string"},
        {"{\"url\":\"http://a/\",\"method\":\"GET /x\"}", "bad method"},
        {"{\"url\":\"http://a/\",\"method\":\"\"}", "bad method"},
        {"{\"url\":\"http://a/\",\"headers\":[]}", "\"headers\" must be an object"},
        {"{\"url\":\"http://a/\",\"headers\":{\"a\":1}}", "must be a string"},
        {"{\"url\":\"http://a/\",\"headers\":{\"a b\":\"1\"}}", "bad header name"},
        {"{\"url\":\"http://a/\",\"headers\":{\"a\":\"1\\r\\nHost: b\"}}", "CR, LF or NUL"},
        {"{\"url\":\"ftp://a/\"}", "denied: scheme ftp is not http or https"},
        {"{\"url\":\"http://a/\"}", "denied: no allowed_hosts"},
    };
    guard *g = guard_new(NULL, 0, NULL, NULL, NULL);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ext_http_result r;
        bool ok = ext_http_do(g, "t", cases[i].json, strlen(cases[i].json), NULL, 0, CAP, &r);
        CHECK(!ok);
        CHECK_EQ(r.failure, strstr(cases[i].error, "denied") ? EXT_HTTP_DENIED
                                                             : EXT_HTTP_BAD_REQUEST);
        if (!CHECK(strstr(r.error, cases[i].error) != NULL))
            printf("  %s: got \"%s\"\n", cases[i].json, r.error);
        CHECK(r.body == NULL && r.headers_json == NULL);
    }
    guard_free(g);
}

static bool stop_after(void *user)
{
    return unit_now_ms() > *(double *)user;
}

TEST(test_http_stop_function_ends_a_hanging_request)
{
    canned a; /* accepts nothing: the connection waits in the backlog, unanswered */
    REQUIRE(canned_listen(&a));
    guard *g = guard_for("127.0.0.1", NULL);
    char req[256];
    snprintf(req, sizeof req, "{\"url\":\"http://127.0.0.1:%d/\"}", a.port);
    double t0 = unit_now_ms(), until = t0 + 200;
    ext_http_result r;
    CHECK(!ext_http_do_until(g, "t", req, strlen(req), NULL, 0, CAP, stop_after, &until, &r));
    CHECK_HAS(r.error, "interrupted");
    CHECK_EQ(r.failure, EXT_HTTP_INTERRUPTED);
    CHECK(unit_now_ms() - t0 < 2000 * UNIT_SLOW);
    guard_free(g);
    canned_stop(&a);
}
