/* test_train.c — end to end: a generated corpus with planted word groups is
 * trained, and the vectors must recover the groups (skip-gram and CBOW, 1 and 2
 * threads); one thread with a fixed seed is reproducible bit for bit; and the
 * vectors written as text and binary load back with the right shape and values. */
#include "testing.h"

#include "test_files.h"
#include "w2v/corpus.h"
#include "w2v/encode.h"
#include "w2v/error.h"
#include "w2v/synth.h"
#include "w2v/train.h"
#include "w2v/vectors.h"
#include "w2v/vocab.h"

#include <math.h>

static const char *dir;
static char *corpus_path;
static struct w2v_synth_truth truth;
static struct w2v_corpus corpus;
static struct w2v_vocab vocab;
static struct w2v_encoded_corpus encoded;

static int generate_corpus(void **state) {
    (void)state;
    dir = test_tempdir();
    corpus_path = test_path(dir, "planted.txt");
    struct w2v_synth_config config;
    w2v_synth_default_config(&config);
    config.seed = 11;
    config.size_words = 300000;
    config.vocab_size = 2000;
    config.groups = 8;
    config.group_size = 6;
    FILE *fp = fopen(corpus_path, "wb");
    if (!fp || w2v_synth_write(fp, &config, &truth) != 0 || fclose(fp) != 0) return -1;
    if (w2v_corpus_open(&corpus, corpus_path) != 0) return -1;
    struct w2v_vocab_options vocab_options = {5, 0, 2, 100};
    if (w2v_vocab_build(&vocab, &corpus, &vocab_options, NULL) != 0) return -1;
    struct w2v_encode_options encode_options = {2, 10000, 100};
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

static struct w2v_train_config base_config(enum w2v_model_kind model, uint32_t threads) {
    return (struct w2v_train_config){.model = model,
                                     .loss = W2V_LOSS_NS,
                                     .batch = W2V_BATCH_WINDOW,
                                     .dim = 32,
                                     .window = 5,
                                     .negative = 5,
                                     .epochs = 3,
                                     .threads = threads,
                                     .alpha = model == W2V_MODEL_CBOW ? 0.05 : 0.025,
                                     .sample = 1e-3,
                                     .seed = 5,
                                     .quiet = true};
}

static double cosine(const float *a, const float *b, uint32_t dim) {
    double dot = 0, na = 0, nb = 0;
    for (uint32_t k = 0; k < dim; k++) dot += a[k] * b[k], na += a[k] * a[k], nb += b[k] * b[k];
    return dot / (sqrt(na * nb) + 1e-30);
}

/* Mean fraction of each planted member's (group_size − 1) nearest neighbours,
 * among the whole vocabulary, that belong to its own group (members or context
 * words). Chance is (group_size + contexts_per_group − 1) / vocabulary size,
 * under 1% here. */
static double group_purity(const struct w2v_model *model) {
    const uint32_t k = truth.group_size - 1;
    double purity_sum = 0;
    uint32_t words_checked = 0;
    double *best = malloc(k * sizeof *best);
    uint32_t *best_id = malloc(k * sizeof *best_id);
    for (uint32_t m = 0; m < truth.group_count * truth.group_size; m++) {
        const char *word = truth.members[m];
        int64_t id = w2v_vocab_find(&vocab, word, (uint32_t)strlen(word));
        if (id < 0) continue;
        for (uint32_t i = 0; i < k; i++) best[i] = -2, best_id[i] = 0;
        for (uint32_t other = 0; other < vocab.size; other++) {
            if (other == id) continue;
            double c = cosine(w2v_model_input_row(model, (uint32_t)id),
                              w2v_model_input_row(model, other), model->dim);
            if (c <= best[k - 1]) continue;
            uint32_t at = k - 1;
            while (at > 0 && best[at - 1] < c)
                best[at] = best[at - 1], best_id[at] = best_id[at - 1], at--;
            best[at] = c, best_id[at] = other;
        }
        uint32_t same = 0;
        for (uint32_t i = 0; i < k; i++)
            same += w2v_synth_topic_of(&truth, w2v_vocab_word(&vocab, best_id[i])) ==
                    w2v_synth_topic_of(&truth, word);
        purity_sum += (double)same / k;
        words_checked++;
    }
    free(best);
    free(best_id);
    assert_true(words_checked == truth.group_count * truth.group_size);
    return purity_sum / words_checked;
}

static void check_recovery(enum w2v_model_kind model_kind, uint32_t threads) {
    struct w2v_train_config config = base_config(model_kind, threads);
    struct w2v_model model;
    struct w2v_train_report report;
    assert_int_equal(w2v_train(&model, &encoded, &vocab, &config, &report), 0);
    double purity = group_purity(&model);
    print_message("# %s, %u thread(s): group purity %.3f (chance %.4f), loss %.4f -> %.4f\n",
                  w2v_model_kind_name(model_kind), threads, purity,
                  (truth.group_size + truth.contexts_per_group - 1.0) / vocab.size,
                  report.epoch_loss[0], report.loss);
    assert_true(purity > 0.8);
    assert_true(report.loss < report.epoch_loss[0]); /* it learned something each epoch */
    assert_int_equal(report.words_done, encoded.token_count * config.epochs);
    assert_true(report.kept_words > 0 && report.kept_words < report.words_done);
    w2v_model_free(&model);
}

static void test_skipgram_recovers_groups_one_thread(void **state) {
    (void)state;
    check_recovery(W2V_MODEL_SKIPGRAM, 1);
}
static void test_skipgram_recovers_groups_two_threads(void **state) {
    (void)state;
    check_recovery(W2V_MODEL_SKIPGRAM, 2);
}
static void test_cbow_recovers_groups_one_thread(void **state) {
    (void)state;
    check_recovery(W2V_MODEL_CBOW, 1);
}
static void test_cbow_recovers_groups_two_threads(void **state) {
    (void)state;
    check_recovery(W2V_MODEL_CBOW, 2);
}

static void test_pair_updates_recover_groups(void **state) {
    (void)state;
    struct w2v_train_config config = base_config(W2V_MODEL_SKIPGRAM, 2);
    config.batch = W2V_BATCH_PAIR;
    struct w2v_model model;
    struct w2v_train_report report;
    assert_int_equal(w2v_train(&model, &encoded, &vocab, &config, &report), 0);
    assert_true(group_purity(&model) > 0.8);
    w2v_model_free(&model);
}

static void test_cbow_mean_update_recovers_groups(void **state) {
    (void)state;
    struct w2v_train_config config = base_config(W2V_MODEL_CBOW, 2);
    config.cbow_update = W2V_CBOW_MEAN;
    config.alpha = 0.2; /* the exact gradient takes M-times smaller input steps */
    struct w2v_model model;
    struct w2v_train_report report;
    assert_int_equal(w2v_train(&model, &encoded, &vocab, &config, &report), 0);
    assert_true(group_purity(&model) > 0.8);
    w2v_model_free(&model);
}

static void test_one_thread_with_a_seed_is_reproducible(void **state) {
    (void)state;
    struct w2v_train_config config = base_config(W2V_MODEL_SKIPGRAM, 1);
    config.epochs = 1;
    struct w2v_model first, second, other_seed;
    struct w2v_train_report report;
    assert_int_equal(w2v_train(&first, &encoded, &vocab, &config, &report), 0);
    assert_int_equal(w2v_train(&second, &encoded, &vocab, &config, &report), 0);
    size_t bytes = (size_t)vocab.size * first.stride * sizeof(float);
    assert_memory_equal(first.input, second.input, bytes);
    assert_memory_equal(first.output, second.output, bytes);
    config.seed = 6;
    assert_int_equal(w2v_train(&other_seed, &encoded, &vocab, &config, &report), 0);
    assert_memory_not_equal(first.input, other_seed.input, bytes);
    w2v_model_free(&first);
    w2v_model_free(&second);
    w2v_model_free(&other_seed);
}

static void test_written_vectors_load_back(void **state) {
    (void)state;
    struct w2v_train_config config = base_config(W2V_MODEL_SKIPGRAM, 2);
    config.epochs = 1;
    struct w2v_model model;
    struct w2v_train_report report;
    assert_int_equal(w2v_train(&model, &encoded, &vocab, &config, &report), 0);
    struct w2v_vectors view;
    w2v_train_vectors_view(&model, &vocab, &view);
    for (int binary = 0; binary <= 1; binary++) {
        char *path = test_path(dir, binary ? "vectors.bin" : "vectors.txt");
        assert_int_equal(w2v_vectors_write(path, &view, binary), 0);
        struct w2v_vectors loaded;
        if (w2v_vectors_read(path, &loaded) != 0) fail_msg("%s", w2v_last_error());
        assert_int_equal(loaded.count, vocab.size);
        assert_int_equal(loaded.dim, 32);
        for (uint64_t i = 0; i < loaded.count; i++) {
            assert_string_equal(loaded.words[i], w2v_vocab_word(&vocab, (uint32_t)i));
            const float *expected = w2v_vectors_row(&view, i),
                        *actual = w2v_vectors_row(&loaded, i);
            for (uint32_t k = 0; k < 32; k++) {
                if (binary)
                    assert_true(expected[k] == actual[k]);
                else
                    assert_true(fabsf(expected[k] - actual[k]) <= 1e-6f);
            }
        }
        w2v_vectors_free(&loaded);
        free(path);
    }
    w2v_train_vectors_free(&view);
    w2v_model_free(&model);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_skipgram_recovers_groups_one_thread),
        cmocka_unit_test(test_skipgram_recovers_groups_two_threads),
        cmocka_unit_test(test_cbow_recovers_groups_one_thread),
        cmocka_unit_test(test_cbow_recovers_groups_two_threads),
        cmocka_unit_test(test_pair_updates_recover_groups),
        cmocka_unit_test(test_cbow_mean_update_recovers_groups),
        cmocka_unit_test(test_one_thread_with_a_seed_is_reproducible),
        cmocka_unit_test(test_written_vectors_load_back),
    };
    return cmocka_run_group_tests(tests, generate_corpus, release_corpus);
}
