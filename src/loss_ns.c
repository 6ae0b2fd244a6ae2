/* loss_ns.c — negative sampling (Mikolov et al. 2013), window-batched.
 *
 * For inputs h_1..h_M, outputs u_0 (the true word o, label y_0 = 1) and
 * u_1..u_K (negatives drawn from the unigram^0.75 sampler, y_k = 0):
 *
 *     J_m = −log σ(u_o·h_m) − Σ_k log σ(−u_k·h_m)
 *
 *     ∂J_m/∂h_m = −(1 − σ(u_o·h_m)) u_o + Σ_k σ(u_k·h_m) u_k
 *               = Σ_n (σ(s_mn) − y_n) u_n            with s_mn = u_n·h_m
 *     ∂J/∂u_n   = Σ_m (σ(s_mn) − y_n) h_m            (a negative drawn twice: twice)
 *
 * (DESIGN.md writes the negatives' term as (1 − σ(−u_k·v_c)) u_k: the same,
 * since 1 − σ(−x) = σ(x).) All of this is w2v_logistic_block over the rows
 * [o, w_1..w_K] with labels [1, 0..0]; this file only picks the rows (word
 * w's row is output row ns_first_row + w: after hs's rows when both run). */
#include "w2v/loss.h"

double w2v_ns_block(struct w2v_loss_worker *worker, const float *const *inputs, uint32_t n_inputs,
                    const uint32_t *outputs, uint32_t n_outputs, float lr, enum w2v_update update,
                    float *const *updates) {
    for (uint32_t n = 0; n < n_outputs; n++) {
        worker->output_rows[n] =
            w2v_model_output_row(worker->model, worker->ns_first_row + outputs[n]);
        worker->labels[n] = n == 0 ? 1.0f : 0.0f; /* y_0 = 1: the true word; the negatives 0 */
    }
    return w2v_logistic_block(worker, inputs, n_inputs, n_outputs, lr, update, updates);
}

void w2v_ns_draw(struct w2v_loss_worker *worker, uint32_t *into) {
    for (uint32_t d = 0; d < worker->negative; d++) {
        into[d] = w2v_sampler_draw(worker->sampler, w2v_rng_next(worker->rng));
        w2v_model_prefetch_row(worker->model,
                               w2v_model_output_row(worker->model, worker->ns_first_row + into[d]));
    }
}

static double ns_step(struct w2v_loss_worker *worker, const float *const *inputs, uint32_t n_inputs,
                      uint32_t target, float lr, enum w2v_update update, float *const *updates) {
    uint32_t *outputs = worker->output_ids;
    uint32_t n_outputs = 0;
    outputs[n_outputs++] = target;
    if (worker->n_ahead == 0) w2v_ns_draw(worker, worker->ahead);
    for (uint32_t d = 0; d < worker->negative; d++)
        if (worker->ahead[d] != target) outputs[n_outputs++] = worker->ahead[d]; /* skip o */
    worker->n_ahead = 0;
    if (worker->draw_ahead) { /* the next window's, fetched while this one computes */
        w2v_ns_draw(worker, worker->ahead);
        worker->n_ahead = worker->negative;
    }
    return w2v_ns_block(worker, inputs, n_inputs, outputs, n_outputs, lr, update, updates);
}

static uint32_t ns_output_rows(uint32_t vocab_size) {
    return vocab_size;
}

static uint32_t ns_max_outputs(const struct w2v_loss_worker *worker) {
    return worker->negative + 1;
}

const struct w2v_loss_ops w2v_loss_negative_sampling = {
    .name = "ns",
    .output_rows = ns_output_rows,
    .max_outputs = ns_max_outputs,
    .step = ns_step,
};
