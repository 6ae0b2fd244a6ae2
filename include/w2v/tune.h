/* tune.h — `w2v tune`: short timed trials of the trainer on a sample of the
 * user's corpus, on the machine that will train, to pick the fastest thread
 * count, pinning and batch mode whose quality holds.
 *
 * A trial trains one epoch over the sample (a prefix of whole sentences of the
 * encoded corpus, with the subsampling rate rescaled so that every word is
 * kept as often as in the full run) with the user's settings and one
 * candidate (threads, pin, batch), and records its training words/s and final
 * loss. The quality guard: the loss of a candidate must be at most the
 * reference trial's (1 thread, unpinned, window batch: the configuration
 * without Hogwild races) times (1 + tolerance). Among the candidates that pass,
 * the fastest wins; the command line to use is the user's own with that
 * candidate's flags appended. The choice and the command line are pure
 * functions of the trials, so they are tested without timing anything. */
#ifndef W2V_TUNE_H
#define W2V_TUNE_H

#include "w2v/encode.h"
#include "w2v/step.h"
#include "w2v/train.h"
#include "w2v/vocab.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One candidate and, once run, what it measured. */
struct w2v_tune_trial {
    uint32_t threads;
    bool pin;
    enum w2v_batch_mode batch;
    double words_per_sec; /* training words/s over the sample */
    double loss;          /* the epoch's mean loss per prediction */
    bool failed;          /* training failed (e.g. diverged): never chosen */
};

enum { W2V_TUNE_MAX_TRIALS = 64 };

/* The thread counts worth timing on max_threads CPUs: 1, 2, 4, ... and
 * max_threads itself. Writes at most `capacity`; returns how many. */
size_t w2v_tune_thread_counts(uint32_t max_threads, uint32_t *counts, size_t capacity);

/* The candidates, reference first: for each thread count, unpinned then
 * (threads > 1) pinned, window batch; and, for skip-gram, --batch pair at the
 * largest thread count. Returns how many (at most W2V_TUNE_MAX_TRIALS). */
size_t w2v_tune_candidates(uint32_t max_threads, enum w2v_model_kind model,
                           struct w2v_tune_trial *trials);

/* Whether a trial passes the guard against the reference trial (trials[0]). */
bool w2v_tune_passes(const struct w2v_tune_trial *trial, const struct w2v_tune_trial *reference,
                     double tolerance);

/* The index of the fastest trial that passes the guard (ties: the earlier),
 * or -1 if none does (the reference itself failed). */
int w2v_tune_choose(const struct w2v_tune_trial *trials, size_t count, double tolerance);

/* A view of the first sentences of `corpus` holding at least `words` words (all of
 * it if it has fewer): shares the corpus's arrays, nothing to free. */
void w2v_tune_sample(const struct w2v_encoded_corpus *corpus, uint64_t words,
                     struct w2v_encoded_corpus *sample);

/* Runs one trial: config (the user's settings; epochs, threads, pinning,
 * batch and quiet overridden here) over `sample` of `corpus`. Fills the
 * trial's words_per_sec, loss and failed. */
void w2v_tune_run_trial(struct w2v_tune_trial *trial, const struct w2v_train_config *config,
                        const struct w2v_encoded_corpus *corpus,
                        const struct w2v_encoded_corpus *sample, const struct w2v_vocab *vocab);

/* Writes `w2v train` followed by args[0..count-1] (the user's training flags,
 * each quoted for a POSIX shell where needed) and the chosen trial's
 * --threads, --pin and --batch, into out (NUL-terminated, cut to size).
 * Returns the length the whole line needs, as snprintf. */
size_t w2v_tune_command(char *out, size_t size, char *const *args, size_t count,
                        const struct w2v_tune_trial *chosen);

#endif
