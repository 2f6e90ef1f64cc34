/*
 * test_limits.c - very large and very deep but well-formed code.
 *
 * Spec: "Validation > Instructions" (3.3) puts no bound on nesting, label
 * counts or body sizes; the engine must handle what it accepts and refuse
 * the rest with WASM_LIMIT, never by exhausting the C stack or memory.
 */
#include <stdio.h>
#include <stdlib.h>

#include "test.h"
#include "util.h"
#include "wbuf.h"

static const uint8_t T_I32[] = {WASM_I32};

/* Decodes b and calls export "f" with one argument (when nargs is 1) in
   a fresh store.  Returns the status of the first step that failed. */
static wasm_status load_and_call(const wbuf *b, uint32_t nargs, wasm_val arg,
                                 wasm_val *result, wasm_error *err, double *ms)
{
    wasm_error_clear(err);
    double t0 = unit_now_ms();
    wasm_status st = WASM_OK;
    wasm_store *store = NULL;
    wasm_module *m = wasm_module_new(b->data, b->len, err);
    if (!m) { st = err->status; goto done; }
    store = wasm_store_new(NULL);
    wasm_instance *inst = wasm_instance_new(store, m, NULL, 0, err);
    if (!inst) { st = err->status; goto done; }
    wasm_func *f = wasm_instance_func(inst, "f");
    if (!f) { st = wasm_error_set(err, WASM_BAD_ARGUMENT, "no export f"); goto done; }
    st = wasm_func_call(f, nargs ? &arg : NULL, result, err);
done:
    *ms = unit_now_ms() - t0;
    if (store) wasm_store_free(store);
    if (m) wasm_module_free(m);
    return st;
}

/* depth blocks of type [] -> [i32]; the innermost branches to the
   outermost with 7: the function returns 7. */
static void nested_blocks(wbuf *b, uint32_t depth)
{
    wbuf code = {0};
    wbuf_u32(&code, 0);                       /* no locals */
    for (uint32_t i = 0; i < depth; i++) {
        wbuf_u8(&code, 0x02);
        wbuf_u8(&code, 0x7f);
    }
    wbuf_u8(&code, 0x41);                     /* i32.const 7 */
    wbuf_u8(&code, 7);
    wbuf_u8(&code, 0x0c);                     /* br depth-1 */
    wbuf_u32(&code, depth - 1);
    wbuf_fill(&code, 0x0b, depth);            /* the blocks' ends */
    wbuf_u8(&code, 0x0b);                     /* the function's */
    wbuf_module_func(b, NULL, 0, T_I32, 1, &code);
    wbuf_free(&code);
}

TEST(test_limits_100k_nested_blocks_run)
{
    wbuf b = {0};
    nested_blocks(&b, 100000);
    wasm_error err;
    wasm_val r = 0;
    double ms;
    wasm_status st = load_and_call(&b, 0, 0, &r, &err, &ms);
    if (CHECK_OK(st, err)) CHECK_EQ(wasm_as_i32(r), 7);
    CHECK(ms < 1000.0 * UNIT_SLOW);
    wbuf_free(&b);
}

TEST(test_limits_1m_nested_blocks_refused_or_run)
{
    wbuf b = {0};
    nested_blocks(&b, 1000000);
    wasm_error err;
    wasm_val r = 0;
    double ms;
    wasm_status st = load_and_call(&b, 0, 0, &r, &err, &ms);
    if (st == WASM_OK) {
        CHECK_EQ(wasm_as_i32(r), 7);
    } else {
        /* Refusing is fine, but as a limit, and saying so. */
        CHECK_STATUS(st, WASM_LIMIT, err);
        CHECK(err.message[0] != 0);
    }
    CHECK(ms < 5000.0 * UNIT_SLOW);
    wbuf_free(&b);
}

/* depth blocks of type [] -> [i32], each followed by "+1"; the innermost
   does br_table over nlabels labels (label i is depth i % depth) with
   the default the outermost.  Branching to depth d returns
   5 + (depth - 1 - d) + 1. */
static void deep_br_table(wbuf *b, uint32_t depth, uint32_t nlabels)
{
    wbuf code = {0};
    wbuf_u32(&code, 0);
    for (uint32_t i = 0; i < depth; i++) {
        wbuf_u8(&code, 0x02);
        wbuf_u8(&code, 0x7f);
    }
    static const uint8_t pre[] = {0x41, 0x05, 0x20, 0x00, 0x0e};
    wbuf_bytes(&code, pre, sizeof pre);       /* i32.const 5, local.get 0 */
    wbuf_u32(&code, nlabels);
    for (uint32_t i = 0; i < nlabels; i++) wbuf_u32(&code, i % depth);
    wbuf_u32(&code, depth - 1);
    static const uint8_t end_inc[] = {0x0b, 0x41, 0x01, 0x6a};
    for (uint32_t i = 0; i < depth; i++) wbuf_bytes(&code, end_inc, sizeof end_inc);
    wbuf_u8(&code, 0x0b);
    wbuf_module_func(b, T_I32, 1, T_I32, 1, &code);
    wbuf_free(&code);
}

TEST(test_limits_deep_br_table)
{
    enum { DEPTH = 20000, LABELS = 200000 };
    wbuf b = {0};
    deep_br_table(&b, DEPTH, LABELS);
    static const uint32_t xs[] = {0, 1, DEPTH - 1, DEPTH, LABELS - 1, LABELS, 0xFFFFFFFFu};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        uint32_t x = xs[i];
        uint32_t d = x < LABELS ? x % DEPTH : DEPTH - 1;
        wasm_error err;
        wasm_val r = 0;
        double ms;
        wasm_status st = load_and_call(&b, 1, wasm_val_i32((int32_t)x), &r, &err, &ms);
        if (!CHECK_OK(st, err)) break;
        if (!test_check(wasm_as_i32(r) == (int32_t)(5 + (DEPTH - 1 - d) + 1), __FILE__,
                        __LINE__, "br_table index %u: got %d, want %u", x,
                        wasm_as_i32(r), 5 + (DEPTH - 1 - d) + 1))
            break;
        CHECK(ms < 2000.0 * UNIT_SLOW);
    }
    wbuf_free(&b);
}

TEST(test_limits_1mib_of_nops)
{
    wbuf code = {0}, b = {0};
    wbuf_u32(&code, 0);
    wbuf_fill(&code, 0x01, 1u << 20);
    static const uint8_t tail[] = {0x41, 0x01, 0x0b};
    wbuf_bytes(&code, tail, sizeof tail);
    wbuf_module_func(&b, NULL, 0, T_I32, 1, &code);
    wasm_error err;
    wasm_val r = 0;
    double ms;
    wasm_status st = load_and_call(&b, 0, 0, &r, &err, &ms);
    if (CHECK_OK(st, err)) CHECK_EQ(wasm_as_i32(r), 1);
    CHECK(ms < 1000.0 * UNIT_SLOW);
    wbuf_free(&code);
    wbuf_free(&b);
}

TEST(test_limits_huge_local_count)
{
    /* One run of 2^32-1 i32 locals: the spec allows the count, no engine
       can hold it.  Refused as malformed, invalid or a limit, or accepted
       with the call failing cleanly. */
    wbuf code = {0}, b = {0};
    wbuf_u32(&code, 1);
    wbuf_u32(&code, 0xFFFFFFFFu);
    wbuf_u8(&code, WASM_I32);
    wbuf_u8(&code, 0x0b);
    wbuf_module_func(&b, NULL, 0, NULL, 0, &code);
    wasm_error err;
    double ms;
    wasm_status st = load_and_call(&b, 0, 0, NULL, &err, &ms);
    CHECK(st != WASM_OK);
    CHECK(err.message[0] != 0);
    CHECK(ms < 1000.0 * UNIT_SLOW);
    wbuf_free(&code);
    wbuf_free(&b);
}

TEST(test_limits_local_count_overflow_is_malformed)
{
    /* Two runs whose sum passes 2^32: "too many locals" (5.5.13). */
    wbuf code = {0}, b = {0};
    wbuf_u32(&code, 2);
    wbuf_u32(&code, 0xFFFFFFFFu);
    wbuf_u8(&code, WASM_I32);
    wbuf_u32(&code, 0xFFFFFFFFu);
    wbuf_u8(&code, WASM_I64);
    wbuf_u8(&code, 0x0b);
    wbuf_module_func(&b, NULL, 0, NULL, 0, &code);
    wasm_error err = {0};
    double t0 = unit_now_ms();
    wasm_module *m = wasm_module_new(b.data, b.len, &err);
    CHECK(m == NULL);
    CHECK_STATUS(err.status, WASM_MALFORMED, err);
    CHECK(unit_now_ms() - t0 < 1000.0 * UNIT_SLOW);
    if (m) wasm_module_free(m);
    wbuf_free(&code);
    wbuf_free(&b);
}

TEST(test_limits_many_locals_in_recursion)
{
    /* 50,000 locals per frame, recursing until the stack runs out: the
       value stack must be checked per frame, not per slot pushed. */
    wbuf code = {0}, b = {0};
    wbuf_u32(&code, 1);
    wbuf_u32(&code, 50000);
    wbuf_u8(&code, WASM_I64);
    static const uint8_t body[] = {0x10, 0x00, 0x0b};  /* call 0 */
    wbuf_bytes(&code, body, sizeof body);
    wbuf_module_func(&b, NULL, 0, NULL, 0, &code);
    wasm_error err;
    double ms;
    wasm_status st = load_and_call(&b, 0, 0, NULL, &err, &ms);
    if (CHECK_STATUS(st, WASM_TRAP, err))
        CHECK_EQ(err.trap, WASM_TRAP_STACK_EXHAUSTED);
    CHECK(ms < 2000.0 * UNIT_SLOW);
    wbuf_free(&code);
    wbuf_free(&b);
}
