/* cmd_train.c — `w2v train`: corpus → vocabulary → id stream → Hogwild training → vectors file;
 * and the long-run paths: --checkpoint (checkpointing.c), --resume, --update-vocab,
 * --init-vectors/--init-output, --save-output, --save-every-epoch. */
#include "commands.h"

#include "checkpointing.h"
#include "dist.h"
#include "distributed.h"
#include "epoch_eval.h"
#include "json.h"
#include "options.h"
#include "train_options.h"
#include "w2v/alloc.h"
#include "w2v/atomic_file.h"
#include "w2v/blas_pool.h"
#include "w2v/checkpoint.h"
#include "w2v/classes.h"
#include "w2v/error.h"
#include "w2v/input.h"
#include "w2v/kernels.h"
#include "w2v/pipeline.h"
#include "w2v/progress.h"
#include "w2v/signals.h"
#include "w2v/train.h"
#include "w2v/vectors.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void print_json(const struct w2v_train_options *options, const struct w2v_pipeline *pipeline,
                       const struct w2v_train_report *report, const struct w2v_epoch_eval *eval,
                       const struct w2v_checkpointer *checkpointer) {
    const struct w2v_train_config *c = &options->config;
    printf("{\"model\":\"%s\",\"loss\":\"%s\",\"final_loss\":%.6f,\"dim\":%u,\"window\":%u,"
           "\"negative\":%u,\"sample\":%g,\"alpha\":%g,\"epochs\":%u,\"threads\":%u,"
           "\"batch\":\"%s\",\"hs_pair_nodes\":%u,\"combine\":%u,\"isa\":\"%s\",\"vocab_size\":%u,"
           "\"corpus_tokens\":"
           "%" PRIu64 ",\"corpus_words\":%" PRIu64
           ",\"vocab_seconds\":%.6f,\"encode_seconds\":%.6f,"
           "\"train_seconds\":%.6f,\"words_per_sec\":%.1f,\"kept_words\":%" PRIu64
           ",\"kept_words_per_sec\":%.1f,\"flops\":%" PRIu64 ",\"gflops\":%.3f,"
           "\"epoch_losses\":[",
           w2v_model_kind_name(c->model), w2v_loss_name(c->loss), report->loss, c->dim, c->window,
           w2v_loss_uses_negatives(c->loss) ? c->negative : 0, c->sample, w2v_train_alpha(c),
           c->epochs, c->threads, c->batch == W2V_BATCH_WINDOW ? "window" : "pair",
           c->hs_pair_nodes, w2v_train_combine(c), report->isa, pipeline->vocab.size,
           pipeline->vocab_report.corpus_tokens, pipeline->encoded.token_count,
           pipeline->vocab_report.seconds, pipeline->encoded.seconds, report->seconds,
           report->words_per_sec, report->kept_words, report->kept_words_per_sec, report->flops,
           report->seconds > 0 ? (double)report->flops / report->seconds * 1e-9 : 0.0);
    for (uint32_t e = 0; e < c->epochs; e++) printf("%s%.6f", e ? "," : "", report->epoch_loss[e]);
    printf("]");
    if (eval->has_questions) {
        printf(",\"analogy_accuracy\":");
        w2v_json_number_as(stdout, "%.6f", eval->last_accuracy);
    }
    if (eval->has_pairs) {
        printf(",\"similarity_spearman\":");
        w2v_json_number_as(stdout, "%.6f", eval->last_spearman);
    }
    printf(",\"checkpoints\":%u,\"checkpoint_last_seconds\":%.6f,\"checkpoint_last_bytes\":%" PRIu64
           ",\"checkpoint_total_seconds\":%.6f",
           checkpointer->count, checkpointer->last_seconds, checkpointer->last_bytes,
           checkpointer->total_seconds);
    w2v_distributed_json(stdout, options);
    printf("}\n");
    fflush(stdout);
}

void w2v_train_report_start(const struct w2v_train_options *options,
                            const struct w2v_pipeline *pipeline) {
    if (options->config.quiet) return;
    const struct w2v_vocab_report *vocab_report = &pipeline->vocab_report;
    const struct w2v_encoded_corpus *encoded = &pipeline->encoded;
    if (vocab_report->truncated_tokens)
        fprintf(stderr, "w2v: warning: %" PRIu64 " words longer than %u bytes were cut\n",
                vocab_report->truncated_tokens, options->input.max_token_bytes);
    if (encoded->cut_lines)
        fprintf(stderr, "w2v: note: %" PRIu64 " lines longer than %u words were cut into pieces\n",
                encoded->cut_lines, options->input.max_sentence);
    if (vocab_report->pruned_words) /* --vocab-memory (vocab.h) */
        fprintf(stderr,
                "w2v: note: counting memory (--vocab-memory) was full: %" PRIu64
                " words seen fewer than %" PRIu64 " times were pruned\n",
                vocab_report->pruned_words, vocab_report->prune_threshold);
    fprintf(stderr,
            "vocabulary: %u words (min-count %" PRIu64 ") in %.2f s; corpus: %" PRIu64
            " words in vocabulary, %" PRIu64 " sentences, encoded in %.2f s\n",
            pipeline->vocab.size, options->input.min_count, vocab_report->seconds,
            encoded->token_count, encoded->sentence_count, encoded->seconds);
    const struct w2v_train_config *c = &options->config;
    fprintf(stderr,
            "training: %s/%s, dim %u, window %u, negative %u, sample %g, alpha %g, %u epochs, "
            "%u threads, %s kernels",
            w2v_model_kind_name(c->model), w2v_loss_name(c->loss), c->dim, c->window,
            w2v_loss_uses_negatives(c->loss) ? c->negative : 0, c->sample, w2v_train_alpha(c),
            c->epochs, c->threads, w2v_kernels_get()->isa_name);
    if (c->batch == W2V_BATCH_PAIR) fprintf(stderr, ", pair batches");
    if (c->hs_pair_nodes) fprintf(stderr, ", the top %u path nodes pair by pair", c->hs_pair_nodes);
    const uint32_t combine = w2v_train_combine(c);
    if (combine > 1) fprintf(stderr, ", up to %u windows combined", combine);
    fprintf(stderr, "\n");
}

void w2v_train_report_done(const struct w2v_train_report *report) {
    char rate[32], kept_rate[32];
    w2v_format_count(report->words_per_sec, rate, sizeof rate);
    w2v_format_count(report->kept_words_per_sec, kept_rate, sizeof kept_rate);
    fprintf(stderr,
            "done: %" PRIu64 " words in %.2f s: %s words/s (%s kept words/s after subsampling), "
            "final loss %.6f\n",
            report->words_done, report->seconds, rate, kept_rate, report->loss);
}

/* -classes K: k-means over the trained vectors, "word class" lines (word2vec.c's output,
 * text whatever -binary says, as word2vec.c writes it). */
static int write_classes(FILE *out, const struct w2v_vectors *view,
                         const struct w2v_train_options *options) {
    struct w2v_classes_options classes;
    w2v_classes_options_default(&classes);
    classes.k = options->classes;
    classes.seed = options->config.seed;
    classes.threads = options->config.threads;
    uint32_t *class_of = w2v_xmalloc((view->count + 1ull) * sizeof *class_of);
    struct w2v_classes_stats stats;
    int status = w2v_classes_kmeans(view, &classes, class_of, &stats);
    if (status == 0) {
        w2v_classes_write_stream(out, view, class_of);
        if (!options->config.quiet)
            fprintf(stderr,
                    "classes: %u classes of %" PRIu64
                    " words, %u k-means iterations%s, mean cosine to "
                    "the centre %.4f, %.2f s\n",
                    classes.k, (uint64_t)view->count, stats.iterations,
                    stats.converged ? " (converged)" : "", stats.mean_cosine, stats.seconds);
    }
    w2v_free(class_of);
    return status;
}

/* ---- long runs: resume, warm starts, extra outputs ---- */

/* What runs after each epoch: the quality figures and --save-every-epoch. */
struct epoch_hooks {
    struct w2v_epoch_eval *eval;
    const struct w2v_train_options *options;
};

static int on_epoch_end(void *context, uint32_t epoch, const struct w2v_vectors *vectors) {
    struct epoch_hooks *hooks = context;
    if ((hooks->eval->has_questions || hooks->eval->has_pairs) &&
        w2v_epoch_eval_run(hooks->eval, epoch, vectors) != 0)
        return -1;
    const struct w2v_train_options *options = hooks->options;
    if (options->save_every_epoch && options->output_path) {
        char path[4096];
        snprintf(path, sizeof path, "%s.epoch-%u", options->output_path, epoch + 1);
        if (w2v_vectors_write(path, vectors, options->binary) != 0) return -1;
    }
    return 0;
}

/* The output rows that belong to words (ns and softmax: all; hs+ns: ns's), or −1 (hs). */
static int64_t output_word_rows(const struct w2v_train_config *config, uint32_t vocab_size) {
    switch (config->loss) {
    case W2V_LOSS_NS:
    case W2V_LOSS_SOFTMAX:
        return 0;
    case W2V_LOSS_HS_NS:
        return (int64_t)vocab_size - 1;
    case W2V_LOSS_HS:
        break;
    }
    return -1;
}

/* --save-output: the output vectors of the words, in word2vec format. */
static void write_output_vectors(FILE *out, const struct w2v_model *model,
                                 const struct w2v_vocab *vocab, int64_t first_row, bool binary) {
    struct w2v_vectors view;
    w2v_train_vectors_view(model, vocab, &view);
    view.rows = model->output + (size_t)first_row * model->stride;
    w2v_vectors_write_stream(out, &view, binary);
    w2v_train_vectors_free(&view);
}

/* Copies the rows of `file`'s words that the vocabulary has into `rows`
 * (stride apart); how many were found goes to *found. */
static int copy_known_rows(const char *path, const struct w2v_vocab *vocab, float *rows,
                           size_t stride, uint32_t dim, uint64_t *found) {
    struct w2v_vectors file;
    if (w2v_vectors_read(path, &file) != 0) return -1;
    if (file.dim != dim) {
        uint32_t file_dim = file.dim;
        w2v_vectors_free(&file);
        return w2v_error("'%s' has vectors of dimension %u; this training uses --size %u", path,
                         file_dim, dim);
    }
    *found = 0;
    for (uint64_t i = 0; i < file.count; i++) {
        int64_t id = w2v_vocab_find(vocab, file.words[i], (uint32_t)strlen(file.words[i]));
        if (id < 0) continue;
        memcpy(rows + (size_t)id * stride, w2v_vectors_row(&file, i), dim * sizeof(float));
        (*found)++;
    }
    uint64_t count = file.count;
    w2v_vectors_free(&file);
    if (*found == 0)
        return w2v_error("none of the %" PRIu64 " words of '%s' is in the vocabulary", count, path);
    return 0;
}

/* --init-vectors (and --init-output): a model initialised as usual, then the
 * rows of the words the files share with the vocabulary replaced. */
static int warm_start(struct w2v_model *model, const struct w2v_train_options *options,
                      const struct w2v_vocab *vocab) {
    const struct w2v_train_config *c = &options->config;
    w2v_model_init(model, vocab->size, w2v_loss_ops_for(c->loss)->output_rows(vocab->size), c->dim,
                   c->seed, c->threads);
    uint64_t found;
    if (copy_known_rows(options->init_vectors_path, vocab, model->input, model->stride, c->dim,
                        &found) != 0)
        return -1;
    if (!c->quiet)
        fprintf(stderr, "warm start: input vectors of %" PRIu64 " of %u words from %s\n", found,
                vocab->size, options->init_vectors_path);
    if (options->init_output_path) {
        int64_t first = output_word_rows(c, vocab->size);
        if (first < 0)
            return w2v_error("--init-output needs output rows that are words (--loss ns, softmax "
                             "or hs+ns), not hs's tree nodes");
        if (copy_known_rows(options->init_output_path, vocab,
                            model->output + (size_t)first * model->stride, model->stride, c->dim,
                            &found) != 0)
            return -1;
        if (!c->quiet)
            fprintf(stderr, "warm start: output vectors of %" PRIu64 " words from %s\n", found,
                    options->init_output_path);
    }
    return 0;
}

/* Writes "word count" lines to a new temporary file (tracked for signals);
 * its path goes to *path (free with w2v_free after unlinking). */
static int write_temp_vocab(char **path, char *const *words, const uint64_t *counts, uint32_t size,
                            int *tracked) {
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir) dir = "/tmp";
    size_t len = strlen(dir) + sizeof "/w2v-vocab-XXXXXX";
    *path = w2v_xmalloc(len);
    snprintf(*path, len, "%s/w2v-vocab-XXXXXX", dir);
    int fd = mkstemp(*path);
    if (fd < 0) return w2v_error("cannot create a temporary file in %s: %s", dir, strerror(errno));
    *tracked = w2v_signals_track_file(*path);
    FILE *fp = fdopen(fd, "w");
    if (!fp) {
        close(fd);
        return w2v_error("cannot write a temporary file in %s: %s", dir, strerror(errno));
    }
    for (uint32_t i = 0; i < size; i++) fprintf(fp, "%s %" PRIu64 "\n", words[i], counts[i]);
    int failed = ferror(fp) != 0;
    if (fclose(fp) != 0) failed = 1;
    return failed ? w2v_error("cannot write a temporary file in %s", dir) : 0;
}

/* What --resume and --update-vocab keep between their steps. */
struct resume {
    struct w2v_checkpoint checkpoint;
    char *vocab_path; /* the checkpoint's (or the merged) vocabulary, as a file for the pipeline */
    int vocab_tracked;
};

static void resume_free(struct resume *r) {
    if (r->vocab_path) {
        unlink(r->vocab_path);
        w2v_signals_untrack_file(r->vocab_tracked);
    }
    w2v_free(r->vocab_path);
    w2v_checkpoint_free(&r->checkpoint);
}

/* --update-vocab: the old words (a checkpoint's, with their counts; or a
 * vector file's, without) with the new corpus's counts added, and the new
 * corpus's words of at least --min-count after them (gensim's
 * build_vocab(update=True)). A vector file's word gets its count in the new
 * corpus, at least --min-count, so that it stays. */
static int merge_vocab(struct resume *r, const struct w2v_train_options *options,
                       char *const *old_words, const uint64_t *old_counts, uint32_t old_size,
                       const char *from) {
    struct w2v_pipeline_options count_all = options->input;
    count_all.min_count = 1;
    count_all.max_vocab = 0;
    count_all.read_vocab_path = NULL;
    struct w2v_pipeline counted;
    if (w2v_pipeline_open(&counted, &count_all) != 0) return -1;
    const uint64_t min_count = options->input.min_count;
    const struct w2v_vocab *fresh = &counted.vocab;
    uint64_t capacity = (uint64_t)old_size + fresh->size;
    char **words = w2v_xcalloc(capacity + 1, sizeof *words);
    uint64_t *counts = w2v_xcalloc(capacity + 1, sizeof *counts);
    uint32_t size = 0;
    bool *old = w2v_xcalloc(fresh->size + 1ull, sizeof *old);
    for (uint32_t id = 0; id < old_size; id++) {
        int64_t seen = w2v_vocab_find(fresh, old_words[id], (uint32_t)strlen(old_words[id]));
        uint64_t more = seen >= 0 ? w2v_vocab_count(fresh, (uint32_t)seen) : 0;
        words[size] = old_words[id];
        counts[size++] = old_counts ? old_counts[id] + more : more > min_count ? more : min_count;
        if (seen >= 0) old[seen] = true;
    }
    uint32_t added = 0;
    for (uint32_t id = 0; id < fresh->size; id++)
        if (!old[id] && w2v_vocab_count(fresh, id) >= min_count) {
            words[size] = (char *)w2v_vocab_word(fresh, id);
            counts[size++] = w2v_vocab_count(fresh, id);
            added++;
        }
    int status = write_temp_vocab(&r->vocab_path, words, counts, size, &r->vocab_tracked);
    if (status == 0 && !options->config.quiet)
        fprintf(stderr, "update-vocab: %u words from %s, %u new from %s\n", old_size, from, added,
                options->input.train_path);
    w2v_free(old);
    w2v_free(words);
    w2v_free(counts);
    w2v_pipeline_close(&counted);
    return status;
}

/* --init-vectors FILE --update-vocab: FILE's words and the new corpus's. */
static int merge_vectors_vocab(struct resume *r, const struct w2v_train_options *options) {
    struct w2v_vectors file;
    if (w2v_vectors_read(options->init_vectors_path, &file) != 0) return -1;
    int status = file.count > UINT32_MAX - 2
                     ? w2v_error("'%s' has too many words", options->init_vectors_path)
                     : merge_vocab(r, options, file.words, NULL, (uint32_t)file.count,
                                   options->init_vectors_path);
    w2v_vectors_free(&file);
    return status;
}

/* --resume FILE: reads the checkpoint and takes its settings, corpus and
 * vocabulary. A setting given again must agree (usage error: returns −2);
 * --update-vocab lets all but the model's shape (model, loss, size) change. */
static int prepare_resume(struct resume *r, struct w2v_train_options *options) {
    if (options->init_vectors_path || options->input.read_vocab_path)
        return w2v_error("--resume takes the vectors and vocabulary from the checkpoint: leave "
                         "out --init-vectors and --read-vocab"),
               -2;
    if (options->update_vocab && !options->input.train_path)
        return w2v_error("--update-vocab needs the new corpus (--train FILE)"), -2;
    if (w2v_checkpoint_read(options->resume_path, &r->checkpoint) != 0) return -1;
    const struct w2v_checkpoint *c = &r->checkpoint;
    bool finished = true; /* every rank's training (one process: the one) */
    for (uint32_t rank = 0; rank < c->ranks; rank++)
        finished = finished && w2v_checkpoint_state(c, rank)->epoch >= c->settings.epochs;
    if (!options->update_vocab && w2v_distributed_check_ranks(c, options->resume_path) != 0)
        return -1; /* mpirun -np N: the rank count that wrote it */
    if (finished && !options->update_vocab)
        return w2v_error("checkpoint '%s' is of a finished run (%u epochs): nothing to resume "
                         "(train on more text with --update-vocab and --train FILE)",
                         options->resume_path, c->settings.epochs);
    struct w2v_checkpoint_settings given, merged = c->settings;
    w2v_checkpoint_settings_from(&given, &options->config, &options->input);
    for (uint32_t i = 0; i < w2v_checkpoint_setting_count(); i++) {
        if (!(options->given_settings >> i & 1)) continue;
        const char *name = w2v_checkpoint_setting_name(i);
        bool shape = !strcmp(name, "model") || !strcmp(name, "loss") || !strcmp(name, "size");
        if (options->update_vocab && !shape) { /* a new run on new text: its own schedule */
            w2v_checkpoint_setting_copy(&merged, &given, i);
            continue;
        }
        char was[64], now[64];
        w2v_checkpoint_setting_text(&c->settings, i, was, sizeof was);
        w2v_checkpoint_setting_text(&given, i, now, sizeof now);
        if (strcmp(was, now) != 0)
            return w2v_error("--%s %s differs from the checkpoint's %s (a resumed run keeps its "
                             "settings: leave --%s out)",
                             name, now, was, name),
                   -2;
    }
    w2v_checkpoint_settings_apply(&merged, &options->config, &options->input);
    const uint32_t rank = (uint32_t)w2v_dist_rank() < c->ranks ? (uint32_t)w2v_dist_rank() : 0;
    if (!options->threads_given) options->config.threads = w2v_checkpoint_state(c, rank)->threads;
    options->input.threads = options->config.threads;
    if (!options->input.train_path) options->input.train_path = c->corpus.path;
    if (options->update_vocab)
        return merge_vocab(r, options, c->words, c->counts, c->vocab_size, "the checkpoint");
    return write_temp_vocab(&r->vocab_path, c->words, c->counts, c->vocab_size, &r->vocab_tracked);
}

/* Whether `path` is a prepared corpus (`w2v prepare`), which brings its own
 * vocabulary. Standard input is never opened here (it would lose bytes). */
static bool is_prepared(const char *path) {
    struct w2v_input input;
    if (strcmp(path, "-") == 0 || w2v_input_open(&input, path) != 0) return false;
    bool prepared = input.kind == W2V_INPUT_PREPARED;
    w2v_input_close(&input);
    return prepared;
}

/* After the pipeline: the vocabulary and corpus must be the checkpoint's. */
static int check_resumed_corpus(const struct resume *r, const struct w2v_pipeline *pipeline,
                                const struct w2v_checkpoint_corpus *now) {
    const struct w2v_checkpoint *c = &r->checkpoint;
    bool same = pipeline->vocab.size == c->vocab_size;
    for (uint32_t id = 0; same && id < c->vocab_size; id++)
        same = strcmp(w2v_vocab_word(&pipeline->vocab, id), c->words[id]) == 0;
    if (!same)
        return w2v_error("the vocabulary rebuilt from checkpoint '%s' differs from the one it "
                         "recorded",
                         r->checkpoint.corpus.path);
    return w2v_checkpoint_corpus_check(&c->corpus, now);
}

/* --update-vocab: the checkpoint's rows for the words it had (input rows; output
 * rows by word for ns and softmax, by position for hs's tree, as gensim does),
 * the usual initialisation for new words. */
static void carry_rows(struct w2v_model *model, const struct w2v_checkpoint *c,
                       const struct w2v_train_config *config, const struct w2v_vocab *vocab) {
    w2v_model_init(model, vocab->size, w2v_loss_ops_for(config->loss)->output_rows(vocab->size),
                   config->dim, config->seed, config->threads);
    const struct w2v_model *old = &c->model;
    const size_t row_bytes = config->dim * sizeof(float);
    int64_t first_new = output_word_rows(config, vocab->size);
    int64_t first_old = output_word_rows(config, c->vocab_size);
    for (uint32_t o = 0; o < c->vocab_size; o++) {
        int64_t id = w2v_vocab_find(vocab, c->words[o], (uint32_t)strlen(c->words[o]));
        if (id < 0) continue;
        memcpy(w2v_model_input_row(model, (uint32_t)id), w2v_model_input_row(old, o), row_bytes);
        if (first_new >= 0)
            memcpy(w2v_model_output_row(model, (uint32_t)(first_new + id)),
                   w2v_model_output_row(old, (uint32_t)(first_old + o)), row_bytes);
    }
    if (w2v_loss_uses_tree(config->loss)) { /* hs's inner nodes, by position */
        uint32_t nodes = c->vocab_size - 1 < vocab->size - 1 ? c->vocab_size - 1 : vocab->size - 1;
        for (uint32_t n = 0; n < nodes; n++)
            memcpy(w2v_model_output_row(model, n), w2v_model_output_row(old, n), row_bytes);
    }
}

/* --hs-pair-nodes D > 0 splits skip-gram's hierarchical-softmax window batch
 * (step.h); anywhere else it would do nothing, so it is refused, not ignored.
 * Checked on the settings a resumed run takes from its checkpoint too. */
static int check_hs_pair_nodes(const struct w2v_train_config *c) {
    if (c->hs_pair_nodes == 0) return 0;
    if (c->loss != W2V_LOSS_HS)
        return w2v_error("--hs-pair-nodes %u needs --loss hs (hierarchical softmax alone), "
                         "not --loss %s",
                         c->hs_pair_nodes, w2v_loss_name(c->loss));
    if (c->model != W2V_MODEL_SKIPGRAM)
        return w2v_error("--hs-pair-nodes %u needs skip-gram: CBOW scores the path once per "
                         "window, with nothing to split",
                         c->hs_pair_nodes);
    if (c->batch != W2V_BATCH_WINDOW)
        return w2v_error("--hs-pair-nodes %u splits --batch window; --batch pair already takes "
                         "every node pair by pair",
                         c->hs_pair_nodes);
    return 0;
}

/* --combine C > 1 (combine.h) shares negative sampling's draws between
 * skip-gram windows of one window batch; anywhere else it is refused, not
 * ignored. Checked on the settings a resumed run takes from its checkpoint too. */
static int check_combine(const struct w2v_train_config *c) {
    if (c->combine <= 1) return 0;
    if (c->loss != W2V_LOSS_NS)
        return w2v_error("--combine %u needs --loss ns (negative sampling alone), not --loss %s",
                         c->combine, w2v_loss_name(c->loss));
    if (c->model != W2V_MODEL_SKIPGRAM)
        return w2v_error("--combine %u needs skip-gram: it combines skip-gram windows", c->combine);
    if (c->batch != W2V_BATCH_WINDOW)
        return w2v_error("--combine %u combines window batches; --batch pair has none", c->combine);
    return 0;
}

static int run_train(int argc, char **argv, enum w2v_train_dialect dialect) {
    struct w2v_train_options options;
    int parsed = w2v_train_options_parse(&options, argc, argv, dialect);
    if (parsed != 0) return w2v_options_stop(parsed);
    const struct w2v_train_config *c = &options.config;
    if (w2v_distributed_adjust(&options) != 0) return w2v_usage_error(); /* under mpirun */
    if (options.stop_after.seconds == 0 && options.stop_after.words == 0 ? false
                                                                         : !options.checkpoint_path)
        return w2v_error("--stop-after needs --checkpoint FILE (where the run is saved)"),
               w2v_usage_error();
    if (options.init_output_path && !options.init_vectors_path)
        return w2v_error("--init-output needs --init-vectors too"), w2v_usage_error();
    if (options.update_vocab && !options.resume_path && !options.init_vectors_path)
        return w2v_error("--update-vocab extends the vocabulary of --resume FILE or "
                         "--init-vectors FILE"),
               w2v_usage_error();
    if (!options.resume_path && (check_hs_pair_nodes(c) != 0 || check_combine(c) != 0))
        return w2v_usage_error(); /* resumed: checked below */
    if (options.save_output_path && output_word_rows(c, 1) < 0)
        return w2v_error("--save-output needs output rows that are words (--loss ns, softmax or "
                         "hs+ns), not hs's tree nodes"),
               w2v_usage_error();

    w2v_blas_pool_stop(); /* its spinning workers would share the cores below */
    struct w2v_atomic_file output = {0}, vocab_file = {0}, output_vectors = {0};
    struct w2v_pipeline pipeline = {0};
    struct w2v_model model = {0};
    struct w2v_train_report report;
    struct w2v_epoch_eval eval = {0};
    struct resume resume = {0};
    struct w2v_checkpointer checkpointer = {0};
    struct w2v_dist_sync sync = {0};
    bool agreed = false; /* under mpirun: the ranks' one agreement before training was made */
    bool trained_together = false; /* ... and their training ended together */
    int status = -1, exit_status = 1;

    if (options.resume_path) {
        int prepared = prepare_resume(&resume, &options);
        if (prepared == -2) {
            resume_free(&resume);
            return w2v_usage_error();
        }
        if (prepared != 0) goto done;
        if (check_hs_pair_nodes(c) != 0 ||
            check_combine(c) != 0) { /* --update-vocab may set them */
            resume_free(&resume);
            return w2v_usage_error();
        }
        options.input.read_vocab_path = resume.vocab_path;
        if (!options.update_vocab && is_prepared(options.input.train_path))
            options.input.read_vocab_path = NULL; /* it brings its vocabulary: checked below */
    } else if (options.update_vocab) {            /* --init-vectors FILE --update-vocab */
        if (options.input.read_vocab_path) {
            w2v_error("--update-vocab makes the vocabulary: leave out --read-vocab");
            resume_free(&resume);
            return w2v_usage_error();
        }
        if (merge_vectors_vocab(&resume, &options) != 0) goto done;
        options.input.read_vocab_path = resume.vocab_path;
    }
    if (c->model == W2V_MODEL_CBOW && c->cbow_update == W2V_CBOW_MEAN && !options.alpha_given &&
        !options.resume_path)
        fprintf(stderr,
                "w2v: warning: --cbow-update mean gives each context row 1/M of the "
                "update; at the default alpha %g it learns slowly (raise --alpha)\n",
                w2v_train_alpha(c));

    /* No output may replace an input (the corpus, the vocabulary read). */
    w2v_atomic_note_input(options.input.train_path);
    w2v_atomic_note_input(options.input.read_vocab_path);
    w2v_atomic_note_input(options.init_vectors_path);
    w2v_atomic_note_input(options.init_output_path);
    /* Outputs are opened first: an unwritable path fails now, not after hours of training. */
    if (options.output_path && w2v_atomic_open(&output, options.output_path) != 0) goto done;
    if (options.save_vocab_path && w2v_atomic_open(&vocab_file, options.save_vocab_path) != 0)
        goto done;
    if (options.save_output_path && w2v_atomic_open(&output_vectors, options.save_output_path) != 0)
        goto done;
    if (options.checkpoint_path && w2v_dist_rank() == 0) { /* writable? (rank 0 writes them) */
        struct w2v_atomic_file probe;
        if (w2v_atomic_open(&probe, options.checkpoint_path) != 0) goto done;
        w2v_atomic_abort(&probe);
    }
    if (!options.output_path && !options.config.quiet)
        fprintf(stderr, "w2v: note: no --output given, the vectors will not be saved\n");

    if (w2v_epoch_eval_init(&eval, options.eval_analogy_path, options.eval_similarity_path) != 0)
        goto done;
    struct epoch_hooks hooks = {&eval, &options};
    if (eval.has_questions || eval.has_pairs || options.save_every_epoch) {
        options.config.on_epoch_end = on_epoch_end;
        options.config.on_epoch_context = &hooks;
    }
    if (w2v_pipeline_open(&pipeline, &options.input) != 0) goto done;
    agreed = true;
    if (w2v_distributed_agree(0, &pipeline, options.resume_path ? &resume.checkpoint : NULL) != 0)
        goto done_quietly;
    if (options.classes > pipeline.vocab.size) { /* before hours of training, not after */
        w2v_error("-classes %u is more than the %u words of the vocabulary", options.classes,
                  pipeline.vocab.size);
        goto done;
    }
    if (options.checkpoint_path || (options.resume_path && !options.update_vocab)) {
        if (w2v_checkpoint_corpus_identify(&checkpointer.corpus, options.input.train_path,
                                           &pipeline.encoded) != 0)
            goto done;
    }
    if (options.resume_path && !options.update_vocab &&
        check_resumed_corpus(&resume, &pipeline, &checkpointer.corpus) != 0)
        goto done;
    w2v_train_report_start(&options, &pipeline);

    if (options.resume_path && options.update_vocab) {
        carry_rows(&model, &resume.checkpoint, &options.config, &pipeline.vocab);
        options.config.keep_model = true;
    } else if (options.resume_path) {
        model = resume.checkpoint.model; /* the matrices move over */
        memset(&resume.checkpoint.model, 0, sizeof resume.checkpoint.model);
        options.config.keep_model = true;
        options.config.resume = w2v_distributed_resume_state(&resume.checkpoint); /* this rank's */
        if (!options.config.quiet)
            fprintf(stderr, "resuming %s: epoch %u, %" PRIu64 " of %" PRIu64 " words done\n",
                    options.resume_path, resume.checkpoint.state.epoch + 1,
                    resume.checkpoint.state.words_done,
                    pipeline.encoded.token_count * options.config.epochs);
    } else if (options.init_vectors_path) {
        if (warm_start(&model, &options, &pipeline.vocab) != 0) goto done;
        options.config.keep_model = true;
    }
    if (options.checkpoint_path) {
        checkpointer.path = options.checkpoint_path;
        checkpointer.stop_after = options.stop_after;
        checkpointer.vocab = &pipeline.vocab;
        w2v_checkpoint_settings_from(&checkpointer.settings, &options.config, &options.input);
        struct w2v_duration every = options.checkpoint_every;
        if (every.seconds == 0 && every.words == 0) every.seconds = 600;
        w2v_checkpointer_attach(&checkpointer, &options.config, &every);
        w2v_signals_set_graceful(true); /* SIGTERM/SIGINT: checkpoint, then stop */
    }

    w2v_distributed_attach(&options, &sync, &model, &pipeline.vocab, &checkpointer,
                           options.resume_path && !options.update_vocab ? &resume.checkpoint
                                                                        : NULL); /* mpirun */

    int trained =
        w2v_distributed_finished(&options.config) /* resumed, done, peers not yet */
            ? w2v_distributed_finish(&model, &options.config, &report)
            : w2v_train(&model, &pipeline.encoded, &pipeline.vocab, &options.config, &report);
    if (trained < 0 && w2v_dist_active() && !checkpointer.failed_together)
        w2v_distributed_abort(); /* peers may wait in a sync */
    trained_together = true;
    if (trained == 0 && checkpointer.job_stopped)
        trained = W2V_TRAIN_STOPPED; /* done, others not */
    if (trained < 0 && checkpointer.failed_together && w2v_dist_rank() != 0)
        goto done_quietly; /* rank 0 says why */
    w2v_signals_set_graceful(false);
    if (trained == W2V_TRAIN_STOPPED) {
        char why[64];
        if (checkpointer.stop_signal)
            snprintf(why, sizeof why, "by %s", strsignal(checkpointer.stop_signal));
        else
            snprintf(why, sizeof why, "by --stop-after");
        char launcher[48] = ""; /* mpirun: rank 0 alone says it, naming the rank count */
        if (w2v_dist_active())
            snprintf(launcher, sizeof launcher, "mpirun -np %d ", w2v_dist_size());
        if (w2v_dist_rank() == 0)
            fprintf(stderr,
                    "w2v: stopped %s in epoch %u/%u; checkpoint in %s: resume with "
                    "'%sw2v train --resume %s'\n",
                    why, report.epochs_done + 1, options.config.epochs, options.checkpoint_path,
                    launcher, options.checkpoint_path);
        status = 0, exit_status = 3;
        goto done;
    }
    if (trained != 0) goto done;
    if (!options.config.quiet) w2v_train_report_done(&report);
    if (output.fp) {
        struct w2v_vectors view;
        w2v_train_vectors_view(&model, &pipeline.vocab, &view);
        int written = 0;
        if (options.classes)
            written = write_classes(output.fp, &view, &options);
        else
            w2v_vectors_write_stream(output.fp, &view, options.binary);
        w2v_train_vectors_free(&view);
        if (written != 0) goto done;
        if (w2v_atomic_commit(&output) != 0) goto done;
    }
    if (output_vectors.fp) {
        write_output_vectors(output_vectors.fp, &model, &pipeline.vocab,
                             output_word_rows(&options.config, pipeline.vocab.size),
                             options.binary);
        if (w2v_atomic_commit(&output_vectors) != 0) goto done;
    }
    /* The vocabulary is committed only once training succeeded (issue 11, item 9). */
    if (vocab_file.fp) {
        w2v_vocab_write_stream(vocab_file.fp, &pipeline.vocab);
        if (w2v_atomic_commit(&vocab_file) != 0) goto done;
    }
    if (options.json) print_json(&options, &pipeline, &report, &eval, &checkpointer);
    status = 0, exit_status = 0;

done:
    /* Under mpirun, a failure before the ranks' agreement is the job's (the
     * others are waiting in it); after it, past training, it is this rank's. */
    if (status != 0 && w2v_dist_active() && !agreed) {
        agreed = true;
        w2v_distributed_agree(-1, NULL, NULL);
        goto done_quietly;
    }
    if (status != 0 && w2v_dist_active() && !trained_together) w2v_distributed_abort();
    if (status != 0) w2v_report_error();
done_quietly:
    if (output.fp) w2v_atomic_abort(&output);
    if (vocab_file.fp) w2v_atomic_abort(&vocab_file);
    if (output_vectors.fp) w2v_atomic_abort(&output_vectors);
    w2v_epoch_eval_free(&eval);
    w2v_model_free(&model);
    w2v_distributed_detach(&sync);
    w2v_pipeline_close(&pipeline);
    w2v_checkpointer_free(&checkpointer);
    resume_free(&resume);
    return exit_status;
}

int w2v_cmd_train(int argc, char **argv) {
    return run_train(argc, argv, W2V_DIALECT_W2V);
}

int w2v_cmd_word2vec(int argc, char **argv) {
    return run_train(argc, argv, W2V_DIALECT_WORD2VEC_C);
}
