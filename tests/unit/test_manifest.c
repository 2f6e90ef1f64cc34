/*
 * test_manifest.c - Extism's JSON manifest (src/extism/manifest.c): every
 * field, the sources (path read from base_dir, base64 data), SHA-256
 * hashes checked before use, and errors that name the field at fault.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extism/extism.h"
#include "test.h"

/* The smallest module: magic and version. */
static const uint8_t tiny_wasm[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
#define TINY_B64 "AGFzbQEAAAA="
#define TINY_SHA256 "93a44bbb96c751218e4c00d479e4c14358122a389acca16205b1e4d0dc5f9476"

static ext_manifest *parse(const char *json, const char *base_dir, wasm_error *err)
{
    wasm_error_clear(err);
    return ext_manifest_parse(json, strlen(json), base_dir, err);
}

/* Parses json, which must fail with BAD_ARGUMENT and a message holding
   `want` (the field path and what is wrong). */
static void expect_error(const char *json, const char *want, const char *file, int line)
{
    wasm_error err;
    ext_manifest *m = parse(json, NULL, &err);
    test_check(m == NULL, file, line, "parsed, expected an error for %s", json);
    ext_manifest_free(m);
    test_check(err.status == WASM_BAD_ARGUMENT, file, line, "status %s for %s",
               wasm_status_name(err.status), json);
    test_check_has(file, line, "err.message", err.message, want);
    test_check_has(file, line, "err.message", err.message, "manifest: ");
}
#define EXPECT_ERROR(json, want) expect_error(json, want, __FILE__, __LINE__)

/* A temp dir holding tiny.wasm; freed by rm_tmp. */
static char *make_tmp(void)
{
    const char *base = getenv("TMPDIR");
    char tmpl[512];
    snprintf(tmpl, sizeof tmpl, "%s/wg-manifest-XXXXXX", base && base[0] ? base : "/tmp");
    char *dir = mkdtemp(tmpl) ? strdup(tmpl) : NULL;
    if (!CHECK(dir != NULL))
        return NULL;
    char path[600];
    snprintf(path, sizeof path, "%s/tiny.wasm", dir);
    FILE *f = fopen(path, "wb");
    CHECK(f && fwrite(tiny_wasm, 1, sizeof tiny_wasm, f) == sizeof tiny_wasm);
    if (f)
        fclose(f);
    return dir;
}

static void rm_tmp(char *dir)
{
    char path[600];
    snprintf(path, sizeof path, "%s/tiny.wasm", dir);
    unlink(path);
    rmdir(dir);
    free(dir);
}

static bool is_tiny(const ext_wasm_source *s)
{
    return s->len == sizeof tiny_wasm && memcmp(s->data, tiny_wasm, sizeof tiny_wasm) == 0;
}

TEST(test_manifest_path_source_is_read_from_base_dir)
{
    char *dir = make_tmp();
    REQUIRE(dir);
    wasm_error err;
    ext_manifest *m = parse("{\"wasm\": [{\"path\": \"tiny.wasm\", \"name\": \"main\"}]}", dir,
                            &err);
    if (CHECK_OK(err.status, err) && CHECK(m)) {
        CHECK_EQ(m->nwasm, 1);
        CHECK(is_tiny(&m->wasm[0]));
        CHECK(m->wasm[0].name && strcmp(m->wasm[0].name, "main") == 0);
        CHECK(m->wasm[0].hash == NULL);
        CHECK_HAS(m->wasm[0].path, dir);
        CHECK_HAS(m->wasm[0].path, "/tiny.wasm");
    }
    ext_manifest_free(m);

    /* An absolute path ignores base_dir. */
    char json[1024];
    snprintf(json, sizeof json, "{\"wasm\": [{\"path\": \"%s/tiny.wasm\"}]}", dir);
    m = parse(json, "/nonexistent", &err);
    if (CHECK_OK(err.status, err) && CHECK(m))
        CHECK(is_tiny(&m->wasm[0]));
    ext_manifest_free(m);
    rm_tmp(dir);
}

TEST(test_manifest_missing_file_names_the_path)
{
    char *dir = make_tmp();
    REQUIRE(dir);
    wasm_error err;
    ext_manifest *m = parse("{\"wasm\": [{\"path\": \"absent.wasm\"}]}", dir, &err);
    CHECK(m == NULL);
    CHECK_EQ(err.status, WASM_BAD_ARGUMENT);
    CHECK_HAS(err.message, "wasm[0].path");
    CHECK_HAS(err.message, "absent.wasm");
    CHECK_HAS(err.message, "No such file");
    ext_manifest_free(m);

    /* A directory is not a module. */
    m = parse("{\"wasm\": [{\"path\": \".\"}]}", dir, &err);
    CHECK(m == NULL);
    CHECK_HAS(err.message, "not a regular file");
    ext_manifest_free(m);
    rm_tmp(dir);
}

TEST(test_manifest_data_source_is_base64)
{
    static const char *const forms[] = {
        "{\"wasm\": [{\"data\": \"" TINY_B64 "\"}]}",
        "{\"wasm\": [{\"data\": \"AGFzbQEAAAA\"}]}", /* padding is optional */
    };
    for (size_t i = 0; i < 2; i++) {
        wasm_error err;
        ext_manifest *m = parse(forms[i], NULL, &err);
        if (CHECK_OK(err.status, err) && CHECK(m)) {
            CHECK(is_tiny(&m->wasm[0]));
            CHECK(m->wasm[0].path == NULL);
        }
        ext_manifest_free(m);
    }
    /* Every tail length: "aGVsbG8" is "hello", "aGk" "hi", "aA" "h". */
    static const struct { const char *b64, *text; } tails[] = {
        {"aGVsbG8=", "hello"}, {"aGk=", "hi"}, {"aA==", "h"}, {"aA", "h"}, {"", ""},
        {"+/+/", "\xfb\xff\xbf"},
    };
    for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
        char json[256];
        snprintf(json, sizeof json, "{\"wasm\": [{\"data\": \"%s\"}]}", tails[i].b64);
        wasm_error err;
        ext_manifest *m = parse(json, NULL, &err);
        size_t n = strlen(tails[i].text);
        if (CHECK_OK(err.status, err) && CHECK(m))
            CHECK(m->wasm[0].len == n && memcmp(m->wasm[0].data, tails[i].text, n) == 0);
        ext_manifest_free(m);
    }
}

TEST(test_manifest_base64_is_strict)
{
    EXPECT_ERROR("{\"wasm\": [{\"data\": \"AGFz bQEAAAA=\"}]}", "wasm[0].data: invalid base64");
    EXPECT_ERROR("{\"wasm\": [{\"data\": \"AGFzbQEAAAA=\\n\"}]}", "invalid base64");
    EXPECT_ERROR("{\"wasm\": [{\"data\": \"AGFz*QEAAAA=\"}]}", "invalid base64 at offset 4");
    EXPECT_ERROR("{\"wasm\": [{\"data\": \"AGFzb\"}]}", "invalid base64");      /* 5 chars */
    EXPECT_ERROR("{\"wasm\": [{\"data\": \"aA=\"}]}", "invalid base64");        /* short pad */
    EXPECT_ERROR("{\"wasm\": [{\"data\": \"a===\"}]}", "invalid base64");
    EXPECT_ERROR("{\"wasm\": [{\"data\": \"aA==aA==\"}]}", "invalid base64");   /* inner pad */
    EXPECT_ERROR("{\"wasm\": [{\"data\": \"aB==\"}]}", "non-zero bits");        /* stray bits */
    EXPECT_ERROR("{\"wasm\": [{\"data\": \"AGFz-QEAAAA=\"}]}", "invalid base64"); /* url-safe */
    EXPECT_ERROR("{\"wasm\": [{\"data\": 12}]}",
                 "wasm[0].data: expected a base64 string, got integer");
    EXPECT_ERROR("{\"wasm\": [{\"data\": {\"ptr\": 1, \"len\": 2}}]}", "not supported");
}

TEST(test_manifest_hash_is_checked)
{
    char *dir = make_tmp();
    REQUIRE(dir);
    static const char *const ok[] = {
        "{\"wasm\": [{\"path\": \"tiny.wasm\", \"hash\": \"" TINY_SHA256 "\"}]}",
        "{\"wasm\": [{\"data\": \"" TINY_B64 "\", \"hash\": \"" TINY_SHA256 "\"}]}",
        "{\"wasm\": [{\"path\": \"tiny.wasm\", \"hash\": "
        "\"93A44BBB96C751218E4C00D479E4C14358122A389ACCA16205B1E4D0DC5F9476\"}]}",
    };
    for (size_t i = 0; i < 3; i++) {
        wasm_error err;
        ext_manifest *m = parse(ok[i], dir, &err);
        if (CHECK_OK(err.status, err) && CHECK(m)) {
            CHECK(is_tiny(&m->wasm[0]));
            CHECK(m->wasm[0].hash && strcmp(m->wasm[0].hash, TINY_SHA256) == 0);
        }
        ext_manifest_free(m);
    }
    rm_tmp(dir);
}

TEST(test_manifest_hash_mismatch_refuses_to_load)
{
    char *dir = make_tmp();
    REQUIRE(dir);
    static const char *const bad =
        "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
    char json[512];
    snprintf(json, sizeof json,
             "{\"wasm\": [{\"data\": \"" TINY_B64 "\"}, {\"path\": \"tiny.wasm\", \"hash\": "
             "\"%s\"}]}", bad);
    wasm_error err;
    ext_manifest *m = parse(json, dir, &err);
    CHECK(m == NULL);
    CHECK_EQ(err.status, WASM_BAD_ARGUMENT);
    CHECK_HAS(err.message, "wasm[1]: hash mismatch: expected ");
    CHECK_HAS(err.message, bad);
    CHECK_HAS(err.message, "got " TINY_SHA256);
    ext_manifest_free(m);
    rm_tmp(dir);

    EXPECT_ERROR("{\"wasm\": [{\"data\": \"" TINY_B64 "\", \"hash\": \"abc\"}]}",
                 "wasm[0].hash: expected 64 hex digits");
    EXPECT_ERROR("{\"wasm\": [{\"data\": \"" TINY_B64 "\", \"hash\": "
                 "\"g3a44bbb96c751218e4c00d479e4c14358122a389acca16205b1e4d0dc5f9476\"}]}",
                 "wasm[0].hash: expected 64 hex digits");
    EXPECT_ERROR("{\"wasm\": [{\"data\": \"" TINY_B64 "\", \"hash\": 5}]}",
                 "wasm[0].hash: expected a string, got integer");
}

TEST(test_manifest_url_source_is_refused)
{
    EXPECT_ERROR("{\"wasm\": [{\"url\": \"https://example.com/p.wasm\"}]}",
                 "wasm[0]: wasm url sources are not supported; download it and use path");
    EXPECT_ERROR("{\"wasm\": [{\"url\": \"https://example.com/p.wasm\", \"method\": \"GET\","
                 " \"headers\": {}, \"hash\": \"" TINY_SHA256 "\"}]}",
                 "wasm url sources are not supported");
}

TEST(test_manifest_sources_are_checked)
{
    EXPECT_ERROR("{}", "wasm: missing");
    EXPECT_ERROR("{\"wasm\": []}", "wasm: expected at least one module");
    EXPECT_ERROR("{\"wasm\": {}}", "wasm: expected an array of sources, got object");
    EXPECT_ERROR("{\"wasm\": [\"p.wasm\"]}", "wasm[0]: expected an object, got string");
    EXPECT_ERROR("{\"wasm\": [{\"name\": \"x\"}]}", "wasm[0]: expected a \"path\" or \"data\"");
    EXPECT_ERROR("{\"wasm\": [{\"data\": \"\", \"path\": \"x\"}]}", "not both");
    EXPECT_ERROR("{\"wasm\": [{\"data\": \"\", \"size\": 1}]}", "wasm[0].size: unknown field");
    EXPECT_ERROR("{\"wasm\": [{\"path\": \"\"}]}", "wasm[0].path: expected a non-empty string");
    EXPECT_ERROR("{\"wasm\": [{\"path\": 1}]}", "wasm[0].path: expected a string, got integer");
    EXPECT_ERROR("{\"wasm\": [{\"data\": \"\", \"name\": true}]}",
                 "wasm[0].name: expected a string, got boolean");
    EXPECT_ERROR("{\"wasm\": [{\"data\": \"\", \"name\": \"a\"}, {\"data\": \"\", \"name\": \"a\"}]}",
                 "wasm[1].name: the name \"a\" is already used by wasm[0]");
}

TEST(test_manifest_every_field)
{
    static const char json[] =
        "{\"wasm\": [{\"data\": \"" TINY_B64 "\", \"name\": \"lib\", \"hash\": null},\n"
        "            {\"data\": \"" TINY_B64 "\", \"name\": \"main\"}],\n"
        " \"memory\": {\"max_pages\": 17, \"max_http_response_bytes\": 4096,\n"
        "            \"max_var_bytes\": 0},\n"
        " \"config\": {\"greeting\": \"hello\", \"empty\": \"\"},\n"
        " \"allowed_hosts\": [\"example.com\", \"*.example.org\"],\n"
        " \"allowed_paths\": {\"ro:/srv/data\": \"/data\", \"/srv/out\": \"/out\",\n"
        "                   \"rel/dir\": \"/rel\"},\n"
        " \"timeout_ms\": 1500}";
    wasm_error err;
    ext_manifest *m = parse(json, "/base", &err);
    REQUIRE_OK(err.status, err);
    REQUIRE(m);
    CHECK_EQ(m->nwasm, 2);
    CHECK(strcmp(m->wasm[0].name, "lib") == 0 && strcmp(m->wasm[1].name, "main") == 0);
    CHECK(m->wasm[0].hash == NULL);
    CHECK(m->has_max_pages && m->max_pages == 17);
    CHECK(m->has_max_http && m->max_http_response_bytes == 4096);
    CHECK(m->has_max_var && m->max_var_bytes == 0);
    CHECK(m->has_timeout && m->timeout_ms == 1500);
    CHECK_EQ(m->nconfig, 2);
    for (size_t i = 0; i < m->nconfig; i++) {
        if (strcmp(m->config_keys[i], "greeting") == 0)
            CHECK(strcmp(m->config_values[i], "hello") == 0);
        else
            CHECK(strcmp(m->config_keys[i], "empty") == 0 && m->config_values[i][0] == 0);
    }
    CHECK_EQ(m->nallowed_hosts, 2);
    CHECK(strcmp(m->allowed_hosts[0], "example.com") == 0);
    CHECK(strcmp(m->allowed_hosts[1], "*.example.org") == 0);
    REQUIRE(m->nallowed_paths == 3);
    int seen = 0;
    for (size_t i = 0; i < m->nallowed_paths; i++) {
        const ext_path_grant *g = &m->allowed_paths[i];
        if (strcmp(g->guest, "/data") == 0) {
            CHECK(strcmp(g->host, "/srv/data") == 0 && g->readonly);
            seen |= 1;
        } else if (strcmp(g->guest, "/out") == 0) {
            CHECK(strcmp(g->host, "/srv/out") == 0 && !g->readonly);
            seen |= 2;
        } else if (strcmp(g->guest, "/rel") == 0) {
            CHECK(strcmp(g->host, "/base/rel/dir") == 0 && !g->readonly);
            seen |= 4;
        }
    }
    CHECK_EQ(seen, 7);
    ext_manifest_free(m);
}

TEST(test_manifest_absent_and_null_fields)
{
    wasm_error err;
    ext_manifest *m = parse("{\"wasm\": [{\"data\": \"" TINY_B64 "\"}]}", NULL, &err);
    REQUIRE_OK(err.status, err);
    REQUIRE(m);
    CHECK(!m->has_max_pages && !m->has_max_http && !m->has_max_var && !m->has_timeout);
    CHECK(m->nconfig == 0 && m->allowed_hosts == NULL && m->nallowed_hosts == 0);
    CHECK(m->allowed_paths == NULL && m->nallowed_paths == 0);
    ext_manifest_free(m);

    /* null where Extism takes an Option; an empty host list is not absent. */
    m = parse("{\"wasm\": [{\"data\": \"\"}], \"memory\": {\"max_pages\": null,"
              " \"max_var_bytes\": null}, \"allowed_hosts\": [], \"allowed_paths\": null,"
              " \"timeout_ms\": null, \"config\": {}}", NULL, &err);
    REQUIRE_OK(err.status, err);
    REQUIRE(m);
    CHECK(!m->has_max_pages && !m->has_max_var && !m->has_timeout);
    CHECK(m->allowed_hosts != NULL && m->nallowed_hosts == 0);
    CHECK(m->allowed_paths == NULL);
    ext_manifest_free(m);

    /* The old name of max_pages. */
    m = parse("{\"wasm\": [{\"data\": \"\"}], \"memory\": {\"max\": 3}}", NULL, &err);
    if (CHECK_OK(err.status, err) && CHECK(m))
        CHECK(m->has_max_pages && m->max_pages == 3);
    ext_manifest_free(m);
}

TEST(test_manifest_unknown_fields_are_named)
{
    EXPECT_ERROR("{\"wasm\": [{\"data\": \"\"}], \"timeout\": 5}", "manifest: timeout: unknown field");
    EXPECT_ERROR("{\"wasm\": [{\"data\": \"\"}], \"memory\": {\"max_bytes\": 5}}",
                 "memory.max_bytes: unknown field");
    EXPECT_ERROR("{\"wasm\": [{\"data\": \"\", \"sha\": \"x\"}]}", "wasm[0].sha: unknown field");
}

TEST(test_manifest_ill_typed_fields_are_named)
{
#define W "{\"wasm\": [{\"data\": \"\"}], "
    EXPECT_ERROR(W "\"memory\": {\"max_pages\": \"16\"}}",
                 "manifest: memory.max_pages: expected a non-negative integer, got string");
    EXPECT_ERROR(W "\"memory\": {\"max_pages\": -1}}",
                 "memory.max_pages: expected a non-negative integer, got -1");
    EXPECT_ERROR(W "\"memory\": {\"max_pages\": 1.5}}",
                 "memory.max_pages: expected a non-negative integer, got real");
    EXPECT_ERROR(W "\"memory\": {\"max_pages\": 4294967296}}",
                 "memory.max_pages: expected at most 4294967295");
    EXPECT_ERROR(W "\"memory\": {\"max_http_response_bytes\": true}}",
                 "memory.max_http_response_bytes: expected a non-negative integer, got boolean");
    EXPECT_ERROR(W "\"memory\": {\"max_var_bytes\": []}}",
                 "memory.max_var_bytes: expected a non-negative integer, got array");
    EXPECT_ERROR(W "\"memory\": 5}", "memory: expected an object, got integer");
    EXPECT_ERROR(W "\"memory\": null}", "memory: expected an object, got null");
    EXPECT_ERROR(W "\"timeout_ms\": \"1s\"}", "timeout_ms: expected a non-negative integer, got string");
    EXPECT_ERROR(W "\"config\": []}", "config: expected an object, got array");
    EXPECT_ERROR(W "\"config\": {\"k\": 1}}", "config[\"k\"]: expected a string, got integer");
    EXPECT_ERROR(W "\"config\": {\"k\": null}}", "config[\"k\"]: expected a string, got null");
    EXPECT_ERROR(W "\"allowed_hosts\": \"example.com\"}",
                 "allowed_hosts: expected an array of strings, got string");
    EXPECT_ERROR(W "\"allowed_hosts\": [\"a.com\", 7]}", "allowed_hosts[1]: expected a string, got integer");
    EXPECT_ERROR(W "\"allowed_hosts\": [\"\"]}", "allowed_hosts[0]: expected a non-empty string");
    EXPECT_ERROR(W "\"allowed_paths\": [\"/a\"]}", "allowed_paths: expected an object, got array");
    EXPECT_ERROR(W "\"allowed_paths\": {\"/a\": 1}}", "allowed_paths[\"/a\"]: expected a string, got integer");
    EXPECT_ERROR(W "\"allowed_paths\": {\"ro:\": \"/a\"}}", "allowed_paths[\"ro:\"]: expected a host path");
    EXPECT_ERROR(W "\"allowed_paths\": {\"/a\": \"\"}}", "allowed_paths[\"/a\"]: expected a non-empty string");
    EXPECT_ERROR("[]", "manifest: expected an object, got array");
#undef W
}

TEST(test_manifest_invalid_json_gives_line_and_column)
{
    EXPECT_ERROR("{\"wasm\": [\n  {\"data\": \"\"},,\n]}", "manifest: line 2, column");
    EXPECT_ERROR("", "manifest: line");
    /* Duplicate keys are ambiguous: refused. */
    EXPECT_ERROR("{\"wasm\": [{\"data\": \"\"}], \"timeout_ms\": 1, \"timeout_ms\": 2}",
                 "duplicate");
    wasm_error err;
    wasm_error_clear(&err);
    CHECK(ext_manifest_parse(NULL, 0, NULL, &err) == NULL);
    CHECK_EQ(err.status, WASM_BAD_ARGUMENT);
}

TEST(test_manifest_from_wasm_copies_the_bytes)
{
    uint8_t bytes[sizeof tiny_wasm];
    memcpy(bytes, tiny_wasm, sizeof bytes);
    wasm_error err;
    wasm_error_clear(&err);
    ext_manifest *m = ext_manifest_from_wasm(bytes, sizeof bytes, &err);
    REQUIRE(m);
    memset(bytes, 0, sizeof bytes);
    CHECK_EQ(m->nwasm, 1);
    CHECK(is_tiny(&m->wasm[0]));
    CHECK(m->wasm[0].name == NULL && m->wasm[0].hash == NULL && m->wasm[0].path == NULL);
    CHECK(!m->has_timeout && m->allowed_hosts == NULL && m->nconfig == 0);
    ext_manifest_free(m);
    ext_manifest_free(NULL);
}
