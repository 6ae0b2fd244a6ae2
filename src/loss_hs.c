/* loss_hs.c — hierarchical softmax (Morin & Bengio 2005, word2vec's -hs 1), window-batched.
 *
 * The target word w is reached from the root of the Huffman tree (huffman.h)
 * through inner nodes j = 1..L with branch bits c_j; each inner node is a
 * binary logistic regression with its own output row u_j and label
 * t_j = 1 − c_j (word2vec's convention), so
 *     p(w | h) = Π_j σ((1 − 2c_j) u_j·h)
 * and, since σ(s) + σ(−s) = 1 at every node, p sums to 1 over the words.
 * For inputs h_1..h_M (all predicting the same w, so all sharing its path):
 *     s_mj = u_j·h_m                                  scores, one M×L product
 *     J    = Σ_m Σ_j −log σ((1 − 2c_j) s_mj)          = Σ_m −log p(w | h_m)
 *     ∂J/∂s_mj = σ(s_mj) − t_j
 *     ∂J/∂h_m  = Σ_j (σ(s_mj) − t_j) u_j
 *     ∂J/∂u_j  = Σ_m (σ(s_mj) − t_j) h_m
 * which is w2v_logistic_block (loss.h) over the path's rows with labels t_j:
 * one dot_block and two combine_rows per window, as for negative sampling.
 * The nodes of one path are distinct, so no output row is written twice. */
#include "w2v/huffman.h"
#include "w2v/loss.h"

void w2v_hs_path_outputs(struct w2v_loss_worker *worker, const uint32_t *points,
                         const uint8_t *codes, uint32_t count) {
    for (uint32_t j = 0; j < count; j++) {
        worker->output_rows[j] = w2v_model_output_row(worker->model, points[j]);
        worker->labels[j] = codes[j] ? 0.0f : 1.0f; /* t_j = 1 − c_j */
    }
}

static double hs_step(struct w2v_loss_worker *worker, const float *const *inputs, uint32_t n_inputs,
                      uint32_t target, float lr, enum w2v_update update, float *const *updates) {
    const struct w2v_huffman *tree = worker->tree;
    const uint32_t length = tree->lengths[target]; /* L */
    const uint8_t *codes = w2v_huffman_codes(tree, target);
    const uint32_t *points = w2v_huffman_points(tree, target);
    if (length == 0) return 0; /* a one-word vocabulary: p(w | h) = 1 */
    w2v_hs_path_outputs(worker, points, codes, length);
    return w2v_logistic_block(worker, inputs, n_inputs, length, lr, update, updates);
}

double w2v_hs_probability(const struct w2v_huffman *tree, const struct w2v_model *model,
                          const float *h, uint32_t word) {
    const uint8_t *codes = w2v_huffman_codes(tree, word);
    const uint32_t *points = w2v_huffman_points(tree, word);
    double probability = 1;
    for (uint32_t j = 0; j < tree->lengths[word]; j++) {
        const float *u = w2v_model_output_row(model, points[j]);
        double s = 0;
        for (uint32_t d = 0; d < model->dim; d++) s += (double)u[d] * h[d];
        probability *= 1.0 / (1.0 + exp(codes[j] ? s : -s)); /* σ((1 − 2c_j) s) */
    }
    return probability;
}

static uint32_t hs_output_rows(uint32_t vocab_size) {
    return vocab_size > 1 ? vocab_size - 1 : 0; /* the inner nodes */
}

static uint32_t hs_max_outputs(const struct w2v_loss_worker *worker) {
    return worker->tree->max_length > 0 ? worker->tree->max_length : 1;
}

const struct w2v_loss_ops w2v_loss_hierarchical_softmax = {
    .name = "hs",
    .output_rows = hs_output_rows,
    .max_outputs = hs_max_outputs,
    .step = hs_step,
};
