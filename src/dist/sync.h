/* sync.h — keeping the ranks' models together at the trainer's pauses.
 *
 * Every rank trains its own share of the corpus with the ordinary Hogwild
 * trainer; at each pause (every --sync-every words of this rank, at each
 * epoch's end and when training is over) the ranks add up what each changed
 * since the last sync of those rows:
 *
 *   W ← B + Σ_r (W_r − B),   B ← W        (B: the rows as last synced)
 *
 * so every rank's updates count in full, as every thread's do in Hogwild.
 * (Averaging, W ← (1/N) Σ_r W_r, divides each update by the rank count: on a
 * planted corpus it lost 11 points of analogy accuracy at 3 ranks.) B costs one
 * more copy of both matrices per rank.
 *
 * Rows are in frequency order (word ids are frequency ranks), so the first
 * rows are the words most updated between two syncs. As pWord2Vec_mpi does,
 * sync number n averages only the first min_rows · 2^z(n) rows (z(n): the
 * trailing zero bits of n), capped at the vocabulary: the top min_rows words
 * every time, twice as many every second time, and so on, so a word's rows are
 * averaged about as often as it changes. Epoch ends average every row. The
 * output rows of hierarchical softmax (inner tree nodes, not in frequency
 * order) are averaged whole every time.
 *
 * A rank whose training is over keeps joining rounds (its deltas are then
 * zero) until every rank is done, so the collectives always match and all
 * ranks end with the same model. The word
 * counts exchanged in each round drive one global learning-rate schedule.
 *
 * Checkpoints ride on the rounds (struct w2v_dist_hook): each rank adds its
 * requests (a signal, rank 0's clock) to the round's one exchange, so every
 * rank learns in the same round whether it is a checkpoint; such a round
 * synchronises every row first, so each rank's model is the job's. */
#ifndef W2V_DIST_SYNC_H
#define W2V_DIST_SYNC_H

#include "w2v/train.h"

#include <stdint.h>

#define W2V_DIST_ASKS 4

/* What a round tells every rank (the same on all). */
struct w2v_dist_round {
    uint64_t number;              /* rounds so far, this one included */
    uint64_t words;               /* Σ over ranks of words trained, unpublished ones included */
    uint64_t asks[W2V_DIST_ASKS]; /* Σ over ranks of the hook's asks */
    bool training_over;           /* every rank is done */
};

/* Optional. Before each round ask() gives this rank's request counts (summed
 * over ranks in the round's exchange); due() decides from the round,
 * identically on every rank, whether it checkpoints; then every row is
 * synchronised and save() runs on every rank: its return (0,
 * W2V_TRAIN_STOPPED or −1, the same on every rank) becomes on_pause's. */
struct w2v_dist_hook {
    void (*ask)(void *context, uint64_t asks[W2V_DIST_ASKS]);
    bool (*due)(void *context, const struct w2v_dist_round *round);
    int (*save)(void *context, const struct w2v_train_pause *pause,
                const struct w2v_dist_round *round);
    void *context;
};

struct w2v_dist_sync {
    uint64_t min_rows;               /* rows in the smallest tier (default 1024) */
    bool tree_outputs;               /* output rows are tree nodes: average them all every time */
    uint64_t rounds;                 /* rounds joined so far */
    float *base_input, *base_output; /* B: the matrices as last synced */
    bool average; /* --sync-mode average: W ← B + (1/N) Σ_r (W_r − B), the plain mean */
    struct w2v_dist_hook hook; /* checkpoints (optional) */
};

/* Takes the starting model (identical on every rank) as the first B. */
int w2v_dist_sync_init(struct w2v_dist_sync *sync, const struct w2v_model *model);
void w2v_dist_sync_free(struct w2v_dist_sync *sync);

/* The trainer's on_pause for a distributed run (context: struct w2v_dist_sync). */
int w2v_dist_sync_pause(void *context, const struct w2v_train_pause *pause);

#endif
