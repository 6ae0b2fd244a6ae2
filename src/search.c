/* search.c — unit-normalized candidate rows, case-folded lookup and top-k
 * cosine search (one BLAS matrix-vector product per query). */
#include "w2v/search.h"

#include "w2v/alloc.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

void w2v_normalize(float *v, uint32_t dim) {
    double sum = 0;
    for (uint32_t k = 0; k < dim; k++) sum += (double)v[k] * v[k];
    if (sum <= 0) return;
    /* The scale stays double: for a tiny vector (|v| < 2^-64 or so) 1/|v|
     * overflows float to inf and inf * 0 would make NaN cosines. */
    double scale = 1.0 / sqrt(sum);
    for (uint32_t k = 0; k < dim; k++) v[k] = (float)(v[k] * scale);
}

void w2v_search_init(struct w2v_search *search, const struct w2v_vectors *vectors,
                     uint64_t restrict_vocab, bool fold_case) {
    uint64_t count = vectors->count;
    if (restrict_vocab && restrict_vocab < count) count = restrict_vocab;
    search->vectors = vectors;
    search->count = count;
    search->dim = vectors->dim;
    search->stride = w2v_row_stride(vectors->dim);
    search->unit = w2v_alloc_aligned(count * search->stride * sizeof(float));
    search->canonical = w2v_xmalloc(count * sizeof *search->canonical);
    search->any_case_variants = false;
    w2v_word_index_init(&search->lookup, count, fold_case);
    for (uint64_t i = 0; i < count; i++) {
        float *row = search->unit + i * search->stride;
        memcpy(row, w2v_vectors_row(vectors, i), vectors->dim * sizeof(float));
        w2v_normalize(row, vectors->dim);
        uint64_t first = i;
        if (!w2v_word_index_add(&search->lookup, vectors->words[i], i, &first))
            search->any_case_variants = true;
        search->canonical[i] = first;
    }
}

void w2v_search_free(struct w2v_search *search) {
    w2v_free(search->unit);
    w2v_free(search->canonical);
    w2v_word_index_free(&search->lookup);
    memset(search, 0, sizeof *search);
}

int64_t w2v_search_find(const struct w2v_search *search, const char *word) {
    return w2v_word_index_find(&search->lookup, word);
}

void w2v_search_mask(const struct w2v_search *search, float *scores, const uint64_t *exclude,
                     size_t exclude_count) {
    for (size_t e = 0; e < exclude_count; e++) {
        if (exclude[e] < search->count) scores[exclude[e]] = -INFINITY;
    }
    if (!search->any_case_variants) return;
    for (uint64_t j = 0; j < search->count; j++)
        for (size_t e = 0; e < exclude_count; e++)
            if (exclude[e] < search->count && search->canonical[j] == search->canonical[exclude[e]])
                scores[j] = -INFINITY;
}

size_t w2v_search_nearest(const struct w2v_search *search, const float *query,
                          const uint64_t *exclude, size_t exclude_count, size_t k, uint64_t *rows,
                          float *cosines) {
    uint64_t n = search->count;
    if (k == 0 || n == 0) return 0;
    float *unit_query = w2v_xmalloc(search->dim * sizeof(float));
    memcpy(unit_query, query, search->dim * sizeof(float));
    w2v_normalize(unit_query, search->dim);
    float *scores = w2v_xmalloc(n * sizeof(float));
    cblas_sgemv(CblasRowMajor, CblasNoTrans, (int)n, (int)search->dim, 1.0f, search->unit,
                (int)search->stride, unit_query, 1, 0.0f, scores, 1);
    w2v_search_mask(search, scores, exclude, exclude_count);
    /* Keep the best k in rows/cosines by insertion (k is small). */
    size_t found = 0;
    for (uint64_t j = 0; j < n; j++) {
        float s = scores[j];
        if (s == -INFINITY || (found == k && s <= cosines[k - 1])) continue;
        size_t at = found < k ? found++ : k - 1;
        while (at > 0 && cosines[at - 1] < s) {
            cosines[at] = cosines[at - 1];
            rows[at] = rows[at - 1];
            at--;
        }
        cosines[at] = s;
        rows[at] = j;
    }
    w2v_free(scores);
    w2v_free(unit_query);
    return found;
}

void w2v_search_mean(const struct w2v_search *search, const uint64_t *rows, const float *weights,
                     size_t count, float *out) {
    memset(out, 0, search->dim * sizeof(float));
    for (size_t i = 0; i < count; i++)
        cblas_saxpy((int)search->dim, weights[i], search->unit + rows[i] * search->stride, 1, out,
                    1);
    if (count > 0) cblas_sscal((int)search->dim, 1.0f / (float)count, out, 1);
    w2v_normalize(out, search->dim); /* the mean's scale never changes a cosine ranking */
}

float w2v_search_cosine(const struct w2v_search *search, uint64_t a, uint64_t b) {
    return cblas_sdot((int)search->dim, search->unit + a * search->stride, 1,
                      search->unit + b * search->stride, 1);
}

size_t w2v_search_odd_one_out(const struct w2v_search *search, const uint64_t *rows, size_t count) {
    if (count == 0) return 0;
    float *mean = w2v_xmalloc(search->dim * sizeof(float));
    float *ones = w2v_xmalloc(count * sizeof(float));
    for (size_t i = 0; i < count; i++) ones[i] = 1.0f;
    w2v_search_mean(search, rows, ones, count, mean);
    size_t odd = 0;
    float lowest = INFINITY;
    for (size_t i = 0; i < count; i++) {
        float s = cblas_sdot((int)search->dim, search->unit + rows[i] * search->stride, 1, mean, 1);
        if (s < lowest) lowest = s, odd = i;
    }
    w2v_free(ones);
    w2v_free(mean);
    return odd;
}
