/*
 * mandelbrot.c - floating-point math: escape times of the Mandelbrot set.
 *
 * Renders a scale x scale grid over the square [-2, 0.6] x [-1.3, 1.3]
 * with at most 256 iterations of z -> z^2 + c per point.  The checksum
 * folds in, row by row, the iteration counts and a bitmap of the points
 * that never escaped.  Exercises f64 multiply/add/compare in a short loop
 * whose trip count varies from point to point.
 */
#include "workload.h"

#define MAX_ITER 256u

static uint32_t escape_time(double cr, double ci)
{
    double zr = 0.0, zi = 0.0, zr2 = 0.0, zi2 = 0.0;
    uint32_t n = 0;

    while (n < MAX_ITER && zr2 + zi2 <= 4.0) {
        zi = 2.0 * zr * zi + ci;
        zr = zr2 - zi2 + cr;
        zr2 = zr * zr;
        zi2 = zi * zi;
        n++;
    }
    return n;
}

uint64_t bench_run(uint32_t scale)
{
    uint64_t h = 0;
    double step = scale > 1 ? 2.6 / (double)(scale - 1) : 0.0;

    for (uint32_t y = 0; y < scale; y++) {
        double ci = -1.3 + step * (double)y;
        uint64_t iterations = 0, inside = 0;
        for (uint32_t x = 0; x < scale; x++) {
            uint32_t n = escape_time(-2.0 + step * (double)x, ci);
            iterations += n;
            inside = inside << 1 | (n == MAX_ITER);
            if ((x & 63) == 63) {
                h = wl_mix(h, inside);
                inside = 0;
            }
        }
        h = wl_mix(h, iterations);
        h = wl_mix(h, inside);
    }
    return h;
}
