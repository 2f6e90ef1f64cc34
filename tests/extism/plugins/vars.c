/*
 * vars.c - test plugin: var_get and var_set.
 *
 *   count   increments the var "n" (decimal text) and outputs it
 *   set     input "KEY=VALUE": sets the var KEY (an empty VALUE deletes it)
 *   get     the value of the var named by the input, or "(none)"
 *   fill    sets the var "big" to as many bytes as the input holds
 */
#include "wasmguard/pdk.h"

PDK_FN(count)
{
    char *prev = pdk_var("n", NULL);
    uint64_t n = 0;
    for (const char *s = prev; s && *s >= '0' && *s <= '9'; s++) n = n * 10 + (uint64_t)(*s - '0');
    free(prev);
    n++;
    char tmp[20], num[20];
    size_t len = 0;
    do {
        tmp[len++] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    for (size_t i = 0; i < len; i++) num[i] = tmp[len - 1 - i];
    if (!pdk_var_set("n", num, len)) return pdk_error("out of memory");
    pdk_output(num, len);
    return 0;
}

PDK_FN(set)
{
    size_t len;
    char *in = pdk_input(&len);
    if (!in) return pdk_error("out of memory");
    char *eq = memchr(in, '=', len);
    if (!eq) {
        free(in);
        return pdk_error("set wants KEY=VALUE");
    }
    *eq = 0;
    bool ok = pdk_var_set(in, eq + 1, len - (size_t)(eq + 1 - in));
    free(in);
    return ok ? 0 : pdk_error("out of memory");
}

PDK_FN(get)
{
    size_t vlen;
    char *key = pdk_input(NULL);
    if (!key) return pdk_error("out of memory");
    char *value = pdk_var(key, &vlen);
    free(key);
    if (value) pdk_output(value, vlen);
    else pdk_output_str("(none)");
    free(value);
    return 0;
}

PDK_FN(fill)
{
    size_t len;
    char *in = pdk_input(&len);
    if (!in) return pdk_error("out of memory");
    bool ok = pdk_var_set("big", in, len);
    free(in);
    if (!ok) return pdk_error("out of memory");
    pdk_output_str("filled");
    return 0;
}
