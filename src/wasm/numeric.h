/*
 * numeric.h - WebAssembly numeric semantics that C does not give directly
 * (spec 4.3, "Numerics"): bit casts, rotations, counts with defined zero
 * cases, IEEE min/max with Wasm's NaN and signed-zero rules, and the range
 * checks of float-to-int truncation.
 */
#ifndef WASM_NUMERIC_H
#define WASM_NUMERIC_H

#include <math.h>
#include <stdint.h>
#include <string.h>
#include "wasm.h"

static inline float f32_of(uint64_t x) { uint32_t b = (uint32_t)x; float f; memcpy(&f, &b, 4); return f; }
static inline double f64_of(uint64_t x) { double d; memcpy(&d, &x, 8); return d; }
static inline uint64_t bits_f32(float f) { uint32_t b; memcpy(&b, &f, 4); return b; }
static inline uint64_t bits_f64(double d) { uint64_t b; memcpy(&b, &d, 8); return b; }

static inline uint32_t rotl32(uint32_t a, uint32_t b) { b &= 31; return (a << b) | (a >> ((32 - b) & 31)); }
static inline uint32_t rotr32(uint32_t a, uint32_t b) { b &= 31; return (a >> b) | (a << ((32 - b) & 31)); }
static inline uint64_t rotl64(uint64_t a, uint64_t b) { b &= 63; return (a << b) | (a >> ((64 - b) & 63)); }
static inline uint64_t rotr64(uint64_t a, uint64_t b) { b &= 63; return (a >> b) | (a << ((64 - b) & 63)); }
static inline uint64_t clz32(uint32_t a) { return a ? (uint64_t)__builtin_clz(a) : 32; }
static inline uint64_t ctz32(uint32_t a) { return a ? (uint64_t)__builtin_ctz(a) : 32; }
static inline uint64_t clz64(uint64_t a) { return a ? (uint64_t)__builtin_clzll(a) : 64; }
static inline uint64_t ctz64(uint64_t a) { return a ? (uint64_t)__builtin_ctzll(a) : 64; }

/* Rounding: libm hands a signaling NaN back unchanged, Wasm wants it
   quieted (an arithmetic NaN), which x + x does. */
#define wasm_round32(fn, v) ((v) != (v) ? (v) + (v) : fn(v))
#define wasm_round64(fn, v) ((v) != (v) ? (v) + (v) : fn(v))

/* min/max: NaN in, NaN out (a + b yields a quiet NaN); -0 < +0. */
static inline float wasm_fminf(float a, float b)
{
    if (a != a || b != b) return a + b;
    if (a == b) return f32_of(bits_f32(a) | bits_f32(b));
    return a < b ? a : b;
}
static inline float wasm_fmaxf(float a, float b)
{
    if (a != a || b != b) return a + b;
    if (a == b) return f32_of(bits_f32(a) & bits_f32(b));
    return a > b ? a : b;
}
static inline double wasm_fmin(double a, double b)
{
    if (a != a || b != b) return a + b;
    if (a == b) return f64_of(bits_f64(a) | bits_f64(b));
    return a < b ? a : b;
}
static inline double wasm_fmax(double a, double b)
{
    if (a != a || b != b) return a + b;
    if (a == b) return f64_of(bits_f64(a) & bits_f64(b));
    return a > b ? a : b;
}

/* Truncation checks take the source as a double (exact for f32 too) and
   return the trap, or 0 when the truncated value fits. */
static inline int trunc_check_i32(double v)
{
    if (v != v) return WASM_TRAP_INVALID_CONVERSION;
    return (v > -2147483649.0 && v < 2147483648.0) ? 0 : WASM_TRAP_INT_OVERFLOW;
}
static inline int trunc_check_u32(double v)
{
    if (v != v) return WASM_TRAP_INVALID_CONVERSION;
    return (v > -1.0 && v < 4294967296.0) ? 0 : WASM_TRAP_INT_OVERFLOW;
}
static inline int trunc_check_i64(double v)
{
    if (v != v) return WASM_TRAP_INVALID_CONVERSION;
    return (v >= -9223372036854775808.0 && v < 9223372036854775808.0) ? 0 : WASM_TRAP_INT_OVERFLOW;
}
static inline int trunc_check_u64(double v)
{
    if (v != v) return WASM_TRAP_INVALID_CONVERSION;
    return (v > -1.0 && v < 18446744073709551616.0) ? 0 : WASM_TRAP_INT_OVERFLOW;
}

/* Saturating truncation: NaN is 0, out of range clamps. */
static inline int32_t sat_i32_f64(double v)
{
    if (v != v) return 0;
    if (v <= -2147483648.0) return INT32_MIN;
    if (v >= 2147483648.0) return INT32_MAX;
    return (int32_t)v;
}
static inline uint32_t sat_u32_f64(double v)
{
    if (!(v > -1.0)) return 0;
    if (v >= 4294967296.0) return UINT32_MAX;
    return (uint32_t)v;
}
static inline int64_t sat_i64_f64(double v)
{
    if (v != v) return 0;
    if (v <= -9223372036854775808.0) return INT64_MIN;
    if (v >= 9223372036854775808.0) return INT64_MAX;
    return (int64_t)v;
}
static inline uint64_t sat_u64_f64(double v)
{
    if (!(v > -1.0)) return 0;
    if (v >= 18446744073709551616.0) return UINT64_MAX;
    return (uint64_t)v;
}

#endif
