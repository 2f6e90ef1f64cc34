/*
 * wc.c - a small real program, built both natively and for wasm32-wasi;
 * run.sh runs both on the same files and compares the outputs byte for
 * byte.
 *
 * usage: wc [-l] [-w] [-c] [-t N] [FILE...]
 *
 * Counts lines, words (runs of non-space bytes) and bytes of each FILE
 * ("-" or none: stdin), with a total line when there are several; -l, -w
 * and -c pick counts (default all three).  -t N then prints the N most
 * frequent words of all input, most frequent first, ties in byte order.
 * A file that cannot be read is reported on stderr ("wc: NAME: reason"),
 * the others are still counted, and the exit status is 1.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct counts {
    uint64_t lines, words, bytes;
} counts;

typedef struct word {
    char *text;
    uint64_t n;
} word;

/* Word frequencies: an open-addressing hash table that doubles. */
typedef struct table {
    word *slots;
    size_t cap, used;
} table;

static bool show_lines, show_words, show_bytes;
static long top_n = -1;
static table freq;

static uint64_t hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

static void oom(void)
{
    fprintf(stderr, "wc: out of memory\n");
    exit(2);
}

static void table_grow(table *t)
{
    size_t cap = t->cap ? t->cap * 2 : 1024;
    word *slots = calloc(cap, sizeof *slots);
    if (!slots) oom();
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->slots[i].text) continue;
        size_t j = hash(t->slots[i].text, strlen(t->slots[i].text)) & (cap - 1);
        while (slots[j].text) j = (j + 1) & (cap - 1);
        slots[j] = t->slots[i];
    }
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
}

static void table_add(table *t, const char *s, size_t len)
{
    if (2 * (t->used + 1) > t->cap) table_grow(t);
    size_t j = hash(s, len) & (t->cap - 1);
    while (t->slots[j].text) {
        if (strlen(t->slots[j].text) == len && memcmp(t->slots[j].text, s, len) == 0) {
            t->slots[j].n++;
            return;
        }
        j = (j + 1) & (t->cap - 1);
    }
    char *copy = malloc(len + 1);
    if (!copy) oom();
    memcpy(copy, s, len);
    copy[len] = 0;
    t->slots[j].text = copy;
    t->slots[j].n = 1;
    t->used++;
}

static int by_count(const void *pa, const void *pb)
{
    const word *a = pa, *b = pb;
    if (a->n != b->n) return a->n > b->n ? -1 : 1;
    return strcmp(a->text, b->text);
}

/* Counts one stream; words longer than the buffer are cut for -t only. */
static void count(FILE *in, counts *c)
{
    char wordbuf[256];
    size_t wlen = 0;
    bool in_word = false;
    int ch;
    while ((ch = getc(in)) != EOF) {
        c->bytes++;
        if (ch == '\n') c->lines++;
        if (isspace(ch)) {
            if (in_word && top_n >= 0) table_add(&freq, wordbuf, wlen);
            in_word = false;
            wlen = 0;
            continue;
        }
        if (!in_word) c->words++;
        in_word = true;
        if (wlen < sizeof wordbuf) wordbuf[wlen++] = (char)ch;
    }
    if (in_word && top_n >= 0) table_add(&freq, wordbuf, wlen);
}

static void print_counts(const counts *c, const char *name)
{
    if (show_lines) printf(" %8llu", (unsigned long long)c->lines);
    if (show_words) printf(" %8llu", (unsigned long long)c->words);
    if (show_bytes) printf(" %8llu", (unsigned long long)c->bytes);
    printf("%s%s\n", name ? " " : "", name ? name : "");
}

static void print_top(void)
{
    word *all = malloc((freq.used + 1) * sizeof *all);
    if (!all) oom();
    size_t n = 0;
    for (size_t i = 0; i < freq.cap; i++)
        if (freq.slots[i].text) all[n++] = freq.slots[i];
    qsort(all, n, sizeof *all, by_count);
    for (size_t i = 0; i < n && (long)i < top_n; i++)
        printf("%8llu %s\n", (unsigned long long)all[i].n, all[i].text);
    free(all);
}

int main(int argc, char **argv)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strcmp(argv[i], "-l") == 0) show_lines = true;
        else if (strcmp(argv[i], "-w") == 0) show_words = true;
        else if (strcmp(argv[i], "-c") == 0) show_bytes = true;
        else if (strcmp(argv[i], "-t") == 0 && i + 1 < argc) top_n = atol(argv[++i]);
        else {
            fprintf(stderr, "usage: wc [-l] [-w] [-c] [-t N] [FILE...]\n");
            return 2;
        }
    }
    if (!show_lines && !show_words && !show_bytes) show_lines = show_words = show_bytes = true;

    int status = 0, nfiles = argc - i;
    counts total = {0, 0, 0};
    if (nfiles == 0) {
        counts c = {0, 0, 0};
        count(stdin, &c);
        print_counts(&c, NULL);
    }
    for (; i < argc; i++) {
        const char *name = argv[i];
        bool use_stdin = strcmp(name, "-") == 0;
        FILE *f = use_stdin ? stdin : fopen(name, "rb");
        if (!f) {
            fprintf(stderr, "wc: %s: %s\n", name, strerror(errno));
            status = 1;
            continue;
        }
        counts c = {0, 0, 0};
        count(f, &c);
        if (ferror(f)) {
            fprintf(stderr, "wc: %s: read error\n", name);
            status = 1;
        }
        if (!use_stdin) fclose(f);
        print_counts(&c, name);
        total.lines += c.lines;
        total.words += c.words;
        total.bytes += c.bytes;
    }
    if (nfiles > 1) print_counts(&total, "total");
    if (top_n >= 0) print_top();
    return status;
}
