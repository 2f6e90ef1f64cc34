/*
 * wasi.h - WASI preview1 (`wasi_snapshot_preview1`) over capabilities.
 *
 * A wasi_ctx is what one guest may see of the host: its args, the
 * environment variables the embedder lists (nothing else), its stdio (each
 * closed, passed through, or captured), and the directories it was
 * granted.  Paths resolve beneath a granted directory or not at all.  A
 * per-run temp directory can be mounted at guest /tmp; it is removed when
 * the context is freed, however the run ended.
 *
 * Depends on src/wasm only.  One context serves one store at a time.
 */
#ifndef WASI_WASI_H
#define WASI_WASI_H

#include "wasm/wasm.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum wasi_stdio_mode {
    WASI_STDIO_CLOSED = 0,  /* the fd exists but every call on it is EBADF */
    WASI_STDIO_INHERIT,     /* the host's own fd 0, 1 or 2 */
    WASI_STDIO_CAPTURE,     /* stdout/stderr: kept in a buffer (capture_max) */
    WASI_STDIO_BUFFER,      /* stdin: read from stdin_data */
} wasi_stdio_mode;

typedef struct wasi_preopen {
    const char *host_path;  /* an existing directory on the host */
    const char *guest_path; /* what the guest sees, e.g. "/data" */
    bool readonly;          /* refuse every write, create, rename, unlink */
} wasi_preopen;

/* Called for every decision about a path the guest asks for: what it
   did, the guest path, whether it was allowed, and the rule that decided
   ("preopen /data (ro)", "outside every preopen", ...). */
typedef void (*wasi_audit_fn)(void *user, const char *op, const char *path, bool allowed,
                              const char *rule);

typedef struct wasi_config {
    const char *const *argv;  /* argv[0] is the program name */
    uint32_t argc;
    const char *const *env;   /* "KEY=VALUE" strings; the host's are never added */
    uint32_t nenv;
    const wasi_preopen *preopens;
    uint32_t npreopens;
    wasi_stdio_mode stdin_mode, stdout_mode, stderr_mode;
    const uint8_t *stdin_data; /* WASI_STDIO_BUFFER */
    size_t stdin_len;
    size_t capture_max;       /* per captured stream; more is dropped (0: 1 MiB) */
    bool tmp_dir;             /* a fresh host temp dir mounted read-write at /tmp */
    wasi_audit_fn audit;
    void *audit_user;
} wasi_config;

typedef struct wasi_ctx wasi_ctx;

/* Opens the preopens and creates the temp dir.  NULL and err on failure
   (a preopen that is not a directory, an unwritable $TMPDIR, ...). */
wasi_ctx *wasi_ctx_new(const wasi_config *cfg, wasm_error *err);
/* Closes every fd and removes the temp dir with all the guest left in it. */
void wasi_ctx_free(wasi_ctx *ctx);

/* Fills imports[i] for every import of module "wasi_snapshot_preview1"
   (functions created in store); other imports are left as they are.  An
   unknown WASI name or a wrong signature fails with WASM_UNLINKABLE. */
wasm_status wasi_link(wasi_ctx *ctx, wasm_store *store, const wasm_module *module,
                      wasm_extern *imports, wasm_error *err);

/* Runs a command's `_start`.  A proc_exit ends it with WASM_OK and sets
   *exit_code; returning from _start is exit code 0.  Traps and limits
   come back as their status. */
wasm_status wasi_run_start(wasi_ctx *ctx, wasm_instance *inst, int32_t *exit_code,
                           wasm_error *err);

/* Bytes captured from fd 1 or 2. */
const uint8_t *wasi_captured(const wasi_ctx *ctx, int fd, size_t *len);
/* The host path of the temp dir, or NULL. */
const char *wasi_tmp_dir(const wasi_ctx *ctx);
/* True when the guest used the temp dir: a path function was allowed
   beneath /tmp (open, create, stat, list, ...), or the dir is not empty
   now.  False without a temp dir.  For learning what a guest needs. */
bool wasi_tmp_dir_used(const wasi_ctx *ctx);
/* True once the guest called proc_exit; *code is its code. */
bool wasi_exited(const wasi_ctx *ctx, int32_t *code);

#ifdef __cplusplus
}
#endif
#endif
