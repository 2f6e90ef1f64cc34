/*
 * values.c - wasm values as command-line text: parsing arguments by the
 * parameter's type and printing results.
 *
 * Integers: an optional '-', then decimal digits or 0x and hex digits; an
 * i32 takes -2^31 .. 2^32-1 (so 0xffffffff is -1), an i64 likewise.
 * Floats: whatever strtod accepts (nan, inf, 1e-3, hex floats).
 * References: only null.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

const char *cli_type_name(uint8_t type)
{
    switch (type) {
    case WASM_I32: return "i32";
    case WASM_I64: return "i64";
    case WASM_F32: return "f32";
    case WASM_F64: return "f64";
    case WASM_FUNCREF: return "funcref";
    case WASM_EXTERNREF: return "externref";
    default: return "?";
    }
}

/* An integer whose magnitude fits max_pos (non-negative) or max_neg
   (negative); the result is its two's-complement bits. */
static bool parse_int(const char *s, uint64_t max_pos, uint64_t max_neg, uint64_t *out)
{
    bool neg = *s == '-';
    if (neg) s++;
    int base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    /* strtoull itself would take spaces and signs here. */
    if (!(base == 16 ? (*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') ||
                           (*s >= 'A' && *s <= 'F')
                     : (*s >= '0' && *s <= '9')))
        return false;
    errno = 0;
    char *end;
    unsigned long long mag = strtoull(s, &end, base);
    if (errno || *end || mag > (neg ? max_neg : max_pos)) return false;
    *out = neg ? 0 - (uint64_t)mag : (uint64_t)mag;
    return true;
}

bool cli_parse_value(const char *text, uint8_t type, wasm_val *out)
{
    uint64_t bits;
    char *end;
    if (!*text) return false;
    switch (type) {
    case WASM_I32:
        if (!parse_int(text, UINT32_MAX, (uint64_t)1 << 31, &bits)) return false;
        *out = (uint32_t)bits;
        return true;
    case WASM_I64:
        if (!parse_int(text, UINT64_MAX, (uint64_t)1 << 63, &bits)) return false;
        *out = bits;
        return true;
    case WASM_F32: {
        float f = strtof(text, &end);
        if (*end) return false;
        *out = wasm_val_f32(f);
        return true;
    }
    case WASM_F64: {
        double d = strtod(text, &end);
        if (*end) return false;
        *out = wasm_val_f64(d);
        return true;
    }
    case WASM_FUNCREF:
    case WASM_EXTERNREF:
        if (strcmp(text, "null") != 0) return false;
        *out = 0;
        return true;
    default:
        return false;
    }
}

void cli_print_value(FILE *out, uint8_t type, wasm_val v)
{
    switch (type) {
    case WASM_I32: fprintf(out, "%" PRId32 "\n", wasm_as_i32(v)); break;
    case WASM_I64: fprintf(out, "%" PRId64 "\n", wasm_as_i64(v)); break;
    case WASM_F32: fprintf(out, "%g\n", (double)wasm_as_f32(v)); break;
    case WASM_F64: fprintf(out, "%g\n", wasm_as_f64(v)); break;
    default: fprintf(out, "%s\n", v ? "ref" : "null"); break;
    }
}
