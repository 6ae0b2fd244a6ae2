/* tune.c — `w2v tune`'s trials, quality guard, choice and command line (tune.h). */
#include "w2v/tune.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

size_t w2v_tune_thread_counts(uint32_t max_threads, uint32_t *counts, size_t capacity) {
    size_t n = 0;
    if (max_threads == 0) max_threads = 1;
    for (uint32_t t = 1; t < max_threads && n < capacity; t *= 2) counts[n++] = t;
    if (n < capacity) counts[n++] = max_threads;
    return n;
}

size_t w2v_tune_candidates(uint32_t max_threads, enum w2v_model_kind model,
                           struct w2v_tune_trial *trials) {
    uint32_t counts[32];
    size_t n_counts = w2v_tune_thread_counts(max_threads, counts, 32), n = 0;
    for (size_t i = 0; i < n_counts; i++) {
        trials[n++] = (struct w2v_tune_trial){.threads = counts[i], .batch = W2V_BATCH_WINDOW};
        if (counts[i] > 1)
            trials[n++] = (struct w2v_tune_trial){
                .threads = counts[i], .pin = true, .batch = W2V_BATCH_WINDOW};
    }
    if (model == W2V_MODEL_SKIPGRAM)
        trials[n++] =
            (struct w2v_tune_trial){.threads = counts[n_counts - 1], .batch = W2V_BATCH_PAIR};
    return n;
}

bool w2v_tune_passes(const struct w2v_tune_trial *trial, const struct w2v_tune_trial *reference,
                     double tolerance) {
    if (trial->failed || reference->failed || !isfinite(trial->loss)) return false;
    return trial->loss <= reference->loss * (1.0 + tolerance);
}

int w2v_tune_choose(const struct w2v_tune_trial *trials, size_t count, double tolerance) {
    int best = -1;
    for (size_t i = 0; i < count; i++) {
        if (!w2v_tune_passes(&trials[i], &trials[0], tolerance)) continue;
        if (best < 0 || trials[i].words_per_sec > trials[best].words_per_sec) best = (int)i;
    }
    return best;
}

void w2v_tune_sample(const struct w2v_encoded_corpus *corpus, uint64_t words,
                     struct w2v_encoded_corpus *sample) {
    memset(sample, 0, sizeof *sample);
    uint64_t sentences = 0;
    while (sentences < corpus->sentence_count && corpus->sentence_starts[sentences] < words)
        sentences++;
    sample->codes = corpus->codes; /* a prefix: the same codes, index and starts */
    sample->code_index = corpus->code_index;
    sample->sentence_starts = corpus->sentence_starts;
    sample->sentence_count = sentences;
    sample->token_count = corpus->sentence_starts[sentences];
    sample->code_bytes = (uint64_t)(w2v_encoded_seek(corpus, sample->token_count) - corpus->codes);
    sample->tracked_mapping = -1;
}

void w2v_tune_run_trial(struct w2v_tune_trial *trial, const struct w2v_train_config *config,
                        const struct w2v_encoded_corpus *corpus,
                        const struct w2v_encoded_corpus *sample, const struct w2v_vocab *vocab) {
    struct w2v_train_config c = *config;
    c.epochs = 1;
    c.threads = trial->threads;
    c.pin_threads = trial->pin;
    c.batch = trial->batch;
    c.quiet = true;
    c.on_epoch_end = NULL;
    /* The trainer scales the threshold by the sample's word count while the counts
     * are the whole corpus's: rescale so each word is kept as often as in the full run. */
    if (sample->token_count > 0)
        c.sample = config->sample * (double)corpus->token_count / (double)sample->token_count;
    struct w2v_model model;
    struct w2v_train_report report;
    memset(&model, 0, sizeof model);
    trial->failed = w2v_train(&model, sample, vocab, &c, &report) != 0;
    trial->words_per_sec = report.words_per_sec;
    trial->loss = trial->failed ? NAN : report.loss;
    w2v_model_free(&model);
}

/* Appends text to out (cut at size), counting the full length in *length. */
static void append(char *out, size_t size, size_t *length, const char *text) {
    size_t n = strlen(text);
    if (*length < size) {
        size_t room = size - *length - 1;
        memcpy(out + *length, text, n < room ? n : room);
        out[*length + (n < room ? n : room)] = '\0';
    }
    *length += n;
}

/* Appends one word, in single quotes when it holds anything a shell would read. */
static void append_word(char *out, size_t size, size_t *length, const char *word) {
    append(out, size, length, " ");
    if (*word && strspn(word, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                              "-_./=:,+@%") == strlen(word)) {
        append(out, size, length, word);
        return;
    }
    append(out, size, length, "'");
    for (const char *p = word; *p; p++) {
        char one[2] = {*p, '\0'};
        append(out, size, length, *p == '\'' ? "'\\''" : one);
    }
    append(out, size, length, "'");
}

/* The flags tune decides, in either spelling: dropped from the user's line.
 * Returns how many words the flag takes (1 or 2), or 0 if it is not one. */
static int tuned_flag(const char *arg) {
    static const char *const valued[] = {"threads", "batch"};
    const char *name = arg[0] == '-' ? arg + 1 + (arg[1] == '-') : NULL;
    if (!name) return 0;
    if (strcmp(name, "pin") == 0 || strncmp(name, "pin=", 4) == 0) return 1;
    for (size_t i = 0; i < sizeof valued / sizeof *valued; i++) {
        size_t n = strlen(valued[i]);
        if (strncmp(name, valued[i], n) == 0 && name[n] == '=') return 1;
        if (strcmp(name, valued[i]) == 0) return 2;
    }
    return 0;
}

size_t w2v_tune_command(char *out, size_t size, char *const *args, size_t count,
                        const struct w2v_tune_trial *chosen) {
    size_t length = 0;
    if (size) out[0] = '\0';
    append(out, size, &length, "w2v train");
    for (size_t i = 0; i < count; i++) {
        int skip = tuned_flag(args[i]);
        if (skip) {
            i += (size_t)skip - 1;
            continue;
        }
        append_word(out, size, &length, args[i]);
    }
    char flags[64];
    snprintf(flags, sizeof flags, " --threads %u", chosen->threads);
    append(out, size, &length, flags);
    if (chosen->pin) append(out, size, &length, " --pin");
    if (chosen->batch == W2V_BATCH_PAIR) append(out, size, &length, " --batch pair");
    return length;
}
