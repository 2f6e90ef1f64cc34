/*
 * fail.c - test plugin: the ways a call fails.
 *
 *   ok          outputs "fine" (the plugin still works after a failure)
 *   error       sets the error "something went wrong: code 42", returns 1
 *   error_rc0   sets an error but returns 0 (the error wins)
 *   rc          returns 7 without setting an error
 *   trap        executes unreachable
 *   div0        divides by zero
 *   loop        loops forever (the timeout must stop it)
 *   grow        grows memory one page at a time until memory.grow refuses;
 *               fails with "memory.grow refused at N pages"
 *   membomb     mallocs and touches 1 MiB blocks until malloc fails, then
 *               traps, as a Rust plugin aborts on an allocation failure
 */
#include "wasmguard/pdk.h"

PDK_FN(ok)
{
    pdk_output_str("fine");
    return 0;
}

PDK_FN(error) { return pdk_error("something went wrong: code 42"); }

PDK_FN(error_rc0)
{
    pdk_error("failed despite returning 0");
    return 0;
}

PDK_FN(rc) { return 7; }

PDK_FN(trap) { __builtin_trap(); }

PDK_FN(div0)
{
    volatile int32_t one = 1, zero = 0;  /* volatile: no constant folding */
    pdk_output_str("unreachable");
    return one / zero;
}

PDK_FN(loop)
{
    volatile uint64_t n = 0;
    for (;;) n++;
}

PDK_FN(grow)
{
    for (;;) {
        int32_t before = __builtin_wasm_memory_grow(0, 1);
        if (before < 0) break;
        uintptr_t last = (uintptr_t)before * 65536u + 65535u;  /* the new page's last byte */
        *(volatile uint8_t *)last = 1;
    }
    char msg[64] = "memory.grow refused at ";
    size_t n = strlen(msg);
    uint32_t pages = (uint32_t)__builtin_wasm_memory_size(0);
    char tmp[12];
    size_t len = 0;
    do {
        tmp[len++] = (char)('0' + pages % 10);
        pages /= 10;
    } while (pages);
    while (len) msg[n++] = tmp[--len];
    memcpy(msg + n, " pages", 7);
    return pdk_error(msg);
}

PDK_FN(membomb)
{
    for (;;) {
        volatile uint8_t *p = malloc(1u << 20);
        if (!p) __builtin_trap();
        for (uint32_t i = 0; i < (1u << 20); i += 4096) p[i] = 1;
    }
}
