/*
 * curl_lazy.c - dlopen of libcurl on first use (see curl_lazy.h).  The
 * table is written once under pthread_once and only read afterwards.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#include "extism/curl_lazy.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static ext_curl_api api;
static const ext_curl_api *loaded;
static char load_error[256];

static void load(void)
{
    void *h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(load_error, sizeof load_error, "cannot load libcurl: %s", dlerror());
        return;
    }
#define SYM(field, name)                                                       \
    if (!(*(void **)&api.field = dlsym(h, name))) {                            \
        snprintf(load_error, sizeof load_error, "libcurl lacks %s", name);     \
        return;                                                                \
    }
    SYM(easy_init, "curl_easy_init")
    SYM(easy_setopt, "curl_easy_setopt")
    SYM(easy_perform, "curl_easy_perform")
    SYM(easy_getinfo, "curl_easy_getinfo")
    SYM(easy_reset, "curl_easy_reset")
    SYM(easy_cleanup, "curl_easy_cleanup")
    SYM(easy_strerror, "curl_easy_strerror")
    SYM(slist_append, "curl_slist_append")
    SYM(slist_free_all, "curl_slist_free_all")
    SYM(url, "curl_url")
    SYM(url_dup, "curl_url_dup")
    SYM(url_cleanup, "curl_url_cleanup")
    SYM(url_set, "curl_url_set")
    SYM(url_get, "curl_url_get")
    SYM(url_strerror, "curl_url_strerror")
    SYM(free, "curl_free")
#undef SYM
    CURLcode (*global_init)(long);
    if (!(*(void **)&global_init = dlsym(h, "curl_global_init"))) {
        snprintf(load_error, sizeof load_error, "libcurl lacks curl_global_init");
        return;
    }
    CURLcode rc = global_init(CURL_GLOBAL_DEFAULT);
    if (rc != CURLE_OK) {
        snprintf(load_error, sizeof load_error, "curl_global_init failed: %s",
                 api.easy_strerror(rc));
        return;
    }
    loaded = &api;
}

const ext_curl_api *ext_curl_load(const char **why)
{
    pthread_once(&once, load);
    if (!loaded && why) *why = load_error;
    return loaded;
}
