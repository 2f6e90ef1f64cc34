/*
 * test_wasi.c - src/wasi as an embedder sees it: stdin from a buffer,
 * captured stdout and stderr (with their cap), closed stdio, explicit
 * environment only, exit codes, the temp dir's lifecycle, bad links.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "test.h"
#include "util.h"
#include "wasi/wasi.h"

typedef struct wasi_run {
    wasi_ctx *ctx;
    wasm_status status;
    int32_t code;
    wasm_error err;
} wasi_run;

/* Runs wasi_io.wat with cfg; the context stays for inspection. */
static void run_io(const wasi_config *cfg, wasi_run *r)
{
    memset(r, 0, sizeof *r);
    r->status = WASM_HOST_ERROR;
    wasm_module *m = unit_module("wasi_io");
    if (!CHECK(m)) return;
    r->ctx = wasi_ctx_new(cfg, &r->err);
    wasm_store *s = wasm_store_new(NULL);
    wasm_extern imports[8];
    if (CHECK(r->ctx) && CHECK(wasm_module_import_count(m) <= 8) &&
        CHECK_OK(wasi_link(r->ctx, s, m, imports, &r->err), r->err)) {
        wasm_instance *inst = wasm_instance_new(s, m, imports, wasm_module_import_count(m), &r->err);
        if (CHECK(inst)) r->status = wasi_run_start(r->ctx, inst, &r->code, &r->err);
    }
    wasm_store_free(s);
    wasm_module_free(m);
}

static bool captured_is(const wasi_ctx *ctx, int fd, const char *want)
{
    size_t len;
    const uint8_t *p = wasi_captured(ctx, fd, &len);
    return len == strlen(want) && (len == 0 || memcmp(p, want, len) == 0);
}

TEST(test_wasi_capture_and_stdin_buffer)
{
    const char *in = "hello through the sandbox\n";
    const char *env[] = {"A=1", "B=2"};
    wasi_config cfg = {.env = env, .nenv = 2, .stdin_mode = WASI_STDIO_BUFFER,
                       .stdin_data = (const uint8_t *)in, .stdin_len = strlen(in),
                       .stdout_mode = WASI_STDIO_CAPTURE, .stderr_mode = WASI_STDIO_CAPTURE};
    wasi_run r;
    run_io(&cfg, &r);
    CHECK_OK(r.status, r.err);
    CHECK_EQ(r.code, 2); /* exactly the two variables given */
    CHECK(captured_is(r.ctx, 1, in));
    CHECK(captured_is(r.ctx, 2, "err"));
    wasi_ctx_free(r.ctx);
}

TEST(test_wasi_capture_is_capped)
{
    static char big[10000];
    memset(big, 'x', sizeof big);
    wasi_config cfg = {.stdin_mode = WASI_STDIO_BUFFER, .stdin_data = (const uint8_t *)big,
                       .stdin_len = sizeof big, .stdout_mode = WASI_STDIO_CAPTURE,
                       .capture_max = 100};
    wasi_run r;
    run_io(&cfg, &r);
    CHECK_OK(r.status, r.err);
    size_t len;
    wasi_captured(r.ctx, 1, &len);
    CHECK_EQ(len, 100);
    wasi_ctx_free(r.ctx);
}

TEST(test_wasi_closed_stdio_and_empty_environment)
{
    wasi_config cfg = {0}; /* all stdio closed, no env: reads fail with EBADF */
    setenv("WASMGUARD_UNIT_SECRET", "hunter2", 1);
    wasi_run r;
    run_io(&cfg, &r);
    CHECK_OK(r.status, r.err);
    CHECK_EQ(r.code, 0); /* the host's variables never reach the guest */
    CHECK(captured_is(r.ctx, 1, ""));
    wasi_ctx_free(r.ctx);
}

TEST(test_wasi_tmp_dir_removed_on_free)
{
    wasm_error err = {0};
    wasi_config cfg = {.tmp_dir = true};
    wasi_ctx *ctx = wasi_ctx_new(&cfg, &err);
    REQUIRE(ctx);
    char path[4096];
    snprintf(path, sizeof path, "%s", wasi_tmp_dir(ctx));
    struct stat st;
    CHECK(stat(path, &st) == 0 && S_ISDIR(st.st_mode));
    /* what a guest could leave: a read-only directory holding a file */
    char sub[4200], file[4300];
    snprintf(sub, sizeof sub, "%s/ro", path);
    snprintf(file, sizeof file, "%s/f", sub);
    CHECK(mkdir(sub, 0700) == 0);
    FILE *f = fopen(file, "w");
    if (CHECK(f)) fclose(f);
    CHECK(chmod(sub, 0500) == 0);
    wasi_ctx_free(ctx);
    CHECK(stat(path, &st) != 0);
}

TEST(test_wasi_preopen_must_be_a_directory)
{
    wasm_error err = {0};
    wasi_preopen p = {"/nonexistent/wasmguard", "/data", false};
    wasi_config cfg = {.preopens = &p, .npreopens = 1};
    CHECK(wasi_ctx_new(&cfg, &err) == NULL);
    CHECK_HAS(err.message, "/nonexistent/wasmguard");
}
