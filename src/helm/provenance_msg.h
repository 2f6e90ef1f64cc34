/*
 * provenance_msg.h - the messages of verifying and signing provenance
 * files (provenance.c), in one place so they stay consistent and
 * documentable.  Internal to src/helm/.
 *
 * Each is one line and names the file at fault; the verification
 * failures say which check refused (helm_prov_failure says it to
 * programs).
 */
#ifndef HELM_PROVENANCE_MSG_H
#define HELM_PROVENANCE_MSG_H

/* Reading the files. */
#define HELM_MSG_P_NO_PROV "could not find provenance file %s: %s"
#define HELM_MSG_P_TGZ "cannot read %s: %s"
#define HELM_MSG_P_KEYRING "cannot read keyring %s: %s"
#define HELM_MSG_P_KEYRING_FORMAT "keyring %s: not a GnuPG keyring (pubring.gpg, pubring.kbx or " \
                                  "an armored export): %s"
#define HELM_MSG_P_KEYRING_EMPTY "keyring %s holds no OpenPGP key"
#define HELM_MSG_P_TOO_LARGE "larger than %u MiB"
#define HELM_MSG_P_NOMEM "out of memory"

/* The clear-signed message. */
#define HELM_MSG_P_NOT_CLEARSIGNED "%s: not an OpenPGP clear-signed message (no \"-----BEGIN PGP " \
                                   "SIGNED MESSAGE-----\" first line)"
#define HELM_MSG_P_TRAILING "%s: text after the signature block; only one clear-signed message " \
                            "may be there"
#define HELM_MSG_P_TWO_MESSAGES "%s: more than one clear-signed message"
#define HELM_MSG_P_NO_SIGNATURE "%s: signature block not found"
#define HELM_MSG_P_UNKNOWN_KEY "%s: signed by key %s, which is not in keyring %s"
#define HELM_MSG_P_BAD_SIGNATURE "%s: the signature does not verify: %s"
#define HELM_MSG_P_KEY_INVALID "%s: signed by key %s, which is revoked or expired"

/* The signed body: metadata, "...", then YAML "files:". */
#define HELM_MSG_P_NO_SEPARATOR "%s: message block must have at least two parts (metadata, " \
                                "a line \"...\", then files:)"
#define HELM_MSG_P_BAD_FILES "%s: the files: part is not a YAML mapping of file names to " \
                             "\"sha256:<hex>\": %s"
#define HELM_MSG_P_NOT_LISTED "%s: provenance does not contain a SHA for a file named \"%s\""
#define HELM_MSG_P_MISMATCH "sha256 sum does not match for %s: \"%s\" != \"%s\""

/* Signing. */
#define HELM_MSG_P_YAML "%s: not a plugin.yaml (a YAML mapping) that can be signed: %s"
#define HELM_MSG_P_YAML_END "%s: holds a line \"...\", which would end the signed metadata"
#define HELM_MSG_P_NO_KEY "no secret key matching \"%s\" in %s"
#define HELM_MSG_P_VAGUE_KEY "more than one key contains the id \"%s\" in %s"
#define HELM_MSG_P_NOT_SECRET "key \"%s\" in %s has no secret part (give a keyring with secret " \
                              "keys: gpg --export-secret-keys)"
#define HELM_MSG_P_SIGN "signing with key \"%s\" failed: %s"
#define HELM_MSG_P_WRITE "cannot write %s: %s"
#define HELM_MSG_P_RNP "OpenPGP library: %s"

#endif
