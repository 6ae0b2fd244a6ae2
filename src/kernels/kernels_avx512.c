/* kernels_avx512.c — AVX-512F kernels, 16 floats a register (compiled with -mavx512f).
 * Tails use AVX-512 load/store masks, so any length works without a scalar loop. */
#include "w2v/kernels.h"

#include <immintrin.h>

static inline __mmask16 tail_mask(size_t remaining) { /* remaining in 1..16 */
    return (__mmask16)((1u << remaining) - 1u);
}

static float dot_avx512(const float *a, const float *b, size_t n) {
    __m512 sum0 = _mm512_setzero_ps(), sum1 = _mm512_setzero_ps();
    size_t k = 0;
    for (; k + 32 <= n; k += 32) {
        sum0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + k), _mm512_loadu_ps(b + k), sum0);
        sum1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + k + 16), _mm512_loadu_ps(b + k + 16), sum1);
    }
    for (; k < n; k += 16) {
        __mmask16 mask = tail_mask(n - k < 16 ? n - k : 16);
        sum0 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, a + k),
                               _mm512_maskz_loadu_ps(mask, b + k), sum0);
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(sum0, sum1));
}

static void axpy_avx512(float alpha, const float *x, float *y, size_t n) {
    __m512 scale = _mm512_set1_ps(alpha);
    for (size_t k = 0; k < n; k += 16) {
        __mmask16 mask = tail_mask(n - k < 16 ? n - k : 16);
        __m512 updated = _mm512_fmadd_ps(scale, _mm512_maskz_loadu_ps(mask, x + k),
                                         _mm512_maskz_loadu_ps(mask, y + k));
        _mm512_mask_storeu_ps(y + k, mask, updated);
    }
}

/* One a row against four b rows at once: a is loaded once per chunk. */
static void dot_1x4_avx512(const float *a, const float *const *b, size_t n, float *out) {
    __m512 sum0 = _mm512_setzero_ps(), sum1 = _mm512_setzero_ps();
    __m512 sum2 = _mm512_setzero_ps(), sum3 = _mm512_setzero_ps();
    for (size_t k = 0; k < n; k += 16) {
        __mmask16 mask = tail_mask(n - k < 16 ? n - k : 16);
        __m512 av = _mm512_maskz_loadu_ps(mask, a + k);
        sum0 = _mm512_fmadd_ps(av, _mm512_maskz_loadu_ps(mask, b[0] + k), sum0);
        sum1 = _mm512_fmadd_ps(av, _mm512_maskz_loadu_ps(mask, b[1] + k), sum1);
        sum2 = _mm512_fmadd_ps(av, _mm512_maskz_loadu_ps(mask, b[2] + k), sum2);
        sum3 = _mm512_fmadd_ps(av, _mm512_maskz_loadu_ps(mask, b[3] + k), sum3);
    }
    out[0] = _mm512_reduce_add_ps(sum0);
    out[1] = _mm512_reduce_add_ps(sum1);
    out[2] = _mm512_reduce_add_ps(sum2);
    out[3] = _mm512_reduce_add_ps(sum3);
}

/* One a row against two b rows (the remainder of a 4-wide block). */
static void dot_1x2_avx512(const float *a, const float *const *b, size_t n, float *out) {
    __m512 sum0 = _mm512_setzero_ps(), sum1 = _mm512_setzero_ps();
    for (size_t k = 0; k < n; k += 16) {
        __mmask16 mask = tail_mask(n - k < 16 ? n - k : 16);
        __m512 av = _mm512_maskz_loadu_ps(mask, a + k);
        sum0 = _mm512_fmadd_ps(av, _mm512_maskz_loadu_ps(mask, b[0] + k), sum0);
        sum1 = _mm512_fmadd_ps(av, _mm512_maskz_loadu_ps(mask, b[1] + k), sum1);
    }
    out[0] = _mm512_reduce_add_ps(sum0);
    out[1] = _mm512_reduce_add_ps(sum1);
}

static void dot_block_avx512(const float *const *a_rows, size_t n_a, const float *const *b_rows,
                             size_t n_b, size_t n, float *out) {
    for (size_t i = 0; i < n_a; i++) {
        size_t j = 0;
        for (; j + 4 <= n_b; j += 4) dot_1x4_avx512(a_rows[i], b_rows + j, n, out + i * n_b + j);
        if (j + 2 <= n_b) dot_1x2_avx512(a_rows[i], b_rows + j, n, out + i * n_b + j), j += 2;
        for (; j < n_b; j++) out[i * n_b + j] = dot_avx512(a_rows[i], b_rows[j], n);
    }
}

static void combine_rows_avx512(float *const *dst_rows, size_t n_dst, const float *const *src_rows,
                                size_t n_src, const float *coef, size_t row_step, size_t col_step,
                                size_t n) {
    for (size_t i = 0; i < n_dst; i++) {
        float *dst = dst_rows[i];
        const float *coef_row = coef + i * row_step;
        size_t k = 0;
        for (; k + 32 <= n; k += 32) {
            __m512 acc0 = _mm512_loadu_ps(dst + k), acc1 = _mm512_loadu_ps(dst + k + 16);
            for (size_t j = 0; j < n_src; j++) {
                __m512 c = _mm512_set1_ps(coef_row[j * col_step]);
                acc0 = _mm512_fmadd_ps(c, _mm512_loadu_ps(src_rows[j] + k), acc0);
                acc1 = _mm512_fmadd_ps(c, _mm512_loadu_ps(src_rows[j] + k + 16), acc1);
            }
            _mm512_storeu_ps(dst + k, acc0);
            _mm512_storeu_ps(dst + k + 16, acc1);
        }
        for (; k < n; k += 16) {
            __mmask16 mask = tail_mask(n - k < 16 ? n - k : 16);
            __m512 acc = _mm512_maskz_loadu_ps(mask, dst + k);
            for (size_t j = 0; j < n_src; j++)
                acc = _mm512_fmadd_ps(_mm512_set1_ps(coef_row[j * col_step]),
                                      _mm512_maskz_loadu_ps(mask, src_rows[j] + k), acc);
            _mm512_mask_storeu_ps(dst + k, mask, acc);
        }
    }
}

const struct w2v_kernels w2v_kernels_avx512 = {
    .isa_name = "avx512",
    .dot = dot_avx512,
    .axpy = axpy_avx512,
    .dot_block = dot_block_avx512,
    .combine_rows = combine_rows_avx512,
};
