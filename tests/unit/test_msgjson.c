/*
 * test_msgjson.c - the JSON text of large plugin messages (src/helm/
 * msgjson.c): strings written and read back at every alignment against
 * the word-at-a-time loops, agreement with jansson on what each side
 * writes and accepts, and the refusals (not UTF-8, malformed objects,
 * lone surrogates, nesting) with the byte offset they name.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helm/msgjson.h"
#include "test.h"

/* quote(s) then read it back as the member "m" of {"m": ...}. */
static bool round_trip(const char *s, size_t n)
{
    size_t room = helm_json_quoted_max(n);
    char *text = malloc(room + 16);
    if (!text) return false;
    memcpy(text, "{\"m\":", 5);
    size_t q = helm_json_quote(text + 5, s, n);
    if (!CHECK(q > 0)) return free(text), false;
    text[5 + q] = '}';
    /* jansson reads what we wrote as the same string */
    json_error_t jerr;
    json_t *j = json_loadb(text, 6 + q, JSON_ALLOW_NUL, &jerr);
    bool ok = CHECK(j != NULL) && CHECK(json_string_length(json_object_get(j, "m")) == n) &&
              CHECK(memcmp(json_string_value(json_object_get(j, "m")), s, n) == 0);
    json_decref(j);
    const char *v;
    size_t vn;
    char why[128];
    ok = CHECK_EQ(helm_json_object_string(text, 6 + q, "m", &v, &vn, why, sizeof why), HELM_JSON_OK) &&
         CHECK(v != NULL) && CHECK_EQ(vn, n) && CHECK(memcmp(v, s, n) == 0) && CHECK(v[vn] == 0) && ok;
    free(text);
    return ok;
}

TEST(test_msgjson_round_trip_every_alignment)
{
    /* each special byte at each offset of a word, between plain runs */
    static const char *specials[] = {"\"", "\\", "\n", "\t", "\r", "\x01", "\x1f", "/", "é",
                                     "☃", "𝄞", "\x7f", "\\\"", "\"\"\"\"\"\"\"\"\""};
    char buf[64];
    for (size_t k = 0; k < sizeof specials / sizeof *specials; k++)
        for (size_t pre = 0; pre < 17; pre++)
            for (size_t post = 0; post < 10; post += 3) {
                size_t n = 0, sl = strlen(specials[k]);
                memset(buf, 'a', pre), n += pre;
                memcpy(buf + n, specials[k], sl), n += sl;
                memset(buf + n, 'b', post), n += post;
                if (!round_trip(buf, n)) return;
            }
    CHECK(round_trip("", 0));
    CHECK(round_trip("\0x\0", 3));
}

TEST(test_msgjson_round_trip_dense_escapes)
{
    /* an escape every few bytes, as in quoted YAML, and long runs */
    size_t n = 1 << 16;
    char *s = malloc(n);
    REQUIRE(s);
    uint32_t r = 12345;
    for (size_t i = 0; i < n; i++) {
        r = r * 1103515245 + 12345;
        unsigned x = (r >> 16) % 16;
        s[i] = x == 0 ? '"' : x == 1 ? '\\' : x == 2 ? '\n' : x == 3 ? '\t' : (char)('a' + x);
    }
    CHECK(round_trip(s, n));
    memset(s, 'z', n);
    CHECK(round_trip(s, n));
    free(s);
}

TEST(test_msgjson_quote_refuses_non_utf8)
{
    static const char *bad[] = {"\xff", "a\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                                "\xc3", "abcdefgh\xe2\x98", "\x80"};
    char out[64];
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++)
        CHECK_EQ(helm_json_quote(out, bad[k], strlen(bad[k])), 0);
}

/* The member "m" of text, or the status; why copied into *why_out. */
static helm_json_result read_m(const char *text, const char **v, size_t *vn, char *why, size_t why_size)
{
    static char copy[4096];
    size_t n = strlen(text);
    memcpy(copy, text, n + 1);
    return helm_json_object_string(copy, n, "m", v, vn, why, why_size);
}

TEST(test_msgjson_object_members)
{
    const char *v;
    size_t vn;
    char why[128];
    CHECK_EQ(read_m(" { \"x\" : [1, -2.5e+3, {\"y\": null}, true, false, \"s\"], \"m\" : \"v\\u00e9\\ud834\\udd1e\" } ",
                    &v, &vn, why, sizeof why), HELM_JSON_OK);
    CHECK(v && vn == 7 && memcmp(v, "v\xc3\xa9\xf0\x9d\x84\x9e", 7) == 0);
    CHECK_EQ(read_m("{}", &v, &vn, why, sizeof why), HELM_JSON_OK);
    CHECK(v == NULL);
    CHECK_EQ(read_m("{\"m\": null}", &v, &vn, why, sizeof why), HELM_JSON_OK);
    CHECK(v == NULL);
    CHECK_EQ(read_m("{\"m\": \"a\", \"m\": \"b\"}", &v, &vn, why, sizeof why), HELM_JSON_OK);
    CHECK(v && vn == 1 && v[0] == 'b');
    CHECK_EQ(read_m("{\"m\": 1}", &v, &vn, why, sizeof why), HELM_JSON_NOT_STRING);
    CHECK_EQ(read_m("{\"m\": \"a\", \"m\": {}}", &v, &vn, why, sizeof why), HELM_JSON_NOT_STRING);
    CHECK_EQ(read_m("{\"\\u006d\": \"escaped name\"}", &v, &vn, why, sizeof why), HELM_JSON_OK);
    CHECK(v && vn == 12);
}

TEST(test_msgjson_object_refusals)
{
    static const struct { const char *text, *why; } bad[] = {
        {"", "expected '{' at the end (byte 0)"},
        {"[]", "expected '{' at byte 0"},
        {"not json", "expected '{' at byte 0"},
        {"{\"m\": \"a\"", "expected ',' or '}' at the end"},
        {"{\"m\": \"a\"} x", "text after the object at byte 11"},
        {"{\"m\": \"a\",}", "expected a member name at byte 10"},
        {"{\"m\" \"a\"}", "expected ':' at byte 5"},
        {"{\"m\": \"a\tb\"}", "a control character inside a string at byte 8"},
        {"{\"m\": \"\\x\"}", "an unknown escape in a string at byte 8"},
        {"{\"m\": \"\\ud834\"}", "a high surrogate escape without its low one"},
        {"{\"m\": \"\\udd1e\"}", "a lone low surrogate escape"},
        {"{\"m\": \"\\u12g4\"}", "four hex digits"},
        {"{\"m\": \"\xff\"}", "a string that is not UTF-8 at byte 7"},
        {"{\"m\": 01}", "expected ',' or '}' at byte 7"},
        {"{\"m\": -}", "a malformed number"},
        {"{\"m\": 1.}", "a malformed number"},
        {"{\"m\": tru}", "an unexpected character at byte 6"},
        {"{\"x\": [1,]}", "an unexpected character at byte 9"},
        {"{\"m\": \"abc", "a string without its closing quote"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        const char *v = "unset";
        size_t vn = 7;
        char why[128];
        if (CHECK_EQ(read_m(bad[k].text, &v, &vn, why, sizeof why), HELM_JSON_NOT_OBJECT)) {
            CHECK_HAS(why, bad[k].why);
            CHECK(v == NULL && vn == 0);
        }
    }
}

TEST(test_msgjson_deep_nesting_is_refused)
{
    size_t depth = 100000, n = 0;
    char *text = malloc(2 * depth + 16);
    REQUIRE(text);
    n += (size_t)sprintf(text, "{\"x\":");
    for (size_t i = 0; i < depth; i++) text[n++] = '[';
    for (size_t i = 0; i < depth; i++) text[n++] = ']';
    text[n++] = '}';
    const char *v;
    size_t vn;
    char why[128];
    CHECK_EQ(helm_json_object_string(text, n, "m", &v, &vn, why, sizeof why), HELM_JSON_NOT_OBJECT);
    CHECK_HAS(why, "nested too deeply");
    free(text);
}

/* ---- Mutations against jansson ---------------------------------------------- */

static uint32_t next_rand(uint32_t *s)
{
    *s ^= *s << 13, *s ^= *s >> 17, *s ^= *s << 5;
    return *s;
}

/* Whether text holds a number jansson refuses for its size alone (an
   integer past int64, a real past double): valid JSON that only the
   reader of a value would refuse, as Go's decoder does not for members
   it skips. */
static bool has_big_number(const char *t, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        run = t[i] >= '0' && t[i] <= '9' ? run + 1 : 0;
        if (run >= 18 || ((t[i] == 'e' || t[i] == 'E') && i + 3 < n)) return true;
    }
    return false;
}

TEST(test_msgjson_mutations_agree_with_jansson)
{
    static const char *seeds[] = {
        "{\"m\":\"plain\"}",
        "{\"extraArgs\":[\"a\",\"b c\"],\"m\":\"x\\n\\\"q\\\"\\t\\u00e9\\ud834\\udd1e\"}",
        "{\"a\":{\"b\":[1,2.5,-3e2,true,false,null,{}]},\"m\":\"caf\xc3\xa9 \xe2\x98\x83\"}",
        " { \"m\" : null , \"n\" : [ ] } ",
        "{\"m\":\"\\\\\\/\\b\\f\\r\"}",
    };
    static const char inserts[] = "\"\\{}[],:0-.eE+tfnu \t\n\x01\x7f\x80\xc3\xed\xf4";
    uint32_t seed = 0x9e3779b9u;
    char buf[256], copy[256];
    int agreed = 0, objects = 0;
    for (int iter = 0; iter < 30000; iter++) {
        const char *base = seeds[iter % (int)(sizeof seeds / sizeof *seeds)];
        size_t n = strlen(base);
        memcpy(buf, base, n);
        int edits = 1 + (int)(next_rand(&seed) % 3);
        for (int e = 0; e < edits && n > 0; e++) {
            size_t at = next_rand(&seed) % n;
            char c = inserts[next_rand(&seed) % (sizeof inserts - 1)];
            switch (next_rand(&seed) % 4) {
            case 0: buf[at] = c; break;                                  /* replace */
            case 1: memmove(buf + at, buf + at + 1, n - at - 1), n--; break;  /* delete */
            case 2:                                                       /* insert */
                if (n + 1 < sizeof buf) memmove(buf + at + 1, buf + at, n - at), buf[at] = c, n++;
                break;
            case 3: n = at; break;                                        /* truncate */
            }
        }
        memcpy(copy, buf, n);
        json_error_t jerr;
        json_t *j = json_loadb(buf, n, JSON_ALLOW_NUL, &jerr);
        const char *v;
        size_t vn;
        char why[128];
        helm_json_result r = helm_json_object_string(copy, n, "m", &v, &vn, why, sizeof why);
        bool jobj = j && json_is_object(j);
        objects += jobj;
        if (jobj) {
            json_t *m = json_object_get(j, "m");
            if (m && json_is_string(m)) {
                if (!CHECK_EQ(r, HELM_JSON_OK) || !CHECK(v && vn == json_string_length(m) &&
                                                        memcmp(v, json_string_value(m), vn) == 0)) {
                    fprintf(stderr, "  input: %.*s\n", (int)n, buf);
                    json_decref(j);
                    return;
                }
            } else if (!CHECK_EQ(r, m && !json_is_null(m) ? HELM_JSON_NOT_STRING : HELM_JSON_OK)) {
                fprintf(stderr, "  input: %.*s\n", (int)n, buf);
                json_decref(j);
                return;
            }
        } else if (r != HELM_JSON_NOT_OBJECT && !has_big_number(buf, n)) {
            CHECK(r == HELM_JSON_NOT_OBJECT);
            fprintf(stderr, "  accepted what jansson refuses (%s): %.*s\n", jerr.text, (int)n, buf);
            json_decref(j);
            return;
        }
        agreed++;
        json_decref(j);
    }
    CHECK_EQ(agreed, 30000);
    /* both sides of the border are exercised (3,176 objects with this seed) */
    CHECK(objects > 1000 && objects < 29000);
}
