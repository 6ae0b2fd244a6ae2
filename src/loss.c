/* loss.c — the loss table, the per-worker scratch every loss shares, and the
 * binary logistic block that negative sampling and hierarchical softmax are
 * both made of (loss.h states its math). */
#include "w2v/loss.h"

#include "w2v/alloc.h"

#include <stdbool.h>
#include <stddef.h>

const struct w2v_loss_ops *w2v_loss_ops_for(enum w2v_loss_kind kind) {
    switch (kind) {
    case W2V_LOSS_NS:
        return &w2v_loss_negative_sampling;
    case W2V_LOSS_HS:
        return &w2v_loss_hierarchical_softmax;
    case W2V_LOSS_SOFTMAX:
        return &w2v_loss_softmax;
    case W2V_LOSS_HS_NS:
        return &w2v_loss_hs_ns;
    default:
        return NULL;
    }
}

const char *w2v_loss_name(enum w2v_loss_kind kind) {
    const struct w2v_loss_ops *ops = w2v_loss_ops_for(kind);
    return ops ? ops->name : "?";
}

void w2v_loss_worker_init(struct w2v_loss_worker *worker, uint32_t max_inputs) {
    worker->max_inputs = max_inputs ? max_inputs : 1;
    /* hs+ns keeps hs's inner-node rows first, then ns's word rows. */
    worker->ns_first_row =
        worker->ops == &w2v_loss_hs_ns
            ? w2v_loss_hierarchical_softmax.output_rows(worker->model->vocab_size)
            : 0;
    worker->max_outputs = worker->ops->max_outputs(worker) + worker->extra_outputs;
    const size_t block = (size_t)worker->max_inputs * worker->max_outputs;
    worker->scores = w2v_alloc_aligned(block * sizeof(float));
    worker->gradients = w2v_alloc_aligned(block * sizeof(float));
    worker->output_ids = w2v_xmalloc(worker->max_outputs * sizeof *worker->output_ids);
    worker->output_rows = w2v_xmalloc(worker->max_outputs * sizeof *worker->output_rows);
    worker->labels = w2v_xmalloc(worker->max_outputs * sizeof *worker->labels);
    worker->per_input = w2v_xmalloc(3 * (size_t)worker->max_inputs * sizeof *worker->per_input);
    worker->update_scratch =
        w2v_alloc_aligned((size_t)worker->max_inputs * W2V_KERNELS_UPDATE_LANES * sizeof(float));
    worker->ahead = w2v_xmalloc((worker->negative ? worker->negative : 1) * sizeof *worker->ahead);
    worker->n_ahead = 0;
    worker->flops = 0;
}

void w2v_loss_worker_free(struct w2v_loss_worker *worker) {
    w2v_free(worker->scores);
    w2v_free(worker->gradients);
    w2v_free(worker->output_ids);
    w2v_free(worker->output_rows);
    w2v_free(worker->labels);
    w2v_free(worker->per_input);
    w2v_free(worker->update_scratch);
    w2v_free(worker->ahead);
    worker->ahead = NULL;
    worker->scores = worker->gradients = NULL;
    worker->output_ids = NULL;
    worker->output_rows = NULL;
    worker->labels = NULL;
    worker->per_input = NULL;
    worker->update_scratch = NULL;
}

double w2v_logistic_block(struct w2v_loss_worker *worker, const float *const *inputs,
                          uint32_t n_inputs, uint32_t n_outputs, float lr, enum w2v_update update,
                          float *const *updates) {
    const struct w2v_kernels *k = worker->kernels;
    const uint32_t dim = worker->model->dim;
    float *const *rows = worker->output_rows;
    float *s = worker->scores;    /* M × N, row-major */
    float *g = worker->gradients; /* M × N, row-major */

    /* s_mn = u_n·h_m */
    k->dot_block(inputs, n_inputs, (const float *const *)rows, n_outputs, dim, s);
    worker->flops += 2ull * dim * n_inputs * n_outputs;

    /* J = Σ −log σ(±s_mn);  g_mn = lr·(y_n − σ(s_mn)) */
    const double loss = k->logistic_block(s, worker->labels, n_inputs, n_outputs, lr, g);
    if (update == W2V_EVALUATE) return loss;

    /* updates_m += Σ_n g_mn u_n   (G·U: row_step N, col_step 1) */
    k->combine_rows(updates, n_inputs, (const float *const *)rows, n_outputs, g, n_outputs, 1, dim);
    /* u_n += Σ_m g_mn h_m         (Gᵀ·H: row_step 1, col_step N) */
    k->combine_rows(rows, n_outputs, inputs, n_inputs, g, 1, n_outputs, dim);
    worker->flops += 4ull * dim * n_inputs * n_outputs;
    return loss;
}

double w2v_logistic_block_labelled(struct w2v_loss_worker *worker, float *const *inputs,
                                   uint32_t n_inputs, const uint32_t *label_of, const float *weight,
                                   uint32_t n_outputs, float lr, enum w2v_update update) {
    const struct w2v_kernels *k = worker->kernels;
    const uint32_t dim = worker->model->dim;
    float *const *rows = worker->output_rows;
    float *s = worker->scores;    /* M × N, row-major */
    float *g = worker->gradients; /* M × N, row-major */

    /* s_mn = u_n·h_m */
    k->dot_block((const float *const *)inputs, n_inputs, (const float *const *)rows, n_outputs, dim,
                 s);
    worker->flops += 2ull * dim * n_inputs * n_outputs;

    /* Every unit as a negative of weight 1 first, the vectorised way:
     *     J⁰ = Σ_mn −log σ(−s_mn),   g⁰_mn = lr·(0 − σ(s_mn))
     * then each input's label unit turned positive, which only shifts both:
     *     −log σ(s) − (−log σ(−s)) = −s,   lr·(1 − σ(s)) − lr·(0 − σ(s)) = lr
     * and each negative drawn c ≠ 1 times weighted: c·J⁰_mn and c·g⁰_mn. */
    float *labels = worker->labels;
    for (uint32_t n = 0; n < n_outputs; n++) labels[n] = 0.0f;
    double loss = k->logistic_block(s, labels, n_inputs, n_outputs, lr, g);
    bool weighted = false; /* any negative drawn other than once (rare at small K) */
    for (uint32_t n = 0; n < n_outputs; n++) weighted = weighted || weight[n] != 1.0f;
    for (size_t m = 0; m < n_inputs; m++) {
        float *s_m = s + m * n_outputs, *g_m = g + m * n_outputs;
        for (uint32_t n = 0; weighted && n < n_outputs; n++) {
            if (n == label_of[m] || weight[n] == 1.0f) continue;
            const float e = expf(-fabsf(s_m[n]));
            loss += (weight[n] - 1.0f) * (log1p(e) + fmaxf(s_m[n], 0.0f)); /* (c − 1)·J⁰_mn */
            g_m[n] *= weight[n];
        }
        loss -= s_m[label_of[m]];
        g_m[label_of[m]] += lr;
    }
    if (update == W2V_EVALUATE) return loss;

    /* h_m += Σ_n g_mn u_n and u_n += Σ_m g_mn h_m, both from the rows before the step,
     * in one pass (the outputs are distinct rows of the output matrix) */
    k->update_block(inputs, n_inputs, rows, n_outputs, g, dim, worker->update_scratch);
    worker->flops += 4ull * dim * n_inputs * n_outputs;
    return loss;
}
