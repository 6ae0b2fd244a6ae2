/* loss.h — the losses a prediction step minimises, as a table of function
 * pointers (in the spirit of fastText's Loss classes): negative sampling
 * (loss_ns.c), hierarchical softmax (loss_hs.c, over huffman.h's tree) and the
 * exact softmax (loss_softmax.c). Negative sampling and hierarchical softmax
 * are both sums of binary logistic units over a few output rows, so they share
 * one block, w2v_logistic_block (loss.c): they differ only in which rows they
 * score and with which labels.
 *
 * A loss step trains n_inputs input vectors h_1..h_n (skip-gram: the context
 * words' input rows; CBOW: one averaged row) to each predict the same target:
 *     J = Σ_i J_loss(h_i, target)
 * It returns J. With W2V_UPDATE it also ADDS −lr·∂J/∂h_i into updates[i] (the
 * caller, step.c, applies them to the input rows, so every score in the step
 * sees the same h) and applies −lr·∂J/∂(output rows) in place. With
 * W2V_EVALUATE it changes nothing: that is how the gradient checker takes
 * finite differences of the very code that trains. */
#ifndef W2V_LOSS_H
#define W2V_LOSS_H

#include "w2v/kernels.h"
#include "w2v/logistic.h"
#include "w2v/model.h"
#include "w2v/rng.h"
#include "w2v/sampler.h"

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* W2V_LOSS_HS_NS is word2vec.c's -hs 1 -negative K: both losses added. */
enum w2v_loss_kind { W2V_LOSS_NS, W2V_LOSS_HS, W2V_LOSS_SOFTMAX, W2V_LOSS_HS_NS };

/* Whether a loss draws negatives (needs a sampler and K > 0) / walks the Huffman tree. */
static inline bool w2v_loss_uses_negatives(enum w2v_loss_kind kind) {
    return kind == W2V_LOSS_NS || kind == W2V_LOSS_HS_NS;
}
static inline bool w2v_loss_uses_tree(enum w2v_loss_kind kind) {
    return kind == W2V_LOSS_HS || kind == W2V_LOSS_HS_NS;
}

/* What a step does: only evaluate J, or also move the parameters. */
enum w2v_update { W2V_EVALUATE, W2V_UPDATE };

struct w2v_huffman; /* huffman.h */

/* Everything one worker thread needs to run steps, and its scratch space. */
struct w2v_loss_worker {
    const struct w2v_loss_ops *ops;
    const struct w2v_kernels *kernels;
    struct w2v_model *model;
    const struct w2v_sampler *sampler; /* negative sampling */
    const struct w2v_huffman *tree;    /* hierarchical softmax */
    struct w2v_rng *rng;
    uint32_t negative;     /* K */
    uint32_t ns_first_row; /* ns's row of word w is output row ns_first_row + w (hs+ns: V − 1) */
    uint32_t max_inputs;
    uint32_t extra_outputs; /* set before init: scratch for this many outputs beyond the loss's */
    /* Negative sampling draws the next window's K negatives while it steps this
     * one (draw_ahead, set by the trainer) and asks the cache for their rows,
     * so their misses overlap this window's arithmetic. The draws are the same
     * numbers from the same stream, one window earlier; n_ahead = 0 (set by
     * w2v_loss_worker_forget_ahead at every sentence end) makes the next step
     * draw its own, so nothing drawn crosses a sentence boundary, where the
     * trainer may pause and checkpoint. */
    bool draw_ahead;
    uint32_t n_ahead;
    uint32_t *ahead; /* negative */
    /* scratch */
    float *scores;         /* max_inputs × max_outputs: s = u·h */
    float *gradients;      /* max_inputs × max_outputs: g = lr·(y − σ(s)), or softmax's */
    uint32_t *output_ids;  /* max_outputs */
    float **output_rows;   /* max_outputs */
    float *labels;         /* max_outputs: y of each logistic unit, 1 or 0 */
    double *per_input;     /* 3 × max_inputs: softmax's running max, sum and target score */
    float *update_scratch; /* max_inputs × W2V_KERNELS_UPDATE_LANES: kernels' update_block */
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
                   uint32_t target, float lr, enum w2v_update update, float *const *updates);
};

extern const struct w2v_loss_ops w2v_loss_negative_sampling;
extern const struct w2v_loss_ops w2v_loss_hierarchical_softmax; /* needs worker->tree */
extern const struct w2v_loss_ops w2v_loss_softmax;
extern const struct w2v_loss_ops w2v_loss_hs_ns; /* needs worker->tree and ->sampler */

const struct w2v_loss_ops *w2v_loss_ops_for(enum w2v_loss_kind kind);
const char *w2v_loss_name(enum w2v_loss_kind kind);

/* Sets up a worker (ops, kernels, model, sampler/tree, rng, negative must be
 * filled in first) for steps of up to max_inputs inputs. */
void w2v_loss_worker_init(struct w2v_loss_worker *worker, uint32_t max_inputs);
/* Drops negatives drawn ahead (see draw_ahead). */
static inline void w2v_loss_worker_forget_ahead(struct w2v_loss_worker *worker) {
    worker->n_ahead = 0;
}
void w2v_loss_worker_free(struct w2v_loss_worker *worker);

/* The block negative sampling and hierarchical softmax share: each of the
 * n_inputs inputs h_m against each of the n_outputs rows u_n that the caller
 * put in worker->output_rows, with the labels y_n in worker->labels:
 *     s_mn = u_n·h_m                         one (inputs × outputs) dot_block
 *     J    = Σ_m Σ_n −log σ(±s_mn)           + if y_n, − if not
 *     g_mn = lr·(y_n − σ(s_mn))              = −lr·∂J/∂s_mn
 * and with W2V_UPDATE, both from the scores before anything moves:
 *     updates_m += Σ_n g_mn u_n              = −lr·∂J/∂h_m
 *     u_n       += Σ_m g_mn h_m              = −lr·∂J/∂u_n
 * A row listed twice gets both of its updates. Returns J. */
double w2v_logistic_block(struct w2v_loss_worker *worker, const float *const *inputs,
                          uint32_t n_inputs, uint32_t n_outputs, float lr, enum w2v_update update,
                          float *const *updates);

/* The block of context combining (pSGNScc): inputs from several windows against
 * one shared set of distinct output rows (worker->output_rows), input m labelled
 * with the output label_of[m] (its own window's centre), every other output n a
 * negative for it with weight weight[n] (how many times it was drawn):
 *     s_mn = u_n·h_m,   y_mn = [n = label_of[m]],   c_mn = y_mn ? 1 : weight[n]
 *     J    = Σ_m −log σ(s_m,label) − Σ_m Σ_{n ≠ label} weight[n] log σ(−s_mn)
 *     g_mn = lr·c_mn·(y_mn − σ(s_mn))        = −lr·∂J/∂s_mn
 * With W2V_UPDATE it applies both updates in place, from the rows before
 * anything moves: h_m += Σ_n g_mn u_n and u_n += Σ_m g_mn h_m (an input row
 * listed twice gets both of its updates). With one label for all inputs and
 * weights counting repeated draws, this is w2v_logistic_block over the draws
 * (a repeated draw scored once and weighted, instead of scored twice). */
double w2v_logistic_block_labelled(struct w2v_loss_worker *worker, float *const *inputs,
                                   uint32_t n_inputs, const uint32_t *label_of, const float *weight,
                                   uint32_t n_outputs, float lr, enum w2v_update update);

/* Negative sampling with a given list of outputs: outputs[0] is the true word
 * (label 1), outputs[1..n_outputs-1] the negatives (label 0; repeats allowed,
 * each draw counts). Per input h:
 *     J = −log σ(u_o·h) − Σ_k log σ(−u_k·h)
 * The whole (inputs × outputs) block is one small matrix product: this is the
 * window-batched update of pWord2Vec when n_inputs > 1. */
double w2v_ns_block(struct w2v_loss_worker *worker, const float *const *inputs, uint32_t n_inputs,
                    const uint32_t *outputs, uint32_t n_outputs, float lr, enum w2v_update update,
                    float *const *updates);

/* Draws worker->negative words from worker->sampler with worker->rng into
 * `into` (repeats allowed): the draws ns's step makes for one window. Their
 * output rows are asked of the cache at once, for a step that reads them later. */
void w2v_ns_draw(struct w2v_loss_worker *worker, uint32_t *into);

/* Puts the Huffman-path nodes points[0..count) into worker->output_rows with
 * their labels t_j = 1 − c_j (codes) in worker->labels, for w2v_logistic_block:
 * hs's step does it for a whole path, step.c's split path for parts of one. */
void w2v_hs_path_outputs(struct w2v_loss_worker *worker, const uint32_t *points,
                         const uint8_t *codes, uint32_t count);

/* Hierarchical softmax's p(word | h) = Π_j σ((1 − 2c_j)·u_j·h) over the inner nodes j on
 * the word's Huffman path (c_j its branch bits), evaluated in double precision. Not used in
 * training: it lets tests and tools inspect the distribution (it sums to 1 over the words). */
double w2v_hs_probability(const struct w2v_huffman *tree, const struct w2v_model *model,
                          const float *h, uint32_t word);

#endif
