/* progress.h — the training progress line on stderr.
 *
 * While workers run, the trainer's monitor (the calling thread) calls
 * w2v_progress_tick often; about once a second (every 10 s when stderr is not
 * a terminal) it samples the workers' atomic counters and prints percent
 * done, wall-clock words/sec, learning rate, running mean loss and ETA. After
 * each epoch it prints one line with the epoch's loss; w2v_progress_note
 * prints any other line (a checkpoint written) without tearing the progress
 * line. Quiet mode prints nothing. Nothing here is in the workers' hot loop. */
#ifndef W2V_PROGRESS_H
#define W2V_PROGRESS_H

#include "w2v/error.h"

#include <stdbool.h>
#include <stddef.h>
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
    double start_time, next_print;
    uint64_t start_words; /* words_done when this process started training (a resumed run) */
    bool line_open;       /* a '\r' line is on screen */
};

void w2v_progress_init(struct w2v_progress *progress, bool quiet, uint32_t epochs,
                       void (*sample)(void *, struct w2v_progress_sample *), void *context,
                       uint64_t start_words);
/* Prints the progress line if it is due. */
void w2v_progress_tick(struct w2v_progress *progress);
void w2v_progress_epoch_end(struct w2v_progress *progress, uint32_t epoch, double loss,
                            uint64_t words, double seconds, float learning_rate);
/* One line of its own on stderr (no newline needed), unless quiet. */
void w2v_progress_note(struct w2v_progress *progress, const char *format, ...) W2V_PRINTF(2, 3);

/* "1.23M", "456.7k", "12" — for human-readable counts and rates. */
void w2v_format_count(double value, char *out, size_t size);

#endif
