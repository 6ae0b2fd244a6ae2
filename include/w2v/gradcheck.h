/* gradcheck.h — checks the trainer's own step against finite differences.
 *
 * For one case (model × loss × CBOW update mode; hs+ns is word2vec.c's
 * -hs 1 -negative K, both losses added) it builds a small random
 * problem: V words, a window of four context words in which one word appears
 * twice and, for negative sampling, a noise distribution over three words so
 * that four draws must repeat one. It then runs the very function the trainer
 * runs, w2v_step_skipgram or w2v_step_cbow (step.h), never a copy:
 *   analytic gradient: one step with W2V_UPDATE and lr = 1 on a copy of the
 *       parameters: θ − θ' = s·∂J/∂θ, where s is the step's documented scale
 *       (1, except CBOW's sum update, which moves every context row by the
 *       whole ∂J/∂h: s = M = 4 for the input rows; the checker divides it out);
 *   numeric gradient: central differences (J(θ+ε) − J(θ−ε)) / 2ε of the same
 *       step with W2V_EVALUATE.
 * The step's random generator is restored before every run, so each run draws
 * the same negatives. Both gradients are compared per parameter block (one
 * input row per context word, one output row per target / negative / path
 * node, the rest of the output rows together) by
 *     relative error = max|analytic − numeric| / max(max|analytic|, max|numeric|, 1e−6). */
#ifndef W2V_GRADCHECK_H
#define W2V_GRADCHECK_H

#include "w2v/kernels.h"
#include "w2v/loss.h"
#include "w2v/step.h"

#include <stdint.h>

#define W2V_GRADCHECK_MIN_VOCAB  4
#define W2V_GRADCHECK_MAX_VOCAB  1000
#define W2V_GRADCHECK_MAX_BLOCKS 64
#define W2V_GRADCHECK_WINDOW     4 /* context words: the first one appears twice */
#define W2V_GRADCHECK_NEGATIVES  4 /* negative draws from three words: one repeats */
#define W2V_GRADCHECK_MAX_CASES  12

/* What is checked: the step of `model` with `loss` (and, for CBOW, `cbow_update`). */
struct w2v_gradcheck_case {
    enum w2v_model_kind model;
    enum w2v_loss_kind loss;
    enum w2v_cbow_update cbow_update;
};

struct w2v_gradcheck_options {
    uint32_t vocab_size; /* V, W2V_GRADCHECK_MIN_VOCAB..W2V_GRADCHECK_MAX_VOCAB */
    uint32_t dim;
    uint64_t seed;
    float step; /* finite-difference step ε */
    /* 1 for a true check. Any other value scales the input rows' measured
     * movement, i.e. plants a wrong gradient, so tests can see it caught. */
    float input_update_scale;
    const struct w2v_kernels *kernels; /* NULL: the ones chosen for this CPU */
};

struct w2v_gradcheck_block {
    char name[64]; /* e.g. "dJ/dv[7] (context, 2 uses)" */
    double max_analytic, max_numeric, max_difference;
    double relative_error;
};

struct w2v_gradcheck_report {
    char problem[256];  /* the inputs and outputs, in words */
    double loss;        /* J at the point checked */
    double input_scale; /* s above: what the step's input update is divided by */
    uint32_t block_count;
    struct w2v_gradcheck_block blocks[W2V_GRADCHECK_MAX_BLOCKS];
    double worst; /* the largest relative error of any block */
};

/* V = 12, dim = 10, seed = 1, ε = 1e−2, no planted error. */
void w2v_gradcheck_default_options(struct w2v_gradcheck_options *options);

/* Every case: skip-gram × {ns, hs, softmax, hs+ns}, CBOW × {sum, mean} ×
 * {ns, hs, softmax, hs+ns}. Fills `cases` (room for W2V_GRADCHECK_MAX_CASES);
 * returns how many. */
uint32_t w2v_gradcheck_cases(struct w2v_gradcheck_case *cases);

/* "sg/ns", "cbow-sum/hs", ... */
const char *w2v_gradcheck_case_name(const struct w2v_gradcheck_case *check, char *out, size_t size);

/* Runs one check. Returns 0 (whatever the errors: compare report->worst with
 * a tolerance), or −1 with an error message for bad options. */
int w2v_gradcheck_run_case(const struct w2v_gradcheck_case *check,
                           const struct w2v_gradcheck_options *options,
                           struct w2v_gradcheck_report *report);

/* The same for `model` × `loss` with CBOW's default (sum) update. */
int w2v_gradcheck_run(enum w2v_model_kind model, enum w2v_loss_kind loss,
                      const struct w2v_gradcheck_options *options,
                      struct w2v_gradcheck_report *report);

#endif
