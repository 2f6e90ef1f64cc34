/*
 * add_label.c - a postrenderer/v1 Helm plugin: returns the manifests with
 * a header comment naming who rendered them and the extra args it got.
 */
#include <stdio.h>
#include <stdlib.h>

#include "helm_json.h"
#include "wasmguard/pdk.h"

PDK_FN(helm_plugin_main)
{
    size_t len, mlen, n = 0;
    char *in = pdk_input(&len);
    const char *m = in ? jh_find(in, "manifests") : NULL;
    char *text = m ? jh_string(m, &mlen, NULL) : NULL;
    if (!text) return pdk_error("no manifests in the input");
    char **args = jh_strings(jh_find(in, "extraArgs"), &n);
    char head[256];
    size_t h = (size_t)snprintf(head, sizeof head, "# post-rendered in a wasmguard sandbox%s%s\n",
                                n ? ", args: " : "", n ? args[0] : "");
    char *doc = malloc(h + mlen);
    char *out = doc ? malloc(jh_string_size(head, h) + jh_string_size(text, mlen) + 32) : NULL;
    if (!out) return pdk_error("out of memory");
    memcpy(doc, head, h);
    memcpy(doc + h, text, mlen);
    size_t o = (size_t)sprintf(out, "{\"manifests\":");
    o += jh_put_string(out + o, doc, h + mlen);
    out[o++] = '}';
    pdk_output(out, o);
    return 0;
}
