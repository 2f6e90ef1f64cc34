/*
 * simd.h - the semantics of the SIMD instructions (internal).
 *
 * Spec: "Execution > Instructions > Vector Instructions" (4.4.3) and the
 * lane-wise numerics of 4.3.  A v128 lives in two consecutive frame slots,
 * bytes 0-7 in the first, so on a little-endian host the 16 bytes are the
 * value as memory holds it (lane 0 of every shape first).  The
 * interpreter's SIMD handlers only decode the instruction's form and call
 * these functions, which is what keeps interp.c's hot loop unchanged; the
 * instruction layouts are in iops.h.  Each function reads all its
 * operands before it writes its result, so a result may overwrite an
 * operand (the compiler's local.set peephole relies on it).
 */
#ifndef WASM_SIMD_H
#define WASM_SIMD_H

#include <stdbool.h>

#include "wasm.h"

/* [SIMD simdop d a b c]: every SIMD instruction but the constant, the
   shuffle and the memory accesses; simdop is its opcode (opcodes.h). */
void wasm_simd_exec(wasm_val *fp, const uint32_t *ip);
/* [SIMD_SHUFFLE d a b m0 m1 m2 m3] */
void wasm_simd_shuffle(wasm_val *fp, const uint32_t *ip);
/* [SIMD_LOAD simdop d a offset v lane] and [SIMD_STORE simdop a v offset
   lane]; false when the access is outside memory (nothing was written). */
bool wasm_simd_load(wasm_val *fp, const uint32_t *ip, const uint8_t *mem, uint64_t memsize);
bool wasm_simd_store(const wasm_val *fp, const uint32_t *ip, uint8_t *mem, uint64_t memsize);

#endif
