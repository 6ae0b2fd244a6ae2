/* train.c — the Hogwild worker threads, their shards, and the learning-rate schedule. */
#include "w2v/train.h"

#include "w2v/alloc.h"
#include "w2v/error.h"
#include "w2v/huffman.h"
#include "w2v/parallel.h"
#include "w2v/progress.h"
#include "w2v/subsample.h"
#include "w2v/timer.h"

#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Words a worker trains between updates of the shared word counter and learning rate. */
enum { PUBLISH_EVERY_WORDS = 10000 };

struct trainer; /* shared by all workers */

/* One worker's state, kept across epochs; aligned so workers never share a cache line. */
struct worker {
    _Alignas(W2V_CACHE_LINE) struct trainer *trainer;
    uint32_t index;
    uint64_t first_sentence, end_sentence;
    struct w2v_rng rng;
    struct w2v_step step;
    uint32_t *kept;     /* the current sentence after subsampling */
    uint32_t *contexts; /* the context words of one window */
    /* Epoch statistics: written by this worker only, read by the progress monitor. */
    _Atomic double loss_sum;
    _Atomic uint64_t predictions;
    _Atomic uint64_t kept_words;
    _Alignas(W2V_CACHE_LINE) char end_padding;
};

struct trainer {
    const struct w2v_train_config *config;
    const struct w2v_encoded_corpus *corpus;
    struct w2v_model *model;
    const struct w2v_kernels *kernels;
    const struct w2v_loss_ops *loss_ops;
    struct w2v_sampler sampler;
    struct w2v_huffman tree; /* hierarchical softmax only */
    struct w2v_subsample subsample;
    uint64_t total_words; /* corpus words × epochs: the schedule's horizon */
    _Atomic uint64_t words_done;
    _Atomic int failed; /* set by a worker that saw a non-finite loss */
    _Atomic float failed_lr;
    uint32_t epoch;
    struct w2v_progress progress;
};

void w2v_train_config_default(struct w2v_train_config *config) {
    *config = (struct w2v_train_config){
        .model = W2V_MODEL_SKIPGRAM,
        .loss = W2V_LOSS_NS,
        .batch = W2V_BATCH_WINDOW,
        .cbow_update = W2V_CBOW_SUM,
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
    };
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
    double done = (double)atomic_load_explicit(&trainer->words_done, memory_order_relaxed);
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

static double train_sentence(struct worker *w, const uint32_t *sentence, uint32_t length,
                             float lr) {
    const uint32_t window = w->trainer->config->window;
    const bool shrink = w->trainer->config->shrink_windows;
    double loss = 0;
    for (uint32_t i = 0; i < length; i++) {
        /* word2vec's shrink: a radius from 1..window. The draw is made either way, so
         * --shrink-windows 0 changes nothing else in the random stream. */
        uint32_t radius = window - w2v_rng_below(&w->rng, window);
        if (!shrink) radius = window;
        uint32_t contexts = gather_context(w->contexts, sentence, length, i, radius);
        if (contexts == 0) continue;
        loss += w2v_step_window(&w->step, w->contexts, contexts, sentence[i], lr, W2V_UPDATE);
    }
    return loss;
}

/* ---- one worker's epoch ---- */

static void publish(struct worker *w, double loss_sum, uint64_t predictions, uint64_t kept) {
    atomic_store_explicit(&w->loss_sum, loss_sum, memory_order_relaxed);
    atomic_store_explicit(&w->predictions, predictions, memory_order_relaxed);
    atomic_store_explicit(&w->kept_words, kept, memory_order_relaxed);
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

static void *run_worker_epoch(void *arg) {
    struct worker *w = arg;
    struct trainer *trainer = w->trainer;
    const struct w2v_encoded_corpus *corpus = trainer->corpus;
    if (trainer->config->pin_threads) pin_to_cpu(w->index);
    double loss_sum = 0;
    uint64_t kept_total = 0, unpublished_words = 0;
    w->step.predictions = 0;
    float lr = learning_rate(trainer);
    for (uint64_t s = w->first_sentence; s < w->end_sentence; s++) {
        const uint32_t *ids = corpus->ids + corpus->sentence_starts[s];
        uint32_t length = (uint32_t)(corpus->sentence_starts[s + 1] - corpus->sentence_starts[s]);
        uint32_t kept = 0;
        for (uint32_t p = 0; p < length; p++)
            if (w2v_subsample_keep(&trainer->subsample, ids[p], (uint32_t)w2v_rng_next(&w->rng)))
                w->kept[kept++] = ids[p];
        loss_sum += train_sentence(w, w->kept, kept, lr);
        kept_total += kept;
        unpublished_words += length;
        if (unpublished_words >= PUBLISH_EVERY_WORDS || s + 1 == w->end_sentence) {
            atomic_fetch_add_explicit(&trainer->words_done, unpublished_words,
                                      memory_order_relaxed);
            unpublished_words = 0;
            publish(w, loss_sum, w->step.predictions, kept_total);
            if (!isfinite(loss_sum)) {
                atomic_store(&trainer->failed_lr, lr);
                atomic_store(&trainer->failed, 1);
            }
            if (atomic_load_explicit(&trainer->failed, memory_order_relaxed)) break;
            lr = learning_rate(trainer);
        }
    }
    w2v_progress_worker_done(&trainer->progress);
    return NULL;
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

static int worker_init(struct worker *w, struct trainer *trainer, uint32_t index, uint32_t threads,
                       uint32_t max_sentence) {
    const struct w2v_encoded_corpus *corpus = trainer->corpus;
    const struct w2v_train_config *config = trainer->config;
    memset(w, 0, sizeof *w);
    w->trainer = trainer;
    w->index = index;
    w->first_sentence = first_sentence_at_or_after(corpus, corpus->token_count * index / threads);
    w->end_sentence =
        first_sentence_at_or_after(corpus, corpus->token_count * (index + 1ull) / threads);
    w2v_rng_seed(&w->rng, config->seed, index + 1);
    const uint32_t max_contexts = 2 * config->window;
    const struct w2v_step_config step_config = {
        .model = config->model,
        .loss = config->loss,
        .batch = config->batch,
        .cbow_update = config->cbow_update,
        .negative = config->negative,
        .max_contexts = max_contexts,
        .kernels = trainer->kernels,
        .sampler = &trainer->sampler,
        .tree = w2v_loss_uses_tree(config->loss) ? &trainer->tree : NULL,
    };
    if (w2v_step_init(&w->step, &step_config, trainer->model, &w->rng) != 0) return -1;
    w->kept = w2v_xmalloc((max_sentence + 1ull) * sizeof *w->kept);
    w->contexts = w2v_xmalloc(max_contexts * sizeof *w->contexts);
    return 0;
}

static void worker_free(struct worker *w) {
    w2v_step_free(&w->step);
    w2v_free(w->kept);
    w2v_free(w->contexts);
}

static void sum_workers(struct worker *workers, uint32_t threads, double *loss_sum,
                        uint64_t *predictions, uint64_t *kept) {
    *loss_sum = 0, *predictions = 0, *kept = 0;
    for (uint32_t t = 0; t < threads; t++) {
        *loss_sum += atomic_load_explicit(&workers[t].loss_sum, memory_order_relaxed);
        *predictions += atomic_load_explicit(&workers[t].predictions, memory_order_relaxed);
        *kept += atomic_load_explicit(&workers[t].kept_words, memory_order_relaxed);
    }
}

/* What the progress monitor shows, read racily but atomically from the workers. */
struct progress_source {
    struct trainer *trainer;
    struct worker *workers;
};

static void sample_progress(void *context, struct w2v_progress_sample *sample) {
    struct progress_source *source = context;
    double loss_sum;
    uint64_t predictions, kept;
    sum_workers(source->workers, source->trainer->config->threads, &loss_sum, &predictions, &kept);
    sample->words_done = atomic_load_explicit(&source->trainer->words_done, memory_order_relaxed);
    sample->total_words = source->trainer->total_words;
    sample->learning_rate = learning_rate(source->trainer);
    sample->loss = predictions ? loss_sum / (double)predictions : NAN;
    sample->epoch = source->trainer->epoch;
}

/* One job of an epoch's fork-join: a worker's shard, or (worker NULL) the progress watcher. */
struct epoch_job {
    struct trainer *trainer;
    struct worker *worker;
};

static void *run_epoch_job(void *arg) {
    struct epoch_job *job = arg;
    if (job->worker) return run_worker_epoch(job->worker);
    w2v_progress_watch(&job->trainer->progress);
    return NULL;
}

static void trainer_free(struct trainer *trainer) {
    w2v_sampler_free(&trainer->sampler);
    w2v_huffman_free(&trainer->tree);
    w2v_subsample_free(&trainer->subsample);
}

int w2v_train(struct w2v_model *model, const struct w2v_encoded_corpus *corpus,
              const struct w2v_vocab *vocab, const struct w2v_train_config *config,
              struct w2v_train_report *report) {
    memset(report, 0, sizeof *report);
    if (config->epochs == 0 || config->epochs > W2V_MAX_EPOCHS)
        return w2v_error("epochs must be from 1 to %d", W2V_MAX_EPOCHS);
    if (config->dim == 0 || config->window == 0 || config->threads == 0)
        return w2v_error("dim, window and threads must be at least 1 (w2v_train_config_default "
                         "sets every field)");
    if (w2v_loss_uses_negatives(config->loss) && config->negative == 0)
        return w2v_error("negative sampling needs at least one negative sample");
    if (vocab->size == 0 || corpus->token_count == 0)
        return w2v_error("nothing to train on: the vocabulary or the corpus is empty");
    struct trainer trainer = {.config = config, .corpus = corpus, .model = model};
    trainer.kernels = w2v_kernels_get();
    trainer.loss_ops = w2v_loss_ops_for(config->loss);
    if (!trainer.loss_ops)
        return w2v_error("loss '%s' is not available", w2v_loss_name(config->loss));
    w2v_model_init(model, vocab->size, trainer.loss_ops->output_rows(vocab->size), config->dim,
                   config->seed);
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

    const uint32_t threads = config->threads;
    const uint32_t max_sentence = longest_sentence(corpus);
    struct worker *workers = w2v_alloc_aligned(threads * sizeof *workers);
    uint32_t ready = 0;
    while (ready < threads &&
           worker_init(&workers[ready], &trainer, ready, threads, max_sentence) == 0)
        ready++;
    if (ready < threads) {
        for (uint32_t t = 0; t < ready; t++) worker_free(&workers[t]);
        w2v_free(workers);
        trainer_free(&trainer);
        return -1;
    }
    /* Job 0 watches progress on this thread; jobs 1..threads are the workers. */
    struct epoch_job *jobs = w2v_xcalloc(threads + 1ull, sizeof *jobs);
    for (uint32_t t = 0; t <= threads; t++)
        jobs[t] = (struct epoch_job){&trainer, t ? &workers[t - 1] : NULL};
    struct progress_source source = {&trainer, workers};
    w2v_progress_init(&trainer.progress, config->quiet, config->epochs, sample_progress, &source);

    struct w2v_vectors view;
    w2v_train_vectors_view(model, vocab, &view);
    int status = 0;
    double training_seconds = 0;
    for (uint32_t epoch = 0; epoch < config->epochs && status == 0; epoch++) {
        trainer.epoch = epoch;
        for (uint32_t t = 0; t < threads; t++) publish(&workers[t], 0, 0, 0);
        double epoch_start = w2v_now();
        w2v_progress_epoch_start(&trainer.progress, threads);
        w2v_run_parallel(run_epoch_job, jobs, sizeof *jobs, threads + 1);
        double epoch_seconds = w2v_now() - epoch_start;
        training_seconds += epoch_seconds;

        double loss_sum;
        uint64_t predictions, kept;
        sum_workers(workers, threads, &loss_sum, &predictions, &kept);
        double epoch_loss = predictions ? loss_sum / (double)predictions : 0;
        report->epoch_loss[epoch] = epoch_loss;
        report->loss = epoch_loss;
        report->kept_words += kept;
        report->predictions += predictions;
        if (atomic_load(&trainer.failed) || !isfinite(epoch_loss)) {
            status = w2v_error("training diverged: the loss became %s in epoch %u at learning "
                               "rate %g (try a smaller --alpha)",
                               isnan(loss_sum) ? "NaN" : "infinite", epoch + 1,
                               (double)atomic_load(&trainer.failed_lr));
            break;
        }
        w2v_progress_epoch_end(&trainer.progress, epoch, epoch_loss, corpus->token_count,
                               epoch_seconds, learning_rate(&trainer));
        if (config->on_epoch_end &&
            config->on_epoch_end(config->on_epoch_context, epoch, &view) != 0)
            status = -1;
    }

    for (uint32_t t = 0; t < threads; t++) {
        report->flops += workers[t].step.loss.flops;
        worker_free(&workers[t]);
    }
    report->corpus_words = corpus->token_count;
    report->words_done = atomic_load(&trainer.words_done);
    report->seconds = training_seconds;
    report->words_per_sec = training_seconds > 0 ? report->words_done / training_seconds : 0;
    report->kept_words_per_sec = training_seconds > 0 ? report->kept_words / training_seconds : 0;
    report->isa = trainer.kernels->isa_name;
    w2v_train_vectors_free(&view);
    w2v_progress_free(&trainer.progress);
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
