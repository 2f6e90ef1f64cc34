/*
 * log.c - test plugin: the log functions.
 *
 *   log     logs "<level> message" once at each level through the raw
 *           imports (the host alone filters) and outputs get_log_level
 *   level   outputs get_log_level in decimal
 */
#include "wasmguard/pdk.h"

static void send(void (*fn)(uint64_t), const char *msg)
{
    uint64_t h = pdk_block_new_str(msg);
    if (h) fn(h);
}

static int32_t put_level(void)
{
    int32_t level = pdk_env_get_log_level();
    char buf[16];
    size_t n = 0;
    if (level < 0 || level > 4) {
        pdk_output_str(level == INT32_MAX ? "off" : "other");
        return 0;
    }
    buf[n++] = (char)('0' + level);
    pdk_output(buf, n);
    return 0;
}

PDK_FN_AS("log", log_all)
{
    send(pdk_env_log_trace, "trace message");
    send(pdk_env_log_debug, "debug message");
    send(pdk_env_log_info, "info message");
    send(pdk_env_log_warn, "warn message");
    send(pdk_env_log_error, "error message");
    return put_level();
}

PDK_FN(level) { return put_level(); }
