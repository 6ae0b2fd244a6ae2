/* query_common.h — what `w2v neighbours` and `w2v analogy` share: their
 * options, loading the vectors into a search, printing a ranked list, and
 * the interactive loop over stdin. */
#ifndef W2V_CLI_QUERY_COMMON_H
#define W2V_CLI_QUERY_COMMON_H

#include "w2v/search.h"
#include "w2v/vectors.h"

#include <stdbool.h>
#include <stdint.h>

struct query_args {
    const char *command;      /* "neighbours" or "analogy", for messages */
    const char *vectors_path; /* first positional */
    char **words;             /* the other positionals */
    int word_count;
    uint32_t k;              /* -k: results per query (default 10) */
    uint64_t restrict_vocab; /* --restrict (default 0: all) */
    bool case_sensitive;
    bool mul; /* analogy --method mul */
};

/* Parses argv; returns 0, -1 after printing --help (exit 0), or an exit status. */
int query_parse_args(int argc, char **argv, struct query_args *a, void (*usage)(void),
                     bool analogy);

/* Prints "  word   0.1234" lines. */
void query_print_results(const struct w2v_search *search, const uint64_t *rows, const float *scores,
                         size_t n);

/* Runs `answer` on each line of stdin (words split on blanks); prompts with
 * `prompt` only if stdin is a terminal. Returns 0. */
int query_interactive(const char *prompt,
                      int (*answer)(const struct w2v_search *, const struct query_args *,
                                    char **words, int count),
                      const struct w2v_search *search, const struct query_args *a);

#endif
