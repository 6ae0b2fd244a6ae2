/* test_kernels.c — every SIMD kernel agrees with a double-precision reference
 * for every length from 1 to 70 and a few real dimensions, at odd alignments. */
#include "testing.h"

#include "w2v/error.h"
#include "w2v/kernels.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_N = 320, ROWS = 9 };

static float random_unit(unsigned *state) {
    *state = *state * 1664525u + 1013904223u;
    return (float)((*state >> 8) / 16777216.0 * 2.0 - 1.0);
}

/* Every ISA this CPU supports, scalar included. */
static const struct w2v_kernels *available[3];
static size_t available_count;

static int find_isas(void **state) {
    (void)state;
    const char *names[] = {"scalar", "avx2", "avx512"};
    for (size_t i = 0; i < 3; i++)
        if (w2v_kernels_for(names[i])) available[available_count++] = w2v_kernels_for(names[i]);
    return 0;
}

static const size_t lengths[] = {1,  2,  3,  7,  8,  9,  15,  16,  17,
                                 31, 32, 33, 63, 64, 65, 100, 300, 301};

static void near(double expected, double actual, double scale) {
    if (fabs(expected - actual) > 1e-5 * scale + 1e-6)
        fail_msg("expected %.9g, got %.9g", expected, actual);
}

static void test_dot_and_axpy_match_reference(void **state) {
    (void)state;
    unsigned seed = 1;
    static float a[MAX_N + 1], b[MAX_N + 1], y[MAX_N + 1], expected[MAX_N + 1];
    for (size_t isa = 0; isa < available_count; isa++) {
        const struct w2v_kernels *k = available[isa];
        for (size_t li = 0; li < sizeof lengths / sizeof *lengths; li++) {
            size_t n = lengths[li];
            double reference = 0, scale = 0;
            for (size_t i = 0; i <= n; i++) a[i] = random_unit(&seed), b[i] = random_unit(&seed);
            for (size_t i = 1; i <= n; i++)
                reference += (double)a[i] * b[i], scale += fabs(a[i] * b[i]);
            near(reference, k->dot(a + 1, b + 1, n), scale); /* +1: unaligned start */

            for (size_t i = 0; i <= n; i++) y[i] = expected[i] = random_unit(&seed);
            for (size_t i = 1; i <= n; i++) expected[i] += 0.37f * a[i];
            float guard = y[0];
            k->axpy(0.37f, a + 1, y + 1, n);
            assert_true(y[0] == guard); /* nothing written before the row */
            for (size_t i = 1; i <= n; i++) near(expected[i], y[i], 1);
        }
    }
}

static void test_block_kernels_match_reference(void **state) {
    (void)state;
    unsigned seed = 7;
    static float a_store[ROWS][MAX_N + 2], b_store[ROWS][MAX_N + 2], d_store[ROWS][MAX_N + 2];
    static double expected[ROWS][MAX_N + 2];
    float coef[ROWS * ROWS], out[ROWS * ROWS];
    const float *a_rows[ROWS], *b_rows[ROWS];
    float *d_rows[ROWS];
    for (size_t isa = 0; isa < available_count; isa++) {
        const struct w2v_kernels *k = available[isa];
        for (size_t li = 0; li < sizeof lengths / sizeof *lengths; li++) {
            size_t n = lengths[li];
            for (size_t r = 0; r < ROWS; r++) {
                for (size_t i = 0; i < n + 2; i++) {
                    a_store[r][i] = random_unit(&seed);
                    b_store[r][i] = random_unit(&seed);
                    d_store[r][i] = random_unit(&seed);
                    expected[r][i] = d_store[r][i];
                }
                a_rows[r] = a_store[r] + 1, b_rows[r] = b_store[r] + 1, d_rows[r] = d_store[r] + 1;
            }
            for (size_t i = 0; i < ROWS * ROWS; i++) coef[i] = random_unit(&seed);

            /* Every block shape up to 9 × 9: each register tile (up to 4 × 6) and
             * every remainder of rows and columns beside full tiles. */
            for (size_t n_a = 1; n_a <= 9; n_a++)
                for (size_t n_b = 1; n_b <= 9; n_b++) {
                    k->dot_block(a_rows, n_a, b_rows, n_b, n, out);
                    for (size_t i = 0; i < n_a; i++)
                        for (size_t j = 0; j < n_b; j++) {
                            double reference = 0;
                            for (size_t t = 0; t < n; t++)
                                reference += (double)a_rows[i][t] * b_rows[j][t];
                            near(reference, out[i * n_b + j], (double)n);
                        }
                }

            /* dst (3 rows) += Gᵀ·src with G stored 4x3 row-major: coef[i + j*3]. */
            for (size_t i = 0; i < 3; i++)
                for (size_t j = 0; j < 4; j++)
                    for (size_t t = 0; t < n; t++)
                        expected[i][t + 1] += (double)coef[j * 3 + i] * a_rows[j][t];
            k->combine_rows(d_rows, 3, a_rows, 4, coef, 1, 3, n);
            for (size_t i = 0; i < 3; i++) {
                assert_true(d_store[i][0] == (float)expected[i][0]);
                assert_true(d_store[i][n + 1] == (float)expected[i][n + 1]);
                for (size_t t = 1; t <= n; t++) near(expected[i][t], d_store[i][t], 4);
            }
        }
    }
}

/* a·b as the SIMD dot_block sums it, lanes of width w (8: AVX2, 16: AVX-512):
 * lane l adds a[k]·b[k] for k = l (mod w) in order, one fmaf each (with two
 * chains, as AVX2's lone dot: chunk c of w floats into chain c mod 2, then a
 * tail of fewer than w into chain 1); then x_l = lane l + lane l + w/2 and
 * ((x0 + x1) + (x2 + x3)) + ((x4 + x5) + (x6 + x7)) (w 16) or
 * (x0 + x2) + (x1 + x3) (w 8). */
static float simd_dot(const float *a, const float *b, size_t n, size_t w, bool two_chains) {
    float lane[2][16] = {{0}};
    for (size_t k = 0; k < n; k++) {
        const size_t chain = two_chains && ((k / w) % 2 == 1 || n - k + k % w < w);
        lane[chain][k % w] = fmaf(a[k], b[k], lane[chain][k % w]);
    }
    float x[8];
    for (size_t l = 0; l < w / 2; l++)
        x[l] = two_chains ? (lane[0][l] + lane[1][l]) + (lane[0][l + 4] + lane[1][l + 4])
                          : lane[0][l] + lane[0][l + w / 2];
    if (w == 16) return ((x[0] + x[1]) + (x[2] + x[3])) + ((x[4] + x[5]) + (x[6] + x[7]));
    return (x[0] + x[2]) + (x[1] + x[3]);
}

/* dot_block on the SIMD ISAs, bit for bit the order above, for every block shape up to
 * 9 × 9 (every register tile and remainder): the transposing reductions of several
 * accumulators at once must add each dot in the order one accumulator's reduction did.
 * On AVX2 the last of an odd number of columns is the lone dot's (two chains). */
static void test_dot_block_sums_in_order(void **state) {
    (void)state;
    unsigned seed = 17;
    static float a_store[ROWS][MAX_N + 1], b_store[ROWS][MAX_N + 1];
    float out[ROWS * ROWS];
    const float *a_rows[ROWS], *b_rows[ROWS];
    for (size_t isa = 0; isa < available_count; isa++) {
        const struct w2v_kernels *k = available[isa];
        const size_t w = strcmp(k->isa_name, "avx512") == 0 ? 16 : 8;
        if (strcmp(k->isa_name, "scalar") == 0) continue;
        for (size_t li = 0; li < sizeof lengths / sizeof *lengths; li++) {
            const size_t n = lengths[li];
            for (size_t r = 0; r < ROWS; r++) {
                for (size_t t = 0; t <= n; t++)
                    a_store[r][t] = random_unit(&seed), b_store[r][t] = random_unit(&seed);
                a_rows[r] = a_store[r] + 1, b_rows[r] = b_store[r] + 1;
            }
            for (size_t n_a = 1; n_a <= ROWS; n_a++)
                for (size_t n_b = 1; n_b <= ROWS; n_b++) {
                    k->dot_block(a_rows, n_a, b_rows, n_b, n, out);
                    for (size_t i = 0; i < n_a; i++)
                        for (size_t j = 0; j < n_b; j++) {
                            const bool lone = w == 8 && n_b % 2 == 1 && j == n_b - 1;
                            const float expected = simd_dot(a_rows[i], b_rows[j], n, w, lone);
                            if (memcmp(&out[i * n_b + j], &expected, sizeof expected) != 0)
                                fail_msg("%s n %zu %zu x %zu: (%zu, %zu) %.9g, in order %.9g",
                                         k->isa_name, n, n_a, n_b, i, j, (double)out[i * n_b + j],
                                         (double)expected);
                        }
                }
        }
    }
}

/* combine_rows at every block shape up to 9 × 9 (each register tile of up to
 * 4 destination rows and every remainder), in both layouts (G·src and Gᵀ·src),
 * with and without repeated destination rows (rows 2, 5 and 8 the same pointer
 * as row 0: a negative drawn more than once, whose terms must all be added).
 * Against the double-precision sum on every ISA; on the SIMD ones also bit for
 * bit against one fmaf a term in kernels.h's order (row by row, j = 0, 1, …).
 * Writes nothing beside the rows. */
static void test_combine_rows_every_shape(void **state) {
    (void)state;
    unsigned seed = 5;
    static float src_store[ROWS][MAX_N + 2], dst_store[ROWS][MAX_N + 2], fused[ROWS][MAX_N + 2];
    static double expected[ROWS][MAX_N + 2];
    float coef[ROWS * ROWS];
    const float *src_rows[ROWS];
    float *dst_rows[ROWS];
    for (size_t isa = 0; isa < available_count; isa++) {
        const struct w2v_kernels *k = available[isa];
        const bool simd = strcmp(k->isa_name, "scalar") != 0;
        for (size_t li = 0; li < sizeof lengths / sizeof *lengths; li++) {
            const size_t n = lengths[li];
            for (size_t r = 0; r < ROWS; r++) {
                for (size_t t = 0; t < n + 2; t++) src_store[r][t] = random_unit(&seed);
                src_rows[r] = src_store[r] + 1;
            }
            for (size_t i = 0; i < ROWS * ROWS; i++) coef[i] = random_unit(&seed);
            for (int transposed = 0; transposed <= 1; transposed++)
                for (int repeat = 0; repeat <= 1; repeat++)
                    for (size_t n_dst = 1; n_dst <= ROWS; n_dst++)
                        for (size_t n_src = 1; n_src <= ROWS; n_src++) {
                            const size_t row_step = transposed ? 1 : n_src;
                            const size_t col_step = transposed ? n_dst : 1;
                            for (size_t r = 0; r < ROWS; r++)
                                for (size_t t = 0; t < n + 2; t++)
                                    expected[r][t] = fused[r][t] = dst_store[r][t] =
                                        random_unit(&seed);
                            size_t row_of[ROWS];
                            for (size_t i = 0; i < n_dst; i++) {
                                row_of[i] = repeat && i % 3 == 2 ? 0 : i;
                                dst_rows[i] = dst_store[row_of[i]] + 1;
                            }
                            for (size_t i = 0; i < n_dst; i++)
                                for (size_t j = 0; j < n_src; j++) {
                                    const float c = coef[i * row_step + j * col_step];
                                    for (size_t t = 0; t < n; t++) {
                                        expected[row_of[i]][t + 1] += (double)c * src_rows[j][t];
                                        fused[row_of[i]][t + 1] =
                                            fmaf(c, src_rows[j][t], fused[row_of[i]][t + 1]);
                                    }
                                }
                            k->combine_rows(dst_rows, n_dst, src_rows, n_src, coef, row_step,
                                            col_step, n);
                            for (size_t r = 0; r < ROWS; r++) {
                                assert_true(dst_store[r][0] == (float)expected[r][0]);
                                assert_true(dst_store[r][n + 1] == (float)expected[r][n + 1]);
                                for (size_t t = 1; t <= n; t++) {
                                    near(expected[r][t], dst_store[r][t], 2.0 * ROWS);
                                    if (simd && dst_store[r][t] != fused[r][t])
                                        fail_msg("%s n %zu %zu x %zu%s%s: row %zu [%zu] %.9g, "
                                                 "one fmaf a term gives %.9g",
                                                 k->isa_name, n, n_dst, n_src,
                                                 transposed ? " transposed" : "",
                                                 repeat ? " repeated" : "", r, t - 1,
                                                 dst_store[r][t], fused[r][t]);
                                }
                            }
                        }
        }
    }
}

/* update_block at every shape up to 12 inputs × 12 outputs (AVX-512 tiles of 8
 * outputs and AVX2 tiles of 4, with every remainder; one tile and several), with
 * and without repeated input rows (inputs 3, 7 and 11 the same row as input 1,
 * whose every occurrence's update must land), against the double-precision
 * updates from the rows before the step on every ISA; on the SIMD ones also bit
 * for bit against kernels.h's composite (fmaf a term: each input's update from
 * zero over n, the outputs over m, then the updates added in order m). Writes
 * nothing beside the rows. */
enum { UPDATE_ROWS = 12 };

static void test_update_block_every_shape(void **state) {
    (void)state;
    unsigned seed = 11;
    static float in_store[UPDATE_ROWS][MAX_N + 2], out_store[UPDATE_ROWS][MAX_N + 2];
    static float in_fused[UPDATE_ROWS][MAX_N + 2], out_fused[UPDATE_ROWS][MAX_N + 2];
    static double in_want[UPDATE_ROWS][MAX_N + 2], out_want[UPDATE_ROWS][MAX_N + 2];
    static float update[UPDATE_ROWS][MAX_N];
    float *scratch = aligned_alloc(64, UPDATE_ROWS * W2V_KERNELS_UPDATE_LANES * sizeof(float));
    float g[UPDATE_ROWS * UPDATE_ROWS];
    float *in_rows[UPDATE_ROWS], *out_rows[UPDATE_ROWS];
    for (size_t isa = 0; isa < available_count; isa++) {
        const struct w2v_kernels *k = available[isa];
        const bool simd = strcmp(k->isa_name, "scalar") != 0;
        for (size_t li = 0; li < sizeof lengths / sizeof *lengths; li++) {
            const size_t n = lengths[li];
            for (int repeat = 0; repeat <= 1; repeat++)
                for (size_t n_in = 1; n_in <= UPDATE_ROWS; n_in++)
                    for (size_t n_out = 1; n_out <= UPDATE_ROWS; n_out++) {
                        for (size_t r = 0; r < UPDATE_ROWS; r++)
                            for (size_t t = 0; t < n + 2; t++) {
                                in_want[r][t] = in_fused[r][t] = in_store[r][t] =
                                    random_unit(&seed);
                                out_want[r][t] = out_fused[r][t] = out_store[r][t] =
                                    random_unit(&seed);
                            }
                        for (size_t i = 0; i < n_in * n_out; i++) g[i] = random_unit(&seed);
                        size_t row_of[UPDATE_ROWS];
                        for (size_t m = 0; m < n_in; m++) {
                            row_of[m] = repeat && m % 4 == 3 ? 1 : m;
                            in_rows[m] = in_store[row_of[m]] + 1;
                        }
                        for (size_t j = 0; j < n_out; j++) out_rows[j] = out_store[j] + 1;
                        /* the reference and the composite, from the rows before the step */
                        for (size_t m = 0; m < n_in; m++)
                            for (size_t j = 0; j < n_out; j++) {
                                const float c = g[m * n_out + j];
                                for (size_t t = 0; t < n; t++) {
                                    in_want[row_of[m]][t + 1] += (double)c * out_store[j][t + 1];
                                    out_want[j][t + 1] += (double)c * in_store[row_of[m]][t + 1];
                                    update[m][t] =
                                        fmaf(c, out_store[j][t + 1], j == 0 ? 0.0f : update[m][t]);
                                }
                            }
                        for (size_t j = 0; j < n_out; j++)
                            for (size_t m = 0; m < n_in; m++)
                                for (size_t t = 0; t < n; t++)
                                    out_fused[j][t + 1] =
                                        fmaf(g[m * n_out + j], in_store[row_of[m]][t + 1],
                                             out_fused[j][t + 1]);
                        for (size_t m = 0; m < n_in; m++)
                            for (size_t t = 0; t < n; t++)
                                in_fused[row_of[m]][t + 1] += update[m][t];

                        k->update_block(in_rows, n_in, out_rows, n_out, g, n, scratch);
                        for (size_t r = 0; r < UPDATE_ROWS; r++) {
                            assert_true(in_store[r][0] == (float)in_want[r][0]);
                            assert_true(in_store[r][n + 1] == (float)in_want[r][n + 1]);
                            assert_true(out_store[r][0] == (float)out_want[r][0]);
                            assert_true(out_store[r][n + 1] == (float)out_want[r][n + 1]);
                            for (size_t t = 1; t <= n; t++) {
                                near(in_want[r][t], in_store[r][t], 2.0 * UPDATE_ROWS);
                                near(out_want[r][t], out_store[r][t], 2.0 * UPDATE_ROWS);
                                if (simd && (in_store[r][t] != in_fused[r][t] ||
                                             out_store[r][t] != out_fused[r][t]))
                                    fail_msg("%s n %zu %zu x %zu%s: row %zu [%zu] input %.9g "
                                             "output %.9g, the composite gives %.9g %.9g",
                                             k->isa_name, n, n_in, n_out, repeat ? " repeated" : "",
                                             r, t - 1, in_store[r][t], out_store[r][t],
                                             in_fused[r][t], out_fused[r][t]);
                            }
                        }
                    }
        }
    }
    free(scratch);
}

/* The logistic block on every ISA against the formulas in double precision, for
 * every block width from 1 to 40 (every SIMD tail, one and several registers a
 * row; the SIMD blocks run rows of up to 16 or 32 units as one run of units, so
 * registers straddle rows, and longer rows row by row), 1 to 12 rows and 200,
 * scores from −90 to 90 (both saturated ends, where e^−|s| underflows) and both
 * labels. Writes nothing past the block. */
/* log(1 + e^z) without overflow: −log σ(x) = softplus(−x), −log σ(−x) = softplus(x). */
static double softplus(double z) {
    return z > 0 ? z + log1p(exp(-z)) : log1p(exp(z));
}

static void test_logistic_block_matches_reference(void **state) {
    (void)state;
    enum { MAX_M = 200, MAX_W = 40 }; /* 200 rows: the SIMD blocks fold their products */
    unsigned seed = 11;
    static float s[MAX_M * MAX_W], y[MAX_W], g[MAX_M * MAX_W + 1];
    const float lr = 0.025f;
    for (size_t isa = 0; isa < available_count; isa++) {
        const struct w2v_kernels *k = available[isa];
        for (size_t m = 1; m <= MAX_M; m = m == 12 ? MAX_M : m + 1) /* 1 to 12, 200 */
            for (size_t n = 1; n <= MAX_W; n++) {
                for (size_t j = 0; j < n; j++) y[j] = random_unit(&seed) > 0 ? 1.0f : 0.0f;
                for (size_t ij = 0; ij < m * n; ij++) {
                    const float u = random_unit(&seed);
                    s[ij] = ij % 7 == 3 ? 90.0f * u : 8.0f * u; /* some far past any clamp */
                    if (m == MAX_M) s[ij] = 0.01f * u; /* 1 + e^−|s| near 2: products must fold */
                }
                if (n > 2) s[1] = 0.0f, s[2] = -0.0f;
                g[m * n] = 12345.0f;
                const double loss = k->logistic_block(s, y, m, n, lr, g);
                assert_true(g[m * n] == 12345.0f);
                double expected_loss = 0;
                for (size_t ij = 0; ij < m * n; ij++) {
                    const double x = s[ij], label = y[ij % n];
                    const double sigma = 1.0 / (1.0 + exp(-x));
                    expected_loss += softplus(label > 0 ? -x : x); /* −log σ(±x) */
                    if (fabs(lr * (label - sigma) - g[ij]) > 1e-7)
                        fail_msg("%s m %zu n %zu unit %zu: s %.9g y %g: g %.9g, expected %.9g",
                                 k->isa_name, m, n, ij, (double)s[ij], label, (double)g[ij],
                                 lr * (label - sigma));
                }
                if (fabs(loss - expected_loss) > 1e-6 * expected_loss + 1e-6)
                    fail_msg("%s m %zu n %zu: J %.12g, expected %.12g", k->isa_name, m, n, loss,
                             expected_loss);
            }
    }
}

/* A unit's g does not depend on where the unit falls in a register: the block's
 * g equal bit for bit those of its rows one at a time (a register a row, the
 * SIMD blocks' formulation before they ran rows together), for 1 to 12 rows of
 * every width from 1 to 40, on every ISA; the losses agree to 1e-6. Blocks of
 * no rows or no columns have no loss and write nothing. */
static void test_logistic_block_is_its_rows_one_at_a_time(void **state) {
    (void)state;
    enum { MAX_M = 12, MAX_W = 40 };
    unsigned seed = 13;
    static float s[MAX_M * MAX_W], y[MAX_W], g[MAX_M * MAX_W], row_g[MAX_W];
    const float lr = 0.025f;
    for (size_t isa = 0; isa < available_count; isa++) {
        const struct w2v_kernels *k = available[isa];
        g[0] = 12345.0f, y[0] = 1.0f; /* empty blocks: no units, no loss, nothing written */
        assert_true(k->logistic_block(s, y, 3, 0, lr, g) == 0.0);
        assert_true(k->logistic_block(s, y, 0, 6, lr, g) == 0.0);
        assert_true(g[0] == 12345.0f);
        for (size_t m = 1; m <= MAX_M; m++)
            for (size_t n = 1; n <= MAX_W; n++) {
                for (size_t j = 0; j < n; j++) y[j] = random_unit(&seed) > 0 ? 1.0f : 0.0f;
                for (size_t ij = 0; ij < m * n; ij++) s[ij] = 12.0f * random_unit(&seed);
                const double loss = k->logistic_block(s, y, m, n, lr, g);
                double rows_loss = 0;
                for (size_t i = 0; i < m; i++) {
                    rows_loss += k->logistic_block(s + i * n, y, 1, n, lr, row_g);
                    for (size_t j = 0; j < n; j++)
                        if (memcmp(&g[i * n + j], &row_g[j], sizeof(float)) != 0)
                            fail_msg("%s m %zu n %zu unit (%zu, %zu): g %.9g, the row alone "
                                     "gives %.9g",
                                     k->isa_name, m, n, i, j, (double)g[i * n + j],
                                     (double)row_g[j]);
                }
                if (fabs(loss - rows_loss) > 1e-6 * rows_loss + 1e-6)
                    fail_msg("%s m %zu n %zu: J %.12g, the rows' sum %.12g", k->isa_name, m, n,
                             loss, rows_loss);
            }
    }
}

/* Runs first: an unusable W2V_ISA is reported by w2v_kernels_check_env (for
 * the command line to print) and never stops the library, which falls back to
 * the widest kernels this CPU runs. */
static void test_bad_isa_is_reported_not_fatal(void **state) {
    (void)state;
    const char *saved = getenv("W2V_ISA");
    char *restore = saved ? strdup(saved) : NULL;
    setenv("W2V_ISA", "sse9", 1);
    assert_int_equal(w2v_kernels_check_env(), -1);
    assert_string_equal(w2v_last_error(),
                        "W2V_ISA=sse9 is not available on this CPU (scalar|avx2|avx512)");
    const struct w2v_kernels *widest = available[available_count - 1];
    assert_ptr_equal(w2v_kernels_get(), widest);
    setenv("W2V_ISA", "scalar", 1);
    assert_int_equal(w2v_kernels_check_env(), 0);
    setenv("W2V_ISA", "", 1);
    assert_int_equal(w2v_kernels_check_env(), 0);
    unsetenv("W2V_ISA");
    assert_int_equal(w2v_kernels_check_env(), 0);
    if (restore) setenv("W2V_ISA", restore, 1);
    free(restore);
}

static void test_dispatch_picks_a_supported_isa(void **state) {
    (void)state;
    const struct w2v_kernels *chosen = w2v_kernels_get();
    assert_non_null(chosen);
    assert_ptr_equal(chosen, w2v_kernels_for(chosen->isa_name));
    assert_null(w2v_kernels_for("sse9"));
    assert_non_null(w2v_kernels_for("scalar"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_isa_is_reported_not_fatal),
        cmocka_unit_test(test_dot_and_axpy_match_reference),
        cmocka_unit_test(test_block_kernels_match_reference),
        cmocka_unit_test(test_dot_block_sums_in_order),
        cmocka_unit_test(test_combine_rows_every_shape),
        cmocka_unit_test(test_update_block_every_shape),
        cmocka_unit_test(test_logistic_block_matches_reference),
        cmocka_unit_test(test_logistic_block_is_its_rows_one_at_a_time),
        cmocka_unit_test(test_dispatch_picks_a_supported_isa),
    };
    return cmocka_run_group_tests(tests, find_isas, NULL);
}
