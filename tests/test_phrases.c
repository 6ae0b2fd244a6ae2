/* test_phrases.c — w2v phrases: planted bigrams found exactly, scores equal to a
 * direct count, word2phrase's rewrite rules, passes composing into trigrams,
 * the output independent of the thread count and absent after an error. */
#include "testing.h"

#include "test_files.h"

#include "w2v/alloc.h"
#include "w2v/phrases.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The generated corpus: FILLER words "f0".."f199" drawn uniformly, and each
 * planted sequence (its words used nowhere else) put PLANTED times into random
 * lines. Filler pairs score about 1 (count ~5 of 1000 x 1000 over 200k words),
 * planted pairs about 400. */
enum { FILLER = 200, LINES = 20000, LINE_WORDS = 10, PLANTED = 500 };
static const char *const planted[] = {"alpha beta", "gamma delta", "new york times"};
enum { PLANTED_COUNT = sizeof planted / sizeof planted[0] };

static uint64_t next_random(uint64_t *state) {
    *state = *state * 6364136223846793005ull + 1442695040888963407ull;
    return *state >> 33;
}

/* The corpus text, malloc'd. */
static char *generate_corpus(size_t *size) {
    uint64_t state = 42;
    /* which line gets which planted sequence (0 = none): PLANTED of each */
    int *plant = calloc(LINES, sizeof *plant);
    for (int p = 0; p < PLANTED_COUNT; p++)
        for (int placed = 0; placed < PLANTED;) {
            uint64_t line = next_random(&state) % LINES;
            if (plant[line]) continue;
            plant[line] = p + 1;
            placed++;
        }
    size_t capacity = (size_t)LINES * (LINE_WORDS * 6 + 32), used = 0;
    char *text = malloc(capacity);
    for (int line = 0; line < LINES; line++) {
        int at = plant[line] ? (int)(next_random(&state) % LINE_WORDS) : -1;
        for (int w = 0; w < LINE_WORDS; w++) {
            if (w) text[used++] = ' ';
            if (w == at) used += (size_t)sprintf(text + used, "%s ", planted[plant[line] - 1]);
            used += (size_t)sprintf(text + used, "f%d", (int)(next_random(&state) % FILLER));
        }
        text[used++] = '\n';
    }
    free(plant);
    *size = used;
    return text;
}

/* ---- the direct computation: count every word and bigram with a naive scan ---- */

struct naive {
    char words[256][16];
    uint64_t counts[256], pairs[256][256], total;
    int size;
};

static int naive_id(struct naive *n, const char *word, size_t len) {
    for (int i = 0; i < n->size; i++)
        if (strlen(n->words[i]) == len && memcmp(n->words[i], word, len) == 0) return i;
    memcpy(n->words[n->size], word, len);
    n->words[n->size][len] = '\0';
    return n->size++;
}

static void naive_count(struct naive *n, const char *text, size_t size) {
    memset(n, 0, sizeof *n);
    int prev = -1;
    for (size_t i = 0; i < size;) {
        if (text[i] == '\n') prev = -1;
        if (text[i] == ' ' || text[i] == '\n') {
            i++;
            continue;
        }
        size_t len = strcspn(text + i, " \n");
        int id = naive_id(n, text + i, len);
        n->counts[id]++;
        n->total++;
        if (prev >= 0) n->pairs[prev][id]++;
        prev = id;
        i += len;
    }
}

static struct w2v_corpus memory_corpus(const char *text, size_t size) {
    return (struct w2v_corpus){text, size, "memory"};
}

static void scores_equal_a_direct_computation(void **state) {
    (void)state;
    size_t size;
    char *text = generate_corpus(&size);
    struct naive *n = malloc(sizeof *n);
    naive_count(n, text, size);
    struct w2v_corpus corpus = memory_corpus(text, size);
    const uint64_t min_count = 5;
    const double threshold = 0.5; /* low, so that filler pairs are phrases too */
    struct w2v_phrases_model model;
    assert_int_equal(w2v_phrases_learn(&model, &corpus, threshold, min_count, 3), 0);
    assert_int_equal(model.total_words, n->total);
    uint32_t expected = 0;
    for (int a = 0; a < n->size; a++)
        for (int b = 0; b < n->size; b++) {
            uint64_t c = n->pairs[a][b];
            if (c < min_count || n->counts[a] < min_count || n->counts[b] < min_count) continue;
            double score =
                (double)(c - min_count) / ((double)n->counts[a] * n->counts[b]) * (double)n->total;
            if (score <= threshold) continue;
            expected++;
            char phrase[40];
            snprintf(phrase, sizeof phrase, "%s_%s", n->words[a], n->words[b]);
            bool found = false;
            for (uint32_t p = 0; p < model.phrase_count && !found; p++) {
                if (strcmp(model.phrases[p].text, phrase) != 0) continue;
                found = true;
                assert_int_equal(model.phrases[p].count, c);
                assert_true(fabs(model.phrases[p].score - score) <= 1e-9 * score);
            }
            if (!found) fail_msg("phrase %s (score %g) not found", phrase, score);
        }
    assert_true(expected > 100); /* the low threshold took filler pairs in */
    assert_int_equal(model.phrase_count, expected);
    for (uint32_t p = 1; p < model.phrase_count; p++)
        assert_true(model.phrases[p - 1].score >= model.phrases[p].score);
    w2v_phrases_model_free(&model);
    free(n);
    free(text);
}

static void planted_bigrams_are_found_exactly(void **state) {
    (void)state;
    size_t size;
    char *text = generate_corpus(&size);
    struct w2v_corpus corpus = memory_corpus(text, size);
    struct w2v_phrases_model model;
    assert_int_equal(w2v_phrases_learn(&model, &corpus, 100, 5, 2), 0);
    const char *want[] = {"alpha_beta", "gamma_delta", "new_york", "york_times"};
    assert_int_equal(model.phrase_count, 4);
    for (int w = 0; w < 4; w++) {
        bool found = false;
        for (uint32_t p = 0; p < model.phrase_count; p++) {
            if (strcmp(model.phrases[p].text, want[w]) != 0) continue;
            found = true;
            /* each word of a planted pair occurs PLANTED times, always together */
            double score =
                (double)(PLANTED - 5) / ((double)PLANTED * PLANTED) * (double)model.total_words;
            assert_int_equal(model.phrases[p].count, PLANTED);
            assert_true(fabs(model.phrases[p].score - score) <= 1e-9 * score);
        }
        if (!found) fail_msg("planted phrase %s not found", want[w]);
    }
    w2v_phrases_model_free(&model);
    free(text);
}

/* Rewrites `text` with the phrases learnt from `learn_from` at `threshold`. */
static char *rewrite(const char *learn_from, const char *text, double threshold, uint64_t min_count,
                     uint32_t threads) {
    struct w2v_corpus learn = memory_corpus(learn_from, strlen(learn_from));
    struct w2v_corpus corpus = memory_corpus(text, strlen(text));
    struct w2v_phrases_model model;
    assert_int_equal(w2v_phrases_learn(&model, &learn, threshold, min_count, threads), 0);
    char *out;
    size_t size;
    uint64_t joined;
    assert_int_equal(w2v_phrases_rewrite(&model, &corpus, threads, &out, &size, &joined), 0);
    char *copy = strndup(out, size);
    w2v_free(out);
    w2v_phrases_model_free(&model);
    return copy;
}

static void rewrite_follows_word2phrase(void **state) {
    (void)state;
    /* a b and b c are both phrases: a word joined to its left is not joined to its right */
    const char *learn = "a b c\na b c\nx y\n";
    char *out = rewrite(learn, "a b c d\n\n  a   b\tc\r\nc a\nb c", 0, 1, 1);
    assert_string_equal(out, "a_b c d\n\na_b c\nc a\nb_c");
    free(out);
    /* a line end is never crossed: "b\nc" stays apart */
    out = rewrite(learn, "a b\nc x\ny\n", 0, 1, 1);
    assert_string_equal(out, "a_b\nc x\ny\n");
    free(out);
}

static void output_does_not_depend_on_threads(void **state) {
    (void)state;
    size_t size;
    char *text = generate_corpus(&size);
    text[size - 1] = '\0';
    char *one = rewrite(text, text, 100, 5, 1);
    char *many = rewrite(text, text, 100, 5, 7);
    assert_string_equal(one, many);
    assert_non_null(strstr(one, "alpha_beta"));
    assert_non_null(strstr(one, "new_york times"));
    free(one);
    free(many);
    free(text);
}

static char *read_all(const char *path) {
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    fseek(fp, 0, SEEK_END);
    long size = ftell(fp);
    rewind(fp);
    char *data = calloc((size_t)size + 1, 1);
    assert_int_equal(fread(data, 1, (size_t)size, fp), (size_t)size);
    fclose(fp);
    return data;
}

static void two_passes_make_trigrams(void **state) {
    (void)state;
    size_t size;
    char *text = generate_corpus(&size);
    char *input = test_write_file(test_dir(), "corpus.txt", text, size);
    char *output = test_path(test_dir(), "out.txt");
    char *list = test_path(test_dir(), "phrases.txt");
    struct w2v_phrases_config config = {.thresholds = {100}, .passes = 2, .min_count = 5};
    w2v_phrases_fill_thresholds(config.thresholds, 1, 2);
    assert_true(config.thresholds[1] == 50);
    struct w2v_phrases_report report;
    assert_int_equal(w2v_phrases_run(input, output, list, &config, &report), 0);
    assert_int_equal(report.passes, 2);
    char *out = read_all(output);
    assert_non_null(strstr(out, "new_york_times"));
    assert_null(strstr(out, "new_york times"));
    assert_non_null(strstr(out, "alpha_beta"));
    char *phrases = read_all(list);
    assert_non_null(strstr(phrases, "\nnew_york_times ")); /* from pass 2 */
    assert_non_null(strstr(phrases, " 2\n"));
    free(phrases);
    free(out);

    /* a failing run (a missing input) leaves the output as it was */
    char *missing = test_path(test_dir(), "missing.txt");
    assert_int_equal(w2v_phrases_run(missing, output, NULL, &config, &report), -1);
    out = read_all(output);
    assert_non_null(strstr(out, "new_york_times"));
    free(out);
    free(missing);
    free(list);
    free(output);
    free(input);
    free(text);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scores_equal_a_direct_computation),
        cmocka_unit_test(planted_bigrams_are_found_exactly),
        cmocka_unit_test(rewrite_follows_word2phrase),
        cmocka_unit_test(output_does_not_depend_on_threads),
        cmocka_unit_test(two_passes_make_trigrams),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
