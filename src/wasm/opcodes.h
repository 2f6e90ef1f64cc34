/*
 * opcodes.h - every WebAssembly 2.0 instruction but SIMD, in one table.
 *
 * Spec: "Binary Format > Instructions" (5.4).  Each row gives the
 * instruction's name, its opcode number, the kind of immediates that follow
 * it and, for the plain stack-typed instructions, its signature.  The
 * decoder, the validator and the compiler all read this table, so an
 * instruction is described once.
 *
 * Opcode numbers: one-byte opcodes keep their byte; 0xFC-prefixed ones are
 * 0x100 + their LEB128 sub-opcode.
 */
#ifndef WASM_OPCODES_H
#define WASM_OPCODES_H

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
};

/* Signatures of the plain instructions: SIG_<inputs>_<output>, with
   i = i32, l = i64, f = f32, d = f64, and V for no output. */
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
    S(SIG_IF_V, 2, 0x7f, 0x7d, 0) S(SIG_ID_V, 2, 0x7f, 0x7c, 0)

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

#define WASM_OP_ENUM(name, code, imm, sig, size) OP_##name = code,
enum { WASM_OPCODES(WASM_OP_ENUM) OP_LIMIT = 0x112 };
#undef WASM_OP_ENUM

typedef struct wasm_opinfo {
    const char *name;   /* NULL: no such opcode */
    uint8_t imm, sig, size_log2;
} wasm_opinfo;

/* Indexed by opcode number (0 .. OP_LIMIT-1); defined in opcodes.c. */
extern const wasm_opinfo wasm_opinfo_table[OP_LIMIT];

typedef struct wasm_siginfo {
    uint8_t nin, in0, in1, out;  /* out 0: no result */
} wasm_siginfo;
extern const wasm_siginfo wasm_siginfo_table[SIG_COUNT];

#endif
