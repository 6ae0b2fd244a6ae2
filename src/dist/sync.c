/* sync.c — model averaging between ranks at the trainer's pauses (see sync.h). */
#include "sync.h"

#include "dist.h"

#include "w2v/alloc.h"
#include "w2v/error.h"

#include <string.h>

/* Rows of sync number `round` (1-based): min_rows · 2^(trailing zeros of round), capped. */
static uint64_t tier_rows(uint64_t round, uint64_t min_rows, uint64_t all_rows) {
    uint64_t rows = min_rows;
    while (round % 2 == 0 && rows < all_rows) rows *= 2, round /= 2;
    return rows < all_rows ? rows : all_rows;
}

/* Over `rows` rows of one matrix:  W ← B + Σ_r (W_r − B),  B ← W.
 * In place: W becomes this rank's delta, the allreduce sums the deltas. */
static int sum_deltas(float *matrix, float *base, uint64_t rows, size_t stride, float scale) {
    const size_t count = (size_t)rows * stride;
    for (size_t i = 0; i < count; i++) matrix[i] -= base[i];
    if (w2v_dist_sum_floats(matrix, count) != 0) return -1;
    for (size_t i = 0; i < count; i++) base[i] = matrix[i] = base[i] + scale * matrix[i];
    return 0;
}

int w2v_dist_sync_init(struct w2v_dist_sync *sync, const struct w2v_model *model) {
    const size_t row_bytes = model->stride * sizeof(float);
    sync->base_input = w2v_alloc_aligned(model->vocab_size * row_bytes);
    sync->base_output = w2v_alloc_aligned(model->output_rows * row_bytes);
    memcpy(sync->base_input, model->input, model->vocab_size * row_bytes);
    memcpy(sync->base_output, model->output, model->output_rows * row_bytes);
    return 0;
}

void w2v_dist_sync_free(struct w2v_dist_sync *sync) {
    w2v_free(sync->base_input);
    w2v_free(sync->base_output);
    sync->base_input = sync->base_output = NULL;
}

/* The words trained so far by this rank, unpublished ones included. */
static uint64_t words_trained(const struct w2v_train_state *state) {
    uint64_t words = state->words_done;
    for (uint32_t t = 0; t < state->threads; t++) words += state->workers[t].unpublished_words;
    return words;
}

int w2v_dist_sync_pause(void *context, const struct w2v_train_pause *pause) {
    struct w2v_dist_sync *sync = context;
    const struct w2v_dist_hook *hook = &sync->hook;
    struct w2v_model *model = pause->model;
    const bool finished = pause->training_over;
    const float scale = sync->average ? 1.0f / (float)w2v_dist_size() : 1.0f;
    for (;;) {
        /* One round: who is still training, how far everyone is (published
         * words for the schedule, all words for checkpoints), whether anyone
         * is at an epoch's end (then every row is averaged), the hook's asks. */
        enum { ACTIVE, WORDS_DONE, EPOCH_END, WORDS, ASKS, FLAGS = ASKS + W2V_DIST_ASKS };
        uint64_t flags[FLAGS] = {[ACTIVE] = finished ? 0 : 1,
                                 [WORDS_DONE] = pause->state->words_done,
                                 [EPOCH_END] = pause->between_epochs ? 1 : 0,
                                 [WORDS] = words_trained(pause->state)};
        if (hook->ask) hook->ask(hook->context, flags + ASKS);
        if (w2v_dist_sum_u64(flags, FLAGS) != 0) return -1;
        const uint64_t active = flags[ACTIVE];
        sync->rounds++;
        *pause->words_elsewhere = flags[WORDS_DONE] - pause->state->words_done;
        struct w2v_dist_round round = {
            .number = sync->rounds, .words = flags[WORDS], .training_over = active == 0};
        memcpy(round.asks, flags + ASKS, sizeof round.asks);
        const bool checkpoint = hook->due && hook->due(hook->context, &round);

        const bool everything = flags[EPOCH_END] > 0 || active == 0 || checkpoint;
        const uint64_t rows = everything
                                  ? model->vocab_size
                                  : tier_rows(sync->rounds, sync->min_rows, model->vocab_size);
        const uint64_t output_rows = everything || sync->tree_outputs
                                         ? model->output_rows
                                         : (rows < model->output_rows ? rows : model->output_rows);
        if (sum_deltas(model->input, sync->base_input, rows, model->stride, scale) != 0 ||
            sum_deltas(model->output, sync->base_output, output_rows, model->stride, scale) != 0)
            return -1;
        w2v_dist_count_sync(rows + output_rows);
        if (checkpoint) { /* every rank's model is now the job's */
            int status = hook->save(hook->context, pause, &round);
            if (status != 0) return status; /* the whole job stops (or fails) in this round */
        }
        /* A finished rank waits, joining rounds, until every rank is done. */
        if (!finished || active == 0) return 0;
    }
}
