/*
 * wasi.c - test plugin: a plugin that needs WASI (--wasi).
 *
 *   hello      prints "hello from wasi" on its stdout, outputs "done"
 *   read       outputs the contents of the file named by the input
 *   write      input "PATH=TEXT": writes TEXT to PATH, outputs "written"
 *   exit       exits with the code given as input (proc_exit)
 */
#include <stdio.h>

#include "wasmguard/pdk.h"

PDK_FN_AS("hello", wasi_hello)
{
    printf("hello from wasi\n");
    fflush(stdout);
    pdk_output_str("done");
    return 0;
}

PDK_FN_AS("read", wasi_read)
{
    char *path = pdk_input(NULL);
    if (!path) return pdk_error("out of memory");
    FILE *f = fopen(path, "rb");
    free(path);
    if (!f) return pdk_error("cannot open the file");
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    pdk_output(buf, n);
    return 0;
}

PDK_FN_AS("write", wasi_write)
{
    size_t len;
    char *in = pdk_input(&len);
    if (!in) return pdk_error("out of memory");
    char *eq = strchr(in, '=');
    if (!eq) {
        free(in);
        return pdk_error("write wants PATH=TEXT");
    }
    *eq = 0;
    FILE *f = fopen(in, "wb");
    if (!f) {
        free(in);
        return pdk_error("cannot create the file");
    }
    fputs(eq + 1, f);
    fclose(f);
    free(in);
    pdk_output_str("written");
    return 0;
}

PDK_FN_AS("exit", wasi_exit)
{
    char *in = pdk_input(NULL);
    int code = 0;
    for (const char *s = in; s && *s >= '0' && *s <= '9'; s++) code = code * 10 + (*s - '0');
    free(in);
    exit(code);
}
