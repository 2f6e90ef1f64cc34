/*
 * learn.h - inside src/helm only: how run.c feeds a helm_usage record
 * (learn.c) while an invocation runs and after it.
 */
#ifndef HELM_LEARN_H
#define HELM_LEARN_H

#include "helm/helm.h"

/* A monotonic clock, in nanoseconds. */
uint64_t helm_learn_now_ns(void);
/* An audit event of kind "http": what is "METHOD URL" as the guard
   wrote it; its host joins u->hosts (allowed) or u->denied_hosts. */
void helm_learn_note_http(helm_usage *u, const char *what, bool allowed);
/* The runtime's usage record of one invocation that ended as `kind`
   after elapsed_ns, merged into u (peaks kept, lists joined). */
void helm_learn_collect(helm_usage *u, const ext_usage *eu, helm_error_kind kind,
                        uint64_t elapsed_ns);

#endif
