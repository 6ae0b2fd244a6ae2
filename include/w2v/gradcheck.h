/* gradcheck.h — checks every loss's analytic gradient against finite differences.
 *
 * On a small random problem (V words, a window of four context words in which
 * one word appears twice, and for negative sampling a negative drawn twice)
 * the analytic gradient is what one real training step with lr = 1 does to a
 * copy of the parameters (θ − θ' = ∂J/∂θ: the loss step, then the caller's
 * application of the input updates exactly as train.c does it, CBOW's 1/M
 * share included). The numeric gradient is the central difference of the
 * same step run with lr = 0, which only evaluates J. Both are compared per
 * parameter block (one input row per context word, one output row per
 * target / negative / path node, the rest of the output rows together) by
 *     relative error = max|analytic − numeric| / max(max|analytic|, max|numeric|, 1e−6). */
#ifndef W2V_GRADCHECK_H
#define W2V_GRADCHECK_H

#include "w2v/loss.h"
#include "w2v/train.h"

#include <stdint.h>

#define W2V_GRADCHECK_MIN_VOCAB  4
#define W2V_GRADCHECK_MAX_VOCAB  1000
#define W2V_GRADCHECK_MAX_BLOCKS 64
#define W2V_GRADCHECK_WINDOW     4 /* context words: the first one appears twice */
#define W2V_GRADCHECK_NEGATIVES  4 /* negative draws: the first one is drawn twice */

struct w2v_gradcheck_options {
    uint32_t vocab_size; /* V, W2V_GRADCHECK_MIN_VOCAB..W2V_GRADCHECK_MAX_VOCAB */
    uint32_t dim;
    uint64_t seed;
    float step; /* finite-difference step ε */
    /* 1 for a true check. Any other value scales the update applied to the input
     * rows, i.e. plants a wrong gradient, so tests can see the checker catch it. */
    float input_update_scale;
    const struct w2v_kernels *kernels; /* NULL: the ones chosen for this CPU */
};

struct w2v_gradcheck_block {
    char name[64]; /* e.g. "dJ/dv[7] (context, 2 uses)" */
    double max_analytic, max_numeric, max_difference;
    double relative_error;
};

struct w2v_gradcheck_report {
    char problem[256]; /* the inputs and outputs, in words */
    double loss;       /* J at the point checked */
    uint32_t block_count;
    struct w2v_gradcheck_block blocks[W2V_GRADCHECK_MAX_BLOCKS];
    double worst; /* the largest relative error of any block */
};

/* V = 12, dim = 10, seed = 1, ε = 1e−2, no planted error. */
void w2v_gradcheck_default_options(struct w2v_gradcheck_options *options);

/* Runs one check of `model` × `loss`. Returns 0 (whatever the errors: compare
 * report->worst with a tolerance), or −1 with an error message for bad options. */
int w2v_gradcheck_run(enum w2v_model_kind model, enum w2v_loss_kind loss,
                      const struct w2v_gradcheck_options *options,
                      struct w2v_gradcheck_report *report);

#endif
