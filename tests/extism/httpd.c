/*
 * httpd.c - a tiny HTTP/1.1 server for the tests of the guard and of
 * plugins' HTTP requests.  Standalone (no project code):
 *   cc -std=c11 -D_GNU_SOURCE -O2 -o build/tests/extism/httpd tests/extism/httpd.c
 *
 * `httpd PORTFILE [ADDR]` listens on ADDR (127.0.0.1 by default) on an
 * ephemeral port, writes the port number to PORTFILE (atomically, by a
 * rename, so a test may poll for the file), and serves one request per
 * connection, one connection at a time, until it is killed or 120 s have
 * passed.  Routes:
 *   GET  /hello                  200 "hello from httpd"
 *   GET  /big?n=N[&nolen=1]      200, N bytes of 'x' (nolen: no
 *                                Content-Length, the end is the close)
 *   GET  /redirect?to=URL[&code=C]  C (302) with Location: URL (URL is
 *                                percent-decoded)
 *   POST /echo                   200, the request body
 *   GET  /headers                200, the request's header lines as text
 *   GET  /status?code=C          C, body "status C"
 *   GET  /stats                  200, {"connections":N,"paths":{"/hello":1,...}}
 *   GET  /file/NAME?path=P[&cut=N]  200, the bytes of the local file P (404
 *                                when it cannot be read); cut: the full
 *                                Content-Length but only N bytes, then the
 *                                close (a server that stops mid-transfer).
 *                                NAME is free: the URL's last segment
 * Every accepted connection is counted, by the path of its request
 * ("-" when none came); requests for /stats are not, so a test can show
 * that no connection at all was made to a server.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define LIFETIME_S 120
#define REQ_MAX (64 * 1024)
#define BODY_MAX (16 * 1024 * 1024)
#define NPATHS 64

static struct {
    char path[64];
    unsigned long count;
} paths[NPATHS];
static unsigned long connections;

static void count(const char *path)
{
    connections++;
    for (int i = 0; i < NPATHS; i++) {
        if (paths[i].path[0] == 0) snprintf(paths[i].path, sizeof paths[i].path, "%s", path);
        if (strncmp(paths[i].path, path, sizeof paths[i].path - 1) == 0) {
            paths[i].count++;
            return;
        }
    }
}

static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static void respond(int fd, int code, const char *extra, const void *body, size_t len)
{
    char head[1024];
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 %d X\r\nContent-Length: %zu\r\nConnection: close\r\n%s\r\n",
                     code, len, extra ? extra : "");
    if (write_all(fd, head, (size_t)n) == 0 && len > 0) write_all(fd, body, len);
}

/* The value of query parameter `name` in q (percent-decoded), or NULL. */
static char *query_param(const char *q, const char *name, char *out, size_t cap)
{
    size_t nl = strlen(name);
    while (q && *q) {
        if (strncmp(q, name, nl) == 0 && q[nl] == '=') {
            const char *v = q + nl + 1;
            size_t o = 0;
            for (; *v && *v != '&' && o + 1 < cap; v++) {
                unsigned int c;
                if (*v == '%' && sscanf(v + 1, "%2x", &c) == 1) {
                    out[o++] = (char)c;
                    v += 2;
                } else {
                    out[o++] = *v == '+' ? ' ' : *v;
                }
            }
            out[o] = 0;
            return out;
        }
        q = strchr(q, '&');
        if (q) q++;
    }
    return NULL;
}

static void send_big(int fd, unsigned long n, int nolen)
{
    char head[256], chunk[8192];
    int h = nolen ? snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")
                  : snprintf(head, sizeof head,
                             "HTTP/1.1 200 OK\r\nContent-Length: %lu\r\nConnection: close\r\n\r\n",
                             n);
    memset(chunk, 'x', sizeof chunk);
    if (write_all(fd, head, (size_t)h) < 0) return;
    while (n > 0) {
        size_t k = n < sizeof chunk ? n : sizeof chunk;
        if (write_all(fd, chunk, k) < 0) return;
        n -= k;
    }
}

static void send_file(int fd, const char *path, const char *cut)
{
    static char data[BODY_MAX];
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(data, 1, sizeof data, f) : 0;
    if (!f || ferror(f)) {
        if (f) fclose(f);
        respond(fd, 404, NULL, "not found", 9);
        return;
    }
    fclose(f);
    char head[256];
    int h = snprintf(head, sizeof head,
                     "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n", n);
    size_t send_n = cut && strtoul(cut, NULL, 10) < n ? strtoul(cut, NULL, 10) : n;
    if (write_all(fd, head, (size_t)h) == 0) write_all(fd, data, send_n);
}

static void send_stats(int fd)
{
    static char body[NPATHS * 96 + 64];
    size_t o = (size_t)snprintf(body, sizeof body, "{\"connections\":%lu,\"paths\":{", connections);
    for (int i = 0; i < NPATHS && paths[i].path[0]; i++)
        o += (size_t)snprintf(body + o, sizeof body - o, "%s\"%s\":%lu", i ? "," : "",
                              paths[i].path, paths[i].count);
    o += (size_t)snprintf(body + o, sizeof body - o, "}}");
    respond(fd, 200, "Content-Type: application/json\r\n", body, o);
}

/* Reads the head, then Content-Length bytes of body; *body points into buf. */
static ssize_t read_request(int fd, char *buf, size_t cap, char **body, size_t *blen)
{
    size_t got = 0;
    char *end = NULL;
    while (!end) {
        if (got + 1 >= cap) return -1;
        ssize_t n = recv(fd, buf + got, cap - 1 - got, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        got += (size_t)n;
        buf[got] = 0;
        end = strstr(buf, "\r\n\r\n");
    }
    size_t head = (size_t)(end + 4 - buf), want = 0;
    const char *cl = strcasestr(buf, "\r\ncontent-length:");
    if (cl && cl < end) want = strtoul(cl + 17, NULL, 10);
    if (want > cap - 1 - head) return -1;
    while (got < head + want) {
        ssize_t n = recv(fd, buf + got, head + want - got, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        got += (size_t)n;
    }
    *body = buf + head;
    *blen = want;
    return (ssize_t)head;
}

static void serve(int fd, char *buf)
{
    char *body, method[16], target[4096], val[4096], extra[4200];
    size_t blen;
    ssize_t head = read_request(fd, buf, BODY_MAX + REQ_MAX, &body, &blen);
    if (head < 0 || sscanf(buf, "%15s %4095s", method, target) != 2) {
        count("-");
        return;
    }
    char *q = strchr(target, '?');
    if (q) *q++ = 0;
    if (strcmp(target, "/stats") == 0) {
        send_stats(fd);
        return;
    }
    count(target);
    if (strcmp(target, "/hello") == 0) {
        respond(fd, 200, "Content-Type: text/plain\r\n", "hello from httpd", 16);
    } else if (strcmp(target, "/big") == 0) {
        unsigned long n = query_param(q, "n", val, sizeof val) ? strtoul(val, NULL, 10) : 0;
        send_big(fd, n, query_param(q, "nolen", val, sizeof val) != NULL);
    } else if (strcmp(target, "/redirect") == 0 && query_param(q, "to", val, sizeof val)) {
        char code[16];
        int c = query_param(q, "code", code, sizeof code) ? atoi(code) : 302;
        snprintf(extra, sizeof extra, "Location: %s\r\n", val);
        respond(fd, c, extra, "", 0);
    } else if (strncmp(target, "/file/", 6) == 0 && query_param(q, "path", val, sizeof val)) {
        char cut[32];
        send_file(fd, val, query_param(q, "cut", cut, sizeof cut));
    } else if (strcmp(target, "/echo") == 0) {
        respond(fd, 200, NULL, body, blen);
    } else if (strcmp(target, "/headers") == 0) {
        char *start = strstr(buf, "\r\n") + 2;
        respond(fd, 200, "Content-Type: text/plain\r\n", start, (size_t)(buf + head - start));
    } else if (strcmp(target, "/status") == 0 && query_param(q, "code", val, sizeof val)) {
        char text[32];
        int n = snprintf(text, sizeof text, "status %d", atoi(val));
        respond(fd, atoi(val), NULL, text, (size_t)n);
    } else {
        respond(fd, 404, NULL, "not found", 9);
    }
}

static int listen_on(const char *addr, const char *portfile)
{
    struct sockaddr_in sa = {.sin_family = AF_INET};
    socklen_t sl = sizeof sa;
    int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    if (s < 0 || inet_pton(AF_INET, addr, &sa.sin_addr) != 1) return -1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(s, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(s, 64) < 0 ||
        getsockname(s, (struct sockaddr *)&sa, &sl) < 0)
        return -1;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", portfile);
    FILE *f = fopen(tmp, "w");
    if (!f) return -1;
    fprintf(f, "%d\n", ntohs(sa.sin_port));
    if (fclose(f) != 0 || rename(tmp, portfile) != 0) return -1;
    return s;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: httpd PORTFILE [ADDR]\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    alarm(LIFETIME_S); /* SIGALRM's default action ends the process */
    int s = listen_on(argc == 3 ? argv[2] : "127.0.0.1", argv[1]);
    if (s < 0) {
        perror("httpd");
        return 1;
    }
    char *buf = malloc(BODY_MAX + REQ_MAX);
    if (!buf) return 1;
    for (;;) {
        int fd = accept(s, NULL, NULL);
        if (fd < 0) {
            if (errno == EINTR) continue;
            perror("httpd: accept");
            return 1;
        }
        struct timeval tv = {.tv_sec = 5};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        serve(fd, buf);
        shutdown(fd, SHUT_WR);
        close(fd);
    }
}
