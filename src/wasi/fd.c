/*
 * fd.c - the fd_* functions of wasi_snapshot_preview1 (witx
 * phases/snapshot/witx/wasi_snapshot_preview1.witx): fd_advise,
 * fd_allocate, fd_close, fd_datasync, fd_fdstat_get, fd_fdstat_set_flags,
 * fd_fdstat_set_rights, fd_filestat_get, fd_filestat_set_size,
 * fd_filestat_set_times, fd_pread, fd_prestat_get, fd_prestat_dir_name,
 * fd_pwrite, fd_read, fd_readdir, fd_renumber, fd_seek, fd_sync, fd_tell,
 * fd_write.
 *
 * Every call looks its fd up (EBADF), checks the rights it needs
 * (ENOTCAPABLE; a read-only fd never writes, truncates, allocates or sets
 * times), then checks every guest range it will touch (EFAULT), and only
 * then acts on the host: a call that fails on its arguments has no effect.
 *
 * Streams are the stdio slots: a capture buffer, the stdin buffer (host
 * fd -1) or the host's own fd 0-2 when inherited (ctx.c keeps those
 * numbers, wherever fd_renumber moves them).  They are never seekable
 * (ESPIPE, before the rights check), truncated, synced, advised or
 * re-timed, and their filestat holds only the filetype: a guest learns
 * nothing of the host's terminal or log file but whether it is one.
 *
 * A host call cut short by a signal is retried unless the store is to
 * stop; then the guest gets EINTR and the engine ends the run.
 *
 * Choices where the spec leaves room:
 *  - One read or write moves at most FD_IO_MAX bytes (a short count, as
 *    POSIX allows) and takes at most FD_IOVS_MAX iovecs (more is EINVAL,
 *    like readv past IOV_MAX).  Zero-length iovecs are skipped unchecked:
 *    they touch no memory.
 *  - Writes to a captured stdout/stderr always report every byte written;
 *    bytes past capture_max are dropped (wasi.h), so a chatty guest is cut
 *    off, not failed.
 *  - fd_readdir cookies are indexes into the listing (0 is the start).
 *    The stream remembers where it stands, so paging forward never
 *    rereads; a cookie behind it rewinds and skips.
 *  - fd_allocate uses fallocate(2) where there is one, never glibc's
 *    emulation that writes every block, so its cost stays bounded.
 *  - fd_fdstat_set_flags never changes the flags of the host's own stdio
 *    (they are shared with the host process): ENOTSUP.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "wasi/internal.h"

/* Bytes one read or write moves at most: bounds the host work of a call. */
#define FD_IO_MAX (16u << 20)
/* iovecs one call may pass (Linux's IOV_MAX). */
#define FD_IOVS_MAX 1024u

static inline uint32_t arg32(const wasm_val *a, int i) { return (uint32_t)a[i]; }
static inline uint64_t arg64(const wasm_val *a, int i) { return (uint64_t)a[i]; }
static inline size_t min_size(size_t a, size_t b) { return a < b ? a : b; }

/* The fd of args[0] with all of `rights`, or NULL and *err. */
static wasi_fd *lookup(wasi_ctx *ctx, const wasm_val *args, uint64_t rights, int *err)
{
    wasi_fd *f = wasi_fd_get(ctx, arg32(args, 0), err);
    if (!f) return NULL;
    *err = wasi_fd_check(f, rights);
    return *err ? NULL : f;
}

/* Stdio in any mode (see the header comment). */
static bool is_stream(const wasi_fd *f) { return f->host <= STDERR_FILENO; }

/* ---- iovecs ------------------------------------------------------------- */

typedef struct iov_list {
    struct iovec v[FD_IOVS_MAX];
    int n;
    size_t total;   /* bytes in v, at most FD_IO_MAX */
} iov_list;

/* Checks a guest iovec array and every buffer in it; keeps the first
   FD_IO_MAX bytes as host iovecs pointing into linear memory. */
static int iovs_load(wasm_call *call, uint32_t iovs, uint32_t count, iov_list *l)
{
    l->n = 0;
    l->total = 0;
    if (count > FD_IOVS_MAX) return WASI_EINVAL;
    if (count == 0) return WASI_ESUCCESS;
    const uint8_t *arr = wasi_mem(call, iovs, (uint64_t)count * WASI_IOVEC_SIZE);
    if (!arr) return WASI_EFAULT;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t ptr = wasi_get_u32(arr + (size_t)i * WASI_IOVEC_SIZE);
        uint32_t len = wasi_get_u32(arr + (size_t)i * WASI_IOVEC_SIZE + 4);
        if (len == 0) continue;
        uint8_t *p = wasi_mem(call, ptr, len);
        if (!p) return WASI_EFAULT;
        size_t take = min_size(len, FD_IO_MAX - l->total);
        if (take == 0) continue;   /* past the cap: checked, not used */
        l->v[l->n++] = (struct iovec){.iov_base = p, .iov_len = take};
        l->total += take;
    }
    return WASI_ESUCCESS;
}

/* A host call interrupted by a signal is retried, unless the store is to
   stop (interrupt, deadline): then the guest gets EINTR and the engine
   stops it at its next check. */
static bool retry(const wasi_ctx *ctx)
{
    return errno == EINTR && !(ctx->store && wasm_store_should_stop(ctx->store));
}

/* How long one wait for a pipe or terminal lasts before the store is
   asked again whether to stop: the bound on how late a timeout or a
   cancel ends a guest that waits for input nobody sends. */
#define WAIT_SLICE_MS 20

/* Whether I/O on f at its position may wait indefinitely: a pipe, a
   terminal, a socket (not a file, and not asked to be non-blocking). */
static bool may_block(const wasi_fd *f, int64_t off)
{
    return off < 0 && f->filetype != WASI_FILETYPE_REGULAR_FILE &&
           !(f->fdflags & WASI_FDFLAG_NONBLOCK);
}

/* Waits until fd is ready for events, a slice at a time, so that a
   guest blocked on it still ends at its deadline or on a cancel (a
   blocking read(2) would sleep through both).  false when the store is
   to stop; readiness, a hang-up or a poll error return true and let the
   I/O call report. */
static bool wait_ready(const wasi_ctx *ctx, int fd, short events)
{
    if (!ctx->store) return true;
    for (;;) {
        struct pollfd p = {.fd = fd, .events = events};
        int r = poll(&p, 1, WAIT_SLICE_MS);
        if (r > 0 || (r < 0 && errno != EINTR)) return true;
        if (wasm_store_should_stop(ctx->store)) return false;
    }
}

/* What do_read and do_write return when the store is to stop while they
   wait; the fd_* function then ends the guest's call, as poll_oneoff
   does, instead of handing it an errno it could retry forever. */
#define FD_STOPPED (-1)

static int io_result(wasm_call *call, int err, const char *fn)
{
    if (err != FD_STOPPED) return err;
    return -(int)wasm_call_fail(call, WASM_INTERRUPTED, "interrupted in %s", fn);
}

/* Reads into l: at the current position when off < 0, else at off. */
static int host_read(const wasi_ctx *ctx, int fd, const iov_list *l, int64_t off, size_t *n)
{
    ssize_t r;
    do r = off < 0 ? readv(fd, l->v, l->n) : preadv(fd, l->v, l->n, off);
    while (r < 0 && retry(ctx));
    if (r < 0) return wasi_errno(errno);
    *n = (size_t)r;
    return WASI_ESUCCESS;
}

static int host_write(const wasi_ctx *ctx, int fd, const iov_list *l, int64_t off, size_t *n)
{
    ssize_t r;
    do r = off < 0 ? writev(fd, l->v, l->n) : pwritev(fd, l->v, l->n, off);
    while (r < 0 && retry(ctx));
    if (r < 0) return wasi_errno(errno);
    *n = (size_t)r;
    return WASI_ESUCCESS;
}

static size_t stdin_read(wasi_ctx *ctx, const iov_list *l)
{
    size_t done = 0;
    for (int i = 0; i < l->n && ctx->stdin_pos < ctx->stdin_len; i++) {
        size_t k = min_size(l->v[i].iov_len, ctx->stdin_len - ctx->stdin_pos);
        memcpy(l->v[i].iov_base, ctx->stdin_data + ctx->stdin_pos, k);
        ctx->stdin_pos += k;
        done += k;
    }
    return done;
}

static int capture_write(wasi_buffer *b, const iov_list *l, size_t *n)
{
    *n = 0;
    for (int i = 0; i < l->n; i++) {
        int e = wasi_buffer_append(b, l->v[i].iov_base, l->v[i].iov_len);
        if (e) return *n ? WASI_ESUCCESS : e;   /* a short write, or the error */
        *n += l->v[i].iov_len;
    }
    return WASI_ESUCCESS;
}

/* The read behind fd_read and fd_pread (off >= 0). */
static int do_read(wasi_ctx *ctx, wasi_fd *f, const iov_list *l, int64_t off, size_t *n)
{
    *n = 0;
    if (f->stdin_buffer) {
        *n = stdin_read(ctx, l);
        return WASI_ESUCCESS;
    }
    if (f->host < 0) return WASI_EBADF;
    /* what read(2) says, whatever position the host fd holds */
    if (f->filetype == WASI_FILETYPE_DIRECTORY) return WASI_EISDIR;
    if (l->n == 0) return WASI_ESUCCESS;
    if (may_block(f, off) && !wait_ready(ctx, f->host, POLLIN)) return FD_STOPPED;
    return host_read(ctx, f->host, l, off, n);
}

static int do_write(const wasi_ctx *ctx, wasi_fd *f, const iov_list *l, int64_t off, size_t *n)
{
    *n = 0;
    if (f->readonly) return WASI_ENOTCAPABLE;
    if (f->capture) return capture_write(f->capture, l, n);
    if (f->host < 0) return WASI_EBADF;
    if (l->n == 0) return WASI_ESUCCESS;
    if (may_block(f, off) && !wait_ready(ctx, f->host, POLLOUT)) return FD_STOPPED;
    return host_write(ctx, f->host, l, off, n);
}

/* ---- read, write -------------------------------------------------------- */

/* The four reads and writes: fd_read/fd_write(fd, iovs, iovs_len,
   n_ptr) at the fd's position; fd_pread/fd_pwrite(fd, iovs, iovs_len,
   offset, n_ptr) at an offset, which also needs the seek right and a
   file that is not a stream. */
static int fd_io(wasi_ctx *ctx, wasm_call *call, const wasm_val *args, bool write,
                 bool positioned, const char *name)
{
    int err;
    uint64_t right = write ? WASI_RIGHT_FD_WRITE : WASI_RIGHT_FD_READ;
    wasi_fd *f;
    int64_t off = -1;
    if (positioned) {
        if (!(f = wasi_fd_get(ctx, arg32(args, 0), &err))) return err;
        if (is_stream(f)) return WASI_ESPIPE;
        if ((err = wasi_fd_check(f, right | WASI_RIGHT_FD_SEEK))) return err;
    } else if (!(f = lookup(ctx, args, right, &err))) {
        return err;
    }
    if (write && f->readonly) return WASI_ENOTCAPABLE;
    if (positioned) {
        uint64_t at = arg64(args, 3);
        if (at > INT64_MAX) return WASI_EINVAL;
        off = (int64_t)at;
    }
    uint8_t *out = wasi_mem(call, arg32(args, positioned ? 4 : 3), 4);
    if (!out) return WASI_EFAULT;
    iov_list l;
    if ((err = iovs_load(call, arg32(args, 1), arg32(args, 2), &l))) return err;
    size_t n;
    err = write ? do_write(ctx, f, &l, off, &n) : do_read(ctx, f, &l, off, &n);
    if (err) return io_result(call, err, name);
    wasi_put_u32(out, (uint32_t)n);
    return WASI_ESUCCESS;
}

static int fd_read(wasi_ctx *ctx, wasm_call *call, const wasm_val *args)
{
    return fd_io(ctx, call, args, false, false, "fd_read");
}

static int fd_write(wasi_ctx *ctx, wasm_call *call, const wasm_val *args)
{
    return fd_io(ctx, call, args, true, false, "fd_write");
}

static int fd_pread(wasi_ctx *ctx, wasm_call *call, const wasm_val *args)
{
    return fd_io(ctx, call, args, false, true, "fd_pread");
}

static int fd_pwrite(wasi_ctx *ctx, wasm_call *call, const wasm_val *args)
{
    return fd_io(ctx, call, args, true, true, "fd_pwrite");
}

/* ---- position ----------------------------------------------------------- */

/* The right to tell: fd_tell's own, or fd_seek's, which implies it. */
static int check_tell(const wasi_fd *f)
{
    if (wasi_fd_check(f, WASI_RIGHT_FD_TELL) == 0) return WASI_ESUCCESS;
    return wasi_fd_check(f, WASI_RIGHT_FD_SEEK);
}

/* fd_seek(fd, offset (s64), whence, newoffset_ptr).  A seek by 0 from the
   current position is a tell and needs only that right. */
static int fd_seek(wasi_ctx *ctx, wasm_call *call, const wasm_val *args)
{
    int err;
    wasi_fd *f = wasi_fd_get(ctx, arg32(args, 0), &err);
    if (!f) return err;
    if (is_stream(f)) return WASI_ESPIPE;
    int64_t off = (int64_t)arg64(args, 1);
    uint32_t whence = arg32(args, 2);
    int how;
    switch (whence) {
    case WASI_WHENCE_SET: how = SEEK_SET; break;
    case WASI_WHENCE_CUR: how = SEEK_CUR; break;
    case WASI_WHENCE_END: how = SEEK_END; break;
    default: return WASI_EINVAL;
    }
    err = off == 0 && how == SEEK_CUR ? check_tell(f) : wasi_fd_check(f, WASI_RIGHT_FD_SEEK);
    if (err) return err;
    uint8_t *out = wasi_mem(call, arg32(args, 3), 8);
    if (!out) return WASI_EFAULT;
    off_t pos = lseek(f->host, (off_t)off, how);
    if (pos < 0) return wasi_errno(errno);
    wasi_put_u64(out, (uint64_t)pos);
    return WASI_ESUCCESS;
}

/* fd_tell(fd, offset_ptr) */
static int fd_tell(wasi_ctx *ctx, wasm_call *call, const wasm_val *args)
{
    int err;
    wasi_fd *f = wasi_fd_get(ctx, arg32(args, 0), &err);
    if (!f) return err;
    if (is_stream(f)) return WASI_ESPIPE;
    if ((err = check_tell(f))) return err;
    uint8_t *out = wasi_mem(call, arg32(args, 1), 8);
    if (!out) return WASI_EFAULT;
    off_t pos = lseek(f->host, 0, SEEK_CUR);
    if (pos < 0) return wasi_errno(errno);
    wasi_put_u64(out, (uint64_t)pos);
    return WASI_ESUCCESS;
}

/* ---- fdstat ------------------------------------------------------------- */

/* The filetype a guest sees.  The host's own stdio reports what it really
   is (a terminal, or a pipe or file as UNKNOWN / REGULAR_FILE) so the
   guest's isatty and buffering choices match the host's. */
static uint8_t filetype(const wasi_fd *f)
{
    struct stat st;
    if (f->host >= 0 && f->host <= STDERR_FILENO && fstat(f->host, &st) == 0)
        return wasi_filetype_of(st.st_mode);
    return f->filetype;
}

/* The fdflags of a host fd; RSYNC cannot be told from SYNC on Linux, so it
   comes from what the fd was opened with. */
static uint16_t host_fdflags(const wasi_fd *f)
{
    int fl = f->host >= 0 ? fcntl(f->host, F_GETFL) : -1;
    if (fl < 0) return f->fdflags;
    uint16_t flags = f->fdflags & WASI_FDFLAG_RSYNC;
    if (fl & O_APPEND) flags |= WASI_FDFLAG_APPEND;
    if (fl & O_NONBLOCK) flags |= WASI_FDFLAG_NONBLOCK;
    if ((fl & O_SYNC) == O_SYNC) flags |= WASI_FDFLAG_SYNC;
    else if (fl & O_DSYNC) flags |= WASI_FDFLAG_DSYNC;
    return flags;
}

/* fd_fdstat_get(fd, buf): needs no right. */
static int fd_fdstat_get(wasi_ctx *ctx, wasm_call *call, const wasm_val *args)
{
    int err;
    wasi_fd *f = wasi_fd_get(ctx, arg32(args, 0), &err);
    if (!f) return err;
    uint8_t *p = wasi_mem(call, arg32(args, 1), WASI_FDSTAT_SIZE);
    if (!p) return WASI_EFAULT;
    memset(p, 0, WASI_FDSTAT_SIZE);
    p[0] = filetype(f);
    wasi_put_u16(p + 2, host_fdflags(f));
    wasi_put_u64(p + 8, f->rights);
    wasi_put_u64(p + 16, f->inheriting);
    return WASI_ESUCCESS;
}

/* fd_fdstat_set_flags(fd, flags): APPEND and NONBLOCK change.  The sync
   flags are fixed at open: left out they stay (as F_SETFL ignores them),
   asking for others is ENOTSUP. */
static int fd_fdstat_set_flags(wasi_ctx *ctx, wasm_call *call, const wasm_val *args)
{
    (void)call;
    int err;
    wasi_fd *f = lookup(ctx, args, WASI_RIGHT_FD_FDSTAT_SET_FLAGS, &err);
    if (!f) return err;
    const uint32_t mutable = WASI_FDFLAG_APPEND | WASI_FDFLAG_NONBLOCK;
    const uint32_t sync = WASI_FDFLAG_DSYNC | WASI_FDFLAG_RSYNC | WASI_FDFLAG_SYNC;
    uint32_t flags = arg32(args, 1);
    if (flags & ~(mutable | sync)) return WASI_EINVAL;
    uint16_t now = host_fdflags(f);
    if ((flags & sync) && (flags & sync) != (now & sync)) return WASI_ENOTSUP;
    if (f->host >= 0 && (flags & mutable) != (now & mutable)) {
        if (is_stream(f)) return WASI_ENOTSUP;   /* the host process's own stdio */
        int fl = fcntl(f->host, F_GETFL);
        if (fl < 0) return wasi_errno(errno);
        fl &= ~(O_APPEND | O_NONBLOCK);
        if (flags & WASI_FDFLAG_APPEND) fl |= O_APPEND;
        if (flags & WASI_FDFLAG_NONBLOCK) fl |= O_NONBLOCK;
        if (fcntl(f->host, F_SETFL, fl) < 0) return wasi_errno(errno);
    }
    f->fdflags = (uint16_t)((flags & mutable) | (now & sync));
    return WASI_ESUCCESS;
}

/* fd_fdstat_set_rights(fd, base, inheriting): rights can only be dropped. */
static int fd_fdstat_set_rights(wasi_ctx *ctx, wasm_call *call, const wasm_val *args)
{
    (void)call;
    int err;
    wasi_fd *f = wasi_fd_get(ctx, arg32(args, 0), &err);
    if (!f) return err;
    uint64_t base = arg64(args, 1), inheriting = arg64(args, 2);
    if ((base & ~f->rights) || (inheriting & ~f->inheriting)) return WASI_ENOTCAPABLE;
    f->rights = base;
    f->inheriting = inheriting;
    return WASI_ESUCCESS;
}

/* ---- filestat ----------------------------------------------------------- */

/* fd_filestat_get(fd, buf) */
static int fd_filestat_get(wasi_ctx *ctx, wasm_call *call, const wasm_val *args)
{
    int err;
    wasi_fd *f = lookup(ctx, args, WASI_RIGHT_FD_FILESTAT_GET, &err);
    if (!f) return err;
    uint8_t *p = wasi_mem(call, arg32(args, 1), WASI_FILESTAT_SIZE);
    if (!p) return WASI_EFAULT;
    if (is_stream(f)) {
        memset(p, 0, WASI_FILESTAT_SIZE);
        p[16] = filetype(f);
        return WASI_ESUCCESS;
    }
    struct stat st;
    if (fstat(f->host, &st) < 0) return wasi_errno(errno);
    wasi_filestat_write(p, &st);
    return WASI_ESUCCESS;
}

/* fd_filestat_set_size(fd, size) */
static int fd_filestat_set_size(wasi_ctx *ctx, wasm_call *call, const wasm_val *args)
{
    (void)call;
    int err;
    wasi_fd *f = lookup(ctx, args, WASI_RIGHT_FD_FILESTAT_SET_SIZE, &err);
    if (!f) return err;
    if (f->readonly) return WASI_ENOTCAPABLE;
    if (is_stream(f)) return WASI_EINVAL;
    uint64_t size = arg64(args, 1);
    if (size > INT64_MAX) return WASI_EFBIG;
    if (ftruncate(f->host, (off_t)size) < 0) return wasi_errno(errno);
    return WASI_ESUCCESS;
}

/* One timestamp of futimens from the fstflags bits that name it. */
static int timespec_of(uint32_t flags, uint32_t set, uint32_t now, uint64_t ns,
                       struct timespec *ts)
{
    if ((flags & set) && (flags & now)) return WASI_EINVAL;
    if (flags & now) *ts = (struct timespec){.tv_sec = 0, .tv_nsec = UTIME_NOW};
    else if (flags & set)
        *ts = (struct timespec){.tv_sec = (time_t)(ns / 1000000000u),
                                .tv_nsec = (long)(ns % 1000000000u)};
    else *ts = (struct timespec){.tv_sec = 0, .tv_nsec = UTIME_OMIT};
    return WASI_ESUCCESS;
}

/* fd_filestat_set_times(fd, atim, mtim, fstflags) */
static int fd_filestat_set_times(wasi_ctx *ctx, wasm_call *call, const wasm_val *args)
{
    (void)call;
    int err;
    wasi_fd *f = lookup(ctx, args, WASI_RIGHT_FD_FILESTAT_SET_TIMES, &err);
    if (!f) return err;
    if (f->readonly) return WASI_ENOTCAPABLE;
    uint32_t flags = arg32(args, 3);
    if (flags & ~(uint32_t)(WASI_FSTFLAG_ATIM | WASI_FSTFLAG_ATIM_NOW | WASI_FSTFLAG_MTIM |
                            WASI_FSTFLAG_MTIM_NOW))
        return WASI_EINVAL;
    struct timespec ts[2];
    if ((err = timespec_of(flags, WASI_FSTFLAG_ATIM, WASI_FSTFLAG_ATIM_NOW, arg64(args, 1), &ts[0])))
        return err;
    if ((err = timespec_of(flags, WASI_FSTFLAG_MTIM, WASI_FSTFLAG_MTIM_NOW, arg64(args, 2), &ts[1])))
        return err;
    if (is_stream(f)) return WASI_ENOTSUP;
    if (futimens(f->host, ts) < 0) return wasi_errno(errno);
    return WASI_ESUCCESS;
}

/* ---- advice, allocation, sync ------------------------------------------- */

/* fd_advise(fd, offset, len, advice) */
static int fd_advise(wasi_ctx *ctx, wasm_call *call, const wasm_val *args)
{
    (void)call;
    static const int advice[] = {POSIX_FADV_NORMAL,   POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
                                 POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED,   POSIX_FADV_NOREUSE};
    int err;
    wasi_fd *f = lookup(ctx, args, WASI_RIGHT_FD_ADVISE, &err);
    if (!f) return err;
    uint64_t off = arg64(args, 1), len = arg64(args, 2);
    uint32_t adv = arg32(args, 3);
    if (off > INT64_MAX || len > INT64_MAX || adv >= sizeof advice / sizeof *advice)
        return WASI_EINVAL;
    if (is_stream(f)) return WASI_ESPIPE;
    return wasi_errno(posix_fadvise(f->host, (off_t)off, (off_t)len, advice[adv]));
}

/* Reserves [off, off+len) without writing it: 0 or a host errno. */
static int host_allocate(int fd, off_t off, off_t len)
{
#ifdef __linux__
    return fallocate(fd, 0, off, len) < 0 ? errno : 0;
#else
    return posix_fallocate(fd, off, len);   /* returns the errno */
#endif
}

/* fd_allocate(fd, offset, len) */
static int fd_allocate(wasi_ctx *ctx, wasm_call *call, const wasm_val *args)
{
    (void)call;
    int err;
    wasi_fd *f = lookup(ctx, args, WASI_RIGHT_FD_ALLOCATE, &err);
    if (!f) return err;
    if (f->readonly) return WASI_ENOTCAPABLE;
    uint64_t off = arg64(args, 1), len = arg64(args, 2);
    if (off > INT64_MAX || len > INT64_MAX - off) return WASI_EFBIG;
    if (is_stream(f)) return WASI_ESPIPE;
    return wasi_errno(host_allocate(f->host, (off_t)off, (off_t)len));
}

/* fd_datasync(fd) */
static int fd_datasync(wasi_ctx *ctx, wasm_call *call, const wasm_val *args)
{
    (void)call;
    int err;
    wasi_fd *f = lookup(ctx, args, WASI_RIGHT_FD_DATASYNC, &err);
    if (!f) return err;
    if (is_stream(f)) return WASI_EINVAL;
    return fdatasync(f->host) < 0 ? wasi_errno(errno) : WASI_ESUCCESS;
}

/* fd_sync(fd) */
static int fd_sync(wasi_ctx *ctx, wasm_call *call, const wasm_val *args)
{
    (void)call;
    int err;
    wasi_fd *f = lookup(ctx, args, WASI_RIGHT_FD_SYNC, &err);
    if (!f) return err;
    if (is_stream(f)) return WASI_EINVAL;
    return fsync(f->host) < 0 ? wasi_errno(errno) : WASI_ESUCCESS;
}

/* ---- preopens, close, renumber ------------------------------------------ */

/* The guest path of a preopened fd, or NULL and *err (EBADF). */
static const char *preopen_name(wasi_ctx *ctx, uint32_t fd, int *err)
{
    wasi_fd *f = wasi_fd_get(ctx, fd, err);
    if (!f) return NULL;
    if (f->preopen < 0 || (uint32_t)f->preopen >= ctx->npreopens) {
        *err = WASI_EBADF;
        return NULL;
    }
    return ctx->preopens[f->preopen].guest_path;
}

/* fd_prestat_get(fd, buf): tag 0 (a directory) and the name's length. */
static int fd_prestat_get(wasi_ctx *ctx, wasm_call *call, const wasm_val *args)
{
    int err;
    const char *name = preopen_name(ctx, arg32(args, 0), &err);
    if (!name) return err;
    uint8_t *p = wasi_mem(call, arg32(args, 1), WASI_PRESTAT_SIZE);
    if (!p) return WASI_EFAULT;
    memset(p, 0, WASI_PRESTAT_SIZE);
    p[0] = WASI_PREOPEN_DIR;
    wasi_put_u32(p + 4, (uint32_t)strlen(name));
    return WASI_ESUCCESS;
}

/* fd_prestat_dir_name(fd, path, path_len): the name without a NUL; a
   buffer shorter than the name is EINVAL. */
static int fd_prestat_dir_name(wasi_ctx *ctx, wasm_call *call, const wasm_val *args)
{
    int err;
    const char *name = preopen_name(ctx, arg32(args, 0), &err);
    if (!name) return err;
    size_t len = strlen(name);
    if (arg32(args, 2) < len) return WASI_EINVAL;
    uint8_t *p = wasi_mem(call, arg32(args, 1), len);
    if (!p) return WASI_EFAULT;
    memcpy(p, name, len);
    return WASI_ESUCCESS;
}

/* fd_close(fd): a preopen may be closed too; it is then gone. */
static int fd_close(wasi_ctx *ctx, wasm_call *call, const wasm_val *args)
{
    (void)call;
    int err;
    wasi_fd *f = wasi_fd_get(ctx, arg32(args, 0), &err);
    if (!f) return err;
    wasi_fd_release(f);
    return WASI_ESUCCESS;
}

/* fd_renumber(from, to): both open; `to` is closed and becomes `from`. */
static int fd_renumber(wasi_ctx *ctx, wasm_call *call, const wasm_val *args)
{
    (void)call;
    int err;
    wasi_fd *from = wasi_fd_get(ctx, arg32(args, 0), &err);
    if (!from) return err;
    wasi_fd *to = wasi_fd_get(ctx, arg32(args, 1), &err);
    if (!to) return err;
    if (from == to) return WASI_ESUCCESS;
    wasi_fd moved = *from;
    wasi_fd_release(to);
    *to = moved;
    /* the host fd and the directory stream now belong to `to` */
    from->host = -1;
    from->dir = NULL;
    wasi_fd_release(from);
    return WASI_ESUCCESS;
}

/* ---- readdir ------------------------------------------------------------ */

/* The directory stream of f, made at the first fd_readdir (and closed by
   wasi_fd_release).  It reads its own open of "." beneath the fd, so a
   fd_seek on the fd cannot move it (a dup would share the offset); a dup
   is the fallback when "." cannot be opened. */
static DIR *dir_stream(wasi_fd *f, int *err)
{
    if (f->dir) return f->dir;
    int fd = openat(f->host, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) fd = fcntl(f->host, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
    if (fd < 0) {
        *err = wasi_errno(errno);
        return NULL;
    }
    DIR *d = fdopendir(fd);
    if (!d) {
        *err = wasi_errno(errno);
        close(fd);
        return NULL;
    }
    f->dir = d;
    f->dir_next = 0;
    return d;
}

static uint8_t dirent_type(DIR *d, const struct dirent *de)
{
    switch (de->d_type) {
    case DT_REG: return WASI_FILETYPE_REGULAR_FILE;
    case DT_DIR: return WASI_FILETYPE_DIRECTORY;
    case DT_LNK: return WASI_FILETYPE_SYMBOLIC_LINK;
    case DT_CHR: return WASI_FILETYPE_CHARACTER_DEVICE;
    case DT_BLK: return WASI_FILETYPE_BLOCK_DEVICE;
    case DT_SOCK: return WASI_FILETYPE_SOCKET_STREAM;
    case DT_UNKNOWN: break;
    default: return WASI_FILETYPE_UNKNOWN;
    }
    /* "." and ".." are directories; ".." is not stat'ed: it may be the
       parent of a preopen, outside the grant. */
    if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) return WASI_FILETYPE_DIRECTORY;
    struct stat st;
    if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) return WASI_FILETYPE_UNKNOWN;
    return wasi_filetype_of(st.st_mode);
}

/* Writes one dirent (header, then the name) into dst, cut at room bytes;
   returns the bytes written. */
static size_t dirent_put(uint8_t *dst, size_t room, DIR *d, const struct dirent *de,
                         uint64_t next)
{
    uint8_t h[WASI_DIRENT_SIZE] = {0};
    size_t namlen = strlen(de->d_name);
    wasi_put_u64(h, next);
    wasi_put_u64(h + 8, (uint64_t)de->d_ino);
    wasi_put_u32(h + 16, (uint32_t)namlen);
    h[20] = dirent_type(d, de);
    size_t k = min_size(room, WASI_DIRENT_SIZE);
    memcpy(dst, h, k);
    if (room > WASI_DIRENT_SIZE) memcpy(dst + k, de->d_name, min_size(room - k, namlen));
    return min_size(room, WASI_DIRENT_SIZE + namlen);
}

/* Puts the stream at entry `cookie`, or at its end when there are fewer:
   from where the last call left it when that is not past the cookie (a
   guest paging through a listing costs O(entries), not O(entries^2)),
   else from the start. */
static int dir_seek(wasi_fd *f, DIR *d, uint64_t cookie)
{
    if (cookie < f->dir_next || f->dir_next == UINT64_MAX) {
        rewinddir(d);
        f->dir_next = 0;
    }
    while (f->dir_next < cookie) {
        errno = 0;
        if (!readdir(d)) {
            if (!errno) return WASI_ESUCCESS;   /* at the end, dir_next the count */
            f->dir_next = UINT64_MAX;           /* unknown: rewind next time */
            return wasi_errno(errno);
        }
        f->dir_next++;
    }
    return WASI_ESUCCESS;
}

/* Emits entries from the stream's position until buf is full or the
   listing ends; *used is the bytes written.  An entry cut short is read
   again by the next call (whose cookie names it), so the stream goes back
   to its start. */
static int dir_fill(wasi_fd *f, DIR *d, uint8_t *buf, size_t buf_len, size_t *used)
{
    *used = 0;
    while (*used < buf_len) {
        long pos = telldir(d);
        errno = 0;
        struct dirent *de = readdir(d);
        if (!de) {
            if (errno) {
                f->dir_next = UINT64_MAX;
                return wasi_errno(errno);
            }
            return WASI_ESUCCESS;   /* the end: dir_next stays the count */
        }
        size_t room = buf_len - *used;
        size_t n = dirent_put(buf + *used, room, d, de, f->dir_next + 1);
        *used += n;
        if (n < WASI_DIRENT_SIZE + strlen(de->d_name)) {
            if (pos >= 0) seekdir(d, pos);
            else f->dir_next = UINT64_MAX;
            return WASI_ESUCCESS;
        }
        f->dir_next++;
    }
    return WASI_ESUCCESS;
}

/* fd_readdir(fd, buf, buf_len, cookie, bufused_ptr): entries from index
   `cookie` on, until buf is full (the last one cut short: the guest sees
   bufused == buf_len and asks again with a bigger buffer). */
static int fd_readdir(wasi_ctx *ctx, wasm_call *call, const wasm_val *args)
{
    int err;
    wasi_fd *f = lookup(ctx, args, WASI_RIGHT_FD_READDIR, &err);
    if (!f) return err;
    if (is_stream(f) || f->filetype != WASI_FILETYPE_DIRECTORY) return WASI_ENOTDIR;
    uint32_t buf_len = arg32(args, 2);
    uint64_t cookie = arg64(args, 3);
    uint8_t *buf = buf_len ? wasi_mem(call, arg32(args, 1), buf_len) : NULL;
    uint8_t *used_out = wasi_mem(call, arg32(args, 4), 4);
    if ((buf_len && !buf) || !used_out) return WASI_EFAULT;
    DIR *d = dir_stream(f, &err);
    if (!d) return err;
    size_t used = 0;
    if (buf_len) {
        if ((err = dir_seek(f, d, cookie))) return err;
        if (f->dir_next == cookie && (err = dir_fill(f, d, buf, buf_len, &used))) return err;
    }
    wasi_put_u32(used_out, (uint32_t)used);
    return WASI_ESUCCESS;
}

const wasi_func_def wasi_fd_funcs[] = {
    {"fd_advise", "iIIi", true, fd_advise},
    {"fd_allocate", "iII", true, fd_allocate},
    {"fd_close", "i", true, fd_close},
    {"fd_datasync", "i", true, fd_datasync},
    {"fd_fdstat_get", "ii", true, fd_fdstat_get},
    {"fd_fdstat_set_flags", "ii", true, fd_fdstat_set_flags},
    {"fd_fdstat_set_rights", "iII", true, fd_fdstat_set_rights},
    {"fd_filestat_get", "ii", true, fd_filestat_get},
    {"fd_filestat_set_size", "iI", true, fd_filestat_set_size},
    {"fd_filestat_set_times", "iIIi", true, fd_filestat_set_times},
    {"fd_pread", "iiiIi", true, fd_pread},
    {"fd_prestat_get", "ii", true, fd_prestat_get},
    {"fd_prestat_dir_name", "iii", true, fd_prestat_dir_name},
    {"fd_pwrite", "iiiIi", true, fd_pwrite},
    {"fd_read", "iiii", true, fd_read},
    {"fd_readdir", "iiiIi", true, fd_readdir},
    {"fd_renumber", "ii", true, fd_renumber},
    {"fd_seek", "iIii", true, fd_seek},
    {"fd_sync", "i", true, fd_sync},
    {"fd_tell", "ii", true, fd_tell},
    {"fd_write", "iiii", true, fd_write},
    {NULL, NULL, false, NULL},
};
