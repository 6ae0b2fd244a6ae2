/* classes.c — spherical k-means over word vectors (word2vec.c's -classes).
 *
 * Geometry. Word vectors are compared by cosine, so the data are clustered
 * on the unit sphere: every row x_i is scaled to |x_i| = 1 (a zero row stays
 * zero) and every centre c_k is kept at |c_k| = 1. For unit vectors
 *     |x - c|^2 = 2 - 2 x.c,
 * so the nearest centre in Euclidean distance is the one of largest dot
 * product, and k-means minimises Σ_i (2 - 2 x_i.c_a(i)): it maximises the
 * summed cosine of every word to its class's centre. word2vec.c normalises
 * its centres but not the data, so a frequent word's long vector weighs more
 * in its centre's mean; here every word counts once, as the cosine that
 * defines its neighbours does.
 *
 * Seeding (k-means++, Arthur & Vassilvitskii 2007): the first centre is a
 * uniformly drawn word; each next centre is word i with probability
 *     D(i) / Σ_j D(j),   D(i) = min over chosen centres c of |x_i - c|^2
 *                             = |x_i|^2 + 1 - 2 max_c x_i.c,
 * kept up to date with one matrix-vector product X c per new centre.
 *
 * Lloyd iterations. Assignment: S = X C^T (n x K, one cblas_sgemm per block
 * of rows), a(i) = argmax_k S[i][k] (the lowest k on ties). Update: the unit
 * vector that maximises Σ_{i in k} x_i.c is the normalised sum
 *     c_k = Σ_{i in k} x_i / |Σ_{i in k} x_i|
 * (summed in double, in row order: the same result for any thread count).
 * The first assignment uses the seeds; the loop stops after the step that
 * changed no word's class, or after `iterations` steps.
 *
 * Empty classes. After an assignment a class with no word takes, in
 * increasing class order, the word least similar to its own centre (the
 * lowest index on ties) among classes that keep at least one other word; that
 * word becomes the class's centre. As K <= n such a word always exists.
 *
 * Parallelism: the products run on OpenBLAS's threads (options->threads,
 * restored afterwards); they are O(n K dim) per step against O(n (K + dim))
 * for the rest. */
#include "w2v/classes.h"

#include "w2v/alloc.h"
#include "w2v/atomic_file.h"
#include "w2v/blas_pool.h"
#include "w2v/error.h"
#include "w2v/rng.h"
#include "w2v/timer.h"

#include <cblas.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

/* Rows per block of S = X C^T: at most this many scores held at once (16 MiB). */
enum { SCORE_BLOCK_FLOATS = 4 << 20 };

void w2v_classes_options_default(struct w2v_classes_options *options) {
    options->k = 0;
    options->iterations = 10;
    options->seed = 1;
    options->threads = 0;
}

/* The working set of one run. */
struct kmeans {
    uint64_t n; /* words */
    uint32_t dim, k;
    float *unit;     /* n x dim: the rows scaled to unit length */
    float *norm2;    /* n: |unit row|^2, 1 or 0 */
    float *centres;  /* k x dim, unit rows */
    float *scores;   /* block x k */
    uint64_t block;  /* rows per block of scores */
    float *best;     /* n: the assigned centre's cosine */
    uint32_t *count; /* k: words per class */
    double *sums;    /* k x dim */
};

static void normalise_rows(struct kmeans *km, const struct w2v_vectors *v) {
    for (uint64_t i = 0; i < km->n; i++) {
        const float *row = w2v_vectors_row(v, i);
        float *out = km->unit + i * km->dim;
        double s = 0;
        for (uint32_t d = 0; d < km->dim; d++) s += (double)row[d] * row[d];
        float scale = s > 0 ? (float)(1 / sqrt(s)) : 0.0f;
        for (uint32_t d = 0; d < km->dim; d++) out[d] = row[d] * scale;
        km->norm2[i] = s > 0 ? 1.0f : 0.0f;
    }
}

/* D(i) against one new centre c (row `pick`): d2[i] = min(d2[i], |x_i|^2 + 1 - 2 x_i.c). */
static void update_distances(struct kmeans *km, uint64_t pick, float *dots, double *d2) {
    cblas_sgemv(CblasRowMajor, CblasNoTrans, (int)km->n, (int)km->dim, 1.0f, km->unit, (int)km->dim,
                km->unit + pick * km->dim, 1, 0.0f, dots, 1);
    for (uint64_t i = 0; i < km->n; i++) {
        double d = (double)km->norm2[i] + 1.0 - 2.0 * dots[i];
        if (d < 0) d = 0;
        if (d < d2[i]) d2[i] = d;
    }
}

/* k-means++: centre j is a copy of the unit row it picked. */
static void seed_centres(struct kmeans *km, uint64_t seed) {
    struct w2v_rng rng;
    w2v_rng_seed(&rng, seed, 0);
    float *dots = w2v_xmalloc(km->n * sizeof(float));
    double *d2 = w2v_xmalloc(km->n * sizeof(double));
    bool *chosen = w2v_xcalloc(km->n, sizeof(bool));
    for (uint64_t i = 0; i < km->n; i++) d2[i] = INFINITY;
    uint64_t pick = (uint64_t)(w2v_rng_unit(&rng) * (double)km->n), next_unchosen = 0;
    if (pick >= km->n) pick = km->n - 1;
    for (uint32_t j = 0;; j++) {
        chosen[pick] = true;
        memcpy(km->centres + (size_t)j * km->dim, km->unit + pick * km->dim,
               km->dim * sizeof(float));
        if (j + 1 == km->k) break;
        update_distances(km, pick, dots, d2);
        double total = 0;
        for (uint64_t i = 0; i < km->n; i++) total += d2[i];
        /* Draw r in [0, total) and walk the cumulative sum to the row it falls in. */
        double r = (double)w2v_rng_unit(&rng) * total, acc = 0;
        pick = km->n;
        if (total > 0)
            for (uint64_t i = 0; i < km->n && pick == km->n; i++)
                if (d2[i] > 0 && (acc += d2[i]) > r) pick = i;
        if (pick == km->n) { /* every word sits on a centre (or rounding): the next unchosen */
            while (chosen[next_unchosen]) next_unchosen++;
            pick = next_unchosen;
        }
    }
    w2v_free(chosen);
    w2v_free(d2);
    w2v_free(dots);
}

/* scores = X[start, start + rows) B^T for the `width` unit rows of B (one
 * block: rows = min(block, n - start)). Returns rows. */
static uint64_t block_scores(struct kmeans *km, uint64_t start, const float *b, uint64_t width) {
    uint64_t rows = km->n - start < km->block ? km->n - start : km->block;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)rows, (int)width, (int)km->dim, 1.0f,
                km->unit + start * km->dim, (int)km->dim, b, (int)km->dim, 0.0f, km->scores,
                (int)width);
    return rows;
}

/* One assignment step: class_of[i] = argmax_k x_i.c_k. Returns how many changed. */
static uint64_t assign(struct kmeans *km, uint32_t *class_of) {
    uint64_t changed = 0;
    for (uint64_t start = 0; start < km->n; start += km->block) {
        uint64_t rows = block_scores(km, start, km->centres, km->k);
        for (uint64_t r = 0; r < rows; r++) {
            const float *s = km->scores + r * km->k;
            uint32_t arg = 0;
            for (uint32_t c = 1; c < km->k; c++)
                if (s[c] > s[arg]) arg = c;
            changed += class_of[start + r] != arg;
            class_of[start + r] = arg;
            km->best[start + r] = s[arg];
        }
    }
    return changed;
}

/* Gives every empty class the word least similar to its centre (see the top). */
static uint32_t reseed_empty(struct kmeans *km, uint32_t *class_of) {
    memset(km->count, 0, km->k * sizeof(uint32_t));
    for (uint64_t i = 0; i < km->n; i++) km->count[class_of[i]]++;
    uint32_t reseeded = 0;
    for (uint32_t c = 0; c < km->k; c++) {
        if (km->count[c] > 0) continue;
        uint64_t far = km->n;
        for (uint64_t i = 0; i < km->n; i++)
            if (km->count[class_of[i]] > 1 && (far == km->n || km->best[i] < km->best[far]))
                far = i;
        km->count[class_of[far]]--;
        km->count[c] = 1;
        class_of[far] = c;
        km->best[far] = km->norm2[far]; /* it is its class's centre now */
        memcpy(km->centres + (size_t)c * km->dim, km->unit + far * km->dim,
               km->dim * sizeof(float));
        reseeded++;
    }
    return reseeded;
}

/* c_k = Σ_{i in k} x_i / |Σ_{i in k} x_i|; a class whose sum is zero keeps its centre. */
static void update_centres(struct kmeans *km, const uint32_t *class_of) {
    memset(km->sums, 0, (size_t)km->k * km->dim * sizeof(double));
    for (uint64_t i = 0; i < km->n; i++) {
        double *sum = km->sums + (size_t)class_of[i] * km->dim;
        const float *x = km->unit + i * km->dim;
        for (uint32_t d = 0; d < km->dim; d++) sum[d] += x[d];
    }
    for (uint32_t c = 0; c < km->k; c++) {
        const double *sum = km->sums + (size_t)c * km->dim;
        double s = 0;
        for (uint32_t d = 0; d < km->dim; d++) s += sum[d] * sum[d];
        if (s <= 0) continue;
        double scale = 1 / sqrt(s);
        for (uint32_t d = 0; d < km->dim; d++)
            km->centres[(size_t)c * km->dim + d] = (float)(sum[d] * scale);
    }
}

static int check_options(const struct w2v_vectors *v, const struct w2v_classes_options *o) {
    if (o->k == 0) return w2v_error("classes: the number of classes must be at least 1");
    if (o->k > v->count)
        return w2v_error("classes: %" PRIu32 " classes is more than the %" PRIu64
                         " words of the vectors",
                         o->k, v->count);
    if (o->iterations == 0) return w2v_error("classes: iterations must be at least 1");
    if (v->count > INT32_MAX || v->dim == 0)
        return w2v_error("classes: %" PRIu64 " x %" PRIu32 " vectors are out of range for BLAS",
                         v->count, v->dim);
    return 0;
}

/* The working set for k classes, score blocks of `width` columns, the rows normalised. */
static void kmeans_init(struct kmeans *km, const struct w2v_vectors *v, uint32_t k,
                        uint64_t width) {
    *km = (struct kmeans){.n = v->count, .dim = v->dim, .k = k};
    km->block = SCORE_BLOCK_FLOATS / width ? SCORE_BLOCK_FLOATS / width : 1;
    if (km->block > km->n) km->block = km->n;
    km->unit = w2v_xmalloc(km->n * km->dim * sizeof(float));
    km->norm2 = w2v_xmalloc(km->n * sizeof(float));
    km->centres = w2v_xcalloc((size_t)km->k * km->dim, sizeof(float));
    km->scores = w2v_xmalloc(km->block * width * sizeof(float));
    km->best = w2v_xmalloc(km->n * sizeof(float));
    km->count = w2v_xmalloc(km->k * sizeof(uint32_t));
    km->sums = w2v_xmalloc((size_t)km->k * km->dim * sizeof(double));
    normalise_rows(km, v);
}

static void kmeans_free(struct kmeans *km) {
    w2v_free(km->sums);
    w2v_free(km->count);
    w2v_free(km->best);
    w2v_free(km->scores);
    w2v_free(km->centres);
    w2v_free(km->norm2);
    w2v_free(km->unit);
}

int w2v_classes_kmeans(const struct w2v_vectors *vectors, const struct w2v_classes_options *options,
                       uint32_t *class_of, struct w2v_classes_stats *stats) {
    if (check_options(vectors, options) != 0) return -1;
    double start = w2v_now();
    int blas_threads = w2v_blas_pool_set_threads(options->threads);
    struct kmeans km;
    kmeans_init(&km, vectors, options->k, options->k);
    seed_centres(&km, options->seed);
    for (uint64_t i = 0; i < km.n; i++) class_of[i] = UINT32_MAX;
    struct w2v_classes_stats st = {0};
    for (;;) {
        uint64_t changed = assign(&km, class_of);
        st.iterations++;
        uint32_t reseeded = reseed_empty(&km, class_of);
        st.reseeded += reseeded;
        if (changed == 0 && reseeded == 0) {
            st.converged = true;
            break;
        }
        if (st.iterations == options->iterations) break;
        update_centres(&km, class_of);
    }
    double cosine = 0;
    for (uint64_t i = 0; i < km.n; i++) cosine += km.best[i];
    st.mean_cosine = cosine / (double)km.n;
    st.seconds = w2v_now() - start;
    if (stats) *stats = st;
    kmeans_free(&km);
    openblas_set_num_threads(blas_threads);
    return 0;
}

/* Share of words whose nearest other word is in their class: S = X X^T by
 * blocks of rows, the diagonal excluded, argmax per row. */
static double nearest_same_class(struct kmeans *km, const uint32_t *class_of) {
    uint64_t same = 0;
    for (uint64_t start = 0; start < km->n; start += km->block) {
        uint64_t rows = block_scores(km, start, km->unit, km->n);
        for (uint64_t r = 0; r < rows; r++) {
            float *s = km->scores + r * km->n;
            s[start + r] = -INFINITY;
            uint64_t arg = 0;
            for (uint64_t j = 1; j < km->n; j++)
                if (s[j] > s[arg]) arg = j;
            same += class_of[arg] == class_of[start + r];
        }
    }
    return (double)same / (double)km->n;
}

int w2v_classes_score(const struct w2v_vectors *vectors, const uint32_t *class_of, uint32_t k,
                      uint32_t threads, struct w2v_classes_score *score) {
    if (k == 0 || vectors->count < 2 || vectors->count > INT32_MAX || vectors->dim == 0)
        return w2v_error("classes: cannot score %" PRIu64 " words in %" PRIu32 " classes",
                         vectors->count, k);
    for (uint64_t i = 0; i < vectors->count; i++)
        if (class_of[i] >= k)
            return w2v_error("classes: '%s' has class %" PRIu32 ", not below %" PRIu32,
                             vectors->words[i], class_of[i], k);
    int blas_threads = w2v_blas_pool_set_threads(threads);
    struct kmeans km;
    kmeans_init(&km, vectors, k, vectors->count);
    update_centres(&km, class_of);
    double cosine = 0;
    for (uint64_t i = 0; i < km.n; i++) {
        const float *x = km.unit + i * km.dim, *c = km.centres + (size_t)class_of[i] * km.dim;
        for (uint32_t d = 0; d < km.dim; d++) cosine += (double)x[d] * c[d];
    }
    score->mean_cosine = cosine / (double)km.n;
    score->nearest_same = nearest_same_class(&km, class_of);
    kmeans_free(&km);
    openblas_set_num_threads(blas_threads);
    return 0;
}

void w2v_classes_write_stream(FILE *fp, const struct w2v_vectors *vectors,
                              const uint32_t *class_of) {
    for (uint64_t i = 0; i < vectors->count; i++)
        fprintf(fp, "%s %" PRIu32 "\n", vectors->words[i], class_of[i]);
}

int w2v_classes_write(const char *path, const struct w2v_vectors *vectors,
                      const uint32_t *class_of) {
    struct w2v_atomic_file file;
    if (w2v_atomic_open(&file, path) != 0) return -1;
    w2v_classes_write_stream(file.fp, vectors, class_of);
    return w2v_atomic_commit(&file);
}
