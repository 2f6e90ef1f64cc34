/* opcodes.c - the tables generated from opcodes.h. */
#include <stdbool.h>

#include "opcodes.h"

#define WASM_OP_ROW(name, code, imm, sig, size) [code] = {#name, imm, sig, size},
const wasm_opinfo wasm_opinfo_table[OP_LIMIT] = {WASM_OPCODES(WASM_OP_ROW)
                                                 WASM_SIMD_OPCODES(WASM_OP_ROW)};

#define WASM_SIG_ROW(name, n, a, b, r) [name] = {n, a, b, r},
const wasm_siginfo wasm_siginfo_table[SIG_COUNT] = {WASM_SIGNATURES(WASM_SIG_ROW)};

/* The enum name lowercased, its first '_' a '.': I8X16_POPCNT is
   i8x16.popcnt.  Right for the numeric and SIMD instructions. */
void wasm_opcode_text(uint16_t op, char *buf, size_t n)
{
    const char *name = op < OP_LIMIT ? wasm_opinfo_table[op].name : NULL;
    size_t i = 0;
    bool dot = false;
    if (!n) return;
    if (!name) name = "?";
    for (; name[i] && i + 1 < n; i++) {
        char ch = name[i];
        if (ch == '_' && !dot) {
            ch = '.';
            dot = true;
        } else if (ch >= 'A' && ch <= 'Z') {
            ch = (char)(ch - 'A' + 'a');
        }
        buf[i] = ch;
    }
    buf[i] = '\0';
}
