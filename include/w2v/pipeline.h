/* pipeline.h — the one way from a corpus path to what training needs:
 * input → vocabulary → id stream.
 *
 * The command line (`w2v train`, `w2v prepare`), the demo, the examples and
 * the tests all open their training data here. The input is recognised by
 * its first bytes (input.h): plain text (mapped), gzip, zstd, standard input
 * ("-") or a prepared corpus (prepared.h). Text is read once: counted and
 * encoded in one pass (encode.h) into a prepared file — `w2v prepare`'s
 * output, or for training an unlinked temporary in tmp_dir (default: the
 * directory of near_path, else $TMPDIR, else /tmp) that stays mapped while
 * training and vanishes with the process. A prepared corpus is mapped and
 * checked (version, settings, checksum) instead. */
#ifndef W2V_PIPELINE_H
#define W2V_PIPELINE_H

#include "w2v/encode.h"
#include "w2v/input.h"
#include "w2v/prepared.h"
#include "w2v/tokenizer.h"
#include "w2v/vocab.h"

#include <stdbool.h>
#include <stdint.h>

struct w2v_pipeline_options {
    const char *train_path;      /* the corpus; "-" = standard input */
    const char *read_vocab_path; /* NULL: count the corpus; else a "word count" file */
    uint64_t min_count;          /* default 5 */
    uint32_t max_vocab;          /* 0 (default): no limit */
    uint32_t max_sentence;       /* default W2V_DEFAULT_MAX_SENTENCE_TOKENS */
    uint32_t max_token_bytes;    /* default W2V_DEFAULT_MAX_TOKEN_BYTES */
    uint32_t threads;            /* counting and encoding threads; default: online CPUs */
    uint64_t vocab_memory; /* counting budget in bytes; 0 (default): w2v_vocab_default_memory */
    bool allow_binary;     /* train on input that looks binary */
    bool settings_given;   /* the vocabulary settings were chosen: a prepared corpus
                                    made with others is refused (else it brings its own) */
    const char *tmp_dir;   /* where the id stream goes; NULL: see above */
    const char *near_path; /* e.g. the output: tmp_dir defaults to its directory */
    uint32_t remap_piece_values; /* tuning (remap.h); 0 (default): W2V_REMAP_PIECE_VALUES */
};

struct w2v_pipeline {
    struct w2v_vocab vocab;
    struct w2v_vocab_report vocab_report; /* seconds also set when the vocabulary was read */
    struct w2v_encoded_corpus encoded;
    struct w2v_encode_report encode_report;
    enum w2v_input_kind input_kind;
    struct w2v_prepared_header header; /* of the prepared file (given or made) */
};

/* The documented defaults above, train_path NULL. */
void w2v_pipeline_options_default(struct w2v_pipeline_options *options);

/* Opens options->train_path, builds or reads the vocabulary and encodes the
 * corpus (or maps a prepared one). 0, or −1 with an error message
 * (w2v_last_error()) and nothing left allocated or on disk. */
int w2v_pipeline_open(struct w2v_pipeline *pipeline, const struct w2v_pipeline_options *options);

/* Reads options->train_path (text of any kind) once and writes a prepared
 * corpus to output_path (atomically). Fills pipeline's vocab and reports;
 * close it after. */
int w2v_pipeline_prepare(struct w2v_pipeline *pipeline, const struct w2v_pipeline_options *options,
                         const char *output_path);

/* Frees everything; safe on a zeroed or failed pipeline. */
void w2v_pipeline_close(struct w2v_pipeline *pipeline);

#endif
