/*
 * path.c - the path_* functions of wasi_snapshot_preview1:
 * path_create_directory, path_filestat_get, path_filestat_set_times,
 * path_link, path_open, path_readlink, path_remove_directory,
 * path_rename, path_symlink, path_unlink_file.
 *
 * Each names a directory fd and a path in it.  The checks run in one
 * order: the fd (EBADF, ENOTDIR), guest memory (EFAULT), the path bytes
 * (resolve.c), a read-only grant (ENOTCAPABLE for anything that writes,
 * creates, renames or removes), the fd's rights (ENOTCAPABLE), then
 * resolution beneath the fd, where an escape is ENOTCAPABLE.  Every path
 * the guest names is audited once: refused (with the rule that refused
 * it) or allowed (with the preopen that allowed it).
 *
 * Operations on a name (mkdir, rmdir, unlink, rename, link, symlink)
 * resolve the parent directory and act on (parent fd, last component)
 * without following it.  Stat, set-times and readlink open the path
 * itself with O_PATH (O_NOFOLLOW unless the guest asked to follow) and
 * act on that fd; that needs no special case for "." and "..".
 *
 * Deviations: path_open refuses anything but regular files and
 * directories (devices, FIFOs, sockets: ENOTSUP), so a guest never
 * blocks on a FIFO or wakes a device.  A read-only grant refuses a
 * path_open that asks for FD_WRITE even where the rights would only have
 * been narrowed; with oflags DIRECTORY the rights never make it a write
 * open (a directory is opened O_RDONLY, or O_PATH when it may only be
 * searched).  path_readlink truncates to the buffer, as readlink(2).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "wasi/resolve.h"

/* What a path function knows of one (directory fd, path) it was given.
   The fd's fields are copied: the fd table may change under the call. */
typedef struct side {
    const char *op;        /* the WASI function, for the audit */
    int host;              /* the directory's host fd */
    bool readonly;
    int preopen;           /* index into ctx->preopens, or -1 */
    uint64_t inheriting;
    char path[WASI_PATH_MAX + 1];
} side;

static inline uint32_t u32(wasm_val v) { return (uint32_t)v; }

/* 0, or the WASI errno of the failed host call (errno read at once). */
static int host_rc(int r) { return r < 0 ? wasi_errno(errno) : 0; }

/* ---- Audit --------------------------------------------------------------- */

static const char *preopen_name(const wasi_ctx *ctx, const side *s)
{
    if (s->preopen < 0 || (uint32_t)s->preopen >= ctx->npreopens) return NULL;
    return ctx->preopens[s->preopen].guest_path;
}

static void side_audit(wasi_ctx *ctx, const side *s, bool allowed, const char *rule)
{
    /* The path as the guest would write it from its root: the preopen's
       guest path joined to the relative path it passed. */
    char shown[WASI_PATH_MAX + 256];
    const char *root = preopen_name(ctx, s);
    if (root && *root && s->path[0] != '/') {
        size_t n = strlen(root);
        snprintf(shown, sizeof shown, "%s%s%s", root, root[n - 1] == '/' ? "" : "/", s->path);
    } else {
        snprintf(shown, sizeof shown, "%s", s->path);
    }
    wasi_audit(ctx, s->op, shown, allowed, rule);
}

static void side_allowed(wasi_ctx *ctx, const side *s)
{
    if (s->preopen >= 0 && s->preopen == ctx->tmp_preopen) ctx->tmp_touched = true;
    char rule[WASI_PATH_MAX + 64];
    const char *root = preopen_name(ctx, s);
    if (root) snprintf(rule, sizeof rule, "preopen %s%s", root, s->readonly ? " (ro)" : "");
    else snprintf(rule, sizeof rule, "beneath a preopen%s", s->readonly ? " (ro)" : "");
    side_audit(ctx, s, true, rule);
}

/* Audits the outcome of a resolution: WASI_ENOTCAPABLE from resolve.c is
   always an escape; anything else was allowed (and may have failed on
   the file system after that).  Returns rc. */
static int side_result(wasi_ctx *ctx, const side *s, int rc)
{
    if (rc == WASI_ENOTCAPABLE) side_audit(ctx, s, false, "outside the preopen");
    else side_allowed(ctx, s);
    return rc;
}

/* ---- Arguments ----------------------------------------------------------- */

/* Fills s from directory fd `fd` and the guest path [ptr, ptr+len), and
   checks that the fd may do what the call needs: `rights`, and when
   `writes`, not under a read-only preopen.  A refusal is audited. */
static int side_open(wasi_ctx *ctx, wasm_call *call, side *s, const char *op, uint32_t fd,
                     uint32_t ptr, uint32_t len, uint64_t rights, bool writes)
{
    int err;
    s->op = op;
    s->path[0] = 0;
    wasi_fd *f = wasi_fd_get(ctx, fd, &err);
    if (!f) return err;
    s->host = f->host;
    s->readonly = f->readonly;
    s->preopen = f->preopen;
    s->inheriting = f->inheriting;
    if (f->host < 0 || f->filetype != WASI_FILETYPE_DIRECTORY) return WASI_ENOTDIR;
    err = wasi_path_copy(call, ptr, len, s->path);
    if (err) return err;
    if (writes && f->readonly) {
        char rule[WASI_PATH_MAX + 64];
        const char *root = preopen_name(ctx, s);
        if (root) snprintf(rule, sizeof rule, "preopen %s is read-only", root);
        else snprintf(rule, sizeof rule, "the preopen is read-only");
        side_audit(ctx, s, false, rule);
        return WASI_ENOTCAPABLE;
    }
    if (wasi_fd_check(f, rights)) {
        side_audit(ctx, s, false, "the fd lacks the right");
        return WASI_ENOTCAPABLE;
    }
    return 0;
}

/* A name that ends in '/' but must not be a directory (unlink) or is to
   become a non-directory (link, symlink): the errno Linux gives. */
static int slash_on_file(const wasi_parent *p, bool creating)
{
    struct stat st;
    if (fstatat(p->fd, p->name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return creating && errno == ENOENT ? WASI_ENOENT : wasi_errno(errno);
    if (creating) return WASI_EEXIST;
    return S_ISDIR(st.st_mode) ? WASI_EISDIR : WASI_ENOTDIR;
}

/* ---- Directories --------------------------------------------------------- */

static int path_create_directory(wasi_ctx *ctx, wasm_call *call, const wasm_val *a)
{
    side s;
    int rc = side_open(ctx, call, &s, "path_create_directory", u32(a[0]), u32(a[1]), u32(a[2]),
                       WASI_RIGHT_PATH_CREATE_DIRECTORY, true);
    if (rc) return rc;
    wasi_parent p;
    rc = side_result(ctx, &s, wasi_resolve_parent(s.host, s.path, &p));
    if (rc) return rc;
    if (p.dots) return WASI_EEXIST;
    rc = host_rc(mkdirat(p.fd, p.name, 0777));
    wasi_parent_close(&p);
    return rc;
}

static int path_remove_directory(wasi_ctx *ctx, wasm_call *call, const wasm_val *a)
{
    side s;
    int rc = side_open(ctx, call, &s, "path_remove_directory", u32(a[0]), u32(a[1]), u32(a[2]),
                       WASI_RIGHT_PATH_REMOVE_DIRECTORY, true);
    if (rc) return rc;
    wasi_parent p;
    rc = side_result(ctx, &s, wasi_resolve_parent(s.host, s.path, &p));
    if (rc) return rc;
    if (p.dots) return strcmp(p.name, ".") == 0 ? WASI_EINVAL : WASI_ENOTEMPTY;
    rc = host_rc(unlinkat(p.fd, p.name, AT_REMOVEDIR));
    wasi_parent_close(&p);
    return rc;
}

static int path_unlink_file(wasi_ctx *ctx, wasm_call *call, const wasm_val *a)
{
    side s;
    int rc = side_open(ctx, call, &s, "path_unlink_file", u32(a[0]), u32(a[1]), u32(a[2]),
                       WASI_RIGHT_PATH_UNLINK_FILE, true);
    if (rc) return rc;
    wasi_parent p;
    rc = side_result(ctx, &s, wasi_resolve_parent(s.host, s.path, &p));
    if (rc) return rc;
    if (p.dots) return WASI_EISDIR;
    if (p.dir_only) rc = slash_on_file(&p, false);
    else rc = host_rc(unlinkat(p.fd, p.name, 0));
    wasi_parent_close(&p);
    return rc;
}

/* ---- Stat, times, readlink ----------------------------------------------- */

static int path_filestat_get(wasi_ctx *ctx, wasm_call *call, const wasm_val *a)
{
    uint8_t *out = wasi_mem(call, u32(a[4]), WASI_FILESTAT_SIZE);
    if (!out) return WASI_EFAULT;
    side s;
    int rc = side_open(ctx, call, &s, "path_filestat_get", u32(a[0]), u32(a[2]), u32(a[3]),
                       WASI_RIGHT_PATH_FILESTAT_GET, false);
    if (rc) return rc;
    bool follow = u32(a[1]) & WASI_LOOKUP_SYMLINK_FOLLOW;
    int fd;
    rc = side_result(ctx, &s, wasi_resolve_open(s.host, s.path, O_PATH, 0, follow, &fd));
    if (rc) return rc;
    struct stat st;
    rc = host_rc(fstat(fd, &st));
    close(fd);
    if (!rc) wasi_filestat_write(out, &st);
    return rc;
}

static struct timespec time_of(uint32_t fst, uint32_t set, uint32_t now, uint64_t ns)
{
    if (fst & now) return (struct timespec){.tv_nsec = UTIME_NOW};
    if (!(fst & set)) return (struct timespec){.tv_nsec = UTIME_OMIT};
    return (struct timespec){.tv_sec = (time_t)(ns / 1000000000ull),
                             .tv_nsec = (long)(ns % 1000000000ull)};
}

/* Sets the times of what an O_PATH fd refers to (a symlink itself when
   it was opened without following). */
static int times_on_fd(int fd, const struct timespec ts[2])
{
    if (utimensat(fd, "", ts, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) == 0) return 0;
    if (errno != EINVAL) return wasi_errno(errno);
    /* Before Linux 5.8 utimensat has no AT_EMPTY_PATH: name the fd in
       /proc, which leads to exactly its file (never to a symlink's
       target: a symlink has no way there, so it stays unsupported). */
    struct stat st;
    if (fstat(fd, &st) < 0) return wasi_errno(errno);
    if (S_ISLNK(st.st_mode)) return WASI_ENOTSUP;
    char proc[40];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    return host_rc(utimensat(AT_FDCWD, proc, ts, 0));
}

static int path_filestat_set_times(wasi_ctx *ctx, wasm_call *call, const wasm_val *a)
{
    uint32_t fst = u32(a[6]);
    if ((fst & ~15u) || ((fst & WASI_FSTFLAG_ATIM) && (fst & WASI_FSTFLAG_ATIM_NOW)) ||
        ((fst & WASI_FSTFLAG_MTIM) && (fst & WASI_FSTFLAG_MTIM_NOW)))
        return WASI_EINVAL;
    side s;
    int rc = side_open(ctx, call, &s, "path_filestat_set_times", u32(a[0]), u32(a[2]),
                       u32(a[3]), WASI_RIGHT_PATH_FILESTAT_SET_TIMES, true);
    if (rc) return rc;
    bool follow = u32(a[1]) & WASI_LOOKUP_SYMLINK_FOLLOW;
    int fd;
    rc = side_result(ctx, &s, wasi_resolve_open(s.host, s.path, O_PATH, 0, follow, &fd));
    if (rc) return rc;
    struct timespec ts[2] = {
        time_of(fst, WASI_FSTFLAG_ATIM, WASI_FSTFLAG_ATIM_NOW, (uint64_t)a[4]),
        time_of(fst, WASI_FSTFLAG_MTIM, WASI_FSTFLAG_MTIM_NOW, (uint64_t)a[5]),
    };
    rc = times_on_fd(fd, ts);
    close(fd);
    return rc;
}

static int path_readlink(wasi_ctx *ctx, wasm_call *call, const wasm_val *a)
{
    uint32_t buf_len = u32(a[4]);
    uint8_t *buf = wasi_mem(call, u32(a[3]), buf_len);
    uint8_t *used = wasi_mem(call, u32(a[5]), 4);
    if (!buf || !used) return WASI_EFAULT;
    side s;
    int rc = side_open(ctx, call, &s, "path_readlink", u32(a[0]), u32(a[1]), u32(a[2]),
                       WASI_RIGHT_PATH_READLINK, false);
    if (rc) return rc;
    int fd;
    rc = side_result(ctx, &s, wasi_resolve_open(s.host, s.path, O_PATH, 0, false, &fd));
    if (rc) return rc;
    char body[WASI_PATH_MAX + 1];
    struct stat st;
    ssize_t n = -1;
    if (fstat(fd, &st) < 0) rc = wasi_errno(errno);
    else if (!S_ISLNK(st.st_mode)) rc = WASI_EINVAL;
    else if ((n = readlinkat(fd, "", body, sizeof body)) < 0) rc = wasi_errno(errno);
    close(fd);
    if (rc) return rc;
    size_t len = (size_t)n < buf_len ? (size_t)n : buf_len;
    memcpy(buf, body, len);
    wasi_put_u32(used, (uint32_t)len);
    return 0;
}

/* ---- Renames and links --------------------------------------------------- */

static int path_rename(wasi_ctx *ctx, wasm_call *call, const wasm_val *a)
{
    side from, to;
    int rc = side_open(ctx, call, &from, "path_rename", u32(a[0]), u32(a[1]), u32(a[2]),
                       WASI_RIGHT_PATH_RENAME_SOURCE, true);
    if (!rc)
        rc = side_open(ctx, call, &to, "path_rename", u32(a[3]), u32(a[4]), u32(a[5]),
                       WASI_RIGHT_PATH_RENAME_TARGET, true);
    if (rc) return rc;
    wasi_parent pf, pt;
    rc = side_result(ctx, &from, wasi_resolve_parent(from.host, from.path, &pf));
    if (rc) return rc;
    rc = side_result(ctx, &to, wasi_resolve_parent(to.host, to.path, &pt));
    if (rc) {
        wasi_parent_close(&pf);
        return rc;
    }
    struct stat st;
    if (pf.dots || pt.dots) {
        rc = WASI_EBUSY;
    } else if (pf.dir_only || pt.dir_only) {
        /* A trailing slash on either name means the source is a directory. */
        if (fstatat(pf.fd, pf.name, &st, AT_SYMLINK_NOFOLLOW) < 0) rc = wasi_errno(errno);
        else if (!S_ISDIR(st.st_mode)) rc = WASI_ENOTDIR;
    }
    if (!rc) rc = host_rc(renameat(pf.fd, pf.name, pt.fd, pt.name));
    wasi_parent_close(&pt);
    wasi_parent_close(&pf);
    return rc;
}

/* Links what an O_PATH fd refers to (the target of a followed symlink)
   as `name` in `dirfd`. */
static int link_fd(int fd, int dirfd, const char *name)
{
    if (linkat(fd, "", dirfd, name, AT_EMPTY_PATH) == 0) return 0;
    if (errno != ENOENT) return wasi_errno(errno);
    /* AT_EMPTY_PATH wants CAP_DAC_READ_SEARCH on most kernels; the fd's
       /proc entry leads to the same file without it. */
    char proc[40];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    return host_rc(linkat(AT_FDCWD, proc, dirfd, name, AT_SYMLINK_FOLLOW));
}

/* The checks and the call of path_link once both sides are resolved:
   src is the followed source (an O_PATH fd), or -1 and pf names it. */
static int link_names(int src, const wasi_parent *pf, const wasi_parent *pt)
{
    struct stat st;
    if (src < 0 && pf->dots) return WASI_EPERM; /* a directory */
    if (src < 0 && pf->dir_only) {
        if (fstatat(pf->fd, pf->name, &st, AT_SYMLINK_NOFOLLOW) < 0) return wasi_errno(errno);
        return S_ISDIR(st.st_mode) ? WASI_EPERM : WASI_ENOTDIR;
    }
    if (pt->dots) return WASI_EEXIST;
    if (pt->dir_only) return slash_on_file(pt, true);
    if (src >= 0) return link_fd(src, pt->fd, pt->name);
    return host_rc(linkat(pf->fd, pf->name, pt->fd, pt->name, 0));
}

static int path_link(wasi_ctx *ctx, wasm_call *call, const wasm_val *a)
{
    /* The source must be writable too: a hard link out of a read-only
       tree into a writable one would open the file for writing. */
    side from, to;
    int rc = side_open(ctx, call, &from, "path_link", u32(a[0]), u32(a[2]), u32(a[3]),
                       WASI_RIGHT_PATH_LINK_SOURCE, true);
    if (!rc)
        rc = side_open(ctx, call, &to, "path_link", u32(a[4]), u32(a[5]), u32(a[6]),
                       WASI_RIGHT_PATH_LINK_TARGET, true);
    if (rc) return rc;
    int src = -1;
    wasi_parent pf = {.fd = -1}, pt;
    if (u32(a[1]) & WASI_LOOKUP_SYMLINK_FOLLOW)
        rc = wasi_resolve_open(from.host, from.path, O_PATH, 0, true, &src);
    else
        rc = wasi_resolve_parent(from.host, from.path, &pf);
    rc = side_result(ctx, &from, rc);
    if (!rc) {
        rc = side_result(ctx, &to, wasi_resolve_parent(to.host, to.path, &pt));
        if (!rc) rc = link_names(src, &pf, &pt);
        wasi_parent_close(&pt);
    }
    if (src >= 0) close(src);
    wasi_parent_close(&pf);
    return rc;
}

static int path_symlink(wasi_ctx *ctx, wasm_call *call, const wasm_val *a)
{
    /* The body may be any text, absolute or climbing: following the link
       later resolves beneath whatever fd the guest then uses. */
    side s;
    int rc = side_open(ctx, call, &s, "path_symlink", u32(a[2]), u32(a[3]), u32(a[4]),
                       WASI_RIGHT_PATH_SYMLINK, true);
    if (rc) return rc;
    char body[WASI_PATH_MAX + 1];
    rc = wasi_path_copy(call, u32(a[0]), u32(a[1]), body);
    if (rc) return rc;
    wasi_parent p;
    rc = side_result(ctx, &s, wasi_resolve_parent(s.host, s.path, &p));
    if (rc) return rc;
    if (p.dots) rc = WASI_EEXIST;
    else if (p.dir_only) rc = slash_on_file(&p, true);
    else rc = host_rc(symlinkat(body, p.fd, p.name));
    wasi_parent_close(&p);
    return rc;
}

/* ---- path_open ----------------------------------------------------------- */

static bool openable(mode_t mode) { return S_ISREG(mode) || S_ISDIR(mode); }

#define KIND_REFUSED (-1)

/* Opens s->path with flags.  A look with O_PATH first keeps devices,
   FIFOs and sockets from being opened at all; the real open adds
   O_NONBLOCK (dropped afterwards unless asked for) and checks the kind
   again, so a file swapped in between cannot block or slip through.
   Returns 0, a WASI errno, or KIND_REFUSED. */
static int open_checked(const side *s, int flags, bool follow, int *out, struct stat *st)
{
    int fd, rc;
    bool dir = false;
    *out = -1;
    if (!(flags & O_EXCL)) {
        rc = wasi_resolve_open(s->host, s->path, O_PATH | (flags & O_DIRECTORY), 0, follow, &fd);
        if (!rc) {
            rc = host_rc(fstat(fd, st));
            close(fd);
            if (rc) return rc;
            if (!openable(st->st_mode) && !S_ISLNK(st->st_mode)) return KIND_REFUSED;
            dir = S_ISDIR(st->st_mode);
        } else if (rc != WASI_ENOENT || !(flags & O_CREAT)) {
            return rc;
        }
    }
    rc = wasi_resolve_open(s->host, s->path, flags | O_NONBLOCK | O_NOCTTY, 0666, follow, &fd);
    if (rc == WASI_EACCES && dir && (flags & O_ACCMODE) == O_RDONLY && !(flags & O_TRUNC))
        /* a directory we may search but not list: still usable for paths */
        rc = wasi_resolve_open(s->host, s->path, O_PATH | O_DIRECTORY, 0, follow, &fd);
    if (rc) return rc;
    if (fstat(fd, st) < 0) {
        rc = wasi_errno(errno);
        close(fd);
        return rc;
    }
    if (!openable(st->st_mode)) {
        close(fd);
        return KIND_REFUSED;
    }
    int fl = fcntl(fd, F_GETFL);
    if (!(flags & O_NONBLOCK) && fl >= 0 && (fl & O_NONBLOCK) && !(fl & O_PATH))
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    *out = fd;
    return 0;
}

static int open_flags(uint32_t oflags, uint32_t fdflags, uint64_t rights)
{
    bool r = rights & WASI_RIGHT_FD_READ, w = rights & WASI_RIGHT_FD_WRITE;
    int fl = w ? (r ? O_RDWR : O_WRONLY) : O_RDONLY;
    if (oflags & WASI_O_CREAT) fl |= O_CREAT;
    if (oflags & WASI_O_DIRECTORY) fl |= O_DIRECTORY;
    if (oflags & WASI_O_EXCL) fl |= O_EXCL;
    if (oflags & WASI_O_TRUNC) fl |= O_TRUNC;
    if (fdflags & WASI_FDFLAG_APPEND) fl |= O_APPEND;
    if (fdflags & WASI_FDFLAG_DSYNC) fl |= O_DSYNC;
    if (fdflags & WASI_FDFLAG_NONBLOCK) fl |= O_NONBLOCK;
    if (fdflags & WASI_FDFLAG_RSYNC) fl |= O_RSYNC;
    if (fdflags & WASI_FDFLAG_SYNC) fl |= O_SYNC;
    return fl;
}

static int path_open(wasi_ctx *ctx, wasm_call *call, const wasm_val *a)
{
    uint32_t dirflags = u32(a[1]), oflags = u32(a[4]), fdflags = u32(a[7]), out = u32(a[8]);
    uint64_t base = (uint64_t)a[5], inheriting = (uint64_t)a[6];
    if ((oflags & ~15u) || (fdflags & ~31u)) return WASI_EINVAL;
    if (!wasi_mem(call, out, 4)) return WASI_EFAULT;
    /* A directory is never opened for writing, whatever rights it asks. */
    bool dir = oflags & WASI_O_DIRECTORY;
    bool writes = (oflags & (WASI_O_CREAT | WASI_O_TRUNC)) ||
                  (!dir && (base & WASI_RIGHT_FD_WRITE));
    uint64_t need = WASI_RIGHT_PATH_OPEN;
    if (oflags & WASI_O_CREAT) need |= WASI_RIGHT_PATH_CREATE_FILE;
    if (oflags & WASI_O_TRUNC) need |= WASI_RIGHT_PATH_FILESTAT_SET_SIZE;
    side s;
    int rc = side_open(ctx, call, &s, "path_open", u32(a[0]), u32(a[2]), u32(a[3]), need, writes);
    if (rc) return rc;
    base &= s.inheriting;
    inheriting &= s.inheriting;
    if (s.readonly) {
        base &= WASI_RIGHTS_READONLY;
        inheriting &= WASI_RIGHTS_READONLY;
    }
    int fd;
    struct stat st;
    rc = open_checked(&s, open_flags(oflags, fdflags, dir ? 0 : base),
                      dirflags & WASI_LOOKUP_SYMLINK_FOLLOW, &fd, &st);
    if (rc == KIND_REFUSED) {
        side_audit(ctx, &s, false, "not a regular file or directory");
        return WASI_ENOTSUP;
    }
    rc = side_result(ctx, &s, rc);
    if (rc) return rc;
    if (fd <= 2) {
        /* The host process had closed one of its stdio fds: a guest file
           must not sit at 0-2, where it would be taken for stdio (never
           closed by wasi_fd_release, treated as a stream by fd.c). */
        int moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        close(fd);
        if (moved < 0) return wasi_errno(errno);
        fd = moved;
    }
    int n = wasi_fd_alloc(ctx);
    if (n < 0) {
        close(fd);
        return WASI_EMFILE;
    }
    ctx->fds[n] = (wasi_fd){.used = true, .filetype = wasi_filetype_of(st.st_mode), .host = fd,
                            .rights = base, .inheriting = inheriting,
                            .fdflags = (uint16_t)fdflags, .readonly = s.readonly, .preopen = -1};
    uint8_t *p = wasi_mem(call, out, 4); /* checked above; memory cannot move meanwhile */
    if (!p) {
        wasi_fd_release(&ctx->fds[n]);
        return WASI_EFAULT;
    }
    wasi_put_u32(p, (uint32_t)n);
    return 0;
}

const wasi_func_def wasi_path_funcs[] = {
    {"path_create_directory", "iii", true, path_create_directory},
    {"path_filestat_get", "iiiii", true, path_filestat_get},
    {"path_filestat_set_times", "iiiiIIi", true, path_filestat_set_times},
    {"path_link", "iiiiiii", true, path_link},
    {"path_open", "iiiiiIIii", true, path_open},
    {"path_readlink", "iiiiii", true, path_readlink},
    {"path_remove_directory", "iii", true, path_remove_directory},
    {"path_rename", "iiiiii", true, path_rename},
    {"path_symlink", "iiiii", true, path_symlink},
    {"path_unlink_file", "iii", true, path_unlink_file},
    {NULL, NULL, false, NULL},
};
