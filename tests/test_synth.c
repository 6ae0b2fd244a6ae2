/* test_synth.c — the synthetic corpus generator: deterministic bytes, the
 * requested size, Zipf filler, sentence lengths, planted groups that really
 * share contexts, analogy questions, word spelling, and rejected configurations. */
#include "testing.h"

#include "w2v/alloc.h"
#include "w2v/error.h"
#include "w2v/synth.h"
#include "w2v/word_index.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct corpus {
    char *text;
    size_t bytes;
    struct w2v_synth_truth truth;
};

static void generate(const struct w2v_synth_config *config, struct corpus *corpus) {
    FILE *fp = open_memstream(&corpus->text, &corpus->bytes);
    assert_non_null(fp);
    int rc = w2v_synth_write(fp, config, &corpus->truth);
    if (rc != 0) fail_msg("w2v_synth_write: %s", w2v_last_error());
    assert_int_equal(fclose(fp), 0);
}

static void corpus_free(struct corpus *corpus) {
    free(corpus->text); /* open_memstream's buffer comes from malloc */
    w2v_synth_truth_free(&corpus->truth);
}

static struct w2v_synth_config small_config(void) {
    struct w2v_synth_config config;
    w2v_synth_default_config(&config);
    config.size_words = 300000;
    config.threads = 2;
    return config;
}

static void test_same_seed_same_bytes_any_thread_count(void **state) {
    (void)state;
    struct w2v_synth_config config = small_config();
    config.analogies = true;
    struct corpus a, b, c;
    config.threads = 1;
    generate(&config, &a);
    config.threads = 3;
    generate(&config, &b);
    config.seed = 2;
    generate(&config, &c);
    assert_int_equal(a.bytes, b.bytes);
    assert_memory_equal(a.text, b.text, a.bytes);
    assert_true(a.bytes != c.bytes || memcmp(a.text, c.text, a.bytes) != 0);
    corpus_free(&a), corpus_free(&b), corpus_free(&c);
}

/* Counts words and lines, checking the format: [a-z]+ separated by one space, lines end in \n. */
static void count_text(const struct corpus *corpus, uint64_t *words, uint64_t *lines) {
    *words = *lines = 0;
    assert_true(corpus->bytes > 0);
    assert_true(corpus->text[corpus->bytes - 1] == '\n');
    bool in_word = false;
    for (size_t i = 0; i < corpus->bytes; i++) {
        char ch = corpus->text[i];
        if (ch >= 'a' && ch <= 'z') {
            in_word = true;
            continue;
        }
        if (!in_word) fail_msg("byte %zu: separator '%c' not after a word", i, ch);
        if (ch != ' ' && ch != '\n') fail_msg("byte %zu: unexpected character %d", i, ch);
        (*words)++, in_word = false;
        if (ch == '\n') (*lines)++;
    }
}

static void test_requested_size_is_respected(void **state) {
    (void)state;
    struct w2v_synth_config config = small_config();
    struct corpus corpus;
    uint64_t words, lines;

    config.size_words = 123457; /* exact word count, not a block boundary */
    generate(&config, &corpus);
    count_text(&corpus, &words, &lines);
    assert_int_equal(words, 123457);
    assert_int_equal(corpus.truth.words, words);
    assert_int_equal(corpus.truth.sentences, lines);
    assert_int_equal(corpus.truth.bytes, corpus.bytes);
    corpus_free(&corpus);

    config.size_words = 0;
    config.size_bytes = 5000000; /* spans several 2 MiB blocks */
    generate(&config, &corpus);
    count_text(&corpus, &words, &lines);
    assert_true(corpus.bytes <= 5000000);
    assert_true(corpus.bytes > 5000000 - (W2V_SYNTH_MAX_WORD + 1));
    assert_int_equal(corpus.truth.words, words);
    corpus_free(&corpus);

    config.size_bytes = 1000; /* smaller than one block */
    generate(&config, &corpus);
    assert_true(corpus.bytes <= 1000 && corpus.bytes > 1000 - (W2V_SYNTH_MAX_WORD + 1));
    corpus_free(&corpus);
}

/* How often word `index` occurs as a whole token. */
static uint64_t occurrences(const struct corpus *corpus, uint32_t index) {
    char word[W2V_SYNTH_MAX_WORD + 1];
    size_t len = w2v_synth_word(index, word);
    uint64_t count = 0;
    const char *p = corpus->text, *end = corpus->text + corpus->bytes;
    while (p < end) {
        const char *q = p;
        while (q < end && *q != ' ' && *q != '\n') q++;
        if ((size_t)(q - p) == len && memcmp(p, word, len) == 0) count++;
        p = q + 1;
    }
    return count;
}

static void test_filler_follows_zipf(void **state) {
    (void)state;
    const double exponents[] = {1.0, 1.5};
    for (size_t e = 0; e < 2; e++) {
        struct w2v_synth_config config = small_config();
        config.groups = 0;
        config.size_words = 2000000;
        config.zipf_exponent = exponents[e];
        struct corpus corpus;
        generate(&config, &corpus);
        double rank1 = (double)occurrences(&corpus, 0), rank2 = (double)occurrences(&corpus, 1);
        double rank4 = (double)occurrences(&corpus, 3);
        double expected = pow(2.0, exponents[e]);
        if (fabs(rank1 / rank2 / expected - 1) > 0.05 || fabs(rank2 / rank4 / expected - 1) > 0.05)
            fail_msg("zipf %g: rank ratios 1/2 = %.3f, 2/4 = %.3f, expected %.3f", exponents[e],
                     rank1 / rank2, rank2 / rank4, expected);
        corpus_free(&corpus);
    }
}

static void test_sentence_length_mean(void **state) {
    (void)state;
    const double means[] = {20.0, 8.0};
    for (size_t m = 0; m < 2; m++) {
        struct w2v_synth_config config = small_config();
        config.sentence_mean = means[m];
        struct corpus corpus;
        generate(&config, &corpus);
        double mean = (double)corpus.truth.words / (double)corpus.truth.sentences;
        if (fabs(mean / means[m] - 1) > 0.03)
            fail_msg("mean sentence length %.3f, asked for %.1f", mean, means[m]);
        corpus_free(&corpus);
    }
}

/* ---- planted structure: the library's word index from planted word to (group, kind) ---- */

enum { KIND_MEMBER = 1, KIND_CONTEXT = 2, KINDS = 4 };

static void table_add(struct w2v_word_index *t, const char *word, int group, int kind) {
    assert_true(w2v_word_index_add(t, word, (uint64_t)(group * KINDS + kind), NULL));
}

/* The kind of word p[0..len) (0 if not planted), and its group in *group. */
static int table_find(const struct w2v_word_index *t, const char *p, size_t len, int *group) {
    int64_t row = w2v_word_index_find_n(t, p, len);
    if (row < 0) return 0;
    *group = (int)(row / KINDS);
    return (int)(row % KINDS);
}

static void test_planted_groups_share_their_contexts(void **state) {
    (void)state;
    struct w2v_synth_config config = small_config();
    struct corpus corpus;
    generate(&config, &corpus);
    const struct w2v_synth_truth *truth = &corpus.truth;
    assert_int_equal(truth->group_count, 20);
    struct w2v_word_index table;
    w2v_word_index_init(&table, 1024, false);
    for (uint32_t g = 0; g < truth->group_count; g++) {
        for (uint32_t i = 0; i < truth->group_size; i++)
            table_add(&table, truth->members[g * truth->group_size + i], (int)g, KIND_MEMBER);
        for (uint32_t j = 0; j < truth->contexts_per_group; j++)
            table_add(&table, truth->contexts[g * truth->contexts_per_group + j], (int)g,
                      KIND_CONTEXT);
        assert_int_equal(w2v_synth_group_of(truth, truth->members[g * truth->group_size]), g);
    }
    assert_int_equal(w2v_synth_group_of(truth, "notaword"), -1);

    /* Per line: which groups' members and contexts occur; count member/context
     * co-occurrences within the same group and across groups. */
    uint64_t same = 0, other = 0, member_tokens = 0;
    const char *p = corpus.text, *end = corpus.text + corpus.bytes;
    uint32_t member_seen[64], context_seen[64];
    while (p < end) {
        memset(member_seen, 0, sizeof member_seen), memset(context_seen, 0, sizeof context_seen);
        while (p < end) {
            const char *q = p;
            while (*q != ' ' && *q != '\n') q++;
            int group = -1, kind = table_find(&table, p, (size_t)(q - p), &group);
            if (kind == KIND_MEMBER) member_seen[group]++, member_tokens++;
            if (kind == KIND_CONTEXT) context_seen[group]++;
            p = q + 1;
            if (*q == '\n') break;
        }
        for (uint32_t g = 0; g < truth->group_count; g++)
            for (uint32_t h = 0; h < truth->group_count; h++)
                *(g == h ? &same : &other) += (uint64_t)member_seen[g] * context_seen[h];
    }
    /* Topical sentences are a quarter members: tens of thousands of member tokens. */
    assert_true(member_tokens > 10000);
    /* Chance alone would give other ≈ 19 × same (19 other groups). */
    if (same < 50 * (other + 1))
        fail_msg("members met their own contexts %llu times, others' %llu times",
                 (unsigned long long)same, (unsigned long long)other);
    w2v_word_index_free(&table);
    corpus_free(&corpus);
}

static void test_analogy_questions_and_groups_file(void **state) {
    (void)state;
    struct w2v_synth_config config = small_config();
    config.analogies = true;
    config.groups = 5; /* 2 relations; group 4 stays unpaired */
    config.group_size = 4;
    struct w2v_synth_truth truth;
    assert_int_equal(w2v_synth_plant(&config, &truth), 0);
    assert_int_equal(truth.relation_count, 2);

    char *text = NULL;
    size_t bytes = 0;
    FILE *fp = open_memstream(&text, &bytes);
    assert_int_equal(w2v_synth_write_questions(fp, &truth), 0);
    fclose(fp);
    /* Per relation: a header and 4 × 3 questions. */
    size_t lines = 0, headers = 0;
    for (size_t i = 0; i < bytes; i++) lines += text[i] == '\n';
    for (char *h = strstr(text, ": synthetic-relation-"); h;
         h = strstr(h + 1, ": synthetic-relation-"))
        headers++;
    assert_int_equal(headers, 2);
    assert_int_equal(lines, 2 + 2 * 4 * 3);
    char expected[128];
    snprintf(expected, sizeof expected, ": synthetic-relation-01\n%s %s %s %s\n", truth.members[0],
             truth.members[4], truth.members[1], truth.members[5]);
    assert_memory_equal(text, expected, strlen(expected));
    free(text);

    fp = open_memstream(&text, &bytes);
    assert_int_equal(w2v_synth_write_groups(fp, &truth), 0);
    fclose(fp);
    lines = 0;
    for (size_t i = 0; i < bytes; i++) lines += text[i] == '\n';
    assert_int_equal(lines, 5);
    free(text);
    w2v_synth_truth_free(&truth);
}

static void test_words_are_unique_and_pronounceable(void **state) {
    (void)state;
    enum { COUNT = 200000 };
    static char words[COUNT][W2V_SYNTH_MAX_WORD + 1];
    for (uint32_t i = 0; i < COUNT; i++) {
        size_t len = w2v_synth_word(i, words[i]);
        assert_true(len >= 2 && len <= W2V_SYNTH_MAX_WORD && len == strlen(words[i]));
        for (size_t k = 0; k < len; k++) {
            bool vowel = strchr("aeiou", words[i][k]) != NULL;
            assert_true(islower((unsigned char)words[i][k]) && vowel == (k % 2 == 1));
        }
        assert_true(i < 90 ? len == 2 : len >= 4); /* frequent ranks are short */
    }
    qsort(words, COUNT, sizeof words[0], (int (*)(const void *, const void *))strcmp);
    for (uint32_t i = 1; i < COUNT; i++) assert_true(strcmp(words[i - 1], words[i]) != 0);
    char longest[W2V_SYNTH_MAX_WORD + 1];
    assert_true(w2v_synth_word(UINT32_MAX, longest) <= W2V_SYNTH_MAX_WORD);
}

static void expect_invalid(const struct w2v_synth_config *config, const char *fragment) {
    assert_int_equal(w2v_synth_validate(config), -1);
    if (!strstr(w2v_last_error(), fragment))
        fail_msg("error '%s' does not mention '%s'", w2v_last_error(), fragment);
    char *text = NULL;
    size_t bytes = 0;
    FILE *fp = open_memstream(&text, &bytes);
    struct w2v_synth_truth truth;
    assert_int_equal(w2v_synth_write(fp, config, &truth), -1);
    fclose(fp);
    assert_int_equal(bytes, 0);
    w2v_synth_truth_free(&truth);
    free(text);
}

static void test_bad_configurations_are_rejected(void **state) {
    (void)state;
    struct w2v_synth_config config = small_config();
    assert_int_equal(w2v_synth_validate(&config), 0);

    config.vocab_size = 400; /* 20 groups × (10 + 10) planted words + 100 filler needed */
    expect_invalid(&config, "too small");
    config = small_config();
    config.size_words = 0;
    expect_invalid(&config, "size");
    config.size_words = 10, config.size_bytes = 10;
    expect_invalid(&config, "size");
    config = small_config();
    config.zipf_exponent = 0;
    expect_invalid(&config, "Zipf");
    config = small_config();
    config.analogies = true, config.groups = 1;
    expect_invalid(&config, "analogies");
    config = small_config();
    config.group_size = 1;
    expect_invalid(&config, "groups");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_seed_same_bytes_any_thread_count),
        cmocka_unit_test(test_requested_size_is_respected),
        cmocka_unit_test(test_filler_follows_zipf),
        cmocka_unit_test(test_sentence_length_mean),
        cmocka_unit_test(test_planted_groups_share_their_contexts),
        cmocka_unit_test(test_analogy_questions_and_groups_file),
        cmocka_unit_test(test_words_are_unique_and_pronounceable),
        cmocka_unit_test(test_bad_configurations_are_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
