/*
 * messages.c - the plugin types: the JSON messages of cli/v1, getter/v1
 * and postrenderer/v1 (Helm 4's internal/plugin/schema: cli.go,
 * getter.go, postrenderer.go) around helm_plugin_invoke, and finding the
 * plugin for a command (a name, a URL scheme).
 *
 * Inputs are made from UTF-8 text (anything else is refused rather than
 * mangled): with jansson, and the manifests with msgjson.c, which also
 * reads every output (see msgjson.h for why).  Outputs must be the type's message: a JSON
 * object whose known members have the type Go's encoding/json gives them
 * (a []byte is base64 text); unknown members are ignored, as
 * encoding/json ignores them.  Where Helm 4 sends and expects the
 * manifests as a bytes.Buffer (serialized "{}", helm#31832), they are
 * the text here, byte for byte.
 */
#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "helm/helm.h"
#include "helm/hugepages.h"
#include "helm/msgjson.h"
#include "helm/run_msg.h"

static helm_error_kind check_type(const helm_plugin *p, const char *type, helm_error *err)
{
    if (p->type && strcmp(p->type, type) == 0) return HELM_ERR_NONE;
    return helm_run_fail(err, p, HELM_ERR_REFUSED, HELM_MSG_WRONG_TYPE, p->type ? p->type : "(untyped)",
                type);
}

/* ["a", "b", ...]; NULL (reported) when an argument is not UTF-8. */
static json_t *args_array(const helm_plugin *p, const char *const *args, size_t n,
                          helm_error *err)
{
    json_t *a = json_array();
    if (!a) return helm_run_fail(err, p, HELM_ERR_HOST, HELM_MSG_NOMEM), NULL;
    for (size_t i = 0; i < n; i++) {
        json_t *s = json_string(args[i]);
        if (!s || json_array_append_new(a, s) != 0) {
            json_decref(a);
            helm_run_fail(err, p, s ? HELM_ERR_HOST : HELM_ERR_INPUT, HELM_MSG_NOT_UTF8, "an argument");
            return NULL;
        }
    }
    return a;
}

/* Invokes the plugin with the message in (taken) and finds the string
   member key of its output object: *val (NULL when the member is absent
   or null, or the output empty) points into *buf, the output, which the
   caller frees.  A required member must be there: an empty output or an
   absent member is then an error. */
static helm_error_kind exchange(const helm_plugin *p, const helm_run_options *o, char *in,
                                size_t in_len, bool inherit, const char *key, bool required,
                                char **buf, const char **val, size_t *val_len, helm_error *err)
{
    size_t len = 0;
    *buf = NULL;
    *val = NULL;
    *val_len = 0;
    helm_error_kind kind = helm_plugin_invoke(p, o, in, in_len, inherit, buf, &len, err);
    free(in);
    if (kind != HELM_ERR_NONE) return kind;
    if (len == 0 && !required) return HELM_ERR_NONE;
    if (len == 0)
        return helm_run_fail(err, p, HELM_ERR_OUTPUT, HELM_MSG_OUT_NOT_JSON, p->type, "empty");
    char why[128];
    switch (helm_json_object_string(*buf, len, key, val, val_len, why, sizeof why)) {
    case HELM_JSON_OK:
        if (*val || !required) return HELM_ERR_NONE;
        return helm_run_fail(err, p, HELM_ERR_OUTPUT, HELM_MSG_OUT_FIELD, p->type, key,
                             "is missing");
    case HELM_JSON_NOT_OBJECT: return helm_run_fail(err, p, HELM_ERR_OUTPUT, HELM_MSG_OUT_NOT_JSON, p->type, why);
    case HELM_JSON_NOT_STRING: break;
    }
    return helm_run_fail(err, p, HELM_ERR_OUTPUT, HELM_MSG_OUT_FIELD, p->type, key, "is not a string");
}

/* msg (taken) as compact JSON text; NULL (reported) when out of memory. */
static char *dump(const helm_plugin *p, json_t *msg, size_t *len, helm_error *err)
{
    char *text = msg ? json_dumps(msg, JSON_COMPACT) : NULL;
    json_decref(msg);
    if (!text) return helm_run_fail(err, p, HELM_ERR_HOST, HELM_MSG_NOMEM), NULL;
    *len = strlen(text);
    return text;
}

/* ---- cli/v1 ----------------------------------------------------------------- */

helm_error_kind helm_run_cli(const helm_plugin *p, const helm_run_options *o,
                             const char *const *args, size_t nargs, FILE *out, helm_error *err)
{
    helm_error_kind kind = check_type(p, "cli/v1", err);
    if (kind != HELM_ERR_NONE) return kind;
    json_t *a = args_array(p, args, nargs, err);
    if (!a) return err->kind;
    size_t in_len;
    char *in = dump(p, json_pack("{s:o}", "extraArgs", a), &in_len, err);
    if (!in) return err->kind;
    char *buf;
    const char *data;
    size_t n;
    kind = exchange(p, o, in, in_len, true, "data", false, &buf, &data, &n, err);
    if (data && kind == HELM_ERR_NONE && n && fwrite(data, 1, n, out) != n)
        kind = helm_run_fail(err, p, HELM_ERR_HOST, "cannot write the output");
    fflush(out);
    free(buf);
    return kind;
}

/* ---- getter/v1 -------------------------------------------------------------- */

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

/* Standard base64 with padding, as Go's encoding/json writes a []byte
   (its decoder also skips \r and \n).  NULL when malformed. */
static uint8_t *b64_decode(const char *s, size_t n, size_t *out_len)
{
    uint8_t *out = malloc(n / 4 * 3 + 3);
    if (!out) return NULL;
    size_t o = 0, q = 0, pad = 0;
    uint32_t acc = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\r' || c == '\n') continue;
        int v = c == '=' ? 0 : b64_value(c);
        if (v < 0 || (pad && c != '=')) goto bad;
        if (c == '=') pad++;
        acc = acc << 6 | (uint32_t)v;
        if (++q == 4) {
            if (pad > 2) goto bad;
            out[o++] = (uint8_t)(acc >> 16);
            if (pad < 2) out[o++] = (uint8_t)(acc >> 8);
            if (pad < 1) out[o++] = (uint8_t)acc;
            q = 0;
            acc = 0;
        }
    }
    if (q != 0) goto bad;
    *out_len = o;
    return out;
bad:
    free(out);
    return NULL;
}

static json_t *options_json(const helm_getter_options *g, int64_t dflt_timeout)
{
    helm_getter_options none;
    if (!g) {
        memset(&none, 0, sizeof none);
        g = &none;
    }
#define S(x) ((x) ? (x) : "")
    return json_pack("{s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:s, s:s, s:s, s:b, s:s, s:s, s:I}",
                     "URL", S(g->url), "CertFile", S(g->cert_file), "KeyFile", S(g->key_file),
                     "CAFile", S(g->ca_file), "UNTar", g->untar,
                     "InsecureSkipVerifyTLS", g->insecure_skip_verify_tls,
                     "PlainHTTP", g->plain_http, "AcceptHeader", S(g->accept_header),
                     "Username", S(g->username), "Password", S(g->password),
                     "PassCredentialsAll", g->pass_credentials_all,
                     "UserAgent", S(g->user_agent), "Version", S(g->version),
                     "Timeout", (json_int_t)(g->timeout_ns ? g->timeout_ns : dflt_timeout));
#undef S
}

/* The scheme as Go's url.Parse reads it: ALPHA *(ALPHA / DIGIT / + - .)
   before a ':', lowercased; "" when there is none. */
static void scheme_of(const char *href, char *out, size_t size)
{
    size_t n = 0;
    out[0] = 0;
    if (!isalpha((unsigned char)href[0])) return;
    while (href[n] && (isalnum((unsigned char)href[n]) || strchr("+-.", href[n]))) n++;
    if (href[n] != ':' || n >= size) return;
    for (size_t i = 0; i < n; i++) out[i] = (char)tolower((unsigned char)href[i]);
    out[n] = 0;
}

helm_error_kind helm_run_getter(const helm_plugin *p, const helm_run_options *o,
                                const char *href, const helm_getter_options *opts,
                                uint8_t **data, size_t *len, helm_error *err)
{
    *data = NULL;
    *len = 0;
    helm_error_kind kind = check_type(p, "getter/v1", err);
    if (kind != HELM_ERR_NONE) return kind;
    char scheme[64];
    scheme_of(href, scheme, sizeof scheme);
    json_t *h = json_string(href), *pr = json_string(scheme), *op = options_json(opts, 0);
    if (!h || !pr || !op) {
        json_decref(h);
        json_decref(pr);
        json_decref(op);
        return helm_run_fail(err, p, h ? HELM_ERR_HOST : HELM_ERR_INPUT, HELM_MSG_NOT_UTF8, "the URL");
    }
    size_t in_len;
    char *in = dump(p, json_pack("{s:o, s:o, s:o}", "href", h, "protocol", pr, "options", op),
                    &in_len, err);
    if (!in) return err->kind;
    char *buf;
    const char *d;
    size_t n;
    kind = exchange(p, o, in, in_len, false, "data", true, &buf, &d, &n, err);
    if (kind == HELM_ERR_NONE) {
        *data = b64_decode(d, n, len);
        if (!*data) kind = helm_run_fail(err, p, HELM_ERR_OUTPUT, HELM_MSG_OUT_BASE64);
    }
    free(buf);
    return kind;
}

const helm_plugin *helm_find_getter(const helm_plugin_set *set, const char *href, char *scheme,
                                    size_t scheme_size)
{
    scheme_of(href, scheme, scheme_size);
    if (!scheme[0]) return NULL;
    for (size_t i = 0; i < set->n; i++) {
        const helm_plugin *p = set->plugins[i];
        if (!p->type || strcmp(p->type, "getter/v1") != 0) continue;
        for (size_t k = 0; k < p->nprotocols; k++)
            if (p->protocols[k] && strcmp(p->protocols[k], scheme) == 0) return p;
    }
    return NULL;
}

const helm_plugin *helm_plugin_find(const helm_plugin_set *set, const char *name)
{
    for (size_t i = 0; i < set->n; i++)
        if (set->plugins[i]->name && strcmp(set->plugins[i]->name, name) == 0)
            return set->plugins[i];
    return NULL;
}

/* ---- postrenderer/v1 ---------------------------------------------------------- */

helm_error_kind helm_run_postrender(const helm_plugin *p, const helm_run_options *o,
                                    const char *manifests, size_t len,
                                    const char *const *args, size_t nargs,
                                    char **out, size_t *out_len, helm_error *err)
{
    *out = NULL;
    *out_len = 0;
    helm_error_kind kind = check_type(p, "postrenderer/v1", err);
    if (kind != HELM_ERR_NONE) return kind;
    json_t *a = args_array(p, args, nargs, err);
    if (!a) return err->kind;
    size_t args_len;
    char *args_json = dump(p, a, &args_len, err);
    if (!args_json) return err->kind;
    /* {"extraArgs":[...],"manifests":"..."}: extraArgs first, so a plugin
       that scans the message for its members finds the small one without
       crossing megabytes of manifests. */
    static const char head[] = "{\"extraArgs\":", mid[] = ",\"manifests\":";
    size_t quoted = helm_json_quoted_max(len);
    size_t room = quoted ? sizeof head + args_len + sizeof mid + quoted + 1 : 0;
    char *in = room ? malloc(room) : NULL;
    helm_hugepages(in, room);
    if (!in) {
        free(args_json);
        return helm_run_fail(err, p, HELM_ERR_HOST, HELM_MSG_NOMEM);
    }
    size_t n = 0;
    memcpy(in + n, head, sizeof head - 1), n += sizeof head - 1;
    memcpy(in + n, args_json, args_len), n += args_len;
    memcpy(in + n, mid, sizeof mid - 1), n += sizeof mid - 1;
    free(args_json);
    size_t q = helm_json_quote(in + n, manifests, len);
    if (!q) {
        free(in);
        return helm_run_fail(err, p, HELM_ERR_INPUT, HELM_MSG_NOT_UTF8, "the manifests");
    }
    n += q;
    in[n++] = '}';
    char *buf;
    const char *v;
    size_t vn;
    kind = exchange(p, o, in, n, false, "manifests", true, &buf, &v, &vn, err);
    if (kind == HELM_ERR_NONE) {
        /* Helm refuses an output of only white space as "empty". */
        size_t i = 0;
        while (i < vn && isspace((unsigned char)v[i])) i++;
        if (i == vn) {
            kind = helm_run_fail(err, p, HELM_ERR_OUTPUT, HELM_MSG_OUT_EMPTY);
        } else {
            /* The text to the buffer's start: no second copy of megabytes. */
            memmove(buf, v, vn);
            buf[vn] = 0;
            *out = buf;
            *out_len = vn;
            buf = NULL;
        }
    }
    free(buf);
    return kind;
}
