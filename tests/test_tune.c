/* test_tune.c — `w2v tune`'s pure parts (tune.h), without timing anything: the
 * thread counts and candidates it tries, the quality guard and choice over
 * made-up trial results, the command line it prints, and the sample view. */
#include "testing.h"

#include "w2v/tune.h"

#include <math.h>
#include <string.h>

static void test_thread_counts(void **state) {
    (void)state;
    uint32_t counts[32];
    size_t n = w2v_tune_thread_counts(16, counts, 32);
    uint32_t expected16[] = {1, 2, 4, 8, 16};
    assert_int_equal(n, 5);
    assert_memory_equal(counts, expected16, sizeof expected16);
    n = w2v_tune_thread_counts(6, counts, 32);
    uint32_t expected6[] = {1, 2, 4, 6};
    assert_int_equal(n, 4);
    assert_memory_equal(counts, expected6, sizeof expected6);
    assert_int_equal(w2v_tune_thread_counts(1, counts, 32), 1);
    assert_int_equal(counts[0], 1);
}

static void test_candidates(void **state) {
    (void)state;
    struct w2v_tune_trial trials[W2V_TUNE_MAX_TRIALS];
    size_t n = w2v_tune_candidates(4, W2V_MODEL_SKIPGRAM, trials);
    /* 1; 2, 2 pinned; 4, 4 pinned; 4 with --batch pair */
    assert_int_equal(n, 6);
    assert_int_equal(trials[0].threads, 1);
    assert_false(trials[0].pin);
    assert_int_equal(trials[0].batch, W2V_BATCH_WINDOW);
    assert_int_equal(trials[2].threads, 2);
    assert_true(trials[2].pin);
    assert_int_equal(trials[5].threads, 4);
    assert_int_equal(trials[5].batch, W2V_BATCH_PAIR);
    /* CBOW has no batch mode to try. */
    assert_int_equal(w2v_tune_candidates(4, W2V_MODEL_CBOW, trials), 5);
}

static void test_choice_keeps_quality(void **state) {
    (void)state;
    struct w2v_tune_trial trials[] = {
        {.threads = 1, .words_per_sec = 1.0e6, .loss = 2.00},
        {.threads = 2, .words_per_sec = 1.9e6, .loss = 2.01}, /* +0.5%: ok */
        {.threads = 4, .words_per_sec = 3.5e6, .loss = 2.05}, /* +2.5%: worse */
        {.threads = 4, .pin = true, .words_per_sec = 9.0e6, .failed = true, .loss = NAN},
        {.threads = 2, .pin = true, .words_per_sec = 1.8e6, .loss = 1.99}, /* ok, slower */
    };
    assert_int_equal(w2v_tune_choose(trials, 5, 0.01), 1);
    assert_int_equal(w2v_tune_choose(trials, 5, 0.03), 2); /* a looser guard admits 4 threads */
    assert_false(w2v_tune_passes(&trials[3], &trials[0], 1.0));
    trials[0].failed = true;
    assert_int_equal(w2v_tune_choose(trials, 5, 0.5), -1);
}

static void test_command_line(void **state) {
    (void)state;
    char *args[] = {"--train", "my corpus.txt", "--threads",    "3",        "--size",
                    "300",     "--pin",         "--batch=pair", "-threads", "7",
                    "--alpha", "0.05",          "--save-vocab", "it's.txt"};
    const size_t count = sizeof args / sizeof *args;
    struct w2v_tune_trial chosen = {.threads = 8, .pin = true, .batch = W2V_BATCH_WINDOW};
    char line[256];
    size_t length = w2v_tune_command(line, sizeof line, args, count, &chosen);
    assert_string_equal(line, "w2v train --train 'my corpus.txt' --size 300 --alpha 0.05 "
                              "--save-vocab 'it'\\''s.txt' --threads 8 --pin");
    assert_int_equal(length, strlen(line));
    chosen = (struct w2v_tune_trial){.threads = 2, .batch = W2V_BATCH_PAIR};
    w2v_tune_command(line, sizeof line, args, 2, &chosen);
    assert_string_equal(line, "w2v train --train 'my corpus.txt' --threads 2 --batch pair");
    /* Cut to the buffer, still terminated; the full length is returned. */
    char small[12];
    assert_int_equal(w2v_tune_command(small, sizeof small, args, 2, &chosen), strlen(line));
    assert_string_equal(small, "w2v train -");
}

static void test_sample_is_whole_sentences(void **state) {
    (void)state;
    /* ids 0..9 · 100: codes of 1 byte (0, 100) and 2 bytes (200...) */
    uint8_t codes[32] = {0};
    uint64_t bytes = 0, index[1] = {0};
    for (uint32_t i = 0; i < 10; i++) bytes += w2v_idcode_put(codes + bytes, i * 100);
    uint64_t starts[] = {0, 3, 7, 10};
    struct w2v_encoded_corpus corpus = {.codes = codes,
                                        .code_bytes = bytes,
                                        .code_index = index,
                                        .token_count = 10,
                                        .sentence_starts = starts,
                                        .sentence_count = 3};
    struct w2v_encoded_corpus sample;
    w2v_tune_sample(&corpus, 4, &sample); /* 4 words: the first two sentences (7 words) */
    assert_int_equal(sample.sentence_count, 2);
    assert_int_equal(sample.token_count, 7);
    assert_ptr_equal(sample.codes, codes);
    assert_ptr_equal(sample.code_index, index);
    assert_int_equal(sample.code_bytes, 2 + 5 * 2); /* 0, 100; then 200..600 */
    w2v_tune_sample(&corpus, 3, &sample);
    assert_int_equal(sample.sentence_count, 1);
    assert_int_equal(sample.token_count, 3);
    assert_int_equal(sample.code_bytes, 4);
    w2v_tune_sample(&corpus, 1000, &sample);
    assert_int_equal(sample.sentence_count, 3);
    assert_int_equal(sample.token_count, 10);
    assert_int_equal(sample.code_bytes, bytes);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_thread_counts),
        cmocka_unit_test(test_candidates),
        cmocka_unit_test(test_choice_keeps_quality),
        cmocka_unit_test(test_command_line),
        cmocka_unit_test(test_sample_is_whole_sentences),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
