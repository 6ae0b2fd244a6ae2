/* epoch_eval.c — per-epoch analogy and similarity figures during training. */
#include "epoch_eval.h"

#include "w2v/blas_pool.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

int w2v_epoch_eval_init(struct w2v_epoch_eval *eval, const char *analogy_path,
                        const char *similarity_path) {
    memset(eval, 0, sizeof *eval);
    eval->last_accuracy = eval->last_spearman = NAN;
    if (analogy_path) {
        if (w2v_analogy_questions_load(analogy_path, &eval->questions) != 0) return -1;
        eval->has_questions = true;
    }
    if (similarity_path) {
        if (w2v_word_pairs_load(similarity_path, &eval->pairs) != 0) return -1;
        eval->has_pairs = true;
    }
    return 0;
}

int w2v_epoch_eval_run(void *context, uint32_t epoch, const struct w2v_vectors *vectors) {
    struct w2v_epoch_eval *eval = context;
    if (eval->has_questions) {
        struct w2v_analogy_options options;
        w2v_analogy_options_default(&options);
        struct w2v_analogy_result result;
        if (w2v_eval_analogy(vectors, &eval->questions, &options, &result) != 0) return -1;
        eval->last_accuracy = w2v_accuracy(result.total);
        fprintf(stderr,
                "epoch %u  analogy %.2f%% (semantic %.2f%%, syntactic %.2f%%) of %" PRIu64
                " questions, %" PRIu64 " skipped, top %" PRIu64 " words, %.2f s\n",
                epoch + 1, 100 * eval->last_accuracy, 100 * w2v_accuracy(result.semantic),
                100 * w2v_accuracy(result.syntactic), result.total.attempted, result.total.skipped,
                options.restrict_vocab, result.seconds);
        w2v_analogy_result_free(&result);
    }
    if (eval->has_pairs) {
        struct w2v_similarity_options options;
        w2v_similarity_options_default(&options);
        struct w2v_similarity_result result;
        if (w2v_eval_similarity(vectors, &eval->pairs, &options, &result) != 0) return -1;
        eval->last_spearman = result.spearman;
        fprintf(stderr,
                "epoch %u  similarity: Spearman rho %.4f over %" PRIu64 " pairs, %" PRIu64
                " out of vocabulary\n",
                epoch + 1, result.spearman, result.used, result.oov);
        w2v_similarity_result_free(&result);
    }
    w2v_blas_pool_stop(); /* training goes on next: its cores, not BLAS's spinning workers */
    return 0;
}

void w2v_epoch_eval_free(struct w2v_epoch_eval *eval) {
    if (eval->has_questions) w2v_analogy_questions_free(&eval->questions);
    if (eval->has_pairs) w2v_word_pairs_free(&eval->pairs);
    memset(eval, 0, sizeof *eval);
}
