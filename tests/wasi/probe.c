/*
 * probe.c - the shared helpers of the WASI test guests (probe.h).
 */
#include "probe.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool probe_check(bool cond, const char *what, const char *detail_fmt, ...)
{
    if (cond) {
        printf("ok - %s\n", what);
    } else {
        va_list ap;
        va_start(ap, detail_fmt);
        printf("not ok - %s: ", what);
        vprintf(detail_fmt, ap);
        putchar('\n');
        va_end(ap);
    }
    fflush(stdout);
    return cond;
}

const char *probe_errno_name(int e)
{
    static const struct { int e; const char *name; } names[] = {
        {0, "success"}, {E2BIG, "E2BIG"}, {EACCES, "EACCES"}, {EAGAIN, "EAGAIN"},
        {EBADF, "EBADF"}, {EEXIST, "EEXIST"}, {EFAULT, "EFAULT"}, {EINVAL, "EINVAL"},
        {EIO, "EIO"}, {EISDIR, "EISDIR"}, {ELOOP, "ELOOP"}, {EMFILE, "EMFILE"},
        {ENAMETOOLONG, "ENAMETOOLONG"}, {ENOENT, "ENOENT"}, {ENOSPC, "ENOSPC"},
        {ENOSYS, "ENOSYS"}, {ENOTDIR, "ENOTDIR"}, {ENOTEMPTY, "ENOTEMPTY"},
        {ENOTSUP, "ENOTSUP"}, {EPERM, "EPERM"}, {EROFS, "EROFS"}, {ESPIPE, "ESPIPE"},
        {EXDEV, "EXDEV"}, {ENOTCAPABLE, "ENOTCAPABLE"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].e == e) return names[i].name;
    static char other[32];
    snprintf(other, sizeof other, "errno %d", e);
    return other;
}

bool probe_refused(int e, const char *what)
{
    return probe_check(e == ENOTCAPABLE || e == EACCES, what,
                       "expected ENOTCAPABLE or EACCES, got %s", probe_errno_name(e));
}

bool probe_refused_make(int e, const char *what)
{
    return probe_check(e == ENOTCAPABLE || e == EACCES || e == EPERM, what,
                       "expected ENOTCAPABLE, EACCES or EPERM, got %s", probe_errno_name(e));
}

bool probe_allowed(int e, const char *what)
{
    return probe_check(e == 0, what, "expected success, got %s", probe_errno_name(e));
}

__wasi_fd_t probe_preopen(const char *name)
{
    for (__wasi_fd_t fd = 3; fd < 64; fd++) {
        __wasi_prestat_t ps;
        if (__wasi_fd_prestat_get(fd, &ps) != 0) continue;
        size_t len = ps.u.dir.pr_name_len;
        char buf[256];
        if (len >= sizeof buf) continue;
        if (__wasi_fd_prestat_dir_name(fd, (uint8_t *)buf, len) != 0) continue;
        buf[len] = 0;
        if (strcmp(buf, name) == 0) return fd;
    }
    printf("not ok - preopen %s: not found\n", name);
    exit(1);
}

int probe_open(__wasi_fd_t dir, const char *path, bool follow, __wasi_oflags_t oflags,
               bool write, __wasi_fd_t *out)
{
    __wasi_rights_t rights = __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK |
                             __WASI_RIGHTS_FD_TELL | __WASI_RIGHTS_FD_FILESTAT_GET |
                             __WASI_RIGHTS_FD_READDIR | __WASI_RIGHTS_PATH_OPEN |
                             __WASI_RIGHTS_PATH_FILESTAT_GET | __WASI_RIGHTS_PATH_READLINK;
    if (write)
        rights |= __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE;
    return __wasi_path_open(dir, follow ? __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW : 0, path, oflags,
                            rights, rights, 0, out);
}

int probe_try_open(__wasi_fd_t dir, const char *path, bool follow, __wasi_oflags_t oflags,
                   bool write)
{
    __wasi_fd_t fd;
    int e = probe_open(dir, path, follow, oflags, write, &fd);
    if (e == 0) (void)__wasi_fd_close(fd);
    return e;
}

long probe_read_file(const char *path, char *buf, unsigned long size)
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = 0;
    int bad = ferror(f);
    fclose(f);
    return bad ? -1 : (long)n;
}

int probe_done(void)
{
    printf("done\n");
    return 0;
}
