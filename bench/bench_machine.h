/* bench_machine.h — what a benchmark result must say about the machine it ran on. */
#ifndef W2V_BENCH_MACHINE_H
#define W2V_BENCH_MACHINE_H

#include <stdbool.h>
#include <stdint.h>

struct w2v_bench_machine {
    char cpu_model[128]; /* "model name" of /proc/cpuinfo ("unknown" if none) */
    uint32_t online_cores;
    bool avx2, avx512f, fma; /* CPU flags */
    char hostname[64];
    char kernel[128]; /* uname -sr */
};

void w2v_bench_describe_machine(struct w2v_bench_machine *out);

#endif
