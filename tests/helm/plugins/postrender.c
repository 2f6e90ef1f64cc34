/*
 * postrender.c - test plugin of type postrenderer/v1 (helm_plugin_main).
 * By its first extraArg:
 *
 *   (none)   returns its input message as its output: an object with
 *            the manifests member is a postrenderer/v1 output (extraArgs
 *            is ignored, as Helm's decoder ignores unknown members), so
 *            any change is the host's: the pass-through of make bench
 *   token    returns the manifests' JSON string token as it came, found
 *            by scanning the input (jh_string_end)
 *   mark     decodes the manifests and returns them after a line
 *            "# post-rendered (N bytes)" (N: the decoded length)
 *   args     returns the extraArgs, one a line
 *   bad      outputs text that is not JSON
 *   missing  outputs {} (no manifests)
 *   empty    outputs {"manifests": " \n"} (white space only)
 *   fail     fails with "post-render failed"
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
    size_t nargs = 0;
    const char *extra = jh_find(in, "extraArgs");
    if (extra && extra[0] == '[' && extra[1] == ']') {
        if (!jh_find(extra, "manifests")) return pdk_error("no manifests in the input");
        pdk_output(in, len);
        return 0;
    }
    char **args = jh_strings(extra, &nargs);
    const char *cmd = nargs ? args[0] : "";
    const char *m = jh_find(in, "manifests");
    if (!m) return pdk_error("no manifests in the input");
    if (!strcmp(cmd, "bad")) return pdk_output_str("not json"), 0;
    if (!strcmp(cmd, "missing")) return pdk_output_str("{}"), 0;
    if (!strcmp(cmd, "empty")) return pdk_output_str("{\"manifests\":\" \\n\"}"), 0;
    if (!strcmp(cmd, "fail")) return pdk_error("post-render failed");
    if (!strcmp(cmd, "args")) {
        char *text = malloc(len + 1), *out = NULL;
        if (!text) return pdk_error("out of memory");
        size_t t = 0;
        for (size_t i = 1; i < nargs; i++) t += (size_t)sprintf(text + t, "%s\n", args[i]);
        if (!(out = malloc(jh_string_size(text, t) + 32))) return pdk_error("out of memory");
        size_t n = (size_t)sprintf(out, "{\"manifests\":");
        n += jh_put_string(out + n, text, t);
        out[n++] = '}';
        pdk_output(out, n);
        return 0;
    }
    if (!strcmp(cmd, "mark")) {
        size_t mlen;
        char *text = jh_string(m, &mlen, NULL);
        char *marked = text ? malloc(mlen + 64) : NULL;
        if (!marked) return pdk_error("out of memory");
        size_t t = (size_t)sprintf(marked, "# post-rendered (%zu bytes)\n", mlen);
        memcpy(marked + t, text, mlen);
        free(text);
        char *out = malloc(jh_string_size(marked, t + mlen) + 32);
        if (!out) return pdk_error("out of memory");
        size_t n = (size_t)sprintf(out, "{\"manifests\":");
        n += jh_put_string(out + n, marked, t + mlen);
        out[n++] = '}';
        pdk_output(out, n);
        return 0;
    }
    if (strcmp(cmd, "token") != 0) return pdk_error("unknown mode");
    /* The string token, verbatim. */
    const char *q = jh_string_end(m + 1);
    size_t tok = (size_t)(q + 1 - m);
    char *out = malloc(tok + 32);
    if (!out) return pdk_error("out of memory");
    size_t n = (size_t)sprintf(out, "{\"manifests\":");
    memcpy(out + n, m, tok);
    n += tok;
    out[n++] = '}';
    pdk_output(out, n);
    return 0;
}
