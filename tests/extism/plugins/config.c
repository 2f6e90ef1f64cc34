/*
 * config.c - test plugin: config_get.
 *
 *   get     the value of the config key named by the input; fails with
 *           "no config key" when it is not set
 *   has     "yes" or "no"
 */
#include "wasmguard/pdk.h"

PDK_FN(get)
{
    size_t vlen;
    char *key = pdk_input(NULL);
    if (!key) return pdk_error("out of memory");
    char *value = pdk_config(key, &vlen);
    free(key);
    if (!value) return pdk_error("no config key");
    pdk_output(value, vlen);
    free(value);
    return 0;
}

PDK_FN(has)
{
    char *key = pdk_input(NULL);
    if (!key) return pdk_error("out of memory");
    char *value = pdk_config(key, NULL);
    pdk_output_str(value ? "yes" : "no");
    free(value);
    free(key);
    return 0;
}
