/*
 * strscan.c - string scanning over generated text.
 *
 * Each of `scale` rounds generates 64 KiB of text (words of one to four
 * syllables, spaces, commas, full stops and line breaks, from a different
 * seed per round) and then scans it three ways:
 *   1. counts lines, words and the longest word (a byte-class state machine);
 *   2. counts the occurrences of four patterns by naive substring search;
 *   3. hashes every word (FNV-1a) into a 256-bucket histogram.
 * Everything counted is folded into the checksum.  Exercises byte loads,
 * short compare loops and branches on characters.
 */
#include <string.h>

#include "workload.h"

#define TEXT_BYTES 65536u

static char text[TEXT_BYTES];
static uint32_t histogram[256];

static const char *const syllables[16] = {
    "ka", "lo", "mi", "ne", "ru", "sa", "to", "vi",
    "an", "el", "or", "un", "ba", "de", "fi", "go",
};

static const char *const patterns[4] = { "kalo", "mine", "orun", "sa to" };

/* Fills text[] and returns its length (< TEXT_BYTES). */
static uint32_t generate(uint32_t seed)
{
    uint32_t len = 0, words_on_line = 0;

    while (len + 16 < TEXT_BYTES) {
        uint32_t r = wl_rand(&seed);
        uint32_t nsyl = 1 + (r & 3);
        for (uint32_t s = 0; s < nsyl; s++) {
            const char *syl = syllables[(r >> (2 + 4 * s)) & 15];
            text[len++] = syl[0];
            text[len++] = syl[1];
        }
        uint32_t sep = (r >> 24) & 31;
        if (sep == 0)
            text[len++] = '.';
        else if (sep < 3)
            text[len++] = ',';
        if (++words_on_line == 12 || sep == 0) {
            text[len++] = '\n';
            words_on_line = 0;
        } else {
            text[len++] = ' ';
        }
    }
    return len;
}

static inline int is_letter(char ch)
{
    return ch >= 'a' && ch <= 'z';
}

static uint64_t count_words(uint32_t len)
{
    uint32_t lines = 0, words = 0, longest = 0, current = 0;

    for (uint32_t i = 0; i < len; i++) {
        char ch = text[i];
        if (is_letter(ch)) {
            if (current == 0)
                words++;
            current++;
            continue;
        }
        if (current > longest)
            longest = current;
        current = 0;
        if (ch == '\n')
            lines++;
    }
    return (uint64_t)lines << 40 ^ (uint64_t)words << 8 ^ longest;
}

static uint32_t count_matches(uint32_t len, const char *pattern)
{
    uint32_t plen = (uint32_t)strlen(pattern), matches = 0;

    for (uint32_t i = 0; i + plen <= len; i++) {
        uint32_t k = 0;
        while (k < plen && text[i + k] == pattern[k])
            k++;
        matches += k == plen;
    }
    return matches;
}

static uint64_t hash_words(uint32_t len)
{
    uint64_t h = 0;
    uint32_t i = 0;

    memset(histogram, 0, sizeof histogram);
    while (i < len) {
        if (!is_letter(text[i])) {
            i++;
            continue;
        }
        uint32_t fnv = 2166136261u;
        while (i < len && is_letter(text[i]))
            fnv = (fnv ^ (uint8_t)text[i++]) * 16777619u;
        histogram[fnv & 255]++;
    }
    for (uint32_t b = 0; b < 256; b++)
        h = wl_mix(h, histogram[b]);
    return h;
}

uint64_t bench_run(uint32_t scale)
{
    uint64_t h = 0;

    for (uint32_t round = 0; round < scale; round++) {
        uint32_t len = generate(wl_seed(round));
        h = wl_mix(h, count_words(len));
        for (uint32_t p = 0; p < 4; p++)
            h = wl_mix(h, count_matches(len, patterns[p]));
        h = wl_mix(h, hash_words(len));
    }
    return h;
}
