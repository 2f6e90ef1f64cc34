/*
 * collatz.c - a tight integer loop with a data-dependent branch: Collatz
 * sequence lengths.
 *
 * For every n in [1, scale] it counts the steps of n -> n/2 (even) or
 * 3n+1 (odd) until 1, in 64-bit arithmetic, and folds the total step
 * count, the longest sequence and where it starts into the checksum.
 * Exercises 64-bit shifts, adds, compares and branches in registers only;
 * no memory traffic.
 */
#include "workload.h"

static uint32_t collatz_steps(uint64_t n)
{
    uint32_t steps = 0;

    while (n != 1) {
        if (n & 1)
            n = 3 * n + 1;
        else
            n >>= 1;
        steps++;
    }
    return steps;
}

uint64_t bench_run(uint32_t scale)
{
    uint64_t total = 0, h = 0;
    uint32_t longest = 0, longest_start = 1;

    for (uint64_t n = 1; n <= scale; n++) {
        uint32_t steps = collatz_steps(n);
        total += steps;
        if (steps > longest) {
            longest = steps;
            longest_start = (uint32_t)n;
        }
        if ((n & 0xffffu) == 0)
            h = wl_mix(h, total);
    }
    h = wl_mix(h, total);
    h = wl_mix(h, longest);
    return wl_mix(h, longest_start);
}
