/*
 * test_error.c - the error record of wasm.h: first error wins, clearing
 * makes room for a new one, every status and trap kind has a name.
 */
#include <string.h>

#include "test.h"

TEST(test_error_first_error_wins)
{
    wasm_error err;
    wasm_error_clear(&err);
    CHECK_EQ(err.status, WASM_OK);
    CHECK_EQ(err.message[0], 0);
    CHECK_EQ(wasm_error_set(&err, WASM_TRAP, "first %d", 1), WASM_TRAP);
    wasm_error_set(&err, WASM_LIMIT, "second");
    CHECK_EQ(err.status, WASM_TRAP);
    CHECK_HAS(err.message, "first 1");
    wasm_error_clear(&err);
    wasm_error_set(&err, WASM_LIMIT, "second");
    CHECK_EQ(err.status, WASM_LIMIT);
    CHECK_HAS(err.message, "second");
}

TEST(test_error_long_message_is_truncated)
{
    char big[2 * WASM_ERROR_MESSAGE_MAX];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    wasm_error err = {0};
    wasm_error_set(&err, WASM_HOST_ERROR, "%s", big);
    CHECK(strlen(err.message) < WASM_ERROR_MESSAGE_MAX);
    CHECK(strlen(err.message) > 100);
}

TEST(test_error_every_status_has_a_name)
{
    for (int s = WASM_OK; s <= WASM_BAD_ARGUMENT; s++) {
        const char *name = wasm_status_name((wasm_status)s);
        CHECK(name != NULL && name[0] != 0);
        for (int t = s + 1; t <= WASM_BAD_ARGUMENT; t++)
            CHECK(strcmp(name, wasm_status_name((wasm_status)t)) != 0);
    }
    for (int k = WASM_TRAP_UNREACHABLE; k < WASM_TRAP_COUNT; k++) {
        const char *msg = wasm_trap_message((wasm_trap_kind)k);
        CHECK(msg != NULL && msg[0] != 0);
    }
}
