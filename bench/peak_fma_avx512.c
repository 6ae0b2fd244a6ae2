/* peak_fma_avx512.c — the AVX-512F peak loop (built with -mavx512f): 24
 * independent 16-float accumulators out of the 32 zmm registers. */
#include "bench_peak.h"

#include <immintrin.h>

enum { ACCUMULATORS = 24, LANES = 16 };

double w2v_bench_fma_avx512(uint64_t rounds, float *sink) {
    __m512 acc[ACCUMULATORS];
    for (int k = 0; k < ACCUMULATORS; k++) acc[k] = _mm512_set1_ps(1.0f + 0.01f * (float)k);
    const __m512 scale = _mm512_set1_ps(0.999999f), shift = _mm512_set1_ps(1e-6f);
    for (uint64_t r = 0; r < rounds; r++) {
#pragma GCC unroll 24
        for (int k = 0; k < ACCUMULATORS; k++) acc[k] = _mm512_fmadd_ps(acc[k], scale, shift);
    }
    __m512 sum = acc[0];
    for (int k = 1; k < ACCUMULATORS; k++) sum = _mm512_add_ps(sum, acc[k]);
    *sink = _mm512_reduce_add_ps(sum);
    return (double)rounds * ACCUMULATORS * LANES * 2;
}
