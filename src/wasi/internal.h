/*
 * internal.h - what the files of src/wasi share (internal).
 *
 * Each WASI function is written as a wasi_impl: it gets the context, the
 * call (for guest memory) and its arguments as cells, and returns a WASI
 * errno.  bind.c wraps them into host functions: the errno becomes the
 * i32 result.  A guest pointer is never used before wasi_mem() has
 * checked the whole range against linear memory (EFAULT otherwise).
 */
#ifndef WASI_INTERNAL_H
#define WASI_INTERNAL_H

#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "wasi/abi.h"
#include "wasi/wasi.h"

typedef struct wasi_buffer {
    uint8_t *data;
    size_t len, cap, max;     /* max: the capture cap; beyond it bytes are dropped */
} wasi_buffer;

typedef struct wasi_fd {
    bool used;
    uint8_t filetype;         /* WASI_FILETYPE_* */
    int host;                 /* host fd, -1 for captured, buffered or closed stdio */
    uint64_t rights, inheriting;
    uint16_t fdflags;
    bool readonly;            /* opened under a read-only preopen */
    bool closed_stdio;        /* a stdio slot the embedder closed: EBADF */
    int preopen;              /* index into ctx->preopens, or -1 */
    wasi_buffer *capture;     /* fd 1/2 in WASI_STDIO_CAPTURE */
    bool stdin_buffer;        /* fd 0 in WASI_STDIO_BUFFER */
    void *dir;                /* fd_readdir state (DIR *), opened lazily */
    uint64_t dir_next;        /* fd.c: the fd_readdir index the DIR stands at */
} wasi_fd;

typedef struct wasi_preopen_rt {
    char *host_path, *guest_path;
    bool readonly;
} wasi_preopen_rt;

struct wasi_ctx {
    wasi_fd *fds;
    uint32_t nfds;
    char **argv;
    uint32_t argc;
    size_t argv_size;         /* bytes of all args with their NULs */
    char **env;
    uint32_t nenv;
    size_t env_size;
    wasi_preopen_rt *preopens;
    uint32_t npreopens;
    wasi_buffer out, err;     /* captures of fd 1 and 2 */
    const uint8_t *stdin_data;
    size_t stdin_len, stdin_pos;
    char *tmp_dir;            /* host path of the per-run temp dir */
    int tmp_preopen;          /* its index in preopens, or -1 */
    bool tmp_touched;         /* a path function was allowed beneath it */
    bool exited;
    int32_t exit_code;
    wasm_store *store;        /* for poll_oneoff: interrupts and deadlines */
    wasi_audit_fn audit;
    void *audit_user;
    struct wasi_binding *bindings; /* bind.c: the user pointers of the host functions */
    uint32_t nbindings;
};

/* A WASI function: returns a WASI errno (>= 0), or -(wasm_status) after
   it ended the guest call through wasm_call_exit or wasm_call_fail. */
typedef int (*wasi_impl)(wasi_ctx *ctx, wasm_call *call, const wasm_val *args);

typedef struct wasi_func_def {
    const char *name;
    const char *params;       /* one letter a param: i (i32) or I (i64) */
    bool has_result;          /* the i32 errno; false only for proc_exit */
    wasi_impl impl;
} wasi_func_def;

/* Guest memory: a pointer to [ptr, ptr+len) or NULL when any of it is
   outside linear memory (or there is no memory). */
static inline uint8_t *wasi_mem(wasm_call *call, uint32_t ptr, uint64_t len)
{
    return wasm_memory_at(wasm_call_memory(call), ptr, len);
}
static inline void wasi_put_u16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static inline void wasi_put_u32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static inline void wasi_put_u64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }
static inline uint32_t wasi_get_u32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline uint64_t wasi_get_u64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
/* Writes a u32 / u64 result to a guest pointer; EFAULT when outside. */
int wasi_store_u32(wasm_call *call, uint32_t ptr, uint32_t v);
int wasi_store_u64(wasm_call *call, uint32_t ptr, uint64_t v);

/* ctx.c */
/* The open fd, or NULL (then *err is EBADF). */
wasi_fd *wasi_fd_get(wasi_ctx *ctx, uint32_t fd, int *err);
/* Checks rights: 0, or ENOTCAPABLE. */
int wasi_fd_check(const wasi_fd *f, uint64_t rights);
/* A free slot for a new fd; -1 when the table is full (EMFILE). */
int wasi_fd_alloc(wasi_ctx *ctx);
void wasi_fd_release(wasi_fd *f);
void wasi_audit(wasi_ctx *ctx, const char *op, const char *path, bool allowed, const char *rule);
int wasi_buffer_append(wasi_buffer *b, const uint8_t *data, size_t len);

/* errno.c: a host errno as a WASI errno. */
int wasi_errno(int host_errno);

/* tmpdir.c */
char *wasi_tmpdir_create(wasm_error *err);
/* Removes a tree without following symlinks; true when it is all gone. */
bool wasi_tree_remove(const char *path);

/* resolve.c */
/* Writes a filestat (WASI_FILESTAT_SIZE bytes) from a host stat. */
void wasi_filestat_write(uint8_t *out, const struct stat *st);
/* The WASI filetype of a host st_mode. */
uint8_t wasi_filetype_of(mode_t mode);

/* The function tables, one per file (NULL-terminated). */
extern const wasi_func_def wasi_misc_funcs[];  /* misc.c: args, environ, clocks, random, proc, sched, poll, sock */
extern const wasi_func_def wasi_fd_funcs[];    /* fd.c: fd_* */
extern const wasi_func_def wasi_path_funcs[];  /* path.c: path_* */

#endif
