/* test_corpus.c — tokenizer edge cases, the word hash, the parallel
 * vocabulary, its file format, and the id encoding with sentence boundaries. */
#include "testing.h"

#include "test_files.h"

#include "w2v/corpus.h"
#include "w2v/encode.h"
#include "w2v/error.h"
#include "w2v/pipeline.h"
#include "w2v/tokenizer.h"
#include "w2v/vocab.h"
#include "w2v/word_table.h"

/* Tokenizes `text` into "w1|w2|/|w3" (/ = sentence end). */
static void tokens_of(const char *text, size_t size, uint32_t max_bytes, char *out,
                      uint64_t *truncated) {
    struct w2v_tokenizer t;
    w2v_tokenizer_init(&t, text, text + size, max_bytes);
    const char *word;
    uint32_t len;
    enum w2v_token_kind kind;
    out[0] = '\0';
    while ((kind = w2v_tokenizer_next(&t, &word, &len)) != W2V_TOKEN_END) {
        if (out[0]) strcat(out, "|");
        if (kind == W2V_TOKEN_NEWLINE)
            strcat(out, "/");
        else
            strncat(out, word, len);
    }
    if (truncated) *truncated = t.truncated;
}

static void test_tokenizer_separators_crlf_and_missing_final_newline(void **state) {
    (void)state;
    char out[256];
    const char text[] = "the  cat\tsat\r\non\vthe\fmat\n\nend";
    tokens_of(text, sizeof text - 1, 100, out, NULL);
    assert_string_equal(out, "the|cat|sat|/|on|the|mat|/|/|end");
    const char with_nul[] = "a\0b c";
    tokens_of(with_nul, sizeof with_nul - 1, 100, out, NULL);
    assert_string_equal(out, "a|b|c");
}

static void test_tokenizer_keeps_utf8_and_cuts_on_a_character_boundary(void **state) {
    (void)state;
    char out[256];
    uint64_t truncated;
    const char text[] = "caf\xc3\xa9 na\xc3\xafve \xe6\x97\xa5\xe6\x9c\xac";
    tokens_of(text, sizeof text - 1, 100, out, &truncated);
    assert_string_equal(out, "caf\xc3\xa9|na\xc3\xafve|\xe6\x97\xa5\xe6\x9c\xac");
    assert_int_equal(truncated, 0);
    /* 6 bytes of "日本" with a 4-byte limit: cutting at 4 would split 本, so keep 3 bytes. */
    tokens_of("\xe6\x97\xa5\xe6\x9c\xac x", 8, 4, out, &truncated);
    assert_string_equal(out, "\xe6\x97\xa5|x");
    assert_int_equal(truncated, 1);
    /* ASCII is cut exactly at the limit. */
    tokens_of("abcdefgh ij", 11, 5, out, &truncated);
    assert_string_equal(out, "abcde|ij");
    assert_int_equal(truncated, 1);
}

static const char sample_corpus[] = "b a c a b a\n"
                                    "d a b\r\n"
                                    "e e e e x\n"
                                    "a b c d e f g h i j k l m n o p\n"
                                    "c"; /* no final newline */
enum { SAMPLE_TOKENS = 6 + 3 + 5 + 16 + 1 };

static struct w2v_vocab build(const char *path, uint64_t min_count, uint32_t max_size,
                              uint32_t threads, int expect_status, uint64_t expect_tokens) {
    struct w2v_corpus corpus;
    assert_int_equal(w2v_corpus_open(&corpus, path), 0);
    struct w2v_vocab vocab;
    struct w2v_vocab_options options = {
        .min_count = min_count, .max_size = max_size, .threads = threads, .max_token_bytes = 100};
    struct w2v_vocab_report report;
    assert_int_equal(w2v_vocab_build(&vocab, &corpus, &options, &report), expect_status);
    if (expect_status == 0) assert_int_equal(report.corpus_tokens, expect_tokens);
    w2v_corpus_close(&corpus);
    return vocab;
}

static void test_vocab_counts_sorts_and_cuts(void **state) {
    (void)state;
    char *path = test_write_file(test_dir(), "small.txt", sample_corpus, sizeof sample_corpus - 1);
    struct w2v_vocab vocab = build(path, 2, 0, 1, 0, SAMPLE_TOKENS);
    /* a:5 b:4 e:5 c:3 d:2 — count descending, ties by bytes. */
    const char *expected[] = {"a", "e", "b", "c", "d"};
    const uint64_t counts[] = {5, 5, 4, 3, 2};
    assert_int_equal(vocab.size, 5);
    for (uint32_t id = 0; id < 5; id++) {
        assert_string_equal(w2v_vocab_word(&vocab, id), expected[id]);
        assert_int_equal(w2v_vocab_count(&vocab, id), counts[id]);
        assert_int_equal(w2v_vocab_find(&vocab, expected[id], 1), id);
    }
    assert_int_equal(vocab.total_count, 19);
    assert_int_equal(w2v_vocab_find(&vocab, "x", 1), -1);
    w2v_vocab_free(&vocab);

    vocab = build(path, 1, 3, 1, 0, SAMPLE_TOKENS); /* --max-vocab 3 keeps the 3 most frequent */
    assert_int_equal(vocab.size, 3);
    assert_string_equal(w2v_vocab_word(&vocab, 2), "b");
    w2v_vocab_free(&vocab);

    build(path, 6, 0, 1, -1, SAMPLE_TOKENS); /* nothing occurs 6 times */
    assert_non_null(strstr(w2v_last_error(), "vocabulary is empty"));
    free(path);
}

static void test_vocab_is_the_same_for_any_thread_count(void **state) {
    (void)state;
    /* A few thousand lines so that every thread gets a real chunk. */
    size_t size = 0, capacity = 1 << 20;
    char *text = malloc(capacity);
    unsigned seed = 9;
    for (int line = 0; line < 4000; line++) {
        for (int w = 0; w < 12; w++) {
            seed = seed * 1103515245u + 12345u;
            size += (size_t)sprintf(text + size, "w%u ", (seed >> 16) % 300);
        }
        text[size++] = '\n';
    }
    char *path = test_write_file(test_dir(), "threads.txt", text, size);
    struct w2v_vocab one = build(path, 1, 0, 1, 0, 4000 * 12);
    for (uint32_t threads = 2; threads <= 7; threads += 5) {
        struct w2v_corpus corpus;
        assert_int_equal(w2v_corpus_open(&corpus, path), 0);
        struct w2v_vocab many;
        struct w2v_vocab_options options = {
            .min_count = 1, .threads = threads, .max_token_bytes = 100};
        assert_int_equal(w2v_vocab_build(&many, &corpus, &options, NULL), 0);
        assert_int_equal(many.size, one.size);
        for (uint32_t id = 0; id < one.size; id++) {
            assert_string_equal(w2v_vocab_word(&many, id), w2v_vocab_word(&one, id));
            assert_int_equal(w2v_vocab_count(&many, id), w2v_vocab_count(&one, id));
        }
        w2v_vocab_free(&many);
        w2v_corpus_close(&corpus);
    }
    w2v_vocab_free(&one);
    free(text);
    free(path);
}

static void test_vocab_file_round_trip_and_bad_files(void **state) {
    (void)state;
    char *path = test_write_file(test_dir(), "round.txt", sample_corpus, sizeof sample_corpus - 1);
    struct w2v_vocab vocab = build(path, 1, 0, 2, 0, SAMPLE_TOKENS);
    char *saved = test_path(test_dir(), "round.vocab");
    assert_int_equal(w2v_vocab_save(&vocab, saved), 0);
    struct w2v_vocab read_back;
    struct w2v_vocab_options options = {.min_count = 1, .threads = 1, .max_token_bytes = 100};
    assert_int_equal(w2v_vocab_read(&read_back, saved, &options), 0);
    assert_int_equal(read_back.size, vocab.size);
    for (uint32_t id = 0; id < vocab.size; id++) {
        assert_string_equal(w2v_vocab_word(&read_back, id), w2v_vocab_word(&vocab, id));
        assert_int_equal(w2v_vocab_count(&read_back, id), w2v_vocab_count(&vocab, id));
    }
    w2v_vocab_free(&read_back);
    /* min-count applies to a read vocabulary too. */
    options.min_count = 4;
    assert_int_equal(w2v_vocab_read(&read_back, saved, &options), 0);
    assert_int_equal(read_back.size, 3);
    w2v_vocab_free(&read_back);
    w2v_vocab_free(&vocab);

    options.min_count = 1;
    const char *bad[][2] = {{"a 3\nb x\n", "expected 'word count'"},
                            {"a 3\na 2\n", "appears twice"},
                            {"", "is empty"},
                            {"a -3\n", "expected 'word count'"}};
    for (size_t i = 0; i < 4; i++) {
        char *bad_path = test_write_file(test_dir(), "bad.vocab", bad[i][0], strlen(bad[i][0]));
        assert_int_equal(w2v_vocab_read(&read_back, bad_path, &options), -1);
        assert_non_null(strstr(w2v_last_error(), bad[i][1]));
        free(bad_path);
    }
    assert_int_equal(w2v_vocab_read(&read_back, "/nonexistent/vocab", &options), -1);
    free(path), free(saved);
}

static void test_corpus_open_rejects_missing_and_empty_files(void **state) {
    (void)state;
    struct w2v_corpus corpus;
    assert_int_equal(w2v_corpus_open(&corpus, "/nonexistent/corpus.txt"), -1);
    assert_non_null(strstr(w2v_last_error(), "cannot open"));
    char *empty = test_write_file(test_dir(), "empty.txt", "", 0);
    assert_int_equal(w2v_corpus_open(&corpus, empty), -1);
    assert_non_null(strstr(w2v_last_error(), "is empty"));
    assert_int_equal(w2v_corpus_open(&corpus, test_dir()), -1);
    char *blank = test_write_file(test_dir(), "blank.txt", " \n\t\r\n", 5);
    assert_int_equal(w2v_corpus_open(&corpus, blank), 0);
    struct w2v_vocab vocab;
    struct w2v_vocab_options options = {.min_count = 1, .threads = 2, .max_token_bytes = 100};
    assert_int_equal(w2v_vocab_build(&vocab, &corpus, &options, NULL), -1);
    assert_non_null(strstr(w2v_last_error(), "no words"));
    w2v_corpus_close(&corpus);
    free(empty), free(blank);
}

/* The pipeline on `path` with min-count, max-sentence and thread count. */
static int open_pipeline(struct w2v_pipeline *pipeline, const char *path, uint64_t min_count,
                         uint32_t max_sentence, uint32_t threads) {
    struct w2v_pipeline_options options;
    w2v_pipeline_options_default(&options);
    options.train_path = path;
    options.min_count = min_count;
    options.max_sentence = max_sentence;
    options.threads = threads;
    options.tmp_dir = test_dir();
    return w2v_pipeline_open(pipeline, &options);
}

static void test_encoding_drops_unknown_words_and_keeps_sentences(void **state) {
    (void)state;
    char *path = test_write_file(test_dir(), "encode.txt", sample_corpus, sizeof sample_corpus - 1);
    for (uint32_t threads = 1; threads <= 3; threads++) {
        struct w2v_pipeline pipeline;
        assert_int_equal(open_pipeline(&pipeline, path, 2, 4, threads), 0); /* sentences <= 4 */
        const struct w2v_encoded_corpus *encoded = &pipeline.encoded;
        /* ids: a=0 e=1 b=2 c=3 d=4. Line 3 loses x; line 4 keeps a b c d e (5 > 4: cut). */
        const uint32_t ids[] = {2, 0, 3, 0, 2, 0, 4, 0, 2, 1, 1, 1, 1, 0, 2, 3, 4, 1, 3};
        const uint64_t starts[] = {0, 4, 6, 9, 13, 17, 18, 19};
        assert_int_equal(pipeline.vocab.size, 5);
        assert_int_equal(pipeline.vocab_report.corpus_tokens, SAMPLE_TOKENS);
        assert_int_equal(encoded->token_count, 19);
        assert_int_equal(encoded->sentence_count, 7);
        uint32_t decoded[19];
        w2v_idcode_decode(encoded->codes, decoded, 19);
        assert_memory_equal(decoded, ids, sizeof ids);
        assert_int_equal(encoded->code_bytes, 19); /* every id below 128: one byte */
        assert_memory_equal(encoded->sentence_starts, starts, sizeof starts);
        assert_int_equal(encoded->cut_lines, 2);
        w2v_pipeline_close(&pipeline);
    }
    free(path);
}

/* The word hash (word_table.h) of every length 0..40 and random bytes is the
 * definition's: eight-byte chunks, then the last len % 8 bytes as one
 * little-endian number (copied here byte by byte); each byte moves it; and
 * the folding hash of a word equals the plain hash of its lowercase spelling. */
static uint64_t reference_hash(const unsigned char *word, size_t len) {
    uint64_t hash = 0x9e3779b97f4a7c15ull ^ (len * 0xff51afd7ed558ccdull);
    for (; len >= 8; word += 8, len -= 8) {
        uint64_t chunk = 0;
        for (int b = 7; b >= 0; b--) chunk = chunk << 8 | word[b];
        hash = (hash ^ chunk) * 0xbf58476d1ce4e5b9ull;
        hash ^= hash >> 31;
    }
    uint64_t tail = 0;
    for (size_t b = len; b-- > 0;) tail = tail << 8 | word[b];
    hash = (hash ^ tail) * 0x94d049bb133111ebull;
    hash ^= hash >> 29;
    hash *= 0xbf58476d1ce4e5b9ull;
    return hash ^ (hash >> 32);
}

static void test_word_hash_is_its_definition(void **state) {
    (void)state;
    unsigned char word[48], lower[48];
    uint64_t seed = 5;
    for (int round = 0; round < 200; round++) {
        for (size_t b = 0; b < sizeof word; b++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            word[b] = (unsigned char)(seed >> 56);
            lower[b] = word[b] >= 'A' && word[b] <= 'Z' ? (unsigned char)(word[b] + 32) : word[b];
        }
        for (size_t len = 0; len <= 40; len++) {
            const uint64_t hash = w2v_hash_word((const char *)word, len);
            assert_int_equal(hash, reference_hash(word, len));
            assert_int_equal(w2v_hash_word_folding((const char *)word, len, true),
                             w2v_hash_word((const char *)lower, len));
            for (size_t b = 0; b < len; b++) {
                word[b] ^= 0x20;
                assert_int_not_equal(w2v_hash_word((const char *)word, len), hash);
                word[b] ^= 0x20;
            }
        }
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokenizer_separators_crlf_and_missing_final_newline),
        cmocka_unit_test(test_tokenizer_keeps_utf8_and_cuts_on_a_character_boundary),
        cmocka_unit_test(test_word_hash_is_its_definition),
        cmocka_unit_test(test_vocab_counts_sorts_and_cuts),
        cmocka_unit_test(test_vocab_is_the_same_for_any_thread_count),
        cmocka_unit_test(test_vocab_file_round_trip_and_bad_files),
        cmocka_unit_test(test_corpus_open_rejects_missing_and_empty_files),
        cmocka_unit_test(test_encoding_drops_unknown_words_and_keeps_sentences),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
