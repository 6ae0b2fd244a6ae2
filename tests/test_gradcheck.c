/* test_gradcheck.c — every model × loss × CBOW update mode passes the gradient
 * check of the trainer's own step with every SIMD kernel set, a planted wrong
 * gradient is caught, and CBOW's two update modes differ by exactly M. */
#include "testing.h"

#include "w2v/alloc.h"
#include "w2v/gradcheck.h"
#include "w2v/huffman.h"
#include "w2v/step.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const double tolerance = 1e-3;

static const struct w2v_gradcheck_block *find_block(const struct w2v_gradcheck_report *report,
                                                    const char *text) {
    for (uint32_t b = 0; b < report->block_count; b++)
        if (strstr(report->blocks[b].name, text)) return &report->blocks[b];
    return NULL;
}

static void check_all(const struct w2v_gradcheck_options *options) {
    struct w2v_gradcheck_case cases[W2V_GRADCHECK_MAX_CASES];
    uint32_t count = w2v_gradcheck_cases(cases);
    assert_int_equal(count, 12); /* sg × 4 losses, cbow × {sum, mean} × 4 losses */
    for (uint32_t c = 0; c < count; c++) {
        struct w2v_gradcheck_report report;
        char name[32];
        assert_int_equal(w2v_gradcheck_run_case(&cases[c], options, &report), 0);
        if (report.worst > tolerance)
            fail_msg("%s: relative error %g (vocab %u, dim %u, seed %llu)",
                     w2v_gradcheck_case_name(&cases[c], name, sizeof name), report.worst,
                     options->vocab_size, options->dim, (unsigned long long)options->seed);
        /* The repeated context word and (ns) a negative drawn more than once were checked. */
        assert_non_null(find_block(&report, "2 uses"));
        if (cases[c].loss == W2V_LOSS_NS || cases[c].loss == W2V_LOSS_HS_NS)
            assert_non_null(find_block(&report, "negative, drawn"));
        if (cases[c].loss == W2V_LOSS_HS || cases[c].loss == W2V_LOSS_HS_NS)
            assert_non_null(find_block(&report, "(path 0,"));
        assert_true(report.block_count >= 5);
        /* CBOW's sum update moves the input rows by M = 4 times the gradient. */
        bool sum = cases[c].model == W2V_MODEL_CBOW && cases[c].cbow_update == W2V_CBOW_SUM;
        assert_true(report.input_scale == (sum ? W2V_GRADCHECK_WINDOW : 1));
    }
}

static void test_gradients_pass_with_every_kernel_set(void **state) {
    (void)state;
    const char *isas[] = {"scalar", "avx2", "avx512"};
    struct w2v_gradcheck_options options;
    w2v_gradcheck_default_options(&options);
    for (int i = 0; i < 3; i++) {
        options.kernels = w2v_kernels_for(isas[i]);
        if (options.kernels) check_all(&options);
    }
}

static void test_gradients_pass_on_other_problems(void **state) {
    (void)state;
    struct w2v_gradcheck_options options;
    w2v_gradcheck_default_options(&options);
    const uint32_t vocab_sizes[] = {4, 12, 70}, dims[] = {2, 17, 40};
    for (int i = 0; i < 3; i++) {
        options.vocab_size = vocab_sizes[i];
        options.dim = dims[i];
        options.seed = 100 + (uint64_t)i;
        check_all(&options);
    }
}

/* A caller that applies 0.9 of the input update (a wrong gradient scale, as a missing or
 * doubled 1/M would be) is reported, on the input blocks and only there. */
static void test_a_wrong_gradient_is_caught(void **state) {
    (void)state;
    struct w2v_gradcheck_options options;
    w2v_gradcheck_default_options(&options);
    options.input_update_scale = 0.9f;
    struct w2v_gradcheck_case cases[W2V_GRADCHECK_MAX_CASES];
    uint32_t count = w2v_gradcheck_cases(cases);
    for (uint32_t c = 0; c < count; c++) {
        struct w2v_gradcheck_report report;
        assert_int_equal(w2v_gradcheck_run_case(&cases[c], &options, &report), 0);
        assert_true(report.worst > 0.05);
        for (uint32_t b = 0; b < report.block_count; b++) {
            bool input_block = strncmp(report.blocks[b].name, "dJ/dv", 5) == 0;
            if (input_block)
                assert_true(report.blocks[b].relative_error > 0.05);
            else
                assert_true(report.blocks[b].relative_error < tolerance);
        }
    }
}

/* The step itself: on one CBOW window, --cbow-update sum moves each context row
 * by exactly M times what mean moves it, and the output rows identically. */
static void test_cbow_update_modes_differ_by_m(void **state) {
    (void)state;
    enum { V = 8, DIM = 6, M = 3 };
    const uint32_t contexts[M] = {1, 2, 5}, centre = 4;
    float moved[2][V][DIM], moved_out[2][V][DIM];
    uint64_t counts[V];
    for (uint32_t w = 0; w < V; w++) counts[w] = 100 - 10 * w;
    for (int mode = 0; mode < 2; mode++) {
        struct w2v_model model;
        struct w2v_huffman tree;
        struct w2v_rng rng;
        struct w2v_step step;
        assert_int_equal(w2v_huffman_build(&tree, counts, V), 0);
        w2v_model_init(&model, V, V - 1, DIM, 3, 1);
        for (uint32_t r = 0; r < V - 1; r++)
            for (uint32_t d = 0; d < DIM; d++)
                w2v_model_output_row(&model, r)[d] = 0.1f * (float)((r + d) % 5) - 0.2f;
        w2v_rng_seed(&rng, 7, 0);
        const struct w2v_step_config config = {.model = W2V_MODEL_CBOW,
                                               .loss = W2V_LOSS_HS,
                                               .cbow_update = mode ? W2V_CBOW_MEAN : W2V_CBOW_SUM,
                                               .max_contexts = M,
                                               .tree = &tree};
        assert_int_equal(w2v_step_init(&step, &config, &model, &rng), 0);
        float before[V][DIM];
        for (uint32_t w = 0; w < V; w++)
            memcpy(before[w], w2v_model_input_row(&model, w), sizeof before[w]);
        w2v_step_cbow(&step, contexts, M, centre, 0.5f, W2V_UPDATE);
        for (uint32_t w = 0; w < V; w++)
            for (uint32_t d = 0; d < DIM; d++) {
                moved[mode][w][d] = w2v_model_input_row(&model, w)[d] - before[w][d];
                moved_out[mode][w][d] = w < V - 1 ? w2v_model_output_row(&model, w)[d] : 0;
            }
        w2v_step_free(&step);
        w2v_model_free(&model);
        w2v_huffman_free(&tree);
    }
    double largest = 0;
    for (uint32_t w = 0; w < V; w++)
        for (uint32_t d = 0; d < DIM; d++) {
            assert_float_equal(moved[0][w][d], M * moved[1][w][d], 1e-6);
            assert_float_equal(moved_out[0][w][d], moved_out[1][w][d], 0);
            largest = fmax(largest, fabs(moved[0][w][d]));
        }
    assert_true(largest > 1e-3);                                   /* the rows really moved */
    assert_true(moved[0][0][0] == 0.0f && moved[0][7][0] == 0.0f); /* non-contexts did not */
}

static void test_bad_options_are_refused(void **state) {
    (void)state;
    struct w2v_gradcheck_options options;
    struct w2v_gradcheck_report report;
    w2v_gradcheck_default_options(&options);
    options.vocab_size = 3;
    assert_int_equal(w2v_gradcheck_run(W2V_MODEL_SKIPGRAM, W2V_LOSS_NS, &options, &report), -1);
    w2v_gradcheck_default_options(&options);
    options.dim = 0;
    assert_int_equal(w2v_gradcheck_run(W2V_MODEL_CBOW, W2V_LOSS_HS, &options, &report), -1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gradients_pass_with_every_kernel_set),
        cmocka_unit_test(test_gradients_pass_on_other_problems),
        cmocka_unit_test(test_a_wrong_gradient_is_caught),
        cmocka_unit_test(test_cbow_update_modes_differ_by_m),
        cmocka_unit_test(test_bad_options_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
