/*
 * test_embed.c - the embedding API: exports of every kind, globals,
 * tables, calls with several results, and one module shared by several
 * stores (each instance with its own state) and threads.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "util.h"

static bool has_export(const unit_env *env, const char *name, wasm_extern_kind kind,
                       wasm_extern *out)
{
    return wasm_instance_export(env->inst, name, (uint32_t)strlen(name), out) &&
           out->kind == kind;
}

TEST(test_embed_exports_by_kind)
{
    unit_env env;
    REQUIRE(unit_open(&env, "embed", NULL, NULL, 0));
    wasm_extern ext;
    CHECK(has_export(&env, "add", WASM_EXTERN_FUNC, &ext) && ext.of.func != NULL);
    CHECK(has_export(&env, "memory", WASM_EXTERN_MEMORY, &ext) && ext.of.memory != NULL);
    if (CHECK(has_export(&env, "memory", WASM_EXTERN_MEMORY, &ext)))
        CHECK(ext.of.memory == wasm_instance_memory(env.inst));
    CHECK(has_export(&env, "table", WASM_EXTERN_TABLE, &ext) && ext.of.table != NULL);
    CHECK(has_export(&env, "const", WASM_EXTERN_GLOBAL, &ext) && ext.of.global != NULL);
    CHECK(!wasm_instance_export(env.inst, "nope", 4, &ext));
    CHECK(!wasm_instance_export(env.inst, "ad", 2, &ext));
    CHECK(!wasm_instance_export(env.inst, "addx", 4, &ext));
    CHECK(wasm_instance_export(env.inst, "addx", 3, &ext));  /* a length, not a C string */
    CHECK(wasm_instance_func(env.inst, "add") != NULL);
    CHECK(wasm_instance_func(env.inst, "memory") == NULL);
    CHECK(wasm_instance_func(env.inst, "missing") == NULL);
    CHECK(wasm_instance_module(env.inst) == env.module);

    /* The module lists the same exports. */
    uint32_t n = wasm_module_export_count(env.module);
    CHECK_EQ(n, 12);
    int funcs = 0, found_table = 0;
    for (uint32_t i = 0; i < n; i++) {
        wasm_export_info info;
        wasm_module_export(env.module, i, &info);
        funcs += info.kind == WASM_EXTERN_FUNC;
        if (info.name.len == 5 && memcmp(info.name.data, "table", 5) == 0)
            found_table = info.kind == WASM_EXTERN_TABLE;
    }
    CHECK_EQ(funcs, 7);
    CHECK(found_table);
    unit_close(&env);
}

TEST(test_embed_globals)
{
    unit_env env;
    REQUIRE(unit_open(&env, "embed", NULL, NULL, 0));
    wasm_extern c, k, pi;
    REQUIRE(has_export(&env, "const", WASM_EXTERN_GLOBAL, &c));
    REQUIRE(has_export(&env, "counter", WASM_EXTERN_GLOBAL, &k));
    REQUIRE(has_export(&env, "pi", WASM_EXTERN_GLOBAL, &pi));
    CHECK_EQ(wasm_as_i32(wasm_global_get(c.of.global)), 17);
    CHECK(!wasm_global_type(c.of.global).mutable_);
    CHECK_EQ(wasm_global_type(c.of.global).type, WASM_I32);
    /* Immutable: set fails and changes nothing. */
    CHECK(!wasm_global_set(c.of.global, wasm_val_i32(3)));
    CHECK_EQ(wasm_as_i32(wasm_global_get(c.of.global)), 17);
    CHECK(wasm_as_f64(wasm_global_get(pi.of.global)) == 3.25);
    CHECK(!wasm_global_set(pi.of.global, wasm_val_f64(1.0)));

    /* Mutable: the guest sees the host's value and the host the guest's. */
    CHECK(wasm_global_type(k.of.global).mutable_);
    CHECK_EQ(wasm_as_i64(wasm_global_get(k.of.global)), 5);
    CHECK(wasm_global_set(k.of.global, wasm_val_i64(100)));
    wasm_val r = 0;
    wasm_error err;
    if (CHECK_OK(unit_call(&env, "bump", NULL, &r, &err), err)) CHECK_EQ(wasm_as_i64(r), 101);
    CHECK_EQ(wasm_as_i64(wasm_global_get(k.of.global)), 101);

    /* A global made by the host. */
    wasm_globaltype gt = {WASM_I64, false};
    wasm_global *g = wasm_global_new(env.store, gt, wasm_val_i64(-9));
    if (CHECK(g != NULL)) {
        CHECK_EQ(wasm_as_i64(wasm_global_get(g)), -9);
        CHECK(!wasm_global_set(g, wasm_val_i64(1)));
    }
    unit_close(&env);
}

TEST(test_embed_tables)
{
    unit_env env;
    REQUIRE(unit_open(&env, "embed", NULL, NULL, 0));
    wasm_extern t;
    REQUIRE(has_export(&env, "table", WASM_EXTERN_TABLE, &t));
    wasm_table *tab = t.of.table;
    CHECK_EQ(wasm_table_size(tab), 3);
    wasm_val v = 1;
    CHECK(wasm_table_get(tab, 0, &v) && v == 0);
    CHECK(wasm_table_get(tab, 1, &v) && v != 0);
    CHECK(!wasm_table_get(tab, 3, &v));
    CHECK(!wasm_table_set(tab, 3, 0));
    CHECK(wasm_table_set(tab, 1, 0));
    CHECK(wasm_table_get(tab, 1, &v) && v == 0);
    CHECK_EQ(wasm_table_grow(tab, 2, 0), 3);
    CHECK_EQ(wasm_table_size(tab), 5);
    unit_close(&env);
}

TEST(test_embed_calls_and_results)
{
    unit_env env;
    REQUIRE(unit_open(&env, "embed", NULL, NULL, 0));
    wasm_error err;
    wasm_val args[2] = {wasm_val_i32(2), wasm_val_i32(-7)}, r[2] = {0, 0};
    if (CHECK_OK(unit_call(&env, "add", args, r, &err), err)) CHECK_EQ(wasm_as_i32(r[0]), -5);
    args[0] = wasm_val_i32(INT32_MAX);
    args[1] = wasm_val_i32(1);
    if (CHECK_OK(unit_call(&env, "add", args, r, &err), err))
        CHECK_EQ(wasm_as_i32(r[0]), INT32_MIN);

    args[0] = wasm_val_i32(-1);
    args[1] = wasm_val_i64(INT64_MIN);
    if (CHECK_OK(unit_call(&env, "swap", args, r, &err), err)) {
        CHECK_EQ(wasm_as_i64(r[0]), INT64_MIN);
        CHECK_EQ(wasm_as_i32(r[1]), -1);
    }
    args[0] = wasm_val_f32(1.5f);
    args[1] = wasm_val_f64(-0.25);
    if (CHECK_OK(unit_call(&env, "fsum", args, r, &err), err))
        CHECK(wasm_as_f64(r[0]) == 1.25);
    CHECK_OK(unit_call(&env, "nothing", NULL, NULL, &err), err);

    const wasm_functype *t = wasm_func_type(wasm_instance_func(env.inst, "swap"));
    if (CHECK(t != NULL)) {
        CHECK(t->nparams == 2 && t->params[0] == WASM_I32 && t->params[1] == WASM_I64);
        CHECK(t->nresults == 2 && t->results[0] == WASM_I64 && t->results[1] == WASM_I32);
    }
    unit_close(&env);
}

TEST(test_embed_module_shared_by_two_stores)
{
    wasm_module *m = unit_module("embed");
    REQUIRE(m != NULL);
    wasm_store *a = wasm_store_new(NULL), *b = wasm_store_new(NULL);
    wasm_error err = {0};
    wasm_instance *ia = wasm_instance_new(a, m, NULL, 0, &err);
    wasm_instance *ib = wasm_instance_new(b, m, NULL, 0, &err);
    if (!CHECK(ia && ib)) goto done;
    CHECK(wasm_instance_memory(ia) != wasm_instance_memory(ib));
    CHECK(wasm_memory_data(wasm_instance_memory(ia)) != wasm_memory_data(wasm_instance_memory(ib)));

    wasm_val args[2] = {wasm_val_i32(64), wasm_val_i32(1234)}, r = 0;
    CHECK_OK(wasm_func_call(wasm_instance_func(ia, "poke"), args, NULL, &err), err);
    CHECK_OK(wasm_func_call(wasm_instance_func(ia, "peek"), args, &r, &err), err);
    CHECK_EQ(wasm_as_i32(r), 1234);
    CHECK_OK(wasm_func_call(wasm_instance_func(ib, "peek"), args, &r, &err), err);
    CHECK_EQ(wasm_as_i32(r), 0);
    CHECK_OK(wasm_func_call(wasm_instance_func(ib, "bump"), NULL, &r, &err), err);
    CHECK_OK(wasm_func_call(wasm_instance_func(ib, "bump"), NULL, &r, &err), err);
    CHECK_EQ(wasm_as_i64(r), 7);
    CHECK_OK(wasm_func_call(wasm_instance_func(ia, "bump"), NULL, &r, &err), err);
    CHECK_EQ(wasm_as_i64(r), 6);

    /* Freeing one store leaves the other and the module intact. */
    wasm_store_free(a);
    a = NULL;
    CHECK_OK(wasm_func_call(wasm_instance_func(ib, "bump"), NULL, &r, &err), err);
    CHECK_EQ(wasm_as_i64(r), 8);
done:
    if (a) wasm_store_free(a);
    wasm_store_free(b);
    wasm_module_free(m);
}

TEST(test_embed_two_instances_in_one_store)
{
    wasm_module *m = unit_module("embed");
    REQUIRE(m != NULL);
    wasm_store *s = wasm_store_new(NULL);
    wasm_error err = {0};
    wasm_instance *i1 = wasm_instance_new(s, m, NULL, 0, &err);
    wasm_instance *i2 = wasm_instance_new(s, m, NULL, 0, &err);
    if (CHECK(i1 && i2)) {
        CHECK(wasm_instance_memory(i1) != wasm_instance_memory(i2));
        wasm_val r = 0;
        CHECK_OK(wasm_func_call(wasm_instance_func(i1, "bump"), NULL, &r, &err), err);
        CHECK_OK(wasm_func_call(wasm_instance_func(i2, "bump"), NULL, &r, &err), err);
        CHECK_EQ(wasm_as_i64(r), 6);
    }
    wasm_store_free(s);
    wasm_module_free(m);
}

typedef struct worker {
    const wasm_module *m;
    int64_t result;
    wasm_status status;
} worker;

static void *run_worker(void *arg)
{
    worker *w = arg;
    wasm_store *s = wasm_store_new(NULL);
    wasm_error err = {0};
    w->status = WASM_NOMEM;
    if (!s) return NULL;
    wasm_instance *inst = wasm_instance_new(s, w->m, NULL, 0, &err);
    w->status = err.status;
    if (inst) {
        wasm_func *bump = wasm_instance_func(inst, "bump");
        wasm_val r = 0;
        for (int i = 0; i < 10000 && w->status == WASM_OK; i++)
            w->status = wasm_func_call(bump, NULL, &r, &err);
        w->result = wasm_as_i64(r);
    }
    wasm_store_free(s);
    return NULL;
}

TEST(test_embed_module_shared_by_threads)
{
    wasm_module *m = unit_module("embed");
    REQUIRE(m != NULL);
    enum { N = 4 };
    worker w[N];
    pthread_t th[N];
    int started = 0;
    for (int i = 0; i < N; i++) {
        w[i] = (worker){m, 0, WASM_OK};
        if (pthread_create(&th[i], NULL, run_worker, &w[i]) != 0) break;
        started++;
    }
    for (int i = 0; i < started; i++) pthread_join(th[i], NULL);
    CHECK_EQ(started, N);
    for (int i = 0; i < started; i++) {
        CHECK_EQ(w[i].status, WASM_OK);
        CHECK_EQ(w[i].result, 10005);
    }
    wasm_module_free(m);
}

TEST(test_embed_module_keeps_its_own_bytes)
{
    /* wasm_module_new copies: the caller's buffer may go at once. */
    size_t size;
    uint8_t *bytes = unit_read_fixture("embed", &size);
    REQUIRE(bytes != NULL);
    wasm_error err = {0};
    wasm_module *m = wasm_module_new(bytes, size, &err);
    memset(bytes, 0xee, size);
    free(bytes);
    REQUIRE(m != NULL);
    wasm_store *s = wasm_store_new(NULL);
    wasm_instance *inst = wasm_instance_new(s, m, NULL, 0, &err);
    if (CHECK(inst != NULL)) {
        wasm_val args[2] = {wasm_val_i32(40), wasm_val_i32(2)}, r = 0;
        CHECK_OK(wasm_func_call(wasm_instance_func(inst, "add"), args, &r, &err), err);
        CHECK_EQ(wasm_as_i32(r), 42);
    }
    wasm_store_free(s);
    wasm_module_free(m);
}

TEST(test_embed_store_user_pointer)
{
    int cookie;
    wasm_store *s = wasm_store_new(NULL);
    REQUIRE(s != NULL);
    CHECK(wasm_store_user(s) == NULL);
    wasm_store_set_user(s, &cookie);
    CHECK(wasm_store_user(s) == &cookie);
    wasm_store_free(s);
}

TEST(test_embed_example_fib)
{
    size_t size;
    uint8_t *bytes = unit_read_file(UNIT_EXAMPLES_DIR "/fib.wasm", &size);
    REQUIRE(bytes != NULL);
    wasm_error err = {0};
    wasm_module *m = wasm_module_new(bytes, size, &err);
    free(bytes);
    if (!CHECK_OK(m ? WASM_OK : err.status, err)) return;
    wasm_store *s = wasm_store_new(NULL);
    wasm_instance *inst = wasm_instance_new(s, m, NULL, 0, &err);
    if (CHECK(inst != NULL)) {
        wasm_val arg = wasm_val_i32(20), r = 0;
        CHECK_OK(wasm_func_call(wasm_instance_func(inst, "fib"), &arg, &r, &err), err);
        CHECK_EQ(wasm_as_i32(r), 6765);
        arg = wasm_val_i64(90);
        CHECK_OK(wasm_func_call(wasm_instance_func(inst, "fib_iter"), &arg, &r, &err), err);
        CHECK_EQ(wasm_as_i64(r), 2880067194370816120ll);
        arg = wasm_val_i64(0);
        CHECK_OK(wasm_func_call(wasm_instance_func(inst, "fib_iter"), &arg, &r, &err), err);
        CHECK_EQ(wasm_as_i64(r), 0);
    }
    wasm_store_free(s);
    wasm_module_free(m);
}
