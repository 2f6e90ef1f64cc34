/*
 * values.c - test values as wast2json writes them, and how a result cell
 * is compared with one.
 *
 * JSON form: {"type": "i32", "value": "4294967295"}.  Numbers are the
 * unsigned decimal of the bit pattern (floats too), so they are parsed as
 * unsigned 64-bit and never through a float.  Floats may instead be
 * "nan:canonical" or "nan:arithmetic" (spec, 4.3.3 "NaN propagation");
 * references are "null" or a number: host externref N is the cell N + 1,
 * an expected funcref number only means "not null".  v128 is not
 * supported: the runner runs the non-SIMD files.
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
    {"funcref", WASM_FUNCREF}, {"externref", WASM_EXTERNREF},
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
        out->bits = SPEC_EXTERNREF_CELL(v);
    } else {
        out->bits = v;
    }
    return true;
}

bool spec_value_parse(const json_t *j, spec_value *out, char *why, size_t n)
{
    const char *type = json_string_value(json_object_get(j, "type"));
    const json_t *value = json_object_get(j, "value");
    size_t i;

    out->pattern = SPEC_EXACT;
    out->bits = 0;
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
    if (!json_is_string(value)) {
        spec_append(why, n, "%s value is not a string in the JSON", type);
        return false;
    }
    return parse_payload(json_string_value(value), out, why, n);
}

bool spec_value_matches(const spec_value *v, wasm_val got)
{
    bool f32 = v->type == WASM_F32;
    if (is_32bit(v->type) && (got >> 32) != 0) {
        return false;   /* wasm.h: 32-bit values are zero-extended */
    }
    switch (v->pattern) {
    case SPEC_EXACT:
        return got == v->bits;
    case SPEC_NAN_CANONICAL:
        return f32 ? (got & F32_SIGN_MASK) == F32_CANONICAL
                   : (got & F64_SIGN_MASK) == F64_CANONICAL;
    case SPEC_NAN_ARITHMETIC:
        return f32 ? (got & F32_QUIET_EXP) == F32_QUIET_EXP
                   : (got & F64_QUIET_EXP) == F64_QUIET_EXP;
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

void spec_cell_append(char *buf, size_t n, uint8_t type, wasm_val cell)
{
    const char *name = spec_type_name(type);
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
    switch (v->pattern) {
    case SPEC_EXACT: spec_cell_append(buf, n, v->type, v->bits); break;
    case SPEC_NAN_CANONICAL: spec_append(buf, n, "%s:nan:canonical", name); break;
    case SPEC_NAN_ARITHMETIC: spec_append(buf, n, "%s:nan:arithmetic", name); break;
    case SPEC_NONNULL: spec_append(buf, n, "%s:non-null", name); break;
    case SPEC_ANY: spec_append(buf, n, "%s", name); break;
    }
}
