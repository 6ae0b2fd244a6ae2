/* pipeline.c — corpus → vocabulary → id stream (see pipeline.h): the corpus is
 * memory-mapped, the vocabulary counted in parallel (or read from a "word
 * count" file) and the text encoded once into 32-bit ids. */
#include "w2v/pipeline.h"

#include "w2v/error.h"
#include "w2v/parallel.h"
#include "w2v/timer.h"

#include <string.h>

void w2v_pipeline_options_default(struct w2v_pipeline_options *options) {
    *options = (struct w2v_pipeline_options){
        .min_count = 5,
        .max_sentence = W2V_DEFAULT_MAX_SENTENCE_TOKENS,
        .max_token_bytes = W2V_DEFAULT_MAX_TOKEN_BYTES,
        .threads = w2v_online_cpus(),
    };
}

/* Counts the corpus, or reads the vocabulary file (timed the same way). */
static int load_vocab(struct w2v_pipeline *pipeline, const struct w2v_pipeline_options *options,
                      const struct w2v_vocab_options *vocab_options) {
    if (!options->read_vocab_path)
        return w2v_vocab_build(&pipeline->vocab, &pipeline->corpus, vocab_options,
                               &pipeline->vocab_report);
    double start = w2v_now();
    if (w2v_vocab_read(&pipeline->vocab, options->read_vocab_path, vocab_options) != 0) return -1;
    pipeline->vocab_report.seconds = w2v_now() - start;
    return 0;
}

int w2v_pipeline_open(struct w2v_pipeline *pipeline, const struct w2v_pipeline_options *options) {
    memset(pipeline, 0, sizeof *pipeline);
    if (!options->train_path) return w2v_error("no training corpus given");
    if (options->min_count == 0 || options->max_sentence == 0 || options->max_token_bytes == 0 ||
        options->threads == 0)
        return w2v_error("pipeline options need min_count, max_sentence, max_token_bytes and "
                         "threads of at least 1 (see w2v_pipeline_options_default)");
    const struct w2v_vocab_options vocab_options = {.min_count = options->min_count,
                                                    .max_size = options->max_vocab,
                                                    .threads = options->threads,
                                                    .max_token_bytes = options->max_token_bytes};
    const struct w2v_encode_options encode_options = {.threads = options->threads,
                                                      .max_sentence_tokens = options->max_sentence,
                                                      .max_token_bytes = options->max_token_bytes};
    int status = w2v_corpus_open(&pipeline->corpus, options->train_path);
    if (status == 0) status = load_vocab(pipeline, options, &vocab_options);
    if (status == 0 &&
        pipeline->vocab.size == 0) /* vocab.c refuses this already; never train on it */
        status = w2v_error("the vocabulary of %s is empty", options->train_path);
    if (status == 0)
        status =
            w2v_encode(&pipeline->encoded, &pipeline->corpus, &pipeline->vocab, &encode_options);
    if (status != 0) w2v_pipeline_close(pipeline);
    return status;
}

void w2v_pipeline_close(struct w2v_pipeline *pipeline) {
    w2v_encoded_free(&pipeline->encoded);
    w2v_vocab_free(&pipeline->vocab);
    w2v_corpus_close(&pipeline->corpus);
    memset(pipeline, 0, sizeof *pipeline);
}
