/* opcodes.c - the tables generated from opcodes.h. */
#include "opcodes.h"

#define WASM_OP_ROW(name, code, imm, sig, size) [code] = {#name, imm, sig, size},
const wasm_opinfo wasm_opinfo_table[OP_LIMIT] = {WASM_OPCODES(WASM_OP_ROW)};

#define WASM_SIG_ROW(name, n, a, b, r) [name] = {n, a, b, r},
const wasm_siginfo wasm_siginfo_table[SIG_COUNT] = {WASM_SIGNATURES(WASM_SIG_ROW)};
