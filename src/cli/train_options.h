/* train_options.h — the flags of `w2v train`, parsed and checked.
 *
 * Accepts GNU-style long options (--size 100, --size=100) and word2vec.c's
 * single-dash spellings (-size 100, -cbow 1, -hs 1 ...), so a word2vec.c
 * command line runs unchanged. Every value is range-checked. */
#ifndef W2V_CLI_TRAIN_OPTIONS_H
#define W2V_CLI_TRAIN_OPTIONS_H

#include "w2v/train.h"

#include <stdbool.h>
#include <stdint.h>

struct w2v_train_options {
    const char *train_path;
    const char *output_path;
    const char *save_vocab_path;
    const char *read_vocab_path;
    const char *eval_analogy_path;
    const char *eval_similarity_path;
    bool binary;
    bool json;
    uint64_t min_count;
    uint32_t max_vocab;
    uint32_t max_sentence;
    struct w2v_train_config config;
};

/* Parses argv (argv[0] is the command name). Returns 0 on success, 1 if help
 * was printed, -1 on a bad flag or value (w2v_error set). */
int w2v_train_options_parse(struct w2v_train_options *options, int argc, char **argv);

#endif
