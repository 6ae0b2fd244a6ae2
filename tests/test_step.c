/* test_step.c — the skip-gram window step (step.c) on windows far outside the
 * usual sizes: a window of 2,000 contexts or 1,000 negatives at the default
 * learning rate must keep every parameter finite (as one block such windows
 * diverged: issue 11 item 4), a window within the block budget is exactly one
 * loss block, and a larger one is exactly its groups trained one after the
 * other. Context combining (w2v_step_skipgram_combined): one window equals the
 * uncombined step given the same draws, and several windows match a
 * double-precision reference written from the formula in loss.h.
 * Hierarchical softmax's split path (hs_pair_nodes = d): d covering the whole
 * path is the pair step, byte for byte; d = 2 matches a double-precision
 * reference in which the top two nodes move context by context and the rest
 * of the path as one block. */
#include "testing.h"

#include "w2v/huffman.h"
#include "w2v/loss.h"
#include "w2v/step.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { V = 2000, DIM = 32, BIG_WINDOW = 2000 };

struct fixture {
    struct w2v_model model;
    struct w2v_sampler sampler;
    struct w2v_rng rng;
    struct w2v_step step;
};

static void fixture_init(struct fixture *f, uint32_t negative, uint32_t max_contexts) {
    memset(f, 0, sizeof *f);
    static uint64_t counts[V];
    for (uint32_t w = 0; w < V; w++) counts[w] = 100000 / (w + 1); /* Zipf */
    assert_int_equal(w2v_sampler_init(&f->sampler, counts, V, 0.75), 0);
    w2v_model_init(&f->model, V, V, DIM, 7, 1);
    w2v_rng_seed(&f->rng, 3, 1);
    const struct w2v_step_config config = {
        .model = W2V_MODEL_SKIPGRAM,
        .loss = W2V_LOSS_NS,
        .batch = W2V_BATCH_WINDOW,
        .negative = negative,
        .max_contexts = max_contexts,
        .sampler = &f->sampler,
    };
    assert_int_equal(w2v_step_init(&f->step, &config, &f->model, &f->rng), 0);
}

static void fixture_free(struct fixture *f) {
    w2v_step_free(&f->step);
    w2v_sampler_free(&f->sampler);
    w2v_model_free(&f->model);
}

static bool model_finite(const struct w2v_model *model) {
    for (uint32_t w = 0; w < model->vocab_size; w++)
        for (uint32_t d = 0; d < model->dim; d++)
            if (!isfinite(w2v_model_input_row(model, w)[d]) ||
                !isfinite(w2v_model_output_row(model, w)[d]))
                return false;
    return true;
}

/* A text with structure: word w is followed by w + 1 or w + 2 (mod V), so windows
 * of neighbouring centres share most of their words, as in real text. */
static void fill_text(uint32_t *text, uint32_t length, unsigned seed) {
    text[0] = 0;
    for (uint32_t i = 1; i < length; i++) {
        seed = seed * 1664525u + 1013904223u;
        text[i] = (text[i - 1] + 1 + (seed >> 31)) % V;
    }
}

/* Trains `steps` windows of `radius` words either side over a structured text at
 * lr 0.025; every loss and, at the end, every parameter must be finite. */
static void train_stays_finite(uint32_t negative, uint32_t radius, uint32_t steps) {
    struct fixture f;
    fixture_init(&f, negative, 2 * radius);
    const uint32_t length = steps + 2 * radius + 1;
    uint32_t *text = malloc(length * sizeof *text);
    fill_text(text, length, 11);
    double first = 0, last = 0;
    for (uint32_t i = 0; i < steps; i++) {
        uint32_t contexts[2 * BIG_WINDOW];
        uint32_t centre = i + radius, count = 0;
        for (uint32_t j = i; j <= i + 2 * radius; j++)
            if (j != centre) contexts[count++] = text[j];
        double loss =
            w2v_step_skipgram(&f.step, contexts, count, text[centre], 0.025f, W2V_UPDATE) / count;
        if (!isfinite(loss)) fail_msg("step %u: loss %g", i, loss);
        if (i == 0) first = loss;
        last = loss;
    }
    print_message("# K %u, window %u: loss per context %.4f -> %.4f over %u steps\n", negative,
                  radius, first, last, steps);
    assert_true(model_finite(&f.model));
    assert_true(last < first); /* and it learned */
    free(text);
    fixture_free(&f);
}

static void test_window_of_2000_contexts_stays_finite(void **state) {
    (void)state;
    train_stays_finite(5, BIG_WINDOW / 2, 400);
}

static void test_1000_negatives_stay_finite(void **state) {
    (void)state;
    train_stays_finite(1000, 5, 3000);
}

/* Copies the model's parameters out (both matrices, padding included). */
static float *snapshot(const struct w2v_model *model) {
    size_t floats = ((size_t)model->vocab_size + model->output_rows) * model->stride;
    float *copy = malloc(floats * sizeof *copy);
    memcpy(copy, model->input, (size_t)model->vocab_size * model->stride * sizeof *copy);
    memcpy(copy + (size_t)model->vocab_size * model->stride, model->output,
           (size_t)model->output_rows * model->stride * sizeof *copy);
    return copy;
}

static void assert_same_model(const struct w2v_model *a, const struct w2v_model *b) {
    float *x = snapshot(a), *y = snapshot(b);
    size_t floats = ((size_t)a->vocab_size + a->output_rows) * a->stride;
    assert_memory_equal(x, y, floats * sizeof *x);
    free(x);
    free(y);
}

/* One step over `count` contexts against the reference: the loss's own block over
 * the contexts [first, end) of each group in turn, input updates applied after
 * each group, from the same random state. */
static void check_groups(uint32_t negative, uint32_t count, uint32_t expected_groups) {
    struct fixture a, b;
    fixture_init(&a, negative, count);
    fixture_init(&b, negative, count);
    uint32_t contexts[2 * BIG_WINDOW];
    fill_text(contexts, count, 5);
    const uint32_t centre = 17;
    /* Warm both up identically so the output rows are no longer zero. */
    for (int r = 0; r < 3; r++) {
        w2v_step_skipgram(&a.step, contexts, count, centre, 0.025f, W2V_UPDATE);
        w2v_step_skipgram(&b.step, contexts, count, centre, 0.025f, W2V_UPDATE);
    }
    const uint32_t group = a.step.group_contexts;
    const uint32_t groups = (count + group - 1) / group;
    assert_int_equal(groups, expected_groups);
    double loss_a = w2v_step_skipgram(&a.step, contexts, count, centre, 0.025f, W2V_UPDATE);

    /* Reference on b: the loss table directly, group by group. */
    struct w2v_loss_worker *worker = &b.step.loss;
    double loss_b = 0;
    for (uint32_t g = 0; g < groups; g++) {
        uint32_t first = count * g / groups, end = count * (g + 1) / groups;
        const float *inputs[2 * BIG_WINDOW];
        float *updates[2 * BIG_WINDOW];
        for (uint32_t m = first; m < end; m++) {
            inputs[m - first] = w2v_model_input_row(&b.model, contexts[m]);
            updates[m - first] = b.step.update_store + (size_t)m * b.model.stride;
            memset(updates[m - first], 0, b.model.stride * sizeof(float));
        }
        loss_b +=
            worker->ops->step(worker, inputs, end - first, centre, 0.025f, W2V_UPDATE, updates);
        for (uint32_t m = first; m < end; m++)
            worker->kernels->axpy(1.0f, updates[m - first],
                                  w2v_model_input_row(&b.model, contexts[m]), DIM);
    }
    assert_true(loss_a == loss_b);
    assert_same_model(&a.model, &b.model);
    fixture_free(&a);
    fixture_free(&b);
}

static void test_usual_window_is_one_block(void **state) {
    (void)state;
    check_groups(5, 10, 1);  /* window 5, K 5 */
    check_groups(25, 20, 1); /* window 10, K 25 */
}

static void test_large_window_is_its_groups_in_turn(void **state) {
    (void)state;
    check_groups(5, 2 * BIG_WINDOW, (2 * BIG_WINDOW + 169) / 170); /* 1024 / 6 = 170 */
    check_groups(1000, 10, 10);                                    /* one context a block */
}

/* ---- context combining ---- */

enum { SMALL_V = 6, K = 8 };

/* Output rows 0..rows-1 uniform in [−0.5, 0.5) from a small LCG (model_init leaves them 0). */
static void spread_output_rows(struct w2v_model *model, uint32_t rows, unsigned seed) {
    for (uint32_t r = 0; r < rows; r++)
        for (uint32_t d = 0; d < DIM; d++) {
            seed = seed * 1664525u + 1013904223u;
            w2v_model_output_row(model, r)[d] = (float)((seed >> 8) / 16777216.0 - 0.5);
        }
}

static void small_fixture(struct fixture *f, uint32_t combine) {
    memset(f, 0, sizeof *f);
    uint64_t counts[SMALL_V] = {50, 30, 20, 10, 5, 5};
    assert_int_equal(w2v_sampler_init(&f->sampler, counts, SMALL_V, 0.75), 0);
    w2v_model_init(&f->model, SMALL_V, SMALL_V, DIM, 9, 1);
    spread_output_rows(&f->model, SMALL_V, 77); /* away from zero, so every term counts */
    w2v_rng_seed(&f->rng, 4, 1);
    const struct w2v_step_config config = {
        .model = W2V_MODEL_SKIPGRAM,
        .loss = W2V_LOSS_NS,
        .batch = W2V_BATCH_WINDOW,
        .negative = K,
        .max_contexts = 4,
        .combine = combine,
        .sampler = &f->sampler,
    };
    assert_int_equal(w2v_step_init(&f->step, &config, &f->model, &f->rng), 0);
}

static void assert_models_near(const struct w2v_model *a, const struct w2v_model *b, float tol) {
    for (uint32_t w = 0; w < a->vocab_size; w++)
        for (uint32_t d = 0; d < a->dim; d++) {
            float x = w2v_model_input_row(a, w)[d], y = w2v_model_input_row(b, w)[d];
            float u = w2v_model_output_row(a, w)[d], v = w2v_model_output_row(b, w)[d];
            if (fabsf(x - y) > tol || fabsf(u - v) > tol)
                fail_msg("word %u dim %u: input %.9g vs %.9g, output %.9g vs %.9g", w, d, x, y, u,
                         v);
        }
}

static void test_combined_one_window_is_the_window_step(void **state) {
    (void)state;
    struct fixture a, b;
    small_fixture(&a, 1);
    small_fixture(&b, 1);
    const uint32_t contexts[] = {1, 3, 3, 5};
    for (int r = 0; r < 20; r++) {
        const uint32_t centre = (uint32_t)r % SMALL_V;
        /* The draws the uncombined step will make, from a copy of its random state. */
        struct w2v_rng copy = a.rng;
        uint32_t negatives[K];
        for (uint32_t d = 0; d < K; d++)
            negatives[d] = w2v_sampler_draw(&a.sampler, w2v_rng_next(&copy));
        double ja = w2v_step_skipgram(&a.step, contexts, 4, centre, 0.05f, W2V_UPDATE);
        const struct w2v_step_window window = {contexts, 4, centre};
        double jb =
            w2v_step_skipgram_combined(&b.step, &window, 1, negatives, K, 0.05f, W2V_UPDATE);
        assert_true(fabs(ja - jb) < 1e-5 * fabs(ja));
        assert_models_near(&a.model, &b.model, 1e-6f);
    }
    fixture_free(&a);
    fixture_free(&b);
}

static double sigmoid_d(double x) {
    return 1.0 / (1.0 + exp(-x));
}

static void test_combined_windows_match_reference(void **state) {
    (void)state;
    struct fixture f;
    small_fixture(&f, 3);
    /* Windows centred on 0 (the first), on 2 (to be drawn) and on 4 (maybe not drawn:
     * then added with weight 0); word 3 is a context of two windows. */
    const uint32_t c0[] = {1, 3}, c1[] = {3, 5, 0}, c2[] = {2};
    const struct w2v_step_window windows[] = {{c0, 2, 0}, {c1, 3, 2}, {c2, 1, 4}};
    const uint32_t negatives[K] = {2, 1, 2, 0, 5, 2, 1, 3}; /* 0 is the first centre: left out */
    const float lr = 0.1f;

    /* Reference, in double from the rows before the step. */
    uint32_t ids[SMALL_V + 3], n_out = 0;
    double weight[SMALL_V + 3];
    ids[n_out] = 0, weight[n_out++] = 1;
    for (uint32_t d = 0; d < K; d++) {
        if (negatives[d] == 0) continue;
        uint32_t n = 0;
        while (n < n_out && ids[n] != negatives[d]) n++;
        if (n == n_out) ids[n_out] = negatives[d], weight[n_out++] = 0;
        weight[n] += 1;
    }
    if (n_out == 5) ids[n_out] = 4, weight[n_out++] = 0; /* 4 was not drawn */
    assert_int_equal(n_out, 6);                          /* 0, 2, 1, 5, 3, 4 */
    double in[SMALL_V][DIM], out[SMALL_V][DIM], d_in[SMALL_V][DIM] = {{0}},
                                                d_out[SMALL_V][DIM] = {{0}};
    for (uint32_t w = 0; w < SMALL_V; w++)
        for (uint32_t d = 0; d < DIM; d++) {
            in[w][d] = w2v_model_input_row(&f.model, w)[d];
            out[w][d] = w2v_model_output_row(&f.model, w)[d];
        }
    double expected_loss = 0;
    for (uint32_t w = 0; w < 3; w++)
        for (uint32_t m = 0; m < windows[w].n_contexts; m++) {
            const uint32_t word = windows[w].contexts[m];
            for (uint32_t n = 0; n < n_out; n++) {
                double s = 0;
                for (uint32_t d = 0; d < DIM; d++) s += in[word][d] * out[ids[n]][d];
                const bool y = ids[n] == windows[w].centre;
                const double c = y ? 1 : weight[n];
                expected_loss += c * -log(sigmoid_d(y ? s : -s));
                const double g = lr * c * ((y ? 1 : 0) - sigmoid_d(s));
                for (uint32_t d = 0; d < DIM; d++) {
                    d_in[word][d] += g * out[ids[n]][d];
                    d_out[ids[n]][d] += g * in[word][d];
                }
            }
        }
    double loss = w2v_step_skipgram_combined(&f.step, windows, 3, negatives, K, lr, W2V_UPDATE);
    assert_true(fabs(loss - expected_loss) < 1e-5 * expected_loss);
    for (uint32_t w = 0; w < SMALL_V; w++)
        for (uint32_t d = 0; d < DIM; d++) {
            double want_in = in[w][d] + d_in[w][d], want_out = out[w][d] + d_out[w][d];
            if (fabs(w2v_model_input_row(&f.model, w)[d] - want_in) > 1e-6 ||
                fabs(w2v_model_output_row(&f.model, w)[d] - want_out) > 1e-6)
                fail_msg("word %u dim %u differs from the reference", w, d);
        }
    assert_int_equal(f.step.predictions, 6);
    fixture_free(&f);
}

/* ---- hierarchical softmax, the top of the path pair by pair ---- */

enum { HS_V = 40 };

struct hs_fixture {
    struct w2v_model model;
    struct w2v_huffman tree;
    struct w2v_rng rng;
    struct w2v_step step;
};

static void hs_fixture_init(struct hs_fixture *f, enum w2v_batch_mode batch, uint32_t pair_nodes) {
    memset(f, 0, sizeof *f);
    uint64_t counts[HS_V];
    for (uint32_t w = 0; w < HS_V; w++) counts[w] = 1000 / (w + 1); /* Zipf: paths of 3..8 */
    assert_int_equal(w2v_huffman_build(&f->tree, counts, HS_V), 0);
    w2v_model_init(&f->model, HS_V, HS_V - 1, DIM, 5, 1);
    spread_output_rows(&f->model, HS_V - 1, 91); /* inner-node rows away from zero */
    w2v_rng_seed(&f->rng, 2, 1);
    const struct w2v_step_config config = {
        .model = W2V_MODEL_SKIPGRAM,
        .loss = W2V_LOSS_HS,
        .batch = batch,
        .max_contexts = 10,
        .hs_pair_nodes = pair_nodes,
        .tree = &f->tree,
    };
    assert_int_equal(w2v_step_init(&f->step, &config, &f->model, &f->rng), 0);
}

static void hs_fixture_free(struct hs_fixture *f) {
    w2v_step_free(&f->step);
    w2v_huffman_free(&f->tree);
    w2v_model_free(&f->model);
}

/* d at least the longest path: every node pair by pair, which is --batch pair
 * (the contexts of each window distinct, so applying the input updates at the
 * window's end instead of after each pair reads the same rows). */
static void test_hs_whole_path_pair_by_pair_is_pair_step(void **state) {
    (void)state;
    struct hs_fixture a, b;
    hs_fixture_init(&a, W2V_BATCH_PAIR, 0);
    hs_fixture_init(&b, W2V_BATCH_WINDOW, 64);
    assert_true(b.tree.max_length < 64);
    for (uint32_t r = 0; r < 30; r++) {
        uint32_t contexts[6], centre = (r * 7) % HS_V;
        for (uint32_t m = 0; m < 6; m++) contexts[m] = (centre + 1 + 3 * m) % HS_V;
        double ja = w2v_step_skipgram(&a.step, contexts, 6, centre, 0.1f, W2V_UPDATE);
        double jb = w2v_step_skipgram(&b.step, contexts, 6, centre, 0.1f, W2V_UPDATE);
        assert_true(ja == jb);
    }
    assert_same_model(&a.model, &b.model);
    hs_fixture_free(&a);
    hs_fixture_free(&b);
}

/* d = 2 against the formula (step.h), in double from the rows before the step:
 * nodes j >= 2 scored once for all contexts, nodes 0 and 1 context by context. */
static void test_hs_top_nodes_pair_by_pair_match_reference(void **state) {
    (void)state;
    struct hs_fixture f;
    hs_fixture_init(&f, W2V_BATCH_WINDOW, 2);
    const uint32_t contexts[] = {3, 0, 17, 3}; /* 3 twice: both its updates land */
    const uint32_t n = 4, centre = 25, top = 2;
    const float lr = 0.2f;
    const uint32_t length = f.tree.lengths[centre];
    const uint8_t *codes = w2v_huffman_codes(&f.tree, centre);
    const uint32_t *points = w2v_huffman_points(&f.tree, centre);
    assert_true(length > top + 1); /* both parts are there */

    double in[HS_V][DIM], out[HS_V][DIM], d_in[HS_V][DIM] = {{0}};
    for (uint32_t w = 0; w < HS_V; w++)
        for (uint32_t d = 0; d < DIM; d++) {
            in[w][d] = w2v_model_input_row(&f.model, w)[d];
            out[w][d] = w < HS_V - 1 ? w2v_model_output_row(&f.model, w)[d] : 0;
        }
    double moved[HS_V][DIM]; /* the output rows as they end up */
    memcpy(moved, out, sizeof moved);
    double expected_loss = 0;
    /* Deeper nodes: every score from the rows before the step, the updates summed. */
    for (uint32_t j = top; j < length; j++)
        for (uint32_t m = 0; m < n; m++) {
            const double *u = out[points[j]], *v = in[contexts[m]];
            double s = 0;
            for (uint32_t d = 0; d < DIM; d++) s += u[d] * v[d];
            const double t = codes[j] ? 0 : 1, g = lr * (t - sigmoid_d(s));
            expected_loss += -log(sigmoid_d(codes[j] ? -s : s));
            for (uint32_t d = 0; d < DIM; d++) {
                d_in[contexts[m]][d] += g * u[d];
                moved[points[j]][d] += g * v[d];
            }
        }
    /* Top nodes: context by context, each reading the rows the earlier ones moved. */
    for (uint32_t m = 0; m < n; m++)
        for (uint32_t j = 0; j < top; j++) {
            double *u = moved[points[j]];
            const double *v = in[contexts[m]];
            double s = 0;
            for (uint32_t d = 0; d < DIM; d++) s += u[d] * v[d];
            const double t = codes[j] ? 0 : 1, g = lr * (t - sigmoid_d(s));
            expected_loss += -log(sigmoid_d(codes[j] ? -s : s));
            for (uint32_t d = 0; d < DIM; d++) {
                d_in[contexts[m]][d] += g * u[d];
                u[d] += g * v[d];
            }
        }

    double loss = w2v_step_skipgram(&f.step, contexts, n, centre, lr, W2V_UPDATE);
    assert_true(fabs(loss - expected_loss) < 1e-5 * expected_loss);
    for (uint32_t w = 0; w < HS_V; w++)
        for (uint32_t d = 0; d < DIM; d++) {
            if (fabs(w2v_model_input_row(&f.model, w)[d] - (in[w][d] + d_in[w][d])) > 1e-5)
                fail_msg("input %u dim %u differs from the reference", w, d);
            if (w < HS_V - 1 && fabs(w2v_model_output_row(&f.model, w)[d] - moved[w][d]) > 1e-5)
                fail_msg("node %u dim %u differs from the reference", w, d);
        }
    hs_fixture_free(&f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_window_of_2000_contexts_stays_finite),
        cmocka_unit_test(test_1000_negatives_stay_finite),
        cmocka_unit_test(test_usual_window_is_one_block),
        cmocka_unit_test(test_large_window_is_its_groups_in_turn),
        cmocka_unit_test(test_combined_one_window_is_the_window_step),
        cmocka_unit_test(test_combined_windows_match_reference),
        cmocka_unit_test(test_hs_whole_path_pair_by_pair_is_pair_step),
        cmocka_unit_test(test_hs_top_nodes_pair_by_pair_match_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
