/* alloc.c — aborting, cache-line-aligned allocation through jemalloc; big
 * matrices on transparent huge pages. */
#include "w2v/alloc.h"

#include <jemalloc/jemalloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static void out_of_memory(size_t bytes) {
    fprintf(stderr, "w2v: out of memory allocating %zu bytes\n", bytes);
    exit(1);
}

size_t w2v_row_stride(uint32_t dim) {
    const size_t floats_per_line = W2V_CACHE_LINE / sizeof(float);
    return ((size_t)dim + floats_per_line - 1) / floats_per_line * floats_per_line;
}

/* Huge pages for the big matrices. Training reads rows of the embedding
 * matrices at random, so with 4 KiB pages nearly every row of a large matrix
 * is a TLB miss and a page walk (real English's 59k × 100 output matrix is
 * 5,900 pages; a core's second-level TLB holds about 2,000). An allocation of
 * at least W2V_HUGE_PAGE bytes is aligned to W2V_HUGE_PAGE, rounded up to a
 * whole number of them and advised MADV_HUGEPAGE before its first touch (the
 * memset, or the caller's writes), so Linux backs it with transparent huge
 * pages when its policy (/sys/kernel/mm/transparent_hugepage/enabled) is
 * "always" or "madvise"; under "never", or where the advice is unknown, it
 * stays on small pages. */
static size_t aligned_size(size_t bytes, size_t *align) {
    *align = bytes >= W2V_HUGE_PAGE ? W2V_HUGE_PAGE : W2V_CACHE_LINE;
    size_t rounded = (bytes + *align - 1) / *align * *align;
    return rounded ? rounded : W2V_CACHE_LINE;
}

void *w2v_alloc_aligned_untouched(size_t bytes) {
    size_t align;
    const size_t rounded = aligned_size(bytes, &align);
    void *ptr = aligned_alloc(align, rounded);
    if (!ptr) out_of_memory(rounded);
#ifdef MADV_HUGEPAGE
    if (align == W2V_HUGE_PAGE) (void)madvise(ptr, rounded, MADV_HUGEPAGE); /* advice only */
#endif
    return ptr;
}

void *w2v_alloc_aligned(size_t bytes) {
    size_t align;
    void *ptr = w2v_alloc_aligned_untouched(bytes);
    memset(ptr, 0, aligned_size(bytes, &align));
    return ptr;
}

void *w2v_xmalloc(size_t bytes) {
    void *ptr = malloc(bytes ? bytes : 1);
    if (!ptr) out_of_memory(bytes);
    return ptr;
}

void *w2v_xcalloc(size_t count, size_t size) {
    void *ptr = calloc(count ? count : 1, size ? size : 1);
    if (!ptr) out_of_memory(count * size);
    return ptr;
}

void *w2v_xrealloc(void *ptr, size_t bytes) {
    void *grown = realloc(ptr, bytes ? bytes : 1);
    if (!grown) out_of_memory(bytes);
    return grown;
}

char *w2v_xstrndup(const char *s, size_t n) {
    char *copy = w2v_xmalloc(n + 1);
    memcpy(copy, s, n);
    copy[n] = '\0';
    return copy;
}

void w2v_free(void *ptr) {
    free(ptr);
}

const char *w2v_allocator_version(void) {
    const char *version = NULL;
    size_t len = sizeof version;
    if (mallctl("version", &version, &len, NULL, 0) != 0 || !version) return "unknown";
    return version;
}
