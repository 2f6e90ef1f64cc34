/*
 * env.c - what the guest gets of its command line and environment: prints
 * argc, each argv[i], then each environment entry in order, between
 * brackets so empty strings and spaces show.  run.sh compares the output
 * exactly: argv[0] is the module's base name, and the environment holds
 * the --env variables and nothing of the host's.
 */
#include <stdio.h>
#include <stdlib.h>

extern char **environ;

int main(int argc, char **argv)
{
    printf("argc=%d\n", argc);
    for (int i = 0; i < argc; i++) printf("argv[%d]=[%s]\n", i, argv[i]);
    int n = 0;
    for (char **e = environ; e && *e; e++, n++) printf("env[%d]=[%s]\n", n, *e);
    printf("nenv=%d\n", n);
    const char *secret = getenv("WG_TEST_SECRET");
    printf("getenv(WG_TEST_SECRET)=%s\n", secret ? secret : "(null)");
    return 0;
}
