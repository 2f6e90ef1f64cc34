/*
 * cli.c - test plugin of type cli/v1 (helm_plugin_main).  The first of
 * its extraArgs picks what it does, the rest are that command's:
 *
 *   (none)        prints "hello from NAME" (HELM_PLUGIN_NAME)
 *   echo ARGS...  prints each argument between < and > on its own line;
 *                 output message {"data": "echoed N\n"}
 *   env           prints its whole environment, one variable a line
 *   fail MSG      fails with the error message MSG
 *   exit N        returns N without a message
 *   proc-exit N   exits with N through WASI's proc_exit
 *   trap          traps (unreachable)
 *   loop          never ends
 *   grow          allocates 1 MiB blocks until malloc fails, prints the
 *                 pages reached, then fails with "out of memory"
 *   badout        outputs text that is not JSON
 *   baddata       outputs {"data": 5}
 *   tmp           writes, reads back and lists /tmp/helm-test.txt
 *   tmp-trap      writes /tmp/helm-test.txt, then traps
 *   http URL      GETs URL, prints "STATUS BODY"
 *   var N         sets a var of N bytes, prints "var ok" (fails when refused)
 *   config KEY    prints the config value of KEY or "(unset)"
 *   stdin         copies stdin to stdout
 *   log           logs one message at each level
 *   learn URL     for --learn: reads the config key "wanted", GETs URL,
 *                 writes /tmp/learn.txt and sets a var of 100 bytes;
 *                 prints "learn: VALUE STATUS"
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helm_json.h"
#include "wasmguard/pdk.h"

extern char **environ;

static int32_t echo(char **args, size_t n)
{
    for (size_t i = 1; i < n; i++) printf("<%s>\n", args[i]);
    fflush(stdout);
    char msg[64];
    snprintf(msg, sizeof msg, "{\"data\":\"echoed %zu\\n\"}", n - 1);
    pdk_output_str(msg);
    return 0;
}

/* The blocks stay reachable, so the compiler cannot elide the mallocs. */
static void *volatile last_block;

static int32_t grow(void)
{
    size_t blocks = 0;
    for (;;) {
        char *p = malloc(1 << 20);
        if (!p) break;
        memset(p, 1, 1 << 20);
        memcpy(p, (const void *)&last_block, sizeof last_block);
        last_block = p;
        blocks++;
    }
    printf("pages %zu blocks %zu\n", __builtin_wasm_memory_size(0), blocks);
    fflush(stdout);
    return pdk_error("out of memory");
}

static int32_t tmp(bool then_trap)
{
    FILE *f = fopen("/tmp/helm-test.txt", "w");
    if (!f) return pdk_error("cannot create /tmp/helm-test.txt");
    fputs("written in the sandbox\n", f);
    fclose(f);
    if (then_trap) __builtin_trap();
    char line[64] = "";
    f = fopen("/tmp/helm-test.txt", "r");
    if (!f || !fgets(line, sizeof line, f)) return pdk_error("cannot read it back");
    fclose(f);
    printf("read: %s", line);
    DIR *d = opendir("/tmp");
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.') printf("entry: %s\n", e->d_name);
    if (d) closedir(d);
    return 0;
}

static int32_t http(const char *url)
{
    pdk_http_response r;
    if (!pdk_http(NULL, url, NULL, NULL, 0, &r)) return pdk_error("request failed");
    printf("%d %.*s\n", (int)r.status, (int)r.len, r.body);
    pdk_http_response_free(&r);
    return 0;
}

static int32_t learn(const char *url)
{
    char *v = pdk_config("wanted", NULL);
    pdk_http_response r;
    if (!pdk_http(NULL, url, NULL, NULL, 0, &r)) return pdk_error("request failed");
    FILE *f = fopen("/tmp/learn.txt", "w");
    if (!f) return pdk_error("cannot create /tmp/learn.txt");
    fputs("learned\n", f);
    fclose(f);
    char var[100] = {0};
    if (!pdk_var_set("v", var, sizeof var)) return pdk_error("var refused");
    printf("learn: %s %d\n", v ? v : "(unset)", (int)r.status);
    pdk_http_response_free(&r);
    free(v);
    return 0;
}

static int32_t run(char **args, size_t n)
{
    const char *cmd = n ? args[0] : "";
    const char *arg = n > 1 ? args[1] : "";
    if (!*cmd) {
        const char *name = getenv("HELM_PLUGIN_NAME");
        printf("hello from %s\n", name ? name : "(no HELM_PLUGIN_NAME)");
        return 0;
    }
    if (!strcmp(cmd, "echo")) return echo(args, n);
    if (!strcmp(cmd, "env")) {
        for (char **e = environ; *e; e++) printf("%s\n", *e);
        return 0;
    }
    if (!strcmp(cmd, "fail")) return pdk_error(arg);
    if (!strcmp(cmd, "exit")) return atoi(arg);
    if (!strcmp(cmd, "proc-exit")) exit(atoi(arg));
    if (!strcmp(cmd, "trap")) __builtin_trap();
    if (!strcmp(cmd, "loop")) {
        for (volatile unsigned i = 0;; i++) {}
    }
    if (!strcmp(cmd, "grow")) return grow();
    if (!strcmp(cmd, "badout")) return pdk_output_str("this is not JSON"), 0;
    if (!strcmp(cmd, "baddata")) return pdk_output_str("{\"data\":5}"), 0;
    if (!strcmp(cmd, "tmp")) return tmp(false);
    if (!strcmp(cmd, "tmp-trap")) return tmp(true);
    if (!strcmp(cmd, "http")) return http(arg);
    if (!strcmp(cmd, "learn")) return learn(arg);
    if (!strcmp(cmd, "var")) {
        size_t len = (size_t)atol(arg);
        char *v = calloc(len + 1, 1);
        if (!v) return pdk_error("out of memory");
        bool ok = pdk_var_set("big", v, len);
        free(v);
        if (!ok) return pdk_error("var refused");
        printf("var ok\n");
        return 0;
    }
    if (!strcmp(cmd, "config")) {
        char *v = pdk_config(arg, NULL);
        printf("%s\n", v ? v : "(unset)");
        free(v);
        return 0;
    }
    if (!strcmp(cmd, "stdin")) {
        int c;
        while ((c = getchar()) != EOF) putchar(c);
        return 0;
    }
    if (!strcmp(cmd, "log")) {
        pdk_log(PDK_LOG_DEBUG, "a debug message");
        pdk_log(PDK_LOG_INFO, "an info message");
        pdk_log(PDK_LOG_WARN, "a warning");
        pdk_log(PDK_LOG_ERROR, "an error");
        return 0;
    }
    return pdk_error("unknown command");
}

PDK_FN(helm_plugin_main)
{
    char *in = pdk_input(NULL);
    if (!in) return pdk_error("no input");
    size_t n = 0;
    char **args = jh_strings(jh_find(in, "extraArgs"), &n);
    int32_t rc = run(args, n);
    fflush(stdout);
    return rc;
}
