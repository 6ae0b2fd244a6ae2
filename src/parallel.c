/* parallel.c — fork-join over an array of jobs (see parallel.h). */
#include "w2v/parallel.h"

#include "w2v/alloc.h"

#include <pthread.h>
#include <stdbool.h>
#include <unistd.h>

void w2v_run_parallel(void *(*run)(void *), void *jobs, size_t job_size, uint32_t count) {
    if (count == 0) return;
    char *job_bytes = jobs;
    pthread_t *handles = w2v_xcalloc(count, sizeof *handles);
    bool *started = w2v_xcalloc(count, sizeof *started);
    for (uint32_t i = 1; i < count; i++) {
        started[i] = pthread_create(&handles[i], NULL, run, job_bytes + i * job_size) == 0;
        /* No thread to be had (a resource limit): this job runs here instead. */
        if (!started[i]) run(job_bytes + i * job_size);
    }
    run(job_bytes);
    for (uint32_t i = 1; i < count; i++)
        if (started[i]) pthread_join(handles[i], NULL);
    w2v_free(started);
    w2v_free(handles);
}

uint32_t w2v_online_cpus(void) {
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    return online > 0 ? (uint32_t)online : 1;
}
