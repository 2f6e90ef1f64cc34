/*
 * iops.h - the internal instruction set the compiler emits and the
 * interpreter runs (see README.md, "Compiled code").
 *
 * An instruction is a handler word followed by operand words.  Operands
 * are frame slots (64-bit cells addressed from the frame pointer),
 * immediates, or branch offsets relative to the offset's own word.
 * Layout notation below: d = destination slot, a/b/c = source slots,
 * k = 32-bit immediate, r = branch offset.
 *
 * The plain numeric instructions are listed once, with their semantics,
 * in the NUM_* tables; the handlers (interp.c) and the compiler's mapping
 * from Wasm opcodes (compile.c) are both generated from them.  In the
 * expressions, a and b are the operands as uint32_t (i32 tables) or
 * uint64_t (i64 tables); x is the raw 64-bit cell of a unary operand.
 */
#ifndef WASM_IOPS_H
#define WASM_IOPS_H

/* i32 binary ops: [op d a b], and [op d a k] in the _I form. */
#define NUM_I32_BIN(X)                                                         \
    X(I32_ADD, a + b)                                                          \
    X(I32_SUB, a - b)                                                          \
    X(I32_MUL, a * b)                                                          \
    X(I32_AND, a & b)                                                          \
    X(I32_OR, a | b)                                                           \
    X(I32_XOR, a ^ b)                                                          \
    X(I32_SHL, a << (b & 31))                                                  \
    X(I32_SHR_S, (uint32_t)((int32_t)a >> (b & 31)))                           \
    X(I32_SHR_U, a >> (b & 31))                                                \
    X(I32_ROTL, rotl32(a, b))                                                  \
    X(I32_ROTR, rotr32(a, b))

/* i32 comparisons: as binary ops, and fused with a branch:
   [BR_op a b r] and [BR_op_I a k r] jump when the comparison holds. */
#define NUM_I32_CMP(X)                                                         \
    X(I32_EQ, a == b)                                                          \
    X(I32_NE, a != b)                                                          \
    X(I32_LT_S, (int32_t)a < (int32_t)b)                                       \
    X(I32_LT_U, a < b)                                                         \
    X(I32_GT_S, (int32_t)a > (int32_t)b)                                       \
    X(I32_GT_U, a > b)                                                         \
    X(I32_LE_S, (int32_t)a <= (int32_t)b)                                      \
    X(I32_LE_U, a <= b)                                                        \
    X(I32_GE_S, (int32_t)a >= (int32_t)b)                                      \
    X(I32_GE_U, a >= b)

/* i64 binary ops; the _I form's immediate is sign-extended from 32 bits. */
#define NUM_I64_BIN(X)                                                         \
    X(I64_ADD, a + b)                                                          \
    X(I64_SUB, a - b)                                                          \
    X(I64_MUL, a * b)                                                          \
    X(I64_AND, a & b)                                                          \
    X(I64_OR, a | b)                                                           \
    X(I64_XOR, a ^ b)                                                          \
    X(I64_SHL, a << (b & 63))                                                  \
    X(I64_SHR_S, (uint64_t)((int64_t)a >> (b & 63)))                           \
    X(I64_SHR_U, a >> (b & 63))                                                \
    X(I64_ROTL, rotl64(a, b))                                                  \
    X(I64_ROTR, rotr64(a, b))

#define NUM_I64_CMP(X)                                                         \
    X(I64_EQ, a == b)                                                          \
    X(I64_NE, a != b)                                                          \
    X(I64_LT_S, (int64_t)a < (int64_t)b)                                       \
    X(I64_LT_U, a < b)                                                         \
    X(I64_GT_S, (int64_t)a > (int64_t)b)                                       \
    X(I64_GT_U, a > b)                                                         \
    X(I64_LE_S, (int64_t)a <= (int64_t)b)                                      \
    X(I64_LE_U, a <= b)                                                        \
    X(I64_GE_S, (int64_t)a >= (int64_t)b)                                      \
    X(I64_GE_U, a >= b)

/* Float binary ops [op d a b]; a and b are float/double values here. */
#define NUM_F32_BIN(X)                                                         \
    X(F32_ADD, bits_f32(a + b))                                                \
    X(F32_SUB, bits_f32(a - b))                                                \
    X(F32_MUL, bits_f32(a * b))                                                \
    X(F32_DIV, bits_f32(a / b))                                                \
    X(F32_MIN, bits_f32(wasm_fminf(a, b)))                                     \
    X(F32_MAX, bits_f32(wasm_fmaxf(a, b)))                                     \
    X(F32_COPYSIGN, (bits_f32(a) & 0x7fffffffu) | (bits_f32(b) & 0x80000000u)) \
    X(F32_EQ, a == b)                                                          \
    X(F32_NE, a != b)                                                          \
    X(F32_LT, a < b)                                                           \
    X(F32_GT, a > b)                                                           \
    X(F32_LE, a <= b)                                                          \
    X(F32_GE, a >= b)

#define NUM_F64_BIN(X)                                                         \
    X(F64_ADD, bits_f64(a + b))                                                \
    X(F64_SUB, bits_f64(a - b))                                                \
    X(F64_MUL, bits_f64(a * b))                                                \
    X(F64_DIV, bits_f64(a / b))                                                \
    X(F64_MIN, bits_f64(wasm_fmin(a, b)))                                      \
    X(F64_MAX, bits_f64(wasm_fmax(a, b)))                                      \
    X(F64_COPYSIGN, (bits_f64(a) & 0x7fffffffffffffffull) |                     \
                        (bits_f64(b) & 0x8000000000000000ull))                 \
    X(F64_EQ, a == b)                                                          \
    X(F64_NE, a != b)                                                          \
    X(F64_LT, a < b)                                                           \
    X(F64_GT, a > b)                                                           \
    X(F64_LE, a <= b)                                                          \
    X(F64_GE, a >= b)

/* Unary ops that cannot trap [op d a]: x is the raw cell.  Float
   sign operations work on the bits so NaN payloads pass unchanged. */
#define NUM_UNARY(X)                                                           \
    X(I32_EQZ, (uint32_t)x == 0)                                               \
    X(I32_CLZ, clz32((uint32_t)x))                                             \
    X(I32_CTZ, ctz32((uint32_t)x))                                             \
    X(I32_POPCNT, (uint64_t)__builtin_popcount((uint32_t)x))                   \
    X(I64_EQZ, x == 0)                                                         \
    X(I64_CLZ, clz64(x))                                                       \
    X(I64_CTZ, ctz64(x))                                                       \
    X(I64_POPCNT, (uint64_t)__builtin_popcountll(x))                           \
    X(F32_ABS, (uint32_t)x & 0x7fffffffu)                                      \
    X(F32_NEG, (uint32_t)x ^ 0x80000000u)                                      \
    X(F32_CEIL, bits_f32(wasm_round32(ceilf, f32_of(x))))                                    \
    X(F32_FLOOR, bits_f32(wasm_round32(floorf, f32_of(x))))                                  \
    X(F32_TRUNC, bits_f32(wasm_round32(truncf, f32_of(x))))                                  \
    X(F32_NEAREST, bits_f32(wasm_round32(nearbyintf, f32_of(x))))                            \
    X(F32_SQRT, bits_f32(sqrtf(f32_of(x))))                                    \
    X(F64_ABS, x & 0x7fffffffffffffffull)                                      \
    X(F64_NEG, x ^ 0x8000000000000000ull)                                      \
    X(F64_CEIL, bits_f64(wasm_round64(ceil, f64_of(x))))                                     \
    X(F64_FLOOR, bits_f64(wasm_round64(floor, f64_of(x))))                                   \
    X(F64_TRUNC, bits_f64(wasm_round64(trunc, f64_of(x))))                                   \
    X(F64_NEAREST, bits_f64(wasm_round64(nearbyint, f64_of(x))))                             \
    X(F64_SQRT, bits_f64(sqrt(f64_of(x))))                                     \
    X(I32_WRAP_I64, (uint32_t)x)                                               \
    X(I64_EXTEND_I32_S, (uint64_t)(int64_t)(int32_t)x)                         \
    X(I64_EXTEND_I32_U, (uint32_t)x)                                           \
    X(F32_CONVERT_I32_S, bits_f32((float)(int32_t)x))                          \
    X(F32_CONVERT_I32_U, bits_f32((float)(uint32_t)x))                         \
    X(F32_CONVERT_I64_S, bits_f32((float)(int64_t)x))                          \
    X(F32_CONVERT_I64_U, bits_f32((float)x))                                   \
    X(F32_DEMOTE_F64, bits_f32((float)f64_of(x)))                              \
    X(F64_CONVERT_I32_S, bits_f64((double)(int32_t)x))                         \
    X(F64_CONVERT_I32_U, bits_f64((double)(uint32_t)x))                        \
    X(F64_CONVERT_I64_S, bits_f64((double)(int64_t)x))                         \
    X(F64_CONVERT_I64_U, bits_f64((double)x))                                  \
    X(F64_PROMOTE_F32, bits_f64((double)f32_of(x)))                            \
    X(I32_EXTEND8_S, (uint32_t)(int32_t)(int8_t)x)                             \
    X(I32_EXTEND16_S, (uint32_t)(int32_t)(int16_t)x)                           \
    X(I64_EXTEND8_S, (uint64_t)(int64_t)(int8_t)x)                             \
    X(I64_EXTEND16_S, (uint64_t)(int64_t)(int16_t)x)                           \
    X(I64_EXTEND32_S, (uint64_t)(int64_t)(int32_t)x)                           \
    X(I32_TRUNC_SAT_F32_S, (uint32_t)sat_i32_f64(f32_of(x)))                   \
    X(I32_TRUNC_SAT_F32_U, sat_u32_f64(f32_of(x)))                             \
    X(I32_TRUNC_SAT_F64_S, (uint32_t)sat_i32_f64(f64_of(x)))                   \
    X(I32_TRUNC_SAT_F64_U, sat_u32_f64(f64_of(x)))                             \
    X(I64_TRUNC_SAT_F32_S, (uint64_t)sat_i64_f64(f32_of(x)))                   \
    X(I64_TRUNC_SAT_F32_U, sat_u64_f64(f32_of(x)))                             \
    X(I64_TRUNC_SAT_F64_S, (uint64_t)sat_i64_f64(f64_of(x)))                   \
    X(I64_TRUNC_SAT_F64_U, sat_u64_f64(f64_of(x)))

/* Trapping float-to-int truncations [op d a]: X(NAME, source reader,
   checker returning the trap kind or 0, conversion). */
#define NUM_TRUNC(X)                                                           \
    X(I32_TRUNC_F32_S, f32_of(x), trunc_check_i32(v), (uint32_t)(int32_t)v)    \
    X(I32_TRUNC_F32_U, f32_of(x), trunc_check_u32(v), (uint32_t)v)             \
    X(I32_TRUNC_F64_S, f64_of(x), trunc_check_i32(v), (uint32_t)(int32_t)v)    \
    X(I32_TRUNC_F64_U, f64_of(x), trunc_check_u32(v), (uint32_t)v)             \
    X(I64_TRUNC_F32_S, f32_of(x), trunc_check_i64(v), (uint64_t)(int64_t)v)    \
    X(I64_TRUNC_F32_U, f32_of(x), trunc_check_u64(v), (uint64_t)v)             \
    X(I64_TRUNC_F64_S, f64_of(x), trunc_check_i64(v), (uint64_t)(int64_t)v)    \
    X(I64_TRUNC_F64_U, f64_of(x), trunc_check_u64(v), (uint64_t)v)

/* Integer division [op d a b]: traps on zero and on signed overflow. */
#define NUM_DIV(X)                                                             \
    X(I32_DIV_S) X(I32_DIV_U) X(I32_REM_S) X(I32_REM_U)                        \
    X(I64_DIV_S) X(I64_DIV_U) X(I64_REM_S) X(I64_REM_U)

/* Loads come in three address forms, the effective address being the
   32-bit address plus the static offset o, as 64-bit numbers:
     [op d a o]     address in slot a
     [op_A d a b o] address (a + b) mod 2^32: a fused i32.add
     [op_K d a k o] address (a + k) mod 2^32: a fused i32.add of a constant
   Stores: [op a b o] stores slot b, [op_I a k o] the immediate k
   (sign-extended for 8-byte stores).
   X(NAME, C type in memory, cell from loaded value v). */
#define MEM_LOADS(X)                                                           \
    X(I32_LOAD, uint32_t, v)                                                   \
    X(I64_LOAD, uint64_t, v)                                                   \
    X(F32_LOAD, uint32_t, v)                                                   \
    X(F64_LOAD, uint64_t, v)                                                   \
    X(I32_LOAD8_S, int8_t, (uint32_t)(int32_t)v)                               \
    X(I32_LOAD8_U, uint8_t, v)                                                 \
    X(I32_LOAD16_S, int16_t, (uint32_t)(int32_t)v)                             \
    X(I32_LOAD16_U, uint16_t, v)                                               \
    X(I64_LOAD8_S, int8_t, (uint64_t)(int64_t)v)                               \
    X(I64_LOAD8_U, uint8_t, v)                                                 \
    X(I64_LOAD16_S, int16_t, (uint64_t)(int64_t)v)                             \
    X(I64_LOAD16_U, uint16_t, v)                                               \
    X(I64_LOAD32_S, int32_t, (uint64_t)(int64_t)v)                             \
    X(I64_LOAD32_U, uint32_t, v)

/* X(NAME, C type in memory) */
#define MEM_STORES(X)                                                          \
    X(I32_STORE, uint32_t)                                                     \
    X(I64_STORE, uint64_t)                                                     \
    X(F32_STORE, uint32_t)                                                     \
    X(F64_STORE, uint64_t)                                                     \
    X(I32_STORE8, uint8_t)                                                     \
    X(I32_STORE16, uint16_t)                                                   \
    X(I64_STORE8, uint8_t)                                                     \
    X(I64_STORE16, uint16_t)                                                   \
    X(I64_STORE32, uint32_t)

/* Everything else, X(NAME, words including the handler word). */
#define CTRL_OPS(X)                                                            \
    X(ENTER, 5)        /* [op nparams nzero frame_slots fuel] zero locals */  \
    X(LOOP, 2)         /* [op fuel] back-edge target: fuel, interrupt */      \
    X(BR, 2)           /* [op r] */                                           \
    X(BR_IF, 3)        /* [op a r] jump when a != 0 */                        \
    X(BR_UNLESS, 3)    /* [op a r] jump when a == 0 */                        \
    X(BR_TABLE, 3)     /* [op a n] then n+1 words r (the default last) */     \
    X(RETURN, 1)       /* results are already in slots 0.. */                 \
    X(UNREACHABLE, 1)                                                         \
    X(COPY, 3)         /* [op d a] */                                         \
    X(COPY2, 5)        /* [op d a d2 a2] two copies, in order */              \
    X(CONST, 4)        /* [op d lo hi] */                                     \
    X(SELECT, 5)       /* [op d a b c] d = c ? a : b */                       \
    X(CALL, 3)         /* [op funcidx base] */                                \
    X(CALL_INDIRECT, 5)/* [op table type base a] a: the element index */      \
    X(GLOBAL_GET, 3)   /* [op d globalidx] */                                 \
    X(GLOBAL_SET, 3)   /* [op a globalidx] */                                 \
    X(MEMORY_SIZE, 2)  /* [op d] */                                           \
    X(MEMORY_GROW, 3)  /* [op d a] */                                         \
    X(MEMORY_INIT, 5)  /* [op data d s n] */                                  \
    X(DATA_DROP, 2)    /* [op data] */                                        \
    X(MEMORY_COPY, 4)  /* [op d s n] */                                       \
    X(MEMORY_FILL, 4)  /* [op d v n] */                                       \
    X(TABLE_GET, 4)    /* [op d a table] */                                   \
    X(TABLE_SET, 4)    /* [op a b table] */                                   \
    X(TABLE_SIZE, 3)   /* [op d table] */                                     \
    X(TABLE_GROW, 5)   /* [op d init n table] */                              \
    X(TABLE_FILL, 5)   /* [op i v n table] */                                 \
    X(TABLE_COPY, 6)   /* [op d s n dtable stable] */                         \
    X(TABLE_INIT, 6)   /* [op d s n table elem] */                            \
    X(ELEM_DROP, 2)    /* [op elem] */                                        \
    X(REF_FUNC, 3)     /* [op d funcidx] */                                   \
    X(F32_MULADD, 5)   /* [op d a x y] d = a + x*y, two roundings (no FMA) */ \
    X(F32_MULSUB, 5)   /* [op d a x y] d = a - x*y */                         \
    X(F64_MULADD, 5)                                                          \
    X(F64_MULSUB, 5)                                                          \
    /* v128 (see simd.h): a value in two slots, d/a/b/c name the first */    \
    X(V128_COPY, 3)    /* [op d a] both cells */                              \
    X(V128_CONST, 6)   /* [op d w0 w1 w2 w3] bytes 0-3 in w0 ... */           \
    X(V128_SELECT, 5)  /* [op d a b c] d = c ? a : b */                       \
    X(V128_GLOBAL_GET, 3) /* [op d globalidx] */                              \
    X(V128_GLOBAL_SET, 3) /* [op a globalidx] */                              \
    X(SIMD, 6)         /* [op simdop d a b c] c: a lane, or bitselect's mask */ \
    X(SIMD_SHUFFLE, 8) /* [op d a b m0 m1 m2 m3] the 16 lane bytes */         \
    X(SIMD_LOAD, 7)    /* [op simdop d a offset v lane] v: the _lane input */ \
    X(SIMD_STORE, 6)   /* [op simdop a v offset lane] */

/* The SIMD instructions auto-vectorized loops use most, each with its own
   handler (two 64-bit halves, no call into simd.c), in the layout of the
   generic form they replace: [op simdop d a b c] as SIMD, and V128_LOAD
   and V128_STORE as SIMD_LOAD and SIMD_STORE.  X(name, opcode...): the
   Wasm opcodes (opcodes.h) compiled to IOP_SIMD_<name>. */
#define SIMD_FAST_OPS(X)                                                       \
    X(V128_LOAD, OP_V128_LOAD)                                                 \
    X(V128_STORE, OP_V128_STORE)                                               \
    X(V128_NOT, OP_V128_NOT)                                                   \
    X(V128_AND, OP_V128_AND)                                                   \
    X(V128_ANDNOT, OP_V128_ANDNOT)                                             \
    X(V128_OR, OP_V128_OR)                                                     \
    X(V128_XOR, OP_V128_XOR)                                                   \
    X(V128_ANY_TRUE, OP_V128_ANY_TRUE)                                         \
    X(I8X16_SPLAT, OP_I8X16_SPLAT)                                             \
    X(I32X4_SPLAT, OP_I32X4_SPLAT, OP_F32X4_SPLAT)                             \
    X(I64X2_SPLAT, OP_I64X2_SPLAT, OP_F64X2_SPLAT)                             \
    X(I32X4_EXTRACT_LANE, OP_I32X4_EXTRACT_LANE, OP_F32X4_EXTRACT_LANE)        \
    X(I64X2_EXTRACT_LANE, OP_I64X2_EXTRACT_LANE, OP_F64X2_EXTRACT_LANE)        \
    X(I64X2_REPLACE_LANE, OP_I64X2_REPLACE_LANE, OP_F64X2_REPLACE_LANE)        \
    X(I8X16_EQ, OP_I8X16_EQ)                                                   \
    X(I8X16_BITMASK, OP_I8X16_BITMASK)                                         \
    X(I8X16_ADD, OP_I8X16_ADD)                                                 \
    X(I32X4_ADD, OP_I32X4_ADD)                                                 \
    X(I32X4_SUB, OP_I32X4_SUB)                                                 \
    X(I32X4_MUL, OP_I32X4_MUL)                                                 \
    X(I64X2_ADD, OP_I64X2_ADD)                                                 \
    X(F32X4_ADD, OP_F32X4_ADD)                                                 \
    X(F32X4_MUL, OP_F32X4_MUL)                                                 \
    X(F64X2_ADD, OP_F64X2_ADD)                                                 \
    X(F64X2_SUB, OP_F64X2_SUB)                                                 \
    X(F64X2_MUL, OP_F64X2_MUL)                                                 \
    /* [op simdop d a x y]: a + x*y (a - x*y), the product rounded first; \
       compiled from a mul whose result the add or sub consumes at once */ \
    X(F32X4_MULADD, 0)                                                         \
    X(F64X2_MULADD, 0)                                                         \
    X(F64X2_MULSUB, 0)

/* The enum of internal opcodes, in one order used everywhere. */
#define IOP_BIN(name, expr) IOP_##name, IOP_##name##_I,
#define IOP_CMP(name, expr) IOP_##name, IOP_##name##_I, IOP_BR_##name, IOP_BR_##name##_I,
#define IOP_ONE(name, ...) IOP_##name,
#define IOP_LD(name, ...) IOP_##name, IOP_##name##_A, IOP_##name##_K,
#define IOP_ST(name, ...) IOP_##name, IOP_##name##_I,
#define IOP_SIMD_ONE(name, ...) IOP_SIMD_##name,
enum {
    CTRL_OPS(IOP_ONE)
    NUM_I32_BIN(IOP_BIN) NUM_I32_CMP(IOP_CMP)
    NUM_I64_BIN(IOP_BIN) NUM_I64_CMP(IOP_CMP)
    NUM_F32_BIN(IOP_ONE) NUM_F64_BIN(IOP_ONE)
    NUM_UNARY(IOP_ONE) NUM_TRUNC(IOP_ONE) NUM_DIV(IOP_ONE)
    MEM_LOADS(IOP_LD) MEM_STORES(IOP_ST)
    SIMD_FAST_OPS(IOP_SIMD_ONE)
    IOP_COUNT
};
#undef IOP_BIN
#undef IOP_CMP
#undef IOP_ONE
#undef IOP_LD
#undef IOP_ST
#undef IOP_SIMD_ONE

#endif
