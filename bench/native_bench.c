/*
 * native_bench.c - the native column of `make bench`: times one call of a
 * workload's bench_run(scale) compiled for this machine.
 *
 * Linked with one bench/workloads/<name>.c (a separate translation unit,
 * so the call cannot be folded away).  Prints one line in the format the
 * three drivers share:
 *     checksum=<u64> run_ms=<ms>
 * The time is CLOCK_MONOTONIC around the call only.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "workload.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s SCALE\n", argv[0]);
        return 2;
    }
    char *end;
    unsigned long scale = strtoul(argv[1], &end, 10);
    if (*argv[1] == '\0' || *end != '\0' || scale > UINT32_MAX) {
        fprintf(stderr, "%s: bad scale '%s'\n", argv[0], argv[1]);
        return 2;
    }

    double t0 = now_ms();
    uint64_t checksum = bench_run((uint32_t)scale);
    double t1 = now_ms();

    printf("checksum=%" PRIu64 " run_ms=%.3f\n", checksum, t1 - t0);
    return 0;
}
