/*
 * archive_msg.h - the messages of unpacking and packing plugin tarballs
 * (archive.c), in one place so they stay consistent and documentable.
 * Internal to src/helm/.
 *
 * A refused entry reads "TGZ: ENTRY: <reason>", ENTRY printable (other
 * bytes as \xNN, long names cut); a refused plugin directory reads
 * "DIR/PATH: <reason>".
 */
#ifndef HELM_ARCHIVE_MSG_H
#define HELM_ARCHIVE_MSG_H

/* Unpacking: "TGZ: ENTRY: " then one of these. */
#define HELM_MSG_A_ABSOLUTE "an absolute name; a plugin tarball holds names under NAME/"
#define HELM_MSG_A_DOTDOT "a \"..\" component would leave the plugin's directory"
#define HELM_MSG_A_DOT "an empty or \".\" component; names must be plain NAME/PATH"
#define HELM_MSG_A_CONTROL "a control character in the name"
#define HELM_MSG_A_LONG "a name longer than PATH_MAX"
#define HELM_MSG_A_TYPE "a %s; a plugin tarball holds only regular files and directories"
#define HELM_MSG_A_HARDLINK "a hard link (to \"%s\"); a plugin tarball holds only files and directories"
#define HELM_MSG_A_SYMLINK "a symlink (to \"%s\"); a plugin tarball holds only files and directories"
#define HELM_MSG_A_SPARSE "a sparse file; not supported in a plugin tarball"
#define HELM_MSG_A_OUTSIDE "outside the plugin's directory %s/ (one top-level directory only)"
#define HELM_MSG_A_TOP_FILE "a file at the top level; everything must be under NAME/"
#define HELM_MSG_A_TOP_NAME "the top-level directory must be a plugin name (letters, digits, _ and -)"
#define HELM_MSG_A_FILES "more than %llu entries (the limit)"
#define HELM_MSG_A_BYTES "more than %llu bytes unpacked (the limit)"
#define HELM_MSG_A_TWICE "appears twice in the tarball, or clashes with a directory"
#define HELM_MSG_A_SIZE "no size, or a negative one"
#define HELM_MSG_A_WRITE "cannot write: %s"
#define HELM_MSG_A_NO_NAME "an entry without a name"
#define HELM_MSG_A_CHANGED "the tarball changed while it was being unpacked"

/* Unpacking, the whole tarball. */
#define HELM_MSG_A_OPEN "%s: cannot open: %s"
#define HELM_MSG_A_BAD "%s: not a gzip'd tar archive, or a damaged one: %s"
#define HELM_MSG_A_EMPTY "%s: holds no plugin (no entry)"
#define HELM_MSG_A_NO_YAML "%s: no %s/" "plugin.yaml"
#define HELM_MSG_A_YAML "%s: %s"
#define HELM_MSG_A_MISMATCH "%s: plugin.yaml names the plugin \"%s\" but its directory is %s/"
#define HELM_MSG_A_DEST "%s: the destination must be an existing, empty directory: %s"
#define HELM_MSG_A_NOT_EMPTY "%s: the destination is not empty"

/* Packing. */
#define HELM_MSG_P_SPECIAL "%s: a %s; a plugin tarball holds only regular files and directories"
#define HELM_MSG_P_READ "%s: cannot read: %s"
#define HELM_MSG_P_NO_VERSION "%s: plugin.yaml has no version; NAME-VERSION.tgz needs one"
#define HELM_MSG_P_FILES "%s: more than %llu files and directories (the limit a tarball is unpacked with)"
#define HELM_MSG_P_BYTES "%s: more than %llu bytes (the limit a tarball is unpacked with)"
#define HELM_MSG_P_CHANGED "%s/%s: changed while it was being packed"
#define HELM_MSG_P_READ_AT "%s/%s: cannot read: %s"
#define HELM_MSG_P_WRITE "%s: cannot write: %s"
#define HELM_MSG_P_LONG "%s: a name longer than PATH_MAX"

#define HELM_MSG_A_NOMEM "out of memory"

#endif
