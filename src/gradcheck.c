/* gradcheck.c — the gradient checker: one small random problem per model × loss,
 * analytic gradients from a real step with lr = 1, numeric ones from central
 * differences of the same step with lr = 0 (see gradcheck.h). */
#include "w2v/gradcheck.h"

#include "w2v/alloc.h"
#include "w2v/error.h"
#include "w2v/huffman.h"
#include "w2v/rng.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

enum { WINDOW = W2V_GRADCHECK_WINDOW, NEGATIVES = W2V_GRADCHECK_NEGATIVES };

struct problem {
    enum w2v_model_kind model_kind;
    enum w2v_loss_kind loss_kind;
    const struct w2v_kernels *kernels;
    struct w2v_model point; /* the parameters θ where the gradient is checked */
    struct w2v_model moved; /* θ' = θ after one step with lr = 1 */
    struct w2v_huffman tree;
    struct w2v_loss_worker worker;
    struct w2v_rng rng;
    uint32_t target;
    uint32_t contexts[WINDOW];       /* contexts[2] == contexts[0] */
    uint32_t outputs[1 + NEGATIVES]; /* ns: target, then negatives; outputs[3] == outputs[1] */
    float *average;                  /* CBOW's averaged context */
    float *update_store;             /* one update row per input */
    float *updates[WINDOW];
    float input_update_scale;
};

/* ---- the step being checked, as train.c runs it ---- */

/* One step on `model`: returns J; with lr ≠ 0 also applies the step to `model`. */
static double run_step(struct problem *p, struct w2v_model *model, float lr) {
    const struct w2v_kernels *k = p->kernels;
    const uint32_t dim = model->dim;
    float *input_rows[WINDOW];
    const float *inputs[WINDOW];
    for (uint32_t m = 0; m < WINDOW; m++)
        inputs[m] = input_rows[m] = w2v_model_input_row(model, p->contexts[m]);
    memset(p->update_store, 0, WINDOW * model->stride * sizeof(float));
    p->worker.model = model;

    uint32_t n_inputs = WINDOW;
    const float inverse = 1.0f / (float)WINDOW;
    if (p->model_kind == W2V_MODEL_CBOW) { /* the mean of the contexts is the one input */
        memset(p->average, 0, dim * sizeof(float));
        for (uint32_t m = 0; m < WINDOW; m++) k->axpy(inverse, inputs[m], p->average, dim);
        inputs[0] = p->average;
        n_inputs = 1;
    }
    double loss =
        p->loss_kind == W2V_LOSS_NS
            ? w2v_ns_block(&p->worker, inputs, n_inputs, p->outputs, 1 + NEGATIVES, lr, p->updates)
            : p->worker.ops->step(&p->worker, inputs, n_inputs, p->target, lr, p->updates);
    if (lr != 0.0f) {
        const float scale = p->input_update_scale; /* 1 unless a wrong gradient is planted */
        for (uint32_t m = 0; m < WINDOW; m++) {
            if (p->model_kind == W2V_MODEL_SKIPGRAM)
                k->axpy(scale, p->updates[m], input_rows[m], dim);
            else
                k->axpy(scale * inverse, p->updates[0], input_rows[m], dim); /* 1/M each */
        }
    }
    return loss;
}

/* ---- one block of parameters ---- */

static float *parameter_row(const struct w2v_model *model, bool output, uint32_t row) {
    return output ? w2v_model_output_row(model, row) : w2v_model_input_row(model, row);
}

/* Compares ∂J/∂(rows) of one matrix: analytic θ − θ', numeric (J(θ+ε) − J(θ−ε)) / 2ε. */
static void check_block(struct problem *p, float step, bool output, const uint32_t *rows,
                        uint32_t row_count, struct w2v_gradcheck_block *block) {
    block->max_analytic = block->max_numeric = block->max_difference = 0;
    for (uint32_t r = 0; r < row_count; r++) {
        float *theta = parameter_row(&p->point, output, rows[r]);
        const float *moved = parameter_row(&p->moved, output, rows[r]);
        for (uint32_t d = 0; d < p->point.dim; d++) {
            const float original = theta[d];
            const float plus = original + step, minus = original - step;
            theta[d] = plus;
            double loss_plus = run_step(p, &p->point, 0.0f);
            theta[d] = minus;
            double loss_minus = run_step(p, &p->point, 0.0f);
            theta[d] = original;
            double numeric = (loss_plus - loss_minus) / ((double)plus - (double)minus);
            double analytic = (double)original - (double)moved[d];
            block->max_analytic = fmax(block->max_analytic, fabs(analytic));
            block->max_numeric = fmax(block->max_numeric, fabs(numeric));
            block->max_difference = fmax(block->max_difference, fabs(analytic - numeric));
        }
    }
    double scale = fmax(fmax(block->max_analytic, block->max_numeric), 1e-6);
    block->relative_error = block->max_difference / scale;
}

static void add_block(struct problem *p, struct w2v_gradcheck_report *report, float step,
                      bool output, const uint32_t *rows, uint32_t row_count, const char *name) {
    if (report->block_count == W2V_GRADCHECK_MAX_BLOCKS || row_count == 0) return;
    struct w2v_gradcheck_block *block = &report->blocks[report->block_count++];
    snprintf(block->name, sizeof block->name, "%s", name);
    check_block(p, step, output, rows, row_count, block);
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

static void problem_init(struct problem *p, enum w2v_model_kind model_kind,
                         enum w2v_loss_kind loss_kind, const struct w2v_gradcheck_options *o) {
    memset(p, 0, sizeof *p);
    const uint32_t V = o->vocab_size;
    p->model_kind = model_kind;
    p->loss_kind = loss_kind;
    p->kernels = o->kernels ? o->kernels : w2v_kernels_get();
    p->input_update_scale = o->input_update_scale;
    w2v_rng_seed(&p->rng, o->seed, 0x67726164ull + 16 * model_kind + loss_kind);
    const struct w2v_loss_ops *ops = w2v_loss_ops_for(loss_kind);

    /* Zipf-like counts, descending as a vocabulary's, for the Huffman tree. */
    uint64_t *counts = w2v_xmalloc(V * sizeof *counts);
    for (uint32_t w = 0; w < V; w++) counts[w] = 1000 / (w + 1) + 1;
    w2v_huffman_build(&p->tree, counts, V); /* V ≥ 4: cannot fail */
    w2v_free(counts);

    w2v_model_init(&p->point, V, ops->output_rows(V), o->dim, o->seed);
    w2v_model_init(&p->moved, V, ops->output_rows(V), o->dim, o->seed);
    for (uint32_t w = 0; w < V; w++)
        fill_random(&p->rng, w2v_model_input_row(&p->point, w), o->dim);
    for (uint32_t r = 0; r < p->point.output_rows; r++)
        fill_random(&p->rng, w2v_model_output_row(&p->point, r), o->dim);

    /* hs: the rarest word, whose path is the longest; otherwise any word. */
    p->target = loss_kind == W2V_LOSS_HS ? V - 1 : w2v_rng_below(&p->rng, V);
    uint32_t distinct[3] = {0};
    draw_distinct(&p->rng, V, distinct, 3, NULL, 0); /* may include the target: as in text */
    p->contexts[0] = distinct[0], p->contexts[1] = distinct[1];
    p->contexts[2] = distinct[0], p->contexts[3] = distinct[2];
    uint32_t negatives[3] = {0};
    draw_distinct(&p->rng, V, negatives, 3, &p->target, 1);
    p->outputs[0] = p->target;
    p->outputs[1] = negatives[0], p->outputs[2] = negatives[1];
    p->outputs[3] = negatives[0], p->outputs[4] = negatives[2];

    p->average = w2v_alloc_aligned(p->point.stride * sizeof(float));
    p->update_store = w2v_alloc_aligned(WINDOW * p->point.stride * sizeof(float));
    for (uint32_t m = 0; m < WINDOW; m++) p->updates[m] = p->update_store + m * p->point.stride;
    p->worker = (struct w2v_loss_worker){.ops = ops,
                                         .kernels = p->kernels,
                                         .model = &p->point,
                                         .tree = &p->tree,
                                         .rng = &p->rng,
                                         .negative = NEGATIVES};
    w2v_loss_worker_init(&p->worker, WINDOW);
}

static void problem_free(struct problem *p) {
    w2v_loss_worker_free(&p->worker);
    w2v_model_free(&p->point);
    w2v_model_free(&p->moved);
    w2v_huffman_free(&p->tree);
    w2v_free(p->average);
    w2v_free(p->update_store);
}

static void copy_model(struct w2v_model *to, const struct w2v_model *from) {
    memcpy(to->input, from->input, (size_t)from->vocab_size * from->stride * sizeof(float));
    memcpy(to->output, from->output, (size_t)from->output_rows * from->stride * sizeof(float));
}

/* ---- the blocks of each loss ---- */

static void describe(const struct problem *p, struct w2v_gradcheck_report *report) {
    int n = snprintf(report->problem, sizeof report->problem,
                     "contexts %u %u %u %u (word %u twice), target %u", p->contexts[0],
                     p->contexts[1], p->contexts[2], p->contexts[3], p->contexts[0], p->target);
    if (p->loss_kind == W2V_LOSS_NS)
        snprintf(report->problem + n, sizeof report->problem - n,
                 ", negatives %u %u %u %u (word %u drawn twice)", p->outputs[1], p->outputs[2],
                 p->outputs[3], p->outputs[4], p->outputs[1]);
    else if (p->loss_kind == W2V_LOSS_HS)
        snprintf(report->problem + n, sizeof report->problem - n, ", path of %u inner nodes",
                 p->tree.lengths[p->target]);
}

/* The output rows of `involved` get a block each; all others share one (expected zero
 * for ns and hs, the non-target words for softmax). */
static void check_output_blocks(struct problem *p, struct w2v_gradcheck_report *report, float step,
                                const uint32_t *involved, const char *const *names,
                                uint32_t involved_count, const char *others_name) {
    for (uint32_t i = 0; i < involved_count; i++)
        add_block(p, report, step, true, &involved[i], 1, names[i]);
    uint32_t *others = w2v_xmalloc((p->point.output_rows + 1) * sizeof *others);
    uint32_t other_count = 0;
    for (uint32_t r = 0; r < p->point.output_rows; r++) {
        bool listed = false;
        for (uint32_t i = 0; i < involved_count; i++) listed |= involved[i] == r;
        if (!listed) others[other_count++] = r;
    }
    char name[64];
    snprintf(name, sizeof name, "%s (%u rows)", others_name, other_count);
    add_block(p, report, step, true, others, other_count, name);
    w2v_free(others);
}

int w2v_gradcheck_run(enum w2v_model_kind model, enum w2v_loss_kind loss,
                      const struct w2v_gradcheck_options *options,
                      struct w2v_gradcheck_report *report) {
    memset(report, 0, sizeof *report);
    if (options->vocab_size < W2V_GRADCHECK_MIN_VOCAB ||
        options->vocab_size > W2V_GRADCHECK_MAX_VOCAB)
        return w2v_error("gradcheck needs a vocabulary of %d to %d words", W2V_GRADCHECK_MIN_VOCAB,
                         W2V_GRADCHECK_MAX_VOCAB);
    if (options->dim == 0) return w2v_error("gradcheck needs a dimension of at least 1");
    if (!(options->step > 0)) return w2v_error("gradcheck needs a positive step");
    if (!w2v_loss_ops_for(loss)) return w2v_error("unknown loss");

    struct problem p;
    problem_init(&p, model, loss, options);
    describe(&p, report);
    copy_model(&p.moved, &p.point);
    report->loss = run_step(&p, &p.moved, 1.0f); /* θ' = θ − ∂J/∂θ */
    const float step = options->step;

    char name[64];
    for (uint32_t i = 0; i < 3; i++) { /* the distinct context words: contexts 0, 1, 3 */
        uint32_t word = p.contexts[i == 2 ? 3 : i];
        snprintf(name, sizeof name, "dJ/dv[%u] (context, %s)", word, i == 0 ? "2 uses" : "1 use");
        add_block(&p, report, step, false, &word, 1, name);
    }

    char labels[W2V_GRADCHECK_MAX_BLOCKS][64];
    const char *names[W2V_GRADCHECK_MAX_BLOCKS];
    uint32_t involved[W2V_GRADCHECK_MAX_BLOCKS], involved_count = 0;
    if (loss == W2V_LOSS_NS) {
        const uint32_t listed[] = {0, 1, 2, 4}; /* outputs[3] repeats outputs[1] */
        for (uint32_t i = 0; i < 4; i++) {
            involved[involved_count] = p.outputs[listed[i]];
            snprintf(labels[involved_count], 64, "dJ/du[%u] (%s)", p.outputs[listed[i]],
                     i == 0   ? "target"
                     : i == 1 ? "negative, drawn twice"
                              : "negative");
            involved_count++;
        }
        for (uint32_t i = 0; i < involved_count; i++) names[i] = labels[i];
        check_output_blocks(&p, report, step, involved, names, involved_count,
                            "dJ/du[other words]");
    } else if (loss == W2V_LOSS_HS) {
        const uint8_t *codes = w2v_huffman_codes(&p.tree, p.target);
        const uint32_t *points = w2v_huffman_points(&p.tree, p.target);
        for (uint32_t j = 0; j < p.tree.lengths[p.target] && j + 4 < W2V_GRADCHECK_MAX_BLOCKS;
             j++) {
            involved[involved_count] = points[j];
            snprintf(labels[involved_count], 64, "dJ/du[node %u] (path %u, code %u)", points[j], j,
                     codes[j]);
            involved_count++;
        }
        for (uint32_t i = 0; i < involved_count; i++) names[i] = labels[i];
        check_output_blocks(&p, report, step, involved, names, involved_count,
                            "dJ/du[nodes off the path]");
    } else {
        involved[0] = p.target;
        snprintf(labels[0], 64, "dJ/du[%u] (target)", p.target);
        names[0] = labels[0];
        check_output_blocks(&p, report, step, involved, names, 1, "dJ/du[other words]");
    }
    problem_free(&p);
    return 0;
}

void w2v_gradcheck_default_options(struct w2v_gradcheck_options *options) {
    *options = (struct w2v_gradcheck_options){.vocab_size = 12,
                                              .dim = 10,
                                              .seed = 1,
                                              .step = 1e-2f,
                                              .input_update_scale = 1.0f,
                                              .kernels = NULL};
}
