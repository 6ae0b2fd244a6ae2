/* checkpointing.c — checkpoints during `w2v train` (see checkpointing.h). */
#include "checkpointing.h"

#include "w2v/error.h"
#include "w2v/progress.h"
#include "w2v/signals.h"
#include "w2v/timer.h"

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int w2v_parse_duration(const char *flag, const char *text, struct w2v_duration *duration) {
    *duration = (struct w2v_duration){0};
    const char *s = text;
    char *end;
    if (!*s) return w2v_error("%s: expected a duration such as 90s, 10m, 1h or 500000w", flag);
    /* N words */
    size_t len = strlen(s);
    if (s[len - 1] == 'w') {
        uint64_t words = strtoull(s, &end, 10);
        if (!isdigit((unsigned char)*s) || end != s + len - 1 || words == 0)
            return w2v_error("%s: '%s' is not a word count such as 500000w", flag, text);
        duration->words = words;
        return 0;
    }
    /* [N d][N h][N m][N s] or plain seconds */
    double total = 0;
    while (*s) {
        if (!isdigit((unsigned char)*s) && *s != '.') break;
        double value = strtod(s, &end);
        if (end == s || !isfinite(value) || value < 0) break;
        double unit = 1;
        switch (*end) {
        case 'd':
            unit = 86400, end++;
            break;
        case 'h':
            unit = 3600, end++;
            break;
        case 'm':
            unit = 60, end++;
            break;
        case 's':
            end++;
            break;
        case '\0':
            break;
        default:
            unit = -1;
        }
        if (unit < 0) break;
        total += value * unit;
        s = end;
    }
    if (*s || total <= 0)
        return w2v_error("%s: '%s' is not a duration such as 90s, 10m, 1h30m or 500000w", flag,
                         text);
    duration->seconds = total;
    return 0;
}

/* The words done at a pause, unpublished ones included (exact on one thread). */
static uint64_t words_at(const struct w2v_train_state *state) {
    uint64_t words = state->words_done;
    for (uint32_t t = 0; t < state->threads; t++) words += state->workers[t].unpublished_words;
    return words;
}

static bool past_time_limit(const struct w2v_checkpointer *c) {
    return c->stop_after.seconds > 0 && w2v_now() - c->start_time >= c->stop_after.seconds;
}

/* Polled by the trainer's monitor: a stop signal, SIGUSR1, or the time limit. */
static bool poll(void *context) {
    struct w2v_checkpointer *c = context;
    return w2v_signals_stop_requested() != 0 || w2v_signals_take_checkpoint_request() ||
           past_time_limit(c);
}

static int on_pause(void *context, const struct w2v_train_pause *pause) {
    struct w2v_checkpointer *c = context;
    const struct w2v_train_state *state = pause->state;
    c->stop_signal = w2v_signals_stop_requested();
    c->stopped_by_limit =
        past_time_limit(c) || (c->stop_after.words && words_at(state) >= c->stop_after.words);
    const bool stopping = c->stop_signal || c->stopped_by_limit;
    if (c->path) {
        double start = w2v_now();
        uint64_t bytes = 0;
        if (w2v_checkpoint_write(c->path, &c->settings, &c->corpus, c->vocab, state, pause->model,
                                 &bytes) != 0) {
            if (stopping) return -1; /* the state would be lost: say so */
            w2v_progress_note(pause->progress, "w2v: warning: %s (training goes on)",
                              w2v_last_error());
            return 0;
        }
        c->last_seconds = w2v_now() - start;
        c->total_seconds += c->last_seconds;
        c->last_bytes = bytes;
        c->count++;
        char where[48];
        if (state->epoch >= c->settings.epochs)
            snprintf(where, sizeof where, "the end of training");
        else
            snprintf(where, sizeof where, "epoch %u", state->epoch + 1);
        w2v_progress_note(pause->progress,
                          "checkpoint %u: %s at %s, %" PRIu64 " words, %.1f MB in %.2f s", c->count,
                          c->path, where, words_at(state), bytes / 1e6, c->last_seconds);
    }
    return stopping ? W2V_TRAIN_STOPPED : 0;
}

void w2v_checkpointer_attach(struct w2v_checkpointer *c, struct w2v_train_config *config,
                             const struct w2v_duration *every) {
    c->start_time = w2v_now();
    config->pause_every_seconds = every->seconds;
    config->pause_every_words = every->words;
    config->pause_at_words = c->stop_after.words;
    config->pause_poll = poll;
    config->on_pause = on_pause;
    config->pause_context = c;
}

void w2v_checkpointer_free(struct w2v_checkpointer *c) {
    w2v_checkpoint_corpus_free(&c->corpus);
}
