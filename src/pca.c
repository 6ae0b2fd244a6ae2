/* pca.c — PCA through the eigen-decomposition of the centered Gram matrix.
 *
 * With X the n x dim centered points, G = X X^T = U L U^T. The principal
 * component scores are the columns of U scaled by sqrt(L), and component c
 * explains L_c / trace(G) of the variance (trace(G) = sum of squared
 * deviations). G is small (n words), whatever dim is. */
#include "w2v/pca.h"

#include "w2v/alloc.h"
#include "w2v/error.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

/* LAPACK (shipped in OpenBLAS): symmetric eigenvalues, ascending, and vectors. */
void dsyev_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w,
            double *work, const int *lwork, int *info, size_t jobz_len, size_t uplo_len);

int w2v_pca(const float *rows, size_t n, size_t stride, uint32_t dim, uint32_t components,
            double *scores, double *explained) {
    if (n < 2) return w2v_error("PCA needs at least 2 points, got %zu", n);
    if (components == 0 || components > n)
        return w2v_error("PCA of %zu points cannot give %u components", n, components);
    double *centered = w2v_xmalloc(n * dim * sizeof(double));
    for (uint32_t k = 0; k < dim; k++) {
        double mean = 0;
        for (size_t i = 0; i < n; i++) mean += rows[i * stride + k];
        mean /= (double)n;
        for (size_t i = 0; i < n; i++) centered[i * dim + k] = rows[i * stride + k] - mean;
    }
    double *gram = w2v_xmalloc(n * n * sizeof(double));
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)n, (int)dim, 1.0, centered,
                (int)dim, centered, (int)dim, 0.0, gram, (int)n);
    double trace = 0;
    for (size_t i = 0; i < n; i++) trace += gram[i * n + i];

    int order = (int)n, lwork = -1, info = 0;
    double *eigenvalues = w2v_xmalloc(n * sizeof(double)), work_query = 0;
    dsyev_("V", "U", &order, gram, &order, eigenvalues, &work_query, &lwork, &info, 1, 1);
    lwork = info == 0 ? (int)work_query : 3 * order;
    double *work = w2v_xmalloc((size_t)lwork * sizeof(double));
    dsyev_("V", "U", &order, gram, &order, eigenvalues, work, &lwork, &info, 1, 1);
    w2v_free(work);
    int status = 0;
    if (info != 0) {
        status = w2v_error("PCA: LAPACK dsyev failed (info %d)", info);
    } else {
        /* G is symmetric, so the row-major buffer read column-major is G too;
         * eigenvector j is column j: gram[j * n + i] (column-major) for point i. */
        for (uint32_t c = 0; c < components; c++) {
            size_t j = n - 1 - c; /* ascending order: the largest last */
            double lambda = eigenvalues[j] > 0 ? eigenvalues[j] : 0;
            double scale = sqrt(lambda), biggest = 0;
            for (size_t i = 0; i < n; i++) {
                double s = gram[j * n + i] * scale;
                scores[i * components + c] = s;
                if (fabs(s) > fabs(biggest)) biggest = s;
            }
            if (biggest < 0)
                for (size_t i = 0; i < n; i++) scores[i * components + c] *= -1;
            explained[c] = trace > 0 ? lambda / trace : 0;
        }
    }
    w2v_free(eigenvalues);
    w2v_free(gram);
    w2v_free(centered);
    return status;
}
