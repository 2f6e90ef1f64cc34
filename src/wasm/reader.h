/*
 * reader.h - a bounds-checked cursor over module bytes: fixed-width
 * values, LEB128 with the spec's length and range limits (5.2.2), names
 * (UTF-8 checked), and whole instructions with their immediates (5.4).
 *
 * Every read either succeeds or records a WASM_MALFORMED error naming the
 * current section and the byte offset, then returns false.  Callers stop
 * at the first false.
 */
#ifndef WASM_READER_H
#define WASM_READER_H

#include "wasm.h"

typedef struct wasm_reader {
    const uint8_t *bytes;  /* the whole module */
    size_t pos, end;       /* end: the end of what may be read now */
    const char *section;   /* for messages */
    wasm_error *err;
} wasm_reader;

/* Records a malformed-module error at the reader's position. */
bool wasm_reader_fail(wasm_reader *r, const char *what);
bool wasm_read_u8(wasm_reader *r, uint8_t *out);
bool wasm_read_u32(wasm_reader *r, uint32_t *out);   /* unsigned LEB128 */
bool wasm_read_s32(wasm_reader *r, int32_t *out);
bool wasm_read_s33(wasm_reader *r, int64_t *out);
bool wasm_read_s64(wasm_reader *r, int64_t *out);
bool wasm_read_fixed32(wasm_reader *r, uint32_t *out);
bool wasm_read_fixed64(wasm_reader *r, uint64_t *out);
/* A name: u32 length, then UTF-8 bytes; out points into the module. */
bool wasm_read_name(wasm_reader *r, const uint8_t **out, uint32_t *len);
/* Reads a vector count and checks it against the bytes left, assuming each
   element takes at least min_size bytes: an absurd count fails at once. */
bool wasm_read_count(wasm_reader *r, uint32_t min_size, uint32_t *out);
bool wasm_utf8_valid(const uint8_t *s, size_t len);

static inline bool wasm_reader_done(const wasm_reader *r) { return r->pos >= r->end; }

enum { BT_EMPTY, BT_VALUE, BT_TYPE };

/* One decoded instruction. */
typedef struct wasm_instr {
    uint16_t op;       /* opcode number, see opcodes.h */
    uint8_t bt;        /* IMM_BLOCK: BT_EMPTY, BT_VALUE (a = valtype), BT_TYPE (a = typeidx) */
    uint32_t pos;      /* byte offset of the opcode */
    uint32_t a, b;     /* indices; IMM_MEMARG: a = align, b = offset;
                          IMM_SELECT_T: a = first type, b = count;
                          IMM_BR_TABLE: a = number of labels before the default */
    uint64_t val;      /* IMM_I32/I64/F32/F64: the bits; IMM_REFTYPE: the type;
                          IMM_V128/IMM_SHUFFLE: bytes 0-7, little-endian */
    uint64_t val_hi;   /* IMM_V128/IMM_SHUFFLE: bytes 8-15 */
    uint8_t lane;      /* IMM_LANE/IMM_MEMARG_LANE: the lane index */
    size_t labels_pos; /* IMM_BR_TABLE: where the label vector starts */
} wasm_instr;

/* Reads one instruction and its immediates. */
bool wasm_read_instr(wasm_reader *r, wasm_instr *in);
/* The labels of a br_table (a + 1 of them, the default last) are read
   with wasm_read_u32 from a reader placed at labels_pos. */

#endif
