/* cmd_neighbours.c — `w2v neighbours`: the nearest words by cosine, like
 * word2vec.c's distance tool but also non-interactive, and gensim's
 * most_similar(positive=[...], negative=[...]). */
#include "commands.h"
#include "query_common.h"

#include "w2v/alloc.h"
#include "w2v/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct w2v_command_spec spec = {
    .name = "neighbours",
    .usage = "usage: w2v neighbours VECTORS [WORD...] [options]\n"
             "       w2v neighbours VECTORS --positive WORD... [--negative WORD...] [options]\n\n"
             "Prints the k words nearest to each WORD by cosine similarity. With no WORD, reads\n"
             "queries from stdin, one a line (prompting if stdin is a terminal), until the end or\n"
             "a line EXIT; the words of a line are added up into one query, as in word2vec.c's\n"
             "distance. With --positive/--negative, one query as gensim's most_similar: the mean\n"
             "of the unit vectors of the positive words and the negated negative ones. The query\n"
             "words are never listed. An unknown word is an error (exit status 1); in the\n"
             "interactive mode it is reported and the next line is read.\n\n",
    .options = query_options,
    .column = 21,
    .variant = QUERY_NEIGHBOURS,
    .min_positional = 1,
    .max_positional = -1,
    .missing_positional = "neighbours: no VECTORS file given (see 'w2v neighbours --help')",
};

/* Prints "a + b - c:" for a query of several words, "a:" for one. */
static void print_query(char **plus, int plus_count, char **minus, int minus_count) {
    for (int w = 0; w < plus_count; w++)
        fputs(w ? " + " : "", stdout), w2v_print_escaped(stdout, plus[w]);
    for (int w = 0; w < minus_count; w++)
        fputs(w || plus_count ? " - " : "-", stdout), w2v_print_escaped(stdout, minus[w]);
    printf(":\n");
}

/* Ranks the neighbours of the mean of the unit vectors of `words` (count > 0),
 * or of the --positive words minus the --negative ones (count 0). */
static int answer(const struct w2v_search *search, const struct query_args *a, char **words,
                  int count) {
    char **plus = count ? words : a->positive;
    int plus_count = count ? count : a->positive_count;
    int minus_count = count ? 0 : a->negative_count;
    size_t total = (size_t)plus_count + (size_t)minus_count;
    uint64_t *rows = w2v_xmalloc(total * sizeof *rows);
    float *weights = w2v_xmalloc(total * sizeof *weights);
    float *query = w2v_xmalloc(search->dim * sizeof *query);
    int status = -1;
    if (query_find_rows(search, a, plus, plus_count, rows) == 0 &&
        query_find_rows(search, a, a->negative, minus_count, rows + plus_count) == 0) {
        for (size_t w = 0; w < total; w++) weights[w] = w < (size_t)plus_count ? 1.0f : -1.0f;
        w2v_search_mean(search, rows, weights, total, query);
        struct query_ranking ranking;
        query_ranking_init(&ranking, a->k);
        ranking.count =
            w2v_search_nearest(search, query, rows, total, a->k, ranking.rows, ranking.scores);
        print_query(plus, plus_count, a->negative, minus_count);
        query_ranking_print(search, &ranking);
        status = 0;
    }
    w2v_free(query);
    w2v_free(weights);
    w2v_free(rows);
    return status;
}

int w2v_cmd_neighbours(int argc, char **argv) {
    static const struct query_command command = {
        &spec, "word(s)> ", answer, .words_per_query = 1, .min_words = 1, .max_words = -1};
    return query_main(&command, argc, argv);
}
