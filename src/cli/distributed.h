/* distributed.h — `w2v train` under mpirun: what changes when there are several ranks.
 *
 * Every rank reads the same corpus through the ordinary pipeline (so the
 * vocabulary is the one a single process builds — checked by hash across
 * ranks — and a prepared corpus is simply mapped by each), then trains its
 * own part of every epoch (train.h: part/parts) with --threads workers, and
 * the ranks average their models at the trainer's pauses (sync.h). Rank 0
 * alone prints progress and writes the outputs; the others are quiet. A rank
 * that fails before training makes every rank fail (one message, from the
 * failing rank, naming it); a rank that fails during training aborts the job
 * (its peers may be waiting in a collective), and rank 0's temporaries are
 * removed by the signal the launcher sends. */
#ifndef W2V_CLI_DISTRIBUTED_H
#define W2V_CLI_DISTRIBUTED_H

#include "sync.h"
#include "train_options.h"

#include <stdio.h>

#define W2V_DEFAULT_SYNC_EVERY     100000
#define W2V_DEFAULT_SYNC_MIN_WORDS 1024

/* Flags a distributed run cannot honour yet: −1 with an error. Also makes the
 * ranks other than 0 quiet and drops their outputs. */
int w2v_distributed_adjust(struct w2v_train_options *options);

/* The one agreement before training: every rank's status (0 or −1) in, the
 * job's out (0 when every rank succeeded and all read the same vocabulary and
 * token count; pipeline may be NULL on a rank that failed before it). A
 * failing rank prints its own error prefixed "rank R:"; the rest stay silent. */
int w2v_distributed_agree(int status, const struct w2v_pipeline *pipeline);

/* Sets this rank's part of each epoch, the sync pauses and the sync state;
 * initialises `model` (identically on every rank) unless it is filled already
 * (keep_model). Free with w2v_distributed_detach. */
void w2v_distributed_attach(struct w2v_train_options *options, struct w2v_dist_sync *sync,
                            struct w2v_model *model, const struct w2v_vocab *vocab);
void w2v_distributed_detach(struct w2v_dist_sync *sync);

/* A rank failed while others may be inside a collective: print and abort the job. */
_Noreturn void w2v_distributed_abort(void);

/* ,"ranks":N,"sync_every":...,"comm_bytes":...,"comm_seconds":... for --json. */
void w2v_distributed_json(FILE *out, const struct w2v_train_options *options);

#endif
