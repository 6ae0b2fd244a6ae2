/* train_options.h — the flags of `w2v train`, parsed and checked.
 *
 * Accepts GNU-style long options (--size 100, --size=100) and word2vec.c's
 * single-dash spellings (-size 100, -cbow 1, -hs 1 ...), so a word2vec.c
 * command line runs unchanged. Every value is range-checked. */
#ifndef W2V_CLI_TRAIN_OPTIONS_H
#define W2V_CLI_TRAIN_OPTIONS_H

#include "checkpointing.h"
#include "w2v/pipeline.h"
#include "w2v/train.h"

#include <stdbool.h>
#include <stdint.h>

struct w2v_train_options {
    const char *output_path;
    const char *save_vocab_path;
    const char *eval_analogy_path;
    const char *eval_similarity_path;
    bool binary;
    bool json;
    bool hs;          /* word2vec.c's -hs 1: hs (with --negative K > 0 given: hs+ns) */
    bool alpha_given; /* --alpha was on the command line */
    uint32_t classes; /* -classes K: write K k-means word classes instead of vectors (0: none) */
    struct w2v_pipeline_options input; /* corpus and vocabulary */
    struct w2v_train_config config;
    /* Long runs (checkpointing.h, cmd_train.c). */
    const char *checkpoint_path;
    const char *resume_path;
    struct w2v_duration checkpoint_every; /* default 10 minutes with --checkpoint */
    struct w2v_duration stop_after;
    const char *init_vectors_path;
    const char *init_output_path;
    const char *save_output_path;
    bool save_every_epoch;
    bool update_vocab;
    bool threads_given;
    uint64_t given_settings; /* bit i: checkpoint setting i (checkpoint.h) was given */
    /* Under mpirun (distributed.h): words of this rank between model syncs,
     * and the rows averaged at the least frequent syncs. */
    uint64_t sync_every;
    uint32_t sync_min_words;
    int sync_average; /* --sync-mode: 0 sum (of deltas), 1 average */
};

/* Whose defaults a command line gets: `w2v train`'s own (skip-gram), or, for
 * a line in word2vec.c's spelling with no subcommand (`w2v -train ...`),
 * word2vec.c's (CBOW; -hs 1 keeps the default -negative 5, so both losses). */
enum w2v_train_dialect { W2V_DIALECT_W2V, W2V_DIALECT_WORD2VEC_C };

/* Parses argv (argv[0] is the command name). Returns 0 on success, 1 if help
 * was printed, -1 on a bad flag or value (a usage error; w2v_error set). */
int w2v_train_options_parse(struct w2v_train_options *options, int argc, char **argv,
                            enum w2v_train_dialect dialect);

/* The vocabulary flags of `w2v train` and `w2v prepare` — the settings a
 * prepared corpus records, so both commands must read them alike: option-table
 * rows (options.h) for a values struct with a `struct w2v_pipeline_options
 * input`; AT is the table's offsetof macro, parse_memory its --vocab-memory
 * callback (w2v_parse_vocab_memory into input.vocab_memory). */
// clang-format off
#define W2V_VOCAB_OPTION_ROWS(AT, parse_memory)                                                  \
    {W2V_OPT_U64, "--min-count", .arg = "N", .offset = AT(input.min_count), .min = 1,            \
     .help = "drop words seen fewer than N times (default 5)"},                                  \
    {W2V_OPT_U32, "--max-vocab", .arg = "N", .offset = AT(input.max_vocab), .min = 1,            \
     .max = UINT32_MAX - 2, .help = "keep only the N most frequent words (default: no limit)"},  \
    {W2V_OPT_U32, "--max-sentence", .arg = "N", .offset = AT(input.max_sentence), .min = 1,      \
     .max = 1u << 24, .help = "cut longer lines into pieces of N words (default 10000)"},        \
    {W2V_OPT_CUSTOM, "--vocab-memory", .arg = "SIZE", .parse = parse_memory,                     \
     .help = "memory for counting words (default: a quarter of RAM, at most\n"                   \
             "4G); over it the rarest words are pruned, as word2vec.c does"}
// clang-format on

/* --vocab-memory SIZE (train and prepare): bytes, at least 1M. 0 or -1 (usage error). */
int w2v_parse_vocab_memory(const char *flag, const char *text, uint64_t *bytes);

/* The "vocabulary: ..." and "training: ..." lines on stderr (unless quiet),
 * with warnings about cut words and lines. */
void w2v_train_report_start(const struct w2v_train_options *options,
                            const struct w2v_pipeline *pipeline);

/* The "done: ..." line on stderr. */
void w2v_train_report_done(const struct w2v_train_report *report);

#endif
