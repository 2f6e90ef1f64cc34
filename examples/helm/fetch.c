/*
 * fetch.c - a cli/v1 Helm plugin that fetches the URL given as its first
 * argument and prints the body.  Its plugin.yaml allows one host only;
 * any other is refused by wasmguard's guard before a connection is made.
 */
#include <stdio.h>

#include "helm_json.h"
#include "wasmguard/pdk.h"

PDK_FN(helm_plugin_main)
{
    size_t len, n = 0;
    char *in = pdk_input(&len);
    char **args = in ? jh_strings(jh_find(in, "extraArgs"), &n) : NULL;
    if (n < 1) return pdk_error("usage: fetch URL");
    pdk_http_response r;
    if (!pdk_http("GET", args[0], NULL, NULL, 0, &r)) return pdk_error("out of memory");
    printf("%d %.*s\n", r.status, (int)r.len, r.body);
    return 0;
}
