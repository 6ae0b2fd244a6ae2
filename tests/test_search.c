/* test_search.c — the query helpers of search.h on hand-made vectors with
 * known answers: gensim's most_similar mean, similarity and doesnt_match. */
#include "testing.h"

#include "w2v/search.h"

#include <math.h>

static struct w2v_vectors view(char **words, float *rows, uint64_t count, uint32_t dim) {
    return (struct w2v_vectors){
        .count = count, .dim = dim, .stride = dim, .words = words, .rows = rows, .owned = false};
}

/* king - man + woman: gensim's weighted mean of unit vectors, normalised. */
static void test_mean_of_weighted_unit_vectors(void **state) {
    (void)state;
    char *words[] = {"man", "king", "woman", "queen", "zero"};
    float rows[][2] = {{2, 0}, {3, 3}, {0, 5}, {0.1f, 1}, {0, 0}};
    struct w2v_vectors v = view(words, &rows[0][0], 5, 2);
    struct w2v_search s;
    w2v_search_init(&s, &v, 0, true);
    uint64_t q[] = {1, 2, 0}; /* +king +woman -man */
    float weights[] = {1, 1, -1};
    float mean[2];
    w2v_search_mean(&s, q, weights, 3, mean);
    /* (u_king + u_woman - u_man) / 3 = (1/sqrt2 - 1, 1/sqrt2 + 1) / 3, then unit length */
    double x = 1 / sqrt(2) - 1, y = 1 / sqrt(2) + 1, n = sqrt(x * x + y * y);
    assert_float_equal(mean[0], x / n, 1e-6);
    assert_float_equal(mean[1], y / n, 1e-6);
    uint64_t best;
    float cosine;
    assert_int_equal(w2v_search_nearest(&s, mean, q, 3, 1, &best, &cosine), 1);
    assert_int_equal(best, 3); /* queen */

    /* Positive words that cancel leave a zero query, not NaN. */
    uint64_t same[] = {1, 1};
    float opposite[] = {1, -1};
    w2v_search_mean(&s, same, opposite, 2, mean);
    assert_float_equal(mean[0], 0, 0);
    assert_float_equal(mean[1], 0, 0);
    w2v_search_free(&s);
}

static void test_cosine_of_two_words(void **state) {
    (void)state;
    char *words[] = {"a", "b", "c", "zero"};
    float rows[][2] = {{2, 0}, {1, 1}, {-3, 0}, {0, 0}};
    struct w2v_vectors v = view(words, &rows[0][0], 4, 2);
    struct w2v_search s;
    w2v_search_init(&s, &v, 0, false);
    assert_float_equal(w2v_search_cosine(&s, 0, 1), 1 / sqrt(2), 1e-6);
    assert_float_equal(w2v_search_cosine(&s, 0, 2), -1, 1e-6);
    assert_float_equal(w2v_search_cosine(&s, 1, 1), 1, 1e-6);
    assert_float_equal(w2v_search_cosine(&s, 0, 3), 0, 0); /* a zero row */
    w2v_search_free(&s);
}

/* The outlier is planted; its length must not matter (unit vectors). */
static void test_odd_one_out(void **state) {
    (void)state;
    char *words[] = {"cat", "dog", "mouse", "car", "lion"};
    float rows[][3] = {
        {1, 0.1f, 0}, {0.9f, 0.2f, 0}, {1, 0, 0.1f}, {0, 0.2f, 9}, {0.8f, 0.1f, 0.1f}};
    struct w2v_vectors v = view(words, &rows[0][0], 5, 3);
    struct w2v_search s;
    w2v_search_init(&s, &v, 0, false);
    uint64_t group[] = {0, 3, 1, 2};
    assert_int_equal(w2v_search_odd_one_out(&s, group, 4), 1); /* car, at index 1 */
    uint64_t without[] = {4, 0, 1};
    /* Direct computation: the least cosine to the mean of the unit vectors. */
    float mean[3] = {0}, lowest = INFINITY;
    size_t want = 0;
    for (size_t i = 0; i < 3; i++)
        for (int k = 0; k < 3; k++) mean[k] += s.unit[without[i] * s.stride + (size_t)k];
    for (size_t i = 0; i < 3; i++) {
        float dot = 0;
        for (int k = 0; k < 3; k++) dot += s.unit[without[i] * s.stride + (size_t)k] * mean[k];
        if (dot < lowest) lowest = dot, want = i;
    }
    assert_int_equal(w2v_search_odd_one_out(&s, without, 3), want);
    assert_int_equal(w2v_search_odd_one_out(&s, without, 0), 0);
    w2v_search_free(&s);
}

/* Tiny but finite vectors (1/|v| overflows float) still have unit length
 * and cosines in [-1, 1], never NaN; a zero row stays zero. */
static void test_tiny_vectors_normalize(void **state) {
    (void)state;
    float v[3] = {1e-40f, -2e-40f, 0};
    w2v_normalize(v, 3);
    assert_float_equal(v[0], 1 / sqrt(5), 1e-4); /* denormal inputs: about 17 bits */
    assert_float_equal(v[1], -2 / sqrt(5), 1e-4);
    char *words[] = {"tiny", "small", "zero"};
    float rows[][2] = {{1e-44f, 1e-44f}, {3e-39f, 0}, {0, 0}};
    struct w2v_vectors view_ = view(words, &rows[0][0], 3, 2);
    struct w2v_search s;
    w2v_search_init(&s, &view_, 0, true);
    float c = w2v_search_cosine(&s, 0, 1);
    assert_false(isnan(c));
    assert_float_equal(c, 1 / sqrt(2), 1e-3); /* 1e-44 is a denormal: a few bits */
    assert_float_equal(w2v_search_cosine(&s, 0, 2), 0, 0);
    uint64_t rows_found[2];
    float cosines[2];
    float query[2] = {1e-42f, 0};
    assert_int_equal(w2v_search_nearest(&s, query, NULL, 0, 2, rows_found, cosines), 2);
    assert_int_equal(rows_found[0], 1);
    assert_float_equal(cosines[0], 1, 1e-6);
    w2v_search_free(&s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mean_of_weighted_unit_vectors),
        cmocka_unit_test(test_cosine_of_two_words),
        cmocka_unit_test(test_odd_one_out),
        cmocka_unit_test(test_tiny_vectors_normalize),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
