/*
 * test_trap.c - every trap is typed and located.
 *
 * Spec: "Execution" (4.4) names the traps; wasmguard reports each as
 * WASM_TRAP with a wasm_trap_kind and a message naming the function and
 * the byte offset, and the instance stays usable afterwards.
 */
#include <stdio.h>
#include <string.h>

#include "test.h"
#include "util.h"

static void expect_trap(const char *file, int line, unit_env *env, const char *func,
                        wasm_val arg, wasm_trap_kind kind)
{
    wasm_error err;
    wasm_val r[1] = {0};
    wasm_status st = unit_call(env, func, &arg, r, &err);
    if (!test_check(st == WASM_TRAP, file, line, "%s: got %s, want trap (\"%s\")", func,
                    wasm_status_name(st), err.message))
        return;
    test_check(err.trap == kind, file, line, "%s: trap kind %d (%s), want %d (%s)", func,
               (int)err.trap, wasm_trap_message(err.trap), (int)kind,
               wasm_trap_message(kind));
    test_check(strstr(err.message, "function") != NULL, file, line,
               "%s: message does not name the function: \"%s\"", func, err.message);
    test_check(strpbrk(err.message, "0123456789") != NULL, file, line,
               "%s: message has no index or offset: \"%s\"", func, err.message);
    /* The instance still works. */
    st = unit_call(env, "ok", NULL, r, &err);
    test_check(st == WASM_OK && wasm_as_i32(r[0]) == 42, file, line,
               "after %s: ok() gave %s (\"%s\")", func, wasm_status_name(st), err.message);
}
#define EXPECT_TRAP(env, func, kind) expect_trap(__FILE__, __LINE__, env, func, 0, kind)

TEST(test_trap_kinds_are_typed)
{
    unit_env env;
    REQUIRE(unit_open(&env, "traps", NULL, NULL, 0));
    EXPECT_TRAP(&env, "unreachable", WASM_TRAP_UNREACHABLE);
    EXPECT_TRAP(&env, "memory_oob", WASM_TRAP_MEMORY_OOB);
    EXPECT_TRAP(&env, "memory_oob_offset", WASM_TRAP_MEMORY_OOB);
    EXPECT_TRAP(&env, "table_oob", WASM_TRAP_TABLE_OOB);
    EXPECT_TRAP(&env, "div_zero", WASM_TRAP_DIV_ZERO);
    EXPECT_TRAP(&env, "rem_zero", WASM_TRAP_DIV_ZERO);
    EXPECT_TRAP(&env, "int_overflow", WASM_TRAP_INT_OVERFLOW);
    EXPECT_TRAP(&env, "trunc_overflow", WASM_TRAP_INT_OVERFLOW);
    EXPECT_TRAP(&env, "invalid_conversion", WASM_TRAP_INVALID_CONVERSION);
    EXPECT_TRAP(&env, "indirect_mismatch", WASM_TRAP_INDIRECT_MISMATCH);
    EXPECT_TRAP(&env, "undefined_element", WASM_TRAP_UNDEFINED_ELEMENT);
    EXPECT_TRAP(&env, "uninitialized_element", WASM_TRAP_UNINITIALIZED_ELEMENT);
    EXPECT_TRAP(&env, "stack_exhausted", WASM_TRAP_STACK_EXHAUSTED);
    unit_close(&env);
}

TEST(test_trap_messages_have_spec_wording)
{
    CHECK(wasm_trap_message(WASM_TRAP_DIV_ZERO) != NULL);
    CHECK_HAS(wasm_trap_message(WASM_TRAP_DIV_ZERO), "integer divide by zero");
    CHECK_HAS(wasm_trap_message(WASM_TRAP_INT_OVERFLOW), "integer overflow");
    CHECK_HAS(wasm_trap_message(WASM_TRAP_UNREACHABLE), "unreachable");
    CHECK_HAS(wasm_trap_message(WASM_TRAP_MEMORY_OOB), "out of bounds memory access");
    CHECK_HAS(wasm_trap_message(WASM_TRAP_INVALID_CONVERSION), "invalid conversion to integer");
    CHECK_HAS(wasm_trap_message(WASM_TRAP_INDIRECT_MISMATCH), "indirect call type mismatch");
    CHECK_HAS(wasm_trap_message(WASM_TRAP_UNDEFINED_ELEMENT), "undefined element");
    CHECK_HAS(wasm_trap_message(WASM_TRAP_UNINITIALIZED_ELEMENT), "uninitialized element");
    /* Every kind has its own wording. */
    for (int a = WASM_TRAP_UNREACHABLE; a < WASM_TRAP_COUNT; a++)
        for (int b = a + 1; b < WASM_TRAP_COUNT; b++)
            CHECK(strcmp(wasm_trap_message((wasm_trap_kind)a),
                         wasm_trap_message((wasm_trap_kind)b)) != 0);
}

TEST(test_trap_infinite_recursion_exhausts_the_stack)
{
    unit_env env;
    REQUIRE(unit_open(&env, "traps", NULL, NULL, 0));
    for (int round = 0; round < 3; round++) {
        wasm_error err;
        wasm_val arg = wasm_val_i32(0), r = 0;
        double t0 = unit_now_ms();
        wasm_status st = unit_call(&env, "stack_exhausted", &arg, &r, &err);
        if (CHECK_STATUS(st, WASM_TRAP, err)) CHECK_EQ(err.trap, WASM_TRAP_STACK_EXHAUSTED);
        CHECK(unit_now_ms() - t0 < 2000.0 * UNIT_SLOW);
        /* The same store runs the next call. */
        st = unit_call(&env, "ok", NULL, &r, &err);
        if (CHECK_OK(st, err)) CHECK_EQ(wasm_as_i32(r), 42);
    }
    unit_close(&env);
}

TEST(test_trap_small_call_depth_is_honoured)
{
    /* With max_call_depth 100, recursion of depth 50 works (it returns
       its depth) and the stack trap comes at 100, not later. */
    wasm_config cfg;
    wasm_config_default(&cfg);
    cfg.max_call_depth = 100;
    unit_env env;
    REQUIRE(unit_open(&env, "fuel", &cfg, NULL, 0));
    wasm_error err;
    wasm_val arg = wasm_val_i32(50), r = 0;
    wasm_status st = unit_call(&env, "depth", &arg, &r, &err);
    if (CHECK_OK(st, err)) CHECK_EQ(wasm_as_i32(r), 50);
    arg = wasm_val_i32(1000);
    st = unit_call(&env, "depth", &arg, &r, &err);
    if (CHECK_STATUS(st, WASM_TRAP, err)) CHECK_EQ(err.trap, WASM_TRAP_STACK_EXHAUSTED);
    unit_close(&env);
}
