/*
 * probe.h - what the WASI test guests share (they are built for
 * wasm32-wasi, tests/wasi/wasi.mk).
 *
 * A guest prints one line a check, "ok - WHAT" or "not ok - WHAT: why",
 * and "done" at the end; run.sh counts them, so a guest that dies half
 * way is noticed by the missing "done".  Raw calls go through
 * <wasi/api.h> against a preopen's fd, so wasi-libc's own path handling
 * cannot hide what the host decided.
 */
#ifndef TESTS_WASI_PROBE_H
#define TESTS_WASI_PROBE_H

#include <stdbool.h>
#include <stdint.h>
#include <wasi/api.h>

/* Prints "ok - WHAT" or "not ok - WHAT: <detail>"; returns cond. */
bool probe_check(bool cond, const char *what, const char *detail_fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A WASI errno's name ("ENOTCAPABLE"); errno values of wasi-libc are the
   same numbers. */
const char *probe_errno_name(int e);
/* The check that an attempt to leave the sandbox, or to write through a
   read-only grant, was refused: e is ENOTCAPABLE or EACCES. */
bool probe_refused(int e, const char *what);
/* The same for making a symlink whose target leads out: refusing it when
   it is made may also be EPERM (following it later is what matters). */
bool probe_refused_make(int e, const char *what);
/* The check that a call succeeded (e is 0). */
bool probe_allowed(int e, const char *what);
/* The fd of the preopen the guest sees as name; exits when none. */
__wasi_fd_t probe_preopen(const char *name);
/* Raw path_open of path beneath dir: read (oflags 0) or with oflags and
   write rights; the new fd in *out.  Returns the WASI errno. */
int probe_open(__wasi_fd_t dir, const char *path, bool follow, __wasi_oflags_t oflags,
               bool write, __wasi_fd_t *out);
/* Raw path_open; closes the fd it got.  Returns the WASI errno. */
int probe_try_open(__wasi_fd_t dir, const char *path, bool follow, __wasi_oflags_t oflags,
                   bool write);
/* Reads a whole file through libc into buf (NUL-terminated); -1 and errno
   on failure, else the length. */
long probe_read_file(const char *path, char *buf, unsigned long size);
/* Prints "done" and returns 0 (main's last line). */
int probe_done(void);

#endif
