/*
 * msgjson.h - the JSON text of plugin messages where it is large: a
 * string written as a JSON string token, and a string member read out
 * of a plugin's output object (msgjson.c).  Internal to src/helm/.
 *
 * jansson builds and parses everything small; these two exist because
 * a post-render moves megabytes of manifests each way and jansson spends
 * about 15 ns a byte on a string (measured: 10 MiB dumped in 140 ms,
 * parsed in 210 ms), which alone caps post-render near 30 MiB/s.  Both
 * are strict: only UTF-8 text goes in, and only one RFC 8259 JSON object
 * comes out.
 */
#ifndef HELM_MSGJSON_H
#define HELM_MSGJSON_H

#include <stdbool.h>
#include <stddef.h>

/* The most bytes helm_json_quote writes for n bytes of text (every byte
   a \u00XX escape, plus the quotes); 0 when that overflows. */
size_t helm_json_quoted_max(size_t n);

/* Writes s (n bytes) at dst as a JSON string token, quotes included:
   '"', '\\' and control characters escaped, all else as it is.  dst has
   room for helm_json_quoted_max(n) bytes.  Returns the bytes written, or
   0 when s is not UTF-8 (overlong forms, surrogates and code points
   above U+10FFFF are not UTF-8). */
size_t helm_json_quote(char *dst, const char *s, size_t n);

typedef enum helm_json_result {
    HELM_JSON_OK,          /* *val is the member, or NULL when absent or null */
    HELM_JSON_NOT_OBJECT,  /* text is not one JSON object; why says where */
    HELM_JSON_NOT_STRING,  /* the member is there but of another type */
} helm_json_result;

/* Parses text (len bytes) as exactly one JSON object (white space around
   it allowed) and finds the member named key when it is a string.  Its
   decoded bytes are written over its own JSON text, so nothing is
   allocated: *val points into text, *val_len bytes followed by a NUL (a
   \u0000 escape may put NULs inside); the rest of text is left as
   undefined.  A later duplicate of the member wins, as in jansson and
   Go's encoding/json.  On HELM_JSON_NOT_OBJECT, why (why_size bytes) says
   what is wrong and at which byte offset. */
helm_json_result helm_json_object_string(char *text, size_t len, const char *key,
                                         const char **val, size_t *val_len, char *why,
                                         size_t why_size);

#endif
