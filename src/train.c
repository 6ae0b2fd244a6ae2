/* train.c — the Hogwild worker threads, their shards, and the learning-rate schedule. */
#include "w2v/train.h"

#include "w2v/alloc.h"
#include "w2v/error.h"
#include "w2v/huffman.h"
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
#include <unistd.h>

/* Words a worker trains between updates of the shared word counter and learning rate. */
enum { PUBLISH_EVERY_WORDS = 10000 };

struct trainer; /* shared by all workers */

/* One worker's state, kept across epochs; aligned so workers never share a cache line. */
struct worker {
    _Alignas(W2V_CACHE_LINE) struct trainer *trainer;
    uint32_t index;
    uint64_t first_sentence, end_sentence;
    struct w2v_rng rng;
    struct w2v_loss_worker loss;
    uint32_t *kept;       /* the current sentence after subsampling */
    const float **inputs; /* input rows of one step */
    float **input_rows;   /* the same rows, writable, for applying updates */
    float **updates;      /* one update row per input */
    float *update_store;
    float *average; /* CBOW's averaged context */
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
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    *config = (struct w2v_train_config){
        .model = W2V_MODEL_SKIPGRAM,
        .loss = W2V_LOSS_NS,
        .batch = W2V_BATCH_WINDOW,
        .cbow_update = W2V_CBOW_SUM,
        .dim = 100,
        .window = 5,
        .negative = 5,
        .epochs = 5,
        .threads = cpus > 0 ? (uint32_t)cpus : 1,
        .alpha = 0,
        .sample = 1e-3,
        .seed = 1,
    };
}

/* The starting learning rate: the configured one, or the model's default. */
static double starting_alpha(const struct w2v_train_config *config) {
    if (config->alpha > 0) return config->alpha;
    return config->model == W2V_MODEL_CBOW ? 0.05 : 0.025;
}

static float learning_rate(const struct trainer *trainer) {
    const double alpha = starting_alpha(trainer->config);
    double done = (double)atomic_load_explicit(&trainer->words_done, memory_order_relaxed);
    double lr = alpha * (1.0 - done / (double)(trainer->total_words + 1));
    return (float)(lr > alpha * 1e-4 ? lr : alpha * 1e-4);
}

/* ---- one sentence ---- */

/* Gathers the context rows of centre i within `radius`; returns how many. */
static uint32_t gather_context(struct worker *w, const uint32_t *sentence, uint32_t length,
                               uint32_t centre, uint32_t radius) {
    const struct w2v_model *model = w->trainer->model;
    uint32_t first = centre > radius ? centre - radius : 0;
    uint32_t last = centre + radius < length - 1 ? centre + radius : length - 1;
    uint32_t count = 0;
    for (uint32_t j = first; j <= last; j++) {
        if (j == centre) continue;
        w->input_rows[count] = w2v_model_input_row(model, sentence[j]);
        w->inputs[count] = w->input_rows[count];
        count++;
    }
    return count;
}

static void clear_updates(struct worker *w, uint32_t count) {
    memset(w->update_store, 0, (size_t)count * w->trainer->model->stride * sizeof(float));
}

/* Skip-gram: contexts predict the centre, as one batched step or one step per pair. */
static double train_skipgram_window(struct worker *w, uint32_t target, uint32_t contexts, float lr,
                                    uint64_t *predictions) {
    const struct w2v_kernels *k = w->trainer->kernels;
    const uint32_t dim = w->trainer->model->dim;
    double loss = 0;
    clear_updates(w, contexts);
    if (w->trainer->config->batch == W2V_BATCH_WINDOW) {
        loss = w->loss.ops->step(&w->loss, w->inputs, contexts, target, lr, w->updates);
        for (uint32_t m = 0; m < contexts; m++) k->axpy(1.0f, w->updates[m], w->input_rows[m], dim);
    } else {
        for (uint32_t m = 0; m < contexts; m++) {
            loss += w->loss.ops->step(&w->loss, w->inputs + m, 1, target, lr, w->updates + m);
            k->axpy(1.0f, w->updates[m], w->input_rows[m], dim);
        }
    }
    w->loss.flops += 2ull * dim * contexts;
    *predictions += contexts;
    return loss;
}

/* CBOW: the mean of the contexts predicts the centre; each context row gets the
 * whole update of the mean (sum) or its exact share, 1/M of it (mean). */
static double train_cbow_window(struct worker *w, uint32_t target, uint32_t contexts, float lr,
                                uint64_t *predictions) {
    const struct w2v_kernels *k = w->trainer->kernels;
    const uint32_t dim = w->trainer->model->dim;
    const float inverse = 1.0f / (float)contexts;
    memset(w->average, 0, dim * sizeof(float));
    for (uint32_t m = 0; m < contexts; m++) k->axpy(inverse, w->inputs[m], w->average, dim);
    clear_updates(w, 1);
    const float *average = w->average;
    double loss = w->loss.ops->step(&w->loss, &average, 1, target, lr, w->updates);
    const float share = w->trainer->config->cbow_update == W2V_CBOW_MEAN ? inverse : 1.0f;
    for (uint32_t m = 0; m < contexts; m++) k->axpy(share, w->updates[0], w->input_rows[m], dim);
    w->loss.flops += 4ull * dim * contexts;
    *predictions += 1;
    return loss;
}

static double train_sentence(struct worker *w, const uint32_t *sentence, uint32_t length, float lr,
                             uint64_t *predictions) {
    const struct w2v_train_config *config = w->trainer->config;
    double loss = 0;
    for (uint32_t i = 0; i < length; i++) {
        uint32_t radius = config->window - w2v_rng_below(&w->rng, config->window);
        uint32_t contexts = gather_context(w, sentence, length, i, radius);
        if (contexts == 0) continue;
        if (config->model == W2V_MODEL_SKIPGRAM)
            loss += train_skipgram_window(w, sentence[i], contexts, lr, predictions);
        else
            loss += train_cbow_window(w, sentence[i], contexts, lr, predictions);
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
    uint64_t predictions = 0, kept_total = 0, unpublished_words = 0;
    float lr = learning_rate(trainer);
    for (uint64_t s = w->first_sentence; s < w->end_sentence; s++) {
        const uint32_t *ids = corpus->ids + corpus->sentence_starts[s];
        uint32_t length = (uint32_t)(corpus->sentence_starts[s + 1] - corpus->sentence_starts[s]);
        uint32_t kept = 0;
        for (uint32_t p = 0; p < length; p++)
            if (w2v_subsample_keep(&trainer->subsample, ids[p], (uint32_t)w2v_rng_next(&w->rng)))
                w->kept[kept++] = ids[p];
        loss_sum += train_sentence(w, w->kept, kept, lr, &predictions);
        kept_total += kept;
        unpublished_words += length;
        if (unpublished_words >= PUBLISH_EVERY_WORDS || s + 1 == w->end_sentence) {
            atomic_fetch_add_explicit(&trainer->words_done, unpublished_words,
                                      memory_order_relaxed);
            unpublished_words = 0;
            publish(w, loss_sum, predictions, kept_total);
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

static void worker_init(struct worker *w, struct trainer *trainer, uint32_t index, uint32_t threads,
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
    uint32_t max_inputs = 2 * config->window;
    w->loss = (struct w2v_loss_worker){.ops = trainer->loss_ops,
                                       .kernels = trainer->kernels,
                                       .model = trainer->model,
                                       .sampler = &trainer->sampler,
                                       .tree = &trainer->tree,
                                       .rng = &w->rng,
                                       .negative = config->negative};
    w2v_loss_worker_init(&w->loss, max_inputs);
    w->kept = w2v_xmalloc((max_sentence + 1ull) * sizeof *w->kept);
    w->inputs = w2v_xmalloc(max_inputs * sizeof *w->inputs);
    w->input_rows = w2v_xmalloc(max_inputs * sizeof *w->input_rows);
    w->updates = w2v_xmalloc(max_inputs * sizeof *w->updates);
    w->update_store =
        w2v_alloc_aligned((size_t)max_inputs * trainer->model->stride * sizeof(float));
    for (uint32_t m = 0; m < max_inputs; m++)
        w->updates[m] = w->update_store + (size_t)m * trainer->model->stride;
    w->average = w2v_alloc_aligned(trainer->model->stride * sizeof(float));
}

static void worker_free(struct worker *w) {
    w2v_loss_worker_free(&w->loss);
    w2v_free(w->kept);
    w2v_free(w->inputs);
    w2v_free(w->input_rows);
    w2v_free(w->updates);
    w2v_free(w->update_store);
    w2v_free(w->average);
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

int w2v_train(struct w2v_model *model, const struct w2v_encoded_corpus *corpus,
              const struct w2v_vocab *vocab, const struct w2v_train_config *config,
              struct w2v_train_report *report) {
    memset(report, 0, sizeof *report);
    if (config->epochs == 0 || config->epochs > W2V_MAX_EPOCHS)
        return w2v_error("epochs must be from 1 to %d", W2V_MAX_EPOCHS);
    struct trainer trainer = {.config = config, .corpus = corpus, .model = model};
    trainer.kernels = w2v_kernels_get();
    trainer.loss_ops = w2v_loss_ops_for(config->loss);
    if (!trainer.loss_ops)
        return w2v_error("loss '%s' is not available", w2v_loss_name(config->loss));
    w2v_model_init(model, vocab->size, trainer.loss_ops->output_rows(vocab->size), config->dim,
                   config->seed);
    if (w2v_sampler_init(&trainer.sampler, vocab->table.counts, vocab->size, 0.75) != 0) return -1;
    if (config->loss == W2V_LOSS_HS &&
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
    for (uint32_t t = 0; t < threads; t++)
        worker_init(&workers[t], &trainer, t, threads, max_sentence);
    pthread_t *handles = w2v_xcalloc(threads, sizeof *handles);
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
        for (uint32_t t = 0; t < threads; t++)
            if (pthread_create(&handles[t], NULL, run_worker_epoch, &workers[t]) != 0) {
                fprintf(stderr, "w2v: cannot start worker thread %u\n", t);
                exit(1);
            }
        w2v_progress_watch(&trainer.progress);
        for (uint32_t t = 0; t < threads; t++) pthread_join(handles[t], NULL);
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
        report->flops += workers[t].loss.flops;
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
    w2v_free(handles);
    w2v_free(workers);
    w2v_sampler_free(&trainer.sampler);
    w2v_huffman_free(&trainer.tree);
    w2v_subsample_free(&trainer.subsample);
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

const char *w2v_model_kind_name(enum w2v_model_kind kind) {
    return kind == W2V_MODEL_SKIPGRAM ? "sg" : "cbow";
}
