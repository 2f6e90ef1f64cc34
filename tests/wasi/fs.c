/*
 * fs.c - file I/O inside a granted directory, seen by the guest as /data:
 * create, write, read back, seek, pread/pwrite, append, truncate, list,
 * rename, delete.  run.sh puts input.txt there first and checks the host
 * afterwards: keep.txt holds "kept\n", and nothing else the guest made is
 * left.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probe.h"

static const char text[] = "hello, wasi\nsecond line\n";

static void create_and_read(void)
{
    char buf[256];
    FILE *f = fopen("/data/hello.txt", "w");
    probe_check(f != NULL, "create /data/hello.txt", "%s", strerror(errno));
    if (!f) return;
    probe_check(fputs(text, f) >= 0 && fclose(f) == 0, "write hello.txt", "%s", strerror(errno));
    long n = probe_read_file("/data/hello.txt", buf, sizeof buf);
    probe_check(n == (long)strlen(text) && strcmp(buf, text) == 0, "read hello.txt back",
                "got %ld bytes: '%s'", n, n < 0 ? strerror(errno) : buf);
    n = probe_read_file("/data/input.txt", buf, sizeof buf);
    probe_check(n >= 0 && strcmp(buf, "line one\nline two\n") == 0,
                "read input.txt made by the host", "got '%s'", n < 0 ? strerror(errno) : buf);
}

static void seek_and_positional(void)
{
    char buf[16] = {0};
    int fd = open("/data/hello.txt", O_RDWR);
    probe_check(fd >= 0, "open hello.txt read-write", "%s", strerror(errno));
    if (fd < 0) return;
    off_t pos = lseek(fd, 7, SEEK_SET);
    ssize_t n = read(fd, buf, 4);
    probe_check(pos == 7 && n == 4 && memcmp(buf, "wasi", 4) == 0, "lseek SEEK_SET 7, read 4",
                "pos %lld, read %zd '%.4s'", (long long)pos, n, buf);
    pos = lseek(fd, 0, SEEK_CUR);
    probe_check(pos == 11, "lseek SEEK_CUR is 11", "got %lld", (long long)pos);
    pos = lseek(fd, -5, SEEK_END);
    n = read(fd, buf, 5);
    probe_check(pos == (off_t)strlen(text) - 5 && n == 5 && memcmp(buf, "line\n", 5) == 0,
                "lseek SEEK_END -5, read 5", "pos %lld, read %zd", (long long)pos, n);
    probe_check(lseek(fd, -100, SEEK_SET) < 0 && errno == EINVAL, "lseek before 0 is EINVAL",
                "errno %s", probe_errno_name(errno));
    n = pwrite(fd, "WASI", 4, 7);
    memset(buf, 0, sizeof buf);
    ssize_t m = pread(fd, buf, 11, 0);
    probe_check(n == 4 && m == 11 && memcmp(buf, "hello, WASI", 11) == 0, "pwrite then pread",
                "pwrite %zd, pread %zd '%s'", n, m, buf);
    pos = lseek(fd, 0, SEEK_CUR);
    probe_check(pos == (off_t)strlen(text), "pread/pwrite leave the offset", "offset %lld",
                (long long)pos);
    probe_check(ftruncate(fd, 5) == 0, "ftruncate to 5", "%s", strerror(errno));
    struct stat st;
    probe_check(fstat(fd, &st) == 0 && st.st_size == 5 && S_ISREG(st.st_mode),
                "fstat: a regular file of 5 bytes", "size %lld", (long long)st.st_size);
    close(fd);

    fd = open("/data/hello.txt", O_WRONLY | O_APPEND);
    n = fd >= 0 ? write(fd, "+tail", 5) : -1;
    if (fd >= 0) close(fd);
    long len = probe_read_file("/data/hello.txt", buf, sizeof buf);
    probe_check(n == 5 && len == 10 && strcmp(buf, "hello+tail") == 0, "O_APPEND writes at the end",
                "got '%s'", buf);
    fd = open("/data/hello.txt", O_WRONLY | O_CREAT | O_EXCL, 0644);
    probe_check(fd < 0 && errno == EEXIST, "O_CREAT|O_EXCL on an existing file is EEXIST",
                "fd %d errno %s", fd, probe_errno_name(errno));
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of dir (without . and ..), sorted, joined by spaces. */
static void list_dir(const char *dir, char *out, size_t size)
{
    char *names[64];
    size_t n = 0;
    out[0] = 0;
    DIR *d = opendir(dir);
    if (!d) { snprintf(out, size, "opendir: %s", strerror(errno)); return; }
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 64) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmp_names);
    for (size_t i = 0; i < n; i++) {
        if (i) strncat(out, " ", size - strlen(out) - 1);
        strncat(out, names[i], size - strlen(out) - 1);
        free(names[i]);
    }
}

static void directories(void)
{
    char list[512];
    probe_check(mkdir("/data/sub", 0755) == 0, "mkdir /data/sub", "%s", strerror(errno));
    probe_check(mkdir("/data/sub", 0755) < 0 && errno == EEXIST, "mkdir again is EEXIST",
                "errno %s", probe_errno_name(errno));
    static const char *const files[] = {"b.txt", "a.txt", "c.txt"};
    for (int i = 0; i < 3; i++) {
        char path[64];
        snprintf(path, sizeof path, "/data/sub/%s", files[i]);
        FILE *f = fopen(path, "w");
        if (f) { fprintf(f, "%s\n", files[i]); fclose(f); }
    }
    probe_check(mkdir("/data/sub/inner", 0755) == 0, "mkdir /data/sub/inner", "%s", strerror(errno));
    list_dir("/data/sub", list, sizeof list);
    probe_check(strcmp(list, "a.txt b.txt c.txt inner") == 0, "readdir lists the new entries",
                "got '%s'", list);

    /* Many entries: fd_readdir must page through its buffer. */
    int made = 0;
    for (int i = 0; i < 300; i++) {
        char path[64];
        snprintf(path, sizeof path, "/data/sub/inner/entry-with-a-long-name-%03d", i);
        int fd = open(path, O_WRONLY | O_CREAT, 0644);
        if (fd >= 0) { made++; close(fd); }
    }
    int seen = 0;
    DIR *d = opendir("/data/sub/inner");
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL)
        if (strncmp(e->d_name, "entry-", 6) == 0) seen++;
    if (d) closedir(d);
    probe_check(made == 300 && seen == 300, "readdir of 300 entries", "made %d, saw %d", made, seen);
    for (int i = 0; i < 300; i++) {
        char path[64];
        snprintf(path, sizeof path, "/data/sub/inner/entry-with-a-long-name-%03d", i);
        unlink(path);
    }

    struct stat st;
    probe_check(rename("/data/hello.txt", "/data/sub/renamed.txt") == 0,
                "rename hello.txt to sub/renamed.txt", "%s", strerror(errno));
    probe_check(stat("/data/hello.txt", &st) < 0 && errno == ENOENT, "the old name is gone",
                "errno %s", probe_errno_name(errno));
    char buf[64];
    long n = probe_read_file("/data/sub/renamed.txt", buf, sizeof buf);
    probe_check(n == 10 && strcmp(buf, "hello+tail") == 0, "the new name has the content",
                "got '%s'", n < 0 ? strerror(errno) : buf);
    probe_check(rename("/data/sub/inner", "/data/inner2") == 0 && stat("/data/inner2", &st) == 0 &&
                S_ISDIR(st.st_mode), "rename a directory", "%s", strerror(errno));
    probe_check(rmdir("/data/sub") < 0 && errno == ENOTEMPTY, "rmdir of a full directory is ENOTEMPTY",
                "errno %s", probe_errno_name(errno));
    probe_check(unlink("/data/sub") < 0, "unlink of a directory fails", "it succeeded");
    probe_check(rmdir("/data/sub/a.txt") < 0 && errno == ENOTDIR, "rmdir of a file is ENOTDIR",
                "errno %s", probe_errno_name(errno));

    int bad = 0;
    static const char *const gone[] = {"/data/sub/a.txt", "/data/sub/b.txt", "/data/sub/c.txt",
                                       "/data/sub/renamed.txt"};
    for (int i = 0; i < 4; i++) bad += unlink(gone[i]) != 0;
    bad += rmdir("/data/sub") != 0;
    bad += rmdir("/data/inner2") != 0;
    probe_check(bad == 0, "unlink the files, rmdir the directories", "%d failed", bad);
    probe_check(stat("/data/sub", &st) < 0 && errno == ENOENT, "sub is gone", "errno %s",
                probe_errno_name(errno));
    probe_check(open("/data/missing.txt", O_RDONLY) < 0 && errno == ENOENT,
                "opening a missing file is ENOENT", "errno %s", probe_errno_name(errno));
}

static void symlinks_inside(void)
{
    char buf[64];
    probe_check(symlink("input.txt", "/data/link.txt") == 0, "symlink inside the directory",
                "%s", strerror(errno));
    long n = probe_read_file("/data/link.txt", buf, sizeof buf);
    probe_check(n > 0 && strncmp(buf, "line one", 8) == 0, "open through the symlink",
                "got %s", n < 0 ? strerror(errno) : buf);
    ssize_t len = readlink("/data/link.txt", buf, sizeof buf - 1);
    probe_check(len == 9 && memcmp(buf, "input.txt", 9) == 0, "readlink", "got %zd", len);
    struct stat st;
    probe_check(lstat("/data/link.txt", &st) == 0 && S_ISLNK(st.st_mode), "lstat sees a symlink",
                "%s", strerror(errno));
    probe_check(unlink("/data/link.txt") == 0, "unlink the symlink", "%s", strerror(errno));
    probe_check(stat("/data/input.txt", &st) == 0, "its target stays", "%s", strerror(errno));
}

int main(void)
{
    create_and_read();
    seek_and_positional();
    directories();
    symlinks_inside();
    FILE *f = fopen("/data/keep.txt", "w");
    probe_check(f && fputs("kept\n", f) >= 0 && fclose(f) == 0, "write keep.txt", "%s",
                strerror(errno));
    return probe_done();
}
