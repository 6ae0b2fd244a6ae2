/* test_losses.c — the loss steps against independent double-precision references
 * written from the formulas in DESIGN.md (not through the library), the
 * hierarchical-softmax distribution, and the Huffman tree's invariants. */
#include "testing.h"

#include "w2v/alloc.h"
#include "w2v/huffman.h"
#include "w2v/loss.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { DIM = 7, MAX_V = 256, MAX_M = 4 };

static float random_unit(unsigned *state) {
    *state = *state * 1664525u + 1013904223u;
    return (float)((*state >> 8) / 16777216.0 * 2.0 - 1.0);
}

static double sigmoid_d(double x) {
    return 1.0 / (1.0 + exp(-x));
}

static double dot_d(const float *a, const float *b, uint32_t n) {
    double s = 0;
    for (uint32_t i = 0; i < n; i++) s += (double)a[i] * b[i];
    return s;
}

static void near(double expected, double actual, double tolerance) {
    if (fabs(expected - actual) > tolerance * fmax(1.0, fabs(expected)))
        fail_msg("expected %.9g, got %.9g", expected, actual);
}

/* A model with random rows in (−scale, scale) and a worker for `ops` over it. */
struct fixture {
    struct w2v_model model, before;
    struct w2v_huffman tree;
    struct w2v_loss_worker worker;
    struct w2v_rng rng;
    float update_store[MAX_M][DIM];
    float *updates[MAX_M];
};

static void fixture_init(struct fixture *f, const struct w2v_loss_ops *ops, uint32_t vocab_size,
                         uint32_t negative, float scale, unsigned seed) {
    memset(f, 0, sizeof *f);
    uint64_t counts[MAX_V];
    for (uint32_t w = 0; w < vocab_size; w++) counts[w] = 100 / (w + 1) + 1;
    assert_int_equal(w2v_huffman_build(&f->tree, counts, vocab_size), 0);
    uint32_t rows = ops->output_rows(vocab_size);
    w2v_model_init(&f->model, vocab_size, rows, DIM, 1, 1);
    w2v_model_init(&f->before, vocab_size, rows, DIM, 1, 1);
    for (uint32_t w = 0; w < vocab_size; w++)
        for (uint32_t d = 0; d < DIM; d++)
            w2v_model_input_row(&f->model, w)[d] = scale * random_unit(&seed);
    for (uint32_t r = 0; r < rows; r++)
        for (uint32_t d = 0; d < DIM; d++)
            w2v_model_output_row(&f->model, r)[d] = scale * random_unit(&seed);
    memcpy(f->before.input, f->model.input, vocab_size * f->model.stride * sizeof(float));
    memcpy(f->before.output, f->model.output, (rows ? rows : 1) * f->model.stride * sizeof(float));
    for (uint32_t m = 0; m < MAX_M; m++) f->updates[m] = f->update_store[m];
    w2v_rng_seed(&f->rng, seed, 0);
    f->worker = (struct w2v_loss_worker){.ops = ops,
                                         .kernels = w2v_kernels_get(),
                                         .model = &f->model,
                                         .tree = &f->tree,
                                         .rng = &f->rng,
                                         .negative = negative};
    w2v_loss_worker_init(&f->worker, MAX_M);
}

static void fixture_free(struct fixture *f) {
    w2v_loss_worker_free(&f->worker);
    w2v_model_free(&f->model);
    w2v_model_free(&f->before);
    w2v_huffman_free(&f->tree);
}

/* ---- negative sampling against DESIGN.md's formulas ---- */

static void test_ns_matches_reference(void **state) {
    (void)state;
    const uint32_t V = 10, M = 3;
    struct fixture f;
    fixture_init(&f, &w2v_loss_negative_sampling, V, 4, 0.6f, 11);
    /* Inputs: input rows 2, 5, 2 (a repeated context); outputs: o = 3, negatives 7 1 7 8. */
    const uint32_t contexts[] = {2, 5, 2};
    const uint32_t outputs[] = {3, 7, 1, 7, 8};
    const uint32_t n_outputs = 5;
    const float *inputs[MAX_M];
    for (uint32_t m = 0; m < M; m++) inputs[m] = w2v_model_input_row(&f.model, contexts[m]);

    /* Reference, per input v_c = h_m:
     *   J = −log σ(u_o·v_c) − Σ_k log σ(−u_k·v_c)
     *   ∂J/∂v_c = −(1−σ(u_o·v_c)) u_o + Σ_k (1−σ(−u_k·v_c)) u_k
     *   ∂J/∂u_o = −(1−σ(u_o·v_c)) v_c,  ∂J/∂u_k = Σ_{draws = k} (1−σ(−u_k·v_c)) v_c */
    double J = 0, dv[MAX_M][DIM] = {{0}}, du[MAX_V][DIM] = {{0}};
    for (uint32_t m = 0; m < M; m++) {
        const float *v = w2v_model_input_row(&f.before, contexts[m]);
        const float *uo = w2v_model_output_row(&f.before, outputs[0]);
        double so = dot_d(uo, v, DIM);
        J += -log(sigmoid_d(so));
        for (uint32_t d = 0; d < DIM; d++) {
            dv[m][d] += -(1 - sigmoid_d(so)) * uo[d];
            du[outputs[0]][d] += -(1 - sigmoid_d(so)) * v[d];
        }
        for (uint32_t n = 1; n < n_outputs; n++) {
            const float *uk = w2v_model_output_row(&f.before, outputs[n]);
            double sk = dot_d(uk, v, DIM);
            J += -log(sigmoid_d(-sk));
            for (uint32_t d = 0; d < DIM; d++) {
                dv[m][d] += (1 - sigmoid_d(-sk)) * uk[d];
                du[outputs[n]][d] += (1 - sigmoid_d(-sk)) * v[d];
            }
        }
    }

    /* Library, lr = 1: updates_m = −∂J/∂h_m, output rows move by −∂J/∂u. */
    memset(f.update_store, 0, sizeof f.update_store);
    double loss =
        w2v_ns_block(&f.worker, inputs, M, outputs, n_outputs, 1.0f, W2V_UPDATE, f.updates);
    near(J, loss, 1e-5);
    for (uint32_t m = 0; m < M; m++)
        for (uint32_t d = 0; d < DIM; d++) near(-dv[m][d], f.updates[m][d], 1e-5);
    for (uint32_t r = 0; r < V; r++)
        for (uint32_t d = 0; d < DIM; d++) {
            double moved = (double)w2v_model_output_row(&f.model, r)[d] -
                           w2v_model_output_row(&f.before, r)[d];
            near(-du[r][d], moved, 1e-5);
        }
    /* The repeated negative's gradient really is the sum of two draws: not one. */
    assert_true(fabs(du[7][0]) > 0);

    /* W2V_EVALUATE evaluates only, whatever the learning rate. */
    memcpy(f.model.output, f.before.output, V * f.model.stride * sizeof(float));
    memset(f.update_store, 0, sizeof f.update_store);
    near(J, w2v_ns_block(&f.worker, inputs, M, outputs, n_outputs, 1.0f, W2V_EVALUATE, f.updates),
         1e-5);
    for (uint32_t d = 0; d < DIM; d++) assert_true(f.updates[0][d] == 0.0f);
    assert_memory_equal(f.model.output, f.before.output, V * f.model.stride * sizeof(float));
    fixture_free(&f);
}

/* ---- softmax ---- */

/* Direct ŷ = softmax(Uᵀh) in double (max-subtracted). */
static void softmax_reference(const struct w2v_model *model, const float *h, double *y_hat) {
    const uint32_t V = model->output_rows;
    double max = -INFINITY, sum = 0;
    for (uint32_t v = 0; v < V; v++) {
        y_hat[v] = dot_d(w2v_model_output_row(model, v), h, DIM);
        max = fmax(max, y_hat[v]);
    }
    for (uint32_t v = 0; v < V; v++) sum += y_hat[v] = exp(y_hat[v] - max);
    for (uint32_t v = 0; v < V; v++) y_hat[v] /= sum;
}

static void check_softmax_single(float scale, unsigned seed) {
    /* 150 rows: three blocks, the last partial, so the online log-sum-exp rescales across them. */
    const uint32_t V = 150, target = 100;
    struct fixture f;
    fixture_init(&f, &w2v_loss_softmax, V, 0, scale, seed);
    const float *h = w2v_model_input_row(&f.model, 3);
    double y_hat[MAX_V];
    softmax_reference(&f.before, h, y_hat);

    memset(f.update_store, 0, sizeof f.update_store);
    double loss = f.worker.ops->step(&f.worker, &h, 1, target, 1.0f, W2V_UPDATE, f.updates);
    assert_true(isfinite(loss));
    near(-log(y_hat[target]), loss, 1e-5);

    /* Recover ŷ from the step: u_v' − u_v = −(ŷ_v − y_v) h, so ŷ_v = y_v − (Δu_v·h)/(h·h). */
    double hh = dot_d(h, h, DIM), total = 0;
    for (uint32_t v = 0; v < V; v++) {
        double moved = 0;
        for (uint32_t d = 0; d < DIM; d++)
            moved += ((double)w2v_model_output_row(&f.model, v)[d] -
                      w2v_model_output_row(&f.before, v)[d]) *
                     h[d];
        double recovered = (v == target) - moved / hh;
        near(y_hat[v], recovered, 1e-4);
        total += recovered;
    }
    near(1.0, total, 1e-4);

    /* updates = −∂J/∂h = −U(ŷ − y), from U before the step. */
    for (uint32_t d = 0; d < DIM; d++) {
        double gradient = 0;
        for (uint32_t v = 0; v < V; v++)
            gradient += (y_hat[v] - (v == target)) * w2v_model_output_row(&f.before, v)[d];
        near(-gradient, f.updates[0][d], 1e-4 * scale);
    }
    fixture_free(&f);
}

static void test_softmax_matches_reference(void **state) {
    (void)state;
    check_softmax_single(0.5f, 3);
}

static void test_softmax_is_stable_for_large_logits(void **state) {
    (void)state;
    check_softmax_single(6.0f, 5); /* logits in the hundreds: a naive exp overflows */
}

/* A batch of inputs sees one U: J and each update equal those of single-input steps. */
static void test_softmax_batch_equals_separate_inputs(void **state) {
    (void)state;
    const uint32_t V = 150, target = 77; /* 150: three blocks, the last one partial */
    struct fixture f;
    fixture_init(&f, &w2v_loss_softmax, V, 0, 0.5f, 9);
    const float *inputs[3] = {w2v_model_input_row(&f.model, 1), w2v_model_input_row(&f.model, 4),
                              w2v_model_input_row(&f.model, 1)};
    double separate = 0;
    float expected[3][DIM];
    for (uint32_t m = 0; m < 3; m++) {
        memset(f.update_store, 0, sizeof f.update_store);
        separate +=
            f.worker.ops->step(&f.worker, &inputs[m], 1, target, 1.0f, W2V_EVALUATE, f.updates);
        /* W2V_EVALUATE leaves no update: recompute −∂J/∂h_m with the reference. */
        double y_hat[200];
        softmax_reference(&f.before, inputs[m], y_hat);
        for (uint32_t d = 0; d < DIM; d++) {
            double gradient = 0;
            for (uint32_t v = 0; v < V; v++)
                gradient += (y_hat[v] - (v == target)) * w2v_model_output_row(&f.before, v)[d];
            expected[m][d] = (float)-gradient;
        }
    }
    memset(f.update_store, 0, sizeof f.update_store);
    double batched = f.worker.ops->step(&f.worker, inputs, 3, target, 1.0f, W2V_UPDATE, f.updates);
    near(separate, batched, 1e-5);
    for (uint32_t m = 0; m < 3; m++)
        for (uint32_t d = 0; d < DIM; d++) near(expected[m][d], f.updates[m][d], 1e-4);
    fixture_free(&f);
}

/* ---- hierarchical softmax ---- */

static void test_hs_probabilities_sum_to_one(void **state) {
    (void)state;
    const uint32_t sizes[] = {1, 2, 3, 7, 20, 64};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        const uint32_t V = sizes[i];
        struct fixture f;
        fixture_init(&f, &w2v_loss_hierarchical_softmax, V, 0, 0.8f, 17 + (unsigned)i);
        for (uint32_t input = 0; input < V && input < 3; input++) {
            const float *h = w2v_model_input_row(&f.model, input);
            double total = 0;
            for (uint32_t w = 0; w < V; w++) {
                double p = w2v_hs_probability(&f.tree, &f.model, h, w);
                assert_true(p > 0 && p <= 1);
                total += p;
                /* The step's J is −log p(w | h). */
                memset(f.update_store, 0, sizeof f.update_store);
                near(-log(p),
                     f.worker.ops->step(&f.worker, &h, 1, w, 1.0f, W2V_EVALUATE, f.updates), 1e-5);
            }
            near(1.0, total, 1e-9);
        }
        fixture_free(&f);
    }
}

static void test_hs_step_matches_reference(void **state) {
    (void)state;
    const uint32_t V = 20, target = 19, M = 2;
    struct fixture f;
    fixture_init(&f, &w2v_loss_hierarchical_softmax, V, 0, 0.7f, 23);
    const float *inputs[2] = {w2v_model_input_row(&f.model, 0), w2v_model_input_row(&f.model, 6)};
    const uint8_t *codes = w2v_huffman_codes(&f.tree, target);
    const uint32_t *points = w2v_huffman_points(&f.tree, target);
    /* J = Σ_m Σ_j −log σ((1−2c_j) u_j·h_m); ∂J/∂h_m = Σ_j (σ(s) − (1−c_j)) u_j;
     * ∂J/∂u_j = Σ_m (σ(s) − (1−c_j)) h_m. */
    double J = 0, dh[2][DIM] = {{0}}, du[MAX_V][DIM] = {{0}};
    for (uint32_t m = 0; m < M; m++)
        for (uint32_t j = 0; j < f.tree.lengths[target]; j++) {
            const float *u = w2v_model_output_row(&f.before, points[j]);
            double s = dot_d(u, inputs[m], DIM), t = 1.0 - codes[j];
            J += -log(sigmoid_d((1.0 - 2.0 * codes[j]) * s));
            for (uint32_t d = 0; d < DIM; d++) {
                dh[m][d] += (sigmoid_d(s) - t) * u[d];
                du[points[j]][d] += (sigmoid_d(s) - t) * inputs[m][d];
            }
        }
    memset(f.update_store, 0, sizeof f.update_store);
    near(J, f.worker.ops->step(&f.worker, inputs, M, target, 1.0f, W2V_UPDATE, f.updates), 1e-5);
    for (uint32_t m = 0; m < M; m++)
        for (uint32_t d = 0; d < DIM; d++) near(-dh[m][d], f.updates[m][d], 1e-5);
    for (uint32_t r = 0; r < V - 1; r++)
        for (uint32_t d = 0; d < DIM; d++)
            near(-du[r][d],
                 (double)w2v_model_output_row(&f.model, r)[d] -
                     w2v_model_output_row(&f.before, r)[d],
                 1e-5);
    fixture_free(&f);
}

/* ---- the Huffman tree ---- */

/* Σ count·length of an optimal prefix code, by repeatedly merging the two lightest (O(V²)). */
static uint64_t optimal_cost(const uint64_t *counts, uint32_t V) {
    uint64_t *weights = malloc(V * sizeof *weights), cost = 0;
    memcpy(weights, counts, V * sizeof *weights);
    for (uint32_t alive = V; alive > 1; alive--) {
        uint32_t a = 0, b = 1;
        if (weights[b] < weights[a]) a = 1, b = 0;
        for (uint32_t i = 2; i < alive; i++) {
            if (weights[i] < weights[a])
                b = a, a = i;
            else if (weights[i] < weights[b])
                b = i;
        }
        weights[a] += weights[b];
        cost += weights[a];
        weights[b] = weights[alive - 1];
    }
    free(weights);
    return cost;
}

static void check_tree(const uint64_t *counts, uint32_t V) {
    struct w2v_huffman tree;
    assert_int_equal(w2v_huffman_build(&tree, counts, V), 0);
    assert_int_equal(tree.word_count, V);
    double kraft = 0;
    uint64_t cost = 0;
    uint32_t longest = 0;
    for (uint32_t w = 0; w < V; w++) {
        const uint32_t length = tree.lengths[w];
        kraft += ldexp(1.0, -(int)length);
        cost += counts[w] * length;
        longest = length > longest ? length : longest;
        assert_true(tree.offsets[w + 1] - tree.offsets[w] == length);
        const uint8_t *codes = w2v_huffman_codes(&tree, w);
        const uint32_t *points = w2v_huffman_points(&tree, w);
        for (uint32_t j = 0; j < length; j++) {
            assert_true(codes[j] <= 1);
            assert_true(points[j] < V - 1);
        }
        if (length > 0) assert_int_equal(points[0], V - 2); /* the root comes first */
    }
    assert_int_equal(tree.max_length, longest);
    near(1.0, kraft, 1e-12); /* a full binary tree: Kraft equality */
    if (V > 1) assert_true(cost == optimal_cost(counts, V));
    for (uint32_t a = 0; a < V; a++)
        for (uint32_t b = 0; b < V; b++) {
            if (a == b) continue;
            if (counts[a] > counts[b]) assert_true(tree.lengths[a] <= tree.lengths[b]);
            /* Prefix-free, and one tree: equal code prefixes walk through equal nodes. */
            const uint8_t *ca = w2v_huffman_codes(&tree, a), *cb = w2v_huffman_codes(&tree, b);
            const uint32_t *pa = w2v_huffman_points(&tree, a), *pb = w2v_huffman_points(&tree, b);
            uint32_t shorter =
                tree.lengths[a] < tree.lengths[b] ? tree.lengths[a] : tree.lengths[b];
            uint32_t common = 0;
            while (common < shorter && ca[common] == cb[common]) {
                assert_int_equal(pa[common], pb[common]);
                common++;
            }
            assert_true(common < shorter);            /* neither code is a prefix */
            assert_int_equal(pa[common], pb[common]); /* they part at a shared node */
        }
    w2v_huffman_free(&tree);
}

static void test_huffman_small_vocabularies(void **state) {
    (void)state;
    struct w2v_huffman tree;
    const uint64_t one[] = {42};
    assert_int_equal(w2v_huffman_build(&tree, one, 1), 0);
    assert_int_equal(tree.lengths[0], 0);
    assert_int_equal(tree.max_length, 0);
    assert_int_equal(w2v_loss_hierarchical_softmax.output_rows(1), 0);
    w2v_huffman_free(&tree);

    const uint64_t two[] = {9, 4};
    assert_int_equal(w2v_huffman_build(&tree, two, 2), 0);
    assert_int_equal(tree.lengths[0], 1);
    assert_int_equal(tree.lengths[1], 1);
    assert_int_equal(w2v_huffman_points(&tree, 0)[0], 0);
    assert_int_equal(w2v_huffman_points(&tree, 1)[0], 0);
    assert_true(w2v_huffman_codes(&tree, 0)[0] != w2v_huffman_codes(&tree, 1)[0]);
    w2v_huffman_free(&tree);
    check_tree(two, 2);

    assert_int_equal(w2v_huffman_build(&tree, one, 0), -1);
}

static void test_huffman_invariants(void **state) {
    (void)state;
    static uint64_t counts[300];
    const uint32_t sizes[] = {3, 4, 5, 8, 13, 100, 300};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        const uint32_t V = sizes[i];
        for (uint32_t w = 0; w < V; w++) counts[w] = 100000 / (w + 1); /* Zipf, descending */
        check_tree(counts, V);
        for (uint32_t w = 0; w < V; w++) counts[w] = 7; /* all equal: a balanced tree */
        check_tree(counts, V);
        unsigned seed = 31 + (unsigned)i; /* any order: sorted inside */
        for (uint32_t w = 0; w < V; w++)
            counts[w] = 1 + (uint64_t)(1000 * (1 + random_unit(&seed)));
        check_tree(counts, V);
    }
    /* Fibonacci counts: the deepest tree possible, a path of V−1 nodes. */
    counts[0] = counts[1] = 1;
    for (uint32_t w = 2; w < 40; w++) counts[w] = counts[w - 1] + counts[w - 2];
    check_tree(counts, 40);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ns_matches_reference),
        cmocka_unit_test(test_softmax_matches_reference),
        cmocka_unit_test(test_softmax_is_stable_for_large_logits),
        cmocka_unit_test(test_softmax_batch_equals_separate_inputs),
        cmocka_unit_test(test_hs_probabilities_sum_to_one),
        cmocka_unit_test(test_hs_step_matches_reference),
        cmocka_unit_test(test_huffman_small_vocabularies),
        cmocka_unit_test(test_huffman_invariants),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
