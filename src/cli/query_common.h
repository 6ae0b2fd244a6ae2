/* query_common.h — what the query commands (`w2v neighbours`, `analogy`,
 * `similarity`, `odd-one-out`) share: their options, loading the vectors into
 * a search, finding the query words, printing a ranked list, and the
 * interactive loop over stdin. */
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
    char **positive; /* neighbours --positive / --negative words, in order */
    int positive_count;
    char **negative;
    int negative_count;
    uint32_t k;              /* -k: results per query (default 10) */
    uint64_t restrict_vocab; /* --restrict (default 0: all) */
    bool case_sensitive;
    int mul; /* analogy --method: 0 add, 1 mul */
    struct w2v_parsed parsed;
    char **argv; /* argv with "--positive a b" spread out as "--positive a --positive b" */
};

/* The options of every query command; a spec's `variant` picks one command's. */
enum { QUERY_NEIGHBOURS = 1, QUERY_ANALOGY = 2, QUERY_SIMILARITY = 4, QUERY_ODD_ONE_OUT = 8 };
extern const struct w2v_option query_options[];

/* Parses argv; returns 0, or -1 to stop with *exit_status (0 after --help). */
int query_parse_args(const struct w2v_command_spec *spec, int argc, char **argv,
                     struct query_args *a, int *exit_status);
void query_args_free(struct query_args *a);

/* The candidate rows of words[0..count); -1 with "'WORD' is not in the
 * vocabulary of VECTORS" for the first word that is missing. */
int query_find_rows(const struct w2v_search *search, const struct query_args *a, char **words,
                    int count, uint64_t *rows);

/* The k best rows of a query and their scores. */
struct query_ranking {
    uint64_t *rows;
    float *scores;
    size_t count;
};

void query_ranking_init(struct query_ranking *ranking, uint32_t k);

/* Prints "  word   0.1234" lines, then frees the ranking. */
void query_ranking_print(const struct w2v_search *search, struct query_ranking *ranking);

/* Answers one query of `count` words (count 0: the query the options gave,
 * neighbours' --positive/--negative). Returns 0, or -1 with w2v_error set. */
typedef int (*query_answer_fn)(const struct w2v_search *search, const struct query_args *a,
                               char **words, int count);

/* One query command. */
struct query_command {
    const struct w2v_command_spec *spec;
    const char *prompt; /* shown before each stdin line when stdin is a terminal */
    query_answer_fn answer;
    int words_per_query; /* WORDs on the command line are answered this many at a time; 0: all
                          * of them as one query */
    int min_words;       /* a query (a stdin line) has from min_words ... */
    int max_words;       /* ... to max_words words (-1: any number) */
};

/* Runs `answer` on each line of stdin (words split on blanks) until its end
 * or a line "EXIT" (word2vec.c's); prompts only if stdin is a terminal. A
 * failed query is reported on stderr and the next line is read. Returns 0. */
int query_interactive(const struct query_command *command, const struct w2v_search *search,
                      const struct query_args *a);

/* A whole command: parses argv, loads VECTORS into a search, then answers the
 * words given, or the query the options gave, or the lines of stdin when
 * neither is. Returns the exit status. */
int query_main(const struct query_command *command, int argc, char **argv);

#endif
