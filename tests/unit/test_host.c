/*
 * test_host.c - host functions as imports: typed values both ways (NaN
 * bit patterns kept), guest memory seen through the call, failures and
 * exits reported to the caller, re-entrant calls into the guest, and
 * imports that do not fit refused at instantiation.
 */
#include <ctype.h>
#include <string.h>

#include "test.h"
#include "util.h"

typedef struct host_ctx {
    wasm_val got[4];           /* typed: the arguments it saw */
    int typed_calls;
    bool saw_instance, saw_memory;
    wasm_store *store;
    bool store_matches;
    wasm_status fail_status;   /* fail: what it fails with */
    wasm_func *target;         /* reenter: what it calls */
    int depth, max_depth;
    wasm_status inner_status;  /* reenter: the first failure it saw */
    wasm_trap_kind inner_trap;
} host_ctx;

static const uint8_t T_TYPED[] = {WASM_I32, WASM_I64, WASM_F32, WASM_F64};
static const uint8_t T_II[] = {WASM_I32, WASM_I32};
static const uint8_t T_I[] = {WASM_I32};
static const wasm_functype FT_TYPED = {4, 4, T_TYPED, T_TYPED};
static const wasm_functype FT_II_I = {2, 1, T_II, T_I};
static const wasm_functype FT_I_I = {1, 1, T_I, T_I};
/* No results: a non-NULL pointer here; NULL has a test of its own. */
static const wasm_functype FT_I_V = {1, 0, T_I, T_I};

static wasm_status host_typed(wasm_call *call, const wasm_val *args, wasm_val *results,
                              void *user)
{
    host_ctx *ctx = user;
    memcpy(ctx->got, args, sizeof ctx->got);
    ctx->typed_calls++;
    ctx->saw_instance = wasm_call_instance(call) != NULL;
    ctx->saw_memory = wasm_call_memory(call) != NULL;
    ctx->store_matches = wasm_call_store(call) == ctx->store;
    results[0] = wasm_val_i32((int32_t)((uint32_t)args[0] + 1));
    results[1] = wasm_val_i64((int64_t)((uint64_t)wasm_as_i64(args[1]) * 2));
    results[2] = (uint32_t)args[2];
    results[3] = args[3];
    return WASM_OK;
}

/* Upper-cases guest memory [ptr, ptr+len) and returns the sum of its bytes. */
static wasm_status host_upper(wasm_call *call, const wasm_val *args, wasm_val *results,
                              void *user)
{
    (void)user;
    wasm_memory *mem = wasm_call_memory(call);
    uint32_t ptr = (uint32_t)args[0], len = (uint32_t)args[1];
    uint8_t *p = mem ? wasm_memory_at(mem, ptr, len) : NULL;
    if (!p) return wasm_call_fail(call, WASM_HOST_ERROR, "upper: [%u, +%u) is out of range", ptr, len);
    int32_t sum = 0;
    for (uint32_t i = 0; i < len; i++) {
        p[i] = (uint8_t)toupper(p[i]);
        sum += p[i];
    }
    results[0] = wasm_val_i32(sum);
    return WASM_OK;
}

static wasm_status host_fail(wasm_call *call, const wasm_val *args, wasm_val *results,
                             void *user)
{
    (void)results;
    host_ctx *ctx = user;
    return wasm_call_fail(call, ctx->fail_status, "host refused %d", wasm_as_i32(args[0]));
}

static wasm_status host_exit(wasm_call *call, const wasm_val *args, wasm_val *results,
                             void *user)
{
    (void)results;
    (void)user;
    return wasm_call_exit(call, wasm_as_i32(args[0]));
}

/* Calls ctx->target with its argument, passing any failure on. */
static wasm_status host_reenter(wasm_call *call, const wasm_val *args, wasm_val *results,
                                void *user)
{
    host_ctx *ctx = user;
    wasm_error err = {0};
    wasm_val r = 0;
    if (++ctx->depth > ctx->max_depth) ctx->max_depth = ctx->depth;
    wasm_status st = wasm_func_call(ctx->target, args, &r, &err);
    ctx->depth--;
    if (st != WASM_OK) {
        if (ctx->inner_status == WASM_OK) {
            ctx->inner_status = st;
            ctx->inner_trap = err.trap;
        }
        if (st == WASM_EXIT) return wasm_call_exit(call, err.exit_code);
        return wasm_call_fail(call, st, "%s", err.message);
    }
    results[0] = r;
    return WASM_OK;
}

/* Opens host.wasm with all five host functions bound to ctx. */
static bool open_host(unit_env *env, host_ctx *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->fail_status = WASM_HOST_ERROR;
    wasm_module *m = unit_module("host");
    if (!m) return false;
    memset(env, 0, sizeof *env);
    env->module = m;
    env->store = wasm_store_new(NULL);
    ctx->store = env->store;
    wasm_extern imp[5];
    imp[0].kind = imp[1].kind = imp[2].kind = imp[3].kind = imp[4].kind = WASM_EXTERN_FUNC;
    imp[0].of.func = wasm_func_new_host(env->store, &FT_TYPED, host_typed, ctx);
    imp[1].of.func = wasm_func_new_host(env->store, &FT_II_I, host_upper, ctx);
    imp[2].of.func = wasm_func_new_host(env->store, &FT_I_I, host_fail, ctx);
    imp[3].of.func = wasm_func_new_host(env->store, &FT_I_V, host_exit, ctx);
    imp[4].of.func = wasm_func_new_host(env->store, &FT_I_I, host_reenter, ctx);
    wasm_error err = {0};
    env->inst = wasm_instance_new(env->store, m, imp, 5, &err);
    if (!test_check(env->inst != NULL, __FILE__, __LINE__, "host.wasm: %s: %s",
                    wasm_status_name(err.status), err.message)) {
        unit_close(env);
        return false;
    }
    return true;
}

TEST(test_host_typed_args_and_results)
{
    static const uint32_t f32s[] = {0x7fa00001u, 0xffc00123u, 0x80000000u, 0x7f800000u, 0x00000001u};
    static const uint64_t f64s[] = {0x7ff4000000000001ull, 0xfff8000000000abcull,
                                    0x8000000000000000ull, 0x0000000000000001ull,
                                    0x7ff0000000000000ull};
    unit_env env;
    host_ctx ctx;
    REQUIRE(open_host(&env, &ctx));
    for (size_t i = 0; i < sizeof f32s / sizeof f32s[0]; i++) {
        wasm_val args[4] = {wasm_val_i32(-5 - (int32_t)i), wasm_val_i64(0x123456789ll + (int64_t)i),
                            f32s[i], f64s[i]};
        wasm_val r[4] = {0};
        wasm_error err;
        if (!CHECK_OK(unit_call(&env, "call_typed", args, r, &err), err)) break;
        /* What the host saw. */
        CHECK_BITS(ctx.got[0], (uint32_t)(-5 - (int32_t)i));   /* zero-extended */
        CHECK_BITS(ctx.got[1], 0x123456789ull + i);
        CHECK_BITS((uint32_t)ctx.got[2], f32s[i]);
        CHECK_BITS(ctx.got[3], f64s[i]);
        /* What came back. */
        CHECK_EQ(wasm_as_i32(r[0]), -4 - (int32_t)i);
        CHECK_EQ(wasm_as_i64(r[1]), 2 * (0x123456789ll + (int64_t)i));
        CHECK_BITS((uint32_t)r[2], f32s[i]);
        CHECK_BITS(r[3], f64s[i]);
    }
    CHECK(ctx.saw_instance);
    CHECK(ctx.saw_memory);
    CHECK(ctx.store_matches);
    unit_close(&env);
}

TEST(test_host_called_directly_by_host)
{
    wasm_store *store = wasm_store_new(NULL);
    REQUIRE(store != NULL);
    host_ctx ctx = {0};
    ctx.store = store;
    ctx.saw_instance = ctx.saw_memory = true;
    wasm_func *f = wasm_func_new_host(store, &FT_TYPED, host_typed, &ctx);
    REQUIRE(f != NULL);
    CHECK(wasm_func_store(f) == store);
    const wasm_functype *t = wasm_func_type(f);
    if (CHECK(t != NULL)) {
        CHECK_EQ(t->nparams, 4);
        CHECK_EQ(t->nresults, 4);
        CHECK(memcmp(t->params, T_TYPED, 4) == 0);
    }
    wasm_val args[4] = {wasm_val_i32(INT32_MAX), wasm_val_i64(-1), 0x7fc00001u,
                        0x7ff8000000000001ull};
    wasm_val r[4] = {0};
    wasm_error err = {0};
    CHECK_OK(wasm_func_call(f, args, r, &err), err);
    CHECK_EQ(ctx.typed_calls, 1);
    CHECK_EQ(wasm_as_i32(r[0]), INT32_MIN);
    CHECK_EQ(wasm_as_i64(r[1]), -2);
    CHECK_BITS((uint32_t)r[2], 0x7fc00001u);
    CHECK_BITS(r[3], 0x7ff8000000000001ull);
    /* No guest code in between: no instance, no memory. */
    CHECK(!ctx.saw_instance);
    CHECK(!ctx.saw_memory);
    CHECK(ctx.store_matches);
    wasm_store_free(store);
}

TEST(test_host_functype_with_null_arrays)
{
    /* A type with no parameters and no results may leave both arrays NULL. */
    static const wasm_functype none = {0, 0, NULL, NULL};
    static const wasm_functype no_results = {1, 0, T_I, NULL};
    wasm_store *store = wasm_store_new(NULL);
    REQUIRE(store != NULL);
    host_ctx ctx = {0};
    wasm_func *f = wasm_func_new_host(store, &none, host_exit, &ctx);
    wasm_func *g = wasm_func_new_host(store, &no_results, host_exit, &ctx);
    CHECK(f != NULL);
    if (CHECK(g != NULL)) {
        wasm_error err = {0};
        wasm_val arg = wasm_val_i32(3);
        CHECK_STATUS(wasm_func_call(g, &arg, NULL, &err), WASM_EXIT, err);
        CHECK_EQ(err.exit_code, 3);
    }
    wasm_store_free(store);
}

TEST(test_host_reads_and_writes_guest_memory)
{
    unit_env env;
    host_ctx ctx;
    REQUIRE(open_host(&env, &ctx));
    wasm_val args[2] = {wasm_val_i32(16), wasm_val_i32(11)}, r = 0;
    wasm_error err;
    int32_t want = 0;
    for (const char *s = "HELLO, HOST"; *s; s++) want += *s;
    if (CHECK_OK(unit_call(&env, "call_upper", args, &r, &err), err))
        CHECK_EQ(wasm_as_i32(r), want);
    uint8_t *p = wasm_memory_at(wasm_instance_memory(env.inst), 16, 11);
    if (CHECK(p != NULL)) CHECK(memcmp(p, "HELLO, HOST", 11) == 0);
    /* The guest sees the host's writes. */
    args[0] = wasm_val_i32(16);
    CHECK_OK(unit_call(&env, "load8", args, &r, &err), err);
    CHECK_EQ(wasm_as_i32(r), 'H');

    /* The whole memory is fine, a byte more is not. */
    args[0] = wasm_val_i32(0);
    args[1] = wasm_val_i32(65536);
    CHECK_OK(unit_call(&env, "call_upper", args, &r, &err), err);
    static const int32_t bad[][2] = {{65530, 7}, {65536, 1}, {-1, 2}, {1, -1}, {-16, 32}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        args[0] = wasm_val_i32(bad[i][0]);
        args[1] = wasm_val_i32(bad[i][1]);
        wasm_status st = unit_call(&env, "call_upper", args, &r, &err);
        CHECK_STATUS(st, WASM_HOST_ERROR, err);
        CHECK_HAS(err.message, "out of range");
    }
    unit_close(&env);
}

TEST(test_host_fail_returns_status_and_message)
{
    unit_env env;
    host_ctx ctx;
    REQUIRE(open_host(&env, &ctx));
    wasm_val r = 0;
    wasm_error err;
    CHECK_STATUS(unit_call(&env, "call_fail", NULL, &r, &err), WASM_HOST_ERROR, err);
    CHECK_HAS(err.message, "host refused 42");
    ctx.fail_status = WASM_LIMIT;
    CHECK_STATUS(unit_call(&env, "call_fail", NULL, &r, &err), WASM_LIMIT, err);
    CHECK_HAS(err.message, "host refused 42");
    /* The instance still works. */
    wasm_val arg = wasm_val_i32(21);
    if (CHECK_OK(unit_call(&env, "double", &arg, &r, &err), err))
        CHECK_EQ(wasm_as_i32(r), 42);
    unit_close(&env);
}

TEST(test_host_exit_ends_guest_with_code)
{
    unit_env env;
    host_ctx ctx;
    REQUIRE(open_host(&env, &ctx));
    wasm_error err;
    wasm_val arg = wasm_val_i32(7);
    CHECK_STATUS(unit_call(&env, "call_exit", &arg, NULL, &err), WASM_EXIT, err);
    CHECK_EQ(err.exit_code, 7);
    arg = wasm_val_i32(0);
    CHECK_STATUS(unit_call(&env, "call_exit", &arg, NULL, &err), WASM_EXIT, err);
    CHECK_EQ(err.exit_code, 0);
    arg = wasm_val_i32(-3);
    CHECK_STATUS(unit_call(&env, "call_exit", &arg, NULL, &err), WASM_EXIT, err);
    CHECK_EQ(err.exit_code, -3);
    unit_close(&env);
}

TEST(test_host_calls_back_into_guest)
{
    unit_env env;
    host_ctx ctx;
    REQUIRE(open_host(&env, &ctx));
    ctx.target = wasm_instance_func(env.inst, "double");
    REQUIRE(ctx.target != NULL);
    wasm_val arg = wasm_val_i32(5), r = 0;
    wasm_error err;
    if (CHECK_OK(unit_call(&env, "call_reenter", &arg, &r, &err), err))
        CHECK_EQ(wasm_as_i32(r), 11);   /* double(5) + 1 */
    CHECK_EQ(ctx.max_depth, 1);

    /* A trap inside the nested call comes back out through the host. */
    ctx.target = wasm_instance_func(env.inst, "load8");
    arg = wasm_val_i32(70000);
    CHECK_STATUS(unit_call(&env, "call_reenter", &arg, &r, &err), WASM_TRAP, err);
    CHECK_EQ(ctx.inner_status, WASM_TRAP);
    CHECK_EQ(ctx.inner_trap, WASM_TRAP_MEMORY_OOB);

    /* An exit inside comes out as an exit with its code. */
    ctx.target = wasm_instance_func(env.inst, "call_exit");
    arg = wasm_val_i32(9);
    CHECK_STATUS(unit_call(&env, "call_reenter", &arg, &r, &err), WASM_EXIT, err);
    CHECK_EQ(err.exit_code, 9);
    unit_close(&env);
}

TEST(test_host_unbounded_reentry_is_stopped)
{
    /* guest -> host -> guest -> host ... forever: the call depth limit
       (nested host calls count) must end it, not the C stack. */
    unit_env env;
    host_ctx ctx;
    REQUIRE(open_host(&env, &ctx));
    ctx.target = wasm_instance_func(env.inst, "call_reenter");
    REQUIRE(ctx.target != NULL);
    wasm_val arg = wasm_val_i32(1), r = 0;
    wasm_error err;
    wasm_status st = unit_call(&env, "call_reenter", &arg, &r, &err);
    CHECK(st != WASM_OK);
    CHECK(ctx.max_depth >= 10);
    test_check((ctx.inner_status == WASM_TRAP && ctx.inner_trap == WASM_TRAP_STACK_EXHAUSTED) ||
               ctx.inner_status == WASM_LIMIT, __FILE__, __LINE__,
               "innermost failure: %s, trap %d", wasm_status_name(ctx.inner_status),
               (int)ctx.inner_trap);
    CHECK_EQ(ctx.depth, 0);
    /* The store is still usable. */
    arg = wasm_val_i32(4);
    if (CHECK_OK(unit_call(&env, "double", &arg, &r, &err), err))
        CHECK_EQ(wasm_as_i32(r), 8);
    unit_close(&env);
}

/* Instantiates host.wasm with imp; must fail with one of the statuses. */
static void expect_link_error(const char *file, int line, wasm_store *store,
                              const wasm_module *m, const wasm_extern *imp, uint32_t n,
                              wasm_status want, wasm_status also)
{
    wasm_error err = {0};
    wasm_instance *inst = wasm_instance_new(store, m, imp, n, &err);
    test_check(inst == NULL, file, line, "instantiated with bad imports");
    test_check(err.status == want || err.status == also, file, line,
               "got %s (\"%s\"), want %s", wasm_status_name(err.status), err.message,
               wasm_status_name(want));
    test_check(err.message[0] != 0, file, line, "no message");
}

TEST(test_host_wrong_imports_are_unlinkable)
{
    wasm_module *m = unit_module("host");
    REQUIRE(m != NULL);
    wasm_store *store = wasm_store_new(NULL), *other = wasm_store_new(NULL);
    host_ctx ctx = {0};
    wasm_extern good[5], imp[5];
    const wasm_functype *types[5] = {&FT_TYPED, &FT_II_I, &FT_I_I, &FT_I_V, &FT_I_I};
    for (int i = 0; i < 5; i++) {
        good[i].kind = WASM_EXTERN_FUNC;
        good[i].of.func = wasm_func_new_host(store, types[i], host_fail, &ctx);
    }
    wasm_limits lim = {1, 1, true};
    wasm_globaltype gt = {WASM_I32, false};

    /* A function of another type. */
    memcpy(imp, good, sizeof imp);
    imp[0].of.func = wasm_func_new_host(store, &FT_I_I, host_fail, &ctx);
    expect_link_error(__FILE__, __LINE__, store, m, imp, 5, WASM_UNLINKABLE, WASM_UNLINKABLE);
    /* Same parameters, other results. */
    memcpy(imp, good, sizeof imp);
    imp[1].of.func = wasm_func_new_host(store, &FT_I_V, host_fail, &ctx);
    expect_link_error(__FILE__, __LINE__, store, m, imp, 5, WASM_UNLINKABLE, WASM_UNLINKABLE);
    /* A memory, a global, a table where a function is wanted. */
    memcpy(imp, good, sizeof imp);
    imp[2].kind = WASM_EXTERN_MEMORY;
    imp[2].of.memory = wasm_memory_new(store, lim);
    expect_link_error(__FILE__, __LINE__, store, m, imp, 5, WASM_UNLINKABLE, WASM_UNLINKABLE);
    memcpy(imp, good, sizeof imp);
    imp[3].kind = WASM_EXTERN_GLOBAL;
    imp[3].of.global = wasm_global_new(store, gt, wasm_val_i32(1));
    expect_link_error(__FILE__, __LINE__, store, m, imp, 5, WASM_UNLINKABLE, WASM_UNLINKABLE);
    memcpy(imp, good, sizeof imp);
    wasm_tabletype tt = {WASM_FUNCREF, {1, 1, true}};
    imp[4].kind = WASM_EXTERN_TABLE;
    imp[4].of.table = wasm_table_new(store, tt, 0);
    expect_link_error(__FILE__, __LINE__, store, m, imp, 5, WASM_UNLINKABLE, WASM_UNLINKABLE);
    /* Too few imports. */
    expect_link_error(__FILE__, __LINE__, store, m, good, 4, WASM_UNLINKABLE, WASM_BAD_ARGUMENT);
    expect_link_error(__FILE__, __LINE__, store, m, NULL, 0, WASM_UNLINKABLE, WASM_BAD_ARGUMENT);
    /* A function of another store. */
    memcpy(imp, good, sizeof imp);
    imp[0].of.func = wasm_func_new_host(other, &FT_TYPED, host_fail, &ctx);
    expect_link_error(__FILE__, __LINE__, store, m, imp, 5, WASM_UNLINKABLE, WASM_BAD_ARGUMENT);

    /* And the right ones link. */
    wasm_error err = {0};
    CHECK(wasm_instance_new(store, m, good, 5, &err) != NULL);
    wasm_store_free(other);
    wasm_store_free(store);
    wasm_module_free(m);
}

TEST(test_host_import_info)
{
    wasm_module *m = unit_module("host");
    REQUIRE(m != NULL);
    CHECK_EQ(wasm_module_import_count(m), 5);
    static const char *names[5] = {"typed", "upper", "fail", "exit", "reenter"};
    for (uint32_t i = 0; i < 5 && i < wasm_module_import_count(m); i++) {
        wasm_import_info info;
        wasm_module_import(m, i, &info);
        CHECK_EQ(info.kind, WASM_EXTERN_FUNC);
        CHECK(info.module.len == 3 && memcmp(info.module.data, "env", 3) == 0);
        CHECK(info.name.len == strlen(names[i]) && strcmp(info.name.data, names[i]) == 0);
        if (CHECK(info.func != NULL) && i == 0) {
            CHECK_EQ(info.func->nparams, 4);
            CHECK_EQ(info.func->nresults, 4);
            CHECK(memcmp(info.func->results, T_TYPED, 4) == 0);
        }
    }
    /* The function index space starts with the imports. */
    const wasm_functype *t = wasm_module_func_type(m, 1);
    if (CHECK(t != NULL)) CHECK(t->nparams == 2 && t->nresults == 1);
    wasm_module_free(m);
}

/* ---- Leaf forms (wasm_func_set_leaf) -------------------------------------- */

typedef struct leaf_ctx {
    int leaf_calls, slow_calls;
    wasm_val noted;
} leaf_ctx;

static wasm_val leaf_add(void *user, const wasm_val *args)
{
    ((leaf_ctx *)user)->leaf_calls++;
    return (uint32_t)args[0] + (uint32_t)args[1];
}

static wasm_status slow_add(wasm_call *call, const wasm_val *args, wasm_val *results, void *user)
{
    (void)call;
    ((leaf_ctx *)user)->slow_calls++;
    results[0] = (uint32_t)args[0] + (uint32_t)args[1];
    return WASM_OK;
}

static wasm_val leaf_note(void *user, const wasm_val *args)
{
    leaf_ctx *ctx = user;
    ctx->leaf_calls++;
    ctx->noted = args[0];
    return 0xdeadbeef; /* no result: must not land anywhere */
}

static wasm_status slow_note(wasm_call *call, const wasm_val *args, wasm_val *results, void *user)
{
    (void)call, (void)results;
    leaf_ctx *ctx = user;
    ctx->slow_calls++;
    ctx->noted = args[0];
    return WASM_OK;
}

TEST(test_host_leaf_form_serves_calls_from_wasm)
{
    static const uint8_t T_L[] = {WASM_I64};
    static const wasm_functype FT_L_V = {1, 0, T_L, T_L};
    static const wasm_functype FT_II_II = {2, 2, T_II, T_II};
    leaf_ctx ctx = {0};
    unit_env env = {0};
    env.module = unit_module("leaf");
    REQUIRE(env.module != NULL);
    env.store = wasm_store_new(NULL);
    wasm_extern imp[2] = {{.kind = WASM_EXTERN_FUNC}, {.kind = WASM_EXTERN_FUNC}};
    imp[0].of.func = wasm_func_new_host(env.store, &FT_II_I, slow_add, &ctx);
    imp[1].of.func = wasm_func_new_host(env.store, &FT_L_V, slow_note, &ctx);
    CHECK(wasm_func_set_leaf(imp[0].of.func, leaf_add));
    CHECK(wasm_func_set_leaf(imp[1].of.func, leaf_note));
    /* only host functions of at most one result have a leaf form */
    wasm_func *two = wasm_func_new_host(env.store, &FT_II_II, slow_add, &ctx);
    CHECK(!wasm_func_set_leaf(two, leaf_add));
    CHECK(!wasm_func_set_leaf(NULL, leaf_add));
    wasm_error err = {0};
    env.inst = wasm_instance_new(env.store, env.module, imp, 2, &err);
    if (!CHECK_OK(env.inst ? WASM_OK : err.status, err)) {
        unit_close(&env);
        return;
    }
    wasm_val arg = 1000, r = 0;
    if (CHECK_OK(unit_call(&env, "sum", &arg, &r, &err), err)) CHECK_EQ(wasm_as_i32(r), 999 * 1000 / 2);
    CHECK_EQ(ctx.leaf_calls, 1000);
    CHECK_EQ(ctx.slow_calls, 0);
    arg = 41;
    if (CHECK_OK(unit_call(&env, "keep", &arg, &r, &err), err)) CHECK_EQ(wasm_as_i64(r), 42);
    CHECK_BITS(ctx.noted, 41);
    CHECK_EQ(ctx.leaf_calls, 1001);
    /* a call from the host takes the general form */
    wasm_val args[2] = {2, 3};
    if (CHECK_OK(wasm_func_call(imp[0].of.func, args, &r, &err), err)) CHECK_EQ(wasm_as_i32(r), 5);
    CHECK_EQ(ctx.slow_calls, 1);
    unit_close(&env);
}
