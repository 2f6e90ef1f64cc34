/*
 * hostfn.c - test plugin of type cli/v1 (helm_plugin_main) that imports a
 * host function, kube_get (extism:host/user), which only an embedding
 * program registers (tests/helm/embed.c).  Kept apart from cli.c: a
 * module importing kube_get cannot load where nothing provides it.
 *
 *   ARG   passes ARG to kube_get(block) -> block; output message
 *         {"data": "kube_get ARG: RESULT\n"}, nothing on stdout
 *   (none) calls nothing; {"data": "no call\n"}
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helm_json.h"
#include "wasmguard/pdk.h"

PDK_HOST_FN(kube_get) uint64_t host_kube_get(uint64_t handle);

PDK_FN(helm_plugin_main)
{
    char *in = pdk_input(NULL);
    if (!in) return pdk_error("no input");
    size_t n = 0;
    char **args = jh_strings(jh_find(in, "extraArgs"), &n);
    if (!n) return pdk_output_str("{\"data\":\"no call\\n\"}"), 0;
    uint64_t r = host_kube_get(pdk_block_new_str(args[0]));
    size_t rlen = 0;
    char *result = pdk_block_dup(r, &rlen);
    if (!result) return pdk_error("kube_get returned no block");
    size_t tlen = strlen(args[0]) + rlen + 32;
    char *text = malloc(tlen);
    if (!text) return pdk_error("out of memory");
    size_t t = (size_t)snprintf(text, tlen, "kube_get %s: %s\n", args[0], result);
    char *out = malloc(jh_string_size(text, t) + 16);
    if (!out) return pdk_error("out of memory");
    size_t o = (size_t)sprintf(out, "{\"data\":");
    o += jh_put_string(out + o, text, t);
    out[o++] = '}';
    pdk_output(out, o);
    return 0;
}
