/*
 * tmptree.c - fills the per-run temp dir (/tmp, from --tmp) with what a
 * hostile guest might leave, then ends in the way argv[1] says; run.sh
 * checks that nothing of it remains on the host, and that nothing outside
 * was touched:
 *
 *   fill FILE DIR  a deep tree (150 levels), a wide directory (400 files),
 *                  a 2 MiB file, a hard link, symlinks: to the host file
 *                  FILE and directory DIR outside, to /, a loop, a dangling
 *                  one, one climbing up; then writes /tmp/READY and waits
 *                  for /tmp/GO (run.sh makes files and directories
 *                  read-only meanwhile, which WASI cannot), and exits 0
 *   trap           writes a few files, then traps
 *   spin           writes a few files, then loops forever
 *   sleep          writes /tmp/READY, then sleeps forever (10 ms naps)
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "probe.h"

static int failures;

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        printf("not ok - write %s: %s\n", path, strerror(errno));
        failures++;
    }
}

static void dir(const char *path)
{
    if (mkdir(path, 0755) != 0) {
        printf("not ok - mkdir %s: %s\n", path, strerror(errno));
        failures++;
    }
}

/* Symlinks leading out may be refused when made; that is fine here. */
static void link_out(const char *target, const char *path)
{
    int rc = symlink(target, path);
    const char *shown = strlen(path) > 40 ? strrchr(path, '/') + 1 : path;
    printf("ok - symlink %s%s -> %s: %s\n", shown == path ? "" : ".../", shown, target,
           rc == 0 ? "made" : probe_errno_name(errno));
}

static void nap_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void fill(const char *outside_file, const char *outside_dir)
{
    char path[2048] = "/tmp/deep";
    dir(path);
    for (int i = 0; i < 150; i++) {
        char file[2100];
        snprintf(file, sizeof file, "%s/f%d.txt", path, i);
        put(file, "level\n");
        strcat(path, "/d");
        dir(path);
    }
    char up[2100];
    snprintf(up, sizeof up, "%s/link_up", path);
    link_out("../../../../../../..", up);

    dir("/tmp/wide");
    for (int i = 0; i < 400; i++) {
        char file[64];
        snprintf(file, sizeof file, "/tmp/wide/file-%03d", i);
        put(file, "wide\n");
    }
    FILE *f = fopen("/tmp/big.bin", "wb");
    static char block[65536];
    memset(block, 'x', sizeof block);
    for (int i = 0; f && i < 32; i++) fwrite(block, 1, sizeof block, f);
    if (f) fclose(f);

    dir("/tmp/ro_dir");
    dir("/tmp/ro_dir/nested");
    put("/tmp/ro_dir/a.txt", "a\n");
    put("/tmp/ro_dir/nested/b.txt", "b\n");
    dir("/tmp/noperm_dir");
    put("/tmp/noperm_dir/c.txt", "c\n");
    put("/tmp/ro_file.txt", "read-only soon\n");
    put("/tmp/noperm_file.txt", "unreadable soon\n");
    if (link("/tmp/ro_file.txt", "/tmp/hard.txt") != 0)
        printf("ok - link /tmp/hard.txt: %s\n", probe_errno_name(errno));

    link_out(outside_file, "/tmp/link_out");
    link_out(outside_dir, "/tmp/link_dir_out");
    link_out("/", "/tmp/link_root");
    link_out("loop_b", "/tmp/loop_a");
    link_out("loop_a", "/tmp/loop_b");
    link_out("does/not/exist", "/tmp/dangling");
    link_out("ro_dir", "/tmp/link_in");
    probe_check(failures == 0, "the tree is built", "%d failures", failures);
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* The guest sees none of the host's /tmp: its own starts empty. */
static void starts_empty(void)
{
    int entries = 0;
    DIR *d = opendir("/tmp");
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL)
        entries += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    if (d) closedir(d);
    probe_check(d != NULL && entries == 0, "/tmp starts empty", "%d entries", entries);
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    if (strcmp(mode, "fill") == 0 && argc == 4) {
        starts_empty();
        fill(argv[2], argv[3]);
        put("/tmp/READY", "");
        int waited = 0;
        while (!exists("/tmp/GO") && waited < 2000) {
            nap_ms(10);
            waited++;
        }
        probe_check(exists("/tmp/GO"), "run.sh said go", "waited %d naps", waited);
        return probe_done();
    }
    if (strcmp(mode, "trap") == 0 || strcmp(mode, "spin") == 0) {
        dir("/tmp/a");
        dir("/tmp/a/b");
        put("/tmp/a/b/c.txt", "written before the end\n");
        put("/tmp/top.txt", "top\n");
        printf("written\n");
        fflush(stdout);
        if (mode[0] == 't') __builtin_trap();
        for (volatile unsigned i = 0;; i++) {
        }
    }
    if (strcmp(mode, "sleep") == 0) {
        dir("/tmp/a");
        put("/tmp/a/file.txt", "sleeping\n");
        put("/tmp/READY", "");
        for (;;) nap_ms(10);
    }
    fprintf(stderr, "usage: tmptree fill FILE DIR | trap | spin | sleep\n");
    return 2;
}
