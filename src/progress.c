/* progress.c — the progress line of training (see progress.h). */
#include "w2v/progress.h"

#include "w2v/timer.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
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

static double print_interval(const struct w2v_progress *progress) {
    return progress->terminal ? 1.0 : 10.0;
}

void w2v_progress_init(struct w2v_progress *progress, bool quiet, uint32_t epochs,
                       void (*sample)(void *, struct w2v_progress_sample *), void *context,
                       uint64_t start_words) {
    progress->quiet = quiet;
    progress->terminal = isatty(STDERR_FILENO);
    progress->epochs = epochs;
    progress->sample = sample;
    progress->context = context;
    progress->start_time = w2v_now();
    progress->next_print = progress->start_time + print_interval(progress);
    progress->start_words = start_words;
    progress->line_open = false;
}

static void print_progress(struct w2v_progress *progress) {
    struct w2v_progress_sample s;
    progress->sample(progress->context, &s);
    double elapsed = w2v_now() - progress->start_time;
    double fraction = s.total_words ? (double)s.words_done / (double)s.total_words : 0;
    double words = s.words_done > progress->start_words ? s.words_done - progress->start_words : 0;
    double rate = elapsed > 0 ? words / elapsed : 0;
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

void w2v_progress_tick(struct w2v_progress *progress) {
    double now = w2v_now();
    if (now < progress->next_print) return;
    progress->next_print = now + print_interval(progress);
    if (!progress->quiet) print_progress(progress);
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

void w2v_progress_note(struct w2v_progress *progress, const char *format, ...) {
    if (progress->quiet) return;
    if (progress->line_open) fputs("\r\033[K", stderr);
    va_list args;
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fputc('\n', stderr);
    fflush(stderr);
    progress->line_open = false;
}
