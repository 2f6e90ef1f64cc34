/*
 * interp.c - the interpreter: runs the threaded code of compile.c.
 *
 * Spec: "Execution > Instructions" (4.4).  One function holds every
 * handler, so the machine state (ip, fp, the instance, its memory base
 * and size, the fuel slice) lives in registers.  Handlers are labels
 * reached by computed goto: each instruction's first word is its handler's
 * offset from a base label.  Built with WASM_DISPATCH_SWITCH the same
 * handlers become cases of a switch, for compilers without computed goto;
 * `make check` runs the spec suite on both.
 *
 * Calls never recurse in C: a Wasm call pushes a wasm_frame and jumps, so
 * guest recursion is bounded by the store's limits, not the C stack.
 * Traps, fuel exhaustion and interrupts leave through one exit that
 * unwinds the frames this run pushed and records where it stopped.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "iops.h"
#include "numeric.h"
#include "runtime.h"
#include "simd.h"

#if defined(WASM_DISPATCH_SWITCH) && WASM_DISPATCH_SWITCH
#define OP(name) case IOP_##name:
#define COLD_OP(name) case IOP_##name:
#define NEXT() goto dispatch
#else
#define WASM_COMPUTED_GOTO 1
#define OP(name) L_##name:
/* A handler GCC may move out of the way of the others (the label
   attribute is GCC's __builtin_expect for computed goto; clang has no
   such attribute on labels). */
#if defined(__GNUC__) && !defined(__clang__)
#define COLD_OP(name) L_##name: __attribute__((cold));
#else
#define COLD_OP(name) L_##name:
#endif
#define NEXT() goto *(void *)((char *)&&L_ENTER + (int32_t)*ip)
#endif

#define S(i) fp[ip[i]]
#define TRAP(kind)                                                             \
    do {                                                                       \
        trap = (kind);                                                         \
        goto trapped;                                                          \
    } while (0)
#define CHARGE(n)                                                              \
    do {                                                                       \
        budget -= (int64_t)(n);                                                \
        if (budget <= 0) {                                                     \
            status = refuel(s, &budget, err);                                  \
            if (status != WASM_OK) goto stopped;                               \
        }                                                                      \
    } while (0)
#define LOAD_MEM()                                                             \
    do {                                                                       \
        memobj = inst->mems && inst->module->nmems ? inst->mems[0] : NULL;     \
        mem = memobj ? memobj->base : NULL;                                    \
        memsize = memobj ? memobj->size : 0;                                   \
    } while (0)
/* Takes the branch whose offset is in word k.  A backward branch is a
   loop's back-edge: it charges the loop's fuel, kept in the word before
   the target. */
#define JUMP(k)                                                                \
    do {                                                                       \
        int32_t off_ = (int32_t)ip[k];                                         \
        ip += (k) + off_;                                                      \
        if (off_ < 0) CHARGE(ip[-1]);                                          \
        NEXT();                                                                \
    } while (0)
/* Effective address of an access of `size` bytes; traps when outside. */
#define EA(slot, offset, size)                                                 \
    uint64_t ea = (uint64_t)(uint32_t)fp[slot] + (offset);                     \
    if (ea + (size) > memsize) TRAP(WASM_TRAP_MEMORY_OOB)

/* Takes a new slice of fuel; checks the interrupt flag and the deadline. */
static wasm_status refuel(wasm_store *s, int64_t *budget, wasm_error *err)
{
    if (atomic_load_explicit(&s->interrupt, memory_order_relaxed))
        return wasm_error_set(err, WASM_INTERRUPTED, "interrupted");
    if (s->deadline && wasm_monotonic_ns() >= s->deadline)
        return wasm_error_set(err, WASM_INTERRUPTED, "interrupted: deadline passed");
    if (s->fuel < 0) {
        *budget = WASM_CHECK_INTERVAL;
        return WASM_OK;
    }
    int64_t left = s->fuel + *budget; /* *budget <= 0 is the overdraft */
    if (left <= 0) {
        s->fuel = 0;
        *budget = 0;
        return wasm_error_set(err, WASM_FUEL_EXHAUSTED, "fuel exhausted");
    }
    int64_t slice = left < WASM_CHECK_INTERVAL ? left : WASM_CHECK_INTERVAL;
    s->fuel = left - slice;
    *budget = slice;
    return WASM_OK;
}

static bool indirect_type_ok(const wasm_instance *inst, uint32_t type, const wasm_func *f)
{
    const wasm_module *m = inst->module;
    if (f->code && f->inst->module == m) return f->type_canon == m->type_canon[type];
    return wasm_functype_equal(f->type, &m->types[type]);
}

/* Calls a host function with the arguments at args; its results replace
   them.  scratch is free value-stack space for the results. */
static wasm_status call_host(wasm_store *s, wasm_instance *inst, wasm_func *f, wasm_val *args,
                             wasm_val *scratch, wasm_error *err)
{
    uint32_t nr = f->type->nresults;
    if (scratch + nr > s->stack_end)
        return wasm_error_set(err, WASM_TRAP, "call stack exhausted");
    wasm_val *saved_sp = s->sp;
    s->sp = scratch + nr;
    wasm_call call = {s, inst, err};
    wasm_status st = f->host(&call, args, scratch, f->user);
    s->sp = saved_sp;
    if (st != WASM_OK) {
        if (err && err->status == WASM_OK)
            wasm_error_set(err, st, "host function failed (%s)", wasm_status_name(st));
        return st;
    }
    if (nr == 1) args[0] = scratch[0];  /* nearly always 0 or 1 */
    else if (nr) memcpy(args, scratch, nr * sizeof(wasm_val));
    return WASM_OK;
}

static wasm_status interp(wasm_store *s, wasm_func *func, wasm_val *fp, wasm_error *err,
                          const int32_t **table_out)
{
#ifdef WASM_COMPUTED_GOTO
#define TABLE_ROW(name, ...) [IOP_##name] = &&L_##name - &&L_ENTER,
#define TABLE_ROW2(name, e) TABLE_ROW(name) TABLE_ROW(name##_I)
#define TABLE_ROW4(name, e) TABLE_ROW2(name, e) TABLE_ROW(BR_##name) TABLE_ROW(BR_##name##_I)
#define TABLE_LD(name, ...) TABLE_ROW(name) TABLE_ROW(name##_A) TABLE_ROW(name##_K)
#define TABLE_ST(name, ...) TABLE_ROW(name) TABLE_ROW(name##_I)
#define TABLE_SIMD(name, ...) [IOP_SIMD_##name] = &&L_SIMD_##name - &&L_ENTER,
#else
#define TABLE_ROW(name, ...) [IOP_##name] = IOP_##name,
#define TABLE_ROW2(name, e) TABLE_ROW(name) TABLE_ROW(name##_I)
#define TABLE_ROW4(name, e) TABLE_ROW2(name, e) TABLE_ROW(BR_##name) TABLE_ROW(BR_##name##_I)
#define TABLE_LD(name, ...) TABLE_ROW(name) TABLE_ROW(name##_A) TABLE_ROW(name##_K)
#define TABLE_ST(name, ...) TABLE_ROW(name) TABLE_ROW(name##_I)
#define TABLE_SIMD(name, ...) [IOP_SIMD_##name] = IOP_SIMD_##name,
#endif
    static const int32_t dispatch_table[IOP_COUNT] = {
        CTRL_OPS(TABLE_ROW) NUM_I32_BIN(TABLE_ROW2) NUM_I32_CMP(TABLE_ROW4)
        NUM_I64_BIN(TABLE_ROW2) NUM_I64_CMP(TABLE_ROW4) NUM_F32_BIN(TABLE_ROW)
        NUM_F64_BIN(TABLE_ROW) NUM_UNARY(TABLE_ROW) NUM_TRUNC(TABLE_ROW)
        NUM_DIV(TABLE_ROW) MEM_LOADS(TABLE_LD) MEM_STORES(TABLE_ST)
        SIMD_FAST_OPS(TABLE_SIMD)};
    if (table_out) {
        *table_out = dispatch_table;
        return WASM_OK;
    }

    wasm_status status = WASM_OK;
    wasm_trap_kind trap = WASM_TRAP_NONE;
    uint32_t base_frames = s->nframes;
    wasm_instance *inst = func->inst;
    const wasm_compiled *fn = func->code;
    const uint32_t *ip = fn->code;
    wasm_memory *memobj;
    uint8_t *mem;
    uint64_t memsize;
    int64_t budget = 0;
    /* the call sequence shared by CALL and CALL_INDIRECT */
    wasm_func *callee;
    wasm_val *callee_fp;
    const uint32_t *ret_ip;

    LOAD_MEM();
    if (s->nframes >= s->cfg.max_call_depth) TRAP(WASM_TRAP_STACK_EXHAUSTED);
    s->frames[s->nframes++] = (wasm_frame){NULL, NULL, NULL, NULL};
    status = refuel(s, &budget, err);
    if (status != WASM_OK) goto stopped;

#ifdef WASM_COMPUTED_GOTO
    NEXT();
#else
dispatch:
    switch (*ip) {
#endif

    /* ---- control ---- */
    OP(ENTER) {
        if ((size_t)(s->stack_end - fp) < ip[3]) TRAP(WASM_TRAP_STACK_EXHAUSTED);
        memset(fp + ip[1], 0, (size_t)ip[2] * sizeof(wasm_val));
        CHARGE(ip[4]);
        ip += 5;
        NEXT();
    }
    OP(LOOP) {
        CHARGE(ip[1]);
        ip += 2;
        NEXT();
    }
    OP(BR) {
        JUMP(1);
    }
    OP(BR_IF) {
        if ((uint32_t)S(1)) JUMP(2);
        ip += 3;
        NEXT();
    }
    OP(BR_UNLESS) {
        if (!(uint32_t)S(1)) JUMP(2);
        ip += 3;
        NEXT();
    }
    OP(BR_TABLE) {
        uint32_t i = (uint32_t)S(1), n = ip[2];
        if (i > n) i = n;
        JUMP(3 + i);
    }
    OP(RETURN) {
        wasm_frame *f = &s->frames[--s->nframes];
        if (!f->ret_ip) goto done;
        ip = f->ret_ip;
        fp = f->ret_fp;
        fn = f->ret_fn;
        inst = f->ret_inst;
        LOAD_MEM();
        NEXT();
    }
    OP(UNREACHABLE) { TRAP(WASM_TRAP_UNREACHABLE); }
    OP(COPY) {
        S(1) = S(2);
        ip += 3;
        NEXT();
    }
    OP(COPY2) {
        S(1) = S(2);
        S(3) = S(4);
        ip += 5;
        NEXT();
    }
    OP(CONST) {
        S(1) = (uint64_t)ip[2] | (uint64_t)ip[3] << 32;
        ip += 4;
        NEXT();
    }
    OP(SELECT) {
        S(1) = (uint32_t)S(4) ? S(2) : S(3);
        ip += 5;
        NEXT();
    }
    OP(CALL) {
        callee = inst->funcs[ip[1]];
        callee_fp = fp + ip[2];
        ret_ip = ip + 3;
        goto call;
    }
    OP(CALL_INDIRECT) {
        wasm_table *t = inst->tables[ip[1]];
        uint32_t i = (uint32_t)S(4);
        if (i >= t->size) TRAP(WASM_TRAP_UNDEFINED_ELEMENT);
        callee = (wasm_func *)(uintptr_t)t->elems[i];
        if (!callee) TRAP(WASM_TRAP_UNINITIALIZED_ELEMENT);
        if (!indirect_type_ok(inst, ip[2], callee)) TRAP(WASM_TRAP_INDIRECT_MISMATCH);
        callee_fp = fp + ip[3];
        ret_ip = ip + 5;
        goto call;
    }
    OP(GLOBAL_GET) {
        S(1) = inst->globals[ip[2]]->value;
        ip += 3;
        NEXT();
    }
    OP(GLOBAL_SET) {
        inst->globals[ip[2]]->value = S(1);
        ip += 3;
        NEXT();
    }
    OP(REF_FUNC) {
        S(1) = (uint64_t)(uintptr_t)inst->funcs[ip[2]];
        ip += 3;
        NEXT();
    }

    /* A product fused with the sum or difference that consumes it: the
       product is rounded on its own first (-ffp-contract=off), exactly
       as the two Wasm instructions would. */
#define H_MULADD(name, T, of, bits, op)                                        \
    OP(name) {                                                                 \
        T p = of(S(3)) * of(S(4));                                             \
        S(1) = bits(of(S(2)) op p);                                            \
        ip += 5;                                                               \
        NEXT();                                                                \
    }
    H_MULADD(F32_MULADD, float, f32_of, bits_f32, +)
    H_MULADD(F32_MULSUB, float, f32_of, bits_f32, -)
    H_MULADD(F64_MULADD, double, f64_of, bits_f64, +)
    H_MULADD(F64_MULSUB, double, f64_of, bits_f64, -)

    /* ---- memory ---- */
#define LOAD_AT(ea_expr, T, conv, len)                                         \
    {                                                                          \
        uint64_t ea = (ea_expr);                                               \
        if (ea + sizeof(T) > memsize) TRAP(WASM_TRAP_MEMORY_OOB);              \
        T v;                                                                   \
        memcpy(&v, mem + ea, sizeof(T));                                       \
        S(1) = (uint64_t)(conv);                                               \
        ip += len;                                                             \
        NEXT();                                                                \
    }
#define H_LOAD(name, T, conv)                                                  \
    OP(name) LOAD_AT((uint64_t)(uint32_t)S(2) + ip[3], T, conv, 4)             \
    OP(name##_A) LOAD_AT((uint64_t)(uint32_t)(S(2) + S(3)) + ip[4], T, conv, 5)  \
    OP(name##_K) LOAD_AT((uint64_t)(uint32_t)(S(2) + ip[3]) + ip[4], T, conv, 5)
    MEM_LOADS(H_LOAD)
#define STORE_AT(value, T)                                                     \
    {                                                                          \
        EA(ip[1], ip[3], sizeof(T));                                           \
        T v = (T)(value);                                                      \
        memcpy(mem + ea, &v, sizeof(T));                                       \
        ip += 4;                                                               \
        NEXT();                                                                \
    }
#define H_STORE(name, T)                                                       \
    OP(name) STORE_AT(S(2), T)                                                 \
    OP(name##_I) STORE_AT((uint64_t)(int64_t)(int32_t)ip[2], T)
    MEM_STORES(H_STORE)
    OP(MEMORY_SIZE) {
        S(1) = memobj->pages;
        ip += 2;
        NEXT();
    }
    OP(MEMORY_GROW) {
        int64_t old = wasm_memory_grow(memobj, (uint32_t)S(2));
        S(1) = (uint32_t)(int32_t)old;
        LOAD_MEM();
        ip += 3;
        NEXT();
    }
    OP(MEMORY_INIT) {
        const wasm_data_seg *seg = &inst->module->datas[ip[4]];
        uint64_t d = (uint32_t)S(1), src = (uint32_t)S(2), n = (uint32_t)S(3);
        uint64_t len = inst->data_dropped[ip[4]] ? 0 : seg->len;
        if (src + n > len || d + n > memsize) TRAP(WASM_TRAP_MEMORY_OOB);
        if (n) memcpy(mem + d, inst->module->bytes + seg->pos + src, n);
        ip += 5;
        NEXT();
    }
    OP(DATA_DROP) {
        inst->data_dropped[ip[1]] = true;
        ip += 2;
        NEXT();
    }
    OP(MEMORY_COPY) {
        uint64_t d = (uint32_t)S(1), src = (uint32_t)S(2), n = (uint32_t)S(3);
        if (src + n > memsize || d + n > memsize) TRAP(WASM_TRAP_MEMORY_OOB);
        if (n) memmove(mem + d, mem + src, n);
        ip += 4;
        NEXT();
    }
    OP(MEMORY_FILL) {
        uint64_t d = (uint32_t)S(1), n = (uint32_t)S(3);
        if (d + n > memsize) TRAP(WASM_TRAP_MEMORY_OOB);
        if (n) memset(mem + d, (int)(uint8_t)S(2), n);
        ip += 4;
        NEXT();
    }

    /* ---- tables ---- */
    OP(TABLE_GET) {
        wasm_table *t = inst->tables[ip[3]];
        uint32_t i = (uint32_t)S(2);
        if (i >= t->size) TRAP(WASM_TRAP_TABLE_OOB);
        S(1) = t->elems[i];
        ip += 4;
        NEXT();
    }
    OP(TABLE_SET) {
        wasm_table *t = inst->tables[ip[3]];
        uint32_t i = (uint32_t)S(1);
        if (i >= t->size) TRAP(WASM_TRAP_TABLE_OOB);
        t->elems[i] = S(2);
        ip += 4;
        NEXT();
    }
    OP(TABLE_SIZE) {
        S(1) = inst->tables[ip[2]]->size;
        ip += 3;
        NEXT();
    }
    OP(TABLE_GROW) {
        int64_t old = wasm_table_grow(inst->tables[ip[4]], (uint32_t)S(3), S(2));
        S(1) = (uint32_t)(int32_t)old;
        ip += 5;
        NEXT();
    }
    OP(TABLE_FILL) {
        wasm_table *t = inst->tables[ip[4]];
        uint64_t i = (uint32_t)S(1), n = (uint32_t)S(3);
        wasm_val v = S(2);
        if (i + n > t->size) TRAP(WASM_TRAP_TABLE_OOB);
        for (uint64_t k = 0; k < n; k++) t->elems[i + k] = v;
        ip += 5;
        NEXT();
    }
    OP(TABLE_COPY) {
        wasm_table *dt = inst->tables[ip[4]], *st = inst->tables[ip[5]];
        uint64_t d = (uint32_t)S(1), src = (uint32_t)S(2), n = (uint32_t)S(3);
        if (src + n > st->size || d + n > dt->size) TRAP(WASM_TRAP_TABLE_OOB);
        if (n) memmove(dt->elems + d, st->elems + src, n * sizeof(wasm_val));
        ip += 6;
        NEXT();
    }
    OP(TABLE_INIT) {
        wasm_table *t = inst->tables[ip[4]];
        const wasm_elem_inst *e = &inst->elems[ip[5]];
        uint64_t d = (uint32_t)S(1), src = (uint32_t)S(2), n = (uint32_t)S(3);
        if (src + n > e->count || d + n > t->size) TRAP(WASM_TRAP_TABLE_OOB);
        if (n) memcpy(t->elems + d, e->refs + src, n * sizeof(wasm_val));
        ip += 6;
        NEXT();
    }
    OP(ELEM_DROP) {
        inst->elems[ip[1]].count = 0;
        ip += 2;
        NEXT();
    }

    /* ---- numeric ---- */
#define H_BIN(name, expr, T, BT)                                               \
    OP(name) {                                                                 \
        T a = (T)S(2), b = (T)S(3);                                            \
        S(1) = (T)(expr);                                                      \
        ip += 4;                                                               \
        NEXT();                                                                \
    }                                                                          \
    OP(name##_I) {                                                             \
        T a = (T)S(2), b = (T)(BT)ip[3];                                       \
        S(1) = (T)(expr);                                                      \
        ip += 4;                                                               \
        NEXT();                                                                \
    }
#define H_CMPBR(name, expr, T, BT)                                             \
    OP(BR_##name) {                                                            \
        T a = (T)S(1), b = (T)S(2);                                            \
        if (expr) JUMP(3);                                                     \
        ip += 4;                                                               \
        NEXT();                                                                \
    }                                                                          \
    OP(BR_##name##_I) {                                                        \
        T a = (T)S(1), b = (T)(BT)ip[2];                                       \
        if (expr) JUMP(3);                                                     \
        ip += 4;                                                               \
        NEXT();                                                                \
    }
#define H_I32_BIN(name, expr) H_BIN(name, expr, uint32_t, uint32_t)
#define H_I32_CMP(name, expr) H_BIN(name, expr, uint32_t, uint32_t) H_CMPBR(name, expr, uint32_t, uint32_t)
#define H_I64_BIN(name, expr) H_BIN(name, expr, uint64_t, int32_t)
#define H_I64_CMP(name, expr) H_BIN(name, expr, uint64_t, int32_t) H_CMPBR(name, expr, uint64_t, int32_t)
    NUM_I32_BIN(H_I32_BIN)
    NUM_I32_CMP(H_I32_CMP)
    NUM_I64_BIN(H_I64_BIN)
    NUM_I64_CMP(H_I64_CMP)

#define H_FBIN(name, expr, T, of)                                              \
    OP(name) {                                                                 \
        T a = of(S(2)), b = of(S(3));                                          \
        S(1) = (uint64_t)(expr);                                               \
        ip += 4;                                                               \
        NEXT();                                                                \
    }
#define H_F32_BIN(name, expr) H_FBIN(name, expr, float, f32_of)
#define H_F64_BIN(name, expr) H_FBIN(name, expr, double, f64_of)
    NUM_F32_BIN(H_F32_BIN)
    NUM_F64_BIN(H_F64_BIN)

#define H_UNARY(name, expr)                                                    \
    OP(name) {                                                                 \
        uint64_t x = S(2);                                                     \
        S(1) = (uint64_t)(expr);                                               \
        ip += 3;                                                               \
        NEXT();                                                                \
    }
    NUM_UNARY(H_UNARY)

#define H_TRUNC(name, src, check, conv)                                        \
    OP(name) {                                                                 \
        uint64_t x = S(2);                                                     \
        __typeof__(src) v = src;                                               \
        int t = check;                                                         \
        if (t) TRAP((wasm_trap_kind)t);                                        \
        S(1) = (uint64_t)(conv);                                               \
        ip += 3;                                                               \
        NEXT();                                                                \
    }
    NUM_TRUNC(H_TRUNC)

    OP(I32_DIV_S) {
        int32_t a = (int32_t)S(2), b = (int32_t)S(3);
        if (b == 0) TRAP(WASM_TRAP_DIV_ZERO);
        if (a == INT32_MIN && b == -1) TRAP(WASM_TRAP_INT_OVERFLOW);
        S(1) = (uint32_t)(a / b);
        ip += 4;
        NEXT();
    }
    OP(I32_DIV_U) {
        uint32_t a = (uint32_t)S(2), b = (uint32_t)S(3);
        if (b == 0) TRAP(WASM_TRAP_DIV_ZERO);
        S(1) = a / b;
        ip += 4;
        NEXT();
    }
    OP(I32_REM_S) {
        int32_t a = (int32_t)S(2), b = (int32_t)S(3);
        if (b == 0) TRAP(WASM_TRAP_DIV_ZERO);
        S(1) = b == -1 ? 0 : (uint32_t)(a % b);
        ip += 4;
        NEXT();
    }
    OP(I32_REM_U) {
        uint32_t a = (uint32_t)S(2), b = (uint32_t)S(3);
        if (b == 0) TRAP(WASM_TRAP_DIV_ZERO);
        S(1) = a % b;
        ip += 4;
        NEXT();
    }
    OP(I64_DIV_S) {
        int64_t a = (int64_t)S(2), b = (int64_t)S(3);
        if (b == 0) TRAP(WASM_TRAP_DIV_ZERO);
        if (a == INT64_MIN && b == -1) TRAP(WASM_TRAP_INT_OVERFLOW);
        S(1) = (uint64_t)(a / b);
        ip += 4;
        NEXT();
    }
    OP(I64_DIV_U) {
        uint64_t a = S(2), b = S(3);
        if (b == 0) TRAP(WASM_TRAP_DIV_ZERO);
        S(1) = a / b;
        ip += 4;
        NEXT();
    }
    OP(I64_REM_S) {
        int64_t a = (int64_t)S(2), b = (int64_t)S(3);
        if (b == 0) TRAP(WASM_TRAP_DIV_ZERO);
        S(1) = b == -1 ? 0 : (uint64_t)(a % b);
        ip += 4;
        NEXT();
    }
    OP(I64_REM_U) {
        uint64_t a = S(2), b = S(3);
        if (b == 0) TRAP(WASM_TRAP_DIV_ZERO);
        S(1) = a % b;
        ip += 4;
        NEXT();
    }

    /* ---- v128: two slots; the lane work is simd.c's.  Cold handlers,
       so GCC keeps them out of the hot handlers' layout (README.md,
       "v128: two slots"). ---- */
    COLD_OP(V128_COPY) {
        wasm_val lo = S(2), hi = fp[ip[2] + 1];
        S(1) = lo;
        fp[ip[1] + 1] = hi;
        ip += 3;
        NEXT();
    }
    COLD_OP(V128_CONST) {
        S(1) = (uint64_t)ip[2] | (uint64_t)ip[3] << 32;
        fp[ip[1] + 1] = (uint64_t)ip[4] | (uint64_t)ip[5] << 32;
        ip += 6;
        NEXT();
    }
    COLD_OP(V128_SELECT) {
        const wasm_val *src = (uint32_t)S(4) ? &S(2) : &S(3);
        wasm_val lo = src[0], hi = src[1];
        S(1) = lo;
        fp[ip[1] + 1] = hi;
        ip += 5;
        NEXT();
    }
    COLD_OP(V128_GLOBAL_GET) {
        const wasm_global *g = inst->globals[ip[2]];
        S(1) = g->value;
        fp[ip[1] + 1] = g->value_hi;
        ip += 3;
        NEXT();
    }
    COLD_OP(V128_GLOBAL_SET) {
        wasm_global *g = inst->globals[ip[2]];
        g->value = S(1);
        g->value_hi = fp[ip[1] + 1];
        ip += 3;
        NEXT();
    }
    COLD_OP(SIMD) {
        wasm_simd_exec(fp, ip);
        ip += 6;
        NEXT();
    }
    COLD_OP(SIMD_SHUFFLE) {
        wasm_simd_shuffle(fp, ip);
        ip += 8;
        NEXT();
    }
    COLD_OP(SIMD_LOAD) {
        if (!wasm_simd_load(fp, ip, mem, memsize)) TRAP(WASM_TRAP_MEMORY_OOB);
        ip += 7;
        NEXT();
    }
    COLD_OP(SIMD_STORE) {
        if (!wasm_simd_store(fp, ip, mem, memsize)) TRAP(WASM_TRAP_MEMORY_OOB);
        ip += 6;
        NEXT();
    }

    /* ---- The frequent SIMD instructions (iops.h, SIMD_FAST_OPS): the
       lanes of each half computed here, no call.  Same semantics as
       simd.c's cases; all operands are read before the result is
       written, as there. ---- */
#define V_LANES(name, T, n, expr)                                              \
    COLD_OP(SIMD_##name) {                                                     \
        T a_[n], b_[n];                                                        \
        memcpy(a_, &S(3), 16);                                                 \
        memcpy(b_, &S(4), 16);                                                 \
        for (unsigned i = 0; i < (n); i++) a_[i] = (T)(expr);                  \
        memcpy(&S(2), a_, 16);                                                 \
        ip += 6;                                                               \
        NEXT();                                                                \
    }
    V_LANES(V128_AND, uint64_t, 2, a_[i] & b_[i])
    V_LANES(V128_ANDNOT, uint64_t, 2, a_[i] & ~b_[i])
    V_LANES(V128_OR, uint64_t, 2, a_[i] | b_[i])
    V_LANES(V128_XOR, uint64_t, 2, a_[i] ^ b_[i])
    V_LANES(I8X16_EQ, uint8_t, 16, a_[i] == b_[i] ? 0xff : 0)
    V_LANES(I8X16_ADD, uint8_t, 16, a_[i] + b_[i])
    V_LANES(I32X4_ADD, uint32_t, 4, a_[i] + b_[i])
    V_LANES(I32X4_SUB, uint32_t, 4, a_[i] - b_[i])
    V_LANES(I32X4_MUL, uint32_t, 4, a_[i] * b_[i])
    V_LANES(I64X2_ADD, uint64_t, 2, a_[i] + b_[i])
    V_LANES(F32X4_ADD, float, 4, a_[i] + b_[i])
    V_LANES(F32X4_MUL, float, 4, a_[i] * b_[i])
    V_LANES(F64X2_ADD, double, 2, a_[i] + b_[i])
    V_LANES(F64X2_SUB, double, 2, a_[i] - b_[i])
    V_LANES(F64X2_MUL, double, 2, a_[i] * b_[i])
#undef V_LANES
#define V_MULADD(name, T, n, op)                                               \
    COLD_OP(SIMD_##name) {                                                     \
        T a_[n], x_[n], y_[n];                                                 \
        memcpy(a_, &S(3), 16);                                                 \
        memcpy(x_, &S(4), 16);                                                 \
        memcpy(y_, &S(5), 16);                                                 \
        for (unsigned i = 0; i < (n); i++) {                                   \
            T p_ = x_[i] * y_[i];                                              \
            a_[i] = a_[i] op p_;                                               \
        }                                                                      \
        memcpy(&S(2), a_, 16);                                                 \
        ip += 6;                                                               \
        NEXT();                                                                \
    }
    V_MULADD(F32X4_MULADD, float, 4, +)
    V_MULADD(F64X2_MULADD, double, 2, +)
    V_MULADD(F64X2_MULSUB, double, 2, -)
#undef V_MULADD
    COLD_OP(SIMD_V128_NOT) {
        wasm_val lo = ~S(3), hi = ~fp[ip[3] + 1];
        S(2) = lo;
        fp[ip[2] + 1] = hi;
        ip += 6;
        NEXT();
    }
    COLD_OP(SIMD_V128_ANY_TRUE) {
        S(2) = (S(3) | fp[ip[3] + 1]) != 0;
        ip += 6;
        NEXT();
    }
    COLD_OP(SIMD_I8X16_SPLAT) {
        wasm_val v = (uint64_t)(uint8_t)S(3) * 0x0101010101010101ull;
        S(2) = v;
        fp[ip[2] + 1] = v;
        ip += 6;
        NEXT();
    }
    COLD_OP(SIMD_I32X4_SPLAT) {
        wasm_val v = (uint64_t)(uint32_t)S(3) * 0x0000000100000001ull;
        S(2) = v;
        fp[ip[2] + 1] = v;
        ip += 6;
        NEXT();
    }
    COLD_OP(SIMD_I64X2_SPLAT) {
        wasm_val v = S(3);
        S(2) = v;
        fp[ip[2] + 1] = v;
        ip += 6;
        NEXT();
    }
    COLD_OP(SIMD_I32X4_EXTRACT_LANE) {
        uint32_t lane = ip[5];
        S(2) = (uint32_t)(fp[ip[3] + (lane >> 1)] >> (32 * (lane & 1)));
        ip += 6;
        NEXT();
    }
    COLD_OP(SIMD_I64X2_EXTRACT_LANE) {
        S(2) = fp[ip[3] + ip[5]];
        ip += 6;
        NEXT();
    }
    COLD_OP(SIMD_I64X2_REPLACE_LANE) {
        wasm_val v[2] = {S(3), fp[ip[3] + 1]};
        v[ip[5] & 1] = S(4);
        S(2) = v[0];
        fp[ip[2] + 1] = v[1];
        ip += 6;
        NEXT();
    }
    COLD_OP(SIMD_I8X16_BITMASK) {
        /* the top bit of each byte, gathered by a multiply: bit 8k+7
           (byte k's) moves by 49-7k to bit 56+k of the product; no other
           partial product lands in bits 56-63 */
        const uint64_t top = 0x8080808080808080ull, gather = 0x0002040810204081ull;
        uint64_t lo = (S(3) & top) * gather >> 56;
        uint64_t hi = (fp[ip[3] + 1] & top) * gather >> 56;
        S(2) = lo | hi << 8;
        ip += 6;
        NEXT();
    }
    COLD_OP(SIMD_V128_LOAD) {
        EA(ip[3], ip[4], 16);
        wasm_val lo, hi;
        memcpy(&lo, mem + ea, 8);
        memcpy(&hi, mem + ea + 8, 8);
        S(2) = lo;
        fp[ip[2] + 1] = hi;
        ip += 7;
        NEXT();
    }
    COLD_OP(SIMD_V128_STORE) {
        EA(ip[2], ip[4], 16);
        memcpy(mem + ea, &S(3), 16);
        ip += 6;
        NEXT();
    }

#ifndef WASM_COMPUTED_GOTO
    default:
        TRAP(WASM_TRAP_UNREACHABLE);
    }
#endif

call:
    if (callee->code) {
        if (s->nframes >= s->cfg.max_call_depth) TRAP(WASM_TRAP_STACK_EXHAUSTED);
        s->frames[s->nframes++] = (wasm_frame){ret_ip, fp, inst, fn};
        fp = callee_fp;
        inst = callee->inst;
        fn = callee->code;
        ip = fn->code;
        LOAD_MEM();
        NEXT();
    }
    if (callee->leaf) {
        wasm_val r = callee->leaf(callee->user, callee_fp);
        if (callee->leaf_result) callee_fp[0] = r;
        ip = ret_ip;
        NEXT();
    }
    status = call_host(s, inst, callee, callee_fp, fp + fn->frame_slots, err);
    if (status != WASM_OK) {
        if (status == WASM_TRAP && err) trap = err->trap;
        goto stopped;
    }
    ip = ret_ip;
    /* Same instance, same memory, whose base never moves (its whole
       maximum is reserved at creation); only a grow by the host changes
       its size. */
    memsize = memobj ? memobj->size : 0;
    NEXT();

trapped:
    status = WASM_TRAP;
    if (err && err->status == WASM_OK) {
        err->trap = trap;
        wasm_error_set(err, WASM_TRAP, "%s (function %u, byte 0x%x)", wasm_trap_message(trap),
                       fn->func_index, wasm_compiled_wasm_offset(fn, (uint32_t)(ip - fn->code)));
    }
stopped:
    s->nframes = base_frames;
    if (s->fuel >= 0 && budget > 0) s->fuel += budget;
    return status;
done:
    if (s->fuel >= 0 && budget > 0) s->fuel += budget;
    return WASM_OK;
}

wasm_status wasm_interp_run(wasm_store *s, wasm_func *func, wasm_val *fp, wasm_error *err)
{
    return interp(s, func, fp, err, NULL);
}

const int32_t *wasm_interp_dispatch_table(void)
{
    const int32_t *t = NULL;
    interp(NULL, NULL, NULL, NULL, &t);
    return t;
}
