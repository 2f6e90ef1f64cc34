/*
 * count_vowels.c - the classic Extism example, written with the C PDK.
 *
 *   wasmguard call build/examples/plugins/count_vowels.wasm count_vowels \
 *       --input "Hello, World!" --loop 2
 *
 * Counts the vowels of the input and outputs
 *   {"count": N, "total": T, "vowels": "aeiouAEIOU"}
 * where T is the running total kept in the var "total" (it survives
 * between calls of one plugin) and the vowels come from the config key
 * "vowels" when it is set (--config vowels=xyz).
 */
#include "wasmguard/pdk.h"

/* Writes n in decimal at dst (room for 20 digits); returns the length. */
static size_t put_u64(char *dst, uint64_t n)
{
    char tmp[20];
    size_t len = 0;
    do {
        tmp[len++] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    for (size_t i = 0; i < len; i++) dst[i] = tmp[len - 1 - i];
    return len;
}

static uint64_t parse_u64(const char *s)
{
    uint64_t n = 0;
    for (; s && *s >= '0' && *s <= '9'; s++) n = n * 10 + (uint64_t)(*s - '0');
    return n;
}

/* Appends a JSON string (quoted, escaped) to out; returns its new length. */
static size_t put_json_string(char *out, size_t n, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    out[n++] = '"';
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            out[n++] = '\\';
            out[n++] = (char)c;
        } else if (c < 0x20) {
            memcpy(out + n, "\\u00", 4);
            out[n + 4] = hex[c >> 4];
            out[n + 5] = hex[c & 15];
            n += 6;
        } else {
            out[n++] = (char)c;
        }
    }
    out[n++] = '"';
    return n;
}

PDK_FN(count_vowels)
{
    size_t len, nvowels;
    char *text = pdk_input(&len);
    if (!text) return pdk_error("out of memory");
    char *configured = pdk_config("vowels", &nvowels);
    const char *vowels = configured ? configured : "aeiouAEIOU";
    if (!configured) nvowels = strlen(vowels);

    bool is_vowel[256] = {false};
    for (size_t i = 0; i < nvowels; i++) is_vowel[(unsigned char)vowels[i]] = true;
    uint64_t count = 0;
    for (size_t i = 0; i < len; i++) count += is_vowel[(unsigned char)text[i]];
    free(text);

    char *prev = pdk_var("total", NULL);
    uint64_t total = parse_u64(prev) + count;
    free(prev);
    char num[20];
    size_t numlen = put_u64(num, total);
    if (!pdk_var_set("total", num, numlen)) {
        free(configured);
        return pdk_error("out of memory");
    }

    char *json = malloc(6 * nvowels + 96);
    if (!json) {
        free(configured);
        return pdk_error("out of memory");
    }
    size_t n = 0;
    memcpy(json, "{\"count\": ", 10);
    n = 10;
    n += put_u64(json + n, count);
    memcpy(json + n, ", \"total\": ", 11);
    n += 11;
    n += put_u64(json + n, total);
    memcpy(json + n, ", \"vowels\": ", 12);
    n += 12;
    n = put_json_string(json, n, vowels, nvowels);
    json[n++] = '}';
    free(configured);
    bool ok = pdk_output(json, n);
    free(json);
    return ok ? 0 : pdk_error("out of memory");
}
