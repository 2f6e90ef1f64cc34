/*
 * nbody.c - floating-point math: a gravitational n-body simulation.
 *
 * 32 bodies with pseudo-random positions, velocities and masses move under
 * softened Newtonian gravity (G = 1, softening length 0.01), integrated with
 * semi-implicit Euler steps of dt = 0.001; `scale` is the number of steps.
 * Each step visits all 496 pairs once.  The checksum holds the bit
 * patterns of the final total energy and of every position, so any
 * difference in rounding shows.  Only + - * / and sqrt are used (all
 * correctly rounded in IEEE 754 and in Wasm), and every sum is taken in
 * one fixed order.  Exercises f64 arithmetic, sqrt and division.
 */
#include <math.h>

#include "workload.h"

#define BODIES 32u
#define DT 0.001
#define SOFTENING2 0.0001

typedef struct body {
    double x, y, z;
    double vx, vy, vz;
    double mass;
} body;

static body bodies[BODIES];

static double uniform(uint32_t *seed, double lo, double hi)
{
    return lo + (hi - lo) * ((double)wl_rand(seed) / 4294967296.0);
}

static void setup(void)
{
    uint32_t seed = wl_seed(7);
    for (uint32_t i = 0; i < BODIES; i++) {
        body *b = &bodies[i];
        b->x = uniform(&seed, -10.0, 10.0);
        b->y = uniform(&seed, -10.0, 10.0);
        b->z = uniform(&seed, -1.0, 1.0);
        b->vx = uniform(&seed, -0.5, 0.5);
        b->vy = uniform(&seed, -0.5, 0.5);
        b->vz = uniform(&seed, -0.05, 0.05);
        b->mass = uniform(&seed, 0.5, 2.0);
    }
}

static void step(void)
{
    for (uint32_t i = 0; i < BODIES; i++) {
        body *bi = &bodies[i];
        for (uint32_t j = i + 1; j < BODIES; j++) {
            body *bj = &bodies[j];
            double dx = bi->x - bj->x, dy = bi->y - bj->y, dz = bi->z - bj->z;
            double d2 = dx * dx + dy * dy + dz * dz + SOFTENING2;
            double mag = DT / (d2 * sqrt(d2));
            double mi = bi->mass * mag, mj = bj->mass * mag;
            bi->vx -= dx * mj;
            bi->vy -= dy * mj;
            bi->vz -= dz * mj;
            bj->vx += dx * mi;
            bj->vy += dy * mi;
            bj->vz += dz * mi;
        }
    }
    for (uint32_t i = 0; i < BODIES; i++) {
        body *b = &bodies[i];
        b->x += DT * b->vx;
        b->y += DT * b->vy;
        b->z += DT * b->vz;
    }
}

static double energy(void)
{
    double e = 0.0;
    for (uint32_t i = 0; i < BODIES; i++) {
        const body *bi = &bodies[i];
        e += 0.5 * bi->mass * (bi->vx * bi->vx + bi->vy * bi->vy + bi->vz * bi->vz);
        for (uint32_t j = i + 1; j < BODIES; j++) {
            const body *bj = &bodies[j];
            double dx = bi->x - bj->x, dy = bi->y - bj->y, dz = bi->z - bj->z;
            e -= bi->mass * bj->mass / sqrt(dx * dx + dy * dy + dz * dz + SOFTENING2);
        }
    }
    return e;
}

uint64_t bench_run(uint32_t scale)
{
    setup();
    uint64_t h = wl_mix(0, wl_f64_bits(energy()));
    for (uint32_t s = 0; s < scale; s++)
        step();
    h = wl_mix(h, wl_f64_bits(energy()));
    for (uint32_t i = 0; i < BODIES; i++) {
        h = wl_mix(h, wl_f64_bits(bodies[i].x));
        h = wl_mix(h, wl_f64_bits(bodies[i].y));
        h = wl_mix(h, wl_f64_bits(bodies[i].z));
    }
    return h;
}
