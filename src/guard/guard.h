/*
 * guard.h - the one place that decides every request a sandbox makes of
 * the outside, and records each decision.
 *
 * A policy holds the grants of one plugin: hosts it may reach over HTTP
 * (exact names or globs like "*.example.com"; none means none) and the
 * directories it may see (decided by src/wasi, reported here).  Every
 * decision, allowed or denied, becomes an audit event: a JSON object on
 * one line, written to a file and/or handed to a callback.
 *
 * Depends on libc only.  A guard may be shared by plugins of several
 * threads: decisions and audit writes are serialized by a mutex.
 */
#ifndef GUARD_GUARD_H
#define GUARD_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct guard guard;

/* Receives each audit event as one line of JSON (no newline).  Called
   with the guard's mutex held, so events arrive one at a time and in
   order; it must not call back into the same guard. */
typedef void (*guard_audit_fn)(void *user, const char *json);

/* hosts: patterns, NULL/0 for none.  audit_file may be NULL. */
guard *guard_new(const char *const *hosts, size_t nhosts, FILE *audit_file,
                 guard_audit_fn audit, void *audit_user);
void guard_free(guard *g);

/* Why a request was decided so: "allowed_hosts: *.example.com",
   "not in allowed_hosts", "scheme ftp is not http or https", ... */
#define GUARD_RULE_MAX 200

/* Decides an HTTP request from plugin `who` (for the record): only http
   and https, and the URL's host must match an allowed pattern.  Records
   the decision.  Returns true when allowed; rule says why either way. */
bool guard_http(guard *g, const char *who, const char *method, const char *url,
                char rule[GUARD_RULE_MAX]);

/* As guard_http, for an HTTP client that reads the URL with a parser of
   its own: client_host is the host the client will connect to as it read
   the URL (brackets around IPv6 allowed), NULL when it could not read it.
   Unless that is the host the guard reads (both normalized), the request
   is denied as a malformed URL: a disagreement of two URL parsers can
   never send a request to a host the guard did not approve. */
bool guard_http_client(guard *g, const char *who, const char *method, const char *url,
                       const char *client_host, char rule[GUARD_RULE_MAX]);

/* Records a decision taken elsewhere (a file access decided by the WASI
   capability table, a limit that stopped a call, ...).  kind: "file",
   "limit", "host_function", ...; what: the operation and its object. */
void guard_record(guard *g, const char *who, const char *kind, const char *what,
                  bool allowed, const char *rule);

/* Pattern matching as guard_http does it: case-insensitive; "*" matches
   any one or more whole labels at the front ("*.example.com" matches
   "a.example.com" and "a.b.example.com", not "example.com"); "*" alone
   matches every host.  Globs never match IP addresses (only "*" or the
   exact address does); both sides are compared normalized, as
   guard_host_normalize writes them.  A pattern with a "*" elsewhere is
   no glob: it matches only the identical text. */
bool guard_host_matches(const char *pattern, const char *host);

/* The longest host guard_url_host or guard_host_normalize writes, with
   its terminating 0 (a DNS name has at most 253 characters). */
#define GUARD_HOST_MAX 256

/* Reads the host of an http or https URL as guard_http does, normalized:
   lowercase, one trailing dot removed, an IPv4 address in any form
   inet_aton (and curl) accepts written as a dotted quad, an IPv6 address
   without brackets as inet_ntop writes it.  False when the scheme is not
   http or https or the URL is malformed, with why ("malformed URL: ...").
   Does not decide and does not record; for callers that want to check
   that their URL parser sees the same host (src/extism/http.c). */
bool guard_url_host(const char *url, char host[GUARD_HOST_MAX], char why[GUARD_RULE_MAX]);

/* Normalizes a host name or IP address (an IPv6 one with or without
   brackets) as guard_url_host does; false when it is no valid host. */
bool guard_host_normalize(const char *host, char out[GUARD_HOST_MAX]);

#ifdef __cplusplus
}
#endif
#endif
