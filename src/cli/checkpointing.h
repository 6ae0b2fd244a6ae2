/* checkpointing.h — `w2v train --checkpoint`: the trainer's pause hook that
 * writes checkpoints on a clock, on a word count, on SIGUSR1, and on
 * SIGTERM/SIGINT or --stop-after before stopping (train.h's pauses,
 * checkpoint.h's format, signals.h's requests). */
#ifndef W2V_CLI_CHECKPOINTING_H
#define W2V_CLI_CHECKPOINTING_H

#include "sync.h"
#include "w2v/checkpoint.h"
#include "w2v/train.h"

#include <stdbool.h>
#include <stdint.h>

/* A period or a limit: wall-clock seconds ("90s", "10m", "1h30m", "2d", or
 * plain seconds) or corpus words ("500000w"); exactly one is non-zero once given. */
struct w2v_duration {
    double seconds;
    uint64_t words;
};

/* The option parser's CUSTOM hook: `values` is the struct w2v_duration. */
int w2v_parse_duration(const char *flag, const char *text, struct w2v_duration *duration);

struct w2v_checkpointer {
    const char *path;               /* where checkpoints go (NULL: none) */
    struct w2v_duration stop_after; /* checkpoint and stop then (zero: never) */
    struct w2v_checkpoint_settings settings;
    struct w2v_checkpoint_corpus corpus;
    const struct w2v_vocab *vocab;
    double start_time;
    /* What happened, for progress and --json. */
    uint32_t count;
    double last_seconds, total_seconds;
    uint64_t last_bytes;
    int stop_signal;       /* the signal that stopped training, or 0 */
    bool stopped_by_limit; /* --stop-after */
    /* Under mpirun (w2v_checkpointer_attach_sync). */
    struct w2v_duration every;
    uint64_t next_words;  /* Σ words of all ranks at which the next checkpoint is due */
    double next_time;     /* rank 0: when the next timed checkpoint is due */
    bool job_stopped;     /* the job stopped at a checkpoint (a rank already done, too) */
    bool failed_together; /* a stop's checkpoint could not be written; every rank knows */
    struct w2v_checkpoint_sync sync; /* the sync settings the checkpoints record */
};

/* Points config's pause hooks at `checkpointer` with the given period. */
void w2v_checkpointer_attach(struct w2v_checkpointer *checkpointer, struct w2v_train_config *config,
                             const struct w2v_duration *every);
/* Under mpirun, after w2v_checkpointer_attach: checkpoints are made at the
 * sync rounds (sync.h's hook) when any rank asks (SIGUSR1, a stop signal),
 * when rank 0's clock says so (--checkpoint-every, --stop-after as times), or
 * when the words of all ranks reach the next multiple of --checkpoint-every
 * or --stop-after as words; and once training is over. The trainer's own
 * checkpoint triggers are turned off. `words_so_far`: all ranks' words
 * trained before this run (a resumed run's). */
void w2v_checkpointer_attach_sync(struct w2v_checkpointer *checkpointer,
                                  struct w2v_train_config *config, struct w2v_dist_sync *sync,
                                  uint64_t words_so_far);
void w2v_checkpointer_free(struct w2v_checkpointer *checkpointer);

#endif
