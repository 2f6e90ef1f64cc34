/*
 * sort.c - sorting 32-bit integers: quicksort plus insertion sort.
 *
 * Each of `scale` rounds fills an array of 100,000 pseudo-random integers
 * (a different seed per round) and sorts it with a quicksort that takes
 * the median of three as pivot, recurses into the smaller side only (the
 * stack stays O(log n)) and leaves runs of up to 16 to a final insertion
 * sort.  The checksum folds in a sample of the sorted array and whether
 * it really is sorted.  Exercises unpredictable branches, swaps and
 * indexed loads and stores.
 */
#include "workload.h"

#define COUNT 100000u
#define SMALL 16u

static uint32_t items[COUNT];

static inline void swap(uint32_t *x, uint32_t *y)
{
    uint32_t t = *x;
    *x = *y;
    *y = t;
}

/* Sorts v[lo..hi] (inclusive) down to runs of at most SMALL elements. */
static void quicksort(uint32_t *v, int32_t lo, int32_t hi)
{
    while (hi - lo >= (int32_t)SMALL) {
        int32_t mid = lo + (hi - lo) / 2;
        if (v[mid] < v[lo])
            swap(&v[mid], &v[lo]);
        if (v[hi] < v[lo])
            swap(&v[hi], &v[lo]);
        if (v[hi] < v[mid])
            swap(&v[hi], &v[mid]);
        uint32_t pivot = v[mid];

        /* Hoare partition: afterwards v[lo..j] <= pivot <= v[j+1..hi]. */
        int32_t i = lo - 1, j = hi + 1;
        for (;;) {
            do i++; while (v[i] < pivot);
            do j--; while (v[j] > pivot);
            if (i >= j)
                break;
            swap(&v[i], &v[j]);
        }
        if (j - lo < hi - j) {
            quicksort(v, lo, j);
            lo = j + 1;
        } else {
            quicksort(v, j + 1, hi);
            hi = j;
        }
    }
}

static void insertion_sort(uint32_t *v, uint32_t n)
{
    for (uint32_t i = 1; i < n; i++) {
        uint32_t x = v[i];
        uint32_t j = i;
        while (j > 0 && v[j - 1] > x) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

uint64_t bench_run(uint32_t scale)
{
    uint64_t h = 0;

    for (uint32_t round = 0; round < scale; round++) {
        uint32_t seed = wl_seed(round);
        for (uint32_t i = 0; i < COUNT; i++)
            items[i] = wl_rand(&seed);
        quicksort(items, 0, (int32_t)COUNT - 1);
        insertion_sort(items, COUNT);

        uint32_t unsorted = 0;
        for (uint32_t i = 1; i < COUNT; i++)
            unsorted += items[i - 1] > items[i];
        h = wl_mix(h, unsorted);
        for (uint32_t i = 0; i < COUNT; i += 997)
            h = wl_mix(h, items[i]);
    }
    return h;
}
