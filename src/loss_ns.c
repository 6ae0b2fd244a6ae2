/* loss_ns.c — negative sampling (Mikolov et al. 2013), window-batched.
 *
 * For inputs h_1..h_M, outputs u_0 (the true word, label y_0 = 1) and
 * u_1..u_K (negatives, y_k = 0):
 *     s_mn = u_n·h_m                                  scores, one M×N product
 *     J    = Σ_m [ −log σ(s_m0) − Σ_{k≥1} log σ(−s_mk) ]
 *     ∂J/∂s_mn = σ(s_mn) − y_n
 *     ∂J/∂h_m  = Σ_n (σ(s_mn) − y_n) u_n              (course notes: −(1−σ(u_o·v_c))u_o + Σ_k
 * σ(u_k·v_c)u_k) ∂J/∂u_n  = Σ_m (σ(s_mn) − y_n) h_m With g_mn = lr·(y_n − σ(s_mn)) the SGD step is
 * h_m += Σ_n g_mn u_n  and u_n += Σ_m g_mn h_m, both computed from the scores before either moves.
 */
#include "w2v/loss.h"

double w2v_ns_block(struct w2v_loss_worker *worker, const float *const *inputs, uint32_t n_inputs,
                    const uint32_t *outputs, uint32_t n_outputs, float lr, float *const *updates) {
    const struct w2v_kernels *k = worker->kernels;
    const uint32_t dim = worker->model->dim;
    float *scores = worker->scores; /* n_inputs × n_outputs, becomes g */
    float **rows = worker->output_rows;
    for (uint32_t n = 0; n < n_outputs; n++)
        rows[n] = w2v_model_output_row(worker->model, outputs[n]);

    k->dot_block(inputs, n_inputs, (const float *const *)rows, n_outputs, dim, scores);

    double loss = 0;
    for (uint32_t m = 0; m < n_inputs; m++) {
        float *s = scores + (size_t)m * n_outputs;
        float unit_loss;
        s[0] = lr * (1.0f - w2v_logistic(s[0], true, &unit_loss));
        loss += unit_loss;
        for (uint32_t n = 1; n < n_outputs; n++) {
            s[n] = -lr * w2v_logistic(s[n], false, &unit_loss);
            loss += unit_loss;
        }
    }
    if (lr != 0.0f) {
        /* updates_m += Σ_n g_mn u_n, then u_n += Σ_m g_mn h_m (g is row-major M×N). */
        k->combine_rows(updates, n_inputs, (const float *const *)rows, n_outputs, scores, n_outputs,
                        1, dim);
        k->combine_rows(rows, n_outputs, inputs, n_inputs, scores, 1, n_outputs, dim);
    }
    worker->flops += 6ull * dim * n_inputs * n_outputs;
    return loss;
}

static double ns_step(struct w2v_loss_worker *worker, const float *const *inputs, uint32_t n_inputs,
                      uint32_t target, float lr, float *const *updates) {
    uint32_t *outputs = worker->output_ids;
    uint32_t n_outputs = 0;
    outputs[n_outputs++] = target;
    for (uint32_t d = 0; d < worker->negative; d++) {
        uint32_t negative = w2v_sampler_draw(worker->sampler, w2v_rng_next(worker->rng));
        if (negative != target)
            outputs[n_outputs++] = negative; /* as word2vec.c: skip the target */
    }
    return w2v_ns_block(worker, inputs, n_inputs, outputs, n_outputs, lr, updates);
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
