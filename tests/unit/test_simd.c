/*
 * test_simd.c - v128 values through the API (wasm.h): two cells each in
 * calls, low cell first, mixed with scalar values; v128 globals; v128
 * locals and block results in loops and branches, and the moves of
 * v128 values at br_table, if, call_indirect, tee and select; the fused
 * multiply-add of f64x2/f32x4 (products rounded first); a trapping
 * v128 load;
 * host functions refused for v128 types.  The lane semantics are the
 * spec testsuite's simd_*.wast files.
 */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "util.h"

static wasm_func *export_func(unit_env *env, const char *name)
{
    wasm_func *f = wasm_instance_func(env->inst, name);
    CHECK(f != NULL);
    return f;
}

TEST(test_simd_cells_of_mixed_params_and_results)
{
    unit_env env;
    REQUIRE(unit_open(&env, "simd", NULL, NULL, 0));
    wasm_func *f = export_func(&env, "mix");
    const wasm_functype *t = wasm_func_type(f);
    CHECK_EQ(wasm_type_cells(t->params, t->nparams), 4);
    CHECK_EQ(wasm_type_cells(t->results, t->nresults), 6);
    /* i32 5, v128 (i32x4 10 20 30 40), i64 21 */
    wasm_val args[4] = {5, 10 | (uint64_t)20 << 32, 30 | (uint64_t)40 << 32, 21};
    wasm_val res[6] = {0};
    wasm_error err;
    wasm_error_clear(&err);
    if (CHECK_OK(wasm_func_call(f, args, res, &err), err)) {
        CHECK_BITS(res[0], 15 | (uint64_t)25 << 32);
        CHECK_BITS(res[1], 35 | (uint64_t)45 << 32);
        CHECK_EQ(res[2], 6);
        CHECK_EQ(res[3], 42);
        CHECK_BITS(res[4], args[1]);
        CHECK_BITS(res[5], args[2]);
    }
    unit_close(&env);
}

TEST(test_simd_loop_carries_v128_locals_and_branch_values)
{
    unit_env env;
    REQUIRE(unit_open(&env, "simd", NULL, NULL, 0));
    wasm_func *f = export_func(&env, "sum");
    wasm_val arg = 100, res[2] = {0};
    wasm_error err;
    wasm_error_clear(&err);
    if (CHECK_OK(wasm_func_call(f, &arg, res, &err), err)) {
        CHECK_BITS(res[0], 5050 | (uint64_t)10100 << 32);
        CHECK_BITS(res[1], 15150 | (uint64_t)20200 << 32);
    }
    f = export_func(&env, "pick");
    wasm_val args[5] = {1, 0x1111, 0x2222, 0x3333, 0x4444}, out[4] = {0};
    if (CHECK_OK(wasm_func_call(f, args, out, &err), err)) {
        CHECK_EQ(out[0], 7);
        CHECK_BITS(out[1], 0x1111);
        CHECK_BITS(out[2], 0x2222);
        CHECK_EQ(out[3], 9);
    }
    args[0] = 0;
    if (CHECK_OK(wasm_func_call(f, args, out, &err), err)) {
        CHECK_BITS(out[1], 0x3333);
        CHECK_BITS(out[2], 0x4444);
    }
    unit_close(&env);
}

TEST(test_simd_global_holds_both_cells)
{
    unit_env env;
    REQUIRE(unit_open(&env, "simd", NULL, NULL, 0));
    wasm_extern g;
    REQUIRE(wasm_instance_export(env.inst, "g", 1, &g) && g.kind == WASM_EXTERN_GLOBAL);
    CHECK_EQ(wasm_global_type(g.of.global).type, WASM_V128);
    wasm_val cells[2];
    wasm_global_get_cells(g.of.global, cells);
    CHECK_BITS(cells[0], 1 | (uint64_t)2 << 32);
    CHECK_BITS(cells[1], 3 | (uint64_t)4 << 32);
    wasm_val v[2] = {5, 7};
    wasm_error err;
    wasm_error_clear(&err);
    CHECK_OK(wasm_func_call(export_func(&env, "bump"), v, NULL, &err), err);
    wasm_global_get_cells(g.of.global, cells);
    CHECK_BITS(cells[0], (1 | (uint64_t)2 << 32) + 5);
    CHECK_BITS(cells[1], (3 | (uint64_t)4 << 32) + 7);
    unit_close(&env);
}

TEST(test_simd_load_out_of_bounds_traps_with_location)
{
    unit_env env;
    REQUIRE(unit_open(&env, "simd", NULL, NULL, 0));
    wasm_val arg = 65536 - 16 - 8, res[2];
    wasm_error err;
    wasm_error_clear(&err);
    wasm_func *f = export_func(&env, "load");
    CHECK_OK(wasm_func_call(f, &arg, res, &err), err);
    arg += 1;
    wasm_error_clear(&err);
    CHECK_STATUS(wasm_func_call(f, &arg, res, &err), WASM_TRAP, err);
    CHECK_EQ(err.trap, WASM_TRAP_MEMORY_OOB);
    CHECK_HAS(err.message, "byte 0x");
    unit_close(&env);
}

/* f64x2.add/sub and f32x4.add of a product just computed, which the
   compiler fuses into one instruction: each product is rounded before
   the sum (a fused multiply-add would keep 2^-54 in lane 0), and the
   f32x4 result may overwrite its own operand. */
TEST(test_simd_fused_multiply_add_rounds_the_product)
{
    unit_env env;
    REQUIRE(unit_open(&env, "simd", NULL, NULL, 0));
    wasm_func *f = export_func(&env, "muladd");
    /* lane 0: a = -(1 + 2^-26), x = y = 1 + 2^-27; lane 1: a = 1, x = 2, y = 3 */
    wasm_val args[6] = {0xBFF0000004000000ull, 0x3FF0000000000000ull,
                        0x3FF0000002000000ull, 0x4000000000000000ull,
                        0x3FF0000002000000ull, 0x4008000000000000ull};
    wasm_val res[6] = {0};
    wasm_error err;
    wasm_error_clear(&err);
    if (CHECK_OK(wasm_func_call(f, args, res, &err), err)) {
        CHECK_BITS(res[0], 0);                     /* +0, not 2^-54 */
        CHECK_BITS(res[1], 0x401C000000000000ull); /* 7 */
        CHECK_BITS(res[2], 0xC000000004000000ull); /* -(2 + 2^-25) */
        CHECK_BITS(res[3], 0xC014000000000000ull); /* -5 */
        float a[4], x[4], y[4], r[4];
        memcpy(a, &args[0], 16);
        memcpy(x, &args[2], 16);
        memcpy(y, &args[4], 16);
        for (int i = 0; i < 4; i++) {
            float p = x[i] * y[i];
            r[i] = a[i] + p;
        }
        wasm_val want[2];
        memcpy(want, r, 16);
        CHECK_BITS(res[4], want[0]);
        CHECK_BITS(res[5], want[1]);
    }
    unit_close(&env);
}

/* i32x4 lanes as two cells. */
#define I32X4(a, b, c, d)                                                      \
    (uint32_t)(a) | (uint64_t)(uint32_t)(b) << 32, (uint32_t)(c) | (uint64_t)(uint32_t)(d) << 32

/* Branches, if with parameters, call_indirect, tee and select into the
   local being read, a loop with a v128 parameter: the moves of v128
   values between slots that the compiler emits at control flow. */
TEST(test_simd_control_flow_moves_v128)
{
    static const struct {
        const char *name;
        uint32_t nargs, nres;
        wasm_val args[4], want[4];
    } cases[] = {
        {"br_table", 3, 2, {0, I32X4(1, 2, 3, 4)}, {I32X4(1, 2, 3, 4)}},
        {"br_table", 3, 2, {1, I32X4(1, 2, 3, 4)}, {I32X4(11, 12, 13, 14)}},
        {"br_table", 3, 2, {2, I32X4(1, 2, 3, 4)}, {I32X4(111, 112, 113, 114)}},
        {"br_table", 3, 2, {9, I32X4(1, 2, 3, 4)}, {I32X4(111, 112, 113, 114)}},
        {"if_params", 3, 3, {1, I32X4(1, 2, 3, 4)}, {I32X4(-1, -2, -3, -4), 1}},
        {"if_params", 3, 3, {0, I32X4(1, 2, 3, 4)}, {I32X4(1, 2, 3, 4), 7}},
        {"call_indirect", 3, 3, {0, I32X4(1, 2, 3, 4)}, {3, I32X4(4, 5, 6, 7)}},
        {"call_indirect", 3, 3, {1, I32X4(1, 2, 3, 4)}, {3, I32X4(1, 2, 3, 4)}},
        {"tee", 2, 2, {I32X4(1, 2, 3, 4)}, {I32X4(0, 2, 6, 12)}},
        {"select_self", 3, 2, {I32X4(1, 2, 3, 4), 1}, {I32X4(-2, -3, -4, -5)}},
        {"select_self", 3, 2, {I32X4(1, 2, 3, 4), 0}, {I32X4(1, 2, 3, 4)}},
        {"br_values", 2, 4, {I32X4(1, 2, 3, 4)}, {7, I32X4(1, 2, 3, 4), 0x3fc00000}},
        {"loop_param", 1, 2, {5}, {5, 10}},
    };
    unit_env env;
    REQUIRE(unit_open(&env, "simd", NULL, NULL, 0));
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wasm_func *f = export_func(&env, cases[i].name);
        if (!f) continue;
        const wasm_functype *t = wasm_func_type(f);
        CHECK_EQ(wasm_type_cells(t->params, t->nparams), cases[i].nargs);
        CHECK_EQ(wasm_type_cells(t->results, t->nresults), cases[i].nres);
        wasm_val res[4] = {0};
        wasm_error err;
        wasm_error_clear(&err);
        if (!CHECK_OK(wasm_func_call(f, cases[i].args, res, &err), err)) continue;
        for (uint32_t k = 0; k < cases[i].nres; k++)
            test_check(res[k] == cases[i].want[k], __FILE__, __LINE__,
                       "case %zu (%s): cell %u is 0x%016llx, want 0x%016llx", i, cases[i].name,
                       k, (unsigned long long)res[k], (unsigned long long)cases[i].want[k]);
    }
    unit_close(&env);
}

static wasm_status host_nothing(wasm_call *call, const wasm_val *args, wasm_val *results,
                                void *user)
{
    (void)call, (void)args, (void)results, (void)user;
    return WASM_OK;
}

TEST(test_simd_host_functions_refuse_v128)
{
    static const uint8_t T_V[] = {WASM_V128};
    static const wasm_functype takes = {1, 0, T_V, T_V}, gives = {0, 1, T_V, T_V};
    wasm_store *s = wasm_store_new(NULL);
    REQUIRE(s);
    CHECK(wasm_func_new_host(s, &takes, host_nothing, NULL) == NULL);
    CHECK(wasm_func_new_host(s, &gives, host_nothing, NULL) == NULL);
    wasm_store_free(s);
}

/* Every byte of simd.wasm set to a few values: the engine must refuse the
   module cleanly or compile it, and then running each export (zero
   arguments, fuel-bounded) must return or trap, never crash (the ASan
   build checks that no slot outside a frame is touched). */
TEST(test_simd_byte_mutations_fail_or_run_cleanly)
{
    static const uint8_t values[] = {0x00, 0x01, 0x0f, 0x7b, 0x7f, 0xfd};
    size_t len;
    uint8_t *mod = unit_read_fixture("simd", &len);
    REQUIRE(mod != NULL);
    uint8_t *copy = malloc(len);
    wasm_val cells[16] = {0};
    int bad = 0, ran = 0;
    for (size_t i = 8; i < len && bad < 5; i++) {
        for (size_t v = 0; v < sizeof values && bad < 5; v++) {
            if (mod[i] == values[v]) continue;
            memcpy(copy, mod, len);
            copy[i] = values[v];
            wasm_error err;
            wasm_error_clear(&err);
            wasm_module *m = wasm_module_new(copy, len, &err);
            if (!m) {
                bad += !test_check(err.status == WASM_MALFORMED || err.status == WASM_INVALID ||
                                       err.status == WASM_LIMIT,
                                   __FILE__, __LINE__, "byte %zu set to 0x%02x: got %s (%s)", i,
                                   values[v], wasm_status_name(err.status), err.message);
                continue;
            }
            wasm_store *s = wasm_store_new(NULL);
            wasm_instance *inst = s ? wasm_instance_new(s, m, NULL, 0, &err) : NULL;
            for (uint32_t e = 0; inst && e < wasm_module_export_count(m); e++) {
                wasm_export_info info;
                wasm_module_export(m, e, &info);
                if (info.kind != WASM_EXTERN_FUNC) continue;
                wasm_func *f = wasm_instance_func(inst, info.name.data);
                const wasm_functype *t = f ? wasm_func_type(f) : NULL;
                if (!t || wasm_type_cells(t->params, t->nparams) > 8 ||
                    wasm_type_cells(t->results, t->nresults) > 8)
                    continue;
                wasm_store_set_fuel(s, 100000);
                wasm_error_clear(&err);
                memset(cells, 0, sizeof cells);
                wasm_func_call(f, cells, cells + 8, &err);
                ran++;
            }
            wasm_store_free(s);
            wasm_module_free(m);
        }
    }
    CHECK(ran > 0);
    free(copy);
    free(mod);
}
