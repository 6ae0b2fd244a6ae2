/* kernels_avx2.c — AVX2+FMA kernels, 8 floats a register (compiled with -mavx2 -mfma).
 * Tails shorter than a register use masked loads and stores, so any length works. */
#include "w2v/kernels.h"

#include "combine_tiles.h"

#include <immintrin.h>
#include <math.h>
#include <stdbool.h>
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

/* Several dots' horizontal sums at once, each in horizontal_sum's order
 * (x_l = lane l + lane l+4, then (x0 + x2) + (x1 + x3)), so the same bits, with
 * fewer shuffles: 14 for 8 sums (horizontal_sum eight times: 24). The steps:
 *   fold_pair(a, b)     [a.low + a.high | b.low + b.high]: the x_l of a, then of b;
 *   add_halves(t, u)    in each 128-bit lane, [t0 + t2, t1 + t3, u0 + u2, u1 + u3];
 *   add_adjacent(t, u)  in each 128-bit lane, [t0 + t1, t2 + t3, u0 + u1, u2 + u3]. */
static inline __m256 fold_pair(__m256 a, __m256 b) {
    return _mm256_add_ps(_mm256_permute2f128_ps(a, b, 0x20), _mm256_permute2f128_ps(a, b, 0x31));
}

static inline __m256 add_halves(__m256 t, __m256 u) {
    return _mm256_add_ps(_mm256_shuffle_ps(t, u, _MM_SHUFFLE(1, 0, 1, 0)),
                         _mm256_shuffle_ps(t, u, _MM_SHUFFLE(3, 2, 3, 2)));
}

static inline __m256 add_adjacent(__m256 t, __m256 u) {
    return _mm256_add_ps(_mm256_shuffle_ps(t, u, _MM_SHUFFLE(2, 0, 2, 0)),
                         _mm256_shuffle_ps(t, u, _MM_SHUFFLE(3, 1, 3, 1)));
}

static inline __m256 sum8_avx2(const __m256 *p) { /* [Σp0, …, Σp7] */
    return add_adjacent(add_halves(fold_pair(p[0], p[4]), fold_pair(p[1], p[5])),
                        add_halves(fold_pair(p[2], p[6]), fold_pair(p[3], p[7])));
}

static inline __m128 sum4_avx2(__m256 p0, __m256 p1, __m256 p2, __m256 p3) { /* [Σp0, …, Σp3] */
    const __m256 halves = add_halves(fold_pair(p0, p2), fold_pair(p1, p3));
    const __m256 sums = add_adjacent(halves, halves); /* [Σp0, Σp1, Σp0, Σp1 | Σp2, Σp3, …] */
    return _mm_movelh_ps(_mm256_castps256_ps128(sums), _mm256_extractf128_ps(sums, 1));
}

/* A register tile of the product: out[i·stride + j] = a[i]·b[j] for i < NA ≤ 2,
 * j < NB (2 or 4), one accumulator a dot (11 of the 16 registers at most), each
 * chunk of an a row and of a b row loaded once for the tile. Called with constant
 * NA and NB, the loops unroll. */
static inline __attribute__((always_inline)) void dot_tile(const float *const *a, size_t na,
                                                           const float *const *b, size_t nb,
                                                           size_t n, float *out, size_t stride) {
    __m256 acc[2][4];
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++) acc[i][j] = _mm256_setzero_ps();
    size_t k = 0;
    for (; k + 8 <= n; k += 8) {
        __m256 av[2];
        for (size_t i = 0; i < na; i++) av[i] = _mm256_loadu_ps(a[i] + k);
        for (size_t j = 0; j < nb; j++) {
            const __m256 bv = _mm256_loadu_ps(b[j] + k);
            for (size_t i = 0; i < na; i++) acc[i][j] = _mm256_fmadd_ps(av[i], bv, acc[i][j]);
        }
    }
    if (k < n) {
        const __m256i mask = tail_mask(n - k);
        __m256 av[2];
        for (size_t i = 0; i < na; i++) av[i] = _mm256_maskload_ps(a[i] + k, mask);
        for (size_t j = 0; j < nb; j++) {
            const __m256 bv = _mm256_maskload_ps(b[j] + k, mask);
            for (size_t i = 0; i < na; i++) acc[i][j] = _mm256_fmadd_ps(av[i], bv, acc[i][j]);
        }
    }
    if (na == 2 && nb == 4) {
        const __m256 sums = sum8_avx2(&acc[0][0]);
        _mm_storeu_ps(out, _mm256_castps256_ps128(sums));
        _mm_storeu_ps(out + stride, _mm256_extractf128_ps(sums, 1));
    } else if (nb == 4) {
        _mm_storeu_ps(out, sum4_avx2(acc[0][0], acc[0][1], acc[0][2], acc[0][3]));
    } else if (na == 2) {
        const __m128 sums = sum4_avx2(acc[0][0], acc[0][1], acc[1][0], acc[1][1]);
        _mm_storel_pi((__m64 *)out, sums), _mm_storeh_pi((__m64 *)(out + stride), sums);
    } else {
        _mm_storel_pi((__m64 *)out, sum4_avx2(acc[0][0], acc[0][1], acc[0][0], acc[0][1]));
    }
}

/* The block in tiles of 2 × 4, then 2 × 2, rows in pairs; an odd last column by dot_avx2. */
static void dot_block_avx2(const float *const *a_rows, size_t n_a, const float *const *b_rows,
                           size_t n_b, size_t n, float *out) {
    for (size_t i = 0; i < n_a; i += 2) {
        const float *const *a = a_rows + i;
        float *row = out + i * n_b;
        const bool pair = n_a - i >= 2;
        size_t j = 0;
        for (; j + 4 <= n_b; j += 4)
            pair ? dot_tile(a, 2, b_rows + j, 4, n, row + j, n_b)
                 : dot_tile(a, 1, b_rows + j, 4, n, row + j, n_b);
        if (j + 2 <= n_b) {
            pair ? dot_tile(a, 2, b_rows + j, 2, n, row + j, n_b)
                 : dot_tile(a, 1, b_rows + j, 2, n, row + j, n_b);
            j += 2;
        }
        if (j < n_b) {
            row[j] = dot_avx2(a[0], b_rows[j], n);
            if (pair) row[n_b + j] = dot_avx2(a[1], b_rows[j], n);
        }
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

/* update_block (kernels.h) 8 elements at a time, as the AVX-512 kernel (whose
 * comment has the why) with tiles of up to 4 outputs: u and acc in 8 of the 16
 * registers. */
static inline __attribute__((always_inline)) void
update_tile(float *const *in_rows, size_t n_in, float *const *out, size_t nt, const float *g,
            size_t n_out, size_t k, size_t n, float *scratch, bool first) {
    const __m256i mask = tail_mask(n - k < 8 ? n - k : 8);
    __m256 u[4], acc[4];
    for (size_t t = 0; t < nt; t++) u[t] = acc[t] = _mm256_maskload_ps(out[t] + k, mask);
    for (size_t m = 0; m < n_in; m++) {
        const float *g_m = g + m * n_out;
        const __m256 h = _mm256_maskload_ps(in_rows[m] + k, mask);
        __m256 upd = first ? _mm256_setzero_ps() : _mm256_load_ps(scratch + 8 * m);
        for (size_t t = 0; t < nt; t++) {
            const __m256 c = _mm256_set1_ps(g_m[t]);
            upd = _mm256_fmadd_ps(c, u[t], upd);
            acc[t] = _mm256_fmadd_ps(c, h, acc[t]);
        }
        _mm256_store_ps(scratch + 8 * m, upd);
    }
    for (size_t t = 0; t < nt; t++) _mm256_maskstore_ps(out[t] + k, mask, acc[t]);
}

static inline __attribute__((always_inline)) void
update_apply(float *const *in_rows, size_t n_in, size_t k, size_t n, const float *scratch) {
    const __m256i mask = tail_mask(n - k < 8 ? n - k : 8);
    for (size_t m = 0; m < n_in; m++) {
        float *h = in_rows[m] + k;
        _mm256_maskstore_ps(
            h, mask, _mm256_add_ps(_mm256_maskload_ps(h, mask), _mm256_load_ps(scratch + 8 * m)));
    }
}

static void update_block_avx2(float *const *in_rows, size_t n_in, float *const *out_rows,
                              size_t n_out, const float *g, size_t n, float *scratch) {
    kernels_update_by_tiles(update_tile, 4, 8, update_apply, in_rows, n_in, out_rows, n_out, g, n,
                            scratch);
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
    if (n > 0 && n <= 16) {
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
    .update_block = update_block_avx2,
    .logistic_block = logistic_block_avx2,
};
