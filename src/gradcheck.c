/* gradcheck.c — the gradient checker (gradcheck.h): the trainer's own step
 * (step.h) against central finite differences, on one small random problem
 * per case. This file sets up the problem and compares numbers; every vector
 * operation of the step is step.c's and the losses'. */
#include "w2v/gradcheck.h"

#include "w2v/alloc.h"
#include "w2v/error.h"
#include "w2v/huffman.h"
#include "w2v/rng.h"
#include "w2v/sampler.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

enum { WINDOW = W2V_GRADCHECK_WINDOW, NEGATIVES = W2V_GRADCHECK_NEGATIVES };

struct problem {
    struct w2v_gradcheck_case check;
    struct w2v_model point; /* the parameters θ where the gradient is checked */
    struct w2v_model moved; /* θ' = θ after one step with lr = 1 */
    struct w2v_huffman tree;
    struct w2v_sampler noise; /* ns: three words, so four draws repeat one */
    struct w2v_step step;
    struct w2v_rng rng;   /* the step's generator */
    struct w2v_rng start; /* its state before the step: restored before every run */
    uint32_t target;
    uint32_t contexts[WINDOW]; /* contexts[2] == contexts[0] */
    double input_scale;        /* what the step's input update is divided by */
};

/* ---- the step being checked: the trainer's own ---- */

/* One step on `model`, from the same random state every time: returns J. */
static double run_step(struct problem *p, struct w2v_model *model, enum w2v_update update) {
    p->step.loss.model = model;
    p->rng = p->start;
    return w2v_step_window(&p->step, p->contexts, WINDOW, p->target, 1.0f, update);
}

/* ---- one block of parameters ---- */

static float *parameter_row(const struct w2v_model *model, bool output, uint32_t row) {
    return output ? w2v_model_output_row(model, row) : w2v_model_input_row(model, row);
}

/* Compares ∂J/∂(rows) of one matrix: analytic (θ − θ')·scale, numeric (J(θ+ε) − J(θ−ε)) / 2ε. */
static void check_block(struct problem *p, float step, bool output, const uint32_t *rows,
                        uint32_t row_count, double scale, struct w2v_gradcheck_block *block) {
    block->max_analytic = block->max_numeric = block->max_difference = 0;
    for (uint32_t r = 0; r < row_count; r++) {
        float *theta = parameter_row(&p->point, output, rows[r]);
        const float *moved = parameter_row(&p->moved, output, rows[r]);
        for (uint32_t d = 0; d < p->point.dim; d++) {
            const float original = theta[d];
            const float plus = original + step, minus = original - step;
            theta[d] = plus;
            double loss_plus = run_step(p, &p->point, W2V_EVALUATE);
            theta[d] = minus;
            double loss_minus = run_step(p, &p->point, W2V_EVALUATE);
            theta[d] = original;
            double numeric = (loss_plus - loss_minus) / ((double)plus - (double)minus);
            double analytic = ((double)original - (double)moved[d]) * scale;
            block->max_analytic = fmax(block->max_analytic, fabs(analytic));
            block->max_numeric = fmax(block->max_numeric, fabs(numeric));
            block->max_difference = fmax(block->max_difference, fabs(analytic - numeric));
        }
    }
    double largest = fmax(fmax(block->max_analytic, block->max_numeric), 1e-6);
    block->relative_error = block->max_difference / largest;
}

static void add_block(struct problem *p, struct w2v_gradcheck_report *report, float step,
                      bool output, const uint32_t *rows, uint32_t row_count, double scale,
                      const char *name) {
    if (report->block_count == W2V_GRADCHECK_MAX_BLOCKS || row_count == 0) return;
    struct w2v_gradcheck_block *block = &report->blocks[report->block_count++];
    snprintf(block->name, sizeof block->name, "%.63s", name);
    check_block(p, step, output, rows, row_count, scale, block);
    if (block->relative_error > report->worst) report->worst = block->relative_error;
}

/* ---- the random problem ---- */

/* Uniform in (−0.5, 0.5) × scale, with scale chosen so a dot product of two rows has
 * variance 1 (each entry then has variance 1/√dim): logits are O(1). */
static void fill_random(struct w2v_rng *rng, float *row, uint32_t dim) {
    const float scale = sqrtf(12.0f) / powf((float)dim, 0.25f);
    for (uint32_t d = 0; d < dim; d++) row[d] = (w2v_rng_unit(rng) - 0.5f) * scale;
}

/* `count` distinct words, none in `avoid` (avoid_count entries). */
static void draw_distinct(struct w2v_rng *rng, uint32_t vocab_size, uint32_t *out, uint32_t count,
                          const uint32_t *avoid, uint32_t avoid_count) {
    for (uint32_t i = 0; i < count;) {
        uint32_t word = w2v_rng_below(rng, vocab_size);
        bool taken = false;
        for (uint32_t j = 0; j < i; j++) taken |= out[j] == word;
        for (uint32_t j = 0; j < avoid_count; j++) taken |= avoid[j] == word;
        if (!taken) out[i++] = word;
    }
}

static int problem_init(struct problem *p, const struct w2v_gradcheck_case *check,
                        const struct w2v_gradcheck_options *o) {
    memset(p, 0, sizeof *p);
    const uint32_t V = o->vocab_size;
    p->check = *check;
    w2v_rng_seed(&p->rng, o->seed, 0x67726164ull + 16 * check->model + check->loss);
    const struct w2v_loss_ops *ops = w2v_loss_ops_for(check->loss);

    /* Zipf-like counts, descending as a vocabulary's, for the Huffman tree. */
    uint64_t *counts = w2v_xcalloc(V, sizeof *counts);
    for (uint32_t w = 0; w < V; w++) counts[w] = 1000 / (w + 1) + 1;
    int status = w2v_huffman_build(&p->tree, counts, V);

    w2v_model_init(&p->point, V, ops->output_rows(V), o->dim, o->seed, 1);
    w2v_model_init(&p->moved, V, ops->output_rows(V), o->dim, o->seed, 1);
    for (uint32_t w = 0; w < V; w++)
        fill_random(&p->rng, w2v_model_input_row(&p->point, w), o->dim);
    for (uint32_t r = 0; r < p->point.output_rows; r++)
        fill_random(&p->rng, w2v_model_output_row(&p->point, r), o->dim);

    /* hs: the rarest word, whose path is the longest; otherwise any word. */
    p->target = w2v_loss_uses_tree(check->loss) ? V - 1 : w2v_rng_below(&p->rng, V);
    uint32_t distinct[3] = {0};
    draw_distinct(&p->rng, V, distinct, 3, NULL, 0); /* may include the target: as in text */
    p->contexts[0] = distinct[0], p->contexts[1] = distinct[1];
    p->contexts[2] = distinct[0], p->contexts[3] = distinct[2];

    /* The noise distribution: three words other than the target, equally likely. */
    uint32_t noise_words[3] = {0};
    draw_distinct(&p->rng, V, noise_words, 3, &p->target, 1);
    memset(counts, 0, V * sizeof *counts);
    for (uint32_t i = 0; i < 3; i++) counts[noise_words[i]] = 1;
    if (status == 0) status = w2v_sampler_init(&p->noise, counts, V, 1.0);
    w2v_free(counts);

    const struct w2v_step_config config = {
        .model = check->model,
        .loss = check->loss,
        .batch = W2V_BATCH_WINDOW,
        .cbow_update = check->cbow_update,
        .negative = NEGATIVES,
        .max_contexts = WINDOW,
        .kernels = o->kernels,
        .sampler = &p->noise,
        .tree = &p->tree,
    };
    if (status == 0) status = w2v_step_init(&p->step, &config, &p->point, &p->rng);
    p->start = p->rng;
    /* CBOW's sum update moves every context row by the whole ∂J/∂h = M·∂J/∂v. */
    p->input_scale =
        check->model == W2V_MODEL_CBOW && check->cbow_update == W2V_CBOW_SUM ? WINDOW : 1;
    return status;
}

static void problem_free(struct problem *p) {
    w2v_step_free(&p->step);
    w2v_model_free(&p->point);
    w2v_model_free(&p->moved);
    w2v_huffman_free(&p->tree);
    w2v_sampler_free(&p->noise);
}

static void copy_model(struct w2v_model *to, const struct w2v_model *from) {
    memcpy(to->input, from->input, (size_t)from->vocab_size * from->stride * sizeof(float));
    memcpy(to->output, from->output, (size_t)from->output_rows * from->stride * sizeof(float));
}

/* ---- the blocks of each loss ---- */

static void describe(const struct problem *p, const uint32_t *negatives,
                     struct w2v_gradcheck_report *report) {
    int n = snprintf(report->problem, sizeof report->problem,
                     "contexts %u %u %u %u (word %u twice), target %u", p->contexts[0],
                     p->contexts[1], p->contexts[2], p->contexts[3], p->contexts[0], p->target);
    const enum w2v_loss_kind loss = p->check.loss;
    if (w2v_loss_uses_tree(loss))
        n += snprintf(report->problem + n, sizeof report->problem - n, ", path of %u inner nodes",
                      p->tree.lengths[p->target]);
    if (w2v_loss_uses_negatives(loss))
        snprintf(report->problem + n, sizeof report->problem - n, ", negatives drawn %u %u %u %u",
                 negatives[0], negatives[1], negatives[2], negatives[3]);
}

/* The output rows of `involved` get a block each; all others share one (expected zero
 * for ns and hs, the non-target words for softmax). */
static void check_output_blocks(struct problem *p, struct w2v_gradcheck_report *report, float step,
                                const uint32_t *involved, char (*names)[64],
                                uint32_t involved_count, const char *others_name) {
    for (uint32_t i = 0; i < involved_count; i++)
        add_block(p, report, step, true, &involved[i], 1, 1.0, names[i]);
    uint32_t *others = w2v_xmalloc((p->point.output_rows + 1) * sizeof *others);
    uint32_t other_count = 0;
    for (uint32_t r = 0; r < p->point.output_rows; r++) {
        bool listed = false;
        for (uint32_t i = 0; i < involved_count; i++) listed |= involved[i] == r;
        if (!listed) others[other_count++] = r;
    }
    char name[64];
    snprintf(name, sizeof name, "%s (%u rows)", others_name, other_count);
    add_block(p, report, step, true, others, other_count, 1.0, name);
    w2v_free(others);
}

/* ns: the target, then each distinct negative with how often it was drawn; word w's
 * row is output row first_row + w. */
static uint32_t ns_outputs(const uint32_t *negatives, uint32_t target, uint32_t first_row,
                           uint32_t *involved, char (*names)[64]) {
    uint32_t count = 0;
    involved[count] = first_row + target;
    snprintf(names[count++], 64, "dJ/du[%u] (target)", target);
    for (uint32_t i = 0; i < NEGATIVES; i++) {
        uint32_t draws = 0, first = i;
        for (uint32_t j = 0; j < NEGATIVES; j++) {
            draws += negatives[j] == negatives[i];
            if (negatives[j] == negatives[i] && j < first) first = j;
        }
        if (first != i) continue; /* listed at its first draw */
        involved[count] = first_row + negatives[i];
        if (draws == 1)
            snprintf(names[count++], 64, "dJ/du[%u] (negative)", negatives[i]);
        else
            snprintf(names[count++], 64, "dJ/du[%u] (negative, drawn %s)", negatives[i],
                     draws == 2   ? "twice"
                     : draws == 3 ? "3 times"
                                  : "4 times");
    }
    return count;
}

int w2v_gradcheck_run_case(const struct w2v_gradcheck_case *check,
                           const struct w2v_gradcheck_options *options,
                           struct w2v_gradcheck_report *report) {
    memset(report, 0, sizeof *report);
    if (options->vocab_size < W2V_GRADCHECK_MIN_VOCAB ||
        options->vocab_size > W2V_GRADCHECK_MAX_VOCAB)
        return w2v_error("gradcheck needs a vocabulary of %d to %d words", W2V_GRADCHECK_MIN_VOCAB,
                         W2V_GRADCHECK_MAX_VOCAB);
    if (options->dim == 0) return w2v_error("gradcheck needs a dimension of at least 1");
    if (!(options->step > 0)) return w2v_error("gradcheck needs a positive step");
    if (!w2v_loss_ops_for(check->loss)) return w2v_error("unknown loss");

    struct problem p;
    if (problem_init(&p, check, options) != 0) {
        problem_free(&p);
        return -1;
    }
    copy_model(&p.moved, &p.point);
    report->loss = run_step(&p, &p.moved, W2V_UPDATE); /* θ' = θ − s·∂J/∂θ */
    report->input_scale = p.input_scale;
    uint32_t negatives[NEGATIVES] = {0}; /* ns: what the step drew, after the target */
    if (w2v_loss_uses_negatives(check->loss))
        memcpy(negatives, p.step.loss.output_ids + 1, sizeof negatives);
    describe(&p, negatives, report);
    const float step = options->step;

    /* Input rows: divide out the step's scale; a planted error multiplies in. */
    const double input_scale = (double)options->input_update_scale / p.input_scale;
    char name[64];
    for (uint32_t i = 0; i < 3; i++) { /* the distinct context words: contexts 0, 1, 3 */
        uint32_t word = p.contexts[i == 2 ? 3 : i];
        snprintf(name, sizeof name, "dJ/dv[%u] (context, %s)", word, i == 0 ? "2 uses" : "1 use");
        add_block(&p, report, step, false, &word, 1, input_scale, name);
    }

    char names[W2V_GRADCHECK_MAX_BLOCKS][64];
    uint32_t involved[W2V_GRADCHECK_MAX_BLOCKS], involved_count = 0;
    const bool hs = w2v_loss_uses_tree(check->loss), ns = w2v_loss_uses_negatives(check->loss);
    if (hs) { /* the inner nodes on the target's path */
        const uint8_t *codes = w2v_huffman_codes(&p.tree, p.target);
        const uint32_t *points = w2v_huffman_points(&p.tree, p.target);
        for (uint32_t j = 0; j < p.tree.lengths[p.target] && j + 16 < W2V_GRADCHECK_MAX_BLOCKS;
             j++) {
            involved[involved_count] = points[j];
            snprintf(names[involved_count], 64, "dJ/du[node %u] (path %u, code %u)", points[j], j,
                     codes[j]);
            involved_count++;
        }
    }
    if (ns)
        involved_count += ns_outputs(negatives, p.target, p.step.loss.ns_first_row,
                                     involved + involved_count, names + involved_count);
    if (!hs && !ns) { /* softmax */
        involved[0] = p.target;
        snprintf(names[0], 64, "dJ/du[%u] (target)", p.target);
        involved_count = 1;
    }
    check_output_blocks(&p, report, step, involved, names, involved_count,
                        hs && !ns ? "dJ/du[nodes off the path]" : "dJ/du[other rows]");
    problem_free(&p);
    return 0;
}

int w2v_gradcheck_run(enum w2v_model_kind model, enum w2v_loss_kind loss,
                      const struct w2v_gradcheck_options *options,
                      struct w2v_gradcheck_report *report) {
    const struct w2v_gradcheck_case check = {model, loss, W2V_CBOW_SUM};
    return w2v_gradcheck_run_case(&check, options, report);
}

uint32_t w2v_gradcheck_cases(struct w2v_gradcheck_case *cases) {
    const enum w2v_loss_kind losses[] = {W2V_LOSS_NS, W2V_LOSS_HS, W2V_LOSS_SOFTMAX,
                                         W2V_LOSS_HS_NS};
    uint32_t count = 0;
    for (uint32_t l = 0; l < 4; l++)
        cases[count++] = (struct w2v_gradcheck_case){W2V_MODEL_SKIPGRAM, losses[l], W2V_CBOW_SUM};
    for (uint32_t u = 0; u < 2; u++)
        for (uint32_t l = 0; l < 4; l++)
            cases[count++] = (struct w2v_gradcheck_case){W2V_MODEL_CBOW, losses[l],
                                                         u ? W2V_CBOW_MEAN : W2V_CBOW_SUM};
    return count;
}

const char *w2v_gradcheck_case_name(const struct w2v_gradcheck_case *check, char *out,
                                    size_t size) {
    if (check->model == W2V_MODEL_SKIPGRAM)
        snprintf(out, size, "sg/%s", w2v_loss_name(check->loss));
    else
        snprintf(out, size, "cbow-%s/%s", check->cbow_update == W2V_CBOW_MEAN ? "mean" : "sum",
                 w2v_loss_name(check->loss));
    return out;
}

void w2v_gradcheck_default_options(struct w2v_gradcheck_options *options) {
    *options = (struct w2v_gradcheck_options){.vocab_size = 12,
                                              .dim = 10,
                                              .seed = 1,
                                              .step = 1e-2f,
                                              .input_update_scale = 1.0f,
                                              .kernels = NULL};
}
