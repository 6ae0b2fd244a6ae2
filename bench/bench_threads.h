/* bench_threads.h — the --threads list of the benchmark harness ("1,2,4", "1-16", "1-4,8"). */
#ifndef W2V_BENCH_THREADS_H
#define W2V_BENCH_THREADS_H

#include <stddef.h>
#include <stdint.h>

#define W2V_BENCH_MAX_THREADS 4096u

/* Parses comma-separated thread counts and inclusive ranges A-B (A <= B), each
 * from 1 to W2V_BENCH_MAX_THREADS, into a sorted list without repeats
 * (*counts, freed with free()). Returns -1 with a w2v_error message naming the
 * bad item on an empty list, an empty item, a zero, a reversed range or junk. */
int w2v_bench_parse_threads(const char *text, uint32_t **counts, size_t *count);

/* 1, 2, ..., max: the default list. */
int w2v_bench_threads_up_to(uint32_t max, uint32_t **counts, size_t *count);

#endif
