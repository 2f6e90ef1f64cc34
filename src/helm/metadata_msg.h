/*
 * metadata_msg.h - the messages of reading plugin.yaml and the plugin
 * directories (metadata.c, dirs.c), in one place so they stay consistent
 * and documentable.  Internal to src/helm/.
 *
 * A problem in plugin.yaml reads "DIR/plugin.yaml:LINE: KEY.PATH: <cause>",
 * LINE being the line of the key (or list item) at fault; the causes are
 * the HELM_MSG_Y_* below.
 */
#ifndef HELM_METADATA_MSG_H
#define HELM_METADATA_MSG_H

/* Reading the file. */
#define HELM_MSG_Y_UNREADABLE "%s: cannot read: %s"
#define HELM_MSG_Y_SYNTAX "%s:%d: not valid YAML: %s"
#define HELM_MSG_Y_EMPTY "%s: holds no YAML document"
#define HELM_MSG_Y_TOP "%s:%d: the document must be a mapping of keys, not %s"

/* Causes, after "FILE:LINE: PATH: ". */
#define HELM_MSG_Y_DUPLICATE "duplicate key (first at line %d)"
#define HELM_MSG_Y_UNKNOWN "unknown key (%s)"
#define HELM_MSG_Y_KEY_TYPE "keys must be strings, not %s"
#define HELM_MSG_Y_EXPECTED "expected %s, got %s"
#define HELM_MSG_Y_REQUIRED "required, missing"
#define HELM_MSG_Y_EMPTY_VALUE "must not be empty"
#define HELM_MSG_Y_RANGE "%s out of range (%s)"
#define HELM_MSG_Y_NAME "\"%s\" may contain only letters, digits, _ and -"
#define HELM_MSG_Y_VERSION "\"%s\" is not a SemVer 2.0 version (MAJOR.MINOR.PATCH[-PRE][+BUILD]): %s"
#define HELM_MSG_Y_API "\"%s\" is not an apiVersion Helm knows (v1, or none for a legacy plugin)"
#define HELM_MSG_Y_TYPE "unknown plugin type \"%s\" (cli/v1, getter/v1 or postrenderer/v1)"
#define HELM_MSG_Y_RUNTIME "unknown runtime \"%s\" (subprocess or extism/v1)"
#define HELM_MSG_Y_NO_PROTOCOLS "a getter needs at least one protocol"
#define HELM_MSG_Y_HOOK "unknown hook \"%s\" (install, update or delete)"
#define HELM_MSG_Y_BOTH "both %s and %s are set; Helm refuses that"
#define HELM_MSG_Y_V1_DROPPED "not read by Helm 4 for apiVersion v1 (use %s)"
#define HELM_MSG_Y_ZERO "0 means no %s to Helm; give %s"
#define HELM_MSG_Y_NO_WASM "%s: missing (an extism/v1 plugin needs its module beside plugin.yaml)"
#define HELM_MSG_Y_NOMEM "out of memory"

/* Plugin directories (dirs.c). */
#define HELM_MSG_DUPLICATE_NAME "two plugins claim the name \"%s\": %s and %s"

#endif
