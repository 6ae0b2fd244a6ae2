/* stats.h — correlation coefficients for similarity evaluation. */
#ifndef W2V_STATS_H
#define W2V_STATS_H

#include <stddef.h>

/* Pearson's r of x and y (n values each); NAN if n < 2 or either is constant. */
double w2v_pearson(const double *x, const double *y, size_t n);

/* Spearman's rho: Pearson's r of the ranks, tied values sharing the average
 * of their ranks (as scipy.stats.spearmanr). NAN as for w2v_pearson. */
double w2v_spearman(const double *x, const double *y, size_t n);

/* ranks[i] = 1-based rank of x[i] in ascending order, ties averaged. */
void w2v_average_ranks(const double *x, size_t n, double *ranks);

#endif
