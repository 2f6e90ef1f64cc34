/*
 * helm_json.h - just enough JSON for the example and test Helm plugins (header-only, for
 * wasm32-wasi): find a top-level member by a naive search, decode a
 * string or an array of strings, encode a string, base64-encode bytes.
 * The inputs are wasmguard's own compact messages, so a member name
 * followed by ':' can only be a member (a quote inside a string is
 * always escaped).
 */
#ifndef EXAMPLES_HELM_JSON_H
#define EXAMPLES_HELM_JSON_H

#include <stdlib.h>
#include <string.h>

/* The value of member key ("key": VALUE), or NULL. */
static inline const char *jh_find(const char *json, const char *key)
{
    size_t k = strlen(key);
    for (const char *p = json; (p = strchr(p, '"')) != NULL; p++) {
        if (strncmp(p + 1, key, k) == 0 && p[k + 1] == '"' && p[k + 2] == ':') return p + k + 3;
    }
    return NULL;
}

static inline int jh_hex(const char *p)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v = v * 16 + (c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c - 'A' + 10);
    }
    return v;
}

static inline size_t jh_utf8(char *out, unsigned cp)
{
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) { out[0] = (char)(0xc0 | cp >> 6); out[1] = (char)(0x80 | (cp & 63)); return 2; }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | cp >> 12); out[1] = (char)(0x80 | (cp >> 6 & 63));
        out[2] = (char)(0x80 | (cp & 63)); return 3;
    }
    out[0] = (char)(0xf0 | cp >> 18); out[1] = (char)(0x80 | (cp >> 12 & 63));
    out[2] = (char)(0x80 | (cp >> 6 & 63)); out[3] = (char)(0x80 | (cp & 63)); return 4;
}

/* The closing quote of the string whose first byte is at p (past its
   opening quote), or the NUL that ends the text.  Eight bytes a step
   while none is a quote, a backslash or a NUL: in an interpreter that is
   the difference between about one and about eight instructions a byte
   of manifests.  It may read up to seven bytes past the NUL, which
   pdk_input's buffer has. */
static inline const char *jh_string_end(const char *p)
{
    const unsigned long long ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    for (;;) {
        unsigned long long w, q, b;
        memcpy(&w, p, 8);
        q = w ^ (ones * '"');
        b = w ^ (ones * '\\');
        unsigned long long hit = (((w - ones) & ~w) | ((q - ones) & ~q) | ((b - ones) & ~b)) & high;
        /* The lowest flagged byte is exact; those above it may be false
           (a borrow), so each is looked at before it counts. */
        while (hit) {
            unsigned at = (unsigned)__builtin_ctzll(hit) / 8;
            char c = p[at];
            if (c == '"' || c == 0) return p + at;
            if (c == '\\') {
                if (!p[at + 1]) return p + at + 1;
                if (at == 7) {  /* the escaped byte opens the next word */
                    p += 1;
                    break;
                }
                hit &= ~(0xffffull << (at * 8));  /* this byte and the escaped one */
                continue;
            }
            hit &= hit - 1;
        }
        p += 8;
    }
}

/* Decodes the string at p (at its opening quote); *end after the closing
   one.  malloc'd, NUL-terminated, *len bytes. */
static inline char *jh_string(const char *p, size_t *len, const char **end)
{
    if (*p != '"') return NULL;
    p++;
    const char *q = jh_string_end(p);
    char *out = malloc((size_t)(q - p) + 1), *o = out;
    if (!out) return NULL;
    while (p < q) {
        if (*p != '\\') { *o++ = *p++; continue; }
        p++;
        char c = *p++;
        switch (c) {
        case 'n': *o++ = '\n'; break;
        case 't': *o++ = '\t'; break;
        case 'r': *o++ = '\r'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'u': {
            unsigned cp = (unsigned)jh_hex(p);
            p += 4;
            if (cp >= 0xd800 && cp < 0xdc00 && p[0] == '\\' && p[1] == 'u') {
                cp = 0x10000 + ((cp - 0xd800) << 10) + ((unsigned)jh_hex(p + 2) - 0xdc00);
                p += 6;
            }
            o += jh_utf8(o, cp);
            break;
        }
        default: *o++ = c; break;
        }
    }
    *o = 0;
    if (len) *len = (size_t)(o - out);
    if (end) *end = q + 1;
    return out;
}

/* Decodes an array of strings at p; *n entries (malloc'd array). */
static inline char **jh_strings(const char *p, size_t *n)
{
    *n = 0;
    while (p && *p == ' ') p++;
    if (!p || *p != '[') return NULL;
    size_t cap = 8;
    char **a = malloc(cap * sizeof *a);
    p++;
    while (a && *p && *p != ']') {
        if (*p == ',' || *p == ' ') { p++; continue; }
        if (*n == cap) a = realloc(a, (cap *= 2) * sizeof *a);
        if (!a || !(a[*n] = jh_string(p, NULL, &p))) break;
        ++*n;
    }
    return a;
}

/* The bytes jh_put_string writes for s. */
static inline size_t jh_string_size(const char *s, size_t len)
{
    size_t n = 2;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        n += c == '"' || c == '\\' || c == '\n' || c == '\t' ? 2 : c < 0x20 ? 6 : 1;
    }
    return n;
}

/* Writes s as a JSON string at dst (room for jh_string_size bytes);
   returns the bytes written. */
static inline size_t jh_put_string(char *dst, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = 0;
    dst[n++] = '"';
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') { dst[n++] = '\\'; dst[n++] = (char)c; }
        else if (c == '\n') { dst[n++] = '\\'; dst[n++] = 'n'; }
        else if (c == '\t') { dst[n++] = '\\'; dst[n++] = 't'; }
        else if (c < 0x20) {
            dst[n++] = '\\'; dst[n++] = 'u'; dst[n++] = '0'; dst[n++] = '0';
            dst[n++] = hex[c >> 4]; dst[n++] = hex[c & 15];
        } else dst[n++] = (char)c;
    }
    dst[n++] = '"';
    return n;
}

/* Standard base64 with padding at dst (room for 4 * (len + 2) / 3 + 1). */
static inline size_t jh_base64(char *dst, const unsigned char *s, size_t len)
{
    static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = 0, i = 0;
    for (; i + 2 < len; i += 3) {
        unsigned v = (unsigned)s[i] << 16 | (unsigned)s[i + 1] << 8 | s[i + 2];
        dst[n++] = t[v >> 18]; dst[n++] = t[v >> 12 & 63]; dst[n++] = t[v >> 6 & 63]; dst[n++] = t[v & 63];
    }
    if (i < len) {
        unsigned v = (unsigned)s[i] << 16 | (i + 1 < len ? (unsigned)s[i + 1] << 8 : 0);
        dst[n++] = t[v >> 18]; dst[n++] = t[v >> 12 & 63];
        dst[n++] = i + 1 < len ? t[v >> 6 & 63] : '=';
        dst[n++] = '=';
    }
    return n;
}

#endif
