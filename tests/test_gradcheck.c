/* test_gradcheck.c — every model × loss passes the gradient check with every
 * SIMD kernel set, and a planted wrong gradient is caught. */
#include "testing.h"

#include "w2v/gradcheck.h"

#include <stdio.h>
#include <string.h>

static const enum w2v_model_kind models[] = {W2V_MODEL_SKIPGRAM, W2V_MODEL_CBOW};
static const enum w2v_loss_kind losses[] = {W2V_LOSS_NS, W2V_LOSS_HS, W2V_LOSS_SOFTMAX};
static const double tolerance = 1e-3;

static const struct w2v_gradcheck_block *find_block(const struct w2v_gradcheck_report *report,
                                                    const char *text) {
    for (uint32_t b = 0; b < report->block_count; b++)
        if (strstr(report->blocks[b].name, text)) return &report->blocks[b];
    return NULL;
}

static void check_all(const struct w2v_gradcheck_options *options) {
    for (int m = 0; m < 2; m++)
        for (int l = 0; l < 3; l++) {
            struct w2v_gradcheck_report report;
            assert_int_equal(w2v_gradcheck_run(models[m], losses[l], options, &report), 0);
            if (report.worst > tolerance)
                fail_msg("%s/%s: relative error %g (vocab %u, dim %u, seed %llu)",
                         w2v_model_kind_name(models[m]), w2v_loss_name(losses[l]), report.worst,
                         options->vocab_size, options->dim, (unsigned long long)options->seed);
            /* The repeated context word and (ns) the twice-drawn negative were checked. */
            assert_non_null(find_block(&report, "2 uses"));
            if (losses[l] == W2V_LOSS_NS) assert_non_null(find_block(&report, "drawn twice"));
            assert_true(report.block_count >= 5);
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
    for (int m = 0; m < 2; m++)
        for (int l = 0; l < 3; l++) {
            struct w2v_gradcheck_report report;
            assert_int_equal(w2v_gradcheck_run(models[m], losses[l], &options, &report), 0);
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
        cmocka_unit_test(test_bad_options_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
