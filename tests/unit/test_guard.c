/*
 * test_guard.c - the guard (src/guard): host patterns, how a URL's host
 * is read (ports, userinfo, IPv6, numeric IPv4, malformed URLs), the
 * rules it gives, and the audit events (one line of valid JSON each,
 * escaped, passwords hidden, whole under concurrent writers).
 */
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guard/guard.h"
#include "test.h"

/* ---- Helpers -------------------------------------------------------------- */

#define EVENTS_MAX 64

typedef struct events {
    char *line[EVENTS_MAX];
    int n;
} events;

static void collect(void *user, const char *json)
{
    events *e = user;
    if (e->n < EVENTS_MAX) e->line[e->n++] = strdup(json);
}

static void events_free(events *e)
{
    for (int i = 0; i < e->n; i++) free(e->line[i]);
    e->n = 0;
}

/* A guard over the given patterns (a NULL-terminated list). */
static guard *guard_of(const char *const *hosts, events *e)
{
    size_t n = 0;
    while (hosts && hosts[n]) n++;
    return guard_new(hosts, n, NULL, e ? collect : NULL, e);
}

/* Whether a guard allowing `pattern` allows `url`; rule gets why. */
static bool allows(const char *pattern, const char *url, char rule[GUARD_RULE_MAX])
{
    const char *hosts[] = {pattern, NULL};
    guard *g = guard_of(hosts, NULL);
    bool ok = guard_http(g, "t", "GET", url, rule);
    guard_free(g);
    return ok;
}

/* ---- Patterns ------------------------------------------------------------- */

TEST(test_guard_exact_host_case_insensitive)
{
    CHECK(guard_host_matches("example.com", "example.com"));
    CHECK(guard_host_matches("Example.COM", "eXample.com"));
    CHECK(guard_host_matches("example.com", "example.com."));
    CHECK(!guard_host_matches("example.com", "www.example.com"));
    CHECK(!guard_host_matches("example.com", "example.co"));
    CHECK(!guard_host_matches("example.com", "example.com.evil.net"));
    CHECK(!guard_host_matches("example.com", "notexample.com"));
    CHECK(!guard_host_matches("example.com", ""));
}

TEST(test_guard_glob_matches_one_or_more_labels)
{
    CHECK(guard_host_matches("*.example.com", "a.example.com"));
    CHECK(guard_host_matches("*.example.com", "a.b.example.com"));
    CHECK(guard_host_matches("*.EXAMPLE.com", "A.Example.Com"));
    CHECK(!guard_host_matches("*.example.com", "example.com"));
    CHECK(!guard_host_matches("*.example.com", "badexample.com"));
    CHECK(!guard_host_matches("*.example.com", "a.example.com.evil.net"));
    CHECK(!guard_host_matches("*.example.com", ".example.com"));
}

TEST(test_guard_star_alone_matches_every_host)
{
    CHECK(guard_host_matches("*", "example.com"));
    CHECK(guard_host_matches("*", "127.0.0.1"));
    CHECK(guard_host_matches("*", "[::1]"));
    CHECK(!guard_host_matches("*", ""));
}

TEST(test_guard_other_wildcards_are_literal)
{
    CHECK(!guard_host_matches("ex*mple.com", "example.com"));
    CHECK(!guard_host_matches("ex*mple.com", "exmple.com"));
    CHECK(!guard_host_matches("*example.com", "www.example.com"));
    CHECK(!guard_host_matches("*example.com", "example.com"));
    CHECK(!guard_host_matches("a.*.com", "a.b.com"));
    CHECK(!guard_host_matches("*.*.com", "a.b.com"));
    CHECK(!guard_host_matches("**", "a.com"));
    CHECK(!guard_host_matches("example.*", "example.com"));
}

TEST(test_guard_globs_never_match_addresses)
{
    CHECK(!guard_host_matches("*.0.0.1", "127.0.0.1"));
    CHECK(!guard_host_matches("*.1", "10.0.0.1"));
    CHECK(guard_host_matches("127.0.0.1", "127.0.0.1"));
    CHECK(guard_host_matches("::1", "[::1]"));
    CHECK(guard_host_matches("[::1]", "0:0:0:0:0:0:0:1"));
    CHECK(guard_host_matches("[2001:DB8::1]", "2001:db8:0::1"));
    CHECK(!guard_host_matches("::1", "::2"));
}

TEST(test_guard_normalize)
{
    char out[GUARD_HOST_MAX];
    CHECK(guard_host_normalize("WWW.Example.COM.", out) && strcmp(out, "www.example.com") == 0);
    CHECK(guard_host_normalize("[0:0::1]", out) && strcmp(out, "::1") == 0);
    CHECK(guard_host_normalize("2130706433", out) && strcmp(out, "127.0.0.1") == 0);
    CHECK(guard_host_normalize("0x7f.1", out) && strcmp(out, "127.0.0.1") == 0);
    CHECK(guard_host_normalize("127.0.0.010", out) && strcmp(out, "127.0.0.8") == 0);
    CHECK(guard_host_normalize("deadbeef", out) && strcmp(out, "deadbeef") == 0);
    CHECK(!guard_host_normalize("a..b", out));
    CHECK(!guard_host_normalize("a b", out));
    CHECK(!guard_host_normalize("", out));
    CHECK(!guard_host_normalize("[fe80::1%25eth0]", out));
    CHECK(!guard_host_normalize("ex%61mple.com", out));
    CHECK(!guard_host_normalize("b\xc3\xbc" "cher.de", out));
}

/* ---- URLs ----------------------------------------------------------------- */

TEST(test_guard_url_ports_paths_queries)
{
    char rule[GUARD_RULE_MAX];
    CHECK(allows("example.com", "https://example.com", rule));
    CHECK(allows("example.com", "https://example.com:8443/a/b?c=d#e", rule));
    CHECK(allows("example.com", "http://example.com:/x", rule));
    CHECK(allows("example.com", "http://example.com?q=http://evil.net/", rule));
    CHECK(allows("example.com", "http://example.com#@evil.net", rule));
    CHECK(!allows("example.com", "http://evil.net/example.com", rule));
    CHECK(!allows("example.com", "http://evil.net?example.com", rule));
    CHECK(!allows("example.com", "http://example.com.evil.net/", rule));
    CHECK(!allows("example.com", "http://example.com:99999/", rule));
    CHECK_HAS(rule, "bad port");
    CHECK(!allows("example.com", "http://example.com:80x/", rule));
    CHECK_HAS(rule, "bad port");
}

TEST(test_guard_url_userinfo_tricks)
{
    char rule[GUARD_RULE_MAX];
    CHECK(!allows("allowed.com", "http://allowed.com@evil.com/", rule));
    CHECK_HAS(rule, "not in allowed_hosts");
    CHECK(!allows("allowed.com", "http://allowed.com:80@evil.com/", rule));
    CHECK(!allows("allowed.com", "http://user:pw@evil.com/allowed.com", rule));
    CHECK(allows("allowed.com", "http://evil.com@allowed.com/", rule));
    CHECK(allows("allowed.com", "http://user:p:w@allowed.com:81/", rule));
    /* Parsers differ on which @ counts: refused, not guessed. */
    CHECK(!allows("allowed.com", "http://a@evil.com@allowed.com/", rule));
    CHECK_HAS(rule, "malformed URL");
    CHECK(!allows("*", "http://allowed.com\\@evil.com/", rule));
    CHECK_HAS(rule, "malformed URL");
    CHECK(!allows("allowed.com", "http://allowed.com\\.evil.com/", rule));
}

TEST(test_guard_url_ipv6)
{
    char rule[GUARD_RULE_MAX];
    CHECK(allows("::1", "http://[::1]:8080/x", rule));
    CHECK(allows("[::1]", "http://[0::1]/", rule));
    CHECK(!allows("::1", "http://[::2]/", rule));
    CHECK(!allows("*.1", "http://[::1]/", rule));
    CHECK(!allows("::1", "http://[::1/", rule));
    CHECK_HAS(rule, "malformed URL");
    CHECK(!allows("::1", "http://[::1]x/", rule));
    CHECK(!allows("::1", "http://::1/", rule));
    CHECK(!allows("*", "http://[fe80::1%25eth0]/", rule));
    CHECK_HAS(rule, "zone");
    CHECK(!allows("*", "http://[v1.abc]/", rule));
}

TEST(test_guard_url_numeric_ipv4_is_read_as_curl_connects)
{
    char rule[GUARD_RULE_MAX];
    CHECK(allows("127.0.0.1", "http://2130706433/", rule));
    CHECK(allows("127.0.0.1", "http://0x7f.0.0.1/", rule));
    CHECK(allows("127.0.0.1", "http://127.1/", rule));
    CHECK(!allows("127.0.0.10", "http://127.0.0.010/", rule));
    CHECK(allows("127.0.0.8", "http://127.0.0.010/", rule));
}

TEST(test_guard_url_schemes)
{
    char rule[GUARD_RULE_MAX];
    CHECK(allows("example.com", "HTTP://example.com/", rule));
    CHECK(allows("example.com", "HttpS://EXAMPLE.com/", rule));
    CHECK(!allows("example.com", "ftp://example.com/", rule));
    CHECK(strcmp(rule, "scheme ftp is not http or https") == 0);
    CHECK(!allows("*", "file:///etc/passwd", rule));
    CHECK_HAS(rule, "scheme file is not http or https");
    CHECK(!allows("*", "gopher://example.com/", rule));
    CHECK(!allows("*", "javascript:alert(1)", rule));
    CHECK(!allows("*", "httpx://example.com/", rule));
    CHECK(!allows("*", "example.com/", rule));
    CHECK_HAS(rule, "malformed URL: no scheme");
    CHECK(!allows("*", "//example.com/", rule));
    CHECK(!allows("*", "http:/example.com/", rule));
    CHECK_HAS(rule, "malformed URL");
    CHECK(!allows("*", "http:example.com", rule));
}

TEST(test_guard_url_malformed)
{
    char rule[GUARD_RULE_MAX];
    static const char *const bad[] = {
        "http://", "http:///x", "http://:80/", "http://@/", "http://u@:1/",
        "http://exa mple.com/", "http://example.com/a b", "http://exa\tmple.com/",
        "http://ex%61mple.com/", ("http://b\xc3\xbc" "cher.de/"), "http://a..b/",
        "http://.example.com/", "http://exa_mple!.com/", "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bool ok = allows("*", bad[i], rule);
        if (!CHECK(!ok)) printf("  allowed: %s\n", bad[i]);
        CHECK_HAS(rule, "malformed URL");
    }
    CHECK(!allows("*", "http:///x", rule));
    CHECK_HAS(rule, "empty host");
    const char *hosts[] = {"*"};
    guard *g = guard_new(hosts, 1, NULL, NULL, NULL);
    CHECK(!guard_http(g, "t", "GET", NULL, rule));
    guard_free(g);
}

TEST(test_guard_rules_name_the_pattern)
{
    char rule[GUARD_RULE_MAX];
    const char *hosts[] = {"api.example.org", "*.example.com", "127.0.0.1", NULL};
    guard *g = guard_of(hosts, NULL);
    REQUIRE(g);
    CHECK(guard_http(g, "t", "GET", "https://a.example.com/x", rule));
    CHECK(strcmp(rule, "allowed_hosts: *.example.com") == 0);
    CHECK(guard_http(g, "t", "GET", "http://API.example.org/", rule));
    CHECK(strcmp(rule, "allowed_hosts: api.example.org") == 0);
    CHECK(!guard_http(g, "t", "GET", "https://example.com/", rule));
    CHECK(strcmp(rule, "not in allowed_hosts") == 0);
    guard_free(g);

    g = guard_new(NULL, 0, NULL, NULL, NULL);
    REQUIRE(g);
    CHECK(!guard_http(g, "t", "GET", "https://example.com/", rule));
    CHECK(strcmp(rule, "no allowed_hosts") == 0);
    guard_free(g);
    CHECK(!guard_http(NULL, "t", "GET", "https://example.com/", rule));
}

TEST(test_guard_copies_patterns)
{
    char pattern[] = "example.com", rule[GUARD_RULE_MAX];
    const char *hosts[] = {pattern};
    guard *g = guard_new(hosts, 1, NULL, NULL, NULL);
    REQUIRE(g);
    strcpy(pattern, "evil.com!!!");
    CHECK(guard_http(g, "t", "GET", "http://example.com/", rule));
    CHECK(!guard_http(g, "t", "GET", "http://evil.com/", rule));
    guard_free(g);
}

TEST(test_guard_client_must_read_the_same_host)
{
    char rule[GUARD_RULE_MAX];
    const char *hosts[] = {"example.com", "::1", NULL};
    guard *g = guard_of(hosts, NULL);
    REQUIRE(g);
    CHECK(guard_http_client(g, "t", "GET", "http://example.com/", "Example.com", rule));
    CHECK(guard_http_client(g, "t", "GET", "http://[::1]/", "[::1]", rule));
    CHECK(!guard_http_client(g, "t", "GET", "http://example.com/", "evil.com", rule));
    CHECK_HAS(rule, "malformed URL");
    CHECK_HAS(rule, "evil.com");
    CHECK(!guard_http_client(g, "t", "GET", "http://example.com/", NULL, rule));
    CHECK_HAS(rule, "cannot read");
    CHECK(!guard_http_client(g, "t", "GET", "ftp://example.com/", "example.com", rule));
    CHECK_HAS(rule, "scheme ftp");
    guard_free(g);
}

/* ---- The audit ------------------------------------------------------------ */

/* Parses one event and checks its fields; returns the object (decref it). */
static json_t *parse_event(const char *line)
{
    json_error_t je;
    if (!CHECK(strchr(line, '\n') == NULL)) return NULL;
    json_t *o = json_loads(line, 0, &je);
    if (!test_check(o != NULL, __FILE__, __LINE__, "not JSON (%s): %s", je.text, line))
        return NULL;
    static const char *const keys[] = {"time", "plugin", "kind", "what", "rule"};
    for (size_t i = 0; i < 5; i++) CHECK(json_is_string(json_object_get(o, keys[i])));
    CHECK(json_is_boolean(json_object_get(o, "allowed")));
    CHECK_EQ(json_object_size(o), 6);
    return o;
}

static const char *field(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

TEST(test_guard_audit_event_fields)
{
    events e = {0};
    char rule[GUARD_RULE_MAX];
    const char *hosts[] = {"*.example.com", NULL};
    guard *g = guard_of(hosts, &e);
    REQUIRE(g);
    guard_http(g, "count-vowels", "GET", "https://api.example.com/v1?q=1", rule);
    guard_http(g, "count-vowels", "POST", "https://evil.com/", rule);
    guard_record(g, "count-vowels", "file", "open /etc/passwd", false, "outside allowed_paths");
    guard_free(g);
    REQUIRE(e.n == 3);
    json_t *o = parse_event(e.line[0]);
    if (o) {
        CHECK(strcmp(field(o, "plugin"), "count-vowels") == 0);
        CHECK(strcmp(field(o, "kind"), "http") == 0);
        CHECK(strcmp(field(o, "what"), "GET https://api.example.com/v1?q=1") == 0);
        CHECK(json_is_true(json_object_get(o, "allowed")));
        CHECK(strcmp(field(o, "rule"), "allowed_hosts: *.example.com") == 0);
        const char *t = field(o, "time");
        CHECK_EQ(strlen(t), 24);
        CHECK(t[4] == '-' && t[10] == 'T' && t[19] == '.' && t[23] == 'Z');
        json_decref(o);
    }
    o = parse_event(e.line[1]);
    if (o) {
        CHECK(strcmp(field(o, "what"), "POST https://evil.com/") == 0);
        CHECK(json_is_false(json_object_get(o, "allowed")));
        CHECK(strcmp(field(o, "rule"), "not in allowed_hosts") == 0);
        json_decref(o);
    }
    o = parse_event(e.line[2]);
    if (o) {
        CHECK(strcmp(field(o, "kind"), "file") == 0);
        CHECK(strcmp(field(o, "what"), "open /etc/passwd") == 0);
        CHECK(strcmp(field(o, "rule"), "outside allowed_paths") == 0);
        json_decref(o);
    }
    events_free(&e);
}

TEST(test_guard_audit_escapes_strings)
{
    events e = {0};
    guard *g = guard_new(NULL, 0, NULL, collect, &e);
    REQUIRE(g);
    const char *nasty = "q\"b\\s/\n\r\t\x01\x1f\x7f end";
    guard_record(g, nasty, "limit", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", true, "ok");
    guard_record(g, "p", "file", "bad \xff \xc3 \xed\xa0\x80 \xc0\xaf \xf4\x90\x80\x80", false,
                 NULL);
    guard_record(g, NULL, "x", "", false, "r");
    guard_free(g);
    REQUIRE(e.n == 3);
    CHECK_HAS(e.line[0], "\"plugin\":\"q\\\"b\\\\s/\\n\\r\\t\\u0001\\u001f\\u007f end\"");
    CHECK_HAS(e.line[0], "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
    CHECK_HAS(e.line[1], "bad \\u00ff \\u00c3 \\u00ed\\u00a0\\u0080 \\u00c0\\u00af "
                         "\\u00f4\\u0090\\u0080\\u0080");
    for (int i = 0; i < e.n; i++) {
        json_t *o = parse_event(e.line[i]);
        if (i == 0 && o) CHECK(strcmp(field(o, "plugin"), nasty) == 0);
        json_decref(o);
    }
    events_free(&e);
}

TEST(test_guard_audit_hides_passwords)
{
    events e = {0};
    char rule[GUARD_RULE_MAX];
    const char *hosts[] = {"example.com", NULL};
    guard *g = guard_of(hosts, &e);
    REQUIRE(g);
    guard_http(g, "p", "GET", "https://user:s3cret@example.com/x", rule);
    guard_http(g, "p", "GET", "https://user:s3cret@evil.com:99999/", rule);
    guard_http(g, "p", "GET", "https://user@example.com/", rule);
    guard_free(g);
    REQUIRE(e.n == 3);
    CHECK_HAS(e.line[0], "\"GET https://user:***@example.com/x\"");
    CHECK(strstr(e.line[1], "s3cret") == NULL);
    CHECK_HAS(e.line[2], "\"GET https://user@example.com/\"");
    events_free(&e);
}

TEST(test_guard_audit_file_one_line_per_event)
{
    FILE *f = tmpfile();
    REQUIRE(f);
    char rule[GUARD_RULE_MAX];
    const char *hosts[] = {"example.com"};
    events e = {0};
    guard *g = guard_new(hosts, 1, f, collect, &e);
    REQUIRE(g);
    guard_http(g, "p", "GET", "http://example.com/a\nb", rule);
    guard_http(g, "p", "GET", "http://example.com/", rule);
    guard_record(g, "p", "limit", "max_pages", false, "line\nbreak");
    guard_free(g);
    rewind(f);
    char line[4096];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        size_t len = strlen(line);
        CHECK(len > 0 && line[len - 1] == '\n');
        line[len - 1] = 0;
        if (n < e.n) CHECK(strcmp(line, e.line[n]) == 0);
        json_decref(parse_event(line));
        n++;
    }
    CHECK_EQ(n, 3);
    CHECK_EQ(e.n, 3);
    fclose(f);
    events_free(&e);
}

/* Eight threads deciding at once: every event whole, on its own line. */
typedef struct race_arg {
    guard *g;
    int id;
} race_arg;

#define RACE_EVENTS 500

static void *race(void *p)
{
    race_arg *a = p;
    char rule[GUARD_RULE_MAX], who[32];
    snprintf(who, sizeof who, "plugin-%d", a->id);
    for (int i = 0; i < RACE_EVENTS; i++)
        guard_http(a->g, who, "GET", i % 2 ? "http://example.com/" : "http://evil.com/", rule);
    return NULL;
}

TEST(test_guard_audit_concurrent_writers)
{
    FILE *f = tmpfile();
    REQUIRE(f);
    const char *hosts[] = {"example.com"};
    guard *g = guard_new(hosts, 1, f, NULL, NULL);
    REQUIRE(g);
    pthread_t t[8];
    race_arg args[8];
    for (int i = 0; i < 8; i++) {
        args[i] = (race_arg){g, i};
        pthread_create(&t[i], NULL, race, &args[i]);
    }
    for (int i = 0; i < 8; i++) pthread_join(t[i], NULL);
    guard_free(g);
    rewind(f);
    char line[4096];
    int n = 0, allowed = 0, bad = 0;
    while (fgets(line, sizeof line, f)) {
        json_t *o = json_loads(line, 0, NULL);
        if (!o) bad++;
        else if (json_is_true(json_object_get(o, "allowed"))) allowed++;
        json_decref(o);
        n++;
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(n, 8 * RACE_EVENTS);
    CHECK_EQ(allowed, 8 * RACE_EVENTS / 2);
    fclose(f);
}
