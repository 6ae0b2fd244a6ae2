/* loss.h — the losses a prediction step minimises, as a table of function
 * pointers (in the spirit of fastText's Loss classes): negative sampling here,
 * hierarchical softmax and the exact softmax beside it.
 *
 * A step trains n_inputs input vectors h_1..h_n (skip-gram: the context words'
 * input rows; CBOW: one averaged row) to each predict the same target word:
 *     J = Σ_i J_loss(h_i, target)
 * It returns J, ADDS −lr·∂J/∂h_i into updates[i] (the caller applies them to
 * the input rows, so every score in the step sees the same h), and applies
 * −lr·∂J/∂(output rows) in place. With lr = 0 a step only evaluates J: that is
 * how the gradient checker takes finite differences of the very code that trains. */
#ifndef W2V_LOSS_H
#define W2V_LOSS_H

#include "w2v/kernels.h"
#include "w2v/model.h"
#include "w2v/rng.h"
#include "w2v/sampler.h"

#include <math.h>
#include <stdint.h>

enum w2v_loss_kind { W2V_LOSS_NS, W2V_LOSS_HS, W2V_LOSS_SOFTMAX };

struct w2v_huffman; /* huffman.h */

/* Everything one worker thread needs to run steps, and its scratch space. */
struct w2v_loss_worker {
    const struct w2v_loss_ops *ops;
    const struct w2v_kernels *kernels;
    struct w2v_model *model;
    const struct w2v_sampler *sampler; /* negative sampling */
    const struct w2v_huffman *tree;    /* hierarchical softmax */
    struct w2v_rng *rng;
    uint32_t negative; /* K */
    uint32_t max_inputs;
    /* scratch */
    float *scores;        /* max_inputs × max_outputs */
    uint32_t *output_ids; /* max_outputs */
    float **output_rows;  /* max_outputs */
    uint32_t max_outputs;
    uint64_t flops; /* floating-point operations done so far */
};

struct w2v_loss_ops {
    const char *name;
    /* Rows of model->output this loss uses for a vocabulary of vocab_size words. */
    uint32_t (*output_rows)(uint32_t vocab_size);
    /* Most outputs one input is scored against in a step (sizes the scratch). */
    uint32_t (*max_outputs)(const struct w2v_loss_worker *worker);
    double (*step)(struct w2v_loss_worker *worker, const float *const *inputs, uint32_t n_inputs,
                   uint32_t target, float lr, float *const *updates);
};

extern const struct w2v_loss_ops w2v_loss_negative_sampling;

const struct w2v_loss_ops *w2v_loss_ops_for(enum w2v_loss_kind kind);
const char *w2v_loss_name(enum w2v_loss_kind kind);

/* Sets up a worker (ops, model, sampler/tree, rng, negative must be filled in
 * first) for steps of up to max_inputs inputs. */
void w2v_loss_worker_init(struct w2v_loss_worker *worker, uint32_t max_inputs);
void w2v_loss_worker_free(struct w2v_loss_worker *worker);

/* Negative sampling with a given list of outputs: outputs[0] is the true word
 * (label 1), outputs[1..n_outputs-1] the negatives (label 0; repeats allowed,
 * each draw counts). Per input h:
 *     J = −log σ(u_o·h) − Σ_k log σ(−u_k·h)
 * The whole (inputs × outputs) block is one small matrix product: this is the
 * window-batched update of pWord2Vec when n_inputs > 1. */
double w2v_ns_block(struct w2v_loss_worker *worker, const float *const *inputs, uint32_t n_inputs,
                    const uint32_t *outputs, uint32_t n_outputs, float lr, float *const *updates);

/* σ(x) = 1 / (1 + e^−x), computed without overflow for any x. */
static inline float w2v_sigmoid(float x) {
    float e = expf(-fabsf(x));
    return x >= 0 ? 1.0f / (1.0f + e) : e / (1.0f + e);
}

/* −log σ(x) = log(1 + e^−x), computed without overflow for any x. */
static inline float w2v_neg_log_sigmoid(float x) {
    return log1pf(expf(-fabsf(x))) + (x < 0 ? -x : 0.0f);
}

#endif
