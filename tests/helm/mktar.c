/*
 * mktar.c - writes the plugin tarballs of the helm-archive suite with
 * libarchive's write API, most of them hostile:
 *   mktar KIND OUT.tgz [ARG]
 * Every tarball holds a plugin "p" (p/plugin.yaml) plus what KIND adds:
 *   good        p/bin/run.sh (mode 04777), p/data/ (0700), p/data/x.txt (0600)
 *   dotslash    good, every name starting "./"
 *   traversal   p/../../ARG          absolute  ARG (an absolute path)
 *   dotdot      ../ARG               dot       p/./x
 *   symlink     p/link -> ARG        hardlink  p/hl, a hard link to ARG
 *   chardev     p/dev (1,3)          blockdev  p/blk (8,0)
 *   fifo        p/fifo               control   p/a<ESC>b
 *   bomb        p/zero, 2 GiB of zeros (a few MiB gzip'd)
 *   many        100,000 tiny files p/f/NNNNNN
 *   version     plugin.yaml with version "../../x"
 *   mismatch    plugin.yaml naming "other"
 *   outside     q/x                  topfile   x (beside p/)
 *   twice       p/plugin.yaml twice  noyaml    p/x and no plugin.yaml
 * The traversal entries come last, after good ones, so a tarball that
 * wrote as it read would already have written something.
 */
#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

static struct archive *a;
static const char *prefix = "";

static void die(const char *what)
{
    fprintf(stderr, "mktar: %s: %s\n", what, archive_error_string(a));
    exit(1);
}

/* An entry: type AE_IF*, its size, and for links the target. */
static void add(const char *name, mode_t type, mode_t perm, const void *data, int64_t size,
                const char *link)
{
    char path[8192];
    snprintf(path, sizeof path, "%s%s", name[0] == '/' ? "" : prefix, name);
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, path);
    archive_entry_set_filetype(e, type);
    archive_entry_set_perm(e, perm);
    archive_entry_set_mtime(e, 1700000000, 0);
    if (type == AE_IFREG && !link) archive_entry_set_size(e, size);
    if (type == AE_IFLNK) archive_entry_set_symlink(e, link);
    if (type == AE_IFREG && link) {
        archive_entry_set_hardlink(e, link);
        archive_entry_set_size(e, 0);
    }
    if (type == AE_IFCHR) archive_entry_set_rdev(e, makedev(1, 3));
    if (type == AE_IFBLK) archive_entry_set_rdev(e, makedev(8, 0));
    if (archive_write_header(a, e) != ARCHIVE_OK) die(path);
    if (data && size > 0 && archive_write_data(a, data, (size_t)size) != size) die(path);
    archive_entry_free(e);
}

static void add_text(const char *name, const char *text, mode_t perm)
{
    add(name, AE_IFREG, perm, text, (int64_t)strlen(text), NULL);
}

static void add_yaml(const char *name, const char *version)
{
    char y[512];
    snprintf(y, sizeof y,
             "apiVersion: v1\nname: %s\nversion: \"%s\"\ntype: cli/v1\nruntime: subprocess\n"
             "runtimeConfig:\n  platformCommand:\n    - command: \"echo hi\"\n",
             name, version);
    add_text("p/plugin.yaml", y, 0644);
}

static void add_bomb(void)
{
    int64_t size = (int64_t)2 << 30;
    add("p/zero", AE_IFREG, 0644, NULL, size, NULL);
    static char zeros[1 << 20];
    for (int64_t at = 0; at < size; at += sizeof zeros)
        if (archive_write_data(a, zeros, sizeof zeros) != (la_ssize_t)sizeof zeros) die("p/zero");
}

static void add_many(void)
{
    add("p/f", AE_IFDIR, 0755, NULL, 0, NULL);
    for (int i = 0; i < 100000; i++) {
        char name[64];
        snprintf(name, sizeof name, "p/f/%06d", i);
        add_text(name, "x", 0644);
    }
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: mktar KIND OUT.tgz [ARG]\n");
        return 2;
    }
    const char *kind = argv[1], *arg = argc > 3 ? argv[3] : "escaped";
    char buf[4096];
    a = archive_write_new();
    archive_write_add_filter_gzip(a);
    archive_write_set_format_pax_restricted(a);
    if (strcmp(kind, "bomb") == 0) archive_write_set_filter_option(a, "gzip", "compression-level", "1");
    if (archive_write_open_filename(a, argv[2]) != ARCHIVE_OK) die(argv[2]);
    if (strcmp(kind, "dotslash") == 0) prefix = "./";

    add("p", AE_IFDIR, 0755, NULL, 0, NULL);
    if (strcmp(kind, "version") == 0) add_yaml("p", "../../x");
    else if (strcmp(kind, "mismatch") == 0) add_yaml("other", "1.0.0");
    else if (strcmp(kind, "noyaml") != 0) add_yaml("p", "1.0.0");

    if (strcmp(kind, "good") == 0 || strcmp(kind, "dotslash") == 0) {
        add("p/bin", AE_IFDIR, 0755, NULL, 0, NULL);
        add_text("p/bin/run.sh", "#!/bin/sh\necho hi\n", 04777);
        add("p/data", AE_IFDIR, 0700, NULL, 0, NULL);
        add_text("p/data/x.txt", "some data\n", 0600);
    } else if (strcmp(kind, "traversal") == 0) {
        snprintf(buf, sizeof buf, "p/../../%s", arg);
        add_text(buf, "escaped\n", 0644);
    } else if (strcmp(kind, "absolute") == 0) {
        add_text(arg, "escaped\n", 0644);
    } else if (strcmp(kind, "dotdot") == 0) {
        snprintf(buf, sizeof buf, "../%s", arg);
        add_text(buf, "escaped\n", 0644);
    } else if (strcmp(kind, "dot") == 0) {
        add_text("p/./x", "x\n", 0644);
    } else if (strcmp(kind, "symlink") == 0) {
        add("p/link", AE_IFLNK, 0777, NULL, 0, arg);
    } else if (strcmp(kind, "hardlink") == 0) {
        add("p/hl", AE_IFREG, 0644, NULL, 0, arg);
    } else if (strcmp(kind, "chardev") == 0) {
        add("p/dev", AE_IFCHR, 0666, NULL, 0, NULL);
    } else if (strcmp(kind, "blockdev") == 0) {
        add("p/blk", AE_IFBLK, 0666, NULL, 0, NULL);
    } else if (strcmp(kind, "fifo") == 0) {
        add("p/fifo", AE_IFIFO, 0644, NULL, 0, NULL);
    } else if (strcmp(kind, "control") == 0) {
        add_text("p/a\033b", "x\n", 0644);
    } else if (strcmp(kind, "bomb") == 0) {
        add_bomb();
    } else if (strcmp(kind, "many") == 0) {
        add_many();
    } else if (strcmp(kind, "outside") == 0) {
        add_text("q/x", "x\n", 0644);
    } else if (strcmp(kind, "topfile") == 0) {
        add_text("x", "x\n", 0644);
    } else if (strcmp(kind, "twice") == 0) {
        add_yaml("p", "2.0.0");
    } else if (strcmp(kind, "noyaml") == 0) {
        add_text("p/x", "x\n", 0644);
    } else if (strcmp(kind, "version") != 0 && strcmp(kind, "mismatch") != 0) {
        fprintf(stderr, "mktar: unknown kind %s\n", kind);
        return 2;
    }
    if (archive_write_close(a) != ARCHIVE_OK) die("close");
    archive_write_free(a);
    return 0;
}
