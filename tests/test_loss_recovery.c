/* test_loss_recovery.c — end to end: hierarchical softmax and the exact softmax,
 * trained through w2v_train with skip-gram and CBOW on a small generated corpus
 * with planted word groups, recover the groups (nearest neighbours of each
 * member fall in its own group far above chance) and lower their loss.
 * Negative sampling's recovery is test_train.c's. */
#include "testing.h"

#include "test_files.h"
#include "w2v/corpus.h"
#include "w2v/encode.h"
#include "w2v/synth.h"
#include "w2v/train.h"
#include "w2v/vocab.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static struct w2v_synth_truth truth;
static struct w2v_corpus corpus;
static struct w2v_vocab vocab;
static struct w2v_encoded_corpus encoded;

/* Small enough (300 words, 80,000 tokens) for the exact softmax to train in about two seconds. */
static int generate_corpus(void **state) {
    (void)state;
    const char *path = test_path(test_tempdir(), "planted-losses.txt");
    struct w2v_synth_config config;
    w2v_synth_default_config(&config);
    config.seed = 13;
    config.size_words = 80000;
    config.vocab_size = 300;
    config.groups = 6;
    config.group_size = 6;
    config.contexts_per_group = 6;
    config.threads = 1;
    FILE *fp = fopen(path, "wb");
    if (!fp || w2v_synth_write(fp, &config, &truth) != 0 || fclose(fp) != 0) return -1;
    if (w2v_corpus_open(&corpus, path) != 0) return -1;
    struct w2v_vocab_options vocab_options = {.min_count = 5, .threads = 1, .max_token_bytes = 100};
    if (w2v_vocab_build(&vocab, &corpus, &vocab_options, NULL) != 0) return -1;
    struct w2v_encode_options encode_options = {1, 10000, 100};
    return w2v_encode(&encoded, &corpus, &vocab, &encode_options);
}

static int release_corpus(void **state) {
    (void)state;
    w2v_encoded_free(&encoded);
    w2v_vocab_free(&vocab);
    w2v_corpus_close(&corpus);
    w2v_synth_truth_free(&truth);
    return 0;
}

static double cosine(const float *a, const float *b, uint32_t dim) {
    double dot = 0, na = 0, nb = 0;
    for (uint32_t k = 0; k < dim; k++) dot += a[k] * b[k], na += a[k] * a[k], nb += b[k] * b[k];
    return dot / (sqrt(na * nb) + 1e-30);
}

/* Mean share of each member's (group_size − 1) nearest words, over the whole
 * vocabulary, that belong to its own group (members or context words). */
static double group_purity(const struct w2v_model *model, double *chance) {
    const uint32_t k = truth.group_size - 1;
    double purity_sum = 0, *similarity = malloc(vocab.size * sizeof *similarity);
    uint32_t checked = 0;
    for (uint32_t m = 0; m < truth.group_count * truth.group_size; m++) {
        const char *word = truth.members[m];
        int64_t id = w2v_vocab_find(&vocab, word, (uint32_t)strlen(word));
        assert_true(id >= 0);
        for (uint32_t other = 0; other < vocab.size; other++)
            similarity[other] = other == id ? -INFINITY
                                            : cosine(w2v_model_input_row(model, (uint32_t)id),
                                                     w2v_model_input_row(model, other), model->dim);
        uint32_t same = 0;
        for (uint32_t i = 0; i < k; i++) { /* k times: take the best one left */
            uint32_t best = 0;
            for (uint32_t other = 1; other < vocab.size; other++)
                if (similarity[other] > similarity[best]) best = other;
            same += w2v_synth_topic_of(&truth, w2v_vocab_word(&vocab, best)) ==
                    w2v_synth_topic_of(&truth, word);
            similarity[best] = -INFINITY;
        }
        purity_sum += (double)same / k;
        checked++;
    }
    free(similarity);
    *chance = (truth.group_size + truth.contexts_per_group - 1.0) / vocab.size;
    return purity_sum / checked;
}

static void check_recovery(enum w2v_model_kind model_kind, enum w2v_loss_kind loss) {
    struct w2v_train_config config = {.model = model_kind,
                                      .loss = loss,
                                      .batch = W2V_BATCH_WINDOW,
                                      .dim = 24,
                                      .window = 5,
                                      .negative = 5,
                                      .epochs = 3,
                                      .threads = 1,
                                      .alpha = model_kind == W2V_MODEL_CBOW ? 0.05 : 0.025,
                                      .sample = 1e-3,
                                      .seed = 3,
                                      .quiet = true};
    struct w2v_model model;
    struct w2v_train_report report;
    assert_int_equal(w2v_train(&model, &encoded, &vocab, &config, &report), 0);
    double chance, purity = group_purity(&model, &chance);
    print_message("# %s/%s: group purity %.3f (chance %.4f), loss %.4f -> %.4f in %.2f s\n",
                  w2v_model_kind_name(model_kind), w2v_loss_name(loss), purity, chance,
                  report.epoch_loss[0], report.loss, report.seconds);
    assert_true(purity > 0.8);
    assert_true(report.loss < report.epoch_loss[0]);
    /* hs and softmax report the mean −log p of a predicted word: below uniform's log V. */
    assert_true(report.loss > 0 && report.loss < log((double)vocab.size));
    assert_int_equal(model.output_rows, loss == W2V_LOSS_HS ? vocab.size - 1 : vocab.size);
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
    return cmocka_run_group_tests(tests, generate_corpus, release_corpus);
}
