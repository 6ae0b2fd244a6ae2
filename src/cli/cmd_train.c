/* cmd_train.c — `w2v train`: corpus → vocabulary → id stream → Hogwild training → vectors file. */
#include "commands.h"

#include "epoch_eval.h"
#include "json.h"
#include "options.h"
#include "train_options.h"
#include "w2v/alloc.h"
#include "w2v/atomic_file.h"
#include "w2v/classes.h"
#include "w2v/error.h"
#include "w2v/kernels.h"
#include "w2v/pipeline.h"
#include "w2v/progress.h"
#include "w2v/train.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void print_json(const struct w2v_train_options *options, const struct w2v_pipeline *pipeline,
                       const struct w2v_train_report *report, const struct w2v_epoch_eval *eval) {
    const struct w2v_train_config *c = &options->config;
    printf("{\"model\":\"%s\",\"loss\":\"%s\",\"final_loss\":%.6f,\"dim\":%u,\"window\":%u,"
           "\"negative\":%u,\"sample\":%g,\"alpha\":%g,\"epochs\":%u,\"threads\":%u,"
           "\"batch\":\"%s\",\"isa\":\"%s\",\"vocab_size\":%u,\"corpus_tokens\":%" PRIu64
           ",\"corpus_words\":%" PRIu64 ",\"vocab_seconds\":%.6f,\"encode_seconds\":%.6f,"
           "\"train_seconds\":%.6f,\"words_per_sec\":%.1f,\"kept_words\":%" PRIu64
           ",\"kept_words_per_sec\":%.1f,\"flops\":%" PRIu64 ",\"gflops\":%.3f,"
           "\"epoch_losses\":[",
           w2v_model_kind_name(c->model), w2v_loss_name(c->loss), report->loss, c->dim, c->window,
           w2v_loss_uses_negatives(c->loss) ? c->negative : 0, c->sample, w2v_train_alpha(c),
           c->epochs, c->threads, c->batch == W2V_BATCH_WINDOW ? "window" : "pair", report->isa,
           pipeline->vocab.size, pipeline->vocab_report.corpus_tokens,
           pipeline->encoded.token_count, pipeline->vocab_report.seconds, pipeline->encoded.seconds,
           report->seconds, report->words_per_sec, report->kept_words, report->kept_words_per_sec,
           report->flops,
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
    fprintf(stderr,
            "vocabulary: %u words (min-count %" PRIu64 ") in %.2f s; corpus: %" PRIu64
            " words in vocabulary, %" PRIu64 " sentences, encoded in %.2f s\n",
            pipeline->vocab.size, options->input.min_count, vocab_report->seconds,
            encoded->token_count, encoded->sentence_count, encoded->seconds);
    const struct w2v_train_config *c = &options->config;
    fprintf(stderr,
            "training: %s/%s, dim %u, window %u, negative %u, sample %g, alpha %g, %u epochs, "
            "%u threads, %s kernels\n",
            w2v_model_kind_name(c->model), w2v_loss_name(c->loss), c->dim, c->window,
            w2v_loss_uses_negatives(c->loss) ? c->negative : 0, c->sample, w2v_train_alpha(c),
            c->epochs, c->threads, w2v_kernels_get()->isa_name);
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

static int run_train(int argc, char **argv, enum w2v_train_dialect dialect) {
    struct w2v_train_options options;
    int parsed = w2v_train_options_parse(&options, argc, argv, dialect);
    if (parsed != 0) return w2v_options_stop(parsed);
    const struct w2v_train_config *c = &options.config;
    if (c->model == W2V_MODEL_CBOW && c->cbow_update == W2V_CBOW_MEAN && !options.alpha_given)
        fprintf(stderr,
                "w2v: warning: --cbow-update mean gives each context row 1/M of the "
                "update; at the default alpha %g it learns slowly (raise --alpha)\n",
                w2v_train_alpha(c));

    struct w2v_atomic_file output = {0}, vocab_file = {0};
    struct w2v_pipeline pipeline = {0};
    struct w2v_model model = {0};
    struct w2v_train_report report;
    struct w2v_epoch_eval eval = {0};
    int status = -1;

    /* Outputs are opened first: an unwritable path fails now, not after hours of training. */
    if (options.output_path && w2v_atomic_open(&output, options.output_path) != 0) goto done;
    if (options.save_vocab_path && w2v_atomic_open(&vocab_file, options.save_vocab_path) != 0)
        goto done;
    if (!options.output_path && !options.config.quiet)
        fprintf(stderr, "w2v: note: no --output given, the vectors will not be saved\n");

    if (w2v_epoch_eval_init(&eval, options.eval_analogy_path, options.eval_similarity_path) != 0)
        goto done;
    if (eval.has_questions || eval.has_pairs) {
        options.config.on_epoch_end = w2v_epoch_eval_run;
        options.config.on_epoch_context = &eval;
    }
    if (w2v_pipeline_open(&pipeline, &options.input) != 0) goto done;
    if (options.classes > pipeline.vocab.size) { /* before hours of training, not after */
        w2v_error("-classes %u is more than the %u words of the vocabulary", options.classes,
                  pipeline.vocab.size);
        goto done;
    }
    if (vocab_file.fp) {
        w2v_vocab_write_stream(vocab_file.fp, &pipeline.vocab);
        if (w2v_atomic_commit(&vocab_file) != 0) goto done;
    }
    w2v_train_report_start(&options, &pipeline);

    if (w2v_train(&model, &pipeline.encoded, &pipeline.vocab, &options.config, &report) != 0)
        goto done;
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
    if (options.json) print_json(&options, &pipeline, &report, &eval);
    status = 0;

done:
    if (status != 0) w2v_report_error();
    if (output.fp) w2v_atomic_abort(&output);
    if (vocab_file.fp) w2v_atomic_abort(&vocab_file);
    w2v_epoch_eval_free(&eval);
    w2v_model_free(&model);
    w2v_pipeline_close(&pipeline);
    return status == 0 ? 0 : 1;
}

int w2v_cmd_train(int argc, char **argv) {
    return run_train(argc, argv, W2V_DIALECT_W2V);
}

int w2v_cmd_word2vec(int argc, char **argv) {
    return run_train(argc, argv, W2V_DIALECT_WORD2VEC_C);
}
