/*
 * test.h - the unit-test harness.
 *
 * TEST(test_<unit>_<behaviour>) { ... } defines and registers a test; the
 * runner (main.c) runs every registered test in the order of definition.
 * CHECK* macros report "FAIL <test>: <file>:<line>: <what>" and let the
 * test go on; REQUIRE* macros report and return from the test, so they
 * may only be used in the test function itself.  Every CHECK returns
 * whether it held, which lets a test skip what depends on it.
 */
#ifndef UNIT_TEST_H
#define UNIT_TEST_H

#include <stdbool.h>
#include <stdint.h>

#include "wasm/wasm.h"

typedef void (*test_fn)(void);

void test_register(const char *name, test_fn fn);
/* Reports a failure of the running test unless ok; returns ok. */
bool test_check(bool ok, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
bool test_check_i64(const char *file, int line, const char *a, const char *b,
                    int64_t va, int64_t vb);
bool test_check_u64(const char *file, int line, const char *a, const char *b,
                    uint64_t va, uint64_t vb);
bool test_check_status(const char *file, int line, const char *what,
                       wasm_status got, wasm_status want, const char *message);
bool test_check_has(const char *file, int line, const char *what,
                    const char *haystack, const char *needle);
/* The name of the running test, for messages of helpers. */
const char *test_current(void);

#define TEST(name)                                                           \
    static void name(void);                                                  \
    __attribute__((constructor)) static void name##_register_(void)          \
    {                                                                        \
        test_register(#name, name);                                          \
    }                                                                        \
    static void name(void)

#define CHECK(cond) test_check(!!(cond), __FILE__, __LINE__, "CHECK(%s)", #cond)
/* Integers compared as int64_t, printed in decimal. */
#define CHECK_EQ(a, b) \
    test_check_i64(__FILE__, __LINE__, #a, #b, (int64_t)(a), (int64_t)(b))
/* Bit patterns compared as uint64_t, printed in hex. */
#define CHECK_BITS(a, b) \
    test_check_u64(__FILE__, __LINE__, #a, #b, (uint64_t)(a), (uint64_t)(b))
/* A status, with the error message printed when it is not the expected one. */
#define CHECK_STATUS(st, want, err) \
    test_check_status(__FILE__, __LINE__, #st, (st), (want), (err).message)
#define CHECK_OK(st, err) CHECK_STATUS(st, WASM_OK, err)
/* A string contains a substring. */
#define CHECK_HAS(s, sub) test_check_has(__FILE__, __LINE__, #s, (s), (sub))

#define REQUIRE(cond)          do { if (!CHECK(cond)) return; } while (0)
#define REQUIRE_OK(st, err)    do { if (!CHECK_OK(st, err)) return; } while (0)

#endif
