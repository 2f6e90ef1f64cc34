/*
 * run_msg.h - the messages of running Helm plugins (run.c, messages.c),
 * in one place so they stay consistent and documentable.  Internal to
 * src/helm/.  Each becomes the cause in "plugin NAME: <cause>".
 */
#ifndef HELM_RUN_MSG_H
#define HELM_RUN_MSG_H

#define HELM_MSG_PREFIX "plugin %s: "
#define HELM_MSG_SUBPROCESS "runtime %s: wasmguard sandboxes only extism/v1 plugins (run it with helm)"
#define HELM_MSG_WRONG_TYPE "is a %s plugin, not %s"
#define HELM_MSG_NO_WASM "%s: %s"
#define HELM_MSG_BAD_WASM "%s: %s"
#define HELM_MSG_HOST_FN "hostFunctions: no host function named \"%s\" is registered by this program"
#define HELM_MSG_NO_ENTRY "no entry function \"%s\" (entryFuncName) of type () -> i32"
#define HELM_MSG_EXITED "plugin exited with code %d"
#define HELM_MSG_TIMEOUT "timeout after %llu ms"
#define HELM_MSG_CANCELLED "cancelled"
#define HELM_MSG_MEMORY "memory cap of %u pages (%u MiB) reached: %s"
#define HELM_MSG_MEMORY_LOAD "memory cap of %u pages (%u MiB): %s"
#define HELM_MSG_TRAP "trap: %s"
#define HELM_MSG_NOMEM "out of memory"
#define HELM_MSG_NOT_UTF8 "%s is not valid UTF-8 text"
#define HELM_MSG_OUT_NOT_JSON "output is not a %s output message (a JSON object): %s"
#define HELM_MSG_OUT_FIELD "output is not a %s output message: \"%s\" %s"
#define HELM_MSG_OUT_BASE64 "output is not a getter/v1 output message: \"data\" is not base64"
#define HELM_MSG_OUT_EMPTY "output is not a postrenderer/v1 output message: \"manifests\" is empty"


#include "helm/helm.h"

/* Sets err to "plugin NAME: <cause>" on one line (first error wins) and
   returns kind (run.c). */
helm_error_kind helm_run_fail(helm_error *err, const helm_plugin *p, helm_error_kind kind,
                              const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
