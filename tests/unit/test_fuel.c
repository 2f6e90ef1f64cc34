/*
 * test_fuel.c - the fuel budget (wasm_store_set_fuel) bounds how much
 * guest code runs: loops and calls are charged, exhaustion is a status of
 * its own, and a refuelled store goes on working.
 */
#include "test.h"
#include "util.h"

TEST(test_fuel_unlimited_by_default)
{
    wasm_store *store = wasm_store_new(NULL);
    REQUIRE(store != NULL);
    CHECK(wasm_store_fuel(store) < 0);
    wasm_store_free(store);
}

TEST(test_fuel_loop_runs_out)
{
    unit_env env;
    REQUIRE(unit_open(&env, "fuel", NULL, NULL, 0));
    wasm_error err;
    wasm_val arg = wasm_val_i32(100000000), r = 0;
    wasm_store_set_fuel(env.store, 1000);
    wasm_status st = unit_call(&env, "count", &arg, &r, &err);
    CHECK_STATUS(st, WASM_FUEL_EXHAUSTED, err);
    CHECK(err.message[0] != 0);
    CHECK(wasm_store_fuel(env.store) <= 0);

    /* An infinite loop ends the same way. */
    wasm_store_set_fuel(env.store, 100000);
    st = unit_call(&env, "spin", NULL, NULL, &err);
    CHECK_STATUS(st, WASM_FUEL_EXHAUSTED, err);
    wasm_store_set_fuel(env.store, 100000);
    st = unit_call(&env, "spin_calls", NULL, NULL, &err);
    CHECK_STATUS(st, WASM_FUEL_EXHAUSTED, err);
    unit_close(&env);
}

TEST(test_fuel_enough_fuel_succeeds)
{
    unit_env env;
    REQUIRE(unit_open(&env, "fuel", NULL, NULL, 0));
    wasm_error err;
    wasm_val arg = wasm_val_i32(1000), r = 0;
    wasm_store_set_fuel(env.store, 10);
    CHECK_STATUS(unit_call(&env, "count", &arg, &r, &err), WASM_FUEL_EXHAUSTED, err);
    /* Same store, same instance, refuelled. */
    wasm_store_set_fuel(env.store, 10000000);
    wasm_status st = unit_call(&env, "count", &arg, &r, &err);
    if (CHECK_OK(st, err)) CHECK_EQ(wasm_as_i32(r), 1000);
    CHECK(wasm_store_fuel(env.store) > 0);
    CHECK(wasm_store_fuel(env.store) < 10000000);
    unit_close(&env);
}

TEST(test_fuel_decreases_as_code_runs)
{
    unit_env env;
    REQUIRE(unit_open(&env, "fuel", NULL, NULL, 0));
    wasm_error err;
    wasm_val arg, r = 0;
    int64_t start = 100000000;
    wasm_store_set_fuel(env.store, start);
    arg = wasm_val_i32(10);
    CHECK_OK(unit_call(&env, "count", &arg, &r, &err), err);
    int64_t after10 = wasm_store_fuel(env.store);
    arg = wasm_val_i32(1000);
    CHECK_OK(unit_call(&env, "count", &arg, &r, &err), err);
    int64_t after1000 = wasm_store_fuel(env.store);
    CHECK(after10 < start);
    CHECK(after1000 < after10);
    /* 1000 iterations cost more than 10. */
    CHECK(after10 - after1000 > start - after10);
    /* Calls are charged too. */
    arg = wasm_val_i32(100);
    CHECK_OK(unit_call(&env, "depth", &arg, &r, &err), err);
    CHECK(wasm_store_fuel(env.store) < after1000);
    unit_close(&env);
}

TEST(test_fuel_deep_recursion_runs_out)
{
    unit_env env;
    REQUIRE(unit_open(&env, "fuel", NULL, NULL, 0));
    wasm_error err;
    wasm_val arg = wasm_val_i32(1000), r = 0;
    wasm_store_set_fuel(env.store, 50);
    CHECK_STATUS(unit_call(&env, "depth", &arg, &r, &err), WASM_FUEL_EXHAUSTED, err);
    /* Unlimited again: the same call completes. */
    wasm_store_set_fuel(env.store, -1);
    CHECK(wasm_store_fuel(env.store) < 0);
    wasm_status st = unit_call(&env, "depth", &arg, &r, &err);
    if (CHECK_OK(st, err)) CHECK_EQ(wasm_as_i32(r), 1000);
    unit_close(&env);
}
