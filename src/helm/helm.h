/*
 * helm.h - Helm 4 plugins (layer 5): plugin.yaml as Helm reads it, the
 * plugin directories Helm uses, and running extism/v1 plugins of the
 * types cli/v1, getter/v1 and postrenderer/v1 in wasmguard's sandboxes.
 *
 * Built on src/extism (the runtime) and src/guard (decisions, audit).
 */
#ifndef HELM_HELM_H
#define HELM_HELM_H

#include "extism/extism.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- plugin.yaml (metadata.c) ------------------------------------------ */

#define HELM_PLUGIN_FILE "plugin.yaml"     /* in each plugin's directory */
#define HELM_PLUGIN_WASM "plugin.wasm"     /* the module of an extism/v1 plugin */
#define HELM_DEFAULT_ENTRY "helm_plugin_main"  /* entryFuncName when unset */

/* runtimeConfig of an extism/v1 plugin; has_* tell what the file set. */
typedef struct helm_extism_config {
    bool has_max_pages, has_max_http, has_max_var, has_timeout, has_allowed_hosts;
    uint32_t max_pages;            /* memory.maxPages */
    uint64_t max_http_response;    /* memory.maxHttpResponseBytes */
    uint64_t max_var_bytes;        /* memory.maxVarBytes */
    uint64_t timeout_ms;           /* timeout */
    char **config_keys, **config_values;  /* config */
    size_t nconfig;
    char **allowed_hosts;          /* allowedHosts; absent = none */
    size_t nallowed_hosts;
    bool create_temp_dir;          /* fileSystem.createTempDir */
    char **host_functions;         /* hostFunctions */
    size_t nhost_functions;
    char *entry_func;              /* entryFuncName, default "helm_plugin_main" */
} helm_extism_config;

typedef struct helm_plugin {
    char *dir;                     /* the plugin's directory */
    char *api_version;             /* "v1" or "legacy" */
    char *name, *version, *type;   /* type: "cli/v1", "getter/v1", "postrenderer/v1" */
    char *runtime;                 /* "subprocess" or "extism/v1" */
    char *source_url;              /* may be NULL */
    /* config, by type */
    char *usage, *short_help, *long_help;  /* cli/v1 */
    bool ignore_flags;                     /* cli/v1 */
    char **protocols;                      /* getter/v1 */
    size_t nprotocols;
    helm_extism_config extism;     /* runtime extism/v1 */
    char *command;                 /* runtime subprocess (or legacy): the first
                                      platformCommand's (or command, or the first
                                      downloader's), for listing; may be NULL */
} helm_plugin;

/* Reads DIR/plugin.yaml, either form; a legacy one is converted as Helm
   converts it (api_version "legacy", runtime "subprocess", type getter/v1
   when it has downloaders, else cli/v1).  Stricter than Helm: a duplicated
   key, an unknown key (also inside runtimeConfig) or a value of the wrong
   type is an error naming the file, the line and the key path
   ("DIR/plugin.yaml:7: runtimeConfig.memory.maxPages: expected a whole
   number, got a string").  As Helm's LoadDir, an extism/v1 plugin without
   DIR/plugin.wasm is refused (only its presence is checked here).  Status
   WASM_BAD_ARGUMENT for a bad file; WASM_HOST_ERROR when unreadable. */
helm_plugin *helm_plugin_load(const char *dir, wasm_error *err);
void helm_plugin_free(helm_plugin *p);

/* ---- Plugin directories (dirs.c) ----------------------------------------- */

/* The directories Helm searches: $HELM_PLUGINS (colon-separated, empty
   entries skipped) when set, else Helm's data path + "/plugins": that is
   $HELM_DATA_HOME/plugins, else $XDG_DATA_HOME/helm/plugins, else
   ~/.local/share/helm/plugins.  Returns a NULL-terminated malloc'd array
   of malloc'd strings; NULL when out of memory. */
char **helm_plugin_dirs(void);
void helm_strings_free(char **s);

typedef struct helm_plugin_set {
    helm_plugin **plugins;
    size_t n;
} helm_plugin_set;

/* Loads every subdirectory with a plugin.yaml of every directory of
   helm_plugin_dirs(), in order, each directory's entries sorted by name
   (as Helm's glob); a broken one is reported through report (may be
   NULL; why is the load error's message, which names the file) and
   skipped; two with the same name, in one directory or in two, fail the
   whole call with an error naming both directories. */
wasm_status helm_plugins_find(helm_plugin_set *out,
                              void (*report)(void *user, const char *dir, const char *why),
                              void *user, wasm_error *err);
/* The same over the directories of path, colon-separated as
   $HELM_PLUGINS (empty entries skipped); NULL: helm_plugin_dirs(). */
wasm_status helm_plugins_find_path(const char *path, helm_plugin_set *out,
                                   void (*report)(void *user, const char *dir, const char *why),
                                   void *user, wasm_error *err);
void helm_plugins_free(helm_plugin_set *set);

/* The PROVENANCE column of `helm plugin list` (internal/plugin/
   signing_info.go): Helm looks the plugin up by name in its data path,
   not where it was found, so a plugin found only through $HELM_PLUGINS is
   "unknown"; a symlink there is "local dev"; without NAME-VERSION.tgz and
   its .prov beside it "unsigned"; then "invalid provenance", "mismatched
   provenance" (the .prov's sha256 of the .tgz) or "signed" (the
   signature itself is not checked, as in Helm). */
const char *helm_plugin_provenance(const helm_plugin *p);

/* ---- Provenance (provenance.c) ------------------------------------------- */

/* A .prov, as Helm's pkg/provenance writes and reads it: an OpenPGP
   clear-signed message whose body is the plugin's metadata as YAML, a
   line "...", then YAML "files:" mapping NAME-VERSION.tgz to
   "sha256:<hex>" of the tarball.  Checked with librnp, in process. */

/* Which check refused; programs match on this, people read the message. */
typedef enum helm_prov_failure {
    HELM_PROV_OK = 0,
    HELM_PROV_NO_PROV,        /* the .prov is missing or unreadable */
    HELM_PROV_KEYRING,        /* the keyring is missing, unreadable or holds no key */
    HELM_PROV_MALFORMED,      /* not one clear-signed message, or its body not Helm's */
    HELM_PROV_BAD_SIGNATURE,  /* the signature does not verify, or its key is revoked */
    HELM_PROV_UNKNOWN_KEY,    /* signed by a key that is not in the keyring */
    HELM_PROV_NOT_LISTED,     /* files: has no entry for the tarball's name */
    HELM_PROV_MISMATCH,       /* the tarball's sha256 is not the one signed */
    HELM_PROV_IO,             /* the tarball unreadable, out of memory, a signing failure */
} helm_prov_failure;

#define HELM_PROV_MAX_UIDS 8

typedef struct helm_prov_result {
    helm_prov_failure failure;
    char key_id[17];          /* the signing key (maybe a subkey): 16 upper-case hex digits */
    char fingerprint[65];     /* its primary key's, upper-case hex (40 digits for v4) */
    char user_ids[HELM_PROV_MAX_UIDS][256];  /* the primary key's user IDs, not revoked */
    size_t nuser_ids;
    char file_name[256];      /* the tarball's base name: the files: key */
    char file_hash[72];       /* "sha256:<hex>" of the tarball */
} helm_prov_result;

/* Helm's default keyring: $GNUPGHOME/pubring.gpg, else
   ~/.gnupg/pubring.gpg.  Writes it to buf and returns buf. */
const char *helm_prov_default_keyring(char *buf, size_t size);

/* Verifies tgz_path against prov_path (NULL: tgz_path + ".prov") with the
   public keys of keyring_path (GnuPG's pubring.gpg, pubring.kbx, or an
   armored export; any number of keys, RSA, Ed25519, ...).  Fails closed:
   WASM_OK only when the .prov is one clear-signed message, every
   signature in it verifies with a key of the keyring that is not revoked,
   the signed body has the "..." separator and a files: map holding the
   tarball's base name, and that entry is the tarball's sha256.  Otherwise
   WASM_BAD_ARGUMENT (WASM_HOST_ERROR when a file cannot be read,
   WASM_NOMEM), out->failure says which check refused, err the message.
   out is filled as far as known either way. */
wasm_status helm_prov_verify(const char *tgz_path, const char *prov_path,
                             const char *keyring_path, helm_prov_result *out, wasm_error *err);

/* Writes tgz_path + ".prov" in Helm's format: the text of plugin_yaml_path
   (which must be a YAML mapping), "...", files: with the tarball's base
   name and sha256, clear-signed (SHA-512, as Helm) with the key of
   secret_keyring (an export of secret keys, gpg --export-secret-keys)
   whose user ID is key_name, else the only one containing it, else whose
   key ID or fingerprint it is.  A protected key is unlocked with
   $WASMGUARD_PASSPHRASE.  *prov_out (may be NULL) receives the path
   written (malloc'd).  The file is written whole or not at all. */
wasm_status helm_prov_sign(const char *tgz_path, const char *plugin_yaml_path,
                           const char *key_name, const char *secret_keyring, char **prov_out,
                           wasm_error *err);


/* ---- Archives (archive.c) ------------------------------------------------ */

/* Caps on unpacking a plugin tarball, in one place.  A plugin is a
   plugin.yaml, a module and a few files: 10,000 entries and 512 MiB
   unpacked leave room for any real one and stop a tar or gzip bomb long
   before the disk fills.  `plugin package` refuses what these refuse. */
#define HELM_ARCHIVE_MAX_FILES 10000u               /* entries, directories included */
#define HELM_ARCHIVE_MAX_BYTES (512ull << 20)       /* file contents, unpacked */

typedef struct helm_archive_limits {
    uint64_t max_files;   /* entries of the tarball */
    uint64_t max_bytes;   /* bytes of file contents, counted as they inflate */
} helm_archive_limits;

void helm_archive_limits_default(helm_archive_limits *lim);

/* Unpacks the plugin tarball tgz_path (gzip'd tar) into dest_dir, an
   existing empty directory the caller made (refused otherwise), with
   lim (NULL: the defaults).  Every entry is checked before anything is
   written: a name that is absolute, has a ".." or "." component, a
   control character or more than PATH_MAX bytes, or lies outside one
   top-level directory NAME/; a symlink, hard link, device, FIFO, socket
   or sparse file; more than lim->max_files entries or lim->max_bytes of
   contents (counted while inflating) are refused.  Files are created
   with O_EXCL|O_NOFOLLOW under a directory fd, modes sanitized (0644, or
   0755 when the owner could execute; directories 0755).  Then
   NAME/plugin.yaml must load (helm_plugin_load: strict SemVer version,
   so no "../../x") and name the plugin NAME.  On success *plugin_dir_out
   is "dest_dir/NAME" (malloc'd).  On any refusal everything written is
   removed (dest_dir stays, empty) and err says which entry and why:
   status WASM_BAD_ARGUMENT for a refused tarball, WASM_HOST_ERROR for
   I/O, WASM_NOMEM. */
wasm_status helm_archive_extract(const char *tgz_path, const char *dest_dir,
                                 const helm_archive_limits *lim, char **plugin_dir_out,
                                 wasm_error *err);

/* Writes dest_dir/NAME-VERSION.tgz (gzip'd pax/ustar), NAME and VERSION
   from plugin_dir/plugin.yaml (which must load and have a version): a
   directory entry NAME/, then every file and directory of plugin_dir
   under NAME/, sorted by name (bytewise), modes sanitized as on
   unpacking, owner 0, mtime $SOURCE_DATE_EPOCH or 0 and no gzip
   timestamp, so the same tree gives the same bytes.  A symlink or
   special file in plugin_dir is refused, as is a tree over the default
   limits; a tarball already at the destination is left out.  Written to
   a temporary name and renamed into place.  *tgz_out (may be NULL) gets
   the path (malloc'd). */
wasm_status helm_archive_package(const char *plugin_dir, const char *dest_dir, char **tgz_out,
                                 wasm_error *err);


/* ---- Grants and consent (grants.c) --------------------------------------- */

/* What a plugin asks for beyond a bare sandbox, as the user approves it
   at install: hosts, a temp dir, limits above wasmguard's defaults
   (HELM_DEFAULT_*; 0 here: the default or less), host functions, the
   config keys it sets.  Strings are malloc'd (helm_grants_free). */
typedef struct helm_grants {
    char **hosts;                  /* allowedHosts, as written */
    size_t nhosts;
    bool temp_dir;                 /* fileSystem.createTempDir */
    uint32_t max_pages;            /* memory.maxPages over the default, else 0 */
    uint64_t max_http_response;    /* memory.maxHttpResponseBytes over the default, else 0 */
    uint64_t max_var_bytes;        /* memory.maxVarBytes over the default, else 0 */
    uint64_t timeout_ms;           /* timeout over the default, else 0 */
    char **host_functions;         /* hostFunctions */
    size_t nhost_functions;
    char **config_keys;            /* the keys of config */
    size_t nconfig_keys;
} helm_grants;

/* The grants p asks for.  false: out of memory (out then empty). */
bool helm_grants_of(const helm_plugin *p, helm_grants *out);
void helm_grants_free(helm_grants *g);
bool helm_grants_empty(const helm_grants *g);
/* One line per grant, each starting with indent, e.g. "  host: x.io". */
void helm_grants_print(const helm_grants *g, const char *indent, FILE *out);

/* The record of approved grants of plugin NAME, outside every plugin
   directory: $XDG_CONFIG_HOME/wasmguard/grants/NAME.json, else
   ~/.config/wasmguard/grants/NAME.json (malloc'd; NULL when out of
   memory).  A JSON object: "name", "version", "source", "pluginYaml" and
   "pluginWasm" ("sha256:<hex>" of the files approved) and "grants". */
char *helm_grants_path(const char *name);

typedef struct helm_grants_record {
    char *name, *version, *source;
    char plugin_yaml_sha256[72], plugin_wasm_sha256[72];  /* "sha256:<hex>", or "" */
    helm_grants grants;
    /* An update not settled yet (helm_grants_save_pending): the approval
       of the version it replaces, so that whichever of the two is in
       place runs; NULL otherwise.  recorded: false when that version had
       no record (settling back then removes the record). */
    struct helm_grants_record *previous;
    bool recorded;
    char *pending;                 /* the update's .install-XXXXXX, or NULL */
} helm_grants_record;

void helm_grants_record_free(helm_grants_record *r);

/* Writes the record of p (its files hashed now) approving g, atomically
   (a temporary file renamed into place, directories made 0700). */
wasm_status helm_grants_save(const helm_plugin *p, const helm_grants *g, const char *source,
                             wasm_error *err);
/* The record an update writes before it swaps the plugin's directory:
   p approved with g as helm_grants_save writes it, plus as "previous"
   the approval of the version installed now: its record, or when it has
   none the grants old (may be NULL) asks for, marked unrecorded.  tag
   names the update (its temporary directory's name) for
   helm_grants_settle. */
wasm_status helm_grants_save_pending(const helm_plugin *p, const helm_grants *g,
                                     const char *source, const helm_plugin *old,
                                     const char *tag, wasm_error *err);
/* Settles the pending record of NAME written by update tag: committed
   keeps the new approval alone, otherwise the previous one is put back
   (or the record removed when there was none).  A record not pending
   for tag is left alone. */
wasm_status helm_grants_settle(const char *name, const char *tag, bool committed,
                               wasm_error *err);
/* Serializes the commits of installs, updates and uninstalls: an
   exclusive flock on the grants directory (made 0700), held until the
   returned descriptor is closed; -1 where it cannot be had (then
   nothing is serialized). */
int helm_grants_lock(void);
/* Removes, under that lock, what a process killed while writing a record
   left in the grants directory (its temporary files). */
void helm_grants_sweep(void);
/* Reads the record of NAME: WASM_OK with *found false when there is none;
   a record that is not one is WASM_BAD_ARGUMENT (fail closed). */
wasm_status helm_grants_load(const char *name, helm_grants_record *out, bool *found,
                             wasm_error *err);

/* Checked at every run (run.c): when NAME has a record, p's plugin.wasm
   must be the one approved (its SHA-256 the record's; while an update
   is pending, either version's), and what p asks for must lie within
   the grants approved for it: every host, host function and config key
   among the approved ones, a temp dir only if approved, each limit at
   most the approved one.  Otherwise WASM_BAD_ARGUMENT, err naming the
   changed file or each extra grant.  plugin.yaml may change as long as
   it asks for no more.  No record: WASM_OK (a plugin installed by Helm
   or by hand runs as it asks).  wasm (wasm_len bytes) is plugin.wasm as
   read for the run, so the bytes judged are the bytes that run; NULL
   when that read failed, read_errno saying why (gone: WASM_OK, loading
   it reports it; else WASM_HOST_ERROR). */
wasm_status helm_grants_check(const helm_plugin *p, const uint8_t *wasm, size_t wasm_len,
                              int read_errno, wasm_error *err);

/* The grants of asked not within ok (as helm_grants_check judges them),
   described in buf ("host x.io, a temp dir"); returns their number. */
size_t helm_grants_extra(const helm_grants *asked, const helm_grants *ok, char *buf, size_t size);

/* ---- Install and uninstall (install.c) ----------------------------------- */

/* How install and update fetch and check a plugin. */
typedef struct helm_install_options {
    bool verify;                  /* a tarball must verify against its .prov */
    const char *keyring;          /* NULL: Helm's default keyring */
    const char *version;          /* non-NULL: the plugin must be exactly this version */
} helm_install_options;

/* A plugin made ready to install, not yet visible: a tarball verified
   and unpacked into a temporary directory inside the plugins directory
   (the first of helm_plugin_dirs()), or a directory to link in place
   (dev).  Either way validated: plugin.yaml loads, runtime extism/v1,
   plugin.wasm decodes as a module whose imports are all ones wasmguard
   provides (extism:host/env, wasi_snapshot_preview1) or host functions
   its hostFunctions declares. */
typedef struct helm_staged {
    helm_plugin *plugin;          /* loaded from where it is staged */
    helm_grants grants;           /* what it asks for (helm_grants_of) */
    bool dev;                     /* SOURCE was a directory: a symlink, "local dev" */
    bool verified;                /* prov holds the signer */
    helm_prov_result prov;
    char *source;                 /* as given */
    char *plugins_dir;            /* where it goes */
    char *tmp_dir;                /* PLUGINS/.install-XXXXXX, removed by free */
    char *tgz, *prov_path;        /* in tmp_dir: NAME-VERSION.tgz and its .prov (may be NULL) */
    char *final_dir;              /* PLUGINS/NAME */
    bool committed;
    int lock_fd;                  /* PLUGINS, flock'd shared while staged; -1: none */
    bool keep_tmp;                /* an undo failed: tmp_dir is left for recovery */
} helm_staged;

/* Stages source: a directory, a .tgz file or an http(s):// URL of one
   (fetched with libcurl; its .prov from the URL + ".prov").  With
   o->verify, the tarball must verify against o->keyring: a missing
   .prov, a bad signature, an unknown key, a hash mismatch refuse; with
   o->version, a plugin of another version is refused.  oci:// and VCS
   sources are refused as not supported yet, as is a plugin of that name
   already installed.  First, what interrupted installs, updates and
   uninstalls left in the plugins directory is recovered
   (helm_install_recover).  On failure nothing is left behind. */
wasm_status helm_install_stage(const char *source, const helm_install_options *o,
                               helm_staged **out, wasm_error *err);
/* Makes s visible: records s->grants as approved (helm_grants_save),
   moves NAME-VERSION.tgz and its .prov beside the plugin, then renames
   PLUGINS/.install-XXXXXX/x/NAME to PLUGINS/NAME without replacing
   anything (or makes the dev symlink).  Any failure undoes every step. */
wasm_status helm_install_commit(helm_staged *s, wasm_error *err);
/* Removes the temporary directory (if any), releases the lock and frees s. */
void helm_staged_free(helm_staged *s);

/* Stages an update of plugin NAME, installed in the first plugins
   directory, as helm_install_stage stages an install: from source, else
   from the source its grants record names (an absolute path or URL, as
   install records it); a directory source is refused, as is a tarball
   holding another plugin.  A plugin linked in place (local dev) is
   re-validated where it is (s->dev; a source other than its directory
   is refused).  *rec receives NAME's grants record (*has_rec false when
   there is none): the caller compares s->grants with rec->grants
   (helm_grants_extra) and asks for consent to any extra grant before
   committing.  On failure nothing is left behind. */
wasm_status helm_update_stage(const char *name, const char *source, const helm_install_options *o,
                              helm_staged **out, helm_grants_record *rec, bool *has_rec,
                              wasm_error *err);
/* Replaces PLUGINS/NAME with the staged version.  Before the swap the
   record approves both versions (helm_grants_save_pending) and the new
   NAME-VERSION.tgz and .prov are beside the old ones; the directories
   are then exchanged (renameat2 RENAME_EXCHANGE; where the filesystem
   lacks it, the old renamed aside and the new renamed in); after it the
   record is settled and the old kept files removed (when the version is
   the same, the kept files are replaced after the swap, the old ones
   linked aside first).  Any failure undoes every step, the swap too: the
   installed version stays as it was.  A dev plugin: only its record is
   rewritten.  The old version is removed with the temporary directory. */
wasm_status helm_update_commit(helm_staged *s, wasm_error *err);

/* Removes plugin NAME from the first plugins directory holding it (the
   directory, or only the symlink of a dev install, never its target),
   its NAME-VERSION.tgz and .prov there, and its grants record.  A plugin
   directory is renamed away first, so list and run never see half of it.
   WASM_BAD_ARGUMENT when NAME is not a plugin name or nothing of it is
   installed. */
wasm_status helm_plugin_uninstall(const char *name, wasm_error *err);

/* Recovers what interrupted installs, updates and uninstalls (killed, or
   an undo that failed) left in each plugins directory no install is
   using (an exclusive flock on the directory): every .install-XXXXXX and
   .uninstall-XXXXXX.  Its journal says what it was doing: a step after
   the swap is completed, one before it undone (the grants record
   settled, kept tarballs put back); then the directory is removed.
   `plugin list`, install, update and uninstall call it first. */
wasm_status helm_install_recover(wasm_error *err);

/* Test hooks (src/helm/README.md): $WASMGUARD_TEST_STOP_AT=POINT stops
   the process with SIGSTOP when install, update or uninstall reaches
   POINT; $WASMGUARD_TEST_FAIL_AT=POINT makes the step after POINT fail;
   $WASMGUARD_TEST_NO_RENAMEAT2=1 takes the paths of filesystems without
   renameat2's RENAME_NOREPLACE and RENAME_EXCHANGE. */
#define HELM_TEST_STOP_AT "WASMGUARD_TEST_STOP_AT"
#define HELM_TEST_FAIL_AT "WASMGUARD_TEST_FAIL_AT"
#define HELM_TEST_NO_RENAMEAT2 "WASMGUARD_TEST_NO_RENAMEAT2"


/* ---- Running extism/v1 plugins (run.c, env.c, messages.c) ---------------- */

/* Limits where Helm 4 has none, in one place.  A plugin's runtimeConfig
   may lower each; only the user raises the ceiling (helm_run_options.
   ceiling, from --memory-max, --timeout, --http-response-max, --var-max),
   and a plugin asking for more than the ceiling gets the ceiling (the
   audit trail says so).  Helm 4: memory up to 4 GiB, HTTP and var caps
   of 0 (every HTTP call fails), no timeout. */
#define HELM_DEFAULT_MAX_PAGES 1024u                        /* 64 MiB of linear memory */
#define HELM_DEFAULT_MAX_HTTP_RESPONSE EXT_DEFAULT_MAX_HTTP_RESPONSE  /* 50 MiB, Extism's */
#define HELM_DEFAULT_MAX_VAR_BYTES EXT_DEFAULT_MAX_VAR_BYTES          /* 1 MiB, Extism's */
#define HELM_DEFAULT_TIMEOUT_MS 30000u                      /* 30 s per invocation */

/* How an invocation failed; programs match on this, people read the
   message.  Each maps to an exit code of its own in the CLI. */
typedef enum helm_error_kind {
    HELM_ERR_NONE = 0,
    HELM_ERR_PLUGIN,    /* the plugin failed with its own message (or a denied request) */
    HELM_ERR_EXIT,      /* a non-zero return or exit code and no message (code) */
    HELM_ERR_TRAP,      /* the plugin trapped */
    HELM_ERR_TIMEOUT,   /* the timeout expired */
    HELM_ERR_MEMORY,    /* the memory cap stopped it */
    HELM_ERR_LIMIT,     /* another limit: output, input, vars, fuel */
    HELM_ERR_OUTPUT,    /* its output is not the type's output message */
    HELM_ERR_LOAD,      /* plugin.wasm missing or invalid, an unknown host
                           function, no entry function */
    HELM_ERR_REFUSED,   /* not an extism/v1 plugin, not of the type wanted, or
                           asking for more than the grants approved at install */
    HELM_ERR_INPUT,     /* the input cannot be made (text that is not UTF-8) */
    HELM_ERR_HOST,      /* anything else on our side (memory, I/O) */
    HELM_ERR_CANCELLED, /* helm_run_options.stop stopped it */
} helm_error_kind;

#define HELM_ERROR_MAX (WASM_ERROR_MESSAGE_MAX + 160)

typedef struct helm_error {
    helm_error_kind kind;
    int32_t code;                  /* HELM_ERR_EXIT: the plugin's code */
    char message[HELM_ERROR_MAX];  /* one line: "plugin NAME: cause" */
} helm_error;

/* The user's ceilings over every plugin's limits. */
typedef struct helm_limits {
    uint32_t max_pages;
    uint64_t max_http_response, max_var_bytes, timeout_ms;
} helm_limits;

/* What one invocation used, for --learn (learn.c): filled when
   helm_run_options.learn points to one.  Strings are malloc'd
   (helm_usage_free); a later invocation adds to the same record. */
typedef struct helm_usage {
    bool ran;                      /* a sandbox was made: the rest is known */
    char **hosts;                  /* hosts of allowed HTTP requests, as the */
    size_t nhosts;                 /*   guard read them, each once, in order */
    char **denied_hosts;           /* hosts of denied requests (for a note) */
    size_t ndenied_hosts;
    bool http_used;                /* a request got a response */
    uint64_t max_http_response;    /* the largest response body, bytes */
    uint64_t peak_var_bytes;       /* 0: no var set */
    uint32_t peak_pages;           /* the main memory's pages after the call */
    uint64_t kernel_peak_bytes;    /* input, output and blocks at once */
    bool tmp_dir_used;             /* the plugin used /tmp (wasi_tmp_dir_used) */
    uint64_t elapsed_ns;           /* wall time: load, _initialize and the call */
    char **host_functions;         /* hostFunctions it called */
    size_t nhost_functions;
    char **config_keys, **config_values;  /* config keys it read, with values */
    size_t nconfig;
    helm_error_kind outcome;       /* how the invocation ended */
} helm_usage;

void helm_usage_free(helm_usage *u);

/* The rules of the runtimeConfig learned from a usage record. */
#define HELM_LEARN_MIN_TIMEOUT_MS 1000u  /* timeout: elapsed x 4, up to whole */
#define HELM_LEARN_TIMEOUT_FACTOR 4u     /*   seconds, at least 1000 ms */
#define HELM_LEARN_MIN_BYTES 1024u       /* HTTP and var caps: the next power
                                            of two at or over the peak, >= 1 KiB */

/* The smallest runtimeConfig that would have sufficed for what u records,
   as YAML for plugin.yaml: a "runtimeConfig:" block (comments first),
   strings in JSON-style double quotes.  memory.maxPages is the peak of
   the main memory (or of the kernel memory, in pages, if larger) plus a
   quarter, at least one page more; maxHttpResponseBytes and maxVarBytes
   only when used; allowedHosts exactly the hosts contacted;
   fileSystem.createTempDir only when /tmp was used; timeout per
   HELM_LEARN_*; hostFunctions those called; config the keys read with
   their current values; entryFuncName when p sets one.  Returns false
   on a write error. */
bool helm_learn_write(const helm_plugin *p, const helm_usage *u, FILE *out);

/* How another thread stops invocations (the C library's
   wg_helm_canceller, api.c); all three are called on the invocation's
   thread.  attach gets each sandbox once it is made, before any guest
   function of its runs (a wasm start function runs while it is made,
   under the timeout only), and may stop it from then on with
   ext_plugin_stop; it returns false when the invocation is to stop at
   once.  detach comes before the sandbox is freed.  stopped says whether
   a failed invocation was stopped so: its message is then "cancelled",
   whatever the sandbox reported. */
typedef struct helm_stop_hook {
    bool (*attach)(void *user, ext_plugin *sandbox);
    void (*detach)(void *user, ext_plugin *sandbox);
    bool (*stopped)(void *user);
    void *user;
} helm_stop_hook;

typedef struct helm_run_options {
    helm_limits ceiling;            /* helm_run_options_default: the defaults */
    ext_log_level log_level;        /* default EXT_LOG_WARN */
    FILE *log_file;                 /* plugin logs, "NAME: [level] message"; default stderr */
    FILE *audit_file;               /* every grant used or denied, JSON lines; NULL: none */
    guard_audit_fn audit;           /* and/or a callback; NULL: none */
    void *audit_user;
    const ext_host_fn *host_fns;    /* what the embedder offers; a plugin gets */
    size_t nhost_fns;               /*   only those its hostFunctions name */
    const char *const *env;         /* the guest's environment (KEY=VALUE); NULL: */
    size_t nenv;                    /*   helm_plugin_env's */
    int64_t fuel;                   /* < 0: unlimited (default) */
    helm_usage *learn;              /* non-NULL: record what the plugin used */
    const helm_stop_hook *stop;     /* NULL: only the timeout stops it */
} helm_run_options;

void helm_run_options_default(helm_run_options *o);

/* The environment a plugin sees: Helm's plugin variables as Helm 4 sets
   them (HELM_PLUGIN_NAME, HELM_PLUGIN_DIR, HELM_NAMESPACE, HELM_DEBUG,
   HELM_KUBECONTEXT, HELM_PLUGINS, HELM_REGISTRY_CONFIG, ...), each from
   the host variable of that name or Helm's default, and nothing else of
   the host's.  HELM_KUBETOKEN is not passed: no credential reaches a
   sandbox unless its message carries it.  NULL-terminated, malloc'd
   (helm_strings_free). */
char **helm_plugin_env(const helm_plugin *p);

/* One invocation in a fresh sandbox: plugin.wasm with the limits and
   grants of p->extism and o, WASI linked (environment only o->env or
   helm_plugin_env, a temp dir at /tmp when granted, removed after
   whatever happens), the entry function called with input.  On success
   *output is the raw output (malloc'd, NUL after *output_len bytes).
   stdio_inherit: the guest's stdin/stdout/stderr are this process's
   (cli/v1); otherwise stdin and stdout are closed, stderr inherited. */
helm_error_kind helm_plugin_invoke(const helm_plugin *p, const helm_run_options *o,
                                   const char *input, size_t input_len, bool stdio_inherit,
                                   char **output, size_t *output_len, helm_error *err);

/* cli/v1: input {"extraArgs": [...]}; what the plugin prints is the
   output; an output message {"data": "..."} is written to out after. */
helm_error_kind helm_run_cli(const helm_plugin *p, const helm_run_options *o,
                             const char *const *args, size_t nargs, FILE *out, helm_error *err);

/* getter/v1 options, with Helm's names (schema.GetterOptionsV1). */
typedef struct helm_getter_options {
    const char *url, *cert_file, *key_file, *ca_file;     /* NULL: "" */
    bool untar, insecure_skip_verify_tls, plain_http;
    const char *accept_header, *username, *password;
    bool pass_credentials_all;
    const char *user_agent, *version;
    int64_t timeout_ns;
} helm_getter_options;

/* getter/v1: input {"href", "protocol", "options"}, output {"data":
   "<base64>"}; *data is the decoded bytes (malloc'd). */
helm_error_kind helm_run_getter(const helm_plugin *p, const helm_run_options *o,
                                const char *href, const helm_getter_options *opts,
                                uint8_t **data, size_t *len, helm_error *err);

/* The getter for href: the first getter/v1 plugin of set whose protocols
   include href's scheme (lowercased, as Go's url.Parse gives it); NULL
   when none.  scheme receives the scheme ("" when href has none). */
const helm_plugin *helm_find_getter(const helm_plugin_set *set, const char *href,
                                    char *scheme, size_t scheme_size);

/* postrenderer/v1: input {"manifests": "<text>", "extraArgs": [...]},
   output {"manifests": "<text>"}, byte for byte (malloc'd). */
helm_error_kind helm_run_postrender(const helm_plugin *p, const helm_run_options *o,
                                    const char *manifests, size_t len,
                                    const char *const *args, size_t nargs,
                                    char **out, size_t *out_len, helm_error *err);

/* The plugin of set named name, or NULL. */
const helm_plugin *helm_plugin_find(const helm_plugin_set *set, const char *name);

/* ---- Digests (digest.c) ------------------------------------------------ */

#define HELM_SHA256_LEN (7 + 64) /* "sha256:" and 64 hex digits */

/* "sha256:<hex>" of a file; false with errno set when it cannot be read. */
bool helm_sha256_file(const char *path, char out[HELM_SHA256_LEN + 1]);
/* The same of len bytes at data; false only when the digest fails. */
bool helm_sha256_bytes(const void *data, size_t len, char out[HELM_SHA256_LEN + 1]);

#ifdef __cplusplus
}
#endif
#endif
