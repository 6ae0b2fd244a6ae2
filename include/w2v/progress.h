/* progress.h — the training progress line on stderr.
 *
 * While workers run, the main thread waits here and, about once a second
 * (every 10 s when stderr is not a terminal), samples the workers' atomic
 * counters and prints percent done, wall-clock words/sec, learning rate,
 * running mean loss and ETA. After each epoch it prints one line with the
 * epoch's loss. Quiet mode prints nothing. Workers only ever touch it in
 * w2v_progress_worker_done, once per epoch: nothing here is in the hot loop. */
#ifndef W2V_PROGRESS_H
#define W2V_PROGRESS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

struct w2v_progress_sample {
    uint64_t words_done, total_words;
    float learning_rate;
    double loss; /* running mean of this epoch */
    uint32_t epoch;
};

struct w2v_progress {
    bool quiet, terminal;
    uint32_t epochs;
    void (*sample)(void *context, struct w2v_progress_sample *sample);
    void *context;
    pthread_mutex_t lock;
    pthread_cond_t all_done;
    uint32_t running;
    double start_time;
    bool line_open; /* a '\r' line is on screen */
};

void w2v_progress_init(struct w2v_progress *progress, bool quiet, uint32_t epochs,
                       void (*sample)(void *, struct w2v_progress_sample *), void *context);
void w2v_progress_epoch_start(struct w2v_progress *progress, uint32_t workers);
void w2v_progress_worker_done(struct w2v_progress *progress);
/* Returns once every worker of the epoch is done, printing progress meanwhile. */
void w2v_progress_watch(struct w2v_progress *progress);
void w2v_progress_epoch_end(struct w2v_progress *progress, uint32_t epoch, double loss,
                            uint64_t words, double seconds, float learning_rate);
void w2v_progress_free(struct w2v_progress *progress);

/* "1.23M", "456.7k", "12" — for human-readable counts and rates. */
void w2v_format_count(double value, char *out, size_t size);

#endif
