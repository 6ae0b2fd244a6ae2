/* bench_result.c — reading the trainer's JSON line (with jansson) and the
 * arithmetic of medians, speed-up and parallel efficiency. */
#include "bench_result.h"

#include "w2v/error.h"

#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static double number_or_nan(json_t *object, const char *key) {
    json_t *value = json_object_get(object, key);
    return json_is_number(value) ? json_number_value(value) : NAN;
}

static void copy_string(json_t *object, const char *key, char *out, size_t size) {
    json_t *value = json_object_get(object, key);
    out[0] = '\0';
    if (json_is_string(value)) snprintf(out, size, "%s", json_string_value(value));
}

int w2v_bench_parse_train_json(const char *line, struct w2v_bench_train_report *out) {
    memset(out, 0, sizeof *out);
    json_error_t error;
    json_t *root = json_loads(line, 0, &error);
    if (!root) return w2v_error("the trainer's JSON line does not parse: %s", error.text);
    if (!json_is_object(root)) {
        json_decref(root);
        return w2v_error("the trainer's JSON line is not an object");
    }
    copy_string(root, "model", out->model, sizeof out->model);
    copy_string(root, "loss", out->loss_name, sizeof out->loss_name);
    copy_string(root, "isa", out->isa, sizeof out->isa);
    out->dim = number_or_nan(root, "dim");
    out->window = number_or_nan(root, "window");
    out->negative = number_or_nan(root, "negative");
    out->sample = number_or_nan(root, "sample");
    out->epochs = number_or_nan(root, "epochs");
    out->threads = number_or_nan(root, "threads");
    out->vocab_size = number_or_nan(root, "vocab_size");
    out->corpus_words = number_or_nan(root, "corpus_words");
    out->kept_words = number_or_nan(root, "kept_words");
    out->vocab_seconds = number_or_nan(root, "vocab_seconds");
    out->train_seconds = number_or_nan(root, "train_seconds");
    out->words_per_sec = number_or_nan(root, "words_per_sec");
    out->kept_words_per_sec = number_or_nan(root, "kept_words_per_sec");
    out->flops = number_or_nan(root, "flops");
    out->gflops = number_or_nan(root, "gflops");
    out->final_loss = number_or_nan(root, "loss");
    if (isnan(out->final_loss)) out->final_loss = number_or_nan(root, "final_loss");
    json_decref(root);

    if (!(out->train_seconds > 0))
        return w2v_error("the trainer's JSON line has no positive \"train_seconds\"");
    if (!(out->corpus_words >= 0))
        return w2v_error("the trainer's JSON line has no \"corpus_words\"");
    double epochs = out->epochs > 0 ? out->epochs : 1;
    if (isnan(out->words_per_sec))
        out->words_per_sec = out->corpus_words * epochs / out->train_seconds;
    if (isnan(out->kept_words_per_sec) && out->kept_words >= 0)
        out->kept_words_per_sec = out->kept_words / out->train_seconds;
    if (isnan(out->gflops) && out->flops >= 0) out->gflops = out->flops / out->train_seconds / 1e9;
    return 0;
}

const char *w2v_bench_last_line(const char *text, size_t *len) {
    const char *best = NULL;
    *len = 0;
    for (const char *p = text; *p;) {
        const char *end = strchr(p, '\n');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        bool blank = true;
        for (size_t i = 0; i < n; i++)
            if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r') blank = false;
        if (!blank) best = p, *len = n;
        p += n + (end ? 1 : 0);
    }
    return best;
}

void w2v_bench_run_init(struct w2v_bench_run *run, const char *model, const char *loss,
                        uint32_t dim, uint32_t threads) {
    memset(run, 0, sizeof *run);
    snprintf(run->model, sizeof run->model, "%s", model);
    snprintf(run->loss, sizeof run->loss, "%s", loss);
    run->dim = dim, run->threads = threads;
    double *numbers[] = {&run->train.dim,
                         &run->train.window,
                         &run->train.negative,
                         &run->train.sample,
                         &run->train.epochs,
                         &run->train.threads,
                         &run->train.vocab_size,
                         &run->train.corpus_words,
                         &run->train.kept_words,
                         &run->train.vocab_seconds,
                         &run->train.train_seconds,
                         &run->train.words_per_sec,
                         &run->train.kept_words_per_sec,
                         &run->train.flops,
                         &run->train.gflops,
                         &run->train.final_loss,
                         &run->wall_seconds,
                         &run->max_rss_mib,
                         &run->repeat_spread,
                         &run->speedup,
                         &run->efficiency,
                         &run->peak_gflops,
                         &run->peak_fraction,
                         &run->analogy_accuracy,
                         &run->similarity_rho};
    for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++) *numbers[i] = NAN;
}

static int compare_nan_last(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    if (isnan(x) || isnan(y)) return isnan(x) - isnan(y);
    return (x > y) - (x < y);
}

size_t w2v_bench_median_index(const double *values, size_t n) {
    if (n == 0) return 0;
    double *sorted = malloc(n * sizeof *sorted);
    if (!sorted) return 0;
    memcpy(sorted, values, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, compare_nan_last);
    double median = sorted[(n - 1) / 2];
    free(sorted);
    for (size_t i = 0; i < n; i++)
        if (values[i] == median || (isnan(median) && isnan(values[i]))) return i;
    return 0;
}

void w2v_bench_compute_scaling(struct w2v_bench_run *runs, size_t count) {
    for (size_t i = 0; i < count; i++) {
        struct w2v_bench_run *run = &runs[i];
        run->speedup = run->efficiency = NAN;
        for (size_t j = 0; j < count; j++) {
            const struct w2v_bench_run *base = &runs[j];
            if (base->threads != 1 || base->dim != run->dim || strcmp(base->model, run->model) ||
                strcmp(base->loss, run->loss) || !(base->train.words_per_sec > 0))
                continue;
            run->speedup = run->train.words_per_sec / base->train.words_per_sec;
            run->efficiency = run->speedup / run->threads;
            break;
        }
    }
}

double w2v_bench_peak_for_threads(double single_core, double all_cores, uint32_t cores,
                                  uint32_t threads) {
    if (threads >= cores) return all_cores;
    double scaled = single_core * threads;
    return scaled < all_cores ? scaled : all_cores;
}
