/*
 * values.c - test values as wast2json writes them, and how a result cell
 * is compared with one.
 *
 * JSON form: {"type": "i32", "value": "4294967295"}.  Numbers are the
 * unsigned decimal of the bit pattern (floats too), so they are parsed as
 * unsigned 64-bit and never through a float.  Floats may instead be
 * "nan:canonical" or "nan:arithmetic" (spec, 4.3.3 "NaN propagation");
 * references are "null" or a number: host externref N is the cell N + 1,
 * an expected funcref number only means "not null".  A v128 is
 * {"type": "v128", "lane_type": "f32", "value": ["0", "nan:canonical", ...]}:
 * its lanes in the same notation, each NaN pattern applying to its lane.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "spec_runner.h"

#define F32_SIGN_MASK 0x7fffffffu
#define F32_CANONICAL 0x7fc00000u
#define F32_QUIET_EXP 0x7fc00000u   /* exponent all ones and the quiet bit */
#define F64_SIGN_MASK 0x7fffffffffffffffull
#define F64_CANONICAL 0x7ff8000000000000ull
#define F64_QUIET_EXP 0x7ff8000000000000ull

static const struct {
    const char *name;
    uint8_t code;
} TYPES[] = {
    {"i32", WASM_I32}, {"i64", WASM_I64}, {"f32", WASM_F32}, {"f64", WASM_F64},
    {"funcref", WASM_FUNCREF}, {"externref", WASM_EXTERNREF}, {"v128", WASM_V128},
};

const char *spec_type_name(uint8_t type)
{
    for (size_t i = 0; i < sizeof TYPES / sizeof TYPES[0]; i++) {
        if (TYPES[i].code == type) {
            return TYPES[i].name;
        }
    }
    return "?";
}

static bool is_ref(uint8_t type) { return type == WASM_FUNCREF || type == WASM_EXTERNREF; }
static bool is_float(uint8_t type) { return type == WASM_F32 || type == WASM_F64; }
static bool is_32bit(uint8_t type) { return type == WASM_I32 || type == WASM_F32; }

/* Unsigned decimal, the whole string, no sign. */
static bool parse_u64(const char *s, uint64_t *out)
{
    char *end;
    if (*s < '0' || *s > '9') {
        return false;
    }
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0') {
        return false;
    }
    *out = v;
    return true;
}

/* The number or keyword of a value whose type is already set. */
static bool parse_payload(const char *s, spec_value *out, char *why, size_t n)
{
    uint64_t v;
    if (is_float(out->type) && strcmp(s, "nan:canonical") == 0) {
        out->pattern = SPEC_NAN_CANONICAL;
        return true;
    }
    if (is_float(out->type) && strcmp(s, "nan:arithmetic") == 0) {
        out->pattern = SPEC_NAN_ARITHMETIC;
        return true;
    }
    if (is_ref(out->type) && strcmp(s, "null") == 0) {
        return true;   /* exact 0 */
    }
    if (!parse_u64(s, &v) || (is_32bit(out->type) && v > UINT32_MAX)) {
        spec_append(why, n, "bad %s value \"%s\" in the JSON", spec_type_name(out->type), s);
        return false;
    }
    if (out->type == WASM_FUNCREF) {
        out->pattern = SPEC_NONNULL;
    } else if (out->type == WASM_EXTERNREF) {
        if (v == UINT64_MAX) {
            spec_append(why, n, "externref %s is out of the runner's range", s);
            return false;
        }
        out->bits[0] = SPEC_EXTERNREF_CELL(v);
    } else {
        out->bits[0] = v;
    }
    return true;
}

static const struct {
    const char *name;
    uint8_t bits;
    bool is_float;
} LANE_TYPES[] = {
    {"i8", 8, false}, {"i16", 16, false}, {"i32", 32, false},
    {"i64", 64, false}, {"f32", 32, true}, {"f64", 64, true},
};

/* The lanes of a v128: lane i's bits go to bit i * lane_bits of the
   value, lane 0 lowest, as the engine holds it in its two cells. */
static bool parse_v128(const json_t *j, const json_t *value, spec_value *out, char *why,
                       size_t n)
{
    const char *lt = json_string_value(json_object_get(j, "lane_type"));
    size_t k = 0;
    for (; lt != NULL && k < sizeof LANE_TYPES / sizeof LANE_TYPES[0]; k++) {
        if (strcmp(LANE_TYPES[k].name, lt) == 0) {
            break;
        }
    }
    if (lt == NULL || k == sizeof LANE_TYPES / sizeof LANE_TYPES[0]) {
        spec_append(why, n, "v128 lane type \"%s\" is not supported by the runner",
                    lt != NULL ? lt : "(none)");
        return false;
    }
    out->lane_bits = LANE_TYPES[k].bits;
    out->lane_float = LANE_TYPES[k].is_float;
    unsigned count = 128u / out->lane_bits;
    if (!json_is_array(value) || json_array_size(value) != count) {
        spec_append(why, n, "v128 value is not an array of %u %s lanes", count, lt);
        return false;
    }
    for (unsigned i = 0; i < count; i++) {
        const char *s = json_string_value(json_array_get(value, i));
        spec_value lane = {.type = out->lane_bits == 64 ? WASM_I64 : WASM_I32};
        if (out->lane_float) {
            lane.type = out->lane_bits == 64 ? WASM_F64 : WASM_F32;
        }
        if (s == NULL || !parse_payload(s, &lane, why, n)) {
            if (s == NULL) {
                spec_append(why, n, "v128 lane %u is not a string", i);
            }
            return false;
        }
        if (out->lane_bits < 32 && lane.bits[0] >> out->lane_bits != 0) {
            spec_append(why, n, "bad %s lane \"%s\" in the JSON", lt, s);
            return false;
        }
        out->lanes[i] = lane.pattern;
        unsigned bit = i * out->lane_bits;
        out->bits[bit / 64] |= lane.bits[0] << (bit % 64);
    }
    return true;
}

bool spec_value_parse(const json_t *j, spec_value *out, char *why, size_t n)
{
    const char *type = json_string_value(json_object_get(j, "type"));
    const json_t *value = json_object_get(j, "value");
    size_t i;

    memset(out, 0, sizeof *out);
    out->pattern = SPEC_EXACT;
    for (i = 0; type != NULL && i < sizeof TYPES / sizeof TYPES[0]; i++) {
        if (strcmp(TYPES[i].name, type) == 0) {
            break;
        }
    }
    if (type == NULL || i == sizeof TYPES / sizeof TYPES[0]) {
        spec_append(why, n, "value type \"%s\" is not supported by the runner",
                 type != NULL ? type : "(none)");
        return false;
    }
    out->type = TYPES[i].code;
    if (value == NULL) {
        out->pattern = SPEC_ANY;
        return true;
    }
    if (out->type == WASM_V128) {
        return parse_v128(j, value, out, why, n);
    }
    if (!json_is_string(value)) {
        spec_append(why, n, "%s value is not a string in the JSON", type);
        return false;
    }
    return parse_payload(json_string_value(value), out, why, n);
}

/* Lane i of a v128 held in two cells. */
static uint64_t v128_lane(const wasm_val *cells, unsigned bits, unsigned i)
{
    unsigned bit = i * bits;
    uint64_t word = cells[bit / 64] >> (bit % 64);
    return bits == 64 ? word : word & ((1ull << bits) - 1);
}

static bool nan_matches(spec_pattern p, bool f32, wasm_val got)
{
    if (p == SPEC_NAN_CANONICAL) {
        return f32 ? (got & F32_SIGN_MASK) == F32_CANONICAL
                   : (got & F64_SIGN_MASK) == F64_CANONICAL;
    }
    return f32 ? (got & F32_QUIET_EXP) == F32_QUIET_EXP
               : (got & F64_QUIET_EXP) == F64_QUIET_EXP;
}

static bool v128_matches(const spec_value *v, const wasm_val *got)
{
    if (v->pattern == SPEC_ANY) {
        return true;
    }
    for (unsigned i = 0; i < 128u / v->lane_bits; i++) {
        uint64_t lane = v128_lane(got, v->lane_bits, i);
        bool ok = v->lanes[i] == SPEC_EXACT
                      ? lane == v128_lane(v->bits, v->lane_bits, i)
                      : nan_matches(v->lanes[i], v->lane_bits == 32, lane);
        if (!ok) {
            return false;
        }
    }
    return true;
}

bool spec_value_matches(const spec_value *v, const wasm_val *cells)
{
    bool f32 = v->type == WASM_F32;
    wasm_val got = cells[0];
    if (v->type == WASM_V128) {
        return v128_matches(v, cells);
    }
    if (is_32bit(v->type) && (got >> 32) != 0) {
        return false;   /* wasm.h: 32-bit values are zero-extended */
    }
    switch (v->pattern) {
    case SPEC_EXACT:
        return got == v->bits[0];
    case SPEC_NAN_CANONICAL:
    case SPEC_NAN_ARITHMETIC:
        return nan_matches(v->pattern, f32, got);
    case SPEC_NONNULL:
        return got != 0;
    case SPEC_ANY:
        return true;
    }
    return false;
}

void spec_append(char *buf, size_t n, const char *fmt, ...)
{
    size_t used = strlen(buf);
    if (used + 1 >= n) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + used, n - used, fmt, ap);
    va_end(ap);
}

void spec_name_append(char *buf, size_t n, const char *name, size_t len)
{
    spec_append(buf, n, "\"");
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
            spec_append(buf, n, "\\x%02x", c);
        } else {
            spec_append(buf, n, "%c", c);
        }
    }
    spec_append(buf, n, "\"");
}

void spec_cell_append(char *buf, size_t n, uint8_t type, const wasm_val *cells)
{
    const char *name = spec_type_name(type);
    wasm_val cell = cells[0];
    if (type == WASM_V128) {
        /* the 16 bytes in memory order, byte 0 first */
        spec_append(buf, n, "v128:");
        for (unsigned i = 0; i < 16; i++) {
            spec_append(buf, n, "%s%02x", i != 0 && i % 4 == 0 ? "_" : "",
                        (unsigned)v128_lane(cells, 8, i));
        }
        return;
    }
    if (is_32bit(type) && (cell >> 32) != 0) {
        spec_append(buf, n, "%s:[cell 0x%016" PRIx64 ", upper half not zero]", name, cell);
        return;
    }
    switch (type) {
    case WASM_I32:
        spec_append(buf, n, "i32:%" PRId32, wasm_as_i32(cell));
        break;
    case WASM_I64:
        spec_append(buf, n, "i64:%" PRId64, wasm_as_i64(cell));
        break;
    case WASM_F32:
        spec_append(buf, n, "f32:%.9g(0x%08" PRIx32 ")", (double)wasm_as_f32(cell), (uint32_t)cell);
        break;
    case WASM_F64:
        spec_append(buf, n, "f64:%.17g(0x%016" PRIx64 ")", wasm_as_f64(cell), cell);
        break;
    case WASM_EXTERNREF:
        if (cell == 0) {
            spec_append(buf, n, "externref:null");
        } else {
            spec_append(buf, n, "externref:%" PRIu64, cell - 1);
        }
        break;
    case WASM_FUNCREF:
        if (cell == 0) {
            spec_append(buf, n, "funcref:null");
        } else {
            spec_append(buf, n, "funcref:0x%" PRIx64, cell);
        }
        break;
    default:
        spec_append(buf, n, "%s:0x%" PRIx64, name, cell);
        break;
    }
}

void spec_value_append(char *buf, size_t n, const spec_value *v)
{
    const char *name = spec_type_name(v->type);
    if (v->type == WASM_V128 && v->pattern == SPEC_EXACT) {
        spec_append(buf, n, "v128:%s%ux%u[", v->lane_float ? "f" : "i", v->lane_bits,
                    128u / v->lane_bits);
        for (unsigned i = 0; i < 128u / v->lane_bits; i++) {
            spec_append(buf, n, i != 0 ? " " : "");
            if (v->lanes[i] == SPEC_NAN_CANONICAL) {
                spec_append(buf, n, "nan:canonical");
            } else if (v->lanes[i] == SPEC_NAN_ARITHMETIC) {
                spec_append(buf, n, "nan:arithmetic");
            } else {
                spec_append(buf, n, "0x%" PRIx64, v128_lane(v->bits, v->lane_bits, i));
            }
        }
        spec_append(buf, n, "]");
        return;
    }
    switch (v->pattern) {
    case SPEC_EXACT: spec_cell_append(buf, n, v->type, v->bits); break;
    case SPEC_NAN_CANONICAL: spec_append(buf, n, "%s:nan:canonical", name); break;
    case SPEC_NAN_ARITHMETIC: spec_append(buf, n, "%s:nan:arithmetic", name); break;
    case SPEC_NONNULL: spec_append(buf, n, "%s:non-null", name); break;
    case SPEC_ANY: spec_append(buf, n, "%s", name); break;
    }
}
