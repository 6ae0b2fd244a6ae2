/* test_loss_recovery.c — end to end: hierarchical softmax and the exact softmax,
 * trained through w2v_train with skip-gram and CBOW on a small generated corpus
 * with planted word groups, recover the groups (nearest neighbours of each
 * member fall in its own group far above chance) and lower their loss.
 * Negative sampling's recovery is test_train.c's. */
#include "testing.h"

#include "planted_corpus.h"
#include "w2v/train.h"

/* Small enough (300 words, 80,000 tokens) for the exact softmax to train in about two seconds. */
static int generate_corpus(void **state) {
    (void)state;
    struct w2v_synth_config config = planted_config(13, 80000, 300, 6, 6);
    config.contexts_per_group = 6;
    config.threads = 1;
    return planted_corpus_make(&planted, &config, 1);
}

static void check_recovery(enum w2v_model_kind model_kind, enum w2v_loss_kind loss) {
    struct w2v_train_config config = planted_train_config(model_kind, loss, 24, 1, 3);
    struct w2v_model model;
    struct w2v_train_report report;
    assert_int_equal(planted_train(&model, &config, &report), 0);
    double chance = planted_chance(&planted), purity = planted_group_purity(&planted, &model);
    print_message("# %s/%s: group purity %.3f (chance %.4f), loss %.4f -> %.4f in %.2f s\n",
                  w2v_model_kind_name(model_kind), w2v_loss_name(loss), purity, chance,
                  report.epoch_loss[0], report.loss, report.seconds);
    assert_true(purity > 0.8);
    assert_true(report.loss < report.epoch_loss[0]);
    /* hs and softmax report the mean −log p of a predicted word: below uniform's log V. */
    assert_true(report.loss > 0 && report.loss < log((double)planted.pipeline.vocab.size));
    assert_int_equal(model.output_rows, loss == W2V_LOSS_HS ? planted.pipeline.vocab.size - 1
                                                            : planted.pipeline.vocab.size);
    w2v_model_free(&model);
}

static void test_skipgram_hs(void **state) {
    (void)state;
    check_recovery(W2V_MODEL_SKIPGRAM, W2V_LOSS_HS);
}
static void test_cbow_hs(void **state) {
    (void)state;
    check_recovery(W2V_MODEL_CBOW, W2V_LOSS_HS);
}
static void test_skipgram_softmax(void **state) {
    (void)state;
    check_recovery(W2V_MODEL_SKIPGRAM, W2V_LOSS_SOFTMAX);
}
static void test_cbow_softmax(void **state) {
    (void)state;
    check_recovery(W2V_MODEL_CBOW, W2V_LOSS_SOFTMAX);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_skipgram_hs),
        cmocka_unit_test(test_cbow_hs),
        cmocka_unit_test(test_skipgram_softmax),
        cmocka_unit_test(test_cbow_softmax),
    };
    return cmocka_run_group_tests(tests, generate_corpus, planted_release);
}
