/*
 * wbuf.h - a growable byte buffer for building binary modules in C,
 * for the malformed and oversized inputs that WAT cannot express.
 * Spec: "Binary Format" (5): LEB128 integers, sections, vectors.
 * Running out of memory aborts: this is test code.
 */
#ifndef UNIT_WBUF_H
#define UNIT_WBUF_H

#include <stddef.h>
#include <stdint.h>

typedef struct wbuf {
    uint8_t *data;
    size_t len, cap;
} wbuf;

void wbuf_free(wbuf *b);
void wbuf_u8(wbuf *b, uint8_t v);
void wbuf_bytes(wbuf *b, const void *p, size_t n);
void wbuf_fill(wbuf *b, uint8_t v, size_t n);
void wbuf_u32(wbuf *b, uint32_t v);   /* unsigned LEB128 */
void wbuf_s32(wbuf *b, int32_t v);    /* signed LEB128 */
/* The magic and version 1. */
void wbuf_header(wbuf *b);
/* A section: id, size, then the content. */
void wbuf_section(wbuf *b, uint8_t id, const wbuf *content);

/* A whole module with one function of type params -> results, exported
   as "f", whose code entry is `code` (local declarations and body, the
   final `end` included).  np/nr count the type codes. */
void wbuf_module_func(wbuf *b, const uint8_t *params, uint32_t np,
                      const uint8_t *results, uint32_t nr, const wbuf *code);

#endif
