/*
 * resolve.c - guest paths resolved beneath a directory fd, for the
 * path_* functions of wasi_snapshot_preview1 (path.c), and the filestat
 * layout that path_filestat_get and fd_filestat_get share.
 *
 * The kernel does the work: openat2(2) with RESOLVE_BENEATH refuses any
 * step out of the directory (an absolute path, a ".." above it, a
 * symlink leading out: EXDEV) and RESOLVE_NO_MAGICLINKS refuses the
 * /proc/<pid>/{fd,root,cwd} jumps (ELOOP).  Kernels before 5.6 answer
 * ENOSYS; then a walk of one component at a time keeps the same rules:
 * every step is openat(O_NOFOLLOW), a ".." only returns to a directory
 * the walk itself entered (it holds their fds, so a concurrent rename
 * cannot lift it above the start), and symlinks are read and spliced in
 * by hand, absolute ones refused, magic ones read as plain text.
 *
 * Internally errors are host errnos; EXDEV means "escape" and becomes
 * WASI_ENOTCAPABLE at the boundary, everything else goes through
 * wasi_errno.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "wasi/resolve.h"

#ifndef SYS_openat2
#define SYS_openat2 437 /* the same number on every architecture */
#endif

#define RESOLVE_LINKS_MAX 40  /* symlinks one resolution follows, as Linux */
#define RESOLVE_DEPTH_MAX 256 /* directories the walk holds open at once */
#define RESOLVE_AGAIN_MAX 16  /* openat2 retries after EAGAIN (a racing rename) */

bool wasi_resolve_no_openat2;
static atomic_bool kernel_lacks_openat2;

static int to_wasi(int host_errno)
{
    return host_errno == EXDEV ? WASI_ENOTCAPABLE : wasi_errno(host_errno);
}

/* ---- Guest path bytes --------------------------------------------------- */

int wasi_path_copy(wasm_call *call, uint32_t ptr, uint32_t len, char *out)
{
    out[0] = 0;
    if (len > WASI_PATH_MAX) return WASI_ENAMETOOLONG;
    const uint8_t *src = wasi_mem(call, ptr, len);
    if (!src) return WASI_EFAULT;
    if (memchr(src, 0, len)) return WASI_EINVAL;
    if (!len) return WASI_ENOENT;
    memcpy(out, src, len);
    out[len] = 0;
    return 0;
}

/* ---- openat2 ------------------------------------------------------------- */

/* The new fd, or -errno. */
static int open2(int dirfd, const char *path, int flags, mode_t mode, uint64_t resolve)
{
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = (uint64_t)(unsigned)flags;
    how.mode = (flags & O_CREAT) ? mode : 0;
    how.resolve = resolve;
    for (int tries = 0;; tries++) {
        long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof how);
        if (fd >= 0) return (int)fd;
        if (errno != EAGAIN || tries == RESOLVE_AGAIN_MAX) return -errno;
    }
}

static int open_kernel(int dirfd, const char *path, int flags, mode_t mode)
{
    int fd = open2(dirfd, path, flags, mode, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS);
    if (fd != -ELOOP) return fd;
    /* A symlink loop, or a magic link: only the second is an escape.
       RESOLVE_BENEATH alone refuses magic links with EXDEV; ask it, with
       O_PATH so that nothing is really opened, and drop what it gives. */
    int probe = open2(dirfd, path, O_PATH | O_CLOEXEC | (flags & (O_NOFOLLOW | O_DIRECTORY)), 0,
                      RESOLVE_BENEATH);
    if (probe >= 0) close(probe);
    return probe == -EXDEV ? -EXDEV : -ELOOP;
}

/* ---- The component walk (no openat2) ------------------------------------ */

typedef struct walk {
    int start;                   /* resolution stays beneath it (not owned) */
    int held[RESOLVE_DEPTH_MAX]; /* directories entered below start, owned */
    int depth;
    int links;
    char *rest;                  /* the path; symlink bodies are spliced in */
    size_t cap;
} walk;

#define WALK_MORE (-1)

static int walk_dir(const walk *w) { return w->depth ? w->held[w->depth - 1] : w->start; }

/* The symlink `name` of the current directory is replaced by its body:
   the path left becomes body, '/', tail. */
static int walk_splice(walk *w, const char *name, const char *tail, bool slash)
{
    char body[WASI_PATH_MAX + 1];
    if (++w->links > RESOLVE_LINKS_MAX) return ELOOP;
    ssize_t n = readlinkat(walk_dir(w), name, body, sizeof body);
    if (n < 0) return errno;
    if ((size_t)n >= sizeof body) return ENAMETOOLONG;
    if (n == 0) return ENOENT;
    if (body[0] == '/') return EXDEV;
    size_t tl = strlen(tail);
    size_t sep = (tl || slash) ? 1 : 0;
    if ((size_t)n + sep + tl + 1 > w->cap) return ENAMETOOLONG;
    memmove(w->rest + n + sep, tail, tl + 1); /* tail lies inside rest */
    if (sep) w->rest[n] = '/';
    memcpy(w->rest, body, (size_t)n);
    return 0;
}

static int walk_push(walk *w, int fd)
{
    if (w->depth == RESOLVE_DEPTH_MAX) {
        close(fd);
        return ENAMETOOLONG;
    }
    w->held[w->depth++] = fd;
    return 0;
}

/* Opens the last component; a symlink there is followed by splicing. */
static int walk_last(walk *w, char **pp, const char *name, const char *tail, int flags,
                     mode_t mode, int *out)
{
    bool follow = !(flags & O_NOFOLLOW);
    int fd = openat(walk_dir(w), name, flags | O_NOFOLLOW, mode);
    struct stat st;
    if (fd >= 0) {
        if (!follow || !(flags & O_PATH) || fstat(fd, &st) < 0 || !S_ISLNK(st.st_mode)) {
            *out = fd;
            return 0;
        }
        close(fd);
    } else {
        int err = errno;
        /* O_NOFOLLOW met a symlink: ELOOP, or ENOTDIR with O_DIRECTORY. */
        if (!follow || (err != ELOOP && err != ENOTDIR)) return err;
        if (fstatat(walk_dir(w), name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISLNK(st.st_mode))
            return err;
    }
    int rc = walk_splice(w, name, tail, false);
    if (rc) return rc;
    *pp = w->rest;
    return WALK_MORE;
}

/* Resolves the component at *pp: 0 with *out when the path is done,
   WALK_MORE to go on from the updated *pp, or an errno. */
static int walk_step(walk *w, char **pp, int flags, mode_t mode, int *out)
{
    char *p = *pp;
    while (*p == '/') p++;
    if (!*p) return ENOENT;
    char *e = p;
    while (*e && *e != '/') e++;
    char *q = e;
    while (*q == '/') q++;
    bool last = !*q, slash = last && q != e;
    *e = 0;
    *pp = q;
    if (strcmp(p, ".") == 0 || strcmp(p, "..") == 0) {
        if (p[1] == '.') {
            if (!w->depth) return EXDEV;
            close(w->held[--w->depth]);
        }
        if (!last) return WALK_MORE;
        int fd = openat(walk_dir(w), ".", flags | O_NOFOLLOW | (slash ? O_DIRECTORY : 0), mode);
        if (fd < 0) return errno;
        *out = fd;
        return 0;
    }
    if (last && !slash) return walk_last(w, pp, p, q, flags, mode, out);
    /* A directory to enter (a trailing slash also means one). */
    int fd = openat(walk_dir(w), p, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return errno;
    struct stat st;
    if (fstat(fd, &st) < 0) {
        int err = errno;
        close(fd);
        return err;
    }
    if (!S_ISDIR(st.st_mode)) {
        close(fd);
        if (!S_ISLNK(st.st_mode)) return ENOTDIR;
        int err = walk_splice(w, p, q, slash);
        if (err) return err;
        *pp = w->rest;
        return WALK_MORE;
    }
    int rc = walk_push(w, fd);
    if (rc) return rc;
    if (!last) return WALK_MORE;
    fd = openat(walk_dir(w), ".", flags | O_NOFOLLOW | O_DIRECTORY, mode);
    if (fd < 0) return errno;
    *out = fd;
    return 0;
}

/* The new fd, or -errno. */
static int open_walk(int dirfd, const char *path, int flags, mode_t mode)
{
    walk *w = calloc(1, sizeof *w);
    if (!w) return -ENOMEM;
    w->start = dirfd;
    w->cap = 2 * (WASI_PATH_MAX + 1);
    w->rest = malloc(w->cap);
    int rc = ENOMEM, fd = -1;
    size_t len = strlen(path);
    if (w->rest && len < w->cap) {
        memcpy(w->rest, path, len + 1);
        char *p = w->rest;
        if (*p == '/') rc = EXDEV;
        else
            while ((rc = walk_step(w, &p, flags, mode, &fd)) == WALK_MORE) {}
    }
    while (w->depth) close(w->held[--w->depth]);
    free(w->rest);
    free(w);
    return rc ? -rc : fd;
}

/* ---- The interface ------------------------------------------------------- */

int wasi_resolve_open(int dirfd, const char *path, int flags, mode_t mode, bool follow, int *out)
{
    *out = -1;
    if (!path[0]) return WASI_ENOENT;
    if (path[0] == '/') return WASI_ENOTCAPABLE;
    flags |= O_CLOEXEC;
    if (!follow) flags |= O_NOFOLLOW;
    int fd = -ENOSYS;
    if (!wasi_resolve_no_openat2 &&
        !atomic_load_explicit(&kernel_lacks_openat2, memory_order_relaxed)) {
        fd = open_kernel(dirfd, path, flags, mode);
        if (fd == -ENOSYS) atomic_store_explicit(&kernel_lacks_openat2, true, memory_order_relaxed);
    }
    if (fd == -ENOSYS) fd = open_walk(dirfd, path, flags, mode);
    if (fd < 0) return to_wasi(-fd);
    *out = fd;
    return 0;
}

int wasi_resolve_parent(int dirfd, const char *path, wasi_parent *p)
{
    p->fd = -1;
    p->name[0] = 0;
    p->dir_only = p->dots = false;
    size_t len = strlen(path);
    if (!len) return WASI_ENOENT;
    if (path[0] == '/') return WASI_ENOTCAPABLE;
    if (len > WASI_PATH_MAX) return WASI_ENAMETOOLONG;
    size_t end = len;
    while (path[end - 1] == '/') end--; /* stops at path[0], not a '/' */
    size_t start = end;
    while (start > 0 && path[start - 1] != '/') start--;
    if (end - start > NAME_MAX) return WASI_ENAMETOOLONG;
    memcpy(p->name, path + start, end - start);
    p->name[end - start] = 0;
    p->dir_only = end < len;
    int fd, rc;
    if (strcmp(p->name, ".") == 0 || strcmp(p->name, "..") == 0) {
        /* No name to act on; still tell an escape from the rest. */
        rc = wasi_resolve_open(dirfd, path, O_PATH | O_DIRECTORY, 0, true, &fd);
        if (rc) return rc;
        close(fd);
        p->dots = true;
        return 0;
    }
    char dir[WASI_PATH_MAX + 1];
    if (start) memcpy(dir, path, start);
    else dir[start++] = '.';
    dir[start] = 0;
    return wasi_resolve_open(dirfd, dir, O_PATH | O_DIRECTORY, 0, true, &p->fd);
}

void wasi_parent_close(wasi_parent *p)
{
    if (p->fd >= 0) close(p->fd);
    p->fd = -1;
}

/* ---- filestat ------------------------------------------------------------ */

uint8_t wasi_filetype_of(mode_t mode)
{
    switch (mode & S_IFMT) {
    case S_IFREG: return WASI_FILETYPE_REGULAR_FILE;
    case S_IFDIR: return WASI_FILETYPE_DIRECTORY;
    case S_IFLNK: return WASI_FILETYPE_SYMBOLIC_LINK;
    case S_IFCHR: return WASI_FILETYPE_CHARACTER_DEVICE;
    case S_IFBLK: return WASI_FILETYPE_BLOCK_DEVICE;
    case S_IFSOCK: return WASI_FILETYPE_SOCKET_STREAM;
    default: return WASI_FILETYPE_UNKNOWN; /* FIFOs have no WASI type */
    }
}

/* A timestamp in ns; before 1970 is 0, past 2554 saturates. */
static uint64_t ns_of(struct timespec ts)
{
    if (ts.tv_sec < 0) return 0;
    if ((uint64_t)ts.tv_sec >= UINT64_MAX / 1000000000ull) return UINT64_MAX;
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void wasi_filestat_write(uint8_t *out, const struct stat *st)
{
    memset(out, 0, WASI_FILESTAT_SIZE);
    wasi_put_u64(out + 0, (uint64_t)st->st_dev);
    wasi_put_u64(out + 8, (uint64_t)st->st_ino);
    out[16] = wasi_filetype_of(st->st_mode);
    wasi_put_u64(out + 24, (uint64_t)st->st_nlink);
    wasi_put_u64(out + 32, (uint64_t)st->st_size);
    wasi_put_u64(out + 40, ns_of(st->st_atim));
    wasi_put_u64(out + 48, ns_of(st->st_mtim));
    wasi_put_u64(out + 56, ns_of(st->st_ctim));
}
