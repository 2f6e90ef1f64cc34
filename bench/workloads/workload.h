/*
 * workload.h - what every benchmark workload shares.
 *
 * Each bench/workloads/<name>.c defines bench_run(scale): it does an amount
 * of work proportional to `scale` and returns a 64-bit checksum of its
 * results.  The same source is built natively and for wasm32, and the
 * three runs of `make bench` must agree on the checksum, so a workload:
 *   - uses fixed-width types only (long and size_t differ between targets);
 *   - keeps its state in static arrays and reinitializes all of it on
 *     every call (a second call returns the same checksum);
 *   - calls nothing from libc that needs WASI (memset/memcpy are fine);
 *   - uses only correctly rounded float operations (+ - * / sqrt), never
 *     libm's transcendental functions, whose results differ between libcs.
 */
#ifndef BENCH_WORKLOAD_H
#define BENCH_WORKLOAD_H

#include <stdint.h>

/* The one export of every benchmark module. */
uint64_t bench_run(uint32_t scale);

/* Marsaglia's xorshift32: cheap deterministic test data.  state != 0. */
static inline uint32_t wl_rand(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

/* A seed that is never zero, derived from a small integer. */
static inline uint32_t wl_seed(uint32_t n)
{
    return (n + 1u) * 2654435761u | 1u;
}

/* Folds a value into a running checksum (multiply-xorshift mixing). */
static inline uint64_t wl_mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    h *= 0xff51afd7ed558ccdull;
    return h ^ (h >> 33);
}

/* The bit pattern of a double, for checksums of float results. */
static inline uint64_t wl_f64_bits(double d)
{
    union { double d; uint64_t u; } pun = { .d = d };
    return pun.u;
}

#endif
