/*
 * matmul.c - dense matrix multiply in double precision.
 *
 * Each of `scale` rounds fills two 160x160 matrices with pseudo-random
 * values in [-1, 1) (a different seed per round), multiplies them in the
 * cache-friendly i-k-j order and folds the bit patterns of the product's
 * diagonal and of its row sums into the checksum.  Every sum is taken in
 * one fixed order, so all targets round identically.  Exercises f64
 * loads, multiplies and adds over 600 KB of arrays.
 */
#include <string.h>

#include "workload.h"

#define N 160u

static double a[N][N], b[N][N], c[N][N];

static void fill(double m[N][N], uint32_t *seed)
{
    for (uint32_t i = 0; i < N; i++)
        for (uint32_t j = 0; j < N; j++)
            m[i][j] = (double)(int32_t)wl_rand(seed) / 2147483648.0;
}

static void multiply(void)
{
    memset(c, 0, sizeof c);
    for (uint32_t i = 0; i < N; i++) {
        for (uint32_t k = 0; k < N; k++) {
            double aik = a[i][k];
            for (uint32_t j = 0; j < N; j++)
                c[i][j] += aik * b[k][j];
        }
    }
}

uint64_t bench_run(uint32_t scale)
{
    uint64_t h = 0;

    for (uint32_t round = 0; round < scale; round++) {
        uint32_t seed = wl_seed(round);
        fill(a, &seed);
        fill(b, &seed);
        multiply();
        for (uint32_t i = 0; i < N; i++) {
            double row = 0.0;
            for (uint32_t j = 0; j < N; j++)
                row += c[i][j];
            h = wl_mix(h, wl_f64_bits(c[i][i]));
            h = wl_mix(h, wl_f64_bits(row));
        }
    }
    return h;
}
