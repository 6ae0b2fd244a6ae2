/* alloc.c — aborting, cache-line-aligned allocation through jemalloc. */
#include "w2v/alloc.h"

#include <jemalloc/jemalloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(size_t bytes) {
    fprintf(stderr, "w2v: out of memory allocating %zu bytes\n", bytes);
    exit(1);
}

size_t w2v_row_stride(uint32_t dim) {
    const size_t floats_per_line = W2V_CACHE_LINE / sizeof(float);
    return ((size_t)dim + floats_per_line - 1) / floats_per_line * floats_per_line;
}

void *w2v_alloc_aligned(size_t bytes) {
    size_t rounded = (bytes + W2V_CACHE_LINE - 1) / W2V_CACHE_LINE * W2V_CACHE_LINE;
    if (rounded == 0) rounded = W2V_CACHE_LINE;
    void *ptr = aligned_alloc(W2V_CACHE_LINE, rounded);
    if (!ptr) out_of_memory(rounded);
    memset(ptr, 0, rounded);
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
