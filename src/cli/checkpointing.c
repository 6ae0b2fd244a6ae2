/* checkpointing.c — checkpoints during `w2v train` (see checkpointing.h). */
#include "checkpointing.h"

#include "dist.h"

#include "w2v/alloc.h"
#include "w2v/error.h"
#include "w2v/progress.h"
#include "w2v/signals.h"
#include "w2v/timer.h"

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
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
        if (w2v_checkpoint_write(c->path, &c->settings, &c->corpus, c->vocab, state, 1, NULL,
                                 pause->model, &bytes) != 0) {
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
    c->every = *every;
    config->pause_every_seconds = every->seconds;
    config->pause_every_words = every->words;
    config->pause_at_words = c->stop_after.words;
    config->pause_poll = poll;
    config->on_pause = on_pause;
    config->pause_context = c;
}

/* ---- under mpirun: checkpoints at the sync rounds ---- */

enum { ASK_CHECKPOINT, ASK_SIGINT, ASK_SIGTERM, ASK_TIME_LIMIT };

/* This rank's requests for the coming round. */
static void ask(void *context, uint64_t asks[W2V_DIST_ASKS]) {
    struct w2v_checkpointer *c = context;
    const bool rank0 = w2v_dist_rank() == 0; /* rank 0's clock is the job's */
    const int stop = w2v_signals_stop_requested();
    asks[ASK_CHECKPOINT] = w2v_signals_take_checkpoint_request() ||
                           (rank0 && c->every.seconds > 0 && w2v_now() >= c->next_time);
    asks[ASK_SIGINT] = stop == SIGINT;
    asks[ASK_SIGTERM] = stop != 0 && stop != SIGINT;
    asks[ASK_TIME_LIMIT] = rank0 && past_time_limit(c);
}

static bool words_limit(const struct w2v_checkpointer *c, const struct w2v_dist_round *round) {
    return c->stop_after.words && round->words >= c->stop_after.words;
}

static bool due(void *context, const struct w2v_dist_round *round) {
    const struct w2v_checkpointer *c = context;
    for (int i = 0; i < W2V_DIST_ASKS; i++)
        if (round->asks[i]) return true;
    return (c->every.words && round->words >= c->next_words) || words_limit(c, round) ||
           round->training_over;
}

/* Rank 0: the gathered states (`all`, sizes[r] bytes from rank r) into one checkpoint. */
static int write_job(struct w2v_checkpointer *c, const unsigned char *all, const uint64_t *sizes,
                     const struct w2v_checkpoint_sync *sync, const struct w2v_model *model,
                     uint64_t *bytes) {
    const uint32_t ranks = (uint32_t)w2v_dist_size();
    struct w2v_train_state *states = w2v_xcalloc(ranks, sizeof *states);
    int status = 0;
    uint64_t at = 0;
    for (uint32_t r = 0; r < ranks && status == 0; r++) {
        status = w2v_checkpoint_state_unpack(all + at, sizes[r], &states[r]);
        at += sizes[r];
    }
    if (status == 0)
        status = w2v_checkpoint_write(c->path, &c->settings, &c->corpus, c->vocab, states, ranks,
                                      sync, model, bytes);
    for (uint32_t r = 0; r < ranks; r++) w2v_checkpoint_state_free(&states[r]);
    w2v_free(states);
    return status;
}

/* A checkpoint round, on every rank: the states go to rank 0, which writes
 * them with the (synchronised) model; every rank learns whether it did. */
static int save(void *context, const struct w2v_train_pause *pause,
                const struct w2v_dist_round *round) {
    struct w2v_checkpointer *c = context;
    const bool rank0 = w2v_dist_rank() == 0;
    const bool limit = round->asks[ASK_TIME_LIMIT] > 0 || words_limit(c, round);
    const bool stopping =
        !round->training_over && (round->asks[ASK_SIGINT] || round->asks[ASK_SIGTERM] || limit);
    if (c->every.words && round->words >= c->next_words)
        c->next_words = (round->words / c->every.words + 1) * c->every.words;
    const double start = w2v_now();
    if (rank0 && c->every.seconds > 0) c->next_time = start + c->every.seconds;

    size_t size;
    unsigned char *mine = w2v_checkpoint_state_pack(pause->state, &size), *all = NULL;
    uint64_t *sizes = w2v_xcalloc((size_t)w2v_dist_size(), sizeof *sizes), bytes = 0;
    int status = w2v_dist_gather(mine, size, &all, sizes);
    struct w2v_checkpoint_sync sync = c->sync;
    sync.rounds = round->number;
    if (status == 0 && rank0) status = write_job(c, all, sizes, &sync, pause->model, &bytes);
    w2v_free(mine);
    w2v_free(all);
    w2v_free(sizes);
    uint64_t failed = status != 0;
    if (w2v_dist_sum_u64(&failed, 1) != 0) return -1;
    if (failed) {
        if (!stopping) {
            if (rank0)
                w2v_progress_note(pause->progress, "w2v: warning: %s (training goes on)",
                                  w2v_last_error());
            return 0;
        }
        c->failed_together = true; /* the state would be lost: the job fails, rank 0 says why */
        return -1;
    }
    c->last_seconds = w2v_now() - start;
    c->total_seconds += c->last_seconds;
    c->last_bytes = bytes;
    c->count++;
    if (rank0) {
        char where[48];
        if (round->training_over)
            snprintf(where, sizeof where, "the end of training");
        else
            snprintf(where, sizeof where, "epoch %u", pause->state->epoch + 1);
        w2v_progress_note(pause->progress,
                          "checkpoint %u: %s at %s, %" PRIu64 " words of %d ranks, %.1f MB in "
                          "%.2f s",
                          c->count, c->path, where, round->words, w2v_dist_size(), bytes / 1e6,
                          c->last_seconds);
    }
    if (!stopping) return 0;
    c->job_stopped = true;
    c->stopped_by_limit = limit;
    c->stop_signal = w2v_signals_stop_requested();
    if (!c->stop_signal && !limit) c->stop_signal = round->asks[ASK_SIGTERM] ? SIGTERM : SIGINT;
    return W2V_TRAIN_STOPPED;
}

void w2v_checkpointer_attach_sync(struct w2v_checkpointer *c, struct w2v_train_config *config,
                                  struct w2v_dist_sync *sync, uint64_t words_so_far) {
    config->pause_every_seconds = 0; /* the sync's pauses carry the checkpoints */
    config->pause_at_words = 0;
    config->pause_poll = NULL;
    c->next_words = c->every.words ? (words_so_far / c->every.words + 1) * c->every.words : 0;
    c->next_time = w2v_now() + c->every.seconds;
    c->sync = (struct w2v_checkpoint_sync){.every = config->pause_every_words,
                                           .min_words = (uint32_t)sync->min_rows,
                                           .average = sync->average};
    sync->hook = (struct w2v_dist_hook){ask, due, save, c};
}

void w2v_checkpointer_free(struct w2v_checkpointer *c) {
    w2v_checkpoint_corpus_free(&c->corpus);
}
