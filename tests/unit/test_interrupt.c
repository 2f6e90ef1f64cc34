/*
 * test_interrupt.c - stopping a running guest from outside: another
 * thread calling wasm_store_interrupt, or the store's deadline.  Both end
 * the call with WASM_INTERRUPTED promptly; after clearing, the instance
 * works again; the store can be freed afterwards.
 */
#include <pthread.h>
#include <time.h>

#include "test.h"
#include "util.h"

typedef struct interrupter {
    wasm_store *store;
    unsigned delay_ms;
    uint64_t fired_ns;
} interrupter;

static void *interrupt_later(void *arg)
{
    interrupter *it = arg;
    struct timespec ts = {it->delay_ms / 1000, (long)(it->delay_ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    it->fired_ns = unit_now_ns();
    wasm_store_interrupt(it->store);
    return NULL;
}

/* Runs `func` (an infinite loop) while a thread interrupts it after 50 ms. */
static void interrupt_spinning(const char *func)
{
    unit_env env;
    if (!unit_open(&env, "fuel", NULL, NULL, 0)) return;
    interrupter it = {env.store, 50, 0};
    pthread_t th;
    if (!CHECK(pthread_create(&th, NULL, interrupt_later, &it) == 0)) {
        unit_close(&env);
        return;
    }
    wasm_error err;
    wasm_status st = unit_call(&env, func, NULL, NULL, &err);
    uint64_t stopped = unit_now_ns();
    pthread_join(th, NULL);
    CHECK_STATUS(st, WASM_INTERRUPTED, err);
    CHECK(err.message[0] != 0);
    test_check(stopped - it.fired_ns < 1000000000u, __FILE__, __LINE__,
               "%s stopped %.1f ms after the interrupt", func,
               (double)(stopped - it.fired_ns) / 1e6);

    /* The flag stays up until cleared... */
    st = unit_call(&env, "spin", NULL, NULL, &err);
    CHECK_STATUS(st, WASM_INTERRUPTED, err);
    /* ...and then the instance works again. */
    wasm_store_clear_interrupt(env.store);
    wasm_val r = 0;
    st = unit_call(&env, "answer", NULL, &r, &err);
    if (CHECK_OK(st, err)) CHECK_EQ(wasm_as_i32(r), 42);
    wasm_val arg = wasm_val_i32(100000);
    st = unit_call(&env, "count", &arg, &r, &err);
    if (CHECK_OK(st, err)) CHECK_EQ(wasm_as_i32(r), 100000);
    unit_close(&env);
}

TEST(test_interrupt_stops_loop_from_thread)
{
    interrupt_spinning("spin");
}

TEST(test_interrupt_stops_call_loop_from_thread)
{
    interrupt_spinning("spin_calls");
}

TEST(test_interrupt_deadline_stops_loop)
{
    unit_env env;
    REQUIRE(unit_open(&env, "fuel", NULL, NULL, 0));
    uint64_t deadline = unit_now_ns() + 100 * 1000000u;
    wasm_store_set_deadline(env.store, deadline);
    wasm_error err;
    wasm_status st = unit_call(&env, "spin", NULL, NULL, &err);
    uint64_t stopped = unit_now_ns();
    CHECK_STATUS(st, WASM_INTERRUPTED, err);
    CHECK(err.message[0] != 0);
    CHECK(stopped >= deadline);
    test_check(stopped - deadline < 1000000000u, __FILE__, __LINE__,
               "stopped %.1f ms after the deadline", (double)(stopped - deadline) / 1e6);

    /* A deadline in the past stops the next call as well. */
    st = unit_call(&env, "spin_calls", NULL, NULL, &err);
    CHECK_STATUS(st, WASM_INTERRUPTED, err);

    /* Without a deadline (and with the flag cleared) the instance works. */
    wasm_store_set_deadline(env.store, 0);
    wasm_store_clear_interrupt(env.store);
    wasm_val r = 0;
    st = unit_call(&env, "answer", NULL, &r, &err);
    if (CHECK_OK(st, err)) CHECK_EQ(wasm_as_i32(r), 42);
    unit_close(&env);
}

TEST(test_interrupt_deadline_in_future_does_not_stop)
{
    unit_env env;
    REQUIRE(unit_open(&env, "fuel", NULL, NULL, 0));
    wasm_store_set_deadline(env.store, unit_now_ns() + 60ull * 1000000000u);
    wasm_error err;
    wasm_val arg = wasm_val_i32(1000000), r = 0;
    wasm_status st = unit_call(&env, "count", &arg, &r, &err);
    if (CHECK_OK(st, err)) CHECK_EQ(wasm_as_i32(r), 1000000);
    unit_close(&env);
}

TEST(test_interrupt_before_call)
{
    /* Raised before the call: the loop never gets going. */
    unit_env env;
    REQUIRE(unit_open(&env, "fuel", NULL, NULL, 0));
    wasm_store_interrupt(env.store);
    wasm_error err;
    wasm_status st = unit_call(&env, "spin", NULL, NULL, &err);
    CHECK_STATUS(st, WASM_INTERRUPTED, err);
    unit_close(&env);
}

TEST(test_interrupt_deep_recursion)
{
    /* Interrupt deep inside a recursion that would take long to finish:
       the frames unwind and the store is reusable. */
    unit_env env;
    REQUIRE(unit_open(&env, "fuel", NULL, NULL, 0));
    interrupter it = {env.store, 50, 0};
    pthread_t th;
    REQUIRE(pthread_create(&th, NULL, interrupt_later, &it) == 0);
    wasm_error err;
    wasm_status st;
    wasm_val arg = wasm_val_i32(1000), r = 0;
    /* Repeated deep recursions until the interrupt lands. */
    do {
        st = unit_call(&env, "depth", &arg, &r, &err);
    } while (st == WASM_OK);
    pthread_join(th, NULL);
    CHECK_STATUS(st, WASM_INTERRUPTED, err);
    wasm_store_clear_interrupt(env.store);
    st = unit_call(&env, "depth", &arg, &r, &err);
    if (CHECK_OK(st, err)) CHECK_EQ(wasm_as_i32(r), 1000);
    unit_close(&env);
}
