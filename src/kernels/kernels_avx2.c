/* kernels_avx2.c — AVX2+FMA kernels, 8 floats a register (compiled with -mavx2 -mfma).
 * Tails shorter than a register use masked loads and stores, so any length works. */
#include "w2v/kernels.h"

#include "combine_tiles.h"

#include <immintrin.h>
#include <math.h>
#include <stdint.h>

static inline __m256i tail_mask(size_t remaining) { /* remaining in 1..8 */
    static const int32_t ones_then_zeros[16] = {-1, -1, -1, -1, -1, -1, -1, -1,
                                                0,  0,  0,  0,  0,  0,  0,  0};
    return _mm256_loadu_si256((const __m256i *)(ones_then_zeros + 8 - remaining));
}

static inline float horizontal_sum(__m256 v) {
    __m128 sum = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    sum = _mm_add_ps(sum, _mm_movehl_ps(sum, sum));
    sum = _mm_add_ss(sum, _mm_movehdup_ps(sum));
    return _mm_cvtss_f32(sum);
}

static float dot_avx2(const float *a, const float *b, size_t n) {
    __m256 sum0 = _mm256_setzero_ps(), sum1 = _mm256_setzero_ps();
    size_t k = 0;
    for (; k + 16 <= n; k += 16) {
        sum0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + k), _mm256_loadu_ps(b + k), sum0);
        sum1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + k + 8), _mm256_loadu_ps(b + k + 8), sum1);
    }
    if (k + 8 <= n) {
        sum0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + k), _mm256_loadu_ps(b + k), sum0);
        k += 8;
    }
    if (k < n) {
        __m256i mask = tail_mask(n - k);
        sum1 =
            _mm256_fmadd_ps(_mm256_maskload_ps(a + k, mask), _mm256_maskload_ps(b + k, mask), sum1);
    }
    return horizontal_sum(_mm256_add_ps(sum0, sum1));
}

static void axpy_avx2(float alpha, const float *x, float *y, size_t n) {
    __m256 scale = _mm256_set1_ps(alpha);
    size_t k = 0;
    for (; k + 8 <= n; k += 8)
        _mm256_storeu_ps(y + k,
                         _mm256_fmadd_ps(scale, _mm256_loadu_ps(x + k), _mm256_loadu_ps(y + k)));
    if (k < n) {
        __m256i mask = tail_mask(n - k);
        __m256 updated = _mm256_fmadd_ps(scale, _mm256_maskload_ps(x + k, mask),
                                         _mm256_maskload_ps(y + k, mask));
        _mm256_maskstore_ps(y + k, mask, updated);
    }
}

/* One a row against four b rows at once: a is loaded once per chunk. */
static void dot_1x4_avx2(const float *a, const float *const *b, size_t n, float *out) {
    __m256 sum0 = _mm256_setzero_ps(), sum1 = _mm256_setzero_ps();
    __m256 sum2 = _mm256_setzero_ps(), sum3 = _mm256_setzero_ps();
    size_t k = 0;
    for (; k + 8 <= n; k += 8) {
        __m256 av = _mm256_loadu_ps(a + k);
        sum0 = _mm256_fmadd_ps(av, _mm256_loadu_ps(b[0] + k), sum0);
        sum1 = _mm256_fmadd_ps(av, _mm256_loadu_ps(b[1] + k), sum1);
        sum2 = _mm256_fmadd_ps(av, _mm256_loadu_ps(b[2] + k), sum2);
        sum3 = _mm256_fmadd_ps(av, _mm256_loadu_ps(b[3] + k), sum3);
    }
    if (k < n) {
        __m256i mask = tail_mask(n - k);
        __m256 av = _mm256_maskload_ps(a + k, mask);
        sum0 = _mm256_fmadd_ps(av, _mm256_maskload_ps(b[0] + k, mask), sum0);
        sum1 = _mm256_fmadd_ps(av, _mm256_maskload_ps(b[1] + k, mask), sum1);
        sum2 = _mm256_fmadd_ps(av, _mm256_maskload_ps(b[2] + k, mask), sum2);
        sum3 = _mm256_fmadd_ps(av, _mm256_maskload_ps(b[3] + k, mask), sum3);
    }
    out[0] = horizontal_sum(sum0);
    out[1] = horizontal_sum(sum1);
    out[2] = horizontal_sum(sum2);
    out[3] = horizontal_sum(sum3);
}

/* One a row against two b rows (the remainder of a 4-wide block). */
static void dot_1x2_avx2(const float *a, const float *const *b, size_t n, float *out) {
    __m256 sum0 = _mm256_setzero_ps(), sum1 = _mm256_setzero_ps();
    size_t k = 0;
    for (; k + 8 <= n; k += 8) {
        __m256 av = _mm256_loadu_ps(a + k);
        sum0 = _mm256_fmadd_ps(av, _mm256_loadu_ps(b[0] + k), sum0);
        sum1 = _mm256_fmadd_ps(av, _mm256_loadu_ps(b[1] + k), sum1);
    }
    if (k < n) {
        __m256i mask = tail_mask(n - k);
        __m256 av = _mm256_maskload_ps(a + k, mask);
        sum0 = _mm256_fmadd_ps(av, _mm256_maskload_ps(b[0] + k, mask), sum0);
        sum1 = _mm256_fmadd_ps(av, _mm256_maskload_ps(b[1] + k, mask), sum1);
    }
    out[0] = horizontal_sum(sum0);
    out[1] = horizontal_sum(sum1);
}

static void dot_block_avx2(const float *const *a_rows, size_t n_a, const float *const *b_rows,
                           size_t n_b, size_t n, float *out) {
    for (size_t i = 0; i < n_a; i++) {
        size_t j = 0;
        for (; j + 4 <= n_b; j += 4) dot_1x4_avx2(a_rows[i], b_rows + j, n, out + i * n_b + j);
        if (j + 2 <= n_b) dot_1x2_avx2(a_rows[i], b_rows + j, n, out + i * n_b + j), j += 2;
        for (; j < n_b; j++) out[i * n_b + j] = dot_avx2(a_rows[i], b_rows[j], n);
    }
}

/* combine_rows in register tiles of up to 4 dst rows × 16 floats: 8 independent
 * accumulator chains and each source chunk loaded once a tile, as in the AVX-512
 * kernel (whose comment has the why); 11 of the 16 registers. Same terms in the
 * same order as a row at a time, so the same bits; tiles whose rows repeat a
 * pointer go row by row (combine_tiles.h). */
static inline __attribute__((always_inline)) void
combine_tile(float *const *dst, size_t nd, const float *const *src, size_t n_src, const float *coef,
             size_t row_step, size_t col_step, size_t n) {
    size_t k = 0;
    for (; k + 16 <= n; k += 16) {
        __m256 acc[4][2];
        for (size_t i = 0; i < nd; i++) {
            acc[i][0] = _mm256_loadu_ps(dst[i] + k);
            acc[i][1] = _mm256_loadu_ps(dst[i] + k + 8);
        }
        for (size_t j = 0; j < n_src; j++) {
            const __m256 s0 = _mm256_loadu_ps(src[j] + k), s1 = _mm256_loadu_ps(src[j] + k + 8);
            for (size_t i = 0; i < nd; i++) {
                const __m256 c = _mm256_set1_ps(coef[i * row_step + j * col_step]);
                acc[i][0] = _mm256_fmadd_ps(c, s0, acc[i][0]);
                acc[i][1] = _mm256_fmadd_ps(c, s1, acc[i][1]);
            }
        }
        for (size_t i = 0; i < nd; i++) {
            _mm256_storeu_ps(dst[i] + k, acc[i][0]);
            _mm256_storeu_ps(dst[i] + k + 8, acc[i][1]);
        }
    }
    for (; k < n; k += 8) {
        const __m256i mask = tail_mask(n - k < 8 ? n - k : 8);
        __m256 acc[4];
        for (size_t i = 0; i < nd; i++) acc[i] = _mm256_maskload_ps(dst[i] + k, mask);
        for (size_t j = 0; j < n_src; j++) {
            const __m256 s0 = _mm256_maskload_ps(src[j] + k, mask);
            for (size_t i = 0; i < nd; i++)
                acc[i] =
                    _mm256_fmadd_ps(_mm256_set1_ps(coef[i * row_step + j * col_step]), s0, acc[i]);
        }
        for (size_t i = 0; i < nd; i++) _mm256_maskstore_ps(dst[i] + k, mask, acc[i]);
    }
}

static void combine_rows_avx2(float *const *dst_rows, size_t n_dst, const float *const *src_rows,
                              size_t n_src, const float *coef, size_t row_step, size_t col_step,
                              size_t n) {
    kernels_combine_by_tiles(combine_tile, dst_rows, n_dst, src_rows, n_src, coef, row_step,
                             col_step, n);
}

#if W2V_HAVE_LIBMVEC
/* glibc's vector math library, by its x86-64 vector-ABI name: 8 floats a call. */
__m256 _ZGVdN8v_expf(__m256 x);

/* The running loss of the logistic block, 8 float lanes (kernels_avx512.c's
 * struct loss_lanes): folded into a double every 127 registers, so that the
 * 8 lanes' product stays below 2^1016 in double. */
struct loss_lanes {
    __m256 product, hinge;
    double folded;
    unsigned registers;
};

static inline void fold_loss(struct loss_lanes *loss) {
    const __m256d product4 =
        _mm256_mul_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(loss->product)),
                      _mm256_cvtps_pd(_mm256_extractf128_ps(loss->product, 1)));
    const __m256d hinge4 = _mm256_add_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(loss->hinge)),
                                         _mm256_cvtps_pd(_mm256_extractf128_ps(loss->hinge, 1)));
    const __m128d product2 =
        _mm_mul_pd(_mm256_castpd256_pd128(product4), _mm256_extractf128_pd(product4, 1));
    const __m128d hinge2 =
        _mm_add_pd(_mm256_castpd256_pd128(hinge4), _mm256_extractf128_pd(hinge4, 1));
    loss->folded += log(_mm_cvtsd_f64(_mm_mul_sd(product2, _mm_unpackhi_pd(product2, product2)))) +
                    _mm_cvtsd_f64(_mm_add_sd(hinge2, _mm_unpackhi_pd(hinge2, hinge2)));
    loss->product = _mm256_set1_ps(1.0f), loss->hinge = _mm256_setzero_ps(), loss->registers = 0;
}

/* One register of logistic units (the formulas of kernels_avx512.c). */
static inline void logistic_register(const float *s, __m256 yv, __m256i mask, __m256 rate, float *g,
                                     struct loss_lanes *loss) {
    const __m256 zero = _mm256_setzero_ps(), one = _mm256_set1_ps(1.0f);
    const __m256 sign = _mm256_set1_ps(-0.0f);
    const __m256 sv = _mm256_maskload_ps(s, mask);
    const __m256 e = _mm256_and_ps(_mm256_castsi256_ps(mask),
                                   _ZGVdN8v_expf(_mm256_or_ps(sv, sign))); /* e^−|s| */
    const __m256 one_plus_e = _mm256_add_ps(one, e);
    const __m256 non_negative = _mm256_cmp_ps(sv, zero, _CMP_GE_OQ);
    const __m256 sigma = _mm256_div_ps(_mm256_blendv_ps(e, one, non_negative), one_plus_e);
    _mm256_maskstore_ps(g, mask, _mm256_mul_ps(rate, _mm256_sub_ps(yv, sigma)));
    const __m256 signed_s = _mm256_fnmadd_ps(_mm256_add_ps(yv, yv), sv, sv); /* s·(1 − 2y) */
    loss->hinge = _mm256_add_ps(loss->hinge, _mm256_max_ps(signed_s, zero)); /* 0 if masked */
    loss->product = _mm256_mul_ps(loss->product, one_plus_e);
    if (++loss->registers == 127) fold_loss(loss);
}

/* kernels.h's logistic block, 8 units a register. As in kernels_avx512.c, rows
 * of up to 16 units are one run of m·n units, lane l of the register at unit u
 * labelled y[(u + l) mod n] (permuted out of y's two registers); longer rows go
 * row by row. */
static double logistic_block_avx2(const float *s, const float *y, size_t m, size_t n, float lr,
                                  float *g) {
    struct loss_lanes loss = {_mm256_set1_ps(1.0f), _mm256_setzero_ps(), 0, 0};
    const __m256 rate = _mm256_set1_ps(lr);
    if (n <= 16) {
        const __m256 y_low = _mm256_maskload_ps(y, tail_mask(n < 8 ? n : 8));
        const __m256 y_high =
            n > 8 ? _mm256_maskload_ps(y + 8, tail_mask(n - 8)) : _mm256_setzero_ps();
        const __m256i period = _mm256_set1_epi32((int)n), last = _mm256_set1_epi32((int)n - 1);
        const __m256i seven = _mm256_set1_epi32(7);
        __m256i label = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
        for (size_t l = n; l < 8; l += n) /* l mod n */
            label =
                _mm256_sub_epi32(label, _mm256_and_si256(_mm256_cmpgt_epi32(label, last), period));
        size_t step = 8;
        while (step >= n) step -= n;
        const __m256i advance = _mm256_set1_epi32((int)step);
        const size_t count = m * n;
        for (size_t u = 0; u < count; u += 8) {
            const __m256i mask = tail_mask(count - u < 8 ? count - u : 8);
            const __m256 yv = _mm256_blendv_ps(
                _mm256_permutevar8x32_ps(y_low, label), _mm256_permutevar8x32_ps(y_high, label),
                _mm256_castsi256_ps(_mm256_cmpgt_epi32(label, seven)));
            logistic_register(s + u, yv, mask, rate, g + u, &loss);
            label = _mm256_add_epi32(label, advance); /* (u + 8 + l) mod n */
            label =
                _mm256_sub_epi32(label, _mm256_and_si256(_mm256_cmpgt_epi32(label, last), period));
        }
    } else {
        for (size_t i = 0; i < m; i++, s += n, g += n)
            for (size_t j = 0; j < n; j += 8) {
                const __m256i mask = tail_mask(n - j < 8 ? n - j : 8);
                logistic_register(s + j, _mm256_maskload_ps(y + j, mask), mask, rate, g + j, &loss);
            }
    }
    fold_loss(&loss);
    return loss.folded;
}
#else
#define logistic_block_avx2 w2v_logistic_block_scalar
#endif

const struct w2v_kernels w2v_kernels_avx2 = {
    .isa_name = "avx2",
    .dot = dot_avx2,
    .axpy = axpy_avx2,
    .dot_block = dot_block_avx2,
    .combine_rows = combine_rows_avx2,
    .logistic_block = logistic_block_avx2,
};
