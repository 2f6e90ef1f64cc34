/*
 * config_reader.c - outputs the config value named by its input, or fails
 * with "no config key 'KEY'".
 *
 *   wasmguard call build/examples/plugins/config_reader.wasm config_reader \
 *       --config greeting=hello --input greeting
 */
#include "wasmguard/pdk.h"

PDK_FN(config_reader)
{
    size_t len, vlen;
    char *key = pdk_input(&len);
    if (!key) return pdk_error("out of memory");
    char *value = pdk_config(key, &vlen);
    if (!value) {
        static const char pre[] = "no config key '";
        char *msg = malloc(sizeof pre + len + 1);
        if (!msg) {
            free(key);
            return pdk_error("out of memory");
        }
        memcpy(msg, pre, sizeof pre - 1);
        memcpy(msg + sizeof pre - 1, key, len);
        msg[sizeof pre - 1 + len] = '\'';
        pdk_error_len(msg, sizeof pre + len);
        free(msg);
        free(key);
        return 1;
    }
    free(key);
    bool ok = pdk_output(value, vlen);
    free(value);
    return ok ? 0 : pdk_error("out of memory");
}
