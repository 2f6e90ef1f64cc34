/*
 * wbuf.c - the byte buffer of wbuf.h.
 */
#include "wbuf.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void reserve(wbuf *b, size_t n)
{
    if (b->len + n <= b->cap) return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + n) cap *= 2;
    uint8_t *p = realloc(b->data, cap);
    if (!p) {
        fprintf(stderr, "wbuf: out of memory\n");
        abort();
    }
    b->data = p;
    b->cap = cap;
}

void wbuf_free(wbuf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

void wbuf_u8(wbuf *b, uint8_t v)
{
    reserve(b, 1);
    b->data[b->len++] = v;
}

void wbuf_bytes(wbuf *b, const void *p, size_t n)
{
    if (!n) return;
    reserve(b, n);
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

void wbuf_fill(wbuf *b, uint8_t v, size_t n)
{
    reserve(b, n);
    memset(b->data + b->len, v, n);
    b->len += n;
}

void wbuf_u32(wbuf *b, uint32_t v)
{
    do {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        wbuf_u8(b, byte | (v ? 0x80 : 0));
    } while (v);
}

void wbuf_s32(wbuf *b, int32_t v)
{
    int64_t x = v;
    for (;;) {
        uint8_t byte = (uint8_t)(x & 0x7f);
        x >>= 7;  /* arithmetic on every compiler wasmguard supports */
        bool done = (x == 0 && !(byte & 0x40)) || (x == -1 && (byte & 0x40));
        wbuf_u8(b, byte | (done ? 0 : 0x80));
        if (done) return;
    }
}

void wbuf_header(wbuf *b)
{
    static const uint8_t h[8] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
    wbuf_bytes(b, h, sizeof h);
}

void wbuf_section(wbuf *b, uint8_t id, const wbuf *content)
{
    wbuf_u8(b, id);
    wbuf_u32(b, (uint32_t)content->len);
    wbuf_bytes(b, content->data, content->len);
}

void wbuf_module_func(wbuf *b, const uint8_t *params, uint32_t np,
                      const uint8_t *results, uint32_t nr, const wbuf *code)
{
    wbuf s = {0};
    wbuf_header(b);

    wbuf_u32(&s, 1);           /* type section: one func type */
    wbuf_u8(&s, 0x60);
    wbuf_u32(&s, np);
    wbuf_bytes(&s, params, np);
    wbuf_u32(&s, nr);
    wbuf_bytes(&s, results, nr);
    wbuf_section(b, 1, &s);

    s.len = 0;                 /* function section: one function of type 0 */
    wbuf_u32(&s, 1);
    wbuf_u32(&s, 0);
    wbuf_section(b, 3, &s);

    s.len = 0;                 /* export section: "f" is function 0 */
    wbuf_u32(&s, 1);
    wbuf_u32(&s, 1);
    wbuf_u8(&s, 'f');
    wbuf_u8(&s, 0x00);
    wbuf_u32(&s, 0);
    wbuf_section(b, 7, &s);

    s.len = 0;                 /* code section: one entry */
    wbuf_u32(&s, 1);
    wbuf_u32(&s, (uint32_t)code->len);
    wbuf_bytes(&s, code->data, code->len);
    wbuf_section(b, 10, &s);
    wbuf_free(&s);
}
