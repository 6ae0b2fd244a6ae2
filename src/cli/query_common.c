/* query_common.c — option parsing, output and the stdin loop shared by
 * `w2v neighbours` and `w2v analogy`. */
#include "query_common.h"

#include "w2v/alloc.h"
#include "w2v/error.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct w2v_option_choice methods[] = {{"add", 0}, {"mul", 1}, {NULL, 0}};

#define AT(field) offsetof(struct query_args, field)

const struct w2v_option query_options[] = {
    {W2V_OPT_U32, "-k", "--top", "N", AT(k), .min = 1, .max = 100000, .variants = QUERY_NEIGHBOURS,
     .help = "how many neighbours (default 10)"},
    {W2V_OPT_U32, "-k", "--top", "N", AT(k), .min = 1, .max = 100000, .variants = QUERY_ANALOGY,
     .help = "how many answers (default 10)"},
    {W2V_OPT_CHOICE, "--method", .arg = "add|mul", .offset = AT(mul), .choices = methods,
     .variants = QUERY_ANALOGY, .help = "3CosAdd (default) or 3CosMul (Levy & Goldberg, eps 1e-6)"},
    {W2V_OPT_U64, "--restrict", .arg = "N", .offset = AT(restrict_vocab), .max = UINT64_MAX / 2,
     .variants = QUERY_NEIGHBOURS, .help = "search only the first N words (default 0 = all)"},
    {W2V_OPT_U64, "--restrict", .arg = "N", .offset = AT(restrict_vocab), .max = UINT64_MAX / 2,
     .variants = QUERY_ANALOGY, .help = "answers only among the first N words (default 0 = all)"},
    {W2V_OPT_FLAG, "--case-sensitive", .offset = AT(case_sensitive),
     .help = "match words exactly (default: ignore ASCII case)"},
    {W2V_OPT_HELP, "-h, --help", .help = "print this help"},
    {W2V_OPT_END},
};

int query_parse_args(const struct w2v_command_spec *spec, int argc, char **argv,
                     struct query_args *a, int *exit_status) {
    *a = (struct query_args){.k = 10};
    int stop = w2v_options_parse(spec, argc, argv, a, &a->parsed);
    if (stop != 0) {
        w2v_parsed_free(&a->parsed);
        *exit_status = w2v_options_stop(stop);
        return -1;
    }
    a->vectors_path = a->parsed.positional[0];
    a->words = a->parsed.positional + 1;
    a->word_count = a->parsed.positional_count - 1;
    return 0;
}

void query_args_free(struct query_args *a) {
    w2v_parsed_free(&a->parsed);
}

void query_ranking_init(struct query_ranking *ranking, uint32_t k) {
    ranking->rows = w2v_xmalloc(k * sizeof *ranking->rows);
    ranking->scores = w2v_xmalloc(k * sizeof *ranking->scores);
    ranking->count = 0;
}

void query_ranking_print(const struct w2v_search *search, struct query_ranking *ranking) {
    for (size_t i = 0; i < ranking->count; i++)
        printf("  %-30s %8.4f\n", search->vectors->words[ranking->rows[i]], ranking->scores[i]);
    w2v_free(ranking->rows);
    w2v_free(ranking->scores);
}

int query_interactive(const char *prompt, query_answer_fn answer, const struct w2v_search *search,
                      const struct query_args *a) {
    bool tty = isatty(STDIN_FILENO);
    char *line = NULL;
    size_t capacity = 0;
    for (;;) {
        if (tty) {
            printf("%s", prompt);
            fflush(stdout);
        }
        if (getline(&line, &capacity, stdin) < 0) break;
        char *words[64];
        int count = 0;
        for (char *tok = strtok(line, " \t\r\n"); tok && count < 64; tok = strtok(NULL, " \t\r\n"))
            words[count++] = tok;
        if (count == 0) continue;
        if (answer(search, a, words, count) != 0) fprintf(stderr, "w2v: %s\n", w2v_last_error());
        fflush(stdout);
    }
    if (tty) printf("\n");
    free(line);
    return 0;
}

int query_main(const struct w2v_command_spec *spec, int argc, char **argv, const char *prompt,
               query_answer_fn answer, int words_per_query) {
    struct query_args a;
    int status = 0;
    if (query_parse_args(spec, argc, argv, &a, &status) != 0) return status;
    struct w2v_vectors vectors;
    if (a.word_count % words_per_query != 0) {
        w2v_error("%s: expected %d words A B C, got %d", spec->name, words_per_query, a.word_count);
        status = w2v_usage_error();
    } else if (w2v_vectors_read(a.vectors_path, &vectors) != 0) {
        status = w2v_report_error();
    } else {
        struct w2v_search search;
        w2v_search_init(&search, &vectors, a.restrict_vocab, !a.case_sensitive);
        if (a.word_count == 0) status = query_interactive(prompt, answer, &search, &a);
        for (int w = 0; w < a.word_count && status == 0; w += words_per_query)
            if (answer(&search, &a, &a.words[w], words_per_query) != 0) status = w2v_report_error();
        w2v_search_free(&search);
        w2v_vectors_free(&vectors);
    }
    query_args_free(&a);
    return status;
}
