/*
 * opcodes.h - every WebAssembly 2.0 instruction, in one table.
 *
 * Spec: "Binary Format > Instructions" (5.4).  Each row gives the
 * instruction's name, its opcode number, the kind of immediates that follow
 * it and, for the plain stack-typed instructions, its signature.  The
 * decoder, the validator and the compiler all read this table, so an
 * instruction is described once.
 *
 * Opcode numbers: one-byte opcodes keep their byte; 0xFC-prefixed ones are
 * 0x100 + their LEB128 sub-opcode, 0xFD-prefixed ones (SIMD, 5.4.8)
 * 0x200 + theirs.
 */
#ifndef WASM_OPCODES_H
#define WASM_OPCODES_H

#include <stddef.h>
#include <stdint.h>

/* Immediate kinds. */
enum {
    IMM_NONE,
    IMM_BLOCK,        /* blocktype */
    IMM_LABEL,        /* labelidx */
    IMM_BR_TABLE,     /* vec(labelidx) labelidx */
    IMM_FUNC,         /* funcidx */
    IMM_CALL_INDIRECT,/* typeidx tableidx */
    IMM_LOCAL,
    IMM_GLOBAL,
    IMM_TABLE,        /* tableidx */
    IMM_MEMARG,       /* align offset */
    IMM_MEM0,         /* a zero byte (memory index 0) */
    IMM_I32,
    IMM_I64,
    IMM_F32,
    IMM_F64,
    IMM_SELECT_T,     /* vec(valtype) */
    IMM_REFTYPE,
    IMM_DATA_MEM0,    /* dataidx, zero byte */
    IMM_DATA,         /* dataidx */
    IMM_MEM0_MEM0,    /* two zero bytes */
    IMM_ELEM_TABLE,   /* elemidx tableidx */
    IMM_TABLE_TABLE,  /* tableidx tableidx */
    IMM_ELEM,         /* elemidx */
    IMM_LANE,         /* a lane index byte (< 16 >> size_log2) */
    IMM_MEMARG_LANE,  /* align offset, then a lane index byte */
    IMM_V128,         /* 16 bytes: v128.const */
    IMM_SHUFFLE,      /* 16 lane index bytes (< 32): i8x16.shuffle */
};

/* Signatures of the plain instructions: SIG_<inputs>_<output>, with
   i = i32, l = i64, f = f32, d = f64, x = v128, and V for no output. */
#define WASM_SIGNATURES(S)                                                     \
    S(SIG_SPECIAL, 0, 0, 0, 0) /* validated by hand */                         \
    S(SIG_I_I, 1, 0x7f, 0, 0x7f) S(SIG_II_I, 2, 0x7f, 0x7f, 0x7f)              \
    S(SIG_L_L, 1, 0x7e, 0, 0x7e) S(SIG_LL_L, 2, 0x7e, 0x7e, 0x7e)              \
    S(SIG_L_I, 1, 0x7e, 0, 0x7f) S(SIG_LL_I, 2, 0x7e, 0x7e, 0x7f)              \
    S(SIG_F_F, 1, 0x7d, 0, 0x7d) S(SIG_FF_F, 2, 0x7d, 0x7d, 0x7d)              \
    S(SIG_FF_I, 2, 0x7d, 0x7d, 0x7f)                                           \
    S(SIG_D_D, 1, 0x7c, 0, 0x7c) S(SIG_DD_D, 2, 0x7c, 0x7c, 0x7c)              \
    S(SIG_DD_I, 2, 0x7c, 0x7c, 0x7f)                                           \
    S(SIG_I_L, 1, 0x7f, 0, 0x7e) S(SIG_I_F, 1, 0x7f, 0, 0x7d)                  \
    S(SIG_I_D, 1, 0x7f, 0, 0x7c) S(SIG_L_F, 1, 0x7e, 0, 0x7d)                  \
    S(SIG_L_D, 1, 0x7e, 0, 0x7c) S(SIG_F_I, 1, 0x7d, 0, 0x7f)                  \
    S(SIG_F_L, 1, 0x7d, 0, 0x7e) S(SIG_F_D, 1, 0x7d, 0, 0x7c)                  \
    S(SIG_D_I, 1, 0x7c, 0, 0x7f) S(SIG_D_L, 1, 0x7c, 0, 0x7e)                  \
    S(SIG_D_F, 1, 0x7c, 0, 0x7d)                                               \
    S(SIG_II_V, 2, 0x7f, 0x7f, 0) S(SIG_IL_V, 2, 0x7f, 0x7e, 0)                \
    S(SIG_IF_V, 2, 0x7f, 0x7d, 0) S(SIG_ID_V, 2, 0x7f, 0x7c, 0)                \
    S(SIG_X_X, 1, 0x7b, 0, 0x7b) S(SIG_XX_X, 2, 0x7b, 0x7b, 0x7b)              \
    S(SIG_XXX_X, 3, 0x7b, 0x7b, 0x7b) /* in2 is v128 too */                    \
    S(SIG_X_I, 1, 0x7b, 0, 0x7f) S(SIG_X_L, 1, 0x7b, 0, 0x7e)                  \
    S(SIG_X_F, 1, 0x7b, 0, 0x7d) S(SIG_X_D, 1, 0x7b, 0, 0x7c)                  \
    S(SIG_I_X, 1, 0x7f, 0, 0x7b) S(SIG_L_X, 1, 0x7e, 0, 0x7b)                  \
    S(SIG_F_X, 1, 0x7d, 0, 0x7b) S(SIG_D_X, 1, 0x7c, 0, 0x7b)                  \
    S(SIG_XI_X, 2, 0x7b, 0x7f, 0x7b) S(SIG_XL_X, 2, 0x7b, 0x7e, 0x7b)          \
    S(SIG_XF_X, 2, 0x7b, 0x7d, 0x7b) S(SIG_XD_X, 2, 0x7b, 0x7c, 0x7b)          \
    S(SIG_IX_X, 2, 0x7f, 0x7b, 0x7b) S(SIG_IX_V, 2, 0x7f, 0x7b, 0)

#define WASM_SIG_ENUM(name, n, a, b, r) name,
enum { WASM_SIGNATURES(WASM_SIG_ENUM) SIG_COUNT };
#undef WASM_SIG_ENUM

/* X(NAME, opcode, immediate, signature, log2 of the access size) */
#define WASM_OPCODES(X)                                                        \
    X(UNREACHABLE, 0x00, IMM_NONE, SIG_SPECIAL, 0)                             \
    X(NOP, 0x01, IMM_NONE, SIG_SPECIAL, 0)                                     \
    X(BLOCK, 0x02, IMM_BLOCK, SIG_SPECIAL, 0)                                  \
    X(LOOP, 0x03, IMM_BLOCK, SIG_SPECIAL, 0)                                   \
    X(IF, 0x04, IMM_BLOCK, SIG_SPECIAL, 0)                                     \
    X(ELSE, 0x05, IMM_NONE, SIG_SPECIAL, 0)                                    \
    X(END, 0x0B, IMM_NONE, SIG_SPECIAL, 0)                                     \
    X(BR, 0x0C, IMM_LABEL, SIG_SPECIAL, 0)                                     \
    X(BR_IF, 0x0D, IMM_LABEL, SIG_SPECIAL, 0)                                  \
    X(BR_TABLE, 0x0E, IMM_BR_TABLE, SIG_SPECIAL, 0)                            \
    X(RETURN, 0x0F, IMM_NONE, SIG_SPECIAL, 0)                                  \
    X(CALL, 0x10, IMM_FUNC, SIG_SPECIAL, 0)                                    \
    X(CALL_INDIRECT, 0x11, IMM_CALL_INDIRECT, SIG_SPECIAL, 0)                  \
    X(DROP, 0x1A, IMM_NONE, SIG_SPECIAL, 0)                                    \
    X(SELECT, 0x1B, IMM_NONE, SIG_SPECIAL, 0)                                  \
    X(SELECT_T, 0x1C, IMM_SELECT_T, SIG_SPECIAL, 0)                            \
    X(LOCAL_GET, 0x20, IMM_LOCAL, SIG_SPECIAL, 0)                              \
    X(LOCAL_SET, 0x21, IMM_LOCAL, SIG_SPECIAL, 0)                              \
    X(LOCAL_TEE, 0x22, IMM_LOCAL, SIG_SPECIAL, 0)                              \
    X(GLOBAL_GET, 0x23, IMM_GLOBAL, SIG_SPECIAL, 0)                            \
    X(GLOBAL_SET, 0x24, IMM_GLOBAL, SIG_SPECIAL, 0)                            \
    X(TABLE_GET, 0x25, IMM_TABLE, SIG_SPECIAL, 0)                              \
    X(TABLE_SET, 0x26, IMM_TABLE, SIG_SPECIAL, 0)                              \
    X(I32_LOAD, 0x28, IMM_MEMARG, SIG_I_I, 2)                                  \
    X(I64_LOAD, 0x29, IMM_MEMARG, SIG_I_L, 3)                                  \
    X(F32_LOAD, 0x2A, IMM_MEMARG, SIG_I_F, 2)                                  \
    X(F64_LOAD, 0x2B, IMM_MEMARG, SIG_I_D, 3)                                  \
    X(I32_LOAD8_S, 0x2C, IMM_MEMARG, SIG_I_I, 0)                               \
    X(I32_LOAD8_U, 0x2D, IMM_MEMARG, SIG_I_I, 0)                               \
    X(I32_LOAD16_S, 0x2E, IMM_MEMARG, SIG_I_I, 1)                              \
    X(I32_LOAD16_U, 0x2F, IMM_MEMARG, SIG_I_I, 1)                              \
    X(I64_LOAD8_S, 0x30, IMM_MEMARG, SIG_I_L, 0)                               \
    X(I64_LOAD8_U, 0x31, IMM_MEMARG, SIG_I_L, 0)                               \
    X(I64_LOAD16_S, 0x32, IMM_MEMARG, SIG_I_L, 1)                              \
    X(I64_LOAD16_U, 0x33, IMM_MEMARG, SIG_I_L, 1)                              \
    X(I64_LOAD32_S, 0x34, IMM_MEMARG, SIG_I_L, 2)                              \
    X(I64_LOAD32_U, 0x35, IMM_MEMARG, SIG_I_L, 2)                              \
    X(I32_STORE, 0x36, IMM_MEMARG, SIG_II_V, 2)                                \
    X(I64_STORE, 0x37, IMM_MEMARG, SIG_IL_V, 3)                                \
    X(F32_STORE, 0x38, IMM_MEMARG, SIG_IF_V, 2)                                \
    X(F64_STORE, 0x39, IMM_MEMARG, SIG_ID_V, 3)                                \
    X(I32_STORE8, 0x3A, IMM_MEMARG, SIG_II_V, 0)                               \
    X(I32_STORE16, 0x3B, IMM_MEMARG, SIG_II_V, 1)                              \
    X(I64_STORE8, 0x3C, IMM_MEMARG, SIG_IL_V, 0)                               \
    X(I64_STORE16, 0x3D, IMM_MEMARG, SIG_IL_V, 1)                              \
    X(I64_STORE32, 0x3E, IMM_MEMARG, SIG_IL_V, 2)                              \
    X(MEMORY_SIZE, 0x3F, IMM_MEM0, SIG_SPECIAL, 0)                             \
    X(MEMORY_GROW, 0x40, IMM_MEM0, SIG_SPECIAL, 0)                             \
    X(I32_CONST, 0x41, IMM_I32, SIG_SPECIAL, 0)                                \
    X(I64_CONST, 0x42, IMM_I64, SIG_SPECIAL, 0)                                \
    X(F32_CONST, 0x43, IMM_F32, SIG_SPECIAL, 0)                                \
    X(F64_CONST, 0x44, IMM_F64, SIG_SPECIAL, 0)                                \
    X(I32_EQZ, 0x45, IMM_NONE, SIG_I_I, 0)                                     \
    X(I32_EQ, 0x46, IMM_NONE, SIG_II_I, 0)                                     \
    X(I32_NE, 0x47, IMM_NONE, SIG_II_I, 0)                                     \
    X(I32_LT_S, 0x48, IMM_NONE, SIG_II_I, 0)                                   \
    X(I32_LT_U, 0x49, IMM_NONE, SIG_II_I, 0)                                   \
    X(I32_GT_S, 0x4A, IMM_NONE, SIG_II_I, 0)                                   \
    X(I32_GT_U, 0x4B, IMM_NONE, SIG_II_I, 0)                                   \
    X(I32_LE_S, 0x4C, IMM_NONE, SIG_II_I, 0)                                   \
    X(I32_LE_U, 0x4D, IMM_NONE, SIG_II_I, 0)                                   \
    X(I32_GE_S, 0x4E, IMM_NONE, SIG_II_I, 0)                                   \
    X(I32_GE_U, 0x4F, IMM_NONE, SIG_II_I, 0)                                   \
    X(I64_EQZ, 0x50, IMM_NONE, SIG_L_I, 0)                                     \
    X(I64_EQ, 0x51, IMM_NONE, SIG_LL_I, 0)                                     \
    X(I64_NE, 0x52, IMM_NONE, SIG_LL_I, 0)                                     \
    X(I64_LT_S, 0x53, IMM_NONE, SIG_LL_I, 0)                                   \
    X(I64_LT_U, 0x54, IMM_NONE, SIG_LL_I, 0)                                   \
    X(I64_GT_S, 0x55, IMM_NONE, SIG_LL_I, 0)                                   \
    X(I64_GT_U, 0x56, IMM_NONE, SIG_LL_I, 0)                                   \
    X(I64_LE_S, 0x57, IMM_NONE, SIG_LL_I, 0)                                   \
    X(I64_LE_U, 0x58, IMM_NONE, SIG_LL_I, 0)                                   \
    X(I64_GE_S, 0x59, IMM_NONE, SIG_LL_I, 0)                                   \
    X(I64_GE_U, 0x5A, IMM_NONE, SIG_LL_I, 0)                                   \
    X(F32_EQ, 0x5B, IMM_NONE, SIG_FF_I, 0)                                     \
    X(F32_NE, 0x5C, IMM_NONE, SIG_FF_I, 0)                                     \
    X(F32_LT, 0x5D, IMM_NONE, SIG_FF_I, 0)                                     \
    X(F32_GT, 0x5E, IMM_NONE, SIG_FF_I, 0)                                     \
    X(F32_LE, 0x5F, IMM_NONE, SIG_FF_I, 0)                                     \
    X(F32_GE, 0x60, IMM_NONE, SIG_FF_I, 0)                                     \
    X(F64_EQ, 0x61, IMM_NONE, SIG_DD_I, 0)                                     \
    X(F64_NE, 0x62, IMM_NONE, SIG_DD_I, 0)                                     \
    X(F64_LT, 0x63, IMM_NONE, SIG_DD_I, 0)                                     \
    X(F64_GT, 0x64, IMM_NONE, SIG_DD_I, 0)                                     \
    X(F64_LE, 0x65, IMM_NONE, SIG_DD_I, 0)                                     \
    X(F64_GE, 0x66, IMM_NONE, SIG_DD_I, 0)                                     \
    X(I32_CLZ, 0x67, IMM_NONE, SIG_I_I, 0)                                     \
    X(I32_CTZ, 0x68, IMM_NONE, SIG_I_I, 0)                                     \
    X(I32_POPCNT, 0x69, IMM_NONE, SIG_I_I, 0)                                  \
    X(I32_ADD, 0x6A, IMM_NONE, SIG_II_I, 0)                                    \
    X(I32_SUB, 0x6B, IMM_NONE, SIG_II_I, 0)                                    \
    X(I32_MUL, 0x6C, IMM_NONE, SIG_II_I, 0)                                    \
    X(I32_DIV_S, 0x6D, IMM_NONE, SIG_II_I, 0)                                  \
    X(I32_DIV_U, 0x6E, IMM_NONE, SIG_II_I, 0)                                  \
    X(I32_REM_S, 0x6F, IMM_NONE, SIG_II_I, 0)                                  \
    X(I32_REM_U, 0x70, IMM_NONE, SIG_II_I, 0)                                  \
    X(I32_AND, 0x71, IMM_NONE, SIG_II_I, 0)                                    \
    X(I32_OR, 0x72, IMM_NONE, SIG_II_I, 0)                                     \
    X(I32_XOR, 0x73, IMM_NONE, SIG_II_I, 0)                                    \
    X(I32_SHL, 0x74, IMM_NONE, SIG_II_I, 0)                                    \
    X(I32_SHR_S, 0x75, IMM_NONE, SIG_II_I, 0)                                  \
    X(I32_SHR_U, 0x76, IMM_NONE, SIG_II_I, 0)                                  \
    X(I32_ROTL, 0x77, IMM_NONE, SIG_II_I, 0)                                   \
    X(I32_ROTR, 0x78, IMM_NONE, SIG_II_I, 0)                                   \
    X(I64_CLZ, 0x79, IMM_NONE, SIG_L_L, 0)                                     \
    X(I64_CTZ, 0x7A, IMM_NONE, SIG_L_L, 0)                                     \
    X(I64_POPCNT, 0x7B, IMM_NONE, SIG_L_L, 0)                                  \
    X(I64_ADD, 0x7C, IMM_NONE, SIG_LL_L, 0)                                    \
    X(I64_SUB, 0x7D, IMM_NONE, SIG_LL_L, 0)                                    \
    X(I64_MUL, 0x7E, IMM_NONE, SIG_LL_L, 0)                                    \
    X(I64_DIV_S, 0x7F, IMM_NONE, SIG_LL_L, 0)                                  \
    X(I64_DIV_U, 0x80, IMM_NONE, SIG_LL_L, 0)                                  \
    X(I64_REM_S, 0x81, IMM_NONE, SIG_LL_L, 0)                                  \
    X(I64_REM_U, 0x82, IMM_NONE, SIG_LL_L, 0)                                  \
    X(I64_AND, 0x83, IMM_NONE, SIG_LL_L, 0)                                    \
    X(I64_OR, 0x84, IMM_NONE, SIG_LL_L, 0)                                     \
    X(I64_XOR, 0x85, IMM_NONE, SIG_LL_L, 0)                                    \
    X(I64_SHL, 0x86, IMM_NONE, SIG_LL_L, 0)                                    \
    X(I64_SHR_S, 0x87, IMM_NONE, SIG_LL_L, 0)                                  \
    X(I64_SHR_U, 0x88, IMM_NONE, SIG_LL_L, 0)                                  \
    X(I64_ROTL, 0x89, IMM_NONE, SIG_LL_L, 0)                                   \
    X(I64_ROTR, 0x8A, IMM_NONE, SIG_LL_L, 0)                                   \
    X(F32_ABS, 0x8B, IMM_NONE, SIG_F_F, 0)                                     \
    X(F32_NEG, 0x8C, IMM_NONE, SIG_F_F, 0)                                     \
    X(F32_CEIL, 0x8D, IMM_NONE, SIG_F_F, 0)                                    \
    X(F32_FLOOR, 0x8E, IMM_NONE, SIG_F_F, 0)                                   \
    X(F32_TRUNC, 0x8F, IMM_NONE, SIG_F_F, 0)                                   \
    X(F32_NEAREST, 0x90, IMM_NONE, SIG_F_F, 0)                                 \
    X(F32_SQRT, 0x91, IMM_NONE, SIG_F_F, 0)                                    \
    X(F32_ADD, 0x92, IMM_NONE, SIG_FF_F, 0)                                    \
    X(F32_SUB, 0x93, IMM_NONE, SIG_FF_F, 0)                                    \
    X(F32_MUL, 0x94, IMM_NONE, SIG_FF_F, 0)                                    \
    X(F32_DIV, 0x95, IMM_NONE, SIG_FF_F, 0)                                    \
    X(F32_MIN, 0x96, IMM_NONE, SIG_FF_F, 0)                                    \
    X(F32_MAX, 0x97, IMM_NONE, SIG_FF_F, 0)                                    \
    X(F32_COPYSIGN, 0x98, IMM_NONE, SIG_FF_F, 0)                               \
    X(F64_ABS, 0x99, IMM_NONE, SIG_D_D, 0)                                     \
    X(F64_NEG, 0x9A, IMM_NONE, SIG_D_D, 0)                                     \
    X(F64_CEIL, 0x9B, IMM_NONE, SIG_D_D, 0)                                    \
    X(F64_FLOOR, 0x9C, IMM_NONE, SIG_D_D, 0)                                   \
    X(F64_TRUNC, 0x9D, IMM_NONE, SIG_D_D, 0)                                   \
    X(F64_NEAREST, 0x9E, IMM_NONE, SIG_D_D, 0)                                 \
    X(F64_SQRT, 0x9F, IMM_NONE, SIG_D_D, 0)                                    \
    X(F64_ADD, 0xA0, IMM_NONE, SIG_DD_D, 0)                                    \
    X(F64_SUB, 0xA1, IMM_NONE, SIG_DD_D, 0)                                    \
    X(F64_MUL, 0xA2, IMM_NONE, SIG_DD_D, 0)                                    \
    X(F64_DIV, 0xA3, IMM_NONE, SIG_DD_D, 0)                                    \
    X(F64_MIN, 0xA4, IMM_NONE, SIG_DD_D, 0)                                    \
    X(F64_MAX, 0xA5, IMM_NONE, SIG_DD_D, 0)                                    \
    X(F64_COPYSIGN, 0xA6, IMM_NONE, SIG_DD_D, 0)                               \
    X(I32_WRAP_I64, 0xA7, IMM_NONE, SIG_L_I, 0)                                \
    X(I32_TRUNC_F32_S, 0xA8, IMM_NONE, SIG_F_I, 0)                             \
    X(I32_TRUNC_F32_U, 0xA9, IMM_NONE, SIG_F_I, 0)                             \
    X(I32_TRUNC_F64_S, 0xAA, IMM_NONE, SIG_D_I, 0)                             \
    X(I32_TRUNC_F64_U, 0xAB, IMM_NONE, SIG_D_I, 0)                             \
    X(I64_EXTEND_I32_S, 0xAC, IMM_NONE, SIG_I_L, 0)                            \
    X(I64_EXTEND_I32_U, 0xAD, IMM_NONE, SIG_I_L, 0)                            \
    X(I64_TRUNC_F32_S, 0xAE, IMM_NONE, SIG_F_L, 0)                             \
    X(I64_TRUNC_F32_U, 0xAF, IMM_NONE, SIG_F_L, 0)                             \
    X(I64_TRUNC_F64_S, 0xB0, IMM_NONE, SIG_D_L, 0)                             \
    X(I64_TRUNC_F64_U, 0xB1, IMM_NONE, SIG_D_L, 0)                             \
    X(F32_CONVERT_I32_S, 0xB2, IMM_NONE, SIG_I_F, 0)                           \
    X(F32_CONVERT_I32_U, 0xB3, IMM_NONE, SIG_I_F, 0)                           \
    X(F32_CONVERT_I64_S, 0xB4, IMM_NONE, SIG_L_F, 0)                           \
    X(F32_CONVERT_I64_U, 0xB5, IMM_NONE, SIG_L_F, 0)                           \
    X(F32_DEMOTE_F64, 0xB6, IMM_NONE, SIG_D_F, 0)                              \
    X(F64_CONVERT_I32_S, 0xB7, IMM_NONE, SIG_I_D, 0)                           \
    X(F64_CONVERT_I32_U, 0xB8, IMM_NONE, SIG_I_D, 0)                           \
    X(F64_CONVERT_I64_S, 0xB9, IMM_NONE, SIG_L_D, 0)                           \
    X(F64_CONVERT_I64_U, 0xBA, IMM_NONE, SIG_L_D, 0)                           \
    X(F64_PROMOTE_F32, 0xBB, IMM_NONE, SIG_F_D, 0)                             \
    X(I32_REINTERPRET_F32, 0xBC, IMM_NONE, SIG_F_I, 0)                         \
    X(I64_REINTERPRET_F64, 0xBD, IMM_NONE, SIG_D_L, 0)                         \
    X(F32_REINTERPRET_I32, 0xBE, IMM_NONE, SIG_I_F, 0)                         \
    X(F64_REINTERPRET_I64, 0xBF, IMM_NONE, SIG_L_D, 0)                         \
    X(I32_EXTEND8_S, 0xC0, IMM_NONE, SIG_I_I, 0)                               \
    X(I32_EXTEND16_S, 0xC1, IMM_NONE, SIG_I_I, 0)                              \
    X(I64_EXTEND8_S, 0xC2, IMM_NONE, SIG_L_L, 0)                               \
    X(I64_EXTEND16_S, 0xC3, IMM_NONE, SIG_L_L, 0)                              \
    X(I64_EXTEND32_S, 0xC4, IMM_NONE, SIG_L_L, 0)                              \
    X(REF_NULL, 0xD0, IMM_REFTYPE, SIG_SPECIAL, 0)                             \
    X(REF_IS_NULL, 0xD1, IMM_NONE, SIG_SPECIAL, 0)                             \
    X(REF_FUNC, 0xD2, IMM_FUNC, SIG_SPECIAL, 0)                                \
    X(I32_TRUNC_SAT_F32_S, 0x100, IMM_NONE, SIG_F_I, 0)                        \
    X(I32_TRUNC_SAT_F32_U, 0x101, IMM_NONE, SIG_F_I, 0)                        \
    X(I32_TRUNC_SAT_F64_S, 0x102, IMM_NONE, SIG_D_I, 0)                        \
    X(I32_TRUNC_SAT_F64_U, 0x103, IMM_NONE, SIG_D_I, 0)                        \
    X(I64_TRUNC_SAT_F32_S, 0x104, IMM_NONE, SIG_F_L, 0)                        \
    X(I64_TRUNC_SAT_F32_U, 0x105, IMM_NONE, SIG_F_L, 0)                        \
    X(I64_TRUNC_SAT_F64_S, 0x106, IMM_NONE, SIG_D_L, 0)                        \
    X(I64_TRUNC_SAT_F64_U, 0x107, IMM_NONE, SIG_D_L, 0)                        \
    X(MEMORY_INIT, 0x108, IMM_DATA_MEM0, SIG_SPECIAL, 0)                       \
    X(DATA_DROP, 0x109, IMM_DATA, SIG_SPECIAL, 0)                              \
    X(MEMORY_COPY, 0x10A, IMM_MEM0_MEM0, SIG_SPECIAL, 0)                       \
    X(MEMORY_FILL, 0x10B, IMM_MEM0, SIG_SPECIAL, 0)                            \
    X(TABLE_INIT, 0x10C, IMM_ELEM_TABLE, SIG_SPECIAL, 0)                       \
    X(ELEM_DROP, 0x10D, IMM_ELEM, SIG_SPECIAL, 0)                              \
    X(TABLE_COPY, 0x10E, IMM_TABLE_TABLE, SIG_SPECIAL, 0)                      \
    X(TABLE_GROW, 0x10F, IMM_TABLE, SIG_SPECIAL, 0)                            \
    X(TABLE_SIZE, 0x110, IMM_TABLE, SIG_SPECIAL, 0)                            \
    X(TABLE_FILL, 0x111, IMM_TABLE, SIG_SPECIAL, 0)

/* The SIMD instructions (0xFD prefix).  size_log2: the access size of
   loads and stores (of one lane for the _lane forms); for the lane
   instructions the lane size, so a shape has 16 >> size_log2 lanes. */
#define WASM_SIMD_OPCODES(X)                                                   \
    X(V128_LOAD, 0x200, IMM_MEMARG, SIG_I_X, 4)                                \
    X(V128_LOAD8X8_S, 0x201, IMM_MEMARG, SIG_I_X, 3)                           \
    X(V128_LOAD8X8_U, 0x202, IMM_MEMARG, SIG_I_X, 3)                           \
    X(V128_LOAD16X4_S, 0x203, IMM_MEMARG, SIG_I_X, 3)                          \
    X(V128_LOAD16X4_U, 0x204, IMM_MEMARG, SIG_I_X, 3)                          \
    X(V128_LOAD32X2_S, 0x205, IMM_MEMARG, SIG_I_X, 3)                          \
    X(V128_LOAD32X2_U, 0x206, IMM_MEMARG, SIG_I_X, 3)                          \
    X(V128_LOAD8_SPLAT, 0x207, IMM_MEMARG, SIG_I_X, 0)                         \
    X(V128_LOAD16_SPLAT, 0x208, IMM_MEMARG, SIG_I_X, 1)                        \
    X(V128_LOAD32_SPLAT, 0x209, IMM_MEMARG, SIG_I_X, 2)                        \
    X(V128_LOAD64_SPLAT, 0x20A, IMM_MEMARG, SIG_I_X, 3)                        \
    X(V128_STORE, 0x20B, IMM_MEMARG, SIG_IX_V, 4)                              \
    X(V128_CONST, 0x20C, IMM_V128, SIG_SPECIAL, 0)                             \
    X(I8X16_SHUFFLE, 0x20D, IMM_SHUFFLE, SIG_XX_X, 0)                          \
    X(I8X16_SWIZZLE, 0x20E, IMM_NONE, SIG_XX_X, 0)                             \
    X(I8X16_SPLAT, 0x20F, IMM_NONE, SIG_I_X, 0)                                \
    X(I16X8_SPLAT, 0x210, IMM_NONE, SIG_I_X, 0)                                \
    X(I32X4_SPLAT, 0x211, IMM_NONE, SIG_I_X, 0)                                \
    X(I64X2_SPLAT, 0x212, IMM_NONE, SIG_L_X, 0)                                \
    X(F32X4_SPLAT, 0x213, IMM_NONE, SIG_F_X, 0)                                \
    X(F64X2_SPLAT, 0x214, IMM_NONE, SIG_D_X, 0)                                \
    X(I8X16_EXTRACT_LANE_S, 0x215, IMM_LANE, SIG_X_I, 0)                       \
    X(I8X16_EXTRACT_LANE_U, 0x216, IMM_LANE, SIG_X_I, 0)                       \
    X(I8X16_REPLACE_LANE, 0x217, IMM_LANE, SIG_XI_X, 0)                        \
    X(I16X8_EXTRACT_LANE_S, 0x218, IMM_LANE, SIG_X_I, 1)                       \
    X(I16X8_EXTRACT_LANE_U, 0x219, IMM_LANE, SIG_X_I, 1)                       \
    X(I16X8_REPLACE_LANE, 0x21A, IMM_LANE, SIG_XI_X, 1)                        \
    X(I32X4_EXTRACT_LANE, 0x21B, IMM_LANE, SIG_X_I, 2)                         \
    X(I32X4_REPLACE_LANE, 0x21C, IMM_LANE, SIG_XI_X, 2)                        \
    X(I64X2_EXTRACT_LANE, 0x21D, IMM_LANE, SIG_X_L, 3)                         \
    X(I64X2_REPLACE_LANE, 0x21E, IMM_LANE, SIG_XL_X, 3)                        \
    X(F32X4_EXTRACT_LANE, 0x21F, IMM_LANE, SIG_X_F, 2)                         \
    X(F32X4_REPLACE_LANE, 0x220, IMM_LANE, SIG_XF_X, 2)                        \
    X(F64X2_EXTRACT_LANE, 0x221, IMM_LANE, SIG_X_D, 3)                         \
    X(F64X2_REPLACE_LANE, 0x222, IMM_LANE, SIG_XD_X, 3)                        \
    X(I8X16_EQ, 0x223, IMM_NONE, SIG_XX_X, 0)                                  \
    X(I8X16_NE, 0x224, IMM_NONE, SIG_XX_X, 0)                                  \
    X(I8X16_LT_S, 0x225, IMM_NONE, SIG_XX_X, 0)                                \
    X(I8X16_LT_U, 0x226, IMM_NONE, SIG_XX_X, 0)                                \
    X(I8X16_GT_S, 0x227, IMM_NONE, SIG_XX_X, 0)                                \
    X(I8X16_GT_U, 0x228, IMM_NONE, SIG_XX_X, 0)                                \
    X(I8X16_LE_S, 0x229, IMM_NONE, SIG_XX_X, 0)                                \
    X(I8X16_LE_U, 0x22A, IMM_NONE, SIG_XX_X, 0)                                \
    X(I8X16_GE_S, 0x22B, IMM_NONE, SIG_XX_X, 0)                                \
    X(I8X16_GE_U, 0x22C, IMM_NONE, SIG_XX_X, 0)                                \
    X(I16X8_EQ, 0x22D, IMM_NONE, SIG_XX_X, 0)                                  \
    X(I16X8_NE, 0x22E, IMM_NONE, SIG_XX_X, 0)                                  \
    X(I16X8_LT_S, 0x22F, IMM_NONE, SIG_XX_X, 0)                                \
    X(I16X8_LT_U, 0x230, IMM_NONE, SIG_XX_X, 0)                                \
    X(I16X8_GT_S, 0x231, IMM_NONE, SIG_XX_X, 0)                                \
    X(I16X8_GT_U, 0x232, IMM_NONE, SIG_XX_X, 0)                                \
    X(I16X8_LE_S, 0x233, IMM_NONE, SIG_XX_X, 0)                                \
    X(I16X8_LE_U, 0x234, IMM_NONE, SIG_XX_X, 0)                                \
    X(I16X8_GE_S, 0x235, IMM_NONE, SIG_XX_X, 0)                                \
    X(I16X8_GE_U, 0x236, IMM_NONE, SIG_XX_X, 0)                                \
    X(I32X4_EQ, 0x237, IMM_NONE, SIG_XX_X, 0)                                  \
    X(I32X4_NE, 0x238, IMM_NONE, SIG_XX_X, 0)                                  \
    X(I32X4_LT_S, 0x239, IMM_NONE, SIG_XX_X, 0)                                \
    X(I32X4_LT_U, 0x23A, IMM_NONE, SIG_XX_X, 0)                                \
    X(I32X4_GT_S, 0x23B, IMM_NONE, SIG_XX_X, 0)                                \
    X(I32X4_GT_U, 0x23C, IMM_NONE, SIG_XX_X, 0)                                \
    X(I32X4_LE_S, 0x23D, IMM_NONE, SIG_XX_X, 0)                                \
    X(I32X4_LE_U, 0x23E, IMM_NONE, SIG_XX_X, 0)                                \
    X(I32X4_GE_S, 0x23F, IMM_NONE, SIG_XX_X, 0)                                \
    X(I32X4_GE_U, 0x240, IMM_NONE, SIG_XX_X, 0)                                \
    X(F32X4_EQ, 0x241, IMM_NONE, SIG_XX_X, 0)                                  \
    X(F32X4_NE, 0x242, IMM_NONE, SIG_XX_X, 0)                                  \
    X(F32X4_LT, 0x243, IMM_NONE, SIG_XX_X, 0)                                  \
    X(F32X4_GT, 0x244, IMM_NONE, SIG_XX_X, 0)                                  \
    X(F32X4_LE, 0x245, IMM_NONE, SIG_XX_X, 0)                                  \
    X(F32X4_GE, 0x246, IMM_NONE, SIG_XX_X, 0)                                  \
    X(F64X2_EQ, 0x247, IMM_NONE, SIG_XX_X, 0)                                  \
    X(F64X2_NE, 0x248, IMM_NONE, SIG_XX_X, 0)                                  \
    X(F64X2_LT, 0x249, IMM_NONE, SIG_XX_X, 0)                                  \
    X(F64X2_GT, 0x24A, IMM_NONE, SIG_XX_X, 0)                                  \
    X(F64X2_LE, 0x24B, IMM_NONE, SIG_XX_X, 0)                                  \
    X(F64X2_GE, 0x24C, IMM_NONE, SIG_XX_X, 0)                                  \
    X(V128_NOT, 0x24D, IMM_NONE, SIG_X_X, 0)                                   \
    X(V128_AND, 0x24E, IMM_NONE, SIG_XX_X, 0)                                  \
    X(V128_ANDNOT, 0x24F, IMM_NONE, SIG_XX_X, 0)                               \
    X(V128_OR, 0x250, IMM_NONE, SIG_XX_X, 0)                                   \
    X(V128_XOR, 0x251, IMM_NONE, SIG_XX_X, 0)                                  \
    X(V128_BITSELECT, 0x252, IMM_NONE, SIG_XXX_X, 0)                           \
    X(V128_ANY_TRUE, 0x253, IMM_NONE, SIG_X_I, 0)                              \
    X(V128_LOAD8_LANE, 0x254, IMM_MEMARG_LANE, SIG_IX_X, 0)                    \
    X(V128_LOAD16_LANE, 0x255, IMM_MEMARG_LANE, SIG_IX_X, 1)                   \
    X(V128_LOAD32_LANE, 0x256, IMM_MEMARG_LANE, SIG_IX_X, 2)                   \
    X(V128_LOAD64_LANE, 0x257, IMM_MEMARG_LANE, SIG_IX_X, 3)                   \
    X(V128_STORE8_LANE, 0x258, IMM_MEMARG_LANE, SIG_IX_V, 0)                   \
    X(V128_STORE16_LANE, 0x259, IMM_MEMARG_LANE, SIG_IX_V, 1)                  \
    X(V128_STORE32_LANE, 0x25A, IMM_MEMARG_LANE, SIG_IX_V, 2)                  \
    X(V128_STORE64_LANE, 0x25B, IMM_MEMARG_LANE, SIG_IX_V, 3)                  \
    X(V128_LOAD32_ZERO, 0x25C, IMM_MEMARG, SIG_I_X, 2)                         \
    X(V128_LOAD64_ZERO, 0x25D, IMM_MEMARG, SIG_I_X, 3)                         \
    X(F32X4_DEMOTE_F64X2_ZERO, 0x25E, IMM_NONE, SIG_X_X, 0)                    \
    X(F64X2_PROMOTE_LOW_F32X4, 0x25F, IMM_NONE, SIG_X_X, 0)                    \
    X(I8X16_ABS, 0x260, IMM_NONE, SIG_X_X, 0)                                  \
    X(I8X16_NEG, 0x261, IMM_NONE, SIG_X_X, 0)                                  \
    X(I8X16_POPCNT, 0x262, IMM_NONE, SIG_X_X, 0)                               \
    X(I8X16_ALL_TRUE, 0x263, IMM_NONE, SIG_X_I, 0)                             \
    X(I8X16_BITMASK, 0x264, IMM_NONE, SIG_X_I, 0)                              \
    X(I8X16_NARROW_I16X8_S, 0x265, IMM_NONE, SIG_XX_X, 0)                      \
    X(I8X16_NARROW_I16X8_U, 0x266, IMM_NONE, SIG_XX_X, 0)                      \
    X(F32X4_CEIL, 0x267, IMM_NONE, SIG_X_X, 0)                                 \
    X(F32X4_FLOOR, 0x268, IMM_NONE, SIG_X_X, 0)                                \
    X(F32X4_TRUNC, 0x269, IMM_NONE, SIG_X_X, 0)                                \
    X(F32X4_NEAREST, 0x26A, IMM_NONE, SIG_X_X, 0)                              \
    X(I8X16_SHL, 0x26B, IMM_NONE, SIG_XI_X, 0)                                 \
    X(I8X16_SHR_S, 0x26C, IMM_NONE, SIG_XI_X, 0)                               \
    X(I8X16_SHR_U, 0x26D, IMM_NONE, SIG_XI_X, 0)                               \
    X(I8X16_ADD, 0x26E, IMM_NONE, SIG_XX_X, 0)                                 \
    X(I8X16_ADD_SAT_S, 0x26F, IMM_NONE, SIG_XX_X, 0)                           \
    X(I8X16_ADD_SAT_U, 0x270, IMM_NONE, SIG_XX_X, 0)                           \
    X(I8X16_SUB, 0x271, IMM_NONE, SIG_XX_X, 0)                                 \
    X(I8X16_SUB_SAT_S, 0x272, IMM_NONE, SIG_XX_X, 0)                           \
    X(I8X16_SUB_SAT_U, 0x273, IMM_NONE, SIG_XX_X, 0)                           \
    X(F64X2_CEIL, 0x274, IMM_NONE, SIG_X_X, 0)                                 \
    X(F64X2_FLOOR, 0x275, IMM_NONE, SIG_X_X, 0)                                \
    X(I8X16_MIN_S, 0x276, IMM_NONE, SIG_XX_X, 0)                               \
    X(I8X16_MIN_U, 0x277, IMM_NONE, SIG_XX_X, 0)                               \
    X(I8X16_MAX_S, 0x278, IMM_NONE, SIG_XX_X, 0)                               \
    X(I8X16_MAX_U, 0x279, IMM_NONE, SIG_XX_X, 0)                               \
    X(F64X2_TRUNC, 0x27A, IMM_NONE, SIG_X_X, 0)                                \
    X(I8X16_AVGR_U, 0x27B, IMM_NONE, SIG_XX_X, 0)                              \
    X(I16X8_EXTADD_PAIRWISE_I8X16_S, 0x27C, IMM_NONE, SIG_X_X, 0)              \
    X(I16X8_EXTADD_PAIRWISE_I8X16_U, 0x27D, IMM_NONE, SIG_X_X, 0)              \
    X(I32X4_EXTADD_PAIRWISE_I16X8_S, 0x27E, IMM_NONE, SIG_X_X, 0)              \
    X(I32X4_EXTADD_PAIRWISE_I16X8_U, 0x27F, IMM_NONE, SIG_X_X, 0)              \
    X(I16X8_ABS, 0x280, IMM_NONE, SIG_X_X, 0)                                  \
    X(I16X8_NEG, 0x281, IMM_NONE, SIG_X_X, 0)                                  \
    X(I16X8_Q15MULR_SAT_S, 0x282, IMM_NONE, SIG_XX_X, 0)                       \
    X(I16X8_ALL_TRUE, 0x283, IMM_NONE, SIG_X_I, 0)                             \
    X(I16X8_BITMASK, 0x284, IMM_NONE, SIG_X_I, 0)                              \
    X(I16X8_NARROW_I32X4_S, 0x285, IMM_NONE, SIG_XX_X, 0)                      \
    X(I16X8_NARROW_I32X4_U, 0x286, IMM_NONE, SIG_XX_X, 0)                      \
    X(I16X8_EXTEND_LOW_I8X16_S, 0x287, IMM_NONE, SIG_X_X, 0)                   \
    X(I16X8_EXTEND_HIGH_I8X16_S, 0x288, IMM_NONE, SIG_X_X, 0)                  \
    X(I16X8_EXTEND_LOW_I8X16_U, 0x289, IMM_NONE, SIG_X_X, 0)                   \
    X(I16X8_EXTEND_HIGH_I8X16_U, 0x28A, IMM_NONE, SIG_X_X, 0)                  \
    X(I16X8_SHL, 0x28B, IMM_NONE, SIG_XI_X, 0)                                 \
    X(I16X8_SHR_S, 0x28C, IMM_NONE, SIG_XI_X, 0)                               \
    X(I16X8_SHR_U, 0x28D, IMM_NONE, SIG_XI_X, 0)                               \
    X(I16X8_ADD, 0x28E, IMM_NONE, SIG_XX_X, 0)                                 \
    X(I16X8_ADD_SAT_S, 0x28F, IMM_NONE, SIG_XX_X, 0)                           \
    X(I16X8_ADD_SAT_U, 0x290, IMM_NONE, SIG_XX_X, 0)                           \
    X(I16X8_SUB, 0x291, IMM_NONE, SIG_XX_X, 0)                                 \
    X(I16X8_SUB_SAT_S, 0x292, IMM_NONE, SIG_XX_X, 0)                           \
    X(I16X8_SUB_SAT_U, 0x293, IMM_NONE, SIG_XX_X, 0)                           \
    X(F64X2_NEAREST, 0x294, IMM_NONE, SIG_X_X, 0)                              \
    X(I16X8_MUL, 0x295, IMM_NONE, SIG_XX_X, 0)                                 \
    X(I16X8_MIN_S, 0x296, IMM_NONE, SIG_XX_X, 0)                               \
    X(I16X8_MIN_U, 0x297, IMM_NONE, SIG_XX_X, 0)                               \
    X(I16X8_MAX_S, 0x298, IMM_NONE, SIG_XX_X, 0)                               \
    X(I16X8_MAX_U, 0x299, IMM_NONE, SIG_XX_X, 0)                               \
    X(I16X8_AVGR_U, 0x29B, IMM_NONE, SIG_XX_X, 0)                              \
    X(I16X8_EXTMUL_LOW_I8X16_S, 0x29C, IMM_NONE, SIG_XX_X, 0)                  \
    X(I16X8_EXTMUL_HIGH_I8X16_S, 0x29D, IMM_NONE, SIG_XX_X, 0)                 \
    X(I16X8_EXTMUL_LOW_I8X16_U, 0x29E, IMM_NONE, SIG_XX_X, 0)                  \
    X(I16X8_EXTMUL_HIGH_I8X16_U, 0x29F, IMM_NONE, SIG_XX_X, 0)                 \
    X(I32X4_ABS, 0x2A0, IMM_NONE, SIG_X_X, 0)                                  \
    X(I32X4_NEG, 0x2A1, IMM_NONE, SIG_X_X, 0)                                  \
    X(I32X4_ALL_TRUE, 0x2A3, IMM_NONE, SIG_X_I, 0)                             \
    X(I32X4_BITMASK, 0x2A4, IMM_NONE, SIG_X_I, 0)                              \
    X(I32X4_EXTEND_LOW_I16X8_S, 0x2A7, IMM_NONE, SIG_X_X, 0)                   \
    X(I32X4_EXTEND_HIGH_I16X8_S, 0x2A8, IMM_NONE, SIG_X_X, 0)                  \
    X(I32X4_EXTEND_LOW_I16X8_U, 0x2A9, IMM_NONE, SIG_X_X, 0)                   \
    X(I32X4_EXTEND_HIGH_I16X8_U, 0x2AA, IMM_NONE, SIG_X_X, 0)                  \
    X(I32X4_SHL, 0x2AB, IMM_NONE, SIG_XI_X, 0)                                 \
    X(I32X4_SHR_S, 0x2AC, IMM_NONE, SIG_XI_X, 0)                               \
    X(I32X4_SHR_U, 0x2AD, IMM_NONE, SIG_XI_X, 0)                               \
    X(I32X4_ADD, 0x2AE, IMM_NONE, SIG_XX_X, 0)                                 \
    X(I32X4_SUB, 0x2B1, IMM_NONE, SIG_XX_X, 0)                                 \
    X(I32X4_MUL, 0x2B5, IMM_NONE, SIG_XX_X, 0)                                 \
    X(I32X4_MIN_S, 0x2B6, IMM_NONE, SIG_XX_X, 0)                               \
    X(I32X4_MIN_U, 0x2B7, IMM_NONE, SIG_XX_X, 0)                               \
    X(I32X4_MAX_S, 0x2B8, IMM_NONE, SIG_XX_X, 0)                               \
    X(I32X4_MAX_U, 0x2B9, IMM_NONE, SIG_XX_X, 0)                               \
    X(I32X4_DOT_I16X8_S, 0x2BA, IMM_NONE, SIG_XX_X, 0)                         \
    X(I32X4_EXTMUL_LOW_I16X8_S, 0x2BC, IMM_NONE, SIG_XX_X, 0)                  \
    X(I32X4_EXTMUL_HIGH_I16X8_S, 0x2BD, IMM_NONE, SIG_XX_X, 0)                 \
    X(I32X4_EXTMUL_LOW_I16X8_U, 0x2BE, IMM_NONE, SIG_XX_X, 0)                  \
    X(I32X4_EXTMUL_HIGH_I16X8_U, 0x2BF, IMM_NONE, SIG_XX_X, 0)                 \
    X(I64X2_ABS, 0x2C0, IMM_NONE, SIG_X_X, 0)                                  \
    X(I64X2_NEG, 0x2C1, IMM_NONE, SIG_X_X, 0)                                  \
    X(I64X2_ALL_TRUE, 0x2C3, IMM_NONE, SIG_X_I, 0)                             \
    X(I64X2_BITMASK, 0x2C4, IMM_NONE, SIG_X_I, 0)                              \
    X(I64X2_EXTEND_LOW_I32X4_S, 0x2C7, IMM_NONE, SIG_X_X, 0)                   \
    X(I64X2_EXTEND_HIGH_I32X4_S, 0x2C8, IMM_NONE, SIG_X_X, 0)                  \
    X(I64X2_EXTEND_LOW_I32X4_U, 0x2C9, IMM_NONE, SIG_X_X, 0)                   \
    X(I64X2_EXTEND_HIGH_I32X4_U, 0x2CA, IMM_NONE, SIG_X_X, 0)                  \
    X(I64X2_SHL, 0x2CB, IMM_NONE, SIG_XI_X, 0)                                 \
    X(I64X2_SHR_S, 0x2CC, IMM_NONE, SIG_XI_X, 0)                               \
    X(I64X2_SHR_U, 0x2CD, IMM_NONE, SIG_XI_X, 0)                               \
    X(I64X2_ADD, 0x2CE, IMM_NONE, SIG_XX_X, 0)                                 \
    X(I64X2_SUB, 0x2D1, IMM_NONE, SIG_XX_X, 0)                                 \
    X(I64X2_MUL, 0x2D5, IMM_NONE, SIG_XX_X, 0)                                 \
    X(I64X2_EQ, 0x2D6, IMM_NONE, SIG_XX_X, 0)                                  \
    X(I64X2_NE, 0x2D7, IMM_NONE, SIG_XX_X, 0)                                  \
    X(I64X2_LT_S, 0x2D8, IMM_NONE, SIG_XX_X, 0)                                \
    X(I64X2_GT_S, 0x2D9, IMM_NONE, SIG_XX_X, 0)                                \
    X(I64X2_LE_S, 0x2DA, IMM_NONE, SIG_XX_X, 0)                                \
    X(I64X2_GE_S, 0x2DB, IMM_NONE, SIG_XX_X, 0)                                \
    X(I64X2_EXTMUL_LOW_I32X4_S, 0x2DC, IMM_NONE, SIG_XX_X, 0)                  \
    X(I64X2_EXTMUL_HIGH_I32X4_S, 0x2DD, IMM_NONE, SIG_XX_X, 0)                 \
    X(I64X2_EXTMUL_LOW_I32X4_U, 0x2DE, IMM_NONE, SIG_XX_X, 0)                  \
    X(I64X2_EXTMUL_HIGH_I32X4_U, 0x2DF, IMM_NONE, SIG_XX_X, 0)                 \
    X(F32X4_ABS, 0x2E0, IMM_NONE, SIG_X_X, 0)                                  \
    X(F32X4_NEG, 0x2E1, IMM_NONE, SIG_X_X, 0)                                  \
    X(F32X4_SQRT, 0x2E3, IMM_NONE, SIG_X_X, 0)                                 \
    X(F32X4_ADD, 0x2E4, IMM_NONE, SIG_XX_X, 0)                                 \
    X(F32X4_SUB, 0x2E5, IMM_NONE, SIG_XX_X, 0)                                 \
    X(F32X4_MUL, 0x2E6, IMM_NONE, SIG_XX_X, 0)                                 \
    X(F32X4_DIV, 0x2E7, IMM_NONE, SIG_XX_X, 0)                                 \
    X(F32X4_MIN, 0x2E8, IMM_NONE, SIG_XX_X, 0)                                 \
    X(F32X4_MAX, 0x2E9, IMM_NONE, SIG_XX_X, 0)                                 \
    X(F32X4_PMIN, 0x2EA, IMM_NONE, SIG_XX_X, 0)                                \
    X(F32X4_PMAX, 0x2EB, IMM_NONE, SIG_XX_X, 0)                                \
    X(F64X2_ABS, 0x2EC, IMM_NONE, SIG_X_X, 0)                                  \
    X(F64X2_NEG, 0x2ED, IMM_NONE, SIG_X_X, 0)                                  \
    X(F64X2_SQRT, 0x2EF, IMM_NONE, SIG_X_X, 0)                                 \
    X(F64X2_ADD, 0x2F0, IMM_NONE, SIG_XX_X, 0)                                 \
    X(F64X2_SUB, 0x2F1, IMM_NONE, SIG_XX_X, 0)                                 \
    X(F64X2_MUL, 0x2F2, IMM_NONE, SIG_XX_X, 0)                                 \
    X(F64X2_DIV, 0x2F3, IMM_NONE, SIG_XX_X, 0)                                 \
    X(F64X2_MIN, 0x2F4, IMM_NONE, SIG_XX_X, 0)                                 \
    X(F64X2_MAX, 0x2F5, IMM_NONE, SIG_XX_X, 0)                                 \
    X(F64X2_PMIN, 0x2F6, IMM_NONE, SIG_XX_X, 0)                                \
    X(F64X2_PMAX, 0x2F7, IMM_NONE, SIG_XX_X, 0)                                \
    X(I32X4_TRUNC_SAT_F32X4_S, 0x2F8, IMM_NONE, SIG_X_X, 0)                    \
    X(I32X4_TRUNC_SAT_F32X4_U, 0x2F9, IMM_NONE, SIG_X_X, 0)                    \
    X(F32X4_CONVERT_I32X4_S, 0x2FA, IMM_NONE, SIG_X_X, 0)                      \
    X(F32X4_CONVERT_I32X4_U, 0x2FB, IMM_NONE, SIG_X_X, 0)                      \
    X(I32X4_TRUNC_SAT_F64X2_S_ZERO, 0x2FC, IMM_NONE, SIG_X_X, 0)               \
    X(I32X4_TRUNC_SAT_F64X2_U_ZERO, 0x2FD, IMM_NONE, SIG_X_X, 0)               \
    X(F64X2_CONVERT_LOW_I32X4_S, 0x2FE, IMM_NONE, SIG_X_X, 0)                  \
    X(F64X2_CONVERT_LOW_I32X4_U, 0x2FF, IMM_NONE, SIG_X_X, 0)

#define WASM_OP_ENUM(name, code, imm, sig, size) OP_##name = code,
enum { WASM_OPCODES(WASM_OP_ENUM) WASM_SIMD_OPCODES(WASM_OP_ENUM) OP_LIMIT = 0x300 };
#undef WASM_OP_ENUM

typedef struct wasm_opinfo {
    const char *name;   /* NULL: no such opcode */
    uint8_t imm, sig, size_log2;
} wasm_opinfo;

/* Indexed by opcode number (0 .. OP_LIMIT-1); defined in opcodes.c. */
extern const wasm_opinfo wasm_opinfo_table[OP_LIMIT];

typedef struct wasm_siginfo {
    uint8_t nin, in0, in1, out;  /* out 0: no result; a third input is v128 */
} wasm_siginfo;

/* Writes the instruction's name in the text format ("i8x16.popcnt") to
   buf, for messages. */
void wasm_opcode_text(uint16_t op, char *buf, size_t n);
extern const wasm_siginfo wasm_siginfo_table[SIG_COUNT];

#endif
