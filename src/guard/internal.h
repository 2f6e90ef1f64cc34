/*
 * internal.h - what the files of src/guard share and nobody else needs:
 * the URL as the guard reads it (url.c) for guard.c's decisions and its
 * audit text.
 */
#ifndef GUARD_INTERNAL_H
#define GUARD_INTERNAL_H

#include "guard/guard.h"

/* An http or https URL, split as guard_http reads it. */
typedef struct guard_url {
    char host[GUARD_HOST_MAX]; /* normalized, see guard_url_host */
    bool host_is_ip;           /* an IPv4 or IPv6 address: globs never match it */
    size_t pass_off, pass_len; /* the password of the userinfo in the URL text */
    bool has_pass;
} guard_url;

/* Splits url; false with why ("malformed URL: ...", "scheme ftp is not
   http or https") when it is not an http(s) URL the guard can decide. */
bool guard_url_parse(const char *url, guard_url *out, char why[GUARD_RULE_MAX]);

/* Whether pattern admits a host already normalized by guard_url_parse. */
bool guard_pattern_admits(const char *pattern, const char *host, bool host_is_ip);

#endif
