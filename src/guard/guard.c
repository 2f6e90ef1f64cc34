/*
 * guard.c - the policy object and its decisions (guard.h), and the audit
 * events every decision and every recorded decision turns into.
 *
 * An event is one JSON object on one line:
 *   {"time":"2026-11-24T23:59:59.123Z","plugin":"p","kind":"http",
 *    "what":"GET https://host/path","allowed":true,"rule":"allowed_hosts: host"}
 * Strings are escaped here: '"', '\\' and control characters (as \u00XX,
 * or \n \t ... for the common ones); bytes of valid UTF-8 pass through,
 * any other byte >= 0x80 is escaped as \u00XX, so the line is always
 * valid JSON and valid UTF-8.  A password in a URL is written as "***".
 *
 * The patterns are copied at creation and never change, so decisions need
 * no lock; the mutex orders the writes of events (file and callback).
 */
#include "guard/internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct guard {
    char **hosts;
    size_t nhosts;
    FILE *file;
    guard_audit_fn fn;
    void *user;
    pthread_mutex_t mu;
};

/* ---- A growing string --------------------------------------------------- */

typedef struct gbuf {
    char *p;
    size_t len, cap;
    bool oom;
} gbuf;

static void gb_put(gbuf *b, const char *s, size_t n)
{
    if (b->oom) return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1) cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

static void gb_puts(gbuf *b, const char *s) { gb_put(b, s, strlen(s)); }

/* The length of the valid UTF-8 sequence at s (1 for ASCII), 0 when the
   bytes there are no valid UTF-8 (overlong forms, surrogates and code
   points above U+10FFFF are not).  Stops at the terminating 0. */
static size_t utf8_seq(const unsigned char *s)
{
    unsigned char c = s[0];
    unsigned char lo = 0x80, hi = 0xBF;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) return (s[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
        return s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
        return s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80
                   ? 4 : 0;
    }
    return 0;
}

/* s as a JSON string, quotes included; NULL is written as "". */
static void gb_json_string(gbuf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    gb_put(b, "\"", 1);
    while (*p) {
        size_t run = 0;
        while (p[run] >= 0x20 && p[run] != '"' && p[run] != '\\' && p[run] != 0x7f) {
            size_t n = utf8_seq(p + run);
            if (n == 0) break;
            run += n;
        }
        gb_put(b, (const char *)p, run);
        p += run;
        if (!*p) break;
        const char *esc = NULL;
        switch (*p) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default: break;
        }
        if (esc) {
            gb_puts(b, esc);
        } else {
            char u[7] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15], 0};
            gb_puts(b, u);
        }
        p++;
    }
    gb_put(b, "\"", 1);
}

/* ---- Events ------------------------------------------------------------ */

static void gb_time(gbuf *b)
{
    struct timespec ts;
    struct tm tm;
    char t[40];
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(t, sizeof t, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(t + n, sizeof t - n, ".%03dZ", (int)(ts.tv_nsec / 1000000));
    gb_json_string(b, t);
}

static void emit(guard *g, const char *who, const char *kind, const char *what, bool allowed,
                 const char *rule)
{
    gbuf b = {0};
    gb_puts(&b, "{\"time\":");
    gb_time(&b);
    gb_puts(&b, ",\"plugin\":");
    gb_json_string(&b, who);
    gb_puts(&b, ",\"kind\":");
    gb_json_string(&b, kind);
    gb_puts(&b, ",\"what\":");
    gb_json_string(&b, what);
    gb_puts(&b, allowed ? ",\"allowed\":true,\"rule\":" : ",\"allowed\":false,\"rule\":");
    gb_json_string(&b, rule);
    gb_puts(&b, "}");
    /* Out of memory: still say that something was decided. */
    const char *line = b.oom ? (allowed ? "{\"kind\":\"audit\",\"allowed\":true,"
                                          "\"rule\":\"event lost: out of memory\"}"
                                        : "{\"kind\":\"audit\",\"allowed\":false,"
                                          "\"rule\":\"event lost: out of memory\"}")
                             : b.p;
    pthread_mutex_lock(&g->mu);
    if (g->file) {
        fputs(line, g->file);
        fputc('\n', g->file);
        fflush(g->file);
    }
    if (g->fn) g->fn(g->user, line);
    pthread_mutex_unlock(&g->mu);
    free(b.p);
}

void guard_record(guard *g, const char *who, const char *kind, const char *what,
                  bool allowed, const char *rule)
{
    if (g) emit(g, who, kind, what, allowed, rule);
}

/* ---- The guard ---------------------------------------------------------- */

guard *guard_new(const char *const *hosts, size_t nhosts, FILE *audit_file,
                 guard_audit_fn audit, void *audit_user)
{
    guard *g = calloc(1, sizeof *g);
    if (!g) return NULL;
    if (nhosts > 0 && hosts) {
        g->hosts = calloc(nhosts, sizeof *g->hosts);
        if (!g->hosts) goto fail;
        for (size_t i = 0; i < nhosts; i++) {
            if (!hosts[i]) continue;
            g->hosts[g->nhosts] = strdup(hosts[i]);
            if (!g->hosts[g->nhosts]) goto fail;
            g->nhosts++;
        }
    }
    if (pthread_mutex_init(&g->mu, NULL) != 0) goto fail;
    g->file = audit_file;
    g->fn = audit;
    g->user = audit_user;
    return g;
fail:
    for (size_t i = 0; i < g->nhosts; i++) free(g->hosts[i]);
    free(g->hosts);
    free(g);
    return NULL;
}

void guard_free(guard *g)
{
    if (!g) return;
    pthread_mutex_destroy(&g->mu);
    for (size_t i = 0; i < g->nhosts; i++) free(g->hosts[i]);
    free(g->hosts);
    free(g);
}

/* "METHOD url" for the record, the password of the URL as "***". */
static char *http_what(const char *method, const char *url, const guard_url *u)
{
    gbuf b = {0};
    gb_puts(&b, method ? method : "GET");
    gb_put(&b, " ", 1);
    if (!url) {
        gb_puts(&b, "(no URL)");
    } else if (u->has_pass) {
        gb_put(&b, url, u->pass_off);
        gb_puts(&b, "***");
        gb_puts(&b, url + u->pass_off + u->pass_len);
    } else {
        gb_puts(&b, url);
    }
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

/* The decision of guard_http and guard_http_client; check: compare the
   client's reading of the host. */
static bool decide(guard *g, const char *who, const char *method, const char *url,
                   bool check, const char *client_host, char rule[GUARD_RULE_MAX])
{
    guard_url u;
    char theirs[GUARD_HOST_MAX];
    bool allowed = false;
    if (!g) {
        snprintf(rule, GUARD_RULE_MAX, "no guard");
        return false;
    }
    if (!guard_url_parse(url, &u, rule)) {
        /* rule says why */
    } else if (check && !client_host) {
        snprintf(rule, GUARD_RULE_MAX, "malformed URL: the HTTP client cannot read it");
    } else if (check && (!guard_host_normalize(client_host, theirs) || strcmp(theirs, u.host))) {
        snprintf(rule, GUARD_RULE_MAX,
                 "malformed URL: the HTTP client reads the host as %.60s, the guard as %.60s",
                 client_host, u.host);
    } else {
        snprintf(rule, GUARD_RULE_MAX, g->nhosts ? "not in allowed_hosts" : "no allowed_hosts");
        for (size_t i = 0; i < g->nhosts && !allowed; i++) {
            if (guard_pattern_admits(g->hosts[i], u.host, u.host_is_ip)) {
                snprintf(rule, GUARD_RULE_MAX, "allowed_hosts: %s", g->hosts[i]);
                allowed = true;
            }
        }
    }
    char *what = http_what(method, url, &u);
    emit(g, who, "http", what ? what : "(out of memory)", allowed, rule);
    free(what);
    return allowed;
}

bool guard_http(guard *g, const char *who, const char *method, const char *url,
                char rule[GUARD_RULE_MAX])
{
    return decide(g, who, method, url, false, NULL, rule);
}

bool guard_http_client(guard *g, const char *who, const char *method, const char *url,
                       const char *client_host, char rule[GUARD_RULE_MAX])
{
    return decide(g, who, method, url, true, client_host, rule);
}
