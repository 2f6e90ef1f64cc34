/*
 * test_memory.c - the embedder's cap on memories
 * (wasm_config.max_memory_pages) and the memory accessors of wasm.h.
 *
 * Spec: memory.grow (4.4.7) may fail for any reason and then returns -1;
 * a cap is such a reason.  A module that needs more than the cap from the
 * start cannot be instantiated.
 */
#include <string.h>

#include "test.h"
#include "util.h"

static int32_t call_i32(unit_env *env, const char *func, int32_t a, wasm_error *err)
{
    wasm_val arg = wasm_val_i32(a), r = 0;
    if (unit_call(env, func, &arg, &r, err) != WASM_OK) return INT32_MIN;
    return wasm_as_i32(r);
}

TEST(test_memory_grow_stops_at_the_cap)
{
    wasm_config cfg;
    wasm_config_default(&cfg);
    cfg.max_memory_pages = 4;
    unit_env env;
    REQUIRE(unit_open(&env, "memory", &cfg, NULL, 0));
    wasm_error err;
    CHECK_EQ(call_i32(&env, "grow", 2, &err), 1);   /* 1 -> 3 */
    CHECK_EQ(call_i32(&env, "grow", 2, &err), -1);  /* 5 > 4 */
    CHECK_EQ(call_i32(&env, "grow", 1, &err), 3);   /* 3 -> 4 */
    CHECK_EQ(call_i32(&env, "grow", 1, &err), -1);
    CHECK_EQ(call_i32(&env, "grow", 0, &err), 4);
    CHECK_EQ(call_i32(&env, "grow", -1, &err), -1);
    CHECK_EQ(call_i32(&env, "size", 0, &err), 4);

    /* The host's view agrees, and the host cannot pass the cap either. */
    wasm_memory *mem = wasm_instance_memory(env.inst);
    REQUIRE(mem != NULL);
    CHECK_EQ(wasm_memory_pages(mem), 4);
    CHECK_EQ(wasm_memory_size(mem), 4 * 65536);
    CHECK_EQ(wasm_memory_grow(mem, 1), -1);
    CHECK_EQ(wasm_memory_pages(mem), 4);

    /* The last byte is usable, the next one traps. */
    wasm_val args[2] = {wasm_val_i32(4 * 65536 - 1), wasm_val_i32(0x5a)};
    CHECK_OK(unit_call(&env, "store8", args, NULL, &err), err);
    CHECK_EQ(call_i32(&env, "load8", 4 * 65536 - 1, &err), 0x5a);
    CHECK_EQ(wasm_memory_data(mem)[4 * 65536 - 1], 0x5a);
    args[0] = wasm_val_i32(4 * 65536);
    if (CHECK_STATUS(unit_call(&env, "store8", args, NULL, &err), WASM_TRAP, err))
        CHECK_EQ(err.trap, WASM_TRAP_MEMORY_OOB);
    unit_close(&env);
}

TEST(test_memory_grow_keeps_data_and_zeroes_new_pages)
{
    unit_env env;
    REQUIRE(unit_open(&env, "memory", NULL, NULL, 0));
    wasm_error err;
    CHECK_EQ(call_i32(&env, "load8", 3, &err), 4);
    CHECK_EQ(call_i32(&env, "grow", 3, &err), 1);
    CHECK_EQ(call_i32(&env, "load8", 0, &err), 1);
    CHECK_EQ(call_i32(&env, "load8", 3, &err), 4);
    CHECK_EQ(call_i32(&env, "load8", 65536, &err), 0);
    CHECK_EQ(call_i32(&env, "load8", 4 * 65536 - 1, &err), 0);
    /* The module's own maximum (100) holds without a cap. */
    CHECK_EQ(call_i32(&env, "grow", 97, &err), -1);
    CHECK_EQ(call_i32(&env, "grow", 96, &err), 4);
    CHECK_EQ(call_i32(&env, "size", 0, &err), 100);
    unit_close(&env);
}

TEST(test_memory_unbounded_memory_obeys_the_cap)
{
    wasm_config cfg;
    wasm_config_default(&cfg);
    cfg.max_memory_pages = 16;
    unit_env env;
    REQUIRE(unit_open(&env, "memory_unbounded", &cfg, NULL, 0));
    wasm_error err;
    CHECK_EQ(call_i32(&env, "grow", 0x10000, &err), -1);
    CHECK_EQ(call_i32(&env, "grow", 17, &err), -1);
    CHECK_EQ(call_i32(&env, "grow", 16, &err), 0);
    CHECK_EQ(call_i32(&env, "grow", 1, &err), -1);
    unit_close(&env);

    /* Without a cap of our own, nothing passes the spec's 2^16 pages. */
    REQUIRE(unit_open(&env, "memory_unbounded", NULL, NULL, 0));
    CHECK_EQ(call_i32(&env, "grow", 0x10001, &err), -1);
    CHECK_EQ(call_i32(&env, "grow", 1, &err), 0);
    unit_close(&env);
}

TEST(test_memory_min_above_cap_fails_to_instantiate)
{
    wasm_config cfg;
    wasm_config_default(&cfg);
    cfg.max_memory_pages = 4;
    wasm_module *m = unit_module("memory_min10");
    REQUIRE(m != NULL);
    wasm_store *store = wasm_store_new(&cfg);
    wasm_error err = {0};
    wasm_instance *inst = wasm_instance_new(store, m, NULL, 0, &err);
    CHECK(inst == NULL);
    CHECK(err.status == WASM_LIMIT || err.status == WASM_UNLINKABLE);
    CHECK(err.message[0] != 0);

    /* At exactly the cap it works. */
    cfg.max_memory_pages = 10;
    wasm_store *store2 = wasm_store_new(&cfg);
    wasm_error_clear(&err);
    inst = wasm_instance_new(store2, m, NULL, 0, &err);
    if (CHECK(inst != NULL)) CHECK_EQ(wasm_memory_pages(wasm_instance_memory(inst)), 10);
    wasm_store_free(store2);
    wasm_store_free(store);
    wasm_module_free(m);
}

TEST(test_memory_at_checks_bounds)
{
    unit_env env;
    REQUIRE(unit_open(&env, "memory", NULL, NULL, 0));
    wasm_memory *mem = wasm_instance_memory(env.inst);
    REQUIRE(mem != NULL);
    uint64_t size = wasm_memory_size(mem);
    CHECK_EQ(size, 65536);
    uint8_t *base = wasm_memory_data(mem);
    CHECK(wasm_memory_at(mem, 0, size) == base);
    CHECK(wasm_memory_at(mem, 0, 4) == base);
    CHECK(wasm_memory_at(mem, size - 1, 1) == base + size - 1);
    CHECK(wasm_memory_at(mem, size - 1, 2) == NULL);
    CHECK(wasm_memory_at(mem, size, 1) == NULL);
    CHECK(wasm_memory_at(mem, 0, size + 1) == NULL);
    CHECK(wasm_memory_at(mem, 1, UINT64_MAX) == NULL);           /* overflows */
    CHECK(wasm_memory_at(mem, UINT64_MAX, 2) == NULL);           /* overflows */
    CHECK(wasm_memory_at(mem, UINT64_MAX - 1, 4) == NULL);
    CHECK(wasm_memory_at(mem, (uint64_t)1 << 32, 1) == NULL);
    CHECK(wasm_memory_at(mem, 16, (uint64_t)-16) == NULL);        /* wraps to 0 */
    unit_close(&env);
}

TEST(test_memory_new_in_store)
{
    wasm_store *store = wasm_store_new(NULL);
    REQUIRE(store != NULL);
    wasm_limits lim = {2, 3, true};
    wasm_memory *mem = wasm_memory_new(store, lim);
    if (CHECK(mem != NULL)) {
        CHECK_EQ(wasm_memory_pages(mem), 2);
        uint8_t *p = wasm_memory_at(mem, 2 * 65536 - 4, 4);
        if (CHECK(p != NULL)) CHECK(p[0] == 0 && p[3] == 0);
        CHECK_EQ(wasm_memory_grow(mem, 1), 2);
        CHECK_EQ(wasm_memory_grow(mem, 1), -1);
        CHECK_EQ(wasm_memory_pages(mem), 3);
    }
    wasm_store_free(store);
}
