/* pipeline.h — the one way from a corpus path to what training needs:
 * corpus → vocabulary → id stream.
 *
 * The command line (`w2v train`), the demo, the examples and the tests all
 * open their training data here, so there is one place where the corpus is
 * opened, the vocabulary counted (or read from a file) and the text encoded.
 * Later input kinds (compressed, piped, prepared corpora) plug in behind this
 * entry point without changing its callers. */
#ifndef W2V_PIPELINE_H
#define W2V_PIPELINE_H

#include "w2v/corpus.h"
#include "w2v/encode.h"
#include "w2v/tokenizer.h"
#include "w2v/vocab.h"

#include <stdint.h>

struct w2v_pipeline_options {
    const char *train_path;      /* the corpus */
    const char *read_vocab_path; /* NULL: count the corpus; else a "word count" file */
    uint64_t min_count;          /* default 5 */
    uint32_t max_vocab;          /* 0 (default): no limit */
    uint32_t max_sentence;       /* default W2V_DEFAULT_MAX_SENTENCE_TOKENS */
    uint32_t max_token_bytes;    /* default W2V_DEFAULT_MAX_TOKEN_BYTES */
    uint32_t threads;            /* counting and encoding threads; default: online CPUs */
};

struct w2v_pipeline {
    struct w2v_corpus corpus;
    struct w2v_vocab vocab;
    struct w2v_vocab_report vocab_report; /* seconds also set when the vocabulary was read */
    struct w2v_encoded_corpus encoded;
};

/* The documented defaults above, train_path NULL. */
void w2v_pipeline_options_default(struct w2v_pipeline_options *options);

/* Opens options->train_path, builds or reads the vocabulary and encodes the
 * corpus. 0, or −1 with an error message (w2v_last_error()) and nothing
 * left allocated. A corpus that leaves no vocabulary is an error. */
int w2v_pipeline_open(struct w2v_pipeline *pipeline, const struct w2v_pipeline_options *options);

/* Frees everything; safe on a zeroed or failed pipeline. */
void w2v_pipeline_close(struct w2v_pipeline *pipeline);

#endif
