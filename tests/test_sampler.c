/* test_sampler.c — negative sampling draws follow unigram^0.75, and subsampling
 * keeps each word with the probability of Mikolov's formula. */
#include "testing.h"

#include "w2v/rng.h"
#include "w2v/sampler.h"
#include "w2v/subsample.h"

#include <math.h>
#include <stdlib.h>

enum { VOCAB = 500 };

static void zipf_counts(uint64_t *counts, uint32_t size) {
    for (uint32_t i = 0; i < size; i++) counts[i] = 1000000 / (i + 1) + 1;
}

static double unigram_power(const uint64_t *counts, uint32_t size, uint32_t id, double power) {
    double total = 0;
    for (uint32_t i = 0; i < size; i++) total += pow((double)counts[i], power);
    return pow((double)counts[id], power) / total;
}

static void test_alias_table_is_exact(void **state) {
    (void)state;
    uint64_t counts[VOCAB];
    zipf_counts(counts, VOCAB);
    struct w2v_sampler sampler;
    assert_int_equal(w2v_sampler_init(&sampler, counts, VOCAB, 0.75), 0);
    double total = 0;
    for (uint32_t id = 0; id < VOCAB; id++) {
        double expected = unigram_power(counts, VOCAB, id, 0.75);
        double actual = w2v_sampler_probability(&sampler, id);
        assert_true(fabs(actual - expected) < 1e-7 + 1e-6 * expected);
        total += actual;
    }
    assert_true(fabs(total - 1.0) < 1e-6);
    w2v_sampler_free(&sampler);
}

/* Pearson's chi-square of `observed` against probabilities p(id) ∝ count^power. */
static double chi_square(const uint64_t *observed, const uint64_t *counts, uint64_t draws,
                         double power) {
    double statistic = 0;
    for (uint32_t id = 0; id < VOCAB; id++) {
        double expected = draws * unigram_power(counts, VOCAB, id, power);
        statistic += (observed[id] - expected) * (observed[id] - expected) / expected;
    }
    return statistic;
}

static void test_draws_follow_unigram_to_the_three_quarters(void **state) {
    (void)state;
    uint64_t counts[VOCAB], observed[VOCAB] = {0};
    zipf_counts(counts, VOCAB);
    struct w2v_sampler sampler;
    assert_int_equal(w2v_sampler_init(&sampler, counts, VOCAB, 0.75), 0);
    struct w2v_rng rng;
    w2v_rng_seed(&rng, 42, 0);
    const uint64_t draws = 4000000;
    for (uint64_t i = 0; i < draws; i++) observed[w2v_sampler_draw(&sampler, w2v_rng_next(&rng))]++;
    /* df = 499: mean 499, sd ~31.6; 499 + 6 sd fails with probability < 1e-8. */
    double degrees = VOCAB - 1;
    double statistic = chi_square(observed, counts, draws, 0.75);
    print_message("# chi-square %.1f with %.0f degrees of freedom\n", statistic, degrees);
    assert_true(statistic < degrees + 6 * sqrt(2 * degrees));
    /* The same draws are far from plain unigram frequencies: the test can tell. */
    assert_true(chi_square(observed, counts, draws, 1.0) > 100 * degrees);
    w2v_sampler_free(&sampler);
}

static void test_single_word_and_zero_counts(void **state) {
    (void)state;
    uint64_t one[1] = {7}, zeros[3] = {0, 0, 0}, some_zero[3] = {5, 0, 5};
    struct w2v_sampler sampler;
    assert_int_equal(w2v_sampler_init(&sampler, one, 1, 0.75), 0);
    struct w2v_rng rng;
    w2v_rng_seed(&rng, 1, 0);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(w2v_sampler_draw(&sampler, w2v_rng_next(&rng)), 0);
    w2v_sampler_free(&sampler);
    assert_int_equal(w2v_sampler_init(&sampler, zeros, 3, 0.75), -1);
    assert_int_equal(w2v_sampler_init(&sampler, some_zero, 3, 0.75), 0);
    for (int i = 0; i < 100000; i++)
        assert_int_not_equal(w2v_sampler_draw(&sampler, w2v_rng_next(&rng)), 1);
    w2v_sampler_free(&sampler);
}

static void test_subsampling_keeps_words_with_the_formula_probability(void **state) {
    (void)state;
    /* Word 0 is very frequent, word 2 rare; total 1e6 tokens, t = 1e-3. */
    uint64_t counts[3] = {500000, 20000, 100};
    const uint64_t total = 1000000;
    const double sample = 1e-3;
    struct w2v_subsample subsample;
    w2v_subsample_init(&subsample, counts, 3, total, sample);
    /* The formula by hand: (sqrt(c/(tT)) + 1)·tT/c with tT = 1000. */
    const double expected[3] = {(sqrt(500.0) + 1) * 1000 / 500000, (sqrt(20.0) + 1) * 1000 / 20000,
                                1.0};
    struct w2v_rng rng;
    w2v_rng_seed(&rng, 3, 0);
    const int trials = 1000000;
    for (uint32_t id = 0; id < 3; id++) {
        assert_true(fabs(w2v_subsample_keep_probability(counts[id], total, sample) - expected[id]) <
                    1e-12);
        int kept = 0;
        for (int i = 0; i < trials; i++)
            kept += w2v_subsample_keep(&subsample, id, (uint32_t)w2v_rng_next(&rng));
        double rate = (double)kept / trials;
        double sd = sqrt(expected[id] * (1 - expected[id]) / trials);
        print_message("# word %u: kept %.5f, formula %.5f\n", id, rate, expected[id]);
        assert_true(fabs(rate - expected[id]) <= 6 * sd + 1e-9);
    }
    w2v_subsample_free(&subsample);
    /* sample = 0 keeps everything. */
    w2v_subsample_init(&subsample, counts, 3, total, 0);
    for (int i = 0; i < 1000; i++) assert_true(w2v_subsample_keep(&subsample, 0, UINT32_MAX));
    w2v_subsample_free(&subsample);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alias_table_is_exact),
        cmocka_unit_test(test_draws_follow_unigram_to_the_three_quarters),
        cmocka_unit_test(test_single_word_and_zero_counts),
        cmocka_unit_test(test_subsampling_keeps_words_with_the_formula_probability),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
