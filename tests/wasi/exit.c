/*
 * exit.c - how a guest ends, by argv[1]:
 *   return N   main returns N        exit N   exit(N) (proc_exit)
 *   trap       __builtin_trap        div0     integer division by zero
 *   oob        a load past the end of memory
 *   deep       unbounded recursion (the C stack runs out of linear memory)
 * It prints "before" first, so run.sh sees that output written before
 * the end is kept.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int recurse(volatile int *depth)
{
    char pad[64];
    memset(pad, *depth & 0xff, sizeof pad);
    if (++*depth < 0) return 0;  /* never: the stack runs out first */
    return recurse(depth) + pad[*depth & 63];
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: exit return|exit N | trap | div0 | oob | deep\n");
        return 2;
    }
    printf("before\n");
    fflush(stdout);
    const char *mode = argv[1];
    int n = argc > 2 ? atoi(argv[2]) : 0;
    if (strcmp(mode, "return") == 0) return n;
    if (strcmp(mode, "exit") == 0) exit(n);
    if (strcmp(mode, "trap") == 0) __builtin_trap();
    if (strcmp(mode, "div0") == 0) {
        volatile int num = 7, den = 0;  /* both volatile: no folding */
        printf("%d\n", num / den);
    }
    if (strcmp(mode, "oob") == 0) {
        volatile uintptr_t far = 0xfffffff0u;
        printf("%d\n", *(volatile int *)far);
    }
    if (strcmp(mode, "deep") == 0) {
        volatile int depth = 0;
        printf("%d\n", recurse(&depth));
    }
    fprintf(stderr, "exit: unknown mode %s\n", mode);
    return 2;
}
