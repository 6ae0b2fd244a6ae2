/* test_eval.c — analogy and similarity evaluation on hand-made vectors with
 * known answers, checked against independent brute-force references. */
#include "testing.h"

#include "test_files.h"
#include "w2v/blas_pool.h"
#include "w2v/error.h"
#include "w2v/eval.h"
#include "w2v/stats.h"

#include <cblas.h>
#include <dirent.h>
#include <math.h>
#include <string.h>
#include <time.h>

/* An in-memory view, as the trainer would pass. */
static struct w2v_vectors view(char **words, float *rows, uint64_t count, uint32_t dim) {
    struct w2v_vectors v = {
        .count = count, .dim = dim, .stride = dim, .words = words, .rows = rows, .owned = false};
    return v;
}

static int64_t row_of(const struct w2v_vectors *v, const char *word) {
    for (uint64_t i = 0; i < v->count; i++)
        if (strcmp(v->words[i], word) == 0) return (int64_t)i;
    return -2;
}

static void load_questions(const char *text, struct w2v_analogy_questions *q) {
    char *path = test_write_text(test_dir(), "questions.txt", text);
    if (w2v_analogy_questions_load(path, q) != 0) fail_msg("%s", w2v_last_error());
    free(path);
}

static void test_analogy_known_answers(void **state) {
    (void)state;
    char *words[] = {"man", "king", "woman", "queen", "a", "b", "c", "d", "filler"};
    float rows[][4] = {
        {1, 0, 0, 0},        /* man */
        {1, 1, 0, 0},        /* king */
        {0, 0, 1, 0},        /* woman */
        {0, 1, 1, 0},        /* queen = king - man + woman */
        {1, 0, 0, 0.05f},    /* a */
        {0, 1, 0, 0},        /* b */
        {0.95f, 0.1f, 0, 0}, /* c, close to a: b - a + c is nearly b itself */
        {0, 0.9f, 0, 0.4f},  /* d: the best answer once b is excluded */
        {0, 0, 0, -1},       /* filler */
    };
    struct w2v_vectors v = view(words, &rows[0][0], 9, 4);
    struct w2v_analogy_questions q;
    load_questions(": family\nMAN King woman QUEEN\n\n: gram-test\na b c d\na b c filler\n"
                   "man king woman unknownword\n",
                   &q);
    assert_int_equal(q.count, 4);
    assert_int_equal(q.section_count, 2);
    assert_string_equal(q.sections[1], "gram-test");
    struct w2v_analogy_options o;
    w2v_analogy_options_default(&o);
    struct w2v_analogy_result r;
    assert_int_equal(w2v_eval_analogy(&v, &q, &o, &r), 0);
    assert_int_equal(r.predictions[0], row_of(&v, "queen")); /* case folded */
    assert_int_equal(r.predictions[1], row_of(&v, "d"));     /* b excluded though nearest */
    assert_int_equal(r.predictions[2], row_of(&v, "d"));
    assert_int_equal(r.predictions[3], -1);
    assert_int_equal(r.sections[0].correct, 1);
    assert_int_equal(r.sections[0].attempted, 1);
    assert_int_equal(r.sections[1].correct, 1);
    assert_int_equal(r.sections[1].attempted, 2);
    assert_int_equal(r.sections[1].skipped, 1);
    assert_int_equal(r.semantic.correct, 1);
    assert_int_equal(r.syntactic.attempted, 2);
    assert_int_equal(r.total.correct, 2);
    assert_int_equal(r.total.attempted, 3);
    assert_int_equal(r.total.skipped, 1);
    w2v_analogy_result_free(&r);

    /* Restricted to the first 3 words, only questions within them count. */
    o.restrict_vocab = 3;
    assert_int_equal(w2v_eval_analogy(&v, &q, &o, &r), 0);
    assert_int_equal(r.total.attempted, 0);
    assert_int_equal(r.total.skipped, 4);
    w2v_analogy_result_free(&r);

    /* Case-sensitive: "MAN" is not "man". */
    o.restrict_vocab = 0, o.fold_case = false;
    assert_int_equal(w2v_eval_analogy(&v, &q, &o, &r), 0);
    assert_int_equal(r.sections[0].skipped, 1);
    w2v_analogy_result_free(&r);
    w2v_analogy_questions_free(&q);
}

/* Brute force in double: the best candidate among the first n, inputs excluded. */
static int64_t reference_answer(const float *rows, uint32_t dim, uint64_t n, const int64_t abc[3],
                                bool mul) {
    double unit[3][16];
    for (int w = 0; w < 3; w++) {
        double len = 0;
        for (uint32_t k = 0; k < dim; k++)
            len += (double)rows[abc[w] * dim + k] * rows[abc[w] * dim + k];
        for (uint32_t k = 0; k < dim; k++) unit[w][k] = rows[abc[w] * dim + k] / sqrt(len);
    }
    int64_t best = -1;
    double best_score = -INFINITY;
    for (uint64_t j = 0; j < n; j++) {
        if ((int64_t)j == abc[0] || (int64_t)j == abc[1] || (int64_t)j == abc[2]) continue;
        double len = 0, cos[3] = {0, 0, 0};
        for (uint32_t k = 0; k < dim; k++) len += (double)rows[j * dim + k] * rows[j * dim + k];
        for (int w = 0; w < 3; w++)
            for (uint32_t k = 0; k < dim; k++) cos[w] += rows[j * dim + k] * unit[w][k] / sqrt(len);
        double score = mul ? ((1 + cos[1]) / 2) * ((1 + cos[2]) / 2) / ((1 + cos[0]) / 2 + 1e-6)
                           : cos[1] + cos[2] - cos[0];
        if (score > best_score) best_score = score, best = (int64_t)j;
    }
    return best;
}

static void test_analogy_matches_brute_force_add_and_mul(void **state) {
    (void)state;
    enum { COUNT = 300, DIM = 8, QUESTIONS = 400, RESTRICT = 250 };
    static char names[COUNT][8];
    static char *words[COUNT];
    static float rows[COUNT * DIM];
    unsigned seed = 99;
    for (int i = 0; i < COUNT; i++) {
        snprintf(names[i], sizeof names[i], "w%d", i);
        words[i] = names[i];
        for (int k = 0; k < DIM; k++) {
            seed = seed * 1664525u + 1013904223u;
            rows[i * DIM + k] = (float)((seed >> 8) / 16777216.0 - 0.5);
        }
    }
    struct w2v_vectors v = view(words, rows, COUNT, DIM);
    /* Questions whose expected answer is the 3CosAdd reference answer. */
    static char text[QUESTIONS * 40 + 64];
    size_t len = (size_t)snprintf(text, sizeof text, ": random\n");
    int64_t abc[QUESTIONS][3], expected_skips = 0;
    for (int i = 0; i < QUESTIONS; i++) {
        for (int w = 0; w < 3; w++)
            seed = seed * 1664525u + 1013904223u, abc[i][w] = (seed >> 8) % COUNT;
        if (abc[i][0] == abc[i][1] || abc[i][1] == abc[i][2] || abc[i][0] == abc[i][2])
            abc[i][2] = (abc[i][0] + abc[i][1] + 1) % COUNT, abc[i][1] = (abc[i][0] + 7) % COUNT;
        int64_t add = reference_answer(rows, DIM, RESTRICT, abc[i], false);
        bool outside = abc[i][0] >= RESTRICT || abc[i][1] >= RESTRICT || abc[i][2] >= RESTRICT;
        expected_skips += outside;
        len += (size_t)snprintf(text + len, sizeof text - len, "w%d w%d w%d w%d\n", (int)abc[i][0],
                                (int)abc[i][1], (int)abc[i][2], (int)(outside ? 0 : add));
    }
    struct w2v_analogy_questions q;
    load_questions(text, &q);
    struct w2v_analogy_options o;
    w2v_analogy_options_default(&o);
    o.restrict_vocab = RESTRICT;
    o.batch_words = 16; /* many batches */
    struct w2v_analogy_result add, mul;
    assert_int_equal(w2v_eval_analogy(&v, &q, &o, &add), 0);
    o.method = W2V_ANALOGY_MUL;
    assert_int_equal(w2v_eval_analogy(&v, &q, &o, &mul), 0);
    assert_int_equal(add.total.skipped, expected_skips);
    assert_int_equal(add.total.correct, QUESTIONS - expected_skips);
    int differ = 0;
    for (int i = 0; i < QUESTIONS; i++) {
        if (add.predictions[i] < 0) continue;
        assert_int_equal(add.predictions[i], reference_answer(rows, DIM, RESTRICT, abc[i], false));
        assert_int_equal(mul.predictions[i], reference_answer(rows, DIM, RESTRICT, abc[i], true));
        assert_true(add.predictions[i] < RESTRICT);
        differ += add.predictions[i] != mul.predictions[i];
    }
    assert_true(differ > 0); /* 3CosMul really is a different method here */
    assert_int_equal(mul.total.correct, QUESTIONS - expected_skips - differ);
    w2v_analogy_result_free(&add);
    w2v_analogy_result_free(&mul);
    w2v_analogy_questions_free(&q);
}

static void test_question_file_errors(void **state) {
    (void)state;
    struct w2v_analogy_questions q;
    char *path = test_write_text(test_dir(), "bad-q.txt", ": s\na b c d\na b c\n");
    assert_int_equal(w2v_analogy_questions_load(path, &q), -1);
    assert_non_null(strstr(w2v_last_error(), "line 3: expected 4 words (a b c d), found 3"));
    free(path);
    path = test_write_text(test_dir(), "nosection.txt", "a b c d\n");
    assert_int_equal(w2v_analogy_questions_load(path, &q), -1);
    assert_non_null(strstr(w2v_last_error(), "before the first ': section'"));
    free(path);
}

/* Pearson's r, written out independently of the library. */
static double independent_pearson(const double *x, const double *y, int n) {
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    for (int i = 0; i < n; i++)
        sx += x[i], sy += y[i], sxx += x[i] * x[i], syy += y[i] * y[i], sxy += x[i] * y[i];
    return (n * sxy - sx * sy) / sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
}

static void test_similarity_with_ties_and_oov_in_both_formats(void **state) {
    (void)state;
    /* 2-D words at known angles: cos of a pair is cos(angle difference). */
    const double deg = M_PI / 180;
    char *words[] = {"a", "b", "c", "d", "e", "f"};
    float rows[6][2] = {{1, 0},
                        {(float)cos(30 * deg), (float)sin(30 * deg)},
                        {(float)cos(60 * deg), (float)sin(60 * deg)},
                        {0, 1},
                        {-1, 0},
                        {(float)cos(30 * deg), (float)-sin(30 * deg)}};
    struct w2v_vectors v = view(words, &rows[0][0], 6, 2);
    const char *wordsim = "# comment\n# Word 1\tWord 2\tHuman (mean)\n"
                          "a\tb\t8\nA\tc\t5\na\td\t5.0\na\te\t1\nf\ta\t7\na\tzzz\t3\n";
    const char *simlex = "word1\tword2\tPOS\tSimLex999\tconc(w1)\n"
                         "a\tb\tN\t8\t1\nA\tc\tN\t5\t1\na\td\tN\t5\t1\na\te\tN\t1\t1\n"
                         "f\ta\tN\t7\t1\na\tzzz\tN\t3\t1\n";
    const char *texts[2] = {wordsim, simlex};
    for (int t = 0; t < 2; t++) {
        char *path = test_write_text(test_dir(), t ? "simlex.txt" : "ws.tsv", texts[t]);
        struct w2v_word_pairs pairs;
        if (w2v_word_pairs_load(path, &pairs) != 0) fail_msg("%s", w2v_last_error());
        assert_int_equal(pairs.count, 6);
        assert_true(pairs.items[4].score == 7.0);
        struct w2v_similarity_options o;
        w2v_similarity_options_default(&o);
        struct w2v_similarity_result r;
        assert_int_equal(w2v_eval_similarity(&v, &pairs, &o, &r), 0);
        assert_int_equal(r.pairs, 6);
        assert_int_equal(r.used, 5);
        assert_int_equal(r.oov, 1);
        assert_true(isnan(r.cosines[5]));
        assert_true(r.cosines[0] == r.cosines[4]); /* the tie is a real tie */
        /* Average ranks by hand: human 8,5,5,1,7 -> 5,2.5,2.5,1,4;
         * cosines .866,.5,0,-1,.866 -> 4.5,3,2,1,4.5. */
        double human_ranks[5] = {5, 2.5, 2.5, 1, 4}, model_ranks[5] = {4.5, 3, 2, 1, 4.5};
        double rho = independent_pearson(human_ranks, model_ranks, 5);
        assert_true(fabs(rho - 9.0 / 9.5) < 1e-12);
        assert_true(fabs(r.spearman - rho) < 1e-9);
        double human[5] = {8, 5, 5, 1, 7};
        double cosines[5] = {cos(30 * deg), cos(60 * deg), 0, -1, cos(30 * deg)};
        assert_true(fabs(r.pearson - independent_pearson(human, cosines, 5)) < 1e-6);
        w2v_similarity_result_free(&r);

        o.restrict_vocab = 4; /* e and f fall outside */
        assert_int_equal(w2v_eval_similarity(&v, &pairs, &o, &r), 0);
        assert_int_equal(r.oov, 3);
        w2v_similarity_result_free(&r);
        w2v_word_pairs_free(&pairs);
        free(path);
    }
    char *path = test_write_text(test_dir(), "bad-pairs.tsv", "a\tb\t1\na\tb\tx\n");
    struct w2v_word_pairs pairs;
    assert_int_equal(w2v_word_pairs_load(path, &pairs), -1);
    assert_non_null(strstr(w2v_last_error(), "line 2: score 'x' is not a number"));
    free(path);
}

static void test_average_ranks(void **state) {
    (void)state;
    double x[6] = {3, 1, 3, 2, 3, 0}, ranks[6];
    w2v_average_ranks(x, 6, ranks);
    double expected[6] = {5, 2, 5, 3, 5, 1};
    for (int i = 0; i < 6; i++) assert_true(ranks[i] == expected[i]);
    assert_true(isnan(w2v_spearman(x, x, 1)));
}

/* The threads of this process (/proc/self/task), or -1 without /proc. */
static int thread_count(void) {
    DIR *dir = opendir("/proc/self/task");
    if (!dir) return -1;
    int count = 0;
    for (struct dirent *e; (e = readdir(dir));) count += e->d_name[0] != '.';
    closedir(dir);
    return count;
}

/* The thread count once it is `expected`, or what it still is after 2 s: a
 * joined thread leaves /proc a moment after pthread_join returns. */
static int thread_count_settled(int expected) {
    int count = thread_count();
    for (int i = 0; i < 200 && count != expected; i++) {
        nanosleep(&(struct timespec){.tv_nsec = 10000000}, NULL);
        count = thread_count();
    }
    return count;
}

/* C = A B^T for 256 x 256 matrices: large enough that OpenBLAS splits it over its pool. */
static void product(const float *a, const float *b, float *c) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, 256, 256, 256, 1.0f, a, 256, b, 256, 0.0f,
                c, 256);
}

/* Stopping OpenBLAS's pool ends its workers (the threads that would spin beside
 * training), and the next threaded product starts them again with the same
 * result. Where the library has no pool (serial, one CPU,
 * OPENBLAS_NUM_THREADS=1) stopping changes no thread and products still work. */
static void test_blas_pool_stops_and_restarts(void **state) {
    (void)state;
    const int pool = openblas_get_num_threads() - 1; /* workers beside the caller */
    enum { N = 256 * 256 };
    float *a = test_malloc(N * sizeof *a), *b = test_malloc(N * sizeof *b);
    float *c0 = test_malloc(N * sizeof *c0), *c1 = test_malloc(N * sizeof *c1);
    for (int i = 0; i < N; i++) a[i] = (float)(i % 17) - 8, b[i] = (float)(i % 13) - 6;
    product(a, b, c0);
    const int before = thread_count(); /* -1 without /proc: the counts are not checked */
    const int stopped = pool > 0 ? before - pool : before;

    w2v_blas_pool_stop();
    if (before >= 0) assert_int_equal(thread_count_settled(stopped), stopped);
    w2v_blas_pool_stop(); /* stopping a stopped pool does nothing */
    if (before >= 0) assert_int_equal(thread_count(), stopped);

    product(a, b, c1);
    if (before >= 0) assert_int_equal(thread_count(), before); /* started again */
    assert_memory_equal(c0, c1, N * sizeof *c0);
    /* an element worked out by hand: c[3][5] = Σ_k a[3][k] b[5][k] */
    double expected = 0;
    for (int k = 0; k < 256; k++) expected += (double)a[3 * 256 + k] * b[5 * 256 + k];
    assert_float_equal(c1[3 * 256 + 5], expected, 1e-3);
    w2v_blas_pool_stop();
    test_free(a), test_free(b), test_free(c0), test_free(c1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_analogy_known_answers),
        cmocka_unit_test(test_analogy_matches_brute_force_add_and_mul),
        cmocka_unit_test(test_question_file_errors),
        cmocka_unit_test(test_similarity_with_ties_and_oov_in_both_formats),
        cmocka_unit_test(test_average_ranks),
        cmocka_unit_test(test_blas_pool_stops_and_restarts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
