/* query_common.c — option parsing, word lookup, output and the stdin loop
 * shared by the query commands. */
#include "query_common.h"

#include "w2v/alloc.h"
#include "w2v/error.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct w2v_option_choice methods[] = {{"add", 0}, {"mul", 1}, {NULL, 0}};

/* --positive/--negative WORD: each word given is appended to its list. */
static int add_word(const char *flag, const char *text, char **list, int *count) {
    if (text[0] == '-' && text[1] != '\0')
        return w2v_error("option %s needs at least one word before '%s'", flag, text);
    list[(*count)++] = (char *)text;
    return 0;
}

static int add_positive(const char *flag, const char *text, void *values) {
    struct query_args *a = values;
    return add_word(flag, text, a->positive, &a->positive_count);
}

static int add_negative(const char *flag, const char *text, void *values) {
    struct query_args *a = values;
    return add_word(flag, text, a->negative, &a->negative_count);
}

#define AT(field) offsetof(struct query_args, field)

const struct w2v_option query_options[] = {
    {W2V_OPT_CUSTOM, "--positive", .arg = "WORD...", .parse = add_positive,
     .variants = QUERY_NEIGHBOURS,
     .help = "words the answers should be like (gensim's most_similar positive=);\n"
             "every word up to the next option"},
    {W2V_OPT_CUSTOM, "--negative", .arg = "WORD...", .parse = add_negative,
     .variants = QUERY_NEIGHBOURS, .help = "words the answers should be unlike (negative=)"},
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

static bool is_word_list_flag(const char *arg) {
    return strcmp(arg, "--positive") == 0 || strcmp(arg, "--negative") == 0;
}

/* gensim's lists as a command line writes them: "--positive a b --negative c"
 * becomes "--positive a --positive b --negative c" for the one-value parser.
 * The words after such a flag run up to the next option (or "--"). */
static char **spread_word_lists(int argc, char **argv, int *spread_argc) {
    char **out = w2v_xmalloc((2 * (size_t)argc + 1) * sizeof *out);
    int n = 0;
    const char *list = NULL; /* the flag whose words are being read */
    bool just_flag = false;  /* the last argument was that flag itself */
    for (int i = 0; i < argc; i++) {
        char *arg = argv[i];
        bool word = arg[0] != '-' || arg[1] == '\0';
        if (i > 0 && strcmp(arg, "--") == 0) {
            while (i < argc) out[n++] = argv[i++];
            break;
        }
        if (list && word && !just_flag) out[n++] = (char *)list;
        just_flag = i > 0 && is_word_list_flag(arg);
        if (just_flag) list = arg;
        if (!word && !just_flag) list = NULL;
        out[n++] = arg;
    }
    out[n] = NULL;
    *spread_argc = n;
    return out;
}

int query_parse_args(const struct w2v_command_spec *spec, int argc, char **argv,
                     struct query_args *a, int *exit_status) {
    *a = (struct query_args){.k = 10};
    int spread_argc = 0;
    a->argv = spread_word_lists(argc, argv, &spread_argc);
    a->positive = w2v_xcalloc((size_t)spread_argc + 1, sizeof *a->positive);
    a->negative = w2v_xcalloc((size_t)spread_argc + 1, sizeof *a->negative);
    int stop = w2v_options_parse(spec, spread_argc, a->argv, a, &a->parsed);
    if (stop != 0) {
        query_args_free(a);
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
    w2v_free(a->positive);
    w2v_free(a->negative);
    w2v_free(a->argv);
    a->positive = a->negative = a->argv = NULL;
}

int query_find_rows(const struct w2v_search *search, const struct query_args *a, char **words,
                    int count, uint64_t *rows) {
    for (int w = 0; w < count; w++) {
        int64_t row = w2v_search_find(search, words[w]);
        if (row < 0)
            return w2v_error("'%s' is not in the vocabulary of %s", words[w], a->vectors_path);
        rows[w] = (uint64_t)row;
    }
    return 0;
}

void query_ranking_init(struct query_ranking *ranking, uint32_t k) {
    ranking->rows = w2v_xmalloc(k * sizeof *ranking->rows);
    ranking->scores = w2v_xmalloc(k * sizeof *ranking->scores);
    ranking->count = 0;
}

void query_ranking_print(const struct w2v_search *search, struct query_ranking *ranking) {
    for (size_t i = 0; i < ranking->count; i++) {
        fputs("  ", stdout);
        size_t columns = w2v_print_escaped(stdout, search->vectors->words[ranking->rows[i]]);
        printf("%*s %8.4f\n", columns < 30 ? (int)(30 - columns) : 0, "", ranking->scores[i]);
    }
    w2v_free(ranking->rows);
    w2v_free(ranking->scores);
}

/* -1 with a message unless a query of `count` words is one the command takes. */
static int check_count(const struct query_command *command, int count) {
    const char *name = command->spec->name;
    if (command->max_words == command->min_words && count != command->min_words)
        return w2v_error("%s: expected %d words per query, got %d", name, command->min_words,
                         count);
    if (count < command->min_words)
        return w2v_error("%s: expected at least %d words, got %d", name, command->min_words, count);
    if (command->max_words >= 0 && count > command->max_words)
        return w2v_error("%s: expected at most %d words, got %d", name, command->max_words, count);
    return 0;
}

int query_interactive(const struct query_command *command, const struct w2v_search *search,
                      const struct query_args *a) {
    bool tty = isatty(STDIN_FILENO);
    char *line = NULL;
    size_t capacity = 0;
    for (;;) {
        if (tty) {
            printf("%s", command->prompt);
            fflush(stdout);
        }
        if (getline(&line, &capacity, stdin) < 0) break;
        char *words[64];
        int count = 0;
        for (char *tok = strtok(line, " \t\r\n"); tok && count < 64; tok = strtok(NULL, " \t\r\n"))
            words[count++] = tok;
        if (count == 0) continue;
        if (count == 1 && strcmp(words[0], "EXIT") == 0) break; /* word2vec.c's way out */
        if (check_count(command, count) != 0 || command->answer(search, a, words, count) != 0)
            w2v_report_error();
        fflush(stdout);
    }
    if (tty) printf("\n");
    free(line);
    return 0;
}

/* A usage error in the words given, or 0. */
static int check_words(const struct query_command *command, const struct query_args *a) {
    int per = command->words_per_query;
    if (a->positive_count + a->negative_count > 0 && a->word_count > 0)
        return w2v_error("%s: give WORDs or --positive/--negative, not both (VECTORS comes first)",
                         command->spec->name);
    if (per > 0 && a->word_count % per != 0)
        return w2v_error("%s: expected %d words per query, got %d", command->spec->name, per,
                         a->word_count);
    if (per == 0 && a->word_count > 0) return check_count(command, a->word_count);
    return 0;
}

int query_main(const struct query_command *command, int argc, char **argv) {
    struct query_args a;
    int status = 0;
    if (query_parse_args(command->spec, argc, argv, &a, &status) != 0) return status;
    struct w2v_vectors vectors;
    if (check_words(command, &a) != 0) {
        status = w2v_usage_error();
    } else if (w2v_vectors_read(a.vectors_path, &vectors) != 0) {
        status = w2v_report_error();
    } else {
        struct w2v_search search;
        w2v_search_init(&search, &vectors, a.restrict_vocab, !a.case_sensitive);
        int per = command->words_per_query > 0 ? command->words_per_query : a.word_count;
        if (a.positive_count + a.negative_count > 0) {
            if (command->answer(&search, &a, NULL, 0) != 0) status = w2v_report_error();
        } else if (a.word_count == 0) {
            status = query_interactive(command, &search, &a);
        }
        for (int w = 0; w < a.word_count && status == 0; w += per)
            if (command->answer(&search, &a, &a.words[w], per) != 0) status = w2v_report_error();
        w2v_search_free(&search);
        w2v_vectors_free(&vectors);
    }
    query_args_free(&a);
    return status;
}
