/* pipeline.c — corpus → vocabulary → id stream (see pipeline.h). */
#include "w2v/pipeline.h"

#include <string.h>
#include <unistd.h>

void w2v_pipeline_options_default(struct w2v_pipeline_options *options) {
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    *options = (struct w2v_pipeline_options){
        .min_count = 5,
        .max_sentence = W2V_DEFAULT_MAX_SENTENCE_TOKENS,
        .max_token_bytes = W2V_DEFAULT_MAX_TOKEN_BYTES,
        .threads = cpus > 0 ? (uint32_t)cpus : 1,
    };
}

int w2v_pipeline_open(struct w2v_pipeline *pipeline, const struct w2v_pipeline_options *options) {
    memset(pipeline, 0, sizeof *pipeline);
    (void)options;
    return -1; /* being written: see the CLI helper's brief */
}

void w2v_pipeline_close(struct w2v_pipeline *pipeline) {
    w2v_encoded_free(&pipeline->encoded);
    w2v_vocab_free(&pipeline->vocab);
    w2v_corpus_close(&pipeline->corpus);
}
