/*
 * reader.c - bounds-checked reading of module bytes.
 *
 * Spec: "Binary Format > Values" (5.2: bytes, LEB128 integers with their
 * length and range limits, IEEE floats, UTF-8 names), "Vectors" (5.1.3)
 * and "Instructions" (5.4: opcodes and their immediates).
 *
 * Every function checks against r->end before touching a byte, so the
 * decoder and validator never read outside the current section or body.
 * On failure the error names the section and the byte offset in the
 * module, and the reader stops where the problem was found.
 */
#include "reader.h"

#include "module.h"
#include "opcodes.h"

bool wasm_reader_fail(wasm_reader *r, const char *what)
{
    if (r->section)
        wasm_error_set(r->err, WASM_MALFORMED, "%s section, byte 0x%zx: %s", r->section,
                       r->pos, what);
    else
        wasm_error_set(r->err, WASM_MALFORMED, "byte 0x%zx: %s", r->pos, what);
    return false;
}

bool wasm_read_u8(wasm_reader *r, uint8_t *out)
{
    if (r->pos >= r->end)
        return wasm_reader_fail(r, "unexpected end");
    *out = r->bytes[r->pos++];
    return true;
}

/*
 * LEB128 of at most `bits` bits (5.2.2).  The encoding may take at most
 * ceil(bits/7) bytes, and in the last permitted byte the bits beyond the
 * value's width must be zero (unsigned) or copies of the sign bit
 * (signed).  Without these rules two different byte strings would decode
 * to the same module, which the spec forbids.
 */
static bool read_leb(wasm_reader *r, unsigned bits, bool is_signed, uint64_t *out)
{
    const unsigned max_bytes = (bits + 6) / 7;
    const unsigned last_bits = bits - 7 * (max_bytes - 1); /* value bits in the last byte */
    uint64_t result = 0;
    unsigned shift = 0;
    for (unsigned i = 0;; i++) {
        uint8_t b;
        if (!wasm_read_u8(r, &b))
            return false;
        if (i == max_bytes - 1) {
            if (b & 0x80) {
                r->pos--;
                return wasm_reader_fail(r, "integer representation too long");
            }
            /* The byte's 7 payload bits: the high ones are unused. */
            unsigned extra = (unsigned)(b & 0x7f) >> (is_signed ? last_bits - 1 : last_bits);
            unsigned all = 0x7fu >> (is_signed ? last_bits - 1 : last_bits);
            if (extra != 0 && !(is_signed && extra == all)) {
                r->pos--;
                return wasm_reader_fail(r, "integer too large");
            }
        }
        result |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
        if (!(b & 0x80)) {
            if (is_signed && shift < 64 && (b & 0x40))
                result |= ~(uint64_t)0 << shift;
            break;
        }
    }
    *out = result;
    return true;
}

bool wasm_read_u32(wasm_reader *r, uint32_t *out)
{
    uint64_t v;
    if (!read_leb(r, 32, false, &v))
        return false;
    *out = (uint32_t)v;
    return true;
}

bool wasm_read_s32(wasm_reader *r, int32_t *out)
{
    uint64_t v;
    if (!read_leb(r, 32, true, &v))
        return false;
    *out = (int32_t)(uint32_t)v;
    return true;
}

bool wasm_read_s33(wasm_reader *r, int64_t *out)
{
    uint64_t v;
    if (!read_leb(r, 33, true, &v))
        return false;
    *out = (int64_t)v;
    return true;
}

bool wasm_read_s64(wasm_reader *r, int64_t *out)
{
    uint64_t v;
    if (!read_leb(r, 64, true, &v))
        return false;
    *out = (int64_t)v;
    return true;
}

bool wasm_read_fixed32(wasm_reader *r, uint32_t *out)
{
    if (r->pos > r->end || r->end - r->pos < 4)
        return wasm_reader_fail(r, "unexpected end");
    const uint8_t *p = r->bytes + r->pos;
    *out = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    r->pos += 4;
    return true;
}

bool wasm_read_fixed64(wasm_reader *r, uint64_t *out)
{
    uint32_t lo = 0, hi = 0;
    if (r->pos > r->end || r->end - r->pos < 8)
        return wasm_reader_fail(r, "unexpected end");
    wasm_read_fixed32(r, &lo);
    wasm_read_fixed32(r, &hi);
    *out = (uint64_t)hi << 32 | lo;
    return true;
}

/* 5.2.4: UTF-8 as in Unicode 3.9 - shortest form only, no surrogates
   (U+D800..U+DFFF), nothing above U+10FFFF.  The second byte's range
   depends on the lead byte, which is how overlongs and surrogates are
   excluded without decoding the code point. */
bool wasm_utf8_valid(const uint8_t *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint8_t c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        uint8_t lo = 0x80, hi = 0xbf;
        if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            if (c == 0xe0)
                lo = 0xa0;      /* overlong */
            else if (c == 0xed)
                hi = 0x9f;      /* surrogates */
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            if (c == 0xf0)
                lo = 0x90;      /* overlong */
            else if (c == 0xf4)
                hi = 0x8f;      /* above U+10FFFF */
        } else {
            return false;       /* continuation byte, C0/C1, F5..FF */
        }
        if (len - i <= n)
            return false;
        if (s[i + 1] < lo || s[i + 1] > hi)
            return false;
        for (size_t k = 2; k <= n; k++)
            if (s[i + k] < 0x80 || s[i + k] > 0xbf)
                return false;
        i += n + 1;
    }
    return true;
}

bool wasm_read_name(wasm_reader *r, const uint8_t **out, uint32_t *len)
{
    uint32_t n;
    if (!wasm_read_u32(r, &n))
        return false;
    if (n > r->end - r->pos)
        return wasm_reader_fail(r, "unexpected end");
    if (!wasm_utf8_valid(r->bytes + r->pos, n))
        return wasm_reader_fail(r, "malformed UTF-8 encoding");
    *out = r->bytes + r->pos;
    *len = n;
    r->pos += n;
    return true;
}

/* The check that keeps a hostile count from turning into a huge calloc:
   a vector cannot hold more elements than its bytes can encode. */
bool wasm_read_count(wasm_reader *r, uint32_t min_size, uint32_t *out)
{
    uint32_t n;
    if (!wasm_read_u32(r, &n))
        return false;
    if ((uint64_t)n * min_size > r->end - r->pos)
        return wasm_reader_fail(r, "unexpected end");
    *out = n;
    return true;
}

/* ---- Instructions (5.4) ---------------------------------------------- */

/* The reserved memory index byte of the 2.0 memory instructions.  It is a
   single byte, not a LEB128: 0x80 0x00 is malformed. */
static bool read_zero_byte(wasm_reader *r)
{
    uint8_t b;
    if (!wasm_read_u8(r, &b))
        return false;
    if (b != 0) {
        r->pos--;
        return wasm_reader_fail(r, "zero byte expected");
    }
    return true;
}

static bool read_valtype(wasm_reader *r, uint8_t *out)
{
    if (!wasm_read_u8(r, out))
        return false;
    if (!wasm_is_valtype(*out)) {
        r->pos--;
        return wasm_reader_fail(r, "malformed value type");
    }
    return true;
}

/* 5.4.1: a blocktype is 0x40, a value type, or a type index as a
   non-negative s33.  The single-byte forms are negative s33 values, so
   peeking at the first byte tells them apart. */
static bool read_blocktype(wasm_reader *r, wasm_instr *in)
{
    if (r->pos >= r->end)
        return wasm_reader_fail(r, "unexpected end");
    uint8_t b = r->bytes[r->pos];
    if (b == 0x40) {
        r->pos++;
        in->bt = BT_EMPTY;
        return true;
    }
    if (wasm_is_valtype(b)) {
        r->pos++;
        in->bt = BT_VALUE;
        in->a = b;
        return true;
    }
    size_t start = r->pos;
    int64_t idx;
    if (!wasm_read_s33(r, &idx))
        return false;
    if (idx < 0) {
        r->pos = start;
        return wasm_reader_fail(r, "malformed block type");
    }
    in->bt = BT_TYPE;
    in->a = (uint32_t)idx;
    return true;
}

/* br_table's labels are only checked as LEB128 here; the validator reads
   them again from labels_pos, so nothing needs to be stored. */
static bool read_br_table(wasm_reader *r, wasm_instr *in)
{
    uint32_t n, label;
    if (!wasm_read_count(r, 1, &n))
        return false;
    in->a = n;
    in->labels_pos = r->pos;
    for (uint64_t i = 0; i <= n; i++)
        if (!wasm_read_u32(r, &label))
            return false;
    return true;
}

static bool read_select_types(wasm_reader *r, wasm_instr *in)
{
    uint32_t n;
    if (!wasm_read_count(r, 1, &n))
        return false;
    in->b = n;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t t;
        if (!read_valtype(r, &t))
            return false;
        if (i == 0)
            in->a = t;
    }
    return true;
}

static bool read_immediates(wasm_reader *r, uint8_t imm, wasm_instr *in)
{
    switch (imm) {
    case IMM_NONE:
        return true;
    case IMM_BLOCK:
        return read_blocktype(r, in);
    case IMM_LABEL:
    case IMM_FUNC:
    case IMM_LOCAL:
    case IMM_GLOBAL:
    case IMM_TABLE:
    case IMM_DATA:
    case IMM_ELEM:
        return wasm_read_u32(r, &in->a);
    case IMM_BR_TABLE:
        return read_br_table(r, in);
    case IMM_CALL_INDIRECT:   /* typeidx, tableidx */
    case IMM_MEMARG:          /* align, offset */
    case IMM_ELEM_TABLE:      /* elemidx, tableidx */
    case IMM_TABLE_TABLE:     /* destination, source */
        return wasm_read_u32(r, &in->a) && wasm_read_u32(r, &in->b);
    case IMM_MEM0:
        return read_zero_byte(r);
    case IMM_MEM0_MEM0:
        return read_zero_byte(r) && read_zero_byte(r);
    case IMM_DATA_MEM0:
        return wasm_read_u32(r, &in->a) && read_zero_byte(r);
    case IMM_I32: {
        int32_t v;
        if (!wasm_read_s32(r, &v))
            return false;
        in->val = (uint32_t)v;
        return true;
    }
    case IMM_I64: {
        int64_t v;
        if (!wasm_read_s64(r, &v))
            return false;
        in->val = (uint64_t)v;
        return true;
    }
    case IMM_F32: {
        uint32_t v;
        if (!wasm_read_fixed32(r, &v))
            return false;
        in->val = v;
        return true;
    }
    case IMM_F64:
        return wasm_read_fixed64(r, &in->val);
    case IMM_SELECT_T:
        return read_select_types(r, in);
    case IMM_LANE:
        return wasm_read_u8(r, &in->lane);
    case IMM_MEMARG_LANE:
        return wasm_read_u32(r, &in->a) && wasm_read_u32(r, &in->b) &&
               wasm_read_u8(r, &in->lane);
    case IMM_V128:
    case IMM_SHUFFLE:
        return wasm_read_fixed64(r, &in->val) && wasm_read_fixed64(r, &in->val_hi);
    case IMM_REFTYPE: {
        uint8_t t;
        if (!wasm_read_u8(r, &t))
            return false;
        if (t != WASM_FUNCREF && t != WASM_EXTERNREF) {
            r->pos--;
            return wasm_reader_fail(r, "malformed reference type");
        }
        in->a = t;
        in->val = t;
        return true;
    }
    }
    return wasm_reader_fail(r, "illegal opcode");
}

bool wasm_read_instr(wasm_reader *r, wasm_instr *in)
{
    uint8_t b;
    in->pos = (uint32_t)r->pos;
    in->bt = BT_EMPTY;
    in->a = in->b = 0;
    in->val = in->val_hi = 0;
    in->lane = 0;
    in->labels_pos = 0;
    if (!wasm_read_u8(r, &b))
        return false;
    uint32_t op = b;
    if (b == 0xfc || b == 0xfd) {
        uint32_t sub, base = b == 0xfc ? 0x100 : 0x200;
        if (!wasm_read_u32(r, &sub))
            return false;
        op = sub < 0x100 ? base + sub : OP_LIMIT;
    }
    if (op >= OP_LIMIT || !wasm_opinfo_table[op].name) {
        r->pos = in->pos;
        return wasm_reader_fail(r, "illegal opcode");
    }
    in->op = (uint16_t)op;
    return read_immediates(r, wasm_opinfo_table[op].imm, in);
}
