/*
 * config.h - the engine's guarded defaults, each with its trade-off.
 * An embedder changes them per store through wasm_config.
 */
#ifndef WASM_CONFIG_H
#define WASM_CONFIG_H

/* Memory cap per memory, in 64 KiB pages.  65536 (4 GiB) is the Wasm
   limit; the plugin layers above set far lower caps. */
#ifndef WASM_DEFAULT_MAX_MEMORY_PAGES
#define WASM_DEFAULT_MAX_MEMORY_PAGES 65536u
#endif

/* Table cap: ten million entries is 80 MB of host memory at most. */
#ifndef WASM_DEFAULT_MAX_TABLE_ELEMS
#define WASM_DEFAULT_MAX_TABLE_ELEMS 10000000u
#endif

/* Value stack: 1 Mi slots = 8 MiB, allocated when a store first runs.
   Deep recursion ends in "call stack exhausted" when either this or the
   frame limit below runs out; the host C stack is never used for it. */
#ifndef WASM_DEFAULT_STACK_SLOTS
#define WASM_DEFAULT_STACK_SLOTS (1u << 20)
#endif

/* Call depth: enough for real recursive code, small enough that the
   frame array stays under 1 MiB. */
#ifndef WASM_DEFAULT_MAX_CALL_DEPTH
#define WASM_DEFAULT_MAX_CALL_DEPTH 30000u
#endif

/* One function's frame (locals + operand stack) in slots.  Larger frames
   would make a single call eat the whole value stack. */
#define WASM_MAX_FRAME_SLOTS 200000u

/* How many fuel units run between checks of the interrupt flag and the
   deadline when no fuel limit is set: small enough for a prompt stop
   (well under a millisecond), large enough that checking costs nothing. */
#define WASM_CHECK_INTERVAL 10000

/* Nested host-to-guest calls (a host function calling wasm_func_call). */
#define WASM_MAX_REENTRY 100u

#endif
