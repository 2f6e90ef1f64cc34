/*
 * validate.c - every rule of WebAssembly 2.0 validation.
 *
 * Spec: "Validation" (chapter 3): instructions (3.3) checked with the
 * algorithm of the appendix "Validation Algorithm" (an operand stack of
 * types with Unknown for the polymorphic stack, and a stack of control
 * frames), constant expressions (3.3.10), and the module-level rules of
 * 3.4 (limits, imports, globals, segments, start, exports).
 *
 * Both stacks live on the heap and grow as needed, so a body nested
 * 100,000 blocks deep costs memory, never C stack.  Plain numeric and
 * memory instructions are checked from their signature in opcodes.h; the
 * rest have a case each below.
 *
 * Messages name where the rule failed ("function 3, byte 0x1a2: type
 * mismatch") with the spec's wording after the colon.
 */
#include <stdlib.h>
#include <string.h>

#include "module.h"
#include "opcodes.h"
#include "reader.h"

/* The appendix's Unknown: a value of any type, popped from the
   polymorphic stack of unreachable code.  No value type is zero. */
#define T_UNKNOWN 0

/* 3.2.2: memories hold at most 2^16 pages of 64 KiB. */
#define WASM_MAX_PAGES 65536u

typedef struct ctrl_frame {
    uint16_t op;            /* BLOCK, LOOP, IF, ELSE; the function body is a BLOCK */
    bool unreachable;
    uint32_t nparams, nresults;
    const uint8_t *params, *results;
    size_t height;          /* operand stack height at entry */
} ctrl_frame;

typedef struct validator {
    const wasm_module *m;
    wasm_error *err;
    const char *what;       /* "function", "global", ... for messages */
    uint32_t index;         /* of that thing */
    uint32_t pos;           /* byte offset of the current instruction */
    size_t body_end;        /* end of the current body */
    uint8_t *vals;          /* operand stack of value types */
    size_t nvals, vals_cap;
    ctrl_frame *ctrls;
    size_t nctrls, ctrls_cap;
    uint8_t *locals;        /* parameters then declared locals */
    size_t locals_cap;
    uint32_t nlocals;
} validator;

static bool fail(validator *v, const char *msg)
{
    if (v->pos == UINT32_MAX)
        wasm_error_set(v->err, WASM_INVALID, "%s %u: %s", v->what, v->index, msg);
    else
        wasm_error_set(v->err, WASM_INVALID, "%s %u, byte 0x%x: %s", v->what, v->index, v->pos,
                       msg);
    return false;
}

static bool out_of_memory(validator *v)
{
    wasm_error_set(v->err, WASM_NOMEM, "out of memory validating %s %u", v->what, v->index);
    return false;
}

/* Makes room for `more` elements in a growable array. */
static bool reserve(validator *v, void **arr, size_t *cap, size_t used, size_t more, size_t size)
{
    if (used + more <= *cap)
        return true;
    size_t n = *cap ? *cap : 64;
    while (n < used + more)
        n *= 2;
    void *p = realloc(*arr, n * size);
    if (!p)
        return out_of_memory(v);
    *arr = p;
    *cap = n;
    return true;
}

/* ---- The operand and control stacks (appendix algorithm) -------------- */

static ctrl_frame *top_frame(validator *v)
{
    return &v->ctrls[v->nctrls - 1];
}

static bool push(validator *v, uint8_t t)
{
    if (!reserve(v, (void **)&v->vals, &v->vals_cap, v->nvals, 1, 1))
        return false;
    v->vals[v->nvals++] = t;
    return true;
}

static bool push_vals(validator *v, const uint8_t *types, uint32_t n)
{
    if (n == 0)
        return true;
    if (!reserve(v, (void **)&v->vals, &v->vals_cap, v->nvals, n, 1))
        return false;
    memcpy(v->vals + v->nvals, types, n);
    v->nvals += n;
    return true;
}

static bool pop_any(validator *v, uint8_t *out)
{
    const ctrl_frame *f = top_frame(v);
    if (v->nvals == f->height) {
        if (!f->unreachable)
            return fail(v, "type mismatch");
        *out = T_UNKNOWN;
        return true;
    }
    *out = v->vals[--v->nvals];
    return true;
}

static bool pop_expect(validator *v, uint8_t expect)
{
    uint8_t actual = T_UNKNOWN;
    if (!pop_any(v, &actual))
        return false;
    if (actual != expect && actual != T_UNKNOWN && expect != T_UNKNOWN)
        return fail(v, "type mismatch");
    return true;
}

/* Pops types[n-1] first.  In unreachable code, once the frame's own
   values are used up every further pop yields Unknown, so the loop can
   stop there: checking stays proportional to the values present. */
static bool pop_vals(validator *v, const uint8_t *types, uint32_t n)
{
    for (uint32_t i = n; i-- > 0;) {
        const ctrl_frame *f = top_frame(v);
        if (v->nvals == f->height && f->unreachable)
            return true;
        if (!pop_expect(v, types[i]))
            return false;
    }
    return true;
}

/* The appendix's push_vals(pop_vals(types)), done in place: the stack
   only changes where Unknowns would be pushed back, and those match
   anything later, so checking without moving is equivalent. */
static bool check_top_vals(validator *v, const uint8_t *types, uint32_t n)
{
    const ctrl_frame *f = top_frame(v);
    size_t avail = v->nvals - f->height;
    for (uint32_t i = 0; i < n; i++) {
        if (i >= avail)
            return f->unreachable ? true : fail(v, "type mismatch");
        uint8_t actual = v->vals[v->nvals - 1 - i];
        if (actual != types[n - 1 - i] && actual != T_UNKNOWN)
            return fail(v, "type mismatch");
    }
    return true;
}

static bool push_ctrl(validator *v, uint16_t op, const uint8_t *params, uint32_t nparams,
                      const uint8_t *results, uint32_t nresults)
{
    if (!reserve(v, (void **)&v->ctrls, &v->ctrls_cap, v->nctrls, 1, sizeof *v->ctrls))
        return false;
    v->ctrls[v->nctrls++] = (ctrl_frame){
        .op = op, .unreachable = false, .nparams = nparams, .nresults = nresults,
        .params = params, .results = results, .height = v->nvals,
    };
    return push_vals(v, params, nparams);
}

static bool pop_ctrl(validator *v, ctrl_frame *out)
{
    const ctrl_frame *f = top_frame(v);
    if (!pop_vals(v, f->results, f->nresults))
        return false;
    if (v->nvals != f->height)
        return fail(v, "type mismatch");
    *out = *f;
    v->nctrls--;
    return true;
}

static void set_unreachable(validator *v)
{
    ctrl_frame *f = top_frame(v);
    v->nvals = f->height;
    f->unreachable = true;
}

/* A branch to a loop goes to its start and carries its parameters; to
   any other block, its end and its results. */
static void label_types(const ctrl_frame *f, const uint8_t **types, uint32_t *n)
{
    if (f->op == OP_LOOP) {
        *types = f->params;
        *n = f->nparams;
    } else {
        *types = f->results;
        *n = f->nresults;
    }
}

static bool label_frame(validator *v, uint32_t depth, const ctrl_frame **out)
{
    if (depth >= v->nctrls)
        return fail(v, "unknown label");
    *out = &v->ctrls[v->nctrls - 1 - depth];
    return true;
}

/* ---- Control instructions (3.3.8) ------------------------------------- */

static bool block_type(validator *v, const wasm_instr *in, const uint8_t **params,
                       uint32_t *nparams, const uint8_t **results, uint32_t *nresults)
{
    const wasm_module *m = v->m;
    *params = *results = NULL;
    *nparams = *nresults = 0;
    switch (in->bt) {
    case BT_VALUE:
        /* The blocktype byte right after the opcode is the value type
           itself, so the module's bytes serve as the one-type array. */
        *results = m->bytes + in->pos + 1;
        *nresults = 1;
        return true;
    case BT_TYPE:
        if (in->a >= m->ntypes)
            return fail(v, "unknown type");
        *params = m->types[in->a].params;
        *nparams = m->types[in->a].nparams;
        *results = m->types[in->a].results;
        *nresults = m->types[in->a].nresults;
        return true;
    default:
        return true;
    }
}

static bool check_block(validator *v, const wasm_instr *in)
{
    const uint8_t *params, *results;
    uint32_t nparams, nresults;
    if (!block_type(v, in, &params, &nparams, &results, &nresults))
        return false;
    if (in->op == OP_IF && !pop_expect(v, WASM_I32))
        return false;
    return pop_vals(v, params, nparams) && push_ctrl(v, in->op, params, nparams, results, nresults);
}

static bool check_else(validator *v)
{
    ctrl_frame f;
    if (top_frame(v)->op != OP_IF)
        return fail(v, "else without if");  /* the decoder rejects this first */
    if (!pop_ctrl(v, &f))
        return false;
    return push_ctrl(v, OP_ELSE, f.params, f.nparams, f.results, f.nresults);
}

static bool check_end(validator *v)
{
    ctrl_frame f;
    if (!pop_ctrl(v, &f))
        return false;
    /* An if without else has an implicit empty else, which must turn the
       block's parameters into its results. */
    if (f.op == OP_IF && (f.nparams != f.nresults ||
                          (f.nparams && memcmp(f.params, f.results, f.nparams) != 0)))
        return fail(v, "type mismatch");
    return push_vals(v, f.results, f.nresults);
}

static bool check_br(validator *v, const wasm_instr *in)
{
    const ctrl_frame *f = NULL;
    const uint8_t *types;
    uint32_t n;
    if (!label_frame(v, in->a, &f))
        return false;
    label_types(f, &types, &n);
    if (in->op == OP_BR) {
        if (!pop_vals(v, types, n))
            return false;
        set_unreachable(v);
        return true;
    }
    return pop_expect(v, WASM_I32) && pop_vals(v, types, n) && push_vals(v, types, n);
}

/* Every label of a br_table must take as many values as the default, and
   the values on the stack must suit each label in turn. */
static bool check_br_table(validator *v, const wasm_instr *in)
{
    wasm_reader r = {v->m->bytes, in->labels_pos, v->body_end, "code", v->err};
    uint32_t label = 0, arity;
    const ctrl_frame *f = NULL;
    const uint8_t *types;
    if (!pop_expect(v, WASM_I32))
        return false;
    for (uint32_t i = 0; i <= in->a; i++)   /* the default is last */
        if (!wasm_read_u32(&r, &label))
            return false;
    if (!label_frame(v, label, &f))
        return false;
    label_types(f, &types, &arity);
    const uint8_t *default_types = types;
    r.pos = in->labels_pos;
    for (uint32_t i = 0; i < in->a; i++) {
        uint32_t n;
        if (!wasm_read_u32(&r, &label) || !label_frame(v, label, &f))
            return false;
        label_types(f, &types, &n);
        if (n != arity)
            return fail(v, "type mismatch");
        if (!check_top_vals(v, types, n))
            return false;
    }
    if (!pop_vals(v, default_types, arity))
        return false;
    set_unreachable(v);
    return true;
}

static bool check_control(validator *v, const wasm_instr *in)
{
    const ctrl_frame *fn = &v->ctrls[0];
    switch (in->op) {
    case OP_UNREACHABLE:
        set_unreachable(v);
        return true;
    case OP_NOP:
        return true;
    case OP_BLOCK:
    case OP_LOOP:
    case OP_IF:
        return check_block(v, in);
    case OP_ELSE:
        return check_else(v);
    case OP_END:
        return check_end(v);
    case OP_BR:
    case OP_BR_IF:
        return check_br(v, in);
    case OP_BR_TABLE:
        return check_br_table(v, in);
    case OP_RETURN:
        if (!pop_vals(v, fn->results, fn->nresults))
            return false;
        set_unreachable(v);
        return true;
    }
    return fail(v, "illegal opcode");
}

static bool check_call(validator *v, const wasm_instr *in)
{
    const wasm_module *m = v->m;
    const wasm_functype *ft;
    if (in->op == OP_CALL) {
        if (in->a >= m->nfuncs)
            return fail(v, "unknown function");
        ft = &m->types[m->func_types[in->a]];
    } else {
        if (in->b >= m->ntables)
            return fail(v, "unknown table");
        if (m->tables[in->b].elem != WASM_FUNCREF)
            return fail(v, "type mismatch");
        if (in->a >= m->ntypes)
            return fail(v, "unknown type");
        ft = &m->types[in->a];
        if (!pop_expect(v, WASM_I32))
            return false;
    }
    return pop_vals(v, ft->params, ft->nparams) && push_vals(v, ft->results, ft->nresults);
}

/* ---- Parametric, variable and reference instructions (3.3.2 - 3.3.5) -- */

/* Numeric or vector: what untyped select accepts. */
static bool is_num(uint8_t t)
{
    return t == WASM_I32 || t == WASM_I64 || t == WASM_F32 || t == WASM_F64 ||
           t == WASM_V128 || t == T_UNKNOWN;
}

static bool check_parametric(validator *v, const wasm_instr *in)
{
    uint8_t t1 = T_UNKNOWN, t2 = T_UNKNOWN;
    switch (in->op) {
    case OP_DROP:
        return pop_any(v, &t1);
    case OP_SELECT:
        /* Untyped select only takes numeric operands; references need
           select with a type, so an engine never has to guess one. */
        if (!pop_expect(v, WASM_I32) || !pop_any(v, &t1) || !pop_any(v, &t2))
            return false;
        if (!is_num(t1) || !is_num(t2))
            return fail(v, "type mismatch");
        if (t1 != t2 && t1 != T_UNKNOWN && t2 != T_UNKNOWN)
            return fail(v, "type mismatch");
        return push(v, t1 == T_UNKNOWN ? t2 : t1);
    default:  /* OP_SELECT_T */
        if (in->b != 1)
            return fail(v, "invalid result arity");
        return pop_expect(v, WASM_I32) && pop_expect(v, (uint8_t)in->a) &&
               pop_expect(v, (uint8_t)in->a) && push(v, (uint8_t)in->a);
    }
}

static bool check_variable(validator *v, const wasm_instr *in)
{
    const wasm_module *m = v->m;
    if (in->op == OP_GLOBAL_GET || in->op == OP_GLOBAL_SET) {
        if (in->a >= m->nglobals)
            return fail(v, "unknown global");
        const wasm_globaltype *g = &m->globals[in->a].type;
        if (in->op == OP_GLOBAL_GET)
            return push(v, g->type);
        if (!g->mutable_)
            return fail(v, "global is immutable");
        return pop_expect(v, g->type);
    }
    if (in->a >= v->nlocals)
        return fail(v, "unknown local");
    uint8_t t = v->locals[in->a];
    switch (in->op) {
    case OP_LOCAL_GET:
        return push(v, t);
    case OP_LOCAL_SET:
        return pop_expect(v, t);
    default:  /* OP_LOCAL_TEE */
        return pop_expect(v, t) && push(v, t);
    }
}

static bool check_ref(validator *v, const wasm_instr *in)
{
    uint8_t t = T_UNKNOWN;
    switch (in->op) {
    case OP_REF_NULL:
        return push(v, (uint8_t)in->a);
    case OP_REF_IS_NULL:
        if (!pop_any(v, &t))
            return false;
        if (t != T_UNKNOWN && !wasm_is_reftype(t))
            return fail(v, "type mismatch");
        return push(v, WASM_I32);
    default:  /* OP_REF_FUNC */
        if (in->a >= v->m->nfuncs)
            return fail(v, "unknown function");
        /* 3.3.5: a function must be named outside code before code may
           take a reference to it, so an engine knows them all upfront. */
        if (!wasm_func_declared(v->m, in->a))
            return fail(v, "undeclared function reference");
        return push(v, WASM_FUNCREF);
    }
}

/* ---- Table instructions (3.3.6) --------------------------------------- */

static bool table_type(validator *v, uint32_t table, uint8_t *elem)
{
    if (table >= v->m->ntables)
        return fail(v, "unknown table");
    *elem = v->m->tables[table].elem;
    return true;
}

static bool elem_type(validator *v, uint32_t seg, uint8_t *type)
{
    if (seg >= v->m->nelems)
        return fail(v, "unknown elem segment");
    *type = v->m->elems[seg].type;
    return true;
}

static bool pop_i32s(validator *v, int n)
{
    for (int i = 0; i < n; i++)
        if (!pop_expect(v, WASM_I32))
            return false;
    return true;
}

static bool check_table(validator *v, const wasm_instr *in)
{
    uint8_t t = 0, t2 = 0;
    switch (in->op) {
    case OP_TABLE_GET:
        return table_type(v, in->a, &t) && pop_expect(v, WASM_I32) && push(v, t);
    case OP_TABLE_SET:
        return table_type(v, in->a, &t) && pop_expect(v, t) && pop_expect(v, WASM_I32);
    case OP_TABLE_SIZE:
        return table_type(v, in->a, &t) && push(v, WASM_I32);
    case OP_TABLE_GROW:
        return table_type(v, in->a, &t) && pop_expect(v, WASM_I32) && pop_expect(v, t) &&
               push(v, WASM_I32);
    case OP_TABLE_FILL:
        return table_type(v, in->a, &t) && pop_expect(v, WASM_I32) && pop_expect(v, t) &&
               pop_expect(v, WASM_I32);
    case OP_TABLE_COPY:   /* a: destination, b: source */
        if (!table_type(v, in->a, &t) || !table_type(v, in->b, &t2))
            return false;
        if (t != t2)
            return fail(v, "type mismatch");
        return pop_i32s(v, 3);
    case OP_TABLE_INIT:   /* a: segment, b: table */
        if (!table_type(v, in->b, &t) || !elem_type(v, in->a, &t2))
            return false;
        if (t != t2)
            return fail(v, "type mismatch");
        return pop_i32s(v, 3);
    default:  /* OP_ELEM_DROP */
        return elem_type(v, in->a, &t);
    }
}

/* ---- Memory instructions (3.3.7) -------------------------------------- */

static bool need_memory(validator *v)
{
    return v->m->nmems > 0 ? true : fail(v, "unknown memory");
}

/* memory.init and data.drop name a segment by the data count section, so
   a single pass over the code can check them before the data section.
   Without that section the binary is malformed (5.5.16); that is reported
   after the index check, so a module that names a segment it does not
   have is invalid first, as the spec tests expect of a text module. */
static bool need_data(validator *v, uint32_t seg)
{
    uint32_t n = v->m->has_data_count ? v->m->data_count : v->m->ndatas;
    if (seg >= n) return fail(v, "unknown data segment");
    if (v->m->has_data_count) return true;
    wasm_error_set(v->err, WASM_MALFORMED, "%s %u, byte 0x%x: data count section required",
                   v->what, v->index, v->pos);
    return false;
}

static bool check_memory(validator *v, const wasm_instr *in)
{
    switch (in->op) {
    case OP_MEMORY_SIZE:
        return need_memory(v) && push(v, WASM_I32);
    case OP_MEMORY_GROW:
        return need_memory(v) && pop_expect(v, WASM_I32) && push(v, WASM_I32);
    case OP_MEMORY_INIT:
        return need_memory(v) && need_data(v, in->a) && pop_i32s(v, 3);
    case OP_DATA_DROP:
        return need_data(v, in->a);
    default:  /* OP_MEMORY_COPY, OP_MEMORY_FILL */
        return need_memory(v) && pop_i32s(v, 3);
    }
}

/* Immediates of the SIMD instructions (3.3.3): a lane index must name a
   lane of the shape, a shuffle's indices one of the 32 input lanes. */
static bool check_lanes(validator *v, const wasm_instr *in, const wasm_opinfo *info)
{
    if (info->imm == IMM_LANE || info->imm == IMM_MEMARG_LANE) {
        if (in->lane >= (16u >> info->size_log2))
            return fail(v, "invalid lane index");
    } else if (info->imm == IMM_SHUFFLE) {
        for (unsigned i = 0; i < 16; i++) {
            uint64_t word = i < 8 ? in->val : in->val_hi;
            if (((word >> (8 * (i & 7))) & 0xff) >= 32)
                return fail(v, "invalid lane index");
        }
    }
    return true;
}

/* Loads, stores, the numeric and the vector instructions: checked from
   the table.  Operands are popped last first. */
static bool check_plain(validator *v, const wasm_instr *in, const wasm_opinfo *info)
{
    const wasm_siginfo *sig = &wasm_siginfo_table[info->sig];
    if (info->imm == IMM_MEMARG || info->imm == IMM_MEMARG_LANE) {
        if (!need_memory(v))
            return false;
        if (in->a > info->size_log2)   /* 2^align <= access size */
            return fail(v, "alignment must not be larger than natural");
    }
    if (!check_lanes(v, in, info))
        return false;
    if (sig->nin == 3 && !pop_expect(v, WASM_V128))
        return false;
    if (sig->nin >= 2 && !pop_expect(v, sig->in1))
        return false;
    if (sig->nin >= 1 && !pop_expect(v, sig->in0))
        return false;
    return sig->out ? push(v, sig->out) : true;
}

static bool check_instr(validator *v, const wasm_instr *in)
{
    const wasm_opinfo *info = &wasm_opinfo_table[in->op];
    if (info->sig != SIG_SPECIAL)
        return check_plain(v, in, info);
    switch (in->op) {
    case OP_CALL:
    case OP_CALL_INDIRECT:
        return check_call(v, in);
    case OP_DROP:
    case OP_SELECT:
    case OP_SELECT_T:
        return check_parametric(v, in);
    case OP_LOCAL_GET:
    case OP_LOCAL_SET:
    case OP_LOCAL_TEE:
    case OP_GLOBAL_GET:
    case OP_GLOBAL_SET:
        return check_variable(v, in);
    case OP_TABLE_GET:
    case OP_TABLE_SET:
    case OP_TABLE_SIZE:
    case OP_TABLE_GROW:
    case OP_TABLE_FILL:
    case OP_TABLE_COPY:
    case OP_TABLE_INIT:
    case OP_ELEM_DROP:
        return check_table(v, in);
    case OP_MEMORY_SIZE:
    case OP_MEMORY_GROW:
    case OP_MEMORY_INIT:
    case OP_DATA_DROP:
    case OP_MEMORY_COPY:
    case OP_MEMORY_FILL:
        return check_memory(v, in);
    case OP_I32_CONST:
        return push(v, WASM_I32);
    case OP_I64_CONST:
        return push(v, WASM_I64);
    case OP_F32_CONST:
        return push(v, WASM_F32);
    case OP_F64_CONST:
        return push(v, WASM_F64);
    case OP_V128_CONST:
        return push(v, WASM_V128);
    case OP_REF_NULL:
    case OP_REF_IS_NULL:
    case OP_REF_FUNC:
        return check_ref(v, in);
    default:
        return check_control(v, in);
    }
}

/* ---- Functions (3.4.1) ------------------------------------------------ */

static bool setup_locals(validator *v, const wasm_functype *ft, const wasm_code *code)
{
    size_t n = (size_t)ft->nparams + code->nlocals;
    if (!reserve(v, (void **)&v->locals, &v->locals_cap, 0, n, 1))
        return false;
    if (ft->nparams)
        memcpy(v->locals, ft->params, ft->nparams);
    size_t at = ft->nparams;
    for (uint32_t i = 0; i < code->nruns; i++) {
        if (code->runs[i].count == 0)   /* locals may still be NULL then */
            continue;
        memset(v->locals + at, code->runs[i].type, code->runs[i].count);
        at += code->runs[i].count;
    }
    v->nlocals = (uint32_t)n;
    return true;
}

static bool validate_func(validator *v, uint32_t i)
{
    const wasm_module *m = v->m;
    const wasm_code *code = &m->codes[i];
    const wasm_functype *ft = &m->types[m->func_types[m->nfunc_imports + i]];
    v->what = "function";
    v->index = m->nfunc_imports + i;
    v->pos = code->body_pos;
    v->body_end = (size_t)code->pos + code->size;
    v->nvals = v->nctrls = 0;
    if (!setup_locals(v, ft, code))
        return false;
    /* The body is a block whose label is the function's results. */
    if (!push_ctrl(v, OP_BLOCK, NULL, 0, ft->results, ft->nresults))
        return false;
    wasm_reader r = {m->bytes, code->body_pos, v->body_end, "code", v->err};
    while (v->nctrls > 0) {
        wasm_instr in;
        if (!wasm_read_instr(&r, &in))
            return false;
        v->pos = in.pos;
        if (!check_instr(v, &in))
            return false;
    }
    if (r.pos != r.end)  /* the decoder has already rejected this */
        return wasm_reader_fail(&r, "section size mismatch");
    return true;
}

/* ---- Constant expressions (3.3.10) ------------------------------------ */

/* Only constants, ref.null, ref.func and global.get of an imported,
   immutable global: in 2.0 initializers see only the imports, which is
   what lets them be evaluated in one pass at instantiation.  The result
   must be exactly one value of type `expect`. */
static bool validate_const_expr(validator *v, wasm_expr e, uint8_t expect)
{
    const wasm_module *m = v->m;
    wasm_reader r = {m->bytes, e.pos, (size_t)e.pos + e.len, NULL, v->err};
    uint32_t count = 0;
    uint8_t last = 0;
    for (;;) {
        wasm_instr in;
        uint8_t t;
        if (!wasm_read_instr(&r, &in))
            return false;
        v->pos = in.pos;
        switch (in.op) {
        case OP_I32_CONST: t = WASM_I32; break;
        case OP_I64_CONST: t = WASM_I64; break;
        case OP_F32_CONST: t = WASM_F32; break;
        case OP_F64_CONST: t = WASM_F64; break;
        case OP_V128_CONST: t = WASM_V128; break;
        case OP_REF_NULL: t = (uint8_t)in.a; break;
        case OP_REF_FUNC:
            if (in.a >= m->nfuncs)
                return fail(v, "unknown function");
            t = WASM_FUNCREF;
            break;
        case OP_GLOBAL_GET:
            if (in.a >= m->nglobal_imports)
                return fail(v, "unknown global");
            if (m->globals[in.a].type.mutable_)
                return fail(v, "constant expression required");
            t = m->globals[in.a].type.type;
            break;
        case OP_END:
            if (count != 1 || last != expect)
                return fail(v, "type mismatch");
            return true;
        default:
            return fail(v, "constant expression required");
        }
        count++;
        last = t;
    }
}

/* ---- Module-level rules (3.2, 3.4) ------------------------------------ */

static bool check_limits(validator *v, const wasm_limits *l, uint32_t bound,
                         const char *too_big)
{
    if (l->min > bound || (l->has_max && l->max > bound))
        return fail(v, too_big);
    if (l->has_max && l->min > l->max)
        return fail(v, "size minimum must not be greater than maximum");
    return true;
}

static bool validate_spaces(validator *v)
{
    const wasm_module *m = v->m;
    v->pos = UINT32_MAX;
    v->what = "function";
    for (v->index = 0; v->index < m->nfuncs; v->index++)
        if (m->func_types[v->index] >= m->ntypes)
            return fail(v, "unknown type");
    v->what = "table";
    for (v->index = 0; v->index < m->ntables; v->index++)
        if (!check_limits(v, &m->tables[v->index].limits, UINT32_MAX, "table size"))
            return false;
    v->what = "memory";
    for (v->index = 0; v->index < m->nmems; v->index++)
        if (!check_limits(v, &m->mems[v->index], WASM_MAX_PAGES,
                          "memory size must be at most 65536 pages (4GiB)"))
            return false;
    if (m->nmems > 1)
        return fail(v, "multiple memories");
    v->what = "global";
    for (v->index = m->nglobal_imports; v->index < m->nglobals; v->index++)
        if (!validate_const_expr(v, m->globals[v->index].init, m->globals[v->index].type.type))
            return false;
    return true;
}

static bool validate_elem(validator *v, const wasm_elem_seg *e)
{
    const wasm_module *m = v->m;
    v->pos = e->pos;
    if (e->mode == SEG_ACTIVE) {
        if (e->table >= m->ntables)
            return fail(v, "unknown table");
        if (!validate_const_expr(v, e->offset, WASM_I32))
            return false;
        v->pos = e->pos;
        if (m->tables[e->table].elem != e->type)
            return fail(v, "type mismatch");
    }
    for (uint32_t k = 0; k < e->count; k++) {
        if (e->exprs) {
            if (!validate_const_expr(v, e->items[k], e->type))
                return false;
        } else if (e->funcs[k] >= m->nfuncs) {
            return fail(v, "unknown function");
        }
    }
    return true;
}

static bool validate_segments(validator *v)
{
    const wasm_module *m = v->m;
    v->what = "elem segment";
    for (v->index = 0; v->index < m->nelems; v->index++)
        if (!validate_elem(v, &m->elems[v->index]))
            return false;
    v->what = "data segment";
    for (v->index = 0; v->index < m->ndatas; v->index++) {
        const wasm_data_seg *d = &m->datas[v->index];
        v->pos = d->pos;
        if (d->mode != SEG_ACTIVE)
            continue;
        if (d->memory >= m->nmems)
            return fail(v, "unknown memory");
        if (!validate_const_expr(v, d->offset, WASM_I32))
            return false;
    }
    return true;
}

static int compare_export_names(const void *a, const void *b)
{
    const wasm_export_info *x = *(const wasm_export_info *const *)a;
    const wasm_export_info *y = *(const wasm_export_info *const *)b;
    if (x->name.len != y->name.len)
        return x->name.len < y->name.len ? -1 : 1;
    return memcmp(x->name.data, y->name.data, x->name.len);
}

/* Names must be unique; sorting finds duplicates in n log n, which
   matters when a hostile module exports a million names. */
static bool validate_exports(validator *v)
{
    const wasm_module *m = v->m;
    static const char *const unknown[] = {"unknown function", "unknown table",
                                          "unknown memory", "unknown global"};
    v->what = "export";
    v->pos = UINT32_MAX;
    for (v->index = 0; v->index < m->nexports; v->index++) {
        const wasm_export_info *e = &m->exports[v->index];
        uint32_t limit = e->kind == WASM_EXTERN_FUNC    ? m->nfuncs
                         : e->kind == WASM_EXTERN_TABLE  ? m->ntables
                         : e->kind == WASM_EXTERN_MEMORY ? m->nmems
                                                         : m->nglobals;
        if (e->index >= limit)
            return fail(v, unknown[e->kind]);
    }
    if (m->nexports < 2)
        return true;
    const wasm_export_info **sorted = malloc(m->nexports * sizeof *sorted);
    if (!sorted)
        return out_of_memory(v);
    for (uint32_t i = 0; i < m->nexports; i++)
        sorted[i] = &m->exports[i];
    qsort(sorted, m->nexports, sizeof *sorted, compare_export_names);
    bool ok = true;
    for (uint32_t i = 1; i < m->nexports && ok; i++) {
        if (compare_export_names(&sorted[i - 1], &sorted[i]) == 0) {
            v->index = (uint32_t)(sorted[i] - m->exports);
            ok = fail(v, "duplicate export name");
        }
    }
    free(sorted);
    return ok;
}

/* 3.4.10: the start function takes and returns nothing. */
static bool validate_start(validator *v)
{
    const wasm_module *m = v->m;
    if (!m->has_start)
        return true;
    v->what = "start function";
    v->index = m->start;
    v->pos = UINT32_MAX;
    if (m->start >= m->nfuncs)
        return fail(v, "unknown function");
    const wasm_functype *ft = &m->types[m->func_types[m->start]];
    if (ft->nparams || ft->nresults)
        return fail(v, "start function");
    return true;
}

static bool validate_module(validator *v)
{
    const wasm_module *m = v->m;
    /* validate_spaces first: the others index types through func_types. */
    if (!validate_spaces(v) || !validate_start(v) || !validate_segments(v) ||
        !validate_exports(v))
        return false;
    for (uint32_t i = 0; i < m->ncodes; i++)
        if (!validate_func(v, i))
            return false;
    return true;
}

wasm_status wasm_validate(const wasm_module *m, wasm_error *err)
{
    /* Validate into a fresh error so the status is known even when the
       caller passed none, then hand the first error on. */
    wasm_error local;
    wasm_error_clear(&local);
    validator v = {.m = m, .err = &local, .what = "module", .pos = UINT32_MAX};
    bool ok = validate_module(&v);
    free(v.vals);
    free(v.ctrls);
    free(v.locals);
    if (ok)
        return WASM_OK;
    return wasm_error_set(err, local.status, "%s", local.message);
}
