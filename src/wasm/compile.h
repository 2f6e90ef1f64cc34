/*
 * compile.h - compiled functions (internal).
 *
 * The compiler turns each validated function body into threaded code for
 * the interpreter: see iops.h for the instruction set and README.md for
 * the design.
 */
#ifndef WASM_COMPILE_H
#define WASM_COMPILE_H

#include "module.h"

/* Maps a code position to the byte offset of the Wasm instruction it came
   from, for the instructions that can trap. */
typedef struct wasm_pcmap {
    uint32_t code, wasm;
} wasm_pcmap;

typedef struct wasm_compiled {
    uint32_t *code;
    uint32_t ncode;
    uint32_t func_index;       /* in the module's function index space */
    uint32_t nparams, nresults;
    uint32_t param_cells, result_cells; /* a v128 counts two */
    uint32_t nlocals;          /* slots of the locals, parameters included */
    uint32_t frame_slots;      /* locals + the deepest operand stack */
    wasm_pcmap *pcmap;
    uint32_t npcmap;
} wasm_compiled;

/* Compiles every function of a validated module into m->compiled. */
wasm_status wasm_compile(struct wasm_module *m, wasm_error *err);
void wasm_compile_free(struct wasm_module *m);

/* The word the compiler emits for each internal opcode: a handler offset
   (computed-goto builds) or the opcode itself (switch builds). */
const int32_t *wasm_interp_dispatch_table(void);

/* The Wasm byte offset of the instruction at a code position. */
uint32_t wasm_compiled_wasm_offset(const wasm_compiled *fn, uint32_t code_pos);

#endif
