/*
 * random.c - random_get through getentropy: prints 32 bytes in hex
 * ("random=..."); run.sh runs it twice and wants two different lines.
 * Also checks that two draws in one run differ and are not all zero.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "probe.h"

int main(void)
{
    unsigned char a[32], b[32], zero[32] = {0};
    int ra = getentropy(a, sizeof a), rb = getentropy(b, sizeof b);
    probe_check(ra == 0 && rb == 0, "getentropy succeeds", "%d %d", ra, rb);
    probe_check(memcmp(a, b, sizeof a) != 0, "two draws differ", "%s", "equal");
    probe_check(memcmp(a, zero, sizeof a) != 0, "a draw is not all zero", "%s", "zero");
    unsigned char big[256];
    probe_check(getentropy(big, sizeof big) == 0, "256 bytes at once", "%s", "failed");
    printf("random=");
    for (size_t i = 0; i < sizeof a; i++) printf("%02x", a[i]);
    printf("\n");
    return probe_done();
}
