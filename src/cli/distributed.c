/* distributed.c — `w2v train` under mpirun (see distributed.h). */
#include "distributed.h"

#include "dist.h"

#include "w2v/error.h"
#include "w2v/kernels.h"
#include "w2v/progress.h"

#include <inttypes.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

int w2v_distributed_adjust(struct w2v_train_options *options) {
    if (!w2v_dist_active()) return 0;
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

int w2v_distributed_agree(int status, const struct w2v_pipeline *pipeline,
                          const struct w2v_checkpoint *resumed) {
    if (!w2v_dist_active()) return status;
    bool same = true;
    uint64_t fingerprint = status == 0 && pipeline ? corpus_fingerprint(pipeline) : 0;
    if (status == 0 && resumed) /* and the checkpoint every rank resumes from */
        fingerprint =
            XXH3_64bits_withSeed(&resumed->checksum, sizeof resumed->checksum, fingerprint);
    const int failing = w2v_dist_agree(status, fingerprint, &same);
    if (failing >= 0) { /* the lowest failing rank alone says why (all may fail alike) */
        if (failing == w2v_dist_rank()) {
            fprintf(stderr, "w2v: rank %d: %s\n", w2v_dist_rank(), w2v_last_error());
            fflush(stderr);
        }
        return -1;
    }
    if (!same) {
        if (w2v_dist_rank() == 0)
            fprintf(stderr, "w2v: the ranks read different vocabularies, corpora or checkpoints "
                            "(every rank must read the same files: shared, or identical copies)\n");
        return -1;
    }
    return 0;
}

int w2v_distributed_check_ranks(const struct w2v_checkpoint *checkpoint, const char *path) {
    const uint32_t ranks = (uint32_t)w2v_dist_size();
    if (checkpoint->ranks == ranks) return 0;
    if (checkpoint->ranks == 1)
        return w2v_error("checkpoint '%s' was written by one process; this job has %u ranks: "
                         "resume it without mpirun",
                         path, ranks);
    return w2v_error("checkpoint '%s' was written by %u ranks; this job has %u: resume it with "
                     "mpirun -np %u",
                     path, checkpoint->ranks, ranks, checkpoint->ranks);
}

/* The words of one rank's state, unpublished ones included. */
static uint64_t state_words(const struct w2v_train_state *state) {
    uint64_t words = state->words_done;
    for (uint32_t t = 0; t < state->threads; t++) words += state->workers[t].unpublished_words;
    return words;
}

struct w2v_train_state *w2v_distributed_resume_state(struct w2v_checkpoint *checkpoint) {
    const uint32_t rank = (uint32_t)w2v_dist_rank();
    struct w2v_train_state *mine =
        rank == 0 ? &checkpoint->state : &checkpoint->rank_states[rank - 1];
    mine->words_elsewhere = 0;
    for (uint32_t r = 0; r < checkpoint->ranks; r++)
        if (r != rank) mine->words_elsewhere += w2v_checkpoint_state(checkpoint, r)->words_done;
    return mine;
}

bool w2v_distributed_finished(const struct w2v_train_config *config) {
    return w2v_dist_active() && config->resume && config->resume->epoch >= config->epochs;
}

int w2v_distributed_finish(struct w2v_model *model, const struct w2v_train_config *config,
                           struct w2v_train_report *report) {
    const struct w2v_train_state *state = config->resume;
    memset(report, 0, sizeof *report);
    struct w2v_progress progress;
    w2v_progress_init(&progress, config->quiet, config->epochs, NULL, NULL, state->words_done);
    uint64_t words_elsewhere = state->words_elsewhere;
    const struct w2v_train_pause pause = {.model = model,
                                          .state = state,
                                          .progress = &progress,
                                          .between_epochs = true,
                                          .training_over = true,
                                          .words_elsewhere = &words_elsewhere};
    int status = config->on_pause(config->pause_context, &pause);
    report->pauses = 1;
    report->corpus_words = 0;
    report->epochs_done = config->epochs;
    memcpy(report->epoch_loss, state->epoch_loss, sizeof report->epoch_loss);
    report->loss = state->epoch_loss[config->epochs - 1];
    report->kept_words = state->kept_words;
    report->predictions = state->predictions;
    report->isa = w2v_kernels_get()->isa_name;
    return status < 0 ? -1 : status;
}

void w2v_distributed_attach(struct w2v_train_options *options, struct w2v_dist_sync *sync,
                            struct w2v_model *model, const struct w2v_vocab *vocab,
                            struct w2v_checkpointer *checkpointer,
                            const struct w2v_checkpoint *resumed) {
    memset(sync, 0, sizeof *sync);
    if (!w2v_dist_active()) return;
    struct w2v_train_config *c = &options->config;
    if (resumed && resumed->ranks > 1) { /* the checkpoint's sync settings, unless given */
        if (!options->sync_every) options->sync_every = resumed->sync.every;
        if (!options->sync_min_words) options->sync_min_words = resumed->sync.min_words;
        if (resumed->sync.average) options->sync_average = 1;
    }
    if (!c->keep_model) { /* the first B of the sync is the starting model */
        w2v_model_init(model, vocab->size, w2v_loss_ops_for(c->loss)->output_rows(vocab->size),
                       c->dim, c->seed, c->threads);
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
    uint64_t words_so_far = 0;
    if (resumed) {
        sync->rounds = resumed->sync.rounds;
        for (uint32_t r = 0; r < resumed->ranks; r++)
            words_so_far += state_words(w2v_checkpoint_state(resumed, r));
    }
    if (checkpointer->path) w2v_checkpointer_attach_sync(checkpointer, c, sync, words_so_far);
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
