/*
 * load.c - from a file name to an instance: read the bytes, decode and
 * validate, refuse modules that need imports (naming the first one), make
 * a store with the options' limits and instantiate.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"

static const char *const kind_names[] = {"func", "table", "memory", "global"};

uint8_t *cli_read_file(const char *path, size_t *size)
{
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    FILE *f = fopen(path, "rb");
    if (!f) goto fail;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 65536;
            uint8_t *p = realloc(buf, cap);
            if (!p) { errno = ENOMEM; goto fail; }
            buf = p;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0) break;
    }
    if (ferror(f)) goto fail;
    fclose(f);
    *size = len;
    return buf;
fail:
    cli_fail(CLI_EXIT_LOAD, "cannot read %s: %s", path, strerror(errno));
    free(buf);
    if (f) fclose(f);
    return NULL;
}

/* Modules that import anything cannot be run by a command that provides
   nothing: name the first import. */
static int check_no_imports(const char *path, const wasm_module *m)
{
    if (wasm_module_import_count(m) == 0) return CLI_EXIT_OK;
    wasm_import_info info;
    char mod[128], name[128];
    wasm_module_import(m, 0, &info);
    return cli_fail(CLI_EXIT_LOAD, "%s: unknown import \"%s\".\"%s\" (%s): this command "
                    "provides no imports", path,
                    cli_printable(mod, sizeof mod, info.module.data, info.module.len),
                    cli_printable(name, sizeof name, info.name.data, info.name.len),
                    kind_names[info.kind & 3]);
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int cli_session_open(cli_session *s, const char *path, const cli_options *o)
{
    wasm_error err = {0};
    size_t size = 0;
    int rc = CLI_EXIT_OK;
    memset(s, 0, sizeof *s);

    uint8_t *bytes = cli_read_file(path, &size);
    if (!bytes) return CLI_EXIT_LOAD;
    s->module = wasm_module_new(bytes, size, &err);
    free(bytes);
    if (!s->module) {
        rc = cli_fail(cli_exit_code(err.status, true), "%s: %s", path,
                      err.message[0] ? err.message : wasm_status_name(err.status));
        goto fail;
    }
    if ((rc = check_no_imports(path, s->module)) != CLI_EXIT_OK) goto fail;

    wasm_config cfg;
    wasm_config_default(&cfg);
    if (o->has_memory_max) cfg.max_memory_pages = o->memory_max;
    s->store = wasm_store_new(&cfg);
    if (!s->store) {
        rc = cli_fail(CLI_EXIT_OTHER, "out of memory");
        goto fail;
    }
    /* The budget and the deadline cover the start function too. */
    if (o->has_fuel) wasm_store_set_fuel(s->store, o->fuel);
    if (o->has_timeout) wasm_store_set_deadline(s->store, now_ns() + o->timeout_ms * 1000000u);

    s->inst = wasm_instance_new(s->store, s->module, NULL, 0, &err);
    if (!s->inst) {
        rc = cli_fail(cli_exit_code(err.status, true), "%s: %s", path,
                      err.message[0] ? err.message : wasm_status_name(err.status));
        goto fail;
    }
    return CLI_EXIT_OK;
fail:
    cli_session_close(s);
    return rc;
}

void cli_session_close(cli_session *s)
{
    if (s->store) wasm_store_free(s->store);
    if (s->module) wasm_module_free(s->module);
    memset(s, 0, sizeof *s);
}
