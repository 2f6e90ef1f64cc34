/*
 * compile.c - validated function bodies to threaded slot code.
 *
 * One forward pass per function, after validation (so nothing here
 * re-checks types).  The Wasm operand stack is mapped onto frame slots
 * after the locals' slots, each value in one slot, a v128 in two
 * consecutive ones (so without v128, stack position i is slot nlocals + i;
 * each entry records its slot).  Each compile-time stack
 * entry is either in that slot (E_SLOT) or still virtual: the value of a
 * local (E_LOCAL) or a constant (E_CONST).  Virtual entries cost no
 * instruction; a consumer reads the local's slot directly, so
 * `local.get a; local.get b; i32.add` is one instruction.  They are
 * materialized only when something needs the value in its own slot: block
 * boundaries, calls, a write to the local they name.
 *
 * Two peepholes keep loops short: a result followed by local.set/tee is
 * written straight into the local (the producer's destination word is
 * patched), and an integer comparison or eqz followed by br_if/if becomes
 * one compare-and-branch.
 *
 * Branches to a block are forward: their offset words form a chain
 * through the code, patched when the block's `end` is reached.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "config.h"
#include "iops.h"
#include "opcodes.h"
#include "reader.h"

enum { E_SLOT, E_LOCAL, E_CONST };
typedef struct centry {
    uint8_t kind;
    uint32_t local;    /* E_LOCAL: the local's first slot */
    uint64_t value;    /* E_CONST (never a v128) */
    bool wide;         /* a v128: two slots */
    uint32_t slot;     /* its own (first) slot, set by push */
} centry;

enum { F_FUNC, F_BLOCK, F_LOOP, F_IF };
typedef struct cframe {
    uint8_t kind;
    bool unreachable, has_else;
    uint32_t nparams, nresults;
    const uint8_t *params, *results;  /* their value types */
    uint32_t height;      /* stack height below the block's parameters */
    uint32_t loop_pos;    /* F_LOOP: position of the LOOP instruction */
    uint32_t fixups;      /* chain of forward offset words, 0 ends it */
    uint32_t else_fixup;  /* F_IF: the branch to the else arm */
    uint32_t icount;      /* instructions seen when the block began */
} cframe;

typedef struct compiler {
    const wasm_module *m;
    wasm_error *err;
    const int32_t *dispatch;
    uint32_t func_index, nlocals, nresults;  /* nlocals: slots of the locals */
    struct clocal {
        uint32_t slot;      /* its first slot */
        bool wide;          /* a v128 */
    } *locals;              /* parameters first */
    uint32_t caplocals;
    uint32_t *code;
    uint32_t ncode, capcode;
    centry *stack;
    uint32_t h, maxslot, capstack; /* maxslot: the frame's slots so far */
    cframe *frames;
    uint32_t nframes, capframes;
    wasm_pcmap *pcmap;
    uint32_t npcmap, cappcmap;
    uint32_t *stubs;        /* br_table: stub position per label depth */
    uint32_t capstubs;
    uint32_t wasm_pos;      /* offset of the instruction being compiled */
    uint32_t icount, loops, straight;
    bool failed;
    uint32_t label_at;      /* the latest position a branch can land on */
    uint32_t copy_at;       /* the last instruction, when it is a COPY */
    /* The last instruction, when it wrote the top of the stack. */
    bool last_valid;
    int last_iop;
    uint32_t last_start, last_dst;
} compiler;

static bool fail(compiler *c, wasm_status st, const char *what)
{
    if (!c->failed)
        wasm_error_set(c->err, st, "function %u, byte 0x%x: %s", c->func_index,
                       c->wasm_pos, what);
    c->failed = true;
    return false;
}

static bool grow(compiler *c, void **p, uint32_t *cap, uint32_t need, size_t elem)
{
    if (need <= *cap) return true;
    uint32_t n = *cap ? *cap : 16;
    while (n < need) {
        if (n > UINT32_MAX / 2) return fail(c, WASM_LIMIT, "function too large to compile");
        n *= 2;
    }
    void *q = realloc(*p, (size_t)n * elem);
    if (!q) return fail(c, WASM_NOMEM, "out of memory while compiling");
    *p = q;
    *cap = n;
    return true;
}

/* ---- Emission ---------------------------------------------------------- */

static uint32_t emit_op(compiler *c, int iop, uint32_t words)
{
    c->last_valid = false;
    c->copy_at = UINT32_MAX;
    if (!grow(c, (void **)&c->code, &c->capcode, c->ncode + words + 1, sizeof(uint32_t)))
        return 0;
    uint32_t start = c->ncode;
    c->code[c->ncode++] = (uint32_t)c->dispatch[iop];
    return start;
}

static inline void emit(compiler *c, uint32_t w)
{
    if (c->failed) return;
    c->code[c->ncode++] = w;
}

/* Records that the instruction at start may trap, for error locations. */
static void mark_trap(compiler *c, uint32_t start)
{
    if (!grow(c, (void **)&c->pcmap, &c->cappcmap, c->npcmap + 1, sizeof(wasm_pcmap))) return;
    c->pcmap[c->npcmap++] = (wasm_pcmap){start, c->wasm_pos};
}

/* A branch may land here: nothing emitted before may be fused with what
   comes after. */
static uint32_t here_label(compiler *c)
{
    c->label_at = c->ncode;
    c->last_valid = false;
    return c->ncode;
}

/* COPY d a; two in a row (no label between) become one COPY2. */
static void emit_copy(compiler *c, uint32_t dst, uint32_t src)
{
    if (c->copy_at != UINT32_MAX && c->copy_at + 3 == c->ncode && c->copy_at >= c->label_at) {
        uint32_t at = c->copy_at;
        if (!grow(c, (void **)&c->code, &c->capcode, c->ncode + 2, sizeof(uint32_t))) return;
        c->code[at] = (uint32_t)c->dispatch[IOP_COPY2];
        emit(c, dst);
        emit(c, src);
        c->copy_at = UINT32_MAX;
        return;
    }
    uint32_t at = emit_op(c, IOP_COPY, 2);
    emit(c, dst);
    emit(c, src);
    c->copy_at = at;
}

/* ---- The compile-time stack -------------------------------------------- */

/* The slot of stack position pos (pos == h: where the next push goes). */
static inline uint32_t canon(const compiler *c, uint32_t pos)
{
    if (pos == 0) return c->nlocals;
    const centry *below = &c->stack[pos - 1];
    return below->slot + 1 + below->wide;
}

static bool push(compiler *c, centry e)
{
    if (!grow(c, (void **)&c->stack, &c->capstack, c->h + 1, sizeof(centry))) return false;
    e.slot = canon(c, c->h);
    c->stack[c->h++] = e;
    uint32_t end = e.slot + 1 + e.wide;
    if (end > c->maxslot) c->maxslot = end;
    if (c->maxslot > WASM_MAX_FRAME_SLOTS)
        return fail(c, WASM_LIMIT, "operand stack deeper than the engine's frame limit");
    return true;
}

static bool push_slot(compiler *c) { return push(c, (centry){.kind = E_SLOT}); }
/* A value of type t in its own slot(s). */
static bool push_typed(compiler *c, uint8_t t)
{
    return push(c, (centry){.kind = E_SLOT, .wide = t == WASM_V128});
}
static void push_types(compiler *c, const uint8_t *types, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) push_typed(c, types[i]);
}

/* A v128 copy [V128_COPY d a]: both cells are read before either is
   written, so overlapping pairs move correctly. */
static void emit_vcopy(compiler *c, uint32_t dst, uint32_t src)
{
    emit_op(c, IOP_V128_COPY, 2);
    emit(c, dst);
    emit(c, src);
}

static bool pop_n(compiler *c, uint32_t n)
{
    if (c->h < n) return fail(c, WASM_INVALID, "operand stack underflow (validator bug)");
    c->h -= n;
    return true;
}

/* Puts entry pos into its own slot. */
static void materialize(compiler *c, uint32_t pos)
{
    centry *e = &c->stack[pos];
    if (e->kind == E_LOCAL && e->wide) {
        emit_vcopy(c, canon(c, pos), e->local);
    } else if (e->kind == E_LOCAL) {
        emit_copy(c, canon(c, pos), e->local);
    } else if (e->kind == E_CONST) {
        emit_op(c, IOP_CONST, 3);
        emit(c, canon(c, pos));
        emit(c, (uint32_t)e->value);
        emit(c, (uint32_t)(e->value >> 32));
    }
    c->stack[pos].kind = E_SLOT;
}

static void materialize_from(compiler *c, uint32_t from)
{
    for (uint32_t i = from; i < c->h; i++) materialize(c, i);
}

/* The slot an operand can be read from; constants get materialized. */
static uint32_t operand(compiler *c, uint32_t pos)
{
    centry *e = &c->stack[pos];
    if (e->kind == E_LOCAL) return e->local;
    if (e->kind == E_CONST) materialize(c, pos);
    return canon(c, pos);
}

/* Writes entry pos into slot dst, leaving the compile-time state alone. */
static void move_entry(compiler *c, uint32_t pos, uint32_t dst)
{
    centry *e = &c->stack[pos];
    if (e->kind == E_CONST) {
        emit_op(c, IOP_CONST, 3);
        emit(c, dst);
        emit(c, (uint32_t)e->value);
        emit(c, (uint32_t)(e->value >> 32));
        return;
    }
    uint32_t src = e->kind == E_LOCAL ? e->local : canon(c, pos);
    if (src != dst && e->wide) emit_vcopy(c, dst, src);
    else if (src != dst) emit_copy(c, dst, src);
}

/* Marks the instruction just emitted as the producer of the stack top. */
static void produced(compiler *c, int iop, uint32_t start)
{
    c->last_valid = !c->failed;
    c->last_iop = iop;
    c->last_start = start;
    c->last_dst = start + 1;
}

/* The same for the SIMD forms, whose destination is their third word. */
static void produced_simd(compiler *c, int iop, uint32_t start)
{
    produced(c, iop, start);
    c->last_dst = start + 2;
}

/* Emits [iop d ...] whose result becomes the new top: pops nin first. */
static uint32_t emit_result(compiler *c, int iop, uint32_t nin, uint32_t words)
{
    pop_n(c, nin);
    uint32_t start = emit_op(c, iop, words);
    emit(c, canon(c, c->h));
    return start;
}

/* ---- Branches --------------------------------------------------------- */

static cframe *label(compiler *c, uint32_t depth) { return &c->frames[c->nframes - 1 - depth]; }

static uint32_t label_arity(const cframe *f)
{
    return f->kind == F_LOOP ? f->nparams : f->nresults;
}

/* Back-edges jump past the LOOP instruction into the body; the branch
   itself charges the fuel word LOOP leaves just before the target, so an
   iteration costs no extra dispatch. */
static uint32_t loop_body(const cframe *f) { return f->loop_pos + 2; }

/* Emits the offset word of a branch to frame f. */
static void emit_target(compiler *c, cframe *f)
{
    if (c->failed) return;
    uint32_t at = c->ncode;
    if (f->kind == F_LOOP) {
        emit(c, (uint32_t)((int32_t)loop_body(f) - (int32_t)at));
    } else {
        emit(c, f->fixups);
        f->fixups = at;
    }
}

static void patch_chain(compiler *c, uint32_t chain, uint32_t target)
{
    if (chain && target == c->ncode) here_label(c);
    while (chain && !c->failed) {
        uint32_t next = c->code[chain];
        c->code[chain] = (uint32_t)((int32_t)target - (int32_t)chain);
        chain = next;
    }
}

/* True when the label's values already sit in the label's slots. */
static bool values_in_place(compiler *c, cframe *f)
{
    uint32_t n = label_arity(f);
    if (n == 0) return true;
    if (c->h - n != f->height) return false;
    for (uint32_t i = c->h - n; i < c->h; i++)
        if (c->stack[i].kind != E_SLOT) return false;
    return true;
}

/* Moves the top n values into slots dst.. (in the layout they have on
   the stack).  One value moves from wherever it is and the stack state is
   kept.  Several values are first materialized (a no-op where a
   conditional branch already did so on its main path): their own slots
   are then all at or above their destinations, so copying upwards never
   reads a slot already overwritten. */
static void move_values(compiler *c, uint32_t n, uint32_t dst)
{
    if (n == 0) return;
    if (n == 1) {
        move_entry(c, c->h - 1, dst);
        return;
    }
    materialize_from(c, c->h - n);
    uint32_t first = c->stack[c->h - n].slot;
    for (uint32_t i = 0; i < n; i++)
        move_entry(c, c->h - n + i, dst + (c->stack[c->h - n + i].slot - first));
}

/* Results into slots 0.., then return. */
static void emit_return(compiler *c)
{
    move_values(c, c->nresults, 0);
    emit_op(c, IOP_RETURN, 0);
}

/* The unconditional part of a branch to depth: moves, then jump. */
static void emit_branch(compiler *c, uint32_t depth)
{
    cframe *f = label(c, depth);
    if (f->kind == F_FUNC) {
        emit_return(c);
        return;
    }
    move_values(c, label_arity(f), canon(c, f->height));
    emit_op(c, IOP_BR, 1);
    emit_target(c, f);
}

static void set_unreachable(compiler *c)
{
    cframe *f = &c->frames[c->nframes - 1];
    f->unreachable = true;
    c->h = f->height;
    c->last_valid = false;
}

/* Compare-and-branch fusion.  A branch condition is taken off the stack
   first (take_cond), then the branch is emitted (emit_cond), so that code
   both arms need can be emitted in between.  If the condition was just
   produced by an integer comparison or i32.eqz, that instruction is
   removed and the branch tests its operands itself. */
static const uint8_t cmp_inverse[10] = {1, 0, 8, 9, 6, 7, 4, 5, 2, 3};

typedef struct cond {
    int base;       /* IOP_I32_EQ or IOP_I64_EQ for a fused comparison, else 0 */
    int which, imm; /* comparison number and its immediate form */
    bool eqz;       /* a fused i32.eqz: branch when a == 0 */
    uint32_t a, b;
} cond;

static cond take_cond(compiler *c)
{
    cond k = {0};
    int iop = c->last_valid ? c->last_iop : -1;
    uint32_t top = c->h - 1;
    if (iop >= IOP_I32_EQ && iop <= IOP_BR_I32_GE_U_I) k.base = IOP_I32_EQ;
    if (iop >= IOP_I64_EQ && iop <= IOP_BR_I64_GE_U_I) k.base = IOP_I64_EQ;
    if (k.base && (iop - k.base) % 4 < 2 && c->stack[top].kind == E_SLOT) {
        k.a = c->code[c->last_start + 2];
        k.b = c->code[c->last_start + 3];
        k.which = (iop - k.base) / 4;
        k.imm = (iop - k.base) % 4;
        c->ncode = c->last_start;
    } else if (iop == IOP_I32_EQZ && c->stack[top].kind == E_SLOT) {
        k.base = 0;
        k.eqz = true;
        k.a = c->code[c->last_start + 2];
        c->ncode = c->last_start;
    } else {
        k.base = 0;
        k.a = operand(c, top);
    }
    c->last_valid = false;
    pop_n(c, 1);
    return k;
}

/* Emits a branch taken when the condition equals `when`; returns the
   offset word to patch. */
static uint32_t emit_cond(compiler *c, const cond *k, bool when)
{
    if (k->base) {
        int which = when ? k->which : cmp_inverse[k->which];
        emit_op(c, k->base + which * 4 + 2 + k->imm, 3);
        emit(c, k->a);
        emit(c, k->b);
    } else {
        bool nonzero = k->eqz ? !when : when;
        emit_op(c, nonzero ? IOP_BR_IF : IOP_BR_UNLESS, 2);
        emit(c, k->a);
    }
    uint32_t at = c->ncode;
    emit(c, 0);
    return at;
}

static void compile_br_if(compiler *c, uint32_t depth)
{
    cframe *f = label(c, depth);
    uint32_t n = label_arity(f);
    cond k = take_cond(c);
    if (n > 1) materialize_from(c, c->h - n);
    if (f->kind != F_FUNC && values_in_place(c, f)) {
        uint32_t at = emit_cond(c, &k, true);
        if (c->failed) return;
        if (f->kind == F_LOOP) {
            c->code[at] = (uint32_t)((int32_t)loop_body(f) - (int32_t)at);
        } else {
            c->code[at] = f->fixups;
            f->fixups = at;
        }
        return;
    }
    uint32_t skip = emit_cond(c, &k, false);
    emit_branch(c, depth);
    c->last_valid = false;
    if (!c->failed) c->code[skip] = (uint32_t)((int32_t)here_label(c) - (int32_t)skip);
}

static void compile_br_table(compiler *c, wasm_reader *r, const wasm_instr *in)
{
    uint32_t n = in->a;
    uint32_t idx = operand(c, c->h - 1);
    pop_n(c, 1);
    /* all labels share one arity; read it from the default */
    wasm_reader lr = *r;
    lr.pos = in->labels_pos;
    uint32_t def = 0;
    for (uint32_t i = 0; i <= n; i++) wasm_read_u32(&lr, &def);
    uint32_t arity = label_arity(label(c, def));
    if (arity > 1) materialize_from(c, c->h - arity);
    if (!grow(c, (void **)&c->stubs, &c->capstubs, c->nframes, sizeof(uint32_t))) return;
    for (uint32_t i = 0; i < c->nframes; i++) c->stubs[i] = 0;

    emit_op(c, IOP_BR_TABLE, 2 + n + 1);
    emit(c, idx);
    emit(c, n);
    uint32_t table = c->ncode;
    lr.pos = in->labels_pos;
    for (uint32_t i = 0; i <= n; i++) {
        uint32_t d = 0;
        wasm_read_u32(&lr, &d);
        cframe *f = label(c, d);
        if (f->kind != F_FUNC && values_in_place(c, f)) {
            emit_target(c, f);
        } else {
            emit(c, 0);
            c->stubs[d] = 1; /* needs a stub */
        }
    }
    /* stubs: moves then the jump, one per distinct label */
    lr.pos = in->labels_pos;
    for (uint32_t i = 0; i <= n && !c->failed; i++) {
        uint32_t d = 0;
        wasm_read_u32(&lr, &d);
        if (!c->stubs[d]) continue;
        if (c->stubs[d] == 1) {
            c->stubs[d] = here_label(c);
            emit_branch(c, d);
        }
        if (!c->failed)
            c->code[table + i] = (uint32_t)((int32_t)c->stubs[d] - (int32_t)(table + i));
    }
    set_unreachable(c);
}

/* ---- Blocks ----------------------------------------------------------- */

static cframe *push_frame(compiler *c, uint8_t kind, const wasm_instr *in)
{
    if (!grow(c, (void **)&c->frames, &c->capframes, c->nframes + 1, sizeof(cframe)))
        return NULL;
    cframe *f = &c->frames[c->nframes++];
    *f = (cframe){.kind = kind, .icount = c->icount};
    if (in && in->bt == BT_VALUE) {
        /* the blocktype byte after the opcode is the type itself */
        f->results = c->m->bytes + in->pos + 1;
        f->nresults = 1;
    } else if (in && in->bt == BT_TYPE) {
        const wasm_functype *t = &c->m->types[in->a];
        f->params = t->params;
        f->nparams = t->nparams;
        f->results = t->results;
        f->nresults = t->nresults;
    }
    f->height = c->h - f->nparams;
    return f;
}

static void compile_block(compiler *c, const wasm_instr *in)
{
    uint8_t kind = in->op == OP_BLOCK ? F_BLOCK : in->op == OP_LOOP ? F_LOOP : F_IF;
    uint32_t cond_at = 0;
    if (kind == F_IF) {
        /* what stays below the condition is flushed for both arms */
        cond k = take_cond(c);
        materialize_from(c, 0);
        cond_at = emit_cond(c, &k, false);
    } else {
        materialize_from(c, 0);
    }
    cframe *f = push_frame(c, kind, in);
    if (!f) return;
    if (kind == F_LOOP) {
        f->loop_pos = emit_op(c, IOP_LOOP, 1);
        mark_trap(c, f->loop_pos);
        emit(c, 1);
        c->loops++;
    }
    f->else_fixup = cond_at;
    c->last_valid = false;
}

static void compile_else(compiler *c)
{
    cframe *f = &c->frames[c->nframes - 1];
    if (!f->unreachable) {
        materialize_from(c, f->height);
        emit_op(c, IOP_BR, 1);
        emit_target(c, f);
    }
    patch_chain(c, f->else_fixup, c->ncode);
    f->else_fixup = 0;
    f->has_else = true;
    f->unreachable = false;
    c->h = f->height;
    push_types(c, f->params, f->nparams);
    c->last_valid = false;
}

/* Returns true when the function's final end was compiled. */
static bool compile_end(compiler *c)
{
    cframe *f = &c->frames[c->nframes - 1];
    if (f->kind == F_FUNC) {
        if (!f->unreachable) emit_return(c);
        c->nframes--;
        return true;
    }
    if (!f->unreachable) materialize_from(c, f->height);
    if (f->kind == F_IF && f->else_fixup) patch_chain(c, f->else_fixup, c->ncode);
    if (f->kind == F_LOOP && !c->failed) {
        uint32_t cost = c->icount - f->icount;
        c->code[f->loop_pos + 1] = cost ? cost : 1;
        c->loops--;
    }
    patch_chain(c, f->fixups, c->ncode);
    c->h = f->height;
    c->nframes--;
    push_types(c, f->results, f->nresults);
    c->last_valid = false;
    return false;
}

/* ---- Plain instructions ------------------------------------------------ */

static bool fits_imm(const compiler *c, const centry *e, bool i64)
{
    (void)c;
    if (e->kind != E_CONST) return false;
    if (!i64) return true;
    return (int64_t)e->value == (int64_t)(int32_t)e->value;
}

static bool commutative(int iop)
{
    switch (iop) {
    case IOP_I32_ADD: case IOP_I32_MUL: case IOP_I32_AND: case IOP_I32_OR:
    case IOP_I32_XOR: case IOP_I32_EQ: case IOP_I32_NE:
    case IOP_I64_ADD: case IOP_I64_MUL: case IOP_I64_AND: case IOP_I64_OR:
    case IOP_I64_XOR: case IOP_I64_EQ: case IOP_I64_NE:
        return true;
    default:
        return false;
    }
}

/* An integer binary op with an immediate form (iop_i = iop + 1). */
static void compile_int_binop(compiler *c, int iop, bool i64)
{
    centry *a = &c->stack[c->h - 2], *b = &c->stack[c->h - 1];
    uint32_t sa, imm;
    if (fits_imm(c, b, i64) && a->kind != E_CONST) {
        sa = operand(c, c->h - 2);
        imm = (uint32_t)b->value;
    } else if (commutative(iop) && fits_imm(c, a, i64) && b->kind != E_CONST) {
        sa = operand(c, c->h - 1);
        imm = (uint32_t)a->value;
    } else {
        uint32_t x = operand(c, c->h - 2), y = operand(c, c->h - 1);
        uint32_t start = emit_result(c, iop, 2, 3);
        emit(c, x);
        emit(c, y);
        push_slot(c);
        produced(c, iop, start);
        return;
    }
    uint32_t start = emit_result(c, iop + 1, 2, 3);
    emit(c, sa);
    emit(c, imm);
    push_slot(c);
    produced(c, iop + 1, start);
}

/* a + x*y and a - x*y, when the product was the last instruction and is
   the second operand: one instruction instead of two. */
static bool fuse_muladd(compiler *c, int iop)
{
    int mul, fused;
    switch (iop) {
    case IOP_F32_ADD: mul = IOP_F32_MUL, fused = IOP_F32_MULADD; break;
    case IOP_F32_SUB: mul = IOP_F32_MUL, fused = IOP_F32_MULSUB; break;
    case IOP_F64_ADD: mul = IOP_F64_MUL, fused = IOP_F64_MULADD; break;
    case IOP_F64_SUB: mul = IOP_F64_MUL, fused = IOP_F64_MULSUB; break;
    default: return false;
    }
    uint32_t top = c->h - 1;
    if (!c->last_valid || c->last_iop != mul || c->stack[top].kind != E_SLOT ||
        c->code[c->last_dst] != canon(c, top))
        return false;
    uint32_t x = c->code[c->last_start + 2], y = c->code[c->last_start + 3];
    c->ncode = c->last_start;
    c->last_valid = false;
    uint32_t a = operand(c, c->h - 2);
    uint32_t start = emit_result(c, fused, 2, 4);
    emit(c, a);
    emit(c, x);
    emit(c, y);
    push_slot(c);
    produced(c, fused, start);
    return true;
}

static void compile_binop(compiler *c, int iop, bool traps)
{
    if (fuse_muladd(c, iop)) return;
    uint32_t x = operand(c, c->h - 2), y = operand(c, c->h - 1);
    uint32_t start = emit_result(c, iop, 2, 3);
    emit(c, x);
    emit(c, y);
    if (traps) mark_trap(c, start);
    push_slot(c);
    produced(c, iop, start);
}

static void compile_unop(compiler *c, int iop, bool traps)
{
    uint32_t x = operand(c, c->h - 1);
    uint32_t start = emit_result(c, iop, 1, 2);
    emit(c, x);
    if (traps) mark_trap(c, start);
    push_slot(c);
    produced(c, iop, start);
}

/* The internal form of each plain Wasm opcode, -1 when it is not one. */
typedef struct plain_op {
    int16_t iop;
    uint8_t form;
} plain_op;
enum { P_NONE, P_INT_BIN, P_INT64_BIN, P_BIN, P_DIV, P_UN, P_TRUNC, P_LOAD, P_STORE, P_NOP };

static plain_op plain(uint16_t op)
{
    switch (op) {
#define C_I32(name, e) case OP_##name: return (plain_op){IOP_##name, P_INT_BIN};
#define C_I64(name, e) case OP_##name: return (plain_op){IOP_##name, P_INT64_BIN};
#define C_BIN(name, e) case OP_##name: return (plain_op){IOP_##name, P_BIN};
#define C_UN(name, e) case OP_##name: return (plain_op){IOP_##name, P_UN};
#define C_TR(name, ...) case OP_##name: return (plain_op){IOP_##name, P_TRUNC};
#define C_DIV(name) case OP_##name: return (plain_op){IOP_##name, P_DIV};
#define C_LD(name, ...) case OP_##name: return (plain_op){IOP_##name, P_LOAD};
#define C_ST(name, ...) case OP_##name: return (plain_op){IOP_##name, P_STORE};
        NUM_I32_BIN(C_I32) NUM_I32_CMP(C_I32)
        NUM_I64_BIN(C_I64) NUM_I64_CMP(C_I64)
        NUM_F32_BIN(C_BIN) NUM_F64_BIN(C_BIN)
        NUM_UNARY(C_UN) NUM_TRUNC(C_TR) NUM_DIV(C_DIV)
        MEM_LOADS(C_LD) MEM_STORES(C_ST)
    case OP_I32_REINTERPRET_F32: case OP_I64_REINTERPRET_F64:
    case OP_F32_REINTERPRET_I32: case OP_F64_REINTERPRET_I64:
        return (plain_op){-1, P_NOP}; /* same bits, same cell */
    default:
        return (plain_op){-1, P_NONE};
    }
}

/* A load whose address was just computed by i32.add (of two values or of
   a constant) takes over the add: the _A and _K forms follow the plain
   one in iops.h. */
static void compile_load(compiler *c, int iop, const wasm_instr *in)
{
    uint32_t top = c->h - 1, start;
    int form = 0;
    if (c->last_valid && c->stack[top].kind == E_SLOT && c->code[c->last_dst] == canon(c, top))
        form = c->last_iop == IOP_I32_ADD ? 1 : c->last_iop == IOP_I32_ADD_I ? 2 : 0;
    if (form) {
        uint32_t a = c->code[c->last_start + 2], b = c->code[c->last_start + 3];
        c->ncode = c->last_start;
        start = emit_result(c, iop + form, 1, 4);
        emit(c, a);
        emit(c, b);
    } else {
        uint32_t addr = operand(c, top);
        start = emit_result(c, iop, 1, 3);
        emit(c, addr);
    }
    emit(c, in->b);
    mark_trap(c, start);
    push_slot(c);
    produced(c, iop + form, start);
}

/* A store of a constant uses the _I form when the constant fits. */
static void compile_store(compiler *c, int iop, const wasm_instr *in)
{
    const centry *v = &c->stack[c->h - 1];
    bool wide = in->op == OP_I64_STORE || in->op == OP_F64_STORE;
    bool imm = v->kind == E_CONST && (!wide || (int64_t)v->value == (int64_t)(int32_t)v->value);
    uint32_t k = (uint32_t)v->value;
    uint32_t addr = operand(c, c->h - 2);
    uint32_t val = imm ? k : operand(c, c->h - 1);
    pop_n(c, 2);
    uint32_t start = emit_op(c, imm ? iop + 1 : iop, 3);
    emit(c, addr);
    emit(c, val);
    emit(c, in->b);
    mark_trap(c, start);
}

static void compile_plain(compiler *c, plain_op p, const wasm_instr *in)
{
    switch (p.form) {
    case P_INT_BIN: compile_int_binop(c, p.iop, false); return;
    case P_INT64_BIN: compile_int_binop(c, p.iop, true); return;
    case P_BIN: compile_binop(c, p.iop, false); return;
    case P_DIV: compile_binop(c, p.iop, true); return;
    case P_UN: compile_unop(c, p.iop, false); return;
    case P_TRUNC: compile_unop(c, p.iop, true); return;
    case P_NOP: return;
    case P_LOAD: compile_load(c, p.iop, in); return;
    case P_STORE: compile_store(c, p.iop, in); return;
    }
}

/* ---- Locals ------------------------------------------------------------ */

/* Before local x changes, stack entries naming it get their own copy. */
static void detach_local(compiler *c, uint32_t x, uint32_t below)
{
    for (uint32_t i = 0; i < below; i++)
        if (c->stack[i].kind == E_LOCAL && c->stack[i].local == x) materialize(c, i);
}

static bool names_local(const compiler *c, uint32_t x, uint32_t below)
{
    for (uint32_t i = 0; i < below; i++)
        if (c->stack[i].kind == E_LOCAL && c->stack[i].local == x) return true;
    return false;
}

static void compile_local_set(compiler *c, uint32_t index, bool tee)
{
    uint32_t top = c->h - 1, x = c->locals[index].slot;
    centry *e = &c->stack[top];
    if (e->kind == E_LOCAL && e->local == x) {
        if (!tee) c->h--;
        return;
    }
    if (c->last_valid && e->kind == E_SLOT && c->code[c->last_dst] == canon(c, top) &&
        !names_local(c, x, top)) {
        c->code[c->last_dst] = x; /* the producer writes the local itself */
        c->last_valid = false;
        if (tee) {
            e->kind = E_LOCAL;
            e->local = x;
        } else {
            c->h--;
        }
        return;
    }
    detach_local(c, x, top);
    move_entry(c, top, x);
    if (!tee) c->h--;
}

/* ---- The instruction loop --------------------------------------------- */

static void compile_call(compiler *c, const wasm_functype *t, int iop, const wasm_instr *in)
{
    uint32_t nparams = t->nparams;
    uint32_t extra = iop == IOP_CALL_INDIRECT ? 1 : 0;
    uint32_t elem = 0;
    if (extra) elem = operand(c, c->h - 1);
    uint32_t first = c->h - extra - nparams;
    for (uint32_t i = first; i < c->h - extra; i++) materialize(c, i);
    uint32_t start = emit_op(c, iop, iop == IOP_CALL ? 2 : 4);
    if (iop == IOP_CALL) {
        emit(c, in->a);
        emit(c, canon(c, first));
    } else {
        emit(c, in->b);
        emit(c, in->a);
        emit(c, canon(c, first));
        emit(c, elem);
    }
    mark_trap(c, start);
    pop_n(c, nparams + extra);
    push_types(c, t->results, t->nresults);
}

/* Instructions with up to three slot operands and no result. */
static void compile_effect(compiler *c, int iop, uint32_t nin, const uint32_t *imm, uint32_t nimm)
{
    uint32_t s[3];
    for (uint32_t i = 0; i < nin; i++) s[i] = operand(c, c->h - nin + i);
    pop_n(c, nin);
    uint32_t start = emit_op(c, iop, nin + nimm);
    for (uint32_t i = 0; i < nin; i++) emit(c, s[i]);
    for (uint32_t i = 0; i < nimm; i++) emit(c, imm[i]);
    mark_trap(c, start);
}

/* Instructions with a result, slot operands and immediates. */
static void compile_value(compiler *c, int iop, uint32_t nin, const uint32_t *imm, uint32_t nimm,
                          bool traps, bool wide)
{
    uint32_t s[3];
    for (uint32_t i = 0; i < nin; i++) s[i] = operand(c, c->h - nin + i);
    uint32_t start = emit_result(c, iop, nin, 1 + nin + nimm);
    for (uint32_t i = 0; i < nin; i++) emit(c, s[i]);
    for (uint32_t i = 0; i < nimm; i++) emit(c, imm[i]);
    if (traps) mark_trap(c, start);
    push(c, (centry){.kind = E_SLOT, .wide = wide});
    produced(c, iop, start);
}

/* The internal opcode of a SIMD instruction with its own handler
   (iops.h, SIMD_FAST_OPS), else generic.  SIMD opcodes are >= 0x200, so
   the zero that fills a row with one opcode never matches. */
static int simd_iop(uint32_t op, int generic)
{
#define FAST_ROW(name, ...) {IOP_SIMD_##name, {__VA_ARGS__}},
    static const struct {
        int iop;
        uint32_t ops[2];
    } fast[] = {SIMD_FAST_OPS(FAST_ROW)};
#undef FAST_ROW
    for (size_t i = 0; i < sizeof fast / sizeof fast[0]; i++)
        if (fast[i].ops[0] == op || fast[i].ops[1] == op) return fast[i].iop;
    return generic;
}

/* f32x4.add, f64x2.add or f64x2.sub whose second operand the
   instruction just emitted (the same shape's mul) produced: the two
   become one [SIMD_..._MULADD simdop d a x y], as fuse_muladd does for
   scalars. */
static bool fuse_simd_muladd(compiler *c, uint32_t op)
{
    int mul, fused;
    switch (op) {
    case OP_F32X4_ADD: mul = IOP_SIMD_F32X4_MUL, fused = IOP_SIMD_F32X4_MULADD; break;
    case OP_F64X2_ADD: mul = IOP_SIMD_F64X2_MUL, fused = IOP_SIMD_F64X2_MULADD; break;
    case OP_F64X2_SUB: mul = IOP_SIMD_F64X2_MUL, fused = IOP_SIMD_F64X2_MULSUB; break;
    default: return false;
    }
    uint32_t top = c->h - 1;
    if (!c->last_valid || c->last_iop != mul || c->stack[top].kind != E_SLOT ||
        c->code[c->last_dst] != canon(c, top))
        return false;
    uint32_t x = c->code[c->last_start + 3], y = c->code[c->last_start + 4];
    c->ncode = c->last_start;
    c->last_valid = false;
    uint32_t a = operand(c, c->h - 2);
    pop_n(c, 2);
    uint32_t start = emit_op(c, fused, 5);
    emit(c, op);
    emit(c, canon(c, c->h));
    emit(c, a);
    emit(c, x);
    emit(c, y);
    push_typed(c, WASM_V128);
    produced_simd(c, fused, start);
    return true;
}

/* The SIMD instructions (0xFD): operands and result typed from the
   opcode table; their semantics are simd.c's, keyed by the opcode. */
static void compile_simd(compiler *c, const wasm_instr *in)
{
    const wasm_opinfo *info = &wasm_opinfo_table[in->op];
    const wasm_siginfo *sig = &wasm_siginfo_table[info->sig];
    uint32_t s[3] = {0, 0, 0}, start;
    if (in->op == OP_V128_CONST) {
        start = emit_op(c, IOP_V128_CONST, 5);
        emit(c, canon(c, c->h));
        emit(c, (uint32_t)in->val);
        emit(c, (uint32_t)(in->val >> 32));
        emit(c, (uint32_t)in->val_hi);
        emit(c, (uint32_t)(in->val_hi >> 32));
        push_typed(c, WASM_V128);
        produced(c, IOP_V128_CONST, start);
        return;
    }
    if (fuse_simd_muladd(c, in->op)) return;
    for (uint32_t i = 0; i < sig->nin; i++) s[i] = operand(c, c->h - sig->nin + i);
    pop_n(c, sig->nin);
    if (info->imm == IMM_MEMARG || info->imm == IMM_MEMARG_LANE) {
        if (!sig->out) {
            start = emit_op(c, simd_iop(in->op, IOP_SIMD_STORE), 5);
            emit(c, in->op);
            emit(c, s[0]);
            emit(c, s[1]);
            emit(c, in->b);
            emit(c, in->lane);
            mark_trap(c, start);
            return;
        }
        int iop = simd_iop(in->op, IOP_SIMD_LOAD);
        start = emit_op(c, iop, 6);
        emit(c, in->op);
        emit(c, canon(c, c->h));
        emit(c, s[0]);
        emit(c, in->b);
        emit(c, s[1]);
        emit(c, in->lane);
        mark_trap(c, start);
        push_typed(c, WASM_V128);
        produced_simd(c, iop, start);
        return;
    }
    if (info->imm == IMM_SHUFFLE) {
        start = emit_op(c, IOP_SIMD_SHUFFLE, 7);
        emit(c, canon(c, c->h));
        emit(c, s[0]);
        emit(c, s[1]);
        emit(c, (uint32_t)in->val);
        emit(c, (uint32_t)(in->val >> 32));
        emit(c, (uint32_t)in->val_hi);
        emit(c, (uint32_t)(in->val_hi >> 32));
        push_typed(c, WASM_V128);
        produced(c, IOP_SIMD_SHUFFLE, start);
        return;
    }
    int iop = simd_iop(in->op, IOP_SIMD);
    start = emit_op(c, iop, 5);
    emit(c, in->op);
    emit(c, canon(c, c->h));
    emit(c, s[0]);
    emit(c, s[1]);
    emit(c, sig->nin == 3 ? s[2] : in->lane);
    push_typed(c, sig->out);
    produced_simd(c, iop, start);
}

static void compile_instr(compiler *c, wasm_reader *r, const wasm_instr *in)
{
    if (in->op >= 0x200) {
        compile_simd(c, in);
        return;
    }
    plain_op p = plain(in->op);
    if (p.form != P_NONE) {
        compile_plain(c, p, in);
        return;
    }
    const wasm_module *m = c->m;
    uint32_t imm[2] = {in->a, in->b};
    switch (in->op) {
    case OP_NOP: break;
    case OP_UNREACHABLE: mark_trap(c, emit_op(c, IOP_UNREACHABLE, 0)); set_unreachable(c); break;
    case OP_BLOCK: case OP_LOOP: case OP_IF: compile_block(c, in); break;
    case OP_ELSE: compile_else(c); break;
    case OP_BR: emit_branch(c, in->a); set_unreachable(c); break;
    case OP_BR_IF: compile_br_if(c, in->a); break;
    case OP_BR_TABLE: compile_br_table(c, r, in); break;
    case OP_RETURN: emit_return(c); set_unreachable(c); break;
    case OP_CALL: {
        compile_call(c, &m->types[m->func_types[in->a]], IOP_CALL, in);
        break;
    }
    case OP_CALL_INDIRECT: {
        compile_call(c, &m->types[in->a], IOP_CALL_INDIRECT, in);
        break;
    }
    case OP_DROP: pop_n(c, 1); break;
    case OP_SELECT: case OP_SELECT_T: {
        bool wide = c->stack[c->h - 2].wide;
        compile_value(c, wide ? IOP_V128_SELECT : IOP_SELECT, 3, NULL, 0, false, wide);
        break;
    }
    case OP_LOCAL_GET:
        push(c, (centry){.kind = E_LOCAL, .local = c->locals[in->a].slot,
                         .wide = c->locals[in->a].wide});
        break;
    case OP_LOCAL_SET: compile_local_set(c, in->a, false); break;
    case OP_LOCAL_TEE: compile_local_set(c, in->a, true); break;
    case OP_GLOBAL_GET: {
        bool wide = m->globals[in->a].type.type == WASM_V128;
        compile_value(c, wide ? IOP_V128_GLOBAL_GET : IOP_GLOBAL_GET, 0, imm, 1, false, wide);
        break;
    }
    case OP_GLOBAL_SET: {
        bool wide = m->globals[in->a].type.type == WASM_V128;
        compile_effect(c, wide ? IOP_V128_GLOBAL_SET : IOP_GLOBAL_SET, 1, imm, 1);
        break;
    }
    case OP_TABLE_GET: compile_value(c, IOP_TABLE_GET, 1, imm, 1, true, false); break;
    case OP_TABLE_SET: compile_effect(c, IOP_TABLE_SET, 2, imm, 1); break;
    case OP_MEMORY_SIZE: compile_value(c, IOP_MEMORY_SIZE, 0, NULL, 0, false, false); break;
    case OP_MEMORY_GROW: compile_value(c, IOP_MEMORY_GROW, 1, NULL, 0, false, false); break;
    case OP_I32_CONST: push(c, (centry){.kind = E_CONST, .value = (uint32_t)in->val}); break;
    case OP_I64_CONST: case OP_F32_CONST: case OP_F64_CONST:
        push(c, (centry){.kind = E_CONST, .value = in->val});
        break;
    case OP_REF_NULL: push(c, (centry){.kind = E_CONST}); break;
    case OP_REF_IS_NULL: compile_unop(c, IOP_I64_EQZ, false); break;
    case OP_REF_FUNC: compile_value(c, IOP_REF_FUNC, 0, imm, 1, false, false); break;
    case OP_MEMORY_INIT: compile_effect(c, IOP_MEMORY_INIT, 3, imm, 1); break;
    case OP_DATA_DROP: compile_effect(c, IOP_DATA_DROP, 0, imm, 1); break;
    case OP_MEMORY_COPY: compile_effect(c, IOP_MEMORY_COPY, 3, NULL, 0); break;
    case OP_MEMORY_FILL: compile_effect(c, IOP_MEMORY_FILL, 3, NULL, 0); break;
    case OP_TABLE_INIT: {
        uint32_t ti[2] = {in->b, in->a}; /* table, elem */
        compile_effect(c, IOP_TABLE_INIT, 3, ti, 2);
        break;
    }
    case OP_ELEM_DROP: compile_effect(c, IOP_ELEM_DROP, 0, imm, 1); break;
    case OP_TABLE_COPY: compile_effect(c, IOP_TABLE_COPY, 3, imm, 2); break;
    case OP_TABLE_GROW: compile_value(c, IOP_TABLE_GROW, 2, imm, 1, false, false); break;
    case OP_TABLE_SIZE: compile_value(c, IOP_TABLE_SIZE, 0, imm, 1, false, false); break;
    case OP_TABLE_FILL: compile_effect(c, IOP_TABLE_FILL, 3, imm, 1); break;
    default: {
        char name[48], msg[96];
        wasm_opcode_text(in->op, name, sizeof name);
        snprintf(msg, sizeof msg, "%s is not supported by this engine", name);
        fail(c, WASM_LIMIT, msg);
        break;
    }
    }
}

/* Skips code after br/return/unreachable up to the matching else/end.
   Returns true when the instruction must still be compiled. */
static bool reachable(compiler *c, const wasm_instr *in, uint32_t *skip_depth)
{
    if (!c->frames[c->nframes - 1].unreachable) return true;
    switch (in->op) {
    case OP_BLOCK: case OP_LOOP: case OP_IF: (*skip_depth)++; return false;
    case OP_ELSE: return *skip_depth == 0;
    case OP_END:
        if (*skip_depth == 0) return true;
        (*skip_depth)--;
        return false;
    default: return false;
    }
}

/* Gives every local its slot(s): parameters first, a v128 two slots.
   Sets c->nlocals to the slots of all locals; returns the parameters'. */
static uint32_t layout_locals(compiler *c, const wasm_functype *t, const wasm_code *body)
{
    uint32_t n = t->nparams + body->nlocals, slot = 0, params = 0, i = 0;
    if (!grow(c, (void **)&c->locals, &c->caplocals, n + 1, sizeof *c->locals)) return 0;
    for (; i < t->nparams; i++) {
        c->locals[i] = (struct clocal){slot, t->params[i] == WASM_V128};
        slot += 1u + c->locals[i].wide;
    }
    params = slot;
    for (uint32_t k = 0; k < body->nruns; k++) {
        bool wide = body->runs[k].type == WASM_V128;
        for (uint32_t j = 0; j < body->runs[k].count; j++, i++) {
            c->locals[i] = (struct clocal){slot, wide};
            slot += 1u + wide;
        }
    }
    c->nlocals = slot;
    return params;
}

static wasm_status compile_func(compiler *c, uint32_t code_index, wasm_compiled *out)
{
    const wasm_module *m = c->m;
    const wasm_code *body = &m->codes[code_index];
    const wasm_functype *t = &m->types[m->func_types[m->nfunc_imports + code_index]];
    c->func_index = m->nfunc_imports + code_index;
    c->nresults = t->nresults;
    c->ncode = c->h = c->nframes = c->npcmap = c->icount = c->loops = c->straight = 0;
    c->failed = c->last_valid = false;
    c->label_at = 0;
    c->copy_at = UINT32_MAX;
    c->wasm_pos = body->body_pos;
    uint32_t nparam_slots = layout_locals(c, t, body);
    if (c->failed) return c->err->status;
    if (c->nlocals > WASM_MAX_FRAME_SLOTS) {
        fail(c, WASM_LIMIT, "too many locals for the engine's frame limit");
        return c->err->status;
    }
    c->maxslot = c->nlocals;

    uint32_t enter = emit_op(c, IOP_ENTER, 4);
    emit(c, nparam_slots);
    emit(c, c->nlocals - nparam_slots);
    emit(c, 0); /* frame size, patched below */
    emit(c, 0); /* fuel, patched below */
    mark_trap(c, enter);
    push_frame(c, F_FUNC, NULL);

    wasm_reader r = {m->bytes, body->body_pos, body->pos + body->size, "code", c->err};
    uint32_t skip_depth = 0;
    bool done = false;
    while (!done && !c->failed) {
        wasm_instr in;
        if (!wasm_read_instr(&r, &in)) return c->err->status;
        c->wasm_pos = in.pos;
        c->icount++;
        if (!c->loops) c->straight++;
        if (!reachable(c, &in, &skip_depth)) continue;
        if (in.op == OP_END) done = compile_end(c);
        else compile_instr(c, &r, &in);
    }
    if (c->failed) return c->err->status;

    uint32_t slots = c->maxslot;
    uint32_t result_cells = wasm_type_cells(t->results, t->nresults);
    if (slots < result_cells) slots = result_cells;
    c->code[enter + 3] = slots;
    c->code[enter + 4] = c->straight ? c->straight : 1;

    *out = (wasm_compiled){.func_index = c->func_index, .nparams = t->nparams,
                           .nresults = t->nresults, .param_cells = nparam_slots,
                           .result_cells = result_cells, .nlocals = c->nlocals,
                           .frame_slots = slots, .ncode = c->ncode, .npcmap = c->npcmap};
    out->code = malloc((size_t)c->ncode * sizeof(uint32_t));
    out->pcmap = malloc((size_t)(c->npcmap ? c->npcmap : 1) * sizeof(wasm_pcmap));
    if (!out->code || !out->pcmap) {
        fail(c, WASM_NOMEM, "out of memory while compiling");
        return c->err->status;
    }
    memcpy(out->code, c->code, (size_t)c->ncode * sizeof(uint32_t));
    memcpy(out->pcmap, c->pcmap, (size_t)c->npcmap * sizeof(wasm_pcmap));
    return WASM_OK;
}

wasm_status wasm_compile(wasm_module *m, wasm_error *err)
{
    m->compiled = calloc(m->ncodes ? m->ncodes : 1, sizeof(wasm_compiled));
    if (!m->compiled) return wasm_error_set(err, WASM_NOMEM, "out of memory while compiling");
    compiler c = {.m = m, .err = err, .dispatch = wasm_interp_dispatch_table()};
    wasm_status st = WASM_OK;
    for (uint32_t i = 0; i < m->ncodes && st == WASM_OK; i++)
        st = compile_func(&c, i, &m->compiled[i]);
    free(c.code);
    free(c.stack);
    free(c.frames);
    free(c.pcmap);
    free(c.stubs);
    free(c.locals);
    return st;
}

void wasm_compile_free(wasm_module *m)
{
    if (!m->compiled) return;
    for (uint32_t i = 0; i < m->ncodes; i++) {
        free(m->compiled[i].code);
        free(m->compiled[i].pcmap);
    }
    free(m->compiled);
    m->compiled = NULL;
}

uint32_t wasm_compiled_wasm_offset(const wasm_compiled *fn, uint32_t code_pos)
{
    uint32_t lo = 0, hi = fn->npcmap;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (fn->pcmap[mid].code <= code_pos) lo = mid + 1;
        else hi = mid;
    }
    return lo ? fn->pcmap[lo - 1].wasm : 0;
}
