/*
 * provenance.c - Helm's provenance files (.prov): verifying a plugin
 * tarball against one, and signing one, exactly in Helm's format
 * (helm/helm pkg/provenance/sign.go, internal/plugin/verify.go).
 *
 * A .prov is an OpenPGP clear-signed message (RFC 4880 section 7) whose
 * body is the plugin's metadata as YAML, a line "...", then YAML
 *
 *     files:
 *       NAME-VERSION.tgz: sha256:<hex of the tarball>
 *
 * Why librnp: it does the OpenPGP work in process, reading GnuPG's
 * keyring files directly (pubring.gpg, pubring.kbx, armored exports),
 * with no gpg subprocess and no gpg-agent to start, talk to or leave
 * running; a keyring is data handed to one call, so a
 * verification depends on nothing but its three files.  (gpgme drives a
 * gpg process and its agent, and wants a GnuPG home, not a keyring file.)
 *
 * Fails closed: only a .prov that is exactly one clear-signed message,
 * every signature of which verifies with a key of the keyring that is not
 * revoked, whose signed text (as librnp returns it, never the raw file)
 * has the separator and a files: entry for the tarball's name equal to
 * its sha256, succeeds.  Messages: provenance_msg.h.  (Debian's librnp
 * is built without NDEBUG and logs its own diagnostics, "[function()
 * file:line] ...", on stderr; the API has no switch for that.)
 */
#include <errno.h>
#include <libfyaml.h>
#include <rnp/rnp.h>
#include <rnp/rnp_err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helm/helm.h"
#include "helm/provenance_msg.h"

#define PROV_MAX_FILE (1u << 20)       /* a .prov or plugin.yaml: 1 MiB */
#define PROV_MAX_KEYRING (64u << 20)   /* a keyring: 64 MiB */
#define PROV_HASH_LEN (7 + 64)         /* "sha256:" and 64 hex digits */

static const char BEGIN_SIGNED[] = "-----BEGIN PGP SIGNED MESSAGE-----";
static const char END_SIGNATURE[] = "-----END PGP SIGNATURE-----";

/* ---- Small helpers ------------------------------------------------------- */

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Reads a whole file of at most max bytes (NUL-terminated, malloc'd);
   NULL with errno set (EFBIG when larger). */
static char *read_file(const char *path, size_t max, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = malloc(max + 1);
    size_t n = buf ? fread(buf, 1, max + 1, f) : 0;
    int saved = !buf ? ENOMEM : ferror(f) ? errno : n > max ? EFBIG : 0;
    fclose(f);
    if (saved) {
        free(buf);
        errno = saved;
        return NULL;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

static const char *read_error(int e)
{
    static char text[64];
    if (e == EFBIG) return "too large";
    snprintf(text, sizeof text, "%s", strerror(e));
    return text;
}

/* Whether text holds a line exactly equal to line. */
static bool has_line(const char *text, size_t len, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = text; p < text + len;) {
        const char *nl = memchr(p, '\n', (size_t)(text + len - p));
        size_t l = nl ? (size_t)(nl - p) : (size_t)(text + len - p);
        if (l && p[l - 1] == '\r') l--;
        if (l == n && memcmp(p, line, n) == 0) return true;
        p += l + 1 + (nl && p[l] == '\r');
        if (!nl) break;
    }
    return false;
}

static void discard_diag(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
    (void)diag, (void)user, (void)buf, (void)len;
}

/* A YAML document parsed quietly (libfyaml would print to stderr), with
   duplicate keys an error; NULL when text is not valid YAML. */
static struct fy_document *parse_yaml(const char *text, size_t len)
{
    struct fy_diag_cfg dcfg;
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = NULL;
    dcfg.output_fn = discard_diag;
    dcfg.colorize = false;
    struct fy_diag *diag = fy_diag_create(&dcfg);
    if (!diag) return NULL;
    struct fy_parse_cfg pcfg = {.flags = FYPCF_QUIET, .diag = diag};
    struct fy_document *doc = fy_document_build_from_string(&pcfg, text, len);
    fy_diag_destroy(diag);
    return doc;
}

/* ---- Keyrings ------------------------------------------------------------ */

/* An ffi with the keys of the keyring file path loaded (flags:
   RNP_LOAD_SAVE_*): GnuPG's pubring.gpg (or an export, binary or
   armored) or pubring.kbx, as librnp detects.  Not a GnuPG home
   directory: GnuPG 2.2 writes its private-keys-v1.d in an extended
   format librnp 0.16 cannot read; secret keys come from an export, as
   Helm's.  NULL with the message in err (failure HELM_PROV_KEYRING). */
static rnp_ffi_t load_keyring(const char *path, uint32_t flags, wasm_error *err)
{
    rnp_ffi_t ffi = NULL;
    if (rnp_ffi_create(&ffi, "GPG", "GPG") != RNP_SUCCESS) {
        wasm_error_set(err, WASM_NOMEM, HELM_MSG_P_RNP, HELM_MSG_P_NOMEM);
        return NULL;
    }
    size_t len = 0;
    char *data = read_file(path, PROV_MAX_KEYRING, &len);
    if (!data) {
        wasm_error_set(err, errno == ENOMEM ? WASM_NOMEM : WASM_HOST_ERROR, HELM_MSG_P_KEYRING,
                       path, read_error(errno));
        rnp_ffi_destroy(ffi);
        return NULL;
    }
    char *format = NULL;
    rnp_input_t in = NULL;
    rnp_result_t rc =
        len ? rnp_detect_key_format((const uint8_t *)data, len, &format) : RNP_ERROR_BAD_FORMAT;
    if (rc == RNP_SUCCESS && !format) rc = RNP_ERROR_BAD_FORMAT;
    if (rc == RNP_SUCCESS) rc = rnp_input_from_memory(&in, (const uint8_t *)data, len, false);
    if (rc == RNP_SUCCESS) rc = rnp_load_keys(ffi, format, in, flags);
    rnp_input_destroy(in);
    rnp_buffer_destroy(format);
    free(data);
    size_t npub = 0, nsec = 0;
    if (rc == RNP_SUCCESS) {
        rnp_get_public_key_count(ffi, &npub);
        rnp_get_secret_key_count(ffi, &nsec);
    }
    if (rc != RNP_SUCCESS || npub + nsec == 0) {
        if (rc != RNP_SUCCESS)
            wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_P_KEYRING_FORMAT, path,
                           rnp_result_to_string(rc));
        else wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_P_KEYRING_EMPTY, path);
        rnp_ffi_destroy(ffi);
        return NULL;
    }
    return ffi;
}

/* ---- Verifying ----------------------------------------------------------- */

/* The .prov must be one clear-signed message and nothing else: its first
   line the armor header, nothing but white space after the signature's
   end line, no second message.  librnp would otherwise verify the first
   message and ignore the rest, which a reader of the file might not. */
static helm_prov_failure check_shape(const char *prov, const char *text, size_t len,
                                     wasm_error *err)
{
    size_t blen = sizeof BEGIN_SIGNED - 1;
    if (len < blen || memcmp(text, BEGIN_SIGNED, blen) != 0 ||
        (text[blen] != '\n' && text[blen] != '\r')) {
        wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_P_NOT_CLEARSIGNED, prov);
        return HELM_PROV_MALFORMED;
    }
    if (memmem(text + blen, len - blen, BEGIN_SIGNED, blen)) {
        wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_P_TWO_MESSAGES, prov);
        return HELM_PROV_MALFORMED;
    }
    const char *end = memmem(text, len, END_SIGNATURE, sizeof END_SIGNATURE - 1);
    if (!end || (end > text && end[-1] != '\n')) {
        wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_P_NO_SIGNATURE, prov);
        return HELM_PROV_MALFORMED;
    }
    for (const char *p = end + sizeof END_SIGNATURE - 1; p < text + len; p++)
        if (!strchr(" \t\r\n", *p)) {
            wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_P_TRAILING, prov);
            return HELM_PROV_MALFORMED;
        }
    return HELM_PROV_OK;
}

/* Copies an rnp string (upper-cased hex) into a fixed buffer and frees it. */
static void take_string(char *dst, size_t size, char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
    rnp_buffer_destroy(src);
}

/* Fills the signer's key ID, its primary key's fingerprint and user IDs. */
static void describe_signer(rnp_ffi_t ffi, rnp_key_handle_t key, helm_prov_result *out)
{
    char *s = NULL;
    rnp_key_get_keyid(key, &s);
    take_string(out->key_id, sizeof out->key_id, s);
    bool sub = false;
    rnp_key_handle_t primary = NULL;
    if (rnp_key_is_sub(key, &sub) == RNP_SUCCESS && sub) {
        char *fp = NULL;
        if (rnp_key_get_primary_fprint(key, &fp) == RNP_SUCCESS && fp)
            rnp_locate_key(ffi, "fingerprint", fp, &primary);
        rnp_buffer_destroy(fp);
    }
    rnp_key_handle_t who = primary ? primary : key;
    s = NULL;
    rnp_key_get_fprint(who, &s);
    take_string(out->fingerprint, sizeof out->fingerprint, s);
    size_t n = 0;
    rnp_key_get_uid_count(who, &n);
    for (size_t i = 0; i < n && out->nuser_ids < HELM_PROV_MAX_UIDS; i++) {
        rnp_uid_handle_t uid = NULL;
        bool revoked = false;
        if (rnp_key_get_uid_handle_at(who, i, &uid) == RNP_SUCCESS) {
            rnp_uid_is_revoked(uid, &revoked);
            rnp_uid_handle_destroy(uid);
        }
        s = NULL;
        if (revoked || rnp_key_get_uid_at(who, i, &s) != RNP_SUCCESS) continue;
        take_string(out->user_ids[out->nuser_ids++], sizeof out->user_ids[0], s);
    }
    rnp_key_handle_destroy(primary);
}

/* Checks every signature of an executed verification; the first signer
   is described in out. */
static helm_prov_failure check_signatures(rnp_ffi_t ffi, rnp_op_verify_t op, rnp_result_t exec,
                                          const char *prov, const char *keyring,
                                          helm_prov_result *out, wasm_error *err)
{
    size_t count = 0;
    if (rnp_op_verify_get_signature_count(op, &count) != RNP_SUCCESS || count == 0) {
        wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_P_NO_SIGNATURE, prov);
        return HELM_PROV_MALFORMED;
    }
    for (size_t i = 0; i < count; i++) {
        rnp_op_verify_signature_t sig = NULL;
        if (rnp_op_verify_get_signature_at(op, i, &sig) != RNP_SUCCESS) {
            wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_P_NO_SIGNATURE, prov);
            return HELM_PROV_MALFORMED;
        }
        rnp_result_t status = rnp_op_verify_signature_get_status(sig);
        if (status == RNP_ERROR_KEY_NOT_FOUND) {
            rnp_signature_handle_t h = NULL;
            char *keyid = NULL;
            if (rnp_op_verify_signature_get_handle(sig, &h) == RNP_SUCCESS)
                rnp_signature_get_keyid(h, &keyid);
            rnp_signature_handle_destroy(h);
            take_string(out->key_id, sizeof out->key_id, keyid);
            wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_P_UNKNOWN_KEY, prov,
                           out->key_id[0] ? out->key_id : "(no key ID)", keyring);
            return HELM_PROV_UNKNOWN_KEY;
        }
        if (status != RNP_SUCCESS) {
            wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_P_BAD_SIGNATURE, prov,
                           rnp_result_to_string(status));
            return HELM_PROV_BAD_SIGNATURE;
        }
        rnp_key_handle_t key = NULL;
        if (rnp_op_verify_signature_get_key(sig, &key) != RNP_SUCCESS || !key) {
            wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_P_BAD_SIGNATURE, prov,
                           "no key for the signature");
            return HELM_PROV_BAD_SIGNATURE;
        }
        bool revoked = false;
        rnp_key_is_revoked(key, &revoked);
        if (i == 0) describe_signer(ffi, key, out);
        rnp_key_handle_destroy(key);
        if (revoked) {
            wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_P_KEY_INVALID, prov, out->key_id);
            return HELM_PROV_BAD_SIGNATURE;
        }
    }
    if (exec != RNP_SUCCESS) {  /* every signature good, yet librnp refused */
        wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_P_BAD_SIGNATURE, prov,
                       rnp_result_to_string(exec));
        return HELM_PROV_BAD_SIGNATURE;
    }
    return HELM_PROV_OK;
}

/* The entry of files: for name in the signed body: its value copied to
   value.  The body is split at its first "\n...\n" as Helm's
   ParseMessageBlock; the second part must be a YAML mapping whose files:
   is a mapping of scalars (Helm's SumCollection). */
static helm_prov_failure parse_body(const char *prov, const char *body, size_t len,
                                    const char *name, char *value, size_t size, wasm_error *err)
{
    static const char sep[] = "\n...\n";
    const char *s = memmem(body, len, sep, sizeof sep - 1);
    if (!s) {
        wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_P_NO_SEPARATOR, prov);
        return HELM_PROV_MALFORMED;
    }
    const char *files = s + sizeof sep - 1;
    size_t flen = len - (size_t)(files - body);
    const char *next = memmem(files, flen, sep, sizeof sep - 1);  /* Helm: parts[1] */
    if (next) flen = (size_t)(next - files);
    struct fy_document *doc = parse_yaml(files, flen);
    struct fy_node *root = doc ? fy_document_root(doc) : NULL;
    struct fy_node *map = root && fy_node_is_mapping(root)
                              ? fy_node_mapping_lookup_by_string(root, "files", FY_NT) : NULL;
    const char *why = !doc ? "not valid YAML" : !root || !fy_node_is_mapping(root)
                          ? "not a mapping" : !map || !fy_node_is_mapping(map)
                          ? "no files: mapping" : NULL;
    helm_prov_failure f = HELM_PROV_NOT_LISTED;
    void *it = NULL;
    struct fy_node_pair *pair;
    while (!why && (pair = fy_node_mapping_iterate(map, &it))) {
        struct fy_node *k = fy_node_pair_key(pair), *v = fy_node_pair_value(pair);
        size_t klen = 0, vlen = 0;
        const char *kt = k && fy_node_is_scalar(k) ? fy_node_get_scalar(k, &klen) : NULL;
        const char *vt = v && fy_node_is_scalar(v) ? fy_node_get_scalar(v, &vlen) : NULL;
        if (!kt || !vt) why = "an entry is not a name and a string";
        else if (klen == strlen(name) && memcmp(kt, name, klen) == 0) {
            snprintf(value, size, "%.*s", (int)(vlen < size ? vlen : size - 1), vt);
            if (vlen >= size) value[0] = '?';  /* too long: cannot match a hash */
            f = HELM_PROV_OK;
        }
    }
    if (doc) fy_document_destroy(doc);
    if (why) {
        wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_P_BAD_FILES, prov, why);
        return HELM_PROV_MALFORMED;
    }
    if (f != HELM_PROV_OK) wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_P_NOT_LISTED, prov, name);
    return f;
}

/* The signature check proper: text is the whole .prov; on success *body
   is the signed text as librnp returns it (malloc'd, *body_len bytes). */
static helm_prov_failure verify_signature(const char *prov, const char *text, size_t len,
                                          const char *keyring, helm_prov_result *out,
                                          char **body, size_t *body_len, wasm_error *err)
{
    rnp_ffi_t ffi = load_keyring(keyring, RNP_LOAD_SAVE_PUBLIC_KEYS, err);
    if (!ffi) return HELM_PROV_KEYRING;
    rnp_input_t in = NULL;
    rnp_output_t outp = NULL;
    rnp_op_verify_t op = NULL;
    helm_prov_failure f = HELM_PROV_IO;
    if (rnp_input_from_memory(&in, (const uint8_t *)text, len, false) != RNP_SUCCESS ||
        rnp_output_to_memory(&outp, PROV_MAX_FILE) != RNP_SUCCESS ||
        rnp_op_verify_create(&op, ffi, in, outp) != RNP_SUCCESS ||
        rnp_op_verify_set_flags(op, RNP_VERIFY_REQUIRE_ALL_SIGS) != RNP_SUCCESS) {
        wasm_error_set(err, WASM_NOMEM, HELM_MSG_P_RNP, HELM_MSG_P_NOMEM);
        goto done;
    }
    rnp_result_t exec = rnp_op_verify_execute(op);
    f = check_signatures(ffi, op, exec, prov, keyring, out, err);
    if (f != HELM_PROV_OK) goto done;
    uint8_t *buf = NULL;
    size_t n = 0;
    if (rnp_output_memory_get_buf(outp, &buf, &n, false) != RNP_SUCCESS ||
        !(*body = malloc(n + 1))) {
        f = HELM_PROV_IO;
        wasm_error_set(err, WASM_NOMEM, HELM_MSG_P_RNP, HELM_MSG_P_NOMEM);
        goto done;
    }
    if (n) memcpy(*body, buf, n);
    (*body)[n] = 0;
    *body_len = n;
done:
    rnp_op_verify_destroy(op);
    rnp_output_destroy(outp);
    rnp_input_destroy(in);
    rnp_ffi_destroy(ffi);
    return f;
}

const char *helm_prov_default_keyring(char *buf, size_t size)
{
    const char *gh = getenv("GNUPGHOME");
    const char *home = getenv("HOME");
    if (gh) snprintf(buf, size, "%s/pubring.gpg", gh);
    else snprintf(buf, size, "%s/.gnupg/pubring.gpg", home ? home : "");
    return buf;
}

wasm_status helm_prov_verify(const char *tgz_path, const char *prov_path,
                             const char *keyring_path, helm_prov_result *out, wasm_error *err)
{
    memset(out, 0, sizeof *out);
    out->failure = HELM_PROV_IO;
    char *prov_alloc = NULL, *text = NULL, *body = NULL;
    size_t len = 0, body_len = 0;
    const char *name = base_name(tgz_path);
    snprintf(out->file_name, sizeof out->file_name, "%s", name);
    if (!prov_path) {
        if (asprintf(&prov_alloc, "%s.prov", tgz_path) < 0) {
            prov_alloc = NULL;
            wasm_error_set(err, WASM_NOMEM, HELM_MSG_P_RNP, HELM_MSG_P_NOMEM);
            goto done;
        }
        prov_path = prov_alloc;
    }
    if (!(text = read_file(prov_path, PROV_MAX_FILE, &len))) {
        out->failure = HELM_PROV_NO_PROV;
        wasm_error_set(err, errno == ENOMEM ? WASM_NOMEM : WASM_HOST_ERROR, HELM_MSG_P_NO_PROV,
                       prov_path, read_error(errno));
        goto done;
    }
    if ((out->failure = check_shape(prov_path, text, len, err)) != HELM_PROV_OK) goto done;
    out->failure = verify_signature(prov_path, text, len, keyring_path, out, &body, &body_len, err);
    if (out->failure != HELM_PROV_OK) goto done;
    char signed_hash[PROV_HASH_LEN + 8];
    out->failure = parse_body(prov_path, body, body_len, name, signed_hash, sizeof signed_hash, err);
    if (out->failure != HELM_PROV_OK) goto done;
    if (!helm_sha256_file(tgz_path, out->file_hash)) {
        out->failure = HELM_PROV_IO;
        wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_P_TGZ, tgz_path, read_error(errno));
        goto done;
    }
    if (strcmp(signed_hash, out->file_hash) != 0) {
        out->failure = HELM_PROV_MISMATCH;
        wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_P_MISMATCH, name, signed_hash,
                       out->file_hash);
    }
done:
    free(body);
    free(text);
    free(prov_alloc);
    if (out->failure == HELM_PROV_OK) return WASM_OK;
    if (err->status == WASM_OK)  /* never a success by accident */
        wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_P_BAD_SIGNATURE, tgz_path, "refused");
    return err->status;
}

/* ---- Signing ------------------------------------------------------------- */

/* The key named name, as Helm's NewFromKeyring finds it: a user ID equal
   to name, else the only key with a user ID containing it; then a key ID
   or fingerprint (with or without 0x).  NULL with err set. */
static rnp_key_handle_t find_key(rnp_ffi_t ffi, const char *name, const char *keyring,
                                 wasm_error *err)
{
    rnp_key_handle_t key = NULL;
    if (rnp_locate_key(ffi, "userid", name, &key) == RNP_SUCCESS && key) return key;
    rnp_identifier_iterator_t it = NULL;
    char *candidate = NULL;
    bool vague = false;
    const char *uid;
    if (rnp_identifier_iterator_create(ffi, &it, "userid") == RNP_SUCCESS) {
        while (rnp_identifier_iterator_next(it, &uid) == RNP_SUCCESS && uid) {
            if (!strstr(uid, name)) continue;
            if (candidate) {
                rnp_key_handle_t a = NULL, b = NULL;
                char *fa = NULL, *fb = NULL;
                rnp_locate_key(ffi, "userid", candidate, &a);
                rnp_locate_key(ffi, "userid", uid, &b);
                if (a) rnp_key_get_fprint(a, &fa);
                if (b) rnp_key_get_fprint(b, &fb);
                vague |= !fa || !fb || strcmp(fa, fb) != 0;  /* two user IDs of one key: fine */
                rnp_buffer_destroy(fa), rnp_buffer_destroy(fb);
                rnp_key_handle_destroy(a), rnp_key_handle_destroy(b);
            } else if (!(candidate = strdup(uid))) {
                vague = true;
            }
        }
        rnp_identifier_iterator_destroy(it);
    }
    if (vague) {
        free(candidate);
        wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_P_VAGUE_KEY, name, keyring);
        return NULL;
    }
    if (candidate) rnp_locate_key(ffi, "userid", candidate, &key);
    free(candidate);
    const char *hex = strncmp(name, "0x", 2) == 0 || strncmp(name, "0X", 2) == 0 ? name + 2 : name;
    if (!key) rnp_locate_key(ffi, "keyid", hex, &key);
    if (!key) rnp_locate_key(ffi, "fingerprint", hex, &key);
    if (!key) wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_P_NO_KEY, name, keyring);
    return key;
}

static bool env_passphrase(rnp_ffi_t ffi, void *ctx, rnp_key_handle_t key, const char *pgp_ctx,
                           char buf[], size_t buf_len)
{
    (void)ffi, (void)ctx, (void)key, (void)pgp_ctx;
    const char *pass = getenv("WASMGUARD_PASSPHRASE");
    if (!pass || strlen(pass) >= buf_len) return false;
    memcpy(buf, pass, strlen(pass) + 1);
    return true;
}

/* The body Helm signs: the metadata, a line "...", then files:. */
static char *make_body(const char *yaml_path, const char *tgz_path, size_t *len, wasm_error *err)
{
    size_t ylen = 0;
    char *yaml = read_file(yaml_path, PROV_MAX_FILE, &ylen), *body = NULL;
    if (!yaml) {
        wasm_error_set(err, errno == ENOMEM ? WASM_NOMEM : WASM_HOST_ERROR, HELM_MSG_P_TGZ,
                       yaml_path, read_error(errno));
        return NULL;
    }
    struct fy_document *doc = parse_yaml(yaml, ylen);
    struct fy_node *root = doc ? fy_document_root(doc) : NULL;
    char hash[PROV_HASH_LEN + 1];
    if (!root || !fy_node_is_mapping(root))
        wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_P_YAML, yaml_path,
                       doc ? "not a mapping" : "not valid YAML");
    else if (has_line(yaml, ylen, "..."))
        wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_P_YAML_END, yaml_path);
    else if (!helm_sha256_file(tgz_path, hash))
        wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_P_TGZ, tgz_path, read_error(errno));
    else if (asprintf(&body, "%s%s\n...\nfiles:\n  %s: %s\n", yaml,
                      ylen && yaml[ylen - 1] != '\n' ? "\n" : "", base_name(tgz_path), hash) < 0) {
        body = NULL;
        wasm_error_set(err, WASM_NOMEM, HELM_MSG_P_RNP, HELM_MSG_P_NOMEM);
    }
    if (doc) fy_document_destroy(doc);
    free(yaml);
    if (body) *len = strlen(body);
    return body;
}

/* Writes data to path through a temporary file and a rename. */
static bool write_whole(const char *path, const uint8_t *data, size_t len, wasm_error *err)
{
    char *tmp = NULL;
    if (asprintf(&tmp, "%s.tmp.%ld", path, (long)getpid()) < 0) {
        wasm_error_set(err, WASM_NOMEM, HELM_MSG_P_RNP, HELM_MSG_P_NOMEM);
        return false;
    }
    FILE *f = fopen(tmp, "wb");
    bool ok = f && fwrite(data, 1, len, f) == len;
    if (f && fclose(f) != 0) ok = false;
    if (ok && rename(tmp, path) != 0) ok = false;
    if (!ok) {
        wasm_error_set(err, WASM_HOST_ERROR, HELM_MSG_P_WRITE, path, strerror(errno));
        unlink(tmp);
    }
    free(tmp);
    return ok;
}

wasm_status helm_prov_sign(const char *tgz_path, const char *plugin_yaml_path,
                           const char *key_name, const char *secret_keyring, char **prov_out,
                           wasm_error *err)
{
    if (prov_out) *prov_out = NULL;
    size_t blen = 0;
    char *body = make_body(plugin_yaml_path, tgz_path, &blen, err), *prov = NULL;
    if (!body) return err->status;
    rnp_ffi_t ffi = load_keyring(secret_keyring,
                                 RNP_LOAD_SAVE_PUBLIC_KEYS | RNP_LOAD_SAVE_SECRET_KEYS, err);
    rnp_key_handle_t key = ffi ? find_key(ffi, key_name, secret_keyring, err) : NULL;
    rnp_input_t in = NULL;
    rnp_output_t outp = NULL;
    rnp_op_sign_t op = NULL;
    bool secret = false;
    if (!key) goto done;
    if (rnp_key_have_secret(key, &secret) != RNP_SUCCESS || !secret) {
        wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_P_NOT_SECRET, key_name, secret_keyring);
        goto done;
    }
    rnp_ffi_set_pass_provider(ffi, env_passphrase, NULL);
    rnp_result_t rc = rnp_input_from_memory(&in, (const uint8_t *)body, blen, false);
    if (rc == RNP_SUCCESS) rc = rnp_output_to_memory(&outp, 0);
    if (rc == RNP_SUCCESS) rc = rnp_op_sign_cleartext_create(&op, ffi, in, outp);
    if (rc == RNP_SUCCESS) rc = rnp_op_sign_set_hash(op, "SHA512");  /* Helm's DefaultHash */
    if (rc == RNP_SUCCESS) rc = rnp_op_sign_add_signature(op, key, NULL);
    if (rc == RNP_SUCCESS) rc = rnp_op_sign_execute(op);
    uint8_t *buf = NULL;
    size_t n = 0;
    if (rc == RNP_SUCCESS) rc = rnp_output_memory_get_buf(outp, &buf, &n, false);
    if (rc != RNP_SUCCESS) {
        wasm_error_set(err, WASM_BAD_ARGUMENT, HELM_MSG_P_SIGN, key_name,
                       rc == RNP_ERROR_BAD_PASSWORD
                           ? "the key is protected: set WASMGUARD_PASSPHRASE to its passphrase"
                           : rnp_result_to_string(rc));
        goto done;
    }
    if (asprintf(&prov, "%s.prov", tgz_path) < 0) {
        prov = NULL;
        wasm_error_set(err, WASM_NOMEM, HELM_MSG_P_RNP, HELM_MSG_P_NOMEM);
        goto done;
    }
    if (write_whole(prov, buf, n, err) && prov_out) {
        *prov_out = prov;
        prov = NULL;
    }
done:
    rnp_op_sign_destroy(op);
    rnp_output_destroy(outp);
    rnp_input_destroy(in);
    rnp_key_handle_destroy(key);
    if (ffi) rnp_ffi_destroy(ffi);
    free(prov);
    free(body);
    return err->status;
}
