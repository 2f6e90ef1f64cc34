/*
 * curl_lazy.h - libcurl, loaded the first time a plugin makes an HTTP
 * request (internal to src/extism).
 *
 * libcurl pulls in some thirty shared libraries (TLS, Kerberos, LDAP,
 * compression...).  Linking it made every wasmguard process, most of
 * which never make a request, spend milliseconds mapping them; so http.c
 * reaches curl only through this table, filled by dlopen once.
 */
#ifndef EXTISM_CURL_LAZY_H
#define EXTISM_CURL_LAZY_H

#include <curl/curl.h>

typedef struct ext_curl_api {
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_perform)(CURL *);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    void (*easy_reset)(CURL *);
    void (*easy_cleanup)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
    CURLU *(*url)(void);
    CURLU *(*url_dup)(const CURLU *);
    void (*url_cleanup)(CURLU *);
    CURLUcode (*url_set)(CURLU *, CURLUPart, const char *, unsigned int);
    CURLUcode (*url_get)(const CURLU *, CURLUPart, char **, unsigned int);
    const char *(*url_strerror)(CURLUcode);
    void (*free)(void *);
} ext_curl_api;

/* Loads libcurl and runs curl_global_init, once per process (thread-safe).
   NULL when that failed; *why then says why. */
const ext_curl_api *ext_curl_load(const char **why);

#endif
