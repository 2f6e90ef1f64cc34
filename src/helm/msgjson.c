/*
 * msgjson.c - a JSON string token written, and a string member read, at
 * memory speed (see msgjson.h for why jansson is not used here).
 *
 * Both loops look at a block of bytes at a time (sixteen with SSE2, else
 * eight in a 64-bit word): the block is copied whole, and kept up to its
 * first byte that needs attention (a quote, a backslash, a control
 * character, a byte of a multi-byte UTF-8 sequence), which is then taken
 * on its own.  Manifests are mostly ASCII between escapes, so most bytes
 * move a block at a time.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "helm/msgjson.h"

#ifdef __SSE2__
#define BLOCK 16

/* How many of the 16 bytes at p need no care: the bytes that a JSON
   string cannot carry as they are (below 0x20, '"', '\\'), and those of
   0x80 and above, whose UTF-8 sequence must be checked. */
static inline size_t plain_prefix(const char *p)
{
    __m128i x = _mm_loadu_si128((const __m128i *)p);
    __m128i ctl = _mm_cmpeq_epi8(_mm_max_epu8(x, _mm_set1_epi8(0x1f)), _mm_set1_epi8(0x1f));
    __m128i quote = _mm_cmpeq_epi8(x, _mm_set1_epi8('"'));
    __m128i bslash = _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'));
    unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(ctl, quote), _mm_or_si128(bslash, x)));
    return m ? (size_t)__builtin_ctz(m) : 16;
}
#else
#define BLOCK 8
#define ONES 0x0101010101010101ull
#define HIGH 0x8080808080808080ull

/* Non-zero when a byte of w is 0 (the lowest flagged byte is exact). */
static inline uint64_t zero_byte(uint64_t w) { return (w - ONES) & ~w & HIGH; }

/* As the SSE2 plain_prefix, for the 8 bytes at p. */
static inline size_t plain_prefix(const char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    uint64_t care = ((w - ONES * 0x20) & ~w & HIGH) | zero_byte(w ^ (ONES * '"')) |
                    zero_byte(w ^ (ONES * '\\')) | (w & HIGH);
    return care ? (size_t)__builtin_ctzll(care) / 8 : 8;
}
#endif

/* The length of the UTF-8 sequence at s[i] (lead byte 0x80 or above), 0
   when it is not one: the ranges of RFC 3629's table, so no overlong
   form, surrogate or code point above U+10FFFF passes. */
static size_t utf8_sequence(const unsigned char *s, size_t i, size_t n)
{
    unsigned char c = s[i];
    unsigned char lo = 0x80, hi = 0xbf;
    size_t len;
    if (c >= 0xc2 && c <= 0xdf) len = 2;
    else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        if (c == 0xe0) lo = 0xa0;
        if (c == 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        if (c == 0xf0) lo = 0x90;
        if (c == 0xf4) hi = 0x8f;
    } else {
        return 0;
    }
    if (n - i < len || s[i + 1] < lo || s[i + 1] > hi) return 0;
    for (size_t k = 2; k < len; k++)
        if ((s[i + k] & 0xc0) != 0x80) return 0;
    return len;
}

/* ---- Writing ------------------------------------------------------------------ */

size_t helm_json_quoted_max(size_t n)
{
    return n > (SIZE_MAX - 2) / 6 ? 0 : 6 * n + 2;
}

size_t helm_json_quote(char *dst, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    size_t o = 0, i = 0;
    dst[o++] = '"';
    while (i < n) {
        if (n - i >= BLOCK) {
            /* Copy the block, keep its bytes up to the first one that
               needs care; dst has the room, 6 bytes for each byte left. */
            size_t k = plain_prefix(s + i);
            memcpy(dst + o, s + i, BLOCK);
            o += k, i += k;
            if (k == BLOCK) continue;
        }
        unsigned char c = u[i];
        if (c >= 0x80) {
            size_t len = utf8_sequence(u, i, n);
            if (!len) return 0;
            for (size_t j = 0; j < len; j++) dst[o + j] = s[i + j];
            o += len, i += len;
            continue;
        }
        i++;
        if (c == '"' || c == '\\') {
            dst[o++] = '\\', dst[o++] = (char)c;
        } else if (c >= 0x20) {
            dst[o++] = (char)c;
        } else if (c == '\n' || c == '\t' || c == '\r') {
            dst[o++] = '\\', dst[o++] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
        } else {
            memcpy(dst + o, "\\u00", 4);
            dst[o + 4] = hex[c >> 4], dst[o + 5] = hex[c & 15];
            o += 6;
        }
    }
    dst[o++] = '"';
    return o;
}

/* ---- Reading -------------------------------------------------------------------- */

/* Values nest no deeper than this: the parser recurses once a level, and
   the text is the plugin's, so its depth must not be the host's stack. */
#define MAX_DEPTH 512

typedef struct parser {
    const char *s;
    char *text;  /* s, writable: strings are decoded in place */
    size_t n, i;
    char *why;
    size_t why_size;
} parser;

static bool fail(parser *p, const char *what)
{
    if (p->why && !p->why[0]) {
        if (p->i >= p->n)
            snprintf(p->why, p->why_size, "%s at the end (byte %zu)", what, p->i);
        else
            snprintf(p->why, p->why_size, "%s at byte %zu", what, p->i);
    }
    return false;
}

static void skip_space(parser *p)
{
    while (p->i < p->n) {
        char c = p->s[p->i];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
        p->i++;
    }
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static bool hex4(parser *p, unsigned *cp)
{
    if (p->n - p->i < 4) return fail(p, "a \\u escape without four hex digits");
    unsigned v = 0;
    for (int k = 0; k < 4; k++) {
        int d = hex_digit(p->s[p->i + (size_t)k]);
        if (d < 0) return fail(p, "a \\u escape without four hex digits");
        v = v << 4 | (unsigned)d;
    }
    p->i += 4;
    *cp = v;
    return true;
}

static size_t put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) return o[0] = (char)cp, 1;
    if (cp < 0x800) return o[0] = (char)(0xc0 | cp >> 6), o[1] = (char)(0x80 | (cp & 63)), 2;
    if (cp < 0x10000) {
        o[0] = (char)(0xe0 | cp >> 12), o[1] = (char)(0x80 | (cp >> 6 & 63));
        o[2] = (char)(0x80 | (cp & 63));
        return 3;
    }
    o[0] = (char)(0xf0 | cp >> 18), o[1] = (char)(0x80 | (cp >> 12 & 63));
    o[2] = (char)(0x80 | (cp >> 6 & 63)), o[3] = (char)(0x80 | (cp & 63));
    return 4;
}

/* The character of a one-letter escape (\n and the like), else 0. */
static inline char simple_escape(char c)
{
    switch (c) {
    case '"': case '\\': case '/': return c;
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    }
    return 0;
}

/* The escape after a backslash (p->i past it); its bytes at out (room
   for 4), *len of them.  A \u escape of a surrogate must be a high one
   followed by the \u escape of a low one. */
static bool escape(parser *p, char *out, size_t *len)
{
    if (p->i >= p->n) return fail(p, "a string without its closing quote");
    char c = p->s[p->i++];
    char simple = simple_escape(c);
    if (simple) {
        *out = simple;
        *len = 1;
        return true;
    }
    if (c != 'u') return p->i--, fail(p, "an unknown escape in a string");
    unsigned cp;
    if (!hex4(p, &cp)) return false;
    if (cp >= 0xdc00 && cp <= 0xdfff) return fail(p, "a lone low surrogate escape");
    if (cp >= 0xd800 && cp <= 0xdbff) {
        unsigned lo;
        if (p->n - p->i < 2 || p->s[p->i] != '\\' || p->s[p->i + 1] != 'u')
            return fail(p, "a high surrogate escape without its low one");
        p->i += 2;
        if (!hex4(p, &lo)) return false;
        if (lo < 0xdc00 || lo > 0xdfff) return fail(p, "a high surrogate escape without its low one");
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
    }
    *len = put_utf8(out, cp);
    return true;
}

/* The string token at p->i (its opening quote), p->i left past its
   closing one; its decoded bytes written at d when d is given.  d may be
   the token's own first byte: decoding never lengthens, so each write
   lands at or behind the byte being read (hence memmove). */
static bool scan_string(parser *p, char *d, size_t *d_len)
{
    const unsigned char *u = (const unsigned char *)p->s;
    size_t o = 0;
    p->i++;
    for (;;) {
        if (p->n - p->i >= BLOCK) {
            size_t k = plain_prefix(p->s + p->i);
            if (d && (k == BLOCK || (size_t)(p->s + p->i - (d + o)) >= BLOCK)) {
                memmove(d + o, p->s + p->i, BLOCK);
            } else if (d) {
                /* only the bytes consumed: the rest of the block may be
                   unread text that a wider write would clobber (once
                   BLOCK escapes have shortened the text it cannot) */
                for (size_t j = 0; j < k; j++) d[o + j] = p->s[p->i + j];
            }
            o += k, p->i += k;
            if (k == BLOCK) continue;
        }
        if (p->i >= p->n) return fail(p, "a string without its closing quote");
        unsigned char c = u[p->i];
        if (c == '"') {
            p->i++;
            if (d_len) *d_len = o;
            return true;
        }
        if (c == '\\') {
            char tmp[4];
            size_t len = 0;
            p->i++;
            char simple = p->i < p->n ? simple_escape(p->s[p->i]) : 0;
            if (simple) {  /* the common case, without a call */
                if (d) d[o] = simple;
                o++, p->i++;
                continue;
            }
            if (!escape(p, tmp, &len)) return false;
            if (d)
                for (size_t j = 0; j < len; j++) d[o + j] = tmp[j];
            o += len;
        } else if (c < 0x20) {
            return fail(p, "a control character inside a string");
        } else if (c >= 0x80) {
            size_t len = utf8_sequence(u, p->i, p->n);
            if (!len) return fail(p, "a string that is not UTF-8");
            if (d)
                for (size_t j = 0; j < len; j++) d[o + j] = p->s[p->i + j];
            o += len, p->i += len;
        } else {
            if (d) d[o] = (char)c;
            o++, p->i++;
        }
    }
}

/* The string token at p->i, checked; when out is given, decoded in
   place: *out is its first byte, NUL-terminated (over the closing quote
   or before). */
static bool string_token(parser *p, char **out, size_t *out_len)
{
    if (!out) return scan_string(p, NULL, NULL);
    char *d = p->text + p->i + 1;
    if (!scan_string(p, d, out_len)) return false;
    d[*out_len] = 0;
    *out = d;
    return true;
}

static bool digits(parser *p)
{
    size_t from = p->i;
    while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9') p->i++;
    return p->i > from;
}

static bool number(parser *p)
{
    if (p->s[p->i] == '-') p->i++;
    if (p->i < p->n && p->s[p->i] == '0') p->i++;
    else if (!digits(p)) return fail(p, "a malformed number");
    if (p->i < p->n && p->s[p->i] == '.') {
        p->i++;
        if (!digits(p)) return fail(p, "a malformed number");
    }
    if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
        p->i++;
        if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-')) p->i++;
        if (!digits(p)) return fail(p, "a malformed number");
    }
    return true;
}

static bool literal(parser *p, const char *word)
{
    size_t k = strlen(word);
    if (p->n - p->i < k || memcmp(p->s + p->i, word, k) != 0) return fail(p, "an unexpected character");
    p->i += k;
    return true;
}

static bool value(parser *p, int depth);

/* An array or object at p->i; each member (or element) checked by
   value(), object keys by string_token(). */
static bool container(parser *p, int depth)
{
    char close = p->s[p->i] == '{' ? '}' : ']';
    if (depth >= MAX_DEPTH) return fail(p, "values nested too deeply");
    p->i++;
    skip_space(p);
    if (p->i < p->n && p->s[p->i] == close) return p->i++, true;
    for (;;) {
        if (close == '}') {
            if (p->i >= p->n || p->s[p->i] != '"') return fail(p, "expected a member name");
            if (!string_token(p, NULL, NULL)) return false;
            skip_space(p);
            if (p->i >= p->n || p->s[p->i] != ':') return fail(p, "expected ':'");
            p->i++;
        }
        if (!value(p, depth + 1)) return false;
        skip_space(p);
        if (p->i < p->n && p->s[p->i] == ',') {
            p->i++;
            skip_space(p);
            continue;
        }
        if (p->i < p->n && p->s[p->i] == close) return p->i++, true;
        return fail(p, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static bool value(parser *p, int depth)
{
    skip_space(p);
    if (p->i >= p->n) return fail(p, "expected a value");
    switch (p->s[p->i]) {
    case '"': return string_token(p, NULL, NULL);
    case '{': case '[': return container(p, depth);
    case 't': return literal(p, "true");
    case 'f': return literal(p, "false");
    case 'n': return literal(p, "null");
    default:
        if (p->s[p->i] == '-' || (p->s[p->i] >= '0' && p->s[p->i] <= '9')) return number(p);
        return fail(p, "an unexpected character");
    }
}

helm_json_result helm_json_object_string(char *text, size_t len, const char *key,
                                         const char **val, size_t *val_len, char *why, size_t why_size)
{
    parser p = {.s = text, .text = text, .n = len, .why = why, .why_size = why_size};
    size_t key_len = strlen(key);
    bool not_string = false;
    *val = NULL;
    *val_len = 0;
    if (why && why_size) why[0] = 0;
    skip_space(&p);
    if (p.i >= p.n || p.s[p.i] != '{') {
        fail(&p, "expected '{'");
        return HELM_JSON_NOT_OBJECT;
    }
    p.i++;
    skip_space(&p);
    while (!(p.i < p.n && p.s[p.i] == '}')) {  /* once a member; none in {} */
        char *name;
        size_t name_len;
        if (p.i >= p.n || p.s[p.i] != '"') {
            fail(&p, "expected a member name");
            goto bad;
        }
        if (!string_token(&p, &name, &name_len)) goto bad;
        bool wanted = name_len == key_len && memcmp(name, key, key_len) == 0;
        skip_space(&p);
        if (p.i >= p.n || p.s[p.i] != ':') {
            fail(&p, "expected ':'");
            goto bad;
        }
        p.i++;
        skip_space(&p);
        if (wanted) {
            *val = NULL;
            *val_len = 0;
        }
        size_t at = p.i;
        if (wanted && p.i < p.n && p.s[p.i] == '"') {
            char *v;
            if (!string_token(&p, &v, val_len)) goto bad;
            *val = v;
            not_string = false;
        } else {
            if (!value(&p, 1)) goto bad;
            if (wanted) not_string = !(p.i - at == 4 && memcmp(p.s + at, "null", 4) == 0);
        }
        skip_space(&p);
        if (p.i < p.n && p.s[p.i] == ',') {
            p.i++;
            skip_space(&p);
            if (p.i < p.n && p.s[p.i] == '}') {
                fail(&p, "expected a member name");
                goto bad;
            }
            continue;
        }
        if (p.i < p.n && p.s[p.i] == '}') break;
        fail(&p, "expected ',' or '}'");
        goto bad;
    }
    p.i++;
    skip_space(&p);
    if (p.i < p.n) {
        fail(&p, "text after the object");
        goto bad;
    }
    if (not_string) return HELM_JSON_NOT_STRING;
    return HELM_JSON_OK;
bad:
    *val = NULL;
    *val_len = 0;
    return HELM_JSON_NOT_OBJECT;
}
