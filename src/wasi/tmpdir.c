/*
 * tmpdir.c - the per-run temp directory: created fresh under $TMPDIR,
 * removed with everything a guest may have left in it.
 *
 * Removal never follows a symlink (every open is O_NOFOLLOW, every
 * unlink is of the link itself), makes read-only directories writable
 * before emptying them, and walks the tree with a heap stack rather than
 * C recursion, so a hostile guest's thousand-level tree costs heap, not
 * the host's stack.  Only one directory fd is open at a time.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi/internal.h"

char *wasi_tmpdir_create(wasm_error *err)
{
    const char *base = getenv("TMPDIR");
    if (!base || !*base) base = "/tmp";
    size_t n = strlen(base) + sizeof "/wasmguard-XXXXXX";
    char *path = malloc(n);
    if (!path) {
        wasm_error_set(err, WASM_NOMEM, "out of memory creating the temp dir");
        return NULL;
    }
    snprintf(path, n, "%s/wasmguard-XXXXXX", base);
    if (!mkdtemp(path)) {
        wasm_error_set(err, WASM_HOST_ERROR, "cannot create a temp dir under %s: %s", base,
                       strerror(errno));
        free(path);
        return NULL;
    }
    return path;
}

typedef struct name_stack {
    char **names;
    size_t n, cap;
} name_stack;

static bool stack_push(name_stack *s, const char *name)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        char **p = realloc(s->names, cap * sizeof *p);
        if (!p) return false;
        s->names = p;
        s->cap = cap;
    }
    s->names[s->n] = strdup(name);
    return s->names[s->n++] != NULL;
}

/* Opens a directory below dirfd without following a symlink, making it
   readable, writable and searchable first. */
static int open_dir(int dirfd, const char *name)
{
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == EACCES) {
        fchmodat(dirfd, name, S_IRWXU, 0);
        fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    }
    if (fd >= 0) fchmod(fd, S_IRWXU);
    return fd;
}

/* Deletes every entry of the directory at fd that is not a directory;
   returns the first subdirectory found (caller frees), or NULL when the
   directory holds no more subdirectories. */
static char *empty_files(int fd, bool *failed)
{
    int dup_fd = dup(fd);
    DIR *d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
    if (!d) {
        if (dup_fd >= 0) close(dup_fd);
        *failed = true;
        return NULL;
    }
    char *subdir = NULL;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        struct stat st;
        if (fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
        if (S_ISDIR(st.st_mode)) {
            if (!subdir) subdir = strdup(e->d_name);
            continue;
        }
        if (unlinkat(fd, e->d_name, 0) != 0) *failed = true;
    }
    closedir(d);
    return subdir;
}

bool wasi_tree_remove(const char *path)
{
    name_stack stack = {0};
    bool failed = false;
    int fd = open_dir(AT_FDCWD, path);
    if (fd < 0) return errno == ENOENT;
    /* Depth first: go down into the first subdirectory until a directory
       has none, remove it from its parent, and look again. */
    while (fd >= 0) {
        char *sub = empty_files(fd, &failed);
        if (sub) {
            int child = open_dir(fd, sub);
            if (child < 0 || !stack_push(&stack, sub)) {
                /* cannot go down: give up on this branch */
                if (child >= 0) close(child);
                free(sub);
                failed = true;
                break;
            }
            free(sub);
            close(fd);
            fd = child;
            continue;
        }
        if (stack.n == 0) break; /* the top directory is empty */
        int parent = openat(fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        close(fd);
        fd = parent;
        if (fd < 0) {
            failed = true;
            break;
        }
        char *name = stack.names[--stack.n];
        if (unlinkat(fd, name, AT_REMOVEDIR) != 0) failed = true;
        free(name);
        if (failed) break;
    }
    if (fd >= 0) close(fd);
    for (size_t i = 0; i < stack.n; i++) free(stack.names[i]);
    free(stack.names);
    if (!failed && rmdir(path) != 0) failed = true;
    return !failed;
}
