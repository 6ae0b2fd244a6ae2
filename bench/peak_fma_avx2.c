/* peak_fma_avx2.c — the AVX2+FMA peak loop (built with -mavx2 -mfma): 12
 * independent 8-float accumulators, enough to cover FMA latency × throughput. */
#include "bench_peak.h"

#include <immintrin.h>

enum { ACCUMULATORS = 12, LANES = 8 };

double w2v_bench_fma_avx2(uint64_t rounds, float *sink) {
    __m256 acc[ACCUMULATORS];
    for (int k = 0; k < ACCUMULATORS; k++) acc[k] = _mm256_set1_ps(1.0f + 0.01f * (float)k);
    const __m256 scale = _mm256_set1_ps(0.999999f), shift = _mm256_set1_ps(1e-6f);
    for (uint64_t r = 0; r < rounds; r++) {
#pragma GCC unroll 12
        for (int k = 0; k < ACCUMULATORS; k++) acc[k] = _mm256_fmadd_ps(acc[k], scale, shift);
    }
    __m256 sum = acc[0];
    for (int k = 1; k < ACCUMULATORS; k++) sum = _mm256_add_ps(sum, acc[k]);
    float lanes[LANES];
    _mm256_storeu_ps(lanes, sum);
    *sink = lanes[0] + lanes[LANES - 1];
    return (double)rounds * ACCUMULATORS * LANES * 2;
}
