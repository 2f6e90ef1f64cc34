/*
 * ctx.c - the capability table of one guest: its fds (stdio, preopened
 * directories, what it opens), args, environment, captures, temp dir.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi/internal.h"

/* The guest may hold this many fds at once; past it path_open is EMFILE. */
#define WASI_MAX_FDS 1024u
#define WASI_DEFAULT_CAPTURE (1u << 20)

static char **copy_strings(const char *const *src, uint32_t n, size_t *size)
{
    char **dst = calloc(n + 1, sizeof *dst);
    if (!dst) return NULL;
    *size = 0;
    for (uint32_t i = 0; i < n; i++) {
        dst[i] = strdup(src[i] ? src[i] : "");
        if (!dst[i]) return dst; /* caller sees the NULL and fails */
        *size += strlen(dst[i]) + 1;
    }
    return dst;
}

static void free_strings(char **s, uint32_t n)
{
    if (!s) return;
    for (uint32_t i = 0; i < n; i++) free(s[i]);
    free(s);
}

static bool strings_ok(char **s, uint32_t n)
{
    if (!s) return false;
    for (uint32_t i = 0; i < n; i++)
        if (!s[i]) return false;
    return true;
}

static void setup_stdio(wasi_ctx *ctx, int fd, wasi_stdio_mode mode)
{
    wasi_fd *f = &ctx->fds[fd];
    *f = (wasi_fd){.used = true, .filetype = WASI_FILETYPE_CHARACTER_DEVICE, .host = -1,
                   .preopen = -1};
    f->rights = fd == 0 ? WASI_RIGHT_FD_READ | WASI_RIGHT_POLL_FD_READWRITE
                        : WASI_RIGHT_FD_WRITE | WASI_RIGHT_POLL_FD_READWRITE;
    f->rights |= WASI_RIGHT_FD_FILESTAT_GET | WASI_RIGHT_FD_FDSTAT_SET_FLAGS;
    switch (mode) {
    case WASI_STDIO_CLOSED: f->closed_stdio = true; break;
    case WASI_STDIO_INHERIT: f->host = fd; break;
    case WASI_STDIO_CAPTURE: if (fd > 0) f->capture = fd == 1 ? &ctx->out : &ctx->err; break;
    case WASI_STDIO_BUFFER: if (fd == 0) f->stdin_buffer = true; break;
    }
}

/* Opens one granted directory as the next fd. */
static bool add_preopen(wasi_ctx *ctx, const char *host, const char *guest, bool readonly,
                        wasm_error *err)
{
    wasi_preopen_rt *p = &ctx->preopens[ctx->npreopens];
    p->host_path = strdup(host);
    p->guest_path = strdup(guest && *guest ? guest : host);
    p->readonly = readonly;
    if (!p->host_path || !p->guest_path) {
        free(p->host_path);
        free(p->guest_path);
        wasm_error_set(err, WASM_NOMEM, "out of memory");
        return false;
    }
    ctx->npreopens++;
    int hfd = open(host, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (hfd >= 0 && hfd <= 2) {
        /* the host had closed a stdio fd: keep 0-2 for stdio (see path_open) */
        int moved = fcntl(hfd, F_DUPFD_CLOEXEC, 3);
        close(hfd);
        hfd = moved;
    }
    if (hfd < 0) {
        wasm_error_set(err, WASM_HOST_ERROR, "cannot grant directory %s: %s", host,
                       strerror(errno));
        return false;
    }
    int fd = wasi_fd_alloc(ctx);
    if (fd < 0) {
        close(hfd);
        wasm_error_set(err, WASM_LIMIT, "too many preopened directories");
        return false;
    }
    wasi_fd *f = &ctx->fds[fd];
    *f = (wasi_fd){.used = true, .filetype = WASI_FILETYPE_DIRECTORY, .host = hfd,
                   .readonly = readonly, .preopen = (int)ctx->npreopens - 1};
    f->rights = f->inheriting = readonly ? WASI_RIGHTS_READONLY : WASI_RIGHTS_ALL;
    return true;
}

wasi_ctx *wasi_ctx_new(const wasi_config *cfg, wasm_error *err)
{
    wasi_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx) goto nomem;
    ctx->tmp_preopen = -1;
    ctx->nfds = WASI_MAX_FDS;
    ctx->fds = calloc(ctx->nfds, sizeof *ctx->fds);
    /* one more for the temp dir */
    ctx->preopens = calloc(cfg->npreopens + 1, sizeof *ctx->preopens);
    ctx->argc = cfg->argc;
    ctx->argv = copy_strings(cfg->argv, cfg->argc, &ctx->argv_size);
    ctx->nenv = cfg->nenv;
    ctx->env = copy_strings(cfg->env, cfg->nenv, &ctx->env_size);
    if (!ctx->fds || !ctx->preopens || !strings_ok(ctx->argv, ctx->argc) ||
        !strings_ok(ctx->env, ctx->nenv))
        goto nomem;
    for (uint32_t i = 0; i < cfg->nenv; i++) {
        if (!strchr(ctx->env[i], '=')) {
            wasm_error_set(err, WASM_BAD_ARGUMENT, "environment entry \"%s\" has no '='",
                           ctx->env[i]);
            goto fail;
        }
    }
    size_t cap = cfg->capture_max ? cfg->capture_max : WASI_DEFAULT_CAPTURE;
    ctx->out.max = ctx->err.max = cap;
    ctx->stdin_data = cfg->stdin_data;
    ctx->stdin_len = cfg->stdin_len;
    ctx->audit = cfg->audit;
    ctx->audit_user = cfg->audit_user;
    for (int fd = 0; fd < 3; fd++) ctx->fds[fd].host = -1;
    setup_stdio(ctx, 0, cfg->stdin_mode);
    setup_stdio(ctx, 1, cfg->stdout_mode);
    setup_stdio(ctx, 2, cfg->stderr_mode);
    for (uint32_t i = 0; i < cfg->npreopens; i++) {
        const wasi_preopen *p = &cfg->preopens[i];
        if (!p->host_path) {
            wasm_error_set(err, WASM_BAD_ARGUMENT, "preopen %u has no host path", i);
            goto fail;
        }
        if (!add_preopen(ctx, p->host_path, p->guest_path, p->readonly, err)) goto fail;
    }
    if (cfg->tmp_dir) {
        ctx->tmp_dir = wasi_tmpdir_create(err);
        if (!ctx->tmp_dir) goto fail;
        if (!add_preopen(ctx, ctx->tmp_dir, "/tmp", false, err)) goto fail;
        ctx->tmp_preopen = (int)ctx->npreopens - 1;
    }
    return ctx;
nomem:
    wasm_error_set(err, WASM_NOMEM, "out of memory creating the WASI context");
fail:
    wasi_ctx_free(ctx);
    return NULL;
}

void wasi_ctx_free(wasi_ctx *ctx)
{
    if (!ctx) return;
    if (ctx->fds)
        for (uint32_t i = 0; i < ctx->nfds; i++)
            if (ctx->fds[i].used) wasi_fd_release(&ctx->fds[i]);
    if (ctx->tmp_dir) {
        wasi_tree_remove(ctx->tmp_dir);
        free(ctx->tmp_dir);
    }
    if (ctx->preopens)
        for (uint32_t i = 0; i < ctx->npreopens; i++) {
            free(ctx->preopens[i].host_path);
            free(ctx->preopens[i].guest_path);
        }
    free(ctx->preopens);
    free(ctx->fds);
    free_strings(ctx->argv, ctx->argc);
    free_strings(ctx->env, ctx->nenv);
    free(ctx->bindings);
    free(ctx->out.data);
    free(ctx->err.data);
    free(ctx);
}

wasi_fd *wasi_fd_get(wasi_ctx *ctx, uint32_t fd, int *err)
{
    if (fd >= ctx->nfds || !ctx->fds[fd].used || ctx->fds[fd].closed_stdio) {
        *err = WASI_EBADF;
        return NULL;
    }
    return &ctx->fds[fd];
}

int wasi_fd_check(const wasi_fd *f, uint64_t rights)
{
    return (f->rights & rights) == rights ? WASI_ESUCCESS : WASI_ENOTCAPABLE;
}

int wasi_fd_alloc(wasi_ctx *ctx)
{
    for (uint32_t i = 3; i < ctx->nfds; i++)
        if (!ctx->fds[i].used) {
            ctx->fds[i] = (wasi_fd){.host = -1, .preopen = -1};
            return (int)i;
        }
    return -1;
}

void wasi_fd_release(wasi_fd *f)
{
    if (f->dir) closedir((DIR *)f->dir);
    /* stdio slots hold the host's own 0, 1, 2: never close those */
    if (f->host > 2) close(f->host);
    *f = (wasi_fd){.host = -1, .preopen = -1};
}

void wasi_audit(wasi_ctx *ctx, const char *op, const char *path, bool allowed, const char *rule)
{
    if (ctx->audit) ctx->audit(ctx->audit_user, op, path, allowed, rule);
}

int wasi_buffer_append(wasi_buffer *b, const uint8_t *data, size_t len)
{
    if (b->len + len > b->max) len = b->max > b->len ? b->max - b->len : 0;
    if (!len) return WASI_ESUCCESS;
    if (b->len + len > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + len) cap *= 2;
        uint8_t *p = realloc(b->data, cap);
        if (!p) return WASI_ENOMEM;
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    return WASI_ESUCCESS;
}

const uint8_t *wasi_captured(const wasi_ctx *ctx, int fd, size_t *len)
{
    const wasi_buffer *b = fd == 1 ? &ctx->out : fd == 2 ? &ctx->err : NULL;
    *len = b ? b->len : 0;
    return b ? b->data : NULL;
}

const char *wasi_tmp_dir(const wasi_ctx *ctx) { return ctx->tmp_dir; }

bool wasi_tmp_dir_used(const wasi_ctx *ctx)
{
    if (!ctx || !ctx->tmp_dir) return false;
    if (ctx->tmp_touched) return true;
    /* Something may have reached it another way (an fd of the preopen
       itself): anything left in it counts. */
    DIR *d = opendir(ctx->tmp_dir);
    bool used = false;
    struct dirent *e;
    while (d && !used && (e = readdir(d)))
        used = strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    if (d) closedir(d);
    return used;
}

bool wasi_exited(const wasi_ctx *ctx, int32_t *code)
{
    if (ctx->exited && code) *code = ctx->exit_code;
    return ctx->exited;
}
