/* stats.c — Pearson and Spearman correlation (average ranks for ties). */
#include "w2v/stats.h"

#include "w2v/alloc.h"

#include <math.h>
#include <stdlib.h>

double w2v_pearson(const double *x, const double *y, size_t n) {
    if (n < 2) return NAN;
    double mean_x = 0, mean_y = 0;
    for (size_t i = 0; i < n; i++) mean_x += x[i], mean_y += y[i];
    mean_x /= (double)n, mean_y /= (double)n;
    double sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < n; i++) {
        double dx = x[i] - mean_x, dy = y[i] - mean_y;
        sxy += dx * dy, sxx += dx * dx, syy += dy * dy;
    }
    if (sxx <= 0 || syy <= 0) return NAN;
    return sxy / sqrt(sxx * syy);
}

struct indexed_value {
    double value;
    size_t index;
};

static int compare_values(const void *pa, const void *pb) {
    const struct indexed_value *a = pa, *b = pb;
    if (a->value < b->value) return -1;
    if (a->value > b->value) return 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

void w2v_average_ranks(const double *x, size_t n, double *ranks) {
    struct indexed_value *sorted = w2v_xmalloc(n * sizeof *sorted);
    for (size_t i = 0; i < n; i++) sorted[i].value = x[i], sorted[i].index = i;
    qsort(sorted, n, sizeof *sorted, compare_values);
    for (size_t start = 0; start < n;) {
        size_t end = start + 1;
        while (end < n && sorted[end].value == sorted[start].value) end++;
        /* positions start..end-1 hold ranks start+1..end: their mean */
        double rank = (double)(start + 1 + end) / 2.0;
        for (size_t i = start; i < end; i++) ranks[sorted[i].index] = rank;
        start = end;
    }
    w2v_free(sorted);
}

double w2v_spearman(const double *x, const double *y, size_t n) {
    if (n < 2) return NAN;
    double *rank_x = w2v_xmalloc(n * sizeof(double)), *rank_y = w2v_xmalloc(n * sizeof(double));
    w2v_average_ranks(x, n, rank_x);
    w2v_average_ranks(y, n, rank_y);
    double rho = w2v_pearson(rank_x, rank_y, n);
    w2v_free(rank_x);
    w2v_free(rank_y);
    return rho;
}
