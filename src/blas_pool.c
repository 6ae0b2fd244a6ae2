/* blas_pool.c — stopping and sizing OpenBLAS's pool (see blas_pool.h).
 *
 * blas_thread_shutdown_ is the pool's own stop (OpenBLAS runs it before a
 * fork and starts the pool again lazily at its next threaded call). cblas.h
 * does not declare it, so it is referenced weakly: a build without it links,
 * and stopping is then a no-op. */
#include "w2v/blas_pool.h"

#include "w2v/parallel.h"

#include <cblas.h>

extern int blas_thread_shutdown_(void) __attribute__((weak));

void w2v_blas_pool_stop(void) {
    if (blas_thread_shutdown_) blas_thread_shutdown_();
}

int w2v_blas_pool_set_threads(uint32_t threads) {
    int before = openblas_get_num_threads();
    openblas_set_num_threads((int)(threads ? threads : w2v_online_cpus()));
    return before;
}
