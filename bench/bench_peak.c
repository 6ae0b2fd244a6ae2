/* bench_peak.c — runs the FMA peak loops on one and on all cores (see bench_peak.h). */
#include "bench_peak.h"

#include "w2v/alloc.h"
#include "w2v/parallel.h"
#include "w2v/timer.h"

enum { SCALAR_ACCUMULATORS = 8 };

double w2v_bench_fma_scalar(uint64_t rounds, float *sink) {
    float acc[SCALAR_ACCUMULATORS];
    for (int k = 0; k < SCALAR_ACCUMULATORS; k++) acc[k] = 1.0f + 0.01f * (float)k;
    for (uint64_t r = 0; r < rounds; r++)
        for (int k = 0; k < SCALAR_ACCUMULATORS; k++) acc[k] = acc[k] * 0.999999f + 1e-6f;
    float sum = 0;
    for (int k = 0; k < SCALAR_ACCUMULATORS; k++) sum += acc[k];
    *sink = sum;
    return (double)rounds * SCALAR_ACCUMULATORS * 2;
}

typedef double (*fma_loop)(uint64_t rounds, float *sink);

static fma_loop best_loop(const char **isa) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx2") &&
        __builtin_cpu_supports("fma"))
        return *isa = "avx512", w2v_bench_fma_avx512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return *isa = "avx2", w2v_bench_fma_avx2;
#endif
    return *isa = "scalar", w2v_bench_fma_scalar;
}

struct peak_worker {
    fma_loop loop;
    uint64_t rounds;
    double flops;
    float sink;
};

static void *peak_worker_main(void *arg) {
    struct peak_worker *worker = arg;
    worker->flops = worker->loop(worker->rounds, &worker->sink);
    return NULL;
}

/* GFLOP/s of `threads` threads each running `rounds` rounds. */
static double run_on_threads(fma_loop loop, uint64_t rounds, uint32_t threads) {
    struct peak_worker *workers = w2v_xcalloc(threads, sizeof *workers);
    for (uint32_t t = 0; t < threads; t++) workers[t] = (struct peak_worker){loop, rounds, 0, 0};
    double start = w2v_now();
    w2v_run_parallel(peak_worker_main, workers, sizeof *workers, threads);
    double seconds = w2v_now() - start, flops = 0;
    for (uint32_t t = 0; t < threads; t++) flops += workers[t].flops;
    w2v_free(workers);
    return seconds > 0 ? flops / seconds / 1e9 : 0;
}

void w2v_bench_measure_peak(double seconds, uint32_t cores, struct w2v_bench_peak *out) {
    fma_loop loop = best_loop(&out->isa);
    out->cores = cores < 1 ? 1 : cores;
    /* Calibrate the round count on one core, then take the best of three tries
     * (the first may run before the clock has ramped up). */
    uint64_t rounds = 1 << 16;
    float sink = 0;
    for (;;) {
        double start = w2v_now();
        loop(rounds, &sink);
        double took = w2v_now() - start;
        if (took >= seconds / 8 || rounds > ((uint64_t)1 << 40)) {
            rounds = (uint64_t)((double)rounds * seconds / (took > 0 ? took : 1e-9)) + 1;
            break;
        }
        rounds *= 4;
    }
    out->single_core = out->all_cores = 0;
    for (int attempt = 0; attempt < 3; attempt++) {
        double one = run_on_threads(loop, rounds, 1);
        if (one > out->single_core) out->single_core = one;
    }
    for (int attempt = 0; attempt < 2; attempt++) {
        double all = run_on_threads(loop, rounds, out->cores);
        if (all > out->all_cores) out->all_cores = all;
    }
}
