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

/* [Σa, Σb, Σc, Σd] of four accumulators in one go: each folded to 256 bits,
 * then two rounds of pairwise horizontal adds and one fold of the 128-bit
 * halves (a quarter of the shuffles of four separate reductions, which cost
 * as much as the FMAs themselves at dim 100). */
static inline __m256 fold_256(__m512 v) {
    return _mm256_add_ps(_mm512_castps512_ps256(v),
                         _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
}

static inline __m128 sum4_avx512(__m512 a, __m512 b, __m512 c, __m512 d) {
    __m256 ab = _mm256_hadd_ps(fold_256(a), fold_256(b));
    __m256 cd = _mm256_hadd_ps(fold_256(c), fold_256(d));
    __m256 abcd = _mm256_hadd_ps(ab, cd);
    return _mm_add_ps(_mm256_castps256_ps128(abcd), _mm256_extractf128_ps(abcd, 1));
}

/* A register tile of the product: out[i·stride + j] = a[i]·b[j] for i < NA ≤ 4,
 * j < NB ≤ 4. NA·NB accumulators (16 of the 32 registers at most); each chunk
 * of an a row and of a b row is loaded once for the whole tile, so a 4 × 4 tile
 * does 16 FMAs per 8 loads. Called with constant NA and NB, the loops unroll. */
static inline __attribute__((always_inline)) void dot_tile(const float *const *a, size_t na,
                                                           const float *const *b, size_t nb,
                                                           size_t n, float *out, size_t stride) {
    __m512 acc[4][4];
    for (size_t i = 0; i < 4; i++)
        for (size_t j = 0; j < 4; j++) acc[i][j] = _mm512_setzero_ps();
    size_t k = 0;
    for (; k + 16 <= n; k += 16) {
        __m512 av[4];
        for (size_t i = 0; i < na; i++) av[i] = _mm512_loadu_ps(a[i] + k);
        for (size_t j = 0; j < nb; j++) {
            __m512 bv = _mm512_loadu_ps(b[j] + k);
            for (size_t i = 0; i < na; i++) acc[i][j] = _mm512_fmadd_ps(av[i], bv, acc[i][j]);
        }
    }
    if (k < n) {
        __mmask16 mask = tail_mask(n - k);
        __m512 av[4];
        for (size_t i = 0; i < na; i++) av[i] = _mm512_maskz_loadu_ps(mask, a[i] + k);
        for (size_t j = 0; j < nb; j++) {
            __m512 bv = _mm512_maskz_loadu_ps(mask, b[j] + k);
            for (size_t i = 0; i < na; i++) acc[i][j] = _mm512_fmadd_ps(av[i], bv, acc[i][j]);
        }
    }
    for (size_t i = 0; i < na; i++) {
        __m128 sums = sum4_avx512(acc[i][0], acc[i][1], acc[i][2], acc[i][3]);
        if (nb == 4) {
            _mm_storeu_ps(out + i * stride, sums);
        } else {
            float lanes[4];
            _mm_storeu_ps(lanes, sums);
            for (size_t j = 0; j < nb; j++) out[i * stride + j] = lanes[j];
        }
    }
}

typedef void (*dot_tile_fn)(const float *const *a, const float *const *b, size_t n, float *out,
                            size_t stride);
#define DOT_TILE(NA, NB)                                                                           \
    static void dot_tile_##NA##x##NB(const float *const *a, const float *const *b, size_t n,       \
                                     float *out, size_t stride) {                                  \
        dot_tile(a, NA, b, NB, n, out, stride);                                                    \
    }
// clang-format off
DOT_TILE(1, 1) DOT_TILE(1, 2) DOT_TILE(1, 3) DOT_TILE(1, 4)
DOT_TILE(2, 1) DOT_TILE(2, 2) DOT_TILE(2, 3) DOT_TILE(2, 4)
DOT_TILE(3, 1) DOT_TILE(3, 2) DOT_TILE(3, 3) DOT_TILE(3, 4)
DOT_TILE(4, 1) DOT_TILE(4, 2) DOT_TILE(4, 3) DOT_TILE(4, 4)
static const dot_tile_fn dot_tiles[4][4] = {
    {dot_tile_1x1, dot_tile_1x2, dot_tile_1x3, dot_tile_1x4},
    {dot_tile_2x1, dot_tile_2x2, dot_tile_2x3, dot_tile_2x4},
    {dot_tile_3x1, dot_tile_3x2, dot_tile_3x3, dot_tile_3x4},
    {dot_tile_4x1, dot_tile_4x2, dot_tile_4x3, dot_tile_4x4},
};
// clang-format on

/* The block in tiles of at most 4 × 4. */
static void dot_block_avx512(const float *const *a_rows, size_t n_a, const float *const *b_rows,
                             size_t n_b, size_t n, float *out) {
    for (size_t i = 0; i < n_a; i += 4) {
        const size_t na = n_a - i < 4 ? n_a - i : 4;
        for (size_t j = 0; j < n_b; j += 4) {
            const size_t nb = n_b - j < 4 ? n_b - j : 4;
            dot_tiles[na - 1][nb - 1](a_rows + i, b_rows + j, n, out + i * n_b + j, n_b);
        }
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
