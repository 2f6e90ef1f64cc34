/*
 * hugepages.h - advice that a large buffer be backed by 2 MiB pages.
 *
 * A post-render moves each megabyte of manifests through several fresh
 * buffers (stdin, the input message, kernel memory, the plugin's memory,
 * the output); on 4 KiB pages each megabyte costs 256 page faults per
 * buffer, measured at about a third of the whole run.  With the advice
 * the kernel (transparent huge pages in "madvise" mode, Debian's default)
 * faults and zeroes 2 MiB at a time.  Advice only: where the kernel
 * declines, nothing changes.
 */
#ifndef HELM_HUGEPAGES_H
#define HELM_HUGEPAGES_H

#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

/* Advises the whole pages inside [p, p + len) when len is at least a
   huge page; a smaller buffer could not use one. */
static inline void helm_hugepages(void *p, size_t len)
{
#ifdef MADV_HUGEPAGE
    if (!p || len < ((size_t)2 << 20)) return;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t from = ((uintptr_t)p + page - 1) & ~(page - 1);
    uintptr_t to = ((uintptr_t)p + len) & ~(page - 1);
    if (to > from) madvise((void *)from, to - from, MADV_HUGEPAGE);
#else
    (void)p, (void)len;
#endif
}

#endif
