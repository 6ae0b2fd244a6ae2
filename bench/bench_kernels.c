/* bench_kernels.c — see bench_kernels.h. */
#include "bench_kernels.h"

#include "w2v/alloc.h"
#include "w2v/error.h"
#include "w2v/kernels.h"
#include "w2v/timer.h"

#include <string.h>

enum { MAX_ROWS = 128, MAX_DIM = 10000 };

/* One kernel call on the block, flops it does (0: logistic_block, counted in units). */
struct block {
    const struct w2v_kernels *k;
    uint32_t dim, m, n;
    float *inputs[MAX_ROWS], *outputs[MAX_ROWS], *updates[MAX_ROWS];
    float *scores, *gradients, *labels, *update_scratch;
};

enum kernel { DOT, COMBINE_UPDATES, COMBINE_OUTPUTS, UPDATE, LOGISTIC, KERNELS };
static const char *const kernel_names[KERNELS] = {
    "dot_block      S = H U^T",          "combine_rows   E += G U",
    "combine_rows   U += G^T H",         "update_block   H += G U, U += G^T H",
    "logistic_block G = lr(Y - sig(S))",
};

static void call(struct block *b, enum kernel kernel) {
    const struct w2v_kernels *k = b->k;
    switch (kernel) {
    case DOT:
        k->dot_block((const float *const *)b->inputs, b->m, (const float *const *)b->outputs, b->n,
                     b->dim, b->scores);
        break;
    case COMBINE_UPDATES:
        k->combine_rows(b->updates, b->m, (const float *const *)b->outputs, b->n, b->gradients,
                        b->n, 1, b->dim);
        break;
    case COMBINE_OUTPUTS:
        k->combine_rows(b->outputs, b->n, (const float *const *)b->inputs, b->m, b->gradients, 1,
                        b->n, b->dim);
        break;
    case UPDATE:
        k->update_block(b->inputs, b->m, b->outputs, b->n, b->gradients, b->dim, b->update_scratch);
        break;
    default:
        k->logistic_block(b->scores, b->labels, b->m, b->n, 0.025f, b->gradients);
        break;
    }
}

/* Seconds per call: calibrated to about `seconds` a timing, best of three. */
static double seconds_per_call(struct block *b, enum kernel kernel, double seconds) {
    uint64_t calls = 64;
    for (;;) {
        double start = w2v_now();
        for (uint64_t c = 0; c < calls; c++) call(b, kernel);
        double took = w2v_now() - start;
        if (took >= seconds / 8 || calls > ((uint64_t)1 << 36)) {
            calls = (uint64_t)((double)calls * seconds / (took > 0 ? took : 1e-9)) + 1;
            break;
        }
        calls *= 4;
    }
    double best = 0;
    for (int attempt = 0; attempt < 3; attempt++) {
        double start = w2v_now();
        for (uint64_t c = 0; c < calls; c++) call(b, kernel);
        double per_call = (w2v_now() - start) / (double)calls;
        if (attempt == 0 || per_call < best) best = per_call;
    }
    return best;
}

/* Small values, and gradients so small that a million calls leave the rows far
 * from overflow or subnormals. */
static void fill(float *x, size_t count, unsigned seed, float scale) {
    for (size_t i = 0; i < count; i++) {
        seed = seed * 1664525u + 1013904223u;
        x[i] = scale * (float)((double)(seed >> 8) / 16777216.0 - 0.5);
    }
}

int w2v_bench_kernels(FILE *out, const struct w2v_bench_peak *peak, const uint32_t *dims,
                      size_t dim_count, uint32_t window, uint32_t negative, double seconds) {
    const uint32_t n = negative + 1;
    const uint32_t ms[2] = {window, 2 * window};
    if (2 * window > MAX_ROWS || n > MAX_ROWS)
        return w2v_error("--kernels: window and negative must be at most %d", MAX_ROWS / 2);
    uint32_t widest = 0;
    for (size_t d = 0; d < dim_count; d++) widest = dims[d] > widest ? dims[d] : widest;
    if (widest == 0 || widest > MAX_DIM) return w2v_error("--kernels: dims from 1 to %d", MAX_DIM);
    const size_t stride = (widest + 15u) & ~(size_t)15; /* 64-byte rows */
    float *rows = w2v_alloc_aligned(3 * MAX_ROWS * stride * sizeof(float));
    float *scratch = w2v_alloc_aligned(3 * MAX_ROWS * MAX_ROWS * sizeof(float));
    fprintf(out,
            "kernels in cache, one thread: M inputs x N = negative + 1 = %u outputs "
            "(peak: %.1f GFLOP/s a core, %s)\n",
            n, peak->single_core, peak->isa);
    fprintf(out, "%-7s %-35s %5s %4s %4s %9s %6s\n", "isa", "kernel", "dim", "M", "N", "GFLOP/s",
            "peak%");
    struct block b = {.n = n,
                      .scores = scratch,
                      .gradients = scratch + MAX_ROWS * MAX_ROWS,
                      .labels = scratch + 2 * MAX_ROWS * MAX_ROWS,
                      .update_scratch =
                          w2v_alloc_aligned(MAX_ROWS * W2V_KERNELS_UPDATE_LANES * sizeof(float))};
    for (uint32_t r = 0; r < MAX_ROWS; r++) {
        b.inputs[r] = rows + r * stride;
        b.outputs[r] = rows + (MAX_ROWS + r) * stride;
        b.updates[r] = rows + (2 * MAX_ROWS + r) * stride;
    }
    const char *isas[] = {"scalar", "avx2", "avx512"};
    for (size_t i = 0; i < 3; i++) {
        const struct w2v_kernels *k = w2v_kernels_for(isas[i]);
        if (!k) continue;
        for (size_t d = 0; d < dim_count; d++)
            for (size_t mi = 0; mi < 2; mi++) {
                b.k = k, b.dim = dims[d], b.m = ms[mi];
                fill(rows, 3 * MAX_ROWS * stride, 1, 0.2f);
                fill(b.scores, (size_t)b.m * n, 2, 16.0f);
                fill(b.gradients, (size_t)b.m * n, 3, 1e-7f);
                for (uint32_t j = 0; j < n; j++) b.labels[j] = j == 0 ? 1.0f : 0.0f;
                for (int kernel = 0; kernel < KERNELS; kernel++) {
                    if (kernel == LOGISTIC && d > 0) continue; /* the same at every dim */
                    const double per_call = seconds_per_call(&b, (enum kernel)kernel, seconds);
                    if (kernel == LOGISTIC) {
                        fprintf(out, "%-7s %-35s %5s %4u %4u %9s %6s  %.2f ns a unit\n",
                                k->isa_name, kernel_names[kernel], "-", b.m, n, "-", "-",
                                per_call * 1e9 / ((double)b.m * n));
                        continue;
                    }
                    const double products = kernel == UPDATE ? 2.0 : 1.0; /* G·U and Gᵀ·H */
                    const double gflops = products * 2.0 * b.m * n * b.dim / per_call * 1e-9;
                    fprintf(out, "%-7s %-35s %5u %4u %4u %9.2f %6.1f\n", k->isa_name,
                            kernel_names[kernel], b.dim, b.m, n, gflops,
                            peak->single_core > 0 ? 100.0 * gflops / peak->single_core : 0.0);
                }
            }
    }
    w2v_free(rows);
    w2v_free(scratch);
    w2v_free(b.update_scratch);
    return 0;
}
