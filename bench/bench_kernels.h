/* bench_kernels.h — the training kernels alone, in cache (`w2v-bench --kernels`).
 *
 * Each ISA's dot_block, combine_rows (both layouts) and logistic_block run on
 * one thread, again and again on the same rows, at a skip-gram window step's
 * shapes: M inputs (a full window, 2·window, and half of it) against
 * N = negative + 1 outputs, at each --dims. The rows stay in L1, so this is
 * what the arithmetic alone reaches; the gap to a training run's GFLOP/s is
 * what memory, sampling and the rest cost. */
#ifndef W2V_BENCH_KERNELS_H
#define W2V_BENCH_KERNELS_H

#include "bench_peak.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Prints one line per (ISA, kernel, dim, M) to out, GFLOP/s and the fraction of
 * the one-core peak (logistic_block: nanoseconds per unit instead). Each figure
 * is the best of three timings of about `seconds`. Returns 0, or -1 with
 * w2v_error set (a shape beyond its limits). */
int w2v_bench_kernels(FILE *out, const struct w2v_bench_peak *peak, const uint32_t *dims,
                      size_t dim_count, uint32_t window, uint32_t negative, double seconds);

#endif
