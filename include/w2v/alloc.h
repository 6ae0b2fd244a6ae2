/* alloc.h — allocation helpers on top of jemalloc.
 *
 * Embedding rows are padded to whole cache lines and every matrix starts on a
 * cache-line boundary, so a row never straddles two lines more than it must and
 * two threads never false-share the tail of one row with the head of the next.
 * All helpers abort with a clear message on out-of-memory: there is no useful
 * recovery from a failed multi-GB allocation in a trainer. */
#ifndef W2V_ALLOC_H
#define W2V_ALLOC_H

#include <stddef.h>
#include <stdint.h>

#define W2V_CACHE_LINE 64

/* Floats per row so that a row of `dim` floats fills whole cache lines. */
size_t w2v_row_stride(uint32_t dim);

/* Transparent huge pages on x86-64 Linux: 2 MiB. */
#define W2V_HUGE_PAGE ((size_t)2 << 20)

/* Cache-line-aligned, zero-filled allocation of `bytes` (rounded up). From
 * W2V_HUGE_PAGE bytes up it is aligned to a huge page and advised to use them
 * (alloc.c says why). Free with w2v_free. */
void *w2v_alloc_aligned(size_t bytes);

/* As w2v_alloc_aligned, but not written: its contents are undefined, and the
 * threads that first write its pages choose where they live (on a NUMA node,
 * Linux places a page beside the CPU that first touches it). */
void *w2v_alloc_aligned_untouched(size_t bytes);

/* malloc/calloc/realloc that abort on failure. */
void *w2v_xmalloc(size_t bytes);
void *w2v_xcalloc(size_t count, size_t size);
void *w2v_xrealloc(void *ptr, size_t bytes);
char *w2v_xstrndup(const char *s, size_t n);
void w2v_free(void *ptr);

/* The jemalloc version string this binary runs on ("unknown" if not jemalloc). */
const char *w2v_allocator_version(void);

#endif
