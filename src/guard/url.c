/*
 * url.c - how the guard reads a URL and matches its host (guard.h).
 *
 * Only the parts that decide where a connection goes are read: the
 * scheme, and the authority of RFC 3986 section 3.2 (userinfo "@" host
 * ":" port).  Anything two parsers could read differently is refused as
 * malformed rather than guessed at: more than one "@", a backslash, a
 * space or control character, a percent-encoded or non-ASCII host, an
 * IPv6 zone id.  Hosts are compared normalized (lowercase, one trailing
 * dot dropped, IP addresses written one way), the way curl connects to
 * them: "http://2130706433/" goes to 127.0.0.1, so its host is read as
 * 127.0.0.1, and src/extism/http.c checks that curl saw the same host.
 */
#include "guard/internal.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define LABEL_MAX 63
#define NAME_MAX_LEN 253

static bool is_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static unsigned char to_lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? c | 0x20 : c; }

/* An IPv6 address (without brackets) written as inet_ntop writes it. */
static bool normalize_ipv6(const char *h, size_t len, char out[GUARD_HOST_MAX],
                           const char **why)
{
    char buf[INET6_ADDRSTRLEN + 8];
    struct in6_addr a;
    if (memchr(h, '%', len)) {
        *why = "IPv6 zone ids are not supported";
        return false;
    }
    if (len >= sizeof buf) {
        *why = "bad IPv6 address";
        return false;
    }
    memcpy(buf, h, len);
    buf[len] = 0;
    if (inet_pton(AF_INET6, buf, &a) != 1 || !inet_ntop(AF_INET6, &a, out, GUARD_HOST_MAX)) {
        *why = "bad IPv6 address";
        return false;
    }
    return true;
}

/* A host name as letters, digits, '-', '_' and dots between non-empty
   labels; lowercased into out, one trailing dot dropped. */
static bool normalize_name(const char *h, size_t len, char out[GUARD_HOST_MAX],
                           const char **why)
{
    if (len > 1 && h[len - 1] == '.') len--;
    if (len == 0) {
        *why = "empty host";
        return false;
    }
    if (len > NAME_MAX_LEN) {
        *why = "host name longer than 253 characters";
        return false;
    }
    size_t label = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)h[i];
        if (c >= 0x80) {
            *why = "host name is not ASCII (write it in punycode)";
            return false;
        }
        if (c == '%') {
            *why = "percent-encoded host";
            return false;
        }
        if (c == '.') {
            if (label == 0) {
                *why = "empty label in host name";
                return false;
            }
            label = 0;
        } else if (is_alpha(c) || is_digit(c) || c == '-' || c == '_') {
            if (++label > LABEL_MAX) {
                *why = "label longer than 63 characters in host name";
                return false;
            }
        } else {
            *why = "invalid character in host";
            return false;
        }
        out[i] = (char)to_lower(c);
    }
    out[len] = 0;
    return true;
}

/* Rewrites out as a dotted quad when it is an IPv4 address in one of the
   forms inet_aton and curl accept ("127.1", "0x7f.0.0.1", "2130706433"). */
static bool ipv4_rewrite(char out[GUARD_HOST_MAX])
{
    struct in_addr a;
    if (out[strspn(out, "0123456789abcdefx.")] != 0) return false;
    if (inet_aton(out, &a) == 0) return false;
    return inet_ntop(AF_INET, &a, out, GUARD_HOST_MAX) != NULL;
}

/* Any host form: "[v6]", "v6", an IPv4 address, a name.  ip_forms false
   keeps numbers as names (for the suffix of a glob). */
static bool normalize(const char *h, size_t len, bool ip_forms, char out[GUARD_HOST_MAX],
                      bool *is_ip, const char **why)
{
    *is_ip = false;
    if (len > 0 && h[0] == '[') {
        if (len < 2 || h[len - 1] != ']') {
            *why = "bad IPv6 address";
            return false;
        }
        *is_ip = true;
        return normalize_ipv6(h + 1, len - 2, out, why);
    }
    if (memchr(h, ':', len)) {
        *is_ip = true;
        return normalize_ipv6(h, len, out, why);
    }
    if (!normalize_name(h, len, out, why)) return false;
    if (ip_forms) *is_ip = ipv4_rewrite(out);
    return true;
}

bool guard_host_normalize(const char *host, char out[GUARD_HOST_MAX])
{
    const char *why;
    bool is_ip;
    return host && normalize(host, strlen(host), true, out, &is_ip, &why);
}

/* The port after ':' (empty is allowed: the scheme's default). */
static bool port_ok(const char *p, const char *end)
{
    unsigned long v = 0;
    for (; p < end; p++) {
        if (!is_digit((unsigned char)*p)) return false;
        v = v * 10 + (unsigned long)(*p - '0');
        if (v > 65535) return false;
    }
    return true;
}

static bool fail(char why[GUARD_RULE_MAX], const char *reason)
{
    snprintf(why, GUARD_RULE_MAX, "malformed URL: %s", reason);
    return false;
}

/* Scheme, "//", and the authority's bounds; the rest of guard_url_parse. */
static bool split_scheme(const char *url, const char **auth, size_t *alen,
                         char why[GUARD_RULE_MAX])
{
    for (const unsigned char *q = (const unsigned char *)url; *q; q++)
        if (*q <= 0x20 || *q == 0x7f) return fail(why, "control character or space");
    size_t n = 0;
    if (is_alpha((unsigned char)url[0]))
        while (is_alpha((unsigned char)url[n]) || is_digit((unsigned char)url[n]) ||
               url[n] == '+' || url[n] == '-' || url[n] == '.')
            n++;
    if (n == 0 || url[n] != ':') return fail(why, "no scheme");
    if (!(n == 4 && strncasecmp(url, "http", 4) == 0) &&
        !(n == 5 && strncasecmp(url, "https", 5) == 0)) {
        snprintf(why, GUARD_RULE_MAX, "scheme %.*s%s is not http or https",
                 (int)(n > 32 ? 32 : n), url, n > 32 ? "..." : "");
        return false;
    }
    if (url[n + 1] != '/' || url[n + 2] != '/') return fail(why, "no // after the scheme");
    *auth = url + n + 3;
    *alen = strcspn(*auth, "/?#\\");
    if ((*auth)[*alen] == '\\') return fail(why, "backslash in the authority");
    return true;
}

bool guard_url_parse(const char *url, guard_url *out, char why[GUARD_RULE_MAX])
{
    memset(out, 0, sizeof *out);
    if (!url) return fail(why, "no URL");
    const char *auth = NULL;
    size_t alen = 0;
    if (!split_scheme(url, &auth, &alen, why)) return false;
    const char *end = auth + alen, *hp = auth;
    const char *at = memchr(auth, '@', alen);
    if (at) {
        if (memchr(at + 1, '@', (size_t)(end - at - 1)))
            return fail(why, "more than one @ in the authority");
        const char *colon = memchr(auth, ':', (size_t)(at - auth));
        if (colon) {
            out->has_pass = true;
            out->pass_off = (size_t)(colon + 1 - url);
            out->pass_len = (size_t)(at - colon - 1);
        }
        hp = at + 1;
    }
    const char *hend;
    if (hp < end && *hp == '[') {
        const char *close = memchr(hp, ']', (size_t)(end - hp));
        if (!close) return fail(why, "no ] after an IPv6 address");
        hend = close + 1;
        if (hend < end && *hend != ':') return fail(why, "characters after ]");
    } else {
        hend = memchr(hp, ':', (size_t)(end - hp));
        if (!hend) hend = end;
    }
    if (hend < end && !port_ok(hend + 1, end)) return fail(why, "bad port");
    if (hend == hp) return fail(why, "empty host");
    const char *reason;
    if (!normalize(hp, (size_t)(hend - hp), true, out->host, &out->host_is_ip, &reason))
        return fail(why, reason);
    return true;
}

bool guard_url_host(const char *url, char host[GUARD_HOST_MAX], char why[GUARD_RULE_MAX])
{
    guard_url u;
    if (!guard_url_parse(url, &u, why)) return false;
    memcpy(host, u.host, sizeof u.host);
    return true;
}

bool guard_pattern_admits(const char *pattern, const char *host, bool host_is_ip)
{
    char norm[GUARD_HOST_MAX];
    const char *why;
    bool is_ip;
    if (strcmp(pattern, "*") == 0) return true;
    if (pattern[0] == '*' && pattern[1] == '.') {
        /* One or more whole labels, then ".suffix"; never an address. */
        if (host_is_ip || strchr(pattern + 2, '*')) return false;
        if (!normalize(pattern + 2, strlen(pattern + 2), false, norm, &is_ip, &why) || is_ip)
            return false;
        size_t hl = strlen(host), sl = strlen(norm);
        return hl > sl + 1 && host[hl - sl - 1] == '.' && strcmp(host + hl - sl, norm) == 0;
    }
    if (strchr(pattern, '*')) return strcasecmp(pattern, host) == 0;
    if (!normalize(pattern, strlen(pattern), true, norm, &is_ip, &why)) return false;
    return strcmp(norm, host) == 0;
}

bool guard_host_matches(const char *pattern, const char *host)
{
    char norm[GUARD_HOST_MAX];
    const char *why;
    bool is_ip;
    if (!pattern || !host) return false;
    if (!normalize(host, strlen(host), true, norm, &is_ip, &why)) return false;
    return guard_pattern_admits(pattern, norm, is_ip);
}
