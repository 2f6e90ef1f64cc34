/*
 * test_decode.c - hostile binaries must be refused cleanly and fast.
 *
 * Spec: "Binary Format" (5).  Every input here is malformed; the engine
 * must answer WASM_MALFORMED with a message that says where (a section or
 * a byte offset), within a fraction of a second, and never read outside
 * the bytes it was given (each input sits in a buffer of exactly its size,
 * so the sanitized build catches over-reads).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "util.h"
#include "wbuf.h"

/* Budget of one hostile decode. */
#define FAST_MS (250.0 * UNIT_SLOW)

/* Decodes a private copy of bytes[0, len); returns the status, fills err
   and the time taken. */
static wasm_status decode(const uint8_t *bytes, size_t len, wasm_error *err, double *ms)
{
    uint8_t *copy = malloc(len ? len : 1);
    if (len) memcpy(copy, bytes, len);
    wasm_error_clear(err);
    double t0 = unit_now_ms();
    wasm_module *m = wasm_module_new(copy, len, err);
    *ms = unit_now_ms() - t0;
    wasm_status st = m ? WASM_OK : err->status;
    if (m) wasm_module_free(m);
    free(copy);
    return st;
}

/* The input must be refused with `want`, a located message, fast. */
static bool refused(const char *file, int line, const char *what,
                    const uint8_t *bytes, size_t len, wasm_status want)
{
    wasm_error err;
    double ms;
    wasm_status st = decode(bytes, len, &err, &ms);
    bool ok = test_check(st == want, file, line, "%s: got %s, want %s (\"%s\")", what,
                         wasm_status_name(st), wasm_status_name(want), err.message);
    ok &= test_check(st == WASM_OK || unit_msg_locates(err.message), file, line,
                     "%s: message does not say where: \"%s\"", what, err.message);
    ok &= test_check(ms < FAST_MS, file, line, "%s: took %.1f ms", what, ms);
    return ok;
}
#define REFUSED(what, b, want) refused(__FILE__, __LINE__, what, (b)->data, (b)->len, want)

TEST(test_decode_empty_input)
{
    static const uint8_t nothing[1] = {0};
    refused(__FILE__, __LINE__, "empty", nothing, 0, WASM_MALFORMED);
}

TEST(test_decode_bad_magic)
{
    static const uint8_t asm_[] = {0x00, 'a', 's', 'n', 0x01, 0, 0, 0};
    static const uint8_t elf[] = {0x7f, 'E', 'L', 'F', 0x02, 0x01, 0x01, 0x00};
    static const uint8_t text[] = "(module)";
    refused(__FILE__, __LINE__, "\\0asn", asm_, sizeof asm_, WASM_MALFORMED);
    refused(__FILE__, __LINE__, "ELF", elf, sizeof elf, WASM_MALFORMED);
    refused(__FILE__, __LINE__, "text", text, sizeof text - 1, WASM_MALFORMED);
    for (size_t n = 1; n < 4; n++)
        refused(__FILE__, __LINE__, "magic prefix", asm_, n, WASM_MALFORMED);
}

TEST(test_decode_bad_version)
{
    static const uint8_t v2[] = {0, 'a', 's', 'm', 0x02, 0, 0, 0};
    static const uint8_t v0[] = {0, 'a', 's', 'm', 0x00, 0, 0, 0};
    static const uint8_t layer[] = {0, 'a', 's', 'm', 0x0d, 0, 0x01, 0};
    static const uint8_t big[] = {0, 'a', 's', 'm', 0x01, 0, 0, 0x80};
    refused(__FILE__, __LINE__, "version 2", v2, sizeof v2, WASM_MALFORMED);
    refused(__FILE__, __LINE__, "version 0", v0, sizeof v0, WASM_MALFORMED);
    refused(__FILE__, __LINE__, "component", layer, sizeof layer, WASM_MALFORMED);
    refused(__FILE__, __LINE__, "version 1<<31", big, sizeof big, WASM_MALFORMED);
    refused(__FILE__, __LINE__, "short version", v2, 6, WASM_MALFORMED);
}

/* all_sections.wasm with a custom section at the end. */
static uint8_t *all_sections(size_t *len)
{
    size_t n;
    uint8_t *bytes = unit_read_fixture("all_sections", &n);
    if (!bytes) return NULL;
    wbuf b = {0}, custom = {0};
    wbuf_bytes(&b, bytes, n);
    free(bytes);
    wbuf_u32(&custom, 4);
    wbuf_bytes(&custom, "note", 4);
    wbuf_bytes(&custom, "payload", 7);
    wbuf_section(&b, 0, &custom);
    wbuf_free(&custom);
    *len = b.len;
    return b.data;
}

/* Marks in `bound` every length at which a section (or the header) ends. */
static bool section_bounds(const uint8_t *p, size_t len, bool *bound)
{
    size_t pos = 8;
    bound[8] = true;
    while (pos < len) {
        pos++;                       /* id */
        uint32_t size = 0;
        for (int shift = 0; pos < len; shift += 7) {
            uint8_t byte = p[pos++];
            size |= (uint32_t)(byte & 0x7f) << shift;
            if (!(byte & 0x80)) break;
        }
        pos += size;
        if (pos > len) return false;
        bound[pos] = true;
    }
    return true;
}

TEST(test_decode_every_truncation_is_malformed)
{
    size_t len;
    uint8_t *mod = all_sections(&len);
    REQUIRE(mod != NULL);
    bool *bound = calloc(len + 1, 1);
    REQUIRE(section_bounds(mod, len, bound));

    wasm_error err;
    double ms;
    CHECK_OK(decode(mod, len, &err, &ms), err);
    int bad = 0;
    for (size_t cut = 0; cut < len && bad < 5; cut++) {
        wasm_status st = decode(mod, cut, &err, &ms);
        char what[64];
        snprintf(what, sizeof what, "cut at %zu of %zu", cut, len);
        bool ok = test_check(ms < FAST_MS, __FILE__, __LINE__, "%s: took %.1f ms", what, ms);
        if (bound[cut]) {
            /* A whole number of sections: may be a valid module, or one
               whose function and code sections disagree. */
            ok &= test_check(st == WASM_OK || st == WASM_MALFORMED || st == WASM_INVALID,
                             __FILE__, __LINE__, "%s (a section boundary): got %s (\"%s\")",
                             what, wasm_status_name(st), err.message);
        } else {
            ok &= test_check(st == WASM_MALFORMED, __FILE__, __LINE__,
                             "%s: got %s, want malformed (\"%s\")", what,
                             wasm_status_name(st), err.message);
            ok &= test_check(unit_msg_locates(err.message), __FILE__, __LINE__,
                             "%s: message does not say where: \"%s\"", what, err.message);
        }
        bad += !ok;
    }
    free(bound);
    free(mod);
}

TEST(test_decode_byte_mutations_fail_cleanly)
{
    static const uint8_t values[] = {0x00, 0x7f, 0x80, 0xff, 0x41};
    size_t len;
    uint8_t *mod = all_sections(&len);
    REQUIRE(mod != NULL);
    uint8_t *copy = malloc(len);
    int bad = 0;
    for (size_t i = 8; i < len && bad < 5; i++) {
        for (size_t v = 0; v < sizeof values; v++) {
            memcpy(copy, mod, len);
            if (copy[i] == values[v]) continue;
            copy[i] = values[v];
            wasm_error err;
            double ms;
            wasm_status st = decode(copy, len, &err, &ms);
            bool ok = test_check(st == WASM_OK || st == WASM_MALFORMED || st == WASM_INVALID ||
                                 st == WASM_LIMIT, __FILE__, __LINE__,
                                 "byte %zu set to 0x%02x: got %s", i, values[v],
                                 wasm_status_name(st));
            ok &= test_check(st == WASM_OK || err.message[0], __FILE__, __LINE__,
                             "byte %zu set to 0x%02x: %s without a message", i, values[v],
                             wasm_status_name(st));
            ok &= test_check(ms < FAST_MS, __FILE__, __LINE__, "byte %zu: took %.1f ms", i, ms);
            bad += !ok;
        }
    }
    free(copy);
    free(mod);
}

/* A module whose only section is `id` with a count of 0xFFFFFFFF followed
   by one byte. */
static void huge_count_module(wbuf *b, uint8_t id, uint8_t byte)
{
    wbuf s = {0};
    wbuf_header(b);
    wbuf_u32(&s, 0xFFFFFFFFu);
    wbuf_u8(&s, byte);
    wbuf_section(b, id, &s);
    wbuf_free(&s);
}

TEST(test_decode_huge_section_counts)
{
    static const struct { uint8_t id, byte; const char *name; } cases[] = {
        {1, 0x60, "type"},   {2, 0x00, "import"}, {3, 0x00, "function"},
        {4, 0x70, "table"},  {5, 0x00, "memory"}, {6, 0x7f, "global"},
        {7, 0x00, "export"}, {9, 0x00, "element"}, {10, 0x02, "code"},
        {11, 0x00, "data"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wbuf b = {0};
        huge_count_module(&b, cases[i].id, cases[i].byte);
        REFUSED(cases[i].name, &b, WASM_MALFORMED);
        wbuf_free(&b);
    }
}

TEST(test_decode_huge_data_count)
{
    /* The data count section promises 2^32-1 segments; there are none. */
    wbuf b = {0}, s = {0};
    wbuf_header(&b);
    wbuf_u32(&s, 0xFFFFFFFFu);
    wbuf_section(&b, 12, &s);
    REFUSED("data count without data", &b, WASM_MALFORMED);
    wbuf_free(&s);
    wbuf_free(&b);
}

TEST(test_decode_huge_inner_counts)
{
    wbuf b = {0}, s = {0};
    /* A function type with 2^32-1 parameters. */
    wbuf_header(&b);
    wbuf_u32(&s, 1);
    wbuf_u8(&s, 0x60);
    wbuf_u32(&s, 0xFFFFFFFFu);
    wbuf_u8(&s, 0x7f);
    wbuf_section(&b, 1, &s);
    REFUSED("param count", &b, WASM_MALFORMED);

    /* An export whose name is 2^32-1 bytes long. */
    b.len = s.len = 0;
    wbuf_header(&b);
    wbuf_u32(&s, 1);
    wbuf_u32(&s, 0xFFFFFFFFu);
    wbuf_bytes(&s, "name", 4);
    wbuf_section(&b, 7, &s);
    REFUSED("export name length", &b, WASM_MALFORMED);

    /* A br_table with 2^32-1 labels. */
    b.len = s.len = 0;
    static const uint8_t code[] = {0x00, 0x02, 0x40, 0x41, 0x00, 0x0e, 0xff, 0xff, 0xff,
                                   0xff, 0x0f, 0x00, 0x0b, 0x0b};
    wbuf_bytes(&s, code, sizeof code);
    wbuf_module_func(&b, NULL, 0, NULL, 0, &s);
    REFUSED("br_table label count", &b, WASM_MALFORMED);
    wbuf_free(&s);
    wbuf_free(&b);
}

TEST(test_decode_section_larger_than_file)
{
    wbuf b = {0};
    wbuf_header(&b);
    wbuf_u8(&b, 1);
    wbuf_u32(&b, 0x7FFFFFFFu);
    wbuf_u8(&b, 0);
    REFUSED("type section of 2 GiB", &b, WASM_MALFORMED);

    b.len = 0;
    wbuf_header(&b);
    wbuf_u8(&b, 0);
    wbuf_u32(&b, 0xFFFFFFFFu);
    wbuf_u8(&b, 1);
    wbuf_u8(&b, 'x');
    REFUSED("custom section of 4 GiB", &b, WASM_MALFORMED);

    /* A size LEB128 of six bytes. */
    b.len = 0;
    wbuf_header(&b);
    static const uint8_t leb6[] = {1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
    wbuf_bytes(&b, leb6, sizeof leb6);
    REFUSED("six-byte section size", &b, WASM_MALFORMED);

    /* A code entry larger than its section. */
    b.len = 0;
    wbuf s = {0};
    static const uint8_t body[] = {0x00, 0x0b};
    wbuf_bytes(&s, body, sizeof body);
    wbuf_module_func(&b, NULL, 0, NULL, 0, &s);
    b.data[b.len - 3] = 0x7f;   /* the entry's size: 2 -> 127 */
    REFUSED("code entry past its section", &b, WASM_MALFORMED);
    wbuf_free(&s);
    wbuf_free(&b);
}

TEST(test_decode_unknown_section_id)
{
    wbuf b = {0}, s = {0};
    wbuf_header(&b);
    wbuf_section(&b, 13, &s);
    REFUSED("section 13", &b, WASM_MALFORMED);
    b.len = 0;
    wbuf_header(&b);
    wbuf_section(&b, 0xff, &s);
    REFUSED("section 255", &b, WASM_MALFORMED);
    wbuf_free(&s);
    wbuf_free(&b);
}
