/*
 * sha256.c - SHA-256 (FIPS 180-4) over a generated 16 KiB message.
 *
 * Written here from the standard: the message schedule (6.2.2 step 1), the
 * 64 compression rounds (step 3) and the padding (5.1.1).  Each of `scale`
 * rounds hashes the message, then writes the digest over the message's
 * first 32 bytes, so every round depends on the one before; the checksum
 * is built from the final digest.  Exercises 32-bit rotates, xor/and/add
 * chains and big-endian byte loads.
 */
#include <string.h>

#include "workload.h"

#define MESSAGE_BYTES 16384u

typedef struct sha256_ctx {
    uint32_t state[8];
    uint8_t block[64];
    uint32_t used;      /* bytes waiting in block */
    uint64_t length;    /* message bytes so far */
} sha256_ctx;

/* First 32 bits of the fractional parts of the cube roots of the first
   64 primes (4.2.2). */
static const uint32_t round_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t rotr(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32 - n));
}

static inline uint32_t load_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void sha256_init(sha256_ctx *ctx)
{
    /* Fractional parts of the square roots of the first 8 primes (5.3.3). */
    static const uint32_t initial[8] = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
        0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    };
    memcpy(ctx->state, initial, sizeof initial);
    ctx->used = 0;
    ctx->length = 0;
}

/* One 512-bit block into the state (6.2.2). */
static void sha256_compress(uint32_t state[8], const uint8_t block[64])
{
    uint32_t w[64];
    for (unsigned t = 0; t < 16; t++)
        w[t] = load_be32(block + 4 * t);
    for (unsigned t = 16; t < 64; t++) {
        uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
        uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
        w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }

    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (unsigned t = 0; t < 64; t++) {
        uint32_t sum1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
        uint32_t choose = (e & f) ^ (~e & g);
        uint32_t t1 = h + sum1 + choose + round_k[t] + w[t];
        uint32_t sum0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
        uint32_t majority = (a & b) ^ (a & c) ^ (b & c);
        uint32_t t2 = sum0 + majority;
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    state[0] += a; state[1] += b; state[2] += c; state[3] += d;
    state[4] += e; state[5] += f; state[6] += g; state[7] += h;
}

static void sha256_update(sha256_ctx *ctx, const uint8_t *data, uint32_t len)
{
    ctx->length += len;
    while (len > 0) {
        if (ctx->used == 0 && len >= 64) {
            sha256_compress(ctx->state, data);
            data += 64;
            len -= 64;
            continue;
        }
        uint32_t take = 64 - ctx->used;
        if (take > len)
            take = len;
        memcpy(ctx->block + ctx->used, data, take);
        ctx->used += take;
        data += take;
        len -= take;
        if (ctx->used == 64) {
            sha256_compress(ctx->state, ctx->block);
            ctx->used = 0;
        }
    }
}

/* Padding (5.1.1): a 1 bit, zeros, then the bit length, big-endian. */
static void sha256_final(sha256_ctx *ctx, uint8_t digest[32])
{
    uint64_t bits = ctx->length * 8;
    uint8_t pad[72] = { 0x80 };
    uint32_t padlen = (ctx->used < 56 ? 56 : 120) - ctx->used;
    for (unsigned i = 0; i < 8; i++)
        pad[padlen + i] = (uint8_t)(bits >> (56 - 8 * i));
    sha256_update(ctx, pad, padlen + 8);
    for (unsigned i = 0; i < 8; i++) {
        digest[4 * i] = (uint8_t)(ctx->state[i] >> 24);
        digest[4 * i + 1] = (uint8_t)(ctx->state[i] >> 16);
        digest[4 * i + 2] = (uint8_t)(ctx->state[i] >> 8);
        digest[4 * i + 3] = (uint8_t)ctx->state[i];
    }
}

static uint8_t message[MESSAGE_BYTES];

uint64_t bench_run(uint32_t scale)
{
    uint32_t seed = wl_seed(0x5a);
    uint8_t digest[32] = { 0 };
    sha256_ctx ctx;

    for (uint32_t i = 0; i < MESSAGE_BYTES; i++)
        message[i] = (uint8_t)(wl_rand(&seed) >> 24);
    for (uint32_t round = 0; round < scale; round++) {
        sha256_init(&ctx);
        /* Two updates, the first not a whole number of blocks, so the
           buffered path runs too. */
        sha256_update(&ctx, message, 1000);
        sha256_update(&ctx, message + 1000, MESSAGE_BYTES - 1000);
        sha256_final(&ctx, digest);
        memcpy(message, digest, sizeof digest);
    }

    uint64_t h = 0;
    for (unsigned i = 0; i < 32; i += 8) {
        uint64_t word = 0;
        for (unsigned j = 0; j < 8; j++)
            word = word << 8 | digest[i + j];
        h = wl_mix(h, word);
    }
    return h;
}
