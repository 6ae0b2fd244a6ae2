/* query_common.h — what `w2v neighbours` and `w2v analogy` share: their
 * options, loading the vectors into a search, printing a ranked list, and
 * the interactive loop over stdin. */
#ifndef W2V_CLI_QUERY_COMMON_H
#define W2V_CLI_QUERY_COMMON_H

#include "options.h"
#include "w2v/search.h"
#include "w2v/vectors.h"

#include <stdbool.h>
#include <stdint.h>

struct query_args {
    const char *vectors_path; /* first positional */
    char **words;             /* the other positionals */
    int word_count;
    uint32_t k;              /* -k: results per query (default 10) */
    uint64_t restrict_vocab; /* --restrict (default 0: all) */
    bool case_sensitive;
    int mul; /* analogy --method: 0 add, 1 mul */
    struct w2v_parsed parsed;
};

/* The options of both commands; a spec's `variant` picks one command's. */
enum { QUERY_NEIGHBOURS = 1, QUERY_ANALOGY = 2 };
extern const struct w2v_option query_options[];

/* Parses argv; returns 0, or -1 to stop with *exit_status (0 after --help). */
int query_parse_args(const struct w2v_command_spec *spec, int argc, char **argv,
                     struct query_args *a, int *exit_status);
void query_args_free(struct query_args *a);

/* The k best rows of a query and their scores. */
struct query_ranking {
    uint64_t *rows;
    float *scores;
    size_t count;
};

void query_ranking_init(struct query_ranking *ranking, uint32_t k);

/* Prints "  word   0.1234" lines, then frees the ranking. */
void query_ranking_print(const struct w2v_search *search, struct query_ranking *ranking);

/* Runs `answer` on each line of stdin (words split on blanks); prompts with
 * `prompt` only if stdin is a terminal. Returns 0. */
typedef int (*query_answer_fn)(const struct w2v_search *search, const struct query_args *a,
                               char **words, int count);

int query_interactive(const char *prompt, query_answer_fn answer, const struct w2v_search *search,
                      const struct query_args *a);

/* A whole command: parses argv, loads VECTORS into a search, then answers the
 * words given, `words_per_query` at a time (a usage error if they do not divide
 * evenly), or the lines of stdin when none are. Returns the exit status. */
int query_main(const struct w2v_command_spec *spec, int argc, char **argv, const char *prompt,
               query_answer_fn answer, int words_per_query);

#endif
