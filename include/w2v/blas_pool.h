/* blas_pool.h — OpenBLAS's worker threads, as the program wants them.
 *
 * OpenBLAS (pthread build) starts its pool when the library loads, and each
 * worker then waits for work by spinning on sched_yield for about 2^28 TSC
 * cycles (0.1 s at 2.7 GHz) — after the load and again after every threaded
 * call. A command that runs its own threads on every core (counting, training)
 * loses that much CPU to them: `w2v prepare` on real-en, 2 threads, made
 * 11,885 sched_yield calls with the pool running and 33 with it stopped
 * (wall 0.60-0.65 s against 0.55-0.58 s). Stopping is a no-op where the
 * library has no such pool (serial or OpenMP builds). */
#ifndef W2V_BLAS_POOL_H
#define W2V_BLAS_POOL_H

#include <stdint.h>

/* Stops the pool's workers; the next threaded BLAS call (or setting the thread
 * count) starts them again, as OpenBLAS does after a fork. Call it before a
 * command's own threads start, and after BLAS work done between their runs
 * (evaluation at an epoch's end). */
void w2v_blas_pool_stop(void);

/* Sets the pool's threads (0: every online CPU); returns the count before. */
int w2v_blas_pool_set_threads(uint32_t threads);

#endif
