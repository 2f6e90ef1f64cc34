/*
 * main.c - the unit-test runner: runs every registered test (or those
 * whose names contain one of the command-line arguments), prints a FAIL
 * line per failed check and ends with "unit: N passed, N failed".
 *
 * Each test runs in a child process, so a crash, a sanitizer report or a
 * leak (LeakSanitizer checks at the child's exit) fails that test only,
 * and a test still running after UNIT_TEST_SECONDS is killed and failed:
 * a broken engine shows up in `make check` as failures, not as a run
 * without a summary.  UNIT_NOFORK=1 runs the tests in-process (for a
 * debugger); UNIT_VERBOSE=1 prints every test with its time.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"
#include "util.h"

#define UNIT_MAX_TESTS 512
#define UNIT_TEST_SECONDS 60
/* A child's exit status when checks failed; anything else but 0 is a crash. */
#define UNIT_EXIT_FAILED 100

typedef struct unit_test {
    const char *name;
    test_fn fn;
} unit_test;

static unit_test tests[UNIT_MAX_TESTS];
static int ntests;
static const char *current = "(none)";
static int current_failures;
static volatile sig_atomic_t passed, failed;

void test_register(const char *name, test_fn fn)
{
    if (ntests == UNIT_MAX_TESTS) {
        fprintf(stderr, "unit: more than %d tests; raise UNIT_MAX_TESTS\n", UNIT_MAX_TESTS);
        exit(2);
    }
    tests[ntests].name = name;
    tests[ntests].fn = fn;
    ntests++;
}

const char *test_current(void) { return current; }

static void vreport(const char *file, int line, const char *fmt, va_list ap)
{
    printf("FAIL %s: %s:%d: ", current, file, line);
    vprintf(fmt, ap);
    putchar('\n');
    fflush(stdout);
    current_failures++;
}

bool test_check(bool ok, const char *file, int line, const char *fmt, ...)
{
    if (ok) return true;
    va_list ap;
    va_start(ap, fmt);
    vreport(file, line, fmt, ap);
    va_end(ap);
    return false;
}

bool test_check_i64(const char *file, int line, const char *a, const char *b,
                    int64_t va, int64_t vb)
{
    return test_check(va == vb, file, line, "%s == %s: %lld != %lld", a, b,
                      (long long)va, (long long)vb);
}

bool test_check_u64(const char *file, int line, const char *a, const char *b,
                    uint64_t va, uint64_t vb)
{
    return test_check(va == vb, file, line, "%s == %s: 0x%llx != 0x%llx", a, b,
                      (unsigned long long)va, (unsigned long long)vb);
}

bool test_check_status(const char *file, int line, const char *what,
                       wasm_status got, wasm_status want, const char *message)
{
    return test_check(got == want, file, line, "%s: got %s, want %s (message: \"%s\")",
                      what, wasm_status_name(got), wasm_status_name(want),
                      message ? message : "");
}

bool test_check_has(const char *file, int line, const char *what,
                    const char *haystack, const char *needle)
{
    return test_check(haystack && strstr(haystack, needle), file, line,
                      "%s: \"%s\" does not contain \"%s\"", what,
                      haystack ? haystack : "(null)", needle);
}

static void summary(void)
{
    printf("unit: %d passed, %d failed\n", (int)passed, (int)failed);
    fflush(stdout);
}

static void on_alarm(int sig)
{
    (void)sig;
    /* In-process only: the test is stuck inside the engine. */
    printf("FAIL %s: still running after %d s (hung?)\n", current, UNIT_TEST_SECONDS);
    failed++;
    summary();
    _exit(1);
}

/* Runs the current test in this process; returns whether it passed. */
static bool run_here(test_fn fn)
{
    current_failures = 0;
    signal(SIGALRM, on_alarm);
    alarm(UNIT_TEST_SECONDS);
    fn();
    alarm(0);
    return current_failures == 0;
}

/* Runs the current test in a child; returns whether it passed. */
static bool run_forked(test_fn fn)
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) return run_here(fn);
    if (pid == 0) {
        signal(SIGALRM, SIG_DFL);
        alarm(UNIT_TEST_SECONDS);
        current_failures = 0;
        fn();
        fflush(stdout);
        exit(current_failures ? UNIT_EXIT_FAILED : 0);  /* exit: leak checks run */
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {}
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return true;
    if (WIFEXITED(status) && WEXITSTATUS(status) == UNIT_EXIT_FAILED) return false;
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
        printf("FAIL %s: still running after %d s (hung?)\n", current, UNIT_TEST_SECONDS);
    else if (WIFSIGNALED(status))
        printf("FAIL %s: crashed with signal %d\n", current, WTERMSIG(status));
    else
        printf("FAIL %s: exited with %d (a sanitizer report above?)\n", current,
               WEXITSTATUS(status));
    return false;
}

static bool selected(const char *name, int argc, char **argv)
{
    if (argc < 2) return true;
    for (int i = 1; i < argc; i++)
        if (strstr(name, argv[i])) return true;
    return false;
}

int main(int argc, char **argv)
{
    bool verbose = getenv("UNIT_VERBOSE") != NULL;
    bool fork_tests = getenv("UNIT_NOFORK") == NULL;
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (int i = 0; i < ntests; i++) {
        if (!selected(tests[i].name, argc, argv)) continue;
        current = tests[i].name;
        double t0 = unit_now_ms();
        bool ok = fork_tests ? run_forked(tests[i].fn) : run_here(tests[i].fn);
        if (verbose)
            printf("%s %s (%.1f ms)\n", ok ? "ok  " : "FAIL", current, unit_now_ms() - t0);
        if (ok) passed++; else failed++;
    }
    current = "(none)";
    summary();
    return failed ? 1 : 0;
}
