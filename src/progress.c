/* progress.c — the monitor that prints training progress (see progress.h). */
#include "w2v/progress.h"

#include "w2v/timer.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

void w2v_format_count(double value, char *out, size_t size) {
    if (value >= 1e9)
        snprintf(out, size, "%.2fG", value / 1e9);
    else if (value >= 1e6)
        snprintf(out, size, "%.2fM", value / 1e6);
    else if (value >= 1e3)
        snprintf(out, size, "%.1fk", value / 1e3);
    else
        snprintf(out, size, "%.0f", value);
}

void w2v_progress_init(struct w2v_progress *progress, bool quiet, uint32_t epochs,
                       void (*sample)(void *, struct w2v_progress_sample *), void *context) {
    progress->quiet = quiet;
    progress->terminal = isatty(STDERR_FILENO);
    progress->epochs = epochs;
    progress->sample = sample;
    progress->context = context;
    pthread_mutex_init(&progress->lock, NULL);
    pthread_condattr_t attributes;
    pthread_condattr_init(&attributes);
    pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC);
    pthread_cond_init(&progress->all_done, &attributes);
    pthread_condattr_destroy(&attributes);
    progress->running = 0;
    progress->start_time = w2v_now();
    progress->line_open = false;
}

void w2v_progress_epoch_start(struct w2v_progress *progress, uint32_t workers) {
    pthread_mutex_lock(&progress->lock);
    progress->running = workers;
    pthread_mutex_unlock(&progress->lock);
}

void w2v_progress_worker_done(struct w2v_progress *progress) {
    pthread_mutex_lock(&progress->lock);
    if (--progress->running == 0) pthread_cond_signal(&progress->all_done);
    pthread_mutex_unlock(&progress->lock);
}

static void print_progress(struct w2v_progress *progress) {
    struct w2v_progress_sample s;
    progress->sample(progress->context, &s);
    double elapsed = w2v_now() - progress->start_time;
    double fraction = s.total_words ? (double)s.words_done / (double)s.total_words : 0;
    double rate = elapsed > 0 ? (double)s.words_done / elapsed : 0;
    double eta = rate > 0 ? (double)(s.total_words - s.words_done) / rate : 0;
    char rate_text[32];
    w2v_format_count(rate, rate_text, sizeof rate_text);
    unsigned eta_seconds = (unsigned)eta;
    fprintf(stderr, "%sepoch %u/%u  %5.1f%%  words/s %s  lr %.6f  loss %.4f  eta %u:%02u:%02u%s",
            progress->terminal ? "\r" : "", s.epoch + 1, progress->epochs, 100.0 * fraction,
            rate_text, (double)s.learning_rate, isnan(s.loss) ? 0.0 : s.loss, eta_seconds / 3600,
            eta_seconds / 60 % 60, eta_seconds % 60, progress->terminal ? "\033[K" : "\n");
    fflush(stderr);
    progress->line_open = progress->terminal;
}

void w2v_progress_watch(struct w2v_progress *progress) {
    const double interval = progress->terminal ? 1.0 : 10.0;
    double next_print = w2v_now() + interval;
    pthread_mutex_lock(&progress->lock);
    while (progress->running > 0) {
        struct timespec deadline = {.tv_sec = (time_t)next_print,
                                    .tv_nsec = (long)((next_print - floor(next_print)) * 1e9)};
        int waited = pthread_cond_timedwait(&progress->all_done, &progress->lock, &deadline);
        if (waited == ETIMEDOUT && progress->running > 0) {
            if (!progress->quiet) print_progress(progress);
            next_print += interval;
        }
    }
    pthread_mutex_unlock(&progress->lock);
}

void w2v_progress_epoch_end(struct w2v_progress *progress, uint32_t epoch, double loss,
                            uint64_t words, double seconds, float learning_rate) {
    if (progress->quiet) return;
    char rate_text[32];
    w2v_format_count(seconds > 0 ? (double)words / seconds : 0, rate_text, sizeof rate_text);
    fprintf(stderr, "%sepoch %u/%u  loss %.6f  words/s %s  lr %.6f  %.2f s%s\n",
            progress->line_open ? "\r" : "", epoch + 1, progress->epochs, loss, rate_text,
            (double)learning_rate, seconds, progress->line_open ? "\033[K" : "");
    progress->line_open = false;
}

void w2v_progress_free(struct w2v_progress *progress) {
    pthread_mutex_destroy(&progress->lock);
    pthread_cond_destroy(&progress->all_done);
}
