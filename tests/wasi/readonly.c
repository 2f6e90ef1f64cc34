/*
 * readonly.c - a read-only grant (/ro) next to a read-write one (/rw):
 * reading and listing work; every write, create, truncate, rename, link,
 * unlink, mkdir, rmdir, symlink and time change is refused with
 * ENOTCAPABLE or EACCES, including moves between the two grants.  run.sh
 * puts file.txt ("read only\n"), subdir/inner.txt and emptydir/ in /ro and
 * checks afterwards that none of it changed (contents, names, times).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probe.h"

/* A libc call's result: 0 on success, else errno. */
static int err_of(int rc)
{
    return rc < 0 ? errno : 0;
}

static int try_open(const char *path, int flags)
{
    errno = 0;
    int fd = open(path, flags, 0644);
    if (fd < 0) return errno;
    close(fd);
    return 0;
}

static void controls(void)
{
    char buf[64];
    long n = probe_read_file("/ro/file.txt", buf, sizeof buf);
    probe_check(n == 10 && strcmp(buf, "read only\n") == 0, "control: read /ro/file.txt",
                "got %s", n < 0 ? strerror(errno) : buf);
    n = probe_read_file("/ro/subdir/inner.txt", buf, sizeof buf);
    probe_check(n > 0, "control: read /ro/subdir/inner.txt", "%s", strerror(errno));
    int entries = 0;
    DIR *d = opendir("/ro");
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) entries += e->d_name[0] != '.';
    if (d) closedir(d);
    probe_check(entries == 3, "control: list /ro", "saw %d entries", entries);
    struct stat st;
    probe_allowed(err_of(stat("/ro/file.txt", &st)), "control: stat /ro/file.txt");
    int fd = open("/rw/tomove.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    probe_check(fd >= 0 && write(fd, "rw\n", 3) == 3, "control: create /rw/tomove.txt", "%s",
                strerror(errno));
    if (fd >= 0) close(fd);
}

/* Opening for writing may be refused, or (wasi-libc asks only for the
   rights the directory can pass on) give an fd that cannot write. */
static void open_for_writing(int flags, const char *what)
{
    char check[96];
    errno = 0;
    int fd = open("/ro/file.txt", flags);
    if (fd < 0) {
        snprintf(check, sizeof check, "%s is refused", what);
        probe_refused(errno, check);
        return;
    }
    snprintf(check, sizeof check, "%s gives an fd that cannot write", what);
    errno = 0;
    ssize_t n = write(fd, "overwritten", 11);
    probe_check(n < 0 && (errno == ENOTCAPABLE || errno == EACCES || errno == EBADF), check,
                "expected ENOTCAPABLE, EACCES or EBADF, got %s",
                n < 0 ? probe_errno_name(errno) : "success");
    close(fd);
}

static void opens(void)
{
    open_for_writing(O_WRONLY, "open O_WRONLY");
    open_for_writing(O_RDWR, "open O_RDWR");
    open_for_writing(O_WRONLY | O_APPEND, "open O_WRONLY|O_APPEND");
    probe_refused(try_open("/ro/file.txt", O_RDONLY | O_TRUNC), "open O_RDONLY|O_TRUNC is refused");
    probe_refused(try_open("/ro/new.txt", O_WRONLY | O_CREAT), "create /ro/new.txt is refused");
    probe_refused(try_open("/ro/new2.txt", O_RDONLY | O_CREAT),
                  "O_CREAT with O_RDONLY is refused");
    probe_refused(try_open("/ro/subdir/new.txt", O_WRONLY | O_CREAT),
                  "create in /ro/subdir is refused");
    probe_refused(err_of(truncate("/ro/file.txt", 0)), "truncate is refused");

    __wasi_fd_t ro = probe_preopen("/ro");
    probe_refused(probe_try_open(ro, "file.txt", true, 0, true),
                  "raw path_open with write rights is refused");
    __wasi_fd_t sub;
    int e = probe_open(ro, "subdir", true, __WASI_OFLAGS_DIRECTORY, false, &sub);
    if (probe_allowed(e, "control: open /ro/subdir as a directory")) {
        probe_refused(probe_try_open(sub, "x.txt", true, __WASI_OFLAGS_CREAT, true),
                      "create beneath the subdir's fd is refused");
        (void)__wasi_fd_close(sub);
    }
}

static void through_a_read_fd(void)
{
    int fd = open("/ro/file.txt", O_RDONLY);
    if (!probe_check(fd >= 0, "control: open /ro/file.txt for reading", "%s", strerror(errno)))
        return;
    errno = 0;
    ssize_t n = write(fd, "x", 1);
    probe_check(n < 0 && (errno == ENOTCAPABLE || errno == EACCES || errno == EBADF),
                "write on the read fd is refused",
                "expected ENOTCAPABLE, EACCES or EBADF, got %s", n < 0 ? probe_errno_name(errno) : "success");
    probe_refused(err_of(ftruncate(fd, 0)), "ftruncate on the read fd is refused");
    const __wasi_rights_t all = ((__wasi_rights_t)1 << 30) - 1;
    int e = __wasi_fd_fdstat_set_rights((__wasi_fd_t)fd, all, all);
    probe_refused(e, "fd_fdstat_set_rights cannot add rights");
    errno = 0;
    n = write(fd, "x", 1);
    probe_check(n < 0, "write still refused after asking for rights", "it wrote");
    probe_refused(__wasi_fd_filestat_set_times((__wasi_fd_t)fd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW),
                  "fd_filestat_set_times on the read fd is refused");
    close(fd);
}

static void names(void)
{
    probe_refused(err_of(mkdir("/ro/newdir", 0755)), "mkdir is refused");
    probe_refused(err_of(unlink("/ro/file.txt")), "unlink is refused");
    probe_refused(err_of(rmdir("/ro/emptydir")), "rmdir is refused");
    probe_refused(err_of(rename("/ro/file.txt", "/ro/renamed.txt")), "rename within /ro is refused");
    probe_refused(err_of(rename("/ro/file.txt", "/rw/moved.txt")), "rename /ro to /rw is refused");
    probe_refused(err_of(rename("/rw/tomove.txt", "/ro/tomove.txt")), "rename /rw to /ro is refused");
    probe_refused(err_of(rename("/ro/emptydir", "/rw/emptydir")), "rename a directory out of /ro is refused");
    probe_refused(err_of(link("/ro/file.txt", "/rw/hardlink.txt")),
                  "hard link from /ro into /rw is refused");
    probe_refused(err_of(link("/rw/tomove.txt", "/ro/hardlink.txt")), "hard link into /ro is refused");
    probe_refused(err_of(symlink("file.txt", "/ro/sl")), "symlink in /ro is refused");
    __wasi_fd_t ro = probe_preopen("/ro");
    probe_refused(__wasi_path_filestat_set_times(ro, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "file.txt",
                                                 0, 0, __WASI_FSTFLAGS_MTIM_NOW),
                  "path_filestat_set_times is refused");
}

int main(void)
{
    controls();
    opens();
    through_a_read_fd();
    names();
    return probe_done();
}
