/* parallel.h — run one job per thread and wait for all of them.
 *
 * The chunked passes over the corpus (vocabulary counting, encoding) each fill
 * an array of jobs and hand it here: job 0 runs on the calling thread, the
 * others on new threads, and the call returns when every job is done. */
#ifndef W2V_PARALLEL_H
#define W2V_PARALLEL_H

#include <stddef.h>
#include <stdint.h>

/* Calls run(jobs + i * job_size) for every i < count, concurrently. */
void w2v_run_parallel(void *(*run)(void *), void *jobs, size_t job_size, uint32_t count);

#endif
