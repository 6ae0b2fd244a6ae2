/* loss_softmax.c — the exact softmax over the whole vocabulary (for V up to ~100k).
 *
 * For inputs h_1..h_M all predicting the target o, over all V output rows u_v:
 *
 *     s_mv = u_v·h_m                                   scores
 *     Z_m  = log Σ_v exp(s_mv)                         computed max-subtracted: never overflows
 *     ŷ_mv = exp(s_mv − Z_m)
 *     J    = Σ_m −log ŷ_mo = Σ_m (Z_m − s_mo)
 *
 *     ∂J/∂s_mv = ŷ_mv − y_v                            (y one-hot at o)
 *     ∂J/∂h_m  = Σ_v (ŷ_mv − y_v) u_v = U(ŷ_m − y)
 *     ∂J/∂u_v  = Σ_m (ŷ_mv − y_v) h_m                  (∂J/∂U = Σ_m h_m (ŷ_m − y)ᵀ)
 *
 * With g_mv = lr·(y_v − ŷ_mv) the SGD step is
 *     updates_m += Σ_v g_mv u_v,   then   u_v += Σ_m g_mv h_m,
 * the first taken from U before the second changes it.
 *
 * No vocabulary-sized buffer at all: the rows are visited in blocks of
 * SOFTMAX_BLOCK twice. The first pass keeps, per input, a running maximum and
 * a running Σ exp(s − max) rescaled whenever the maximum grows (the online
 * log-sum-exp), which gives Z_m. The second pass recomputes each block's
 * scores, turns them into g, feeds the input updates from the block's rows and
 * only then moves those rows — later blocks have not moved yet, so every input
 * sees the same U and the step is the exact gradient of the window's J. The M
 * inputs of a skip-gram window share both passes, so U streams from memory
 * twice per window rather than per input. The price is computing the scores
 * twice. */
#include "w2v/loss.h"

#include <math.h>

enum { SOFTMAX_BLOCK = 64 }; /* output rows per kernel call: 64 × 100 dims = 25 KB */

/* Points rows[0..count) at output rows first..first+count−1 and scores them. */
static uint32_t score_block(struct w2v_loss_worker *worker, const float *const *inputs,
                            uint32_t n_inputs, uint32_t first) {
    const struct w2v_model *model = worker->model;
    uint32_t count =
        model->output_rows - first < SOFTMAX_BLOCK ? model->output_rows - first : SOFTMAX_BLOCK;
    for (uint32_t j = 0; j < count; j++)
        worker->output_rows[j] = w2v_model_output_row(model, first + j);
    worker->kernels->dot_block(inputs, n_inputs, (const float *const *)worker->output_rows, count,
                               model->dim, worker->scores); /* n_inputs × count */
    return count;
}

static double softmax_step(struct w2v_loss_worker *worker, const float *const *inputs,
                           uint32_t n_inputs, uint32_t target, float lr, enum w2v_update update,
                           float *const *updates) {
    const struct w2v_kernels *k = worker->kernels;
    const uint32_t V = worker->model->output_rows, dim = worker->model->dim;
    /* Per input (at most worker->max_inputs): the running max, Σ_v exp(s_mv − max_m), s_mo. */
    double *max = worker->per_input, *sum = max + worker->max_inputs;
    double *target_score = sum + worker->max_inputs;
    for (uint32_t m = 0; m < n_inputs; m++) max[m] = -INFINITY, sum[m] = 0;

    /* Pass 1: Z_m = max_m + log sum_m, online over the blocks. */
    for (uint32_t first = 0; first < V; first += SOFTMAX_BLOCK) {
        uint32_t count = score_block(worker, inputs, n_inputs, first);
        for (uint32_t m = 0; m < n_inputs; m++) {
            const float *s = worker->scores + (size_t)m * count;
            float block_max = s[0];
            for (uint32_t j = 1; j < count; j++) block_max = s[j] > block_max ? s[j] : block_max;
            if (block_max > max[m]) {
                sum[m] *= exp(max[m] - (double)block_max); /* 0 on the first block */
                max[m] = block_max;
            }
            float block_sum = 0;
            const float block_max_m = (float)max[m];
            for (uint32_t j = 0; j < count; j++) block_sum += expf(s[j] - block_max_m);
            sum[m] += block_sum;
            if (target >= first && target < first + count) target_score[m] = s[target - first];
        }
    }
    double loss = 0;
    for (uint32_t m = 0; m < n_inputs; m++)
        loss += max[m] + log(sum[m]) - target_score[m]; /* Z_m − s_mo */
    worker->flops += 2ull * dim * n_inputs * V;
    if (update == W2V_EVALUATE) return loss;

    /* Pass 2, per block: g_mv = lr·(y_v − ŷ_mv);
     *                    updates_m += Σ_v g_mv u_v,  then  u_v += Σ_m g_mv h_m. */
    for (uint32_t first = 0; first < V; first += SOFTMAX_BLOCK) {
        uint32_t count = score_block(worker, inputs, n_inputs, first);
        float *g = worker->gradients; /* n_inputs × count */
        for (uint32_t m = 0; m < n_inputs; m++) {
            const float *s = worker->scores + (size_t)m * count;
            float *g_m = g + (size_t)m * count;
            const float minus_lr_over_sum = (float)(-lr / sum[m]), max_m = (float)max[m];
            for (uint32_t j = 0; j < count; j++) g_m[j] = minus_lr_over_sum * expf(s[j] - max_m);
            if (target >= first && target < first + count) g_m[target - first] += lr;
        }
        k->combine_rows(updates, n_inputs, (const float *const *)worker->output_rows, count, g,
                        count, 1, dim);
        k->combine_rows(worker->output_rows, count, inputs, n_inputs, g, 1, count, dim);
    }
    worker->flops += 6ull * dim * n_inputs * V; /* pass 2: scores again, then two combines */
    return loss;
}

static uint32_t softmax_output_rows(uint32_t vocab_size) {
    return vocab_size;
}

static uint32_t softmax_max_outputs(const struct w2v_loss_worker *worker) {
    (void)worker;
    return SOFTMAX_BLOCK; /* scores and row pointers: one block at a time */
}

const struct w2v_loss_ops w2v_loss_softmax = {
    .name = "softmax",
    .output_rows = softmax_output_rows,
    .max_outputs = softmax_max_outputs,
    .step = softmax_step,
};
