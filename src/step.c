/* step.c — skip-gram and CBOW windows over the loss table (step.h has the math).
 *
 * The only place where a window becomes a loss call and the loss's input
 * updates reach the input rows: the trainer's workers and the gradient checker
 * both run these functions. */
#include "w2v/step.h"

#include "w2v/alloc.h"
#include "w2v/error.h"
#include "w2v/huffman.h"

#include <string.h>

/* The most (context × output) scores one skip-gram window block may hold.
 * In a block every output row receives one stale-score term per context and
 * every context row one per output, all computed before anything moves, so
 * the effective step grows with both. As one block, --window 1000 or
 * --negative 1000 diverged at alpha 0.025 on a generated corpus of long
 * sentences (window 300 × K 5 diverged too, window 200 trained). Windows with
 * more than W2V_STEP_BLOCK_BUDGET / outputs contexts are cut into consecutive
 * groups, each its own block; usual settings stay one block and train
 * byte-identically (window 10 with K 25: 20 × 26 scores). */
enum { W2V_STEP_BLOCK_BUDGET = 1024 };

/* The outputs each input's gradient sums over at full weight: ns the true word
 * and K negatives, hs the longest Huffman path, hs+ns both; the softmax's
 * probabilities sum to one, so it counts as the target and the rest. */
static uint32_t block_outputs(const struct w2v_step_config *config) {
    uint32_t outputs = 0;
    if (w2v_loss_uses_negatives(config->loss)) outputs += config->negative + 1;
    if (w2v_loss_uses_tree(config->loss)) outputs += config->tree->max_length;
    if (config->loss == W2V_LOSS_SOFTMAX) outputs += 2;
    return outputs > 0 ? outputs : 1;
}

int w2v_step_init(struct w2v_step *step, const struct w2v_step_config *config,
                  struct w2v_model *model, struct w2v_rng *rng) {
    memset(step, 0, sizeof *step);
    const struct w2v_loss_ops *ops = w2v_loss_ops_for(config->loss);
    if (!ops) return w2v_error("unknown loss %d", (int)config->loss);
    if (w2v_loss_uses_negatives(config->loss) && (!config->sampler || config->negative == 0))
        return w2v_error("negative sampling needs a sampler and at least one negative");
    if (w2v_loss_uses_tree(config->loss) && !config->tree)
        return w2v_error("hierarchical softmax needs a Huffman tree");
    const uint32_t max_contexts = config->max_contexts ? config->max_contexts : 1;
    const uint32_t combine =
        config->model == W2V_MODEL_SKIPGRAM && config->combine ? config->combine : 1;
    const uint32_t max_inputs = max_contexts * combine;
    step->model = config->model;
    step->batch = config->batch;
    step->cbow_update = config->cbow_update;
    step->max_contexts = max_contexts;
    step->combine = combine;
    step->hs_pair_nodes = config->loss == W2V_LOSS_HS ? config->hs_pair_nodes : 0;
    step->group_contexts = W2V_STEP_BLOCK_BUDGET / block_outputs(config);
    if (step->group_contexts == 0) step->group_contexts = 1;
    step->loss = (struct w2v_loss_worker){
        .ops = ops,
        .kernels = config->kernels ? config->kernels : w2v_kernels_get(),
        .model = model,
        .sampler = config->sampler,
        .tree = config->tree,
        .rng = rng,
        .negative = config->negative,
        .extra_outputs = combine - 1, /* later centres not among the first window's outputs */
    };
    /* Skip-gram's window batch scores every context; CBOW scores the one average. */
    w2v_loss_worker_init(&step->loss, config->model == W2V_MODEL_SKIPGRAM ? max_inputs : 1);
    /* One window's inputs and update buffers; the combined step's inputs (all its
     * windows') need rows and labels only, its updates are applied in place. */
    step->inputs = w2v_xmalloc(max_contexts * sizeof *step->inputs);
    step->input_rows = w2v_xmalloc(max_inputs * sizeof *step->input_rows);
    step->updates = w2v_xmalloc(max_contexts * sizeof *step->updates);
    step->update_store = w2v_alloc_aligned((size_t)max_contexts * model->stride * sizeof(float));
    step->labels = w2v_xmalloc(max_inputs * sizeof *step->labels);
    step->weights = w2v_xmalloc(step->loss.max_outputs * sizeof *step->weights);
    for (uint32_t m = 0; m < max_contexts; m++)
        step->updates[m] = step->update_store + (size_t)m * model->stride;
    step->average = w2v_alloc_aligned(model->stride * sizeof(float));
    return 0;
}

void w2v_step_free(struct w2v_step *step) {
    w2v_loss_worker_free(&step->loss);
    w2v_free(step->inputs);
    w2v_free(step->input_rows);
    w2v_free(step->updates);
    w2v_free(step->update_store);
    w2v_free(step->average);
    w2v_free(step->labels);
    w2v_free(step->weights);
    memset(step, 0, sizeof *step);
}

/* Points inputs[m] and input_rows[m] at the input row of contexts[m]. */
static void gather_rows(struct w2v_step *step, const uint32_t *contexts, uint32_t n_contexts) {
    const struct w2v_model *model = step->loss.model;
    for (uint32_t m = 0; m < n_contexts; m++)
        step->inputs[m] = step->input_rows[m] = w2v_model_input_row(model, contexts[m]);
}

static void clear_updates(struct w2v_step *step, uint32_t count) {
    memset(step->update_store, 0, (size_t)count * step->loss.model->stride * sizeof(float));
}

/* Hierarchical softmax over the contexts [first, end) with the top d =
 * hs_pair_nodes nodes of the centre's path taken pair by pair (step.h):
 *     deeper nodes j >= d: one block, every s_mj from the rows before the step
 *     top nodes j < d:     for m = first..end−1, a 1×d block: s_mj = u_j·v_m
 *                          with u_j as the contexts before m left it
 * Input updates go to updates[m] (applied by the caller), so every score
 * reads v_m as it was before the step. */
static double hs_split_block(struct w2v_step *step, uint32_t first, uint32_t end, uint32_t centre,
                             float lr, enum w2v_update update) {
    struct w2v_loss_worker *worker = &step->loss;
    const struct w2v_huffman *tree = worker->tree;
    const uint32_t length = tree->lengths[centre];
    const uint8_t *codes = w2v_huffman_codes(tree, centre);
    const uint32_t *points = w2v_huffman_points(tree, centre);
    const uint32_t top = step->hs_pair_nodes < length ? step->hs_pair_nodes : length;
    double loss = 0;
    if (length > top) {
        w2v_hs_path_outputs(worker, points + top, codes + top, length - top);
        loss += w2v_logistic_block(worker, step->inputs + first, end - first, length - top, lr,
                                   update, step->updates + first);
    }
    if (top > 0) {
        w2v_hs_path_outputs(worker, points, codes, top);
        for (uint32_t m = first; m < end; m++)
            loss +=
                w2v_logistic_block(worker, step->inputs + m, 1, top, lr, update, step->updates + m);
    }
    return loss;
}

double w2v_step_skipgram(struct w2v_step *step, const uint32_t *contexts, uint32_t n_contexts,
                         uint32_t centre, float lr, enum w2v_update update) {
    const struct w2v_kernels *k = step->loss.kernels;
    const struct w2v_loss_ops *ops = step->loss.ops;
    const uint32_t dim = step->loss.model->dim;
    gather_rows(step, contexts, n_contexts);
    if (update == W2V_UPDATE) clear_updates(step, n_contexts);
    double loss = 0;
    if (step->batch == W2V_BATCH_WINDOW) {
        /* One block per group: every v_m of the group against the centre and one shared
         * set of negatives; a window of at most group_contexts words is a single group. */
        const uint32_t groups = (n_contexts + step->group_contexts - 1) / step->group_contexts;
        for (uint32_t g = 0; g < groups; g++) {
            const uint32_t first = (uint32_t)((uint64_t)n_contexts * g / groups);
            const uint32_t end = (uint32_t)((uint64_t)n_contexts * (g + 1) / groups);
            if (step->hs_pair_nodes)
                loss += hs_split_block(step, first, end, centre, lr, update);
            else
                loss += ops->step(&step->loss, step->inputs + first, end - first, centre, lr,
                                  update, step->updates + first);
            if (update == W2V_UPDATE)
                for (uint32_t m = first; m < end; m++)
                    k->axpy(1.0f, step->updates[m], step->input_rows[m],
                            dim); /* v_m −= lr·∂J/∂v_m */
        }
    } else {
        /* word2vec.c: pair by pair, each with its own negatives, applied at once. */
        for (uint32_t m = 0; m < n_contexts; m++) {
            loss +=
                ops->step(&step->loss, step->inputs + m, 1, centre, lr, update, step->updates + m);
            if (update == W2V_UPDATE) k->axpy(1.0f, step->updates[m], step->input_rows[m], dim);
        }
    }
    if (update == W2V_UPDATE) step->loss.flops += 2ull * dim * n_contexts;
    step->predictions += n_contexts;
    return loss;
}

/* The index of word in ids[0..count-1], or count if absent. */
static uint32_t find_output(const uint32_t *ids, uint32_t count, uint32_t word) {
    uint32_t n = 0;
    while (n < count && ids[n] != word) n++;
    return n;
}

double w2v_step_skipgram_combined(struct w2v_step *step, const struct w2v_step_window *windows,
                                  uint32_t n_windows, const uint32_t *negatives,
                                  uint32_t n_negatives, float lr, enum w2v_update update) {
    struct w2v_loss_worker *worker = &step->loss;
    const uint32_t dim = worker->model->dim;
    uint32_t *ids = worker->output_ids;
    float *weight = step->weights;

    /* The output set: the first centre (a negative of weight 1 for the other windows),
     * then each distinct drawn word weighted by its draws, then absent later centres. */
    uint32_t n_outputs = 0;
    ids[n_outputs] = windows[0].centre, weight[n_outputs++] = 1.0f;
    for (uint32_t d = 0; d < n_negatives; d++) {
        if (negatives[d] == windows[0].centre) continue; /* as the uncombined step */
        uint32_t n = find_output(ids, n_outputs, negatives[d]);
        if (n == n_outputs) ids[n_outputs] = negatives[d], weight[n_outputs++] = 0.0f;
        weight[n] += 1.0f;
    }
    uint32_t n_inputs = 0;
    for (uint32_t w = 0; w < n_windows; w++) {
        uint32_t label = find_output(ids, n_outputs, windows[w].centre);
        if (label == n_outputs) ids[n_outputs] = windows[w].centre, weight[n_outputs++] = 0.0f;
        for (uint32_t m = 0; m < windows[w].n_contexts; m++, n_inputs++) {
            step->input_rows[n_inputs] = w2v_model_input_row(worker->model, windows[w].contexts[m]);
            step->labels[n_inputs] = label;
        }
    }
    for (uint32_t n = 0; n < n_outputs; n++)
        worker->output_rows[n] = w2v_model_output_row(worker->model, worker->ns_first_row + ids[n]);

    /* v_m −= lr·∂J/∂v_m and u_n −= lr·∂J/∂u_n, in place */
    double loss = w2v_logistic_block_labelled(worker, step->input_rows, n_inputs, step->labels,
                                              weight, n_outputs, lr, update);
    if (update == W2V_UPDATE) worker->flops += 1ull * dim * n_inputs; /* adding each update */
    step->predictions += n_inputs;
    return loss;
}

double w2v_step_cbow(struct w2v_step *step, const uint32_t *contexts, uint32_t n_contexts,
                     uint32_t centre, float lr, enum w2v_update update) {
    const struct w2v_kernels *k = step->loss.kernels;
    const uint32_t dim = step->loss.model->dim;
    gather_rows(step, contexts, n_contexts);

    /* h = (1/M) Σ_m v_m */
    const float inverse = 1.0f / (float)n_contexts;
    memset(step->average, 0, dim * sizeof(float));
    for (uint32_t m = 0; m < n_contexts; m++) k->axpy(inverse, step->inputs[m], step->average, dim);
    if (update == W2V_UPDATE) clear_updates(step, 1);
    const float *average = step->average;
    double loss = step->loss.ops->step(&step->loss, &average, 1, centre, lr, update, step->updates);

    if (update == W2V_UPDATE) {
        /* mean: v_m −= lr·(1/M)·∂J/∂h, the exact gradient; sum: v_m −= lr·∂J/∂h (word2vec.c). */
        const float share = step->cbow_update == W2V_CBOW_MEAN ? inverse : 1.0f;
        for (uint32_t m = 0; m < n_contexts; m++)
            k->axpy(share, step->updates[0], step->input_rows[m], dim);
        step->loss.flops += 2ull * dim * n_contexts;
    }
    step->loss.flops += 2ull * dim * n_contexts;
    step->predictions += 1;
    return loss;
}

const char *w2v_model_kind_name(enum w2v_model_kind kind) {
    return kind == W2V_MODEL_SKIPGRAM ? "sg" : "cbow";
}
