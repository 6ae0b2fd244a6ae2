/* kernels.h — the vector arithmetic of training, one implementation per ISA.
 *
 * The hot loop only ever does these few things to embedding rows, so they are
 * the only code written per instruction set (src/kernels/: portable scalar C,
 * AVX2+FMA, AVX-512F). The implementation is chosen once at start-up from the
 * CPU (cpuid), or forced with the W2V_ISA environment variable
 * (scalar|avx2|avx512) for testing and benchmarking. Every kernel handles any
 * length n, not only multiples of the vector width, and any alignment.
 *
 * Row sets are passed as arrays of row pointers because the rows of one
 * window batch are scattered through the embedding matrices. */
#ifndef W2V_KERNELS_H
#define W2V_KERNELS_H

#include <stddef.h>

/* The floats per input row that update_block's scratch holds (the widest register). */
#define W2V_KERNELS_UPDATE_LANES 16

struct w2v_kernels {
    const char *isa_name;

    /* Σ_k a[k]·b[k] */
    float (*dot)(const float *a, const float *b, size_t n);

    /* y += alpha · x */
    void (*axpy)(float alpha, const float *x, float *y, size_t n);

    /* out[i·n_b + j] = a_rows[i] · b_rows[j] for i < n_a, j < n_b (a small A·Bᵀ). */
    void (*dot_block)(const float *const *a_rows, size_t n_a, const float *const *b_rows,
                      size_t n_b, size_t n, float *out);

    /* dst_rows[i] += Σ_j coef[i·row_step + j·col_step] · src_rows[j] for i < n_dst, j < n_src.
     * With (row_step, col_step) = (n_src, 1) this is dst += G·src; with (1, n_dst) it is
     * dst += Gᵀ·src for the same row-major G. A dst row may appear more than once (a
     * negative drawn twice): every occurrence's terms are added. Each dst element takes
     * its terms in the order j = 0, 1, …, with one FMA each on the SIMD tables. */
    void (*combine_rows)(float *const *dst_rows, size_t n_dst, const float *const *src_rows,
                         size_t n_src, const float *coef, size_t row_step, size_t col_step,
                         size_t n);

    /* Both updates of a logistic block in one pass, each from the rows as they were
     * before either moves (G is n_in × n_out, row-major):
     *     in_rows[m]  += Σ_n g[m·n_out + n] · out_rows[n]     for m < n_in
     *     out_rows[n] += Σ_m g[m·n_out + n] · in_rows[m]      for n < n_out
     * An input row may appear more than once (every occurrence's terms are added);
     * the output rows are distinct and none of them is an input row. scratch holds
     * n_in × W2V_KERNELS_UPDATE_LANES floats, 64-byte aligned. Each element takes
     * its terms in order, one FMA each on the SIMD tables (an input's update summed
     * from zero over n = 0, 1, … and then added to the row, an output's over
     * m = 0, 1, …), so the result is, bit for bit, that of combine_rows into zeroed
     * updates, combine_rows into out_rows, and an axpy of each update. */
    void (*update_block)(float *const *in_rows, size_t n_in, float *const *out_rows, size_t n_out,
                         const float *g, size_t n, float *scratch);

    /* The binary logistic units of an m × n block of scores s (row-major), the units of
     * column j labelled y[j] (1: should say yes, 0: no):
     *     g[i·n + j] = lr·(y_j − σ(s_ij))
     * and returns their loss  J = Σ_ij −log σ(±s_ij) = Σ_ij log(1 + e^−|s_ij|) + max(∓s_ij, 0)
     * (+ where y_j = 1). The SIMD versions take e^x a register at a time from
     * glibc's vector math library (libmvec) when the build found it. */
    double (*logistic_block)(const float *s, const float *y, size_t m, size_t n, float lr,
                             float *g);
};

/* The kernels chosen for this CPU (thread-safe, decided on first call): the
 * ones W2V_ISA names, or the widest this CPU runs when W2V_ISA is unset, empty
 * or unusable (never NULL; see w2v_kernels_check_env). */
const struct w2v_kernels *w2v_kernels_get(void);

/* Checks W2V_ISA: 0 if it is unset, empty or names kernels this CPU runs; else
 * -1 with w2v_error set ("W2V_ISA=... is not available on this CPU ..."). A
 * program calls it once at start-up, before training, to refuse a bad value. */
int w2v_kernels_check_env(void);

/* The kernels for one ISA by name, or NULL if unknown or unsupported by this CPU. */
const struct w2v_kernels *w2v_kernels_for(const char *isa_name);

/* Per-ISA tables. The x86 ones exist only in x86-64 builds and may only be
 * called on a CPU that supports them (w2v_kernels_for checks). */
extern const struct w2v_kernels w2v_kernels_scalar;
/* The scalar logistic block, also the SIMD tables' when the build has no vector math library. */
double w2v_logistic_block_scalar(const float *s, const float *y, size_t m, size_t n, float lr,
                                 float *g);
#if defined(__x86_64__)
extern const struct w2v_kernels w2v_kernels_avx2;
extern const struct w2v_kernels w2v_kernels_avx512;
#endif

#endif
