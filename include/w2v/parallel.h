/* parallel.h — run one job per thread and wait for all of them.
 *
 * The chunked passes over the corpus (vocabulary counting, encoding) each fill
 * an array of jobs and hand it here: job 0 runs on the calling thread, the
 * others on new threads, and the call returns when every job is done. */
#ifndef W2V_PARALLEL_H
#define W2V_PARALLEL_H

#include <stddef.h>
#include <stdint.h>

/* The CPUs online (at least 1): every "0 threads = all CPUs" default. */
uint32_t w2v_online_cpus(void);

/* Calls run(jobs + i * job_size) for every i < count, concurrently, and
 * returns when all are done. Never fails: a job whose thread cannot be started
 * (a resource limit) runs on the calling thread instead, so jobs must not wait
 * for one another. */
void w2v_run_parallel(void *(*run)(void *), void *jobs, size_t job_size, uint32_t count);

#endif
