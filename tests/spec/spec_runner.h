/*
 * spec_runner.h - what the spec testsuite runner's files share: the
 * "spectest" host module (spectest.c) and the runner's model of a test
 * value as wast2json writes it (values.c).  The runner itself is
 * runner.c; it uses the engine only through wasm.h.
 */
#ifndef SPEC_RUNNER_H
#define SPEC_RUNNER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wasm/wasm.h"

/* ---- The "spectest" host module (spectest.c) -------------------------- */

#define SPECTEST_MAX 16

/* The externs of the spectest module, created in one store. */
typedef struct spectest {
    uint32_t count;
    const char *names[SPECTEST_MAX];
    wasm_extern externs[SPECTEST_MAX];
} spectest;

/* Creates the spectest functions, globals, table and memory in store;
   false when the engine refused one (out of memory or an engine bug). */
bool spectest_init(spectest *st, wasm_store *store);
/* Finds the export `name` (len bytes) of the spectest module. */
bool spectest_lookup(const spectest *st, const char *name, size_t len, wasm_extern *out);

/* ---- Test values (values.c) ------------------------------------------- */

/* How an expected value matches a result cell. */
typedef enum spec_pattern {
    SPEC_EXACT,          /* the cell equals bits */
    SPEC_NAN_CANONICAL,  /* a NaN with only the quiet bit in its payload */
    SPEC_NAN_ARITHMETIC, /* a NaN with the quiet bit set */
    SPEC_NONNULL,        /* any non-null reference */
    SPEC_ANY,            /* no value given (assert_trap's result types) */
} spec_pattern;

typedef struct spec_value {
    uint8_t type;          /* a wasm_valtype code */
    spec_pattern pattern;  /* v128: SPEC_EXACT (see lanes) or SPEC_ANY */
    wasm_val bits[2];      /* for SPEC_EXACT, as the engine holds the cells
                              (bits[1]: a v128's upper cell) */
    /* v128 only: the lane shape of the JSON ("lane_type") and each lane's
       pattern, SPEC_EXACT or a NaN pattern of a float lane. */
    uint8_t lane_bits;     /* 8, 16, 32 or 64 */
    bool lane_float;
    spec_pattern lanes[16];
} spec_value;

/* Host externref N travels as the cell N + 1, so 0 stays null. */
#define SPEC_EXTERNREF_CELL(n) ((wasm_val)(n) + 1)

/* Parses {"type": ..., "value": ...} ({"type": "v128", "lane_type": ...,
   "value": [lanes]} for a v128); false, with the reason appended to why,
   on a type or value the runner cannot represent (a malformed number). */
bool spec_value_parse(const json_t *j, spec_value *out, char *why, size_t n);
/* Whether the result cells of the value's type (two for a v128) match
   it.  32-bit values must sit zero-extended in the cell, as wasm.h
   promises. */
bool spec_value_matches(const spec_value *v, const wasm_val *got);
/* "i32", "funcref", ...; "?" for an unknown code. */
const char *spec_type_name(uint8_t type);
/* Appends "TYPE:VALUE" for a value's cells (two for a v128) to buf
   (NUL-terminated, truncating). */
void spec_cell_append(char *buf, size_t n, uint8_t type, const wasm_val *cells);
/* Appends the expected value: a cell, "f32:nan:canonical", ... */
void spec_value_append(char *buf, size_t n, const spec_value *v);
/* Appends printf-formatted text to buf, truncating. */
void spec_append(char *buf, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Appends a name, control bytes written as \xNN, in double quotes. */
void spec_name_append(char *buf, size_t n, const char *name, size_t len);

#endif
