/* bench_plot.h — the thread-scaling chart of a benchmark, drawn with Cairo:
 * words/s (top panel) and parallel efficiency (bottom panel) against threads,
 * one line per configuration (model, loss, dim). */
#ifndef W2V_BENCH_PLOT_H
#define W2V_BENCH_PLOT_H

#include "bench_report.h"

/* Writes the PNG to `path` atomically; -1 with a w2v_error message on failure. */
int w2v_bench_plot(const char *path, const struct w2v_bench_context *context,
                   const struct w2v_bench_run *runs, size_t count);

#endif
