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
 * removed by the signal the launcher sends.
 *
 * --checkpoint: checkpoints are made at the sync rounds, decided by the job
 * (checkpointing.h); rank 0 writes one file with every rank's state.
 * --resume: every rank reads the checkpoint itself (the corpus must already be
 * readable by every rank: a shared filesystem, or identical copies; its
 * checksum is part of the ranks' agreement) and goes on from its own recorded
 * state. A checkpoint resumes only with the rank count that wrote it (each
 * rank's part of every epoch is fixed by that count, and ranks may be in
 * different epochs at a checkpoint); otherwise one line names both counts. */
#ifndef W2V_CLI_DISTRIBUTED_H
#define W2V_CLI_DISTRIBUTED_H

#include "checkpointing.h"
#include "sync.h"
#include "train_options.h"
#include "w2v/checkpoint.h"

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
int w2v_distributed_agree(int status, const struct w2v_pipeline *pipeline,
                          const struct w2v_checkpoint *resumed);

/* --resume: 0 when `checkpoint` was written by as many processes as this job
 * has, else −1 with one line naming both counts. */
int w2v_distributed_check_ranks(const struct w2v_checkpoint *checkpoint, const char *path);

/* --resume: this rank's state in `checkpoint`, its words_elsewhere set to the
 * other ranks' words (as the round that wrote the checkpoint left it). */
struct w2v_train_state *w2v_distributed_resume_state(struct w2v_checkpoint *checkpoint);

/* Whether this rank had finished its training when the checkpoint being
 * resumed was written (its peers may not have): it then only joins the
 * rounds, through w2v_distributed_finish instead of w2v_train. */
bool w2v_distributed_finished(const struct w2v_train_config *config);
int w2v_distributed_finish(struct w2v_model *model, const struct w2v_train_config *config,
                           struct w2v_train_report *report);

/* Sets this rank's part of each epoch, the sync pauses and the sync state;
 * initialises `model` (identically on every rank) unless it is filled already
 * (keep_model); moves the checkpoints (if checkpointer->path) onto the sync
 * rounds; a resumed run (`resumed`, or NULL) goes on with its sync round
 * count. Free with w2v_distributed_detach. */
void w2v_distributed_attach(struct w2v_train_options *options, struct w2v_dist_sync *sync,
                            struct w2v_model *model, const struct w2v_vocab *vocab,
                            struct w2v_checkpointer *checkpointer,
                            const struct w2v_checkpoint *resumed);
void w2v_distributed_detach(struct w2v_dist_sync *sync);

/* A rank failed while others may be inside a collective: print and abort the job. */
_Noreturn void w2v_distributed_abort(void);

/* ,"ranks":N,"sync_every":...,"comm_bytes":...,"comm_seconds":... for --json. */
void w2v_distributed_json(FILE *out, const struct w2v_train_options *options);

#endif
