/*
 * kernel.c - the host-side state behind Extism's kernel ABI: the kernel
 * memory (blocks the guest allocates, the input, the output and error
 * offsets) and the vars.
 *
 * Extism keeps this state in a Wasm module of its own (kernel/src/lib.rs):
 * a bump allocator over a separate linear memory, blocks that can be
 * freed and reused, offset 0 meaning none.  Here the same offsets index a
 * host area instead:
 *
 *   offset 0 .. 7      never a block (0 is null)
 *   offset 8 ..        blocks, 8-byte aligned, in increasing order
 *
 * The area is address space reserved once for its limit and opened as it
 * grows, so its base never moves: a pointer to a block stays valid until
 * the block is freed or the call ends.  The block records live in a
 * separate sorted array (never in guest-writable bytes), and they count
 * against the limit too, so a flood of tiny blocks cannot use more host
 * memory than the limit allows.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "extism/internal.h"

#define KERNEL_FIRST 8u                  /* the first block's offset */
#define KERNEL_ALIGN 8u
#define KERNEL_STEP (64u * 1024)         /* commit granularity */
#define KERNEL_HUGE_FROM (4u * 1024 * 1024) /* committed bytes: see commit() */
/* Committed bytes kept over a reset: a plugin called again and again with
   big inputs does not fault its pages in each time, while one huge call
   does not pin its memory forever. */
#define KERNEL_KEEP (8u * 1024 * 1024)

static uint64_t round_up(uint64_t v, uint64_t to) { return (v + to - 1) / to * to; }

void ext_kernel_init(ext_kernel *k, uint64_t limit)
{
    memset(k, 0, sizeof *k);
    k->limit = limit;
    k->reserved = round_up(limit, KERNEL_STEP);
    k->top = KERNEL_FIRST;
}

void ext_kernel_free(ext_kernel *k)
{
    if (k->base) munmap(k->base, k->reserved);
    free(k->blocks);
    memset(k, 0, sizeof *k);
}

/* Makes [0, end) readable and writable. */
static bool commit(ext_kernel *k, uint64_t end)
{
    if (end <= k->committed) return true;
    if (end > k->reserved) return false;
    if (!k->base) {
        void *p = mmap(NULL, k->reserved, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                       -1, 0);
        if (p == MAP_FAILED) return false;
        k->base = p;
    }
    uint64_t want = k->committed * 2 > end ? k->committed * 2 : end;
    want = round_up(want < KERNEL_STEP ? KERNEL_STEP : want, KERNEL_STEP);
    if (want > k->reserved) want = k->reserved;
    if (mprotect(k->base + k->committed, want - k->committed, PROT_READ | PROT_WRITE) != 0)
        return false;
    k->committed = want;
#ifdef MADV_HUGEPAGE
    /* as for wasm memories (src/wasm/memory.c): 2 MiB pages once it holds
       megabytes, no system call while it is small */
    if (!k->huge && want >= KERNEL_HUGE_FROM) {
        madvise(k->base, k->reserved, MADV_HUGEPAGE);
        k->huge = true;
    }
#endif
    return true;
}

void ext_kernel_reset(ext_kernel *k)
{
    k->nblocks = k->nfree = k->hint = 0;
    k->last_off = k->last_len = 0;
    k->top = KERNEL_FIRST;
    k->input_off = k->input_len = k->output_off = k->output_len = k->error_off = 0;
    if (k->committed > KERNEL_KEEP) {
        /* Fresh PROT_NONE pages over the tail drop what it held. */
        void *p = mmap(k->base + KERNEL_KEEP, k->committed - KERNEL_KEEP, PROT_NONE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
        if (p != MAP_FAILED) {
            k->committed = KERNEL_KEEP;
            k->huge = false;  /* a fresh mapping forgets the advice */
        }
    }
}

/* Index of the last block whose offset is <= off, or SIZE_MAX. */
static size_t find_at_or_before(ext_kernel *k, uint64_t off)
{
    size_t h = k->hint;
    if (h < k->nblocks && k->blocks[h].off <= off &&
        (h + 1 == k->nblocks || k->blocks[h + 1].off > off))
        return h;
    size_t lo = 0, hi = k->nblocks;   /* the answer is lo - 1 */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (k->blocks[mid].off <= off) lo = mid + 1;
        else hi = mid;
    }
    if (lo == 0) return SIZE_MAX;
    k->hint = lo - 1;
    return lo - 1;
}

const ext_blk *ext_kernel_block(ext_kernel *k, uint64_t off)
{
    if (off == 0) return NULL;
    size_t i = find_at_or_before(k, off);
    if (i == SIZE_MAX) return NULL;
    const ext_blk *b = &k->blocks[i];
    return b->live && b->off == off ? b : NULL;
}

uint8_t *ext_kernel_range(ext_kernel *k, uint64_t off, uint64_t n)
{
    /* A PDK moves a block eight bytes a call: the block of the last
       lookup answers nearly every one without a search. */
    if (n <= k->last_len && off - k->last_off <= k->last_len - n) return k->base + off;
    size_t i = find_at_or_before(k, off);
    if (i == SIZE_MAX) return NULL;
    const ext_blk *b = &k->blocks[i];
    uint64_t rel = off - b->off;
    if (!b->live || rel > b->len || n > b->len - rel) return NULL;
    k->last_off = b->off;
    k->last_len = b->len;
    return k->base + off;
}

/* First fit among freed blocks. */
static ext_blk *reuse(ext_kernel *k, uint64_t len)
{
    for (size_t i = 0; i < k->nblocks; i++) {
        ext_blk *b = &k->blocks[i];
        if (!b->live && b->cap >= len) {
            k->nfree--;
            k->hint = i;
            return b;
        }
    }
    return NULL;
}

static ext_blk *push(ext_kernel *k, uint64_t len)
{
    uint64_t off = round_up(k->top, KERNEL_ALIGN);
    uint64_t records = (uint64_t)(k->nblocks + 1) * sizeof(ext_blk);
    if (off > k->limit || len > k->limit - off || records > k->limit - off - len) return NULL;
    if (!commit(k, off + len)) return NULL;
    if (k->nblocks == k->capblocks) {
        size_t n = k->capblocks ? k->capblocks * 2 : 64;
        ext_blk *nb = realloc(k->blocks, n * sizeof *nb);
        if (!nb) return NULL;
        k->blocks = nb;
        k->capblocks = n;
    }
    ext_blk *b = &k->blocks[k->nblocks];
    k->hint = k->nblocks++;
    b->off = off;
    b->cap = len;
    k->top = off + len;
    if (k->top + records > k->peak) k->peak = k->top + records;
    return b;
}

uint64_t ext_kernel_alloc(ext_kernel *k, uint64_t len, bool zero)
{
    if (len == 0 || len > k->limit) return 0;
    ext_blk *b = k->nfree ? reuse(k, len) : NULL;
    if (!b) b = push(k, len);
    if (!b) return 0;
    b->len = len;
    b->live = true;
    if (zero) memset(k->base + b->off, 0, len);
    return b->off;
}

void ext_kernel_release(ext_kernel *k, uint64_t off)
{
    const ext_blk *found = ext_kernel_block(k, off);
    if (!found) return;
    ext_blk *b = &k->blocks[found - k->blocks];
    b->live = false;
    k->last_len = 0;
    k->nfree++;
    /* Extism: freeing the input makes its length 0, its bytes are gone. */
    if (off == k->input_off) k->input_len = 0;
    /* Free blocks at the end give their space back to the bump pointer. */
    while (k->nblocks && !k->blocks[k->nblocks - 1].live) {
        k->nblocks--;
        k->nfree--;
    }
    k->top = k->nblocks ? k->blocks[k->nblocks - 1].off + k->blocks[k->nblocks - 1].cap
                        : KERNEL_FIRST;
    if (k->hint >= k->nblocks) k->hint = 0;
}

/* ---- Vars --------------------------------------------------------------- */

struct ext_var {
    ext_var *next;
    uint64_t hash;
    size_t klen, vlen;
    uint8_t data[];      /* key, then value */
};

static uint64_t hash_bytes(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;          /* FNV-1a */
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

static ext_var **slot(const ext_vars *v, const uint8_t *key, size_t klen, uint64_t h)
{
    if (!v->nbuckets) return NULL;
    ext_var **s = &v->buckets[h % v->nbuckets];
    while (*s && !((*s)->hash == h && (*s)->klen == klen && memcmp((*s)->data, key, klen) == 0))
        s = &(*s)->next;
    return s;
}

void ext_vars_free(ext_vars *v)
{
    for (size_t i = 0; i < v->nbuckets; i++) {
        for (ext_var *e = v->buckets[i], *next; e; e = next) {
            next = e->next;
            free(e);
        }
    }
    free(v->buckets);
    memset(v, 0, sizeof *v);
}

const uint8_t *ext_vars_get(const ext_vars *v, const uint8_t *key, size_t klen, size_t *vlen)
{
    ext_var **s = slot(v, key, klen, hash_bytes(key, klen));
    if (!s || !*s) return NULL;
    *vlen = (*s)->vlen;
    return (*s)->data + klen;
}

uint64_t ext_vars_size_after(const ext_vars *v, const uint8_t *key, size_t klen, size_t vlen)
{
    uint64_t total = v->bytes + klen + vlen;
    ext_var **s = slot(v, key, klen, hash_bytes(key, klen));
    if (s && *s) total -= (*s)->klen + (*s)->vlen;
    return total;
}

static bool grow_buckets(ext_vars *v)
{
    size_t n = v->nbuckets ? v->nbuckets * 2 : 16;
    ext_var **b = calloc(n, sizeof *b);
    if (!b) return false;
    for (size_t i = 0; i < v->nbuckets; i++) {
        for (ext_var *e = v->buckets[i], *next; e; e = next) {
            next = e->next;
            e->next = b[e->hash % n];
            b[e->hash % n] = e;
        }
    }
    free(v->buckets);
    v->buckets = b;
    v->nbuckets = n;
    return true;
}

bool ext_vars_set(ext_vars *v, const uint8_t *key, size_t klen, const uint8_t *val, size_t vlen)
{
    if (v->count >= v->nbuckets && !grow_buckets(v)) return false;
    uint64_t h = hash_bytes(key, klen);
    ext_var *e = malloc(sizeof *e + klen + vlen);
    if (!e) return false;
    e->hash = h;
    e->klen = klen;
    e->vlen = vlen;
    if (klen) memcpy(e->data, key, klen);
    if (vlen) memcpy(e->data + klen, val, vlen);
    ext_var **s = slot(v, key, klen, h);
    if (*s) {
        ext_var *old = *s;
        e->next = old->next;
        v->bytes -= old->klen + old->vlen;
        free(old);
    } else {
        e->next = NULL;
        v->count++;
    }
    *s = e;
    v->bytes += klen + vlen;
    return true;
}

void ext_vars_remove(ext_vars *v, const uint8_t *key, size_t klen)
{
    ext_var **s = slot(v, key, klen, hash_bytes(key, klen));
    if (!s || !*s) return;
    ext_var *old = *s;
    *s = old->next;
    v->bytes -= old->klen + old->vlen;
    v->count--;
    free(old);
}
