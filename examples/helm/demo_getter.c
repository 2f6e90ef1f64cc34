/*
 * demo_getter.c - a getter/v1 Helm plugin for the made-up scheme demo://:
 * answers with a few bytes derived from the URL, without any network.
 */
#include <stdio.h>

#include "helm_json.h"
#include "wasmguard/pdk.h"

PDK_FN(helm_plugin_main)
{
    size_t len, hlen;
    char *in = pdk_input(&len);
    const char *h = in ? jh_find(in, "href") : NULL;
    char *href = h ? jh_string(h, &hlen, NULL) : NULL;
    if (!href) return pdk_error("no href in the input");
    char body[512];
    int b = snprintf(body, sizeof body, "chart bytes for %s, served from inside the sandbox\n", href);
    char out[1024];
    size_t o = (size_t)sprintf(out, "{\"data\":\"");
    o += jh_base64(out + o, (const unsigned char *)body, (size_t)b);
    o += (size_t)sprintf(out + o, "\"}");
    pdk_output(out, o);
    return 0;
}
