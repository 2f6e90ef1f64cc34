/*
 * host.c - test plugin: host functions of "extism:host/user", provided by
 * the embedder (tests/extism/threads.c registers them).
 *
 *   reverse   passes the input to the host's reverse(handle) -> handle and
 *             outputs what comes back
 *   add       outputs the host's add_i32(40, 2) in decimal
 */
#include "wasmguard/pdk.h"

PDK_HOST_FN(reverse) uint64_t host_reverse(uint64_t handle);
PDK_HOST_FN(add_i32) int32_t host_add_i32(int32_t a, int32_t b);

PDK_FN(reverse)
{
    size_t len;
    char *in = pdk_input(&len);
    if (!in) return pdk_error("out of memory");
    uint64_t h = pdk_block_new(in, len);
    free(in);
    uint64_t r = host_reverse(h);
    size_t rlen;
    char *out = pdk_block_dup(r, &rlen);
    if (r) pdk_env_free(r);
    if (!out) return pdk_error("the host returned no block");
    pdk_output(out, rlen);
    free(out);
    return 0;
}

PDK_FN(add)
{
    int32_t v = host_add_i32(40, 2);
    char buf[12];
    size_t n = 0;
    if (v < 0 || v > 999) return pdk_error("add_i32 out of range");
    if (v >= 100) buf[n++] = (char)('0' + v / 100);
    if (v >= 10) buf[n++] = (char)('0' + v / 10 % 10);
    buf[n++] = (char)('0' + v % 10);
    pdk_output(buf, n);
    return 0;
}
