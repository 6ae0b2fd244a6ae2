/* train.h — Hogwild training of skip-gram and CBOW over an encoded corpus.
 *
 * Each epoch the corpus is dealt to the `threads` workers as interleaved
 * blocks cut at sentence starts (block k to worker k mod threads; a worker
 * whose share is done takes the next unstarted block of another, see
 * steal_range in train.c), so every token is trained exactly once per epoch.
 * Per sentence a worker subsamples frequent words, then for each kept centre
 * word draws a window radius b in [1, window] (word2vec's random shrink) and
 * runs one loss step:
 *   skip-gram: the context words' input rows each predict the centre word
 *              (word2vec.c's pairing; the set of pairs is symmetric);
 *   CBOW:      the average h of the M context rows predicts the centre word.
 *              With --cbow-update sum (default, as word2vec.c and fastText)
 *              every context row receives the whole update of h; with mean it
 *              receives 1/M of it, the exact gradient of the loss with respect
 *              to that row. Sum is SGD on the same loss
 *              with an M-times larger step for the input rows; on real text it
 *              learns far faster at word2vec.c's learning rates.
 * With --batch window (default) a skip-gram window is one step whose contexts
 * share one set of K negatives (pWord2Vec's HogBatch); with --batch pair each
 * (context, centre) pair is its own step with its own negatives (word2vec.c).
 *
 * The learning rate falls linearly from alpha to min_alpha (default alpha·1e-4)
 * over all epochs, driven by one atomic count of words done. Nothing in the
 * hot loop locks.
 *
 * Pauses (the seam for checkpoints, and for a later synchronisation between
 * processes): when a pause is due, every worker stops at its next sentence
 * boundary (one whose share of the epoch is done waits as it is; a combining
 * worker, at the end of its block of text, see combine.h), and the
 * calling thread runs config->on_pause with the model and the complete
 * training state (struct w2v_train_state): every worker's random generator,
 * what is left of its share, its unpublished word count, the learning rate it
 * trains with and its loss sums, the shared word counter, the epoch. Then the
 * workers go on as if nothing had happened: a paused run trains exactly what
 * an unpaused one does (on one thread, the same bytes). A pause is due
 *   - every pause_every_seconds of training (0: never);
 *   - when the word counter reaches a multiple of pause_every_words, or
 *     pause_at_words (0: never); the worker that reaches it asks, so on one
 *     thread the place is the same in every run;
 *   - when pause_poll(context) says so (polled about 20 times a second: signals);
 *   - after every epoch when pause_after_epoch is set.
 * A pause asked for as the last worker finishes its share happens between
 * epochs (after on_epoch_end). One more pause is made when training is over
 * (state.epoch == epochs; a stop asked for then is ignored). Passing a saved state as config->resume (and
 * the saved matrices in `model`) continues the run from that pause. */
#ifndef W2V_TRAIN_H
#define W2V_TRAIN_H

#include "w2v/encode.h"
#include "w2v/loss.h"
#include "w2v/model.h"
#include "w2v/rng.h"
#include "w2v/step.h"
#include "w2v/vectors.h"
#include "w2v/vocab.h"

#include <stdbool.h>
#include <stdint.h>

#define W2V_MAX_EPOCHS 1000

/* The most windows one combined step may take (w2v_train_config.combine), and
 * the number a skip-gram ns window-batch run combines unless told otherwise:
 * pSGNScc's -C 8, measured better than none on real-en (3 epochs) and on
 * short shuffled lines, level at 1 epoch (README, "Context combining"). */
#define W2V_MAX_COMBINE     64
#define W2V_DEFAULT_COMBINE 8

/* w2v_train's return when on_pause asked it to stop (not an error). */
#define W2V_TRAIN_STOPPED 1

/* Sentences [first, end) of the encoded corpus. */
struct w2v_train_range {
    uint64_t first, end;
};

/* One worker at a pause. */
struct w2v_train_worker_state {
    struct w2v_rng rng;             /* its generator (subsampling, windows, negatives) */
    struct w2v_train_range *ranges; /* what is left of its share of the epoch, in order */
    uint32_t range_count;
    float learning_rate;        /* the rate it trains with until it next publishes */
    uint64_t unpublished_words; /* words trained but not yet added to words_done */
    double loss_sum;            /* this epoch so far */
    uint64_t predictions;       /* this epoch so far */
    uint64_t kept_words;        /* this epoch so far */
    uint64_t flops;             /* all epochs so far */
};

/* The whole training state at a pause: with the two matrices and the settings,
 * everything a run needs to go on exactly where it stopped. */
struct w2v_train_state {
    uint32_t epoch;      /* the epoch in progress (0-based; epochs: training is over) */
    uint64_t words_done; /* the shared counter behind the learning rate */
    /* Other processes' words (a distributed run; see words_elsewhere below).
     * Not stored in checkpoints: a resumed rank sums the other ranks' words_done. */
    uint64_t words_elsewhere;
    double seconds;      /* training wall time so far */
    uint64_t kept_words; /* finished epochs */
    uint64_t predictions;
    double epoch_loss[W2V_MAX_EPOCHS]; /* finished epochs' mean losses */
    uint32_t threads;
    struct w2v_train_worker_state *workers; /* threads of them */
};

struct w2v_progress;

/* What on_pause gets. Every worker is parked, so on_pause may change the
 * matrices' values (not their shape): synchronisation between processes
 * averages them there. The state is read-only. */
struct w2v_train_pause {
    struct w2v_model *model;
    const struct w2v_train_state *state;
    struct w2v_progress *progress; /* for a line on stderr (w2v_progress_note) */
    bool between_epochs;           /* no worker is running (an epoch's end) */
    bool training_over;            /* the last pause (state->epoch == epochs) */
    /* Words trained by other processes of a distributed run (0 otherwise):
     * on_pause may set it; the learning rate and progress then follow
     * (words_done + words_elsewhere) / (corpus words × epochs). */
    uint64_t *words_elsewhere;
};

struct w2v_train_config {
    enum w2v_model_kind model;
    enum w2v_loss_kind loss;
    enum w2v_batch_mode batch;
    enum w2v_cbow_update cbow_update;
    /* Skip-gram, --loss hs, --batch window: the top D nodes of the centre's
     * Huffman path scored and moved context by context (step.h's split path;
     * default 0: none, the whole path in the window block). */
    uint32_t hs_pair_nodes;
    /* Skip-gram, --loss ns, --batch window: context combining (combine.h).
     * Up to `combine` windows of a block of sentences share one step and one
     * set of negatives (pSGNScc's -C); 1: every window alone; 0 (default):
     * W2V_DEFAULT_COMBINE where it applies, else 1 (w2v_train_combine). */
    uint32_t combine;
    uint32_t dim;
    uint32_t window;
    uint32_t negative;
    uint32_t epochs;
    uint32_t threads;
    double alpha;  /* starting learning rate; 0: 0.025 for skip-gram, 0.05 for CBOW */
    double sample; /* subsampling threshold t; 0 = off */
    double
        ns_exponent;  /* negatives from unigram^ns_exponent (default 0.75; gensim's ns_exponent) */
    double min_alpha; /* the learning rate's floor; < 0 (default): alpha·1e-4, as word2vec.c */
    bool shrink_windows; /* each centre's radius drawn from 1..window (default, word2vec.c);
                          * false: always the whole window (gensim's shrink_windows=False) */
    uint64_t seed;
    bool pin_threads;
    bool quiet; /* no progress or per-epoch lines on stderr */
    /* Called after each epoch with the current word vectors (a view of the
     * input matrix); a negative return stops training with that error. */
    int (*on_epoch_end)(void *context, uint32_t epoch, const struct w2v_vectors *vectors);
    void *on_epoch_context;
    /* Pauses (see the top of this file). on_pause returns 0 to go on,
     * W2V_TRAIN_STOPPED to stop training there (w2v_train returns it), or
     * −1 with w2v_error set to fail. */
    double pause_every_seconds;
    uint64_t pause_every_words;
    uint64_t pause_at_words;
    bool pause_after_epoch;
    bool (*pause_poll)(void *context);
    int (*on_pause)(void *context, const struct w2v_train_pause *pause);
    void *pause_context;
    /* Data parallelism over processes: this one trains part `part` of
     * `parts` (0-based; default 0 of 1) of every epoch — every parts-th of the
     * corpus's blocks, interleaved with the other processes' (train.c,
     * deal_range; its workers share out the end of each epoch among
     * themselves, steal_range) — and its workers draw random
     * streams no other part uses. The learning-rate horizon stays the whole
     * corpus × epochs (see words_elsewhere). */
    uint32_t part, parts;
    /* Continue from a saved state (and the saved matrices in `model`). Its
     * threads may differ from `threads`: what is left of the epoch is then
     * dealt again to `threads` workers (and the result differs from the
     * uninterrupted run's, as any change of thread count does). */
    const struct w2v_train_state *resume;
    /* The model passed to w2v_train is already allocated and filled (a warm
     * start, a resumed run): train it as it is instead of initialising it. */
    bool keep_model;
};

struct w2v_train_report {
    uint64_t corpus_words; /* in-vocabulary tokens per epoch */
    uint64_t words_done;   /* corpus_words × epochs (a resumed run: those trained by this call) */
    uint64_t kept_words;   /* tokens kept by subsampling, all epochs (of a resumed run too) */
    uint64_t predictions;  /* (input, target) pairs scored */
    uint64_t flops;
    double seconds;       /* wall clock of the epochs */
    double words_per_sec; /* words_done / seconds */
    double kept_words_per_sec;
    double loss; /* mean loss per prediction, last epoch */
    double epoch_loss[W2V_MAX_EPOCHS];
    uint32_t epochs_done; /* epochs finished (fewer than asked when stopped) */
    uint32_t pauses;      /* pauses made (on_pause calls) */
    const char *isa;
};

/* The documented defaults: skip-gram, negative sampling (K = 5, exponent
 * 0.75), window batches, CBOW sum update, dim 100, window 5 (shrinking), 5
 * epochs, alpha 0 (the model's default) falling to alpha·1e-4, sample 1e-3,
 * seed 1, one thread per online CPU, progress on. */
void w2v_train_config_default(struct w2v_train_config *config);

/* The windows one combined step takes: config->combine, or when it is 0,
 * W2V_DEFAULT_COMBINE for skip-gram with --loss ns and window batches and 1
 * (no combining) for every other setting. */
uint32_t w2v_train_combine(const struct w2v_train_config *config);

/* The starting learning rate: config->alpha, or the model's default when it is 0
 * (0.025 skip-gram, 0.05 CBOW). */
double w2v_train_alpha(const struct w2v_train_config *config);

/* The learning rate after `fraction` (0..1) of all epochs' words:
 *   min_alpha < 0 (default):  alpha·(1 − fraction), never below alpha·1e-4   (word2vec.c)
 *   min_alpha = m ≥ 0:        alpha − (alpha − m)·fraction, never below m    (gensim)
 * with alpha the configured one or the model's default. */
double w2v_learning_rate(const struct w2v_train_config *config, double fraction);

/* Trains `model` on `corpus`. The model is allocated and initialised here
 * (w2v_model_init), or with config->keep_model trained as it is: it must then
 * have the vocabulary's rows, the loss's output rows and config->dim. On a NaN or infinite loss, stops and fails naming the
 * epoch and learning rate. Returns 0, W2V_TRAIN_STOPPED (on_pause asked; the
 * report covers the words trained so far) or −1. */
int w2v_train(struct w2v_model *model, const struct w2v_encoded_corpus *corpus,
              const struct w2v_vocab *vocab, const struct w2v_train_config *config,
              struct w2v_train_report *report);

/* A view (no copy) of the trained input vectors with the vocabulary's words.
 * Free with w2v_train_vectors_free (frees the word array only). */
void w2v_train_vectors_view(const struct w2v_model *model, const struct w2v_vocab *vocab,
                            struct w2v_vectors *view);
void w2v_train_vectors_free(struct w2v_vectors *view);

#endif
