/* test_train.c — end to end: a generated corpus with planted word groups is
 * trained, and the vectors must recover the groups (skip-gram and CBOW, 1 and 2
 * threads); one thread with a fixed seed is reproducible bit for bit; and the
 * vectors written as text and binary load back with the right shape and values;
 * workers' shares are interleaved blocks of the corpus, and a worker whose
 * share is done takes ranges left in another's; context combining trains
 * every window once and still recovers the groups. */
#include "testing.h"

#include "planted_corpus.h"
#include "w2v/alloc.h"
#include "w2v/checkpoint.h"
#include "w2v/error.h"
#include "w2v/train.h"
#include "w2v/vectors.h"

#include <inttypes.h>
#include <string.h>

static int generate_corpus(void **state) {
    (void)state;
    struct w2v_synth_config config = planted_config(11, 300000, 2000, 8, 6);
    return planted_corpus_make(&planted, &config, 2);
}

static struct w2v_train_config base_config(enum w2v_model_kind model, uint32_t threads) {
    return planted_train_config(model, W2V_LOSS_NS, 32, threads, 5);
}

static double group_purity(const struct w2v_model *model) {
    return planted_group_purity(&planted, model);
}

static void check_recovery(enum w2v_model_kind model_kind, uint32_t threads) {
    struct w2v_train_config config = base_config(model_kind, threads);
    struct w2v_model model;
    struct w2v_train_report report;
    assert_int_equal(planted_train(&model, &config, &report), 0);
    double purity = group_purity(&model);
    print_message("# %s, %u thread(s): group purity %.3f (chance %.4f), loss %.4f -> %.4f\n",
                  w2v_model_kind_name(model_kind), threads, purity, planted_chance(&planted),
                  report.epoch_loss[0], report.loss);
    assert_true(purity > 0.8);
    assert_true(report.loss < report.epoch_loss[0]); /* it learned something each epoch */
    assert_int_equal(report.words_done, planted.pipeline.encoded.token_count * config.epochs);
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
    assert_int_equal(planted_train(&model, &config, &report), 0);
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
    assert_int_equal(planted_train(&model, &config, &report), 0);
    assert_true(group_purity(&model) > 0.8);
    w2v_model_free(&model);
}

/* word2vec.c's -hs 1 -negative K: both losses on the same windows still learn the groups. */
static void test_hs_plus_ns_recovers_groups(void **state) {
    (void)state;
    struct w2v_train_config config = base_config(W2V_MODEL_SKIPGRAM, 2);
    config.loss = W2V_LOSS_HS_NS;
    struct w2v_model model;
    struct w2v_train_report report;
    assert_int_equal(planted_train(&model, &config, &report), 0);
    assert_int_equal(model.output_rows, 2 * planted.pipeline.vocab.size - 1); /* V − 1 + V */
    assert_true(group_purity(&model) > 0.8);
    w2v_model_free(&model);
}

/* The schedule: word2vec.c's by default, gensim's with --min-alpha. */
static void test_learning_rate_schedule(void **state) {
    (void)state;
    struct w2v_train_config config;
    w2v_train_config_default(&config);
    assert_float_equal(w2v_learning_rate(&config, 0), 0.025, 1e-12); /* sg's default alpha */
    assert_float_equal(w2v_learning_rate(&config, 0.5), 0.0125, 1e-12);
    assert_float_equal(w2v_learning_rate(&config, 1), 0.025 * 1e-4, 1e-12);
    config.model = W2V_MODEL_CBOW;
    assert_float_equal(w2v_learning_rate(&config, 0), 0.05, 1e-12);
    config.alpha = 0.1;
    config.min_alpha = 0.02;
    assert_float_equal(w2v_learning_rate(&config, 0.5), 0.06, 1e-12);
    assert_float_equal(w2v_learning_rate(&config, 1), 0.02, 1e-12);
    assert_float_equal(w2v_learning_rate(&config, 2), 0.02, 1e-12); /* never below the floor */
    config.min_alpha = 0;
    assert_float_equal(w2v_learning_rate(&config, 1), 0, 1e-12);
}

/* --shrink-windows 0 scores every context of the whole window: about 2w/(w+1) times the
 * predictions of word2vec's shrinking windows; --ns-exponent reaches the sampler. */
static void test_window_shrink_and_ns_exponent_reach_training(void **state) {
    (void)state;
    struct w2v_train_config config = base_config(W2V_MODEL_SKIPGRAM, 1);
    config.epochs = 1;
    config.combine = 1; /* a combined step's predictions depend on its draws */
    struct w2v_model shrunk, whole, flat;
    struct w2v_train_report shrunk_report, whole_report, flat_report;
    assert_int_equal(planted_train(&shrunk, &config, &shrunk_report), 0);
    config.shrink_windows = false;
    assert_int_equal(planted_train(&whole, &config, &whole_report), 0);
    double ratio = (double)whole_report.predictions / (double)shrunk_report.predictions;
    print_message("# predictions: whole windows / shrinking windows = %.3f (window %u)\n", ratio,
                  config.window);
    assert_true(ratio > 1.4 && ratio < 2.0);
    config.shrink_windows = true;
    config.ns_exponent = 0; /* uniform negatives */
    assert_int_equal(planted_train(&flat, &config, &flat_report), 0);
    assert_int_equal(flat_report.predictions, shrunk_report.predictions); /* same windows */
    assert_true(
        memcmp(flat.input, shrunk.input, (size_t)flat.vocab_size * flat.stride * sizeof(float)) !=
        0); /* other negatives */
    w2v_model_free(&shrunk);
    w2v_model_free(&whole);
    w2v_model_free(&flat);
}

static void test_one_thread_with_a_seed_is_reproducible(void **state) {
    (void)state;
    struct w2v_train_config config = base_config(W2V_MODEL_SKIPGRAM, 1);
    config.epochs = 1;
    struct w2v_model first, second, other_seed;
    struct w2v_train_report report;
    assert_int_equal(planted_train(&first, &config, &report), 0);
    assert_int_equal(planted_train(&second, &config, &report), 0);
    size_t bytes = (size_t)planted.pipeline.vocab.size * first.stride * sizeof(float);
    assert_memory_equal(first.input, second.input, bytes);
    assert_memory_equal(first.output, second.output, bytes);
    config.seed = 6;
    assert_int_equal(planted_train(&other_seed, &config, &report), 0);
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
    assert_int_equal(planted_train(&model, &config, &report), 0);
    struct w2v_vectors view;
    w2v_train_vectors_view(&model, &planted.pipeline.vocab, &view);
    for (int binary = 0; binary <= 1; binary++) {
        char *path = test_path(test_tempdir(), binary ? "vectors.bin" : "vectors.txt");
        assert_int_equal(w2v_vectors_write(path, &view, binary), 0);
        struct w2v_vectors loaded;
        if (w2v_vectors_read(path, &loaded) != 0) fail_msg("%s", w2v_last_error());
        assert_int_equal(loaded.count, planted.pipeline.vocab.size);
        assert_int_equal(loaded.dim, 32);
        for (uint64_t i = 0; i < loaded.count; i++) {
            assert_string_equal(loaded.words[i],
                                w2v_vocab_word(&planted.pipeline.vocab, (uint32_t)i));
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

/* Context combining (combine.h): up to 8 windows per step still recover the
 * groups, and every window is trained once: the (context, centre) predictions
 * of an epoch match the uncombined run's to 1% (their radii are other draws
 * of the same distribution; a window skipped or trained twice per step would
 * move the count by far more). One thread with a seed is reproducible; the
 * default (combine 0) is 8 windows where combining applies and none elsewhere;
 * combining is refused where it has no windows to share negatives. */
static void test_combined_windows_recover_groups(void **state) {
    (void)state;
    struct w2v_train_config config = base_config(W2V_MODEL_SKIPGRAM, 2);
    struct w2v_model alone, combined;
    struct w2v_train_report alone_report, combined_report;
    config.combine = 1;
    assert_int_equal(planted_train(&alone, &config, &alone_report), 0);
    config.combine = 8;
    assert_int_equal(planted_train(&combined, &config, &combined_report), 0);
    const double purity = group_purity(&combined);
    const double ratio = (double)combined_report.predictions / (double)alone_report.predictions;
    print_message("# combine 8: group purity %.3f (alone %.3f), predictions %.4f of alone's\n",
                  purity, group_purity(&alone), ratio);
    assert_true(purity > 0.8);
    assert_true(ratio > 0.99 && ratio < 1.01);
    assert_int_equal(combined_report.words_done, alone_report.words_done);
    assert_true(combined_report.loss < combined_report.epoch_loss[0]);
    w2v_model_free(&alone);
    w2v_model_free(&combined);

    config.threads = 1;
    struct w2v_model first, second;
    assert_int_equal(planted_train(&first, &config, &combined_report), 0);
    assert_int_equal(planted_train(&second, &config, &combined_report), 0);
    const size_t bytes = (size_t)planted.pipeline.vocab.size * first.stride * sizeof(float);
    assert_memory_equal(first.input, second.input, bytes);
    w2v_model_free(&second);
    config.combine = 0; /* the default */
    assert_int_equal(w2v_train_combine(&config), W2V_DEFAULT_COMBINE);
    assert_int_equal(W2V_DEFAULT_COMBINE, 8);
    assert_int_equal(planted_train(&second, &config, &combined_report), 0);
    assert_memory_equal(first.input, second.input, bytes);
    w2v_model_free(&first);
    w2v_model_free(&second);
    struct w2v_train_config other = config;
    other.model = W2V_MODEL_CBOW;
    assert_int_equal(w2v_train_combine(&other), 1);
    other = config, other.loss = W2V_LOSS_HS;
    assert_int_equal(w2v_train_combine(&other), 1);
    other = config, other.batch = W2V_BATCH_PAIR;
    assert_int_equal(w2v_train_combine(&other), 1);
    other = config, other.combine = 1;
    assert_int_equal(w2v_train_combine(&other), 1);
    config.combine = 8;

    struct w2v_model refused = {0};
    config.model = W2V_MODEL_CBOW;
    assert_int_equal(planted_train(&refused, &config, &combined_report), -1);
    assert_non_null(strstr(w2v_last_error(), "combining windows (combine 8) needs skip-gram"));
    config.model = W2V_MODEL_SKIPGRAM, config.combine = W2V_MAX_COMBINE + 1;
    assert_int_equal(planted_train(&refused, &config, &combined_report), -1);
}

static int count_pause(void *context, const struct w2v_train_pause *pause) {
    (void)pause;
    ++*(uint32_t *)context;
    return 0;
}

/* Processes that synchronise every N words (parts > 1) pause within an epoch
 * even when combining: a worker's block ends after its share of one round,
 * N / (parts × threads) words, instead of after 65,536 kept words (which would
 * hold all of this corpus's share and leave one round an epoch). */
static void test_combining_parts_pause_within_the_epoch(void **state) {
    (void)state;
    const uint64_t tokens = planted.pipeline.encoded.token_count, every = 4000;
    struct w2v_train_config config = base_config(W2V_MODEL_SKIPGRAM, 2);
    config.epochs = 1;
    assert_int_equal(w2v_train_combine(&config), W2V_DEFAULT_COMBINE);
    config.part = 0, config.parts = 2;
    config.pause_every_words = every;
    uint32_t pauses = 0;
    config.on_pause = count_pause;
    config.pause_context = &pauses;
    struct w2v_model model;
    struct w2v_train_report report;
    assert_int_equal(planted_train(&model, &config, &report), 0);
    /* this part trains about tokens / 2 words: a round every `every` of them */
    const uint64_t rounds = tokens / 2 / every;
    print_message("# combining, part 0 of 2: %u pauses, %" PRIu64 " rounds of %" PRIu64
                  " words in its share\n",
                  pauses, rounds, every);
    assert_true(rounds >= 8);
    assert_true(pauses >= rounds / 2);
    assert_true(group_purity(&model) > 0.8);
    w2v_model_free(&model);
}

/* Trains `config` until its first sentence boundary, where on_pause sees the
 * state and stops the run; the model is left in `model`. */
static void train_to_first_pause(struct w2v_train_config config,
                                 int (*on_pause)(void *, const struct w2v_train_pause *),
                                 void *context, struct w2v_model *model) {
    config.pause_at_words = 1;
    config.on_pause = on_pause;
    config.pause_context = context;
    struct w2v_train_report report;
    assert_int_equal(planted_train(model, &config, &report), W2V_TRAIN_STOPPED);
}

/* What the first pause of a run shows of the workers' shares. */
struct shares {
    uint32_t ranges[2];      /* each worker's ranges left */
    uint64_t first_token[2]; /* where each worker's first range left starts */
    uint64_t tokens;         /* tokens left in all shares plus tokens trained */
};

static int record_shares(void *context, const struct w2v_train_pause *pause) {
    struct shares *s = context;
    const struct w2v_encoded_corpus *corpus = &planted.pipeline.encoded;
    const struct w2v_train_state *state = pause->state;
    s->tokens = state->words_done;
    for (uint32_t t = 0; t < state->threads && t < 2; t++) {
        const struct w2v_train_worker_state *ws = &state->workers[t];
        s->ranges[t] = ws->range_count;
        s->first_token[t] = ws->range_count ? corpus->sentence_starts[ws->ranges[0].first] : 0;
        s->tokens += ws->unpublished_words;
        for (uint32_t r = 0; r < ws->range_count; r++)
            s->tokens += corpus->sentence_starts[ws->ranges[r].end] -
                         corpus->sentence_starts[ws->ranges[r].first];
    }
    return W2V_TRAIN_STOPPED;
}

/* Shares are interleaved blocks, not slices: for one process and for each of
 * two (part 0 and 1 of 2), two workers stopped after their first sentence each
 * hold many ranges, each starts near the beginning of the corpus (a worker of
 * contiguous slices would start at a quarter or half of it), and the parts'
 * shares together hold every token once. */
static void test_shares_interleave_over_workers_and_parts(void **state) {
    (void)state;
    const uint64_t tokens = planted.pipeline.encoded.token_count;
    for (uint32_t parts = 1; parts <= 2; parts++) {
        uint64_t all = 0;
        for (uint32_t part = 0; part < parts; part++) {
            struct w2v_train_config config = base_config(W2V_MODEL_SKIPGRAM, 2);
            config.epochs = 1;
            config.combine = 1; /* parks at the next sentence, not at a block's end */
            config.part = part, config.parts = parts;
            struct shares shares = {0};
            struct w2v_model model;
            train_to_first_pause(config, record_shares, &shares, &model);
            for (uint32_t t = 0; t < 2; t++) {
                assert_true(shares.ranges[t] >= 8);
                assert_true(shares.first_token[t] < tokens / 8);
            }
            all += shares.tokens;
            w2v_model_free(&model);
        }
        assert_int_equal(all, tokens);
    }
}

/* Keeps a copy of the state of the first pause (unpacked from its bytes, as a
 * rank's is) and stops the run. */
static int copy_state(void *context, const struct w2v_train_pause *pause) {
    size_t size;
    unsigned char *bytes = w2v_checkpoint_state_pack(pause->state, &size);
    assert_int_equal(w2v_checkpoint_state_unpack(bytes, size, context), 0);
    w2v_free(bytes);
    return W2V_TRAIN_STOPPED;
}

/* The last pause (training over): what each worker trained in the epoch. */
struct last_pause {
    uint64_t kept[2];
    uint64_t words_done;
};

static int record_last(void *context, const struct w2v_train_pause *pause) {
    struct last_pause *last = context;
    if (!pause->training_over) return 0;
    assert_int_equal(pause->state->threads, 2);
    for (uint32_t t = 0; t < 2; t++) last->kept[t] = pause->state->workers[t].kept_words;
    last->words_done = pause->state->words_done;
    return 0;
}

/* Work stealing: a run stopped at its first pause is resumed on the same two
 * workers with worker 1's share moved to worker 0, so worker 1 starts with
 * nothing left. It must take ranges from worker 0 and train them (with the
 * static shares alone it trained no more words), and every word is still
 * trained once: the counter ends at the corpus's tokens. With and without
 * combining. */
static void test_an_idle_worker_takes_ranges_left(void **state) {
    (void)state;
    const uint64_t tokens = planted.pipeline.encoded.token_count;
    for (uint32_t combine = 1; combine <= 8; combine += 7) {
        struct w2v_train_config config = base_config(W2V_MODEL_SKIPGRAM, 2);
        config.epochs = 1;
        config.combine = combine;
        struct w2v_train_state saved = {0};
        struct w2v_model model;
        train_to_first_pause(config, copy_state, &saved, &model);
        assert_int_equal(saved.threads, 2);

        struct w2v_train_worker_state *w0 = &saved.workers[0], *w1 = &saved.workers[1];
        assert_true(w1->range_count >= 8);
        struct w2v_train_range *all =
            w2v_xmalloc((w0->range_count + w1->range_count) * sizeof *all);
        uint32_t n = 0, a = 0, b = 0; /* merged in corpus order */
        while (a < w0->range_count || b < w1->range_count)
            all[n++] = b == w1->range_count ||
                               (a < w0->range_count && w0->ranges[a].first < w1->ranges[b].first)
                           ? w0->ranges[a++]
                           : w1->ranges[b++];
        w2v_free(w0->ranges);
        w0->ranges = all, w0->range_count = n;
        w0->unpublished_words += w1->unpublished_words, w1->unpublished_words = 0;
        w1->range_count = 0;
        const uint64_t kept_before = w1->kept_words; /* trained before it parked */

        struct last_pause last = {0};
        config.resume = &saved;
        config.keep_model = true;
        config.on_pause = record_last;
        config.pause_context = &last;
        struct w2v_train_report report;
        assert_int_equal(planted_train(&model, &config, &report), 0);
        print_message("# combine %u: worker 0 kept %" PRIu64 " words, worker 1 %" PRIu64
                      " after %" PRIu64 " before the pause\n",
                      combine, last.kept[0], last.kept[1] - kept_before, kept_before);
        assert_true(last.kept[1] > kept_before);
        assert_true(last.kept[0] > 0);
        assert_int_equal(last.words_done, tokens);
        w2v_checkpoint_state_free(&saved);
        w2v_model_free(&model);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_skipgram_recovers_groups_one_thread),
        cmocka_unit_test(test_skipgram_recovers_groups_two_threads),
        cmocka_unit_test(test_cbow_recovers_groups_one_thread),
        cmocka_unit_test(test_cbow_recovers_groups_two_threads),
        cmocka_unit_test(test_pair_updates_recover_groups),
        cmocka_unit_test(test_cbow_mean_update_recovers_groups),
        cmocka_unit_test(test_hs_plus_ns_recovers_groups),
        cmocka_unit_test(test_learning_rate_schedule),
        cmocka_unit_test(test_window_shrink_and_ns_exponent_reach_training),
        cmocka_unit_test(test_one_thread_with_a_seed_is_reproducible),
        cmocka_unit_test(test_written_vectors_load_back),
        cmocka_unit_test(test_shares_interleave_over_workers_and_parts),
        cmocka_unit_test(test_an_idle_worker_takes_ranges_left),
        cmocka_unit_test(test_combined_windows_recover_groups),
        cmocka_unit_test(test_combining_parts_pause_within_the_epoch),
    };
    return cmocka_run_group_tests(tests, generate_corpus, planted_release);
}
