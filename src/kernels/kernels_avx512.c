/* kernels_avx512.c — AVX-512F kernels, 16 floats a register (compiled with -mavx512f).
 * Tails use AVX-512 load/store masks, so any length works without a scalar loop. */
#include "w2v/kernels.h"

#include "combine_tiles.h"

#include <immintrin.h>
#include <math.h>

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
 * as much as the FMAs themselves at dim 100). Each sum is taken in one order,
 * with x_l = lane l + lane l+8:  ((x0 + x1) + (x2 + x3)) + ((x4 + x5) + (x6 + x7)). */
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

/* The same sums of 8 or 16 accumulators as a transposing tree, in the same order
 * for each sum (so the same bits), with fewer shuffles: 16 for 8 sums, 30 for 16
 * (sum4_avx512 four times: 44). The steps, for accumulators p0 … p15:
 *   fold_pair(a, b)     [a.low + a.high | b.low + b.high]: the x_l of a, then of b;
 *   add_adjacent(t, u)  in each 128-bit lane, [t0 + t1, t2 + t3, u0 + u1, u2 + u3];
 * after fold_pair(p_i, p_i+4) and two rounds of add_adjacent, 128-bit lane 0
 * holds (x0 + x1) + (x2 + x3) of p0 … p3, lane 1 their (x4 + x5) + (x6 + x7),
 * lanes 2 and 3 the same of p4 … p7; adding lanes 0 + 1 and 2 + 3 ends it. */
static inline __m512 fold_pair(__m512 a, __m512 b) {
    return _mm512_add_ps(_mm512_shuffle_f32x4(a, b, _MM_SHUFFLE(1, 0, 1, 0)),
                         _mm512_shuffle_f32x4(a, b, _MM_SHUFFLE(3, 2, 3, 2)));
}

static inline __m512 add_adjacent(__m512 t, __m512 u) {
    return _mm512_add_ps(_mm512_shuffle_ps(t, u, _MM_SHUFFLE(2, 0, 2, 0)),
                         _mm512_shuffle_ps(t, u, _MM_SHUFFLE(3, 1, 3, 1)));
}

static inline __m512 halves_of_8(const __m512 *p) { /* [p0…p3 first halves, second, p4…p7 …] */
    return add_adjacent(add_adjacent(fold_pair(p[0], p[4]), fold_pair(p[1], p[5])),
                        add_adjacent(fold_pair(p[2], p[6]), fold_pair(p[3], p[7])));
}

static inline __m256 sum8_avx512(const __m512 *p) { /* [Σp0, …, Σp7] */
    const __m512 halves = halves_of_8(p);
    return fold_256(_mm512_shuffle_f32x4(halves, halves, _MM_SHUFFLE(3, 1, 2, 0)));
}

static inline __m512 sum16_avx512(const __m512 *p) { /* [Σp0, …, Σp15] */
    const __m512 low = halves_of_8(p), high = halves_of_8(p + 8);
    return _mm512_add_ps(_mm512_shuffle_f32x4(low, high, _MM_SHUFFLE(2, 0, 2, 0)),
                         _mm512_shuffle_f32x4(low, high, _MM_SHUFFLE(3, 1, 3, 1)));
}

/* Stores the sums of columns j0 … j0 + nb − 1 (nb ≤ 4) of a tile's accumulators:
 * 4 × 4 as one register of 16 sums, 4 × 2 and 2 × 4 as one of 8, 2 × 2 as one of
 * 4, the rest a row at a time. */
static inline __attribute__((always_inline)) void store_sums(__m512 acc[4][6], size_t na, size_t j0,
                                                             size_t nb, float *out, size_t stride) {
    if (na == 4 && nb == 4) { /* a row a 128-bit lane */
        __m512 p[16];
        for (size_t i = 0; i < 4; i++)
            for (size_t j = 0; j < 4; j++) p[i * 4 + j] = acc[i][j0 + j];
        const __m512 sums = sum16_avx512(p);
        _mm_storeu_ps(out, _mm512_castps512_ps128(sums));
        _mm_storeu_ps(out + stride, _mm512_extractf32x4_ps(sums, 1));
        _mm_storeu_ps(out + 2 * stride, _mm512_extractf32x4_ps(sums, 2));
        _mm_storeu_ps(out + 3 * stride, _mm512_extractf32x4_ps(sums, 3));
    } else if (na * nb == 8) {
        __m512 p[8];
        for (size_t i = 0; i < na; i++)
            for (size_t j = 0; j < nb; j++) p[i * nb + j] = acc[i][j0 + j];
        const __m256 sums = sum8_avx512(p);
        const __m128 low = _mm256_castps256_ps128(sums), high = _mm256_extractf128_ps(sums, 1);
        if (nb == 4) {
            _mm_storeu_ps(out, low), _mm_storeu_ps(out + stride, high);
        } else {
            _mm_storel_pi((__m64 *)out, low), _mm_storeh_pi((__m64 *)(out + stride), low);
            _mm_storel_pi((__m64 *)(out + 2 * stride), high);
            _mm_storeh_pi((__m64 *)(out + 3 * stride), high);
        }
    } else if (na == 2 && nb == 2) {
        const __m128 sums = sum4_avx512(acc[0][j0], acc[0][j0 + 1], acc[1][j0], acc[1][j0 + 1]);
        _mm_storel_pi((__m64 *)out, sums), _mm_storeh_pi((__m64 *)(out + stride), sums);
    } else {
        for (size_t i = 0; i < na; i++) {
            const __m512 zero = _mm512_setzero_ps();
            const __m128 sums =
                sum4_avx512(acc[i][j0], nb > 1 ? acc[i][j0 + 1] : zero,
                            nb > 2 ? acc[i][j0 + 2] : zero, nb > 3 ? acc[i][j0 + 3] : zero);
            if (nb == 4) {
                _mm_storeu_ps(out + i * stride, sums);
            } else {
                float lanes[4];
                _mm_storeu_ps(lanes, sums);
                for (size_t j = 0; j < nb; j++) out[i * stride + j] = lanes[j];
            }
        }
    }
}

/* A register tile of the product: out[i·stride + j] = a[i]·b[j] for i < NA ≤ 4,
 * j < NB ≤ 6 (6: negative + 1 at the default 5). NA·NB accumulators (24 of the 32
 * registers at most); each chunk of an a row and of a b row is loaded once for the
 * whole tile, so a 4 × 6 tile does 24 FMAs per 10 loads. Called with constant NA
 * and NB, the loops unroll. */
static inline __attribute__((always_inline)) void dot_tile(const float *const *a, size_t na,
                                                           const float *const *b, size_t nb,
                                                           size_t n, float *out, size_t stride) {
    __m512 acc[4][6];
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++) acc[i][j] = _mm512_setzero_ps();
    size_t k = 0;
    for (; k + 16 <= n; k += 16) {
        __m512 av[4];
        for (size_t i = 0; i < na; i++) av[i] = _mm512_loadu_ps(a[i] + k);
        for (size_t j = 0; j < nb; j++) {
            const __m512 bv = _mm512_loadu_ps(b[j] + k);
            for (size_t i = 0; i < na; i++) acc[i][j] = _mm512_fmadd_ps(av[i], bv, acc[i][j]);
        }
    }
    if (k < n) {
        const __mmask16 mask = tail_mask(n - k);
        __m512 av[4];
        for (size_t i = 0; i < na; i++) av[i] = _mm512_maskz_loadu_ps(mask, a[i] + k);
        for (size_t j = 0; j < nb; j++) {
            const __m512 bv = _mm512_maskz_loadu_ps(mask, b[j] + k);
            for (size_t i = 0; i < na; i++) acc[i][j] = _mm512_fmadd_ps(av[i], bv, acc[i][j]);
        }
    }
    store_sums(acc, na, 0, nb < 4 ? nb : 4, out, stride);
    if (nb > 4) store_sums(acc, na, 4, nb - 4, out + 4, stride);
}

typedef void (*dot_tile_fn)(const float *const *a, const float *const *b, size_t n, float *out,
                            size_t stride);
#define DOT_TILE(NA, NB)                                                                           \
    static void dot_tile_##NA##x##NB(const float *const *a, const float *const *b, size_t n,       \
                                     float *out, size_t stride) {                                  \
        dot_tile(a, NA, b, NB, n, out, stride);                                                    \
    }
// clang-format off
DOT_TILE(1, 1) DOT_TILE(1, 2) DOT_TILE(1, 3) DOT_TILE(1, 4) DOT_TILE(1, 5) DOT_TILE(1, 6)
DOT_TILE(2, 1) DOT_TILE(2, 2) DOT_TILE(2, 3) DOT_TILE(2, 4) DOT_TILE(2, 5) DOT_TILE(2, 6)
DOT_TILE(3, 1) DOT_TILE(3, 2) DOT_TILE(3, 3) DOT_TILE(3, 4) DOT_TILE(3, 5) DOT_TILE(3, 6)
DOT_TILE(4, 1) DOT_TILE(4, 2) DOT_TILE(4, 3) DOT_TILE(4, 4) DOT_TILE(4, 5) DOT_TILE(4, 6)
static const dot_tile_fn dot_tiles[4][6] = {
    {dot_tile_1x1, dot_tile_1x2, dot_tile_1x3, dot_tile_1x4, dot_tile_1x5, dot_tile_1x6},
    {dot_tile_2x1, dot_tile_2x2, dot_tile_2x3, dot_tile_2x4, dot_tile_2x5, dot_tile_2x6},
    {dot_tile_3x1, dot_tile_3x2, dot_tile_3x3, dot_tile_3x4, dot_tile_3x5, dot_tile_3x6},
    {dot_tile_4x1, dot_tile_4x2, dot_tile_4x3, dot_tile_4x4, dot_tile_4x5, dot_tile_4x6},
};
// clang-format on

/* The block in tiles of at most 4 × 6 (a block of negative + 1 = 6 columns at
 * the default negative 5 is one tile wide). */
static void dot_block_avx512(const float *const *a_rows, size_t n_a, const float *const *b_rows,
                             size_t n_b, size_t n, float *out) {
    for (size_t i = 0; i < n_a; i += 4) {
        const size_t na = n_a - i < 4 ? n_a - i : 4;
        for (size_t j = 0; j < n_b; j += 6) {
            const size_t nb = n_b - j < 6 ? n_b - j : 6;
            dot_tiles[na - 1][nb - 1](a_rows + i, b_rows + j, n, out + i * n_b + j, n_b);
        }
    }
}

/* combine_rows in register tiles: up to 4 dst rows × 32 floats, 8 independent
 * accumulator chains (one chain a row needs n_src dependent FMAs of 4 cycles each;
 * two chains, as one row at a time gives, leave the FMA units idle 3/4 of the time),
 * and each source chunk loaded once for the whole tile. Each dst element still
 * takes its terms in the order j = 0, 1, ..., so results equal the row-at-a-time
 * loop's bit for bit. Tiles whose rows repeat a pointer (a negative drawn twice)
 * go row by row (combine_tiles.h, which also cuts the rows into tiles). */
static inline __attribute__((always_inline)) void
combine_tile(float *const *dst, size_t nd, const float *const *src, size_t n_src, const float *coef,
             size_t row_step, size_t col_step, size_t n) {
    size_t k = 0;
    for (; k + 32 <= n; k += 32) {
        __m512 acc[4][2];
        for (size_t i = 0; i < nd; i++) {
            acc[i][0] = _mm512_loadu_ps(dst[i] + k);
            acc[i][1] = _mm512_loadu_ps(dst[i] + k + 16);
        }
        for (size_t j = 0; j < n_src; j++) {
            const __m512 s0 = _mm512_loadu_ps(src[j] + k), s1 = _mm512_loadu_ps(src[j] + k + 16);
            for (size_t i = 0; i < nd; i++) {
                const __m512 c = _mm512_set1_ps(coef[i * row_step + j * col_step]);
                acc[i][0] = _mm512_fmadd_ps(c, s0, acc[i][0]);
                acc[i][1] = _mm512_fmadd_ps(c, s1, acc[i][1]);
            }
        }
        for (size_t i = 0; i < nd; i++) {
            _mm512_storeu_ps(dst[i] + k, acc[i][0]);
            _mm512_storeu_ps(dst[i] + k + 16, acc[i][1]);
        }
    }
    for (; k < n; k += 16) {
        const __mmask16 mask = tail_mask(n - k < 16 ? n - k : 16);
        __m512 acc[4];
        for (size_t i = 0; i < nd; i++) acc[i] = _mm512_maskz_loadu_ps(mask, dst[i] + k);
        for (size_t j = 0; j < n_src; j++) {
            const __m512 s0 = _mm512_maskz_loadu_ps(mask, src[j] + k);
            for (size_t i = 0; i < nd; i++)
                acc[i] =
                    _mm512_fmadd_ps(_mm512_set1_ps(coef[i * row_step + j * col_step]), s0, acc[i]);
        }
        for (size_t i = 0; i < nd; i++) _mm512_mask_storeu_ps(dst[i] + k, mask, acc[i]);
    }
}

static void combine_rows_avx512(float *const *dst_rows, size_t n_dst, const float *const *src_rows,
                                size_t n_src, const float *coef, size_t row_step, size_t col_step,
                                size_t n) {
    kernels_combine_by_tiles(combine_tile, dst_rows, n_dst, src_rows, n_src, coef, row_step,
                             col_step, n);
}

/* update_block (kernels.h) one register of elements at a time. A tile of up to
 * 8 outputs keeps their chunks as before the step (u) and their running sums
 * (acc) in 16 registers; each input's chunk h_m is loaded once a tile and gives
 * both sums, from the same coefficient:
 *     acc_n += g_mn·h_m     the output's update, over m = 0, 1, … in order
 *     upd_m += g_mn·u_n     the input's update, over n = 0, 1, … (scratch between tiles)
 * The inputs are only written once every tile is done (update_apply), in order,
 * so every term reads them unchanged and a repeated row gets each occurrence's
 * update. */
static inline __attribute__((always_inline)) void
update_tile(float *const *in_rows, size_t n_in, float *const *out, size_t nt, const float *g,
            size_t n_out, size_t k, size_t n, float *scratch, bool first) {
    const __mmask16 mask = tail_mask(n - k < 16 ? n - k : 16);
    __m512 u[8], acc[8];
    for (size_t t = 0; t < nt; t++) u[t] = acc[t] = _mm512_maskz_loadu_ps(mask, out[t] + k);
    for (size_t m = 0; m < n_in; m++) {
        const float *g_m = g + m * n_out;
        const __m512 h = _mm512_maskz_loadu_ps(mask, in_rows[m] + k);
        __m512 upd = first ? _mm512_setzero_ps() : _mm512_load_ps(scratch + 16 * m);
        for (size_t t = 0; t < nt; t++) {
            const __m512 c = _mm512_set1_ps(g_m[t]);
            upd = _mm512_fmadd_ps(c, u[t], upd);
            acc[t] = _mm512_fmadd_ps(c, h, acc[t]);
        }
        _mm512_store_ps(scratch + 16 * m, upd);
    }
    for (size_t t = 0; t < nt; t++) _mm512_mask_storeu_ps(out[t] + k, mask, acc[t]);
}

static inline __attribute__((always_inline)) void
update_apply(float *const *in_rows, size_t n_in, size_t k, size_t n, const float *scratch) {
    const __mmask16 mask = tail_mask(n - k < 16 ? n - k : 16);
    for (size_t m = 0; m < n_in; m++) {
        float *h = in_rows[m] + k;
        _mm512_mask_storeu_ps(
            h, mask,
            _mm512_add_ps(_mm512_maskz_loadu_ps(mask, h), _mm512_load_ps(scratch + 16 * m)));
    }
}

static void update_block_avx512(float *const *in_rows, size_t n_in, float *const *out_rows,
                                size_t n_out, const float *g, size_t n, float *scratch) {
    kernels_update_by_tiles(update_tile, 8, 16, update_apply, in_rows, n_in, out_rows, n_out, g, n,
                            scratch);
}

#if W2V_HAVE_LIBMVEC
/* glibc's vector math library, by its x86-64 vector-ABI name: 16 floats a call. */
__m512 _ZGVeN16v_expf(__m512 x);

/* The running loss of the logistic block, 16 float lanes: the product of the
 * factors 1 + e (each in [1, 2]) and the sum of the hinges, folded into a double
 * before the product could overflow: every 63 registers, so that the 16 lanes'
 * product stays below 2^1008 in double. The float rounding of the part folded is
 * about 2^−24 relative a term; the test holds the total to 1e-6 relative. */
struct loss_lanes {
    __m512 product, hinge;
    double folded;
    unsigned registers;
};

static inline void fold_loss(struct loss_lanes *loss) {
    const __m512d product = _mm512_mul_pd(_mm512_cvtps_pd(_mm512_castps512_ps256(loss->product)),
                                          _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(
                                              _mm512_castps_pd(loss->product), 1))));
    const __m512d hinge = _mm512_add_pd(_mm512_cvtps_pd(_mm512_castps512_ps256(loss->hinge)),
                                        _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(
                                            _mm512_castps_pd(loss->hinge), 1))));
    loss->folded += log(_mm512_reduce_mul_pd(product)) + _mm512_reduce_add_pd(hinge);
    loss->product = _mm512_set1_ps(1.0f), loss->hinge = _mm512_setzero_ps(), loss->registers = 0;
}

/* One register of logistic units: scores s (the lanes in mask), labels yv. With e = e^−|s|:
 *     σ(s) = (s ≥ 0 ? 1 : e) / (1 + e)           no overflow for any s
 *     J    = log(1 + e) + max(s·(1 − 2y), 0)     = −log σ(s) if y = 1, −log σ(−s) if y = 0
 *     g    = lr·(y − σ(s))
 * As the scalar block, Σ log(1 + e) is taken as log Π (1 + e) (struct loss_lanes). */
static inline void logistic_register(const float *s, __m512 yv, __mmask16 mask, __m512 rate,
                                     float *g, struct loss_lanes *loss) {
    const __m512 zero = _mm512_setzero_ps(), one = _mm512_set1_ps(1.0f);
    const __m512 sv = _mm512_maskz_loadu_ps(mask, s);
    const __m512 e =
        _mm512_maskz_mov_ps(mask, _ZGVeN16v_expf(_mm512_sub_ps(zero, _mm512_abs_ps(sv))));
    const __m512 one_plus_e = _mm512_add_ps(one, e);
    const __mmask16 non_negative = _mm512_cmp_ps_mask(sv, zero, _CMP_GE_OQ);
    const __m512 sigma = _mm512_div_ps(_mm512_mask_blend_ps(non_negative, e, one), one_plus_e);
    _mm512_mask_storeu_ps(g, mask, _mm512_mul_ps(rate, _mm512_sub_ps(yv, sigma)));
    const __m512 signed_s = _mm512_fnmadd_ps(_mm512_add_ps(yv, yv), sv, sv); /* s·(1 − 2y) */
    loss->hinge = _mm512_add_ps(loss->hinge, _mm512_max_ps(signed_s, zero)); /* 0 if masked */
    loss->product = _mm512_mul_ps(loss->product, one_plus_e);
    if (++loss->registers == 63) fold_loss(loss);
}

/* kernels.h's logistic block. Rows of up to 32 units (negative + 1, a Huffman
 * path) are taken as one run of m·n units, 16 a register whatever n is (a row of
 * 6 units would fill 6 of 16 lanes): lane l of the register at unit u has the
 * label y[(u + l) mod n], permuted out of y's (at most) two registers by an index
 * vector that steps by 16 mod n a register. Longer rows go row by row. */
static double logistic_block_avx512(const float *s, const float *y, size_t m, size_t n, float lr,
                                    float *g) {
    struct loss_lanes loss = {_mm512_set1_ps(1.0f), _mm512_setzero_ps(), 0, 0};
    const __m512 rate = _mm512_set1_ps(lr);
    if (n > 0 && n <= 32) {
        const __m512 y_low = _mm512_maskz_loadu_ps(tail_mask(n < 16 ? n : 16), y);
        const __m512 y_high =
            n > 16 ? _mm512_maskz_loadu_ps(tail_mask(n - 16), y + 16) : _mm512_setzero_ps();
        const __m512i period = _mm512_set1_epi32((int)n);
        __m512i label = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
        for (__mmask16 over; (over = _mm512_cmpge_epi32_mask(label, period));)
            label = _mm512_mask_sub_epi32(label, over, label, period); /* l mod n */
        size_t step = 16;
        while (step >= n) step -= n;
        const __m512i advance = _mm512_set1_epi32((int)step);
        const size_t count = m * n;
        for (size_t u = 0; u < count; u += 16) {
            const __mmask16 mask = tail_mask(count - u < 16 ? count - u : 16);
            logistic_register(s + u, _mm512_permutex2var_ps(y_low, label, y_high), mask, rate,
                              g + u, &loss);
            label = _mm512_add_epi32(label, advance); /* (u + 16 + l) mod n */
            label =
                _mm512_mask_sub_epi32(label, _mm512_cmpge_epi32_mask(label, period), label, period);
        }
    } else {
        for (size_t i = 0; i < m; i++, s += n, g += n)
            for (size_t j = 0; j < n; j += 16) {
                const __mmask16 mask = tail_mask(n - j < 16 ? n - j : 16);
                logistic_register(s + j, _mm512_maskz_loadu_ps(mask, y + j), mask, rate, g + j,
                                  &loss);
            }
    }
    fold_loss(&loss);
    return loss.folded;
}
#else
#define logistic_block_avx512 w2v_logistic_block_scalar
#endif

const struct w2v_kernels w2v_kernels_avx512 = {
    .isa_name = "avx512",
    .dot = dot_avx512,
    .axpy = axpy_avx512,
    .dot_block = dot_block_avx512,
    .combine_rows = combine_rows_avx512,
    .update_block = update_block_avx512,
    .logistic_block = logistic_block_avx512,
};
