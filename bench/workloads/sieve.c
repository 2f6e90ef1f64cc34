/*
 * sieve.c - integer loops over a byte array: the sieve of Eratosthenes.
 *
 * Each of `scale` rounds sieves the numbers below a limit near one million
 * (the limit shifts a little per round so no round can be skipped) with one
 * byte per number, then folds the prime count and the sum of the primes
 * into the checksum.  Exercises byte loads and stores, compare-and-branch
 * and strided inner loops over a 1 MB array.
 */
#include <string.h>

#include "workload.h"

#define SIEVE_MAX 1000000u

static uint8_t composite[SIEVE_MAX];

/* Primes below `limit` (<= SIEVE_MAX): returns the count, *sum their sum. */
static uint32_t sieve(uint32_t limit, uint64_t *sum)
{
    uint32_t count = 0;
    uint64_t total = 0;

    memset(composite, 0, limit);
    for (uint32_t i = 2; i < limit; i++) {
        if (composite[i])
            continue;
        count++;
        total += i;
        if ((uint64_t)i * i >= limit)
            continue;
        for (uint32_t j = i * i; j < limit; j += i)
            composite[j] = 1;
    }
    *sum = total;
    return count;
}

uint64_t bench_run(uint32_t scale)
{
    uint64_t h = 0;

    for (uint32_t round = 0; round < scale; round++) {
        uint64_t sum;
        uint32_t count = sieve(SIEVE_MAX - (round % 1000u), &sum);
        h = wl_mix(h, count);
        h = wl_mix(h, sum);
    }
    return h;
}
