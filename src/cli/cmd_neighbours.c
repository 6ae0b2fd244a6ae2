/* cmd_neighbours.c — `w2v neighbours`: the nearest words by cosine, like
 * word2vec.c's distance tool but also non-interactive. */
#include "args.h"
#include "commands.h"
#include "query_common.h"

#include "w2v/alloc.h"
#include "w2v/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(void) {
    printf("usage: w2v neighbours VECTORS [WORD...] [options]\n\n"
           "Prints the k words nearest to each WORD by cosine similarity. With no WORD, reads\n"
           "queries from stdin, one a line (prompting if stdin is a terminal); the words of a\n"
           "line are added up into one query, as in word2vec.c's distance. The query words\n"
           "are never listed. An unknown WORD is an error (exit status 1); in the\n"
           "interactive mode it is reported and the next line is read.\n\n"
           "  -k N               how many neighbours (default 10)\n"
           "  --restrict N       search only the first N words (default 0 = all)\n"
           "  --case-sensitive   match words exactly (default: ignore ASCII case)\n"
           "  -h, --help         print this help\n");
}

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
    uint64_t *rows = w2v_xmalloc(a->k * sizeof *rows);
    float *scores = w2v_xmalloc(a->k * sizeof *scores);
    size_t n = w2v_search_nearest(search, query, exclude, (size_t)count, a->k, rows, scores);
    printf("%s:\n", count == 1 ? words[0] : "query");
    query_print_results(search, rows, scores, n);
    w2v_free(rows);
    w2v_free(scores);
    w2v_free(query);
    return 0;
}

int w2v_cmd_neighbours(int argc, char **argv) {
    struct query_args a = {.command = "neighbours"};
    int stop = query_parse_args(argc, argv, &a, usage, false);
    int status = 0;
    struct w2v_vectors vectors;
    if (stop != 0) {
        status = stop < 0 ? 0 : stop;
    } else if (w2v_vectors_read(a.vectors_path, &vectors) != 0) {
        status = w2v_report_error();
    } else {
        struct w2v_search search;
        w2v_search_init(&search, &vectors, a.restrict_vocab, !a.case_sensitive);
        if (a.word_count == 0) status = query_interactive("word(s)> ", answer, &search, &a);
        for (int w = 0; w < a.word_count && status == 0; w++)
            if (answer(&search, &a, &a.words[w], 1) != 0) status = w2v_report_error();
        w2v_search_free(&search);
        w2v_vectors_free(&vectors);
    }
    free(a.words);
    return status;
}
