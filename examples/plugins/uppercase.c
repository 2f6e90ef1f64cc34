/*
 * uppercase.c - outputs its input with ASCII letters in upper case
 * (other bytes, UTF-8 included, pass unchanged).
 *
 *   wasmguard call build/examples/plugins/uppercase.wasm uppercase --input "hello"
 */
#include "wasmguard/pdk.h"

PDK_FN(uppercase)
{
    size_t len;
    char *text = pdk_input(&len);
    if (!text) return pdk_error("out of memory");
    for (size_t i = 0; i < len; i++)
        if (text[i] >= 'a' && text[i] <= 'z') text[i] = (char)(text[i] - 'a' + 'A');
    bool ok = pdk_output(text, len);
    free(text);
    return ok ? 0 : pdk_error("out of memory");
}
