/* step.h — one training step per model: the code that trains, and the code
 * that `w2v gradcheck` checks. There is no other copy of this math.
 *
 * A step takes one centre word and its context words (ids, in the order they
 * stand in the sentence, repeats allowed) and runs the loss (loss.h) once:
 *
 *   skip-gram: the context words' input rows v_m each predict the centre:
 *                  J = Σ_m J_loss(v_m, centre)
 *              --batch window (default): one loss call for the whole window,
 *              whose inputs share one set of K negatives (pWord2Vec's
 *              HogBatch); --batch pair: one call per context with its own
 *              negatives (word2vec.c). A window too large for one stable
 *              block (contexts × outputs above a budget, step.c: --window
 *              1000, --negative 1000) is cut into consecutive groups of at
 *              most group_contexts contexts, each its own block with its own
 *              negatives, applied one after the other.
 *              Hierarchical softmax with hs_pair_nodes = d > 0: the window
 *              block covers only the centre's path below its first d nodes;
 *              those d nodes (the root and its nearest descendants, on most
 *              words' paths) are scored and moved context by context, each
 *              context seeing what the previous ones did to them (word2vec.c's
 *              order there). d >= the path's length is --batch pair's update
 *              wherever no word is twice in the window: the input updates
 *              still land at the window's end, so a repeated context reads
 *              its row before its first update, where pair by pair it would
 *              read it after.
 *   CBOW:      the average h = (1/M) Σ_m v_m predicts the centre:
 *                  J = J_loss(h, centre),   ∂J/∂v_m = (1/M) ∂J/∂h
 *              --cbow-update mean applies exactly that to every context row;
 *              --cbow-update sum (default, word2vec.c and fastText) applies
 *              the whole ∂J/∂h to every row: SGD on the same J with an
 *              M-times larger step for the input rows.
 *
 * Every input update is computed from the rows as they were before the step
 * (the loss adds −lr·∂J/∂input into update buffers; the combined step's block
 * holds them in the update_block kernel's scratch) and applied afterwards, so
 * a word that appears twice in a window gets both of its contributions. */
#ifndef W2V_STEP_H
#define W2V_STEP_H

#include "w2v/kernels.h"
#include "w2v/loss.h"
#include "w2v/model.h"
#include "w2v/rng.h"
#include "w2v/sampler.h"

#include <stdint.h>

enum w2v_model_kind { W2V_MODEL_SKIPGRAM, W2V_MODEL_CBOW };
enum w2v_batch_mode { W2V_BATCH_WINDOW, W2V_BATCH_PAIR };
enum w2v_cbow_update { W2V_CBOW_SUM, W2V_CBOW_MEAN };

struct w2v_huffman; /* huffman.h */

struct w2v_step_config {
    enum w2v_model_kind model;
    enum w2v_loss_kind loss;
    enum w2v_batch_mode batch;        /* skip-gram only */
    enum w2v_cbow_update cbow_update; /* CBOW only */
    uint32_t negative;                /* K, negative sampling only */
    uint32_t max_contexts;            /* the most context words one step gets (2·window) */
    uint32_t combine;                 /* skip-gram ns: most windows one combined step gets (0: 1) */
    uint32_t hs_pair_nodes;           /* skip-gram hs window batch: see above (0: none) */
    const struct w2v_kernels *kernels; /* NULL: w2v_kernels_get() */
    const struct w2v_sampler *sampler; /* negative sampling: the noise distribution */
    const struct w2v_huffman *tree;    /* hierarchical softmax */
};

/* One worker's step: the loss with its scratch, and the step's own buffers. */
struct w2v_step {
    enum w2v_model_kind model;
    enum w2v_batch_mode batch;
    enum w2v_cbow_update cbow_update;
    uint32_t max_contexts;
    uint32_t group_contexts;     /* skip-gram window batch: the most contexts in one block */
    uint32_t combine;            /* the most windows in one combined step */
    uint32_t hs_pair_nodes;      /* skip-gram hs: the top path nodes done pair by pair */
    struct w2v_loss_worker loss; /* .flops counts the floating-point work done */
    const float **inputs;        /* the rows the loss reads (max_contexts) */
    float **input_rows;          /* the same context rows, writable */
    float **updates;             /* one update row per input */
    float *update_store;
    float *average;       /* CBOW's h */
    uint32_t *labels;     /* combined step: each input's output index (max_contexts × combine) */
    float *weights;       /* combined step: each output's negative weight */
    uint64_t predictions; /* (input, target) pairs scored so far */
};

/* Sets up a step over `model`, drawing its random numbers (negatives) from
 * `rng`. 0, or −1 with an error (unknown loss, hs without a tree, ns without a
 * sampler or with K = 0). */
int w2v_step_init(struct w2v_step *step, const struct w2v_step_config *config,
                  struct w2v_model *model, struct w2v_rng *rng);
void w2v_step_free(struct w2v_step *step);

/* One window: n_contexts (1..max_contexts) context words around `centre`.
 * Runs on step->loss.model (a caller may point it at another model of the
 * same shape: gradcheck moves a copy). Returns J summed over the step's
 * predictions. W2V_EVALUATE leaves every parameter untouched (and still draws
 * the negatives, so a caller that restores the rng sees the same ones). */
double w2v_step_skipgram(struct w2v_step *step, const uint32_t *contexts, uint32_t n_contexts,
                         uint32_t centre, float lr, enum w2v_update update);
double w2v_step_cbow(struct w2v_step *step, const uint32_t *contexts, uint32_t n_contexts,
                     uint32_t centre, float lr, enum w2v_update update);

/* One window of a combined step: its context words and its centre. */
struct w2v_step_window {
    const uint32_t *contexts;
    uint32_t n_contexts; /* 1..max_contexts */
    uint32_t centre;
};

/* Context combining (pSGNScc), skip-gram with negative sampling: n_windows
 * (1..combine) windows in one block against one shared output set: the first
 * window's centre, the distinct words among `negatives` (K draws from the
 * sampler, repeats counted as weights; draws equal to the first centre left
 * out, as in the uncombined step) and any later window's centre not already
 * in it. Each context row is labelled with its own window's centre; every
 * other output in the set is a negative for it (the first centre with weight
 * 1, a drawn word with its number of draws, an added centre with weight 0).
 * loss.h's w2v_logistic_block_labelled has the math. With one window this is
 * the uncombined window step given the same draws. The caller picks windows
 * whose centres are among the first window's outputs (pSGNScc: later windows
 * of the same sentence block whose centre is the first centre or one of its
 * negatives) and keeps Σ contexts × outputs small. Returns J. */
double w2v_step_skipgram_combined(struct w2v_step *step, const struct w2v_step_window *windows,
                                  uint32_t n_windows, const uint32_t *negatives,
                                  uint32_t n_negatives, float lr, enum w2v_update update);

/* The step of the model the step was set up for. */
static inline double w2v_step_window(struct w2v_step *step, const uint32_t *contexts,
                                     uint32_t n_contexts, uint32_t centre, float lr,
                                     enum w2v_update update) {
    return step->model == W2V_MODEL_SKIPGRAM
               ? w2v_step_skipgram(step, contexts, n_contexts, centre, lr, update)
               : w2v_step_cbow(step, contexts, n_contexts, centre, lr, update);
}

const char *w2v_model_kind_name(enum w2v_model_kind kind);

#endif
