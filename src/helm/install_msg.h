/*
 * install_msg.h - the messages of installing, uninstalling and checking
 * approved grants (install.c, grants.c), in one place so they stay
 * consistent and documentable.  Internal to src/helm/.
 */
#ifndef HELM_INSTALL_MSG_H
#define HELM_INSTALL_MSG_H

#define HELM_MSG_I_NOMEM "out of memory"
#define HELM_MSG_I_OCI "%s: OCI sources (oci://) are not supported yet; install a .tgz file or an http(s) URL of one"
#define HELM_MSG_I_VCS "%s: VCS sources (git repositories) are not supported yet; install a directory, a .tgz file or an http(s) URL of one"
#define HELM_MSG_I_SCHEME "%s: not a source wasmguard installs from: a directory, a .tgz file or an http(s):// URL of one"
#define HELM_MSG_I_NOT_TGZ "%s: not a plugin directory or a plugin tarball (.tgz, .tar.gz)"
#define HELM_MSG_I_STAT "%s: %s"
#define HELM_MSG_I_NO_DIRS "no plugins directory (set HELM_PLUGINS or HOME)"
#define HELM_MSG_I_MKDIR "%s: cannot create: %s"
#define HELM_MSG_I_COPY "%s: cannot copy to %s: %s"
#define HELM_MSG_I_NO_PROV "%s.prov: no provenance file; refusing to install an unverified plugin (--verify=false installs it anyway)"
#define HELM_MSG_I_VERIFY "%s: does not verify, not installed: %s"
#define HELM_MSG_I_RUNTIME "%s: runtime %s: wasmguard installs only extism/v1 plugins (install it with helm)"
#define HELM_MSG_I_WASM "%s: %s"
#define HELM_MSG_I_IMPORT "%s: imports %s \"%s\" \"%s\", which wasmguard does not provide and hostFunctions does not declare"
#define HELM_MSG_I_EXISTS "plugin %s is already installed (%s); use update, or uninstall it first"
#define HELM_MSG_I_RENAME "%s: cannot move into place: %s"
#define HELM_MSG_I_LINK "%s: cannot link to %s: %s"
#define HELM_MSG_I_CURL "%s: cannot fetch: %s"
#define HELM_MSG_I_HTTP "%s: HTTP status %ld"
#define HELM_MSG_I_TOO_BIG "%s: larger than %llu bytes (the limit)"
#define HELM_MSG_I_VERSION "%s: holds plugin %s version %s, not %s (--version); not installed"
#define HELM_MSG_I_LOCK "%s: cannot lock the plugins directory: %s"
#define HELM_MSG_I_JOURNAL "%s: cannot write: %s"
#define HELM_MSG_I_RECOVER "%s: cannot recover an interrupted install, update or uninstall: %s (remove it once PLUGINS/NAME and its grants record are as they should be)"
#define HELM_MSG_I_TEST_FAIL "failed on purpose after %s (%s, a test hook)"
#define HELM_MSG_I_URL_NAME "%s: the URL's path must end in a tarball's name (NAME-VERSION.tgz)"

#define HELM_MSG_U_NAME "%s: not a plugin name (letters, digits, _ and -)"
#define HELM_MSG_U_MISSING "plugin %s is not installed"
#define HELM_MSG_U_REMOVE "%s: cannot remove: %s"

#define HELM_MSG_UP_NO_SOURCE "plugin %s: no source recorded at install; give SOURCE (a .tgz or an http(s) URL of one)"
#define HELM_MSG_UP_DIR "%s: a directory: update takes a .tgz or an http(s) URL of one (a plugin linked in place is always current)"
#define HELM_MSG_UP_LINKED "plugin %s is linked in place (local dev, %s): update validates it there again; to install %s instead, uninstall it first"
#define HELM_MSG_UP_DANGLING "plugin %s is linked in place, but %s leads nowhere: %s"
#define HELM_MSG_UP_RELINKED "%s: no longer links to %s; not updated"
#define HELM_MSG_UP_UNDO "%s: cannot put the old version back: %s (the next install, update, uninstall or list finishes it)"
#define HELM_MSG_UP_NAME "%s: holds plugin %s, not %s"
#define HELM_MSG_UP_SWAP "%s: cannot replace: %s"

#define HELM_MSG_G_PATH "no place for the grants record (set XDG_CONFIG_HOME or HOME)"
#define HELM_MSG_G_WRITE "%s: cannot write: %s"
#define HELM_MSG_G_HASH "%s: cannot read: %s"
#define HELM_MSG_G_BAD "%s: not a grants record: %s"
#define HELM_MSG_G_WASM "%s/%s is not the module approved at install (its SHA-256 is not the grants record's): run `wasmguard plugin update %s`, or uninstall and install it again"
#define HELM_MSG_G_EXTRA "asks for grants not approved at install: %s (see wasmguard plugin grants %s; reinstall to approve them)"

#endif
