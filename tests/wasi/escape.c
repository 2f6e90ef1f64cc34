/*
 * escape.c - attempts to leave the granted directory (/sandbox), each of
 * which must fail with ENOTCAPABLE or EACCES, next to controls that stay
 * inside and must work.  argv[1] is the host path of the directory
 * "outside" beside the sandbox (run.sh's layout):
 *
 *   W/outside/secret.txt, W/outside/emptydir/, W/outside/hostlink -> secret.txt
 *   W/sandbox/inside.txt, W/sandbox/sub/target.txt
 *   W/sandbox/planted_root -> /             (symlinks made by the host)
 *   W/sandbox/planted_abs -> W/outside/secret.txt
 *   W/sandbox/planted_rel -> ../outside/secret.txt
 *   W/sandbox/planted_dir_out -> W/outside
 *   W/sandbox/planted_proc -> /proc/self/root
 *
 * run.sh then checks that nothing outside changed.  The raw calls of
 * <wasi/api.h> are used, so the host decides, not wasi-libc.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "probe.h"

#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW
#define CREAT __WASI_OFLAGS_CREAT
#define DIRECTORY __WASI_OFLAGS_DIRECTORY

static __wasi_fd_t dir;

static void refused_open(const char *path, __wasi_oflags_t oflags, bool write)
{
    char what[160];
    snprintf(what, sizeof what, "path_open %s%s%s is refused", path,
             oflags & CREAT ? " O_CREAT" : "", write ? " for writing" : "");
    probe_refused(probe_try_open(dir, path, true, oflags, write), what);
}

static void controls(void)
{
    probe_allowed(probe_try_open(dir, "inside.txt", true, 0, false), "control: open inside.txt");
    probe_allowed(probe_try_open(dir, "sub/target.txt", true, 0, false),
                  "control: open sub/target.txt");
    probe_allowed(probe_try_open(dir, "sub/../inside.txt", true, 0, false),
                  "control: a .. that stays inside");
    probe_allowed(__wasi_path_symlink("in2", dir, "in1"), "control: symlink in1 -> in2");
    probe_allowed(__wasi_path_symlink("sub/target.txt", dir, "in2"),
                  "control: symlink in2 -> sub/target.txt");
    probe_allowed(probe_try_open(dir, "in1", true, 0, false),
                  "control: open through a symlink chain that stays inside");
}

static void dot_dot_and_absolute(void)
{
    refused_open("../outside/secret.txt", 0, false);
    refused_open("../../etc/passwd", 0, false);
    refused_open("/etc/passwd", 0, false);
    refused_open("/", DIRECTORY, false);
    refused_open("..", DIRECTORY, false);
    refused_open("sub/../../outside/secret.txt", 0, false);
    refused_open("sub/../..", DIRECTORY, false);
    refused_open("../sandbox/inside.txt", 0, false);
    refused_open("../outside/created.txt", CREAT, true);

    /* The same through wasi-libc's path lookup. */
    errno = 0;
    int fd = open("/etc/passwd", O_RDONLY);
    probe_refused(fd < 0 ? errno : 0, "libc open /etc/passwd is refused");
    errno = 0;
    fd = open("/sandbox/../../etc/passwd", O_RDONLY);
    probe_refused(fd < 0 ? errno : 0, "libc open /sandbox/../../etc/passwd is refused");
}

static void planted_symlinks(void)
{
    refused_open("planted_root/etc/passwd", 0, false);
    refused_open("planted_root", DIRECTORY, false);
    refused_open("planted_abs", 0, false);
    refused_open("planted_abs", __WASI_OFLAGS_TRUNC, true);
    refused_open("planted_rel", 0, false);
    refused_open("planted_dir_out/secret.txt", 0, false);
    refused_open("planted_dir_out/created.txt", CREAT, true);
    refused_open("planted_proc/etc/passwd", 0, false);
    errno = 0;
    int fd = open("/sandbox/planted_abs", O_RDONLY);
    probe_refused(fd < 0 ? errno : 0, "libc open /sandbox/planted_abs is refused");
}

/* A symlink the guest makes may be refused when it is made, or when it is
   followed; either way it must not lead out. */
static void guest_symlink(const char *target, const char *name, const char *through,
                          __wasi_oflags_t oflags)
{
    char what[200];
    int e = __wasi_path_symlink(target, dir, name);
    if (e != 0) {
        snprintf(what, sizeof what, "symlink %s -> %s is refused when made", name, target);
        probe_refused_make(e, what);
        return;
    }
    snprintf(what, sizeof what, "path_open %s (guest symlink %s -> %s) is refused", through, name,
             target);
    probe_refused(probe_try_open(dir, through, true, oflags, false), what);
}

static void guest_symlinks(const char *outside)
{
    char target[512];
    guest_symlink("/", "root", "root/etc/passwd", 0);
    guest_symlink("/", "root2", "root2", DIRECTORY);
    snprintf(target, sizeof target, "%s/secret.txt", outside);
    guest_symlink(target, "abs_out", "abs_out", 0);
    guest_symlink("../outside/secret.txt", "rel_out", "rel_out", 0);

    /* A chain c1 -> c2 -> sub/c3 -> ../.. that only leads out at its end. */
    probe_allowed(__wasi_path_symlink("c2", dir, "c1"), "symlink c1 -> c2");
    probe_allowed(__wasi_path_symlink("sub/c3", dir, "c2"), "symlink c2 -> sub/c3");
    int e = __wasi_path_symlink("../..", dir, "sub/c3");
    if (e != 0) {
        probe_refused_make(e, "symlink sub/c3 -> ../.. is refused when made");
        return;
    }
    probe_check(true, "symlink sub/c3 -> ../..", "%s", "");
    refused_open("c1/outside/secret.txt", 0, false);
    refused_open("c1", DIRECTORY, false);
    refused_open("c1/sandbox/inside.txt", 0, false);
    refused_open("c2/outside/created.txt", CREAT, true);
}

static void renames_and_links(void)
{
    probe_allowed(probe_try_open(dir, "victim.txt", true, CREAT, true), "create victim.txt");
    probe_refused(__wasi_path_rename(dir, "victim.txt", dir, "../outside/moved.txt"),
                  "rename victim.txt to ../outside/moved.txt is refused");
    probe_refused(__wasi_path_rename(dir, "victim.txt", dir, "planted_dir_out/moved.txt"),
                  "rename victim.txt to planted_dir_out/moved.txt is refused");
    probe_refused(__wasi_path_rename(dir, "victim.txt", dir, "c1/moved.txt"),
                  "rename victim.txt to c1/moved.txt (chain out) is refused");
    probe_refused(__wasi_path_rename(dir, "../outside/secret.txt", dir, "stolen.txt"),
                  "rename ../outside/secret.txt into the sandbox is refused");
    probe_refused(__wasi_path_rename(dir, "planted_dir_out/secret.txt", dir, "stolen.txt"),
                  "rename planted_dir_out/secret.txt into the sandbox is refused");
    probe_refused(__wasi_path_rename(dir, "sub", dir, "../sub_moved"),
                  "rename of a directory out is refused");

    probe_refused(__wasi_path_link(dir, 0, "../outside/secret.txt", dir, "hl1"),
                  "hard link to ../outside/secret.txt is refused");
    probe_refused(__wasi_path_link(dir, FOLLOW, "planted_abs", dir, "hl2"),
                  "hard link following planted_abs is refused");
    probe_refused(__wasi_path_link(dir, 0, "planted_dir_out/secret.txt", dir, "hl3"),
                  "hard link to planted_dir_out/secret.txt is refused");
    probe_refused(__wasi_path_link(dir, 0, "inside.txt", dir, "../outside/hl4"),
                  "hard link placed outside is refused");
    probe_refused(__wasi_path_link(dir, 0, "c1/outside/secret.txt", dir, "hl5"),
                  "hard link through the chain is refused");
}

static void other_calls(void)
{
    __wasi_filestat_t st;
    probe_refused(__wasi_path_filestat_get(dir, FOLLOW, "../outside/secret.txt", &st),
                  "path_filestat_get ../outside/secret.txt is refused");
    probe_refused(__wasi_path_filestat_get(dir, FOLLOW, "planted_abs", &st),
                  "path_filestat_get following planted_abs is refused");
    probe_refused(__wasi_path_filestat_set_times(dir, FOLLOW, "planted_abs", 0, 0,
                                                 __WASI_FSTFLAGS_MTIM_NOW),
                  "path_filestat_set_times following planted_abs is refused");
    probe_refused(__wasi_path_create_directory(dir, "../outside/newdir"),
                  "mkdir ../outside/newdir is refused");
    probe_refused(__wasi_path_create_directory(dir, "planted_dir_out/newdir"),
                  "mkdir planted_dir_out/newdir is refused");
    probe_refused(__wasi_path_unlink_file(dir, "../outside/secret.txt"),
                  "unlink ../outside/secret.txt is refused");
    probe_refused(__wasi_path_unlink_file(dir, "planted_dir_out/secret.txt"),
                  "unlink planted_dir_out/secret.txt is refused");
    probe_refused(__wasi_path_remove_directory(dir, "../outside/emptydir"),
                  "rmdir ../outside/emptydir is refused");
    probe_refused(__wasi_path_remove_directory(dir, "planted_dir_out/emptydir"),
                  "rmdir planted_dir_out/emptydir is refused");
    probe_refused(__wasi_path_symlink("x", dir, "../outside/link"),
                  "symlink placed outside is refused");
    uint8_t buf[64];
    __wasi_size_t n;
    probe_refused(__wasi_path_readlink(dir, "../outside/hostlink", buf, sizeof buf, &n),
                  "readlink ../outside/hostlink is refused");
    probe_refused(__wasi_path_readlink(dir, "planted_dir_out/hostlink", buf, sizeof buf, &n),
                  "readlink planted_dir_out/hostlink is refused");

    /* A directory fd that is not a preopen is a boundary of its own. */
    __wasi_fd_t sub;
    int e = probe_open(dir, "sub", true, DIRECTORY, false, &sub);
    if (probe_allowed(e, "control: open directory sub")) {
        probe_allowed(probe_try_open(sub, "target.txt", true, 0, false),
                      "control: open target.txt beneath sub");
        probe_refused(probe_try_open(sub, "../inside.txt", true, 0, false),
                      "../inside.txt beneath the fd of sub is refused");
        probe_refused(probe_try_open(sub, "../../outside/secret.txt", true, 0, false),
                      "../../outside/secret.txt beneath sub is refused");
        (void)__wasi_fd_close(sub);
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: escape OUTSIDE_HOST_DIR\n");
        return 2;
    }
    dir = probe_preopen("/sandbox");
    controls();
    dot_dot_and_absolute();
    planted_symlinks();
    guest_symlinks(argv[1]);
    renames_and_links();
    other_calls();
    return probe_done();
}
