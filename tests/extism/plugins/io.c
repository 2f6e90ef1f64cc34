/*
 * io.c - test plugin: input, output and the kernel's blocks.
 *
 *   echo         the input, byte for byte (also 16 MiB)
 *   length       the input's length in decimal
 *   empty        no output at all
 *   abi          checks the block functions (alloc, length, load/store,
 *                free, input_*, error_get); "ok", or fails naming the check
 *   output_bomb  sets an output of N bytes (N the input in decimal,
 *                default 1 GiB) without writing them: the host's output
 *                cap must stop it
 *   noop         returns 0 and does nothing (an empty call)
 */
#include "wasmguard/pdk.h"

PDK_FN(echo)
{
    size_t len;
    char *in = pdk_input(&len);
    if (!in) return pdk_error("out of memory");
    bool ok = pdk_output(in, len);
    free(in);
    return ok ? 0 : pdk_error("out of memory");
}

static size_t put_u64(char *dst, uint64_t n)
{
    char tmp[20];
    size_t len = 0;
    do {
        tmp[len++] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    for (size_t i = 0; i < len; i++) dst[i] = tmp[len - 1 - i];
    return len;
}

PDK_FN(length)
{
    char num[20];
    pdk_output(num, put_u64(num, pdk_env_input_length()));
    return 0;
}

PDK_FN(empty) { return 0; }

PDK_FN(noop) { return 0; }

#define CHECK(cond) \
    do { \
        if (!(cond)) return pdk_error("abi check failed: " #cond); \
    } while (0)

PDK_FN(abi)
{
    uint64_t in = pdk_env_input_offset(), inlen = pdk_env_input_length();
    CHECK(inlen == 0 || in != 0);
    CHECK(inlen == 0 || pdk_env_length(in) == inlen);
    CHECK(pdk_env_error_get() == 0);
    CHECK(pdk_env_alloc(0) == 0);
    CHECK(pdk_env_length(0) == 0);

    uint64_t h = pdk_env_alloc(20);
    CHECK(h != 0);
    CHECK(pdk_env_length(h) == 20);
    CHECK(pdk_env_length_unsafe(h) == 20);
    CHECK(pdk_env_length(h + 1) == 0);
    pdk_env_store_u64(h, 0x0123456789abcdefull);
    pdk_env_store_u64(h + 8, 0xfedcba9876543210ull);
    pdk_env_store_u8(h + 16, 0xab);
    pdk_env_store_u8(h + 19, 0x1ff);  /* only the low byte is stored */
    CHECK(pdk_env_load_u64(h) == 0x0123456789abcdefull);
    CHECK(pdk_env_load_u64(h + 8) == 0xfedcba9876543210ull);
    CHECK(pdk_env_load_u8(h) == 0xef);  /* little-endian */
    CHECK(pdk_env_load_u8(h + 16) == 0xab);
    CHECK(pdk_env_load_u8(h + 19) == 0xff);
    CHECK(pdk_env_load_u64(h + 1) == 0x100123456789abcdull);  /* unaligned, within the block */

    uint64_t h2 = pdk_env_alloc(5);
    CHECK(h2 != 0 && h2 != h);
    CHECK(pdk_env_length(h2) == 5);
    pdk_env_free(h);
    CHECK(pdk_env_length(h) == 0);
    CHECK(pdk_env_length(h2) == 5);
    pdk_env_free(h2);
    pdk_env_free(0);  /* harmless */

    if (inlen >= 8) {
        uint64_t v = pdk_env_input_load_u64(0);
        CHECK((v & 0xff) == pdk_env_input_load_u8(0));
        CHECK(pdk_env_load_u64(in) == v);
    }

    uint64_t e = pdk_block_new_str("not really");
    pdk_env_error_set(e);
    CHECK(pdk_env_error_get() == e);
    pdk_env_error_set(0);
    CHECK(pdk_env_error_get() == 0);
    pdk_output_str("ok");
    return 0;
}

PDK_FN(output_bomb)
{
    char *in = pdk_input(NULL);
    uint64_t n = 0;
    for (const char *s = in; s && *s >= '0' && *s <= '9'; s++) n = n * 10 + (uint64_t)(*s - '0');
    free(in);
    if (n == 0) n = 1ull << 30;
    uint64_t h = pdk_env_alloc(n);
    if (!h) return pdk_error("alloc refused the output bomb");
    pdk_env_output_set(h, n);
    return 0;
}
