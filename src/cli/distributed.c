/* distributed.c — `w2v train` under mpirun (see distributed.h). */
#include "distributed.h"

#include "dist.h"

#include "w2v/error.h"

#include <inttypes.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

int w2v_distributed_adjust(struct w2v_train_options *options) {
    if (!w2v_dist_active()) return 0;
    if (options->checkpoint_path || options->resume_path)
        return w2v_error("--checkpoint and --resume do not work under mpirun yet: run one "
                         "process per node with more --threads, or leave them out");
    if (options->input.train_path && strcmp(options->input.train_path, "-") == 0)
        return w2v_error("--train - (standard input) cannot be shared by several ranks: give a "
                         "file every rank can read (w2v prepare makes one)");
    if (options->classes)
        return w2v_error("-classes does not work under mpirun yet: train, then run 'w2v classes'");
    if (w2v_dist_rank() != 0) { /* rank 0 alone reports and writes */
        options->config.quiet = true;
        options->json = false;
        options->output_path = options->save_vocab_path = options->save_output_path = NULL;
        options->eval_analogy_path = options->eval_similarity_path = NULL;
        options->save_every_epoch = false;
    }
    return 0;
}

/* XXH3-64 of the vocabulary (words with their NULs, counts) and the token count. */
static uint64_t corpus_fingerprint(const struct w2v_pipeline *pipeline) {
    XXH3_state_t *hash = XXH3_createState();
    XXH3_64bits_reset(hash);
    for (uint32_t id = 0; id < pipeline->vocab.size; id++) {
        const char *word = w2v_vocab_word(&pipeline->vocab, id);
        const uint64_t count = w2v_vocab_count(&pipeline->vocab, id);
        XXH3_64bits_update(hash, word, strlen(word) + 1);
        XXH3_64bits_update(hash, &count, sizeof count);
    }
    XXH3_64bits_update(hash, &pipeline->encoded.token_count, sizeof pipeline->encoded.token_count);
    const uint64_t fingerprint = XXH3_64bits_digest(hash);
    XXH3_freeState(hash);
    return fingerprint;
}

int w2v_distributed_agree(int status, const struct w2v_pipeline *pipeline) {
    if (!w2v_dist_active()) return status;
    if (status != 0) {
        fprintf(stderr, "w2v: rank %d: %s\n", w2v_dist_rank(), w2v_last_error());
        fflush(stderr);
    }
    bool same = true;
    const uint64_t fingerprint = status == 0 && pipeline ? corpus_fingerprint(pipeline) : 0;
    if (w2v_dist_agree(status, fingerprint, &same) >= 0) return -1;
    if (!same) {
        if (w2v_dist_rank() == 0)
            fprintf(stderr, "w2v: the ranks read different vocabularies or corpora (every rank "
                            "must read the same corpus: a shared file, or identical copies)\n");
        return -1;
    }
    return 0;
}

void w2v_distributed_attach(struct w2v_train_options *options, struct w2v_dist_sync *sync,
                            struct w2v_model *model, const struct w2v_vocab *vocab) {
    memset(sync, 0, sizeof *sync);
    if (!w2v_dist_active()) return;
    struct w2v_train_config *c = &options->config;
    if (!c->keep_model) { /* the first B of the sync is the starting model */
        w2v_model_init(model, vocab->size, w2v_loss_ops_for(c->loss)->output_rows(vocab->size),
                       c->dim, c->seed);
        c->keep_model = true;
    }
    c->part = (uint32_t)w2v_dist_rank();
    c->parts = (uint32_t)w2v_dist_size();
    c->pause_every_words = options->sync_every ? options->sync_every : W2V_DEFAULT_SYNC_EVERY;
    c->pause_after_epoch = true;
    c->on_pause = w2v_dist_sync_pause;
    c->pause_context = sync;
    w2v_dist_sync_init(sync, model);
    sync->min_rows = options->sync_min_words ? options->sync_min_words : W2V_DEFAULT_SYNC_MIN_WORDS;
    sync->tree_outputs = w2v_loss_uses_tree(c->loss);
    sync->average = options->sync_average != 0;
}

void w2v_distributed_detach(struct w2v_dist_sync *sync) {
    w2v_dist_sync_free(sync);
}

_Noreturn void w2v_distributed_abort(void) {
    fprintf(stderr, "w2v: rank %d: %s\n", w2v_dist_rank(), w2v_last_error());
    fflush(stderr);
    w2v_dist_abort();
}

void w2v_distributed_json(FILE *out, const struct w2v_train_options *options) {
    struct w2v_dist_stats stats;
    w2v_dist_get_stats(&stats);
    fprintf(out,
            ",\"ranks\":%d,\"sync_every\":%" PRIu64 ",\"syncs\":%" PRIu64
            ",\"synced_rows\":%" PRIu64 ",\"comm_bytes\":%" PRIu64 ",\"comm_seconds\":%.6f",
            w2v_dist_size(),
            w2v_dist_active() ? (options->sync_every ? options->sync_every : W2V_DEFAULT_SYNC_EVERY)
                              : 0,
            stats.syncs, stats.rows, stats.bytes, stats.seconds);
}
