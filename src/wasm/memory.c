/*
 * memory.c - linear memories (spec 4.2.8, memory.grow in 4.4.7).
 *
 * A memory reserves address space for its largest allowed size once
 * (PROT_NONE, no commitment) and opens pages as it grows, so its base
 * never moves: the interpreter and host functions can keep pointers
 * across a grow of another memory, and growing never copies.
 */
#include <stdlib.h>
#include <sys/mman.h>

#include "runtime.h"

#define PAGE 65536ull
#define HUGE_PAGES_FROM (4ull << 20)  /* bytes: see wasm_memory_grow */

wasm_memory *wasm_memory_create(wasm_limits type, uint32_t cap, wasm_error *err)
{
    if (cap > 65536) cap = 65536;
    uint32_t max = type.has_max && type.max < cap ? type.max : cap;
    if (type.min > max) {
        wasm_error_set(err, WASM_LIMIT,
                       "memory needs %u pages at start, more than the limit of %u pages",
                       type.min, max);
        return NULL;
    }
    wasm_memory *mem = calloc(1, sizeof *mem);
    if (!mem) {
        wasm_error_set(err, WASM_NOMEM, "out of memory allocating a memory");
        return NULL;
    }
    mem->type = type;
    mem->max_pages = max;
    mem->reserved = (size_t)max * PAGE;
    if (mem->reserved) {
        void *p = mmap(NULL, mem->reserved, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                       -1, 0);
        if (p == MAP_FAILED) {
            wasm_error_set(err, WASM_NOMEM, "cannot reserve %zu bytes for a memory", mem->reserved);
            free(mem);
            return NULL;
        }
        mem->base = p;
    }
    if (wasm_memory_grow(mem, type.min) < 0) {
        wasm_memory_release(mem);
        wasm_error_set(err, WASM_NOMEM, "cannot commit %u pages for a memory", type.min);
        return NULL;
    }
    return mem;
}

void wasm_memory_release(wasm_memory *mem)
{
    if (!mem) return;
    if (mem->base) munmap(mem->base, mem->reserved);
    free(mem);
}

int64_t wasm_memory_grow(wasm_memory *mem, uint32_t delta)
{
    uint32_t old = mem->pages;
    if (delta == 0) return old;
    if ((uint64_t)old + delta > mem->max_pages) {
        mem->refused++;
        return -1;
    }
    uint64_t new_size = ((uint64_t)old + delta) * PAGE;
    if (mprotect(mem->base + mem->size, new_size - mem->size, PROT_READ | PROT_WRITE) != 0) {
        mem->refused++;
        return -1;
    }
    mem->pages = old + delta;
    mem->size = new_size;
#ifdef MADV_HUGEPAGE
    /* A memory that grows to megabytes (a plugin holding manifests) then
       takes a page fault and a zeroing per 2 MiB, not per 4 KiB.  Asked
       once it is that large, so a small sandbox spends no system call on
       it. */
    if (!mem->huge && new_size >= HUGE_PAGES_FROM) {
        madvise(mem->base, mem->reserved, MADV_HUGEPAGE);
        mem->huge = true;
    }
#endif
    return old;
}

uint8_t *wasm_memory_data(const wasm_memory *mem) { return mem->base; }
uint64_t wasm_memory_size(const wasm_memory *mem) { return mem->size; }
uint32_t wasm_memory_pages(const wasm_memory *mem) { return mem->pages; }
uint32_t wasm_memory_refused_grows(const wasm_memory *mem) { return mem->refused; }

void *wasm_memory_at(const wasm_memory *mem, uint64_t offset, uint64_t len)
{
    if (!mem || offset > mem->size || len > mem->size - offset) return NULL;
    return mem->base + offset;
}
