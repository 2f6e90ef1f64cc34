/*
 * runner.c - the spec testsuite runner: executes one command file that
 * wast2json made from a .wast script (NAME.json, its modules beside it)
 * against the engine, through wasm.h only.
 *
 *   spec_runner [--known known-failures.txt] [--trace] DIR/NAME.json
 *
 * Prints "FAIL NAME.wast:LINE KIND: why" for each failing command and, last,
 * "NAME.wast: P passed, F failed, S skipped".  Exit status: 0 when nothing
 * failed, 3 when something did, 2 on bad usage; anything else (a crash, a
 * sanitizer report) is the caller's to count (tests/spec/run.sh).
 *
 * All modules of a file share one store, so registered instances link
 * across modules as the scripts require.  Imports are resolved by module
 * name (registered instances, then the host "spectest" module) and field
 * name; the engine checks their types.  Text modules (.wat, "module_type":
 * "text") test a text parser this engine does not have: skipped.
 *
 * --known: commands listed there (FILE.wast:LINE reason) that fail are
 * counted as skipped; a listed command that passes is a failure, so the
 * list can only shrink.  --trace: "RUN NAME.wast:LINE KIND" on stderr
 * before each command, to find where a crash happened.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "spec_runner.h"

#define WHY_MAX 1024
#define ACTION_DEADLINE_NS (20ull * 1000000000ull)
#define EXIT_FAILED 3
#define EXIT_USAGE 2

typedef enum outcome { OUT_PASS, OUT_FAIL, OUT_SKIP } outcome;

/* A module name ("$M") or a registered name ("as") and its instance;
   inst is NULL when the named module failed to load. */
typedef struct binding {
    char *name;
    size_t len;
    wasm_instance *inst;
} binding;

typedef struct binding_list {
    binding *items;
    size_t count, cap;
} binding_list;

typedef struct known_entry {
    int line;
    bool seen;
    char *reason;
} known_entry;

typedef struct spec_run {
    char dir[4096];          /* where the JSON and its modules are */
    char wast[256];          /* NAME.wast, as failures name it */
    bool trace;
    wasm_store *store;
    spectest host;
    wasm_module **modules;   /* freed after the store */
    size_t nmodules, capmodules;
    binding_list names;      /* "$name" of named modules */
    binding_list registered; /* register "as" names */
    wasm_instance *current;  /* the last module, NULL if it failed */
    known_entry *known;
    size_t nknown;
    int passed, failed, skipped, known_failed;
} spec_run;

/* What an action left: its results, or the engine's error. */
typedef enum act_result { ACT_RETURNED, ACT_ERROR, ACT_BROKEN } act_result;

typedef struct action_out {
    uint32_t nresults;
    const uint8_t *types;
    uint8_t global_type;
    wasm_val *results;
    wasm_error err;
} action_out;

/* ---- Small helpers ---------------------------------------------------- */

static void *xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size != 0 ? size : 1);
    if (q == NULL) {
        fprintf(stderr, "spec_runner: out of memory\n");
        exit(EXIT_USAGE);
    }
    return q;
}

static const char *jstr(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static const char *status_name(wasm_status st)
{
    const char *name = wasm_status_name(st);
    return name != NULL ? name : "?";
}

static const char *trap_text(wasm_trap_kind kind)
{
    const char *text = wasm_trap_message(kind);
    return text != NULL ? text : "";
}

/* The engine's message, NUL-terminated even if the engine forgot. */
static const char *err_message(wasm_error *err)
{
    err->message[WASM_ERROR_MESSAGE_MAX - 1] = '\0';
    return err->message;
}

static void runner_error(wasm_error *err, wasm_status st, const char *what, const char *arg)
{
    err->status = st;
    err->trap = WASM_TRAP_NONE;
    err->message[0] = '\0';
    spec_append(err->message, sizeof err->message, "%s%s", what, arg);
}

/* Appends "STATUS: message" (and the trap's wording) of a failed call. */
static void append_error(char *why, size_t n, wasm_error *err)
{
    spec_append(why, n, "%s", status_name(err->status));
    if (err->status == WASM_TRAP) {
        spec_append(why, n, " \"%s\"", trap_text(err->trap));
    }
    spec_append(why, n, ": %s", err_message(err));
}

static void arm_deadline(spec_run *r)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    uint64_t now = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
    wasm_store_set_deadline(r->store, now + ACTION_DEADLINE_NS);
}

static void disarm_deadline(spec_run *r, wasm_status st)
{
    wasm_store_set_deadline(r->store, 0);
    if (st == WASM_INTERRUPTED) {
        wasm_store_clear_interrupt(r->store);
    }
}

static void bind(binding_list *list, const char *name, size_t len, wasm_instance *inst)
{
    if (list->count == list->cap) {
        list->cap = list->cap != 0 ? list->cap * 2 : 8;
        list->items = xrealloc(list->items, list->cap * sizeof *list->items);
    }
    binding *b = &list->items[list->count++];
    b->name = xrealloc(NULL, len + 1);
    memcpy(b->name, name, len);
    b->name[len] = '\0';
    b->len = len;
    b->inst = inst;
}

/* The newest binding of a name (a later module may reuse it). */
static const binding *lookup(const binding_list *list, const char *name, size_t len)
{
    for (size_t i = list->count; i-- > 0;) {
        const binding *b = &list->items[i];
        if (b->len == len && memcmp(b->name, name, len) == 0) {
            return b;
        }
    }
    return NULL;
}

static void free_bindings(binding_list *list)
{
    for (size_t i = 0; i < list->count; i++) {
        free(list->items[i].name);
    }
    free(list->items);
}

/* ---- Modules and linking ---------------------------------------------- */

static bool is_text_module(const json_t *cmd)
{
    const char *type = jstr(cmd, "module_type");
    const char *file = jstr(cmd, "filename");
    size_t len = file != NULL ? strlen(file) : 0;
    return (type != NULL && strcmp(type, "text") == 0) ||
           (len >= 4 && strcmp(file + len - 4, ".wat") == 0);
}

static uint8_t *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    uint8_t *data = NULL;
    size_t len = 0, cap = 0, got;
    if (f == NULL) {
        return NULL;
    }
    do {
        if (len == cap) {
            cap = cap != 0 ? cap * 2 : 4096;
            data = xrealloc(data, cap);
        }
        got = fread(data + len, 1, cap - len, f);
        len += got;
    } while (got != 0);
    if (ferror(f)) {
        free(data);
        data = NULL;
    }
    fclose(f);
    *size = len;
    return data;
}

/* Reads and decodes the command's module file.  The module is kept until
   the store is gone: a failed instantiation may leave its functions in
   imported tables. */
static wasm_module *load_module(spec_run *r, const json_t *cmd, wasm_error *err)
{
    const char *file = jstr(cmd, "filename");
    char path[8192];
    size_t size;
    wasm_error_clear(err);
    if (file == NULL) {
        runner_error(err, WASM_BAD_ARGUMENT, "command has no filename", "");
        return NULL;
    }
    path[0] = '\0';
    spec_append(path, sizeof path, "%s/%s", r->dir, file);
    uint8_t *bytes = read_file(path, &size);
    if (bytes == NULL) {
        runner_error(err, WASM_BAD_ARGUMENT, "runner cannot read ", path);
        return NULL;
    }
    wasm_module *m = wasm_module_new(bytes, size, err);
    free(bytes);
    if (m == NULL) {
        if (err->status == WASM_OK) {
            runner_error(err, WASM_BAD_ARGUMENT, "wasm_module_new returned NULL with no error", "");
        }
        return NULL;
    }
    if (r->nmodules == r->capmodules) {
        r->capmodules = r->capmodules != 0 ? r->capmodules * 2 : 16;
        r->modules = xrealloc(r->modules, r->capmodules * sizeof *r->modules);
    }
    r->modules[r->nmodules++] = m;
    return m;
}

/* Finds the extern an import names: registered instances first, then the
   spectest module.  Its type is the engine's to check. */
static bool resolve_import(spec_run *r, const wasm_import_info *imp, wasm_extern *out)
{
    const binding *b = lookup(&r->registered, imp->module.data, imp->module.len);
    if (b != NULL) {
        return b->inst != NULL &&
               wasm_instance_export(b->inst, imp->name.data, imp->name.len, out);
    }
    if (imp->module.len == 8 && memcmp(imp->module.data, "spectest", 8) == 0) {
        return spectest_lookup(&r->host, imp->name.data, imp->name.len, out);
    }
    return false;
}

/* Links and instantiates; an import nobody provides is WASM_UNLINKABLE
   ("unknown import"), decided here as the embedder. */
static wasm_status instantiate(spec_run *r, const wasm_module *m, wasm_instance **out,
                               wasm_error *err)
{
    uint32_t n = wasm_module_import_count(m);
    wasm_extern *imports = xrealloc(NULL, (n + 1) * sizeof *imports);
    wasm_status st = WASM_OK;
    wasm_import_info imp;

    *out = NULL;
    wasm_error_clear(err);
    for (uint32_t i = 0; i < n; i++) {
        memset(&imp, 0, sizeof imp);
        wasm_module_import(m, i, &imp);
        if (!resolve_import(r, &imp, &imports[i])) {
            char what[WHY_MAX] = "unknown import ";
            spec_name_append(what, sizeof what, imp.module.data, imp.module.len);
            spec_append(what, sizeof what, " ");
            spec_name_append(what, sizeof what, imp.name.data, imp.name.len);
            runner_error(err, WASM_UNLINKABLE, what, " (no such module or export)");
            st = WASM_UNLINKABLE;
            goto done;
        }
    }
    arm_deadline(r);
    *out = wasm_instance_new(r->store, m, imports, n, err);
    st = *out != NULL ? WASM_OK : err->status;
    disarm_deadline(r, st);
    if (*out == NULL && st == WASM_OK) {
        runner_error(err, WASM_BAD_ARGUMENT, "wasm_instance_new returned NULL with no error", "");
        st = WASM_BAD_ARGUMENT;
    }
done:
    free(imports);
    return st;
}

/* ---- Actions ---------------------------------------------------------- */

/* "invoke "name"(i32:1, ...)" or "get "name"", with "$module." if given. */
static void describe_action(const json_t *action, char *buf, size_t n)
{
    const json_t *field = json_object_get(action, "field");
    const char *module = jstr(action, "module");
    const json_t *args = json_object_get(action, "args");
    const char *type = jstr(action, "type");

    spec_append(buf, n, "%s ", type != NULL ? type : "?");
    if (module != NULL) {
        spec_append(buf, n, "%s.", module);
    }
    spec_name_append(buf, n, json_string_value(field) != NULL ? json_string_value(field) : "",
                     json_string_length(field));
    if (type == NULL || strcmp(type, "invoke") != 0) {
        return;
    }
    spec_append(buf, n, "(");
    for (size_t i = 0; i < json_array_size(args); i++) {
        spec_value v;
        char ignored[64] = "";
        spec_append(buf, n, i != 0 ? ", " : "");
        if (spec_value_parse(json_array_get(args, i), &v, ignored, sizeof ignored)) {
            spec_value_append(buf, n, &v);
        } else {
            spec_append(buf, n, "?");
        }
    }
    spec_append(buf, n, ")");
}

static wasm_instance *action_instance(spec_run *r, const json_t *action, char *why, size_t n)
{
    const char *module = jstr(action, "module");
    if (module == NULL) {
        if (r->current == NULL) {
            spec_append(why, n, "no module to act on (the last module failed or was skipped)");
        }
        return r->current;
    }
    const binding *b = lookup(&r->names, module, strlen(module));
    if (b == NULL || b->inst == NULL) {
        spec_append(why, n, "module %s %s", module, b == NULL ? "is not defined" : "failed to load");
        return NULL;
    }
    return b->inst;
}

static act_result do_invoke(spec_run *r, wasm_func *func, const json_t *args,
                            action_out *out, char *why, size_t n)
{
    const wasm_functype *type = wasm_func_type(func);
    size_t nargs = json_array_size(args);
    if (type == NULL) {
        spec_append(why, n, "wasm_func_type returned NULL");
        return ACT_BROKEN;
    }
    if (type->nparams != nargs) {
        spec_append(why, n, "the export takes %u parameters, the command passes %zu",
                    type->nparams, nargs);
        return ACT_BROKEN;
    }
    /* cells: a v128 takes two (wasm.h) */
    uint32_t ncells = wasm_type_cells(type->params, type->nparams), at = 0;
    uint32_t nrcells = wasm_type_cells(type->results, type->nresults);
    wasm_val *vals = xrealloc(NULL, (ncells + 1) * sizeof *vals);
    for (size_t i = 0; i < nargs; i++) {
        spec_value v;
        if (!spec_value_parse(json_array_get(args, i), &v, why, n)) {
            free(vals);
            return ACT_BROKEN;
        }
        if (v.pattern != SPEC_EXACT || v.type != type->params[i]) {
            spec_append(why, n, "argument %zu is %s, the export's parameter is %s", i,
                        spec_type_name(v.type), spec_type_name(type->params[i]));
            free(vals);
            return ACT_BROKEN;
        }
        vals[at++] = v.bits[0];
        if (v.type == WASM_V128) {
            vals[at++] = v.bits[1];
        }
    }
    out->nresults = type->nresults;
    out->types = type->results;
    out->results = xrealloc(NULL, (nrcells + 1) * sizeof *out->results);
    memset(out->results, 0, (nrcells + 1) * sizeof *out->results);
    arm_deadline(r);
    wasm_status st = wasm_func_call(func, vals, out->results, &out->err);
    disarm_deadline(r, st);
    free(vals);
    if (st != WASM_OK && out->err.status == WASM_OK) {
        out->err.status = st;   /* trust the return value over the struct */
    }
    return st == WASM_OK ? ACT_RETURNED : ACT_ERROR;
}

/* Runs an invoke or get action; out->results is the caller's to free. */
static act_result do_action(spec_run *r, const json_t *action, action_out *out,
                            char *why, size_t n)
{
    const char *type = jstr(action, "type");
    const json_t *field = json_object_get(action, "field");
    wasm_extern ext;

    memset(out, 0, sizeof *out);
    wasm_error_clear(&out->err);
    wasm_instance *inst = action_instance(r, action, why, n);
    if (inst == NULL) {
        return ACT_BROKEN;
    }
    if (type == NULL || !json_is_string(field)) {
        spec_append(why, n, "action without type or field");
        return ACT_BROKEN;
    }
    bool is_invoke = strcmp(type, "invoke") == 0, is_get = strcmp(type, "get") == 0;
    if (!is_invoke && !is_get) {
        spec_append(why, n, "unknown action type \"%s\"", type);
        return ACT_BROKEN;
    }
    wasm_extern_kind want = is_invoke ? WASM_EXTERN_FUNC : WASM_EXTERN_GLOBAL;
    if (!wasm_instance_export(inst, json_string_value(field),
                              (uint32_t)json_string_length(field), &ext) ||
        ext.kind != want) {
        spec_append(why, n, "no %s export of that name",
                    is_invoke ? "function" : "global");
        return ACT_BROKEN;
    }
    if (is_invoke) {
        return do_invoke(r, ext.of.func, json_object_get(action, "args"), out, why, n);
    }
    out->global_type = wasm_global_type(ext.of.global).type;
    out->types = &out->global_type;
    out->nresults = 1;
    out->results = xrealloc(NULL, 2 * sizeof *out->results);
    wasm_global_get_cells(ext.of.global, out->results);
    return ACT_RETURNED;
}

static void append_results(char *why, size_t n, const action_out *out)
{
    spec_append(why, n, "(");
    for (uint32_t i = 0, at = 0; i < out->nresults; i++) {
        spec_append(why, n, i != 0 ? ", " : "");
        spec_cell_append(why, n, out->types[i], out->results + at);
        at += out->types[i] == WASM_V128 ? 2 : 1;
    }
    spec_append(why, n, ")");
}

/* Compares results with "expected"; on a mismatch fills why. */
static bool check_results(const json_t *expected, const action_out *out, char *why, size_t n)
{
    size_t count = json_array_size(expected);
    bool ok = count == out->nresults;
    char exp_text[WHY_MAX] = "(";

    for (size_t i = 0, at = 0; i < count; i++) {
        spec_value v;
        if (!spec_value_parse(json_array_get(expected, i), &v, why, n)) {
            return false;
        }
        spec_append(exp_text, sizeof exp_text, i != 0 ? ", " : "");
        spec_value_append(exp_text, sizeof exp_text, &v);
        if (ok && (v.type != out->types[i] || !spec_value_matches(&v, out->results + at))) {
            ok = false;
        }
        if (i < out->nresults) {
            at += out->types[i] == WASM_V128 ? 2 : 1;
        }
    }
    if (!ok) {
        spec_append(why, n, "expected %s), got ", exp_text);
        append_results(why, n, out);
    }
    return ok;
}

/* ---- Commands --------------------------------------------------------- */

static outcome cmd_module(spec_run *r, const json_t *cmd, char *why, size_t n)
{
    const json_t *name = json_object_get(cmd, "name");
    wasm_instance *inst = NULL;
    wasm_error err;
    outcome o = OUT_FAIL;

    if (is_text_module(cmd)) {
        o = OUT_SKIP;
    } else if (load_module(r, cmd, &err) == NULL) {
        spec_append(why, n, "module did not load: ");
        append_error(why, n, &err);
    } else if (instantiate(r, r->modules[r->nmodules - 1], &inst, &err) != WASM_OK) {
        spec_append(why, n, "module did not instantiate: ");
        append_error(why, n, &err);
    } else {
        o = OUT_PASS;
    }
    r->current = inst;
    if (json_is_string(name)) {
        bind(&r->names, json_string_value(name), json_string_length(name), inst);
    }
    return o;
}

static outcome cmd_register(spec_run *r, const json_t *cmd, char *why, size_t n)
{
    const json_t *as = json_object_get(cmd, "as");
    const char *name = jstr(cmd, "name");
    wasm_instance *inst = r->current;

    if (!json_is_string(as)) {
        spec_append(why, n, "register without \"as\"");
        return OUT_FAIL;
    }
    if (name != NULL) {
        const binding *b = lookup(&r->names, name, strlen(name));
        inst = b != NULL ? b->inst : NULL;
    }
    /* Bound even when NULL, so imports from it fail instead of finding an
       older instance registered under the same name. */
    bind(&r->registered, json_string_value(as), json_string_length(as), inst);
    if (inst == NULL) {
        spec_append(why, n, "no module to register (%s)",
                    name != NULL ? name : "the last module failed or was skipped");
        return OUT_FAIL;
    }
    return OUT_PASS;
}

/* action, assert_return, assert_trap and assert_exhaustion on an action. */
static outcome cmd_action(spec_run *r, const json_t *cmd, const char *kind, char *why, size_t n)
{
    const json_t *action = json_object_get(cmd, "action");
    const char *text = jstr(cmd, "text");
    action_out out;
    outcome o = OUT_FAIL;
    bool want_return = strcmp(kind, "action") == 0 || strcmp(kind, "assert_return") == 0;
    bool want_exhaustion = strcmp(kind, "assert_exhaustion") == 0;

    describe_action(action, why, n);
    spec_append(why, n, ": ");
    act_result res = do_action(r, action, &out, why, n);
    if (res == ACT_BROKEN) {
        goto done;
    }
    if (want_return) {
        if (res == ACT_ERROR) {
            spec_append(why, n, "expected a return, got ");
            append_error(why, n, &out.err);
        } else if (strcmp(kind, "action") == 0 ||
                   check_results(json_object_get(cmd, "expected"), &out, why, n)) {
            o = OUT_PASS;
        }
        goto done;
    }
    if (res == ACT_RETURNED) {
        spec_append(why, n, "expected trap \"%s\", got a return ", text != NULL ? text : "");
        append_results(why, n, &out);
        goto done;
    }
    const char *got = trap_text(out.err.trap);
    size_t got_len = strlen(got), text_len = text != NULL ? strlen(text) : 0;
    bool text_ok = text != NULL && got_len != 0 &&
                   strncmp(got, text, got_len < text_len ? got_len : text_len) == 0;
    if (out.err.status == WASM_TRAP &&
        (want_exhaustion ? out.err.trap == WASM_TRAP_STACK_EXHAUSTED : text_ok)) {
        o = OUT_PASS;
    } else {
        spec_append(why, n, "expected trap \"%s\", got ", text != NULL ? text : "");
        append_error(why, n, &out.err);
    }
done:
    free(out.results);
    return o;
}

/* assert_invalid and assert_malformed: decoding must fail with `want`. */
static outcome cmd_bad_module(spec_run *r, const json_t *cmd, wasm_status want,
                              char *why, size_t n)
{
    const char *text = jstr(cmd, "text");
    wasm_error err;

    if (is_text_module(cmd)) {
        return OUT_SKIP;
    }
    spec_append(why, n, "%s: expected %s \"%s\", got ", jstr(cmd, "filename"),
                status_name(want), text != NULL ? text : "");
    if (load_module(r, cmd, &err) != NULL) {
        spec_append(why, n, "a valid module");
        return OUT_FAIL;
    }
    if (err.status == want) {
        return OUT_PASS;
    }
    append_error(why, n, &err);
    return OUT_FAIL;
}

/* assert_unlinkable, assert_uninstantiable, assert_trap on a module: the
   module must load, then instantiating it must fail with `want`; a trap
   must also have the expected wording. */
static outcome cmd_failing_instance(spec_run *r, const json_t *cmd, wasm_status want,
                                    char *why, size_t n)
{
    const char *text = jstr(cmd, "text");
    wasm_module *m;
    wasm_instance *inst;
    wasm_error err;

    if (is_text_module(cmd)) {
        return OUT_SKIP;
    }
    spec_append(why, n, "%s: expected %s \"%s\", got ", jstr(cmd, "filename"),
                status_name(want), text != NULL ? text : "");
    if ((m = load_module(r, cmd, &err)) == NULL) {
        spec_append(why, n, "no module: ");
        append_error(why, n, &err);
        return OUT_FAIL;
    }
    wasm_status st = instantiate(r, m, &inst, &err);
    if (st == WASM_OK) {
        spec_append(why, n, "a working instance");
        return OUT_FAIL;
    }
    if (st == want) {
        if (want != WASM_TRAP || text == NULL) {
            return OUT_PASS;
        }
        const char *got = trap_text(err.trap);
        size_t len = strlen(got) < strlen(text) ? strlen(got) : strlen(text);
        if (len != 0 && strncmp(got, text, len) == 0) {
            return OUT_PASS;
        }
    }
    append_error(why, n, &err);
    return OUT_FAIL;
}

/* ---- Known failures --------------------------------------------------- */

/* Reads the entries of this file from a known-failures list: lines
   "FILE.wast:LINE reason", '#' comments.  run.sh checks the format; here
   a line that does not parse is ignored. */
static bool load_known(spec_run *r, const char *path)
{
    FILE *f = fopen(path, "r");
    char line[4096];
    size_t cap = 0, wast_len = strlen(r->wast);
    if (f == NULL) {
        fprintf(stderr, "spec_runner: cannot open %s\n", path);
        return false;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        char *p = line, *end;
        if (strncmp(p, r->wast, wast_len) != 0 || p[wast_len] != ':') {
            continue;
        }
        long num = strtol(p + wast_len + 1, &end, 10);
        if (end == p + wast_len + 1 || (*end != ' ' && *end != '\t')) {
            continue;
        }
        end += strspn(end, " \t");
        end[strcspn(end, "\r\n")] = '\0';
        if (r->nknown == cap) {
            cap = cap != 0 ? cap * 2 : 8;
            r->known = xrealloc(r->known, cap * sizeof *r->known);
        }
        known_entry *k = &r->known[r->nknown++];
        k->line = (int)num;
        k->seen = false;
        k->reason = xrealloc(NULL, strlen(end) + 1);
        memcpy(k->reason, end, strlen(end) + 1);
    }
    fclose(f);
    return true;
}

/* The entry for a command's line, all its duplicates marked as seen
   (run.sh reports duplicates). */
static known_entry *find_known(spec_run *r, int line)
{
    known_entry *found = NULL;
    for (size_t i = 0; i < r->nknown; i++) {
        if (r->known[i].line == line) {
            r->known[i].seen = true;
            found = found != NULL ? found : &r->known[i];
        }
    }
    return found;
}

/* Counts one command's outcome, applying the known-failures list. */
static void report(spec_run *r, int line, const char *kind, outcome o, const char *why)
{
    known_entry *k = find_known(r, line);
    if (o == OUT_FAIL && k != NULL) {
        r->skipped++;
        r->known_failed++;
        printf("KNOWN %s:%d %s: %s [listed: %s]\n", r->wast, line, kind, why, k->reason);
    } else if (o == OUT_FAIL) {
        r->failed++;
        printf("FAIL %s:%d %s: %s\n", r->wast, line, kind, why);
    } else if (k != NULL) {
        r->failed++;
        printf("FAIL %s:%d %s: %s, fixed, remove it from known-failures.txt\n", r->wast, line,
               kind, o == OUT_PASS ? "passes now" : "is skipped, not failing");
    } else if (o == OUT_PASS) {
        r->passed++;
    } else {
        r->skipped++;
    }
}

/* ---- Driver ----------------------------------------------------------- */

static void run_command(spec_run *r, const json_t *cmd)
{
    const char *kind = jstr(cmd, "type");
    int line = (int)json_integer_value(json_object_get(cmd, "line"));
    char why[WHY_MAX] = "";
    outcome o;

    if (kind == NULL) {
        kind = "?";
    }
    if (r->trace) {
        fprintf(stderr, "RUN %s:%d %s\n", r->wast, line, kind);
    }
    if (strcmp(kind, "module") == 0) {
        o = cmd_module(r, cmd, why, sizeof why);
    } else if (strcmp(kind, "register") == 0) {
        o = cmd_register(r, cmd, why, sizeof why);
    } else if (strcmp(kind, "action") == 0 || strcmp(kind, "assert_return") == 0 ||
               strcmp(kind, "assert_exhaustion") == 0 ||
               (strcmp(kind, "assert_trap") == 0 && json_object_get(cmd, "action") != NULL)) {
        o = cmd_action(r, cmd, kind, why, sizeof why);
    } else if (strcmp(kind, "assert_trap") == 0 || strcmp(kind, "assert_uninstantiable") == 0) {
        o = cmd_failing_instance(r, cmd, WASM_TRAP, why, sizeof why);
    } else if (strcmp(kind, "assert_unlinkable") == 0) {
        o = cmd_failing_instance(r, cmd, WASM_UNLINKABLE, why, sizeof why);
    } else if (strcmp(kind, "assert_invalid") == 0) {
        o = cmd_bad_module(r, cmd, WASM_INVALID, why, sizeof why);
    } else if (strcmp(kind, "assert_malformed") == 0) {
        o = cmd_bad_module(r, cmd, WASM_MALFORMED, why, sizeof why);
    } else {
        spec_append(why, sizeof why, "unknown command kind");
        o = OUT_FAIL;
    }
    report(r, line, kind, o, why);
}

/* NAME.json in DIR: the modules are in DIR, failures name NAME.wast. */
static void set_paths(spec_run *r, const char *json_path)
{
    const char *slash = strrchr(json_path, '/');
    const char *base = slash != NULL ? slash + 1 : json_path;
    size_t len = strlen(base);
    if (len > 5 && strcmp(base + len - 5, ".json") == 0) {
        len -= 5;
    }
    if (slash == NULL) {
        spec_append(r->dir, sizeof r->dir, ".");
    } else {
        spec_append(r->dir, sizeof r->dir, "%.*s", (int)(slash - json_path), json_path);
    }
    spec_append(r->wast, sizeof r->wast, "%.*s.wast", (int)(len < 200 ? len : 200), base);
}

/* Makes the store and the spectest module, then runs every command. */
static void run_commands(spec_run *r, const json_t *cmds)
{
    if (r->trace) {
        fprintf(stderr, "RUN %s:0 store and spectest setup\n", r->wast);
    }
    if ((r->store = wasm_store_new(NULL)) == NULL) {
        r->failed++;
        printf("FAIL %s:0 store: wasm_store_new failed\n", r->wast);
        return;
    }
    if (!spectest_init(&r->host, r->store)) {
        r->failed++;
        printf("FAIL %s:0 spectest: the engine refused a spectest export\n", r->wast);
        return;
    }
    for (size_t i = 0; i < json_array_size(cmds); i++) {
        run_command(r, json_array_get(cmds, i));
    }
}

static void run_file(spec_run *r, const char *json_path)
{
    json_error_t jerr;
    json_t *root = json_load_file(json_path, JSON_ALLOW_NUL, &jerr);
    const json_t *cmds = json_object_get(root, "commands");

    if (root == NULL || !json_is_array(cmds)) {
        r->failed++;
        printf("FAIL %s:0 json: cannot read %s: %s (line %d)\n", r->wast, json_path,
               root == NULL ? jerr.text : "no command list", root == NULL ? jerr.line : 0);
    } else {
        run_commands(r, cmds);
    }
    for (size_t i = 0; i < r->nknown; i++) {
        if (!r->known[i].seen) {
            r->failed++;
            printf("FAIL %s:%d known-failures.txt: no command at this line\n", r->wast,
                   r->known[i].line);
        }
    }
    json_decref(root);
}

static void cleanup(spec_run *r)
{
    if (r->store != NULL) {
        wasm_store_free(r->store);
    }
    for (size_t i = 0; i < r->nmodules; i++) {
        wasm_module_free(r->modules[i]);
    }
    free(r->modules);
    free_bindings(&r->names);
    free_bindings(&r->registered);
    for (size_t i = 0; i < r->nknown; i++) {
        free(r->known[i].reason);
    }
    free(r->known);
}

int main(int argc, char **argv)
{
    static spec_run r;
    const char *known = NULL, *json_path = NULL;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--known") == 0 && i + 1 < argc) {
            known = argv[++i];
        } else if (strcmp(argv[i], "--trace") == 0) {
            r.trace = true;
        } else if (argv[i][0] != '-' && json_path == NULL) {
            json_path = argv[i];
        } else {
            json_path = NULL;
            break;
        }
    }
    if (json_path == NULL) {
        fprintf(stderr, "usage: %s [--known known-failures.txt] [--trace] NAME.json\n", argv[0]);
        return EXIT_USAGE;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);   /* lines survive a crash */
    set_paths(&r, json_path);
    if (known != NULL && !load_known(&r, known)) {
        return EXIT_USAGE;
    }
    run_file(&r, json_path);
    printf("%s: %d passed, %d failed, %d skipped", r.wast, r.passed, r.failed, r.skipped);
    if (r.known_failed != 0) {
        printf(" (%d known failures)", r.known_failed);
    }
    printf("\n");
    cleanup(&r);
    return r.failed != 0 ? EXIT_FAILED : 0;
}
