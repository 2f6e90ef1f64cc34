/*
 * misc.c - the WASI functions that touch no file: args_get,
 * args_sizes_get, environ_get, environ_sizes_get, clock_res_get,
 * clock_time_get, random_get, proc_exit, proc_raise, sched_yield,
 * poll_oneoff, and the sock_* calls (no sockets are ever granted).
 */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>

#include "wasi/internal.h"

/* Writes a list of strings as args_get/environ_get do: an array of
   pointers at ptrs, the NUL-terminated strings packed at buf. */
static int put_strings(wasm_call *call, char **s, uint32_t n, size_t size, uint32_t ptrs,
                       uint32_t buf)
{
    uint8_t *p = wasi_mem(call, ptrs, (uint64_t)n * 4);
    uint8_t *b = wasi_mem(call, buf, size);
    if (!p || !b) return WASI_EFAULT;
    uint32_t at = buf;
    for (uint32_t i = 0; i < n; i++) {
        size_t len = strlen(s[i]) + 1;
        wasi_put_u32(p + 4 * i, at);
        memcpy(b + (at - buf), s[i], len);
        at += (uint32_t)len;
    }
    return WASI_ESUCCESS;
}

static int put_sizes(wasm_call *call, uint32_t n, size_t size, uint32_t count_ptr, uint32_t size_ptr)
{
    int e = wasi_store_u32(call, count_ptr, n);
    return e ? e : wasi_store_u32(call, size_ptr, (uint32_t)size);
}

static int args_get(wasi_ctx *ctx, wasm_call *call, const wasm_val *a)
{
    return put_strings(call, ctx->argv, ctx->argc, ctx->argv_size, (uint32_t)a[0], (uint32_t)a[1]);
}

static int args_sizes_get(wasi_ctx *ctx, wasm_call *call, const wasm_val *a)
{
    return put_sizes(call, ctx->argc, ctx->argv_size, (uint32_t)a[0], (uint32_t)a[1]);
}

static int environ_get(wasi_ctx *ctx, wasm_call *call, const wasm_val *a)
{
    return put_strings(call, ctx->env, ctx->nenv, ctx->env_size, (uint32_t)a[0], (uint32_t)a[1]);
}

static int environ_sizes_get(wasi_ctx *ctx, wasm_call *call, const wasm_val *a)
{
    return put_sizes(call, ctx->nenv, ctx->env_size, (uint32_t)a[0], (uint32_t)a[1]);
}

static bool host_clock(uint32_t id, clockid_t *out)
{
    switch (id) {
    case WASI_CLOCK_REALTIME: *out = CLOCK_REALTIME; return true;
    case WASI_CLOCK_MONOTONIC: *out = CLOCK_MONOTONIC; return true;
    case WASI_CLOCK_PROCESS_CPUTIME: *out = CLOCK_PROCESS_CPUTIME_ID; return true;
    case WASI_CLOCK_THREAD_CPUTIME: *out = CLOCK_THREAD_CPUTIME_ID; return true;
    default: return false;
    }
}

static uint64_t ns_of(const struct timespec *ts)
{
    return (uint64_t)ts->tv_sec * 1000000000ull + (uint64_t)ts->tv_nsec;
}

static int clock_res_get(wasi_ctx *ctx, wasm_call *call, const wasm_val *a)
{
    (void)ctx;
    clockid_t id;
    struct timespec ts;
    if (!host_clock((uint32_t)a[0], &id)) return WASI_EINVAL;
    if (clock_getres(id, &ts) != 0) return wasi_errno(errno);
    return wasi_store_u64(call, (uint32_t)a[1], ns_of(&ts));
}

static int clock_time_get(wasi_ctx *ctx, wasm_call *call, const wasm_val *a)
{
    (void)ctx;
    clockid_t id;
    struct timespec ts;
    if (!host_clock((uint32_t)a[0], &id)) return WASI_EINVAL;
    if (clock_gettime(id, &ts) != 0) return wasi_errno(errno);
    return wasi_store_u64(call, (uint32_t)a[2], ns_of(&ts));
}

static int random_get(wasi_ctx *ctx, wasm_call *call, const wasm_val *a)
{
    (void)ctx;
    uint32_t len = (uint32_t)a[1];
    uint8_t *p = wasi_mem(call, (uint32_t)a[0], len);
    if (!p) return WASI_EFAULT;
    while (len) {
        ssize_t got = getrandom(p, len, 0);
        if (got < 0) {
            if (errno == EINTR) continue;
            return wasi_errno(errno);
        }
        p += got;
        len -= (uint32_t)got;
    }
    return WASI_ESUCCESS;
}

static int proc_exit(wasi_ctx *ctx, wasm_call *call, const wasm_val *a)
{
    ctx->exited = true;
    ctx->exit_code = (int32_t)(uint32_t)a[0];
    return -(int)wasm_call_exit(call, ctx->exit_code);
}

static int proc_raise(wasi_ctx *ctx, wasm_call *call, const wasm_val *a)
{
    (void)ctx, (void)call, (void)a;
    return WASI_ENOSYS;
}

static int sched_yield_(wasi_ctx *ctx, wasm_call *call, const wasm_val *a)
{
    (void)ctx, (void)call, (void)a;
    sched_yield();
    return WASI_ESUCCESS;
}

/* No socket is ever granted, so every sock_* call is about a bad fd or
   a fd that is not a socket. */
static int sock_any(wasi_ctx *ctx, wasm_call *call, const wasm_val *a)
{
    (void)call;
    int e = WASI_EBADF;
    return wasi_fd_get(ctx, (uint32_t)a[0], &e) ? WASI_ENOTSOCK : e;
}

/* ---- poll_oneoff -------------------------------------------------------- */

#define POLL_MAX_SUBS 4096u
#define POLL_SLICE_MS 10

typedef struct poll_sub {
    uint64_t userdata;
    uint8_t type;
    uint16_t error;
    uint64_t deadline;  /* clock: monotonic ns */
    int host;           /* fd: host fd, or -1 when ready at once */
    uint64_t nbytes;
    bool ready;
} poll_sub;

static uint64_t now_ns(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return ns_of(&ts);
}

/* Reads one subscription; fd subscriptions on buffers are ready at once. */
static void read_sub(wasi_ctx *ctx, const uint8_t *in, poll_sub *s)
{
    *s = (poll_sub){.userdata = wasi_get_u64(in), .type = in[8], .host = -1};
    if (s->type == WASI_EVENT_CLOCK) {
        clockid_t id;
        uint64_t timeout = wasi_get_u64(in + 24);
        uint16_t flags = (uint16_t)(in[40] | in[41] << 8);
        if (!host_clock(wasi_get_u32(in + 16), &id)) {
            s->error = WASI_EINVAL;
            s->ready = true;
            return;
        }
        uint64_t now = now_ns(CLOCK_MONOTONIC);
        if (flags & WASI_SUBCLOCK_ABSTIME) {
            uint64_t cur = now_ns(id);
            timeout = timeout > cur ? timeout - cur : 0;
        }
        s->deadline = now + (timeout > UINT64_MAX - now ? UINT64_MAX - now : timeout);
        return;
    }
    if (s->type != WASI_EVENT_FD_READ && s->type != WASI_EVENT_FD_WRITE) {
        s->error = WASI_EINVAL;
        s->ready = true;
        return;
    }
    int e = WASI_EBADF;
    wasi_fd *f = wasi_fd_get(ctx, wasi_get_u32(in + 16), &e);
    if (!f || wasi_fd_check(f, WASI_RIGHT_POLL_FD_READWRITE)) {
        s->error = f ? WASI_ENOTCAPABLE : (uint16_t)e;
        s->ready = true;
    } else if (f->host >= 0) {
        s->host = f->host;
    } else {
        s->ready = true; /* captures take any write; a stdin buffer never blocks */
        if (f->stdin_buffer) s->nbytes = ctx->stdin_len - ctx->stdin_pos;
    }
}

static int poll_oneoff(wasi_ctx *ctx, wasm_call *call, const wasm_val *a)
{
    uint32_t n = (uint32_t)a[2];
    if (n == 0) return WASI_EINVAL;
    if (n > POLL_MAX_SUBS) return WASI_ENOTSUP;
    uint8_t *in = wasi_mem(call, (uint32_t)a[0], (uint64_t)n * WASI_SUBSCRIPTION_SIZE);
    uint8_t *out = wasi_mem(call, (uint32_t)a[1], (uint64_t)n * WASI_EVENT_SIZE);
    if (!in || !out || !wasi_mem(call, (uint32_t)a[3], 4)) return WASI_EFAULT;
    poll_sub *subs = calloc(n, sizeof *subs);
    struct pollfd *pfd = calloc(n, sizeof *pfd);
    if (!subs || !pfd) {
        free(subs);
        free(pfd);
        return WASI_ENOMEM;
    }
    uint32_t ready = 0;
    for (uint32_t i = 0; i < n; i++) {
        read_sub(ctx, in + (size_t)i * WASI_SUBSCRIPTION_SIZE, &subs[i]);
        pfd[i].fd = subs[i].host;
        pfd[i].events = subs[i].type == WASI_EVENT_FD_READ ? POLLIN : POLLOUT;
        ready += subs[i].ready;
    }
    int status = 0;
    for (;;) {
        uint64_t now = now_ns(CLOCK_MONOTONIC), next = UINT64_MAX;
        for (uint32_t i = 0; i < n; i++) {
            if (subs[i].type != WASI_EVENT_CLOCK || subs[i].ready) continue;
            if (subs[i].deadline <= now) subs[i].ready = true, ready++;
            else if (subs[i].deadline < next) next = subs[i].deadline;
        }
        int wait = ready ? 0 : POLL_SLICE_MS;
        if (!ready && next != UINT64_MAX && next - now < (uint64_t)POLL_SLICE_MS * 1000000)
            wait = (int)((next - now + 999999) / 1000000);
        int got = poll(pfd, n, wait);
        for (uint32_t i = 0; got > 0 && i < n; i++) {
            if (pfd[i].fd < 0 || !pfd[i].revents || subs[i].ready) continue;
            subs[i].ready = true;
            ready++;
        }
        if (ready) break;
        if (ctx->store && wasm_store_should_stop(ctx->store)) {
            status = -(int)wasm_call_fail(call, WASM_INTERRUPTED, "interrupted in poll_oneoff");
            break;
        }
    }
    uint32_t nev = 0;
    for (uint32_t i = 0; status == 0 && i < n; i++) {
        if (!subs[i].ready) continue;
        uint8_t *ev = out + (size_t)nev++ * WASI_EVENT_SIZE;
        memset(ev, 0, WASI_EVENT_SIZE);
        wasi_put_u64(ev, subs[i].userdata);
        wasi_put_u16(ev + 8, subs[i].error);
        ev[10] = subs[i].type;
        wasi_put_u64(ev + 16, subs[i].nbytes);
        if (pfd[i].revents & POLLHUP) wasi_put_u16(ev + 24, WASI_EVENT_FD_READWRITE_HANGUP);
    }
    free(subs);
    free(pfd);
    if (status) return status;
    return wasi_store_u32(call, (uint32_t)a[3], nev);
}

const wasi_func_def wasi_misc_funcs[] = {
    {"args_get", "ii", true, args_get},
    {"args_sizes_get", "ii", true, args_sizes_get},
    {"environ_get", "ii", true, environ_get},
    {"environ_sizes_get", "ii", true, environ_sizes_get},
    {"clock_res_get", "ii", true, clock_res_get},
    {"clock_time_get", "iIi", true, clock_time_get},
    {"random_get", "ii", true, random_get},
    {"proc_exit", "i", false, proc_exit},
    {"proc_raise", "i", true, proc_raise},
    {"sched_yield", "", true, sched_yield_},
    {"poll_oneoff", "iiii", true, poll_oneoff},
    {"sock_accept", "iii", true, sock_any},
    {"sock_recv", "iiiiii", true, sock_any},
    {"sock_send", "iiiii", true, sock_any},
    {"sock_shutdown", "ii", true, sock_any},
    {NULL, NULL, false, NULL},
};
