/* pca.h — principal component analysis of a few word vectors (for plots). */
#ifndef W2V_PCA_H
#define W2V_PCA_H

#include <stddef.h>
#include <stdint.h>

/* Projects n points (row i at rows + i*stride, dim floats each) onto their
 * top `components` principal components, after centering them.
 * scores[i*components + c] is point i's coordinate on component c (each
 * component's sign is chosen so that its largest-magnitude score is
 * positive); explained[c] is the fraction of the total variance along
 * component c (0 if the points are all equal). Uses LAPACK's dsyev on the
 * n x n Gram matrix of the centered points, so n should stay in the
 * thousands. Returns 0, or -1 (w2v_error set) if n < 2, components > n or
 * LAPACK fails. */
int w2v_pca(const float *rows, size_t n, size_t stride, uint32_t dim, uint32_t components,
            double *scores, double *explained);

#endif
