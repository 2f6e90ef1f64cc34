/*
 * archive.c - plugin tarballs with libarchive: unpacking one safely
 * (helm_archive_extract) and packing a plugin directory into Helm's
 * NAME-VERSION.tgz (helm_archive_package).
 *
 * Unpacking reads the tarball twice through one file descriptor.  The
 * first pass checks every header (name, type, the entry count, declared
 * sizes) and skips the data, so a refused tarball writes nothing.  The
 * second pass checks each entry again (the file may have changed in
 * between) and writes it under a directory fd with O_EXCL|O_NOFOLLOW,
 * counting the bytes as they inflate.  What was written is removed on
 * any refusal.  CVE-2026-35204 (a version "../../x" later joined into a
 * path) is stopped by the strict SemVer check of helm_plugin_load, run
 * on the unpacked plugin.yaml before the caller builds a path from it.
 */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helm/archive_msg.h"
#include "helm/helm.h"

#define BLOCK 65536
/* Bytes of tar stream allowed per entry beyond its contents: a ustar
   header, a pax header holding a PATH_MAX name, padding.  Caps the
   inflated stream even where no entry declares a size. */
#define HEADER_SLACK (16u * 1024)
#define NAME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"

void helm_archive_limits_default(helm_archive_limits *lim)
{
    lim->max_files = HELM_ARCHIVE_MAX_FILES;
    lim->max_bytes = HELM_ARCHIVE_MAX_BYTES;
}

/* name as printable text, other bytes as \xNN, cut at about 120 bytes. */
static const char *printable(char *buf, size_t size, const char *s)
{
    size_t o = 0;
    for (; *s && o + 8 < size && o < 120; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f) o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
        else buf[o++] = (char)c;
    }
    if (*s && o + 4 <= size) { memcpy(buf + o, "...", 3); o += 3; }
    buf[o] = '\0';
    return buf;
}

static mode_t sanitize_mode(mode_t mode, bool dir)
{
    return dir || (mode & S_IXUSR) ? 0755 : 0644;
}

static const char *type_name(mode_t type)
{
    switch (type) {
    case AE_IFLNK: return "symlink";
    case AE_IFCHR: return "character device";
    case AE_IFBLK: return "block device";
    case AE_IFIFO: return "FIFO";
    case AE_IFSOCK: return "socket";
    case AE_IFDIR: return "directory";
    case AE_IFREG: return "regular file";
    default: return "file of an unknown type";
    }
}

/* Removes everything under the directory dfd (not following symlinks). */
static void remove_contents(int dfd)
{
    int fd = dup(dfd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0) close(fd);
        return;
    }
    size_t removed;
    do {
        removed = 0;
        rewinddir(d);
        struct dirent *de;
        while ((de = readdir(d))) {
            const char *n = de->d_name;
            if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0) continue;
            if (unlinkat(dfd, n, 0) == 0) { removed++; continue; }
            int sub = openat(dfd, n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub >= 0) {
                remove_contents(sub);
                close(sub);
            }
            if (unlinkat(dfd, n, AT_REMOVEDIR) == 0) removed++;
        }
    } while (removed > 0);
    closedir(d);
}

static bool dir_is_empty(int dfd)
{
    int fd = dup(dfd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0) close(fd);
        return false;
    }
    bool empty = true;
    struct dirent *de;
    while (empty && (de = readdir(d)))
        empty = strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0;
    closedir(d);
    return empty;
}

/* ---- Unpacking ---------------------------------------------------------- */

typedef struct unpack {
    const char *tgz;
    const helm_archive_limits *lim;
    wasm_error *err;
    int root;                      /* dest_dir */
    char top[NAME_MAX + 1];        /* the one top-level directory; "" until seen */
    uint64_t files;                /* entries so far */
    uint64_t declared, bytes;      /* contents declared by headers, and inflated */
} unpack;

static wasm_status refuse(unpack *u, wasm_status st, const char *entry, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static wasm_status refuse(unpack *u, wasm_status st, const char *entry, const char *fmt, ...)
{
    char why[WASM_ERROR_MESSAGE_MAX], name[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return wasm_error_set(u->err, st, "%s: %s: %s", u->tgz, printable(name, sizeof name, entry),
                          why);
}

/* Checks the name of an entry: relative, no "." or ".." component, no
   control character, under the one top-level directory. */
static wasm_status check_name(unpack *u, const char *name, bool is_dir)
{
    if (name[0] == '/') return refuse(u, WASM_BAD_ARGUMENT, name, HELM_MSG_A_ABSOLUTE);
    size_t len = strlen(name);
    if (len >= PATH_MAX) return refuse(u, WASM_BAD_ARGUMENT, name, HELM_MSG_A_LONG);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
            return refuse(u, WASM_BAD_ARGUMENT, name, HELM_MSG_A_CONTROL);
    size_t ncomp = 0;
    for (const char *p = name; *p;) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return refuse(u, WASM_BAD_ARGUMENT, name, HELM_MSG_A_DOTDOT);
        if (n == 0 || (n == 1 && p[0] == '.'))
            return refuse(u, WASM_BAD_ARGUMENT, name, HELM_MSG_A_DOT);
        if (ncomp++ == 0) {
            if (n > NAME_MAX || strspn(p, NAME_CHARS) < n)
                return refuse(u, WASM_BAD_ARGUMENT, name, HELM_MSG_A_TOP_NAME);
            if (!u->top[0]) {
                memcpy(u->top, p, n);
                u->top[n] = '\0';
            } else if (strlen(u->top) != n || memcmp(u->top, p, n) != 0) {
                return refuse(u, WASM_BAD_ARGUMENT, name, HELM_MSG_A_OUTSIDE, u->top);
            }
        }
        if (!slash) break;
        p = slash + 1;
    }
    if (ncomp == 1 && !is_dir) return refuse(u, WASM_BAD_ARGUMENT, name, HELM_MSG_A_TOP_FILE);
    return WASM_OK;
}

/* Checks one header; *rel receives the name to write (NULL: nothing to
   write, the archive's own "./"). */
static wasm_status check_entry(unpack *u, struct archive_entry *e, const char **rel)
{
    *rel = NULL;
    const char *name = archive_entry_pathname(e);
    if (!name || !name[0]) return refuse(u, WASM_BAD_ARGUMENT, "", HELM_MSG_A_NO_NAME);
    if (++u->files > u->lim->max_files)
        return refuse(u, WASM_BAD_ARGUMENT, name, HELM_MSG_A_FILES,
                      (unsigned long long)u->lim->max_files);
    mode_t type = archive_entry_filetype(e);
    bool is_dir = type == AE_IFDIR;
    const char *path = strncmp(name, "./", 2) == 0 ? name + 2 : name;  /* tar's ./NAME/... */
    if (path[0] || !is_dir) {
        wasm_status st = check_name(u, path, is_dir);
        if (st != WASM_OK) return st;
    }
    const char *hl = archive_entry_hardlink(e), *sl = archive_entry_symlink(e);
    char target[160];
    if (hl)
        return refuse(u, WASM_BAD_ARGUMENT, name, HELM_MSG_A_HARDLINK,
                      printable(target, sizeof target, hl));
    if (sl || type == AE_IFLNK)
        return refuse(u, WASM_BAD_ARGUMENT, name, HELM_MSG_A_SYMLINK,
                      printable(target, sizeof target, sl ? sl : ""));
    if (type != AE_IFREG && !is_dir)
        return refuse(u, WASM_BAD_ARGUMENT, name, HELM_MSG_A_TYPE, type_name(type));
    if (type == AE_IFREG) {
        if (archive_entry_sparse_count(e) > 0)
            return refuse(u, WASM_BAD_ARGUMENT, name, HELM_MSG_A_SPARSE);
        if (!archive_entry_size_is_set(e) || archive_entry_size(e) < 0)
            return refuse(u, WASM_BAD_ARGUMENT, name, HELM_MSG_A_SIZE);
        uint64_t size = (uint64_t)archive_entry_size(e);
        if (size > u->lim->max_bytes - u->declared)
            return refuse(u, WASM_BAD_ARGUMENT, name, HELM_MSG_A_BYTES,
                          (unsigned long long)u->lim->max_bytes);
        u->declared += size;
    }
    if (path[0]) *rel = path;
    return WASM_OK;
}

/* The inflated tar stream stays within the contents allowed plus a
   header's worth per entry: headers without contents cannot be a bomb. */
static wasm_status check_stream(unpack *u, struct archive *a, const char *name)
{
    uint64_t slack = (u->files + 1) * (uint64_t)HEADER_SLACK;
    if (u->lim->max_bytes <= UINT64_MAX - slack &&
        (uint64_t)archive_filter_bytes(a, 0) > u->lim->max_bytes + slack)
        return refuse(u, WASM_BAD_ARGUMENT, name, HELM_MSG_A_BYTES,
                      (unsigned long long)u->lim->max_bytes);
    return WASM_OK;
}

static struct archive *open_reader(unpack *u, int fd)
{
    struct archive *a = archive_read_new();
    if (!a) {
        wasm_error_set(u->err, WASM_NOMEM, HELM_MSG_A_NOMEM);
        return NULL;
    }
    archive_read_support_filter_gzip(a);
    archive_read_support_format_tar(a);
    if (lseek(fd, 0, SEEK_SET) != 0 || archive_read_open_fd(a, fd, BLOCK) != ARCHIVE_OK) {
        wasm_error_set(u->err, WASM_BAD_ARGUMENT, HELM_MSG_A_BAD, u->tgz,
                       archive_error_string(a) ? archive_error_string(a) : strerror(errno));
        archive_read_free(a);
        return NULL;
    }
    return a;
}

static wasm_status bad_archive(unpack *u, struct archive *a)
{
    const char *why = archive_error_string(a);
    return wasm_error_set(u->err, WASM_BAD_ARGUMENT, HELM_MSG_A_BAD, u->tgz,
                          why ? why : "unknown error");
}

/* Makes (if needed) and opens the directory name under dfd. */
static int open_dir(unpack *u, int dfd, const char *name, const char *entry)
{
    if (mkdirat(dfd, name, 0755) != 0 && errno != EEXIST) {
        refuse(u, WASM_HOST_ERROR, entry, HELM_MSG_A_WRITE, strerror(errno));
        return -1;
    }
    int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOTDIR || errno == ELOOP) refuse(u, WASM_BAD_ARGUMENT, entry, HELM_MSG_A_TWICE);
        else refuse(u, WASM_HOST_ERROR, entry, HELM_MSG_A_WRITE, strerror(errno));
    }
    return fd;
}

static bool write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

/* Writes the contents of the current entry into the new file leaf of dfd. */
static wasm_status write_file(unpack *u, struct archive *a, struct archive_entry *e, int dfd,
                              const char *leaf, const char *entry)
{
    int fd = openat(dfd, leaf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return errno == EEXIST ? refuse(u, WASM_BAD_ARGUMENT, entry, HELM_MSG_A_TWICE)
                               : refuse(u, WASM_HOST_ERROR, entry, HELM_MSG_A_WRITE, strerror(errno));
    wasm_status st = WASM_OK;
    int64_t at = 0;
    for (;;) {
        const void *buf;
        size_t size;
        la_int64_t off;
        int r = archive_read_data_block(a, &buf, &size, &off);
        if (r == ARCHIVE_EOF) break;
        if (r < ARCHIVE_WARN) { st = bad_archive(u, a); break; }
        if (off != at) { st = refuse(u, WASM_BAD_ARGUMENT, entry, HELM_MSG_A_SPARSE); break; }
        if (size > u->lim->max_bytes - u->bytes) {
            st = refuse(u, WASM_BAD_ARGUMENT, entry, HELM_MSG_A_BYTES,
                        (unsigned long long)u->lim->max_bytes);
            break;
        }
        u->bytes += size;
        at += (int64_t)size;
        if (!write_all(fd, buf, size)) {
            st = refuse(u, WASM_HOST_ERROR, entry, HELM_MSG_A_WRITE, strerror(errno));
            break;
        }
    }
    if (st == WASM_OK && at != archive_entry_size(e))
        st = refuse(u, WASM_BAD_ARGUMENT, entry, HELM_MSG_A_CHANGED);
    if (st == WASM_OK && fchmod(fd, sanitize_mode(archive_entry_perm(e), false)) != 0)
        st = refuse(u, WASM_HOST_ERROR, entry, HELM_MSG_A_WRITE, strerror(errno));
    if (close(fd) != 0 && st == WASM_OK)
        st = refuse(u, WASM_HOST_ERROR, entry, HELM_MSG_A_WRITE, strerror(errno));
    return st;
}

/* Writes one checked entry, rel, under u->root, one directory at a time. */
static wasm_status write_entry(unpack *u, struct archive *a, struct archive_entry *e,
                               const char *rel)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s", rel);  /* check_name: shorter than PATH_MAX */
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/') path[--len] = '\0';
    int dfd = u->root;
    char *p = path, *slash;
    while ((slash = strchr(p, '/'))) {
        *slash = '\0';
        int sub = open_dir(u, dfd, p, rel);
        if (dfd != u->root) close(dfd);
        if (sub < 0) return u->err->status;
        dfd = sub;
        p = slash + 1;
    }
    wasm_status st = WASM_OK;
    if (archive_entry_filetype(e) == AE_IFDIR) {
        int sub = open_dir(u, dfd, p, rel);
        if (sub < 0) st = u->err->status;
        else if (fchmod(sub, 0755) != 0)
            st = refuse(u, WASM_HOST_ERROR, rel, HELM_MSG_A_WRITE, strerror(errno));
        if (sub >= 0) close(sub);
    } else {
        st = write_file(u, a, e, dfd, p, rel);
    }
    if (dfd != u->root) close(dfd);
    return st;
}

/* One pass over the tarball: checks every entry and, when write is set,
   writes it; otherwise skips the data. */
static wasm_status unpack_pass(unpack *u, int fd, bool write)
{
    u->top[0] = '\0';
    u->files = u->declared = u->bytes = 0;
    struct archive *a = open_reader(u, fd);
    if (!a) return u->err->status;
    wasm_status st = WASM_OK;
    for (;;) {
        struct archive_entry *e;
        int r = archive_read_next_header(a, &e);
        if (r == ARCHIVE_EOF) break;
        if (r < ARCHIVE_WARN) { st = bad_archive(u, a); break; }
        const char *rel;
        if ((st = check_entry(u, e, &rel)) != WASM_OK) break;
        if ((st = check_stream(u, a, archive_entry_pathname(e))) != WASM_OK) break;
        if (write && rel) st = write_entry(u, a, e, rel);
        else if (archive_read_data_skip(a) < ARCHIVE_WARN) st = bad_archive(u, a);
        if (st != WASM_OK) break;
    }
    if (st == WASM_OK && !u->top[0])
        st = wasm_error_set(u->err, WASM_BAD_ARGUMENT, HELM_MSG_A_EMPTY, u->tgz);
    archive_read_free(a);
    return st;
}

/* NAME/plugin.yaml loads and names the plugin NAME. */
static wasm_status check_plugin(unpack *u, const char *dest, char **plugin_dir_out)
{
    char rel[NAME_MAX + 32];
    snprintf(rel, sizeof rel, "%s/%s", u->top, HELM_PLUGIN_FILE);
    struct stat sb;
    if (fstatat(u->root, rel, &sb, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(sb.st_mode))
        return wasm_error_set(u->err, WASM_BAD_ARGUMENT, HELM_MSG_A_NO_YAML, u->tgz, u->top);
    size_t dlen = strlen(dest);
    char *dir = malloc(dlen + strlen(u->top) + 2);
    if (!dir) return wasm_error_set(u->err, WASM_NOMEM, HELM_MSG_A_NOMEM);
    sprintf(dir, "%s/%s", dest, u->top);
    wasm_error lerr;
    wasm_error_clear(&lerr);
    helm_plugin *p = helm_plugin_load(dir, &lerr);
    wasm_status st = WASM_OK;
    if (!p) {
        /* "DEST/NAME/plugin.yaml:3: version: ..." reads "NAME/plugin.yaml:3: ..." */
        const char *m = lerr.message;
        if (strncmp(m, dest, dlen) == 0 && m[dlen] == '/') m += dlen + 1;
        st = wasm_error_set(u->err, lerr.status, HELM_MSG_A_YAML, u->tgz, m);
    } else if (strcmp(p->name, u->top) != 0) {
        char name[160];
        st = wasm_error_set(u->err, WASM_BAD_ARGUMENT, HELM_MSG_A_MISMATCH, u->tgz,
                            printable(name, sizeof name, p->name), u->top);
    }
    helm_plugin_free(p);
    if (st == WASM_OK && plugin_dir_out) *plugin_dir_out = dir;
    else free(dir);
    return st;
}

wasm_status helm_archive_extract(const char *tgz_path, const char *dest_dir,
                                 const helm_archive_limits *lim, char **plugin_dir_out,
                                 wasm_error *err)
{
    helm_archive_limits defaults;
    if (!lim) {
        helm_archive_limits_default(&defaults);
        lim = &defaults;
    }
    if (plugin_dir_out) *plugin_dir_out = NULL;
    unpack u = {.tgz = tgz_path, .lim = lim, .err = err, .root = -1};
    int fd = open(tgz_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_A_OPEN, tgz_path, strerror(errno));
    wasm_status st = WASM_OK;
    u.root = open(dest_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (u.root < 0) {
        st = wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_A_DEST, dest_dir, strerror(errno));
    } else if (!dir_is_empty(u.root)) {
        st = wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_A_NOT_EMPTY, dest_dir);
    } else if ((st = unpack_pass(&u, fd, false)) == WASM_OK) {
        st = unpack_pass(&u, fd, true);
        if (st == WASM_OK) st = check_plugin(&u, dest_dir, plugin_dir_out);
        if (st != WASM_OK) remove_contents(u.root);
    }
    if (u.root >= 0) close(u.root);
    close(fd);
    return st;
}

/* ---- Packing ------------------------------------------------------------ */

typedef struct pack_item {
    char *rel;                     /* path under the plugin's directory */
    bool dir;
    mode_t mode;
    int64_t size;
} pack_item;

typedef struct pack {
    const char *dir;
    wasm_error *err;
    pack_item *items;
    size_t n, cap;
    uint64_t bytes;
    bool has_skip;                 /* a tarball already at the destination */
    dev_t skip_dev;
    ino_t skip_ino;
} pack;

static void pack_free(pack *pk)
{
    for (size_t i = 0; i < pk->n; i++) free(pk->items[i].rel);
    free(pk->items);
}

static wasm_status pack_add(pack *pk, const char *rel, const struct stat *sb)
{
    if (pk->n + 1 >= HELM_ARCHIVE_MAX_FILES)  /* + the NAME/ entry */
        return wasm_error_set(pk->err, WASM_BAD_ARGUMENT, HELM_MSG_P_FILES, pk->dir,
                              (unsigned long long)HELM_ARCHIVE_MAX_FILES);
    if (S_ISREG(sb->st_mode)) {
        if ((uint64_t)sb->st_size > HELM_ARCHIVE_MAX_BYTES - pk->bytes)
            return wasm_error_set(pk->err, WASM_BAD_ARGUMENT, HELM_MSG_P_BYTES, pk->dir,
                                  (unsigned long long)HELM_ARCHIVE_MAX_BYTES);
        pk->bytes += (uint64_t)sb->st_size;
    }
    if (pk->n == pk->cap) {
        size_t cap = pk->cap ? pk->cap * 2 : 32;
        pack_item *grown = realloc(pk->items, cap * sizeof *grown);
        if (!grown) return wasm_error_set(pk->err, WASM_NOMEM, HELM_MSG_A_NOMEM);
        pk->items = grown;
        pk->cap = cap;
    }
    char *copy = strdup(rel);
    if (!copy) return wasm_error_set(pk->err, WASM_NOMEM, HELM_MSG_A_NOMEM);
    pk->items[pk->n++] = (pack_item){copy, S_ISDIR(sb->st_mode), sb->st_mode, sb->st_size};
    return WASM_OK;
}

/* Collects the files and directories under dfd (prefix: its path under
   the plugin's directory, "" at the top). */
static wasm_status pack_walk(pack *pk, int dfd, const char *prefix)
{
    int fd = dup(dfd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0) close(fd);
        return wasm_error_set(pk->err, WASM_HOST_ERROR, HELM_MSG_P_READ, pk->dir, strerror(errno));
    }
    wasm_status st = WASM_OK;
    struct dirent *de;
    char rel[PATH_MAX];
    while (st == WASM_OK && (de = readdir(d))) {
        const char *n = de->d_name;
        if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0) continue;
        if ((size_t)snprintf(rel, sizeof rel, "%s%s%s", prefix, prefix[0] ? "/" : "", n) + NAME_MAX
            >= sizeof rel) {
            st = wasm_error_set(pk->err, WASM_BAD_ARGUMENT, HELM_MSG_P_LONG, pk->dir);
            break;
        }
        struct stat sb;
        if (fstatat(dfd, n, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
            st = wasm_error_set(pk->err, WASM_HOST_ERROR, HELM_MSG_P_READ_AT, pk->dir, rel,
                                strerror(errno));
            break;
        }
        if (pk->has_skip && sb.st_dev == pk->skip_dev && sb.st_ino == pk->skip_ino) continue;
        if (!S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode)) {
            char full[PATH_MAX + 64];
            snprintf(full, sizeof full, "%s/%s", pk->dir, rel);
            st = wasm_error_set(pk->err, WASM_BAD_ARGUMENT, HELM_MSG_P_SPECIAL, full,
                                type_name(sb.st_mode & S_IFMT));
            break;
        }
        if ((st = pack_add(pk, rel, &sb)) != WASM_OK) break;
        if (S_ISDIR(sb.st_mode)) {
            int sub = openat(dfd, n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub < 0)
                st = wasm_error_set(pk->err, WASM_HOST_ERROR, HELM_MSG_P_READ_AT, pk->dir,
                                    rel, strerror(errno));
            else {
                st = pack_walk(pk, sub, rel);
                close(sub);
            }
        }
    }
    closedir(d);
    return st;
}

static int item_cmp(const void *a, const void *b)
{
    return strcmp(((const pack_item *)a)->rel, ((const pack_item *)b)->rel);
}

static wasm_status write_failed(pack *pk, struct archive *a, const char *what)
{
    const char *why = archive_error_string(a);
    return wasm_error_set(pk->err, WASM_HOST_ERROR, HELM_MSG_P_WRITE, what,
                          why ? why : strerror(errno));
}

/* Copies the file it->rel of the plugin's directory into the archive. */
static wasm_status pack_copy(pack *pk, struct archive *a, int root, const pack_item *it)
{
    int fd = openat(root, it->rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        wasm_status st = wasm_error_set(pk->err, WASM_HOST_ERROR, HELM_MSG_P_READ_AT,
                                        pk->dir, it->rel, strerror(errno));
        if (fd >= 0) close(fd);
        return st;
    }
    wasm_status st = WASM_OK;
    int64_t total = 0;
    if (!S_ISREG(sb.st_mode) || sb.st_size != it->size)
        st = wasm_error_set(pk->err, WASM_BAD_ARGUMENT, HELM_MSG_P_CHANGED, pk->dir, it->rel);
    char buf[BLOCK];
    while (st == WASM_OK) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            st = wasm_error_set(pk->err, WASM_HOST_ERROR, HELM_MSG_P_READ_AT, pk->dir,
                                it->rel, strerror(errno));
        } else if (n == 0) {
            break;
        } else if ((total += n) > it->size) {
            st = wasm_error_set(pk->err, WASM_BAD_ARGUMENT, HELM_MSG_P_CHANGED, pk->dir,
                                it->rel);
        } else if (archive_write_data(a, buf, (size_t)n) != n) {
            st = write_failed(pk, a, it->rel);
        }
    }
    if (st == WASM_OK && total != it->size)
        st = wasm_error_set(pk->err, WASM_BAD_ARGUMENT, HELM_MSG_P_CHANGED, pk->dir, it->rel);
    close(fd);
    return st;
}

static time_t pack_mtime(void)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    char *end;
    long long v = s && *s ? strtoll(s, &end, 10) : 0;
    return s && *s && !*end && v >= 0 ? (time_t)v : 0;
}

/* Writes the collected items as NAME/... into out_fd. */
static wasm_status pack_write(pack *pk, int root, int out_fd, const char *name, const char *what)
{
    struct archive *a = archive_write_new();
    struct archive_entry *e = archive_entry_new();
    if (!a || !e) {
        archive_write_free(a);
        archive_entry_free(e);
        return wasm_error_set(pk->err, WASM_NOMEM, HELM_MSG_A_NOMEM);
    }
    wasm_status st = WASM_OK;
    time_t mtime = pack_mtime();
    char path[PATH_MAX + NAME_MAX + 2];
    if (archive_write_add_filter_gzip(a) != ARCHIVE_OK ||
        archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
        archive_write_set_filter_option(a, "gzip", "timestamp", NULL) < ARCHIVE_WARN ||
        archive_write_open_fd(a, out_fd) != ARCHIVE_OK)
        st = write_failed(pk, a, what);
    for (size_t i = 0; st == WASM_OK && i <= pk->n; i++) {
        const pack_item *it = i ? &pk->items[i - 1] : NULL;
        snprintf(path, sizeof path, "%s/%s", name, it ? it->rel : "");
        bool dir = !it || it->dir;
        archive_entry_clear(e);
        archive_entry_set_pathname(e, path);
        archive_entry_set_filetype(e, dir ? AE_IFDIR : AE_IFREG);
        archive_entry_set_perm(e, sanitize_mode(it ? it->mode : 0, dir));
        archive_entry_set_size(e, dir ? 0 : it->size);
        archive_entry_set_mtime(e, mtime, 0);
        archive_entry_set_uid(e, 0);
        archive_entry_set_gid(e, 0);
        if (archive_write_header(a, e) != ARCHIVE_OK) st = write_failed(pk, a, what);
        else if (!dir) st = pack_copy(pk, a, root, it);
    }
    if (archive_write_close(a) != ARCHIVE_OK && st == WASM_OK) st = write_failed(pk, a, what);
    archive_write_free(a);
    archive_entry_free(e);
    return st;
}

wasm_status helm_archive_package(const char *plugin_dir, const char *dest_dir, char **tgz_out,
                                 wasm_error *err)
{
    if (tgz_out) *tgz_out = NULL;
    helm_plugin *p = helm_plugin_load(plugin_dir, err);
    if (!p) return err->status;
    if (!p->version || !p->version[0]) {
        helm_plugin_free(p);
        return wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_P_NO_VERSION, plugin_dir);
    }
    pack pk = {.dir = plugin_dir, .err = err};
    size_t size = strlen(dest_dir) + strlen(p->name) + strlen(p->version) + 32;
    char *out = malloc(size), *tmp = malloc(size);
    int root = open(plugin_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), fd = -1;
    wasm_status st = WASM_OK;
    struct stat sb;
    if (!out || !tmp) {
        st = wasm_error_set(err, WASM_NOMEM, HELM_MSG_A_NOMEM);
    } else if (root < 0) {
        st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_P_READ, plugin_dir, strerror(errno));
    } else {
        snprintf(out, size, "%s/%s-%s.tgz", dest_dir, p->name, p->version);
        snprintf(tmp, size, "%s/.%s-%s.tgz.XXXXXX", dest_dir, p->name, p->version);
        if (stat(out, &sb) == 0) {
            pk.has_skip = true;
            pk.skip_dev = sb.st_dev;
            pk.skip_ino = sb.st_ino;
        }
        st = pack_walk(&pk, root, "");
    }
    if (st == WASM_OK) {
        qsort(pk.items, pk.n, sizeof *pk.items, item_cmp);
        if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0)
            st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_P_WRITE, tmp, strerror(errno));
    }
    if (st == WASM_OK) st = pack_write(&pk, root, fd, p->name, out);
    if (st == WASM_OK && (fchmod(fd, 0644) != 0 || fsync(fd) != 0))
        st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_P_WRITE, out, strerror(errno));
    if (fd >= 0 && close(fd) != 0 && st == WASM_OK)
        st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_P_WRITE, out, strerror(errno));
    if (st == WASM_OK && rename(tmp, out) != 0)
        st = wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_P_WRITE, out, strerror(errno));
    if (st != WASM_OK && fd >= 0) unlink(tmp);
    if (st == WASM_OK && tgz_out) {
        *tgz_out = out;
        out = NULL;
    }
    if (root >= 0) close(root);
    pack_free(&pk);
    helm_plugin_free(p);
    free(out);
    free(tmp);
    return st;
}
