/* cmd_neighbours.c — `w2v neighbours`: the nearest words by cosine, like
 * word2vec.c's distance tool but also non-interactive. */
#include "commands.h"
#include "query_common.h"

#include "w2v/alloc.h"
#include "w2v/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct w2v_command_spec spec = {
    .name = "neighbours",
    .usage = "usage: w2v neighbours VECTORS [WORD...] [options]\n\n"
             "Prints the k words nearest to each WORD by cosine similarity. With no WORD, reads\n"
             "queries from stdin, one a line (prompting if stdin is a terminal); the words of a\n"
             "line are added up into one query, as in word2vec.c's distance. The query words\n"
             "are never listed. An unknown WORD is an error (exit status 1); in the\n"
             "interactive mode it is reported and the next line is read.\n\n",
    .options = query_options,
    .column = 21,
    .variant = QUERY_NEIGHBOURS,
    .min_positional = 1,
    .max_positional = -1,
    .missing_positional = "neighbours: no VECTORS file given (see 'w2v neighbours --help')",
};

/* Ranks the neighbours of the sum of the unit vectors of `words`. */
static int answer(const struct w2v_search *search, const struct query_args *a, char **words,
                  int count) {
    uint64_t exclude[64];
    float *query = w2v_xcalloc(search->dim, sizeof(float));
    for (int w = 0; w < count; w++) {
        int64_t row = w2v_search_find(search, words[w]);
        if (row < 0) {
            w2v_free(query);
            return w2v_error("'%s' is not in the vocabulary of %s", words[w], a->vectors_path);
        }
        exclude[w] = (uint64_t)row;
        const float *unit = search->unit + (size_t)row * search->stride;
        for (uint32_t k = 0; k < search->dim; k++) query[k] += unit[k];
    }
    struct query_ranking ranking;
    query_ranking_init(&ranking, a->k);
    ranking.count = w2v_search_nearest(search, query, exclude, (size_t)count, a->k, ranking.rows,
                                       ranking.scores);
    w2v_free(query);
    printf("%s:\n", count == 1 ? words[0] : "query");
    query_ranking_print(search, &ranking);
    return 0;
}

int w2v_cmd_neighbours(int argc, char **argv) {
    return query_main(&spec, argc, argv, "word(s)> ", answer, 1);
}
