/* kernels_scalar.c — portable C kernels: the reference every SIMD version must match. */
#include "w2v/kernels.h"
#include "w2v/logistic.h"

static float dot_scalar(const float *a, const float *b, size_t n) {
    float sum = 0.0f;
    for (size_t k = 0; k < n; k++) sum += a[k] * b[k];
    return sum;
}

static void axpy_scalar(float alpha, const float *x, float *y, size_t n) {
    for (size_t k = 0; k < n; k++) y[k] += alpha * x[k];
}

static void dot_block_scalar(const float *const *a_rows, size_t n_a, const float *const *b_rows,
                             size_t n_b, size_t n, float *out) {
    for (size_t i = 0; i < n_a; i++)
        for (size_t j = 0; j < n_b; j++) out[i * n_b + j] = dot_scalar(a_rows[i], b_rows[j], n);
}

static void combine_rows_scalar(float *const *dst_rows, size_t n_dst, const float *const *src_rows,
                                size_t n_src, const float *coef, size_t row_step, size_t col_step,
                                size_t n) {
    for (size_t i = 0; i < n_dst; i++)
        for (size_t j = 0; j < n_src; j++)
            axpy_scalar(coef[i * row_step + j * col_step], src_rows[j], dst_rows[i], n);
}

/* kernels.h's update_block a column k at a time: the inputs' terms into scratch
 * first, then the outputs' (reading the inputs before they move), then the inputs. */
static void update_block_scalar(float *const *in_rows, size_t n_in, float *const *out_rows,
                                size_t n_out, const float *g, size_t n, float *scratch) {
    for (size_t k = 0; k < n; k++) {
        for (size_t m = 0; m < n_in; m++) {
            float update = 0.0f;
            for (size_t j = 0; j < n_out; j++) update += g[m * n_out + j] * out_rows[j][k];
            scratch[m] = update;
        }
        for (size_t j = 0; j < n_out; j++) {
            float sum = out_rows[j][k];
            for (size_t m = 0; m < n_in; m++) sum += g[m * n_out + j] * in_rows[m][k];
            out_rows[j][k] = sum;
        }
        for (size_t m = 0; m < n_in; m++) in_rows[m][k] += scratch[m];
    }
}

double w2v_logistic_block_scalar(const float *s, const float *y, size_t m, size_t n, float lr,
                                 float *g) {
    struct w2v_logistic_loss sum = w2v_logistic_loss_start();
    for (size_t ij = 0, i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++, ij++) {
            const float sigma = w2v_logistic(s[ij], y[j] != 0.0f, &sum);
            g[ij] = lr * (y[j] - sigma); /* lr·(y − σ(s)) */
        }
    return w2v_logistic_loss_total(&sum);
}

const struct w2v_kernels w2v_kernels_scalar = {
    .isa_name = "scalar",
    .dot = dot_scalar,
    .axpy = axpy_scalar,
    .dot_block = dot_block_scalar,
    .combine_rows = combine_rows_scalar,
    .update_block = update_block_scalar,
    .logistic_block = w2v_logistic_block_scalar,
};
