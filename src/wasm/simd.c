/*
 * simd.c - the SIMD instructions, lane by lane in portable C.
 *
 * Spec: "Execution > Instructions > Vector Instructions" (4.4.3), with the
 * scalar operators of 4.3 applied per lane.  No intrinsics: a v128 is a
 * union of lane arrays, and every operation is a loop the compiler may
 * vectorize.  Integer lanes are computed in unsigned or wider types, so
 * wrapping never is undefined behaviour.  Float results follow the same
 * rules as the scalar instructions (numeric.h): NaN results come from the
 * hardware's arithmetic, which gives the canonical or arithmetic NaNs the
 * spec allows; abs, neg, pmin and pmax move bits and keep payloads.
 *
 * Assumes a little-endian host, as the rest of the engine does (loads and
 * stores copy bytes straight from memory).
 */
#include "simd.h"

#include "numeric.h"
#include "opcodes.h"

typedef union v128 {
    uint8_t u8[16];
    int8_t i8[16];
    uint16_t u16[8];
    int16_t i16[8];
    uint32_t u32[4];
    int32_t i32[4];
    uint64_t u64[2];
    int64_t i64[2];
    float f32[4];
    double f64[2];
} v128;

static inline v128 get(const wasm_val *p)
{
    v128 v;
    memcpy(&v, p, 16);
    return v;
}

static inline void put(wasm_val *p, const v128 *v) { memcpy(p, v, 16); }

static inline int32_t sat_s8(int32_t v) { return v < -128 ? -128 : v > 127 ? 127 : v; }
static inline int32_t sat_u8(int32_t v) { return v < 0 ? 0 : v > 255 ? 255 : v; }
static inline int32_t sat_s16(int32_t v) { return v < -32768 ? -32768 : v > 32767 ? 32767 : v; }
static inline int32_t sat_u16(int32_t v) { return v < 0 ? 0 : v > 65535 ? 65535 : v; }

/* All ones when cond holds, else zero: a comparison's lane. */
#define ONES(cond) ((cond) ? ~(uint64_t)0 : 0)

/* r's lanes of each shape from an expression of the lane index i. */
#define LANES(n) for (unsigned i = 0; i < (n); i++)
#define I8(e) LANES(16) r.u8[i] = (uint8_t)(e)
#define I16(e) LANES(8) r.u16[i] = (uint16_t)(e)
#define I32(e) LANES(4) r.u32[i] = (uint32_t)(e)
#define I64(e) LANES(2) r.u64[i] = (uint64_t)(e)
#define F32(e) LANES(4) r.f32[i] = (e)
#define F64(e) LANES(2) r.f64[i] = (e)

/* Each case computes r (a v128 result) or s (a scalar one); the
   instruction's signature in opcodes.h says which, and which operands
   are vectors: a and b, c for bitselect; x is a scalar operand (a splat's
   value, a shift count, a replaced lane). */
void wasm_simd_exec(wasm_val *fp, const uint32_t *ip)
{
    const uint32_t op = ip[1], lane = ip[5];
    const wasm_siginfo *sig = &wasm_siginfo_table[wasm_opinfo_table[op].sig];
    v128 a = {{0}}, b = {{0}}, c = {{0}}, r = {{0}};
    uint64_t x = 0, s = 0;
    if (sig->in0 == WASM_V128) a = get(fp + ip[3]);
    else x = fp[ip[3]];
    if (sig->nin >= 2) {
        if (sig->in1 == WASM_V128) b = get(fp + ip[4]);
        else x = fp[ip[4]];
    }
    if (sig->nin == 3) c = get(fp + ip[5]);

    switch (op) {
    /* ---- splat, lanes, swizzle ---- */
    case OP_I8X16_SPLAT: I8(x); break;
    case OP_I16X8_SPLAT: I16(x); break;
    case OP_I32X4_SPLAT: case OP_F32X4_SPLAT: I32(x); break;
    case OP_I64X2_SPLAT: case OP_F64X2_SPLAT: I64(x); break;
    case OP_I8X16_EXTRACT_LANE_S: s = (uint32_t)(int32_t)a.i8[lane]; break;
    case OP_I8X16_EXTRACT_LANE_U: s = a.u8[lane]; break;
    case OP_I16X8_EXTRACT_LANE_S: s = (uint32_t)(int32_t)a.i16[lane]; break;
    case OP_I16X8_EXTRACT_LANE_U: s = a.u16[lane]; break;
    case OP_I32X4_EXTRACT_LANE: case OP_F32X4_EXTRACT_LANE: s = a.u32[lane]; break;
    case OP_I64X2_EXTRACT_LANE: case OP_F64X2_EXTRACT_LANE: s = a.u64[lane]; break;
    case OP_I8X16_REPLACE_LANE: r = a; r.u8[lane] = (uint8_t)x; break;
    case OP_I16X8_REPLACE_LANE: r = a; r.u16[lane] = (uint16_t)x; break;
    case OP_I32X4_REPLACE_LANE: case OP_F32X4_REPLACE_LANE: r = a; r.u32[lane] = (uint32_t)x; break;
    case OP_I64X2_REPLACE_LANE: case OP_F64X2_REPLACE_LANE: r = a; r.u64[lane] = x; break;
    case OP_I8X16_SWIZZLE: I8(b.u8[i] < 16 ? a.u8[b.u8[i]] : 0); break;

    /* ---- bitwise ---- */
    case OP_V128_NOT: I64(~a.u64[i]); break;
    case OP_V128_AND: I64(a.u64[i] & b.u64[i]); break;
    case OP_V128_ANDNOT: I64(a.u64[i] & ~b.u64[i]); break;
    case OP_V128_OR: I64(a.u64[i] | b.u64[i]); break;
    case OP_V128_XOR: I64(a.u64[i] ^ b.u64[i]); break;
    case OP_V128_BITSELECT: I64((a.u64[i] & c.u64[i]) | (b.u64[i] & ~c.u64[i])); break;
    case OP_V128_ANY_TRUE: s = (a.u64[0] | a.u64[1]) != 0; break;

    /* ---- integer comparisons ---- */
    case OP_I8X16_EQ: I8(ONES(a.u8[i] == b.u8[i])); break;
    case OP_I8X16_NE: I8(ONES(a.u8[i] != b.u8[i])); break;
    case OP_I8X16_LT_S: I8(ONES(a.i8[i] < b.i8[i])); break;
    case OP_I8X16_LT_U: I8(ONES(a.u8[i] < b.u8[i])); break;
    case OP_I8X16_GT_S: I8(ONES(a.i8[i] > b.i8[i])); break;
    case OP_I8X16_GT_U: I8(ONES(a.u8[i] > b.u8[i])); break;
    case OP_I8X16_LE_S: I8(ONES(a.i8[i] <= b.i8[i])); break;
    case OP_I8X16_LE_U: I8(ONES(a.u8[i] <= b.u8[i])); break;
    case OP_I8X16_GE_S: I8(ONES(a.i8[i] >= b.i8[i])); break;
    case OP_I8X16_GE_U: I8(ONES(a.u8[i] >= b.u8[i])); break;
    case OP_I16X8_EQ: I16(ONES(a.u16[i] == b.u16[i])); break;
    case OP_I16X8_NE: I16(ONES(a.u16[i] != b.u16[i])); break;
    case OP_I16X8_LT_S: I16(ONES(a.i16[i] < b.i16[i])); break;
    case OP_I16X8_LT_U: I16(ONES(a.u16[i] < b.u16[i])); break;
    case OP_I16X8_GT_S: I16(ONES(a.i16[i] > b.i16[i])); break;
    case OP_I16X8_GT_U: I16(ONES(a.u16[i] > b.u16[i])); break;
    case OP_I16X8_LE_S: I16(ONES(a.i16[i] <= b.i16[i])); break;
    case OP_I16X8_LE_U: I16(ONES(a.u16[i] <= b.u16[i])); break;
    case OP_I16X8_GE_S: I16(ONES(a.i16[i] >= b.i16[i])); break;
    case OP_I16X8_GE_U: I16(ONES(a.u16[i] >= b.u16[i])); break;
    case OP_I32X4_EQ: I32(ONES(a.u32[i] == b.u32[i])); break;
    case OP_I32X4_NE: I32(ONES(a.u32[i] != b.u32[i])); break;
    case OP_I32X4_LT_S: I32(ONES(a.i32[i] < b.i32[i])); break;
    case OP_I32X4_LT_U: I32(ONES(a.u32[i] < b.u32[i])); break;
    case OP_I32X4_GT_S: I32(ONES(a.i32[i] > b.i32[i])); break;
    case OP_I32X4_GT_U: I32(ONES(a.u32[i] > b.u32[i])); break;
    case OP_I32X4_LE_S: I32(ONES(a.i32[i] <= b.i32[i])); break;
    case OP_I32X4_LE_U: I32(ONES(a.u32[i] <= b.u32[i])); break;
    case OP_I32X4_GE_S: I32(ONES(a.i32[i] >= b.i32[i])); break;
    case OP_I32X4_GE_U: I32(ONES(a.u32[i] >= b.u32[i])); break;
    case OP_I64X2_EQ: I64(ONES(a.u64[i] == b.u64[i])); break;
    case OP_I64X2_NE: I64(ONES(a.u64[i] != b.u64[i])); break;
    case OP_I64X2_LT_S: I64(ONES(a.i64[i] < b.i64[i])); break;
    case OP_I64X2_GT_S: I64(ONES(a.i64[i] > b.i64[i])); break;
    case OP_I64X2_LE_S: I64(ONES(a.i64[i] <= b.i64[i])); break;
    case OP_I64X2_GE_S: I64(ONES(a.i64[i] >= b.i64[i])); break;

    /* ---- float comparisons: false on NaN but for ne ---- */
    case OP_F32X4_EQ: I32(ONES(a.f32[i] == b.f32[i])); break;
    case OP_F32X4_NE: I32(ONES(a.f32[i] != b.f32[i])); break;
    case OP_F32X4_LT: I32(ONES(a.f32[i] < b.f32[i])); break;
    case OP_F32X4_GT: I32(ONES(a.f32[i] > b.f32[i])); break;
    case OP_F32X4_LE: I32(ONES(a.f32[i] <= b.f32[i])); break;
    case OP_F32X4_GE: I32(ONES(a.f32[i] >= b.f32[i])); break;
    case OP_F64X2_EQ: I64(ONES(a.f64[i] == b.f64[i])); break;
    case OP_F64X2_NE: I64(ONES(a.f64[i] != b.f64[i])); break;
    case OP_F64X2_LT: I64(ONES(a.f64[i] < b.f64[i])); break;
    case OP_F64X2_GT: I64(ONES(a.f64[i] > b.f64[i])); break;
    case OP_F64X2_LE: I64(ONES(a.f64[i] <= b.f64[i])); break;
    case OP_F64X2_GE: I64(ONES(a.f64[i] >= b.f64[i])); break;

    /* ---- integer arithmetic ---- */
    case OP_I8X16_ABS: I8(a.i8[i] < 0 ? 0u - a.u8[i] : a.u8[i]); break;
    case OP_I8X16_NEG: I8(0u - a.u8[i]); break;
    case OP_I8X16_POPCNT: I8(__builtin_popcount(a.u8[i])); break;
    case OP_I8X16_ADD: I8(a.u8[i] + b.u8[i]); break;
    case OP_I8X16_SUB: I8(a.u8[i] - b.u8[i]); break;
    case OP_I8X16_ADD_SAT_S: I8(sat_s8(a.i8[i] + b.i8[i])); break;
    case OP_I8X16_ADD_SAT_U: I8(sat_u8(a.u8[i] + b.u8[i])); break;
    case OP_I8X16_SUB_SAT_S: I8(sat_s8(a.i8[i] - b.i8[i])); break;
    case OP_I8X16_SUB_SAT_U: I8(sat_u8(a.u8[i] - b.u8[i])); break;
    case OP_I8X16_MIN_S: I8(a.i8[i] < b.i8[i] ? a.u8[i] : b.u8[i]); break;
    case OP_I8X16_MIN_U: I8(a.u8[i] < b.u8[i] ? a.u8[i] : b.u8[i]); break;
    case OP_I8X16_MAX_S: I8(a.i8[i] > b.i8[i] ? a.u8[i] : b.u8[i]); break;
    case OP_I8X16_MAX_U: I8(a.u8[i] > b.u8[i] ? a.u8[i] : b.u8[i]); break;
    case OP_I8X16_AVGR_U: I8((a.u8[i] + b.u8[i] + 1) >> 1); break;
    case OP_I16X8_ABS: I16(a.i16[i] < 0 ? 0u - a.u16[i] : a.u16[i]); break;
    case OP_I16X8_NEG: I16(0u - a.u16[i]); break;
    case OP_I16X8_ADD: I16(a.u16[i] + b.u16[i]); break;
    case OP_I16X8_SUB: I16(a.u16[i] - b.u16[i]); break;
    case OP_I16X8_MUL: I16((uint32_t)a.u16[i] * b.u16[i]); break;
    case OP_I16X8_ADD_SAT_S: I16(sat_s16(a.i16[i] + b.i16[i])); break;
    case OP_I16X8_ADD_SAT_U: I16(sat_u16(a.u16[i] + b.u16[i])); break;
    case OP_I16X8_SUB_SAT_S: I16(sat_s16(a.i16[i] - b.i16[i])); break;
    case OP_I16X8_SUB_SAT_U: I16(sat_u16(a.u16[i] - b.u16[i])); break;
    case OP_I16X8_MIN_S: I16(a.i16[i] < b.i16[i] ? a.u16[i] : b.u16[i]); break;
    case OP_I16X8_MIN_U: I16(a.u16[i] < b.u16[i] ? a.u16[i] : b.u16[i]); break;
    case OP_I16X8_MAX_S: I16(a.i16[i] > b.i16[i] ? a.u16[i] : b.u16[i]); break;
    case OP_I16X8_MAX_U: I16(a.u16[i] > b.u16[i] ? a.u16[i] : b.u16[i]); break;
    case OP_I16X8_AVGR_U: I16((a.u16[i] + b.u16[i] + 1u) >> 1); break;
    case OP_I16X8_Q15MULR_SAT_S: I16(sat_s16((a.i16[i] * b.i16[i] + 0x4000) >> 15)); break;
    case OP_I32X4_ABS: I32(a.i32[i] < 0 ? 0u - a.u32[i] : a.u32[i]); break;
    case OP_I32X4_NEG: I32(0u - a.u32[i]); break;
    case OP_I32X4_ADD: I32(a.u32[i] + b.u32[i]); break;
    case OP_I32X4_SUB: I32(a.u32[i] - b.u32[i]); break;
    case OP_I32X4_MUL: I32(a.u32[i] * b.u32[i]); break;
    case OP_I32X4_MIN_S: I32(a.i32[i] < b.i32[i] ? a.u32[i] : b.u32[i]); break;
    case OP_I32X4_MIN_U: I32(a.u32[i] < b.u32[i] ? a.u32[i] : b.u32[i]); break;
    case OP_I32X4_MAX_S: I32(a.i32[i] > b.i32[i] ? a.u32[i] : b.u32[i]); break;
    case OP_I32X4_MAX_U: I32(a.u32[i] > b.u32[i] ? a.u32[i] : b.u32[i]); break;
    case OP_I32X4_DOT_I16X8_S:
        I32((int64_t)a.i16[2 * i] * b.i16[2 * i] + (int64_t)a.i16[2 * i + 1] * b.i16[2 * i + 1]);
        break;
    case OP_I64X2_ABS: I64(a.i64[i] < 0 ? 0u - a.u64[i] : a.u64[i]); break;
    case OP_I64X2_NEG: I64(0u - a.u64[i]); break;
    case OP_I64X2_ADD: I64(a.u64[i] + b.u64[i]); break;
    case OP_I64X2_SUB: I64(a.u64[i] - b.u64[i]); break;
    case OP_I64X2_MUL: I64(a.u64[i] * b.u64[i]); break;

    /* ---- shifts: the count is taken modulo the lane width ---- */
    case OP_I8X16_SHL: I8(a.u8[i] << (x & 7)); break;
    case OP_I8X16_SHR_S: I8(a.i8[i] >> (x & 7)); break;
    case OP_I8X16_SHR_U: I8(a.u8[i] >> (x & 7)); break;
    case OP_I16X8_SHL: I16((uint32_t)a.u16[i] << (x & 15)); break;
    case OP_I16X8_SHR_S: I16(a.i16[i] >> (x & 15)); break;
    case OP_I16X8_SHR_U: I16(a.u16[i] >> (x & 15)); break;
    case OP_I32X4_SHL: I32(a.u32[i] << (x & 31)); break;
    case OP_I32X4_SHR_S: I32(a.i32[i] >> (x & 31)); break;
    case OP_I32X4_SHR_U: I32(a.u32[i] >> (x & 31)); break;
    case OP_I64X2_SHL: I64(a.u64[i] << (x & 63)); break;
    case OP_I64X2_SHR_S: I64(a.i64[i] >> (x & 63)); break;
    case OP_I64X2_SHR_U: I64(a.u64[i] >> (x & 63)); break;

    /* ---- lane tests ---- */
    case OP_I8X16_ALL_TRUE: s = 1; LANES(16) s &= a.u8[i] != 0; break;
    case OP_I16X8_ALL_TRUE: s = 1; LANES(8) s &= a.u16[i] != 0; break;
    case OP_I32X4_ALL_TRUE: s = 1; LANES(4) s &= a.u32[i] != 0; break;
    case OP_I64X2_ALL_TRUE: s = 1; LANES(2) s &= a.u64[i] != 0; break;
    case OP_I8X16_BITMASK: LANES(16) s |= (uint64_t)(a.u8[i] >> 7) << i; break;
    case OP_I16X8_BITMASK: LANES(8) s |= (uint64_t)(a.u16[i] >> 15) << i; break;
    case OP_I32X4_BITMASK: LANES(4) s |= (uint64_t)(a.u32[i] >> 31) << i; break;
    case OP_I64X2_BITMASK: LANES(2) s |= (a.u64[i] >> 63) << i; break;

    /* ---- narrowing, widening ---- */
    case OP_I8X16_NARROW_I16X8_S: I8(sat_s8(i < 8 ? a.i16[i] : b.i16[i - 8])); break;
    case OP_I8X16_NARROW_I16X8_U: I8(sat_u8(i < 8 ? a.i16[i] : b.i16[i - 8])); break;
    case OP_I16X8_NARROW_I32X4_S: I16(sat_s16(i < 4 ? a.i32[i] : b.i32[i - 4])); break;
    case OP_I16X8_NARROW_I32X4_U: I16(sat_u16(i < 4 ? a.i32[i] : b.i32[i - 4])); break;
    case OP_I16X8_EXTEND_LOW_I8X16_S: I16(a.i8[i]); break;
    case OP_I16X8_EXTEND_HIGH_I8X16_S: I16(a.i8[i + 8]); break;
    case OP_I16X8_EXTEND_LOW_I8X16_U: I16(a.u8[i]); break;
    case OP_I16X8_EXTEND_HIGH_I8X16_U: I16(a.u8[i + 8]); break;
    case OP_I32X4_EXTEND_LOW_I16X8_S: I32(a.i16[i]); break;
    case OP_I32X4_EXTEND_HIGH_I16X8_S: I32(a.i16[i + 4]); break;
    case OP_I32X4_EXTEND_LOW_I16X8_U: I32(a.u16[i]); break;
    case OP_I32X4_EXTEND_HIGH_I16X8_U: I32(a.u16[i + 4]); break;
    case OP_I64X2_EXTEND_LOW_I32X4_S: I64(a.i32[i]); break;
    case OP_I64X2_EXTEND_HIGH_I32X4_S: I64(a.i32[i + 2]); break;
    case OP_I64X2_EXTEND_LOW_I32X4_U: I64(a.u32[i]); break;
    case OP_I64X2_EXTEND_HIGH_I32X4_U: I64(a.u32[i + 2]); break;
    case OP_I16X8_EXTADD_PAIRWISE_I8X16_S: I16(a.i8[2 * i] + a.i8[2 * i + 1]); break;
    case OP_I16X8_EXTADD_PAIRWISE_I8X16_U: I16(a.u8[2 * i] + a.u8[2 * i + 1]); break;
    case OP_I32X4_EXTADD_PAIRWISE_I16X8_S: I32(a.i16[2 * i] + a.i16[2 * i + 1]); break;
    case OP_I32X4_EXTADD_PAIRWISE_I16X8_U: I32(a.u16[2 * i] + a.u16[2 * i + 1]); break;
    case OP_I16X8_EXTMUL_LOW_I8X16_S: I16(a.i8[i] * b.i8[i]); break;
    case OP_I16X8_EXTMUL_HIGH_I8X16_S: I16(a.i8[i + 8] * b.i8[i + 8]); break;
    case OP_I16X8_EXTMUL_LOW_I8X16_U: I16(a.u8[i] * b.u8[i]); break;
    case OP_I16X8_EXTMUL_HIGH_I8X16_U: I16(a.u8[i + 8] * b.u8[i + 8]); break;
    case OP_I32X4_EXTMUL_LOW_I16X8_S: I32(a.i16[i] * b.i16[i]); break;
    case OP_I32X4_EXTMUL_HIGH_I16X8_S: I32(a.i16[i + 4] * b.i16[i + 4]); break;
    case OP_I32X4_EXTMUL_LOW_I16X8_U: I32((uint32_t)a.u16[i] * b.u16[i]); break;
    case OP_I32X4_EXTMUL_HIGH_I16X8_U: I32((uint32_t)a.u16[i + 4] * b.u16[i + 4]); break;
    case OP_I64X2_EXTMUL_LOW_I32X4_S: I64((int64_t)a.i32[i] * b.i32[i]); break;
    case OP_I64X2_EXTMUL_HIGH_I32X4_S: I64((int64_t)a.i32[i + 2] * b.i32[i + 2]); break;
    case OP_I64X2_EXTMUL_LOW_I32X4_U: I64((uint64_t)a.u32[i] * b.u32[i]); break;
    case OP_I64X2_EXTMUL_HIGH_I32X4_U: I64((uint64_t)a.u32[i + 2] * b.u32[i + 2]); break;

    /* ---- float arithmetic ---- */
    case OP_F32X4_ABS: I32(a.u32[i] & 0x7fffffffu); break;
    case OP_F32X4_NEG: I32(a.u32[i] ^ 0x80000000u); break;
    case OP_F32X4_SQRT: F32(sqrtf(a.f32[i])); break;
    case OP_F32X4_CEIL: F32(wasm_round32(ceilf, a.f32[i])); break;
    case OP_F32X4_FLOOR: F32(wasm_round32(floorf, a.f32[i])); break;
    case OP_F32X4_TRUNC: F32(wasm_round32(truncf, a.f32[i])); break;
    case OP_F32X4_NEAREST: F32(wasm_round32(nearbyintf, a.f32[i])); break;
    case OP_F32X4_ADD: F32(a.f32[i] + b.f32[i]); break;
    case OP_F32X4_SUB: F32(a.f32[i] - b.f32[i]); break;
    case OP_F32X4_MUL: F32(a.f32[i] * b.f32[i]); break;
    case OP_F32X4_DIV: F32(a.f32[i] / b.f32[i]); break;
    case OP_F32X4_MIN: F32(wasm_fminf(a.f32[i], b.f32[i])); break;
    case OP_F32X4_MAX: F32(wasm_fmaxf(a.f32[i], b.f32[i])); break;
    case OP_F32X4_PMIN: I32(b.f32[i] < a.f32[i] ? b.u32[i] : a.u32[i]); break;
    case OP_F32X4_PMAX: I32(a.f32[i] < b.f32[i] ? b.u32[i] : a.u32[i]); break;
    case OP_F64X2_ABS: I64(a.u64[i] & 0x7fffffffffffffffull); break;
    case OP_F64X2_NEG: I64(a.u64[i] ^ 0x8000000000000000ull); break;
    case OP_F64X2_SQRT: F64(sqrt(a.f64[i])); break;
    case OP_F64X2_CEIL: F64(wasm_round64(ceil, a.f64[i])); break;
    case OP_F64X2_FLOOR: F64(wasm_round64(floor, a.f64[i])); break;
    case OP_F64X2_TRUNC: F64(wasm_round64(trunc, a.f64[i])); break;
    case OP_F64X2_NEAREST: F64(wasm_round64(nearbyint, a.f64[i])); break;
    case OP_F64X2_ADD: F64(a.f64[i] + b.f64[i]); break;
    case OP_F64X2_SUB: F64(a.f64[i] - b.f64[i]); break;
    case OP_F64X2_MUL: F64(a.f64[i] * b.f64[i]); break;
    case OP_F64X2_DIV: F64(a.f64[i] / b.f64[i]); break;
    case OP_F64X2_MIN: F64(wasm_fmin(a.f64[i], b.f64[i])); break;
    case OP_F64X2_MAX: F64(wasm_fmax(a.f64[i], b.f64[i])); break;
    case OP_F64X2_PMIN: I64(b.f64[i] < a.f64[i] ? b.u64[i] : a.u64[i]); break;
    case OP_F64X2_PMAX: I64(a.f64[i] < b.f64[i] ? b.u64[i] : a.u64[i]); break;

    /* ---- conversions; the _zero forms clear the upper lanes ---- */
    case OP_I32X4_TRUNC_SAT_F32X4_S: I32(sat_i32_f64(a.f32[i])); break;
    case OP_I32X4_TRUNC_SAT_F32X4_U: I32(sat_u32_f64(a.f32[i])); break;
    case OP_I32X4_TRUNC_SAT_F64X2_S_ZERO: LANES(2) r.u32[i] = (uint32_t)sat_i32_f64(a.f64[i]); break;
    case OP_I32X4_TRUNC_SAT_F64X2_U_ZERO: LANES(2) r.u32[i] = sat_u32_f64(a.f64[i]); break;
    case OP_F32X4_CONVERT_I32X4_S: F32((float)a.i32[i]); break;
    case OP_F32X4_CONVERT_I32X4_U: F32((float)a.u32[i]); break;
    case OP_F64X2_CONVERT_LOW_I32X4_S: F64((double)a.i32[i]); break;
    case OP_F64X2_CONVERT_LOW_I32X4_U: F64((double)a.u32[i]); break;
    case OP_F32X4_DEMOTE_F64X2_ZERO: LANES(2) r.f32[i] = (float)a.f64[i]; break;
    case OP_F64X2_PROMOTE_LOW_F32X4: F64((double)a.f32[i]); break;
    default: break;  /* the compiler emits no other opcode here */
    }

    if (sig->out == WASM_V128) put(fp + ip[2], &r);
    else fp[ip[2]] = s;
}

void wasm_simd_shuffle(wasm_val *fp, const uint32_t *ip)
{
    v128 a = get(fp + ip[2]), b = get(fp + ip[3]), r;
    uint8_t m[16];
    for (unsigned k = 0; k < 4; k++) {
        uint32_t w = ip[4 + k];
        for (unsigned j = 0; j < 4; j++) m[4 * k + j] = (uint8_t)(w >> (8 * j));
    }
    I8(m[i] < 16 ? a.u8[m[i]] : b.u8[m[i] - 16]);
    put(fp + ip[1], &r);
}

/* The bytes an access reads or writes: 2^size_log2 of the opcode table
   (8 for the extending loads, one lane for the _lane forms). */
static uint64_t access_size(uint32_t op)
{
    return (uint64_t)1 << wasm_opinfo_table[op].size_log2;
}

bool wasm_simd_load(wasm_val *fp, const uint32_t *ip, const uint8_t *mem, uint64_t memsize)
{
    const uint32_t op = ip[1], lane = ip[6];
    const uint64_t n = access_size(op);
    const uint64_t ea = (uint64_t)(uint32_t)fp[ip[3]] + ip[4];
    if (ea + n > memsize) return false;
    const uint8_t *p = mem + ea;
    v128 r = {{0}}, m = {{0}};
    memcpy(&m, p, n);
    switch (op) {
    case OP_V128_LOAD: case OP_V128_LOAD32_ZERO: case OP_V128_LOAD64_ZERO: r = m; break;
    case OP_V128_LOAD8X8_S: I16(m.i8[i]); break;
    case OP_V128_LOAD8X8_U: I16(m.u8[i]); break;
    case OP_V128_LOAD16X4_S: I32(m.i16[i]); break;
    case OP_V128_LOAD16X4_U: I32(m.u16[i]); break;
    case OP_V128_LOAD32X2_S: I64(m.i32[i]); break;
    case OP_V128_LOAD32X2_U: I64(m.u32[i]); break;
    case OP_V128_LOAD8_SPLAT: I8(m.u8[0]); break;
    case OP_V128_LOAD16_SPLAT: I16(m.u16[0]); break;
    case OP_V128_LOAD32_SPLAT: I32(m.u32[0]); break;
    case OP_V128_LOAD64_SPLAT: I64(m.u64[0]); break;
    case OP_V128_LOAD8_LANE: case OP_V128_LOAD16_LANE:
    case OP_V128_LOAD32_LANE: case OP_V128_LOAD64_LANE:
        r = get(fp + ip[5]);
        memcpy(r.u8 + lane * n, p, n);
        break;
    default: break;
    }
    put(fp + ip[2], &r);
    return true;
}

bool wasm_simd_store(const wasm_val *fp, const uint32_t *ip, uint8_t *mem, uint64_t memsize)
{
    const uint32_t op = ip[1], lane = ip[5];
    const uint64_t n = access_size(op);
    const uint64_t ea = (uint64_t)(uint32_t)fp[ip[2]] + ip[4];
    if (ea + n > memsize) return false;
    v128 v = get(fp + ip[3]);
    memcpy(mem + ea, op == OP_V128_STORE ? v.u8 : v.u8 + lane * n, n);
    return true;
}
