/* cmd_word_queries.c — `w2v similarity` and `w2v odd-one-out`: gensim's
 * similarity(a, b) and doesnt_match(words), on the command line or one query
 * a line from stdin. */
#include "commands.h"
#include "query_common.h"

#include "w2v/alloc.h"

#include <stdio.h>

static const struct w2v_command_spec similarity_spec = {
    .name = "similarity",
    .usage = "usage: w2v similarity VECTORS [A B]... [options]\n\n"
             "Prints 'A B cosine' for each pair of words: the cosine similarity of their vectors\n"
             "(gensim's similarity). With no words, reads 'A B' lines from stdin (prompting if\n"
             "stdin is a terminal) until the end or a line EXIT. An unknown word is an error\n"
             "(exit status 1); in the interactive mode it is reported and the next line is\n"
             "read.\n\n",
    .options = query_options,
    .column = 21,
    .variant = QUERY_SIMILARITY,
    .min_positional = 1,
    .max_positional = -1,
    .missing_positional = "similarity: no VECTORS file given (see 'w2v similarity --help')",
};

static const struct w2v_command_spec odd_one_out_spec = {
    .name = "odd-one-out",
    .usage = "usage: w2v odd-one-out VECTORS [WORD WORD WORD...] [options]\n\n"
             "Prints the word that fits least among the given ones (gensim's doesnt_match):\n"
             "the one whose unit vector has the lowest cosine with the mean of all their unit\n"
             "vectors (the first such on ties). With no words, reads one group of three or\n"
             "more words a line from stdin (prompting if stdin is a terminal) until the end or\n"
             "a line EXIT. An unknown word is an error (exit status 1); in the interactive\n"
             "mode it is reported and the next line is read.\n\n",
    .options = query_options,
    .column = 21,
    .variant = QUERY_ODD_ONE_OUT,
    .min_positional = 1,
    .max_positional = -1,
    .missing_positional = "odd-one-out: no VECTORS file given (see 'w2v odd-one-out --help')",
};

static int similarity(const struct w2v_search *search, const struct query_args *a, char **words,
                      int count) {
    uint64_t rows[2];
    if (query_find_rows(search, a, words, count, rows) != 0) return -1;
    w2v_print_escaped(stdout, words[0]);
    putchar(' ');
    w2v_print_escaped(stdout, words[1]);
    printf(" %.6f\n", w2v_search_cosine(search, rows[0], rows[1]));
    return 0;
}

static int odd_one_out(const struct w2v_search *search, const struct query_args *a, char **words,
                       int count) {
    uint64_t *rows = w2v_xmalloc((size_t)count * sizeof *rows);
    int status = query_find_rows(search, a, words, count, rows);
    if (status == 0) {
        w2v_print_escaped(stdout, words[w2v_search_odd_one_out(search, rows, (size_t)count)]);
        putchar('\n');
    }
    w2v_free(rows);
    return status;
}

int w2v_cmd_similarity(int argc, char **argv) {
    static const struct query_command command = {&similarity_spec, "a b> ",
                                                 similarity,       .words_per_query = 2,
                                                 .min_words = 2,   .max_words = 2};
    return query_main(&command, argc, argv);
}

int w2v_cmd_odd_one_out(int argc, char **argv) {
    static const struct query_command command = {&odd_one_out_spec, "words> ",
                                                 odd_one_out,       .words_per_query = 0,
                                                 .min_words = 3,    .max_words = -1};
    return query_main(&command, argc, argv);
}
