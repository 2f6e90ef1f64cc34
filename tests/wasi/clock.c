/*
 * clock.c - clocks and sleeping: CLOCK_MONOTONIC never goes back (two
 * reads in a row, then 10000 more), resolutions are sane, a 20 ms sleep
 * lasts at least 20 ms, and CLOCK_REALTIME is printed as "realtime=S" for
 * run.sh to compare with the host's clock.
 */
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "probe.h"

static int64_t ns_of(struct timespec ts)
{
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t now(clockid_t id)
{
    struct timespec ts = {0, 0};
    if (clock_gettime(id, &ts) != 0) return -1;
    return ns_of(ts);
}

int main(void)
{
    int64_t a = now(CLOCK_MONOTONIC), b = now(CLOCK_MONOTONIC);
    probe_check(a > 0 && b >= a, "two monotonic reads in a row do not go back",
                "%lld then %lld", (long long)a, (long long)b);
    int backwards = 0;
    int64_t prev = b;
    for (int i = 0; i < 10000; i++) {
        int64_t t = now(CLOCK_MONOTONIC);
        backwards += t < prev;
        prev = t;
    }
    probe_check(backwards == 0, "10000 monotonic reads never go back", "%d went back", backwards);

    struct timespec res = {0, 0};
    probe_check(clock_getres(CLOCK_MONOTONIC, &res) == 0 && ns_of(res) > 0 &&
                ns_of(res) <= 1000000, "monotonic resolution is between 1 ns and 1 ms",
                "%lld ns", (long long)ns_of(res));
    int64_t cpu = now(CLOCK_PROCESS_CPUTIME_ID);
    probe_check(cpu >= 0, "CLOCK_PROCESS_CPUTIME_ID reads", "failed");

    struct timespec nap = {0, 20000000};
    int64_t t0 = now(CLOCK_MONOTONIC);
    int rc = nanosleep(&nap, NULL);
    int64_t slept = now(CLOCK_MONOTONIC) - t0;
    probe_check(rc == 0 && slept >= 20000000 && slept < 2000000000,
                "a 20 ms nanosleep lasts 20 ms to 2 s", "rc %d, %lld ns", rc, (long long)slept);

    int64_t real = now(CLOCK_REALTIME);
    probe_check(real > 1600000000LL * 1000000000, "realtime is after 2020", "%lld",
                (long long)real);
    printf("realtime=%lld\n", (long long)(real / 1000000000));
    return probe_done();
}
