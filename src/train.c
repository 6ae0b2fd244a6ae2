/* train.c — the Hogwild worker threads, their shares of each epoch, the
 * learning-rate schedule, and pauses at sentence boundaries (see train.h). */
#include "w2v/train.h"

#include "w2v/alloc.h"
#include "w2v/combine.h"
#include "w2v/error.h"
#include "w2v/huffman.h"
#include "w2v/parallel.h"
#include "w2v/progress.h"
#include "w2v/subsample.h"
#include "w2v/timer.h"

#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Words a worker trains between updates of the shared word counter and learning rate. */
enum { PUBLISH_EVERY_WORDS = 10000 };

/* Context combining (--combine C > 1): the kept words a worker gathers into one
 * block before training it (combine.h). A window finds its partners among the
 * block's later windows, so a larger block finds more; it is also one unit of
 * the learning rate and of pauses, so it stays a small fraction of an epoch.
 * Where blocks end depends on the settings alone (never on when pauses are
 * asked for), so a paused run trains the same blocks as an unpaused one. */
enum { COMBINE_BLOCK_WORDS = 65536 };

/* How often the monitor looks at the clock and pause_poll while workers run. */
static const double MONITOR_POLL_SECONDS = 0.05;

/* No pause due. */
#define NO_PAUSE UINT64_MAX

struct trainer; /* shared by all workers */

/* One combined step: its windows (contexts[w · 2·window ...] holds window w's
 * context words) and its K negatives, then the distinct candidates. */
struct combined_step {
    struct w2v_step_window *windows;
    uint32_t n_windows;
    uint32_t *contexts;
    uint32_t *negatives;
};

/* One worker's state, kept across epochs; aligned so workers never share a
 * cache line. While it runs, only the worker touches its fields; the monitor
 * reads them while it is parked or done (ordered by the trainer's lock). */
struct worker {
    _Alignas(W2V_CACHE_LINE) struct trainer *trainer;
    uint32_t index;
    struct w2v_rng rng;
    struct w2v_step step;
    uint32_t *kept;     /* the current sentence after subsampling */
    uint32_t *contexts; /* the context words of one window */
    /* Context combining only: the block, and two steps' windows (train_block). */
    struct w2v_combine_block block;
    struct combined_step steps[2];
    /* Its share of the epoch: ranges[range..range_count), ranges[range].first
     * being the next sentence (brought up to date when it parks or ends). A
     * worker whose share is done takes the next range not yet started from the
     * worker with most of them left (steal_range): the thief empties that range
     * (first = end) and appends it to its own. share_lock orders the thief's
     * reads and writes of the ranges after `range` with the owner's moves of
     * `range` (and its appends); nobody else writes a worker's current range. */
    pthread_mutex_t share_lock;
    struct w2v_train_range *ranges;
    uint32_t range, range_count, range_capacity;
    /* The loop's running figures, saved when it parks or ends. */
    float lr;
    uint64_t unpublished_words;
    double loss_sum;
    uint64_t kept_total;
    /* Epoch statistics: written by this worker only, read by the progress monitor. */
    _Atomic double published_loss;
    _Atomic uint64_t published_predictions;
    _Atomic uint64_t published_kept;
    _Alignas(W2V_CACHE_LINE) char end_padding;
};

struct trainer {
    const struct w2v_train_config *config;
    uint32_t combine; /* w2v_train_combine(config) */
    /* Combining: a block also ends once it holds this many words of text
     * (before subsampling). Processes that synchronise at word-count pauses
     * (parts > 1) give each worker's block at most its share of one round,
     * so every round sees blocks trained; otherwise no limit (UINT64_MAX). */
    uint64_t block_raw_words;
    const struct w2v_encoded_corpus *corpus;
    struct w2v_model *model;
    const struct w2v_kernels *kernels;
    const struct w2v_loss_ops *loss_ops;
    struct w2v_sampler sampler;
    struct w2v_huffman tree; /* hierarchical softmax only */
    struct w2v_subsample subsample;
    struct worker *workers;
    struct w2v_train_report *report;
    uint64_t total_words; /* corpus words × epochs: the schedule's horizon */
    _Atomic uint64_t words_done;
    _Atomic uint64_t words_elsewhere; /* other processes' words (set in pauses) */
    _Atomic int failed;               /* set by a worker that saw a non-finite loss */
    _Atomic float failed_lr;
    uint32_t epoch;
    struct w2v_progress progress;
    /* Pauses. A worker parks at a sentence boundary once words_done plus its
     * unpublished words reach pause_at (0: at once; NO_PAUSE: none due). */
    _Alignas(W2V_CACHE_LINE) _Atomic uint64_t pause_at;
    _Atomic bool stop; /* on_pause said stop (or failed): workers leave their loops */
    pthread_t caller;  /* a worker run on this thread (no thread to be had) never parks */
    pthread_mutex_t lock;
    pthread_cond_t to_monitor, to_workers;
    uint32_t running; /* workers still in this epoch's loop, parked ones included */
    uint32_t parked;
    uint64_t generation; /* bumped at each release */
    bool pause_pending;  /* asked for, not yet made */
    double next_pause_time;
    int pause_status;             /* 0, W2V_TRAIN_STOPPED or −1 from the last on_pause */
    struct w2v_train_state state; /* filled at each pause */
    double seconds_before;        /* training time of finished epochs (and earlier runs) */
    double epoch_start;
    _Alignas(W2V_CACHE_LINE) char end_padding;
};

void w2v_train_config_default(struct w2v_train_config *config) {
    *config = (struct w2v_train_config){
        .model = W2V_MODEL_SKIPGRAM,
        .loss = W2V_LOSS_NS,
        .batch = W2V_BATCH_WINDOW,
        .cbow_update = W2V_CBOW_SUM,
        .combine = 0, /* W2V_DEFAULT_COMBINE where it applies */
        .dim = 100,
        .window = 5,
        .negative = 5,
        .epochs = 5,
        .threads = w2v_online_cpus(),
        .alpha = 0,
        .sample = 1e-3,
        .ns_exponent = 0.75,
        .min_alpha = -1,
        .shrink_windows = true,
        .seed = 1,
        .parts = 1,
    };
}

/* Whether the settings have windows to combine: skip-gram, ns alone, window batches. */
static bool combine_applies(const struct w2v_train_config *config) {
    return config->model == W2V_MODEL_SKIPGRAM && config->loss == W2V_LOSS_NS &&
           config->batch == W2V_BATCH_WINDOW;
}

uint32_t w2v_train_combine(const struct w2v_train_config *config) {
    if (config->combine) return config->combine;
    return combine_applies(config) ? W2V_DEFAULT_COMBINE : 1;
}

double w2v_train_alpha(const struct w2v_train_config *config) {
    if (config->alpha > 0) return config->alpha;
    return config->model == W2V_MODEL_CBOW ? 0.05 : 0.025;
}

double w2v_learning_rate(const struct w2v_train_config *config, double fraction) {
    const double alpha = w2v_train_alpha(config);
    double lr, floor;
    if (config->min_alpha < 0) { /* word2vec.c */
        lr = alpha * (1.0 - fraction);
        floor = alpha * 1e-4;
    } else { /* gensim */
        lr = alpha - (alpha - config->min_alpha) * fraction;
        floor = config->min_alpha;
    }
    return lr > floor ? lr : floor;
}

static float learning_rate(const struct trainer *trainer) {
    double done = (double)(atomic_load_explicit(&trainer->words_done, memory_order_relaxed) +
                           atomic_load_explicit(&trainer->words_elsewhere, memory_order_relaxed));
    return (float)w2v_learning_rate(trainer->config, done / (double)(trainer->total_words + 1));
}

/* ---- one sentence ---- */

/* Copies the words within `radius` of `centre`, the centre left out; returns how many. */
static uint32_t gather_context(uint32_t *contexts, const uint32_t *sentence, uint32_t length,
                               uint32_t centre, uint32_t radius) {
    uint32_t first = centre > radius ? centre - radius : 0;
    uint32_t last = centre + radius < length - 1 ? centre + radius : length - 1;
    uint32_t count = 0;
    for (uint32_t j = first; j <= last; j++)
        if (j != centre) contexts[count++] = sentence[j];
    return count;
}

/* word2vec's shrink: a radius from 1..window. The draw is made either way, so
 * --shrink-windows 0 changes nothing else in the random stream. */
static uint32_t draw_radius(struct worker *w) {
    const struct w2v_train_config *config = w->trainer->config;
    const uint32_t radius = config->window - w2v_rng_below(&w->rng, config->window);
    return config->shrink_windows ? radius : config->window;
}

static double train_sentence(struct worker *w, const uint32_t *sentence, uint32_t length,
                             float lr) {
    const uint32_t window = w->trainer->config->window;
    const struct w2v_model *model = w->trainer->model;
    const bool ns = w2v_loss_uses_negatives(w->trainer->config->loss);
    double loss = 0;
    for (uint32_t i = 0; i < length; i++) {
        /* The rows the next window adds (the word entering its reach, its centre's
         * output row), asked of the cache while this window computes. */
        if (i + 1 + window < length)
            w2v_model_prefetch_row(model, w2v_model_input_row(model, sentence[i + 1 + window]));
        if (ns && i + 1 < length)
            w2v_model_prefetch_row(
                model, w2v_model_output_row(model, w->step.loss.ns_first_row + sentence[i + 1]));
        uint32_t contexts = gather_context(w->contexts, sentence, length, i, draw_radius(w));
        if (contexts == 0) continue;
        loss += w2v_step_window(&w->step, w->contexts, contexts, sentence[i], lr, W2V_UPDATE);
    }
    w2v_loss_worker_forget_ahead(&w->step.loss); /* nothing drawn crosses a pause point */
    return loss;
}

/* ---- one block, windows combined (combine.h) ---- */

/* Marks the window at block position p trained and, when it has context words,
 * makes it the step's next window. */
static void add_window(struct worker *w, struct combined_step *step, uint32_t p) {
    const struct w2v_train_config *config = w->trainer->config;
    struct w2v_combine_block *block = &w->block;
    w2v_combine_mark(block, p);
    const uint32_t radius = draw_radius(w);
    uint32_t *contexts = step->contexts + (size_t)step->n_windows * 2 * config->window;
    const uint32_t count = w2v_combine_context(block, p, radius, contexts);
    if (count == 0) return;
    /* asked of the cache now: the step reads them after the step before it has trained */
    const struct w2v_model *model = w->trainer->model;
    for (uint32_t m = 0; m < count; m++)
        w2v_model_prefetch_row(model, w2v_model_input_row(model, contexts[m]));
    step->windows[step->n_windows++] = (struct w2v_step_window){
        .contexts = contexts, .n_contexts = count, .centre = block->words[p]};
}

/* Finds the next step of the block, from position *p on: the first window not
 * trained yet, its K negatives, and up to C − 1 later untrained windows whose
 * centre is one of its outputs, visiting the outputs in turn (its centre, then
 * each distinct negative) and taking each one's next occurrence, round after
 * round, as pSGNScc does. False when the block has no window left. */
static bool find_step(struct worker *w, uint32_t *p, struct combined_step *step) {
    struct w2v_combine_block *block = &w->block;
    const uint32_t combine = w->trainer->combine;
    const uint32_t negative = w->trainer->config->negative;
    uint32_t *candidates = step->negatives + negative; /* the centre and the distinct draws */
    for (; *p < block->positions; (*p)++) {
        if (w2v_combine_trained(block, *p)) continue; /* and every sentence's END */
        step->n_windows = 0;
        add_window(w, step, *p);
        if (step->n_windows == 0) continue;
        w2v_ns_draw(&w->step.loss, step->negatives); /* their rows asked of the cache */
        uint32_t n_candidates = 0;
        candidates[n_candidates++] = block->words[*p];
        for (uint32_t d = 0; d < negative; d++) {
            uint32_t c = 0;
            while (c < n_candidates && candidates[c] != step->negatives[d]) c++;
            if (c == n_candidates) candidates[n_candidates++] = step->negatives[d];
        }
        for (bool found = true; found && step->n_windows < combine;) {
            found = false;
            for (uint32_t c = 0; c < n_candidates && step->n_windows < combine; c++) {
                const uint32_t q = w2v_combine_next(block, candidates[c], *p);
                if (q == W2V_COMBINE_NONE) continue;
                found = true;
                add_window(w, step, q);
            }
        }
        (*p)++;
        return true;
    }
    return false;
}

/* Trains the block step by step (find_step), one combined step (step.h) each.
 * Each step is found one step ahead, so its rows come into the cache while the
 * step before it trains; finding draws no numbers the training does, so the
 * steps and their order are those of finding each just before it trains. */
static double train_block(struct worker *w, float lr) {
    const uint32_t negative = w->trainer->config->negative;
    struct combined_step *now = &w->steps[0], *next = &w->steps[1];
    double loss = 0;
    uint32_t p = 0;
    w2v_combine_index(&w->block);
    for (bool have = find_step(w, &p, now); have;) {
        have = find_step(w, &p, next);
        loss += w2v_step_skipgram_combined(&w->step, now->windows, now->n_windows, now->negatives,
                                           negative, lr, W2V_UPDATE);
        struct combined_step *trained = now;
        now = next, next = trained;
    }
    return loss;
}

/* ---- sharing out the end of an epoch ---- */

static void add_range(struct worker *w, uint64_t first, uint64_t end);

/* The first range after w's current one that has sentences left, or
 * range_count (also once the share is done); w's share_lock held. */
static uint32_t first_unstarted(const struct worker *w) {
    uint32_t r = w->range < w->range_count ? w->range + 1 : w->range_count;
    while (r < w->range_count && w->ranges[r].first == w->ranges[r].end) r++;
    return r;
}

/* Whether w's current range is the last of its share that has sentences left. */
static bool last_range(struct worker *w) {
    pthread_mutex_lock(&w->share_lock);
    const bool last = first_unstarted(w) == w->range_count;
    pthread_mutex_unlock(&w->share_lock);
    return last;
}

/* Moves w past its finished current range, to the next one a thief has not emptied. */
static void next_range(struct worker *w) {
    pthread_mutex_lock(&w->share_lock);
    w->range = first_unstarted(w);
    pthread_mutex_unlock(&w->share_lock);
}

/* Static shares end at different times (a slower core, a busier block), and
 * the epoch waits for the last worker. So a worker whose share is done takes
 * the first range not yet started of the worker with most such ranges left,
 * one range at a time: the two go on side by side, near the same place in
 * the corpus, and no worker idles while a whole range is left. True when w
 * has a range again (ranges[range]); false when no worker has one to spare.
 * Never on one thread, so one thread with a seed still gives the same bytes. */
static bool steal_range(struct worker *w) {
    struct trainer *trainer = w->trainer;
    for (;;) {
        struct worker *victim = NULL;
        uint32_t most = 0;
        for (uint32_t t = 0; t < trainer->config->threads; t++) {
            struct worker *v = &trainer->workers[t];
            if (v == w) continue;
            pthread_mutex_lock(&v->share_lock);
            const uint32_t left = v->range_count - first_unstarted(v);
            pthread_mutex_unlock(&v->share_lock);
            if (left > most) most = left, victim = v;
        }
        if (!victim) return false;
        struct w2v_train_range taken = {0, 0};
        pthread_mutex_lock(&victim->share_lock);
        const uint32_t r = first_unstarted(victim);
        if (r < victim->range_count) {
            taken = victim->ranges[r];
            victim->ranges[r].first = victim->ranges[r].end; /* emptied: w trains it */
        }
        pthread_mutex_unlock(&victim->share_lock);
        if (taken.first == taken.end) continue; /* another thief was first: look again */
        pthread_mutex_lock(&w->share_lock);
        add_range(w, taken.first, taken.end);
        w->range = w->range_count - 1; /* (joined to the finished range before it, maybe) */
        pthread_mutex_unlock(&w->share_lock);
        return true;
    }
}

/* ---- one worker's epoch ---- */

static void publish(struct worker *w, double loss_sum, uint64_t predictions, uint64_t kept) {
    atomic_store_explicit(&w->published_loss, loss_sum, memory_order_relaxed);
    atomic_store_explicit(&w->published_predictions, predictions, memory_order_relaxed);
    atomic_store_explicit(&w->published_kept, kept, memory_order_relaxed);
}

/* Adds the words counted since the last time to the shared counter, shows the
 * figures to the monitor and takes the learning rate for the counter's new
 * value; false when a worker has seen a non-finite loss (training stops). */
static bool publish_words(struct worker *w, uint64_t *unpublished_words, double loss_sum,
                          uint64_t kept_total, float *lr) {
    struct trainer *trainer = w->trainer;
    atomic_fetch_add_explicit(&trainer->words_done, *unpublished_words, memory_order_relaxed);
    *unpublished_words = 0;
    publish(w, loss_sum, w->step.predictions, kept_total);
    if (!isfinite(loss_sum)) {
        atomic_store(&trainer->failed_lr, *lr);
        atomic_store(&trainer->failed, 1);
    }
    if (atomic_load_explicit(&trainer->failed, memory_order_relaxed)) return false;
    *lr = learning_rate(trainer);
    return true;
}

/* Trains the worker's block and empties it; returns its loss. */
static double finish_block(struct worker *w, float lr, uint64_t *kept_total,
                           uint64_t *unpublished_words) {
    const double loss = train_block(w, lr);
    *kept_total += w->block.length;
    *unpublished_words += w->block.raw_words;
    w2v_combine_clear(&w->block);
    return loss;
}

static void pin_to_cpu(uint32_t index) {
    cpu_set_t allowed;
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return;
    int allowed_count = CPU_COUNT(&allowed);
    if (allowed_count <= 0) return;
    int wanted = (int)(index % (uint32_t)allowed_count), seen = 0;
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
        if (!CPU_ISSET(cpu, &allowed)) continue;
        if (seen++ == wanted) {
            cpu_set_t one;
            CPU_ZERO(&one);
            CPU_SET(cpu, &one);
            pthread_setaffinity_np(pthread_self(), sizeof one, &one);
            return;
        }
    }
}

/* Waits at a sentence boundary until the monitor has made the pause; false if
 * training must stop. */
static bool park(struct worker *w) {
    struct trainer *trainer = w->trainer;
    pthread_mutex_lock(&trainer->lock);
    trainer->parked++;
    pthread_cond_signal(&trainer->to_monitor);
    const uint64_t generation = trainer->generation;
    while (trainer->generation == generation)
        pthread_cond_wait(&trainer->to_workers, &trainer->lock);
    pthread_mutex_unlock(&trainer->lock);
    return !atomic_load(&trainer->stop);
}

static void *run_worker_epoch(void *arg) {
    struct worker *w = arg;
    struct trainer *trainer = w->trainer;
    const struct w2v_encoded_corpus *corpus = trainer->corpus;
    if (trainer->config->pin_threads) pin_to_cpu(w->index);
    const bool may_park = !pthread_equal(pthread_self(), trainer->caller);
    const bool combining = trainer->combine > 1;
    const bool may_steal = trainer->config->threads > 1;
    double loss_sum = w->loss_sum;
    uint64_t kept_total = w->kept_total, unpublished_words = w->unpublished_words;
    float lr = w->lr;
    bool stopped = false;
    while (!stopped) {
        if (w->range >= w->range_count) {
            /* The share is done. Its block was trained and its words published
             * at its last sentence, unless a thief took the ranges after the
             * one it was in once that was checked (share_ends). */
            if (combining && w->block.raw_words > 0)
                loss_sum += finish_block(w, lr, &kept_total, &unpublished_words);
            if (unpublished_words > 0 &&
                !publish_words(w, &unpublished_words, loss_sum, kept_total, &lr))
                break;
            if (!may_steal || atomic_load_explicit(&trainer->stop, memory_order_relaxed) ||
                !steal_range(w))
                break;
        }
        struct w2v_train_range *range = &w->ranges[w->range];
        uint64_t s = range->first;
        /* the codes of the range's first sentence; decoded forward from here on */
        const uint8_t *codes = w2v_encoded_seek(corpus, corpus->sentence_starts[s]);
        for (; s < range->end; s++) {
            /* A sentence boundary: park here when a pause is due. Parking is safe
             * on any other thread: the monitor (job 0, run on the caller's thread
             * after every worker is started) leaves only once no worker runs, so
             * it releases us even if it has not started yet. A worker that checked
             * for the monitor instead would run on past the pause while the
             * monitor was still starting (test_shares_interleave… failed so). */
            uint64_t seen = atomic_load_explicit(&trainer->words_done, memory_order_relaxed) +
                            unpublished_words;
            if (seen >= atomic_load_explicit(&trainer->pause_at, memory_order_relaxed) &&
                may_park && w->block.raw_words == 0 /* a combining block is done */) {
                range->first = s;
                w->lr = lr, w->unpublished_words = unpublished_words;
                w->loss_sum = loss_sum, w->kept_total = kept_total;
                if (!park(w)) {
                    stopped = true;
                    break;
                }
            }
            uint32_t length =
                (uint32_t)(corpus->sentence_starts[s + 1] - corpus->sentence_starts[s]);
            uint32_t kept = 0;
            for (uint32_t p = 0; p < length; p++) {
                const uint32_t id = w2v_idcode_get(&codes);
                if (w2v_subsample_keep(&trainer->subsample, id, (uint32_t)w2v_rng_next(&w->rng)))
                    w->kept[kept++] = id;
            }
            const bool share_ends = s + 1 == range->end && last_range(w);
            if (!combining) {
                loss_sum += train_sentence(w, w->kept, kept, lr);
                kept_total += kept;
                unpublished_words += length;
            } else {
                w2v_combine_append(&w->block, w->kept, kept, length);
                if (w->block.length >= COMBINE_BLOCK_WORDS ||
                    w->block.raw_words >= trainer->block_raw_words || share_ends)
                    loss_sum += finish_block(w, lr, &kept_total, &unpublished_words);
            }
            if ((unpublished_words >= PUBLISH_EVERY_WORDS || share_ends) &&
                !publish_words(w, &unpublished_words, loss_sum, kept_total, &lr)) {
                stopped = true;
                s++;
                break;
            }
        }
        range->first = s;
        if (s == range->end) next_range(w);
    }
    w->lr = lr, w->unpublished_words = unpublished_words;
    w->loss_sum = loss_sum, w->kept_total = kept_total;
    pthread_mutex_lock(&trainer->lock);
    trainer->running--;
    pthread_cond_signal(&trainer->to_monitor);
    pthread_mutex_unlock(&trainer->lock);
    return NULL;
}

/* ---- pauses ---- */

/* The next word count at which a worker asks for a pause, after `done` words. */
static uint64_t next_word_pause(const struct w2v_train_config *config, uint64_t done) {
    uint64_t next = NO_PAUSE;
    if (config->pause_every_words)
        next = (done / config->pause_every_words + 1) * config->pause_every_words;
    if (config->pause_at_words > done && config->pause_at_words < next)
        next = config->pause_at_words;
    return next;
}

/* The largest count a worker compares with pause_at (workers parked or done):
 * the next word pause must lie beyond it, or a worker would ask again at once. */
static uint64_t furthest_seen(const struct trainer *trainer) {
    uint64_t unpublished = 0;
    for (uint32_t t = 0; t < trainer->config->threads; t++)
        if (trainer->workers[t].unpublished_words > unpublished)
            unpublished = trainer->workers[t].unpublished_words;
    return atomic_load(&trainer->words_done) + unpublished;
}

/* Copies every worker's state into trainer->state (workers parked or done). */
static void capture_state(struct trainer *trainer, double now) {
    struct w2v_train_state *state = &trainer->state;
    const struct w2v_train_report *report = trainer->report;
    state->epoch = trainer->epoch;
    state->words_done = atomic_load(&trainer->words_done);
    state->words_elsewhere = atomic_load(&trainer->words_elsewhere);
    state->seconds = trainer->seconds_before + (now > 0 ? now - trainer->epoch_start : 0);
    state->kept_words = report->kept_words;
    state->predictions = report->predictions;
    memcpy(state->epoch_loss, report->epoch_loss, sizeof state->epoch_loss);
    state->threads = trainer->config->threads;
    for (uint32_t t = 0; t < state->threads; t++) {
        const struct worker *w = &trainer->workers[t];
        state->workers[t] = (struct w2v_train_worker_state){
            .rng = w->rng,
            .ranges = w->ranges + w->range,
            .range_count = w->range_count - w->range,
            .learning_rate = w->lr,
            .unpublished_words = w->unpublished_words,
            .loss_sum = w->loss_sum,
            .predictions = w->step.predictions,
            .kept_words = w->kept_total,
            .flops = w->step.loss.flops,
        };
    }
}

/* Runs on_pause on a consistent state; `now` is 0 between epochs. Records its answer. */
static int make_pause(struct trainer *trainer, double now) {
    const struct w2v_train_config *config = trainer->config;
    trainer->pause_pending = false;
    if (!config->on_pause) return 0;
    capture_state(trainer, now);
    uint64_t words_elsewhere = atomic_load(&trainer->words_elsewhere);
    const struct w2v_train_pause pause = {
        .model = trainer->model,
        .state = &trainer->state,
        .progress = &trainer->progress,
        .between_epochs = now == 0,
        .training_over = trainer->epoch == config->epochs,
        .words_elsewhere = &words_elsewhere,
    };
    int status = config->on_pause(config->pause_context, &pause);
    atomic_store(&trainer->words_elsewhere, words_elsewhere);
    trainer->report->pauses++;
    if (status != 0) {
        trainer->pause_status = status < 0 ? -1 : W2V_TRAIN_STOPPED;
        atomic_store(&trainer->stop, true);
    }
    return trainer->pause_status;
}

/* Sets pause_pending when the clock or pause_poll asks for a pause. */
static void check_pause_requests(struct trainer *trainer, double now) {
    const struct w2v_train_config *config = trainer->config;
    if (config->pause_every_seconds > 0 && now >= trainer->next_pause_time) {
        trainer->pause_pending = true;
        trainer->next_pause_time = now + config->pause_every_seconds;
    }
    if (config->pause_poll && config->pause_poll(config->pause_context))
        trainer->pause_pending = true;
}

/* Job 0 of an epoch: makes the pauses the workers or the clock ask for and
 * prints progress, until every worker has left its loop. */
static void monitor_epoch(struct trainer *trainer) {
    pthread_mutex_lock(&trainer->lock);
    while (trainer->running > 0) {
        if (trainer->parked > 0 || trainer->pause_pending) {
            trainer->pause_pending = true;
            atomic_store(&trainer->pause_at, 0); /* everyone parks at the next sentence */
            if (trainer->parked == trainer->running) {
                pthread_mutex_unlock(&trainer->lock);
                make_pause(trainer, w2v_now());
                atomic_store(&trainer->pause_at,
                             next_word_pause(trainer->config, furthest_seen(trainer)));
                pthread_mutex_lock(&trainer->lock);
                trainer->parked = 0;
                trainer->generation++;
                pthread_cond_broadcast(&trainer->to_workers);
                continue;
            }
        }
        double wake = w2v_now() + MONITOR_POLL_SECONDS;
        struct timespec deadline = {.tv_sec = (time_t)wake,
                                    .tv_nsec = (long)((wake - floor(wake)) * 1e9)};
        pthread_cond_timedwait(&trainer->to_monitor, &trainer->lock, &deadline);
        if (trainer->parked > 0) continue;
        pthread_mutex_unlock(&trainer->lock);
        check_pause_requests(trainer, w2v_now());
        w2v_progress_tick(&trainer->progress);
        pthread_mutex_lock(&trainer->lock);
    }
    pthread_mutex_unlock(&trainer->lock);
}

/* ---- set-up ---- */

static uint64_t first_sentence_at_or_after(const struct w2v_encoded_corpus *corpus,
                                           uint64_t token) {
    uint64_t low = 0, high = corpus->sentence_count;
    while (low < high) {
        uint64_t mid = low + (high - low) / 2;
        if (corpus->sentence_starts[mid] < token)
            low = mid + 1;
        else
            high = mid;
    }
    return low;
}

static uint32_t longest_sentence(const struct w2v_encoded_corpus *corpus) {
    uint64_t longest = 0;
    for (uint64_t s = 0; s < corpus->sentence_count; s++) {
        uint64_t length = corpus->sentence_starts[s + 1] - corpus->sentence_starts[s];
        if (length > longest) longest = length;
    }
    return (uint32_t)longest;
}

static void set_ranges(struct worker *w, const struct w2v_train_range *ranges, uint32_t count) {
    if (count > w->range_capacity) {
        w->ranges = w2v_xrealloc(w->ranges, count * sizeof *w->ranges);
        w->range_capacity = count;
    }
    if (count) memcpy(w->ranges, ranges, count * sizeof *ranges);
    w->range = 0;
    w->range_count = count;
}

/* Appends sentences [first, end) to w's share, joined to its last range when they follow on. */
static void add_range(struct worker *w, uint64_t first, uint64_t end) {
    if (first >= end) return;
    if (w->range_count > 0 && w->ranges[w->range_count - 1].end == first) {
        w->ranges[w->range_count - 1].end = end;
        return;
    }
    if (w->range_count == w->range_capacity) {
        w->range_capacity = w->range_capacity ? 2 * w->range_capacity : 4;
        w->ranges = w2v_xrealloc(w->ranges, w->range_capacity * sizeof *w->ranges);
    }
    w->ranges[w->range_count++] = (struct w2v_train_range){first, end};
}

/* Shares are interleaved blocks, not one contiguous slice per worker: block k
 * (the sentences starting in tokens [k·B, (k+1)·B)) goes to worker k mod G of
 * all G = parts × threads workers of every process, so at any moment every
 * worker is at about the same place in the corpus, as a single thread would
 * be. A corpus is rarely in random order (sources, topics, dates follow each
 * other), and with contiguous slices it is learned in another order at every
 * thread count: on real-en (1 epoch, skip-gram, 3 seeds) 2 threads with slices
 * lost 0.87 analogy points against 1 thread, and on the same lines shuffled
 * they lost none. B keeps a worker's share at SHARE_BLOCKS_PER_WORKER blocks
 * or fewer (at least SHARE_BLOCK_MIN_TOKENS tokens a block), so workers are
 * never more than G blocks apart. One thread gets one range, as before. */
enum { SHARE_BLOCKS_PER_WORKER = 256, SHARE_BLOCK_MIN_TOKENS = 1024 };

static uint64_t share_block_tokens(const struct trainer *trainer) {
    const struct w2v_train_config *config = trainer->config;
    const uint64_t workers = (uint64_t)(config->parts ? config->parts : 1) * config->threads;
    const uint64_t b = trainer->corpus->token_count / (workers * SHARE_BLOCKS_PER_WORKER) + 1;
    return b > SHARE_BLOCK_MIN_TOKENS ? b : SHARE_BLOCK_MIN_TOKENS;
}

/* Deals the sentences of `r`, block by block, to this process's workers: with
 * whole_corpus over all G workers of every process (a fresh epoch; blocks of
 * other processes are skipped), otherwise over this process's threads only
 * (what is left of a saved state). */
static void deal_range(struct trainer *trainer, struct w2v_train_range r, bool whole_corpus) {
    const struct w2v_encoded_corpus *corpus = trainer->corpus;
    const struct w2v_train_config *config = trainer->config;
    const uint64_t threads = config->threads;
    const uint64_t parts = whole_corpus && config->parts ? config->parts : 1;
    const uint64_t block = share_block_tokens(trainer);
    for (uint64_t s = r.first; s < r.end;) {
        const uint64_t k = corpus->sentence_starts[s] / block;
        uint64_t next = first_sentence_at_or_after(corpus, (k + 1) * block); /* > s */
        if (next > r.end) next = r.end;
        const uint64_t g = k % (parts * threads);
        if (!whole_corpus || g / threads == config->part)
            add_range(&trainer->workers[g % threads], s, next);
        s = next;
    }
}

/* A fresh epoch: this process's blocks of the corpus dealt to its workers. */
static void start_epoch(struct trainer *trainer) {
    const struct w2v_encoded_corpus *corpus = trainer->corpus;
    const uint32_t threads = trainer->config->threads;
    const float lr = learning_rate(trainer);
    for (uint32_t t = 0; t < threads; t++) trainer->workers[t].range_count = 0;
    deal_range(trainer, (struct w2v_train_range){0, corpus->sentence_count}, true);
    for (uint32_t t = 0; t < threads; t++) {
        struct worker *w = &trainer->workers[t];
        w->range = 0;
        w->lr = lr;
        w->unpublished_words = 0;
        w->loss_sum = 0;
        w->kept_total = 0;
        w->step.predictions = 0;
        publish(w, 0, 0, 0);
    }
}

/* Checks a saved state against this corpus and configuration. */
static int check_state(const struct trainer *trainer, const struct w2v_train_state *state) {
    const struct w2v_encoded_corpus *corpus = trainer->corpus;
    if (state->epoch >= trainer->config->epochs)
        return w2v_error("the saved state is at epoch %u of a %u-epoch run: nothing to resume",
                         state->epoch + 1, trainer->config->epochs);
    if (state->words_done > trainer->total_words || state->threads == 0)
        return w2v_error("the saved state does not fit this corpus (%" PRIu64
                         " words done of %" PRIu64 ")",
                         state->words_done, trainer->total_words);
    for (uint32_t t = 0; t < state->threads; t++) {
        const struct w2v_train_worker_state *ws = &state->workers[t];
        for (uint32_t r = 0; r < ws->range_count; r++)
            if (ws->ranges[r].first > ws->ranges[r].end ||
                ws->ranges[r].end > corpus->sentence_count)
                return w2v_error("the saved state's worker %u has sentences beyond this corpus", t);
    }
    return 0;
}

static int compare_ranges(const void *a, const void *b) {
    const uint64_t x = ((const struct w2v_train_range *)a)->first;
    const uint64_t y = ((const struct w2v_train_range *)b)->first;
    return (x > y) - (x < y);
}

/* Continues a saved state. Same thread count: every worker exactly as it was.
 * Another: the sentences left are dealt again, block by block in corpus order,
 * to the `threads` workers (deal_range); workers that existed keep their generators, new ones
 * get fresh streams; the running sums go to worker 0. */
static void restore_state(struct trainer *trainer, const struct w2v_train_state *state) {
    const struct w2v_train_config *config = trainer->config;
    const uint32_t threads = config->threads;
    atomic_store(&trainer->words_done, state->words_done);
    atomic_store(&trainer->words_elsewhere, state->words_elsewhere);
    trainer->epoch = state->epoch;
    trainer->seconds_before = state->seconds;
    struct w2v_train_report *report = trainer->report;
    report->kept_words = state->kept_words;
    report->predictions = state->predictions;
    memcpy(report->epoch_loss, state->epoch_loss, sizeof report->epoch_loss);
    if (state->threads == threads) {
        for (uint32_t t = 0; t < threads; t++) {
            struct worker *w = &trainer->workers[t];
            const struct w2v_train_worker_state *ws = &state->workers[t];
            w->rng = ws->rng;
            set_ranges(w, ws->ranges, ws->range_count);
            w->lr = ws->learning_rate;
            w->unpublished_words = ws->unpublished_words;
            w->loss_sum = ws->loss_sum;
            w->kept_total = ws->kept_words;
            w->step.predictions = ws->predictions;
            w->step.loss.flops = ws->flops;
            publish(w, w->loss_sum, w->step.predictions, w->kept_total);
        }
        return;
    }
    struct worker *first = &trainer->workers[0];
    for (uint32_t t = 0; t < threads; t++) {
        struct worker *w = &trainer->workers[t];
        w->range_count = w->range = 0;
        w->lr = learning_rate(trainer);
        w->unpublished_words = 0, w->loss_sum = 0, w->kept_total = 0, w->step.predictions = 0;
        if (t < state->threads)
            w->rng = state->workers[t].rng;
        else
            w2v_rng_seed(&w->rng, config->seed ^ state->words_done, t + 1);
    }
    for (uint32_t o = 0; o < state->threads; o++) {
        const struct w2v_train_worker_state *ws = &state->workers[o];
        first->unpublished_words += ws->unpublished_words;
        first->loss_sum += ws->loss_sum;
        first->kept_total += ws->kept_words;
        first->step.predictions += ws->predictions;
        first->step.loss.flops += ws->flops;
    }
    /* What is left, in corpus order, dealt again block by block. */
    uint64_t count = 0;
    for (uint32_t o = 0; o < state->threads; o++) count += state->workers[o].range_count;
    struct w2v_train_range *left = w2v_xmalloc((count ? count : 1) * sizeof *left);
    count = 0;
    for (uint32_t o = 0; o < state->threads; o++)
        for (uint32_t r = 0; r < state->workers[o].range_count; r++)
            left[count++] = state->workers[o].ranges[r];
    qsort(left, count, sizeof *left, compare_ranges);
    for (uint64_t i = 0; i < count; i++) deal_range(trainer, left[i], false);
    w2v_free(left);
    for (uint32_t t = 0; t < threads; t++) {
        struct worker *w = &trainer->workers[t];
        publish(w, w->loss_sum, w->step.predictions, w->kept_total);
    }
}

static void worker_free(struct worker *w);

static int worker_init(struct worker *w, struct trainer *trainer, uint32_t index,
                       uint32_t max_sentence) {
    const struct w2v_train_config *config = trainer->config;
    memset(w, 0, sizeof *w);
    pthread_mutex_init(&w->share_lock, NULL);
    w->trainer = trainer;
    w->index = index;
    w2v_rng_seed(&w->rng, config->seed, (uint64_t)config->part * config->threads + index + 1);
    const uint32_t max_contexts = 2 * config->window;
    const struct w2v_step_config step_config = {
        .model = config->model,
        .loss = config->loss,
        .batch = config->batch,
        .cbow_update = config->cbow_update,
        .hs_pair_nodes = config->hs_pair_nodes,
        .negative = config->negative,
        .max_contexts = max_contexts,
        .combine = trainer->combine,
        .kernels = trainer->kernels,
        .sampler = &trainer->sampler,
        .tree = w2v_loss_uses_tree(config->loss) ? &trainer->tree : NULL,
    };
    if (w2v_step_init(&w->step, &step_config, trainer->model, &w->rng) != 0) return -1;
    w->step.loss.draw_ahead = true;
    w->kept = w2v_xmalloc((max_sentence + 1ull) * sizeof *w->kept);
    const uint32_t combine = trainer->combine;
    w->contexts = w2v_xmalloc((size_t)max_contexts * sizeof *w->contexts);
    if (combine > 1) {
        /* a block fills up to COMBINE_BLOCK_WORDS, then takes one more sentence at most */
        if (w2v_combine_init(&w->block, COMBINE_BLOCK_WORDS + max_sentence,
                             trainer->model->vocab_size) != 0) {
            worker_free(w);
            return -1;
        }
        for (int i = 0; i < 2; i++) {
            struct combined_step *step = &w->steps[i];
            step->windows = w2v_xmalloc(combine * sizeof *step->windows);
            step->contexts = w2v_xmalloc((size_t)max_contexts * combine * sizeof *step->contexts);
            step->negatives = w2v_xmalloc((2ull * config->negative + 1) * sizeof *step->negatives);
        }
    }
    return 0;
}

static void worker_free(struct worker *w) {
    pthread_mutex_destroy(&w->share_lock);
    w2v_step_free(&w->step);
    w2v_free(w->kept);
    w2v_free(w->contexts);
    w2v_free(w->ranges);
    w2v_combine_free(&w->block);
    for (int i = 0; i < 2; i++) {
        w2v_free(w->steps[i].windows);
        w2v_free(w->steps[i].contexts);
        w2v_free(w->steps[i].negatives);
    }
}

static void sum_workers(struct worker *workers, uint32_t threads, double *loss_sum,
                        uint64_t *predictions, uint64_t *kept) {
    *loss_sum = 0, *predictions = 0, *kept = 0;
    for (uint32_t t = 0; t < threads; t++) {
        *loss_sum += atomic_load_explicit(&workers[t].published_loss, memory_order_relaxed);
        *predictions +=
            atomic_load_explicit(&workers[t].published_predictions, memory_order_relaxed);
        *kept += atomic_load_explicit(&workers[t].published_kept, memory_order_relaxed);
    }
}

/* What the progress monitor shows, read racily but atomically from the workers. */
static void sample_progress(void *context, struct w2v_progress_sample *sample) {
    struct trainer *trainer = context;
    double loss_sum;
    uint64_t predictions, kept;
    sum_workers(trainer->workers, trainer->config->threads, &loss_sum, &predictions, &kept);
    sample->words_done = atomic_load_explicit(&trainer->words_done, memory_order_relaxed) +
                         atomic_load_explicit(&trainer->words_elsewhere, memory_order_relaxed);
    sample->total_words = trainer->total_words;
    sample->learning_rate = learning_rate(trainer);
    sample->loss = predictions ? loss_sum / (double)predictions : NAN;
    sample->epoch = trainer->epoch;
}

/* One job of an epoch's fork-join: a worker's share, or (worker NULL) the monitor. */
struct epoch_job {
    struct trainer *trainer;
    struct worker *worker;
};

static void *run_epoch_job(void *arg) {
    struct epoch_job *job = arg;
    if (job->worker) return run_worker_epoch(job->worker);
    monitor_epoch(job->trainer);
    return NULL;
}

static void trainer_free(struct trainer *trainer) {
    w2v_sampler_free(&trainer->sampler);
    w2v_huffman_free(&trainer->tree);
    w2v_subsample_free(&trainer->subsample);
    pthread_mutex_destroy(&trainer->lock);
    pthread_cond_destroy(&trainer->to_monitor);
    pthread_cond_destroy(&trainer->to_workers);
    w2v_free(trainer->state.workers);
}

/* The model as given (checked) or, when not allocated yet, initialised. */
static int prepare_model(struct trainer *trainer, const struct w2v_vocab *vocab) {
    struct w2v_model *model = trainer->model;
    const struct w2v_train_config *config = trainer->config;
    const uint32_t output_rows = trainer->loss_ops->output_rows(vocab->size);
    if (!config->keep_model) {
        w2v_model_init(model, vocab->size, output_rows, config->dim, config->seed, config->threads);
        return 0;
    }
    if (model->vocab_size != vocab->size || model->output_rows != output_rows ||
        model->dim != config->dim)
        return w2v_error("the starting model has %u rows, %u output rows and dimension %u; "
                         "training needs %u, %u and %u",
                         model->vocab_size, model->output_rows, model->dim, vocab->size,
                         output_rows, config->dim);
    return 0;
}

int w2v_train(struct w2v_model *model, const struct w2v_encoded_corpus *corpus,
              const struct w2v_vocab *vocab, const struct w2v_train_config *config,
              struct w2v_train_report *report) {
    memset(report, 0, sizeof *report);
    if (config->epochs == 0 || config->epochs > W2V_MAX_EPOCHS)
        return w2v_error("epochs must be from 1 to %d", W2V_MAX_EPOCHS);
    if (config->part >= (config->parts ? config->parts : 1))
        return w2v_error("part %u of %u does not exist (parts are numbered from 0)", config->part,
                         config->parts);
    if (config->dim == 0 || config->window == 0 || config->threads == 0)
        return w2v_error("dim, window and threads must be at least 1 (w2v_train_config_default "
                         "sets every field)");
    if (w2v_loss_uses_negatives(config->loss) && config->negative == 0)
        return w2v_error("negative sampling needs at least one negative sample");
    const uint32_t combine = w2v_train_combine(config);
    if (combine > W2V_MAX_COMBINE)
        return w2v_error("combine must be from 1 to %d windows", W2V_MAX_COMBINE);
    if (combine > 1 && !combine_applies(config))
        return w2v_error("combining windows (combine %u) needs skip-gram with negative sampling "
                         "alone and window batches",
                         combine);
    if (vocab->size == 0 || corpus->token_count == 0)
        return w2v_error("nothing to train on: the vocabulary or the corpus is empty");
    struct trainer trainer = {.config = config,
                              .combine = combine,
                              .block_raw_words = UINT64_MAX,
                              .corpus = corpus,
                              .model = model,
                              .report = report};
    if (config->parts > 1 && config->pause_every_words) {
        const uint64_t share =
            config->pause_every_words / ((uint64_t)config->parts * config->threads);
        trainer.block_raw_words = share > 0 ? share : 1;
    }
    trainer.kernels = w2v_kernels_get();
    trainer.loss_ops = w2v_loss_ops_for(config->loss);
    if (!trainer.loss_ops)
        return w2v_error("loss '%s' is not available", w2v_loss_name(config->loss));
    if (prepare_model(&trainer, vocab) != 0) return -1;
    if (w2v_sampler_init(&trainer.sampler, vocab->table.counts, vocab->size, config->ns_exponent) !=
        0)
        return -1;
    if (w2v_loss_uses_tree(config->loss) &&
        w2v_huffman_build(&trainer.tree, vocab->table.counts, vocab->size) != 0) {
        w2v_sampler_free(&trainer.sampler);
        return -1;
    }
    w2v_subsample_init(&trainer.subsample, vocab->table.counts, vocab->size, corpus->token_count,
                       config->sample);
    trainer.total_words = corpus->token_count * config->epochs;
    pthread_mutex_init(&trainer.lock, NULL);
    pthread_condattr_t attributes;
    pthread_condattr_init(&attributes);
    pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC);
    pthread_cond_init(&trainer.to_monitor, &attributes);
    pthread_condattr_destroy(&attributes);
    pthread_cond_init(&trainer.to_workers, NULL);
    trainer.caller = pthread_self();

    const uint32_t threads = config->threads;
    const uint32_t max_sentence = longest_sentence(corpus);
    struct worker *workers = w2v_alloc_aligned(threads * sizeof *workers);
    trainer.workers = workers;
    trainer.state.workers = w2v_xcalloc(threads, sizeof *trainer.state.workers);
    uint32_t ready = 0;
    while (ready < threads && worker_init(&workers[ready], &trainer, ready, max_sentence) == 0)
        ready++;
    if (ready < threads || (config->resume && check_state(&trainer, config->resume) != 0)) {
        for (uint32_t t = 0; t < ready; t++) worker_free(&workers[t]);
        w2v_free(workers);
        trainer_free(&trainer);
        return -1;
    }
    bool resumed = config->resume != NULL;
    if (resumed) restore_state(&trainer, config->resume);
    /* Job 0 is the monitor, on this thread; jobs 1..threads are the workers. */
    struct epoch_job *jobs = w2v_xcalloc(threads + 1ull, sizeof *jobs);
    for (uint32_t t = 0; t <= threads; t++)
        jobs[t] = (struct epoch_job){&trainer, t ? &workers[t - 1] : NULL};
    const uint64_t start_words = atomic_load(&trainer.words_done);
    w2v_progress_init(&trainer.progress, config->quiet, config->epochs, sample_progress, &trainer,
                      start_words);
    trainer.next_pause_time = w2v_now() + config->pause_every_seconds;
    atomic_store(&trainer.pause_at, next_word_pause(config, furthest_seen(&trainer)));

    struct w2v_vectors view;
    w2v_train_vectors_view(model, vocab, &view);
    int status = 0;
    for (uint32_t epoch = trainer.epoch; epoch < config->epochs && status == 0; epoch++) {
        trainer.epoch = epoch;
        if (!resumed) start_epoch(&trainer);
        resumed = false;
        /* A pause asked for as the last epoch ended (by a worker's word count, the
         * clock, pause_poll or pause_after_epoch) is made here, between epochs. */
        check_pause_requests(&trainer, w2v_now());
        if (atomic_load(&trainer.pause_at) <= atomic_load(&trainer.words_done))
            trainer.pause_pending = true;
        if (trainer.pause_pending && make_pause(&trainer, 0) != 0) break;
        atomic_store(&trainer.pause_at, next_word_pause(config, furthest_seen(&trainer)));
        const uint64_t words_at_start = atomic_load(&trainer.words_done);
        trainer.epoch_start = w2v_now();
        trainer.running = threads;
        trainer.parked = 0;
        w2v_run_parallel(run_epoch_job, jobs, sizeof *jobs, threads + 1);
        const double epoch_seconds = w2v_now() - trainer.epoch_start;
        trainer.seconds_before += epoch_seconds;
        if (trainer.pause_status != 0) break; /* stopped (or failed) in a pause */

        double loss_sum;
        uint64_t predictions, kept;
        sum_workers(workers, threads, &loss_sum, &predictions, &kept);
        double epoch_loss = predictions ? loss_sum / (double)predictions : 0;
        report->epoch_loss[epoch] = epoch_loss;
        report->loss = epoch_loss;
        report->kept_words += kept;
        report->predictions += predictions;
        report->epochs_done = epoch + 1;
        if (atomic_load(&trainer.failed) || !isfinite(epoch_loss)) {
            status = w2v_error("training diverged: the loss became %s in epoch %u at learning "
                               "rate %g (try a smaller --alpha)",
                               isnan(loss_sum) ? "NaN" : "infinite", epoch + 1,
                               (double)atomic_load(&trainer.failed_lr));
            break;
        }
        w2v_progress_epoch_end(&trainer.progress, epoch, epoch_loss,
                               atomic_load(&trainer.words_done) - words_at_start, epoch_seconds,
                               learning_rate(&trainer));
        if (config->on_epoch_end &&
            config->on_epoch_end(config->on_epoch_context, epoch, &view) != 0)
            status = -1;
        if (config->pause_after_epoch) trainer.pause_pending = true;
    }
    if (status == 0 && trainer.pause_status != 0) status = trainer.pause_status;
    if (status == 0 && config->on_pause) { /* the last pause: training is over */
        trainer.epoch = config->epochs;
        if (make_pause(&trainer, 0) < 0) status = -1;
    }
    if (status == W2V_TRAIN_STOPPED) { /* the stopped epoch's figures so far */
        double loss_sum;
        uint64_t predictions, kept;
        sum_workers(workers, threads, &loss_sum, &predictions, &kept);
        report->loss = predictions ? loss_sum / (double)predictions : 0;
    }

    for (uint32_t t = 0; t < threads; t++) {
        report->flops += workers[t].step.loss.flops;
        worker_free(&workers[t]);
    }
    report->corpus_words = corpus->token_count;
    report->words_done = atomic_load(&trainer.words_done) - start_words;
    report->seconds = trainer.seconds_before - (config->resume ? config->resume->seconds : 0);
    report->words_per_sec = report->seconds > 0 ? report->words_done / report->seconds : 0;
    uint64_t kept_before = 0; /* kept words of a resumed run's earlier processes */
    if (config->resume) {
        kept_before = config->resume->kept_words;
        for (uint32_t t = 0; t < config->resume->threads; t++)
            kept_before += config->resume->workers[t].kept_words;
    }
    report->kept_words_per_sec =
        report->seconds > 0 ? (report->kept_words - kept_before) / report->seconds : 0;
    report->isa = trainer.kernels->isa_name;
    w2v_train_vectors_free(&view);
    w2v_free(jobs);
    w2v_free(workers);
    trainer_free(&trainer);
    return status;
}

void w2v_train_vectors_view(const struct w2v_model *model, const struct w2v_vocab *vocab,
                            struct w2v_vectors *view) {
    view->count = vocab->size;
    view->dim = model->dim;
    view->stride = model->stride;
    view->rows = model->input;
    view->owned = false;
    view->words = w2v_xmalloc((vocab->size + 1ull) * sizeof *view->words);
    for (uint32_t id = 0; id < vocab->size; id++)
        view->words[id] = (char *)w2v_vocab_word(vocab, id);
}

void w2v_train_vectors_free(struct w2v_vectors *view) {
    w2v_free(view->words);
    view->words = NULL;
}
