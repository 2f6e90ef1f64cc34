/*
 * util.c - the helpers of util.h.
 */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "test.h"

uint64_t unit_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

double unit_now_ms(void) { return (double)unit_now_ns() / 1e6; }

uint8_t *unit_read_file(const char *path, size_t *size)
{
    uint8_t *buf = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) goto fail;
    if (fseek(f, 0, SEEK_END) != 0) goto fail;
    long len = ftell(f);
    if (len < 0 || fseek(f, 0, SEEK_SET) != 0) goto fail;
    buf = malloc(len ? (size_t)len : 1);
    if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len) goto fail;
    fclose(f);
    *size = (size_t)len;
    return buf;
fail:
    test_check(false, __FILE__, __LINE__, "cannot read %s (run from the project root "
               "after `make check-build`)", path);
    free(buf);
    if (f) fclose(f);
    return NULL;
}

uint8_t *unit_read_fixture(const char *name, size_t *size)
{
    const char *dir = getenv("UNIT_WASM_DIR");
    char path[512];
    snprintf(path, sizeof path, "%s/%s.wasm", dir ? dir : UNIT_WASM_DIR, name);
    return unit_read_file(path, size);
}

wasm_module *unit_module(const char *name)
{
    size_t size;
    uint8_t *bytes = unit_read_fixture(name, &size);
    if (!bytes) return NULL;
    wasm_error err = {0};
    wasm_module *m = wasm_module_new(bytes, size, &err);
    free(bytes);
    test_check(m != NULL, __FILE__, __LINE__, "fixture %s: %s: %s", name,
               wasm_status_name(err.status), err.message);
    return m;
}

bool unit_open(unit_env *env, const char *name, const wasm_config *cfg,
               const wasm_extern *imports, uint32_t nimports)
{
    memset(env, 0, sizeof *env);
    wasm_error err = {0};
    env->module = unit_module(name);
    if (!env->module) goto fail;
    env->store = wasm_store_new(cfg);
    if (!test_check(env->store != NULL, __FILE__, __LINE__, "wasm_store_new failed"))
        goto fail;
    env->inst = wasm_instance_new(env->store, env->module, imports, nimports, &err);
    if (!test_check(env->inst != NULL, __FILE__, __LINE__, "instantiating %s: %s: %s",
                    name, wasm_status_name(err.status), err.message))
        goto fail;
    return true;
fail:
    unit_close(env);
    return false;
}

void unit_close(unit_env *env)
{
    if (env->store) wasm_store_free(env->store);
    if (env->module) wasm_module_free(env->module);
    memset(env, 0, sizeof *env);
}

wasm_status unit_call(const unit_env *env, const char *func, const wasm_val *args,
                      wasm_val *results, wasm_error *err)
{
    wasm_error_clear(err);
    wasm_func *f = wasm_instance_func(env->inst, func);
    if (!test_check(f != NULL, __FILE__, __LINE__, "no exported function \"%s\"", func))
        return wasm_error_set(err, WASM_BAD_ARGUMENT, "no export %s", func);
    return wasm_func_call(f, args, results, err);
}

bool unit_msg_locates(const char *msg)
{
    return msg && (strstr(msg, "section") || strstr(msg, "offset") ||
                   strstr(msg, "byte") || strstr(msg, "function"));
}
