/*
 * getter.c - test plugin of type getter/v1 (helm_plugin_main): returns,
 * as its data, "who=WHO\n" (the config key "who") followed by the input
 * message exactly as it came, so a test sees the whole message.  An href
 * containing "fail" fails with "cannot fetch HREF"; one containing
 * "bad64" returns data that is not base64.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helm_json.h"
#include "wasmguard/pdk.h"

PDK_FN(helm_plugin_main)
{
    size_t len;
    char *in = pdk_input(&len);
    if (!in) return pdk_error("no input");
    char *href = jh_string(jh_find(in, "href"), NULL, NULL);
    if (href && strstr(href, "fail")) {
        char msg[256];
        snprintf(msg, sizeof msg, "cannot fetch %s", href);
        return pdk_error(msg);
    }
    if (href && strstr(href, "bad64")) return pdk_output_str("{\"data\":\"!!not base64\"}"), 0;
    char *who = pdk_config("who", NULL);
    size_t wlen = who ? strlen(who) : 0;
    size_t dlen = wlen + 5 + len;
    char *data = malloc(dlen + 1);
    char *out = malloc(4 * (dlen + 2) / 3 + 32);
    if (!data || !out) return pdk_error("out of memory");
    snprintf(data, dlen + 1, "who=%s\n", who ? who : "");
    memcpy(data + wlen + 5, in, len);
    size_t n = (size_t)sprintf(out, "{\"data\":\"");
    n += jh_base64(out + n, (unsigned char *)data, dlen);
    n += (size_t)sprintf(out + n, "\"}");
    pdk_output(out, n);
    return 0;
}
