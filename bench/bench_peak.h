/* bench_peak.h — the machine's measured floating-point peak: FMA loops with
 * many independent accumulators (no dependency chain limits them), in the
 * widest instruction set this CPU runs (AVX-512F, else AVX2+FMA, else scalar
 * C), on one core and then on every online core at once. The harness quotes
 * training GFLOP/s as a fraction of it. */
#ifndef W2V_BENCH_PEAK_H
#define W2V_BENCH_PEAK_H

#include <stdint.h>

struct w2v_bench_peak {
    const char *isa;    /* "avx512" | "avx2" | "scalar" */
    double single_core; /* GFLOP/s of one thread */
    double all_cores;   /* GFLOP/s of `cores` threads together */
    uint32_t cores;
};

/* Measures for about `seconds` per phase (0.2 is plenty). */
void w2v_bench_measure_peak(double seconds, uint32_t cores, struct w2v_bench_peak *out);

/* The FMA loops, one per ISA file (compiled with that ISA's flags). Each runs
 * `rounds` rounds and returns the floating-point operations it did; the value
 * computed is stored in *sink so it cannot be optimised away. */
double w2v_bench_fma_scalar(uint64_t rounds, float *sink);
#if defined(__x86_64__)
double w2v_bench_fma_avx2(uint64_t rounds, float *sink);
double w2v_bench_fma_avx512(uint64_t rounds, float *sink);
#endif

#endif
