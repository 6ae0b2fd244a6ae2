/* test_classes.c — k-means word classes: planted groups are recovered for
 * several seeds, a seed gives the same classes twice, empty classes are
 * re-seeded, bad options are refused, and the writer's "word class" lines. */
#include "testing.h"

#include "test_files.h"
#include "w2v/classes.h"
#include "w2v/error.h"
#include "w2v/rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { GROUPS = 6, PER_GROUP = 25, DIM = 16, WORDS = GROUPS * PER_GROUP };

/* A view over `rows` (count x dim) with words "w0", "w1", ... */
struct fixture {
    struct w2v_vectors v;
    char *words[WORDS];
    char names[WORDS][8];
    float rows[WORDS * DIM];
};

static void fixture_init(struct fixture *f, uint64_t count) {
    for (uint64_t i = 0; i < count; i++) {
        snprintf(f->names[i], sizeof f->names[i], "w%u", (unsigned)i);
        f->words[i] = f->names[i];
    }
    f->v = (struct w2v_vectors){
        .count = count, .dim = DIM, .stride = DIM, .words = f->words, .rows = f->rows};
}

/* Word i belongs to group i % GROUPS: the group's axis e_g plus noise of
 * size 0.05 per coordinate, scaled by a length in [0.5, 5] (normalisation
 * must make the lengths irrelevant). */
static void planted_groups(struct fixture *f) {
    struct w2v_rng rng;
    w2v_rng_seed(&rng, 42, 0);
    fixture_init(f, WORDS);
    for (int i = 0; i < WORDS; i++) {
        float length = 0.5f + 4.5f * w2v_rng_unit(&rng);
        for (int d = 0; d < DIM; d++) {
            float x = (d == i % GROUPS ? 1.0f : 0.0f) + 0.1f * (w2v_rng_unit(&rng) - 0.5f);
            f->rows[i * DIM + d] = length * x;
        }
    }
}

static struct w2v_classes_options options_k(uint32_t k, uint64_t seed) {
    struct w2v_classes_options o;
    w2v_classes_options_default(&o);
    o.k = k;
    o.seed = seed;
    o.threads = 2;
    return o;
}

static void test_planted_groups_recovered(void **state) {
    (void)state;
    static struct fixture f;
    planted_groups(&f);
    for (uint64_t seed = 1; seed <= 8; seed++) {
        struct w2v_classes_options o = options_k(GROUPS, seed);
        uint32_t class_of[WORDS];
        struct w2v_classes_stats stats;
        assert_int_equal(w2v_classes_kmeans(&f.v, &o, class_of, &stats), 0);
        assert_true(stats.converged);
        assert_true(stats.iterations >= 1 && stats.iterations <= o.iterations);
        assert_true(stats.mean_cosine > 0.95);
        /* Every group in one class, and the groups' classes all distinct. */
        uint32_t class_of_group[GROUPS];
        for (int g = 0; g < GROUPS; g++) class_of_group[g] = class_of[g];
        for (int i = 0; i < WORDS; i++) {
            assert_true(class_of[i] < GROUPS);
            assert_int_equal(class_of[i], class_of_group[i % GROUPS]);
        }
        for (int g = 0; g < GROUPS; g++)
            for (int h = 0; h < g; h++) assert_int_not_equal(class_of_group[g], class_of_group[h]);
    }
}

static void test_same_seed_same_classes(void **state) {
    (void)state;
    /* Unstructured data, where the seeding decides the outcome. */
    static struct fixture f;
    fixture_init(&f, WORDS);
    struct w2v_rng rng;
    w2v_rng_seed(&rng, 7, 0);
    for (int i = 0; i < WORDS * DIM; i++) f.rows[i] = w2v_rng_unit(&rng) - 0.5f;
    uint32_t a[WORDS], b[WORDS];
    struct w2v_classes_options o = options_k(12, 99);
    o.iterations = 50;
    struct w2v_classes_stats sa, sb;
    assert_int_equal(w2v_classes_kmeans(&f.v, &o, a, &sa), 0);
    assert_int_equal(w2v_classes_kmeans(&f.v, &o, b, &sb), 0);
    assert_memory_equal(a, b, sizeof a);
    assert_int_equal(sa.iterations, sb.iterations);
    assert_true(sa.mean_cosine == sb.mean_cosine);
    /* The Lloyd steps never lower the objective: 50 steps beat 1. */
    o.iterations = 1;
    assert_int_equal(w2v_classes_kmeans(&f.v, &o, b, &sb), 0);
    assert_int_equal(sb.iterations, 1);
    assert_false(sb.converged);
    assert_true(sa.mean_cosine >= sb.mean_cosine);
}

static void test_k_equals_words(void **state) {
    (void)state;
    /* Distinct directions, K = n: k-means++ picks every word, one class each. */
    static struct fixture f;
    fixture_init(&f, DIM);
    memset(f.rows, 0, sizeof f.rows);
    for (int i = 0; i < DIM; i++) f.rows[i * DIM + i] = (float)(i + 1);
    uint32_t class_of[DIM];
    struct w2v_classes_options o = options_k(DIM, 3);
    assert_int_equal(w2v_classes_kmeans(&f.v, &o, class_of, NULL), 0);
    bool used[DIM] = {false};
    for (int i = 0; i < DIM; i++) {
        assert_true(class_of[i] < DIM);
        assert_false(used[class_of[i]]);
        used[class_of[i]] = true;
    }
}

static void test_empty_classes_reseeded(void **state) {
    (void)state;
    /* Ten equal vectors and a zero one into 4 classes: every centre is the
     * same point, every word ties to class 0, and classes 1..3 must be
     * re-seeded with words of their own. */
    static struct fixture f;
    fixture_init(&f, 11);
    memset(f.rows, 0, sizeof f.rows);
    for (int i = 0; i < 10; i++) f.rows[i * DIM] = 2.0f;
    uint32_t class_of[11];
    struct w2v_classes_options o = options_k(4, 5);
    struct w2v_classes_stats stats;
    assert_int_equal(w2v_classes_kmeans(&f.v, &o, class_of, &stats), 0);
    assert_true(stats.reseeded >= 3);
    uint32_t count[4] = {0};
    for (int i = 0; i < 11; i++) {
        assert_true(class_of[i] < 4);
        count[class_of[i]]++;
    }
    for (int c = 0; c < 4; c++) assert_true(count[c] > 0);
}

static void test_bad_options_refused(void **state) {
    (void)state;
    static struct fixture f;
    planted_groups(&f);
    uint32_t class_of[WORDS];
    struct w2v_classes_options o = options_k(0, 1);
    assert_int_equal(w2v_classes_kmeans(&f.v, &o, class_of, NULL), -1);
    assert_non_null(strstr(w2v_last_error(), "at least 1"));
    o.k = WORDS + 1;
    assert_int_equal(w2v_classes_kmeans(&f.v, &o, class_of, NULL), -1);
    assert_non_null(strstr(w2v_last_error(), "151 classes is more than the 150 words"));
    o.k = 2;
    o.iterations = 0;
    assert_int_equal(w2v_classes_kmeans(&f.v, &o, class_of, NULL), -1);
    assert_non_null(strstr(w2v_last_error(), "iterations"));
}

static void test_score(void **state) {
    (void)state;
    static struct fixture f;
    planted_groups(&f);
    uint32_t class_of[WORDS];
    for (int i = 0; i < WORDS; i++) class_of[i] = (uint32_t)(i % GROUPS);
    struct w2v_classes_score planted, scrambled;
    assert_int_equal(w2v_classes_score(&f.v, class_of, GROUPS, 2, &planted), 0);
    assert_true(planted.nearest_same == 1.0);
    assert_true(planted.mean_cosine > 0.95);
    /* Classes that cut across the groups score worse on both. */
    for (int i = 0; i < WORDS; i++) class_of[i] = (uint32_t)(i / PER_GROUP);
    assert_int_equal(w2v_classes_score(&f.v, class_of, GROUPS, 2, &scrambled), 0);
    assert_true(scrambled.nearest_same < 0.5);
    assert_true(scrambled.mean_cosine < planted.mean_cosine - 0.3);
    class_of[3] = GROUPS;
    assert_int_equal(w2v_classes_score(&f.v, class_of, GROUPS, 2, &scrambled), -1);
    assert_non_null(strstr(w2v_last_error(), "'w3' has class 6, not below 6"));
}

static void test_write_format(void **state) {
    (void)state;
    static struct fixture f;
    planted_groups(&f);
    uint32_t class_of[WORDS];
    struct w2v_classes_options o = options_k(GROUPS, 1);
    assert_int_equal(w2v_classes_kmeans(&f.v, &o, class_of, NULL), 0);
    char *path = test_path(test_dir(), "classes.txt");
    assert_int_equal(w2v_classes_write(path, &f.v, class_of), 0);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    char line[64], want[64];
    int lines = 0;
    while (fgets(line, sizeof line, fp)) {
        assert_true(lines < WORDS);
        snprintf(want, sizeof want, "w%d %u\n", lines, (unsigned)class_of[lines]);
        assert_string_equal(line, want);
        lines++;
    }
    fclose(fp);
    assert_int_equal(lines, WORDS);
    free(path);

    /* An unwritable path: -1 with a message, nothing written. */
    char *bad = test_path(test_dir(), "no/such/dir/classes.txt");
    assert_int_equal(w2v_classes_write(bad, &f.v, class_of), -1);
    assert_true(strlen(w2v_last_error()) > 0);
    struct stat st;
    assert_int_not_equal(stat(bad, &st), 0);
    free(bad);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_planted_groups_recovered),
        cmocka_unit_test(test_same_seed_same_classes),
        cmocka_unit_test(test_k_equals_words),
        cmocka_unit_test(test_empty_classes_reseeded),
        cmocka_unit_test(test_bad_options_refused),
        cmocka_unit_test(test_score),
        cmocka_unit_test(test_write_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
