/*
 * preopens.c - the directories the guest was granted, as it sees them:
 * one line a preopen, "NAME rw" or "NAME ro" (whether a file can be
 * created in it; the file is removed again).  run.sh checks how
 * `--dir HOST[::GUEST][:ro]` is parsed by comparing this output exactly.
 */
#include <stdio.h>
#include <string.h>

#include "probe.h"

int main(void)
{
    for (__wasi_fd_t fd = 3; fd < 64; fd++) {
        __wasi_prestat_t ps;
        char name[512];
        if (__wasi_fd_prestat_get(fd, &ps) != 0) break;
        size_t len = ps.u.dir.pr_name_len;
        if (len >= sizeof name || __wasi_fd_prestat_dir_name(fd, (uint8_t *)name, len) != 0) {
            printf("fd %u: bad name\n", (unsigned)fd);
            continue;
        }
        name[len] = 0;
        int e = probe_try_open(fd, "preopens-probe.tmp", false, __WASI_OFLAGS_CREAT, true);
        if (e == 0) (void)__wasi_path_unlink_file(fd, "preopens-probe.tmp");
        printf("%s %s\n", name, e == 0 ? "rw" : "ro");
    }
    return 0;
}
