/*
 * hello.c - a cli/v1 Helm plugin: greets with its config "greeting" and
 * the arguments it was given, and shows how little of the host it sees
 * (its environment holds only Helm's plugin variables).
 */
#include <stdio.h>
#include <stdlib.h>

#include "helm_json.h"
#include "wasmguard/pdk.h"

PDK_FN(helm_plugin_main)
{
    size_t len, n = 0, glen;
    char *in = pdk_input(&len);
    if (!in) return pdk_error("no input");
    char **args = jh_strings(jh_find(in, "extraArgs"), &n);
    char *greeting = pdk_config("greeting", &glen);
    printf("%s from a sandboxed Helm plugin!", greeting ? greeting : "Hello");
    for (size_t i = 0; i < n; i++) printf(" %s", args[i]);
    const char *names[] = {"HOME", "AWS_SECRET_ACCESS_KEY", "HELM_PLUGIN_NAME"};
    printf("\n ");
    for (size_t i = 0; i < 3; i++)
        printf(" %s=%s", names[i], getenv(names[i]) ? getenv(names[i]) : "(unset)");
    printf("\n");
    fflush(stdout);
    return 0;
}
