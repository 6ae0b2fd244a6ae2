/* loss_hs_ns.c — word2vec.c's `-hs 1 -negative K`: hierarchical softmax and
 * negative sampling on the same inputs, their losses added.
 *
 *     J = J_hs(h, w) + J_ns(h, w)
 *     ∂J/∂h = ∂J_hs/∂h + ∂J_ns/∂h
 *
 * The two losses score disjoint output rows (word2vec.c's syn1 and syn1neg):
 * hs's V − 1 inner nodes are output rows 0..V−2, ns's word rows follow
 * (worker->ns_first_row = V − 1). Each loss adds its −lr·∂J/∂h into the same
 * update buffers and moves only its own rows, and the inputs do not move until
 * the step has run both, so the pair is one step on the sum. */
#include "w2v/loss.h"

static double hs_ns_step(struct w2v_loss_worker *worker, const float *const *inputs,
                         uint32_t n_inputs, uint32_t target, float lr, enum w2v_update update,
                         float *const *updates) {
    double loss =
        w2v_loss_hierarchical_softmax.step(worker, inputs, n_inputs, target, lr, update, updates);
    loss += w2v_loss_negative_sampling.step(worker, inputs, n_inputs, target, lr, update, updates);
    return loss;
}

static uint32_t hs_ns_output_rows(uint32_t vocab_size) {
    return w2v_loss_hierarchical_softmax.output_rows(vocab_size) +
           w2v_loss_negative_sampling.output_rows(vocab_size);
}

static uint32_t hs_ns_max_outputs(const struct w2v_loss_worker *worker) {
    uint32_t hs = w2v_loss_hierarchical_softmax.max_outputs(worker);
    uint32_t ns = w2v_loss_negative_sampling.max_outputs(worker);
    return hs > ns ? hs : ns;
}

const struct w2v_loss_ops w2v_loss_hs_ns = {
    .name = "hs+ns",
    .output_rows = hs_ns_output_rows,
    .max_outputs = hs_ns_max_outputs,
    .step = hs_ns_step,
};
