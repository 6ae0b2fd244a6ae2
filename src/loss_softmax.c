/* loss_softmax.c — the exact softmax over the whole vocabulary (for V up to ~100k).
 *
 * For inputs h_1..h_M all predicting the target o, over all V output rows u_v:
 *     s_mv = u_v·h_m                                  scores, M×V
 *     ŷ_mv = exp(s_mv − Z_m),  Z_m = log Σ_v exp(s_mv)  (max-subtracted: never overflows)
 *     J    = Σ_m −log ŷ_mo = Σ_m (Z_m − s_mo)
 *     ∂J/∂s_mv = ŷ_mv − y_v                           (y one-hot at o)
 *     ∂J/∂h_m  = Σ_v (ŷ_mv − y_v) u_v = U(ŷ_m − y)
 *     ∂J/∂u_v  = Σ_m (ŷ_mv − y_v) h_m                 (∂J/∂U = Σ_m h_m (ŷ_m − y)ᵀ)
 * With g_mv = lr·(y_v − ŷ_mv) the SGD step is h_m += Σ_v g_mv u_v and
 * u_v += Σ_m g_mv h_m, the first taken from U before the second changes it.
 *
 * The M inputs of a skip-gram window are batched, not looped over: U (V×dim,
 * tens of MB) is then streamed from memory twice per window (scores, then
 * gradient + update) instead of twice per input, and every input sees the same
 * U, so the step is the exact gradient of the window's J (looping would let
 * input 2 see U already moved by input 1). The price is scratch of M×V floats
 * per worker: one vocabulary-sized score buffer per input, nothing more. Rows
 * are visited in blocks of SOFTMAX_BLOCK, each block small enough to stay in
 * cache while the M inputs pass over it; a block's scores are stored together
 * (M × block, row-major) at offset first_row·M, so the buffer holds exactly M×V. */
#include "w2v/loss.h"

#include <math.h>

enum { SOFTMAX_BLOCK = 64 }; /* output rows per kernel call: 64 × 100 dims = 25 KB */

/* Points rows[0..count) at output rows first..first+count−1. */
static uint32_t gather_block(const struct w2v_model *model, uint32_t first, float **rows) {
    uint32_t count =
        model->output_rows - first < SOFTMAX_BLOCK ? model->output_rows - first : SOFTMAX_BLOCK;
    for (uint32_t j = 0; j < count; j++) rows[j] = w2v_model_output_row(model, first + j);
    return count;
}

/* For input m: J_m = Z_m − s_mo, and its scores become g_mv = lr·(y_v − ŷ_mv) in place. */
static double softmax_normalize(struct w2v_loss_worker *worker, uint32_t n_inputs, uint32_t m,
                                uint32_t target, float lr) {
    const uint32_t V = worker->model->output_rows;
    float *scores = worker->scores;
    float max = -INFINITY, target_score = 0;
    for (uint32_t first = 0; first < V; first += SOFTMAX_BLOCK) {
        uint32_t count = V - first < SOFTMAX_BLOCK ? V - first : SOFTMAX_BLOCK;
        const float *s = scores + (size_t)first * n_inputs + (size_t)m * count;
        for (uint32_t j = 0; j < count; j++) max = s[j] > max ? s[j] : max;
        if (target >= first && target < first + count) target_score = s[target - first];
    }
    double sum = 0; /* Σ_v exp(s_mv − max), in [1, V] */
    for (uint32_t first = 0; first < V; first += SOFTMAX_BLOCK) {
        uint32_t count = V - first < SOFTMAX_BLOCK ? V - first : SOFTMAX_BLOCK;
        float *s = scores + (size_t)first * n_inputs + (size_t)m * count;
        for (uint32_t j = 0; j < count; j++) sum += s[j] = expf(s[j] - max);
    }
    const float minus_lr_over_sum = (float)(-lr / sum);
    for (uint32_t first = 0; first < V; first += SOFTMAX_BLOCK) {
        uint32_t count = V - first < SOFTMAX_BLOCK ? V - first : SOFTMAX_BLOCK;
        float *s = scores + (size_t)first * n_inputs + (size_t)m * count;
        for (uint32_t j = 0; j < count; j++) s[j] *= minus_lr_over_sum; /* −lr·ŷ_mv */
        if (target >= first && target < first + count) s[target - first] += lr;
    }
    return (double)max + log(sum) - (double)target_score; /* Z_m − s_mo */
}

static double softmax_step(struct w2v_loss_worker *worker, const float *const *inputs,
                           uint32_t n_inputs, uint32_t target, float lr, float *const *updates) {
    const struct w2v_kernels *k = worker->kernels;
    const struct w2v_model *model = worker->model;
    const uint32_t V = model->output_rows, dim = model->dim;
    float **rows = worker->output_rows;

    /* s_mv = u_v·h_m, block by block. */
    for (uint32_t first = 0; first < V; first += SOFTMAX_BLOCK) {
        uint32_t count = gather_block(model, first, rows);
        k->dot_block(inputs, n_inputs, (const float *const *)rows, count, dim,
                     worker->scores + (size_t)first * n_inputs);
    }
    double loss = 0;
    for (uint32_t m = 0; m < n_inputs; m++)
        loss += softmax_normalize(worker, n_inputs, m, target, lr);

    if (lr != 0.0f) {
        /* Per block: updates_m += Σ_v g_mv u_v, then u_v += Σ_m g_mv h_m. A block's rows
         * feed the input updates before they move, and later blocks have not moved yet. */
        for (uint32_t first = 0; first < V; first += SOFTMAX_BLOCK) {
            uint32_t count = gather_block(model, first, rows);
            const float *g = worker->scores + (size_t)first * n_inputs; /* n_inputs × count */
            k->combine_rows(updates, n_inputs, (const float *const *)rows, count, g, count, 1, dim);
            k->combine_rows(rows, count, inputs, n_inputs, g, 1, count, dim);
        }
    }
    worker->flops += 6ull * dim * n_inputs * V;
    return loss;
}

static uint32_t softmax_output_rows(uint32_t vocab_size) {
    return vocab_size;
}

static uint32_t softmax_max_outputs(const struct w2v_loss_worker *worker) {
    (void)worker;
    return SOFTMAX_BLOCK; /* row pointers: one block at a time */
}

static size_t softmax_score_floats(const struct w2v_loss_worker *worker) {
    return (size_t)worker->max_inputs * worker->model->output_rows;
}

const struct w2v_loss_ops w2v_loss_softmax = {
    .name = "softmax",
    .output_rows = softmax_output_rows,
    .max_outputs = softmax_max_outputs,
    .step = softmax_step,
    .score_floats = softmax_score_floats,
};
