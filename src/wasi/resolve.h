/*
 * resolve.h - guest paths resolved beneath a directory fd (internal).
 *
 * The one place where a guest path meets the host file system.  Every
 * function here keeps resolution inside the tree of the directory fd it
 * is given: "..", absolute paths, symlinks (absolute, or climbing out)
 * and /proc magic links cannot leave it.  Such an attempt fails with
 * WASI_ENOTCAPABLE and with nothing else, so a caller that sees
 * WASI_ENOTCAPABLE from here knows it was an escape and audits it.
 *
 * All results are WASI errnos (0 on success).
 */
#ifndef WASI_RESOLVE_H
#define WASI_RESOLVE_H

#include <limits.h>
#include <stdbool.h>
#include <sys/stat.h>

#include "wasi/internal.h"

/* The longest guest path accepted (bytes, without a NUL). */
#define WASI_PATH_MAX 4096

/* Copies the guest path [ptr, ptr+len) into out (WASI_PATH_MAX + 1
   bytes) with a NUL: EFAULT outside memory, ENAMETOOLONG over
   WASI_PATH_MAX, EINVAL when it holds a NUL byte, ENOENT when empty. */
int wasi_path_copy(wasm_call *call, uint32_t ptr, uint32_t len, char *out);

/* Opens path beneath dirfd with open(2) flags (O_CLOEXEC is added; mode
   is used with O_CREAT).  follow: whether a symlink as the last
   component is followed (still beneath); symlinks before it always are.
   On success *fd is the new host fd. */
int wasi_resolve_open(int dirfd, const char *path, int flags, mode_t mode, bool follow, int *fd);

/* A path split into the directory that holds its last component, opened
   beneath dirfd (O_PATH), and that component, for the *at() calls that
   act on a name without following it. */
typedef struct wasi_parent {
    int fd;                  /* -1 when dots is set */
    char name[NAME_MAX + 1]; /* the last component, without slashes */
    bool dir_only;           /* the path ended in '/': a directory is meant */
    bool dots;               /* the last component is "." or ".." (and the
                                whole path is beneath dirfd): a name
                                operation on it makes no sense */
} wasi_parent;

/* Resolves the parent of path.  On success p->fd is open (unless
   p->dots); release it with wasi_parent_close. */
int wasi_resolve_parent(int dirfd, const char *path, wasi_parent *p);
void wasi_parent_close(wasi_parent *p);

/* For tests: resolve by the component walk, as on kernels without
   openat2(2). */
extern bool wasi_resolve_no_openat2;

#endif
