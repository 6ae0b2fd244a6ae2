/* parallel.c — fork-join over an array of jobs (see parallel.h). */
#include "w2v/parallel.h"

#include "w2v/alloc.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

void w2v_run_parallel(void *(*run)(void *), void *jobs, size_t job_size, uint32_t count) {
    if (count == 0) return;
    char *job_bytes = jobs;
    pthread_t *handles = w2v_xcalloc(count, sizeof *handles);
    for (uint32_t i = 1; i < count; i++)
        if (pthread_create(&handles[i], NULL, run, job_bytes + i * job_size) != 0) {
            fprintf(stderr, "w2v: cannot start a thread\n");
            exit(1);
        }
    run(job_bytes);
    for (uint32_t i = 1; i < count; i++) pthread_join(handles[i], NULL);
    w2v_free(handles);
}
