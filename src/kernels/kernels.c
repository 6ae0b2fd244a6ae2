/* kernels.c — picks the kernel table for this CPU once (see kernels.h). */
#include "w2v/kernels.h"

#include "w2v/error.h"

#include <pthread.h>
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

/* The W2V_ISA override: NULL when unset or empty. */
static const char *forced_isa(void) {
    const char *forced = getenv("W2V_ISA");
    return forced && *forced ? forced : NULL;
}

int w2v_kernels_check_env(void) {
    const char *forced = forced_isa();
    if (forced && !w2v_kernels_for(forced))
        return w2v_error("W2V_ISA=%s is not available on this CPU (scalar|avx2|avx512)", forced);
    return 0;
}

static const struct w2v_kernels *chosen;
static pthread_once_t choose_once = PTHREAD_ONCE_INIT;

/* W2V_ISA if it names kernels this CPU runs, else the widest ones it runs (an
 * unusable W2V_ISA is the command line's to report: w2v_kernels_check_env). */
static void choose(void) {
    chosen = w2v_kernels_for(forced_isa());
    if (!chosen) chosen = w2v_kernels_for("avx512");
    if (!chosen) chosen = w2v_kernels_for("avx2");
    if (!chosen) chosen = &w2v_kernels_scalar;
}

const struct w2v_kernels *w2v_kernels_get(void) {
    pthread_once(&choose_once, choose);
    return chosen;
}
