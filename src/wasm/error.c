/*
 * error.c - the engine's error record: status names, trap wording, and
 * the first-error-wins rule of wasm_error.
 *
 * Spec: the trap messages are the wording of the official testsuite's
 * assert_trap commands ("Appendix: Embedding" leaves the text to the
 * embedder; the testsuite fixes it), so a spec runner can compare them.
 */
#include <stdarg.h>
#include <stdio.h>

#include "wasm.h"

void wasm_error_clear(wasm_error *err)
{
    if (!err)
        return;
    err->status = WASM_OK;
    err->trap = WASM_TRAP_NONE;
    err->exit_code = 0;
    err->message[0] = '\0';
}

/* The first error is the cause; later ones are usually its consequences
   (a failed read makes every caller up the chain fail too), so they are
   dropped rather than allowed to overwrite the useful message. */
wasm_status wasm_error_set(wasm_error *err, wasm_status status, const char *fmt, ...)
{
    if (!err || err->status != WASM_OK || status == WASM_OK)
        return status;
    err->status = status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return status;
}

const char *wasm_status_name(wasm_status status)
{
    switch (status) {
    case WASM_OK: return "ok";
    case WASM_MALFORMED: return "malformed";
    case WASM_INVALID: return "invalid";
    case WASM_UNLINKABLE: return "unlinkable";
    case WASM_TRAP: return "trap";
    case WASM_FUEL_EXHAUSTED: return "fuel exhausted";
    case WASM_INTERRUPTED: return "interrupted";
    case WASM_EXIT: return "exit";
    case WASM_HOST_ERROR: return "host error";
    case WASM_LIMIT: return "limit";
    case WASM_NOMEM: return "out of memory";
    case WASM_BAD_ARGUMENT: return "bad argument";
    }
    return "unknown status";
}

const char *wasm_trap_message(wasm_trap_kind kind)
{
    switch (kind) {
    case WASM_TRAP_NONE: return "no trap";
    case WASM_TRAP_UNREACHABLE: return "unreachable";
    case WASM_TRAP_MEMORY_OOB: return "out of bounds memory access";
    case WASM_TRAP_TABLE_OOB: return "out of bounds table access";
    case WASM_TRAP_DIV_ZERO: return "integer divide by zero";
    case WASM_TRAP_INT_OVERFLOW: return "integer overflow";
    case WASM_TRAP_INVALID_CONVERSION: return "invalid conversion to integer";
    case WASM_TRAP_INDIRECT_MISMATCH: return "indirect call type mismatch";
    case WASM_TRAP_UNDEFINED_ELEMENT: return "undefined element";
    case WASM_TRAP_UNINITIALIZED_ELEMENT: return "uninitialized element";
    case WASM_TRAP_STACK_EXHAUSTED: return "call stack exhausted";
    case WASM_TRAP_COUNT: break;
    }
    return "unknown trap";
}
