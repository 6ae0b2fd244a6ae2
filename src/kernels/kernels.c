/* kernels.c — picks the kernel table for this CPU once (see kernels.h). */
#include "w2v/kernels.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cpu_has_avx2(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}

static int cpu_has_avx512(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && cpu_has_avx2();
#else
    return 0;
#endif
}

const struct w2v_kernels *w2v_kernels_for(const char *isa_name) {
    if (!isa_name) return NULL;
    if (strcmp(isa_name, "scalar") == 0) return &w2v_kernels_scalar;
#if defined(__x86_64__)
    if (strcmp(isa_name, "avx2") == 0 && cpu_has_avx2()) return &w2v_kernels_avx2;
    if (strcmp(isa_name, "avx512") == 0 && cpu_has_avx512()) return &w2v_kernels_avx512;
#endif
    return NULL;
}

static const struct w2v_kernels *chosen;
static pthread_once_t choose_once = PTHREAD_ONCE_INIT;

static void choose(void) {
    const char *forced = getenv("W2V_ISA");
    if (forced && *forced) {
        chosen = w2v_kernels_for(forced);
        if (!chosen) {
            fprintf(stderr, "w2v: W2V_ISA=%s is not available on this CPU (scalar|avx2|avx512)\n",
                    forced);
            exit(1);
        }
        return;
    }
    chosen = w2v_kernels_for("avx512");
    if (!chosen) chosen = w2v_kernels_for("avx2");
    if (!chosen) chosen = &w2v_kernels_scalar;
}

const struct w2v_kernels *w2v_kernels_get(void) {
    pthread_once(&choose_once, choose);
    return chosen;
}
